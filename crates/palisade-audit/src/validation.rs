//! Upstream validation of an audit `Policy` (`k8s.io/apiserver/pkg/apis/audit/validation`),
//! with field errors worded and aggregated exactly as apimachinery's `field` and `errors`
//! packages print them.

use std::fmt;

use palisade_core::FieldPath;
use palisade_core::quote::GoQuoted;

use crate::policy::{GroupResources, Level, Stage};

/// The kind of a field error (upstream `field.ErrorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorType {
    /// `FieldValueRequired`: a required field is empty.
    Required,
    /// `FieldValueInvalid`: the value is malformed.
    Invalid,
    /// `FieldValueNotSupported`: the value is not one of the supported ones.
    NotSupported,
}

impl ErrorType {
    /// The upstream constant's value (`FieldValueRequired`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
        }
    }

    /// The words that start the message (`Required value`, …).
    pub const fn words(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
        }
    }
}

/// The value a field error shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BadValue {
    /// No value is shown (`Required value`).
    Omitted,
    /// A string, shown Go-quoted.
    String(String),
    /// A list of strings, shown as compact JSON.
    List(Vec<String>),
}

/// One validation error: where, what kind, the value and the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldError {
    /// The field path (`rules[0].level`).
    pub field: FieldPath,
    /// The kind of error.
    pub error_type: ErrorType,
    /// The offending value.
    pub bad_value: BadValue,
    /// The explanation (may be empty).
    pub detail: String,
}

impl FieldError {
    fn new(field: FieldPath, error_type: ErrorType, bad_value: BadValue, detail: String) -> Self {
        FieldError {
            field,
            error_type,
            bad_value,
            detail,
        }
    }

    /// The message without the field path (upstream `ErrorBody`).
    pub fn body(&self) -> String {
        let mut s = String::from(self.error_type.words());
        match &self.bad_value {
            BadValue::Omitted => {}
            BadValue::String(v) => s.push_str(&format!(": {}", GoQuoted(v))),
            BadValue::List(v) => s.push_str(&format!(": {}", go_json_list(v))),
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.body())
    }
}

/// The errors of one policy, in upstream order. Displays as upstream's aggregate: one
/// distinct message alone, otherwise `[m1, m2, …]` with repeated messages shown once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut seen: Vec<String> = Vec::new();
        for e in &self.0 {
            let m = e.to_string();
            if !seen.contains(&m) {
                seen.push(m);
            }
        }
        match seen.as_slice() {
            [one] => f.write_str(one),
            many => write!(f, "[{}]", many.join(", ")),
        }
    }
}

/// A decoded rule before validation: level and stages still as written.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawRule {
    pub(crate) level: String,
    pub(crate) users: Vec<String>,
    pub(crate) user_groups: Vec<String>,
    pub(crate) verbs: Vec<String>,
    pub(crate) resources: Vec<GroupResources>,
    pub(crate) namespaces: Vec<String>,
    pub(crate) non_resource_urls: Vec<String>,
    pub(crate) omit_stages: Vec<String>,
    pub(crate) omit_managed_fields: Option<bool>,
}

/// A decoded policy before validation.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawPolicy {
    pub(crate) rules: Vec<RawRule>,
    pub(crate) omit_stages: Vec<String>,
    pub(crate) omit_managed_fields: bool,
}

/// Upstream `ValidatePolicy`: the policy's stages, then each rule in order.
pub(crate) fn validate(policy: &RawPolicy) -> Vec<FieldError> {
    let mut errs = Vec::new();
    validate_stages(
        &policy.omit_stages,
        &FieldPath::new(["omitStages"]),
        &mut errs,
    );
    for (i, rule) in policy.rules.iter().enumerate() {
        validate_rule(rule, &FieldPath::new(["rules"]).index(i), &mut errs);
    }
    errs
}

