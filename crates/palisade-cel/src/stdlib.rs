//! The CEL standard library: operators, conversions, strings, lists, maps, timestamps, durations.

use std::sync::Arc;

use crate::env::{Env, Rt};
use crate::error::EvalError;
use crate::time::{Duration, Timestamp};
use crate::value::{List, Map, Str, Type, Value, compare, equals};

type R<'a> = Result<Value<'a>, EvalError>;

pub(crate) fn nso<'a>() -> R<'a> {
    Err(EvalError::no_such_overload())
}

fn overflow() -> EvalError {
    EvalError::new("integer overflow")
}

fn uoverflow() -> EvalError {
    EvalError::new("unsigned integer overflow")
}

fn conv_err<'a>(from: &str, to: &str) -> R<'a> {
    Err(EvalError::new(format!(
        "type conversion error from '{from}' to '{to}'"
    )))
}

/// Registers the standard library.
pub(crate) fn register(env: &mut Env) {
    env.global("_+_", add);
    env.global("_-_", sub);
    env.global("_*_", mul);
    env.global("_/_", div);
    env.global("_%_", rem);
    env.global("-_", neg);
    env.global("!_", not);
    env.global("_==_", |_, a| {
        Ok(Value::Bool(equals(arg(a, 0)?, arg(a, 1)?)))
    });
    env.global("_!=_", |_, a| {
        Ok(Value::Bool(!equals(arg(a, 0)?, arg(a, 1)?)))
    });
    env.global("_<_", |_, a| cmp(a, |o| o.is_lt()));
    env.global("_<=_", |_, a| cmp(a, |o| o.is_le()));
    env.global("_>_", |_, a| cmp(a, |o| o.is_gt()));
    env.global("_>=_", |_, a| cmp(a, |o| o.is_ge()));
    env.global("@in", in_op);
    env.global("@not_strictly_false", |_, a| {
        Ok(Value::Bool(!matches!(a.first(), Some(Value::Bool(false)))))
    });
    env.global("int", to_int);
    env.global("uint", to_uint);
    env.global("double", to_double);
    env.global("string", to_string);
    env.global("bytes", to_bytes);
    env.global("bool", to_bool);
    env.global("type", |_, a| Ok(Value::Type(arg(a, 0)?.type_of())));
    env.global("dyn", |_, a| Ok(arg(a, 0)?.clone()));
    env.global("timestamp", to_timestamp);
    env.global("duration", to_duration);
    env.both("size", size);
    env.member("contains", |_, a| {
        str2(a, |s, t| Value::Bool(s.contains(t)))
    });
    env.member("startsWith", |_, a| {
        str2(a, |s, t| Value::Bool(s.starts_with(t)))
    });
    env.member("endsWith", |_, a| {
        str2(a, |s, t| Value::Bool(s.ends_with(t)))
    });
    env.both("matches", matches);
    // Each getter needs its own function pointer: register them explicitly.
    env.member("getFullYear", |_, a| ts_field(a, 0));
    env.member("getMonth", |_, a| ts_field(a, 1));
    env.member("getDayOfYear", |_, a| ts_field(a, 2));
    env.member("getDayOfMonth", |_, a| ts_field(a, 3));
    env.member("getDate", |_, a| ts_field(a, 4));
    env.member("getDayOfWeek", |_, a| ts_field(a, 5));
    env.member("getHours", |_, a| ts_field(a, 6));
    env.member("getMinutes", |_, a| ts_field(a, 7));
    env.member("getSeconds", |_, a| ts_field(a, 8));
    env.member("getMilliseconds", |_, a| ts_field(a, 9));
}

pub(crate) fn arg<'v, 'a>(a: &'v [Value<'a>], i: usize) -> Result<&'v Value<'a>, EvalError> {
    a.get(i).ok_or_else(EvalError::no_such_overload)
}

fn str2<'a>(a: &[Value<'a>], f: impl Fn(&str, &str) -> Value<'a>) -> R<'a> {
    match a {
        [Value::String(s), Value::String(t)] => Ok(f(s, t)),
        _ => nso(),
    }
}

