//! The `audit` op: the level, omitted stages and `omitManagedFields` an audit Policy gives a
//! request, or the errors upstream's loader rejects the policy with.

use palisade_audit::{Request, User, load};
use serde_json::{Map, Value, json};

use super::{RequestError, optional_str};

pub(crate) fn answer(req: &Map<String, Value>) -> Result<Value, RequestError> {
    let policy = req
        .get("policy")
        .ok_or_else(|| RequestError::new("missing field `policy`"))?;
    let Some(Value::Object(request)) = req.get("request") else {
        return Err(RequestError::new(match req.get("request") {
            None => "missing field `request`",
            Some(_) => "field `request` must be an object",
        }));
    };
    let (username, groups) = match request.get("user") {
        None | Some(Value::Null) => (None, Vec::new()),
        Some(Value::Object(user)) => {
            let name = optional_str(user, "username")?.unwrap_or_default();
            let groups = match user.get("groups") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|g| {
                        g.as_str().ok_or_else(|| {
                            RequestError::new("field `request.user.groups` must hold strings")
                        })
                    })
                    .collect::<Result<Vec<&str>, _>>()?,
                Some(_) => {
                    return Err(RequestError::new(
                        "field `request.user.groups` must be an array",
                    ));
                }
            };
            (Some(name), groups)
        }
        Some(_) => {
            return Err(RequestError::new(
                "field `request.user` must be an object or null",
            ));
        }
    };
    let field = |name: &str| -> Result<&str, RequestError> {
        optional_str(request, name)
            .map(Option::unwrap_or_default)
            .map_err(|RequestError(m)| RequestError(format!("{m} (in `request`)")))
    };
    let verb = optional_str(request, "verb")?
        .ok_or_else(|| RequestError::new("missing field `request.verb`"))?;
    let path = field("path")?;
    let resource_request = match request.get("resourceRequest") {
        None | Some(Value::Null) => path.is_empty(),
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(RequestError::new(
                "field `request.resourceRequest` must be a boolean",
            ));
        }
    };
    let attributes = Request {
        user: username.map(|name| User {
            name,
            groups: &groups,
        }),
        verb,
        resource_request,
        api_group: field("apiGroup")?,
        resource: field("resource")?,
        subresource: field("subresource")?,
        namespace: field("namespace")?,
        name: field("name")?,
        path,
    };

    let loaded = match load::from_value(policy) {
        Ok(loaded) => loaded,
        Err(e) => {
            let errors: Vec<Value> = e
                .field_errors()
                .iter()
                .map(|f| {
                    json!({
                        "field": f.field.to_string(),
                        "type": f.error_type.as_str(),
                        "detail": f.detail,
                        "error": f.to_string(),
                    })
                })
                .collect();
            return Ok(json!({"policyError": e.to_string(), "policyErrors": errors}));
        }
    };
    let d = loaded.policy.evaluate(&attributes);
    let mut response = Map::new();
    response.insert("level".into(), d.level.as_str().into());
    response.insert(
        "omitStages".into(),
        d.omit_stages.iter().map(|s| s.as_str()).collect(),
    );
    response.insert("omitManagedFields".into(), d.omit_managed_fields.into());
    response.insert("matchedRule".into(), d.matched_rule.into());
    if !loaded.warnings.is_empty() {
        response.insert("warnings".into(), loaded.warnings.into());
    }
    Ok(Value::Object(response))
}
