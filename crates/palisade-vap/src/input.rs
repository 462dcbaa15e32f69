//! One admission evaluation as data: the cluster state (policies, bindings, params,
//! namespaces, API resources, equivalent resources) and the request — the `vap` op of the
//! JSONL protocol and one case of the conformance corpus.

use serde::Deserialize;
use serde_json::Value;

use crate::cel::CelValidator;
use crate::cluster::{ApiResource, Cluster};
use crate::dispatch::{PolicyHook, bindings_for, dispatch};
use crate::equivalent::{EquivalentResource, EquivalentResources};
use crate::grants::GrantsAuthorizer;
use crate::policy::{ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding};
use crate::request::AdmissionRequest;
use crate::resource::{GroupVersionKind, GroupVersionResource};
use crate::response::AdmissionResponse;
use crate::validator::Validator;

/// A resource served at several versions (`{group, resource, subResource, versions}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EquivalentResourceGroup {
    /// The API group.
    #[serde(default)]
    pub group: String,
    /// The resource.
    pub resource: String,
    /// The subresource the kinds below are for; empty for the main resource.
    #[serde(default)]
    pub sub_resource: String,
    /// Each version and the kind it serves.
    pub versions: Vec<VersionKind>,
}

/// One version of an [`EquivalentResourceGroup`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct VersionKind {
    /// The version.
    pub version: String,
    /// The kind served at that version.
    pub kind: String,
}

/// The cluster state and the request of one admission evaluation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionInput {
    /// The policies, in evaluation order.
    #[serde(default)]
    pub policies: Vec<ValidatingAdmissionPolicy>,
    /// The bindings, in evaluation order.
    #[serde(default)]
    pub bindings: Vec<ValidatingAdmissionPolicyBinding>,
    /// Every object of the kinds used as params.
    #[serde(default)]
    pub params: Vec<Value>,
    /// The namespaces that exist.
    #[serde(default)]
    pub namespaces: Vec<Value>,
    /// API resources beyond ConfigMap, Secret and Namespace.
    #[serde(default)]
    pub api_resources: Vec<ApiResource>,
    /// Resources served at several versions.
    #[serde(default)]
    pub equivalent_resources: Vec<EquivalentResourceGroup>,
    /// Cluster-wide RBAC rules per user, answering CEL `authorizer` checks.
    #[serde(default)]
    pub authorizer: Option<GrantsAuthorizer>,
    /// The admission request.
    pub request: AdmissionRequest,
}

impl AdmissionInput {
    /// The cluster state, with API defaults applied to nothing (see [`Self::evaluate`]).
    pub fn cluster(&self) -> Cluster {
        let mut groups: Vec<Vec<EquivalentResource>> = Vec::new();
        for g in &self.equivalent_resources {
            let mut entries = Vec::new();
            for v in &g.versions {
                let resource = GroupVersionResource::new(&g.group, &v.version, &g.resource);
                let kind = GroupVersionKind::new(&g.group, &v.version, &v.kind);
                let mut entry = EquivalentResource {
                    resource,
                    kind: kind.clone(),
                    subresources: Default::default(),
                };
                if !g.sub_resource.is_empty() {
                    entry.subresources.insert(g.sub_resource.clone(), kind);
                }
                entries.push(entry);
            }
            groups.push(entries);
        }
        Cluster {
            namespaces: self.namespaces.clone(),
            params: self.params.clone(),
            api_resources: self.api_resources.clone(),
            equivalents: EquivalentResources { groups },
        }
    }

    /// Evaluates the request as the API server does, applying the API's defaults to the
    /// policies and bindings first. `compile` turns a policy into its [`Validator`].
    pub fn evaluate(
        &self,
        compile: &dyn Fn(&ValidatingAdmissionPolicy) -> Box<dyn Validator>,
    ) -> AdmissionResponse {
        let cluster = self.cluster();
        let policies: Vec<ValidatingAdmissionPolicy> = self
            .policies
            .iter()
            .cloned()
            .map(|p| p.defaulted())
            .collect();
        let bindings: Vec<ValidatingAdmissionPolicyBinding> = self
            .bindings
            .iter()
            .cloned()
            .map(|b| b.defaulted())
            .collect();
        let validators: Vec<Box<dyn Validator>> = policies.iter().map(compile).collect();
        let hooks: Vec<PolicyHook<'_>> = policies
            .iter()
            .zip(&validators)
            .map(|(policy, validator)| PolicyHook {
                policy,
                bindings: bindings_for(policy, &bindings),
                validator: validator.as_ref(),
                configuration_error: configuration_error(policy, &cluster),
            })
            .collect();
        dispatch(&hooks, &self.request, &cluster)
    }
}

/// Evaluates `input` as the API server does, with the CEL evaluation of each policy in the
/// newest Kubernetes environment and `input.authorizer` (or no opinion) answering
/// `authorizer` checks.
pub fn evaluate(input: &AdmissionInput) -> AdmissionResponse {
    let grants = input.authorizer.clone().unwrap_or_default();
    evaluate_with_authorizer(input, &|| Box::new(grants.clone()))
}

/// Evaluates `input` with `authorizer` making the authorizer each compiled policy asks.
pub fn evaluate_with_authorizer(
    input: &AdmissionInput,
    authorizer: &dyn Fn() -> Box<dyn palisade_cel::authz::Authorizer>,
) -> AdmissionResponse {
    input.evaluate(&|policy| -> Box<dyn Validator> {
        match CelValidator::compile(policy, None, authorizer()) {
            Ok(v) => Box::new(v),
            Err(e) => Box::new(Unusable(e.to_string())),
        }
    })
}

/// A policy that cannot be compiled at all: every evaluation is an error.
struct Unusable(String);

impl Validator for Unusable {
    fn validate(
        &self,
        _: &crate::validator::ValidateInput<'_>,
    ) -> crate::validator::ValidateResult {
        crate::validator::ValidateResult {
            decisions: vec![crate::validator::PolicyDecision::for_error(
                true,
                self.0.clone(),
            )],
            audit_annotations: Vec::new(),
        }
    }
}

/// Why a policy cannot be used at all: its paramKind is not served.
pub fn configuration_error(
    policy: &ValidatingAdmissionPolicy,
    cluster: &Cluster,
) -> Option<String> {
    let kind = policy.spec.param_kind.as_ref()?;
    if cluster.param_scope(kind).is_some() {
        return None;
    }
    let (group, version) = kind
        .api_version
        .rsplit_once('/')
        .unwrap_or(("", kind.api_version.as_str()));
    Some(format!(
        "failed to find resource referenced by paramKind: '{}'",
        GroupVersionKind::new(group, version, &kind.kind)
    ))
}
