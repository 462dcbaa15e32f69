//! The cel-go comprehensions extension.

use crate::env::Env;

pub(crate) fn register(env: &mut Env) {
    let _ = env;
}
