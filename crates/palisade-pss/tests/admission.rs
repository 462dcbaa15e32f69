//! The PodSecurity admission plugin through the public API: every rule and every text of
//! upstream `k8s.io/pod-security-admission/admission` (`admission.go`, `response.go`) as the
//! built-in plugin returns them. Each test names the upstream function it mirrors.

use palisade_pss::Evaluator;
use palisade_pss::admission::{
    Admission, AdmissionRequest, AdmissionResponse, GroupVersionKind, GroupVersionResource,
    NAMESPACE_MAX_PODS_TO_CHECK, Operation, PodList, StatusReason,
};
use palisade_pss::config::{Config, Exemptions};
use palisade_pss::evaluator::KubernetesVersion;
use palisade_pss::labels::Policy;
use palisade_pss::pod::Pod;
use palisade_pss::{Level, LevelVersion, Version};
use serde_json::{Value, json};

const ENFORCE: &str = "pod-security.kubernetes.io/enforce";
const ENFORCE_VERSION: &str = "pod-security.kubernetes.io/enforce-version";
const AUDIT: &str = "pod-security.kubernetes.io/audit";
const WARN: &str = "pod-security.kubernetes.io/warn";

/// The baseline violation of `privileged_spec`.
const PRIVILEGED_DETAIL: &str =
    r#"privileged (container "c" must not set securityContext.privileged=true)"#;
/// Every restricted violation of `privileged_spec`, in upstream check order.
const PRIVILEGED_RESTRICTED_DETAIL: &str = concat!(
    r#"privileged (container "c" must not set securityContext.privileged=true), "#,
    r#"allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), "#,
    r#"unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), "#,
    r#"runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), "#,
    r#"seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#,
);

fn namespace(name: &str, labels: &[(&str, &str)]) -> Value {
    let labels: serde_json::Map<String, Value> = labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Value::from(*v)))
        .collect();
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
}

/// The namespaces of upstream's TestValidatePodAndController, plus a few more.
fn namespaces() -> Vec<Value> {
    vec![
        namespace("exempt-ns", &[(ENFORCE, "restricted")]),
        namespace("implicit-ns", &[]),
        namespace(
            "privileged-ns",
            &[
                (ENFORCE, "privileged"),
                (WARN, "privileged"),
                (AUDIT, "privileged"),
            ],
        ),
        namespace(
            "baseline-ns",
            &[
                (ENFORCE, "baseline"),
                (WARN, "baseline"),
                (AUDIT, "baseline"),
            ],
        ),
        namespace("baseline-warn-ns", &[(WARN, "baseline")]),
        namespace("baseline-audit-ns", &[(AUDIT, "baseline")]),
        namespace(
            "restricted-ns",
            &[
                (ENFORCE, "restricted"),
                (WARN, "restricted"),
                (AUDIT, "restricted"),
            ],
        ),
        namespace("invalid-ns", &[(ENFORCE, "not-a-valid-level")]),
    ]
}

fn config() -> Config {
    Config {
        defaults: Policy::default(),
        exemptions: Exemptions {
            usernames: vec!["exempt-user".to_owned()],
            namespaces: vec!["exempt-ns".to_owned()],
            runtime_classes: vec!["exempt-runtimeclass".to_owned()],
        },
    }
}

fn admission() -> Admission {
    Admission::new(config())
}

fn privileged_spec() -> Value {
    json!({"containers": [{"name": "c", "image": "nginx", "securityContext": {"privileged": true}}]})
}

fn baseline_spec() -> Value {
    json!({"containers": [{"name": "c", "image": "nginx"}]})
}

fn restricted_spec() -> Value {
    json!({
        "securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "c", "image": "nginx", "securityContext": {
            "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}],
    })
}

fn pod(name: &str, ns: &str, spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}, "spec": spec})
}

fn annotations(response: &AdmissionResponse) -> Vec<(&str, &str)> {
    response
        .audit_annotations
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn allowed_silently(response: &AdmissionResponse) -> bool {
    response.allowed
        && response.status.is_none()
        && response.warnings.is_empty()
        && response.audit_annotations.is_empty()
}

// ---------------------------------------------------------------------------------------------
// Dispatch: Plugin.Validate (admission.NewHandler(Create, Update), applicableResources,
// HasPodSpec) and Admission.Validate.

#[test]
fn only_create_and_update_are_evaluated() {
    let nss = namespaces();
    let p = pod("p", "restricted-ns", privileged_spec());
    for op in [Operation::Delete, Operation::Connect] {
        let request = AdmissionRequest::create(&p)
            .with_operation(op)
            .with_namespaces(&nss);
        assert!(allowed_silently(&admission().validate(&request)), "{op}");
    }
    let request = AdmissionRequest::create(&p).with_namespaces(&nss);
    assert!(!admission().validate(&request).allowed);
}

#[test]
fn other_resources_are_ignored() {
    let nss = namespaces();
    let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "restricted-ns"}});
    let request = AdmissionRequest::create(&service).with_namespaces(&nss);
    assert_eq!(request.resource.resource, "");
    assert!(allowed_silently(&admission().validate(&request)));

    // HasPodSpec matches group and resource exactly: extensions/deployments is not handled.
    let d = json!({"apiVersion": "extensions/v1beta1", "kind": "Deployment",
        "metadata": {"name": "d", "namespace": "restricted-ns"},
        "spec": {"template": {"spec": privileged_spec()}}});
    let request = AdmissionRequest::new(
        Operation::Create,
        GroupVersionResource::new("extensions", "v1beta1", "deployments"),
        GroupVersionKind::new("extensions", "v1beta1", "Deployment"),
    )
    .with_namespace("restricted-ns")
    .with_object(&d)
    .with_namespaces(&nss);
    assert!(allowed_silently(&admission().validate(&request)));
}

#[test]
fn requests_are_read_from_objects() {
    let ns = namespace("team", &[]);
    let r = AdmissionRequest::create(&ns);
    assert_eq!(r.operation, Operation::Create);
    assert_eq!(r.resource, GroupVersionResource::NAMESPACES);
    assert_eq!(r.kind, GroupVersionKind::NAMESPACE);
    assert_eq!((r.name, r.namespace), ("team", "team"));

    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "n"}});
    let r = AdmissionRequest::update(&d, &d);
    assert_eq!(r.operation, Operation::Update);
    assert_eq!(
        r.resource,
        GroupVersionResource::new("apps", "v1", "deployments")
    );
    assert_eq!(r.kind.to_string(), "apps/v1, Kind=Deployment");
    assert_eq!((r.name, r.namespace), ("d", "n"));
    assert!(r.old_object.is_some());

    let p = pod("p", "n", json!({}));
    let r = AdmissionRequest::create(&p);
    assert_eq!(r.resource, GroupVersionResource::PODS);
    assert_eq!(r.kind, GroupVersionKind::POD);
    assert_eq!(Operation::parse("UPDATE"), Some(Operation::Update));
    assert_eq!(Operation::parse("update"), None);
}

// ---------------------------------------------------------------------------------------------
// Pods: ValidatePod.

// Mirrors ignoredPodSubresources.
#[test]
fn ignored_pod_subresources_are_allowed_without_evaluation() {
    let nss = namespaces();
    let p = pod("p", "restricted-ns", privileged_spec());
    for sub in [
        "exec",
        "attach",
        "binding",
        "eviction",
        "log",
        "portforward",
        "proxy",
        "status",
    ] {
        let request = AdmissionRequest::create(&p)
            .with_sub_resource(sub)
            .with_namespaces(&nss);
        assert!(allowed_silently(&admission().validate(&request)), "{sub}");
    }
}

