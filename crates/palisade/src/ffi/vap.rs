//! ValidatingAdmissionPolicy: one request, or `AdmissionTest` suites whose resource files the
//! caller passes as text (no file I/O).

use palisade_core::load::{Limits, parse_manifests};
use palisade_vap::suite::{Suite, SuiteReport, run};
use serde_json::{Map, Value, json};

use super::{Error, op};
use crate::protocol;

/// Answers an admission request as the API server's ValidatingAdmissionPolicy plugin does (the
/// `vap` op): `{allowed, status?, warnings, auditAnnotations}`.
pub fn evaluate_admission(request: &Value) -> Result<Value, Error> {
    op(request, protocol::vap::answer)
}

fn load(text: &str, source: &str) -> Result<Vec<Value>, Error> {
    parse_manifests(text.as_bytes(), Some(source), &Limits::default())
        .map(|ms| ms.into_iter().map(|m| m.value).collect())
        .map_err(|e| Error::load(&e))
}

/// The text of a resource file a suite names, looked up as written and without a leading
/// `./`.
fn file<'f>(files: &'f Map<String, Value>, name: &str) -> Option<&'f Value> {
    files
        .get(name)
        .or_else(|| files.get(name.strip_prefix("./")?))
}

/// Runs the `AdmissionTest` suites of `suite_text` (YAML or JSON, one or more documents).
/// `files` maps the file names in the suites' `resources` to their text (YAML or JSON). The
/// answer: `{passed, failed, suites: [{name, cases: [{name, passed, mismatches: [{field,
/// expected, actual}], response}]}]}`.
pub fn run_admission_tests(suite_text: &str, files: &Value) -> Result<Value, Error> {
    let empty = Map::new();
    let files = match files {
        Value::Null => &empty,
        Value::Object(map) => map,
        _ => {
            return Err(Error::invalid("files must map file names to their text"));
        }
    };
    let mut reports: Vec<SuiteReport> = Vec::new();
    for document in load(suite_text, "suite")? {
        if document.get("kind").and_then(Value::as_str) != Some("AdmissionTest") {
            continue;
        }
        let index = reports.len();
        let suite: Suite = serde_json::from_value(document)
            .map_err(|e| Error::invalid(format!("not a valid test suite: {e}")))?;
        let mut resources = Vec::new();
        for (i, r) in suite.resources.iter().enumerate() {
            match r {
                Value::String(name) => match file(files, name) {
                    Some(Value::String(text)) => resources.extend(load(text, name)?),
                    Some(_) => {
                        return Err(Error::invalid(format!(
                            "resource file `{name}` must be given as text"
                        ))
                        .at(vec![json!("files"), json!(name)]));
                    }
                    None => {
                        return Err(Error::invalid(format!(
                            "resource file `{name}` is not among the files given"
                        ))
                        .at(vec![json!("resources"), json!(i)]));
                    }
                },
                other => resources.push(other.clone()),
            }
        }
        let resolved = suite
            .resolve(&resources, &format!("suite {index}"))
            .map_err(|e| Error::invalid(e.to_string()))?;
        reports.push(run(&resolved, &palisade_vap::evaluate));
    }
    if reports.is_empty() {
        return Err(Error::invalid("no test suites (kind: AdmissionTest) found"));
    }
    let passed: usize = reports.iter().map(SuiteReport::passed).sum();
    let failed: usize = reports.iter().map(SuiteReport::failed).sum();
    let suites = serde_json::to_value(&reports).map_err(|e| Error::invalid(e.to_string()))?;
    Ok(json!({"passed": passed, "failed": failed, "suites": suites}))
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: object.spec.replicas <= 5
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas}
spec: {policyName: max-replicas, validationActions: [Deny]}
"#;

    const SUITE: &str = r#"
apiVersion: palisade.dev/v1alpha1
kind: AdmissionTest
name: replicas
resources: [./policy.yaml]
cases:
- name: three pass
  object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: a, namespace: d}, spec: {replicas: 3}}
  expect: {allowed: true}
- name: ten fail
  object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: b, namespace: d}, spec: {replicas: 10}}
  expect: {allowed: false, reason: Invalid, code: 422}
- name: a wrong expectation
  object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: c, namespace: d}, spec: {replicas: 10}}
  expect: {allowed: true}
"#;

    #[test]
    fn runs_suites_from_text() {
        let r = run_admission_tests(SUITE, &json!({"policy.yaml": POLICY})).unwrap();
        assert_eq!(
            (r["passed"].clone(), r["failed"].clone()),
            (json!(2), json!(1))
        );
        let cases = &r["suites"][0]["cases"];
        assert_eq!(r["suites"][0]["name"], "replicas");
        assert_eq!(
            cases[1]["response"]["status"]["message"],
            "deployments.apps \"b\" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas' denied request: failed expression: object.spec.replicas <= 5"
        );
        assert_eq!(cases[2]["mismatches"][0]["field"], "allowed");
    }

    #[test]
    fn missing_files_and_bad_text() {
        let e = run_admission_tests(SUITE, &Value::Null)
            .unwrap_err()
            .to_json();
        assert_eq!(e["path"], json!(["resources", 0]));
        let e = run_admission_tests(SUITE, &json!({"policy.yaml": "a: [\n"})).unwrap_err();
        assert_eq!(e.code(), super::super::ErrorCode::InvalidInput);
        assert!(e.message().contains("policy.yaml"), "{e}");
        let e = run_admission_tests("kind: Pod\n", &Value::Null).unwrap_err();
        assert_eq!(e.message(), "no test suites (kind: AdmissionTest) found");
    }
}
