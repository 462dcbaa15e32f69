//! `palisade netpol …` and the netpol section of `palisade check` on the example cluster.
//!
//! The expected answers follow from the NetworkPolicy rules applied by hand to the policies
//! in `examples/cluster/*/network-policies.yaml` (see `examples/cluster/README.md`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

fn palisade(args: &[&str]) -> Output {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap()
}

fn can_reach(src: &str, dst: &str, port: &str) -> Option<i32> {
    palisade(&[
        "netpol",
        "can-reach",
        src,
        dst,
        "--port",
        port,
        "-f",
        "examples/cluster",
    ])
    .status
    .code()
}

#[test]
fn can_reach_follows_the_example_policies() {
    // The policyTypes trap: metabase-egress also isolates Metabase for ingress.
    assert_eq!(
        can_reach("web/edge-proxy", "analytics/metabase", "3000"),
        Some(1)
    );
    // Its egress rule lets it reach Kafka, whose ingress allows the analytics namespace on
    // the named port `client` (9092).
    assert_eq!(
        can_reach("analytics/metabase", "data/kafka", "9092"),
        Some(0)
    );
    assert_eq!(
        can_reach("analytics/metabase", "data/kafka", "9093"),
        Some(1)
    );
    // Egress from Metabase to anything else is denied.
    assert_eq!(
        can_reach("analytics/metabase", "192.0.2.10", "443"),
        Some(1)
    );
    // data: default-deny ingress.
    assert_eq!(
        can_reach("analytics/notebook", "data/elasticsearch", "9200"),
        Some(1)
    );
    // identity: only web's edge proxy reaches Dex, on https (5556).
    assert_eq!(
        can_reach("web/edge-proxy", "identity/oidc-provider", "5556"),
        Some(0)
    );
    assert_eq!(
        can_reach("web/storefront", "identity/oidc-provider", "5556"),
        Some(1)
    );
    // payments: the storefront reaches payments-api on its named port https (8443).
    assert_eq!(
        can_reach("web/storefront", "payments/payments-api", "8443"),
        Some(0)
    );
    assert_eq!(
        can_reach("web/storefront", "payments/payments-api", "443"),
        Some(1)
    );
    // Unknown pods are usage errors.
    assert_eq!(can_reach("web/nope", "data/kafka", "9092"), Some(2));
}

#[test]
fn explain_names_the_policies_and_rule() {
    let out = palisade(&[
        "netpol",
        "explain",
        "analytics/metabase",
        "data/kafka",
        "-p",
        "9092",
        "-f",
        "examples/cluster",
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["explanation"];
    assert_eq!(
        e["egress"]["allowedBy"][0]["policy"],
        "analytics/metabase-egress"
    );
    assert_eq!(
        e["ingress"]["allowedBy"][0]["policy"],
        "data/allow-analytics-to-kafka"
    );
    assert_eq!(
        e["ingress"]["isolating"],
        serde_json::json!(["data/default-deny-ingress", "data/allow-analytics-to-kafka"])
    );
}

#[test]
fn lint_finds_the_deliberate_mistake() {
    let out = palisade(&["netpol", "lint", "-f", "examples/cluster", "-o", "json"]);
    assert_eq!(out.status.code(), Some(1), "a high finding exits 1");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let high: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "high")
        .collect();
    assert_eq!(high.len(), 1);
    assert_eq!(high[0]["id"], "NP005");
    assert_eq!(high[0]["object"], "NetworkPolicy analytics/metabase-egress");
    // payments isolates both directions, so it has no no-default-deny finding.
    assert!(
        !v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["object"] == "Namespace payments")
    );
}

#[test]
fn matrix_formats_and_diff() {
    let out = palisade(&[
        "netpol",
        "matrix",
        "-f",
        "examples/cluster",
        "-p",
        "9092",
        "-o",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pods: Vec<&str> = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let at = |id: &str| pods.iter().position(|p| *p == id).unwrap();
    let allowed = &v["ports"][0]["allowed"];
    assert_eq!(allowed[at("analytics/metabase")][at("data/kafka")], true);
    assert_eq!(allowed[at("web/storefront")][at("data/kafka")], false);
    let dot = palisade(&[
        "netpol",
        "matrix",
        "-f",
        "examples/cluster",
        "-p",
        "9092",
        "-o",
        "dot",
    ]);
    assert!(
        String::from_utf8(dot.stdout)
            .unwrap()
            .starts_with("digraph reachability {")
    );
    // The same tree on both sides changes nothing.
    let out = palisade(&[
        "netpol",
        "diff",
        "examples/cluster",
        "examples/cluster",
        "-p",
        "80",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "0 opened, 0 closed\n"
    );
}

#[test]
fn check_includes_the_lint_findings() {
    let out = palisade(&["check", "examples/cluster", "-o", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["netpol"]["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["id"] == "NP005"));
    assert_eq!(v["netpol"]["errors"], serde_json::json!([]));
    let text = String::from_utf8(palisade(&["check", "examples/cluster"]).stdout).unwrap();
    assert!(text.contains("network policies: 10 findings\n"), "{text}");
    assert!(
        text.contains("  NP005 high NetworkPolicy analytics/metabase-egress: "),
        "{text}"
    );
}
