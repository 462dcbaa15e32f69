//! The value-level vectors of `<conformance>/cel/k8s-library.json` (libraries quantity, ip,
//! cidr, urls, semver and format), evaluated without CEL: a small evaluator reads the calls and
//! method chains these vectors use and maps them onto palisade-core's functions.
//!
//! Vectors that need the CEL engine itself (a type checker for the compile-phase ones,
//! comprehensions, `type()`) are counted as skipped, with the reason. Every other vector must
//! pass. Reads `PALISADE_CONFORMANCE_DIR` (default: `../shared/conformance` beside the
//! workspace); without the data the test says it skipped, unless
//! `PALISADE_REQUIRE_CONFORMANCE=1`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use palisade_core::format::Format;
use palisade_core::net::{Cidr, Ip};
use palisade_core::quantity::{Format as QFormat, Quantity};
use palisade_core::semver::Semver;
use palisade_core::url::Url;
use serde_json::Value as Json;

#[derive(Debug, Clone)]
enum Val {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<Val>),
    Map(Vec<(Val, Val)>),
    Quantity(Quantity),
    Ip(Ip),
    Cidr(Cidr),
    Url(Url),
    Semver(Semver),
    Format(Format),
    Optional(Option<Box<Val>>),
}

type R = Result<Val, String>;

fn eq(a: &Val, b: &Val) -> Result<bool, String> {
    Ok(match (a, b) {
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::Int(x), Val::Int(y)) => x == y,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Quantity(x), Val::Quantity(y)) => x == y,
        (Val::Semver(x), Val::Semver(y)) => x == y,
        (Val::Ip(x), Val::Ip(y)) => x == y,
        (Val::Cidr(x), Val::Cidr(y)) => x == y,
        (Val::List(x), Val::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| eq(a, b).unwrap_or(false))
        }
        (Val::Map(x), Val::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .any(|(k2, v2)| eq(k, k2).unwrap_or(false) && eq(v, v2).unwrap_or(false))
                })
        }
        _ => return Err(format!("no such overload: {a:?} == {b:?}")),
    })
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(t.as_bytes()) {
            self.i += t.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> String {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        String::from_utf8(self.s[start..self.i].to_vec()).unwrap()
    }

    fn and(&mut self) -> R {
        let mut v = self.equality()?;
        while self.eat("&&") {
            let r = self.equality()?;
            v = match (v, r) {
                (Val::Bool(a), Val::Bool(b)) => Val::Bool(a && b),
                (a, b) => return Err(format!("no such overload: {a:?} && {b:?}")),
            };
        }
        Ok(v)
    }

    fn equality(&mut self) -> R {
        let l = self.postfix()?;
        if self.eat("==") {
            let r = self.postfix()?;
            return Ok(Val::Bool(eq(&l, &r)?));
        }
        Ok(l)
    }

    fn args(&mut self) -> Result<Vec<Val>, String> {
        let mut out = Vec::new();
        if self.eat(")") {
            return Ok(out);
        }
        loop {
            out.push(self.and()?);
            if self.eat(")") {
                return Ok(out);
            }
            assert!(self.eat(","), "expected , at {}", self.i);
        }
    }

    fn postfix(&mut self) -> R {
        let mut v = self.primary()?;
        while self.eat(".") {
            let name = self.ident();
            assert!(self.eat("("), "expected ( after .{name}");
            let args = self.args()?;
            v = method(v, &name, args)?;
        }
        Ok(v)
    }

    fn primary(&mut self) -> R {
        self.ws();
        let c = self.s[self.i];
        if c == b'\'' || c == b'"' {
            self.i += 1;
            let start = self.i;
            while self.s[self.i] != c {
                self.i += 1;
            }
            let text = String::from_utf8(self.s[start..self.i].to_vec()).unwrap();
            self.i += 1;
            return Ok(Val::Str(text.replace("\\n", "\n")));
        }
        if c.is_ascii_digit() || c == b'-' {
            let start = self.i;
            self.i += 1;
            while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
                self.i += 1;
            }
            let t = std::str::from_utf8(&self.s[start..self.i]).unwrap();
            return Ok(Val::Int(t.parse().unwrap()));
        }
        if self.eat("(") {
            let v = self.and()?;
            assert!(self.eat(")"));
            return Ok(v);
        }
        if self.eat("[") {
            let mut items = Vec::new();
            while !self.eat("]") {
                items.push(self.and()?);
                self.eat(",");
            }
            return Ok(Val::List(items));
        }
        if self.eat("{") {
            let mut entries = Vec::new();
            while !self.eat("}") {
                let k = self.and()?;
                assert!(self.eat(":"));
                let v = self.and()?;
                entries.push((k, v));
                self.eat(",");
            }
            return Ok(Val::Map(entries));
        }
        let mut name = self.ident();
        match name.as_str() {
            "true" => return Ok(Val::Bool(true)),
            "false" => return Ok(Val::Bool(false)),
            _ => {}
        }
        // Namespaced functions: ip.isCanonical, format.named, format.dns1123Label, …
        if (name == "ip" || name == "format") && self.s[self.i] == b'.' {
            self.i += 1;
            name = format!("{name}.{}", self.ident());
        }
        assert!(self.eat("("), "expected ( after {name}");
        let args = self.args()?;
        call(&name, args)
    }
}

