//! The cel-go lists extension (version 3): `lists.range`, `slice`, `flatten`, `reverse`, `sort`,
//! `sortBy` (a macro), `distinct`, `first`, `last`.

use std::sync::Arc;

use crate::env::{Env, Rt};
use crate::error::EvalError;
use crate::stdlib::nso;
use crate::value::{List, Value, compare, equals};

type R<'a> = Result<Value<'a>, EvalError>;

pub(crate) fn register(env: &mut Env, version: u32) {
    env.macros.sort_by = version >= 2;
    env.member("slice", slice);
    env.member("flatten", flatten);
    env.global("lists.range", |_, a| match a {
        [Value::Int(n)] => Ok(Value::list((0..(*n).max(0)).map(Value::Int).collect())),
        _ => nso(),
    });
    env.both("reverse", |_, a| match a {
        [Value::List(l)] => {
            let mut v: Vec<Value<'_>> = l.iter().collect();
            v.reverse();
            Ok(Value::list(v))
        }
        _ => nso(),
    });
    env.member("sort", |_, a| {
        let [Value::List(l)] = a else { return nso() };
        sorted(l.iter().collect(), |x| x.clone())
    });
    env.global("@sortByAssociatedKeys", |_, a| {
        let [Value::List(l), Value::List(keys)] = a else {
            return nso();
        };
        let pairs: Vec<(Value<'_>, Value<'_>)> = keys.iter().zip(l.iter()).collect();
        let out = sorted_pairs(pairs)?;
        Ok(Value::list(out))
    });
    env.member("distinct", |_, a| {
        let [Value::List(l)] = a else { return nso() };
        let mut out: Vec<Value<'_>> = Vec::new();
        for v in l.iter() {
            if !out.iter().any(|x| equals(x, &v)) {
                out.push(v);
            }
        }
        Ok(Value::list(out))
    });
    env.member("first", |_, a| match a {
        [Value::List(l)] => Ok(Value::Optional(l.get(0).map(Arc::new))),
        _ => nso(),
    });
    env.member("last", |_, a| match a {
        [Value::List(l)] => Ok(Value::Optional(
            l.len().checked_sub(1).and_then(|i| l.get(i)).map(Arc::new),
        )),
        _ => nso(),
    });
}

fn sorted<'a>(items: Vec<Value<'a>>, key: impl Fn(&Value<'a>) -> Value<'a>) -> R<'a> {
    let pairs: Vec<(Value<'a>, Value<'a>)> = items.into_iter().map(|v| (key(&v), v)).collect();
    Ok(Value::list(sorted_pairs(pairs)?))
}

fn sorted_pairs<'a>(mut pairs: Vec<(Value<'a>, Value<'a>)>) -> Result<Vec<Value<'a>>, EvalError> {
    if let Some((first, _)) = pairs.first() {
        let t = first.type_name().to_string();
        if !matches!(
            first,
            Value::Int(_)
                | Value::Uint(_)
                | Value::Double(_)
                | Value::String(_)
                | Value::Bytes(_)
                | Value::Bool(_)
                | Value::Timestamp(_)
                | Value::Duration(_)
        ) {
            return Err(EvalError::new(format!(
                "list elements must be comparable, got {t}"
            )));
        }
        for (k, _) in &pairs {
            if k.type_name() != t {
                return Err(EvalError::new(format!(
                    "list elements must have the same type: expected {t} but got {}",
                    k.type_name()
                )));
            }
        }
    }
    let mut err = None;
    pairs.sort_by(|(a, _), (b, _)| {
        compare(a, b).unwrap_or_else(|e| {
            err = Some(e);
            std::cmp::Ordering::Equal
        })
    });
    if let Some(e) = err {
        return Err(e);
    }
    Ok(pairs.into_iter().map(|(_, v)| v).collect())
}

fn slice<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let [Value::List(l), Value::Int(s), Value::Int(e)] = a else {
        return nso();
    };
    let (s, e) = (*s, *e);
    if s < 0 || e < 0 {
        return Err(EvalError::new(format!(
            "cannot slice({s}, {e}), negative indexes not supported"
        )));
    }
    if s > e {
        return Err(EvalError::new(format!(
            "cannot slice({s}, {e}), start index must be less than or equal to end index"
        )));
    }
    if e as usize > l.len() {
        return Err(EvalError::new(format!(
            "cannot slice({s}, {e}), list is length {}",
            l.len()
        )));
    }
    Ok(Value::list(
        l.iter().skip(s as usize).take((e - s) as usize).collect(),
    ))
}

fn flatten_into<'a>(l: &List<'a>, depth: i64, out: &mut Vec<Value<'a>>) {
    for v in l.iter() {
        match v {
            Value::List(inner) if depth > 0 => flatten_into(&inner, depth - 1, out),
            other => out.push(other),
        }
    }
}

fn flatten<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let (l, depth) = match a {
        [Value::List(l)] => (l, 1),
        [Value::List(l), Value::Int(d)] => (l, *d),
        _ => return nso(),
    };
    if depth < 0 {
        return Err(EvalError::new("level must be non-negative"));
    }
    let mut out = Vec::new();
    flatten_into(l, depth, &mut out);
    Ok(Value::list(out))
}
