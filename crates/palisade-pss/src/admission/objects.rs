//! Reading the request's objects and the cluster state the plugin looks up: Namespaces, Pods
//! and workload pod templates, with upstream's distinction between an object that cannot be
//! decoded and an object of the wrong type.

use palisade_core::view::null_as_default;
use palisade_core::{FieldPath, Str, StrMap};
use serde::Deserialize;
use serde_json::Value;

use super::request::{AdmissionRequest, GroupVersionKind};
use crate::labels::{GoQuoted, LabelError, PodSecurityLabels, Policy};
use crate::pod::Pod;
use crate::workload::{ObjectError, PodKind, read_pod};

/// Why an object of the request could not be used.
pub(super) enum ReadError {
    /// It could not be decoded (upstream: `GetObject()` failed); the text explains why.
    Decode(String),
    /// It decoded to another type than expected (upstream: the type assertion failed).
    WrongType {
        /// The object's `apiVersion` and `kind`.
        kind: String,
    },
}

/// The parts of a Namespace the plugin reads.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NamespaceDoc<'a> {
    #[serde(borrow, deserialize_with = "null_as_default")]
    metadata: NamespaceMeta<'a>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NamespaceMeta<'a> {
    #[serde(borrow)]
    name: Option<Str<'a>>,
    #[serde(borrow)]
    labels: StrMap<'a>,
}

/// A Namespace: its name and labels.
#[derive(Debug)]
pub(super) struct Namespace<'a> {
    /// `metadata.name`.
    pub(super) name: Str<'a>,
    /// `metadata.labels`.
    pub(super) labels: StrMap<'a>,
}

impl<'a> Namespace<'a> {
    /// The six Pod Security labels.
    pub(super) fn pod_security_labels(&self) -> PodSecurityLabels<'_> {
        PodSecurityLabels::from_labels(self.labels.iter())
    }

    /// The policy of this namespace over `defaults`, with the label errors (upstream
    /// `PolicyToEvaluate`).
    pub(super) fn policy(&self, defaults: &Policy) -> (Policy, Vec<LabelError>) {
        self.pod_security_labels().policy(defaults)
    }
}

/// The type of `value` as Go prints a `GroupVersionKind` (`apps/v1, Kind=Deployment`), when
/// it states an `apiVersion` or `kind` for which `expected(api_version, kind)` is false.
pub(super) fn other_type(value: &Value, expected: impl Fn(&str, &str) -> bool) -> Option<String> {
    let api_version = value.get("apiVersion").and_then(Value::as_str);
    let kind = value.get("kind").and_then(Value::as_str);
    if api_version.is_none() && kind.is_none() {
        return None;
    }
    let (api_version, kind) = (api_version.unwrap_or(""), kind.unwrap_or(""));
    (!expected(api_version, kind))
        .then(|| GroupVersionKind::from_api_version(api_version, kind).to_string())
}

/// Reads a Namespace object. An object that states another type than `v1 Namespace` is the
/// wrong type; one that omits `apiVersion` and `kind` is taken as a Namespace.
pub(super) fn read_namespace(object: Option<&Value>) -> Result<Namespace<'_>, ReadError> {
    let value = object.ok_or_else(|| ReadError::Decode(missing_object()))?;
    if let Some(kind) = other_type(value, |v, k| v == "v1" && k == "Namespace") {
        return Err(ReadError::WrongType { kind });
    }
    let doc = NamespaceDoc::deserialize(value)
        .map_err(|e| ReadError::Decode(format!("invalid Namespace: {}", path_error(value, &e))))?;
    Ok(Namespace {
        name: doc.metadata.name.unwrap_or_default(),
        labels: doc.metadata.labels,
    })
}

