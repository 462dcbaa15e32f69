//! apimachinery's label validators (`k8s.io/apimachinery/pkg/api/validate/content`), with
//! their exact messages. Label selectors use them to validate requirement keys and values.

/// The label key format (a qualified name's name part).
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

/// The longest label value, and the longest name part of a label key.
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;

/// upstream `RegexError`: the message, the examples, then the regular expression.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let shown: Vec<String> = examples.iter().map(|e| format!("'{e}', ")).collect();
    format!(
        "{msg} (e.g. {}regex used for validation is '{fmt}')",
        shown.join(" or ")
    )
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} bytes")
}

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, the shape of label key names and label values.
fn is_label_word(s: &str) -> bool {
    let b = s.as_bytes();
    let edge = |c: &u8| c.is_ascii_alphanumeric();
    b.first().is_some_and(edge)
        && b.last().is_some_and(edge)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// upstream `IsDNS1123Subdomain` (content package): the length message, then the format one.
pub fn is_dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    let label = |l: &str| {
        let b = l.as_bytes();
        let edge = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        b.first().is_some_and(edge)
            && b.last().is_some_and(edge)
            && b.iter().all(|c| edge(c) || *c == b'-')
    };
    if !value.split('.').all(label) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// upstream `IsLabelKey` / `IsQualifiedName`: an optional DNS-subdomain prefix and `/`, then a
/// name of at most 63 characters.
///
/// ```
/// use palisade_core::validation::is_qualified_name;
/// assert!(is_qualified_name("example.com/MyName").is_empty());
/// assert_eq!(is_qualified_name("/a"), ["prefix part must be non-empty"]);
/// ```
pub fn is_qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                for m in is_dns1123_subdomain(prefix) {
                    errs.push(format!("prefix part {m}"));
                }
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
            max_len_error(LABEL_VALUE_MAX_LENGTH)
        ));
    }
    if !is_label_word(name) {
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

/// upstream `IsLabelValue`: empty, or at most 63 characters of the label shape.
///
/// ```
/// use palisade_core::validation::is_valid_label_value;
/// assert!(is_valid_label_value("").is_empty());
/// assert_eq!(is_valid_label_value("bad value").len(), 1);
/// ```
pub fn is_valid_label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_error(LABEL_VALUE_MAX_LENGTH));
    }
    if !value.is_empty() && !is_label_word(value) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

