//! Turns a suite and its resources into admission inputs: policies, bindings, params and
//! namespaces sorted out by kind, and each case's admission request built from its objects.

use serde_json::{Value, json};

use super::format::{Case, Expect, ObjectRef, Reference, Suite};
use crate::input::AdmissionInput;
use crate::outcome::Matching;
use crate::request::{AdmissionRequest, Operation};
use crate::resource::{GroupVersionKind, GroupVersionResource};

/// Kinds whose objects are not in a namespace (the built-in cluster-scoped kinds).
const CLUSTER_SCOPED_KINDS: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "CustomResourceDefinition",
    "PriorityClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "IngressClass",
    "RuntimeClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "APIService",
    "CertificateSigningRequest",
];

/// A case ready to evaluate.
#[derive(Debug, Clone)]
pub struct ResolvedCase {
    /// The case's name.
    pub name: String,
    /// The evaluation: the suite's cluster state and this case's request.
    pub input: AdmissionInput,
    /// The expected answer.
    pub expect: Expectation,
}

/// What a case expects: the API server's answer (palisade's own format), or what one policy
/// does with the request (the formats of kaptest and `kyverno test`).
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// The admission response.
    Response(Expect),
    /// One policy's outcome.
    Policy(PolicyExpect),
}

/// The expected outcome of one policy.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyExpect {
    /// The policy's name.
    pub policy: String,
    /// How much matching decides whether the policy applies.
    pub matching: Matching,
    /// The params object of the evaluation, when the case names one (kaptest's `param`).
    pub param: Option<Value>,
    /// `skip`, `admit`, `deny` or `error` (see [`crate::outcome::PolicyOutcome::as_str`]).
    pub outcome: &'static str,
    /// A text the denial message must contain.
    pub message_contains: Option<String>,
}

/// A suite ready to run.
#[derive(Debug, Clone)]
pub struct ResolvedSuite {
    /// The suite's name.
    pub name: String,
    /// The cases, in order.
    pub cases: Vec<ResolvedCase>,
}

/// Why a suite cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// The document is not an `AdmissionTest`.
    #[error("not a palisade test suite: expected kind AdmissionTest, found {0:?}")]
    NotASuite(String),
    /// A case refers to a resource the suite does not have (or to several).
    #[error("case {case:?}: {message}")]
    Case {
        /// The case's name.
        case: String,
        /// What is wrong.
        message: String,
    },
}

/// The resource of a kind, as the API's default REST mapper guesses it for kinds it has no
/// discovery data for (`UnsafeGuessKindToResource`): lower case, then `s`, `es` after `s`,
/// `ies` for a final `y`; `endpoints` stays as it is.
///
/// ```
/// use palisade_vap::suite::resource_for_kind;
/// assert_eq!(resource_for_kind("networking.k8s.io/v1", "NetworkPolicy").resource, "networkpolicies");
/// assert_eq!(resource_for_kind("networking.k8s.io/v1", "Ingress").resource, "ingresses");
/// assert_eq!(resource_for_kind("v1", "Endpoints").resource, "endpoints");
/// ```
pub fn resource_for_kind(api_version: &str, kind: &str) -> GroupVersionResource {
    let (group, version) = split_api_version(api_version);
    let singular = kind.to_lowercase();
    let plural = if singular.ends_with("endpoints") {
        singular
    } else if singular.ends_with('s') {
        format!("{singular}es")
    } else if let Some(stem) = singular.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{singular}s")
    };
    GroupVersionResource::new(group, version, &plural)
}