fn s(v: &Val) -> Result<&str, String> {
    match v {
        Val::Str(s) => Ok(s),
        other => Err(format!(
            "found no matching overload for a {other:?} argument"
        )),
    }
}

fn call(name: &str, args: Vec<Val>) -> R {
    let a0 = args.first().cloned().unwrap_or(Val::Bool(false));
    let normalize = matches!(args.get(1), Some(Val::Bool(true)));
    Ok(match name {
        "quantity" => Val::Quantity(Quantity::parse(s(&a0)?).map_err(|e| e.to_string())?),
        "isQuantity" => Val::Bool(Quantity::parse(s(&a0)?).is_ok()),
        "ip" => Val::Ip(Ip::parse(s(&a0)?).map_err(|e| e.to_string())?),
        "isIP" => Val::Bool(Ip::parse(s(&a0)?).is_ok()),
        "ip.isCanonical" => Val::Bool(Ip::is_canonical(s(&a0)?).map_err(|e| e.to_string())?),
        "cidr" => Val::Cidr(Cidr::parse(s(&a0)?).map_err(|e| e.to_string())?),
        "url" => Val::Url(Url::parse(s(&a0)?).map_err(|e| e.to_string())?),
        "isURL" => Val::Bool(Url::is_valid(s(&a0)?)),
        "semver" if normalize => {
            Val::Semver(Semver::parse_normalized(s(&a0)?).map_err(|e| e.to_string())?)
        }
        "semver" => Val::Semver(Semver::parse(s(&a0)?).map_err(|e| e.to_string())?),
        "isSemver" if normalize => Val::Bool(Semver::parse_normalized(s(&a0)?).is_ok()),
        "isSemver" => Val::Bool(Semver::parse(s(&a0)?).is_ok()),
        "string" => Val::Str(match &a0 {
            Val::Ip(ip) => ip.to_string(),
            Val::Cidr(c) => c.to_string(),
            other => return Err(format!("string({other:?})")),
        }),
        "format.named" => Val::Optional(Format::named(s(&a0)?).map(|f| Box::new(Val::Format(f)))),
        f if f.starts_with("format.") => Val::Format(
            Format::named(&f["format.".len()..]).ok_or_else(|| format!("undeclared {f}"))?,
        ),
        other => return Err(format!("undeclared reference to '{other}'")),
    })
}

fn ord(o: std::cmp::Ordering) -> i64 {
    o as i64
}

