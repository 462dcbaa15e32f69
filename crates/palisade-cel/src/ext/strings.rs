//! The cel-go strings extension, at a given version.

use crate::env::Env;

pub(crate) fn register(env: &mut Env, version: u32) {
    let _ = (env, version);
}
