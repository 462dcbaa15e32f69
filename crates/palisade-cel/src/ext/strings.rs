//! The cel-go strings extension, gated by version as cel-go gates it (`charAt` ... `upperAscii` in
//! version 0, `format` and `strings.quote` from 1, `join` from 2, `reverse` from 3).

use std::sync::Arc;

use crate::env::{Env, Rt};
use crate::error::EvalError;
use crate::stdlib::{format_double, nso};
use crate::value::{List, Value};

type R<'a> = Result<Value<'a>, EvalError>;

pub(crate) fn register(env: &mut Env, version: u32) {
    env.member("charAt", char_at);
    env.member("indexOf", index_of);
    env.member("lastIndexOf", last_index_of);
    env.member("lowerAscii", |_, a| map_str(a, |s| s.to_ascii_lowercase()));
    env.member("upperAscii", |_, a| map_str(a, |s| s.to_ascii_uppercase()));
    env.member("replace", replace);
    env.member("split", split);
    env.member("substring", substring);
    env.member("trim", |_, a| {
        map_str(a, |s| s.trim_matches(is_go_space).to_string())
    });
    if version >= 1 {
        env.member("format", format);
        env.global("strings.quote", quote);
    }
    if version >= 2 {
        env.member("join", join);
    }
    if version >= 3 {
        env.member("reverse", |_, a| map_str(a, |s| s.chars().rev().collect()));
    }
}

fn is_go_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}'
    ) || (c as u32 > 0xff && c.is_whitespace())
}

fn map_str<'a>(a: &[Value<'a>], f: impl Fn(&str) -> String) -> R<'a> {
    match a {
        [Value::String(s)] => Ok(Value::string(f(s))),
        _ => nso(),
    }
}

fn range_err<'a>(i: i64) -> R<'a> {
    Err(EvalError::new(format!("index out of range: {i}")))
}

fn char_at<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let [Value::String(s), Value::Int(i)] = a else {
        return nso();
    };
    let n = s.chars().count() as i64;
    if *i < 0 || *i > n {
        return range_err(*i);
    }
    Ok(Value::string(
        s.chars()
            .nth(*i as usize)
            .map(String::from)
            .unwrap_or_default(),
    ))
}

fn index_of<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let (s, sub, off) = match a {
        [Value::String(s), Value::String(t)] => (s, t, 0),
        [Value::String(s), Value::String(t), Value::Int(o)] => (s, t, *o),
        _ => return nso(),
    };
    let runes: Vec<char> = s.chars().collect();
    let subr: Vec<char> = sub.chars().collect();
    if off < 0 || off > runes.len() as i64 {
        return range_err(off);
    }
    let off = off as usize;
    if subr.is_empty() {
        return Ok(Value::Int(off as i64));
    }
    if subr.len() > runes.len() {
        return Ok(Value::Int(-1));
    }
    for i in off..=(runes.len() - subr.len()) {
        if runes.get(i..i + subr.len()) == Some(&subr[..]) {
            return Ok(Value::Int(i as i64));
        }
    }
    Ok(Value::Int(-1))
}

fn last_index_of<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let runes_of = |s: &str| s.chars().collect::<Vec<char>>();
    let (s, sub, off) = match a {
        [Value::String(s), Value::String(t)] => {
            let n = s.chars().count() as i64;
            if t.is_empty() {
                return Ok(Value::Int(n));
            }
            (s, t, n - 1)
        }
        [Value::String(s), Value::String(t), Value::Int(o)] => (s, t, *o),
        _ => return nso(),
    };
    let runes = runes_of(s);
    let subr = runes_of(sub);
    if !subr.is_empty() && s.len() < sub.len() {
        return Ok(Value::Int(-1));
    }
    if off < 0 || off > runes.len() as i64 {
        return range_err(off);
    }
    if subr.is_empty() {
        return Ok(Value::Int(off));
    }
    if subr.len() > runes.len() {
        return Ok(Value::Int(-1));
    }
    let mut off = off as usize;
    if off > runes.len() - subr.len() {
        off = runes.len() - subr.len();
    }
    for i in (0..=off).rev() {
        if runes.get(i..i + subr.len()) == Some(&subr[..]) {
            return Ok(Value::Int(i as i64));
        }
    }
    Ok(Value::Int(-1))
}

