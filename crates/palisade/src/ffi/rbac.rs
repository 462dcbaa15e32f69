//! RBAC over a cluster dump loaded once: can-i, who-can, rules and risk findings.

use palisade_core::load::{Limits, parse_manifests};
use palisade_rbac::risk::{AnalyzeOptions, Finding, analyze, describe_chain};
use palisade_rbac::{Authorizer, Cluster, Grant};
use serde_json::{Value, json};

use super::Error;
use crate::protocol::RequestError;
use crate::protocol::rbac::{answer_one, attributes};

/// The RBAC objects of a cluster (Roles, ClusterRoles, their bindings, Lists of them; other
/// kinds are ignored), aggregated once, answering queries as the API server's authorizer.
///
/// ```
/// use palisade::ffi::RbacCluster;
/// use serde_json::json;
///
/// let cluster = RbacCluster::from_text(r#"
/// apiVersion: rbac.authorization.k8s.io/v1
/// kind: ClusterRoleBinding
/// metadata: {name: admins}
/// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
/// subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: sre}]
/// "#)?;
/// let who = cluster.who_can(&json!({"verb": "delete", "resource": "nodes"}))?;
/// assert_eq!(who["subjects"][0], json!({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "system:masters"}));
/// # Ok::<(), palisade::ffi::Error>(())
/// ```
#[derive(Debug)]
pub struct RbacCluster {
    authorizer: Authorizer,
}

impl RbacCluster {
    /// Loads an array of objects.
    pub fn from_objects(objects: &Value) -> Result<RbacCluster, Error> {
        let Value::Array(items) = objects else {
            return Err(Error::invalid("objects must be an array"));
        };
        let cluster = Cluster::from_values(items).map_err(|e| Error::invalid(e.to_string()))?;
        Ok(RbacCluster {
            authorizer: Authorizer::new(cluster),
        })
    }

    /// Loads YAML or JSON text (multi-document, `List`s flattened).
    pub fn from_text(text: &str) -> Result<RbacCluster, Error> {
        let manifests = parse_manifests(text.as_bytes(), None, &Limits::default())
            .map_err(|e| Error::load(&e))?;
        let cluster =
            Cluster::from_manifests(&manifests).map_err(|e| Error::invalid(e.to_string()))?;
        Ok(RbacCluster {
            authorizer: Authorizer::new(cluster),
        })
    }

    /// The authorizer's decision for a request (`user`, `groups`, `extra`, `verb`,
    /// `apiGroup`, `resource`, `subresource`, `namespace`, `name`, `path`,
    /// `resourceRequest`), as the `rbac` op answers it: `{allowed, decision, reason, rules}`.
    pub fn can_i(&self, request: &Value) -> Result<Value, Error> {
        answer_one(&self.authorizer, request, "request").map_err(Error::request)
    }

    /// Who may make a request (the user fields are ignored): `subjects` exactly as upstream's
    /// subject locator lists them, `granted` deduplicated with the binding → role → rule of
    /// each grant, and `evaluationError` for roles that do not resolve.
    pub fn who_can(&self, request: &Value) -> Result<Value, Error> {
        let attrs = attributes(request, "request").map_err(Error::request)?;
        let who = self.authorizer.who_can(&attrs, "");
        let granted: Vec<Value> = who
            .granted
            .iter()
            .map(|g| {
                let via = match &g.grant {
                    Grant::PrivilegedGroup => {
                        "the API server's privileged group (bypasses RBAC)".to_owned()
                    }
                    Grant::SuperUser => "super user".to_owned(),
                    Grant::Binding { binding, rule, .. } => {
                        describe_chain(&self.authorizer, *binding, Some(*rule))
                    }
                };
                json!({"subject": g.subject.to_json(), "grant": via})
            })
            .collect();
        Ok(json!({
            "subjects": who.subjects.iter().map(|s| s.to_json()).collect::<Vec<_>>(),
            "granted": granted,
            "evaluationError": who.error(),
        }))
    }