// Mirrors ValidatePod: any other subresource is evaluated as a Pod ("fails safe").
#[test]
fn other_pod_subresources_are_evaluated() {
    let nss = namespaces();
    let old = pod("p", "restricted-ns", restricted_spec());
    let mut new = old.clone();
    new["spec"]["ephemeralContainers"] =
        json!([{"name": "debug", "image": "busybox", "securityContext": {"privileged": true}}]);
    for sub in ["ephemeralcontainers", "resize", "something-new"] {
        let request = AdmissionRequest::update(&new, &old)
            .with_sub_resource(sub)
            .with_namespaces(&nss);
        let response = admission().validate(&request);
        assert!(!response.allowed, "{sub}");
        assert!(
            response
                .message()
                .unwrap()
                .starts_with(r#"pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged (container "debug" must not set securityContext.privileged=true)"#),
            "{sub}: {:?}",
            response.message()
        );
    }
}

// Mirrors ValidatePod: exemptNamespace, then exemptUser, both before the namespace lookup.
#[test]
fn namespace_and_user_exemptions_come_first() {
    let p = pod("p", "exempt-ns", privileged_spec());
    // No namespaces at all: the lookup would fail, but exemptions are checked before it.
    let request = AdmissionRequest::create(&p).with_username("exempt-user");
    let response = admission().validate(&request);
    assert!(response.allowed && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [("pod-security.kubernetes.io/exempt", "namespace")]
    );

    let p = pod("p", "restricted-ns", privileged_spec());
    let request = AdmissionRequest::create(&p).with_username("exempt-user");
    let response = admission().validate(&request);
    assert!(response.allowed);
    assert_eq!(
        annotations(&response),
        [("pod-security.kubernetes.io/exempt", "user")]
    );
    assert_eq!(response.audit_annotation("exempt"), Some("user"));
}

// Mirrors exemptNamespace / exemptUser: the empty namespace and user are never exempt.
#[test]
fn empty_names_are_never_exempt() {
    let mut config = config();
    config.exemptions.usernames.push(String::new());
    config.exemptions.namespaces.push(String::new());
    let p = pod("p", "", privileged_spec());
    let response = Admission::new(config).validate(&AdmissionRequest::create(&p));
    assert_eq!(response.status.unwrap().code, 500);
}

// Mirrors EvaluatePod: the runtime class exemption is checked after the lookup, the privileged
// short-circuit and the update check.
#[test]
fn runtime_class_exemption_comes_after_the_namespace_lookup() {
    let nss = namespaces();
    let mut spec = privileged_spec();
    spec["runtimeClassName"] = json!("exempt-runtimeclass");
    let p = pod("p", "restricted-ns", spec.clone());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(response.allowed && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [("pod-security.kubernetes.io/exempt", "runtimeClass")]
    );

    let missing = pod("p", "missing-ns", spec.clone());
    let response = admission().validate(&AdmissionRequest::create(&missing).with_namespaces(&nss));
    assert_eq!(response.status.unwrap().code, 500);

    let privileged = pod("p", "privileged-ns", spec);
    let response =
        admission().validate(&AdmissionRequest::create(&privileged).with_namespaces(&nss));
    assert_eq!(
        annotations(&response),
        [(
            "pod-security.kubernetes.io/enforce-policy",
            "privileged:latest"
        )]
    );

    // An empty runtime class is never exempt, even if listed.
    let mut config = config();
    config.exemptions.runtime_classes.push(String::new());
    let mut spec = privileged_spec();
    spec["runtimeClassName"] = json!("");
    let p = pod("p", "restricted-ns", spec);
    let response =
        Admission::new(config).validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(!response.allowed);
}

// Mirrors ValidatePod's lookup failure: errorResponse(err, NewInternalError(...)).
#[test]
fn missing_namespace_denies_a_pod_with_an_internal_error() {
    let nss = namespaces();
    let p = pod("p", "missing-ns", restricted_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(!response.allowed);
    let status = response.status.as_ref().unwrap();
    assert_eq!(status.code, 500);
    assert_eq!(status.reason, StatusReason::InternalError);
    assert_eq!(status.status(), "Failure");
    assert_eq!(
        status.message,
        r#"Internal error occurred: failed to lookup namespace "missing-ns""#
    );
    let details = status.details.as_ref().unwrap();
    assert_eq!(
        (
            details.name.as_str(),
            details.group.as_str(),
            details.kind.as_str()
        ),
        ("", "", "")
    );
    assert_eq!(details.causes.len(), 1);
    assert_eq!(
        details.causes[0].message,
        r#"failed to lookup namespace "missing-ns""#
    );
    assert_eq!(details.causes[0].cause_type, "");
    assert_eq!(
        annotations(&response),
        [(
            "pod-security.kubernetes.io/error",
            r#"Internal error occurred: failed to lookup namespace "missing-ns": namespaces "missing-ns" not found"#
        )]
    );
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({"allowed": false, "status": {"status": "Failure", "code": 500, "reason": "InternalError",
            "message": "Internal error occurred: failed to lookup namespace \"missing-ns\"",
            "details": {"causes": [{"message": "failed to lookup namespace \"missing-ns\""}]}},
            "warnings": [],
            "auditAnnotations": {"pod-security.kubernetes.io/error": "Internal error occurred: failed to lookup namespace \"missing-ns\": namespaces \"missing-ns\" not found"}})
    );

    // No namespace: client-go refuses to GET an empty name.
    let p = pod("p", "", restricted_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert_eq!(
        response.audit_annotation("error"),
        Some(
            r#"Internal error occurred: failed to lookup namespace "": resource name may not be empty"#
        )
    );
}

// Mirrors sharedAllowedPrivilegedResponse: the literal `privileged:latest`, whatever the labels'
// versions, only without label errors.
#[test]
fn fully_privileged_namespaces_short_circuit() {
    let nss = vec![
        namespace("implicit", &[]),
        namespace(
            "versioned",
            &[(ENFORCE, "privileged"), (ENFORCE_VERSION, "v1.25")],
        ),
        namespace(
            "versioned-bad-audit",
            &[
                (ENFORCE, "privileged"),
                (ENFORCE_VERSION, "v1.25"),
                (AUDIT, "bogus"),
            ],
        ),
    ];
    for ns in ["implicit", "versioned"] {
        // Even an undecodable object is not looked at.
        let bad = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": ns}, "spec": {"containers": 5}});
        let response = admission().validate(&AdmissionRequest::create(&bad).with_namespaces(&nss));
        assert!(response.allowed, "{ns}");
        assert_eq!(
            annotations(&response),
            [(
                "pod-security.kubernetes.io/enforce-policy",
                "privileged:latest"
            )],
            "{ns}"
        );
    }
    // A label error skips the short-circuit: the pod is evaluated and the labelled version is
    // reported.
    let p = pod("p", "versioned-bad-audit", privileged_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(response.allowed && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [
            (
                "pod-security.kubernetes.io/enforce-policy",
                "privileged:v1.25"
            ),
            (
                "pod-security.kubernetes.io/error",
                r#"Failed to parse policy: metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "bogus": must be one of privileged, baseline, restricted"#
            ),
        ]
    );
}

// Mirrors ValidatePod's decode failures: errorResponse(err, NewBadRequest(...)), and the
// plugin's generic Forbidden details kept because a BadRequest has none.
#[test]
fn undecodable_pods_are_bad_requests() {
    let nss = namespaces();

    let request = AdmissionRequest::new(
        Operation::Create,
        GroupVersionResource::PODS,
        GroupVersionKind::POD,
    )
    .with_namespace("baseline-ns")
    .with_name("p")
    .with_namespaces(&nss);
    let response = admission().validate(&request);
    let status = response.status.as_ref().unwrap();
    assert_eq!(
        (status.code, status.reason, status.message.as_str()),
        (400, StatusReason::BadRequest, "failed to decode object")
    );
    let details = status.details.as_ref().unwrap();
    assert_eq!(
        (details.kind.as_str(), details.name.as_str()),
        ("pods", "Unknown")
    );
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to decode object: the request has no object")
    );

    let malformed = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "web-", "namespace": "baseline-ns"}, "spec": {"containers": {}}});
    let response =
        admission().validate(&AdmissionRequest::create(&malformed).with_namespaces(&nss));
    let status = response.status.as_ref().unwrap();
    assert_eq!(status.message, "failed to decode object");
    assert_eq!(status.details.as_ref().unwrap().name, "web-");
    assert_eq!(
        response.audit_annotation("error"),
        Some(
            "failed to decode object: invalid Pod: spec.containers: invalid type: map, expected a sequence"
        )
    );

    // The wrong type: no error text, the message names the type.
    let not_a_pod = namespace("baseline-ns", &[]);
    let request = AdmissionRequest::new(
        Operation::Create,
        GroupVersionResource::PODS,
        GroupVersionKind::POD,
    )
    .with_namespace("baseline-ns")
    .with_object(&not_a_pod)
    .with_namespaces(&nss);
    let response = admission().validate(&request);
    assert_eq!(response.message(), Some("failed to decode pod"));
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to decode pod")
    );
    assert_eq!(
        response.status.unwrap().details.unwrap().name,
        "baseline-ns"
    );

    let good = pod("p", "baseline-ns", baseline_spec());
    let request = AdmissionRequest::create(&good)
        .with_operation(Operation::Update)
        .with_namespaces(&nss);
    let response = admission().validate(&request);
    assert_eq!(response.message(), Some("failed to decode old object"));
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to decode old object: the request has no object")
    );
    let response =
        admission().validate(&AdmissionRequest::update(&good, &not_a_pod).with_namespaces(&nss));
    assert_eq!(response.message(), Some("failed to decode old pod"));
    assert_eq!(response.status.unwrap().details.unwrap().name, "p");
}

