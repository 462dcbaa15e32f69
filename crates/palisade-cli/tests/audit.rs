//! `palisade audit level|lint|table`, the `audit` op of `palisade jsonl`, and the audit
//! section of `palisade check`. Expected levels follow upstream's first-match evaluation
//! (k8s.io/apiserver pkg/audit/policy/checker.go) on `examples/cluster/audit-policy.yaml`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const POLICY: &str = "examples/cluster/audit-policy.yaml";

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
        // A command that fails early may exit before reading stdin: ignore a broken pipe.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn level_of_a_secret_write_is_request_response() {
    let out = palisade(
        &[
            "audit", "level", "-f", POLICY, "--as", "bob", "create", "secrets", "-n", "shop", "-o",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["level"], "RequestResponse");
    assert_eq!(v["matchedRule"], 3);
    assert_eq!(v["omitStages"], serde_json::json!(["RequestReceived"]));
}

#[test]
fn literal_star_verb_does_not_silence_kube_proxy() {
    // Rule 1 has `verbs: ["*"]`: a watch is not `*`, so the catch-all (rule 4) decides.
    let out = palisade(
        &[
            "audit",
            "level",
            "-f",
            POLICY,
            "--as",
            "system:kube-proxy",
            "watch",
            "endpoints",
            "-n",
            "default",
            "-o",
            "json",
        ],
        None,
    );
    let v = json(&out);
    assert_eq!(v["level"], "Metadata");
    assert_eq!(v["matchedRule"], 4);
}

#[test]
fn level_of_a_url_and_of_rbac_subresource_and_text_output() {
    let out = palisade(
        &["audit", "level", "-f", POLICY, "get", "/healthz/etcd"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("None  (rules[0])"));
    // A group entry without resources matches every resource of the group.
    let out = palisade(
        &[
            "audit",
            "level",
            "-f",
            POLICY,
            "--as",
            "a",
            "get",
            "clusterroles.rbac.authorization.k8s.io",
            "admin",
            "-o",
            "json",
        ],
        None,
    );
    assert_eq!(json(&out)["level"], "RequestResponse");
}

#[test]
fn lint_exit_codes_follow_fail_on() {
    let out = palisade(&["audit", "lint", "-f", POLICY, "-o", "json"], None);
    assert_eq!(out.status.code(), Some(1));
    let ids: Vec<String> = json(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}@{}", f["id"].as_str().unwrap(), f["rule"]))
        .collect();
    assert!(ids.contains(&"AUD002@1".to_owned()), "{ids:?}");
    assert!(ids.contains(&"AUD004@3".to_owned()), "{ids:?}");
    let clean = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n";
    let out = palisade(&["audit", "lint", "-f", "-"], Some(clean));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = palisade(&["audit", "lint", "-f", POLICY, "--fail-on", "bogus"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn invalid_policy_is_bad_input() {
    let bad = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: none\n";
    let out = palisade(&["audit", "lint", "-f", "-"], Some(bad));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "rules[0].level: Unsupported value: \"none\": supported values: \"None\", \"Metadata\", \"Request\", \"RequestResponse\""
    ));
}

#[test]
fn table_lists_levels_per_verb() {
    let out = palisade(&["audit", "table", "-f", POLICY, "-o", "json"], None);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let secrets = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["class"] == "secrets")
        .unwrap();
    assert_eq!(secrets["cells"]["get"]["level"], "Metadata");
    assert_eq!(secrets["cells"]["create"]["level"], "RequestResponse");
    let exec = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["class"] == "pods/exec")
        .unwrap();
    assert_eq!(exec["cells"]["list"], Value::Null);
}

#[test]
fn jsonl_audit_op() {
    let input = concat!(
        r#"{"op":"audit","id":1,"policy":{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"Request","resources":[{"group":"","resources":["pods/*"]}]}]},"request":{"user":null,"verb":"get","resourceRequest":true,"apiGroup":"","resource":"pods","subresource":"","namespace":"d","name":"p","path":""}}"#,
        "\n",
        r#"{"op":"audit","id":2,"policy":{"apiVersion":"audit.k8s.io/v1","kind":"Policy"},"request":{"verb":"get"}}"#,
        "\n",
    );
    let out = palisade(&["jsonl"], Some(input));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // `pods/*` also matches `pods` itself (upstream ruleMatchesResource).
    assert_eq!(lines[0]["level"], "Request");
    assert_eq!(lines[0]["matchedRule"], 0);
    assert_eq!(
        lines[1]["policyError"],
        "loaded illegal policy with 0 rules"
    );
}

#[test]
fn check_lints_audit_policies_and_keeps_the_pss_summary_last() {
    let out = palisade(&["check", "examples/cluster", "-o", "json"], None);
    let v = json(&out);
    let policies = v["audit"]["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 1);
    assert!(
        policies[0]["source"]
            .as_str()
            .unwrap()
            .contains("audit-policy.yaml")
    );
    let out = palisade(&["check", "examples/cluster"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("AUD002 high rules[1]"), "{text}");
    assert!(text.trim_end().ends_with("0 exempt, 0 unreadable"));
}
