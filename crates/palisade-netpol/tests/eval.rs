//! Evaluation of hand-built cluster states, each checking one rule of the API documentation
//! (`networking.k8s.io/v1` types.go, `policy.networking.k8s.io/v1alpha1` types) or one of its
//! traps.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_netpol::eval::{Decision, allows, evaluate};
use palisade_netpol::{Connection, Endpoint, Loaded, Protocol, load};
use serde_json::{Value, json};

fn pod(ns: &str, name: &str, labels: Value, ip: &str, ports: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": ns, "labels": labels},
           "spec": {"containers": [{"name": "c", "ports": ports}]},
           "status": {"podIP": ip}})
}

fn np(ns: &str, name: &str, spec: Value) -> Value {
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
           "metadata": {"name": name, "namespace": ns}, "spec": spec})
}

fn anp(name: &str, priority: i64, spec: Value) -> Value {
    let mut spec = spec;
    spec["priority"] = json!(priority);
    json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy",
           "metadata": {"name": name}, "spec": spec})
}

/// Namespaces `a` (team: red) and `b`; pods a/client, a/server (named port http=8080 and
/// dns=53/UDP), b/server (http=9090).
fn cluster(policies: &[Value]) -> Loaded {
    let mut objects = vec![
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a", "labels": {"team": "red"}}}),
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}}),
        pod(
            "a",
            "client",
            json!({"app": "client"}),
            "10.0.1.1",
            json!([]),
        ),
        pod(
            "a",
            "server",
            json!({"app": "server"}),
            "10.0.1.2",
            json!([{"name": "http", "containerPort": 8080}, {"name": "dns", "containerPort": 53, "protocol": "UDP"}]),
        ),
        pod(
            "b",
            "server",
            json!({"app": "server"}),
            "10.0.2.2",
            json!([{"name": "http", "containerPort": 9090}]),
        ),
    ];
    objects.extend_from_slice(policies);
    let loaded = load::load(&objects);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    loaded
}

fn conn(l: &Loaded, from: &str, to: &str, port: u16, protocol: Protocol) -> Connection {
    let e = |s: &str| match s.parse() {
        Ok(ip) => Endpoint::Ip(ip),
        Err(_) => Endpoint::Pod(l.endpoints.find(s).unwrap()),
    };
    Connection {
        from: e(from),
        to: e(to),
        port,
        protocol,
    }
}

fn can(l: &Loaded, from: &str, to: &str, port: u16, protocol: Protocol) -> bool {
    let c = conn(l, from, to, port, protocol);
    let v = evaluate(&l.endpoints, &l.policies, &c);
    assert_eq!(v.allowed, allows(&l.endpoints, &l.policies, &c));
    v.allowed
}

const TCP: Protocol = Protocol::Tcp;

#[test]
fn no_policy_allows_everything() {
    let l = cluster(&[]);
    assert!(can(&l, "a/client", "b/server", 1, TCP));
    assert!(can(&l, "192.0.2.1", "a/server", 80, Protocol::Sctp));
}

#[test]
fn egress_rules_without_policy_types_also_isolate_ingress() {
    // The trap: policyTypes defaults to [Ingress, Egress] here, so the server gets no ingress.
    let l = cluster(&[np(
        "a",
        "egress-only",
        json!({
        "podSelector": {"matchLabels": {"app": "server"}},
        "egress": [{}]}),
    )]);
    assert!(!can(&l, "a/client", "a/server", 8080, TCP));
    assert!(can(&l, "a/server", "b/server", 9090, TCP));
    let v = evaluate(
        &l.endpoints,
        &l.policies,
        &conn(&l, "a/client", "a/server", 8080, TCP),
    );
    assert_eq!(v.ingress.isolating, vec!["a/egress-only"]);
    assert_eq!(
        v.ingress.decision,
        Decision::NetworkPolicy { allowed_by: vec![] }
    );
    // Saying policyTypes: [Egress] leaves ingress open.
    let l = cluster(&[np(
        "a",
        "egress-only",
        json!({
        "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Egress"],
        "egress": [{}]}),
    )]);
    assert!(can(&l, "a/client", "a/server", 8080, TCP));
}

