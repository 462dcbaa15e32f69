//! Evaluates an admission request against every policy and binding, exactly as the API
//! server's ValidatingAdmissionPolicy plugin dispatches it: policies in order, each matching
//! binding's params, each decision routed through the binding's validation actions, audit
//! annotations collected per policy, and the first denial as the Status.

use palisade_core::quote::go_json;
use serde::Serialize;
use serde_json::Value;

use crate::resource::{GroupVersionKind, GroupVersionResource};

use crate::cluster::Cluster;
use crate::matching::{Namespaces, matches};
use crate::params::collect_params;
use crate::policy::{
    MatchResources, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding, ValidationAction,
};
use crate::request::AdmissionRequest;
use crate::response::{AdmissionResponse, Status, StatusCause, StatusDetails, forbidden};
use crate::validator::{
    Action, AuditAnnotationAction, PolicyDecision, RUNTIME_CEL_COST_BUDGET, ValidateInput,
    Validator,
};

/// The longest audit annotation value; longer values are cut (`maxAuditAnnotationValueLength`).
pub const MAX_AUDIT_ANNOTATION_VALUE_LENGTH: usize = 10 * 1024;
/// The most validation failures recorded in the audit annotation.
pub const MAX_VALIDATION_FAILURES: usize = 50;
/// The audit annotation that records failures under the `Audit` action.
pub const VALIDATION_FAILURE_ANNOTATION: &str =
    "validation.policy.admission.k8s.io/validation_failure";

/// Kinds in `admissionregistration.k8s.io` whose requests policies never see.
const EXEMPT_KINDS: &[&str] = &[
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
];

/// A policy ready to evaluate: the policy (API defaults applied), its compiled validator,
/// or the error that makes it unusable.
pub struct PolicyHook<'a> {
    /// The policy.
    pub policy: &'a ValidatingAdmissionPolicy,
    /// Its bindings, in evaluation order.
    pub bindings: &'a [ValidatingAdmissionPolicyBinding],
    /// The compiled policy.
    pub validator: &'a dyn Validator,
    /// Why the policy cannot be used (e.g. its paramKind is not served).
    pub configuration_error: Option<String>,
}

/// One entry of the validation-failure audit annotation, fields in upstream's order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidationFailure {
    message: String,
    policy: String,
    binding: String,
    expression_index: usize,
    validation_actions: Vec<ValidationAction>,
}

struct Denial {
    policy: String,
    binding: Option<String>,
    decision: PolicyDecision,
}

/// A configuration error: a denial under `failurePolicy: Fail`, nothing under `Ignore`.
fn config_error(
    fail: bool,
    policy: &str,
    binding: Option<&ValidatingAdmissionPolicyBinding>,
    message: String,
    denials: &mut Vec<Denial>,
) {
    if fail {
        let what = if binding.is_some() {
            "binding"
        } else {
            "policy"
        };
        denials.push(Denial {
            policy: policy.to_owned(),
            binding: binding.map(|b| b.metadata.name.clone()),
            decision: PolicyDecision::for_error(
                true,
                format!("failed to configure {what}: {message}"),
            ),
        });
    }
}

/// Whether the request is for a kind policies never apply to.
pub fn is_exempt(request: &AdmissionRequest) -> bool {
    request.kind.group == "admissionregistration.k8s.io"
        && EXEMPT_KINDS.contains(&request.kind.kind.as_str())
}

/// What a validator that never reads CEL's `request` (nor `authorizer`) is given instead of it.
static UNREAD_REQUEST: Value = Value::Null;