// Mirrors isSignificantPodUpdate: an update that changes no image or container count is
// allowed without evaluation, however much the pod violates the policy.
#[test]
fn insignificant_pod_updates_are_allowed() {
    let nss = namespaces();
    let old = pod("p", "restricted-ns", privileged_spec());
    let mut new = old.clone();
    new["spec"]["tolerations"] = json!([{"operator": "Exists"}]);
    new["metadata"]["labels"] = json!({"foo": "bar"});
    new["spec"]["activeDeadlineSeconds"] = json!(5);
    let response =
        admission().validate(&AdmissionRequest::update(&new, &old).with_namespaces(&nss));
    assert!(allowed_silently(&response));
}

#[test]
fn significant_pod_updates_are_evaluated() {
    let nss = namespaces();
    let old = pod("p", "restricted-ns", privileged_spec());
    let mut new = old.clone();
    new["spec"]["containers"][0]["image"] = json!("https://example.com/a-different-image");
    let response =
        admission().validate(&AdmissionRequest::update(&new, &old).with_namespaces(&nss));
    assert_eq!(response.status.unwrap().reason, StatusReason::Forbidden);

    let old = pod("p", "restricted-ns", restricted_spec());
    let mut new = old.clone();
    new["spec"]["containers"][0]["image"] = json!("https://example.com/a-different-image");
    let response =
        admission().validate(&AdmissionRequest::update(&new, &old).with_namespaces(&nss));
    assert!(response.allowed && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [(
            "pod-security.kubernetes.io/enforce-policy",
            "restricted:latest"
        )]
    );
}

// Mirrors EvaluatePod + forbiddenResponse (apierrors.NewForbidden).
#[test]
fn enforce_violations_are_forbidden() {
    let nss = namespaces();
    let p = pod("test-pod", "restricted-ns", privileged_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(!response.allowed);
    let status = response.status.as_ref().unwrap();
    assert_eq!(status.code, 403);
    assert_eq!(status.reason, StatusReason::Forbidden);
    assert_eq!(
        status.message,
        format!(
            r#"pods "test-pod" is forbidden: violates PodSecurity "restricted:latest": {PRIVILEGED_RESTRICTED_DETAIL}"#
        )
    );
    let details = status.details.as_ref().unwrap();
    assert_eq!(
        (
            details.group.as_str(),
            details.kind.as_str(),
            details.name.as_str()
        ),
        ("", "pods", "test-pod")
    );
    // Audit is recorded on a denied request too; warnings are not added.
    assert!(response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [
            (
                "pod-security.kubernetes.io/audit-violations",
                format!(
                    r#"would violate PodSecurity "restricted:latest": {PRIVILEGED_RESTRICTED_DETAIL}"#
                )
                .as_str()
            ),
            (
                "pod-security.kubernetes.io/enforce-policy",
                "restricted:latest"
            ),
        ]
    );
    assert_eq!(
        serde_json::to_value(&response).unwrap()["status"]["details"],
        json!({"name": "test-pod", "kind": "pods"})
    );
}

// Mirrors apierrors.NewForbidden with an empty name.
#[test]
fn forbidden_without_a_name() {
    let nss = namespaces();
    let p = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "web-", "namespace": "baseline-ns"}, "spec": {"hostPID": true}});
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert_eq!(
        response.message(),
        Some(
            r#"pods is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostPID=true)"#
        )
    );
    let named = AdmissionRequest::create(&p)
        .with_name("web-x7k2q")
        .with_namespaces(&nss);
    assert_eq!(
        admission().validate(&named).message(),
        Some(
            r#"pods "web-x7k2q" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostPID=true)"#
        )
    );
}

