//! Extension libraries: cel-go's extensions and the Kubernetes libraries.

pub(crate) mod comprehensions;
pub(crate) mod encoders;
pub(crate) mod lists;
pub(crate) mod math;
pub(crate) mod optionals;
pub(crate) mod sets;
pub(crate) mod strings;

use crate::env::Env;
use crate::error::EvalError;
use crate::value::{Opaque, Value};

/// Whether `name` names a type of a library loaded in `env`.
pub(crate) fn is_type_name(env: &Env, name: &str) -> bool {
    crate::k8s::is_type_name(env, name)
}

/// `value.field` on a library type.
pub(crate) fn select_opaque<'a>(o: &dyn Opaque, field: &str) -> Result<Value<'a>, EvalError> {
    let _ = o;
    Err(EvalError::no_such_key(field))
}
