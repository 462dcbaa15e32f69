//! Properties that follow from the NetworkPolicy API semantics (allows are a union, isolation
//! is per pod and direction) and from the tiers, over random clusters and policies:
//!
//! - adding a policy that selects no pod never changes an answer;
//! - adding a NetworkPolicy removes a reachable pair only when it newly isolates one of its
//!   ends (the source for egress, the destination for ingress);
//! - the matrix agrees with per-pair evaluation, admin tiers included.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_netpol::eval::{allows, evaluate};
use palisade_netpol::matrix::{PortProtocol, matrix};
use palisade_netpol::{Connection, Endpoint, Loaded, Protocol, load};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

const NAMESPACES: [&str; 3] = ["ns0", "ns1", "ns2"];
const PORTS: [PortProtocol; 4] = [
    (80, Protocol::Tcp),
    (53, Protocol::Udp),
    (8080, Protocol::Tcp),
    (9000, Protocol::Sctp),
];

fn labels() -> impl Strategy<Value = Value> {
    (prop::option::of(0..2u8), prop::option::of(0..2u8)).prop_map(|(app, tier)| {
        let mut m = Map::new();
        if let Some(a) = app {
            m.insert("app".into(), format!("a{a}").into());
        }
        if let Some(t) = tier {
            m.insert("tier".into(), format!("t{t}").into());
        }
        Value::Object(m)
    })
}

fn selector() -> impl Strategy<Value = Value> {
    (labels(), prop::option::of((0..4usize, 0..2u8))).prop_map(|(match_labels, expr)| {
        let mut s = json!({"matchLabels": match_labels});
        if let Some((op, v)) = expr {
            let e = match op {
                0 => json!({"key": "app", "operator": "In", "values": [format!("a{v}")]}),
                1 => json!({"key": "tier", "operator": "NotIn", "values": [format!("t{v}")]}),
                2 => json!({"key": "app", "operator": "Exists"}),
                _ => json!({"key": "tier", "operator": "DoesNotExist"}),
            };
            s["matchExpressions"] = json!([e]);
        }
        s
    })
}

fn pod() -> impl Strategy<Value = Value> {
    (
        0..3usize,
        labels(),
        prop::option::of(0..4u8),
        prop::collection::vec(0..4usize, 0..3),
    )
        .prop_map(|(ns, labels, ip, ports)| {
            let ports: Vec<Value> = ports
                .into_iter()
                .map(|i| match i {
                    0 => json!({"name": "http", "containerPort": 80}),
                    1 => json!({"name": "dns", "containerPort": 53, "protocol": "UDP"}),
                    2 => json!({"name": "http", "containerPort": 8080}),
                    _ => json!({"name": "sctp", "containerPort": 9000, "protocol": "SCTP"}),
                })
                .collect();
            let mut p = json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"namespace": NAMESPACES[ns], "labels": labels},
                "spec": {"containers": [{"name": "c", "ports": ports}]}});
            if let Some(ip) = ip {
                p["status"] = json!({"podIP": format!("10.0.{ns}.{ip}")});
            }
            p
        })
}

fn peer() -> impl Strategy<Value = Value> {
    prop_oneof![
        selector().prop_map(|s| json!({"podSelector": s})),
        selector().prop_map(|s| json!({"namespaceSelector": s})),
        (selector(), selector())
            .prop_map(|(n, p)| json!({"namespaceSelector": n, "podSelector": p})),
        (0..3u8, any::<bool>()).prop_map(|(n, except)| {
            let mut b = json!({"cidr": format!("10.0.{n}.0/24")});
            if except {
                b["except"] = json!([format!("10.0.{n}.0/30")]);
            }
            json!({"ipBlock": b})
        }),
        Just(json!({"ipBlock": {"cidr": "0.0.0.0/0"}})),
    ]
}

fn np_port() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"port": 80})),
        Just(json!({"port": "http"})),
        Just(json!({"protocol": "UDP", "port": "dns"})),
        Just(json!({"protocol": "UDP"})),
        Just(json!({"port": 8000, "endPort": 9000})),
        Just(json!({"protocol": "SCTP", "port": 9000})),
    ]
}

