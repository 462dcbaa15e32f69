//! The Kubernetes CEL libraries: lists, regex, urls, quantity, ip, cidr, semver, authz, format.
//! The domain logic of quantities, addresses and versions lives in `palisade-core`; this module
//! binds it to CEL functions with the upstream overloads and error texts.

use std::sync::Arc;

use palisade_core::net::{Cidr, Ip};
use palisade_core::quantity::{Format, Quantity};
use palisade_core::semver::Semver;

use palisade_core::url::Url;

use super::types::{
    AuthzKind, AuthzVal, CidrVal, FormatVal, IpVal, QuantityVal, SemverVal, UrlVal, get, wrap,
};
use crate::authz::Decision;
use crate::env::{Env, Rt};
use crate::error::EvalError;
use crate::stdlib::{nso, regex};
use crate::value::{Key, List, Map, OwnedMap, Value, compare, equals};

type R<'a> = Result<Value<'a>, EvalError>;

/// Kubernetes `lists` library (version 0, and `includes` from version 1).
pub(crate) fn register_lists(env: &mut Env, version: u32) {
    env.member("isSorted", |_, a| {
        let [Value::List(l)] = a else { return nso() };
        let items: Vec<Value<'_>> = l.iter().collect();
        for w in items.windows(2) {
            if let [x, y] = w
                && compare(x, y)?.is_gt()
            {
                return Ok(Value::Bool(false));
            }
        }
        Ok(Value::Bool(true))
    });
    env.member("sum", |_, a| {
        let [Value::List(l)] = a else { return nso() };
        let mut acc: Option<Value<'_>> = None;
        for v in l.iter() {
            if !matches!(
                v,
                Value::Int(_) | Value::Uint(_) | Value::Double(_) | Value::Duration(_)
            ) {
                return nso();
            }
            acc = Some(match acc {
                None => v,
                Some(x) => crate::stdlib::add_values(&x, &v)?,
            });
        }
        Ok(acc.unwrap_or(Value::Int(0)))
    });
    env.member("min", |_, a| extreme(a, "min", true));
    env.member("max", |_, a| extreme(a, "max", false));
    env.member("indexOf", |_, a| {
        let [Value::List(l), x] = a else { return nso() };
        Ok(Value::Int(
            l.iter()
                .position(|v| equals(&v, x))
                .map_or(-1, |i| i as i64),
        ))
    });
    env.member("lastIndexOf", |_, a| {
        let [Value::List(l), x] = a else { return nso() };
        let items: Vec<Value<'_>> = l.iter().collect();
        Ok(Value::Int(
            items
                .iter()
                .rposition(|v| equals(v, x))
                .map_or(-1, |i| i as i64),
        ))
    });
    if version >= 1 {
        env.member("includes", |_, a| match a {
            [Value::List(l), x] => Ok(Value::Bool(l.iter().any(|v| equals(&v, x)))),
            [t, x] => Ok(Value::Bool(equals(t, x))),
            _ => nso(),
        });
    }
}

fn extreme<'a>(a: &[Value<'a>], name: &str, min: bool) -> R<'a> {
    let [Value::List(l)] = a else { return nso() };
    let mut best: Option<Value<'a>> = None;
    for v in l.iter() {
        if matches!(
            v,
            Value::List(_) | Value::Map(_) | Value::Null | Value::Optional(_) | Value::Type(_)
        ) {
            return nso();
        }
        best = Some(match best {
            None => v,
            Some(b) => {
                let o = compare(&v, &b)?;
                if (min && o.is_lt()) || (!min && o.is_gt()) {
                    v
                } else {
                    b
                }
            }
        });
    }
    best.ok_or_else(|| EvalError::new(format!("{name} called on empty list")))
}

/// Kubernetes `regex` library: `find`, `findAll`.
pub(crate) fn register_regex(env: &mut Env) {
    env.member("find", |_, a| {
        let [Value::String(s), Value::String(p)] = a else {
            return nso();
        };
        let re = regex(p)?;
        Ok(Value::string(re.find(s).map_or("", |m| m.as_str())))
    });
    env.member("findAll", |_, a| {
        let (s, p, n) = match a {
            [Value::String(s), Value::String(p)] => (s, p, -1),
            [Value::String(s), Value::String(p), Value::Int(n)] => (s, p, *n),
            _ => return nso(),
        };
        let re = regex(p)?;
        if n == 0 {
            return Ok(Value::list(Vec::new()));
        }
        let limit = if n < 0 { usize::MAX } else { n as usize };
        Ok(Value::list(
            re.find_iter(s)
                .take(limit)
                .map(|m| Value::string(m.as_str()))
                .collect(),
        ))
    });
}

