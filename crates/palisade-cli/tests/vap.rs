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
        text.ends_with("4 suites, 15 cases: 15 passed, 0 failed\n"),
        "{text}"
    );
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
