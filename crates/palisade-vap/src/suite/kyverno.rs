//! `kyverno test` manifests (`kyverno-test.yaml`, `cli.kyverno.io/v1alpha1` `Test`), read as
//! palisade suites for their ValidatingAdmissionPolicy results, so that Kyverno users can
//! switch without rewriting their tests.
//!
//! ```yaml
//! apiVersion: cli.kyverno.io/v1alpha1
//! kind: Test
//! metadata: {name: replicas}
//! policies: [policy.yaml]       # policies and their bindings
//! resources: [resources.yaml]   # the objects the results name, and params
//! variables: values.yaml        # optional: namespaceSelector gives namespaces their labels
//! results:
//! - policy: check-deployment-replicas
//!   isValidatingAdmissionPolicy: true
//!   kind: Deployment
//!   resources: [staging-deployment-1]    # or `resource:` with one name
//!   result: fail                 # pass | fail | skip | error
//! ```
//!
//! Each named resource is submitted as a CREATE. `pass` means the policy applies and every
//! validation holds, `fail` that a validation does not hold, `skip` that the policy's match
//! constraints, its bindings' match resources or a match condition leave the resource out,
//! and `error` that something could not be evaluated. The evaluation is the API server's
//! (see [`crate::outcome`]).

use serde::Deserialize;
use serde_json::{Value, json};

use super::format::{Case, ObjectRef, Reference};
use super::resolve::{
    Expectation, PolicyExpect, ResolveError, ResolvedCase, ResolvedSuite, add_missing_namespace,
    case_request, find_resource,
};
use crate::input::AdmissionInput;
use crate::outcome::Matching;

/// A `kyverno test` manifest.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KyvernoTest {
    /// `metadata`, for the name.
    #[serde(default)]
    pub metadata: Option<KyvernoMetadata>,
    /// The name (older manifests).
    #[serde(default)]
    pub name: Option<String>,
    /// Files with the policies and bindings (relative to the manifest).
    #[serde(default)]
    pub policies: Vec<String>,
    /// Files with the resources.
    #[serde(default)]
    pub resources: Vec<String>,
    /// A `Values` file.
    #[serde(default)]
    pub variables: Option<String>,
    /// The expected results.
    #[serde(default)]
    pub results: Vec<KyvernoResult>,
}

/// `metadata` of a test.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct KyvernoMetadata {
    /// The test's name.
    #[serde(default)]
    pub name: String,
}

/// One expected result: a policy, resources of a kind, and what the policy does with them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KyvernoResult {
    /// The policy's name.
    pub policy: String,
    /// The resources' kind.
    #[serde(default)]
    pub kind: String,
    /// One resource name (older manifests).
    #[serde(default)]
    pub resource: Option<String>,
    /// Resource names.
    #[serde(default)]
    pub resources: Vec<String>,
    /// The resources' namespace, when names repeat across namespaces.
    #[serde(default)]
    pub namespace: Option<String>,
    /// `pass`, `fail`, `skip` or `error`.
    pub result: String,
    /// Marks a ValidatingAdmissionPolicy result.
    #[serde(default)]
    pub is_validating_admission_policy: bool,
}

/// A `Values` file: namespaces with their labels.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KyvernoValues {
    /// Namespaces and their labels.
    #[serde(default)]
    pub namespace_selector: Vec<KyvernoNamespace>,
}

/// One namespace of a `Values` file.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct KyvernoNamespace {
    /// The namespace.
    pub name: String,
    /// Its labels.
    #[serde(default)]
    pub labels: serde_json::Map<String, Value>,
}

/// Whether a document is a `kyverno test` manifest: `kind: Test` of a Kyverno API group, or
/// (older manifests) no `kind` with `policies` and `results`.
pub fn is_kyverno_test(document: &Value) -> bool {
    let api_version = palisade_core::object::str_field(document, "apiVersion");
    match document.get("kind") {
        Some(kind) => {
            kind == "Test"
                && (api_version.starts_with("cli.kyverno.io/")
                    || api_version.starts_with("kyverno.io/"))
        }
        None => document.get("policies").is_some() && document.get("results").is_some(),
    }
}

