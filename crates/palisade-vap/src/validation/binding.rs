//! Validation of a ValidatingAdmissionPolicyBinding (upstream
//! `validateValidatingAdmissionPolicyBinding` and the helpers it calls).

use palisade_core::FieldPath;
use palisade_core::field::{BadValue, ErrorType, FieldError};
use palisade_core::meta::{LabelSelectorOptions, validate_label_selector};
use palisade_core::quote::go_json;
use palisade_core::validation::{is_path_segment_name, name_is_dns_subdomain};

use super::rules::validate_match_resources;
use crate::policy::{ParamRef, ValidatingAdmissionPolicyBinding, ValidationAction};

/// Validates a whole binding: metadata, then spec.
pub(crate) fn validate_binding(binding: &ValidatingAdmissionPolicyBinding) -> Vec<FieldError> {
    let mut errs = super::validate_meta(&binding.metadata);
    let spec = &binding.spec;
    let path = FieldPath::new(["spec"]);
    let policy_name = path.clone().child("policyName");
    if spec.policy_name.is_empty() {
        errs.push(FieldError::required(policy_name, ""));
    } else {
        for msg in name_is_dns_subdomain(&spec.policy_name, false) {
            errs.push(FieldError::invalid(
                policy_name.clone(),
                &spec.policy_name,
                msg,
            ));
        }
    }
    if let Some(param_ref) = &spec.param_ref {
        errs.extend(validate_param_ref(
            param_ref,
            &path.clone().child("paramRef"),
        ));
    }
    if let Some(mr) = &spec.match_resources {
        // Upstream misspells this path, and the API server reports it so.
        errs.extend(validate_match_resources(
            mr,
            &path.clone().child("matchResouces"),
        ));
    }
    errs.extend(validate_validation_actions(
        &spec.validation_actions,
        &path.child("validationActions"),
    ));
    errs
}

/// upstream `validateParamRef`: a name or a selector, not both, and a not-found action.
fn validate_param_ref(param_ref: &ParamRef, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let exclusive = "name and selector are mutually exclusive";
    let name_path = path.clone().child("name");
    if !param_ref.name.is_empty() {
        for msg in is_path_segment_name(&param_ref.name) {
            errs.push(FieldError::invalid(name_path.clone(), &param_ref.name, msg));
        }
        if param_ref.selector.is_some() {
            errs.push(FieldError::forbidden(name_path, exclusive));
        }
    }
    if let Some(selector) = &param_ref.selector {
        let selector_path = path.clone().child("selector");
        errs.extend(validate_label_selector(
            selector,
            LabelSelectorOptions::default(),
            &selector_path,
        ));
        if !param_ref.name.is_empty() {
            errs.push(FieldError::forbidden(selector_path, exclusive));
        }
    }
    if param_ref.name.is_empty() && param_ref.selector.is_none() {
        errs.push(FieldError::required(
            path.clone(),
            "one of name or selector must be specified",
        ));
    }
    let action_path = path.clone().child("parameterNotFoundAction");
    match &param_ref.parameter_not_found_action {
        None => errs.push(FieldError::required(action_path, "")),
        Some(a) if a.as_str().is_empty() => errs.push(FieldError::required(action_path, "")),
        // Upstream lists the supported values in this order, not sorted.
        Some(a) if !a.is_supported() => errs.push(FieldError::not_supported_json(
            action_path,
            a.as_str(),
            &["Deny", "Allow"],
        )),
        Some(_) => {}
    }
    errs
}

/// upstream `validateValidationActions`: no repeats, not both Deny and Warn, at least one.
fn validate_validation_actions(actions: &[ValidationAction], path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen: Vec<&ValidationAction> = Vec::new();
    for (i, action) in actions.iter().enumerate() {
        // A named string type: upstream renders the value as JSON.
        if !action.is_supported() {
            errs.push(FieldError::not_supported_json(
                path.clone().index(i),
                action.as_str(),
                &["Audit", "Deny", "Warn"],
            ));
        }
        if seen.contains(&action) {
            errs.push(FieldError::new(
                path.clone().index(i),
                ErrorType::Duplicate,
                BadValue::Json(go_json(action.as_str())),
                "",
            ));
        } else {
            seen.push(action);
        }
    }
    if seen.contains(&&ValidationAction::Deny) && seen.contains(&&ValidationAction::Warn) {
        let names: Vec<String> = actions.iter().map(|a| a.as_str().to_owned()).collect();
        errs.push(FieldError::new(
            path.clone(),
            ErrorType::Invalid,
            BadValue::List(names),
            "must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)",
        ));
    }
    if seen.is_empty() {
        errs.push(FieldError::required(
            path.clone(),
            "at least one validation action is required",
        ));
    }
    errs
}