pub(crate) fn split_api_version(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

fn str_at<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

impl Suite {
    /// Resolves the suite against `resources` (its `resources` entries, files already read
    /// by the caller, plus the inline ones). `default_name` names the suite when it has no
    /// name.
    pub fn resolve(
        &self,
        resources: &[Value],
        default_name: &str,
    ) -> Result<ResolvedSuite, ResolveError> {
        if self.kind != "AdmissionTest" {
            return Err(ResolveError::NotASuite(self.kind.clone()));
        }
        let mut base = AdmissionInput::default();
        for r in resources {
            let kind = str_at(r, "/kind");
            let value = r.clone();
            match kind {
                "ValidatingAdmissionPolicy" => base.policies.push(from_value(value)),
                "ValidatingAdmissionPolicyBinding" => base.bindings.push(from_value(value)),
                "Namespace" => base.namespaces.push(value),
                _ => base.params.push(value),
            }
        }
        let cases = self
            .cases
            .iter()
            .map(|case| {
                let request =
                    case_request(case, resources).map_err(|message| ResolveError::Case {
                        case: case.name.clone(),
                        message,
                    })?;
                let mut input = base.clone();
                add_missing_namespace(&mut input.namespaces, &request.namespace);
                input.request = request;
                Ok(ResolvedCase {
                    name: case.name.clone(),
                    input,
                    expect: Expectation::Response(case.expect.clone()),
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(ResolvedSuite {
            name: self.name.clone().unwrap_or_else(|| default_name.to_owned()),
            cases,
        })
    }
}

fn from_value<T: serde::de::DeserializeOwned + Default>(v: Value) -> T {
    serde_json::from_value(v).unwrap_or_default()
}

/// A namespaced object can only exist in a namespace that exists: a case's namespace that
/// the suite does not define is added, with the label the API server puts on every namespace.
pub fn add_missing_namespace(namespaces: &mut Vec<Value>, name: &str) {
    if name.is_empty()
        || namespaces
            .iter()
            .any(|ns| str_at(ns, "/metadata/name") == name)
    {
        return;
    }
    namespaces.push(json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}}
    }));
}

pub(crate) fn find_resource(reference: &Reference, resources: &[Value]) -> Result<Value, String> {
    let found: Vec<&Value> = resources
        .iter()
        .filter(|r| {
            str_at(r, "/kind") == reference.kind
                && str_at(r, "/metadata/name") == reference.name
                && reference
                    .namespace
                    .as_deref()
                    .is_none_or(|ns| str_at(r, "/metadata/namespace") == ns)
                && reference
                    .api_version
                    .as_deref()
                    .is_none_or(|v| str_at(r, "/apiVersion") == v)
        })
        .collect();
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!(
            "no resource {} {:?} in the suite",
            reference.kind, reference.name
        )),
        _ => Err(format!(
            "{} resources {} {:?}: give namespace or apiVersion",
            found.len(),
            reference.kind,
            reference.name
        )),
    }
}

fn resolve_object(r: &Option<ObjectRef>, resources: &[Value]) -> Result<Option<Value>, String> {
    match r {
        None => Ok(None),
        Some(ObjectRef::Inline(v)) => Ok(Some(v.clone())),
        Some(ObjectRef::Ref(reference)) => find_resource(reference, resources).map(Some),
    }
}

/// The CREATE request that submits `object` (its resource guessed from its kind, its namespace
/// `default` when a namespaced object names none), as `kubectl create` would send it.
pub fn create_request(object: &Value) -> Result<AdmissionRequest, String> {
    let case = Case {
        name: String::new(),
        object: Some(ObjectRef::Inline(object.clone())),
        ..Case::default()
    };
    case_request(&case, &[])
}

/// The admission request of a case.
pub(crate) fn case_request(case: &Case, resources: &[Value]) -> Result<AdmissionRequest, String> {
    if let Some(request) = &case.request {
        return Ok(request.clone());
    }
    let object = resolve_object(&case.object, resources)?;
    let old_object = resolve_object(&case.old_object, resources)?;
    let operation = match (case.operation, &object, &old_object) {
        (Some(op), _, _) => op,
        (None, Some(_), None) => Operation::Create,
        (None, Some(_), Some(_)) => Operation::Update,
        (None, None, Some(_)) => Operation::Delete,
        (None, None, None) => return Err("give object, oldObject or request".to_owned()),
    };
    let Some(subject) = object.as_ref().or(old_object.as_ref()) else {
        return Err("give object, oldObject or request".to_owned());
    };
    let api_version = str_at(subject, "/apiVersion");
    let kind = str_at(subject, "/kind");
    if kind.is_empty() {
        return Err("the object has no kind".to_owned());
    }
    let (group, version) = split_api_version(api_version);
    let name = str_at(subject, "/metadata/name").to_owned();
    let namespace = if CLUSTER_SCOPED_KINDS.contains(&kind) {
        if kind == "Namespace" && operation != Operation::Create {
            name.clone()
        } else {
            String::new()
        }
    } else {
        match str_at(subject, "/metadata/namespace") {
            "" => "default".to_owned(),
            ns => ns.to_owned(),
        }
    };
    Ok(AdmissionRequest {
        operation,
        kind: GroupVersionKind::new(group, version, kind),
        resource: resource_for_kind(api_version, kind),
        sub_resource: case.sub_resource.clone(),
        name,
        namespace,
        object,
        old_object,
        user_info: case.user_info.clone().unwrap_or_default(),
        dry_run: case.dry_run,
        object_has_no_object_meta: None,
    })
}
