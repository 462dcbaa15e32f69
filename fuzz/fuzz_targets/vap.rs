//! ValidatingAdmissionPolicy evaluation over untrusted input. Bytes that parse as a `vap`
//! request (cluster state + admission request) are evaluated as they are; other bytes are read
//! as text — line 1 a validation expression, line 2 a messageExpression, line 3 a match
//! condition, the rest the object — and evaluated as one policy against a CREATE. Nothing may
//! panic, and an allowed answer never carries a status.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::vap::{AdmissionInput, AdmissionResponse};
use serde_json::{Value, json};

fn check(response: &AdmissionResponse) {
    assert_eq!(response.allowed, response.status.is_none());
    if let Some(s) = &response.status {
        assert!(!s.message.is_empty());
    }
}

fn from_text(text: &str) -> Option<AdmissionInput> {
    let mut lines = text.splitn(4, '\n');
    let expression = lines.next().unwrap_or_default();
    let message = lines.next().unwrap_or_default();
    let condition = lines.next().unwrap_or_default();
    let object: Value = serde_json::from_str(lines.next().unwrap_or("{}")).unwrap_or(json!({}));
    let mut spec = json!({
        "matchConstraints": {"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["*"], "resources": ["*"]}]},
        "validations": [{"expression": expression, "messageExpression": message}],
        "variables": [{"name": "v", "expression": condition}],
        "auditAnnotations": [{"key": "k", "valueExpression": message}],
    });
    if !condition.is_empty() {
        spec["matchConditions"] = json!([{"name": "c", "expression": condition}]);
    }
    serde_json::from_value(json!({
        "policies": [{"metadata": {"name": "p"}, "spec": spec}],
        "bindings": [{"metadata": {"name": "b"}, "spec": {"policyName": "p", "validationActions": ["Deny", "Warn", "Audit"]}}],
        "namespaces": [{"metadata": {"name": "default", "labels": {"kubernetes.io/metadata.name": "default"}}}],
        "request": {"operation": "CREATE",
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "namespace": "default", "name": "web", "object": object},
    }))
    .ok()
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 64 * 1024 {
        return;
    }
    let input = match serde_json::from_slice::<AdmissionInput>(data) {
        Ok(input) => input,
        Err(_) => match std::str::from_utf8(data).ok().and_then(from_text) {
            Some(input) => input,
            None => return,
        },
    };
    check(&palisade::vap::evaluate(&input));
});
