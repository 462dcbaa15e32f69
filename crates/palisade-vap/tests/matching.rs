//! The VAP matching corpus (`<conformance>/vap/matching.json`): 24 matcher cases, 20 selector
//! cases and 76 rule-component cases, through the public matching API.
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

use palisade_vap::policy::NamedRuleWithOperations;
use palisade_vap::rules::{RuleTarget, rule_matches};
use palisade_vap::{
    AdmissionRequest, EquivalentResource, EquivalentResources, GroupVersionKind,
    GroupVersionResource, MatchResources, matching,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Corpus {
    equivalent_resources: RawEquivalents,
    matcher: Vec<Case>,
    selectors: Vec<Case>,
    rule_components: Vec<RuleCase>,
}

#[derive(Deserialize)]
struct RawEquivalents {
    groups: Vec<RawGroup>,
}

#[derive(Deserialize)]
struct RawGroup {
    resources: Vec<RawResource>,
}

#[derive(Deserialize)]
struct RawResource {
    group: String,
    version: String,
    resource: String,
    kind: GroupVersionKind,
    #[serde(default)]
    subresources: BTreeMap<String, GroupVersionKind>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    id: String,
    match_resources: MatchResources,
    request: AdmissionRequest,
    #[serde(default)]
    namespaces: Vec<Value>,
    expected: Expected,
}

#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Expected {
    matches: bool,
    #[serde(default)]
    match_resource: Option<GroupVersionResource>,
    #[serde(default)]
    match_kind: Option<GroupVersionKind>,
    #[serde(default)]
    error_contains: Option<String>,
}

#[derive(Deserialize)]
struct RuleCase {
    id: String,
    component: String,
    rule: NamedRuleWithOperations,
    request: AdmissionRequest,
    expected: RuleExpected,
}

#[derive(Deserialize)]
struct RuleExpected {
    matches: bool,
}

fn equivalents(raw: RawEquivalents) -> EquivalentResources {
    EquivalentResources {
        groups: raw
            .groups
            .into_iter()
            .map(|g| {
                g.resources
                    .into_iter()
                    .map(|r| EquivalentResource {
                        resource: GroupVersionResource::new(&r.group, &r.version, &r.resource),
                        kind: r.kind,
                        subresources: r.subresources,
                    })
                    .collect()
            })
            .collect(),
    }
}

/// Derived cases whose expectation contradicts upstream's code. For these palisade gives
/// upstream's answer, which is the opposite `matches`; the reason cites the code.
const UPSTREAM_DIVERGENT: &[(&str, &str)] = &[(
    "namespacelabels-namespace-finalizer-selector-runlevel-1",
    "the rule's resources [\"*\"] never match a subresource request (`finalizers`): upstream's \
     rules.Matcher.resource() splits \"*\" into (\"*\", \"\") and requires the subresource to \
     equal \"\" unless the rule says \"*/…\"; the namespace labels are never consulted",
)];

fn check_case(case: &Case, eq: &EquivalentResources) -> Result<(), String> {
    let got = matching::matches(&case.match_resources, &case.request, &case.namespaces, eq);
    let mut e = Expected {
        ..case.expected.clone()
    };
    if UPSTREAM_DIVERGENT.iter().any(|(id, _)| *id == case.id) {
        e.matches = !e.matches;
    }
    let e = &e;
    match (&got, &e.error_contains) {
        (Err(err), Some(want)) if err.to_string().contains(want.as_str()) => Ok(()),
        (Err(err), _) => Err(format!("error {err:?}")),
        (Ok(_), Some(want)) => Err(format!(
            "expected an error containing {want:?}, got {got:?}"
        )),
        (Ok(m), None) => {
            if m.is_some() != e.matches {
                return Err(format!("matches {}, expected {}", m.is_some(), e.matches));
            }
            if let Some(m) = m {
                if let Some(r) = &e.match_resource
                    && m.resource != r
                {
                    return Err(format!("matched as {}, expected {r}", m.resource));
                }
                if let Some(k) = &e.match_kind
                    && m.kind != k
                {
                    return Err(format!("matched kind {}, expected {k}", m.kind));
                }
            }
            Ok(())
        }
    }
}

/// A rule component case: only the named part of the rule is tested; the others are absent
/// in the data and are filled with wildcards here.
fn check_rule(case: &RuleCase) -> Result<(), String> {
    let mut rule = case.rule.clone();
    let star = || vec!["*".to_owned()];
    if case.component != "group" {
        rule.api_groups = star();
    }
    if case.component != "version" {
        rule.api_versions = star();
    }
    if case.component != "operation" {
        rule.operations = star();
    }
    if case.component != "resource" {
        rule.resources = vec!["*/*".to_owned()];
    }
    if case.component != "scope" {
        rule.scope = None;
    }
    let r = &case.request;
    let got = rule_matches(
        &rule,
        &RuleTarget {
            operation: r.operation,
            resource: &r.resource,
            sub_resource: &r.sub_resource,
            namespace: &r.namespace,
        },
    );
    if got == case.expected.matches {
        Ok(())
    } else {
        Err(format!("matches {got}, expected {}", case.expected.matches))
    }
}

#[test]
fn matching_corpus() {
    let Some(dir) = palisade_testing::conformance_dir("vap/matching.json") else {
        return;
    };
    let corpus: Corpus =
        serde_json::from_slice(&std::fs::read(dir.join("vap/matching.json")).unwrap()).unwrap();
    let eq = equivalents(corpus.equivalent_resources);
    let none = EquivalentResources::default();
    let mut failures = Vec::new();
    let mut report = |name: &str, results: Vec<(String, Result<(), String>)>| {
        let total = results.len();
        let failed: Vec<_> = results.into_iter().filter(|(_, r)| r.is_err()).collect();
        println!(
            "vap matching {name}: {}/{total} passed, {} failed, 0 skipped",
            total - failed.len(),
            failed.len()
        );
        for (id, r) in failed {
            println!("  FAIL {id}: {}", r.unwrap_err());
            failures.push(id);
        }
    };
    report(
        "matcher",
        corpus
            .matcher
            .iter()
            .map(|c| (c.id.clone(), check_case(c, &eq)))
            .collect(),
    );
    report(
        "selectors",
        corpus
            .selectors
            .iter()
            .map(|c| (c.id.clone(), check_case(c, &none)))
            .collect(),
    );
    report(
        "ruleComponents",
        corpus
            .rule_components
            .iter()
            .map(|c| (c.id.clone(), check_rule(c)))
            .collect(),
    );
    for (id, why) in UPSTREAM_DIVERGENT {
        println!("  DIVERGES (upstream wins) {id}: {why}");
    }
    assert_eq!(
        corpus.matcher.len() + corpus.selectors.len() + corpus.rule_components.len(),
        120
    );
    assert!(
        failures.is_empty(),
        "{} matching cases failed: {failures:?}",
        failures.len()
    );
}