#[test]
fn enforce_allows_a_compliant_pod() {
    let nss = namespaces();
    let p = pod("p", "baseline-ns", baseline_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(response.allowed && response.status.is_none() && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [(
            "pod-security.kubernetes.io/enforce-policy",
            "baseline:latest"
        )]
    );
}

// Mirrors EvaluatePod's warn branch.
#[test]
fn warn_violations_are_warnings() {
    let nss = namespaces();
    let p = pod("p", "baseline-warn-ns", privileged_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(response.allowed);
    assert_eq!(
        response.warnings,
        [format!(
            r#"would violate PodSecurity "baseline:latest": {PRIVILEGED_DETAIL}"#
        )]
    );
    assert_eq!(response.client_warnings(), response.warnings);
    assert_eq!(
        annotations(&response),
        [(
            "pod-security.kubernetes.io/enforce-policy",
            "privileged:latest"
        )]
    );
}

// Mirrors EvaluatePod's audit branch.
#[test]
fn audit_violations_are_annotations() {
    let nss = namespaces();
    let p = pod("p", "baseline-audit-ns", privileged_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(response.allowed && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [
            (
                "pod-security.kubernetes.io/audit-violations",
                format!(r#"would violate PodSecurity "baseline:latest": {PRIVILEGED_DETAIL}"#)
                    .as_str()
            ),
            (
                "pod-security.kubernetes.io/enforce-policy",
                "privileged:latest"
            ),
        ]
    );
}

// Mirrors PolicyToEvaluate's fail-closed enforce level and EvaluatePod's error annotation.
#[test]
fn invalid_namespace_labels_enforce_restricted() {
    let nss = namespaces();
    let p = pod("p", "invalid-ns", baseline_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(!response.allowed);
    assert!(
        response
            .message()
            .unwrap()
            .starts_with(r#"pods "p" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false"#)
    );
    assert_eq!(
        annotations(&response),
        [
            (
                "pod-security.kubernetes.io/enforce-policy",
                "restricted:latest"
            ),
            (
                "pod-security.kubernetes.io/error",
                r#"Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "not-a-valid-level": must be one of privileged, baseline, restricted"#
            ),
        ]
    );

    // Several errors aggregate as "[e1, e2]".
    let nss = [namespace(
        "two",
        &[(ENFORCE, "baseline"), (AUDIT, "x"), (WARN, "y")],
    )];
    let p = pod("p", "two", baseline_spec());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(response.allowed);
    assert_eq!(
        response.audit_annotation("error"),
        Some(
            r#"Failed to parse policy: [metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "x": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "y": must be one of privileged, baseline, restricted]"#
        )
    );
}

// Mirrors the messages' use of lv.String() (the labelled version) and the evaluator's cap at
// the emulated Kubernetes version (policy.NewEvaluator with an emulation version).
#[test]
fn versions_are_printed_as_labelled_and_capped_when_evaluated() {
    let nss = [
        namespace("latest", &[(ENFORCE, "baseline")]),
        namespace(
            "future",
            &[(ENFORCE, "baseline"), (ENFORCE_VERSION, "v1.99")],
        ),
        namespace("old", &[(ENFORCE, "baseline"), (ENFORCE_VERSION, "v1.33")]),
    ];
    // hostProbesAndHostLifecycle joined baseline in v1.34.
    let spec = json!({"containers": [{"name": "c", "image": "nginx",
        "livenessProbe": {"httpGet": {"host": "10.0.0.1", "port": 80}}}]});
    let detail =
        r#"probe or lifecycle host (container "c" uses probe or lifecycle host "10.0.0.1")"#;

    let p = pod("p", "future", spec.clone());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert_eq!(
        response.message().map(str::to_owned),
        Some(format!(
            r#"pods "p" is forbidden: violates PodSecurity "baseline:v1.99": {detail}"#
        ))
    );
    assert_eq!(
        response.audit_annotation("enforce-policy"),
        Some("baseline:v1.99")
    );

    let p = pod("p", "old", spec.clone());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(response.allowed);

    // An API server at 1.33 evaluates `latest` as v1.33.
    let at_1_33 = admission().with_kubernetes_version(KubernetesVersion { minor: 33 });
    let p = pod("p", "latest", spec);
    let response = at_1_33.validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(response.allowed);
    assert_eq!(
        response.audit_annotation("enforce-policy"),
        Some("baseline:latest")
    );
    let response = admission()
        .with_evaluator(Evaluator::new())
        .validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert!(!response.allowed);
}

#[test]
fn defaulting_is_applied_only_when_asked() {
    let nss = namespaces();
    let mut spec = restricted_spec();
    spec["volumes"] = json!([{"name": "scratch"}]);
    let p = pod("p", "restricted-ns", spec.clone());
    let response = admission().validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert_eq!(
        response.message(),
        Some(
            r#"pods "p" is forbidden: violates PodSecurity "restricted:latest": restricted volume types (volume "scratch" uses restricted volume type "unknown")"#
        )
    );
    let defaulting = admission().with_defaulting(true);
    assert!(
        defaulting
            .validate(&AdmissionRequest::create(&p).with_namespaces(&nss))
            .allowed
    );

    // Templates are defaulted too (volumes, not host ports).
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "d", "namespace": "restricted-ns"},
        "spec": {"template": {"spec": spec}}});
    let request = AdmissionRequest::create(&d).with_namespaces(&nss);
    assert_eq!(admission().validate(&request).warnings.len(), 1);
    assert!(defaulting.validate(&request).warnings.is_empty());
}

#[test]
fn one_shot_validate_uses_the_default_configuration() {
    let nss = [namespace("n", &[(ENFORCE, "baseline")])];
    let p = pod("p", "n", privileged_spec());
    let response =
        palisade_pss::admission::validate(&AdmissionRequest::create(&p).with_namespaces(&nss));
    assert_eq!(
        response.message().map(str::to_owned),
        Some(format!(
            r#"pods "p" is forbidden: violates PodSecurity "baseline:latest": {PRIVILEGED_DETAIL}"#
        ))
    );
}

// ---------------------------------------------------------------------------------------------
// Workloads: ValidatePodController and DefaultPodSpecExtractor.

fn workloads(ns: &str, template: Value) -> Vec<Value> {
    let meta = json!({"name": "w", "namespace": ns});
    vec![
        json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": meta, "template": template}),
        json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": meta, "spec": {"template": template}}),
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta, "spec": {"template": template}}),
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": {"template": template}}),
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta, "spec": {"template": template}}),
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta, "spec": {"template": template}}),
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": {"template": template}}),
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta, "spec": {"jobTemplate": {"spec": {"template": template}}}}),
    ]
}

