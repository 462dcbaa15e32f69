//! The `rbac` op: the RBAC authorizer's decision and reason for a request over a set of RBAC
//! objects, with the rules a SelfSubjectRulesReview would show that user in that namespace.

use palisade_rbac::authorizer::aggregate_errors;
use palisade_rbac::{Attributes, Authorizer, Cluster, UserInfo};
use serde_json::{Map, Value, json};

use super::{RequestError, optional_str};

pub(crate) fn answer(req: &Map<String, Value>) -> Result<Value, RequestError> {
    let objects = match req.get("objects") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => return Err(RequestError::new("field `objects` must be an array")),
    };
    let cluster = Cluster::from_values(objects).map_err(|e| RequestError::new(e.to_string()))?;
    let authorizer = Authorizer::new(cluster);
    match (req.get("request"), req.get("requests")) {
        (Some(request), _) => answer_one(&authorizer, request, "request"),
        (None, Some(Value::Array(requests))) => {
            let results = requests
                .iter()
                .enumerate()
                .map(|(i, r)| answer_one(&authorizer, r, &format!("requests[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(json!({ "results": results }))
        }
        (None, Some(_)) => Err(RequestError::new("field `requests` must be an array")),
        (None, None) => Err(RequestError::new("missing field `request`")),
    }
}

pub(crate) fn answer_one(
    authorizer: &Authorizer,
    request: &Value,
    at: &str,
) -> Result<Value, RequestError> {
    let attributes = attributes(request, at)?;
    let d = authorizer.authorize(&attributes);
    Ok(json!({
        "allowed": d.allowed,
        "decision": d.decision(),
        "reason": d.reason,
        "rules": rules_review(authorizer, &attributes.user, &attributes.namespace),
    }))
}

/// What a SelfSubjectRulesReview shows: the rules from `RulesFor`, split into resource and
/// non-resource rules (a rule with both appears in both lists).
pub(crate) fn rules_review(authorizer: &Authorizer, user: &UserInfo, namespace: &str) -> Value {
    let (rules, errors) = authorizer.rules_for(user, namespace);
    let mut resource_rules = Vec::new();
    let mut non_resource_rules = Vec::new();
    for (_, r) in rules {
        if !r.resources.is_empty() {
            let mut m = Map::new();
            m.insert("verbs".into(), json!(r.verbs));
            if !r.api_groups.is_empty() {
                m.insert("apiGroups".into(), json!(r.api_groups));
            }
            m.insert("resources".into(), json!(r.resources));
            if !r.resource_names.is_empty() {
                m.insert("resourceNames".into(), json!(r.resource_names));
            }
            resource_rules.push(Value::Object(m));
        }
        if !r.non_resource_urls.is_empty() {
            non_resource_rules
                .push(json!({"verbs": r.verbs, "nonResourceURLs": r.non_resource_urls}));
        }
    }
    let mut out = Map::new();
    out.insert("resourceRules".into(), resource_rules.into());
    out.insert("nonResourceRules".into(), non_resource_rules.into());
    out.insert("incomplete".into(), false.into());
    if !errors.is_empty() {
        out.insert("evaluationError".into(), aggregate_errors(&errors).into());
    }
    Value::Object(out)
}

fn strings(v: Option<&Value>, field: &str) -> Result<Vec<String>, RequestError> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|g| {
                g.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| RequestError::new(format!("field `{field}` must hold strings")))
            })
            .collect(),
        Some(_) => Err(RequestError::new(format!(
            "field `{field}` must be an array"
        ))),
    }
}

