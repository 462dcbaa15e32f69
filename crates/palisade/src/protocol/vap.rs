//! The `vap` op: one admission request against policies, bindings and params in a cluster
//! state, answered as the API server's ValidatingAdmissionPolicy plugin answers it.

use palisade_vap::AdmissionInput;
use serde_json::{Map, Value, json};

use super::RequestError;

pub(crate) fn answer(req: &Map<String, Value>) -> Result<Value, RequestError> {
    if !req.contains_key("request") {
        return Err(RequestError::new("missing field `request`"));
    }
    let input: AdmissionInput = serde_json::from_value(Value::Object(req.clone()))
        .map_err(|e| RequestError::new(format!("invalid vap request: {e}")))?;
    let response = match req.get("authorizerObjects") {
        None | Some(Value::Null) => palisade_vap::evaluate(&input),
        Some(Value::Array(objects)) => {
            let rbac = crate::authz::RbacAuthorizer::from_objects(objects)
                .map_err(|e| RequestError::new(format!("authorizerObjects: {e}")))?;
            palisade_vap::evaluate_with_authorizer(&input, &|| Box::new(rbac.clone()))
        }
        Some(_) => {
            return Err(RequestError::new(
                "field `authorizerObjects` must be an array",
            ));
        }
    };
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::handle;

    /// A policy that requires the requesting user to be allowed to `approve` deployments,
    /// answered by RBAC objects given with the request.
    fn request(objects: serde_json::Value) -> serde_json::Value {
        json!({
            "op": "vap",
            "policies": [{"metadata": {"name": "p"}, "spec": {
                "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["deployments"]}]},
                "validations": [{"expression": "authorizer.group('apps').resource('deployments').namespace('prod').check('approve').allowed()",
                                 "message": "needs approve"}]}}],
            "bindings": [{"metadata": {"name": "b"}, "spec": {"policyName": "p", "validationActions": ["Deny"]}}],
            "namespaces": [{"metadata": {"name": "prod"}}],
            "authorizerObjects": objects,
            "request": {"operation": "CREATE",
                "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
                "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
                "namespace": "prod", "name": "web",
                "userInfo": {"username": "alice", "groups": ["system:authenticated"]},
                "object": {"metadata": {"name": "web"}}}
        })
    }

    #[test]
    fn authorizer_checks_are_answered_by_the_rbac_objects() {
        let grant = json!([
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
             "metadata": {"name": "approver", "namespace": "prod"},
             "rules": [{"verbs": ["approve"], "apiGroups": ["apps"], "resources": ["deployments"]}]},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
             "metadata": {"name": "alice-approves", "namespace": "prod"},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "approver"},
             "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"}]}
        ]);
        assert_eq!(handle(&request(grant))["allowed"], true);
        let denied = handle(&request(json!([])));
        assert_eq!(denied["allowed"], false);
        assert_eq!(
            denied["status"]["message"],
            "deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: needs approve"
        );
    }
}
