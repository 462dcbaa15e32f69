//! Validation of `matchConstraints` / `matchResources` and their resource rules (upstream
//! `validateMatchResources`, `validateNamedRuleWithOperations`, `validateRuleWithOperations`,
//! `validateRule`, `validateResources`).

use std::collections::BTreeSet;

use palisade_core::FieldPath;
use palisade_core::field::{BadValue, ErrorType, FieldError};
use palisade_core::meta::{LabelSelectorOptions, validate_label_selector};
use palisade_core::validation::is_path_segment_name;

use crate::policy::{MatchResources, NamedRuleWithOperations};

/// upstream `supportedOperations.List()` (sorted).
const SUPPORTED_OPERATIONS: [&str; 5] = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];
/// upstream `validScopes.List()` (sorted).
const VALID_SCOPES: [&str; 3] = ["*", "Cluster", "Namespaced"];

/// `field.Invalid(path, list, detail)` for a list of strings, which upstream renders as JSON.
fn invalid_list(path: FieldPath, list: &[String], detail: &str) -> FieldError {
    FieldError::new(
        path,
        ErrorType::Invalid,
        BadValue::List(list.to_vec()),
        detail,
    )
}

fn has_wildcard(items: &[String]) -> bool {
    items.iter().any(|s| s == "*")
}

/// upstream `validateMatchResources`: match policy, namespace and object selectors (strictly),
/// then each resource rule and each exclude rule.
pub(crate) fn validate_match_resources(mr: &MatchResources, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match &mr.match_policy {
        None => errs.push(FieldError::required(path.clone().child("matchPolicy"), "")),
        Some(p) if !p.is_supported() => errs.push(FieldError::not_supported_json(
            path.clone().child("matchPolicy"),
            p.as_str(),
            &["Equivalent", "Exact"],
        )),
        Some(_) => {}
    }
    for (name, selector) in [
        ("namespaceSelector", &mr.namespace_selector),
        ("objectSelector", &mr.object_selector),
    ] {
        match selector {
            None => errs.push(FieldError::required(path.clone().child(name), "")),
            Some(s) => errs.extend(validate_label_selector(
                s,
                LabelSelectorOptions::default(),
                &path.clone().child(name),
            )),
        }
    }
    for (i, rule) in mr.resource_rules.iter().enumerate() {
        errs.extend(validate_named_rule(
            rule,
            &path.clone().child("resourceRules").index(i),
        ));
    }
    for (i, rule) in mr.exclude_resource_rules.iter().enumerate() {
        errs.extend(validate_named_rule(
            rule,
            &path.clone().child("excludeResourceRules").index(i),
        ));
    }
    errs
}

/// upstream `validateNamedRuleWithOperations`: each resource name, then the rule.
fn validate_named_rule(rule: &NamedRuleWithOperations, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, name) in rule.resource_names.iter().enumerate() {
        let at = path.clone().child("resourceNames").index(i);
        for msg in is_path_segment_name(name) {
            errs.push(FieldError::invalid(at.clone(), name, msg));
        }
        if !seen.insert(name.as_str()) {
            errs.push(FieldError::duplicate(at, name));
        }
    }
    errs.extend(validate_rule_with_operations(rule, path));
    errs
}

/// upstream `validateRuleWithOperations` then `validateRule` (subresources allowed).
fn validate_rule_with_operations(
    rule: &NamedRuleWithOperations,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let ops = path.clone().child("operations");
    if rule.operations.is_empty() {
        errs.push(FieldError::required(ops.clone(), ""));
    }
    if rule.operations.len() > 1 && has_wildcard(&rule.operations) {
        errs.push(invalid_list(
            ops.clone(),
            &rule.operations,
            "if '*' is present, must not specify other operations",
        ));
    }
    for (i, op) in rule.operations.iter().enumerate() {
        if !SUPPORTED_OPERATIONS.contains(&op.as_str()) {
            errs.push(FieldError::not_supported_json(
                ops.clone().index(i),
                op,
                &SUPPORTED_OPERATIONS,
            ));
        }
    }
    let groups = path.clone().child("apiGroups");
    if rule.api_groups.is_empty() {
        errs.push(FieldError::required(groups.clone(), ""));
    }
    if rule.api_groups.len() > 1 && has_wildcard(&rule.api_groups) {
        errs.push(invalid_list(
            groups,
            &rule.api_groups,
            "if '*' is present, must not specify other API groups",
        ));
    }
    let versions = path.clone().child("apiVersions");
    if rule.api_versions.is_empty() {
        errs.push(FieldError::required(versions.clone(), ""));
    }
    if rule.api_versions.len() > 1 && has_wildcard(&rule.api_versions) {
        errs.push(invalid_list(
            versions.clone(),
            &rule.api_versions,
            "if '*' is present, must not specify other API versions",
        ));
    }
    for (i, v) in rule.api_versions.iter().enumerate() {
        if v.is_empty() {
            errs.push(FieldError::required(versions.clone().index(i), ""));
        }
    }
    errs.extend(validate_resources(
        &rule.resources,
        &path.clone().child("resources"),
    ));
    if let Some(scope) = &rule.scope
        && !VALID_SCOPES.contains(&scope.as_str())
    {
        errs.push(FieldError::not_supported_json(
            path.clone().child("scope"),
            scope,
            &VALID_SCOPES,
        ));
    }
    errs
}

