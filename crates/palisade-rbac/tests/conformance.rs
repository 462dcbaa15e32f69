//! The RBAC corpus (`<conformance>/rbac/authz-cases.json`): authorize (decision and exact
//! reason), whoCan (upstream's ordered subject list), covers, nonResourceURLCovers, aggregation
//! (one controller sync) and rulesFor, through the public API; plus the bootstrap policy's
//! admin/edit/view aggregation.
//!
//! Reads `PALISADE_CONFORMANCE_DIR` (default: `../shared/conformance` beside the workspace).
//! Without the data the test says it skipped; with `PALISADE_REQUIRE_CONFORMANCE=1` it fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use palisade_rbac::aggregate::aggregate_one;
use palisade_rbac::covers::{covers, non_resource_url_covers};
use palisade_rbac::load::rules_from_value;
use palisade_rbac::{Attributes, Authorizer, Cluster, PolicyRule, Subject, UserInfo};
use serde_json::Value;

fn bootstrap(dir: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    for f in [
        "cluster-roles.yaml",
        "cluster-role-bindings.yaml",
        "namespace-roles.yaml",
        "namespace-role-bindings.yaml",
    ] {
        let path = dir.join("rbac/bootstrap-policy").join(f);
        let bytes = std::fs::read(&path).unwrap();
        let manifests = palisade_core::load::parse_manifests(
            &bytes,
            Some(f),
            &palisade_core::load::Limits::default(),
        )
        .unwrap();
        out.extend(manifests.into_iter().map(|m| m.value));
    }
    out
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

fn str_field<'v>(v: &'v Value, f: &str) -> &'v str {
    v.get(f).and_then(Value::as_str).unwrap_or("")
}

fn attributes(r: &Value) -> Attributes {
    Attributes {
        user: UserInfo {
            name: str_field(r, "user").into(),
            groups: strings(&r["groups"]),
            extra: Default::default(),
        },
        verb: str_field(r, "verb").into(),
        resource_request: r["resourceRequest"].as_bool().unwrap(),
        api_group: str_field(r, "apiGroup").into(),
        resource: str_field(r, "resource").into(),
        subresource: str_field(r, "subresource").into(),
        namespace: str_field(r, "namespace").into(),
        name: str_field(r, "name").into(),
        path: str_field(r, "path").into(),
        ..Attributes::default()
    }
}

fn subject(v: &Value) -> Subject {
    Subject {
        kind: str_field(v, "kind").into(),
        api_group: str_field(v, "apiGroup").into(),
        name: str_field(v, "name").into(),
        namespace: str_field(v, "namespace").into(),
    }
}

fn sorted(mut rules: Vec<PolicyRule>) -> Vec<PolicyRule> {
    rules.sort();
    rules
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: Vec<String>,
}

impl Tally {
    fn record(&mut self, id: &str, ok: bool) {
        if ok {
            self.passed += 1;
        } else {
            self.failed.push(id.to_owned());
        }
    }
}

