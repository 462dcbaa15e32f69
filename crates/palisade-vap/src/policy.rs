//! `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy and
//! ValidatingAdmissionPolicyBinding, as written. Fields the API defaults are `Option`s here;
//! [`ValidatingAdmissionPolicy::defaulted`] and [`ValidatingAdmissionPolicyBinding::defaulted`]
//! apply the API server's defaults.

use std::collections::BTreeMap;

use palisade_core::selector::LabelSelector;
use serde::{Deserialize, Serialize};

/// The metadata palisade reads from a policy, binding or param.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// The name.
    #[serde(default)]
    pub name: String,
    /// The namespace (params may be namespaced).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// The labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A ValidatingAdmissionPolicy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatingAdmissionPolicy {
    /// The metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The specification.
    #[serde(default)]
    pub spec: PolicySpec,
}

/// `spec` of a ValidatingAdmissionPolicy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySpec {
    /// The kind of the param resource, when the policy is parameterised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param_kind: Option<ParamKind>,
    /// The resources the policy applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_constraints: Option<MatchResources>,
    /// The validations, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validations: Vec<Validation>,
    /// `Fail` (default) or `Ignore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_policy: Option<FailurePolicy>,
    /// Audit annotations to publish.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit_annotations: Vec<AuditAnnotation>,
    /// Conditions that must all hold for the validations to run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_conditions: Vec<MatchCondition>,
    /// Named expressions the others can use as `variables.<name>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<Variable>,
}

/// `spec.paramKind`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamKind {
    /// `group/version` of the param resource.
    #[serde(default)]
    pub api_version: String,
    /// The kind of the param resource.
    #[serde(default)]
    pub kind: String,
}

/// What happens when a policy cannot be evaluated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FailurePolicy {
    /// The request is denied.
    #[default]
    Fail,
    /// The error is ignored.
    Ignore,
    /// Any other value: the API server refuses it on create (validation reports it); here it
    /// evaluates as `Fail`.
    #[serde(untagged)]
    Unsupported(String),
}

/// How rules match requests made through other versions of the same resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatchPolicy {
    /// Only the versions the rules name.
    Exact,
    /// Also equivalent versions and groups of the same resource (the API default).
    #[default]
    Equivalent,
    /// Any other value: the API server refuses it on create (validation reports it); here it
    /// evaluates as `Exact`.
    #[serde(untagged)]
    Unsupported(String),
}

/// `matchConstraints` of a policy or `matchResources` of a binding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchResources {
    /// Selects the namespaces whose objects match; `None` (unset) selects nothing.
    #[serde(default)]
    pub namespace_selector: Option<LabelSelector>,
    /// Selects the objects that match by their labels; `None` (unset) selects nothing.
    #[serde(default)]
    pub object_selector: Option<LabelSelector>,
    /// The resources and operations that match; empty matches every request.
    #[serde(default)]
    pub resource_rules: Vec<NamedRuleWithOperations>,
    /// Resources and operations excluded even when a resource rule matches.
    #[serde(default)]
    pub exclude_resource_rules: Vec<NamedRuleWithOperations>,
    /// `Exact` or `Equivalent`; unset behaves as `Exact` in the matcher.
    #[serde(default)]
    pub match_policy: Option<MatchPolicy>,
}

/// A rule of `resourceRules` / `excludeResourceRules`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedRuleWithOperations {
    /// Object names the rule is limited to; empty for every name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource_names: Vec<String>,
    /// `CREATE`, `UPDATE`, `DELETE`, `CONNECT` or `*`.
    #[serde(default)]
    pub operations: Vec<String>,
    /// API groups, `*` for all.
    #[serde(default)]
    pub api_groups: Vec<String>,
    /// API versions, `*` for all.
    #[serde(default)]
    pub api_versions: Vec<String>,
    /// Resources, `res/sub` for subresources, `*` and `*/*` wildcards.
    #[serde(default)]
    pub resources: Vec<String>,
    /// `Cluster`, `Namespaced` or `*` (unset behaves as `*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// One validation of a policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Validation {
    /// The CEL expression that must be true.
    #[serde(default)]
    pub expression: String,
    /// The message when it is false.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The Status reason when it is false (default `Invalid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A CEL expression computing the message.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message_expression: String,
}

/// An audit annotation a policy publishes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditAnnotation {
    /// The key (prefixed with `<policy name>/` when published).
    #[serde(default)]
    pub key: String,
    /// A CEL expression giving the value, or null for none.
    #[serde(default)]
    pub value_expression: String,
}

/// A match condition: a CEL expression that must be true for the policy to apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchCondition {
    /// The condition's name.
    #[serde(default)]
    pub name: String,
    /// The CEL expression.
    #[serde(default)]
    pub expression: String,
}

