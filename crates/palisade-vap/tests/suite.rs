//! Test suites: resolving cases into admission requests and comparing answers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_vap::suite::{ResolveError, Suite, run};
use palisade_vap::{AdmissionInput, AdmissionResponse, Operation};
use serde_json::json;

fn suite(cases: serde_json::Value) -> Suite {
    serde_json::from_value(json!({
        "apiVersion": "palisade.dev/v1alpha1",
        "kind": "AdmissionTest",
        "cases": cases,
    }))
    .unwrap()
}

fn resources() -> Vec<serde_json::Value> {
    vec![
        json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy", "metadata": {"name": "p"}}),
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "small", "namespace": "team-a"}, "spec": {"replicas": 1}}),
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "big", "namespace": "team-a"}, "spec": {"replicas": 9}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "limits", "namespace": "team-a"}}),
    ]
}

#[test]
fn references_become_requests_with_inferred_operations() {
    let s = suite(json!([
        {"name": "create", "object": {"kind": "Deployment", "name": "big"}, "expect": {"allowed": false}},
        {"name": "update", "object": {"kind": "Deployment", "name": "big"}, "oldObject": {"kind": "Deployment", "name": "small"}, "expect": {"allowed": true}},
        {"name": "delete", "oldObject": {"kind": "Deployment", "name": "small"}, "expect": {"allowed": true}},
    ]));
    let r = s.resolve(&resources(), "suite.yaml").unwrap();
    assert_eq!(r.name, "suite.yaml");
    let ops: Vec<Operation> = r.cases.iter().map(|c| c.input.request.operation).collect();
    assert_eq!(
        ops,
        [Operation::Create, Operation::Update, Operation::Delete]
    );
    let create = &r.cases[0].input;
    assert_eq!(create.request.resource.resource, "deployments");
    assert_eq!(create.request.resource.group, "apps");
    assert_eq!(create.request.namespace, "team-a");
    assert_eq!(create.request.name, "big");
    assert_eq!(create.policies.len(), 1);
    assert_eq!(
        create.params.len(),
        3,
        "non-policy objects are available as params"
    );
    assert!(
        create
            .namespaces
            .iter()
            .any(|n| n["metadata"]["name"] == "team-a"),
        "the case's namespace exists"
    );
}

#[test]
fn unknown_references_are_errors_naming_the_case() {
    let s = suite(
        json!([{"name": "oops", "object": {"kind": "Deployment", "name": "missing"}, "expect": {"allowed": true}}]),
    );
    match s.resolve(&resources(), "x").unwrap_err() {
        ResolveError::Case { case, message } => {
            assert_eq!(case, "oops");
            assert!(
                message.contains("no resource Deployment \"missing\""),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn comparison_reports_each_difference() {
    let s = suite(json!([
        {"name": "denied", "object": {"kind": "Deployment", "name": "big"},
         "expect": {"allowed": false, "reason": "Invalid", "messageContains": ["too big"], "warnings": ["w"]}},
    ]));
    let r = s.resolve(&resources(), "x").unwrap();
    let allow_all = |_: &AdmissionInput| AdmissionResponse {
        allowed: true,
        ..Default::default()
    };
    let report = run(&r, &allow_all);
    assert_eq!(report.failed(), 1);
    let fields: Vec<&str> = report.cases[0]
        .mismatches
        .iter()
        .map(|m| m.field.as_str())
        .collect();
    assert_eq!(fields, ["allowed", "messageContains", "reason", "warnings"]);
}
