//! The named formats of the Kubernetes CEL `format` library (`format.dns1123Label()`, …,
//! `format.named("uuid")`), each validating a string with the messages the API server returns.
//!
//! ```
//! use palisade_core::format::Format;
//!
//! assert!(Format::Dns1123Label.validate("my-label-name").is_empty());
//! assert_eq!(Format::Byte.validate("aGVsbG8"), vec!["invalid base64"]);
//! assert_eq!(Format::named("uuid"), Some(Format::Uuid));
//! assert_eq!(Format::named("unknown"), None);
//! ```

use crate::validation::{
    is_qualified_name, is_valid_label_value, name_is_dns_label, name_is_dns_subdomain,
    name_is_dns1035_label,
};

/// A named format. Two formats are equal when their names are (as upstream compares them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `dns1123Label`: a DNS-1123 label (object names of most kinds).
    Dns1123Label,
    /// `dns1123Subdomain`: a DNS-1123 subdomain.
    Dns1123Subdomain,
    /// `dns1035Label`: a DNS-1035 label (Service names).
    Dns1035Label,
    /// `qualifiedName`: a label key / annotation key.
    QualifiedName,
    /// `dns1123LabelPrefix`: a `generateName` prefix for DNS-1123 label names.
    Dns1123LabelPrefix,
    /// `dns1123SubdomainPrefix`: a `generateName` prefix for DNS-1123 subdomain names.
    Dns1123SubdomainPrefix,
    /// `dns1035LabelPrefix`: a `generateName` prefix for DNS-1035 label names.
    Dns1035LabelPrefix,
    /// `labelValue`: a label value.
    LabelValue,
    /// `uri`: what Go's `url.ParseRequestURI` accepts.
    Uri,
    /// `uuid`: 32 hex digits, optionally dashed 8-4-4-4-12, any case.
    Uuid,
    /// `byte`: padded standard base64.
    Byte,
    /// `date`: an RFC 3339 full-date (`2006-01-02`).
    Date,
    /// `datetime`: an RFC 3339 date-time, as kube-openapi checks it.
    DateTime,
}

impl Format {
    /// Every format, in upstream's declaration order.
    pub const ALL: [Format; 13] = [
        Format::Dns1123Label,
        Format::Dns1123Subdomain,
        Format::Dns1035Label,
        Format::QualifiedName,
        Format::Dns1123LabelPrefix,
        Format::Dns1123SubdomainPrefix,
        Format::Dns1035LabelPrefix,
        Format::LabelValue,
        Format::Uri,
        Format::Uuid,
        Format::Byte,
        Format::Date,
        Format::DateTime,
    ];