fn method(recv: Val, name: &str, args: Vec<Val>) -> R {
    let arg = args.into_iter().next();
    Ok(match (recv, name, arg) {
        (Val::Quantity(q), "isLessThan", Some(Val::Quantity(o))) => Val::Bool(q < o),
        (Val::Quantity(q), "isGreaterThan", Some(Val::Quantity(o))) => Val::Bool(q > o),
        (Val::Quantity(q), "compareTo", Some(Val::Quantity(o))) => Val::Int(ord(q.cmp(&o))),
        (Val::Quantity(q), "add", Some(Val::Quantity(o))) => {
            Val::Quantity(q.checked_add(&o).map_err(|e| e.to_string())?)
        }
        (Val::Quantity(q), "sub", Some(Val::Quantity(o))) => {
            Val::Quantity(q.checked_sub(&o).map_err(|e| e.to_string())?)
        }
        (Val::Quantity(q), "add", Some(Val::Int(i))) => Val::Quantity(
            q.checked_add(&Quantity::from_i64(i, QFormat::DecimalExponent))
                .map_err(|e| e.to_string())?,
        ),
        (Val::Quantity(q), "sub", Some(Val::Int(i))) => Val::Quantity(
            q.checked_sub(&Quantity::from_i64(i, QFormat::DecimalExponent))
                .map_err(|e| e.to_string())?,
        ),
        (Val::Quantity(q), "asInteger", None) => {
            Val::Int(q.as_i64().ok_or("cannot convert value to integer")?)
        }
        (Val::Quantity(q), "isInteger", None) => Val::Bool(q.is_integer()),
        (Val::Quantity(q), "asApproximateFloat", None) => Val::Float(q.as_approximate_f64()),
        (Val::Quantity(q), "sign", None) => Val::Int(i64::from(q.sign())),
        (Val::Ip(ip), "family", None) => Val::Int(ip.family().number()),
        (Val::Ip(ip), "isUnspecified", None) => Val::Bool(ip.is_unspecified()),
        (Val::Ip(ip), "isLoopback", None) => Val::Bool(ip.is_loopback()),
        (Val::Ip(ip), "isLinkLocalMulticast", None) => Val::Bool(ip.is_link_local_multicast()),
        (Val::Ip(ip), "isLinkLocalUnicast", None) => Val::Bool(ip.is_link_local_unicast()),
        (Val::Ip(ip), "isGlobalUnicast", None) => Val::Bool(ip.is_global_unicast()),
        (Val::Cidr(c), "containsIP", Some(Val::Ip(ip))) => Val::Bool(c.contains_ip(&ip)),
        (Val::Cidr(c), "containsIP", Some(Val::Str(t))) => {
            Val::Bool(c.contains_ip(&Ip::parse(&t).map_err(|e| e.to_string())?))
        }
        (Val::Cidr(c), "containsCIDR", Some(Val::Cidr(o))) => Val::Bool(c.contains_cidr(&o)),
        (Val::Cidr(c), "containsCIDR", Some(Val::Str(t))) => {
            Val::Bool(c.contains_cidr(&Cidr::parse(&t).map_err(|e| e.to_string())?))
        }
        (Val::Cidr(c), "ip", None) => Val::Ip(c.ip()),
        (Val::Cidr(c), "masked", None) => Val::Cidr(c.masked()),
        (Val::Cidr(c), "prefixLength", None) => Val::Int(i64::from(c.prefix_length())),
        (Val::Url(u), "getScheme", None) => Val::Str(u.scheme().to_owned()),
        (Val::Url(u), "getHost", None) => Val::Str(u.host().into_owned()),
        (Val::Url(u), "getHostname", None) => Val::Str(u.hostname().into_owned()),
        (Val::Url(u), "getPort", None) => Val::Str(u.port().to_owned()),
        (Val::Url(u), "getEscapedPath", None) => Val::Str(u.escaped_path()),
        (Val::Url(u), "getQuery", None) => Val::Map(
            u.query()
                .into_iter()
                .map(|(k, vs)| {
                    (
                        Val::Str(k),
                        Val::List(vs.into_iter().map(Val::Str).collect()),
                    )
                })
                .collect(),
        ),
        (Val::Semver(v), "compareTo", Some(Val::Semver(o))) => Val::Int(ord(v.cmp(&o))),
        (Val::Semver(v), "isLessThan", Some(Val::Semver(o))) => Val::Bool(v < o),
        (Val::Semver(v), "isGreaterThan", Some(Val::Semver(o))) => Val::Bool(v > o),
        (Val::Semver(v), "major", None) => Val::Int(v.major() as i64),
        (Val::Semver(v), "minor", None) => Val::Int(v.minor() as i64),
        (Val::Semver(v), "patch", None) => Val::Int(v.patch() as i64),
        (Val::Format(f), "validate", Some(Val::Str(t))) => {
            let errs = f.validate(&t);
            Val::Optional(
                (!errs.is_empty())
                    .then(|| Box::new(Val::List(errs.into_iter().map(Val::Str).collect()))),
            )
        }
        (Val::Optional(o), "hasValue", None) => Val::Bool(o.is_some()),
        (Val::Optional(o), "value", None) => *o.ok_or("optional.none() dereference")?,
        (recv, name, arg) => {
            return Err(format!(
                "found no matching overload for '{name}' on {recv:?} with {arg:?}"
            ));
        }
    })
}

