//! The matrix, its renderings and diffs on a small cluster whose answers follow from the API
//! rules by hand: namespace `x` with pods a and b, a default-deny ingress policy on b that
//! lets a in on TCP 80.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_netpol::{Protocol, diff, load, matrix, render};
use serde_json::{Value, json};

fn objects(with_policy: bool) -> Vec<Value> {
    let pod = |name: &str, ip: &str| {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": "x", "labels": {"pod": name}},
               "spec": {"containers": [{"name": "c", "ports": [{"containerPort": 80}, {"containerPort": 81}]}]},
               "status": {"podIP": ip}})
    };
    let mut v = vec![pod("a", "10.0.0.1"), pod("b", "10.0.0.2")];
    if with_policy {
        v.push(
            json!({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": "b-from-a", "namespace": "x"},
            "spec": {"podSelector": {"matchLabels": {"pod": "b"}},
                     "ingress": [{"from": [{"podSelector": {"matchLabels": {"pod": "a"}}}],
                                  "ports": [{"port": 80}]}]}}),
        );
    }
    v
}

#[test]
fn matrix_and_renderings() {
    let l = load::load(&objects(true));
    let ports = matrix::declared_ports(&l.endpoints);
    assert_eq!(ports, vec![(80, Protocol::Tcp), (81, Protocol::Tcp)]);
    let m = matrix::matrix(&l.endpoints, &l.policies, &ports);
    // a->b allowed on 80 only; b->a always (a is not isolated); loopback always.
    assert!(m.allowed(0, 0, 1) && !m.allowed(1, 0, 1));
    assert!(m.allowed(0, 1, 0) && m.allowed(1, 1, 0));
    assert_eq!((m.count_allowed(0), m.count_allowed(1)), (4, 3));

    let text = render::text(&m, &l.endpoints);
    assert!(text.contains("TCP/81: 3 of 4 pairs allowed"), "{text}");
    assert!(text.contains("x/a   .   X\n"), "{text}");

    let j = render::json(&m, &l.endpoints);
    assert_eq!(j["pods"], json!(["x/a", "x/b"]));
    assert_eq!(
        j["ports"][1]["allowed"],
        json!([[true, false], [true, true]])
    );

    let dot = render::dot(&m, &l.endpoints);
    assert!(
        dot.contains("\"x/a\" -> \"x/b\" [label=\"TCP/80\"];"),
        "{dot}"
    );
    assert!(
        dot.contains("\"x/b\" -> \"x/a\" [label=\"TCP/80,TCP/81\"];"),
        "{dot}"
    );

    let html = render::html(&m, &l.endpoints);
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("<script src")
    );
    assert_eq!(html.matches("<table>").count(), 2);
}

#[test]
fn diff_lists_opened_and_closed_connections() {
    let before = load::load(&objects(false));
    let after = load::load(&objects(true));
    let ports = [(80, Protocol::Tcp), (81, Protocol::Tcp)];
    let changes = diff::diff(&after.endpoints, &before.policies, &after.policies, &ports);
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(lines, vec!["- x/a -> x/b TCP/81"]);
    let back = diff::diff(&after.endpoints, &after.policies, &before.policies, &ports);
    assert_eq!(back.len(), 1);
    assert!(back[0].opened);
}
