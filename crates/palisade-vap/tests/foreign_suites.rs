//! kaptest and `kyverno test` manifests run as palisade suites, and the per-policy outcome
//! they expect. Expected outcomes follow each tool's documented semantics; the evaluation is
//! the API server's.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_vap::outcome::{Matching, PolicyOutcome, policy_outcome};
use palisade_vap::suite::kaptest::{KaptestManifest, is_kaptest};
use palisade_vap::suite::kyverno::{KyvernoTest, KyvernoValues, is_kyverno_test};
use palisade_vap::suite::{Expectation, ResolveError, SuiteReport, run};
use palisade_vap::{AdmissionInput, evaluate};
use serde_json::{Value, json};

fn policy(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy",
           "metadata": {"name": name}, "spec": spec})
}

fn deployment(ns: &str, name: &str, replicas: i64) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
           "spec": {"replicas": replicas}})
}

fn deployments_rule() -> Value {
    json!({"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
        "operations": ["CREATE", "UPDATE"], "resources": ["deployments"]}]})
}

fn replicas_policy() -> Value {
    policy(
        "replicas",
        json!({"matchConstraints": deployments_rule(),
               "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
               "matchConditions": [{"name": "not-exempt",
                   "expression": "!has(object.metadata.labels.exempt)"}],
               "validations": [{"expression": "object.spec.replicas <= int(params.data.max)",
                   "messageExpression": "'at most ' + params.data.max + ' replicas'"}]}),
    )
}

fn kaptest_resources() -> Vec<Value> {
    let mut exempt = deployment("a", "exempt", 50);
    exempt["metadata"]["labels"]["exempt"] = json!("yes");
    vec![
        replicas_policy(),
        policy(
            "who",
            json!({"validations": [
                {"expression": "request.userInfo.username == 'alice' && request.dryRun"}]}),
        ),
        deployment("a", "small", 1),
        deployment("a", "big", 9),
        exempt,
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "limits", "namespace": "a"}, "data": {"max": "3"}}),
    ]
}

fn run_suite(suite: &palisade_vap::suite::ResolvedSuite) -> SuiteReport {
    run(suite, &evaluate)
}

fn kaptest(tests: Value) -> KaptestManifest {
    serde_json::from_value(json!({
        "policies": ["policy.yaml"],
        "resources": ["resources.yaml"],
        "vapTestSuites": [{"policy": "replicas", "tests": tests}],
    }))
    .unwrap()
}

#[test]
fn kaptest_outcomes_admit_deny_skip_error() {
    let m = kaptest(json!([
        {"object": {"kind": "Deployment", "namespace": "a", "name": "small"},
         "param": {"namespace": "a", "name": "limits"}, "expect": "admit"},
        {"object": {"kind": "Deployment", "namespace": "a", "name": "big"},
         "param": {"namespace": "a", "name": "limits"}, "expect": "deny",
         "deniedMessage": "at most 3"},
        {"object": {"kind": "Deployment", "namespace": "a", "name": "exempt"},
         "param": {"namespace": "a", "name": "limits"}, "expect": "skip"},
        {"object": {"kind": "Deployment", "namespace": "a", "name": "small"}, "expect": "error"},
    ]));
    let resolved = m.resolve(&kaptest_resources(), "kaptest.yaml").unwrap();
    assert_eq!(resolved.cases.len(), 4);
    let report = run_suite(&resolved);
    for c in &report.cases {
        assert!(c.passed, "{}: {:?}", c.name, c.mismatches);
    }
}

#[test]
fn kaptest_mismatches_name_the_outcome_and_the_message() {
    let m = kaptest(json!([
        {"object": {"kind": "Deployment", "namespace": "a", "name": "big"},
         "param": {"namespace": "a", "name": "limits"}, "expect": "admit"},
        {"object": {"kind": "Deployment", "namespace": "a", "name": "big"},
         "param": {"namespace": "a", "name": "limits"}, "expect": "deny",
         "deniedMessage": "at most 4"},
    ]));
    let report = run_suite(&m.resolve(&kaptest_resources(), "k").unwrap());
    let first = &report.cases[0].mismatches;
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].field, "outcome");
    assert_eq!(first[0].expected, "admit");
    assert_eq!(first[0].actual, "deny: at most 3 replicas");
    let second = &report.cases[1].mismatches;
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].field, "deniedMessage");
    assert_eq!(second[0].actual, "at most 3 replicas");
}