/// A named CEL expression the others can read as `variables.<name>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Variable {
    /// The name.
    #[serde(default)]
    pub name: String,
    /// The CEL expression.
    #[serde(default)]
    pub expression: String,
}

/// A ValidatingAdmissionPolicyBinding.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatingAdmissionPolicyBinding {
    /// The metadata.
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// The specification.
    #[serde(default)]
    pub spec: BindingSpec,
}

/// `spec` of a binding.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BindingSpec {
    /// The policy this binding binds.
    #[serde(default)]
    pub policy_name: String,
    /// Which params to evaluate the policy with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param_ref: Option<ParamRef>,
    /// Further limits on the requests the binding applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_resources: Option<MatchResources>,
    /// `Deny`, `Warn` and/or `Audit`.
    #[serde(default)]
    pub validation_actions: Vec<ValidationAction>,
}

/// `spec.paramRef` of a binding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamRef {
    /// One param by name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The params' namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Params selected by label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// `Allow` or `Deny` (default) when no param is found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_not_found_action: Option<ParameterNotFoundAction>,
}

/// What a binding does when its params are not found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParameterNotFoundAction {
    /// The request is admitted.
    Allow,
    /// The request is denied (subject to the failure policy).
    #[default]
    Deny,
    /// Any other value: the API server refuses it on create (validation reports it); here it
    /// evaluates as `Allow`.
    #[serde(untagged)]
    Unsupported(String),
}

/// What a failing validation does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValidationAction {
    /// Deny the request.
    Deny,
    /// Return a warning.
    Warn,
    /// Record an audit annotation.
    Audit,
    /// Any other value: the API server refuses it on create (validation reports it); here it
    /// does nothing.
    #[serde(untagged)]
    Unsupported(String),
}

/// The API's names of an enum's values, and the value of `Unsupported`.
macro_rules! api_names {
    ($ty:ident { $($variant:ident),* }) => {
        impl $ty {
            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($ty::$variant => stringify!($variant),)*
                    $ty::Unsupported(other) => other,
                }
            }

            /// Whether the API defines the value.
            pub fn is_supported(&self) -> bool {
                !matches!(self, $ty::Unsupported(_))
            }
        }
    };
}

api_names!(FailurePolicy { Fail, Ignore });
api_names!(MatchPolicy { Exact, Equivalent });
api_names!(ParameterNotFoundAction { Allow, Deny });
api_names!(ValidationAction { Deny, Warn, Audit });

impl PolicySpec {
    /// Whether an evaluation error denies the request: the failure policy is not `Ignore`.
    pub fn fails_closed(&self) -> bool {
        !matches!(self.failure_policy, Some(FailurePolicy::Ignore))
    }
}

impl MatchResources {
    /// Whether requests through equivalent resources match too (`matchPolicy: Equivalent`).
    pub fn matches_equivalents(&self) -> bool {
        matches!(self.match_policy, Some(MatchPolicy::Equivalent))
    }

    /// The API server's defaults: `{}` selectors, `Equivalent` match policy, `*` scope.
    #[must_use]
    pub fn defaulted(mut self) -> Self {
        self.namespace_selector
            .get_or_insert_with(LabelSelector::default);
        self.object_selector
            .get_or_insert_with(LabelSelector::default);
        self.match_policy.get_or_insert(MatchPolicy::Equivalent);
        for rule in self
            .resource_rules
            .iter_mut()
            .chain(self.exclude_resource_rules.iter_mut())
        {
            rule.scope.get_or_insert_with(|| "*".to_owned());
        }
        self
    }
}

impl ValidatingAdmissionPolicy {
    /// The policy with the API server's defaults applied (failure policy `Fail`, reasons
    /// `Invalid`, and the match defaults of [`MatchResources::defaulted`]).
    #[must_use]
    pub fn defaulted(mut self) -> Self {
        self.spec.failure_policy.get_or_insert(FailurePolicy::Fail);
        self.spec.match_constraints = self.spec.match_constraints.map(MatchResources::defaulted);
        for v in &mut self.spec.validations {
            v.reason.get_or_insert_with(|| "Invalid".to_owned());
        }
        self
    }
}

impl ValidatingAdmissionPolicyBinding {
    /// The binding with the API server's defaults applied (`parameterNotFoundAction: Deny`
    /// and the match defaults of [`MatchResources::defaulted`]).
    #[must_use]
    pub fn defaulted(mut self) -> Self {
        if let Some(p) = &mut self.spec.param_ref {
            p.parameter_not_found_action
                .get_or_insert(ParameterNotFoundAction::Deny);
        }
        self.spec.match_resources = self.spec.match_resources.map(MatchResources::defaulted);
        self
    }
}
