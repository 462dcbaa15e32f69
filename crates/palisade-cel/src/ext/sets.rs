//! The cel-go sets extension: `sets.contains`, `sets.equivalent`, `sets.intersects`.

use crate::env::Env;
use crate::stdlib::nso;
use crate::value::{List, Value, equals};

fn has(l: &List<'_>, v: &Value<'_>) -> bool {
    l.iter().any(|x| equals(&x, v))
}

pub(crate) fn register(env: &mut Env) {
    env.global("sets.contains", |_, a| match a {
        [Value::List(x), Value::List(y)] => Ok(Value::Bool(y.iter().all(|v| has(x, &v)))),
        _ => nso(),
    });
    env.global("sets.equivalent", |_, a| match a {
        [Value::List(x), Value::List(y)] => Ok(Value::Bool(
            y.iter().all(|v| has(x, &v)) && x.iter().all(|v| has(y, &v)),
        )),
        _ => nso(),
    });
    env.global("sets.intersects", |_, a| match a {
        [Value::List(x), Value::List(y)] => Ok(Value::Bool(y.iter().any(|v| has(x, &v)))),
        _ => nso(),
    });
}