fn replace<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    match a {
        [Value::String(s), Value::String(old), Value::String(new)] => {
            Ok(Value::string(s.replace(&**old, new)))
        }
        [
            Value::String(s),
            Value::String(old),
            Value::String(new),
            Value::Int(n),
        ] => {
            if *n < 0 {
                Ok(Value::string(s.replace(&**old, new)))
            } else {
                Ok(Value::string(s.replacen(&**old, new, *n as usize)))
            }
        }
        _ => nso(),
    }
}

/// Go's `strings.SplitN` (`n < 0`: all).
fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<char> = s.chars().collect();
        let mut out: Vec<String> = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            if n > 0 && out.len() as i64 == n - 1 {
                out.push(chars.get(i..).unwrap_or(&[]).iter().collect());
                return out;
            }
            out.push(c.to_string());
        }
        return out;
    }
    if n < 0 {
        s.split(sep).map(String::from).collect()
    } else {
        s.splitn(n as usize, sep).map(String::from).collect()
    }
}

fn split<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let parts = match a {
        [Value::String(s), Value::String(sep)] => go_split(s, sep, -1),
        [Value::String(s), Value::String(sep), Value::Int(n)] => go_split(s, sep, *n),
        _ => return nso(),
    };
    Ok(Value::list(parts.into_iter().map(Value::string).collect()))
}

fn substring<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let (s, start, end) = match a {
        [Value::String(s), Value::Int(st)] => (s, *st, None),
        [Value::String(s), Value::Int(st), Value::Int(e)] => (s, *st, Some(*e)),
        _ => return nso(),
    };
    let runes: Vec<char> = s.chars().collect();
    let l = runes.len() as i64;
    let end_v = end.unwrap_or(l);
    if let Some(e) = end
        && start > e
    {
        return Err(EvalError::new(format!(
            "invalid substring range. start: {start}, end: {e}"
        )));
    }
    if start < 0 || start > l {
        return range_err(start);
    }
    if end_v < 0 || end_v > l {
        return range_err(end_v);
    }
    Ok(Value::string(
        runes
            .get(start as usize..end_v as usize)
            .unwrap_or(&[])
            .iter()
            .collect::<String>(),
    ))
}

fn join<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let (l, sep): (&List<'a>, &str) = match a {
        [Value::List(l)] => (l, ""),
        [Value::List(l), Value::String(s)] => (l, s),
        _ => return nso(),
    };
    let mut out = String::new();
    for (i, v) in l.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        match v {
            Value::String(s) => out.push_str(&s),
            other => {
                return Err(EvalError::new(format!(
                    "join: invalid input: {}",
                    crate::stdlib::debug_string(&other)
                )));
            }
        }
    }
    Ok(Value::string(out))
}

fn quote<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let [Value::String(s)] = a else { return nso() };
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(Value::string(out))
}

fn fmt_err(msg: &str) -> EvalError {
    EvalError::new(format!("error during formatting: {msg}"))
}

fn special_double(d: f64) -> Option<String> {
    if d.is_nan() {
        Some("NaN".into())
    } else if d.is_infinite() {
        Some(if d > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        })
    } else {
        None
    }
}

/// The `%s` form of a value.
fn fmt_s(v: &Value<'_>) -> Result<String, EvalError> {
    Ok(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Uint(u) => u.to_string(),
        Value::Double(d) => special_double(*d).unwrap_or_else(|| format!("{d}")),
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::List(l) => {
            let parts: Result<Vec<String>, EvalError> = l.iter().map(|x| fmt_s(&x)).collect();
            format!("[{}]", parts?.join(", "))
        }
        Value::Map(m) => {
            let mut parts = Vec::new();
            for (k, v) in m.entries() {
                parts.push(format!("{}: {}", fmt_s(&k)?, fmt_s(&v)?));
            }
            parts.sort();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Timestamp(t) => t.to_rfc3339(),
        Value::Duration(d) => d.to_cel_string(),
        Value::Type(t) => t.name().to_string(),
        Value::Opaque(o) => o.to_display(),
        Value::Optional(_) => {
            return Err(fmt_err(
                "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given optional_type",
            ));
        }
    })
}