#[test]
fn egress_named_ports_resolve_on_the_destination() {
    let l = cluster(&[np(
        "a",
        "client-out",
        json!({
        "podSelector": {"matchLabels": {"app": "client"}}, "policyTypes": ["Egress"],
        "egress": [{"ports": [{"port": "http"}]}]}),
    )]);
    assert!(can(&l, "a/client", "a/server", 8080, TCP));
    assert!(!can(&l, "a/client", "a/server", 9090, TCP));
    assert!(can(&l, "a/client", "b/server", 9090, TCP));
    assert!(!can(&l, "a/client", "b/server", 8080, TCP));
    // A name never matches an address outside the cluster.
    assert!(!can(&l, "a/client", "192.0.2.1", 8080, TCP));
}

#[test]
fn named_port_protocol_must_match() {
    // `dns` is UDP; the entry defaults to TCP and so allows nothing.
    let l = cluster(&[np(
        "a",
        "dns",
        json!({
        "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
        "ingress": [{"ports": [{"port": "dns"}]}]}),
    )]);
    assert!(!can(&l, "a/client", "a/server", 53, Protocol::Udp));
    assert!(!can(&l, "a/client", "a/server", 53, TCP));
}

#[test]
fn except_is_undone_by_another_policy() {
    let block = |name: &str, peer: Value| {
        np(
            "a",
            name,
            json!({
        "podSelector": {"matchLabels": {"app": "server"}}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [peer]}]}),
        )
    };
    let l = cluster(&[block(
        "cidr",
        json!({"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.1.0/24"]}}),
    )]);
    assert!(!can(&l, "a/client", "a/server", 8080, TCP));
    assert!(can(&l, "b/server", "a/server", 8080, TCP));
    let l = cluster(&[
        block(
            "cidr",
            json!({"ipBlock": {"cidr": "10.0.0.0/16", "except": ["10.0.1.0/24"]}}),
        ),
        block("host", json!({"ipBlock": {"cidr": "10.0.1.1/32"}})),
    ]);
    assert!(can(&l, "a/client", "a/server", 8080, TCP));
}

#[test]
fn pod_selector_peer_is_confined_to_the_policy_namespace() {
    let l = cluster(&[np(
        "b",
        "from-clients",
        json!({
        "podSelector": {}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "client"}}}]}]}),
    )]);
    assert!(!can(&l, "a/client", "b/server", 9090, TCP));
    let l = cluster(&[np(
        "b",
        "from-clients",
        json!({
        "podSelector": {}, "policyTypes": ["Ingress"],
        "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "red"}},
                               "podSelector": {"matchLabels": {"app": "client"}}}]}]}),
    )]);
    assert!(can(&l, "a/client", "b/server", 9090, TCP));
    assert!(!can(&l, "a/server", "b/server", 9090, TCP));
    // Selectors never match an outside address.
    assert!(!can(&l, "10.0.1.1", "b/server", 9090, TCP));
}

#[test]
fn both_ends_must_allow() {
    let l = cluster(&[
        np(
            "a",
            "client-deny-egress",
            json!({"podSelector": {"matchLabels": {"app": "client"}}, "policyTypes": ["Egress"]}),
        ),
        np(
            "b",
            "allow-all-in",
            json!({"podSelector": {}, "ingress": [{}]}),
        ),
    ]);
    let v = evaluate(
        &l.endpoints,
        &l.policies,
        &conn(&l, "a/client", "b/server", 9090, TCP),
    );
    assert!(!v.allowed && !v.egress.allowed && v.ingress.allowed);
    // A pod always reaches itself.
    assert!(can(&l, "a/client", "a/client", 1, TCP));
}

#[test]
fn end_port_is_inclusive() {
    let l = cluster(&[np(
        "b",
        "range",
        json!({
        "podSelector": {}, "policyTypes": ["Ingress"],
        "ingress": [{"ports": [{"port": 9000, "endPort": 9090}]}]}),
    )]);
    assert!(can(&l, "a/client", "b/server", 9090, TCP));
    assert!(can(&l, "a/client", "b/server", 9000, TCP));
    assert!(!can(&l, "a/client", "b/server", 9091, TCP));
    assert!(!can(&l, "a/client", "b/server", 9000, Protocol::Udp));
}

