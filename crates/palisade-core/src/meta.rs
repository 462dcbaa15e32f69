//! apimachinery's generic object validation: `ValidateObjectMeta` (names, namespace, labels,
//! annotations), `ValidateLabels`, `ValidateAnnotations`, `ValidateLabelSelector` and
//! `ValidateQualifiedName`, with upstream's field paths, texts and order.
//!
//! Upstream walks Go maps (labels, annotations) in random order; here they are walked in key
//! order, so the errors are deterministic.
//!
//! ```
//! use std::collections::BTreeMap;
//! use palisade_core::meta::{MetaFields, validate_object_meta};
//! use palisade_core::validation::name_is_dns_subdomain;
//! use palisade_core::FieldPath;
//!
//! let labels = BTreeMap::new();
//! let meta = MetaFields { name: "", namespace: "default", labels: &labels, ..MetaFields::default() };
//! let errors = validate_object_meta(&meta, false, name_is_dns_subdomain, &FieldPath::new(["metadata"]));
//! let texts: Vec<String> = errors.iter().map(ToString::to_string).collect();
//! assert_eq!(texts, [
//!     "metadata.name: Required value: name or generateName is required",
//!     "metadata.namespace: Forbidden: not allowed on this type",
//! ]);
//! ```

use std::collections::BTreeMap;

use crate::field::FieldError;
use crate::path::FieldPath;
use crate::selector::{LabelSelector, LabelSelectorRequirement};
use crate::validation::{is_qualified_name, is_valid_label_value};

/// The largest total size of an object's annotations (keys and values), in bytes.
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// The parts of an object's metadata that creation validates. Fields an object type does not
/// carry stay empty.
#[derive(Debug, Clone, Copy)]
pub struct MetaFields<'a> {
    /// `metadata.name`.
    pub name: &'a str,
    /// `metadata.generateName`.
    pub generate_name: &'a str,
    /// `metadata.namespace`.
    pub namespace: &'a str,
    /// `metadata.generation`.
    pub generation: i64,
    /// `metadata.labels`.
    pub labels: &'a BTreeMap<String, String>,
    /// `metadata.annotations`.
    pub annotations: &'a BTreeMap<String, String>,
    /// `metadata.finalizers`.
    pub finalizers: &'a [String],
}

static EMPTY_MAP: BTreeMap<String, String> = BTreeMap::new();

impl Default for MetaFields<'_> {
    fn default() -> Self {
        MetaFields {
            name: "",
            generate_name: "",
            namespace: "",
            generation: 0,
            labels: &EMPTY_MAP,
            annotations: &EMPTY_MAP,
            finalizers: &[],
        }
    }
}

/// A name rule (upstream `ValidateNameFunc`): the name and whether it is a `generateName`
/// prefix, to the messages of what is wrong.
pub type NameRule = fn(&str, bool) -> Vec<String>;

/// upstream `ValidateObjectMeta` (creation; the name has been generated already): generateName,
/// name, namespace, generation, labels, annotations, finalizers.
pub fn validate_object_meta(
    meta: &MetaFields<'_>,
    requires_namespace: bool,
    name_rule: NameRule,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if !meta.generate_name.is_empty() {
        for msg in name_rule(meta.generate_name, true) {
            errs.push(FieldError::invalid(
                path.clone().child("generateName"),
                meta.generate_name,
                msg,
            ));
        }
    }
    if meta.name.is_empty() {
        errs.push(FieldError::required(
            path.clone().child("name"),
            "name or generateName is required",
        ));
    } else {
        for msg in name_rule(meta.name, false) {
            errs.push(FieldError::invalid(
                path.clone().child("name"),
                meta.name,
                msg,
            ));
        }
    }
    let ns_path = path.clone().child("namespace");
    if requires_namespace {
        if meta.namespace.is_empty() {
            errs.push(FieldError::required(ns_path, ""));
        } else {
            for msg in crate::validation::name_is_dns_label(meta.namespace, false) {
                errs.push(FieldError::invalid(ns_path.clone(), meta.namespace, msg));
            }
        }
    } else if !meta.namespace.is_empty() {
        errs.push(FieldError::forbidden(ns_path, "not allowed on this type"));
    }
    if meta.generation < 0 {
        errs.push(FieldError::new(
            path.clone().child("generation"),
            crate::field::ErrorType::Invalid,
            crate::field::BadValue::Int(meta.generation),
            "must be greater than or equal to 0",
        ));
    }
    errs.extend(validate_labels(meta.labels, &path.clone().child("labels")));
    errs.extend(validate_annotations(
        meta.annotations,
        &path.clone().child("annotations"),
    ));
    errs.extend(validate_finalizers(
        meta.finalizers,
        &path.clone().child("finalizers"),
    ));
    errs
}

/// upstream `ValidateLabelName`: a qualified name, each problem at `path`.
pub fn validate_label_name(name: &str, path: &FieldPath) -> Vec<FieldError> {
    validate_qualified_name(name, path)
}

