//! Arbitrary bytes → manifests → NetworkPolicy / AdminNetworkPolicy loading → evaluation with
//! explanations for every pair (bounded), the matrix over the declared ports (checked against
//! per-pair answers), lint, every rendering and a diff against no policies. Nothing may panic
//! or hang, and the matrix must agree with per-pair evaluation.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::core::load::{Limits, parse_manifests};
use palisade::netpol::matrix::{declared_ports, matrix};
use palisade::netpol::{Connection, Endpoint, PolicySet, Protocol, diff, eval, lint, load, render};

/// Pods beyond this many are not paired up (the work is quadratic).
const MAX_PODS: usize = 24;

fuzz_target!(|data: &[u8]| {
    let Ok(manifests) = parse_manifests(data, Some("fuzz"), &Limits::default()) else {
        return;
    };
    let loaded = load::load(manifests.iter().map(|m| &m.value));
    for e in &loaded.errors {
        let _ = e.to_string();
    }
    let (ep, ps) = (&loaded.endpoints, &loaded.policies);
    let n = ep.pods().len().min(MAX_PODS);
    let mut ports = declared_ports(ep);
    ports.truncate(4);
    ports.push((80, Protocol::Tcp));
    ports.push((53, Protocol::Udp));
    let m = matrix(ep, ps, &ports);
    let outside = Endpoint::Ip("192.0.2.7".parse().expect("a literal address"));
    for (pi, &(port, protocol)) in ports.iter().enumerate() {
        for from in 0..n {
            for to in 0..n {
                let c = Connection { from: Endpoint::Pod(from), to: Endpoint::Pod(to), port, protocol };
                let verdict = eval::evaluate(ep, ps, &c);
                assert_eq!(verdict.allowed, eval::allows(ep, ps, &c), "evaluate vs allows");
                assert_eq!(verdict.allowed, m.allowed(pi, from, to), "matrix vs per pair");
                let _ = verdict.to_string();
                let _ = verdict.explanation_json();
            }
            for c in [
                Connection { from: Endpoint::Pod(from), to: outside, port, protocol },
                Connection { from: outside, to: Endpoint::Pod(from), port, protocol },
            ] {
                let _ = eval::evaluate(ep, ps, &c).to_string();
            }
        }
    }
    for finding in lint::lint(ep, ps) {
        let _ = finding.to_string();
    }
    if ep.pods().len() <= MAX_PODS {
        let _ = (render::text(&m, ep), render::json(&m, ep), render::dot(&m, ep), render::html(&m, ep));
        let _ = diff::diff(ep, ps, &PolicySet::default(), &ports);
    }
});
