//! Upstream validation of an audit `Policy` (`k8s.io/apiserver/pkg/apis/audit/validation`),
//! with field errors worded and aggregated exactly as apimachinery's `field` and `errors`
//! packages print them.

use palisade_core::FieldPath;
pub use palisade_core::field::{BadValue, ErrorType, FieldError, ValidationErrors};

use crate::policy::{GroupResources, Level, Stage};

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
        let supported: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
        errs.push(FieldError::not_supported(
            path.clone().child("level"),
            &rule.level,
            &supported,
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
                "non-resource URL rules must begin with a '/' character",
            ));
        }
        let mut chars = url.chars();
        chars.next_back();
        if chars.as_str().contains('*') {
            errs.push(FieldError::new(
                urls.clone().index(i),
                ErrorType::Invalid,
                BadValue::String(url.clone()),
                "non-resource URL wildcards '*' must be the final character of the rule",
            ));
        }
    }
    // validateResources: the paths carry no index, as upstream's do.
    let resources = path.clone().child("resources");
    for gr in &rule.resources {
        if !gr.group.is_empty() && gr.group != "*" {
            let msgs = palisade_core::validation::is_dns1123_subdomain(&gr.group);
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
                "using resourceNames requires at least one resource",
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
            "rules cannot apply to both regular resources and non-resource URLs",
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