// Mirrors ValidatePodController + EvaluatePod(enforce=false): never denied, no enforce-policy,
// the same warning text as a pod's.
#[test]
fn workloads_are_warned_and_audited_never_denied() {
    let nss = namespaces();
    let template = json!({"metadata": {"labels": {"app": "w"}}, "spec": privileged_spec()});
    let warning =
        format!(r#"would violate PodSecurity "restricted:latest": {PRIVILEGED_RESTRICTED_DETAIL}"#);
    for w in workloads("restricted-ns", template) {
        let request = AdmissionRequest::create(&w).with_namespaces(&nss);
        let response = admission().validate(&request);
        let kind = &w["kind"];
        assert!(response.allowed && response.status.is_none(), "{kind}");
        assert_eq!(response.warnings, std::slice::from_ref(&warning), "{kind}");
        assert_eq!(
            annotations(&response),
            [(
                "pod-security.kubernetes.io/audit-violations",
                warning.as_str()
            )],
            "{kind}"
        );
        // Updates are evaluated whatever changed.
        let response =
            admission().validate(&AdmissionRequest::update(&w, &w).with_namespaces(&nss));
        assert_eq!(response.warnings, std::slice::from_ref(&warning), "{kind}");
    }
}

#[test]
fn workload_subresources_and_exemptions() {
    let nss = namespaces();
    let template = json!({"spec": privileged_spec()});
    let d = &workloads("restricted-ns", template.clone())[3];
    let scale = AdmissionRequest::create(d)
        .with_sub_resource("scale")
        .with_namespaces(&nss);
    assert!(allowed_silently(&admission().validate(&scale)));

    let exempt = &workloads("exempt-ns", template.clone())[3];
    let response = admission().validate(&AdmissionRequest::create(exempt));
    assert_eq!(
        annotations(&response),
        [("pod-security.kubernetes.io/exempt", "namespace")]
    );
    let response = admission().validate(&AdmissionRequest::create(d).with_username("exempt-user"));
    assert_eq!(
        annotations(&response),
        [("pod-security.kubernetes.io/exempt", "user")]
    );
    let mut spec = privileged_spec();
    spec["runtimeClassName"] = json!("exempt-runtimeclass");
    let rc = &workloads("restricted-ns", json!({"spec": spec}))[3];
    let response = admission().validate(&AdmissionRequest::create(rc).with_namespaces(&nss));
    assert!(response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [("pod-security.kubernetes.io/exempt", "runtimeClass")]
    );
}

// Mirrors ValidatePodController: a failed lookup allows the workload with an error annotation.
#[test]
fn workload_in_missing_namespace_is_allowed_with_an_error() {
    let d = &workloads("missing-ns", json!({"spec": privileged_spec()}))[3];
    let response = admission().validate(&AdmissionRequest::create(d));
    assert!(response.allowed && response.status.is_none() && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [(
            "pod-security.kubernetes.io/error",
            r#"failed to lookup namespace "missing-ns": namespaces "missing-ns" not found"#
        )]
    );
}

// Mirrors ValidatePodController's short-circuit on privileged warn and audit (enforce is
// irrelevant for workloads), skipped when the labels have errors.
#[test]
fn workloads_in_namespaces_without_warn_or_audit_are_not_evaluated() {
    let nss = [
        namespace(
            "enforce-only",
            &[(ENFORCE, "restricted"), (WARN, "privileged")],
        ),
        namespace("bad-warn", &[(WARN, "bogus")]),
    ];
    let template = json!({"spec": privileged_spec()});
    let d = &workloads("enforce-only", template.clone())[3];
    assert!(allowed_silently(
        &admission().validate(&AdmissionRequest::create(d).with_namespaces(&nss))
    ));

    let d = &workloads("bad-warn", template)[3];
    let response = admission().validate(&AdmissionRequest::create(d).with_namespaces(&nss));
    assert!(response.allowed && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [(
            "pod-security.kubernetes.io/error",
            r#"Failed to parse policy: metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "bogus": must be one of privileged, baseline, restricted"#
        )]
    );
}

// Mirrors ValidatePodController's decode and extract failures: allowed, with an error.
#[test]
fn unreadable_workloads_are_allowed_with_an_error() {
    let nss = namespaces();
    let deployments = GroupVersionResource::new("apps", "v1", "deployments");
    let deployment = GroupVersionKind::new("apps", "v1", "Deployment");
    let base = AdmissionRequest::new(Operation::Create, deployments, deployment)
        .with_name("d")
        .with_namespace("restricted-ns")
        .with_namespaces(&nss);

    let response = admission().validate(&base);
    assert!(response.allowed);
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to decode object: the request has no object")
    );

    let ns_object = namespace("x", &[]);
    let response = admission().validate(&base.with_object(&ns_object));
    assert!(response.allowed);
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to extract pod template: unexpected object type: /v1, Kind=Namespace")
    );

    let malformed = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "spec": {"template": {"spec": {"containers": [{"name": "c", "securityContext": {"privileged": "yes"}}]}}}});
    let response = admission().validate(&base.with_object(&malformed));
    assert!(response.allowed && response.warnings.is_empty());
    assert_eq!(
        annotations(&response),
        [(
            "pod-security.kubernetes.io/error",
            r#"failed to decode object: invalid Deployment: spec.template.spec.containers[0].securityContext.privileged: invalid type: string "yes", expected a boolean"#
        )]
    );

    let not_an_object = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": 5});
    let response = admission().validate(&base.with_object(&not_an_object));
    assert_eq!(
        response.audit_annotation("error"),
        Some(
            "failed to decode object: invalid Deployment: spec: invalid type: number, expected an object"
        )
    );
}

// Mirrors extractPodSpecFromTemplate(nil) for ReplicationController (a pointer template) versus
// the value templates of the other kinds, which are evaluated even when absent. A label error
// makes the difference visible: only an evaluated template gets the error annotation.
#[test]
fn absent_templates() {
    let nss = [
        namespace("bad-warn", &[(WARN, "bogus")]),
        namespace("r", &[(WARN, "restricted"), (AUDIT, "restricted")]),
    ];
    let meta = json!({"name": "w", "namespace": "bad-warn"});
    let rc =
        json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": meta, "spec": {}});
    assert!(allowed_silently(
        &admission().validate(&AdmissionRequest::create(&rc).with_namespaces(&nss))
    ));
    let rc_null = json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": meta, "spec": {"template": null}});
    assert!(allowed_silently(&admission().validate(
        &AdmissionRequest::create(&rc_null).with_namespaces(&nss)
    )));

    for w in [
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": {}}),
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta}),
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta, "spec": {"jobTemplate": null}}),
        json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": meta}),
    ] {
        let response = admission().validate(&AdmissionRequest::create(&w).with_namespaces(&nss));
        assert!(
            response.audit_annotation("error").is_some(),
            "{}",
            w["kind"]
        );
        assert!(response.warnings.is_empty());
    }

    // An empty pod passes even restricted (upstream's "no pod template" case).
    let empty = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w", "namespace": "r"}, "spec": {}});
    assert!(allowed_silently(&admission().validate(
        &AdmissionRequest::create(&empty).with_namespaces(&nss)
    )));
}

// ---------------------------------------------------------------------------------------------
// Namespaces: ValidateNamespace, invalidResponse, exemptNamespaceWarning,
// EvaluatePodsInNamespace, prioritizePods.

fn ns_create(labels: &[(&str, &str)]) -> Value {
    namespace("test", labels)
}

fn violating_pods() -> Vec<Value> {
    vec![
        pod("noruntimeclasspod", "test", json!({"hostNetwork": true})),
        pod(
            "runtimeclass1pod",
            "test",
            json!({"hostNetwork": true, "runtimeClassName": "runtimeclass1"}),
        ),
        pod(
            "runtimeclass2pod",
            "test",
            json!({"hostNetwork": true, "runtimeClassName": "runtimeclass2"}),
        ),
        pod(
            "runtimeclass3pod",
            "test",
            json!({"hostNetwork": true, "containers": [{"name": "c", "securityContext": {"privileged": true}}]}),
        ),
    ]
}

fn namespace_admission(exempt_namespaces: &[&str], exempt_runtime_classes: &[&str]) -> Admission {
    Admission::new(Config {
        defaults: Policy::default(),
        exemptions: Exemptions {
            usernames: vec![],
            namespaces: exempt_namespaces.iter().map(|s| (*s).to_owned()).collect(),
            runtime_classes: exempt_runtime_classes
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        },
    })
}

// Mirrors TestValidateNamespace's creation cases and invalidResponse (apierrors.NewInvalid).
#[test]
fn namespace_create_validates_labels() {
    let a = namespace_admission(&[], &[]);
    let pods = violating_pods();
    for labels in [
        vec![(ENFORCE, "privileged"), (ENFORCE_VERSION, "v1.0")],
        vec![(ENFORCE, "baseline")],
        vec![(ENFORCE, "restricted")],
    ] {
        let ns = ns_create(&labels);
        // No pod evaluation on create.
        let request = AdmissionRequest::create(&ns).with_pods(PodList::Json(&pods));
        assert!(allowed_silently(&a.validate(&request)));
    }

    let ns = ns_create(&[(ENFORCE, "unknown")]);
    let response = a.validate(&AdmissionRequest::create(&ns));
    assert!(!response.allowed && response.audit_annotations.is_empty());
    let status = response.status.as_ref().unwrap();
    assert_eq!((status.code, status.reason), (422, StatusReason::Invalid));
    assert_eq!(
        status.message,
        r#"Namespace "test" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "unknown": must be one of privileged, baseline, restricted"#
    );
    assert_eq!(
        serde_json::to_value(status).unwrap(),
        json!({"status": "Failure", "code": 422, "reason": "Invalid", "message": status.message,
            "details": {"name": "test", "kind": "Namespace", "causes": [{
                "reason": "FieldValueInvalid",
                "message": "Invalid value: \"unknown\": must be one of privileged, baseline, restricted",
                "field": "metadata.labels[pod-security.kubernetes.io/enforce]"}]}})
    );

    let ns = ns_create(&[
        (ENFORCE_VERSION, "unknown"),
        (ENFORCE, "privileged"),
        (WARN, "nope"),
    ]);
    let response = a.validate(&AdmissionRequest::create(&ns));
    let status = response.status.unwrap();
    assert_eq!(
        status.message,
        r#"Namespace "test" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "unknown": must be "latest" or "v1.x", metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "nope": must be one of privileged, baseline, restricted]"#
    );
    let causes: Vec<&str> = status
        .details
        .as_ref()
        .unwrap()
        .causes
        .iter()
        .map(|c| c.field.as_str())
        .collect();
    assert_eq!(
        causes,
        [
            "metadata.labels[pod-security.kubernetes.io/enforce-version]",
            "metadata.labels[pod-security.kubernetes.io/warn]"
        ]
    );
}