/// Reads the request attributes (`user`, `groups`, `extra`, `verb`, `apiGroup`, `resource`,
/// `subresource`, `namespace`, `name`, `path`, `resourceRequest`).
pub(crate) fn attributes(request: &Value, at: &str) -> Result<Attributes, RequestError> {
    let Value::Object(r) = request else {
        return Err(RequestError::new(format!("field `{at}` must be an object")));
    };
    let field = |name: &str| -> Result<String, RequestError> {
        optional_str(r, name)
            .map(|s| s.unwrap_or_default().to_owned())
            .map_err(|RequestError(m)| RequestError(format!("{m} (in `{at}`)")))
    };
    let mut extra = std::collections::BTreeMap::new();
    match r.get("extra") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            for (k, v) in m {
                extra.insert(k.clone(), strings(Some(v), &format!("{at}.extra.{k}"))?);
            }
        }
        Some(_) => {
            return Err(RequestError::new(format!(
                "field `{at}.extra` must be an object"
            )));
        }
    }
    let path = field("path")?;
    let resource_request = match r.get("resourceRequest") {
        None | Some(Value::Null) => path.is_empty(),
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(RequestError::new(format!(
                "field `{at}.resourceRequest` must be a boolean"
            )));
        }
    };
    if !r.contains_key("verb") {
        return Err(RequestError::new(format!("missing field `{at}.verb`")));
    }
    Ok(Attributes {
        user: UserInfo {
            name: field("user")?,
            groups: strings(r.get("groups"), &format!("{at}.groups"))?,
            extra,
        },
        verb: field("verb")?,
        resource_request,
        api_group: field("apiGroup")?,
        resource: field("resource")?,
        subresource: field("subresource")?,
        namespace: field("namespace")?,
        name: field("name")?,
        path,
        field_selector: None,
        label_selector: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::handle;
    use serde_json::json;

    fn objects() -> serde_json::Value {
        json!([
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
             "metadata": {"name": "reader"},
             "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
                       {"nonResourceURLs": ["/healthz"], "verbs": ["get"]}]},
            {"apiVersion": "v1", "kind": "List", "items": [
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                 "metadata": {"name": "rb", "namespace": "dev"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "reader"},
                 "subjects": [{"kind": "ServiceAccount", "name": "app"}]},
                {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                 "metadata": {"name": "broken", "namespace": "dev"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "gone"},
                 "subjects": [{"kind": "Group", "name": "system:serviceaccounts"}]}
            ]}
        ])
    }

    #[test]
    fn allows_with_reason_and_rules() {
        let r = handle(&json!({"op": "rbac", "objects": objects(), "request": {
            "user": "system:serviceaccount:dev:app", "groups": ["system:serviceaccounts"],
            "verb": "get", "resource": "pods", "namespace": "dev"}}));
        assert_eq!(r["allowed"], true);
        assert_eq!(r["decision"], "Allow");
        assert_eq!(
            r["reason"],
            "RBAC: allowed by RoleBinding \"rb/dev\" of ClusterRole \"reader\" to ServiceAccount \"app/dev\""
        );
        assert_eq!(r["rules"]["resourceRules"].as_array().unwrap().len(), 1);
        assert_eq!(
            r["rules"]["nonResourceRules"][0]["nonResourceURLs"][0],
            "/healthz"
        );
        assert_eq!(
            r["rules"]["evaluationError"],
            "role.rbac.authorization.k8s.io \"gone\" not found"
        );
    }

    #[test]
    fn deny_reports_resolution_errors() {
        let r = handle(&json!({"op": "rbac", "objects": objects(), "requests": [
            {"user": "x", "groups": ["system:serviceaccounts"], "verb": "delete", "resource": "pods", "namespace": "dev"},
            {"user": "x", "verb": "delete", "resource": "pods", "namespace": "dev"}]}));
        let results = r["results"].as_array().unwrap();
        assert_eq!(results[0]["decision"], "NoOpinion");
        assert_eq!(
            results[0]["reason"],
            "RBAC: role.rbac.authorization.k8s.io \"gone\" not found"
        );
        assert_eq!(results[1]["reason"], "");
        let r = handle(&json!({"op": "rbac", "objects": [], "request": {"user": "x"}}));
        assert_eq!(r["requestError"], "missing field `request.verb`");
    }
}
