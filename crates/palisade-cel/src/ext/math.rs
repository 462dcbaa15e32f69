//! The cel-go math extension: `math.greatest/least`, rounding, bit operations, `sqrt`, `sign`, ...

use std::cmp::Ordering;

use crate::env::{Env, Rt};
use crate::error::EvalError;
use crate::stdlib::nso;
use crate::value::{Value, compare};

type R<'a> = Result<Value<'a>, EvalError>;

pub(crate) fn register(env: &mut Env) {
    env.global("math.greatest", |_, a| {
        extreme(a, Ordering::Greater, "math.@max")
    });
    env.global("math.least", |_, a| extreme(a, Ordering::Less, "math.@min"));
    env.global("math.ceil", |_, a| dbl(a, f64::ceil));
    env.global("math.floor", |_, a| dbl(a, f64::floor));
    env.global("math.round", |_, a| dbl(a, f64::round));
    env.global("math.trunc", |_, a| dbl(a, f64::trunc));
    env.global("math.isInf", |_, a| dbl_pred(a, f64::is_infinite));
    env.global("math.isNaN", |_, a| dbl_pred(a, f64::is_nan));
    env.global("math.isFinite", |_, a| dbl_pred(a, f64::is_finite));
    env.global("math.abs", abs);
    env.global("math.sign", sign);
    env.global("math.sqrt", |_, a| match a {
        [Value::Double(d)] => Ok(Value::Double(d.sqrt())),
        [Value::Int(i)] => Ok(Value::Double((*i as f64).sqrt())),
        [Value::Uint(u)] => Ok(Value::Double((*u as f64).sqrt())),
        _ => Err(EvalError::new("no such overload: sqrt")),
    });
    env.global("math.bitAnd", |_, a| bits(a, |x, y| x & y));
    env.global("math.bitOr", |_, a| bits(a, |x, y| x | y));
    env.global("math.bitXor", |_, a| bits(a, |x, y| x ^ y));
    env.global("math.bitNot", |_, a| match a {
        [Value::Int(i)] => Ok(Value::Int(!i)),
        [Value::Uint(u)] => Ok(Value::Uint(!u)),
        _ => nso(),
    });
    env.global("math.bitShiftLeft", |_, a| shift(a, true));
    env.global("math.bitShiftRight", |_, a| shift(a, false));
}

fn dbl<'a>(a: &[Value<'a>], f: fn(f64) -> f64) -> R<'a> {
    match a {
        [Value::Double(d)] => Ok(Value::Double(f(*d))),
        _ => nso(),
    }
}

fn dbl_pred<'a>(a: &[Value<'a>], f: fn(f64) -> bool) -> R<'a> {
    match a {
        [Value::Double(d)] => Ok(Value::Bool(f(*d))),
        _ => nso(),
    }
}

fn abs<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Int(i)] => i
            .checked_abs()
            .map(Value::Int)
            .ok_or_else(|| EvalError::new("integer overflow")),
        [Value::Uint(u)] => Ok(Value::Uint(*u)),
        [Value::Double(d)] => Ok(Value::Double(d.abs())),
        _ => nso(),
    }
}

fn sign<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Int(i)] => Ok(Value::Int(i.signum())),
        [Value::Uint(u)] => Ok(Value::Uint(u64::from(*u != 0))),
        [Value::Double(d)] => Ok(Value::Double(if d.is_nan() {
            *d
        } else if *d > 0.0 {
            1.0
        } else if *d < 0.0 {
            -1.0
        } else {
            0.0
        })),
        _ => nso(),
    }
}

fn bits<'a>(a: &[Value<'a>], f: fn(u64, u64) -> u64) -> R<'a> {
    match a {
        [Value::Int(x), Value::Int(y)] => Ok(Value::Int(f(*x as u64, *y as u64) as i64)),
        [Value::Uint(x), Value::Uint(y)] => Ok(Value::Uint(f(*x, *y))),
        _ => nso(),
    }
}

fn shift<'a>(a: &[Value<'a>], left: bool) -> R<'a> {
    let name = if left {
        "math.bitShiftLeft()"
    } else {
        "math.bitShiftRight()"
    };
    let (v, n) = match a {
        [v @ (Value::Int(_) | Value::Uint(_)), Value::Int(n)] => (v, *n),
        _ => return nso(),
    };
    if n < 0 {
        return Err(EvalError::new(format!("{name} negative offset: {n}")));
    }
    let raw = match v {
        Value::Int(i) => *i as u64,
        Value::Uint(u) => *u,
        _ => return nso(),
    };
    let out = if n >= 64 {
        0
    } else if left {
        raw << n
    } else {
        raw >> n
    };
    Ok(match v {
        Value::Int(_) => Value::Int(out as i64),
        _ => Value::Uint(out),
    })
}

fn extreme<'a>(a: &[Value<'a>], want: Ordering, name: &str) -> R<'a> {
    let items: Vec<Value<'a>> = match a {
        [Value::List(l)] => {
            if l.is_empty() {
                return Err(EvalError::new(format!(
                    "{name}(list) argument must not be empty"
                )));
            }
            l.iter().collect()
        }
        [] => return nso(),
        other => other.to_vec(),
    };
    let mut best: Option<Value<'a>> = None;
    for v in items {
        if !matches!(v, Value::Int(_) | Value::Uint(_) | Value::Double(_)) {
            return Err(EvalError::new(format!("no such overload: {name}")));
        }
        best = Some(match best {
            None => v,
            Some(b) => match compare(&v, &b) {
                Ok(o) if o == want => v,
                Ok(_) => b,
                Err(e) => return Err(EvalError::new(format!("{}: {name}", e.message))),
            },
        });
    }
    best.ok_or_else(EvalError::no_such_overload)
}
