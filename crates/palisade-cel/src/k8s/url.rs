//! URLs as Go's `net/url` parses them (`ParseRequestURI` to validate, `Parse` to split), for the
//! Kubernetes `url` library.

use super::types::UrlVal;

/// Why a URL does not parse (Go's `*url.Error` text).
fn err(op: &str, raw: &str, msg: &str) -> String {
    format!("{op} {}: {msg}", go_quote(raw))
}

fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.char_indices() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || c == '+' || c == '-' || c == '.' {
            if i == 0 {
                return Ok(("", raw));
            }
            continue;
        }
        if c == ':' {
            if i == 0 {
                return Err("missing protocol scheme".into());
            }
            return Ok((raw.get(..i).unwrap_or(""), raw.get(i + 1..).unwrap_or("")));
        }
        return Ok(("", raw));
    }
    Ok(("", raw))
}

fn unhex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Go's `url.unescape` for paths (`query`: `+` is a space).
pub(crate) fn unescape(s: &str, query: bool) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'%' => {
                let h = b.get(i + 1).copied().and_then(unhex);
                let l = b.get(i + 2).copied().and_then(unhex);
                match (h, l) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => {
                        let end = (i + 3).min(b.len());
                        return Err(format!(
                            "invalid URL escape {}",
                            go_quote(&String::from_utf8_lossy(b.get(i..end).unwrap_or(&[])))
                        ));
                    }
                }
                i += 3;
            }
            b'+' if query => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn valid_port(port: &str) -> bool {
    port.bytes().all(|b| b.is_ascii_digit())
}

fn parse_host(host: &str) -> Result<String, String> {
    if let Some(rest) = host.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return Err("missing ']' in host".into());
        };
        let after = rest.get(end + 1..).unwrap_or("");
        if !(after.is_empty() || after.starts_with(':') && valid_port(after.get(1..).unwrap_or("")))
        {
            return Err(format!("invalid port {} after host", go_quote(after)));
        }
        return Ok(host.to_string());
    }
    if let Some(i) = host.rfind(':') {
        let port = host.get(i..).unwrap_or("");
        if !valid_port(port.get(1..).unwrap_or("")) {
            return Err(format!("invalid port {} after host", go_quote(port)));
        }
    }
    unescape(host, false)
}

/// Parses as Go's `url.Parse` (`request`: as `url.ParseRequestURI`).
pub(crate) fn parse(raw: &str, request: bool) -> Result<UrlVal, String> {
    let op = "parse";
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(err(op, raw, "net/url: invalid control character in URL"));
    }
    let mut rest = raw;
    if !request && let Some(i) = rest.find('#') {
        rest = rest.get(..i).unwrap_or("");
    }
    if rest.is_empty() && request {
        return Err(err(op, raw, "empty url"));
    }
    if rest == "*" {
        return Ok(UrlVal {
            raw: raw.into(),
            scheme: String::new(),
            host: String::new(),
            path: "*".into(),
            raw_query: String::new(),
        });
    }
    let (scheme, after) = split_scheme(rest).map_err(|m| err(op, raw, &m))?;
    let scheme = scheme.to_ascii_lowercase();
    rest = after;
    let mut raw_query = String::new();
    if let Some(i) = rest.find('?') {
        raw_query = rest.get(i + 1..).unwrap_or("").to_string();
        rest = rest.get(..i).unwrap_or("");
    }
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            return Ok(UrlVal {
                raw: raw.into(),
                scheme,
                host: String::new(),
                path: String::new(),
                raw_query,
            });
        }
        if request {
            return Err(err(op, raw, "invalid URI for request"));
        }
        if let Some(colon) = rest.find(':')
            && rest.find('/').is_none_or(|slash| colon < slash)
        {
            return Err(err(
                op,
                raw,
                "first path segment in URL cannot contain colon",
            ));
        }
    }
    let mut host = String::new();
    if (!scheme.is_empty() || !request) && rest.starts_with("//") {
        let auth_rest = rest.get(2..).unwrap_or("");
        let end = auth_rest.find('/').unwrap_or(auth_rest.len());
        let authority = auth_rest.get(..end).unwrap_or("");
        rest = auth_rest.get(end..).unwrap_or("");
        let hostpart = match authority.rfind('@') {
            Some(i) => authority.get(i + 1..).unwrap_or(""),
            None => authority,
        };
        host = parse_host(hostpart).map_err(|m| err(op, raw, &m))?;
    }
    let path = unescape(rest, false).map_err(|m| err(op, raw, &m))?;
    Ok(UrlVal {
        raw: raw.into(),
        scheme,
        host,
        path,
        raw_query,
    })
}

/// Go's `URL.EscapedPath` for a path without a valid raw form.
pub(crate) fn escape_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Hostname without port or brackets.
pub(crate) fn hostname(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.find(']').and_then(|i| rest.get(..i)).unwrap_or(rest);
    }
    match host.rfind(':') {
        Some(i) => host.get(..i).unwrap_or(host),
        None => host,
    }
}

/// Port after the host, if any.
pub(crate) fn port(host: &str) -> &str {
    let after = match host.rfind(']') {
        Some(i) => host.get(i + 1..).unwrap_or(""),
        None => host,
    };
    match after.rfind(':') {
        Some(i) => after.get(i + 1..).unwrap_or(""),
        None => "",
    }
}

/// Go's `url.ParseQuery`: keys to values, in first-seen key order; bad pairs are skipped.
pub(crate) fn query(raw: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for part in raw.split('&') {
        if part.is_empty() || part.contains(';') {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let (Ok(k), Ok(v)) = (unescape(k, true), unescape(v, true)) else {
            continue;
        };
        match out.iter_mut().find(|(key, _)| *key == k) {
            Some((_, vals)) => vals.push(v),
            None => out.push((k, vec![v])),
        }
    }
    out
}
