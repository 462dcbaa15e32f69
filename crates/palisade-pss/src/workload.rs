//! Objects that carry a pod: Pods and the workload kinds whose pod template the API server
//! checks (PodTemplate, ReplicationController, ReplicaSet, Deployment, DaemonSet, StatefulSet,
//! Job, CronJob).

use std::fmt;

use palisade_core::FieldPath;
use serde::Deserialize;
use serde_json::Value;

use crate::pod::Pod;

/// A kind that carries a pod or a pod template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PodKind {
    /// `v1 Pod`: evaluated and enforced.
    Pod,
    /// `v1 PodTemplate`: `template`.
    PodTemplate,
    /// `v1 ReplicationController`: `spec.template`.
    ReplicationController,
    /// `apps/v1 ReplicaSet`: `spec.template`.
    ReplicaSet,
    /// `apps/v1 Deployment`: `spec.template`.
    Deployment,
    /// `apps/v1 DaemonSet`: `spec.template`.
    DaemonSet,
    /// `apps/v1 StatefulSet`: `spec.template`.
    StatefulSet,
    /// `batch/v1 Job`: `spec.template`.
    Job,
    /// `batch/v1 CronJob`: `spec.jobTemplate.spec.template`.
    CronJob,
}

impl PodKind {
    /// Every kind, Pod first.
    pub const ALL: [PodKind; 9] = [
        PodKind::Pod,
        PodKind::PodTemplate,
        PodKind::ReplicationController,
        PodKind::ReplicaSet,
        PodKind::Deployment,
        PodKind::DaemonSet,
        PodKind::StatefulSet,
        PodKind::Job,
        PodKind::CronJob,
    ];

    /// The kind's name, e.g. `Deployment`.
    pub const fn as_str(self) -> &'static str {
        match self {
            PodKind::Pod => "Pod",
            PodKind::PodTemplate => "PodTemplate",
            PodKind::ReplicationController => "ReplicationController",
            PodKind::ReplicaSet => "ReplicaSet",
            PodKind::Deployment => "Deployment",
            PodKind::DaemonSet => "DaemonSet",
            PodKind::StatefulSet => "StatefulSet",
            PodKind::Job => "Job",
            PodKind::CronJob => "CronJob",
        }
    }

    /// The API group the kind belongs to (`""` for the core group).
    pub const fn group(self) -> &'static str {
        match self {
            PodKind::Pod | PodKind::PodTemplate | PodKind::ReplicationController => "",
            PodKind::ReplicaSet
            | PodKind::Deployment
            | PodKind::DaemonSet
            | PodKind::StatefulSet => "apps",
            PodKind::Job | PodKind::CronJob => "batch",
        }
    }

    /// The resource name, e.g. `deployments`.
    pub const fn resource(self) -> &'static str {
        match self {
            PodKind::Pod => "pods",
            PodKind::PodTemplate => "podtemplates",
            PodKind::ReplicationController => "replicationcontrollers",
            PodKind::ReplicaSet => "replicasets",
            PodKind::Deployment => "deployments",
            PodKind::DaemonSet => "daemonsets",
            PodKind::StatefulSet => "statefulsets",
            PodKind::Job => "jobs",
            PodKind::CronJob => "cronjobs",
        }
    }

    /// The kind for an `apiVersion` and `kind`, accepting every API version the API server
    /// has served for it (`apps/v1beta2 Deployment`, `batch/v1beta1 CronJob`, …).
    pub fn from_type(api_version: &str, kind: &str) -> Option<PodKind> {
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let k = PodKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
        let group_ok = group == k.group()
            || (group == "extensions"
                && matches!(
                    k,
                    PodKind::ReplicaSet | PodKind::Deployment | PodKind::DaemonSet
                ));
        group_ok.then_some(k)
    }

    /// Where the pod template sits in objects of this kind (empty for a Pod itself).
    pub const fn template_path(self) -> &'static [&'static str] {
        match self {
            PodKind::Pod => &[],
            PodKind::PodTemplate => &["template"],
            PodKind::CronJob => &["spec", "jobTemplate", "spec", "template"],
            _ => &["spec", "template"],
        }
    }
}

impl fmt::Display for PodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An object that carries a pod, read from JSON.
#[derive(Debug, Clone)]
pub struct PodObject<'a> {
    /// The object's kind.
    pub kind: PodKind,
    /// The object's `metadata.name` (of the object, not of its template).
    pub name: Option<&'a str>,
    /// The object's `metadata.namespace`.
    pub namespace: Option<&'a str>,
    /// The pod, or the pod template's `metadata` and `spec`.
    pub pod: Pod<'a>,
}

