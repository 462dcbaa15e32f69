//! URLs as the Kubernetes CEL `url()` library reads them: Go's `net/url` (`ParseRequestURI`
//! to validate, then `Parse`), with `Hostname`, `Port`, `EscapedPath`, `Query` and `String`.
//!
//! Follows Go 1.26 `net/url`: IP literals in brackets must be IPv6 addresses, `http`/`https`
//! hosts may hold at most one colon, and a query with more than 10,000 parameters reads as
//! empty.
//!
//! ```
//! use palisade_core::url::Url;
//!
//! let u = Url::parse("https://user:pass@kubernetes.io:80/docs/home?k1=a&k2=b&k2=c#anchor").unwrap();
//! assert_eq!((u.scheme(), u.host().as_ref(), u.hostname().as_ref(), u.port()),
//!     ("https", "kubernetes.io:80", "kubernetes.io", "80"));
//! assert_eq!(u.escaped_path(), "/docs/home");
//! assert_eq!(u.query(), vec![("k1".into(), vec!["a".into()]), ("k2".into(), vec!["b".into(), "c".into()])]);
//! assert!(!Url::is_valid("../relative-path"));
//! ```

mod escape;

use std::borrow::Cow;
use std::fmt;

use escape::{Mode, escape, unescape, valid_encoded};

use crate::quote::GoQuoted;

/// Why a text is not a URL; `Display` is the exact text of the Kubernetes `url()` error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("URL parse error during conversion from string: parse {}: {reason}", GoQuoted(.input))]
pub struct UrlError {
    input: String,
    reason: String,
}

impl UrlError {
    /// The text Go's `url.Error` quotes (the input, or its part before `#`).
    pub fn input(&self) -> &str {
        &self.input
    }

    /// Go's explanation (`invalid URI for request`, `invalid port ":x" after host`, …).
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct UserInfo {
    username: Vec<u8>,
    password: Option<Vec<u8>>,
}

/// A parsed URL (Go's `url.URL`). Components are held decoded, as bytes, as Go holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    scheme: String,
    opaque: String,
    user: Option<UserInfo>,
    host: Vec<u8>,
    path: Vec<u8>,
    raw_path: Vec<u8>,
    force_query: bool,
    raw_query: String,
    fragment: Vec<u8>,
    raw_fragment: Vec<u8>,
    omit_host: bool,
}

fn lossy(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}

impl Url {
    /// Parses as the CEL `url()` does: `url.ParseRequestURI` must accept the text (an absolute
    /// URI or an absolute path, no fragment handling), then the value is `url.Parse`'s.
    pub fn parse(s: &str) -> Result<Url, UrlError> {
        parse(s, true).map_err(|reason| UrlError {
            input: s.to_owned(),
            reason,
        })?;
        let (before, fragment) = match s.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (s, None),
        };
        let mut url = parse(before, false).map_err(|reason| UrlError {
            input: before.to_owned(),
            reason,
        })?;
        if let Some(f) = fragment.filter(|f| !f.is_empty()) {
            let frag = unescape(f.as_bytes(), Mode::Fragment).map_err(|e| UrlError {
                input: s.to_owned(),
                reason: e.to_string(),
            })?;
            url.raw_fragment = if escape(&frag, Mode::Fragment).as_bytes() == f.as_bytes() {
                Vec::new()
            } else {
                f.as_bytes().to_vec()
            };
            url.fragment = frag;
        }
        Ok(url)
    }

    /// Whether `url.ParseRequestURI` accepts the text (the CEL `isURL`).
    pub fn is_valid(s: &str) -> bool {
        parse(s, true).is_ok()
    }

    /// The scheme, lower-cased (`""` for a path).
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The host with any port (`example.com:80`, `[::1]:80`).
    pub fn host(&self) -> Cow<'_, str> {
        lossy(&self.host)
    }

    /// The host without port and brackets (`Hostname()`).
    pub fn hostname(&self) -> Cow<'_, str> {
        lossy(split_host_port(&self.host).0)
    }

    /// The port, or `""` (`Port()`).
    pub fn port(&self) -> &str {
        std::str::from_utf8(split_host_port(&self.host).1).unwrap_or("")
    }

    /// The path, escaped (`EscapedPath()`).
    pub fn escaped_path(&self) -> String {
        if !self.raw_path.is_empty()
            && valid_encoded(&self.raw_path, Mode::Path)
            && unescape(&self.raw_path, Mode::Path).is_ok_and(|p| p == self.path)
        {
            return lossy(&self.raw_path).into_owned();
        }
        if self.path == b"*" {
            return "*".to_owned();
        }
        escape(&self.path, Mode::Path)
    }

    fn escaped_fragment(&self) -> String {
        if !self.raw_fragment.is_empty()
            && valid_encoded(&self.raw_fragment, Mode::Fragment)
            && unescape(&self.raw_fragment, Mode::Fragment).is_ok_and(|f| f == self.fragment)
        {
            return lossy(&self.raw_fragment).into_owned();
        }
        escape(&self.fragment, Mode::Fragment)
    }

    /// The query parameters (`Query()`: Go's `ParseQuery`, silently dropping malformed pairs),
    /// keys in order of first appearance, values in order.
    pub fn query(&self) -> Vec<(String, Vec<String>)> {
        parse_query(&self.raw_query)
    }

    /// The raw query, without `?`.
    pub fn raw_query(&self) -> &str {
        &self.raw_query
    }
}

