//! Pod requests: upstream `(*Admission).ValidatePod` and `isSignificantPodUpdate`.

use serde_json::Value;

use super::Admission;
use super::evaluate::{evaluate_pod, exempt_request};
use super::objects::{ReadError, container_image, lookup_namespace, read_pod_object};
use super::request::{AdmissionRequest, Operation};
use super::response::AdmissionResponse;
use crate::defaulting::{DefaultingTarget, apply_defaults};
use crate::pod::Pod;

/// Pod subresources that are never evaluated. Every other subresource (`ephemeralcontainers`,
/// `resize`, and any unknown one, so that a version-skewed plugin fails safe) is evaluated as a
/// Pod.
const IGNORED_SUBRESOURCES: [&str; 8] = [
    "exec",
    "attach",
    "binding",
    "eviction",
    "log",
    "portforward",
    "proxy",
    "status",
];

/// Validates a Pod `CREATE` or `UPDATE` (upstream `ValidatePod`).
pub(super) fn validate(admission: &Admission, request: &AdmissionRequest<'_>) -> AdmissionResponse {
    if IGNORED_SUBRESOURCES.contains(&request.sub_resource) {
        return AdmissionResponse::allow();
    }
    if let Some(exempt) = exempt_request(admission, request) {
        return exempt;
    }

    let namespace = match lookup_namespace(request) {
        Ok(namespace) => namespace,
        Err(err) => return AdmissionResponse::namespace_lookup_failed(request.namespace, &err),
    };
    let (policy, policy_errors) = namespace.policy(&admission.config.defaults);
    if policy_errors.is_empty() && policy.fully_privileged() {
        // Always the literal `privileged:latest`, whatever versions the labels name.
        return AdmissionResponse::allow_annotated(
            "enforce-policy",
            "privileged:latest".to_owned(),
        );
    }

    let mut pod = match read_pod_object(request.object) {
        Ok(pod) => pod,
        Err(err) => return decode_failure(request, err, "object", "pod"),
    };
    if request.operation == Operation::Update {
        let old_pod = match read_pod_object(request.old_object) {
            Ok(pod) => pod,
            Err(err) => return decode_failure(request, err, "old object", "old pod"),
        };
        if let (Some(new), Some(old)) = (request.object, request.old_object)
            && !is_significant_update(&pod, new, &old_pod, old)
        {
            // Nothing that matters changed: always allowed.
            return AdmissionResponse::allow();
        }
    }
    if admission.defaulting {
        apply_defaults(&mut pod, DefaultingTarget::Pod);
    }
    evaluate_pod(admission, &policy, &policy_errors, &pod, request, true)
}

/// The 400 response for an object that cannot be read: `failed to decode <what>` with the
/// error, or `failed to decode <typed>` when it has the wrong type.
fn decode_failure(
    request: &AdmissionRequest<'_>,
    err: ReadError,
    what: &str,
    typed: &str,
) -> AdmissionResponse {
    match err {
        ReadError::Decode(err) => {
            AdmissionResponse::bad_request(request, &format!("failed to decode {what}"), Some(&err))
        }
        ReadError::WrongType { .. } => {
            AdmissionResponse::bad_request(request, &format!("failed to decode {typed}"), None)
        }
    }
}

/// Whether a pod update must be evaluated (upstream `isSignificantPodUpdate`): only a changed
/// number of containers or init containers, a changed image, or an added ephemeral container
/// counts. Changes to labels, annotations, tolerations, resources and every other mutable field
/// do not.
fn is_significant_update(pod: &Pod<'_>, new: &Value, old_pod: &Pod<'_>, old: &Value) -> bool {
    let (spec, old_spec) = (&pod.spec, &old_pod.spec);
    if spec.containers.len() != old_spec.containers.len()
        || spec.init_containers.len() != old_spec.init_containers.len()
    {
        return true;
    }
    for list in ["containers", "initContainers"] {
        let count = if list == "containers" {
            spec.containers.len()
        } else {
            spec.init_containers.len()
        };
        if (0..count).any(|i| container_image(new, list, i) != container_image(old, list, i)) {
            return true;
        }
    }
    spec.ephemeral_containers.iter().enumerate().any(|(i, c)| {
        match old_spec
            .ephemeral_containers
            .iter()
            .position(|oc| oc.name == c.name)
        {
            // An ephemeral container was added.
            None => true,
            Some(j) => {
                container_image(new, "ephemeralContainers", i)
                    != container_image(old, "ephemeralContainers", j)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn significant(new: &Value, old: &Value) -> bool {
        let (p, o) = (Pod::from_value(new).unwrap(), Pod::from_value(old).unwrap());
        is_significant_update(&p, new, &o, old)
    }

    // Mirrors isSignificantPodUpdate / isSignificantContainerUpdate.
    #[test]
    fn significant_updates_are_counts_and_images() {
        let base = json!({"spec": {
            "initContainers": [{"name": "i", "image": "busybox"}],
            "containers": [{"name": "a", "image": "nginx"}, {"name": "b"}],
            "ephemeralContainers": [{"name": "e", "image": "debug"}],
        }});
        assert!(!significant(&base, &base));

        let mut metadata_only = base.clone();
        metadata_only["metadata"] = json!({"labels": {"x": "y"}, "annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}});
        metadata_only["spec"]["tolerations"] = json!([{"operator": "Exists"}]);
        metadata_only["spec"]["containers"][0]["securityContext"] = json!({"privileged": true});
        assert!(
            !significant(&metadata_only, &base),
            "only images and counts matter"
        );

        let mut image = base.clone();
        image["spec"]["containers"][1]["image"] = json!("other");
        assert!(significant(&image, &base), "an image set where none was");

        let mut init_image = base.clone();
        init_image["spec"]["initContainers"][0]["image"] = json!("busybox:2");
        assert!(significant(&init_image, &base));

        let mut fewer = base.clone();
        fewer["spec"]["containers"] = json!([{"name": "a", "image": "nginx"}]);
        assert!(significant(&fewer, &base));

        let mut more_init = base.clone();
        more_init["spec"]["initContainers"] =
            json!([{"name": "i", "image": "busybox"}, {"name": "j"}]);
        assert!(significant(&more_init, &base));

        let mut added = base.clone();
        added["spec"]["ephemeralContainers"] =
            json!([{"name": "e", "image": "debug"}, {"name": "f", "image": "debug"}]);
        assert!(significant(&added, &base), "an ephemeral container added");

        let mut renamed_image = base.clone();
        renamed_image["spec"]["ephemeralContainers"][0]["image"] = json!("debug:2");
        assert!(significant(&renamed_image, &base));

        // Ephemeral containers are matched by name, not position.
        let two = json!({"spec": {"ephemeralContainers": [{"name": "e", "image": "x"}, {"name": "f", "image": "y"}]}});
        let swapped = json!({"spec": {"ephemeralContainers": [{"name": "f", "image": "y"}, {"name": "e", "image": "x"}]}});
        assert!(!significant(&swapped, &two));

        // Removing an ephemeral container is not checked.
        let mut removed = base.clone();
        removed["spec"]["ephemeralContainers"] = json!([]);
        assert!(!significant(&removed, &base));
    }
}
