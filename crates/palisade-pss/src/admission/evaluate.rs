//! Evaluating one pod (or pod template) against a namespace's policy: upstream
//! `(*Admission).EvaluatePod`, shared by Pod and workload requests.

use super::Admission;
use super::request::AdmissionRequest;
use super::response::AdmissionResponse;
use crate::labels::{LabelError, Policy, aggregate_messages};
use crate::pod::Pod;

/// Evaluates `pod` against `policy`. With `enforce`, a violation of the enforce level denies
/// the request (Pods); without, only audit and warn apply (workloads).
pub(super) fn evaluate_pod(
    admission: &Admission,
    policy: &Policy,
    policy_errors: &[LabelError],
    pod: &Pod<'_>,
    request: &AdmissionRequest<'_>,
    enforce: bool,
) -> AdmissionResponse {
    let runtime_class = pod.spec.runtime_class_name.as_deref();
    if admission
        .config
        .exemptions
        .exempts_runtime_class(runtime_class)
    {
        return AdmissionResponse::allow_annotated("exempt", "runtimeClass".to_owned());
    }

    let evaluator = &admission.evaluator;
    let enforced = enforce.then(|| evaluator.evaluate(policy.enforce, pod));
    // Audit and warn reuse an evaluation at the same level and version.
    let audit_evaluation;
    let audit = match enforced
        .as_ref()
        .filter(|e| e.level_version() == policy.audit)
    {
        Some(done) => done,
        None => {
            audit_evaluation = evaluator.evaluate(policy.audit, pod);
            &audit_evaluation
        }
    };

    let mut response = match enforced.as_ref().filter(|e| !e.allowed()) {
        Some(violation) => AdmissionResponse::forbidden(request, &violation.message()),
        None => AdmissionResponse::allow(),
    };
    // No warnings on a request that is denied anyway.
    if response.allowed {
        let warn_evaluation;
        let warn = match [enforced.as_ref(), Some(audit)]
            .into_iter()
            .flatten()
            .find(|e| e.level_version() == policy.warn)
        {
            Some(done) => done,
            None => {
                warn_evaluation = evaluator.evaluate(policy.warn, pod);
                &warn_evaluation
            }
        };
        if !warn.allowed() {
            response.warnings.push(warn.warning());
        }
    }

    // Audit annotations are recorded on denied requests too.
    if let Some(aggregate) = aggregate_messages(policy_errors.iter().map(ToString::to_string)) {
        response.annotate("error", format!("Failed to parse policy: {aggregate}"));
    }
    if enforce {
        response.annotate("enforce-policy", policy.enforce.to_string());
    }
    if !audit.allowed() {
        response.annotate("audit-violations", audit.warning());
    }
    response
}

/// The response for a request exempt by namespace or user, checked in upstream's order
/// (namespace first) by both `ValidatePod` and `ValidatePodController`.
pub(super) fn exempt_request(
    admission: &Admission,
    request: &AdmissionRequest<'_>,
) -> Option<AdmissionResponse> {
    let exemptions = &admission.config.exemptions;
    if exemptions.exempts_namespace(request.namespace) {
        return Some(AdmissionResponse::allow_annotated(
            "exempt",
            "namespace".to_owned(),
        ));
    }
    if exemptions.exempts_user(request.username) {
        return Some(AdmissionResponse::allow_annotated(
            "exempt",
            "user".to_owned(),
        ));
    }
    None
}