/// Upstream `validatePolicyRule`: level, non-resource URLs, resources, stages, then the
/// resource/non-resource conflict.
fn validate_rule(rule: &RawRule, path: &FieldPath, errs: &mut Vec<FieldError>) {
    // validateLevel
    if rule.level.is_empty() {
        errs.push(FieldError::new(
            path.clone().child("level"),
            ErrorType::Required,
            BadValue::Omitted,
            String::new(),
        ));
    } else if Level::parse(&rule.level).is_none() {
        let supported: Vec<String> = Level::ALL
            .iter()
            .map(|l| GoQuoted(l.as_str()).to_string())
            .collect();
        errs.push(FieldError::new(
            path.clone().child("level"),
            ErrorType::NotSupported,
            BadValue::String(rule.level.clone()),
            format!("supported values: {}", supported.join(", ")),
        ));
    }
    // validateNonResourceURLs
    let urls = path.clone().child("nonResourceURLs");
    for (i, url) in rule.non_resource_urls.iter().enumerate() {
        if url == "*" {
            continue;
        }
        if !url.starts_with('/') {
            errs.push(FieldError::new(
                urls.clone().index(i),
                ErrorType::Invalid,
                BadValue::String(url.clone()),
                "non-resource URL rules must begin with a '/' character".into(),
            ));
        }
        let mut chars = url.chars();
        chars.next_back();
        if chars.as_str().contains('*') {
            errs.push(FieldError::new(
                urls.clone().index(i),
                ErrorType::Invalid,
                BadValue::String(url.clone()),
                "non-resource URL wildcards '*' must be the final character of the rule".into(),
            ));
        }
    }
    // validateResources: the paths carry no index, as upstream's do.
    let resources = path.clone().child("resources");
    for gr in &rule.resources {
        if !gr.group.is_empty() && gr.group != "*" {
            let msgs = dns1123_subdomain(&gr.group);
            if !msgs.is_empty() {
                errs.push(FieldError::new(
                    resources.clone().child("group"),
                    ErrorType::Invalid,
                    BadValue::String(gr.group.clone()),
                    msgs.join(","),
                ));
            }
        }
        if !gr.resource_names.is_empty() && gr.resources.is_empty() {
            errs.push(FieldError::new(
                resources.clone().child("resourceNames"),
                ErrorType::Invalid,
                BadValue::List(gr.resource_names.clone()),
                "using resourceNames requires at least one resource".into(),
            ));
        }
    }
    validate_stages(&rule.omit_stages, &path.clone().child("omitStages"), errs);
    if !rule.non_resource_urls.is_empty()
        && (!rule.resources.is_empty() || !rule.namespaces.is_empty())
    {
        errs.push(FieldError::new(
            urls,
            ErrorType::Invalid,
            BadValue::List(rule.non_resource_urls.clone()),
            "rules cannot apply to both regular resources and non-resource URLs".into(),
        ));
    }
}

/// Upstream `validateOmitStages`.
fn validate_stages(stages: &[String], path: &FieldPath, errs: &mut Vec<FieldError>) {
    for (i, stage) in stages.iter().enumerate() {
        if Stage::parse(stage).is_none() {
            let allowed: Vec<&str> = Stage::ALL.iter().map(|s| s.as_str()).collect();
            errs.push(FieldError::new(
                path.clone().index(i),
                ErrorType::Invalid,
                BadValue::String(stage.clone()),
                format!("allowed stages are {}", allowed.join(",")),
            ));
        }
    }
}

const DNS1123_SUBDOMAIN_MESSAGE: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// apimachinery `IsDNS1123Subdomain`: the length message, then the format message.
fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut msgs = Vec::new();
    if value.len() > 253 {
        msgs.push("must be no more than 253 characters".to_owned());
    }
    let label_ok = |label: &str| {
        let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
        label.chars().next().is_some_and(alnum)
            && label.chars().next_back().is_some_and(alnum)
            && label.chars().all(|c| alnum(c) || c == '-')
    };
    if !value.split('.').all(label_ok) {
        msgs.push(DNS1123_SUBDOMAIN_MESSAGE.to_owned());
    }
    msgs
}

/// A list of strings as Go's `json.Marshal` writes it (compact, HTML characters escaped).
fn go_json_list(items: &[String]) -> String {
    let json = serde_json::to_string(items).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}