fn cmp<'a>(a: &[Value<'a>], f: impl Fn(std::cmp::Ordering) -> bool) -> R<'a> {
    match a {
        [x, y] => compare(x, y).map(|o| Value::Bool(f(o))),
        _ => nso(),
    }
}

/// `x + y` for two values.
pub(crate) fn add_values<'a>(x: &Value<'a>, y: &Value<'a>) -> R<'a> {
    add(
        &mut Rt {
            authorizer: &crate::authz::NoOpinion,
            extra_cost: 0,
        },
        &[x.clone(), y.clone()],
    )
}

fn add<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    use Value as V;
    match a {
        [V::Int(x), V::Int(y)] => x.checked_add(*y).map(V::Int).ok_or_else(overflow),
        [V::Uint(x), V::Uint(y)] => x.checked_add(*y).map(V::Uint).ok_or_else(uoverflow),
        [V::Double(x), V::Double(y)] => Ok(V::Double(x + y)),
        [V::String(x), V::String(y)] => {
            if x.is_empty() {
                return Ok(V::String(y.clone()));
            }
            if y.is_empty() {
                return Ok(V::String(x.clone()));
            }
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            Ok(Value::string(s))
        }
        [V::Bytes(x), V::Bytes(y)] => Ok(V::Bytes(x.iter().chain(y.iter()).copied().collect())),
        [V::List(x), V::List(y)] => {
            if x.is_empty() {
                return Ok(V::List(y.clone()));
            }
            if y.is_empty() {
                return Ok(V::List(x.clone()));
            }
            Ok(Value::list(x.iter().chain(y.iter()).collect()))
        }
        [V::Timestamp(t), V::Duration(d)] | [V::Duration(d), V::Timestamp(t)] => {
            t.checked_add(*d).map(V::Timestamp)
        }
        [V::Duration(x), V::Duration(y)] => {
            x.0.checked_add(y.0)
                .map(|n| V::Duration(Duration(n)))
                .ok_or_else(|| EvalError::new("duration overflow"))
        }
        _ => nso(),
    }
}

fn sub<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    use Value as V;
    match a {
        [V::Int(x), V::Int(y)] => x.checked_sub(*y).map(V::Int).ok_or_else(overflow),
        [V::Uint(x), V::Uint(y)] => x.checked_sub(*y).map(V::Uint).ok_or_else(uoverflow),
        [V::Double(x), V::Double(y)] => Ok(V::Double(x - y)),
        [V::Timestamp(x), V::Timestamp(y)] => x.checked_sub(*y).map(V::Duration),
        [V::Timestamp(t), V::Duration(d)] => match d.0.checked_neg() {
            Some(n) => t.checked_add(Duration(n)).map(V::Timestamp),
            None => Err(EvalError::new("timestamp overflow")),
        },
        [V::Duration(x), V::Duration(y)] => {
            x.0.checked_sub(y.0)
                .map(|n| V::Duration(Duration(n)))
                .ok_or_else(|| EvalError::new("duration overflow"))
        }
        _ => nso(),
    }
}

fn mul<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    use Value as V;
    match a {
        [V::Int(x), V::Int(y)] => x.checked_mul(*y).map(V::Int).ok_or_else(overflow),
        [V::Uint(x), V::Uint(y)] => x.checked_mul(*y).map(V::Uint).ok_or_else(uoverflow),
        [V::Double(x), V::Double(y)] => Ok(V::Double(x * y)),
        _ => nso(),
    }
}

fn div<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    use Value as V;
    match a {
        [V::Int(_), V::Int(0)] | [V::Uint(_), V::Uint(0)] => {
            Err(EvalError::new("division by zero"))
        }
        [V::Int(x), V::Int(y)] => x.checked_div(*y).map(V::Int).ok_or_else(overflow),
        [V::Uint(x), V::Uint(y)] => Ok(V::Uint(x / y)),
        [V::Double(x), V::Double(y)] => Ok(V::Double(x / y)),
        _ => nso(),
    }
}

