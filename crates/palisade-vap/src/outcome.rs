//! What one policy does with one request, as policy test tools (kaptest, `kyverno test`)
//! report it: skipped, admitted, denied or failed — independently of the binding's
//! validation actions and of the policy's failure policy, which decide what the API server
//! then answers.
//!
//! The evaluation itself is the API server's: the same matching, params, match conditions,
//! variables, validations, messages and budgets as [`crate::dispatch()`].
//!
//! ```
//! use palisade_vap::outcome::{Matching, PolicyOutcome, policy_outcome};
//! use palisade_vap::AdmissionInput;
//!
//! let input: AdmissionInput = serde_json::from_value(serde_json::json!({
//!     "policies": [{"metadata": {"name": "replicas"}, "spec": {
//!         "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
//!             "operations": ["CREATE"], "resources": ["deployments"]}]},
//!         "validations": [{"expression": "object.spec.replicas <= 5",
//!                          "messageExpression": "'too many: ' + string(object.spec.replicas)"}]}}],
//!     "request": {"operation": "CREATE", "namespace": "default", "name": "web",
//!         "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
//!         "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
//!         "object": {"metadata": {"name": "web"}, "spec": {"replicas": 9}}},
//!     "namespaces": [{"metadata": {"name": "default"}}]
//! })).unwrap();
//! let outcome = policy_outcome(&input, "replicas", Matching::Policy, None);
//! assert_eq!(outcome, PolicyOutcome::Deny { message: "too many: 9".into() });
//! ```

use std::fmt;

use palisade_cel::authz::NoOpinion;
use serde::Serialize;
use serde_json::Value;

use crate::cel::CelValidator;
use crate::input::AdmissionInput;
use crate::matching::{Match, Namespaces, matches};
use crate::params::{Params, collect_params};
use crate::policy::{MatchResources, ValidatingAdmissionPolicy};
use crate::validator::{AuditAnnotationAction, Evaluation, ValidateInput, Validator};

/// What a policy did with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum PolicyOutcome {
    /// The policy does not apply: its match constraints, its bindings or a match condition
    /// leave the request out.
    Skip,
    /// Every validation held.
    Admit,
    /// A validation did not hold; the message is the first failing validation's.
    Deny {
        /// The failure message (messageExpression, message, or `failed expression: …`).
        message: String,
    },
    /// Something could not be evaluated (compilation, a match condition, a validation, an
    /// audit annotation, the cost budget, the params).
    Error {
        /// The first error.
        message: String,
    },
}

impl PolicyOutcome {
    /// `skip`, `admit`, `deny` or `error`.
    pub fn as_str(&self) -> &'static str {
        match self {
            PolicyOutcome::Skip => "skip",
            PolicyOutcome::Admit => "admit",
            PolicyOutcome::Deny { .. } => "deny",
            PolicyOutcome::Error { .. } => "error",
        }
    }

    /// Combines the outcomes of several evaluations (bindings, params): an error wins, then
    /// a denial, then an admission; skipped evaluations count for nothing.
    fn and(self, other: PolicyOutcome) -> PolicyOutcome {
        let rank = |o: &PolicyOutcome| match o {
            PolicyOutcome::Skip => 0,
            PolicyOutcome::Admit => 1,
            PolicyOutcome::Deny { .. } => 2,
            PolicyOutcome::Error { .. } => 3,
        };
        if rank(&other) > rank(&self) {
            other
        } else {
            self
        }
    }
}

impl fmt::Display for PolicyOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyOutcome::Deny { message } | PolicyOutcome::Error { message } => {
                write!(f, "{}: {message}", self.as_str())
            }
            _ => f.write_str(self.as_str()),
        }
    }
}

/// How much of the API server's matching decides whether the policy applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Matching {
    /// The policy's match constraints and its bindings' match resources (a policy without
    /// bindings is evaluated as if bound without further constraints): `kyverno test`.
    Policy,
    /// Neither: the expressions are evaluated for the request whatever it is (kaptest).
    None,
}