/// upstream `ValidateQualifiedName` (core validation): each problem of `IsQualifiedName` as an
/// `Invalid` error at `path`.
pub fn validate_qualified_name(value: &str, path: &FieldPath) -> Vec<FieldError> {
    is_qualified_name(value)
        .into_iter()
        .map(|msg| FieldError::invalid(path.clone(), value, msg))
        .collect()
}

/// upstream `ValidateLabels`: per label, the key's problems then the value's, all at `path`
/// itself (upstream does not add the key to the path).
pub fn validate_labels(labels: &BTreeMap<String, String>, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        errs.extend(validate_label_name(k, path));
        for msg in is_valid_label_value(v) {
            errs.push(FieldError::invalid(path.clone(), v, msg));
        }
    }
    errs
}

/// upstream `ValidateAnnotations`: each key must be a qualified name ignoring case, and keys
/// and values together may not exceed [`TOTAL_ANNOTATION_SIZE_LIMIT`].
pub fn validate_annotations(
    annotations: &BTreeMap<String, String>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for k in annotations.keys() {
        for msg in is_qualified_name(&k.to_lowercase()) {
            errs.push(FieldError::invalid(path.clone(), k, msg));
        }
    }
    let total: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::too_long(
            path.clone(),
            TOTAL_ANNOTATION_SIZE_LIMIT,
        ));
    }
    errs
}

