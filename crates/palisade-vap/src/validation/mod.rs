//! Validation of policies and bindings as the API server validates them on create and update
//! (upstream `pkg/apis/admissionregistration/validation`): every rule, with its field path,
//! error type, text and order.
//!
//! The API server validates an object after applying its defaults, so pass
//! [`ValidatingAdmissionPolicy::defaulted`] / [`ValidatingAdmissionPolicyBinding::defaulted`]
//! output to mirror a create request. Expressions are compiled through an
//! [`ExpressionChecker`]: [`CelChecker`] compiles them as the API server does, [`AcceptAll`]
//! skips compilation.
//!
//! Enum fields (`failurePolicy`, `matchPolicy`, `parameterNotFoundAction`,
//! `validationActions`) read any string, so an unsupported value is reported as upstream
//! reports it (`Unsupported value: "…": supported values: …`).
//!
//! ```
//! use palisade_vap::ValidatingAdmissionPolicy;
//! use palisade_vap::validation::{validate_policy, AcceptAll};
//!
//! let policy: ValidatingAdmissionPolicy = serde_json::from_value(serde_json::json!({
//!     "metadata": {"name": "replicas"},
//!     "spec": {
//!         "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
//!             "operations": ["CREATE", "GET"], "resources": ["deployments"]}]},
//!         "validations": [{"expression": "object.spec.replicas <= 5", "reason": "Teapot"}]
//!     }
//! })).unwrap();
//! let errors = validate_policy(&policy.defaulted(), &AcceptAll);
//! assert_eq!(errors.to_string(),
//!     "[spec.matchConstraints.resourceRules[0].operations[1]: Unsupported value: \"GET\": \
//!      supported values: \"*\", \"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\", \
//!      spec.validations[0].reason: Unsupported value: \"Teapot\": \
//!      supported values: \"Forbidden\", \"Invalid\", \"RequestEntityTooLarge\"]");
//! ```

mod binding;
mod cel_checker;
mod expression;
mod policy;
mod rules;

use palisade_core::FieldPath;
use palisade_core::field::{FieldError, ValidationErrors};
use palisade_core::meta::{MetaFields, validate_object_meta};
use palisade_core::validation::name_is_dns_subdomain;

pub use cel_checker::CelChecker;
pub(crate) use cel_checker::compile_error_text;
pub use expression::{
    AcceptAll, CompileError, CompileErrorKind, ExpressionChecker, ExpressionContext, ExpressionRole,
};
pub use policy::{
    MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH, MAX_AUDIT_ANNOTATIONS, MAX_MATCH_CONDITIONS,
};

use crate::policy::{ObjectMeta, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding};

/// upstream `ValidateObjectMeta(meta, false, NameIsDNSSubdomain, "metadata")`.
fn validate_meta(meta: &ObjectMeta) -> Vec<FieldError> {
    let fields = MetaFields {
        name: &meta.name,
        namespace: &meta.namespace,
        labels: &meta.labels,
        ..MetaFields::default()
    };
    validate_object_meta(
        &fields,
        false,
        name_is_dns_subdomain,
        &FieldPath::new(["metadata"]),
    )
}

/// Validates a policy being created (upstream `ValidateValidatingAdmissionPolicy`).
pub fn validate_policy(
    policy: &ValidatingAdmissionPolicy,
    checker: &dyn ExpressionChecker,
) -> ValidationErrors {
    ValidationErrors(policy::validate_policy(
        policy,
        checker,
        &policy::Options::default(),
    ))
}

/// Validates a policy replacing `old` (upstream `ValidateValidatingAdmissionPolicyUpdate`):
/// as on create, except that match conditions are not checked when they and `paramKind` are
/// unchanged, and expressions already in `old` compile in the stored-expressions environment.
pub fn validate_policy_update(
    new: &ValidatingAdmissionPolicy,
    old: &ValidatingAdmissionPolicy,
    checker: &dyn ExpressionChecker,
) -> ValidationErrors {
    let opts = policy::Options {
        ignore_match_conditions: new.spec.param_kind == old.spec.param_kind
            && new.spec.match_conditions == old.spec.match_conditions,
        preexisting: policy::Preexisting::of(old),
    };
    ValidationErrors(policy::validate_policy(new, checker, &opts))
}

/// Validates a binding being created (upstream `ValidateValidatingAdmissionPolicyBinding`).
pub fn validate_binding(binding: &ValidatingAdmissionPolicyBinding) -> ValidationErrors {
    ValidationErrors(binding::validate_binding(binding))
}

/// Validates a binding replacing `old`: upstream applies the create rules unchanged.
pub fn validate_binding_update(
    new: &ValidatingAdmissionPolicyBinding,
    _old: &ValidatingAdmissionPolicyBinding,
) -> ValidationErrors {
    validate_binding(new)
}

#[cfg(test)]
mod tests;