    /// The rules `{user, groups, namespace}` holds, cluster-wide and in the namespace, each
    /// with the binding that grants it: `{cluster: [{rule, source}], namespace: […],
    /// evaluationError}`.
    pub fn rules(&self, request: &Value) -> Result<Value, Error> {
        let mut with_verb = request.clone();
        if let Value::Object(map) = &mut with_verb {
            map.entry("verb").or_insert_with(|| "".into());
        }
        let attrs = attributes(&with_verb, "request").map_err(Error::request)?;
        let review = self.authorizer.rules_review(&attrs.user, &attrs.namespace);
        let held = |rules: &[palisade_rbac::query::HeldRule]| -> Vec<Value> {
            rules
                .iter()
                .map(|h| json!({"rule": h.rule.to_json(), "source": self.authorizer.describe(&h.source)}))
                .collect()
        };
        Ok(json!({
            "cluster": held(&review.cluster),
            "namespace": held(&review.namespace),
            "evaluationError": review.evaluation_error(),
        }))
    }

    /// Risky grants from the risk catalog, most severe first as the catalog orders them:
    /// `{findings: [{id, severity, title, subject, namespace, binding, message, explanation,
    /// remediation, reference}]}`. Options: `privilegedNamespaces` (default `["kube-system"]`)
    /// and `includeSystem` (default false).
    pub fn analyze(&self, options: &Value) -> Result<Value, Error> {
        let mut opts = AnalyzeOptions::default();
        match options {
            Value::Null => {}
            Value::Object(map) => {
                if let Some(list) = map.get("privilegedNamespaces") {
                    opts.privileged_namespaces = list
                        .as_array()
                        .and_then(|a| a.iter().map(|n| n.as_str().map(str::to_owned)).collect())
                        .ok_or_else(|| {
                            Error::request(RequestError::new(
                                "field `privilegedNamespaces` must be an array of strings",
                            ))
                        })?;
                }
                if let Some(flag) = map.get("includeSystem") {
                    opts.include_system = flag.as_bool().ok_or_else(|| {
                        Error::request(RequestError::new("field `includeSystem` must be a boolean"))
                    })?;
                }
            }
            _ => {
                return Err(Error::request(RequestError::new(
                    "options must be an object",
                )));
            }
        }
        let findings: Vec<Value> = analyze(&self.authorizer, &opts)
            .iter()
            .map(|f| self.finding(f))
            .collect();
        Ok(json!({ "findings": findings }))
    }

    fn finding(&self, f: &Finding) -> Value {
        let binding = self.authorizer.binding(f.binding).map(|b| b.display());
        json!({
            "id": f.rule.id,
            "severity": f.severity.as_str(),
            "title": f.rule.title,
            "subject": f.subject.to_json(),
            "namespace": f.namespace,
            "binding": binding,
            "message": f.message,
            "explanation": f.rule.explanation,
            "remediation": f.rule.remediation,
            "reference": f.rule.reference,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: exec, namespace: web}
rules:
- {apiGroups: [""], resources: [pods/exec], verbs: [create]}
- {apiGroups: [""], resources: [secrets], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-exec, namespace: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: exec}
subjects:
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: devs}
- {kind: ServiceAccount, name: ci, namespace: build}
"#;

    #[test]
    fn queries_over_one_load() {
        let c = RbacCluster::from_text(DUMP).unwrap();
        let d = c
            .can_i(&json!({"user": "bob", "groups": ["devs"], "verb": "create", "resource": "pods", "subresource": "exec", "namespace": "web"}))
            .unwrap();
        assert_eq!(d["allowed"], true);
        assert_eq!(
            d["reason"],
            "RBAC: allowed by RoleBinding \"devs-exec/web\" of Role \"exec\" to Group \"devs\""
        );
        let d = c
            .can_i(&json!({"user": "bob", "verb": "create", "resource": "pods", "subresource": "exec", "namespace": "web"}))
            .unwrap();
        assert_eq!(
            (d["allowed"].clone(), d["reason"].clone()),
            (json!(false), json!(""))
        );
        let who = c
            .who_can(&json!({"verb": "get", "resource": "secrets", "namespace": "web"}))
            .unwrap();
        let names: Vec<&str> = who["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["system:masters", "devs", "ci"]);
        let rules = c
            .rules(&json!({"user": "system:serviceaccount:build:ci", "namespace": "web"}))
            .unwrap();
        assert_eq!(rules["namespace"].as_array().unwrap().len(), 2);
        assert_eq!(rules["cluster"], json!([]));
        let findings = c.analyze(&Value::Null).unwrap();
        assert!(
            findings["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["subject"]["name"] == "devs"),
            "{findings}"
        );
        let e = c.can_i(&json!({"user": "x"})).unwrap_err().to_json();
        assert_eq!(e["path"], json!(["request", "verb"]));
        assert!(RbacCluster::from_text("a: [").is_err());
    }
}