    /// The format with this library name (`format.named(name)`), if any.
    pub fn named(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.library_name() == name)
    }

    /// The name in the CEL library (`format.<name>()`, `format.named("<name>")`).
    pub fn library_name(self) -> &'static str {
        match self {
            Format::Dns1123Label => "dns1123Label",
            Format::Dns1123Subdomain => "dns1123Subdomain",
            Format::Dns1035Label => "dns1035Label",
            Format::QualifiedName => "qualifiedName",
            Format::Dns1123LabelPrefix => "dns1123LabelPrefix",
            Format::Dns1123SubdomainPrefix => "dns1123SubdomainPrefix",
            Format::Dns1035LabelPrefix => "dns1035LabelPrefix",
            Format::LabelValue => "labelValue",
            Format::Uri => "uri",
            Format::Uuid => "uuid",
            Format::Byte => "byte",
            Format::Date => "date",
            Format::DateTime => "datetime",
        }
    }

    /// The format's `Name` upstream (`DNS1123Label`, …, `uuid`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Dns1123Label => "DNS1123Label",
            Format::Dns1123Subdomain => "DNS1123Subdomain",
            Format::Dns1035Label => "DNS1035Label",
            Format::QualifiedName => "QualifiedName",
            Format::Dns1123LabelPrefix => "DNS1123LabelPrefix",
            Format::Dns1123SubdomainPrefix => "DNS1123SubdomainPrefix",
            Format::Dns1035LabelPrefix => "DNS1035LabelPrefix",
            Format::LabelValue => "LabelValue",
            Format::Uri => "URI",
            Format::Uuid => "uuid",
            Format::Byte => "byte",
            Format::Date => "date",
            Format::DateTime => "datetime",
        }
    }

    /// `MaxRegexSize` upstream, used by the CEL cost estimate of `validate`.
    pub fn max_regex_size(self) -> usize {
        match self {
            Format::Dns1123Label | Format::Dns1035Label => 30,
            Format::Dns1123LabelPrefix | Format::Dns1035LabelPrefix => 30,
            Format::Dns1123Subdomain | Format::QualifiedName | Format::Dns1123SubdomainPrefix => 60,
            Format::LabelValue => 40,
            Format::Uri => 1103,
            // len(strfmt.UUIDPattern)
            Format::Uuid => 70,
            Format::Byte => 84,
            // len(strfmt.DateTimePattern)
            Format::Date | Format::DateTime => 71,
        }
    }

    /// The problems with `s` (empty when it is valid), as `format.<name>().validate(s)` lists
    /// them.
    pub fn validate(self, s: &str) -> Vec<String> {
        let fail = |ok: bool, msg: &str| if ok { Vec::new() } else { vec![msg.to_owned()] };
        match self {
            Format::Dns1123Label => name_is_dns_label(s, false),
            Format::Dns1123Subdomain => name_is_dns_subdomain(s, false),
            Format::Dns1035Label => name_is_dns1035_label(s, false),
            Format::QualifiedName => is_qualified_name(s),
            Format::Dns1123LabelPrefix => name_is_dns_label(s, true),
            Format::Dns1123SubdomainPrefix => name_is_dns_subdomain(s, true),
            Format::Dns1035LabelPrefix => name_is_dns1035_label(s, true),
            Format::LabelValue => is_valid_label_value(s),
            Format::Uri => crate::url::request_uri_error(s).into_iter().collect(),
            Format::Uuid => fail(is_uuid(s), "does not match the UUID format"),
            Format::Byte => fail(is_base64(s), "invalid base64"),
            Format::Date => fail(is_date(s), "invalid date"),
            Format::DateTime => fail(is_date_time(s), "invalid datetime"),
        }
    }
}

/// `(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`.
fn is_uuid(s: &str) -> bool {
    let mut rest = s.as_bytes();
    for (i, n) in [8, 4, 4, 4, 12].into_iter().enumerate() {
        if i > 0
            && let Some(r) = rest.strip_prefix(b"-")
        {
            rest = r;
        }
        let Some((group, r)) = rest.split_at_checked(n) else {
            return false;
        };
        if !group.iter().all(u8::is_ascii_hexdigit) {
            return false;
        }
        rest = r;
    }
    rest.is_empty()
}

/// govalidator's `IsBase64`: groups of four from `[A-Za-z0-9+/]`, the last possibly padded.
fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return false;
    }
    let alpha = |c: &u8| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/';
    let (body, last) = b.split_at(b.len() - 4);
    if !body.iter().all(alpha) {
        return false;
    }
    match last {
        [a, b, b'=', b'='] => alpha(a) && alpha(b),
        [a, b, c, b'='] => alpha(a) && alpha(b) && alpha(c),
        _ => last.iter().all(alpha),
    }
}

/// Go's `time.Parse("2006-01-02", s)` succeeding: four-digit year, two-digit month 1–12 and a
/// two-digit day that exists in that month.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = b else {
        return false;
    };
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
    if !digits.iter().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let num = |cs: &[&u8]| {
        cs.iter()
            .fold(0_u32, |acc, c| acc * 10 + u32::from(**c - b'0'))
    };
    let (year, month, day) = (num(&[y0, y1, y2, y3]), num(&[m0, m1]), num(&[d0, d1]));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// kube-openapi's `IsDateTime`: lower-cased and split at `t`, the first part a date, the
