//! apimachinery's name and label validators (`k8s.io/apimachinery/pkg/util/validation` and
//! `pkg/api/validate/content`), returning its exact messages in its order; an empty list means
//! valid.
//!
//! ```
//! use palisade_core::validation::{is_dns1123_label, is_qualified_name};
//!
//! assert!(is_dns1123_label("my-name").is_empty());
//! assert_eq!(is_dns1123_label("a.b"), vec!["must not contain dots"]);
//! assert_eq!(is_qualified_name("/x"), vec!["prefix part must be non-empty"]);
//! ```

/// `RegexError`: a message, its examples and the regular expression it stands for.
fn regex_error(msg: &str, re: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{re}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(e);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(re);
    out.push_str("')");
    out
}

/// `MaxLenError` of `util/validation` (counts characters).
fn max_len_chars(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `MaxLenError` of `api/validate/content` (counts bytes).
fn max_len_bytes(n: usize) -> String {
    format!("must be no more than {n} bytes")
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const C_IDENTIFIER_FMT: &str = "[A-Za-z_][A-Za-z0-9_]*";
const C_IDENTIFIER_MSG: &str = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";

/// The longest DNS-1123 label.
pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// The longest DNS-1123 subdomain.
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
/// The longest DNS-1035 label.
pub const DNS1035_LABEL_MAX_LENGTH: usize = 63;
/// The longest label value (and label key name part).
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;

/// `first (middle* last)?`, all ASCII: the shape of every regular expression here.
fn shaped(s: &str, first: fn(u8) -> bool, middle: fn(u8) -> bool, last: fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    match b {
        [] => false,
        [only] => first(*only),
        [f, mid @ .., l] => first(*f) && mid.iter().all(|&c| middle(c)) && last(*l),
    }
}

fn lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn lower_alnum_dash(c: u8) -> bool {
    lower_alnum(c) || c == b'-'
}

fn matches_dns1123_label(s: &str) -> bool {
    shaped(s, lower_alnum, lower_alnum_dash, lower_alnum)
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

fn matches_label_key_name(s: &str) -> bool {
    shaped(
        s,
        |c| c.is_ascii_alphanumeric(),
        |c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'),
        |c| c.is_ascii_alphanumeric(),
    )
}

/// `IsDNS1123Label`: at most 63 characters of `[a-z0-9-]`, alphanumeric at both ends.
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_chars(DNS1123_LABEL_MAX_LENGTH));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            errs.push("must not contain dots".to_owned());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `IsDNS1123Subdomain`: at most 253 characters, dot-separated DNS-1123 labels.
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_chars(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `IsDNS1123Subdomain` of `api/validate/content` (the label-key prefix check; counts bytes).
fn content_is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_bytes(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `IsDNS1035Label`: at most 63 characters of `[a-z0-9-]`, a letter first, alphanumeric last.
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1035_LABEL_MAX_LENGTH {
        errs.push(max_len_chars(DNS1035_LABEL_MAX_LENGTH));
    }
    if !shaped(
        value,
        |c| c.is_ascii_lowercase(),
        lower_alnum_dash,
        lower_alnum,
    ) {
        errs.push(regex_error(
            DNS1035_LABEL_MSG,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `IsQualifiedName` (= `IsLabelKey`): an optional DNS subdomain prefix and `/`, then a name
/// of at most 63 bytes.
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                errs.extend(
                    content_is_dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            max_len_bytes(LABEL_VALUE_MAX_LENGTH)
        ));
    }
    if !matches_label_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_MSG,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `IsValidLabelValue` (= `IsLabelValue`): empty, or at most 63 bytes shaped like a label key
/// name.
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_bytes(LABEL_VALUE_MAX_LENGTH));
    }
    if !value.is_empty() && !matches_label_key_name(value) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `IsCIdentifier`.
pub fn is_c_identifier(value: &str) -> Vec<String> {
    let ok = value
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_');
    if ok {
        return Vec::new();
    }
    vec![regex_error(
        C_IDENTIFIER_MSG,
        C_IDENTIFIER_FMT,
        &["my_name", "MY_NAME", "MyName"],
    )]
}

/// apimachinery's `maskTrailingDash`, used for `generateName` prefixes: a trailing `-` is
/// replaced, together with the character before it, by `a` (upstream drops two characters).
fn mask_trailing_dash(name: &str) -> Cow<'_, str> {
    if name.len() > 1 && name.ends_with('-') {
        // Upstream slices bytes; a cut inside a character makes an invalid name either way.
        let cut = name.len() - 2;
        let head = name.get(..cut).map_or_else(
            || String::from_utf8_lossy(name.as_bytes().get(..cut).unwrap_or_default()).into_owned(),
            str::to_owned,
        );
        return Cow::Owned(head + "a");
    }
    Cow::Borrowed(name)
}

use std::borrow::Cow;

/// `NameIsDNSLabel(name, prefix)`: [`is_dns1123_label`], for a `generateName` prefix when
/// `prefix` is true.
pub fn name_is_dns_label(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        return is_dns1123_label(&mask_trailing_dash(name));
    }
    is_dns1123_label(name)
}

/// `NameIsDNSSubdomain(name, prefix)`.
pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        return is_dns1123_subdomain(&mask_trailing_dash(name));
    }
    is_dns1123_subdomain(name)
}

/// `NameIsDNS1035Label(name, prefix)`.
pub fn name_is_dns1035_label(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        return is_dns1035_label(&mask_trailing_dash(name));
    }
    is_dns1035_label(name)
}

