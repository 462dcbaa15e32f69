//! One cluster per lint rule: the finding appears where the rule says, and not elsewhere.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_netpol::lint::{RULES, Severity, lint, rule};
use palisade_netpol::load;
use serde_json::{Value, json};

fn base() -> Vec<Value> {
    vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}),
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
               "spec": {"containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 8080}]}]},
               "status": {"podIP": "10.0.0.2"}}),
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "db", "namespace": "shop", "labels": {"app": "db"}},
               "spec": {"containers": [{"name": "c", "ports": [{"name": "pg", "containerPort": 5432}]}]},
               "status": {"podIP": "10.0.0.3"}}),
        // Default-deny both ways, so NP006 stays quiet unless a test removes it.
        np(
            "default-deny",
            json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
        ),
    ]
}

fn np(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
           "metadata": {"name": name, "namespace": "shop"}, "spec": spec})
}

fn findings(extra: &[Value]) -> Vec<(String, String)> {
    let mut objects = base();
    objects.extend_from_slice(extra);
    let l = load::load(&objects);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    lint(&l.endpoints, &l.policies)
        .into_iter()
        .map(|f| (f.id.to_owned(), f.to_string()))
        .collect()
}

fn ids(extra: &[Value]) -> Vec<String> {
    findings(extra).into_iter().map(|(id, _)| id).collect()
}

#[test]
fn a_clean_cluster_has_no_findings() {
    let allow = np(
        "web-from-db",
        json!({
        "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "db"}}}], "ports": [{"port": "http"}]}]}),
    );
    assert_eq!(findings(&[allow]), vec![]);
}

#[test]
fn np001_policy_selecting_no_pod() {
    let p = np(
        "cache",
        json!({"podSelector": {"matchLabels": {"app": "cache"}}, "policyTypes": ["Ingress"]}),
    );
    let f = findings(&[p]);
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].1,
        "NP001 medium NetworkPolicy shop/cache: podSelector app=cache selects no pod in namespace shop"
    );
}

#[test]
fn np002_peer_matching_nothing() {
    let p = np(
        "web-in",
        json!({
        "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "ops"}}}]}]}),
    );
    let f = findings(&[p]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].1
            .contains("ingress[0].from[0]: namespaceSelector team=ops matches no namespace"),
        "{f:?}"
    );
}

#[test]
fn np003_named_port_resolves_on_the_destination() {
    // Ingress to web on `pg`: only db declares it.
    let p = np(
        "web-in",
        json!({
        "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"],
        "ingress": [{"ports": [{"port": "pg"}]}]}),
    );
    assert_eq!(ids(&[p]), vec!["NP003"]);
    // Egress from web to db on `pg` resolves on db: fine.
    let p = np(
        "web-out",
        json!({
        "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"],
        "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "db"}}}], "ports": [{"port": "pg"}]}]}),
    );
    assert_eq!(ids(&[p]), Vec::<String>::new());
    // The protocol counts: `pg` is TCP.
    let p = np(
        "web-out",
        json!({
        "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"],
        "egress": [{"ports": [{"port": "pg", "protocol": "UDP"}]}]}),
    );
    assert_eq!(ids(&[p]), vec!["NP003"]);
}

#[test]
fn np004_rules_covered_by_broader_ones() {
    let p = np(
        "web-in",
        json!({
        "podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"],
        "ingress": [
            {"from": [{"podSelector": {"matchLabels": {"app": "db"}}}], "ports": [{"port": 8080}]},
            {"from": [{"podSelector": {}}]}
        ]}),
    );
    let f = findings(&[p]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].1.contains(
            "ingress[0] allows nothing that shop/web-in ingress[1] does not already allow"
        ),
        "{f:?}"
    );
    // Two equal rules: only the later one is reported.
    let rule = json!({"from": [{"podSelector": {"matchLabels": {"app": "db"}}}]});
    let p = np(
        "dup",
        json!({"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Ingress"], "ingress": [rule.clone(), rule]}),
    );
    let f = findings(&[p]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].1
            .contains("ingress[1] allows nothing that shop/dup ingress[0]"),
        "{f:?}"
    );
    // An admin rule after a broader one is never reached.
    let anp = json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy",
        "metadata": {"name": "a"}, "spec": {"priority": 1, "subject": {"namespaces": {}},
        "ingress": [{"action": "Allow", "from": [{"namespaces": {}}]},
                    {"action": "Deny", "from": [{"namespaces": {"matchLabels": {"x": "y"}}}]}]}});
    let f = findings(&[anp]);
    assert!(
        f.iter()
            .any(|(id, t)| id == "NP004" && t.contains("ingress[1] is never reached: ingress[0]")),
        "{f:?}"
    );
}

#[test]
fn np005_egress_rules_without_policy_types() {
    let p = np(
        "web-out",
        json!({"podSelector": {"matchLabels": {"app": "web"}}, "egress": [{}]}),
    );
    let f = findings(&[p]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(rule(&f[0].0).unwrap().severity, Severity::High);
}

#[test]
fn np006_namespace_without_default_deny() {
    let mut objects = base();
    objects.pop();
    objects.push(np(
        "egress-deny",
        json!({"podSelector": {}, "policyTypes": ["Egress"]}),
    ));
    let l = load::load(&objects);
    let f = lint(&l.endpoints, &l.policies);
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].to_string(),
        "NP006 low Namespace shop: 2 pods or workloads, but no policy with podSelector {} isolates them for Ingress"
    );
}

#[test]
fn rule_ids_are_unique_and_ordered() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(ids, sorted);
}
