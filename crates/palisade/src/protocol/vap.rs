//! The `vap` op: one admission request against policies, bindings and params in a cluster
//! state, answered as the API server's ValidatingAdmissionPolicy plugin answers it.

use palisade_vap::AdmissionInput;
use serde_json::{Map, Value, json};

use super::RequestError;

pub(super) fn answer(req: &Map<String, Value>) -> Result<Value, RequestError> {
    if !req.contains_key("request") {
        return Err(RequestError::new("missing field `request`"));
    }
    let input: AdmissionInput = serde_json::from_value(Value::Object(req.clone()))
        .map_err(|e| RequestError::new(format!("invalid vap request: {e}")))?;
    let response = palisade_vap::evaluate(&input);
    let mut out = Map::new();
    out.insert("allowed".into(), json!(response.allowed));
    if let Some(status) = &response.status {
        out.insert(
            "status".into(),
            serde_json::to_value(status).unwrap_or(Value::Null),
        );
    }
    out.insert("warnings".into(), json!(response.warnings));
    out.insert("auditAnnotations".into(), json!(response.audit_annotations));
    Ok(Value::Object(out))
}