/// Kubernetes `urls` library.
pub(crate) fn register_urls(env: &mut Env) {
    env.global("url", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Url::parse(s)
            .map(|u| wrap(UrlVal(u, s.to_string())))
            .map_err(|e| EvalError::new(e.to_string()))
    });
    env.global("isURL", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Ok(Value::Bool(Url::is_valid(s)))
    });
    env.member("getScheme", |_, a| url_part(a, |u| u.scheme().to_string()));
    env.member("getHost", |_, a| url_part(a, |u| u.host().into_owned()));
    env.member("getHostname", |_, a| {
        url_part(a, |u| u.hostname().into_owned())
    });
    env.member("getPort", |_, a| url_part(a, |u| u.port().to_string()));
    env.member("getEscapedPath", |_, a| url_part(a, Url::escaped_path));
    env.member("getQuery", |_, a| {
        let [v] = a else { return nso() };
        let u = get::<UrlVal>(v).ok_or_else(EvalError::no_such_overload)?;
        let mut m = OwnedMap::default();
        for (k, vals) in u.0.query() {
            m.entries.push((
                Key::String(crate::value::Str::Owned(Arc::from(k))),
                Value::list(vals.into_iter().map(Value::string).collect()),
            ));
        }
        Ok(Value::Map(Map::Owned(Arc::new(m))))
    });
}

fn url_part<'a>(a: &[Value<'a>], f: impl Fn(&Url) -> String) -> R<'a> {
    let [v] = a else { return nso() };
    let u = get::<UrlVal>(v).ok_or_else(EvalError::no_such_overload)?;
    Ok(Value::string(f(&u.0)))
}

fn quantity_arg<'a>(v: &'a Value<'_>) -> Result<&'a Quantity, EvalError> {
    get::<QuantityVal>(v)
        .map(|q| &q.0)
        .ok_or_else(EvalError::no_such_overload)
}

fn quantity_operand(v: &Value<'_>) -> Result<Quantity, EvalError> {
    match v {
        Value::Int(i) => Ok(Quantity::from_i64(*i, Format::DecimalSI)),
        other => quantity_arg(other).cloned(),
    }
}

/// Kubernetes `quantity` library.
pub(crate) fn register_quantity(env: &mut Env) {
    env.global("quantity", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Quantity::parse(s)
            .map(|q| wrap(QuantityVal(q)))
            .map_err(|e| EvalError::new(e.to_string()))
    });
    env.global("isQuantity", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Ok(Value::Bool(Quantity::parse(s).is_ok()))
    });
    env.both("sign", |_, a| {
        let [q] = a else { return nso() };
        Ok(Value::Int(i64::from(quantity_arg(q)?.sign())))
    });
    env.member("isGreaterThan", |_, a| cmp2(a, |o| Value::Bool(o.is_gt())));
    env.member("isLessThan", |_, a| cmp2(a, |o| Value::Bool(o.is_lt())));
    env.member("compareTo", |_, a| cmp2(a, |o| Value::Int(o as i64)));
    env.member("asApproximateFloat", |_, a| {
        let [q] = a else { return nso() };
        Ok(Value::Double(quantity_arg(q)?.as_approximate_f64()))
    });
    env.member("asInteger", |_, a| {
        let [q] = a else { return nso() };
        quantity_arg(q)?
            .as_i64()
            .map(Value::Int)
            .ok_or_else(|| EvalError::new("cannot convert value to integer"))
    });
    env.member("isInteger", |_, a| {
        let [q] = a else { return nso() };
        Ok(Value::Bool(quantity_arg(q)?.as_i64().is_some()))
    });
    env.member("add", |_, a| {
        let [q, r] = a else { return nso() };
        let sum = quantity_arg(q)?
            .checked_add(&quantity_operand(r)?)
            .map_err(|e| EvalError::new(e.to_string()))?;
        Ok(wrap(QuantityVal(sum)))
    });
    env.member("sub", |_, a| {
        let [q, r] = a else { return nso() };
        let d = quantity_arg(q)?
            .checked_sub(&quantity_operand(r)?)
            .map_err(|e| EvalError::new(e.to_string()))?;
        Ok(wrap(QuantityVal(d)))
    });
}