fn rem<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    use Value as V;
    match a {
        [V::Int(_), V::Int(0)] | [V::Uint(_), V::Uint(0)] => Err(EvalError::new("modulus by zero")),
        [V::Int(x), V::Int(y)] => x.checked_rem(*y).map(V::Int).ok_or_else(overflow),
        [V::Uint(x), V::Uint(y)] => Ok(V::Uint(x % y)),
        _ => nso(),
    }
}

fn neg<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Int(x)] => x.checked_neg().map(Value::Int).ok_or_else(overflow),
        [Value::Double(x)] => Ok(Value::Double(-x)),
        [Value::Duration(d)] => {
            d.0.checked_neg()
                .map(|n| Value::Duration(Duration(n)))
                .ok_or_else(|| EvalError::new("duration overflow"))
        }
        _ => nso(),
    }
}

fn not<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Bool(b)] => Ok(Value::Bool(!b)),
        _ => nso(),
    }
}

fn in_op<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [x, Value::List(l)] => Ok(Value::Bool(crate::program::contains(l, x))),
        [x, Value::Map(m)] => Ok(Value::Bool(m.get(x).is_some())),
        _ => nso(),
    }
}

fn size<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::String(s)] => Ok(Value::Int(s.chars().count() as i64)),
        [Value::Bytes(b)] => Ok(Value::Int(b.len() as i64)),
        [Value::List(l)] => Ok(Value::Int(l.len() as i64)),
        [Value::Map(m)] => Ok(Value::Int(m.len() as i64)),
        _ => nso(),
    }
}

/// Go's `%g` for a float64 (`1e+06`, `0.0001`, `NaN`, `+Inf`).
pub(crate) fn format_double(d: f64) -> String {
    if d.is_nan() {
        return "NaN".into();
    }
    if d.is_infinite() {
        return if d > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if d == 0.0 {
        return if d.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let sci = format!("{d:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        return go_exp(mant, exp);
    }
    format!("{d}")
}

fn go_exp(mant: &str, exp: i32) -> String {
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}e{sign}{:02}", exp.abs())
}

fn to_int<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Int(i)] => Ok(Value::Int(*i)),
        [Value::Uint(u)] => i64::try_from(*u).map(Value::Int).map_err(|_| overflow()),
        [Value::Double(d)] => {
            if d.is_nan() || *d <= -9_223_372_036_854_775_808.0 || *d >= 9_223_372_036_854_775_807.0
            {
                Err(overflow())
            } else {
                Ok(Value::Int(d.trunc() as i64))
            }
        }
        [Value::String(s)] => match parse_go_int(s) {
            Some(i) => Ok(Value::Int(i)),
            None => conv_err("string", "int"),
        },
        [Value::Timestamp(t)] => Ok(Value::Int(t.secs)),
        [Value::Duration(d)] => Ok(Value::Int(d.0)),
        [Value::Bool(_)] => conv_err("bool", "int"),
        [other] => conv_err(other.type_name(), "int"),
        _ => nso(),
    }
}

fn parse_go_int(s: &str) -> Option<i64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn to_uint<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Uint(u)] => Ok(Value::Uint(*u)),
        [Value::Int(i)] => u64::try_from(*i).map(Value::Uint).map_err(|_| uoverflow()),
        [Value::Double(d)] => {
            if d.is_nan() || *d < 0.0 || *d >= 18_446_744_073_709_551_615.0 {
                Err(uoverflow())
            } else {
                Ok(Value::Uint(d.trunc() as u64))
            }
        }
        [Value::String(s)] => {
            let body = s.strip_prefix('+').unwrap_or(s);
            if !body.is_empty()
                && body.bytes().all(|b| b.is_ascii_digit())
                && let Ok(u) = body.parse()
            {
                return Ok(Value::Uint(u));
            }
            conv_err("string", "uint")
        }
        [other] => conv_err(other.type_name(), "uint"),
        _ => nso(),
    }
}

/// Go's `strconv.ParseFloat(s, 64)`.
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    let lower = s.to_ascii_lowercase();
    let body = lower.strip_prefix(['+', '-']).unwrap_or(&lower);
    match body {
        "inf" | "infinity" | "nan" => return s.parse::<f64>().ok().or_else(|| lower.parse().ok()),
        _ => {}
    }
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
    {
        return None;
    }
    s.parse().ok()
}

