//! What evaluating one policy for one binding and one param yields (upstream
//! `ValidateResult`), and the trait the CEL-backed validator implements.

use serde_json::Value;

use crate::request::AdmissionRequest;
use crate::resource::{GroupVersionKind, GroupVersionResource};

/// The runtime CEL cost budget of one policy evaluation (per binding and param):
/// validations, then message expressions, share it (`celconfig.RuntimeCELCostBudget`).
pub const RUNTIME_CEL_COST_BUDGET: i64 = 10_000_000;

/// What a validation decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The validation holds.
    Admit,
    /// The validation failed, or its evaluation failed under `failurePolicy: Fail`.
    Deny,
}

/// How the decision came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evaluation {
    /// The expression was true.
    Admit,
    /// The expression was false.
    Deny,
    /// The expression (or compilation, or a match condition) failed.
    Error,
}

/// One validation's decision (upstream `PolicyDecision`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDecision {
    /// Admit or deny.
    pub action: Action,
    /// Why.
    pub evaluation: Evaluation,
    /// The message for a denial.
    pub message: String,
    /// The Status reason for a denial; empty means `Invalid`.
    pub reason: String,
}

impl PolicyDecision {
    /// The decision for an evaluation error under `failure_policy`: deny under `Fail`,
    /// admit under `Ignore`.
    pub fn for_error(fail: bool, message: impl Into<String>) -> Self {
        PolicyDecision {
            action: if fail { Action::Deny } else { Action::Admit },
            evaluation: Evaluation::Error,
            message: message.into(),
            reason: String::new(),
        }
    }
}

/// What an audit annotation's evaluation decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditAnnotationAction {
    /// Publish `value` under the key.
    Publish(String),
    /// Nothing to publish (null or blank value).
    Exclude,
    /// The evaluation failed under `failurePolicy: Fail`: the request is denied.
    Error(String),
}

/// One audit annotation's result (upstream `PolicyAuditAnnotation`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyAuditAnnotation {
    /// The annotation key as the policy names it.
    pub key: String,
    /// What to do with it.
    pub action: AuditAnnotationAction,
}

/// The result of validating one request against one policy with one param.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidateResult {
    /// One decision per validation, in order (empty when a match condition is false).
    pub decisions: Vec<PolicyDecision>,
    /// One result per audit annotation, in order.
    pub audit_annotations: Vec<PolicyAuditAnnotation>,
}

/// The input of one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct ValidateInput<'a> {
    /// The request, with `object`/`oldObject` at the matched version.
    pub request: &'a AdmissionRequest,
    /// The resource the request matched as (what CEL's `request.resource` shows).
    pub matched_resource: &'a GroupVersionResource,
    /// The kind the request matched as (what CEL's `request.kind` shows).
    pub matched_kind: &'a GroupVersionKind,
    /// The request as CEL's `request` shows it ([`AdmissionRequest::to_cel_request`] at the
    /// matched resource and kind).
    pub cel_request: &'a Value,
    /// The param object, or `None` (CEL `params` is null).
    pub param: Option<&'a Value>,
    /// The request's Namespace object as CEL's `namespaceObject` shows it (normalized), or
    /// `None` for cluster-scoped requests.
    pub namespace: Option<&'a Value>,
    /// The remaining runtime cost budget.
    pub cost_budget: i64,
}

/// Evaluates a compiled policy: match conditions, validations with their messages, and audit
/// annotations (upstream `Validator`).
pub trait Validator {
    /// Evaluates the policy for one binding and one param.
    fn validate(&self, input: &ValidateInput<'_>) -> ValidateResult;

    /// Whether [`ValidateInput::cel_request`] is read at all. The dispatcher builds CEL's
    /// `request` once per request and matched version, and not at all when no policy reads it
    /// (it is then `null`).
    fn reads_request(&self) -> bool {
        true
    }
}