fn cmp2<'a>(a: &[Value<'a>], f: impl Fn(std::cmp::Ordering) -> Value<'a>) -> R<'a> {
    let [x, y] = a else { return nso() };
    if let (Some(p), Some(q)) = (get::<QuantityVal>(x), get::<QuantityVal>(y)) {
        return Ok(f(p.0.compare(&q.0)));
    }
    if let (Some(p), Some(q)) = (get::<SemverVal>(x), get::<SemverVal>(y)) {
        return Ok(f(p.0.cmp(&q.0)));
    }
    nso()
}

fn ip_of<'a>(v: &'a Value<'_>) -> Result<&'a Ip, EvalError> {
    get::<IpVal>(v)
        .map(|i| &i.0)
        .ok_or_else(EvalError::no_such_overload)
}

fn cidr_of<'a>(v: &'a Value<'_>) -> Result<&'a Cidr, EvalError> {
    get::<CidrVal>(v)
        .map(|c| &c.0)
        .ok_or_else(EvalError::no_such_overload)
}

/// Kubernetes `ip` library.
pub(crate) fn register_ip(env: &mut Env) {
    env.global("ip", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Ip::parse(s)
            .map(|i| wrap(IpVal(i)))
            .map_err(|e| EvalError::new(e.to_string()))
    });
    env.global("isIP", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Ok(Value::Bool(Ip::parse(s).is_ok()))
    });
    env.global("ip.isCanonical", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Ip::is_canonical(s)
            .map(Value::Bool)
            .map_err(|e| EvalError::new(e.to_string()))
    });
    env.member("family", |_, a| {
        let [v] = a else { return nso() };
        Ok(Value::Int(ip_of(v)?.family().number()))
    });
    env.member("isUnspecified", |_, a| ip_pred(a, Ip::is_unspecified));
    env.member("isLoopback", |_, a| ip_pred(a, Ip::is_loopback));
    env.member("isLinkLocalMulticast", |_, a| {
        ip_pred(a, Ip::is_link_local_multicast)
    });
    env.member("isLinkLocalUnicast", |_, a| {
        ip_pred(a, Ip::is_link_local_unicast)
    });
    env.member("isGlobalUnicast", |_, a| ip_pred(a, Ip::is_global_unicast));
}

fn ip_pred<'a>(a: &[Value<'a>], f: fn(&Ip) -> bool) -> R<'a> {
    let [v] = a else { return nso() };
    Ok(Value::Bool(f(ip_of(v)?)))
}

/// Kubernetes `cidr` library.
pub(crate) fn register_cidr(env: &mut Env) {
    env.global("cidr", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Cidr::parse(s)
            .map(|c| wrap(CidrVal(c)))
            .map_err(|e| EvalError::new(e.to_string()))
    });
    env.global("isCIDR", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Ok(Value::Bool(Cidr::parse(s).is_ok()))
    });
    env.member("containsIP", |_, a| {
        let [c, x] = a else { return nso() };
        let c = cidr_of(c)?;
        let ip = match x {
            Value::String(s) => Ip::parse(s).map_err(|e| EvalError::new(e.to_string()))?,
            other => *ip_of(other)?,
        };
        Ok(Value::Bool(c.contains_ip(&ip)))
    });
    env.member("containsCIDR", |_, a| {
        let [c, x] = a else { return nso() };
        let c = cidr_of(c)?;
        let other = match x {
            Value::String(s) => Cidr::parse(s).map_err(|e| EvalError::new(e.to_string()))?,
            other => *cidr_of(other)?,
        };
        Ok(Value::Bool(c.contains_cidr(&other)))
    });
    env.member("ip", |_, a| {
        let [c] = a else { return nso() };
        Ok(wrap(IpVal(cidr_of(c)?.ip())))
    });
    env.member("masked", |_, a| {
        let [c] = a else { return nso() };
        Ok(wrap(CidrVal(cidr_of(c)?.masked())))
    });
    env.member("prefixLength", |_, a| {
        let [c] = a else { return nso() };
        Ok(Value::Int(i64::from(cidr_of(c)?.prefix_length())))
    });
}

