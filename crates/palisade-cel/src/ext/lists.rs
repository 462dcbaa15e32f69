//! The cel-go lists extension, at a given version.

use crate::env::Env;

pub(crate) fn register(env: &mut Env, version: u32) {
    let _ = (env, version);
}