/// second `hh:mm:ss`, an optional one character and digits, then `z` or `±hh:mm`.
fn is_date_time(s: &str) -> bool {
    if s.len() < 4 {
        return false;
    }
    // Go's strings.ToLower maps each rune to one rune.
    let lower: String = s
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let mut parts = lower.split('t');
    let (Some(date), Some(time)) = (parts.next(), parts.next()) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let b = time.as_bytes();
    let [h0, h1, b':', m0, m1, b':', s0, s1, rest @ ..] = b else {
        return false;
    };
    if ![h0, h1, m0, m1, s0, s1].iter().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let zone_ok = |z: &[u8]| match z {
        [b'z'] => true,
        [b'+' | b'-', a, b, b':', c, d] => [a, b, c, d].iter().all(|x| x.is_ascii_digit()),
        _ => false,
    };
    let fraction_ok = || {
        // One character (any but a newline), then at least one digit, then the zone.
        let Some(c) = time.get(8..).and_then(|t| t.chars().next()) else {
            return false;
        };
        if c == '\n' {
            return false;
        }
        let after = rest.get(c.len_utf8()..).unwrap_or_default();
        let n = after.iter().take_while(|x| x.is_ascii_digit()).count();
        n > 0 && zone_ok(after.get(n..).unwrap_or_default())
    };
    if !(zone_ok(rest) || fraction_ok()) {
        return false;
    }
    [h0, h1] <= [&b'2', &b'3'] && [m0, m1] <= [&b'5', &b'9'] && [s0, s1] <= [&b'5', &b'9']
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn names() {
        for f in Format::ALL {
            assert_eq!(Format::named(f.library_name()), Some(f));
        }
        assert_eq!(Format::named("DNS1123Label"), None);
        assert_eq!(Format::Uri.name(), "URI");
    }

    #[test]
    fn library_examples() {
        let valid = [
            (Format::Dns1123Label, "my-label-name"),
            (Format::Dns1123Subdomain, "apiextensions.k8s.io"),
            (Format::QualifiedName, "apiextensions.k8s.io/v1beta1"),
            (Format::Dns1123LabelPrefix, "my-label-prefix-"),
            (Format::Dns1123SubdomainPrefix, "mysubdomain.prefix.-"),
            (Format::Dns1035LabelPrefix, "my-label-prefix-"),
            (Format::Uri, "http://example.com"),
            (Format::Uuid, "123e4567-e89b-12d3-a456-426614174000"),
            (Format::Byte, "aGVsbG8="),
            (Format::Date, "2021-01-01"),
            (Format::DateTime, "2021-01-01T00:00:00Z"),
            (Format::LabelValue, "my-cool-label-Value"),
        ];
        for (f, s) in valid {
            assert!(f.validate(s).is_empty(), "{f:?} {s}");
        }
        assert_eq!(Format::Date.validate("2020-01-32"), vec!["invalid date"]);
        assert_eq!(
            Format::DateTime.validate("2020-01-32T00:00:00Z"),
            vec!["invalid datetime"]
        );
        assert_eq!(
            Format::Uri.validate("../x"),
            vec!["parse \"../x\": invalid URI for request"]
        );
        assert_eq!(
            Format::Uuid.validate("xyz"),
            vec!["does not match the UUID format"]
        );
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("123E4567E89B12D3A456426614174000"));
        assert!(is_uuid("123e4567-e89b12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567-e89b-12d3-a456-42661417400"));
        assert!(!is_uuid("123e4567--e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("g23e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid(""));
    }

    #[test]
    fn base64() {
        assert!(is_base64("aGVsbG8="));
        assert!(is_base64("aGVsbA=="));
        assert!(is_base64("aGVs"));
        assert!(is_base64("a+/b"));
        assert!(!is_base64("aGVsbG8"));
        assert!(!is_base64(""));
        assert!(!is_base64("===="));
        assert!(!is_base64("a==="));
        assert!(!is_base64("aG=sbG8="));
        assert!(!is_base64("aGVs_-=="));
    }

    #[test]
    fn dates() {
        assert!(is_date("2020-02-29"));
        assert!(!is_date("2019-02-29"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("1900-02-29"));
        assert!(is_date("0000-02-29"));
        assert!(!is_date("2020-13-01"));
        assert!(!is_date("2020-00-01"));
        assert!(!is_date("2020-01-00"));
        assert!(!is_date("2020-1-01"));
        assert!(!is_date("2020-01-01 "));
        assert!(!is_date("+020-01-01"));
    }

    #[test]
    fn date_times() {
        for ok in [
            "2021-01-01T00:00:00Z",
            "2021-01-01t23:59:59z",
            "2021-01-01T00:00:00.123Z",
            "2021-01-01T00:00:00+05:30",
            "2021-01-01T00:00:00,5-01:00",
            "2021-01-01T00:00:00ZTxyz",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2021-01-01",
            "2021-01-01T24:00:00Z",
            "2021-01-01T00:60:00Z",
            "2021-01-01T00:00:60Z",
            "2021-01-01T00:00:00",
            "2021-01-01T00:00:00.Z",
            "2021-01-01T00:00:00+0530",
            "2021-01-32T00:00:00Z",
            "2021-01-01T00:00:00\n5Z",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }
}