#[test]
fn kaptest_requests_are_dry_runs_by_the_given_user() {
    let m: KaptestManifest = serde_json::from_value(json!({
        "validatingAdmissionPolicies": ["p.yaml"],
        "testSuites": [{"policy": "who", "tests": [
            {"object": {"kind": "Deployment", "name": "small", "namespace": "a"},
             "userInfo": {"user": "alice", "groups": ["dev"]}, "expect": "admit"},
            {"object": {"kind": "Deployment", "name": "small", "namespace": "a"},
             "userInfo": {"username": "bob"}, "expect": "deny"},
        ]}],
    }))
    .unwrap();
    let resolved = m.resolve(&kaptest_resources(), "k").unwrap();
    let request = &resolved.cases[0].input.request;
    assert!(request.dry_run);
    assert_eq!(request.user_info.groups, ["dev"]);
    let report = run_suite(&resolved);
    assert!(report.cases.iter().all(|c| c.passed), "{:?}", report.cases);
}

#[test]
fn kaptest_errors_name_the_case() {
    let bad_expect = kaptest(json!([
        {"object": {"kind": "Deployment", "namespace": "a", "name": "small"}, "expect": "allow"}]));
    let e = bad_expect.resolve(&kaptest_resources(), "k").unwrap_err();
    assert!(
        matches!(&e, ResolveError::Case { message, .. } if message.contains("use admit, deny, skip or error")),
        "{e}"
    );
    let missing = kaptest(json!([
        {"object": {"kind": "Deployment", "namespace": "a", "name": "nope"}, "expect": "admit"}]));
    let e = missing.resolve(&kaptest_resources(), "k").unwrap_err();
    assert!(
        e.to_string().contains("no resource Deployment \"nope\""),
        "{e}"
    );
}

#[test]
fn formats_are_recognised_by_their_shape() {
    assert!(is_kaptest(&json!({"policies": [], "vapTestSuites": []})));
    assert!(is_kaptest(&json!({"testSuites": []})));
    assert!(!is_kaptest(
        &json!({"kind": "AdmissionTest", "testSuites": []})
    ));
    assert!(is_kyverno_test(
        &json!({"apiVersion": "cli.kyverno.io/v1alpha1", "kind": "Test"})
    ));
    assert!(is_kyverno_test(
        &json!({"apiVersion": "kyverno.io/v1", "kind": "Test"})
    ));
    assert!(!is_kyverno_test(
        &json!({"apiVersion": "example.com/v1", "kind": "Test"})
    ));
}

fn kyverno_resources() -> Vec<Value> {
    vec![
        policy(
            "replicas",
            json!({"matchConstraints": deployments_rule(),
                   "validations": [{"expression": "object.spec.replicas <= 2"}]}),
        ),
        json!({"apiVersion": "admissionregistration.k8s.io/v1",
               "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": "replicas"},
               "spec": {"policyName": "replicas", "validationActions": ["Deny"],
                        "matchResources": {"namespaceSelector": {"matchLabels": {"env": "prod"}}}}}),
        policy(
            "broken",
            json!({"validations": [{"expression": "object.spec.replicas +"}]}),
        ),
        deployment("dev", "api", 5),
        deployment("prod", "api", 5),
        deployment("prod", "web", 1),
    ]
}

fn kyverno(results: Value) -> KyvernoTest {
    serde_json::from_value(json!({
        "apiVersion": "cli.kyverno.io/v1alpha1", "kind": "Test",
        "metadata": {"name": "replicas-test"},
        "policies": ["policy.yaml"], "resources": ["resources.yaml"], "variables": "values.yaml",
        "results": results,
    }))
    .unwrap()
}

fn values() -> KyvernoValues {
    serde_json::from_value(json!({"namespaceSelector": [
        {"name": "dev", "labels": {"env": "dev"}}, {"name": "prod", "labels": {"env": "prod"}}]}))
    .unwrap()
}

#[test]
fn kyverno_results_pass_fail_skip_error() {
    let t = kyverno(json!([
        {"policy": "replicas", "kind": "Deployment", "namespace": "dev", "resources": ["api"], "result": "skip"},
        {"policy": "replicas", "kind": "Deployment", "namespace": "prod", "resources": ["api"], "result": "fail"},
        {"policy": "replicas", "kind": "Deployment", "resource": "web", "result": "pass"},
        {"policy": "broken", "kind": "Deployment", "resource": "web", "result": "error"},
    ]));
    let resolved = t
        .resolve(&kyverno_resources(), Some(&values()), "kyverno-test.yaml")
        .unwrap();
    assert_eq!(resolved.name, "replicas-test");
    let prod = resolved.cases[1]
        .input
        .namespaces
        .iter()
        .find(|n| n["metadata"]["name"] == "prod")
        .unwrap();
    assert_eq!(prod["metadata"]["labels"]["env"], "prod");
    assert_eq!(
        prod["metadata"]["labels"]["kubernetes.io/metadata.name"],
        "prod"
    );
    let report = run_suite(&resolved);
    for c in &report.cases {
        assert!(c.passed, "{}: {:?}", c.name, c.mismatches);
    }
    // The response beside the outcome is the API server's whole answer for the request.
    assert!(!report.cases[1].response.allowed);
    assert!(report.cases[0].response.allowed);
}

