//! `netpol`: the full reachability matrix for 1,000 pods in 50 namespaces under 300 policies
//! (280 NetworkPolicies, 19 AdminNetworkPolicies and one BaselineAdminNetworkPolicy), for two
//! ports, side by side in the same run with naive per-pair evaluation ([`eval::allows`] for
//! every source × destination × port). Goal: ≥ 10x.
//!
//! Both sides answer the same questions: the bench checks, before timing, that the matrix
//! agrees with the per-pair answers on every pair.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade::netpol::matrix::{PortProtocol, matrix};
use palisade::netpol::{Connection, Endpoint, Endpoints, PolicySet, Protocol, eval, load};
use palisade_benches::Rng;
use serde_json::{Value, json};

const NAMESPACES: usize = 50;
const PODS_PER_NAMESPACE: usize = 20;
const APPS: &[&str] = &["web", "api", "db", "cache", "worker"];
const TEAMS: &[&str] = &["red", "blue", "green", "gold", "grey"];
const PORTS: &[PortProtocol] = &[(80, Protocol::Tcp), (5432, Protocol::Tcp)];

fn namespace(i: usize) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": format!("ns-{i}"),
        "labels": {"kubernetes.io/metadata.name": format!("ns-{i}"),
                   "team": TEAMS[i % TEAMS.len()], "env": if i.is_multiple_of(3) { "prod" } else { "dev" }}}})
}

fn pod(ns: usize, i: usize) -> Value {
    let app = APPS[i % APPS.len()];
    let port = if app == "db" { 5432 } else { 80 };
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("{app}-{i}"), "namespace": format!("ns-{ns}"),
                     "labels": {"app": app, "tier": if i.is_multiple_of(2) { "front" } else { "back" }}},
        "spec": {"containers": [{"name": app, "ports": [
            {"name": "serve", "containerPort": port}, {"name": "metrics", "containerPort": 9090}]}]},
        "status": {"podIP": format!("10.{}.{}.{}", ns / 250, ns % 250, i + 1)}})
}

/// One of a few realistic NetworkPolicy shapes, chosen at random.
fn network_policy(rng: &mut Rng, ns: usize, i: usize) -> Value {
    let app = rng.pick(APPS);
    let spec = match rng.below(7) {
        0 => json!({"podSelector": {}, "policyTypes": ["Ingress"]}),
        1 => json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                    "egress": [{"to": [{"namespaceSelector": {}, "podSelector":
                        {"matchLabels": {"k8s-app": "kube-dns"}}}], "ports": [{"port": 53, "protocol": "UDP"}]}]}),
        2 => json!({"podSelector": {"matchLabels": {"app": app}},
                    "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": rng.pick(APPS)}}}],
                                 "ports": [{"port": "serve"}]}]}),
        3 => json!({"podSelector": {"matchLabels": {"app": app}},
                    "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": rng.pick(TEAMS)}},
                                           "podSelector": {"matchExpressions": [
                                               {"key": "tier", "operator": "In", "values": ["front"]}]}}]}]}),
        4 => {
            json!({"podSelector": {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": [app]}]},
                    "policyTypes": ["Egress"],
                    "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": [format!("10.0.{}.0/24", rng.below(50))]}}]},
                               {"to": [{"namespaceSelector": {"matchLabels": {"env": "prod"}}}], "ports": [{"port": 5432}]}]})
        }
        5 => json!({"podSelector": {"matchLabels": {"tier": "back"}},
                    "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": 80, "endPort": 8080}]},
                                {"from": [{"namespaceSelector": {"matchExpressions": [
                                    {"key": "team", "operator": "Exists"}]}}], "ports": [{"port": "metrics"}]}]}),
        _ => {
            json!({"podSelector": {"matchLabels": {"app": app}}, "policyTypes": ["Ingress", "Egress"],
                    "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/16"}}, {"podSelector": {"matchLabels": {"app": "web"}}}]}],
                    "egress": [{}]})
        }
    };
    json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
           "metadata": {"name": format!("np-{i}"), "namespace": format!("ns-{ns}")}, "spec": spec})
}