fn to_double<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Double(d)] => Ok(Value::Double(*d)),
        [Value::Int(i)] => Ok(Value::Double(*i as f64)),
        [Value::Uint(u)] => Ok(Value::Double(*u as f64)),
        [Value::String(s)] => match parse_go_float(s) {
            Some(d) => Ok(Value::Double(d)),
            None => conv_err("string", "double"),
        },
        [other] => conv_err(other.type_name(), "double"),
        _ => nso(),
    }
}

fn to_string<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::String(s)] => Ok(Value::String(s.clone())),
        [Value::Int(i)] => Ok(Value::string(i.to_string())),
        [Value::Uint(u)] => Ok(Value::string(u.to_string())),
        [Value::Double(d)] => Ok(Value::string(format_double(*d))),
        [Value::Bool(b)] => Ok(Value::string(b.to_string())),
        [Value::Bytes(b)] => match std::str::from_utf8(b) {
            Ok(s) => Ok(Value::string(s)),
            Err(_) => Err(EvalError::new(
                "invalid UTF-8 in bytes, cannot convert to string",
            )),
        },
        [Value::Timestamp(t)] => Ok(Value::string(t.to_rfc3339())),
        [Value::Duration(d)] => Ok(Value::string(d.to_cel_string())),
        [Value::Type(t)] => Ok(Value::string(t.name())),
        [Value::Opaque(o)] => Ok(Value::string(o.to_display())),
        [other] => conv_err(other.type_name(), "string"),
        _ => nso(),
    }
}

fn to_bytes<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Bytes(b)] => Ok(Value::Bytes(b.clone())),
        [Value::String(s)] => Ok(Value::Bytes(Arc::from(s.as_bytes()))),
        [other] => conv_err(other.type_name(), "bytes"),
        _ => nso(),
    }
}

fn to_bool<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Bool(b)] => Ok(Value::Bool(*b)),
        [Value::String(s)] => match &**s {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(Value::Bool(true)),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(Value::Bool(false)),
            _ => conv_err("string", "bool"),
        },
        [other] => conv_err(other.type_name(), "bool"),
        _ => nso(),
    }
}

fn to_timestamp<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Timestamp(t)] => Ok(Value::Timestamp(*t)),
        [Value::Int(i)] => Timestamp::new(*i, 0).map(Value::Timestamp),
        [Value::String(s)] => match Timestamp::parse(s) {
            Some(t) if (crate::time::MIN_UNIX..=crate::time::MAX_UNIX).contains(&t.secs) => {
                Ok(Value::Timestamp(t))
            }
            Some(_) => Err(EvalError::new("timestamp overflow")),
            None => conv_err("string", "google.protobuf.Timestamp"),
        },
        [other] => conv_err(other.type_name(), "google.protobuf.Timestamp"),
        _ => nso(),
    }
}

fn to_duration<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::Duration(d)] => Ok(Value::Duration(*d)),
        [Value::Int(i)] => Ok(Value::Duration(Duration(*i))),
        [Value::String(s)] => match Duration::parse(s) {
            Some(d) => Ok(Value::Duration(d)),
            None => conv_err("string", "google.protobuf.Duration"),
        },
        [other] => conv_err(other.type_name(), "google.protobuf.Duration"),
        _ => nso(),
    }
}

/// A compiled regular expression, from a small per-thread cache. RE2 syntax, linear time.
pub(crate) fn regex(pattern: &str) -> Result<Arc<regex::Regex>, EvalError> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static CACHE: RefCell<HashMap<String, Arc<regex::Regex>>> = RefCell::new(HashMap::new());
    }
    if let Some(r) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(r);
    }
    let r = regex::RegexBuilder::new(pattern)
        .size_limit(1 << 22)
        .nest_limit(100)
        .build()
        .map_err(|e| EvalError::new(format!("error parsing regexp: {}", regex_error(&e))))?;
    let r = Arc::new(r);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 256 {
            c.clear();
        }
        c.insert(pattern.to_string(), Arc::clone(&r));
    });
    Ok(r)
}