/// upstream `validateResources`: `res/sub` entries, `res/*`, `*/sub`, `*` and `*/*` wildcards.
fn validate_resources(resources: &[String], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if resources.is_empty() {
        errs.push(FieldError::required(path.clone(), ""));
    }
    // `x/*` seen, and `*/x` seen.
    let mut wildcard_sub_of: BTreeSet<&str> = BTreeSet::new();
    let mut wildcard_res_for: BTreeSet<&str> = BTreeSet::new();
    let mut double_wildcard = false;
    let mut single_wildcard = false;
    // Upstream assigns (not accumulates) this flag: the last plain entry decides it.
    let mut plain_resource = false;
    for (i, res_sub) in resources.iter().enumerate() {
        if res_sub.is_empty() {
            errs.push(FieldError::required(path.clone().index(i), ""));
            continue;
        }
        if res_sub == "*/*" {
            double_wildcard = true;
        }
        if res_sub == "*" {
            single_wildcard = true;
        }
        let Some((res, sub)) = res_sub.split_once('/') else {
            plain_resource = res_sub != "*";
            continue;
        };
        if wildcard_sub_of.contains(res) {
            errs.push(FieldError::invalid(
                path.clone().index(i),
                res_sub,
                format!("if '{res}/*' is present, must not specify {res_sub}"),
            ));
        }
        if wildcard_res_for.contains(sub) {
            errs.push(FieldError::invalid(
                path.clone().index(i),
                res_sub,
                format!("if '*/{sub}' is present, must not specify {res_sub}"),
            ));
        }
        if sub == "*" {
            wildcard_sub_of.insert(res);
        }
        if res == "*" {
            wildcard_res_for.insert(sub);
        }
    }
    if resources.len() > 1 && double_wildcard {
        errs.push(invalid_list(
            path.clone(),
            resources,
            "if '*/*' is present, must not specify other resources",
        ));
    }
    if single_wildcard && plain_resource {
        errs.push(invalid_list(
            path.clone(),
            resources,
            "if '*' is present, must not specify other resources without subresources",
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    fn texts(errs: &[FieldError]) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    fn resources(items: &[&str]) -> Vec<String> {
        texts(&validate_resources(&strings(items), &FieldPath::new(["r"])))
    }

    #[test]
    fn resource_wildcards() {
        assert_eq!(resources(&[]), ["r: Required value"]);
        assert_eq!(resources(&["pods", ""]), ["r[1]: Required value"]);
        assert!(resources(&["pods", "pods/status", "*/scale"]).is_empty());
        assert_eq!(
            resources(&["pods/*", "pods/log"]),
            [
                "r[1]: Invalid value: \"pods/log\": if 'pods/*' is present, must not specify pods/log"
            ]
        );
        assert_eq!(
            resources(&["*/log", "pods/log"]),
            ["r[1]: Invalid value: \"pods/log\": if '*/log' is present, must not specify pods/log"]
        );
        // The later entry is only compared with the earlier ones.
        assert!(resources(&["pods/log", "pods/*"]).is_empty());
        assert_eq!(
            resources(&["*/*", "pods"]),
            [
                "r: Invalid value: [\"*/*\",\"pods\"]: if '*/*' is present, must not specify other resources"
            ]
        );
        assert_eq!(
            resources(&["*", "pods"]),
            [
                "r: Invalid value: [\"*\",\"pods\"]: if '*' is present, must not specify other resources without subresources"
            ]
        );
        // `*` with subresources only is fine, and so is a plain resource before a later `*`
        // (upstream keeps only the last plain entry's verdict).
        assert!(resources(&["*", "*/status"]).is_empty());
        assert!(resources(&["pods", "*"]).is_empty());
    }

    #[test]
    fn rule_fields_in_upstream_order() {
        let rule = NamedRuleWithOperations {
            resource_names: strings(&["a/b", "ok", "ok"]),
            operations: strings(&["*", "GET"]),
            api_groups: strings(&["*", "apps"]),
            api_versions: strings(&["", "*"]),
            resources: strings(&["deployments"]),
            scope: Some("Global".into()),
        };
        assert_eq!(
            texts(&validate_named_rule(&rule, &FieldPath::new(["x"]))),
            [
                "x.resourceNames[0]: Invalid value: \"a/b\": may not contain '/'",
                "x.resourceNames[2]: Duplicate value: \"ok\"",
                "x.operations: Invalid value: [\"*\",\"GET\"]: if '*' is present, must not specify other operations",
                "x.operations[1]: Unsupported value: \"GET\": supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\"",
                "x.apiGroups: Invalid value: [\"*\",\"apps\"]: if '*' is present, must not specify other API groups",
                "x.apiVersions: Invalid value: [\"\",\"*\"]: if '*' is present, must not specify other API versions",
                "x.apiVersions[0]: Required value",
                "x.scope: Unsupported value: \"Global\": supported values: \"*\", \"Cluster\", \"Namespaced\"",
            ]
        );
        let empty = NamedRuleWithOperations::default();
        assert_eq!(
            texts(&validate_named_rule(&empty, &FieldPath::new(["x"]))),
            [
                "x.operations: Required value",
                "x.apiGroups: Required value",
                "x.apiVersions: Required value",
                "x.resources: Required value",
            ]
        );
    }

    #[test]
    fn match_resources_requires_defaulted_fields() {
        let mr = MatchResources::default();
        assert_eq!(
            texts(&validate_match_resources(&mr, &FieldPath::new(["m"]))),
            [
                "m.matchPolicy: Required value",
                "m.namespaceSelector: Required value",
                "m.objectSelector: Required value",
            ]
        );
        assert!(validate_match_resources(&mr.defaulted(), &FieldPath::new(["m"])).is_empty());
    }
}
