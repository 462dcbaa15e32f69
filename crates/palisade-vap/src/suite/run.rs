//! Runs resolved cases and compares the answers with the expectations.

use serde::Serialize;

use super::format::Expect;
use super::resolve::{Expectation, PolicyExpect, ResolvedSuite};
use crate::input::AdmissionInput;
use crate::outcome::{PolicyOutcome, policy_outcome};
use crate::response::AdmissionResponse;

/// One difference between the expected and the actual answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// What differs (`allowed`, `message`, `warnings`, …).
    pub field: String,
    /// The expectation, as text.
    pub expected: String,
    /// What palisade answered, as text.
    pub actual: String,
}

/// The result of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// Whether every expectation held.
    pub passed: bool,
    /// The differences (empty when passed).
    pub mismatches: Vec<Mismatch>,
    /// The answer.
    pub response: AdmissionResponse,
}

/// The results of a suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuiteReport {
    /// The suite's name.
    pub name: String,
    /// One result per case, in order.
    pub cases: Vec<CaseResult>,
}

impl SuiteReport {
    /// How many cases passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }

    /// How many cases failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

/// Runs every case with `evaluate` (the admission evaluation, e.g. the facade's CEL-backed
/// one).
pub fn run(
    suite: &ResolvedSuite,
    evaluate: &dyn Fn(&AdmissionInput) -> AdmissionResponse,
) -> SuiteReport {
    let cases = suite
        .cases
        .iter()
        .map(|case| {
            let response = evaluate(&case.input);
            let mismatches = match &case.expect {
                Expectation::Response(expect) => compare(expect, &response),
                Expectation::Policy(expect) => compare_outcome(expect, &case.input),
            };
            CaseResult {
                name: case.name.clone(),
                passed: mismatches.is_empty(),
                mismatches,
                response,
            }
        })
        .collect();
    SuiteReport {
        name: suite.name.clone(),
        cases,
    }
}

fn mismatch(field: &str, expected: impl Into<String>, actual: impl Into<String>) -> Mismatch {
    Mismatch {
        field: field.to_owned(),
        expected: expected.into(),
        actual: actual.into(),
    }
}

/// Every expectation that does not hold.
pub fn compare(expect: &Expect, response: &AdmissionResponse) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if expect.allowed != response.allowed {
        out.push(mismatch(
            "allowed",
            expect.allowed.to_string(),
            response.allowed.to_string(),
        ));
    }
    let status = response.status.as_ref();
    let message = status.map(|s| s.message.as_str()).unwrap_or("");
    if let Some(want) = &expect.message
        && want != message
    {
        out.push(mismatch("message", want.as_str(), message));
    }
    for part in &expect.message_contains {
        if !message.contains(part.as_str()) {
            out.push(mismatch("messageContains", part.as_str(), message));
        }
    }
    let reason = status.map(|s| s.reason.as_str()).unwrap_or("");
    if let Some(want) = &expect.reason
        && want != reason
    {
        out.push(mismatch("reason", want.as_str(), reason));
    }
    let code = status.map(|s| s.code);
    if let Some(want) = expect.code
        && Some(want) != code
    {
        out.push(mismatch(
            "code",
            want.to_string(),
            code.map(|c| c.to_string()).unwrap_or_default(),
        ));
    }
    if let Some(want) = &expect.warnings {
        let mut a = want.clone();
        let mut b = response.warnings.clone();
        a.sort();
        b.sort();
        if a != b {
            out.push(mismatch(
                "warnings",
                format!("{want:?}"),
                format!("{:?}", response.warnings),
            ));
        }
    }
    if let Some(want) = &expect.audit_annotations
        && want != &response.audit_annotations
    {
        out.push(mismatch(
            "auditAnnotations",
            format!("{want:?}"),
            format!("{:?}", response.audit_annotations),
        ));
    }
    out
}

/// Whether one policy's outcome is the expected one.
pub fn compare_outcome(expect: &PolicyExpect, input: &AdmissionInput) -> Vec<Mismatch> {
    let actual = policy_outcome(
        input,
        &expect.policy,
        expect.matching,
        expect.param.as_ref(),
    );
    let mut out = Vec::new();
    if actual.as_str() != expect.outcome {
        out.push(mismatch("outcome", expect.outcome, actual.to_string()));
    }
    if let (Some(want), PolicyOutcome::Deny { message }) = (&expect.message_contains, &actual)
        && !message.contains(want.as_str())
    {
        out.push(mismatch("deniedMessage", want.as_str(), message.as_str()));
    }
    out
}