/// Kubernetes `semver` library (version 1: with normalization).
pub(crate) fn register_semver(env: &mut Env) {
    env.global("semver", |_, a| {
        let parsed = match a {
            [Value::String(s)] => Semver::parse(s),
            [Value::String(s), Value::Bool(false)] => Semver::parse(s),
            [Value::String(s), Value::Bool(true)] => Semver::parse_normalized(s),
            _ => return nso(),
        };
        parsed
            .map(|v| wrap(SemverVal(v)))
            .map_err(|e| EvalError::new(e.to_string()))
    });
    env.global("isSemver", |_, a| match a {
        [Value::String(s)] | [Value::String(s), Value::Bool(false)] => {
            Ok(Value::Bool(Semver::parse(s).is_ok()))
        }
        [Value::String(s), Value::Bool(true)] => {
            Ok(Value::Bool(Semver::parse_normalized(s).is_ok()))
        }
        _ => nso(),
    });
    env.member("major", |_, a| semver_part(a, Semver::major));
    env.member("minor", |_, a| semver_part(a, Semver::minor));
    env.member("patch", |_, a| semver_part(a, Semver::patch));
}

fn semver_part<'a>(a: &[Value<'a>], f: fn(&Semver) -> u64) -> R<'a> {
    let [v] = a else { return nso() };
    let s = get::<SemverVal>(v).ok_or_else(EvalError::no_such_overload)?;
    i64::try_from(f(&s.0))
        .map(Value::Int)
        .map_err(|_| EvalError::new("integer overflow"))
}

fn authz_of<'v>(v: &'v Value<'_>, kind: fn(&AuthzKind) -> bool) -> Result<&'v AuthzVal, EvalError> {
    get::<AuthzVal>(v)
        .filter(|a| kind(&a.kind))
        .ok_or_else(EvalError::no_such_overload)
}

fn authz_step<'a>(
    a: &[Value<'a>],
    from: fn(&AuthzKind) -> bool,
    to: AuthzKind,
    set: fn(&mut crate::authz::Attributes, &str),
) -> R<'a> {
    let [v, Value::String(s)] = a else {
        return nso();
    };
    let base = authz_of(v, from)?;
    let mut attrs = (*base.attrs).clone();
    set(&mut attrs, s);
    Ok(wrap(AuthzVal {
        kind: to,
        attrs: Arc::new(attrs),
    }))
}

/// Kubernetes `authz` library (and its selectors from 1.31 when `selectors`).
pub(crate) fn register_authz(env: &mut Env, selectors: bool) {
    env.member("path", |_, a| {
        if let [_, Value::String(s)] = a
            && s.is_empty()
        {
            return Err(EvalError::new("path must not be empty"));
        }
        authz_step(
            a,
            |k| *k == AuthzKind::Authorizer,
            AuthzKind::Path,
            |x, s| x.path = s.to_string(),
        )
    });
    env.member("group", |_, a| {
        authz_step(
            a,
            |k| *k == AuthzKind::Authorizer,
            AuthzKind::Group,
            |x, s| x.api_group = s.to_string(),
        )
    });
    env.member("serviceAccount", |_, a| {
        let [v, Value::String(ns), Value::String(name)] = a else {
            return nso();
        };
        let base = authz_of(v, |k| *k == AuthzKind::Authorizer)?;
        if !palisade_core_dns1123_subdomain(ns) {
            return Err(EvalError::new("Invalid service account namespace"));
        }
        if !palisade_core_dns1123_subdomain(name) {
            return Err(EvalError::new("Invalid service account name"));
        }
        let mut attrs = (*base.attrs).clone();
        attrs.user = format!("system:serviceaccount:{ns}:{name}");
        attrs.groups = vec![
            "system:serviceaccounts".into(),
            format!("system:serviceaccounts:{ns}"),
            "system:authenticated".into(),
        ];
        attrs.extra = Vec::new();
        Ok(wrap(AuthzVal {
            kind: AuthzKind::Authorizer,
            attrs: Arc::new(attrs),
        }))
    });
    env.member("resource", |_, a| {
        if let [_, Value::String(s)] = a
            && s.is_empty()
        {
            return Err(EvalError::new("resource must not be empty"));
        }
        authz_step(
            a,
            |k| *k == AuthzKind::Group,
            AuthzKind::Resource,
            |x, s| x.resource = s.to_string(),
        )
    });
    env.member("subresource", |_, a| {
        authz_step(
            a,
            |k| *k == AuthzKind::Resource,
            AuthzKind::Resource,
            |x, s| x.subresource = s.to_string(),
        )
    });
    env.member("namespace", |_, a| {
        authz_step(
            a,
            |k| *k == AuthzKind::Resource,
            AuthzKind::Resource,
            |x, s| x.namespace = s.to_string(),
        )
    });
    env.member("name", |_, a| {
        authz_step(
            a,
            |k| *k == AuthzKind::Resource,
            AuthzKind::Resource,
            |x, s| x.name = s.to_string(),
        )
    });
    if selectors {
        env.member("fieldSelector", |_, a| {
            authz_step(
                a,
                |k| *k == AuthzKind::Resource,
                AuthzKind::Resource,
                |x, s| x.field_selector = Some(s.to_string()),
            )
        });
        env.member("labelSelector", |_, a| {
            authz_step(
                a,
                |k| *k == AuthzKind::Resource,
                AuthzKind::Resource,
                |x, s| x.label_selector = Some(s.to_string()),
            )
        });
    }
    env.member("check", check);
    env.impure("check");
    env.member("allowed", |_, a| {
        decision(a, |allowed, _, _| Value::Bool(allowed))
    });
    env.member("reason", |_, a| {
        decision(a, |_, reason, _| Value::string(reason))
    });
    env.member("errored", |_, a| {
        decision(a, |_, _, e| Value::Bool(e.is_some()))
    });
    env.member("error", |_, a| {
        decision(a, |_, _, e| Value::string(e.unwrap_or("")))
    });
}