// Mirrors invalidResponse's use of attrs.GetKind().GroupKind() and attrs.GetName().
#[test]
fn invalid_message_names_the_request_kind_and_name() {
    let a = namespace_admission(&[], &[]);
    let ns = ns_create(&[(AUDIT, "x")]);
    let request = AdmissionRequest::new(
        Operation::Create,
        GroupVersionResource::NAMESPACES,
        GroupVersionKind::new("example.io", "v1", "Namespace"),
    )
    .with_name("other")
    .with_object(&ns);
    assert_eq!(
        a.validate(&request).message(),
        Some(
            r#"Namespace.example.io "other" is invalid: metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "x": must be one of privileged, baseline, restricted"#
        )
    );
}

// Mirrors exemptNamespaceWarning on create.
#[test]
fn exempt_namespace_create_warns_that_the_policy_is_ignored() {
    let a = namespace_admission(&["test"], &[]);
    let ns = ns_create(&[(ENFORCE, "restricted")]);
    let response = a.validate(&AdmissionRequest::create(&ns));
    assert!(response.allowed && response.audit_annotations.is_empty());
    assert_eq!(
        response.warnings,
        [
            r#"namespace "test" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored"#
        ]
    );
    // The exemption is decided by the request's namespace, the text names the object.
    let request = AdmissionRequest::create(&ns).with_namespace("");
    assert!(allowed_silently(&a.validate(&request)));

    // Invalid labels are denied even in an exempt namespace.
    let bad = ns_create(&[(ENFORCE, "x")]);
    assert!(!a.validate(&AdmissionRequest::create(&bad)).allowed);
}

// Mirrors TestExemptNamespaceWarning.
#[test]
fn exempt_namespace_warning_texts() {
    let warning = |defaults: Policy, labels: &[(&str, &str)]| {
        let config = Config {
            defaults,
            exemptions: Exemptions {
                namespaces: vec!["ns".to_owned()],
                ..Exemptions::default()
            },
        };
        let ns = namespace("ns", labels);
        Admission::new(config)
            .validate(&AdmissionRequest::create(&ns))
            .warnings
    };
    let privileged = Policy::default();
    let baseline = Policy::uniform(LevelVersion::new(Level::Baseline, Version::V1(23)));
    let text = |policy: &str| {
        vec![format!(
            r#"namespace "ns" is exempt from Pod Security, and the policy ({policy}) will be ignored"#
        )]
    };
    assert!(warning(privileged, &[]).is_empty());
    assert!(
        warning(
            privileged,
            &[
                (ENFORCE, "privileged"),
                (ENFORCE_VERSION, "v1.24"),
                ("pod-security.kubernetes.io/warn-version", "v1.25")
            ]
        )
        .is_empty()
    );
    assert_eq!(
        warning(privileged, &[(ENFORCE, "baseline"), ("sentinel", "x")]),
        text("enforce=baseline:latest")
    );
    assert_eq!(
        warning(privileged, &[(WARN, "baseline")]),
        text("warn=baseline:latest")
    );
    assert_eq!(
        warning(privileged, &[(AUDIT, "restricted")]),
        text("audit=restricted:latest")
    );
    assert!(
        warning(baseline, &[]).is_empty(),
        "equivalent to the defaults"
    );
    assert_eq!(
        warning(
            baseline,
            &[("pod-security.kubernetes.io/warn-version", "latest")]
        ),
        text("warn=baseline:latest")
    );
    // Neither fully privileged nor the defaults, and no non-privileged mode is labelled.
    let defaults = Policy {
        enforce: LevelVersion::new(Level::Restricted, Version::Latest),
        audit: LevelVersion::new(Level::Baseline, Version::Latest),
        warn: LevelVersion::new(Level::Privileged, Version::Latest),
    };
    assert_eq!(warning(defaults, &[(ENFORCE, "privileged")]), text(""));
}

fn ns_update<'a>(new: &'a Value, old: &'a Value) -> AdmissionRequest<'a> {
    AdmissionRequest::update(new, old)
}

// Mirrors TestValidateNamespace's update cases that don't tighten the enforce policy: no pod
// list (an unavailable list would warn).
#[test]
fn namespace_updates_that_do_not_tighten_enforce_skip_pods() {
    let a = namespace_admission(&[], &[]);
    type Labels<'l> = &'l [(&'l str, &'l str)];
    let cases: [(Labels<'_>, Labels<'_>); 8] = [
        (
            &[(ENFORCE, "restricted"), (ENFORCE_VERSION, "v1.0")],
            &[(ENFORCE, "restricted"), (ENFORCE_VERSION, "v1.0")],
        ),
        (&[(ENFORCE, "unknown")], &[(ENFORCE, "unknown")]),
        (
            &[(ENFORCE, "baseline"), (ENFORCE_VERSION, "unknown")],
            &[(ENFORCE, "baseline"), (ENFORCE_VERSION, "unknown")],
        ),
        (
            &[(ENFORCE, "baseline"), (ENFORCE_VERSION, "v1.0")],
            &[(ENFORCE, "restricted"), (ENFORCE_VERSION, "v1.0")],
        ),
        (
            &[(ENFORCE, "baseline"), (ENFORCE_VERSION, "latest")],
            &[(ENFORCE, "restricted"), (ENFORCE_VERSION, "latest")],
        ),
        (&[(ENFORCE, "baseline")], &[(ENFORCE, "restricted")]),
        (
            &[(ENFORCE, "privileged")],
            &[(ENFORCE, "restricted"), (ENFORCE_VERSION, "v1.0")],
        ),
        (&[], &[(ENFORCE, "restricted"), (ENFORCE_VERSION, "v1.0")]),
    ];
    for (new, old) in cases {
        let (new_ns, old_ns) = (ns_create(new), ns_create(old));
        let request = ns_update(&new_ns, &old_ns).with_pods(PodList::Unavailable);
        assert!(
            allowed_silently(&a.validate(&request)),
            "{new:?} <- {old:?}"
        );
    }
}