/// A result's expectation as a policy outcome.
fn outcome(result: &str) -> Option<&'static str> {
    match result {
        "pass" => Some("admit"),
        "fail" => Some("deny"),
        "skip" => Some("skip"),
        "error" => Some("error"),
        _ => None,
    }
}

impl KyvernoTest {
    /// The test's name, or `default`.
    pub fn name_or<'a>(&'a self, default: &'a str) -> &'a str {
        self.metadata
            .as_ref()
            .map(|m| m.name.as_str())
            .filter(|n| !n.is_empty())
            .or(self.name.as_deref())
            .unwrap_or(default)
    }

    /// Resolves the test against `resources` (the objects of its `policies` and `resources`
    /// files, read by the caller) and `values` (its `variables` file, if any).
    pub fn resolve(
        &self,
        resources: &[Value],
        values: Option<&KyvernoValues>,
        name: &str,
    ) -> Result<ResolvedSuite, ResolveError> {
        let mut base = AdmissionInput::default();
        for r in resources {
            let kind = palisade_core::object::str_field(r, "kind");
            match kind {
                "ValidatingAdmissionPolicy" | "ValidatingAdmissionPolicyBinding" => {
                    let parsed = if kind == "ValidatingAdmissionPolicy" {
                        serde_json::from_value(r.clone()).map(|p| base.policies.push(p))
                    } else {
                        serde_json::from_value(r.clone()).map(|b| base.bindings.push(b))
                    };
                    parsed.map_err(|e| ResolveError::Case {
                        case: name.to_owned(),
                        message: format!("an invalid {kind}: {e}"),
                    })?;
                }
                "Namespace" => base.namespaces.push(r.clone()),
                _ => base.params.push(r.clone()),
            }
        }
        for ns in values.map_or(&[][..], |v| &v.namespace_selector) {
            let mut labels = ns.labels.clone();
            labels
                .entry("kubernetes.io/metadata.name")
                .or_insert_with(|| json!(ns.name));
            base.namespaces
                .retain(|n| palisade_core::object::metadata_str(n, "name") != Some(&ns.name));
            base.namespaces
                .push(json!({"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": ns.name, "labels": labels}}));
        }
        let mut cases = Vec::new();
        for (i, result) in self.results.iter().enumerate() {
            let fail = |message: String| ResolveError::Case {
                case: format!("results[{i}] ({})", result.policy),
                message,
            };
            if !base
                .policies
                .iter()
                .any(|p| p.metadata.name == result.policy)
            {
                return Err(fail(format!(
                    "no ValidatingAdmissionPolicy {:?} in the test's policies (palisade runs \
                     only ValidatingAdmissionPolicy results)",
                    result.policy
                )));
            }
            let expected = outcome(&result.result).ok_or_else(|| {
                fail(format!(
                    "result {:?}: use pass, fail, skip or error",
                    result.result
                ))
            })?;
            for resource in result.resource.iter().chain(&result.resources) {
                let case_name = format!(
                    "{} {}/{resource}: {}",
                    result.policy, result.kind, result.result
                );
                let reference = Reference {
                    kind: result.kind.clone(),
                    name: resource.clone(),
                    namespace: result.namespace.clone(),
                    api_version: None,
                };
                let object = find_resource(&reference, resources).map_err(&fail)?;
                let case = Case {
                    name: case_name.clone(),
                    object: Some(ObjectRef::Inline(object)),
                    ..Case::default()
                };
                let request = case_request(&case, &[]).map_err(&fail)?;
                let mut input = base.clone();
                add_missing_namespace(&mut input.namespaces, &request.namespace);
                input.request = request;
                cases.push(ResolvedCase {
                    name: case_name,
                    input,
                    expect: Expectation::Policy(PolicyExpect {
                        policy: result.policy.clone(),
                        matching: Matching::Policy,
                        param: None,
                        outcome: expected,
                        message_contains: None,
                    }),
                });
            }
        }
        Ok(ResolvedSuite {
            name: self.name_or(name).to_owned(),
            cases,
        })
    }
}