#[test]
fn admin_tiers_allow_deny_and_pass() {
    let deny_ns_b = np(
        "b",
        "deny-all",
        json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
    );
    let to_b = |action: &str| {
        anp(
            "to-b",
            10,
            json!({
        "subject": {"namespaces": {"matchLabels": {"kubernetes.io/metadata.name": "b"}}},
        "ingress": [{"name": "r", "action": action, "from": [{"namespaces": {}}]}]}),
        )
    };
    // Allow overrides the NetworkPolicy that denies.
    let l = cluster(&[deny_ns_b.clone(), to_b("Allow")]);
    assert!(can(&l, "a/client", "b/server", 9090, TCP));
    let v = evaluate(
        &l.endpoints,
        &l.policies,
        &conn(&l, "a/client", "b/server", 9090, TCP),
    );
    assert!(
        matches!(v.ingress.decision, Decision::Admin(ref r) if r.policy == "to-b" && r.index == 0)
    );
    // Pass hands the decision to NetworkPolicy.
    let l = cluster(&[deny_ns_b, to_b("Pass")]);
    assert!(!can(&l, "a/client", "b/server", 9090, TCP));
    // Deny overrides a NetworkPolicy allow; a lower priority number wins.
    let allow_b = np("b", "allow", json!({"podSelector": {}, "ingress": [{}]}));
    let high_pass = anp(
        "first",
        1,
        json!({
        "subject": {"namespaces": {}},
        "ingress": [{"name": "p", "action": "Pass", "from": [{"namespaces": {"matchLabels": {"team": "red"}}}]}]}),
    );
    let l = cluster(&[allow_b.clone(), to_b("Deny")]);
    assert!(!can(&l, "a/client", "b/server", 9090, TCP));
    let l = cluster(&[allow_b, to_b("Deny"), high_pass]);
    assert!(can(&l, "a/client", "b/server", 9090, TCP));
}

#[test]
fn baseline_applies_only_to_pods_no_network_policy_isolates() {
    let banp = json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "BaselineAdminNetworkPolicy",
        "metadata": {"name": "default"},
        "spec": {"subject": {"namespaces": {}},
                 "ingress": [{"action": "Deny", "from": [{"namespaces": {}}]}]}});
    let l = cluster(std::slice::from_ref(&banp));
    assert!(!can(&l, "a/client", "b/server", 9090, TCP));
    // The outside world is not a `namespaces` peer.
    assert!(can(&l, "192.0.2.1", "b/server", 9090, TCP));
    let l = cluster(&[
        banp,
        np("b", "allow", json!({"podSelector": {}, "ingress": [{}]})),
    ]);
    assert!(can(&l, "a/client", "b/server", 9090, TCP));
}

#[test]
fn networks_peers_match_pod_ips() {
    let l = cluster(&[anp(
        "no-egress",
        5,
        json!({
        "subject": {"pods": {"namespaceSelector": {}, "podSelector": {"matchLabels": {"app": "client"}}}},
        "egress": [{"name": "deny-all", "action": "Deny", "to": [{"networks": ["0.0.0.0/0"]}]}]}),
    )]);
    assert!(!can(&l, "a/client", "b/server", 9090, TCP));
    assert!(can(&l, "a/server", "b/server", 9090, TCP));
}

#[test]
fn invalid_policies_are_reported_with_their_field() {
    let bad = np(
        "a",
        "bad",
        json!({"ingress": [{"ports": [{"protocol": "ICMP"}]}]}),
    );
    let loaded = load::load(&[bad]);
    assert_eq!(
        loaded.errors[0].to_string(),
        "NetworkPolicy a/bad: spec.ingress[0].ports[0].protocol: Invalid value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\""
    );
    assert!(loaded.policies.network.is_empty());
}

#[test]
fn workloads_stand_in_for_missing_pods() {
    let deploy = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "a"},
        "spec": {"template": {"metadata": {"labels": {"app": "api"}},
                 "spec": {"containers": [{"name": "c", "ports": [{"name": "http", "containerPort": 80}]}]}}}});
    let loaded = load::load(std::slice::from_ref(&deploy));
    let api = &loaded.endpoints.pods()[0];
    assert_eq!(
        (api.id().as_str(), api.named_port("http", TCP)),
        ("a/api", Some(80))
    );
    // When a pod of the workload is in the input, the workload adds nothing.
    let loaded = load::load(&[
        deploy,
        pod(
            "a",
            "api-5d9f",
            json!({"app": "api", "pod-template-hash": "5d9f"}),
            "10.0.0.9",
            json!([]),
        ),
    ]);
    assert_eq!(loaded.endpoints.pods().len(), 1);
}