/// upstream `ValidateFinalizers`: each name qualified, and not both `orphan` and
/// `foregroundDeletion`.
pub fn validate_finalizers(finalizers: &[String], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for f in finalizers {
        errs.extend(validate_qualified_name(f, path));
    }
    let has = |name: &str| finalizers.iter().any(|f| f == name);
    if has("orphan") && has("foregroundDeletion") {
        errs.push(FieldError::new(
            path.clone(),
            crate::field::ErrorType::Invalid,
            crate::field::BadValue::List(finalizers.to_vec()),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    errs
}

/// Options of [`validate_label_selector`] (upstream `LabelSelectorValidationOptions`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LabelSelectorOptions {
    /// Skip the label-value check of `matchExpressions` values (kept for old stored data).
    pub allow_invalid_label_value: bool,
    /// Let operators other than the four known ones pass.
    pub allow_unknown_operator: bool,
}

/// upstream `metav1validation.ValidateLabelSelector`: `matchLabels` as labels, then each
/// `matchExpressions` requirement (operator and values, key, each value).
///
/// ```
/// use palisade_core::meta::{validate_label_selector, LabelSelectorOptions};
/// use palisade_core::selector::LabelSelector;
/// use palisade_core::FieldPath;
///
/// let s: LabelSelector = serde_json::from_str(
///     r#"{"matchExpressions":[{"key":"tier","operator":"In"}]}"#).unwrap();
/// let errs = validate_label_selector(&s, LabelSelectorOptions::default(), &FieldPath::new(["selector"]));
/// assert_eq!(errs[0].to_string(),
///     "selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
/// ```
pub fn validate_label_selector(
    selector: &LabelSelector,
    opts: LabelSelectorOptions,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = validate_labels(&selector.match_labels, &path.clone().child("matchLabels"));
    for (i, expr) in selector.match_expressions.iter().enumerate() {
        errs.extend(validate_requirement(
            expr,
            opts,
            &path.clone().child("matchExpressions").index(i),
        ));
    }
    errs
}

/// upstream `ValidateLabelSelectorRequirement`.
fn validate_requirement(
    req: &LabelSelectorRequirement,
    opts: LabelSelectorOptions,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let values = req.values.as_deref().unwrap_or_default();
    match req.operator.as_str() {
        "In" | "NotIn" => {
            if values.is_empty() {
                errs.push(FieldError::required(
                    path.clone().child("values"),
                    "must be specified when `operator` is 'In' or 'NotIn'",
                ));
            }
        }
        "Exists" | "DoesNotExist" => {
            if !values.is_empty() {
                errs.push(FieldError::forbidden(
                    path.clone().child("values"),
                    "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                ));
            }
        }
        other => {
            if !opts.allow_unknown_operator {
                // The operator is a named string type: upstream renders it as JSON.
                errs.push(FieldError::new(
                    path.clone().child("operator"),
                    crate::field::ErrorType::Invalid,
                    crate::field::BadValue::Json(crate::quote::go_json(other)),
                    "not a valid selector operator",
                ));
            }
        }
    }
    errs.extend(validate_label_name(&req.key, &path.clone().child("key")));
    if !opts.allow_invalid_label_value {
        for (i, v) in values.iter().enumerate() {
            for msg in is_valid_label_value(v) {
                errs.push(FieldError::invalid(
                    path.clone().child("values").index(i),
                    v,
                    msg,
                ));
            }
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::name_is_dns_subdomain;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn meta_path() -> FieldPath {
        FieldPath::new(["metadata"])
    }

    #[test]
    fn names_and_generate_names() {
        let m = MetaFields {
            name: "Bad_Name",
            generate_name: "ok-",
            ..MetaFields::default()
        };
        let errs = validate_object_meta(&m, false, name_is_dns_subdomain, &meta_path());
        assert_eq!(errs.len(), 1);
        assert!(errs[0].to_string().starts_with(
            "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain"
        ));
        let m = MetaFields {
            name: "x",
            generate_name: "Bad-",
            ..MetaFields::default()
        };
        let errs = validate_object_meta(&m, false, name_is_dns_subdomain, &meta_path());
        assert!(
            errs[0]
                .to_string()
                .starts_with("metadata.generateName: Invalid value: \"Bad-\": ")
        );
    }

    #[test]
    fn namespaces_generation_and_finalizers() {
        let fin = vec!["orphan".to_owned(), "foregroundDeletion".to_owned()];
        let m = MetaFields {
            name: "x",
            generation: -1,
            finalizers: &fin,
            ..MetaFields::default()
        };
        assert_eq!(
            texts(&validate_object_meta(
                &m,
                true,
                name_is_dns_subdomain,
                &meta_path()
            )),
            [
                "metadata.namespace: Required value",
                "metadata.generation: Invalid value: -1: must be greater than or equal to 0",
                "metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set",
            ]
        );
        let m = MetaFields {
            name: "x",
            namespace: "Bad.ns",
            ..MetaFields::default()
        };
        let errs = validate_object_meta(&m, true, name_is_dns_subdomain, &meta_path());
        assert!(errs[0].to_string().starts_with(
            "metadata.namespace: Invalid value: \"Bad.ns\": a lowercase RFC 1123 label"
        ));
    }

    #[test]
    fn labels_and_annotations_report_at_the_map() {
        let labels = map(&[("a/b/c", "ok"), ("fine", "bad value")]);
        let errs = validate_labels(&labels, &FieldPath::new(["metadata", "labels"]));
        assert_eq!(errs.len(), 2);
        assert!(
            errs[0]
                .to_string()
                .starts_with("metadata.labels: Invalid value: \"a/b/c\": a valid label key")
        );
        assert!(
            errs[1]
                .to_string()
                .starts_with("metadata.labels: Invalid value: \"bad value\": a valid label must")
        );
        let ann = map(&[("Example.COM/Key", "v")]);
        assert!(validate_annotations(&ann, &FieldPath::new(["a"])).is_empty());
        let big = "x".repeat(TOTAL_ANNOTATION_SIZE_LIMIT);
        let ann = map(&[("k", big.as_str())]);
        assert_eq!(
            texts(&validate_annotations(&ann, &FieldPath::new(["a"]))),
            ["a: Too long: may not be more than 262144 bytes"]
        );
    }

    #[test]
    fn selector_requirements() {
        let s: LabelSelector = serde_json::from_str(
            r#"{"matchLabels":{"ok":"v"},"matchExpressions":[
                {"key":"a","operator":"Exists","values":["x"]},
                {"key":"bad key","operator":"Gt","values":["bad value"]}]}"#,
        )
        .unwrap();
        let errs =
            validate_label_selector(&s, LabelSelectorOptions::default(), &FieldPath::new(["s"]));
        let t = texts(&errs);
        assert_eq!(t.len(), 4, "{t:?}");
        assert_eq!(
            t[0],
            "s.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        );
        assert_eq!(
            t[1],
            "s.matchExpressions[1].operator: Invalid value: \"Gt\": not a valid selector operator"
        );
        assert!(
            t[2].starts_with("s.matchExpressions[1].key: Invalid value: \"bad key\": name part")
        );
        assert!(t[3].starts_with("s.matchExpressions[1].values[0]: Invalid value: \"bad value\""));
        let lax = LabelSelectorOptions {
            allow_invalid_label_value: true,
            allow_unknown_operator: true,
        };
        assert_eq!(
            validate_label_selector(&s, lax, &FieldPath::new(["s"])).len(),
            2
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(name in "\\PC{0,8}", key in ".{0,70}", value in ".{0,70}") {
            let labels = map(&[(key.as_str(), value.as_str())]);
            let fin = vec![key.clone()];
            let m = MetaFields {
                name: &name,
                generate_name: &name,
                namespace: &value,
                labels: &labels,
                annotations: &labels,
                finalizers: &fin,
                ..MetaFields::default()
            };
            let errs = validate_object_meta(&m, true, name_is_dns_subdomain, &meta_path());
            proptest::prop_assert!(errs.iter().all(|e| !e.to_string().is_empty()));
            let selector = LabelSelector {
                match_labels: labels.clone(),
                match_expressions: vec![LabelSelectorRequirement {
                    key: key.clone(),
                    operator: value.clone(),
                    values: Some(vec![name.clone()]),
                }],
            };
            let _ = validate_label_selector(&selector, LabelSelectorOptions::default(), &meta_path());
        }
    }
}
