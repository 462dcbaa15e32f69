//! The NetworkPolicy corpus (`<conformance>/netpol`): every non-loopback probe of the 136
//! cases of `cases.json` and the 280 probes of `anp.json`, evaluated through the public API.
//! Counts are printed per category; loopback probes are skipped, as the corpus README says
//! (a pod always reaches itself here).
//!
//! Reads `PALISADE_CONFORMANCE_DIR` (default: `../shared/conformance` beside the workspace).
//! Without the data the test says it skipped; with `PALISADE_REQUIRE_CONFORMANCE=1` it fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use palisade_netpol::{Connection, Endpoint, Endpoints, PolicySet, Protocol, eval, load, matrix};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Case {
    id: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    namespaces: Vec<Value>,
    #[serde(default)]
    pods: Vec<Value>,
    policies: Vec<Value>,
    probes: Vec<Probe>,
}

#[derive(Deserialize)]
struct Probe {
    from: Value,
    to: Value,
    port: u16,
    protocol: String,
    expected: bool,
    #[serde(default)]
    loopback: bool,
}

#[derive(Deserialize)]
struct Anp {
    namespaces: Vec<Value>,
    pods: Vec<Value>,
    cases: Vec<Case>,
}

#[derive(Default)]
struct Count {
    passed: usize,
    failed: usize,
    skipped: usize,
    failures: Vec<String>,
}

fn endpoint(ep: &Endpoints, v: &Value) -> Endpoint {
    match v {
        Value::String(id) => Endpoint::Pod(ep.find(id).unwrap_or_else(|| panic!("no pod {id}"))),
        Value::Object(m) => Endpoint::Ip(m["ip"].as_str().unwrap().parse().unwrap()),
        other => panic!("bad endpoint {other}"),
    }
}

fn run(case: &Case, namespaces: &[Value], pods: &[Value], count: &mut Count) {
    let objects = namespaces.iter().chain(pods).chain(&case.policies);
    let loaded = load::load(objects);
    assert!(loaded.errors.is_empty(), "{}: {:?}", case.id, loaded.errors);
    let (ep, ps): (&Endpoints, &PolicySet) = (&loaded.endpoints, &loaded.policies);
    let mut ports: Vec<(u16, Protocol)> = case
        .probes
        .iter()
        .map(|p| (p.port, Protocol::parse(&p.protocol).unwrap()))
        .collect();
    ports.sort();
    ports.dedup();
    let m = matrix::matrix(ep, ps, &ports);
    for p in &case.probes {
        if p.loopback {
            count.skipped += 1;
            continue;
        }
        let c = Connection {
            from: endpoint(ep, &p.from),
            to: endpoint(ep, &p.to),
            port: p.port,
            protocol: Protocol::parse(&p.protocol).unwrap(),
        };
        let verdict = eval::evaluate(ep, ps, &c);
        // The explained and the plain evaluation, and the matrix, must agree.
        assert_eq!(verdict.allowed, eval::allows(ep, ps, &c), "{}", case.id);
        if let (Endpoint::Pod(from), Endpoint::Pod(to)) = (c.from, c.to) {
            let port = ports
                .iter()
                .position(|x| *x == (c.port, c.protocol))
                .unwrap();
            assert_eq!(
                m.allowed(port, from, to),
                verdict.allowed,
                "matrix: {} {:?}",
                case.id,
                c
            );
        }
        if verdict.allowed == p.expected {
            count.passed += 1;
        } else {
            count.failed += 1;
            count.failures.push(format!(
                "{} {}->{}:{}/{}: got {}, want {} ({verdict})",
                case.id, p.from, p.to, p.port, p.protocol, verdict.allowed, p.expected
            ));
        }
    }
}

#[test]
fn netpol_conformance() {
    let Some(dir) = palisade_testing::conformance_dir("netpol/cases.json") else {
        return;
    };
    let cases: Vec<Case> =
        serde_json::from_slice(&std::fs::read(dir.join("netpol/cases.json")).unwrap()).unwrap();
    let anp: Anp =
        serde_json::from_slice(&std::fs::read(dir.join("netpol/anp.json")).unwrap()).unwrap();
    assert_eq!(cases.len(), 136);
    assert_eq!(anp.cases.len(), 87);

    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    for case in &cases {
        let category = case.category.clone().unwrap_or_default();
        run(
            case,
            &case.namespaces,
            &case.pods,
            counts.entry(category).or_default(),
        );
    }
    for case in &anp.cases {
        let family = if case.id.starts_with("BaselineAdminNetworkPolicy") {
            "anp:BANP"
        } else {
            "anp:ANP"
        };
        run(
            case,
            &anp.namespaces,
            &anp.pods,
            counts.entry(family.to_owned()).or_default(),
        );
    }
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for (category, c) in &counts {
        println!(
            "netpol {category}: {} passed, {} failed, {} skipped",
            c.passed, c.failed, c.skipped
        );
        for f in &c.failures {
            println!("  FAIL {f}");
        }
        passed += c.passed;
        failed += c.failed;
        skipped += c.skipped;
    }
    println!("netpol total: {passed} passed, {failed} failed, {skipped} skipped (loopback)");
    assert_eq!(
        passed + failed,
        8_612 - 945 + 280,
        "every non-loopback probe runs"
    );
    assert_eq!(failed, 0, "netpol conformance failures");
}
