//! `palisade vap test|eval` and the `vap` op of `palisade jsonl`, on `examples/policies`.
//! The expected texts follow the API server's formatting (the plugin's dispatcher and
//! apimachinery's Forbidden status).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn palisade(args: &[&str], stdin: Option<&str>) -> Output {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn the_example_suites_pass() {
    let out = palisade(&["vap", "test", "examples/policies"], None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.ends_with("6 suites, 24 cases: 24 passed, 0 failed\n"),
        "{text}"
    );
    // The kaptest and kyverno manifests of the examples run beside palisade's own suites.
    assert!(
        text.contains("examples/policies/replica-limit-params/kaptest.yaml\n"),
        "{text}"
    );
    assert!(
        text.contains("  ok   staged-replicas Deployment/api: fail\n"),
        "{text}"
    );
}

#[test]
fn a_kaptest_manifest_with_a_wrong_expectation_fails() {
    let dir = std::env::temp_dir().join(format!("palisade-kaptest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let example = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .join("examples/policies/replica-limit-params");
    let manifest = format!(
        "policies: [{p}]\nresources: [{o}]\nvapTestSuites:\n- policy: replicalimit-policy.example.com\n  tests:\n  - object: {{kind: Deployment, namespace: team-a, name: batch}}\n    param: {{namespace: team-a, name: replica-limit}}\n    expect: admit\n",
        p = example.join("policy.yaml").display(),
        o = example.join("objects.yaml").display()
    );
    let file = dir.join("kaptest.yaml");
    std::fs::write(&file, manifest).unwrap();
    let out = palisade(&["vap", "test", file.to_str().unwrap()], None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("FAIL replicalimit-policy.example.com #0: admit Deployment team-a/batch"),
        "{text}"
    );
    assert!(text.contains("expected: admit"), "{text}");
    assert!(
        text.contains("actual:   deny: object.spec.replicas must be no greater than 3"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

const WRONG_SUITE: &str = r#"
apiVersion: palisade.dev/v1alpha1
kind: AdmissionTest
name: a wrong expectation
resources:
- apiVersion: admissionregistration.k8s.io/v1
  kind: ValidatingAdmissionPolicy
  metadata: {name: no-latest}
  spec:
    matchConstraints:
      resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
    validations:
    - expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
      message: "no :latest images"
- apiVersion: admissionregistration.k8s.io/v1
  kind: ValidatingAdmissionPolicyBinding
  metadata: {name: no-latest}
  spec: {policyName: no-latest, validationActions: [Deny]}
cases:
- name: a latest image is expected to pass (it does not)
  object:
    apiVersion: v1
    kind: Pod
    metadata: {name: web, namespace: default}
    spec: {containers: [{name: web, image: "nginx:latest"}]}
  expect: {allowed: true}
"#;

#[test]
fn a_failing_case_exits_1_with_the_difference() {
    let dir = std::env::temp_dir().join(format!("palisade-vap-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.test.yaml");
    std::fs::write(&file, WRONG_SUITE).unwrap();
    let out = palisade(&["vap", "test", file.to_str().unwrap()], None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("FAIL a latest image is expected to pass"),
        "{text}"
    );
    assert!(text.contains("expected: true"), "{text}");
    assert!(text.contains("actual:   false"), "{text}");
    let junit = palisade(
        &["vap", "test", "-o", "junit", file.to_str().unwrap()],
        None,
    );
    let xml = stdout(&junit);
    assert!(
        xml.contains(r#"<testsuites name="palisade vap test" tests="1" failures="1">"#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<failure message="differs in allowed">"#),
        "{xml}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn eval_prints_the_denial_and_exits_1() {
    let object = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: batch, namespace: team-a}\nspec: {replicas: 7}\n";
    let out = palisade(
        &[
            "vap",
            "eval",
            "--policy",
            "examples/policies/replica-limit-params/policy.yaml",
            "--params",
            "examples/policies/replica-limit-params/objects.yaml",
            "-f",
            "-",
            "-o",
            "json",
        ],
        Some(object),
    );
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["allowed"], false);
    assert_eq!(
        v["status"]["message"],
        "deployments.apps \"batch\" is forbidden: ValidatingAdmissionPolicy 'replicalimit-policy.example.com' \
         with binding 'replicalimit-binding.example.com' denied request: object.spec.replicas must be no greater than 3"
    );
}

#[test]
fn the_jsonl_op_answers_like_the_api_server() {
    let request = serde_json::json!({
        "op": "vap", "id": 3,
        "policies": [{"metadata": {"name": "p"}, "spec": {
            "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["*"], "resources": ["deployments"]}]},
            "validations": [{"expression": "object.spec.replicas < 3", "reason": "Forbidden"}]}}],
        "bindings": [{"metadata": {"name": "b"}, "spec": {"policyName": "p", "validationActions": ["Deny", "Warn"]}}],
        "namespaces": [{"metadata": {"name": "default"}}],
        "request": {"operation": "CREATE",
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "namespace": "default", "name": "",
            "object": {"metadata": {"generateName": "web-"}, "spec": {"replicas": 3}}}
    });
    let out = palisade(&["jsonl"], Some(&format!("{request}\n")));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["id"], 3);
    assert_eq!(v["allowed"], false);
    assert_eq!(v["status"]["code"], 403);
    assert_eq!(
        v["status"]["message"],
        "deployments.apps \"web-\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed expression: object.spec.replicas < 3"
    );
    assert_eq!(
        v["warnings"][0],
        "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': failed expression: object.spec.replicas < 3"
    );
}

#[test]
fn check_applies_the_dumps_policies_to_its_objects() {
    // examples/cluster/admission-policies.yaml: images outside registry.example.com are denied
    // in payments (ledger-db, fraud-scorer) and warned about in web (image-resizer, edge-proxy,
    // the ingress controller). ReplicaSets and Pods are not matched by the policy's rules.
    let out = palisade(&["check", "examples/cluster"], None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("admission policies: "), "{text}");
    assert!(
        text.contains(" against 1 policy: 2 denied, 3 with warnings\n"),
        "{text}"
    );
    assert!(text.contains(
        "DENIED StatefulSet payments/ledger-db (examples/cluster/payments/workloads.yaml#1): statefulsets.apps \"ledger-db\" is forbidden: \
         ValidatingAdmissionPolicy 'trusted-registries.example.com' with binding 'trusted-registries-payments' denied request: \
         untrusted images: docker.io/library/postgres:16.4-alpine, quay.io/prometheuscommunity/postgres-exporter:v0.15.0"
    ), "{text}");
    assert!(text.contains(
        "WARNING DaemonSet web/ingress-nginx-controller (examples/cluster/web/workloads.yaml#7): Validation failed for \
         ValidatingAdmissionPolicy 'trusted-registries.example.com' with binding 'trusted-registries-web': \
         untrusted images: registry.k8s.io/ingress-nginx/controller:v1.11.3"
    ), "{text}");
}

const INVALID_OBJECTS: &str = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: bad-syntax}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations:
  - expression: "object.spec.replicas <="
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: message-authorizer}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations:
  - expression: "authorizer.group('').resource('pods').check('get').allowed()"
    messageExpression: "authorizer.group('').resource('pods').check('get').reason()"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: unnamed}
spec: {validationActions: [Deny]}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: fine}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations:
  - expression: "object.spec.replicas <= 5"
"#;

#[test]
fn validate_reports_what_the_api_server_refuses_to_create() {
    let out = palisade(&["vap", "validate", "-f", "-"], Some(INVALID_OBJECTS));
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // A syntax error, with cel-go's position and caret (upstream formats compile errors as
    // `compilation failed: ERROR: <input>:L:C: …`).
    assert!(
        text.contains(
            "ValidatingAdmissionPolicy.admissionregistration.k8s.io \"bad-syntax\" is invalid: \
             spec.validations[0].expression: Invalid value: \"object.spec.replicas <=\": \
             compilation failed: ERROR: <input>:1:24: Syntax error: mismatched input '<EOF>'"
        ),
        "{text}"
    );
    // messageExpressions are compiled without `authorizer`; the validation itself may use it.
    assert!(
        text.contains(
            "\"message-authorizer\" is invalid: spec.validations[0].messageExpression: Invalid \
             value: \"authorizer.group('').resource('pods').check('get').reason()\": compilation \
             failed: ERROR: <input>:1:1: undeclared reference to 'authorizer' (in container '')"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io \"unnamed\" is \
             invalid: spec.policyName: Required value"
        ),
        "{text}"
    );
    assert!(text.ends_with("1 valid, 3 invalid\n"), "{text}");
    let json = palisade(
        &["vap", "validate", "-o", "json", "-f", "-"],
        Some(INVALID_OBJECTS),
    );
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["valid"], 1);
    assert_eq!(value["invalid"].as_array().unwrap().len(), 3);
    assert_eq!(
        value["invalid"][2]["kind"],
        "ValidatingAdmissionPolicyBinding"
    );
}

#[test]
fn validate_accepts_the_example_policies() {
    let out = palisade(&["vap", "validate", "-f", "examples/policies"], None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text, "10 valid, 0 invalid\n");
}

#[test]
fn check_reports_invalid_policies_and_does_not_apply_them() {
    let dir = std::env::temp_dir().join(format!("palisade-check-vap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: deny-all-broken}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations:
  - expression: "object.spec.replicas <"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: deny-all-broken}
spec: {policyName: deny-all-broken, validationActions: [Deny]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: registry.example.com/web:1}]}
"#;
    std::fs::write(dir.join("all.yaml"), broken).unwrap();
    let out = palisade(&["check", dir.to_str().unwrap()], None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "admission policies: 1 object against 0 policies: 0 denied, 0 with warnings; 1 invalid"
        ),
        "{text}"
    );
    assert!(
        text.contains("INVALID ValidatingAdmissionPolicy deny-all-broken"),
        "{text}"
    );
    assert!(!text.contains("DENIED"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}