/// upstream `IsPathSegmentName` (`ValidatePathSegmentName(name, false)`): a name that can be
/// one segment of a URL path: not `.` or `..`, without `/` or `%`.
///
/// ```
/// use palisade_core::validation::is_path_segment_name;
/// assert!(is_path_segment_name("my-config").is_empty());
/// assert_eq!(is_path_segment_name("a/b%"), ["may not contain '/'", "may not contain '%'"]);
/// ```
pub fn is_path_segment_name(name: &str) -> Vec<String> {
    if name == "." || name == ".." {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|bad| name.contains(*bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    #[test]
    fn dns1123_label() {
        for ok in [
            "a",
            "ab",
            "abc",
            "a1",
            "a-1",
            "a--1--2--b",
            "0",
            "01",
            "1-2",
            &"a".repeat(63),
        ] {
            assert!(is_dns1123_label(ok).is_empty(), "{ok}");
        }
        assert_eq!(is_dns1123_label("contains a space"), vec![LABEL_MSG]);
        assert_eq!(is_dns1123_label(""), vec![LABEL_MSG]);
        assert_eq!(is_dns1123_label("A"), vec![LABEL_MSG]);
        assert_eq!(is_dns1123_label("-a"), vec![LABEL_MSG]);
        assert_eq!(is_dns1123_label("a-"), vec![LABEL_MSG]);
        assert_eq!(is_dns1123_label("a.b"), vec!["must not contain dots"]);
        assert_eq!(
            is_dns1123_label(&"a".repeat(64)),
            vec!["must be no more than 63 characters"]
        );
        assert_eq!(
            is_dns1123_label(&format!("{}.b", "a".repeat(64))),
            vec![
                "must be no more than 63 characters",
                "must not contain dots"
            ]
        );
    }

    #[test]
    fn dns1123_subdomain() {
        for ok in ["a", "a.b", "a-b.c-d", "1.2.3.4", "example.com"] {
            assert!(is_dns1123_subdomain(ok).is_empty(), "{ok}");
        }
        let msg = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        for bad in ["", "a..b", ".a", "a.", "A.b", "a_b", "contains a space"] {
            assert_eq!(is_dns1123_subdomain(bad), vec![msg], "{bad}");
        }
        assert_eq!(
            is_dns1123_subdomain(&"a".repeat(254)).first().unwrap(),
            "must be no more than 253 characters"
        );
    }

    #[test]
    fn dns1035_label() {
        assert!(is_dns1035_label("my-label-name").is_empty());
        assert_eq!(
            is_dns1035_label("1abc"),
            vec![
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
    }

    #[test]
    fn qualified_names() {
        for ok in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now-with-dashes/simple",
            "1-2-3-4.example.com/My.Name_x",
            "apiextensions.k8s.io/v1beta1",
            &"a".repeat(63),
        ] {
            assert!(is_qualified_name(ok).is_empty(), "{ok}");
        }
        let name_msg = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
        assert_eq!(is_qualified_name("contains a space"), vec![name_msg]);
        assert_eq!(is_qualified_name("nospecialchars%^=@"), vec![name_msg]);
        assert_eq!(
            is_qualified_name(""),
            vec!["name part must be non-empty", name_msg]
        );
        assert_eq!(
            is_qualified_name("/simple"),
            vec!["prefix part must be non-empty"]
        );
        assert_eq!(
            is_qualified_name("example.com/"),
            vec!["name part must be non-empty", name_msg]
        );
        assert_eq!(
            is_qualified_name(&"a".repeat(64)),
            vec!["name part must be no more than 63 bytes"]
        );
        assert_eq!(
            is_qualified_name("Example.com/x"),
            vec![
                "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        );
        assert_eq!(
            is_qualified_name("a/b/c"),
            vec![
                "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        );
    }

    #[test]
    fn label_values() {
        for ok in [
            "",
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "end-with-num-1",
            "1234",
            "my_cool.label-Value",
            &"a".repeat(63),
        ] {
            assert!(is_valid_label_value(ok).is_empty(), "{ok}");
        }
        let msg = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
        assert_eq!(
            is_valid_label_value("my-cool-label-Value!!\n\n!!!"),
            vec![msg]
        );
        assert_eq!(is_valid_label_value("-x"), vec![msg]);
        assert_eq!(is_valid_label_value("x\n"), vec![msg]);
        assert_eq!(
            is_valid_label_value(&"a".repeat(64)),
            vec!["must be no more than 63 bytes"]
        );
    }

    #[test]
    fn generate_name_prefixes() {
        assert!(name_is_dns_label("my-label-prefix-", true).is_empty());
        assert!(name_is_dns_subdomain("mysubdomain.prefix.-", true).is_empty());
        assert!(name_is_dns1035_label("my-label-prefix-", true).is_empty());
        assert_eq!(
            name_is_dns_label("contains a space-", true),
            vec![LABEL_MSG]
        );
        assert_eq!(name_is_dns_label("a-", false), vec![LABEL_MSG]);
        // Upstream drops the character before the dash too: "ab-" is checked as "aa".
        assert!(name_is_dns_label("a.-", true).is_empty());
        assert!(name_is_dns_label("-", true).len() == 1);
    }

    #[test]
    fn c_identifiers() {
        assert!(is_c_identifier("_my_name1").is_empty());
        assert_eq!(is_c_identifier("1x").len(), 1);
        assert_eq!(is_c_identifier("").len(), 1);
    }
}
