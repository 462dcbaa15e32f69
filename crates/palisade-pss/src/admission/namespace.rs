//! Namespace requests: upstream `(*Admission).ValidateNamespace`, `exemptNamespaceWarning`,
//! `EvaluatePodsInNamespace` and `prioritizePods`.
//!
//! Invalid Pod Security labels deny the request; tightening the enforce level of a namespace
//! evaluates its existing pods and warns about those that would be rejected (what
//! `kubectl label --dry-run=server` shows), but never denies.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::Admission;
use super::objects::{ReadError, read_namespace};
use super::request::{AdmissionRequest, Operation, PodList};
use super::response::AdmissionResponse;
use crate::config::Exemptions;
use crate::defaulting::{DefaultingTarget, apply_defaults};
use crate::labels::{GoQuoted, PodSecurityLabels, Policy};
use crate::level::{Level, LevelVersion};
use crate::pod::Pod;

/// At most this many existing pods are evaluated when a namespace's enforce level is tightened
/// (upstream `defaultNamespaceMaxPodsToCheck`).
pub const NAMESPACE_MAX_PODS_TO_CHECK: usize = 3000;

/// The warning when the existing pods cannot be listed.
const LIST_FAILED: &str = "failed to list pods while checking new PodSecurity enforce level";

/// Validates a Namespace `CREATE` or `UPDATE` (upstream `ValidateNamespace`).
pub(super) fn validate(admission: &Admission, request: &AdmissionRequest<'_>) -> AdmissionResponse {
    if !request.sub_resource.is_empty() {
        return AdmissionResponse::allow();
    }
    let namespace = match read_namespace(request.object) {
        Ok(namespace) => namespace,
        Err(ReadError::Decode(err)) => {
            return AdmissionResponse::bad_request(request, "failed to decode object", Some(&err));
        }
        Err(ReadError::WrongType { .. }) => {
            return AdmissionResponse::bad_request(request, "failed to decode namespace", None);
        }
    };
    let defaults = &admission.config.defaults;
    let exempt = admission
        .config
        .exemptions
        .exempts_namespace(request.namespace);
    let (policy, errors) = namespace.policy(defaults);
    let exempt_warning = || {
        exempt_namespace_warning(
            defaults,
            &namespace.name,
            &policy,
            &namespace.pod_security_labels(),
        )
    };

    match request.operation {
        Operation::Create => {
            // Labels must be valid on create.
            if !errors.is_empty() {
                return AdmissionResponse::invalid(request, &errors);
            }
            match exempt.then(exempt_warning).flatten() {
                Some(warning) => AdmissionResponse::allow_with_warnings(vec![warning]),
                None => AdmissionResponse::allow(),
            }
        }
        Operation::Update => {
            // Upstream's messages have a double space here.
            let old = match read_namespace(request.old_object) {
                Ok(old) => old,
                Err(ReadError::Decode(err)) => {
                    return AdmissionResponse::bad_request(
                        request,
                        "failed to decode  old object",
                        Some(&err),
                    );
                }
                Err(ReadError::WrongType { .. }) => {
                    return AdmissionResponse::bad_request(
                        request,
                        "failed to decode  old namespace",
                        None,
                    );
                }
            };
            let (old_policy, old_errors) = old.policy(defaults);
            // Invalid labels are tolerated only if the old object had exactly the same errors.
            if !errors.is_empty() && (old_errors.is_empty() || errors != old_errors) {
                return AdmissionResponse::invalid(request, &errors);
            }
            // Pods are checked only when the enforce policy gets stricter: not when it is
            // unchanged, privileged, or relaxed at the same version.
            if policy.enforce == old_policy.enforce
                || policy.enforce.level == Level::Privileged
                || (policy.enforce.version == old_policy.enforce.version
                    && policy.enforce.level <= old_policy.enforce.level)
            {
                return AdmissionResponse::allow();
            }
            if exempt {
                return match exempt_warning() {
                    Some(warning) => AdmissionResponse::allow_with_warnings(vec![warning]),
                    None => AdmissionResponse::allow(),
                };
            }
            AdmissionResponse::allow_with_warnings(evaluate_existing_pods(
                admission,
                request.pods,
                &namespace.name,
                policy.enforce,
            ))
        }
        Operation::Delete | Operation::Connect => AdmissionResponse::allow(),
    }
}

/// The warning for an exempt namespace whose labels set a policy that will be ignored
/// (upstream `exemptNamespaceWarning`); `None` when the policy is fully privileged or
/// equivalent to the defaults. Only non-privileged modes with a level or version label are
/// listed, so the list can be empty.
fn exempt_namespace_warning(
    defaults: &Policy,
    name: &str,
    policy: &Policy,
    labels: &PodSecurityLabels<'_>,
) -> Option<String> {
    if policy.fully_privileged() || policy.equivalent(defaults) {
        return None;
    }
    let modes = [
        (
            "enforce",
            policy.enforce,
            labels.enforce.is_some() || labels.enforce_version.is_some(),
        ),
        (
            "audit",
            policy.audit,
            labels.audit.is_some() || labels.audit_version.is_some(),
        ),
        (
            "warn",
            policy.warn,
            labels.warn.is_some() || labels.warn_version.is_some(),
        ),
    ];
    let parts: Vec<String> = modes
        .into_iter()
        .filter(|(_, lv, labelled)| lv.level != Level::Privileged && *labelled)
        .map(|(mode, lv, _)| format!("{mode}={lv}"))
        .collect();
    Some(format!(
        "namespace {} is exempt from Pod Security, and the policy ({}) will be ignored",
        GoQuoted(name),
        parts.join(", ")
    ))
}