/// The text of the error `url.ParseRequestURI` returns for `s` (`parse "…": …`), if any; the
/// `format.uri()` validator reports it as is.
pub fn request_uri_error(s: &str) -> Option<String> {
    parse(s, true)
        .err()
        .map(|reason| format!("parse {}: {reason}", GoQuoted(s)))
}

/// Go's `ParseQuery`, errors dropped.
fn parse_query(query: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    if query.matches('&').count() + 1 > 10_000 {
        return out;
    }
    for pair in query.split('&') {
        if pair.contains(';') || pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (Ok(k), Ok(v)) = (
            unescape(k.as_bytes(), Mode::QueryComponent),
            unescape(v.as_bytes(), Mode::QueryComponent),
        ) else {
            continue;
        };
        let (k, v) = (lossy(&k).into_owned(), lossy(&v).into_owned());
        match out.iter_mut().find(|(key, _)| *key == k) {
            Some((_, values)) => values.push(v),
            None => out.push((k, vec![v])),
        }
    }
    out
}

/// `splitHostPort`: a valid `:digits` suffix is the port; brackets are removed.
fn split_host_port(host: &[u8]) -> (&[u8], &[u8]) {
    let (mut h, mut port): (&[u8], &[u8]) = (host, b"");
    if let Some(colon) = host.iter().rposition(|&b| b == b':')
        && valid_optional_port(host.get(colon..).unwrap_or_default())
    {
        h = host.get(..colon).unwrap_or_default();
        port = host.get(colon + 1..).unwrap_or_default();
    }
    if h.len() >= 2 && h.starts_with(b"[") && h.ends_with(b"]") {
        h = h.get(1..h.len() - 1).unwrap_or_default();
    }
    (h, port)
}

fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' => {
                if i == 0 {
                    return Ok(("", raw));
                }
            }
            b':' => {
                if i == 0 {
                    return Err("missing protocol scheme".to_owned());
                }
                return Ok((raw.get(..i).unwrap_or(""), raw.get(i + 1..).unwrap_or("")));
            }
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

/// Go's `parse(rawURL, viaRequest)`; the error is the inner explanation.
fn parse(raw: &str, via_request: bool) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".to_owned());
    }
    if raw.is_empty() && via_request {
        return Err("empty url".to_owned());
    }
    let mut url = Url {
        scheme: String::new(),
        opaque: String::new(),
        user: None,
        host: Vec::new(),
        path: Vec::new(),
        raw_path: Vec::new(),
        force_query: false,
        raw_query: String::new(),
        fragment: Vec::new(),
        raw_fragment: Vec::new(),
        omit_host: false,
    };
    if raw == "*" {
        url.path = b"*".to_vec();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = rest.get(..rest.len() - 1).unwrap_or("");
    } else if let Some((r, q)) = rest.split_once('?') {
        url.raw_query = q.to_owned();
        rest = r;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_owned();
            return Ok(url);
        }
        if via_request {
            return Err("invalid URI for request".to_owned());
        }
        let segment = rest.split('/').next().unwrap_or("");
        if segment.contains(':') {
            return Err("first path segment in URL cannot contain colon".to_owned());
        }
    }
    let mut path = rest;
    if (!url.scheme.is_empty() || !via_request && !rest.starts_with("///"))
        && rest.starts_with("//")
    {
        let authority_and_path = rest.get(2..).unwrap_or("");
        let (authority, p) = match authority_and_path.find('/') {
            Some(i) => authority_and_path.split_at(i),
            None => (authority_and_path, ""),
        };
        path = p;
        let (user, host) = parse_authority(&url.scheme, authority)?;
        url.user = user;
        url.host = host;
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    let decoded = unescape(path.as_bytes(), Mode::Path).map_err(|e| e.to_string())?;
    url.raw_path = if escape(&decoded, Mode::Path) == path {
        Vec::new()
    } else {
        path.as_bytes().to_vec()
    };
    url.path = decoded;
    Ok(url)
}