/// Evaluates `request` against `hooks` in `cluster`.
pub fn dispatch(
    hooks: &[PolicyHook<'_>],
    request: &AdmissionRequest,
    cluster: &Cluster,
) -> AdmissionResponse {
    let mut response = AdmissionResponse {
        allowed: true,
        ..Default::default()
    };
    if is_exempt(request) {
        return response;
    }
    let mut denials: Vec<Denial> = Vec::new();
    let mut failures: Vec<ValidationFailure> = Vec::new();
    let everything = MatchResources::default().defaulted();
    // The request and namespace as CEL sees them, built once per request (and per matched
    // version).
    let mut request_cache: Vec<(&GroupVersionResource, &GroupVersionKind, Value)> = Vec::new();
    // Every policy sees the same namespace: looked up once.
    let mut namespace_cache: Option<Value> = None;
    for hook in hooks {
        let policy = hook.policy;
        let name = policy.metadata.name.as_str();
        let fail = policy.spec.fails_closed();
        let constraints = policy
            .spec
            .match_constraints
            .as_ref()
            .unwrap_or(&everything);
        let matched = match matches(constraints, request, cluster, &cluster.equivalents) {
            Ok(Some(m)) => m,
            Ok(None) => continue,
            Err(e) => {
                config_error(fail, name, None, e.to_string(), &mut denials);
                continue;
            }
        };
        if let Some(e) = &hook.configuration_error {
            config_error(fail, name, None, e.clone(), &mut denials);
            continue;
        }
        let mut annotations: Vec<(String, Vec<String>)> = Vec::new();
        for binding in hook.bindings {
            if let Some(criteria) = &binding.spec.match_resources {
                match matches(criteria, request, cluster, &cluster.equivalents) {
                    Ok(Some(_)) => {}
                    Ok(None) => continue,
                    Err(e) => {
                        config_error(fail, name, Some(binding), e.to_string(), &mut denials);
                        continue;
                    }
                }
            }
            let params = match collect_params(
                policy.spec.param_kind.as_ref(),
                binding.spec.param_ref.as_ref(),
                &request.namespace,
                cluster,
            ) {
                Ok(p) => p,
                Err(e) => {
                    config_error(fail, name, Some(binding), e.to_string(), &mut denials);
                    continue;
                }
            };
            let namespace_name = if request.kind.group.is_empty()
                && request.kind.version == "v1"
                && request.kind.kind == "Namespace"
            {
                ""
            } else {
                request.namespace.as_str()
            };
            let namespace = if namespace_name.is_empty() {
                None
            } else {
                if namespace_cache.is_none() {
                    match cluster.namespace(namespace_name) {
                        Some(ns) => {
                            namespace_cache =
                                Some(palisade_cel::k8s::activation::normalize_namespace(ns));
                        }
                        None => return namespace_not_found(namespace_name),
                    }
                }
                namespace_cache.as_ref()
            };
            let cel_request = if hook.validator.reads_request() {
                let i = match request_cache
                    .iter()
                    .position(|(r, k, _)| *r == matched.resource && *k == matched.kind)
                {
                    Some(i) => i,
                    None => {
                        request_cache.push((
                            matched.resource,
                            matched.kind,
                            request.to_cel_request(matched.resource, matched.kind),
                        ));
                        request_cache.len() - 1
                    }
                };
                request_cache.get(i).map(|(_, _, j)| j)
            } else {
                Some(&UNREAD_REQUEST)
            };
            for param in params.iter() {
                let Some(cel_request) = cel_request else {
                    continue;
                };
                let result = hook.validator.validate(&ValidateInput {
                    request,
                    cel_request,
                    matched_resource: matched.resource,
                    matched_kind: matched.kind,
                    param,
                    namespace,
                    cost_budget: RUNTIME_CEL_COST_BUDGET,
                });
                for (index, decision) in result.decisions.into_iter().enumerate() {
                    if decision.action != Action::Deny {
                        continue;
                    }
                    for action in &binding.spec.validation_actions {
                        match action {
                            ValidationAction::Deny => denials.push(Denial {
                                policy: name.to_owned(),
                                binding: Some(binding.metadata.name.clone()),
                                decision: decision.clone(),
                            }),
                            ValidationAction::Audit => failures.push(ValidationFailure {
                                message: decision.message.clone(),
                                policy: binding.spec.policy_name.clone(),
                                binding: binding.metadata.name.clone(),
                                expression_index: index,
                                validation_actions: binding.spec.validation_actions.clone(),
                            }),
                            ValidationAction::Warn => response.warnings.push(format!(
                                "Validation failed for ValidatingAdmissionPolicy '{name}' with binding '{}': {}",
                                binding.metadata.name, decision.message
                            )),
                            // Refused on create: a stored binding never holds one.
                            ValidationAction::Unsupported(_) => {}
                        }
                    }
                }
                for annotation in result.audit_annotations {
                    match annotation.action {
                        AuditAnnotationAction::Publish(mut value) => {
                            truncate_at_char_boundary(
                                &mut value,
                                MAX_AUDIT_ANNOTATION_VALUE_LENGTH,
                            );
                            add_annotation(&mut annotations, annotation.key, value);
                        }
                        AuditAnnotationAction::Error(message) => denials.push(Denial {
                            policy: name.to_owned(),
                            binding: Some(binding.metadata.name.clone()),
                            decision: PolicyDecision::for_error(true, message),
                        }),
                        AuditAnnotationAction::Exclude => {}
                    }
                }
            }
        }
        for (key, values) in annotations {
            response
                .audit_annotations
                .insert(format!("{name}/{key}"), values.join(", "));
        }
    }
    if !failures.is_empty() {
        failures.truncate(MAX_VALIDATION_FAILURES);
        response
            .audit_annotations
            .insert(VALIDATION_FAILURE_ANNOTATION.to_owned(), go_json(&failures));
    }
    if let Some(first) = denials.first() {
        let message = match &first.binding {
            Some(b) => format!(
                "ValidatingAdmissionPolicy '{}' with binding '{b}' denied request: {}",
                first.policy, first.decision.message
            ),
            None => format!(
                "ValidatingAdmissionPolicy '{}' denied request: {}",
                first.policy, first.decision.message
            ),
        };
        let reason = if first.decision.reason.is_empty() {
            "Invalid"
        } else {
            first.decision.reason.as_str()
        };
        response.allowed = false;
        response.status = Some(forbidden(request, &message, reason));
    }
    response
}

/// Adds a value under a key once (upstream's collector keeps distinct values per key, in
/// the order first seen).
fn add_annotation(annotations: &mut Vec<(String, Vec<String>)>, key: String, value: String) {
    match annotations.iter_mut().find(|(k, _)| *k == key) {
        Some((_, values)) => {
            if !values.contains(&value) {
                values.push(value);
            }
        }
        None => annotations.push((key, vec![value])),
    }
}

/// Cuts `s` to at most `max` bytes. Go slices bytes; a cut inside a UTF-8 sequence keeps
/// the whole bytes before it, as here (a Rust string cannot hold the partial sequence).
fn truncate_at_char_boundary(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
}

/// The request's namespace does not exist: the plugin returns the lookup's NotFound error.
fn namespace_not_found(name: &str) -> AdmissionResponse {
    AdmissionResponse {
        allowed: false,
        status: Some(Status {
            code: 404,
            reason: "NotFound".to_owned(),
            message: format!(
                "namespaces {} not found",
                palisade_core::quote::GoQuoted(name)
            ),
            details: Some(StatusDetails {
                name: name.to_owned(),
                group: String::new(),
                kind: "namespaces".to_owned(),
                causes: Vec::<StatusCause>::new(),
            }),
        }),
        ..Default::default()
    }
}

/// The bindings of a policy (those whose `policyName` names it, in order).
pub fn bindings_for(
    policy: &ValidatingAdmissionPolicy,
    bindings: &[ValidatingAdmissionPolicyBinding],
) -> Vec<ValidatingAdmissionPolicyBinding> {
    bindings
        .iter()
        .filter(|b| b.spec.policy_name == policy.metadata.name)
        .cloned()
        .collect()
}