fn np_rule(peer_key: &'static str) -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(peer(), 0..3),
        prop::collection::vec(np_port(), 0..2),
    )
        .prop_map(move |(peers, ports)| {
            let mut r = Map::new();
            if !peers.is_empty() {
                r.insert(peer_key.into(), peers.into());
            }
            if !ports.is_empty() {
                r.insert("ports".into(), ports.into());
            }
            Value::Object(r)
        })
}

fn network_policy() -> impl Strategy<Value = Value> {
    (
        0..3usize,
        selector(),
        0..4usize,
        prop::collection::vec(np_rule("from"), 0..3),
        prop::collection::vec(np_rule("to"), 0..3),
        0..1000u32,
    )
        .prop_map(|(ns, sel, types, ingress, egress, id)| {
            let mut spec = json!({"podSelector": sel, "ingress": ingress, "egress": egress});
            match types {
                0 => {}
                1 => spec["policyTypes"] = json!(["Ingress"]),
                2 => spec["policyTypes"] = json!(["Egress"]),
                _ => spec["policyTypes"] = json!(["Ingress", "Egress"]),
            }
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                   "metadata": {"name": format!("np{id}"), "namespace": NAMESPACES[ns]}, "spec": spec})
        })
}

fn admin_selector() -> impl Strategy<Value = Value> {
    prop_oneof![
        selector().prop_map(|s| json!({"namespaces": s})),
        (selector(), selector())
            .prop_map(|(n, p)| json!({"pods": {"namespaceSelector": n, "podSelector": p}})),
    ]
}

fn admin_rule(
    peer_key: &'static str,
    actions: &'static [&'static str],
) -> impl Strategy<Value = Value> {
    (
        prop::sample::select(actions.to_vec()),
        prop::collection::vec(
            prop_oneof![admin_selector(), Just(json!({"networks": ["10.0.1.0/24"]}))],
            1..3,
        ),
        prop::option::of(prop::collection::vec(
            prop_oneof![
                Just(json!({"portNumber": {"port": 80}})),
                Just(json!({"portRange": {"protocol": "UDP", "start": 50, "end": 60}})),
                Just(json!({"namedPort": "http"})),
            ],
            1..3,
        )),
    )
        .prop_map(move |(action, peers, ports)| {
            let mut r = json!({"action": action, peer_key: peers});
            if let Some(p) = ports {
                r["ports"] = p.into();
            }
            r
        })
}

fn admin_policy(baseline: bool) -> impl Strategy<Value = Value> {
    let actions: &'static [&'static str] = if baseline {
        &["Allow", "Deny"]
    } else {
        &["Allow", "Deny", "Pass"]
    };
    (
        admin_selector(),
        prop::collection::vec(admin_rule("from", actions), 0..3),
        prop::collection::vec(admin_rule("to", actions), 0..3),
        0..100i64,
    )
        .prop_map(move |(subject, ingress, egress, priority)| {
            if baseline {
                json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "BaselineAdminNetworkPolicy",
                       "metadata": {"name": "default"},
                       "spec": {"subject": subject, "ingress": ingress, "egress": egress}})
            } else {
                json!({"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy",
                       "metadata": {"name": format!("anp{priority}")},
                       "spec": {"priority": priority, "subject": subject, "ingress": ingress, "egress": egress}})
            }
        })
}

/// Pods (named p0, p1, … in order) and namespaces.
fn cluster(pods: Vec<Value>, policies: Vec<Value>) -> Loaded {
    let mut objects: Vec<Value> = NAMESPACES
        .iter()
        .enumerate()
        .map(|(i, n)| {
            json!({"apiVersion": "v1", "kind": "Namespace",
                             "metadata": {"name": n, "labels": {"app": format!("a{}", i % 2)}}})
        })
        .collect();
    for (i, mut p) in pods.into_iter().enumerate() {
        p["metadata"]["name"] = format!("p{i}").into();
        objects.push(p);
    }
    objects.extend(policies);
    let l = load::load(&objects);
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    l
}

