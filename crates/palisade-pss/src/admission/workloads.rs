//! Workload requests (PodTemplate, ReplicationController, ReplicaSet, Deployment, DaemonSet,
//! StatefulSet, Job, CronJob): upstream `(*Admission).ValidatePodController`. Workloads are
//! audited and warned about, never denied.

use super::Admission;
use super::evaluate::{evaluate_pod, exempt_request};
use super::objects::{lookup_namespace, other_type, read_template};
use super::request::{AdmissionRequest, GroupVersionResource};
use super::response::AdmissionResponse;
use crate::defaulting::{DefaultingTarget, apply_defaults};
use crate::labels::GoQuoted;
use crate::level::Level;
use crate::workload::PodKind;

/// The workload kind whose resource `resource` is, by group and resource (any version), as
/// upstream's `defaultPodSpecResources`; `None` for Pods and every other resource.
pub(super) fn workload_kind(resource: &GroupVersionResource<'_>) -> Option<PodKind> {
    PodKind::ALL.into_iter().find(|k| {
        *k != PodKind::Pod && k.group() == resource.group && k.resource() == resource.resource
    })
}

/// Validates a workload `CREATE` or `UPDATE` of kind `kind` (upstream
/// `ValidatePodController`).
pub(super) fn validate(
    admission: &Admission,
    request: &AdmissionRequest<'_>,
    kind: PodKind,
) -> AdmissionResponse {
    if !request.sub_resource.is_empty() {
        return AdmissionResponse::allow();
    }
    if let Some(exempt) = exempt_request(admission, request) {
        return exempt;
    }

    let namespace = match lookup_namespace(request) {
        Ok(namespace) => namespace,
        Err(err) => {
            return AdmissionResponse::allow_annotated(
                "error",
                format!(
                    "failed to lookup namespace {}: {err}",
                    GoQuoted(request.namespace)
                ),
            );
        }
    };
    let (policy, policy_errors) = namespace.policy(&admission.config.defaults);
    if policy_errors.is_empty()
        && policy.warn.level == Level::Privileged
        && policy.audit.level == Level::Privileged
    {
        return AdmissionResponse::allow();
    }

    let Some(object) = request.object else {
        return AdmissionResponse::allow_annotated(
            "error",
            "failed to decode object: the request has no object".to_owned(),
        );
    };
    if let Some(other) = other_type(object, |v, k| PodKind::from_type(v, k) == Some(kind)) {
        return AdmissionResponse::allow_annotated(
            "error",
            format!("failed to extract pod template: unexpected object type: {other}"),
        );
    }
    let mut template = match read_template(kind, object) {
        Ok(Some(template)) => template,
        // A ReplicationController without a template: nothing to check.
        Ok(None) => return AdmissionResponse::allow(),
        Err(err) => {
            return AdmissionResponse::allow_annotated(
                "error",
                format!("failed to decode object: {err}"),
            );
        }
    };
    if admission.defaulting {
        apply_defaults(&mut template, DefaultingTarget::Template);
    }
    evaluate_pod(
        admission,
        &policy,
        &policy_errors,
        &template,
        request,
        false,
    )
}