/// upstream `IsDNS1123Label`: at most 63 characters of lower-case alphanumerics and `-`,
/// alphanumeric at both ends; a valid subdomain with dots gets `must not contain dots`.
///
/// ```
/// use palisade_core::validation::is_dns1123_label;
/// assert!(is_dns1123_label("kube-system").is_empty());
/// assert_eq!(is_dns1123_label("a.b"), ["must not contain dots"]);
/// ```
pub fn is_dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    let b = value.as_bytes();
    let edge = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    let ok = b.first().is_some_and(edge)
        && b.last().is_some_and(edge)
        && b.iter().all(|c| edge(c) || *c == b'-');
    if !ok {
        // Only the format message of the subdomain check matters here, not its length one.
        let subdomain = is_dns1123_subdomain(value)
            .iter()
            .all(|m| m.starts_with("must be no more than"));
        if subdomain {
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

/// upstream `NameIsDNSLabel(name, false)`, the namespace name rule.
pub fn name_is_dns_label(name: &str) -> Vec<String> {
    is_dns1123_label(name)
}

/// The longest DNS-1035 label.
pub const DNS1035_LABEL_MAX_LENGTH: usize = 63;
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/// upstream `IsDNS1035Label`: at most 63 characters, a lower-case letter first, lower-case
/// alphanumerics or `-` after, an alphanumeric last.
///
/// ```
/// use palisade_core::validation::is_dns1035_label;
/// assert!(is_dns1035_label("v1beta1").is_empty());
/// assert_eq!(is_dns1035_label("1v").len(), 1);
/// ```
pub fn is_dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1035_LABEL_MAX_LENGTH {
        errs.push(max_len_error(DNS1035_LABEL_MAX_LENGTH));
    }
    let b = value.as_bytes();
    let ok = b.first().is_some_and(u8::is_ascii_lowercase)
        && b.last()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
    if !ok {
        errs.push(regex_error(
            DNS1035_LABEL_MSG,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
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

/// upstream `NameIsDNSSubdomain(name, prefix)`, the name rule of most objects: a DNS-1123
/// subdomain. For a `generateName` prefix (`prefix == true`) a trailing `-` is allowed, which
/// upstream checks by replacing the last two characters with `a`.
///
/// ```
/// use palisade_core::validation::name_is_dns_subdomain;
/// assert!(name_is_dns_subdomain("web-", true).is_empty());
/// assert_eq!(name_is_dns_subdomain("web-", false).len(), 1);
/// ```
pub fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    if prefix && name.len() > 1 && name.ends_with('-') {
        // upstream `maskTrailingDash`: `name[:len(name)-2] + "a"`.
        let cut = name.len() - 2;
        let masked = name
            .get(..cut)
            .map(|head| format!("{head}a"))
            .unwrap_or_else(|| {
                // `cut` splits a multi-byte character; upstream slices bytes and the
                // resulting invalid UTF-8 never matches the subdomain shape.
                "\u{fffd}".to_owned()
            });
        return is_dns1123_subdomain(&masked);
    }
    is_dns1123_subdomain(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_value_message_is_upstreams() {
        assert_eq!(
            is_valid_label_value("bad value"),
            [
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
            ]
        );
        assert_eq!(
            is_valid_label_value(&"a".repeat(64)),
            ["must be no more than 63 bytes"]
        );
    }

    #[test]
    fn qualified_names() {
        assert!(is_qualified_name("app.kubernetes.io/name").is_empty());
        assert!(is_qualified_name("a").is_empty());
        assert_eq!(is_qualified_name("a/b/c").len(), 1);
        assert_eq!(
            is_qualified_name("Bad_Prefix/x"),
            [
                "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            ]
        );
        assert_eq!(
            is_qualified_name(""),
            [
                "name part must be non-empty".to_owned(),
                format!(
                    "name part {}",
                    regex_error(
                        LABEL_KEY_MSG,
                        LABEL_KEY_FMT,
                        &["MyName", "my.name", "123-abc"]
                    )
                )
            ]
        );
    }

    #[test]
    fn dns1035_labels() {
        assert!(is_dns1035_label("a").is_empty());
        assert!(is_dns1035_label("a-1").is_empty());
        assert_eq!(
            is_dns1035_label("A"),
            [
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
        assert_eq!(is_dns1035_label("").len(), 1);
        assert_eq!(is_dns1035_label("a-").len(), 1);
        let long = is_dns1035_label(&"a".repeat(64));
        assert_eq!(long, ["must be no more than 63 bytes"]);
    }

    #[test]
    fn path_segment_names() {
        assert_eq!(is_path_segment_name(".."), ["may not be '..'"]);
        assert_eq!(is_path_segment_name("."), ["may not be '.'"]);
        assert!(is_path_segment_name("...").is_empty());
        assert!(is_path_segment_name("").is_empty());
    }

    #[test]
    fn dns_subdomain_names() {
        assert!(name_is_dns_subdomain("a.b-c", false).is_empty());
        assert!(name_is_dns_subdomain("ab-", true).is_empty());
        assert_eq!(name_is_dns_subdomain("-", true).len(), 1);
        assert_eq!(name_is_dns_subdomain("", false).len(), 1);
        assert_eq!(
            name_is_dns_subdomain(&"a".repeat(254), false),
            ["must be no more than 253 bytes"]
        );
        // Multi-byte text before the dash never panics.
        assert_eq!(name_is_dns_subdomain("é-", true).len(), 1);
    }

    #[test]
    fn dns1123_labels() {
        assert_eq!(is_dns1123_label("A").len(), 1);
        assert!(is_dns1123_label("A")[0].starts_with("a lowercase RFC 1123 label must"));
        assert_eq!(is_dns1123_label(""), is_dns1123_label("-"));
        assert!(is_dns1123_label("0a").is_empty());
    }
}
