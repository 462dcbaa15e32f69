//! The JSON request/response protocol behind `palisade jsonl` and the WASM package.
//!
//! One request object in, one response object out; [`handle_line`] does the same for one line
//! of text. A request that is not valid JSON, has an unknown `op` or lacks a field gets
//! `{"requestError": "…"}`; an optional `id` is echoed back in every response.
//!
//! ```
//! let response = palisade::protocol::handle_line(r#"{"op":"version","id":7}"#);
//! let value: serde_json::Value = serde_json::from_str(&response).unwrap();
//! assert_eq!(value["id"], 7);
//! assert_eq!(value["kubernetesVersion"], "1.37");
//! ```

use serde_json::{Map, Value, json};

pub(crate) mod audit;
pub(crate) mod cel;
pub(crate) mod netpol;
pub(crate) mod pss;
pub(crate) mod rbac;
pub(crate) mod vap;

/// The version of palisade.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A request the protocol refuses, with the text sent back as `requestError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError(pub String);

impl RequestError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        RequestError(message.into())
    }
}

/// Reads a required string field.
pub(crate) fn required_str<'v>(
    req: &'v Map<String, Value>,
    field: &str,
) -> Result<&'v str, RequestError> {
    match req.get(field) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(RequestError::new(format!(
            "field `{field}` must be a string"
        ))),
        None => Err(RequestError::new(format!("missing field `{field}`"))),
    }
}

/// Reads an optional string field.
pub(crate) fn optional_str<'v>(
    req: &'v Map<String, Value>,
    field: &str,
) -> Result<Option<&'v str>, RequestError> {
    match req.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(RequestError::new(format!(
            "field `{field}` must be a string"
        ))),
    }
}

/// Reads an optional boolean field.
pub(crate) fn optional_bool(req: &Map<String, Value>, field: &str) -> Result<bool, RequestError> {
    match req.get(field) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(RequestError::new(format!(
            "field `{field}` must be a boolean"
        ))),
    }
}

/// Answers one request.
pub fn handle(request: &Value) -> Value {
    let id = request.get("id").cloned();
    let mut response = match answer(request) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            let mut m = Map::new();
            m.insert("value".into(), other);
            m
        }
        Err(RequestError(message)) => {
            let mut m = Map::new();
            m.insert("requestError".into(), Value::String(message));
            m
        }
    };
    if let Some(id) = id {
        let mut with_id = Map::with_capacity(response.len() + 1);
        with_id.insert("id".into(), id);
        with_id.append(&mut response);
        response = with_id;
    }
    Value::Object(response)
}

/// Answers one line of JSON text with one line of JSON text (no trailing newline).
pub fn handle_line(line: &str) -> String {
    let response = match serde_json::from_str::<Value>(line) {
        Ok(request) => handle(&request),
        Err(e) => json!({ "requestError": format!("invalid JSON: {e}") }),
    };
    response.to_string()
}

fn answer(request: &Value) -> Result<Value, RequestError> {
    let Value::Object(req) = request else {
        return Err(RequestError::new("request must be a JSON object"));
    };
    match required_str(req, "op")? {
        "version" => Ok(version()),
        "pss" => pss::answer(req),
        "audit" => audit::answer(req),
        "cel" => cel::answer(req),
        "vap" => vap::answer(req),
        "rbac" => rbac::answer(req),
        "netpol" => netpol::answer(req),
        other => Err(RequestError::new(format!(
            "unknown op `{other}`: expected one of version, pss, audit, cel, vap, rbac, netpol"
        ))),
    }
}

fn version() -> Value {
    let checks: Vec<&str> = palisade_pss::CheckId::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    json!({
        "palisade": VERSION,
        "kubernetesVersion": palisade_pss::KubernetesVersion::NEWEST.to_string(),
        "pssChecks": checks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_bad_requests_and_keeps_going() {
        let r: Value = serde_json::from_str(&handle_line("{not json")).unwrap();
        assert!(
            r["requestError"]
                .as_str()
                .unwrap()
                .starts_with("invalid JSON")
        );
        let r = handle(&json!({"id": "a", "op": "nope"}));
        assert_eq!(r["id"], "a");
        assert_eq!(
            r["requestError"],
            "unknown op `nope`: expected one of version, pss, audit, cel, vap, rbac, netpol"
        );
        let r = handle(&json!({"id": 1}));
        assert_eq!(r["requestError"], "missing field `op`");
        assert_eq!(
            handle(&json!([1]))["requestError"],
            "request must be a JSON object"
        );
    }

    #[test]
    fn version_lists_checks_in_order() {
        let r = handle(&json!({"op": "version"}));
        assert_eq!(r["pssChecks"].as_array().unwrap().len(), 19);
        assert_eq!(r["pssChecks"][0], "appArmorProfile");
        assert_eq!(r["palisade"], VERSION);
    }
}