// Mirrors `len(newErrs) > 0 && (len(oldErrs) == 0 || !reflect.DeepEqual(newErrs, oldErrs))`.
#[test]
fn namespace_update_tolerates_only_identical_label_errors() {
    let a = namespace_admission(&[], &[]);
    let check = |new: &[(&str, &str)], old: &[(&str, &str)]| {
        let (new_ns, old_ns) = (ns_create(new), ns_create(old));
        a.validate(&ns_update(&new_ns, &old_ns))
            .message()
            .map(str::to_owned)
    };
    assert_eq!(
        check(&[(ENFORCE, "unknown")], &[(ENFORCE, "restricted"), (ENFORCE_VERSION, "v1.0")]),
        Some(r#"Namespace "test" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "unknown": must be one of privileged, baseline, restricted"#.to_owned())
    );
    assert_eq!(
        check(&[(ENFORCE, "privileged"), (ENFORCE_VERSION, "unknown")], &[(ENFORCE, "restricted"), (ENFORCE_VERSION, "v1.0")]),
        Some(r#"Namespace "test" is invalid: metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "unknown": must be "latest" or "v1.x""#.to_owned())
    );
    // A changed bad value is rejected.
    assert!(check(&[(ENFORCE, "bad2")], &[(ENFORCE, "bad1")]).is_some());
    // A new bad label next to a tolerated one: rejected with every error.
    assert_eq!(
        check(&[(ENFORCE, "bad"), (AUDIT, "worse")], &[(ENFORCE, "bad")]),
        Some(r#"Namespace "test" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "bad": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "worse": must be one of privileged, baseline, restricted]"#.to_owned())
    );
    // Fixing one of two errors still leaves a different error list.
    assert!(check(&[(ENFORCE, "bad")], &[(ENFORCE, "bad"), (AUDIT, "worse")]).is_some());
    // Identical errors, other labels changed: tolerated.
    assert_eq!(
        check(&[(ENFORCE, "bad"), ("team", "a")], &[(ENFORCE, "bad")]),
        None
    );
}

// Mirrors "update exempt to restricted" and the exempt branch's position after the
// enforce-unchanged check.
#[test]
fn exempt_namespace_update_warns_instead_of_checking_pods() {
    let a = namespace_admission(&["test"], &[]);
    let new_ns = ns_create(&[
        (ENFORCE, "restricted"),
        (ENFORCE_VERSION, "v1.0"),
        (AUDIT, "restricted"),
        (WARN, "baseline"),
    ]);
    let old_ns = ns_create(&[]);
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Unavailable));
    assert!(response.allowed);
    assert_eq!(
        response.warnings,
        [
            r#"namespace "test" is exempt from Pod Security, and the policy (enforce=restricted:v1.0, audit=restricted:latest, warn=baseline:latest) will be ignored"#
        ]
    );

    // Only a warn label added: enforce unchanged, so no warning at all.
    let new_ns = ns_create(&[(WARN, "restricted")]);
    assert!(allowed_silently(&a.validate(&ns_update(&new_ns, &old_ns))));
}

// Mirrors "update to implicit restricted": the default enforce level tightens.
#[test]
fn namespace_update_warns_about_existing_pods() {
    let mut config = Config::default();
    config.defaults.enforce = LevelVersion::new(Level::Restricted, Version::Latest);
    let a = Admission::new(config);
    let new_ns = ns_create(&[]);
    let old_ns = ns_create(&[(ENFORCE, "baseline"), (ENFORCE_VERSION, "v1.0")]);
    let pods = violating_pods();
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)));
    assert!(response.allowed && response.status.is_none() && response.audit_annotations.is_empty());
    let restricted = "allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile";
    assert_eq!(
        response.warnings,
        [
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "restricted:latest""#.to_owned(),
            // Grouped by reasons only; pods without containers fail only host namespaces.
            "noruntimeclasspod (and 2 other pods): host namespaces".to_owned(),
            format!("runtimeclass3pod: host namespaces, privileged, {restricted}"),
        ]
    );
}

// Mirrors "update with runtimeclass exempt pods": exempt pods are dropped.
#[test]
fn namespace_update_skips_pods_with_exempt_runtime_classes() {
    let a = namespace_admission(&[], &["runtimeclass1"]);
    let new_ns = ns_create(&[(ENFORCE, "baseline")]);
    let old_ns = ns_create(&[]);
    let pods = violating_pods();
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)));
    assert_eq!(
        response.warnings,
        [
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "baseline:latest""#,
            "noruntimeclasspod (and 1 other pod): host namespaces",
            "runtimeclass3pod: host namespaces, privileged",
        ]
    );

    // Parsed pods give the same answer.
    let parsed: Vec<Pod<'_>> = pods.iter().map(|p| Pod::from_value(p).unwrap()).collect();
    let again = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Parsed(&parsed)));
    assert_eq!(again, response);
}

#[test]
fn namespace_update_without_violations_has_no_warnings() {
    let a = namespace_admission(&[], &[]);
    let new_ns = ns_create(&[(ENFORCE, "restricted")]);
    let old_ns = ns_create(&[]);
    let pods = vec![
        pod("ok", "test", restricted_spec()),
        pod("empty", "test", json!({})),
    ];
    assert!(allowed_silently(&a.validate(
        &ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods))
    )));
    assert!(allowed_silently(&a.validate(&ns_update(&new_ns, &old_ns))));
}

// Mirrors the PodLister error: "failed to list pods while checking new PodSecurity enforce
// level". A JSON pod that cannot be read counts as a failed list.
#[test]
fn unlistable_pods_give_one_warning() {
    let a = namespace_admission(&[], &[]);
    let new_ns = ns_create(&[(ENFORCE, "restricted")]);
    let old_ns = ns_create(&[(ENFORCE, "baseline")]);
    let expected = ["failed to list pods while checking new PodSecurity enforce level"];
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Unavailable));
    assert!(response.allowed);
    assert_eq!(response.warnings, expected);
    let pods = vec![
        pod("ok", "test", json!({"hostPID": true})),
        json!({"spec": {"hostPID": "yes"}}),
    ];
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)));
    assert_eq!(response.warnings, expected);
}

#[test]
fn pods_of_other_namespaces_are_not_listed() {
    let a = namespace_admission(&[], &[]);
    let new_ns = ns_create(&[(ENFORCE, "baseline")]);
    let old_ns = ns_create(&[]);
    let pods = vec![
        pod("elsewhere", "other", json!({"hostPID": true})),
        json!({"metadata": {"name": "unnamespaced"}, "spec": {"hostIPC": true}}),
        json!({"metadata": {"name": "empty-namespace", "namespace": ""}, "spec": {"hostIPC": true}}),
    ];
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)));
    assert_eq!(
        response.warnings,
        [
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "baseline:latest""#,
            "empty-namespace (and 1 other pod): host namespaces",
        ]
    );
}

// Mirrors "bound number of pods" with upstream's real limit of 3,000.
#[test]
fn at_most_3000_pods_are_checked() {
    let a = namespace_admission(&[], &[]);
    let new_ns = ns_create(&[(ENFORCE, "baseline")]);
    let old_ns = ns_create(&[]);
    let total = NAMESPACE_MAX_PODS_TO_CHECK + 2;
    // Names sort so that the lexically first is not the first in the list.
    let pods: Vec<Value> = (0..total)
        .map(|i| {
            pod(
                &format!("pod{:05}", total - i),
                "test",
                json!({"hostPID": true}),
            )
        })
        .collect();
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)));
    assert_eq!(
        response.warnings,
        [
            "new PodSecurity enforce level only checked against the first 3000 of 3002 existing pods",
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "baseline:latest""#,
            // The first 3,000 pods are pod03002 down to pod00003.
            "pod00003 (and 2999 other pods): host namespaces",
        ]
    );
}