fn go_exp(d: f64, prec: usize) -> String {
    let s = format!("{d:.prec$e}");
    let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn format<'a>(_: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let [Value::String(f), Value::List(args)] = a else {
        return nso();
    };
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    let mut idx = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut prec: Option<usize> = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                p.push(d);
                chars.next();
            }
            prec = Some(p.parse().map_err(|_| {
                EvalError::new("could not parse formatting clause: invalid precision")
            })?);
        }
        let verb = chars.next().ok_or_else(|| {
            EvalError::new("could not parse formatting clause: unexpected end of string")
        })?;
        if !matches!(verb, 's' | 'd' | 'f' | 'e' | 'b' | 'o' | 'x' | 'X') {
            return Err(EvalError::new(format!(
                "could not parse formatting clause: unrecognized formatting clause \"{verb}\""
            )));
        }
        let arg = args
            .get(idx)
            .ok_or_else(|| EvalError::new(format!("index {idx} out of range")))?;
        idx += 1;
        let text = match verb {
            's' => fmt_s(&arg)?,
            'd' => match &arg {
                Value::Int(i) => i.to_string(),
                Value::Uint(u) => u.to_string(),
                Value::Double(d) if special_double(*d).is_some() => {
                    special_double(*d).unwrap_or_default()
                }
                other => {
                    return Err(fmt_err(&format!(
                        "decimal clause can only be used on integers, was given {}",
                        other.type_name()
                    )));
                }
            },
            'f' | 'e' => {
                let p = prec.unwrap_or(6);
                let d = match &arg {
                    Value::Int(i) => *i as f64,
                    Value::Uint(u) => *u as f64,
                    Value::Double(d) => *d,
                    other => {
                        let what = if verb == 'f' {
                            "fixed-point"
                        } else {
                            "scientific"
                        };
                        return Err(fmt_err(&format!(
                            "{what} clause can only be used on doubles, was given {}",
                            other.type_name()
                        )));
                    }
                };
                match special_double(d) {
                    Some(s) => s,
                    None if verb == 'f' => format!("{d:.p$}"),
                    None => go_exp(d, p),
                }
            }
            'b' => match &arg {
                Value::Int(i) => {
                    if *i < 0 {
                        format!("-{:b}", i.unsigned_abs())
                    } else {
                        format!("{i:b}")
                    }
                }
                Value::Uint(u) => format!("{u:b}"),
                Value::Bool(b) => u8::from(*b).to_string(),
                other => {
                    return Err(fmt_err(&format!(
                        "only integers and bools can be formatted as binary, was given {}",
                        other.type_name()
                    )));
                }
            },
            'o' => match &arg {
                Value::Int(i) => {
                    if *i < 0 {
                        format!("-{:o}", i.unsigned_abs())
                    } else {
                        format!("{i:o}")
                    }
                }
                Value::Uint(u) => format!("{u:o}"),
                other => {
                    return Err(fmt_err(&format!(
                        "octal clause can only be used on integers, was given {}",
                        other.type_name()
                    )));
                }
            },
            _ => {
                let s = match &arg {
                    Value::Int(i) => {
                        if *i < 0 {
                            format!("-{:x}", i.unsigned_abs())
                        } else {
                            format!("{i:x}")
                        }
                    }
                    Value::Uint(u) => format!("{u:x}"),
                    Value::String(s) => s.bytes().map(|b| format!("{b:02x}")).collect(),
                    Value::Bytes(b) => b.iter().map(|b| format!("{b:02x}")).collect(),
                    other => {
                        return Err(fmt_err(&format!(
                            "only integers, byte buffers, and strings can be formatted as hex, was given {}",
                            other.type_name()
                        )));
                    }
                };
                if verb == 'X' { s.to_uppercase() } else { s }
            }
        };
        out.push_str(&text);
    }
    let _ = format_double;
    Ok(Value::String(crate::value::Str::Owned(Arc::from(out))))
}