fn palisade_core_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn check<'a>(rt: &mut Rt<'_>, a: &[Value<'a>]) -> R<'a> {
    let [v, Value::String(verb)] = a else {
        return nso();
    };
    let base = authz_of(v, |k| matches!(k, AuthzKind::Path | AuthzKind::Resource))?;
    let mut attrs = (*base.attrs).clone();
    attrs.verb = verb.to_string();
    let answer = rt.authorizer.authorize(&attrs);
    let kind = AuthzKind::Decision {
        allowed: answer.decision == Decision::Allow,
        reason: answer.reason,
        error: answer.error,
    };
    Ok(wrap(AuthzVal {
        kind,
        attrs: Arc::new(attrs),
    }))
}

fn decision<'a>(a: &[Value<'a>], f: fn(bool, &str, Option<&str>) -> Value<'a>) -> R<'a> {
    let [v] = a else { return nso() };
    let d = get::<AuthzVal>(v).ok_or_else(EvalError::no_such_overload)?;
    match &d.kind {
        AuthzKind::Decision {
            allowed,
            reason,
            error,
        } => Ok(f(*allowed, reason, error.as_deref())),
        _ => nso(),
    }
}

/// The element list of a list value.
#[allow(dead_code)]
pub(crate) fn items<'a>(l: &List<'a>) -> Vec<Value<'a>> {
    l.iter().collect()
}

/// Kubernetes `format` library: `format.named(name)`, `format.<name>()` and `validate`, over the
/// named formats of `palisade-core`.
pub(crate) fn register_format(env: &mut Env) {
    use palisade_core::format::Format;
    env.global("format.named", |_, a| {
        let [Value::String(s)] = a else { return nso() };
        Ok(Value::Optional(
            Format::named(s).map(|f| Arc::new(wrap(FormatVal(f)))),
        ))
    });
    macro_rules! named {
        ($($fn_name:literal => $variant:ident),* $(,)?) => {
            $(env.global($fn_name, |_, a| match a {
                [] => Ok(wrap(FormatVal(Format::$variant))),
                _ => nso(),
            });)*
        };
    }
    named!(
        "format.dns1123Label" => Dns1123Label,
        "format.dns1123Subdomain" => Dns1123Subdomain,
        "format.dns1035Label" => Dns1035Label,
        "format.qualifiedName" => QualifiedName,
        "format.dns1123LabelPrefix" => Dns1123LabelPrefix,
        "format.dns1123SubdomainPrefix" => Dns1123SubdomainPrefix,
        "format.dns1035LabelPrefix" => Dns1035LabelPrefix,
        "format.labelValue" => LabelValue,
        "format.uri" => Uri,
        "format.uuid" => Uuid,
        "format.byte" => Byte,
        "format.date" => Date,
        "format.datetime" => DateTime,
    );
    env.member("validate", |_, a| {
        let [f, Value::String(s)] = a else {
            return nso();
        };
        let f = get::<FormatVal>(f).ok_or_else(EvalError::no_such_overload)?;
        let problems = f.0.validate(s);
        Ok(Value::Optional(if problems.is_empty() {
            None
        } else {
            Some(Arc::new(Value::list(
                problems.into_iter().map(Value::string).collect(),
            )))
        }))
    });
}