fn json_eq(v: &Val, j: &Json) -> bool {
    match (v, j) {
        (Val::Bool(b), Json::Bool(e)) => b == e,
        (Val::Int(i), Json::Number(n)) => n.as_i64() == Some(*i),
        (Val::Float(f), Json::Number(n)) => n.as_f64() == Some(*f) && !n.is_i64(),
        (Val::Str(s), Json::String(e)) => s == e,
        (Val::List(l), Json::Array(a)) => {
            l.len() == a.len() && l.iter().zip(a).all(|(v, j)| json_eq(v, j))
        }
        _ => false,
    }
}

const LIBRARIES: [&str; 6] = ["quantity", "ip", "cidr", "urls", "semver", "format"];

#[test]
fn k8s_library_value_vectors() {
    let Some(dir) = palisade_testing::conformance_dir("cel/k8s-library.json") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("cel/k8s-library.json")).unwrap();
    let vectors: Vec<Json> = serde_json::from_str(&text).unwrap();
    // library -> (passed, failed, skipped)
    let mut counts: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for (index, v) in vectors.iter().enumerate() {
        let library = v["library"].as_str().unwrap();
        let Some(lib) = LIBRARIES.iter().find(|l| **l == library) else {
            continue;
        };
        let entry = counts.entry(lib).or_default();
        let expr = v["expr"].as_str().unwrap();
        let skip = if v["error_phase"] == "compile" {
            Some("needs the CEL type checker")
        } else if expr.contains(".all(") {
            Some("needs CEL comprehensions")
        } else if expr.contains("type(") {
            Some("needs CEL type values")
        } else {
            None
        };
        if let Some(reason) = skip {
            println!("skip {library}#{index} ({reason}): {expr}");
            entry.2 += 1;
            continue;
        }
        let mut parser = Parser {
            s: expr.as_bytes(),
            i: 0,
        };
        let result = parser.and();
        let ok = match (&result, v["expect_error"].as_str()) {
            (Err(e), Some(want)) => e.contains(want),
            (Ok(value), None) => json_eq(value, &v["expect"]),
            _ => false,
        };
        if ok {
            entry.0 += 1;
        } else {
            entry.1 += 1;
            failures.push(format!(
                "{library}#{index}: {expr}\n    got {result:?}, want {} / {}",
                v["expect"], v["expect_error"]
            ));
        }
    }
    let mut total = (0, 0, 0);
    for (lib, (p, f, s)) in &counts {
        println!("core {lib}: passed {p}, failed {f}, skipped {s}");
        total = (total.0 + p, total.1 + f, total.2 + s);
    }
    println!(
        "core k8s-library value vectors: passed {}, failed {}, skipped {}",
        total.0, total.1, total.2
    );
    for f in &failures {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} vectors failed", failures.len());
    assert!(
        total.0 >= 202,
        "expected at least 202 evaluable vectors, got {}",
        total.0
    );
}
