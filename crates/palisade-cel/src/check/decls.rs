//! The checker's declarations: every overload of the standard library, the extensions and the
//! Kubernetes libraries, in the signature form cel-go prints (`(int, int) -> int`,
//! `list(A).(A) -> bool`).
//!
//! Gating comes from the runtime: a declaration applies in an environment only when that
//! environment registered an implementation of the function (global overloads when it has a
//! global implementation, receiver overloads when it has a receiver one), so the version tables
//! of `k8s/mod.rs` and the extension versions stay the one source of truth. A function the
//! runtime implements but this table does not describe checks as `dyn` (no error).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::types::{Overload, parse_signature};

/// Names whose overloads [`generated`] builds, parsed once with the table.
const GENERATED: &[&str] = &[
    "_<_",
    "_<=_",
    "_>_",
    "_>=_",
    "min",
    "max",
    "getFullYear",
    "getMonth",
    "getDayOfYear",
    "getDayOfMonth",
    "getDate",
    "getDayOfWeek",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
];

/// The parsed overloads of the libraries' function `name` (empty when it has none), parsed
/// once per process.
pub(crate) fn library_overloads(name: &str) -> Cow<'static, [Overload]> {
    static PARSED: OnceLock<HashMap<&'static str, Vec<Overload>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<Overload>> = TABLE
            .iter()
            .map(|(n, sigs)| (*n, sigs.iter().filter_map(|s| parse_signature(s)).collect()))
            .collect();
        for n in GENERATED {
            let sigs = generated(n).unwrap_or_default();
            m.insert(n, sigs.iter().filter_map(|s| parse_signature(s)).collect());
        }
        m
    });
    match parsed.get(name) {
        Some(o) => Cow::Borrowed(o.as_slice()),
        None => Cow::Owned(
            generated(name)
                .unwrap_or_default()
                .iter()
                .filter_map(|s| parse_signature(s))
                .collect(),
        ),
    }
}

/// Comparable types of the ordering operators and the Kubernetes list functions.
const ORDERED: &[&str] = &[
    "bool",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "google.protobuf.Timestamp",
    "google.protobuf.Duration",
];

