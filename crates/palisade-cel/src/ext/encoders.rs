//! The cel-go encoders extension: `base64.encode(bytes)` and `base64.decode(string)`.

use std::sync::Arc;

use base64::Engine as _;

use crate::env::Env;
use crate::error::EvalError;
use crate::stdlib::nso;
use crate::value::Value;

pub(crate) fn register(env: &mut Env) {
    env.global("base64.encode", |_, a| match a {
        [Value::Bytes(b)] => Ok(Value::string(
            base64::engine::general_purpose::STANDARD.encode(b),
        )),
        _ => nso(),
    });
    env.global("base64.decode", |_, a| match a {
        [Value::String(s)] => {
            let std = base64::engine::general_purpose::STANDARD.decode(s.as_bytes());
            let out = std
                .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(s.as_bytes()));
            out.map(|b| Value::Bytes(Arc::from(b)))
                .map_err(|e| EvalError::new(e.to_string()))
        }
        _ => nso(),
    });
}