/// Looks up the namespace of the request among `request.namespaces` by `metadata.name`, as the
/// plugin's namespace getter does; the error text is what the getter would return.
pub(super) fn lookup_namespace<'a>(
    request: &AdmissionRequest<'a>,
) -> Result<Namespace<'a>, String> {
    let name = request.namespace;
    if name.is_empty() {
        // The informer misses, and client-go refuses a GET without a name.
        return Err("resource name may not be empty".to_owned());
    }
    let found = request.namespaces.iter().find(|ns| {
        ns.get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Value::as_str)
            == Some(name)
    });
    let Some(value) = found else {
        return Err(format!("namespaces {} not found", GoQuoted(name)));
    };
    match read_namespace(Some(value)) {
        Ok(ns) => Ok(ns),
        Err(ReadError::Decode(err)) => Err(err),
        Err(ReadError::WrongType { kind }) => Err(format!("unexpected object type: {kind}")),
    }
}

/// Reads a Pod object. An object that states another type than `v1 Pod` is the wrong type.
pub(super) fn read_pod_object(object: Option<&Value>) -> Result<Pod<'_>, ReadError> {
    let value = object.ok_or_else(|| ReadError::Decode(missing_object()))?;
    if let Some(kind) = other_type(value, |v, k| v == "v1" && k == "Pod") {
        return Err(ReadError::WrongType { kind });
    }
    read_pod(value).map_err(|e| ReadError::Decode(e.to_string()))
}

/// Reads the pod template of a workload object of kind `kind` (upstream
/// `DefaultPodSpecExtractor.ExtractPodSpec`). `Ok(None)` when there is no template to check:
/// a ReplicationController's `spec.template` is optional; every other template is a value, so
/// an absent one reads as an empty pod.
pub(super) fn read_template(kind: PodKind, value: &Value) -> Result<Option<Pod<'_>>, ObjectError> {
    let mut template = Some(value);
    let mut path = FieldPath::root();
    for step in kind.template_path() {
        let Some(current) = template else { break };
        if !current.is_object() {
            return Err(ObjectError::InvalidField {
                kind,
                path,
                message: format!("invalid type: {}, expected an object", json_type(current)),
            });
        }
        template = current.get(*step).filter(|t| !t.is_null());
        path = path.child(step);
    }
    match template {
        Some(t) => read_at(t, kind, path).map(Some),
        None if kind == PodKind::ReplicationController => Ok(None),
        None => Ok(Some(Pod::default())),
    }
}

fn read_at(value: &Value, kind: PodKind, base: FieldPath) -> Result<Pod<'_>, ObjectError> {
    Pod::deserialize(value).map_err(|e| {
        let (path, message) = located(value, &e, base);
        ObjectError::InvalidField {
            kind,
            path,
            message,
        }
    })
}

/// The field path and message of a decoding error, found by decoding again with path tracking.
fn located(value: &Value, err: &serde_json::Error, base: FieldPath) -> (FieldPath, String) {
    match serde_path_to_error::deserialize::<_, Pod<'_>>(value) {
        Ok(_) => (base, err.to_string()),
        Err(e) => {
            let mut path = base;
            for segment in e.path().iter() {
                path = match segment {
                    serde_path_to_error::Segment::Seq { index } => path.index(*index),
                    serde_path_to_error::Segment::Map { key } => path.child(key),
                    serde_path_to_error::Segment::Enum { variant } => path.child(variant),
                    serde_path_to_error::Segment::Unknown => path,
                };
            }
            (path, e.inner().to_string())
        }
    }
}

/// The path and message of a Namespace decoding error.
fn path_error(value: &Value, err: &serde_json::Error) -> String {
    match serde_path_to_error::deserialize::<_, NamespaceDoc<'_>>(value) {
        Ok(_) => err.to_string(),
        Err(e) => format!("{}: {}", e.path(), e.inner()),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn missing_object() -> String {
    "the request has no object".to_owned()
}

/// The `image` of container `index` in `spec.<list>` of a pod object (`""` when unset).
pub(super) fn container_image<'v>(pod: &'v Value, list: &str, index: usize) -> &'v str {
    pod.get("spec")
        .and_then(|s| s.get(list))
        .and_then(|l| l.get(index))
        .and_then(|c| c.get("image"))
        .and_then(Value::as_str)
        .unwrap_or("")
}