#[test]
fn authz_cases() {
    let Some(dir) = palisade_testing::conformance_dir("rbac/authz-cases.json") else {
        return;
    };
    let data: Value =
        serde_json::from_slice(&std::fs::read(dir.join("rbac/authz-cases.json")).unwrap()).unwrap();
    let boot = bootstrap(&dir);
    let mut sections: Vec<(&str, Tally)> = Vec::new();

    let mut t = Tally::default();
    for c in data["authorize"].as_array().unwrap() {
        let mut objects = if c.get("objectsRef").is_some() {
            boot.clone()
        } else {
            Vec::new()
        };
        objects.extend(c["objects"].as_array().cloned().unwrap_or_default());
        let authorizer = Authorizer::new(Cluster::from_values(&objects).unwrap());
        let d = authorizer.authorize(&attributes(&c["request"]));
        let e = &c["expected"];
        let ok = d.allowed == e["allowed"].as_bool().unwrap()
            && e.get("reason")
                .and_then(Value::as_str)
                .is_none_or(|r| r == d.reason);
        if !ok {
            println!(
                "FAIL authorize {}: got {:?} {:?}",
                c["id"], d.allowed, d.reason
            );
        }
        t.record(c["id"].as_str().unwrap(), ok);
    }
    sections.push(("authorize", t));

    let mut t = Tally::default();
    for c in data["whoCan"].as_array().unwrap() {
        let authorizer =
            Authorizer::new(Cluster::from_values(c["objects"].as_array().unwrap()).unwrap());
        let who = authorizer.who_can(&attributes(&c["request"]), c["superUser"].as_str().unwrap());
        let expected: Vec<Subject> = c["expectedSubjects"]
            .as_array()
            .unwrap()
            .iter()
            .map(subject)
            .collect();
        t.record(c["id"].as_str().unwrap(), who.subjects == expected);
    }
    sections.push(("whoCan", t));

    let mut t = Tally::default();
    for c in data["covers"].as_array().unwrap() {
        let owner = rules_from_value(&c["ownerRules"]).unwrap();
        let servant = rules_from_value(&c["servantRules"]).unwrap();
        let expected = rules_from_value(&c["expectedUncoveredRules"]).unwrap();
        let (covered, uncovered) = covers(&owner, &servant);
        t.record(
            c["id"].as_str().unwrap(),
            covered == c["expectedCovered"].as_bool().unwrap()
                && sorted(uncovered) == sorted(expected),
        );
    }
    sections.push(("covers", t));

    let mut t = Tally::default();
    for c in data["nonResourceURLCovers"].as_array().unwrap() {
        t.record(
            c["id"].as_str().unwrap(),
            non_resource_url_covers(
                c["owner"].as_str().unwrap(),
                c["requested"].as_str().unwrap(),
            ) == c["expected"].as_bool().unwrap(),
        );
    }
    sections.push(("nonResourceURLCovers", t));

    let mut t = Tally::default();
    for c in data["aggregation"].as_array().unwrap() {
        let cluster = Cluster::from_values(c["clusterRoles"].as_array().unwrap()).unwrap();
        let target = cluster
            .cluster_roles
            .iter()
            .position(|r| r.name == c["target"].as_str().unwrap())
            .unwrap();
        let (rules, update) = aggregate_one(&cluster.cluster_roles, target).unwrap();
        let expected = rules_from_value(&c["expectedRules"]).unwrap();
        t.record(
            c["id"].as_str().unwrap(),
            rules == expected && update == c["expectedUpdate"].as_bool().unwrap(),
        );
    }
    sections.push(("aggregation", t));

    let mut t = Tally::default();
    for c in data["rulesFor"].as_array().unwrap() {
        let authorizer =
            Authorizer::new(Cluster::from_values(c["objects"].as_array().unwrap()).unwrap());
        let user = UserInfo {
            name: c["user"].as_str().unwrap().into(),
            groups: strings(&c["groups"]),
            extra: Default::default(),
        };
        let (rules, _errors) = authorizer.rules_for(&user, c["namespace"].as_str().unwrap());
        let got: Vec<PolicyRule> = rules.into_iter().map(|(_, r)| r.clone()).collect();
        let expected = rules_from_value(&c["expectedRules"]).unwrap();
        t.record(c["id"].as_str().unwrap(), sorted(got) == sorted(expected));
    }
    sections.push(("rulesFor", t));

    let mut total = 0;
    let mut passed = 0;
    let mut failed = Vec::new();
    for (name, t) in &sections {
        let n = t.passed + t.failed.len();
        println!(
            "rbac {name}: {}/{n} passed, {} failed",
            t.passed,
            t.failed.len()
        );
        for id in &t.failed {
            println!("FAIL {name} {id}");
        }
        total += n;
        passed += t.passed;
        failed.extend(t.failed.iter().cloned());
    }
    println!("rbac total: {passed}/{total} passed");
    assert_eq!(total, 221, "the corpus should hold 221 vectors");
    assert!(failed.is_empty(), "failures: {failed:?}");
}

#[test]
fn bootstrap_aggregates_admin_edit_view() {
    let Some(dir) = palisade_testing::conformance_dir("rbac/authz-cases.json") else {
        return;
    };
    let authorizer = Authorizer::new(Cluster::from_values(&bootstrap(&dir)).unwrap());
    let rules = |name: &str| {
        authorizer
            .role_rules(authorizer.cluster_role(name).unwrap())
            .to_vec()
    };
    let (admin, edit, view) = (rules("admin"), rules("edit"), rules("view"));
    let sub = |a: &[PolicyRule], b: &[PolicyRule]| b.iter().all(|r| a.contains(r));
    assert!(!view.is_empty());
    // view's rules come from system:aggregate-to-view; edit = edit's own + view's; admin ⊇ edit.
    assert_eq!(view, rules("system:aggregate-to-view"));
    assert!(sub(&edit, &view) && edit.len() > view.len());
    assert!(sub(&admin, &edit) && admin.len() > edit.len());
    // Order as the controller builds it: admin's selector matches edit and
    // system:aggregate-to-admin, visited in name order ("edit" < "system:…").
    let mut expected_admin = Vec::new();
    for r in edit.iter().chain(rules("system:aggregate-to-admin").iter()) {
        if !expected_admin.contains(r) {
            expected_admin.push(r.clone());
        }
    }
    assert_eq!(admin, expected_admin);
    let who = |verb: &str, resource: &str, group: &str| {
        Attributes::resource(UserInfo::new("u", &[]), verb, group, resource, "", "ns", "")
    };
    let admin_can = |a: &Attributes| {
        admin
            .iter()
            .any(|r| palisade_rbac::matching::rule_allows(a, r))
    };
    assert!(admin_can(&who(
        "create",
        "rolebindings",
        "rbac.authorization.k8s.io"
    )));
    assert!(admin_can(&who("get", "secrets", "")));
    assert!(
        !view
            .iter()
            .any(|r| palisade_rbac::matching::rule_allows(&who("get", "secrets", ""), r))
    );
}
