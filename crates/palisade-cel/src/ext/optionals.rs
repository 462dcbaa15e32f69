//! Optional values: `optional.of/ofNonZeroValue/none`, `hasValue`, `value`, `optional.unwrap`
//! (`or`, `orValue`, `optMap` and `optFlatMap` are compiled specially: they short-circuit).

use std::sync::Arc;

use crate::env::{Env, Rt};
use crate::error::EvalError;
use crate::stdlib::nso;
use crate::value::Value;

type R<'a> = Result<Value<'a>, EvalError>;

pub(crate) fn register(env: &mut Env) {
    env.global("optional.of", |_, a| match a {
        [v] => Ok(Value::Optional(Some(Arc::new(v.clone())))),
        _ => nso(),
    });
    env.global("optional.ofNonZeroValue", |_, a| match a {
        [v] => Ok(Value::Optional(if is_zero(v) {
            None
        } else {
            Some(Arc::new(v.clone()))
        })),
        _ => nso(),
    });
    env.global("optional.none", |_, a| match a {
        [] => Ok(Value::Optional(None)),
        _ => nso(),
    });
    env.member("hasValue", |_, a| match a {
        [Value::Optional(o)] => Ok(Value::Bool(o.is_some())),
        _ => nso(),
    });
    env.member("value", |_, a| match a {
        [Value::Optional(Some(v))] => Ok((**v).clone()),
        [Value::Optional(None)] => Err(EvalError::new("optional.none() dereference")),
        _ => nso(),
    });
    env.global("optional.unwrap", unwrap);
    env.member("unwrapOpt", unwrap);
}

fn unwrap<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let [Value::List(l)] = a else { return nso() };
    let mut out = Vec::new();
    for v in l.iter() {
        match v {
            Value::Optional(Some(x)) => out.push((*x).clone()),
            Value::Optional(None) => {}
            _ => return nso(),
        }
    }
    Ok(Value::list(out))
}

/// Whether `v` is its type's zero value.
pub(crate) fn is_zero(v: &Value<'_>) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Int(i) => *i == 0,
        Value::Uint(u) => *u == 0,
        Value::Double(d) => *d == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Duration(d) => d.0 == 0,
        Value::Timestamp(t) => t.secs == crate::time::MIN_UNIX && t.nanos == 0,
        Value::Optional(o) => o.is_none(),
        Value::Type(_) | Value::Opaque(_) => false,
    }
}