fn answers(l: &Loaded) -> Vec<bool> {
    let n = l.endpoints.pods().len();
    let mut out = Vec::new();
    for &(port, protocol) in &PORTS {
        for from in 0..n {
            for to in 0..n {
                let c = Connection {
                    from: Endpoint::Pod(from),
                    to: Endpoint::Pod(to),
                    port,
                    protocol,
                };
                out.push(allows(&l.endpoints, &l.policies, &c));
            }
            let outside = Endpoint::Ip("10.0.1.1".parse().unwrap());
            out.push(allows(
                &l.endpoints,
                &l.policies,
                &Connection {
                    from: Endpoint::Pod(from),
                    to: outside,
                    port,
                    protocol,
                },
            ));
            out.push(allows(
                &l.endpoints,
                &l.policies,
                &Connection {
                    from: outside,
                    to: Endpoint::Pod(from),
                    port,
                    protocol,
                },
            ));
        }
    }
    out
}

fn nobody(mut policy: Value) -> Value {
    // A label no generated pod has.
    let sel = if policy["kind"] == "NetworkPolicy" {
        &mut policy["spec"]["podSelector"]
    } else {
        &mut policy["spec"]["subject"]
    };
    *sel = if sel.get("pods").is_some() || sel.get("namespaces").is_some() {
        json!({"pods": {"namespaceSelector": {}, "podSelector": {"matchLabels": {"nobody": "x"}}}})
    } else {
        json!({"matchLabels": {"nobody": "x"}})
    };
    policy
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_policy_selecting_no_pod_changes_nothing(
        pods in prop::collection::vec(pod(), 1..6),
        policies in prop::collection::vec(network_policy(), 0..4),
        admin in prop::collection::vec(admin_policy(false), 0..2),
        extra in prop_oneof![network_policy(), admin_policy(false), admin_policy(true)],
    ) {
        let mut all = policies;
        all.extend(admin);
        let before = answers(&cluster(pods.clone(), all.clone()));
        let mut extra = nobody(extra);
        if extra["kind"] != "BaselineAdminNetworkPolicy" {
            extra["metadata"]["name"] = "added".into();
        }
        all.push(extra);
        let after = answers(&cluster(pods, all));
        prop_assert_eq!(before, after);
    }

    #[test]
    fn an_allow_removes_a_pair_only_by_newly_isolating_an_end(
        pods in prop::collection::vec(pod(), 1..6),
        policies in prop::collection::vec(network_policy(), 0..4),
        mut added in network_policy(),
    ) {
        added["metadata"]["name"] = "added".into();
        let before = cluster(pods.clone(), policies.clone());
        let mut with = policies;
        with.push(added);
        let after = cluster(pods, with);
        let n = before.endpoints.pods().len();
        for &(port, protocol) in &PORTS {
            for from in 0..n {
                for to in 0..n {
                    let c = Connection { from: Endpoint::Pod(from), to: Endpoint::Pod(to), port, protocol };
                    let was = evaluate(&before.endpoints, &before.policies, &c);
                    let is = evaluate(&after.endpoints, &after.policies, &c);
                    if was.allowed && !is.allowed {
                        let newly = |w: &palisade_netpol::eval::Side, i: &palisade_netpol::eval::Side| {
                            w.isolating.is_empty() && i.isolating.iter().any(|p| p.ends_with("/added"))
                        };
                        prop_assert!(
                            newly(&was.egress, &is.egress) || newly(&was.ingress, &is.ingress),
                            "{:?} closed without new isolation: {} / {}", c, was, is
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_matrix_agrees_with_per_pair_evaluation(
        pods in prop::collection::vec(pod(), 1..8),
        policies in prop::collection::vec(network_policy(), 0..4),
        admin in prop::collection::vec(admin_policy(false), 0..3),
        baseline in prop::option::of(admin_policy(true)),
    ) {
        let mut all = policies;
        all.extend(admin);
        all.extend(baseline);
        let l = cluster(pods, all);
        let m = matrix(&l.endpoints, &l.policies, &PORTS);
        let n = l.endpoints.pods().len();
        for (pi, &(port, protocol)) in PORTS.iter().enumerate() {
            for from in 0..n {
                for to in 0..n {
                    let c = Connection { from: Endpoint::Pod(from), to: Endpoint::Pod(to), port, protocol };
                    prop_assert_eq!(m.allowed(pi, from, to), allows(&l.endpoints, &l.policies, &c), "{:?}", c);
                }
            }
        }
    }
}
