//! The upstream pod-security-admission fixtures (`<conformance>/pss`), evaluated through the
//! public API: verdict, failing checks in order, and the exact aggregated reason and detail.
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

use palisade_pss::defaulting::{DefaultingTarget, apply_defaults};
use palisade_pss::{Evaluator, Level, LevelVersion, Pod, Version};
use serde::Deserialize;

#[derive(Deserialize)]
struct Index {
    count: usize,
    fixtures: Vec<Fixture>,
}

#[derive(Deserialize)]
struct Fixture {
    path: String,
    level: String,
    version: String,
    expect: String,
    failing_checks: Vec<String>,
    expect_substring: Option<String>,
    forbidden_reason: Option<String>,
    forbidden_detail: Option<String>,
    requires_defaulting: bool,
}

/// Checks one fixture; `Err` says what differed.
fn run(dir: &std::path::Path, f: &Fixture) -> Result<(), String> {
    let bytes = std::fs::read(dir.join("pss").join(&f.path)).map_err(|e| e.to_string())?;
    let manifests =
        palisade_core::load::parse_manifests(&bytes, Some(&f.path), &Default::default())
            .map_err(|e| e.to_string())?;
    let [manifest] = manifests.as_slice() else {
        return Err(format!("expected one document, found {}", manifests.len()));
    };
    let mut pod = Pod::from_value(&manifest.value).map_err(|e| e.to_string())?;
    if f.requires_defaulting {
        apply_defaults(&mut pod, DefaultingTarget::Pod);
    }
    let level = Level::parse(&f.level).map_err(|e| e.to_string())?;
    let version = Version::parse(&f.version).map_err(|e| e.to_string())?;
    let lv = LevelVersion::new(level, version);
    let eval = Evaluator::new().evaluate(lv, &pod);

    let failing: Vec<&str> = eval.failures().map(|(id, _)| id.as_str()).collect();
    if failing != f.failing_checks {
        return Err(format!(
            "failing checks {failing:?}, expected {:?}",
            f.failing_checks
        ));
    }
    if (f.expect == "pass") != eval.allowed() {
        return Err(format!("allowed={}, expected {}", eval.allowed(), f.expect));
    }
    if f.expect == "fail" {
        let detail = eval.forbidden_detail();
        if Some(&eval.forbidden_reason()) != f.forbidden_reason.as_ref() {
            return Err(format!(
                "reason {:?}, expected {:?}",
                eval.forbidden_reason(),
                f.forbidden_reason
            ));
        }
        if Some(&detail) != f.forbidden_detail.as_ref() {
            return Err(format!(
                "detail {detail:?}, expected {:?}",
                f.forbidden_detail
            ));
        }
        let message = eval.message();
        if !message.starts_with(&format!(
            "violates PodSecurity \"{}:{}\": ",
            f.level, f.version
        )) {
            return Err(format!("message {message:?}"));
        }
        if let Some(sub) = &f.expect_substring
            && !message.contains(sub.as_str())
        {
            return Err(format!("message {message:?} lacks {sub:?}"));
        }
    }
    Ok(())
}

#[test]
fn pss_fixtures() {
    let Some(dir) = palisade_testing::conformance_dir("pss/index.json") else {
        return;
    };
    let index: Index =
        serde_json::from_slice(&std::fs::read(dir.join("pss/index.json")).unwrap()).unwrap();
    assert_eq!(index.fixtures.len(), index.count);

    // category -> (passed, failed)
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for f in &index.fixtures {
        let entry = counts
            .entry(format!("{}/{}", f.level, f.expect))
            .or_default();
        match run(&dir, f) {
            Ok(()) => entry.0 += 1,
            Err(why) => {
                entry.1 += 1;
                failures.push(format!("{}: {why}", f.path));
            }
        }
    }
    for (category, (passed, failed)) in &counts {
        println!("pss {category}: {passed} passed, {failed} failed, 0 skipped");
    }
    for failure in failures.iter().take(50) {
        println!("FAIL {failure}");
    }
    let passed: usize = counts.values().map(|c| c.0).sum();
    println!("pss total: {passed}/{} passed", index.count);
    // Target: every fixture.
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed",
        failures.len(),
        index.count
    );
}
