//! The variables of a ValidatingAdmissionPolicy evaluation: `object`, `oldObject`, `params`
//! (dynamic, borrowed JSON), `request` and `namespaceObject` (read as the API server's typed
//! structs), `authorizer` and `authorizer.requestResource`.

use serde_json::{Map, Value as Json};

use super::types::{authorizer_value, request_resource_value};
use crate::value::Value;

fn str_field<'j>(m: &'j Map<String, Json>, k: &str) -> &'j str {
    m.get(k).and_then(Json::as_str).unwrap_or("")
}

fn fill(m: &mut Map<String, Json>, key: &str, fields: &[&str]) {
    let entry = m
        .entry(key.to_string())
        .or_insert_with(|| Json::Object(Map::new()));
    if let Json::Object(inner) = entry {
        for f in fields {
            inner
                .entry((*f).to_string())
                .or_insert_with(|| Json::String(String::new()));
        }
    }
}

/// An AdmissionRequest as the API server hands it to CEL: fields without `omitempty` in the Go
/// type read as their zero values; `object` and `oldObject` are not set.
pub fn normalize_request(request: &Json) -> Json {
    let mut m = request.as_object().cloned().unwrap_or_default();
    m.remove("object");
    m.remove("oldObject");
    m.entry("uid")
        .or_insert_with(|| Json::String(String::new()));
    fill(&mut m, "kind", &["group", "version", "kind"]);
    fill(&mut m, "resource", &["group", "version", "resource"]);
    if m.contains_key("requestKind") {
        fill(&mut m, "requestKind", &["group", "version", "kind"]);
    }
    if m.contains_key("requestResource") {
        fill(&mut m, "requestResource", &["group", "version", "resource"]);
    }
    m.entry("operation")
        .or_insert_with(|| Json::String(String::new()));
    m.entry("userInfo")
        .or_insert_with(|| Json::Object(Map::new()));
    Json::Object(m)
}

/// A Namespace as the API server hands it to CEL: `metadata` is always present.
pub fn normalize_namespace(namespace: &Json) -> Json {
    let mut m = namespace.as_object().cloned().unwrap_or_default();
    m.entry("metadata")
        .or_insert_with(|| Json::Object(Map::new()));
    Json::Object(m)
}

/// The variables of one VAP evaluation, borrowing the caller's JSON. The authorizer values are
/// built only when an expression reads them.
pub struct VapVars<'a> {
    object: Value<'a>,
    old_object: Value<'a>,
    params: Value<'a>,
    request: Value<'a>,
    namespace: Value<'a>,
    request_json: Option<&'a Json>,
}

impl<'a> VapVars<'a> {
    /// Binds the variables; `request` and `namespace` should be normalized first
    /// ([`normalize_request`], [`normalize_namespace`]). Missing variables are `null`.
    pub fn new(
        object: Option<&'a Json>,
        old_object: Option<&'a Json>,
        params: Option<&'a Json>,
        request: Option<&'a Json>,
        namespace: Option<&'a Json>,
    ) -> VapVars<'a> {
        let v = |j: Option<&'a Json>| j.map_or(Value::Null, Value::from_json);
        VapVars {
            object: v(object),
            old_object: v(old_object),
            params: v(params),
            request: v(request),
            namespace: v(namespace),
            request_json: request,
        }
    }

    fn authorizer(&self) -> Value<'static> {
        let empty = Map::new();
        let req = self
            .request_json
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        let user = req
            .get("userInfo")
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        let strings = |j: &Json| -> Vec<String> {
            j.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let groups = user.get("groups").map(strings).unwrap_or_default();
        let extra: Vec<(String, Vec<String>)> = user
            .get("extra")
            .and_then(Json::as_object)
            .map(|e| {
                e.iter()
                    .map(|(k, vals)| (k.clone(), strings(vals)))
                    .collect()
            })
            .unwrap_or_default();
        authorizer_value(str_field(user, "username"), &groups, &extra)
    }

    fn request_resource(&self) -> Option<Value<'static>> {
        let empty = Map::new();
        let req = self
            .request_json
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        let resource = req
            .get("resource")
            .and_then(Json::as_object)
            .unwrap_or(&empty);
        request_resource_value(
            &self.authorizer(),
            str_field(resource, "group"),
            str_field(resource, "resource"),
            str_field(req, "subResource"),
            str_field(req, "namespace"),
            str_field(req, "name"),
        )
        .ok()
    }

    /// The value of a variable.
    pub fn resolve(&self, name: &str) -> Option<Value<'a>> {
        Some(match name {
            "object" => self.object.clone(),
            "oldObject" => self.old_object.clone(),
            "params" => self.params.clone(),
            "request" => self.request.clone(),
            "namespaceObject" => self.namespace.clone(),
            "authorizer" => self.authorizer(),
            "authorizer.requestResource" => self.request_resource()?,
            _ => return None,
        })
    }
}