/// Why an object could not be read as a pod or workload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ObjectError {
    /// The object has no `apiVersion` or `kind`.
    #[error("object has no `apiVersion` and `kind`")]
    MissingType,
    /// A field has the wrong shape.
    #[error("invalid {kind}: {path}: {message}")]
    InvalidField {
        /// The kind being read.
        kind: PodKind,
        /// Where in the object.
        path: FieldPath,
        /// What is wrong.
        message: String,
    },
}

/// Reads `value` as a Pod (kind optional) and reports field errors with their path.
pub fn read_pod(value: &Value) -> Result<Pod<'_>, ObjectError> {
    read_at(value, PodKind::Pod, FieldPath::root())
}

/// Reads an object of one of the [`PodKind`]s; `Ok(None)` for any other kind.
pub fn read_object(value: &Value) -> Result<Option<PodObject<'_>>, ObjectError> {
    let api_version = value.get("apiVersion").and_then(Value::as_str);
    let kind = value.get("kind").and_then(Value::as_str);
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        return Err(ObjectError::MissingType);
    };
    let Some(kind) = PodKind::from_type(api_version, kind) else {
        return Ok(None);
    };
    let meta = value.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Value::as_str);
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str);
    let mut template = Some(value);
    let mut path = FieldPath::root();
    for step in kind.template_path() {
        template = template.and_then(|t| t.get(*step)).filter(|t| !t.is_null());
        path = path.child(step);
    }
    let pod = match template {
        Some(t) => read_at(t, kind, path)?,
        None => Pod::default(),
    };
    Ok(Some(PodObject {
        kind,
        name,
        namespace,
        pod,
    }))
}

fn read_at(value: &Value, kind: PodKind, base: FieldPath) -> Result<Pod<'_>, ObjectError> {
    match Pod::deserialize(value) {
        Ok(pod) => Ok(pod),
        Err(_) => {
            // Read again, tracking the path, only to explain the error.
            let err = match serde_path_to_error::deserialize::<_, Pod<'_>>(value) {
                Ok(pod) => return Ok(pod),
                Err(err) => err,
            };
            let mut path = base;
            for segment in err.path().iter() {
                path = match segment {
                    serde_path_to_error::Segment::Seq { index } => path.index(*index),
                    serde_path_to_error::Segment::Map { key } => path.child(key),
                    serde_path_to_error::Segment::Enum { variant } => path.child(variant),
                    serde_path_to_error::Segment::Unknown => path,
                };
            }
            Err(ObjectError::InvalidField {
                kind,
                path,
                message: err.inner().to_string(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_template_of_each_kind() {
        let spec = json!({"hostPID": true});
        let cases = [
            (
                json!({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":spec}),
                PodKind::Pod,
            ),
            (
                json!({"apiVersion":"v1","kind":"PodTemplate","template":{"spec":spec}}),
                PodKind::PodTemplate,
            ),
            (
                json!({"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":{"spec":spec}}}),
                PodKind::Deployment,
            ),
            (
                json!({"apiVersion":"batch/v1","kind":"CronJob","spec":{"jobTemplate":{"spec":{"template":{"spec":spec}}}}}),
                PodKind::CronJob,
            ),
            (
                json!({"apiVersion":"extensions/v1beta1","kind":"DaemonSet","spec":{"template":{"spec":spec}}}),
                PodKind::DaemonSet,
            ),
        ];
        for (value, kind) in cases {
            let obj = read_object(&value).unwrap().unwrap();
            assert_eq!(obj.kind, kind);
            assert!(obj.pod.spec.host_pid, "{kind}");
        }
        assert!(
            read_object(&json!({"apiVersion":"v1","kind":"Service"}))
                .unwrap()
                .is_none()
        );
        assert!(
            read_object(&json!({"apiVersion":"example.com/v1","kind":"Deployment"}))
                .unwrap()
                .is_none()
        );
        assert_eq!(
            read_object(&json!({"kind":"Pod"})).unwrap_err(),
            ObjectError::MissingType
        );
        let null_spec = json!({"apiVersion":"apps/v1","kind":"Deployment","spec":null});
        let empty = read_object(&null_spec).unwrap().unwrap();
        assert!(empty.pod.spec.containers.is_empty());
    }

    #[test]
    fn field_errors_name_the_path() {
        let v = json!({"apiVersion":"apps/v1","kind":"Deployment","spec":{"template":{"spec":{"containers":[{"name":"a","securityContext":{"privileged":"yes"}}]}}}});
        let err = read_object(&v).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Deployment: spec.template.spec.containers[0].securityContext.privileged: invalid type: string \"yes\", expected a boolean"
        );
    }
}