fn admin_policy(rng: &mut Rng, i: usize) -> Value {
    let action = ["Allow", "Deny", "Pass"][rng.below(3)];
    json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy",
        "metadata": {"name": format!("anp-{i}")},
        "spec": {"priority": i * 5,
                 "subject": {"namespaces": {"matchLabels": {"team": rng.pick(TEAMS)}}},
                 "ingress": [{"name": "from-env", "action": action,
                              "from": [{"namespaces": {"matchLabels": {"env": "dev"}}}],
                              "ports": [{"portNumber": {"port": 5432, "protocol": "TCP"}}]}],
                 "egress": [{"name": "to-app", "action": "Pass",
                             "to": [{"pods": {"namespaceSelector": {},
                                              "podSelector": {"matchLabels": {"app": rng.pick(APPS)}}}}]}]}})
}

fn synthetic_cluster() -> (Endpoints, PolicySet) {
    let mut rng = Rng(0x5eed);
    let mut objects: Vec<Value> = (0..NAMESPACES).map(namespace).collect();
    for ns in 0..NAMESPACES {
        objects.extend((0..PODS_PER_NAMESPACE).map(|i| pod(ns, i)));
    }
    objects.extend((0..280).map(|i| network_policy(&mut rng, i % NAMESPACES, i)));
    objects.extend((0..19).map(|i| admin_policy(&mut rng, i)));
    objects.push(json!({"apiVersion": "policy.networking.k8s.io/v1alpha1",
        "kind": "BaselineAdminNetworkPolicy", "metadata": {"name": "default"},
        "spec": {"subject": {"namespaces": {"matchLabels": {"env": "prod"}}},
                 "ingress": [{"name": "deny-all", "action": "Deny", "from": [{"namespaces": {}}]}]}}));
    let loaded = load::load(&objects);
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    assert_eq!(
        loaded.endpoints.pods().len(),
        NAMESPACES * PODS_PER_NAMESPACE
    );
    (loaded.endpoints, loaded.policies)
}

/// The baseline: every pair and port answered on its own.
fn naive(ep: &Endpoints, ps: &PolicySet) -> usize {
    let n = ep.pods().len();
    let mut allowed = 0;
    for &(port, protocol) in PORTS {
        for from in 0..n {
            for to in 0..n {
                let c = Connection {
                    from: Endpoint::Pod(from),
                    to: Endpoint::Pod(to),
                    port,
                    protocol,
                };
                allowed += usize::from(eval::allows(ep, ps, &c));
            }
        }
    }
    allowed
}

fn bench(c: &mut Criterion) {
    let (ep, ps) = synthetic_cluster();
    let m = matrix(&ep, &ps, PORTS);
    let from_matrix: usize = (0..PORTS.len()).map(|p| m.count_allowed(p)).sum();
    assert_eq!(
        from_matrix,
        naive(&ep, &ps),
        "the matrix disagrees with per-pair answers"
    );
    let n = ep.pods().len();
    let (all, allowed) = (2 * n * n, from_matrix);
    assert!(
        allowed > n * 2 && allowed < all,
        "a degenerate cluster: {allowed} of {all} allowed"
    );
    println!("netpol: {n} pods, {allowed} of {all} (pair, port) connections allowed");

    let mut g = c.benchmark_group("netpol matrix (1,000 pods, 300 policies, 2 ports)");
    g.sample_size(10);
    g.bench_function("palisade (indexed matrix)", |b| {
        b.iter(|| black_box(matrix(black_box(&ep), black_box(&ps), PORTS)))
    });
    g.bench_function("baseline: per-pair evaluation", |b| {
        b.iter(|| black_box(naive(black_box(&ep), black_box(&ps))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
