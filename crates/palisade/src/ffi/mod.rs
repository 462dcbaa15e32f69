//! JSON in, JSON out: the functions behind the WASM package (`bindings/wasm`), written here so
//! they are tested natively and the wasm-bindgen layer stays a thin conversion.
//!
//! Every function takes [`serde_json::Value`]s shaped as the [`protocol`] ops
//! and answers a `Value`. Policy outcomes (denied, a CEL runtime error, an invalid audit policy)
//! are part of the answer; only input that cannot be evaluated is an [`Error`], with a
//! [code](ErrorCode), and a field path or source position where one is known.
//!
//! ```
//! use serde_json::json;
//!
//! let answer = palisade::ffi::evaluate_pod(&json!({
//!     "level": "baseline", "version": "latest",
//!     "pod": {"metadata": {"name": "web"}, "spec": {"hostNetwork": true, "containers": [{"name": "web"}]}}
//! }))?;
//! assert_eq!(answer["allowed"], false);
//! assert_eq!(answer["forbiddenDetail"], "host namespaces (hostNetwork=true)");
//!
//! let error = palisade::ffi::evaluate_pod(&json!({"level": "baseline", "pod": {}})).unwrap_err();
//! assert_eq!(error.code().as_str(), "request_error");
//! assert_eq!(error.to_json()["path"], json!(["version"]));
//! # Ok::<(), palisade::ffi::Error>(())
//! ```

mod cel;
mod error;
mod pss;
mod rbac;
mod vap;

use palisade_core::load::{Limits, parse_manifests};
use serde_json::{Map, Value, json};

use crate::protocol::{self, RequestError};

pub use cel::{CelProgram, CelPrograms, CelVariables, check_cel, evaluate_cel};
pub use error::{Error, ErrorCode};
pub use pss::{evaluate_pod, pod_security_policy};
pub use rbac::RbacCluster;
pub use vap::{evaluate_admission, run_admission_tests};

/// The request as an object, or a request error.
fn object(request: &Value) -> Result<&Map<String, Value>, Error> {
    match request {
        Value::Object(map) => Ok(map),
        _ => Err(Error::request(RequestError::new(
            "request must be a JSON object",
        ))),
    }
}

/// Answers a request with one of the protocol's ops.
fn op(
    request: &Value,
    answer: fn(&Map<String, Value>) -> Result<Value, RequestError>,
) -> Result<Value, Error> {
    answer(object(request)?).map_err(Error::request)
}

/// The versions: `{palisade, kubernetesVersion, pssChecks}` (the `version` op).
pub fn version() -> Value {
    protocol::handle(&json!({"op": "version"}))
}

/// Parses JSON text, with the line and column of a syntax error.
pub fn parse_json(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::json(&e))
}

/// Reads YAML or JSON text, multi-document, `List`s flattened, exactly as Kubernetes reads it
/// (see [`palisade_core::load`]): an array of the objects.
pub fn load_manifests(text: &str) -> Result<Value, Error> {
    let manifests =
        parse_manifests(text.as_bytes(), None, &Limits::default()).map_err(|e| Error::load(&e))?;
    Ok(Value::Array(
        manifests.into_iter().map(|m| m.value).collect(),
    ))
}

/// Whether each probe's connection is allowed by the network policies of a cluster state
/// (the `netpol` op): `{results: [{allowed, explanation}]}`.
pub fn evaluate_network_policy(request: &Value) -> Result<Value, Error> {
    op(request, protocol::netpol::answer)
}

/// The audit level, omitted stages and `omitManagedFields` a policy gives a request (the
/// `audit` op); an invalid policy answers `{policyError, policyErrors}`.
pub fn audit_level(request: &Value) -> Result<Value, Error> {
    op(request, protocol::audit::answer)
}

/// Lint findings of an audit Policy: `{findings: [{id, name, severity, rule, message}],
/// warnings}`; a policy upstream rejects answers `{policyError, policyErrors}` as
/// [`audit_level`] does.
pub fn lint_audit_policy(policy: &Value) -> Result<Value, Error> {
    if !policy.is_object() {
        return Err(Error::request(RequestError::new(
            "field `policy` must be an object",
        )));
    }
    let loaded = match palisade_audit::load::from_value(policy) {
        Ok(loaded) => loaded,
        Err(_) => {
            // The same answer as the `audit` op gives for the policy.
            let probe = json!({"policy": policy, "request": {"verb": "get"}});
            return audit_level(&probe);
        }
    };
    let findings: Vec<Value> = palisade_audit::lint::lint(&loaded.policy)
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "name": f.name,
                "severity": f.severity.as_str(),
                "rule": f.rule,
                "message": f.message,
            })
        })
        .collect();
    Ok(json!({"findings": findings, "warnings": loaded.warnings}))
}

/// Answers any protocol request (`op` selects it) as [`protocol::handle`] does, never failing:
/// problems come back as `requestError`.
pub fn handle(request: &Value) -> Value {
    protocol::handle(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_and_manifests() {
        assert_eq!(version()["kubernetesVersion"], "1.37");
        let objects =
            load_manifests("kind: Pod\nmetadata: {name: a}\n---\n---\nkind: List\nitems: [{kind: Pod}, {kind: Pod}]\n")
                .unwrap();
        assert_eq!(objects.as_array().unwrap().len(), 3);
        assert_eq!(objects[0]["metadata"]["name"], "a");
        let e = load_manifests("kind: Pod\nmetadata: [\n").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        let j = e.to_json();
        assert_eq!(j["code"], "invalid_input");
        assert!(j["position"]["line"].as_u64().unwrap() >= 2, "{j}");
        let e = parse_json("{\n  \"a\": }").unwrap_err().to_json();
        assert_eq!(e["position"], json!({"line": 2, "column": 8}));
    }

    #[test]
    fn audit_lint_reports_findings_and_policy_errors() {
        // Two rules where the first, matching everything, shadows the second.
        let policy = json!({"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [
            {"level": "Metadata"},
            {"level": "RequestResponse", "resources": [{"group": "", "resources": ["secrets"]}]}
        ]});
        let lint = lint_audit_policy(&policy).unwrap();
        let findings = lint["findings"].as_array().unwrap();
        assert!(findings.iter().any(|f| f["rule"] == 1), "{lint}");
        let bad = json!({"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "rules": [{"level": "Loud"}]});
        let r = lint_audit_policy(&bad).unwrap();
        assert!(r["policyError"].as_str().unwrap().contains("Loud"), "{r}");
        let level = audit_level(
            &json!({"policy": policy, "request": {"verb": "get", "resource": "secrets"}}),
        )
        .unwrap();
        assert_eq!(level["level"], "Metadata");
        assert_eq!(level["matchedRule"], 0);
    }

    #[test]
    fn network_policy_probes() {
        let e =
            evaluate_network_policy(&json!({"probes": [{"from": "x/a", "to": "x/b", "port": 80}]}))
                .unwrap_err()
                .to_json();
        assert_eq!(e["code"], "request_error");
        assert_eq!(e["message"], "probes[0].from: no pod `x/a` in `pods`");
        assert_eq!(e["path"], json!(["probes", 0, "from"]));
    }
}