#[test]
fn kyverno_without_values_selects_by_the_default_namespace_labels_only() {
    let t = kyverno(json!([
        {"policy": "replicas", "kind": "Deployment", "namespace": "prod", "resources": ["api"], "result": "skip"},
    ]));
    let report = run_suite(&t.resolve(&kyverno_resources(), None, "k").unwrap());
    assert!(report.cases[0].passed, "{:?}", report.cases[0].mismatches);
}

#[test]
fn kyverno_rejects_what_it_cannot_run() {
    let warn = kyverno(
        json!([{"policy": "replicas", "kind": "Deployment", "resource": "web", "result": "warn"}]),
    );
    let e = warn.resolve(&kyverno_resources(), None, "k").unwrap_err();
    assert!(
        e.to_string().contains("use pass, fail, skip or error"),
        "{e}"
    );
    let cluster_policy = kyverno(
        json!([{"policy": "require-labels", "kind": "Pod", "resource": "x", "result": "pass"}]),
    );
    let e = cluster_policy
        .resolve(&kyverno_resources(), None, "k")
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("no ValidatingAdmissionPolicy \"require-labels\""),
        "{e}"
    );
}

fn input(resources: &[Value], object: Value) -> AdmissionInput {
    let mut input: AdmissionInput = serde_json::from_value(json!({
        "request": {"operation": "CREATE", "namespace": object["metadata"]["namespace"],
            "name": object["metadata"]["name"],
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "object": object},
        "namespaces": [{"metadata": {"name": "a"}}],
    }))
    .unwrap();
    for r in resources {
        match r["kind"].as_str() {
            Some("ValidatingAdmissionPolicy") => input
                .policies
                .push(serde_json::from_value(r.clone()).unwrap()),
            Some("ValidatingAdmissionPolicyBinding") => input
                .bindings
                .push(serde_json::from_value(r.clone()).unwrap()),
            _ => input.params.push(r.clone()),
        }
    }
    input
}

#[test]
fn outcomes_follow_matching_and_combine_over_params() {
    let only_pods = policy(
        "pods",
        json!({"matchConstraints": {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"],
                  "operations": ["CREATE"], "resources": ["pods"]}]},
               "validations": [{"expression": "false", "message": "no"}]}),
    );
    let i = input(&[only_pods], deployment("a", "d", 1));
    assert_eq!(
        policy_outcome(&i, "pods", Matching::Policy, None),
        PolicyOutcome::Skip
    );
    assert_eq!(
        policy_outcome(&i, "pods", Matching::None, None),
        PolicyOutcome::Deny {
            message: "no".into()
        }
    );
    assert!(
        matches!(policy_outcome(&i, "missing", Matching::Policy, None),
        PolicyOutcome::Error { message } if message.contains("no ValidatingAdmissionPolicy"))
    );

    // Two params selected by a binding: one admits, one denies, so the policy denies.
    let limits = policy(
        "limits",
        json!({"paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
               "validations": [{"expression": "object.spec.replicas <= int(params.data.max)"}]}),
    );
    let binding = json!({"kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": "b"},
        "spec": {"policyName": "limits", "validationActions": ["Deny"],
                 "paramRef": {"selector": {"matchLabels": {"kind": "limit"}}, "namespace": "a",
                              "parameterNotFoundAction": "Allow"}}});
    let cm = |name: &str, max: &str| {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "a", "labels": {"kind": "limit"}}, "data": {"max": max}})
    };
    let i = input(
        &[
            limits.clone(),
            binding.clone(),
            cm("loose", "10"),
            cm("tight", "2"),
        ],
        deployment("a", "d", 5),
    );
    assert!(matches!(
        policy_outcome(&i, "limits", Matching::Policy, None),
        PolicyOutcome::Deny { .. }
    ));
    let i = input(
        &[limits.clone(), binding.clone(), cm("loose", "10")],
        deployment("a", "d", 5),
    );
    assert_eq!(
        policy_outcome(&i, "limits", Matching::Policy, None),
        PolicyOutcome::Admit
    );
    // No param found under Allow: the policy is not evaluated.
    let i = input(&[limits, binding], deployment("a", "d", 5));
    assert_eq!(
        policy_outcome(&i, "limits", Matching::Policy, None),
        PolicyOutcome::Skip
    );
}

#[test]
fn palisade_cases_keep_expecting_the_response() {
    let suite: palisade_vap::suite::Suite = serde_json::from_value(json!({
        "kind": "AdmissionTest",
        "cases": [{"name": "c", "object": deployment("a", "x", 1), "expect": {"allowed": true}}]}))
    .unwrap();
    let r = suite.resolve(&[], "s").unwrap();
    assert!(matches!(r.cases[0].expect, Expectation::Response(_)));
}