// Mirrors "prioritized pods" (upstream uses a limit of 4; a budget of 4 cuts at the same place):
// exempt pods don't use up the limit, one pod per controller comes before further replicas.
#[test]
fn one_pod_per_controller_is_checked_first() {
    let a = namespace_admission(&[], &["runtimeclass1"]).with_pod_check_budget(Some(4));
    let new_ns = ns_create(&[(ENFORCE, "baseline")]);
    let old_ns = ns_create(&[]);
    let owned = |name: &str, uid: &str, spec: Value| {
        json!({"metadata": {"name": name, "namespace": "test",
            "ownerReferences": [{"uid": "other", "controller": false}, {"uid": uid, "controller": true}]},
            "spec": spec})
    };
    let mut pods = Vec::new();
    for i in 1..=4 {
        pods.push(pod(
            &format!("exemptpod{i}"),
            "test",
            json!({"hostPID": true, "runtimeClassName": "runtimeclass1"}),
        ));
    }
    for i in 1..=4 {
        pods.push(owned(
            &format!("replicaset1pod{i}"),
            "1",
            json!({"hostNetwork": true}),
        ));
    }
    for i in 1..=4 {
        pods.push(owned(
            &format!("replicaset2pod{i}"),
            "2",
            json!({"containers": [{"name": "c", "securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}]}),
        ));
    }
    pods.push(pod(
        "uniquepod1",
        "test",
        json!({"volumes": [{"name": "v", "hostPath": {"path": "/"}}]}),
    ));
    pods.push(pod(
        "uniquepod2",
        "test",
        json!({"containers": [{"name": "c", "ports": [{"containerPort": 80, "hostPort": 80}]}]}),
    ));
    pods.push(pod(
        "uniquepod3",
        "test",
        json!({"containers": [{"name": "c", "securityContext": {"privileged": true}}]}),
    ));
    pods.push(pod(
        "uniquepod4",
        "test",
        json!({"securityContext": {"sysctls": [{"name": "kernel.evil", "value": "1"}]}}),
    ));
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)));
    assert_eq!(
        response.warnings,
        [
            "new PodSecurity enforce level only checked against the first 4 of 12 existing pods",
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "baseline:latest""#,
            "replicaset1pod1: host namespaces",
            "replicaset2pod1: non-default capabilities",
            "uniquepod1: hostPath volumes",
            "uniquepod2: hostPort",
        ]
    );
    // Without a budget, every non-exempt pod is checked and replicas are grouped.
    let a = namespace_admission(&[], &["runtimeclass1"]);
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)));
    assert_eq!(
        response.warnings,
        [
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "baseline:latest""#,
            "replicaset1pod1 (and 3 other pods): host namespaces",
            "replicaset2pod1 (and 3 other pods): non-default capabilities",
            "uniquepod1: hostPath volumes",
            "uniquepod2: hostPort",
            "uniquepod3: privileged",
            "uniquepod4: forbidden sysctls",
        ]
    );
}

// Mirrors the deadline check after each evaluated pod ("timeout on evaluate"): a budget of n
// checks n pods; at least one pod is always checked; a budget that covers every pod says
// nothing.
#[test]
fn pod_check_budget() {
    let new_ns = ns_create(&[(ENFORCE, "baseline")]);
    let old_ns = ns_create(&[]);
    let pods = violating_pods();
    let warnings = |budget: Option<usize>| {
        namespace_admission(&[], &[])
            .with_pod_check_budget(budget)
            .validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)))
            .warnings
    };
    assert_eq!(
        warnings(Some(2)),
        [
            "new PodSecurity enforce level only checked against the first 2 of 4 existing pods",
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "baseline:latest""#,
            "noruntimeclasspod (and 1 other pod): host namespaces",
        ]
    );
    assert_eq!(
        warnings(Some(0))[0],
        "new PodSecurity enforce level only checked against the first 1 of 4 existing pods"
    );
    assert_eq!(warnings(Some(4)), warnings(None));
    assert_eq!(warnings(None).len(), 3);
}

// Mirrors decoratePodWarnings and sort.Strings: the lexically first pod name (even if seen
// later), "(and 1 other pod)" / "(and N other pods)", sorted after decoration.
#[test]
fn pod_warnings_are_decorated_then_sorted() {
    let a = namespace_admission(&[], &[]);
    let new_ns = ns_create(&[(ENFORCE, "baseline"), (ENFORCE_VERSION, "v1.99")]);
    let old_ns = ns_create(&[]);
    let pods = vec![
        pod("zeta", "test", json!({"hostPID": true})),
        pod(
            "Beta",
            "test",
            json!({"containers": [{"name": "c", "securityContext": {"privileged": true}}]}),
        ),
        pod("alpha", "test", json!({"hostIPC": true})),
        pod("mid", "test", json!({"hostNetwork": true})),
        pod(
            "b2",
            "test",
            json!({"containers": [{"name": "d", "securityContext": {"privileged": true}}]}),
        ),
    ];
    let response = a.validate(&ns_update(&new_ns, &old_ns).with_pods(PodList::Json(&pods)));
    assert_eq!(
        response.warnings,
        [
            // The printed version is the label's, uncapped.
            r#"existing pods in namespace "test" violate the new PodSecurity enforce level "baseline:v1.99""#,
            // Byte order: upper case first.
            "Beta (and 1 other pod): privileged",
            "alpha (and 2 other pods): host namespaces",
        ]
    );
}

#[test]
fn namespace_subresources_and_other_operations_are_allowed() {
    let a = namespace_admission(&[], &[]);
    let bad = ns_create(&[(ENFORCE, "bad")]);
    for sub in ["status", "finalize"] {
        let request = AdmissionRequest::create(&bad).with_sub_resource(sub);
        assert!(allowed_silently(&a.validate(&request)), "{sub}");
    }
    let request = AdmissionRequest::create(&bad).with_operation(Operation::Delete);
    assert!(allowed_silently(&a.validate(&request)));
}

// Mirrors ValidateNamespace's decode failures, including upstream's double spaces.
#[test]
fn undecodable_namespaces_are_bad_requests() {
    let a = namespace_admission(&[], &[]);
    let request = AdmissionRequest::new(
        Operation::Create,
        GroupVersionResource::NAMESPACES,
        GroupVersionKind::NAMESPACE,
    );
    let response = a.validate(&request);
    assert_eq!(response.message(), Some("failed to decode object"));
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to decode object: the request has no object")
    );

    let malformed = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n", "labels": {"a": 1}}});
    let response = a.validate(&request.with_object(&malformed));
    let status = response.status.as_ref().unwrap();
    assert_eq!(
        (status.code, status.message.as_str()),
        (400, "failed to decode object")
    );
    assert_eq!(
        serde_json::to_value(status).unwrap()["details"],
        json!({"name": "n", "kind": "namespaces"})
    );
    assert!(
        response
            .audit_annotation("error")
            .unwrap()
            .starts_with("failed to decode object: invalid Namespace: metadata.labels")
    );

    let p = pod("p", "n", json!({}));
    let response = a.validate(&request.with_object(&p));
    assert_eq!(response.message(), Some("failed to decode namespace"));
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to decode namespace")
    );

    let ns = ns_create(&[]);
    let update = AdmissionRequest::create(&ns).with_operation(Operation::Update);
    let response = a.validate(&update);
    assert_eq!(response.message(), Some("failed to decode  old object"));
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to decode  old object: the request has no object")
    );
    let response = a.validate(&update.with_old_object(&p));
    assert_eq!(response.message(), Some("failed to decode  old namespace"));
    assert_eq!(
        response.audit_annotation("error"),
        Some("failed to decode  old namespace")
    );
}

// The namespace of a request is read from its Namespace object's labels; a namespace that
// cannot be read is a failed lookup.
#[test]
fn unreadable_namespace_objects_are_failed_lookups() {
    let nss = [json!({"metadata": {"name": "n", "labels": ["not", "a", "map"]}})];
    let d = &workloads("n", json!({"spec": privileged_spec()}))[3];
    let response = admission().validate(&AdmissionRequest::create(d).with_namespaces(&nss));
    assert!(response.allowed);
    assert!(
        response
            .audit_annotation("error")
            .unwrap()
            .starts_with(r#"failed to lookup namespace "n": invalid Namespace: metadata.labels"#),
        "{:?}",
        response.audit_annotation("error")
    );
}