fn parse_authority(scheme: &str, authority: &str) -> Result<(Option<UserInfo>, Vec<u8>), String> {
    let at = authority.rfind('@');
    let host_text = match at {
        Some(i) => authority.get(i + 1..).unwrap_or(""),
        None => authority,
    };
    let host = parse_host(scheme, host_text)?;
    let Some(i) = at else {
        return Ok((None, host));
    };
    let userinfo = authority.get(..i).unwrap_or("");
    if !valid_userinfo(userinfo) {
        return Err("net/url: invalid userinfo".to_owned());
    }
    let decode = |s: &str| unescape(s.as_bytes(), Mode::UserPassword).map_err(|e| e.to_string());
    let user = match userinfo.split_once(':') {
        None => UserInfo {
            username: decode(userinfo)?,
            password: None,
        },
        Some((u, p)) => UserInfo {
            username: decode(u)?,
            password: Some(decode(p)?),
        },
    };
    Ok((Some(user), host))
}

fn valid_userinfo(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '.'
                    | '_'
                    | ':'
                    | '~'
                    | '!'
                    | '$'
                    | '&'
                    | '\''
                    | '('
                    | ')'
                    | '*'
                    | '+'
                    | ','
                    | ';'
                    | '='
                    | '%'
                    | '@'
            )
    })
}

fn parse_host(scheme: &str, host: &str) -> Result<Vec<u8>, String> {
    let invalid_port = |p: &str| format!("invalid port {} after host", GoQuoted(p));
    match host.rfind('[') {
        Some(open) if open > 0 => return Err("invalid IP-literal".to_owned()),
        Some(_) => {
            let Some(close) = host.rfind(']') else {
                return Err("missing ']' in host".to_owned());
            };
            let colon_port = host.get(close + 1..).unwrap_or("");
            if !valid_optional_port(colon_port.as_bytes()) {
                return Err(invalid_port(colon_port));
            }
            let port = unescape(colon_port.as_bytes(), Mode::Host).map_err(|e| e.to_string())?;
            let hostname = host.get(1..close).unwrap_or("");
            let unescaped = match hostname.find("%25") {
                Some(z) => {
                    let mut h = unescape(hostname.get(..z).unwrap_or("").as_bytes(), Mode::Host)
                        .map_err(|e| e.to_string())?;
                    let zone = unescape(hostname.get(z..).unwrap_or("").as_bytes(), Mode::Zone)
                        .map_err(|e| e.to_string())?;
                    h.extend_from_slice(&zone);
                    h
                }
                None => unescape(hostname.as_bytes(), Mode::Host).map_err(|e| e.to_string())?,
            };
            let text = lossy(&unescaped).into_owned();
            match crate::net::parse_go_addr(&text) {
                Err(e) => return Err(format!("invalid host: {e}")),
                Ok(true) => return Err("invalid IP-literal".to_owned()),
                Ok(false) => {}
            }
            let mut out = b"[".to_vec();
            out.extend_from_slice(&unescaped);
            out.push(b']');
            out.extend_from_slice(&port);
            return Ok(out);
        }
        None => {
            if let Some(first) = host.find(':') {
                let last = host.rfind(':').unwrap_or(first);
                // Go 1.26: http and https hosts may not hold more than one colon.
                let i = if last != first && scheme != "http" && scheme != "https" {
                    last
                } else {
                    first
                };
                let colon_port = host.get(i..).unwrap_or("");
                if !valid_optional_port(colon_port.as_bytes()) {
                    return Err(invalid_port(colon_port));
                }
            }
        }
    }
    unescape(host.as_bytes(), Mode::Host).map_err(|e| e.to_string())
}

impl fmt::Display for Url {
    /// Go's `URL.String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = String::new();
        if !self.scheme.is_empty() {
            buf.push_str(&self.scheme);
            buf.push(':');
        }
        if !self.opaque.is_empty() {
            buf.push_str(&self.opaque);
        } else {
            let has_authority =
                !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some();
            let omitted = self.omit_host && self.host.is_empty() && self.user.is_none();
            if has_authority && !omitted {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    buf.push_str("//");
                }
                if let Some(user) = &self.user {
                    buf.push_str(&escape(&user.username, Mode::UserPassword));
                    if let Some(p) = &user.password {
                        buf.push(':');
                        buf.push_str(&escape(p, Mode::UserPassword));
                    }
                    buf.push('@');
                }
                if !self.host.is_empty() {
                    buf.push_str(&escape(&self.host, Mode::Host));
                }
            }
            let path = self.escaped_path();
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                buf.push('/');
            }
            if buf.is_empty() && path.split('/').next().unwrap_or("").contains(':') {
                buf.push_str("./");
            }
            buf.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            buf.push('?');
            buf.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            buf.push('#');
            buf.push_str(&self.escaped_fragment());
        }
        f.write_str(&buf)
    }
}

impl std::str::FromStr for Url {
    type Err = UrlError;
    fn from_str(s: &str) -> Result<Url, UrlError> {
        Url::parse(s)
    }
}

#[cfg(test)]
mod tests;