fn regex_error(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(s) => s.lines().last().unwrap_or(s).trim().to_string(),
        regex::Error::CompiledTooBig(_) => "expression too large".to_string(),
        _ => e.to_string(),
    }
}

fn matches<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::String(s), Value::String(p)] => Ok(Value::Bool(regex(p)?.is_match(s))),
        _ => nso(),
    }
}

/// The UTC offset for a `getX(tz)` time zone argument (fixed offsets and `UTC` only).
fn tz_offset(tz: &str) -> Result<i32, EvalError> {
    if tz == "UTC" || tz == "Etc/UTC" || tz == "GMT" {
        return Ok(0);
    }
    let Some((h, m)) = tz.split_once(':') else {
        return Err(EvalError::new(format!("unknown time zone {tz}")));
    };
    let hr: i32 = h
        .parse()
        .map_err(|_| EvalError::new(format!("strconv.Atoi: parsing \"{h}\": invalid syntax")))?;
    let min: i32 = m
        .parse()
        .map_err(|_| EvalError::new(format!("strconv.Atoi: parsing \"{m}\": invalid syntax")))?;
    if !(0..=59).contains(&min) {
        return Err(EvalError::new(format!(
            "timezone offset minutes out of range [0, 59]: {tz}"
        )));
    }
    let off = if h.starts_with('-') {
        hr * 60 - min
    } else {
        hr * 60 + min
    };
    Ok(off * 60)
}

fn ts_field<'a>(a: &[Value<'a>], which: u8) -> R<'a> {
    match a {
        [Value::Timestamp(t)] => ts_get(t, t.offset, which),
        [Value::Timestamp(t), Value::String(tz)] => ts_get(t, tz_offset(tz)?, which),
        [Value::Duration(d)] => {
            let n = d.0;
            Ok(Value::Int(match which {
                6 => n / 3_600_000_000_000,
                7 => n / 60_000_000_000,
                8 => n / 1_000_000_000,
                9 => n / 1_000_000 % 1000,
                _ => return nso(),
            }))
        }
        _ => nso(),
    }
}

fn ts_get<'a>(t: &Timestamp, offset: i32, which: u8) -> R<'a> {
    let (y, mo, d, h, mi, s, yday, wday) = t.fields(offset);
    Ok(Value::Int(match which {
        0 => y,
        1 => mo - 1,
        2 => yday,
        3 => d - 1,
        4 => d,
        5 => wday,
        6 => h,
        7 => mi,
        8 => s,
        9 => i64::from(t.nanos / 1_000_000),
        _ => return nso(),
    }))
}

/// A value as cel-go's `%v` shows it in error messages.
pub(crate) fn debug_string(v: &Value<'_>) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Double(d) => format_double(*d),
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::List(l) => format!(
            "[{}]",
            l.iter()
                .map(|x| debug_string(&x))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Map(m) => format!(
            "map[{}]",
            m.entries()
                .iter()
                .map(|(k, v)| format!("{}:{}", debug_string(k), debug_string(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Value::Timestamp(t) => t.to_rfc3339(),
        Value::Duration(d) => d.to_cel_string(),
        Value::Type(t) => t.name().to_string(),
        Value::Optional(None) => "optional.none()".into(),
        Value::Optional(Some(x)) => format!("optional.of({})", debug_string(x)),
        Value::Opaque(o) => o.to_display(),
    }
}

#[allow(dead_code)]
pub(crate) fn strv(s: &str) -> Value<'_> {
    Value::String(Str::Borrowed(s))
}

#[allow(dead_code)]
pub(crate) fn typ(t: Type) -> Value<'static> {
    Value::Type(t)
}

#[allow(dead_code)]
pub(crate) fn list_of<'a>(l: &List<'a>) -> Vec<Value<'a>> {
    l.iter().collect()
}

#[allow(dead_code)]
pub(crate) fn map_len(m: &Map<'_>) -> usize {
    m.len()
}