/// The pods of `namespace` from `pods`; `None` when they cannot be listed.
fn list_pods<'p>(
    pods: PodList<'p>,
    namespace: &str,
    defaulting: bool,
) -> Option<Vec<Cow<'p, Pod<'p>>>> {
    let in_namespace = |pod: &Pod<'_>| {
        pod.metadata
            .namespace
            .as_deref()
            .is_none_or(|ns| ns.is_empty() || ns == namespace)
    };
    let mut listed: Vec<Cow<'p, Pod<'p>>> = match pods {
        PodList::Json(values) => {
            let mut listed = Vec::with_capacity(values.len());
            for value in values {
                let pod = Pod::from_value(value).ok()?;
                if in_namespace(&pod) {
                    listed.push(Cow::Owned(pod));
                }
            }
            listed
        }
        PodList::Parsed(pods) => pods
            .iter()
            .filter(|pod| in_namespace(pod))
            .map(Cow::Borrowed)
            .collect(),
        PodList::Unavailable => return None,
    };
    if defaulting {
        for pod in &mut listed {
            apply_defaults(pod.to_mut(), DefaultingTarget::Pod);
        }
    }
    Some(listed)
}

/// Drops pods with an exempt runtime class, and puts one pod per controller first: pods
/// without a controller and the first pod of each controller (by owner UID), then the other
/// replicas, each group in list order (upstream `prioritizePods`).
fn prioritize<'l, 'p>(exemptions: &Exemptions, pods: &'l [Cow<'p, Pod<'p>>]) -> Vec<&'l Pod<'p>> {
    let mut first = Vec::with_capacity(pods.len());
    let mut replicas = Vec::new();
    let mut controllers: HashSet<&str> = HashSet::new();
    for pod in pods {
        let pod: &Pod<'p> = pod;
        if exemptions.exempts_runtime_class(pod.spec.runtime_class_name.as_deref()) {
            continue;
        }
        let controller = pod
            .metadata
            .owner_references
            .iter()
            .find(|r| r.controller == Some(true));
        match controller {
            None => first.push(pod),
            Some(owner) => {
                if controllers.insert(owner.uid.as_deref().unwrap_or("")) {
                    first.push(pod);
                } else {
                    replicas.push(pod);
                }
            }
        }
    }
    first.extend(replicas);
    first
}

/// Pods sharing one warning: the lexically first pod name, and how many pods.
struct Group<'n> {
    reason: String,
    pod_name: &'n str,
    count: usize,
}

/// Evaluates the existing pods of `namespace` against its new enforce level and returns the
/// warnings (upstream `EvaluatePodsInNamespace`).
///
/// Upstream stops after one second (or half the request's remaining time); palisade reads no
/// clock, so it evaluates every pod up to [`NAMESPACE_MAX_PODS_TO_CHECK`] unless a budget is set
/// with [`Admission::with_pod_check_budget`].
fn evaluate_existing_pods(
    admission: &Admission,
    pods: PodList<'_>,
    namespace: &str,
    enforce: LevelVersion,
) -> Vec<String> {
    let Some(listed) = list_pods(pods, namespace, admission.defaulting) else {
        return vec![LIST_FAILED.to_owned()];
    };
    let prioritized = prioritize(&admission.config.exemptions, &listed);
    let total = prioritized.len();
    let to_check = prioritized
        .get(..NAMESPACE_MAX_PODS_TO_CHECK)
        .unwrap_or(&prioritized);
    let mut checked = to_check.len();

    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut by_reason: HashMap<String, usize> = HashMap::new();
    for (i, pod) in to_check.iter().enumerate() {
        let result = admission.evaluator.evaluate(enforce, pod);
        if !result.allowed() {
            // Grouped by the reasons only, without details.
            let reason = result.forbidden_reason();
            let name = pod.metadata.name.as_deref().unwrap_or("");
            match by_reason.get(&reason).and_then(|&g| groups.get_mut(g)) {
                Some(group) => {
                    if name < group.pod_name {
                        group.pod_name = name;
                    }
                    group.count += 1;
                }
                None => {
                    by_reason.insert(reason.clone(), groups.len());
                    groups.push(Group {
                        reason,
                        pod_name: name,
                        count: 1,
                    });
                }
            }
        }
        // Upstream checks its deadline after each pod.
        if admission
            .pod_check_budget
            .is_some_and(|budget| i + 1 >= budget)
        {
            checked = i + 1;
            break;
        }
    }

    let mut warnings = Vec::with_capacity(groups.len() + 2);
    if checked < total {
        warnings.push(format!(
            "new PodSecurity enforce level only checked against the first {checked} of {total} existing pods"
        ));
    }
    if !groups.is_empty() {
        warnings.push(format!(
            "existing pods in namespace {} violate the new PodSecurity enforce level {}",
            GoQuoted(namespace),
            GoQuoted(&enforce.to_string())
        ));
    }
    let mut pod_warnings: Vec<String> = groups
        .iter()
        .map(|g| match g.count {
            1 => format!("{}: {}", g.pod_name, g.reason),
            2 => format!("{} (and 1 other pod): {}", g.pod_name, g.reason),
            n => format!("{} (and {} other pods): {}", g.pod_name, n - 1, g.reason),
        })
        .collect();
    // Sorted after the pod names are prepended.
    pod_warnings.sort_unstable();
    warnings.extend(pod_warnings);
    warnings
}
