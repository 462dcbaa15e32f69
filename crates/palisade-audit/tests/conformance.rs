//! The audit policy corpus (`<conformance>/audit`): 320 policy + request cases (level, omitted
//! stages as a set, omitManagedFields, matched rule) and 34 policies the loader rejects (exact
//! field errors and aggregated message), evaluated through the public API.
//!
//! Reads `PALISADE_CONFORMANCE_DIR` (default: `../shared/conformance` beside the workspace).
//! Without the data the test says it skipped; with `PALISADE_REQUIRE_CONFORMANCE=1` it fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use palisade_audit::{Request, User, load};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Case {
    id: String,
    policy: Value,
    request: CaseRequest,
    expected: Expected,
}

#[derive(Deserialize)]
struct CaseRequest {
    user: Option<CaseUser>,
    verb: String,
    #[serde(rename = "resourceRequest")]
    resource_request: bool,
    #[serde(rename = "apiGroup")]
    api_group: String,
    resource: String,
    subresource: String,
    namespace: String,
    name: String,
    path: String,
}

#[derive(Deserialize)]
struct CaseUser {
    username: String,
    groups: Vec<String>,
}

#[derive(Deserialize)]
struct Expected {
    level: String,
    #[serde(rename = "omitStages")]
    omit_stages: Vec<String>,
    #[serde(rename = "omitManagedFields")]
    omit_managed_fields: bool,
    #[serde(rename = "matchedRule")]
    matched_rule: Option<usize>,
}

#[derive(Deserialize)]
struct Invalid {
    id: String,
    policy: Value,
    #[serde(rename = "expectedErrors")]
    expected_errors: Vec<ExpectedError>,
    #[serde(rename = "expectedMessage")]
    expected_message: Option<String>,
    #[serde(rename = "expectedMessageContains")]
    expected_message_contains: Option<String>,
}

#[derive(Deserialize)]
struct ExpectedError {
    field: String,
    #[serde(rename = "type")]
    error_type: String,
    detail: String,
    error: String,
}

fn run_case(case: &Case) -> Result<(), String> {
    let loaded = load::from_value(&case.policy).map_err(|e| format!("policy rejected: {e}"))?;
    let groups: Vec<&str> = case
        .request
        .user
        .as_ref()
        .map(|u| u.groups.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let r = &case.request;
    let request = Request {
        user: r.user.as_ref().map(|u| User {
            name: &u.username,
            groups: &groups,
        }),
        verb: &r.verb,
        resource_request: r.resource_request,
        api_group: &r.api_group,
        resource: &r.resource,
        subresource: &r.subresource,
        namespace: &r.namespace,
        name: &r.name,
        path: &r.path,
    };
    let d = loaded.policy.evaluate(&request);
    let got_stages: BTreeSet<&str> = d.omit_stages.iter().map(|s| s.as_str()).collect();
    let want_stages: BTreeSet<&str> = case
        .expected
        .omit_stages
        .iter()
        .map(String::as_str)
        .collect();
    if d.level.as_str() != case.expected.level
        || got_stages != want_stages
        || d.omit_managed_fields != case.expected.omit_managed_fields
        || d.matched_rule != case.expected.matched_rule
    {
        return Err(format!(
            "got {} {got_stages:?} omitManagedFields={} rule={:?}, want {} {want_stages:?} omitManagedFields={} rule={:?}",
            d.level,
            d.omit_managed_fields,
            d.matched_rule,
            case.expected.level,
            case.expected.omit_managed_fields,
            case.expected.matched_rule
        ));
    }
    Ok(())
}

fn run_invalid(case: &Invalid) -> Result<(), String> {
    let err = match load::from_value(&case.policy) {
        Ok(_) => return Err("policy loaded".into()),
        Err(e) => e,
    };
    let message = err.to_string();
    if let Some(want) = &case.expected_message
        && &message != want
    {
        return Err(format!("message {message:?}, want {want:?}"));
    }
    if let Some(want) = &case.expected_message_contains
        && !message.contains(want.as_str())
    {
        return Err(format!("message {message:?} lacks {want:?}"));
    }
    let got: Vec<(String, &str, String, String)> = err
        .field_errors()
        .iter()
        .map(|e| {
            (
                e.field.to_string(),
                e.error_type.as_str(),
                e.detail.clone(),
                e.to_string(),
            )
        })
        .collect();
    let want: Vec<(String, &str, String, String)> = case
        .expected_errors
        .iter()
        .map(|e| {
            (
                e.field.clone(),
                e.error_type.as_str(),
                e.detail.clone(),
                e.error.clone(),
            )
        })
        .collect();
    if got != want {
        return Err(format!("errors {got:?}, want {want:?}"));
    }
    Ok(())
}

fn report(category: &str, failures: &[(String, String)], total: usize) {
    println!(
        "audit {category}: {} passed, {} failed, 0 skipped",
        total - failures.len(),
        failures.len()
    );
    for (id, why) in failures {
        println!("  FAIL {id}: {why}");
    }
}

#[test]
fn audit_conformance() {
    let Some(dir) = palisade_testing::conformance_dir("audit/cases.json") else {
        return;
    };
    let cases: Vec<Case> =
        serde_json::from_slice(&std::fs::read(dir.join("audit/cases.json")).unwrap()).unwrap();
    let invalid: Vec<Invalid> =
        serde_json::from_slice(&std::fs::read(dir.join("audit/invalid-policies.json")).unwrap())
            .unwrap();
    assert_eq!(cases.len(), 320);
    assert_eq!(invalid.len(), 34);

    let case_failures: Vec<(String, String)> = cases
        .iter()
        .filter_map(|c| run_case(c).err().map(|e| (c.id.clone(), e)))
        .collect();
    let invalid_failures: Vec<(String, String)> = invalid
        .iter()
        .filter_map(|c| run_invalid(c).err().map(|e| (c.id.clone(), e)))
        .collect();
    report("cases", &case_failures, cases.len());
    report("invalid-policies", &invalid_failures, invalid.len());
    assert!(
        case_failures.is_empty() && invalid_failures.is_empty(),
        "audit conformance failures"
    );
}

/// The two lenient-decoding cases load with a warning naming the dropped field, as upstream's
/// `LoadPolicyFromBytes` logs it.
#[test]
fn lenient_decoding_warns() {
    let Some(dir) = palisade_testing::conformance_dir("audit/cases.json") else {
        return;
    };
    let cases: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("audit/cases.json")).unwrap()).unwrap();
    let lenient: Vec<&Value> = cases
        .iter()
        .filter(|c| c["lenientDecoding"] == Value::Bool(true))
        .collect();
    assert_eq!(lenient.len(), 2);
    for c in lenient {
        let loaded = load::from_value(&c["policy"]).unwrap();
        assert_eq!(loaded.warnings.len(), 1, "{}", c["id"]);
        assert!(
            loaded.warnings[0].contains("unknown field"),
            "{:?}",
            loaded.warnings
        );
    }
}