/// Evaluates the policy named `policy` of `input` for `input.request`. `param`, when given,
/// is the params object of every evaluation instead of what the bindings' `paramRef` select.
pub fn policy_outcome(
    input: &AdmissionInput,
    policy: &str,
    matching: Matching,
    param: Option<&Value>,
) -> PolicyOutcome {
    let error = |message: String| PolicyOutcome::Error { message };
    let Some(policy) = input.policies.iter().find(|p| p.metadata.name == policy) else {
        return error(format!("no ValidatingAdmissionPolicy {policy:?}"));
    };
    let policy = policy.clone().defaulted();
    let cluster = input.cluster();
    let request = &input.request;
    let everything = MatchResources::default().defaulted();
    let matched = match matching {
        Matching::None => Match {
            resource: &request.resource,
            kind: &request.kind,
        },
        Matching::Policy => {
            let constraints = policy
                .spec
                .match_constraints
                .as_ref()
                .unwrap_or(&everything);
            match matches(constraints, request, &cluster, &cluster.equivalents) {
                Ok(Some(m)) => m,
                Ok(None) => return PolicyOutcome::Skip,
                Err(e) => return error(e.to_string()),
            }
        }
    };
    let validator = match CelValidator::compile(&policy, None, Box::new(NoOpinion)) {
        Ok(v) => v,
        Err(e) => return error(e.to_string()),
    };
    let namespace = match request.namespace.as_str() {
        "" => None,
        name => cluster
            .namespace(name)
            .map(palisade_cel::k8s::activation::normalize_namespace),
    };
    let cel_request = request.to_cel_request(matched.resource, matched.kind);
    let evaluate = |param: Option<&Value>| {
        let result = validator.validate(&ValidateInput {
            request,
            cel_request: &cel_request,
            matched_resource: matched.resource,
            matched_kind: matched.kind,
            param,
            namespace: namespace.as_ref(),
            cost_budget: crate::validator::RUNTIME_CEL_COST_BUDGET,
        });
        classify(&policy, &result)
    };
    let bindings: Vec<_> = input
        .bindings
        .iter()
        .filter(|b| b.spec.policy_name == policy.metadata.name)
        .map(|b| b.clone().defaulted())
        .collect();
    if let Some(param) = param {
        return evaluate(Some(param));
    }
    if bindings.is_empty() {
        return evaluate(None);
    }
    let mut outcome = PolicyOutcome::Skip;
    for binding in &bindings {
        if matching == Matching::Policy
            && let Some(criteria) = &binding.spec.match_resources
        {
            match matches(criteria, request, &cluster, &cluster.equivalents) {
                Ok(Some(_)) => {}
                Ok(None) => continue,
                Err(e) => return error(e.to_string()),
            }
        }
        let params = match collect_params(
            policy.spec.param_kind.as_ref(),
            binding.spec.param_ref.as_ref(),
            &request.namespace,
            &cluster,
        ) {
            Ok(p) => p,
            Err(e) => return error(format!("failed to configure binding: {e}")),
        };
        if params == Params::Objects(Vec::new()) {
            continue;
        }
        for param in params.iter() {
            outcome = outcome.and(evaluate(param));
        }
    }
    outcome
}

/// The outcome of one evaluation.
fn classify(policy: &ValidatingAdmissionPolicy, result: &crate::ValidateResult) -> PolicyOutcome {
    if let Some(e) = result
        .decisions
        .iter()
        .find(|d| d.evaluation == Evaluation::Error)
    {
        return PolicyOutcome::Error {
            message: e.message.clone(),
        };
    }
    if let Some(e) = result
        .audit_annotations
        .iter()
        .find_map(|a| match &a.action {
            AuditAnnotationAction::Error(message) => Some(message),
            _ => None,
        })
    {
        return PolicyOutcome::Error { message: e.clone() };
    }
    if let Some(d) = result
        .decisions
        .iter()
        .find(|d| d.evaluation == Evaluation::Deny)
    {
        return PolicyOutcome::Deny {
            message: d.message.clone(),
        };
    }
    // A policy with validations that decides nothing was left out by a match condition.
    if result.decisions.is_empty() && !policy.spec.validations.is_empty() {
        return PolicyOutcome::Skip;
    }
    PolicyOutcome::Admit
}