/// Declarations with a fixed text, by function name.
pub(crate) const TABLE: &[(&str, &[&str])] = &[
    // Operators and logic.
    ("!_", &["(bool) -> bool"]),
    ("-_", &["(int) -> int", "(double) -> double"]),
    ("_&&_", &["(bool, bool) -> bool"]),
    ("_||_", &["(bool, bool) -> bool"]),
    ("_?_:_", &["(bool, A, A) -> A"]),
    ("_==_", &["(A, A) -> bool"]),
    ("_!=_", &["(A, A) -> bool"]),
    ("@not_strictly_false", &["(bool) -> bool"]),
    (
        "_+_",
        &[
            "(int, int) -> int",
            "(uint, uint) -> uint",
            "(double, double) -> double",
            "(string, string) -> string",
            "(bytes, bytes) -> bytes",
            "(list(A), list(A)) -> list(A)",
            "(google.protobuf.Timestamp, google.protobuf.Duration) -> google.protobuf.Timestamp",
            "(google.protobuf.Duration, google.protobuf.Timestamp) -> google.protobuf.Timestamp",
            "(google.protobuf.Duration, google.protobuf.Duration) -> google.protobuf.Duration",
        ],
    ),
    (
        "_-_",
        &[
            "(int, int) -> int",
            "(uint, uint) -> uint",
            "(double, double) -> double",
            "(google.protobuf.Timestamp, google.protobuf.Timestamp) -> google.protobuf.Duration",
            "(google.protobuf.Timestamp, google.protobuf.Duration) -> google.protobuf.Timestamp",
            "(google.protobuf.Duration, google.protobuf.Duration) -> google.protobuf.Duration",
        ],
    ),
    (
        "_*_",
        &[
            "(int, int) -> int",
            "(uint, uint) -> uint",
            "(double, double) -> double",
        ],
    ),
    (
        "_/_",
        &[
            "(int, int) -> int",
            "(uint, uint) -> uint",
            "(double, double) -> double",
        ],
    ),
    ("_%_", &["(int, int) -> int", "(uint, uint) -> uint"]),
    (
        "_[_]",
        &[
            "(list(A), int) -> A",
            "(map(K, V), K) -> V",
            "(optional_type(list(A)), int) -> optional_type(A)",
            "(optional_type(map(K, V)), K) -> optional_type(V)",
        ],
    ),
    (
        "_[?_]",
        &[
            "(list(A), int) -> optional_type(A)",
            "(map(K, V), K) -> optional_type(V)",
            "(optional_type(list(A)), int) -> optional_type(A)",
            "(optional_type(map(K, V)), K) -> optional_type(V)",
        ],
    ),
    ("@in", &["(A, list(A)) -> bool", "(A, map(A, B)) -> bool"]),
    (
        "size",
        &[
            "(string) -> int",
            "(bytes) -> int",
            "(list(A)) -> int",
            "(map(A, B)) -> int",
            "string.() -> int",
            "bytes.() -> int",
            "list(A).() -> int",
            "map(A, B).() -> int",
        ],
    ),
    // Conversions.
    (
        "int",
        &[
            "(int) -> int",
            "(uint) -> int",
            "(double) -> int",
            "(string) -> int",
            "(google.protobuf.Timestamp) -> int",
            "(google.protobuf.Duration) -> int",
        ],
    ),
    (
        "uint",
        &[
            "(uint) -> uint",
            "(int) -> uint",
            "(double) -> uint",
            "(string) -> uint",
        ],
    ),
    (
        "double",
        &[
            "(double) -> double",
            "(int) -> double",
            "(uint) -> double",
            "(string) -> double",
        ],
    ),
    (
        "string",
        &[
            "(string) -> string",
            "(bool) -> string",
            "(int) -> string",
            "(uint) -> string",
            "(double) -> string",
            "(bytes) -> string",
            "(google.protobuf.Timestamp) -> string",
            "(google.protobuf.Duration) -> string",
            "(net.IP) -> string",
            "(net.CIDR) -> string",
        ],
    ),
    ("bytes", &["(bytes) -> bytes", "(string) -> bytes"]),
    ("bool", &["(bool) -> bool", "(string) -> bool"]),
    (
        "timestamp",
        &[
            "(google.protobuf.Timestamp) -> google.protobuf.Timestamp",
            "(string) -> google.protobuf.Timestamp",
            "(int) -> google.protobuf.Timestamp",
        ],
    ),
    (
        "duration",
        &[
            "(google.protobuf.Duration) -> google.protobuf.Duration",
            "(string) -> google.protobuf.Duration",
        ],
    ),
    ("type", &["(A) -> type(A)"]),
    ("dyn", &["(A) -> dyn"]),
    // Strings of the standard library.
    ("contains", &["string.(string) -> bool"]),
    ("startsWith", &["string.(string) -> bool"]),
    ("endsWith", &["string.(string) -> bool"]),
    (
        "matches",
        &["(string, string) -> bool", "string.(string) -> bool"],
    ),
    // The strings extension.
    ("charAt", &["string.(int) -> string"]),
    (
        "indexOf",
        &[
            "string.(string) -> int",
            "string.(string, int) -> int",
            "list(A).(A) -> int",
        ],
    ),
    (
        "lastIndexOf",
        &[
            "string.(string) -> int",
            "string.(string, int) -> int",
            "list(A).(A) -> int",
        ],
    ),
    ("lowerAscii", &["string.() -> string"]),
    ("upperAscii", &["string.() -> string"]),
    (
        "replace",
        &[
            "string.(string, string) -> string",
            "string.(string, string, int) -> string",
        ],
    ),
    (
        "split",
        &[
            "string.(string) -> list(string)",
            "string.(string, int) -> list(string)",
        ],
    ),
    (
        "substring",
        &["string.(int) -> string", "string.(int, int) -> string"],
    ),
    ("trim", &["string.() -> string"]),
    (
        "join",
        &[
            "list(string).() -> string",
            "list(string).(string) -> string",
        ],
    ),
    ("strings.quote", &["(string) -> string"]),
    ("format", &["string.(list(dyn)) -> string"]),
    ("reverse", &["string.() -> string", "list(A).() -> list(A)"]),
    // Optional types.
    ("optional.of", &["(A) -> optional_type(A)"]),
    ("optional.ofNonZeroValue", &["(A) -> optional_type(A)"]),
    ("optional.none", &["() -> optional_type(A)"]),
    ("optional.unwrap", &["(list(optional_type(A))) -> list(A)"]),
    ("unwrapOpt", &["list(optional_type(A)).() -> list(A)"]),
    ("value", &["optional_type(A).() -> A"]),
    ("hasValue", &["optional_type(A).() -> bool"]),
    (
        "or",
        &["optional_type(A).(optional_type(A)) -> optional_type(A)"],
    ),
    ("orValue", &["optional_type(A).(A) -> A"]),
    // The encoders extension.
    ("base64.encode", &["(bytes) -> string"]),
    ("base64.decode", &["(string) -> bytes"]),
    // The math extension (greatest and least are variadic: they check as dyn).
    ("math.ceil", &["(double) -> double"]),
    ("math.floor", &["(double) -> double"]),
    ("math.round", &["(double) -> double"]),
    ("math.trunc", &["(double) -> double"]),
    ("math.isInf", &["(double) -> bool"]),
    ("math.isNaN", &["(double) -> bool"]),
    ("math.isFinite", &["(double) -> bool"]),
    (
        "math.abs",
        &["(int) -> int", "(uint) -> uint", "(double) -> double"],
    ),
    (
        "math.sign",
        &["(int) -> int", "(uint) -> uint", "(double) -> double"],
    ),
    (
        "math.sqrt",
        &["(int) -> double", "(uint) -> double", "(double) -> double"],
    ),
    (
        "math.bitAnd",
        &["(int, int) -> int", "(uint, uint) -> uint"],
    ),
    ("math.bitOr", &["(int, int) -> int", "(uint, uint) -> uint"]),
    (
        "math.bitXor",
        &["(int, int) -> int", "(uint, uint) -> uint"],
    ),
    ("math.bitNot", &["(int) -> int", "(uint) -> uint"]),
    (
        "math.bitShiftLeft",
        &["(int, int) -> int", "(uint, int) -> uint"],
    ),
    (
        "math.bitShiftRight",
        &["(int, int) -> int", "(uint, int) -> uint"],
    ),
    // The sets extension.
    ("sets.contains", &["(list(A), list(A)) -> bool"]),
    ("sets.equivalent", &["(list(A), list(A)) -> bool"]),
    ("sets.intersects", &["(list(A), list(A)) -> bool"]),
    // The lists extension.
    ("distinct", &["list(A).() -> list(A)"]),
    (
        "flatten",
        &["list(list(A)).() -> list(A)", "list(A).(int) -> list(dyn)"],
    ),
    ("lists.range", &["(int) -> list(int)"]),
    ("slice", &["list(A).(int, int) -> list(A)"]),
    ("sort", &["list(A).() -> list(A)"]),
    ("first", &["list(A).() -> optional_type(A)"]),
    ("last", &["list(A).() -> optional_type(A)"]),
    // Kubernetes lists.
    ("isSorted", &["list(A).() -> bool"]),
    (
        "sum",
        &[
            "list(int).() -> int",
            "list(uint).() -> uint",
            "list(double).() -> double",
            "list(google.protobuf.Duration).() -> google.protobuf.Duration",
        ],
    ),
    ("includes", &["list(A).(A) -> bool", "A.(A) -> bool"]),
    // Kubernetes regex.
    ("find", &["string.(string) -> string"]),
    (
        "findAll",
        &[
            "string.(string) -> list(string)",
            "string.(string, int) -> list(string)",
        ],
    ),
    // Kubernetes URLs.
    ("url", &["(string) -> kubernetes.URL"]),
    ("isURL", &["(string) -> bool"]),
    ("getScheme", &["kubernetes.URL.() -> string"]),
    ("getHost", &["kubernetes.URL.() -> string"]),
    ("getHostname", &["kubernetes.URL.() -> string"]),
    ("getPort", &["kubernetes.URL.() -> string"]),
    ("getEscapedPath", &["kubernetes.URL.() -> string"]),
    (
        "getQuery",
        &["kubernetes.URL.() -> map(string, list(string))"],
    ),
    // Kubernetes quantities.
    ("quantity", &["(string) -> kubernetes.Quantity"]),
    ("isQuantity", &["(string) -> bool"]),
    ("sign", &["kubernetes.Quantity.() -> int"]),
    ("asInteger", &["kubernetes.Quantity.() -> int"]),
    ("asApproximateFloat", &["kubernetes.Quantity.() -> double"]),
    ("isInteger", &["kubernetes.Quantity.() -> bool"]),
    (
        "add",
        &[
            "kubernetes.Quantity.(kubernetes.Quantity) -> kubernetes.Quantity",
            "kubernetes.Quantity.(int) -> kubernetes.Quantity",
        ],
    ),
    (
        "sub",
        &[
            "kubernetes.Quantity.(kubernetes.Quantity) -> kubernetes.Quantity",
            "kubernetes.Quantity.(int) -> kubernetes.Quantity",
        ],
    ),
    (
        "isGreaterThan",
        &[
            "kubernetes.Quantity.(kubernetes.Quantity) -> bool",
            "kubernetes.Semver.(kubernetes.Semver) -> bool",
        ],
    ),
    (
        "isLessThan",
        &[
            "kubernetes.Quantity.(kubernetes.Quantity) -> bool",
            "kubernetes.Semver.(kubernetes.Semver) -> bool",
        ],
    ),
    (
        "compareTo",
        &[
            "kubernetes.Quantity.(kubernetes.Quantity) -> int",
            "kubernetes.Semver.(kubernetes.Semver) -> int",
        ],
    ),
    // Kubernetes IP addresses and CIDRs.
    ("ip", &["(string) -> net.IP", "net.CIDR.() -> net.IP"]),
    ("isIP", &["(string) -> bool"]),
    ("ip.isCanonical", &["(string) -> bool"]),
    ("family", &["net.IP.() -> int"]),
    ("isUnspecified", &["net.IP.() -> bool"]),
    ("isLoopback", &["net.IP.() -> bool"]),
    ("isLinkLocalMulticast", &["net.IP.() -> bool"]),
    ("isLinkLocalUnicast", &["net.IP.() -> bool"]),
    ("isGlobalUnicast", &["net.IP.() -> bool"]),
    ("cidr", &["(string) -> net.CIDR"]),
    ("isCIDR", &["(string) -> bool"]),
    (
        "containsIP",
        &["net.CIDR.(string) -> bool", "net.CIDR.(net.IP) -> bool"],
    ),
    (
        "containsCIDR",
        &["net.CIDR.(string) -> bool", "net.CIDR.(net.CIDR) -> bool"],
    ),
    ("masked", &["net.CIDR.() -> net.CIDR"]),
    ("prefixLength", &["net.CIDR.() -> int"]),
    // Kubernetes named formats.
    (
        "format.named",
        &["(string) -> optional_type(kubernetes.NamedFormat)"],
    ),
    (
        "validate",
        &["kubernetes.NamedFormat.(string) -> optional_type(list(string))"],
    ),
    // Kubernetes semantic versions.
    (
        "semver",
        &[
            "(string) -> kubernetes.Semver",
            "(string, bool) -> kubernetes.Semver",
        ],
    ),
    ("isSemver", &["(string) -> bool", "(string, bool) -> bool"]),
    ("major", &["kubernetes.Semver.() -> int"]),
    ("minor", &["kubernetes.Semver.() -> int"]),
    ("patch", &["kubernetes.Semver.() -> int"]),
    // Kubernetes authorizer.
    (
        "path",
        &["kubernetes.authorization.Authorizer.(string) -> kubernetes.authorization.PathCheck"],
    ),
    (
        "group",
        &["kubernetes.authorization.Authorizer.(string) -> kubernetes.authorization.GroupCheck"],
    ),
    (
        "serviceAccount",
        &[
            "kubernetes.authorization.Authorizer.(string, string) -> kubernetes.authorization.Authorizer",
        ],
    ),
    (
        "resource",
        &["kubernetes.authorization.GroupCheck.(string) -> kubernetes.authorization.ResourceCheck"],
    ),
    (
        "subresource",
        &[
            "kubernetes.authorization.ResourceCheck.(string) -> kubernetes.authorization.ResourceCheck",
        ],
    ),
    (
        "namespace",
        &[
            "kubernetes.authorization.ResourceCheck.(string) -> kubernetes.authorization.ResourceCheck",
        ],
    ),
    (
        "name",
        &[
            "kubernetes.authorization.ResourceCheck.(string) -> kubernetes.authorization.ResourceCheck",
        ],
    ),
    (
        "fieldSelector",
        &[
            "kubernetes.authorization.ResourceCheck.(string) -> kubernetes.authorization.ResourceCheck",
        ],
    ),
    (
        "labelSelector",
        &[
            "kubernetes.authorization.ResourceCheck.(string) -> kubernetes.authorization.ResourceCheck",
        ],
    ),
    (
        "check",
        &[
            "kubernetes.authorization.PathCheck.(string) -> kubernetes.authorization.Decision",
            "kubernetes.authorization.ResourceCheck.(string) -> kubernetes.authorization.Decision",
        ],
    ),
    ("allowed", &["kubernetes.authorization.Decision.() -> bool"]),
    (
        "reason",
        &["kubernetes.authorization.Decision.() -> string"],
    ),
    ("errored", &["kubernetes.authorization.Decision.() -> bool"]),
    ("error", &["kubernetes.authorization.Decision.() -> string"]),
];

/// Functions whose overloads are one per comparable type: the ordering operators (with
/// cel-go's cross-type numeric overloads) and the Kubernetes `min`/`max`.
pub(crate) fn generated(name: &str) -> Option<Vec<String>> {
    match name {
        "_<_" | "_<=_" | "_>_" | "_>=_" => {
            let mut out: Vec<String> = ORDERED
                .iter()
                .map(|t| format!("({t}, {t}) -> bool"))
                .collect();
            for (a, b) in [
                ("int", "uint"),
                ("int", "double"),
                ("uint", "int"),
                ("uint", "double"),
                ("double", "int"),
                ("double", "uint"),
            ] {
                out.push(format!("({a}, {b}) -> bool"));
            }
            Some(out)
        }
        "getFullYear" | "getMonth" | "getDayOfYear" | "getDayOfMonth" | "getDate"
        | "getDayOfWeek" => Some(vec![
            "google.protobuf.Timestamp.() -> int".to_string(),
            "google.protobuf.Timestamp.(string) -> int".to_string(),
        ]),
        "getHours" | "getMinutes" | "getSeconds" | "getMilliseconds" => Some(vec![
            "google.protobuf.Timestamp.() -> int".to_string(),
            "google.protobuf.Timestamp.(string) -> int".to_string(),
            "google.protobuf.Duration.() -> int".to_string(),
        ]),
        n if n.starts_with("format.") && n != "format.named" => {
            Some(vec!["() -> kubernetes.NamedFormat".to_string()])
        }
        "min" | "max" => Some(
            ORDERED
                .iter()
                .map(|t| format!("list({t}).() -> {t}"))
                .collect(),
        ),
        _ => None,
    }
}
