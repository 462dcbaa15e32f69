//! Lint: rules and bindings that can never work as written.
//!
//! | ID | finding |
//! |---|---|
//! | `RBAC-L001` | `resourceNames` with `list`, `watch`, `create` or `deletecollection`: those requests carry no object name, so the rule never allows them |
//! | `RBAC-L002` | a verb no API server handles on the rule's (known) resources |
//! | `RBAC-L003` | a binding to a role that does not exist |
//! | `RBAC-L004` | a RoleBinding to a Role that exists only in another namespace |
//! | `RBAC-L005` | a ServiceAccount subject that is not in the dump (checked when the dump holds ServiceAccounts of that namespace) |
//! | `RBAC-L006` | a ServiceAccount subject of a ClusterRoleBinding without a namespace: it never applies |
//! | `RBAC-L007` | a subject of an unknown kind: it never applies |

use crate::authorizer::{Authorizer, BindingId, RoleId};
use crate::model::subject_kind;

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintFinding {
    /// Stable ID (`RBAC-L001`…).
    pub id: &'static str,
    /// The object: `ClusterRole "x"`, `RoleBinding "rb/ns"`, ….
    pub object: String,
    /// Where the object was read from.
    pub origin: Option<String>,
    /// Field path in the object (`rules[2].verbs[1]`, `subjects[0]`).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

const STANDARD_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "*",
];

/// Resources with special verbs, and those verbs.
const SPECIAL_VERBS: &[(&str, &[&str])] = &[
    ("roles", &["bind", "escalate"]),
    ("clusterroles", &["bind", "escalate"]),
    ("users", &["impersonate"]),
    ("groups", &["impersonate"]),
    ("serviceaccounts", &["impersonate"]),
    ("uids", &["impersonate"]),
    ("userextras", &["impersonate"]),
    ("signers", &["approve", "sign", "attest"]),
    ("podsecuritypolicies", &["use"]),
    ("securitycontextconstraints", &["use"]),
    ("nodes/proxy", &["proxy"]),
    ("services/proxy", &["proxy"]),
    ("pods/proxy", &["proxy"]),
];

/// Resources whose verbs are known well enough to flag an unknown one.
const KNOWN_RESOURCES: &[&str] = &[
    "pods",
    "services",
    "secrets",
    "configmaps",
    "deployments",
    "daemonsets",
    "statefulsets",
    "replicasets",
    "jobs",
    "cronjobs",
    "namespaces",
    "nodes",
    "persistentvolumes",
    "persistentvolumeclaims",
    "serviceaccounts",
    "roles",
    "clusterroles",
    "rolebindings",
    "clusterrolebindings",
    "ingresses",
    "networkpolicies",
    "events",
    "endpoints",
    "users",
    "groups",
    "signers",
];

/// Lints the roles and bindings.
pub fn lint(authorizer: &Authorizer) -> Vec<LintFinding> {
    let c = authorizer.cluster();
    let mut out = Vec::new();
    let role_ids = (0..c.cluster_roles.len())
        .map(RoleId::Cluster)
        .chain((0..c.roles.len()).map(RoleId::Namespaced));
    for id in role_ids {
        let Some(role) = authorizer.role(id) else {
            continue;
        };
        if role.aggregation.is_some() {
            // Aggregated rules come from other roles, which are linted themselves.
            continue;
        }
        for (i, rule) in role.rules.iter().enumerate() {
            if !rule.resource_names.is_empty() {
                for (j, v) in rule.verbs.iter().enumerate() {
                    if ["list", "watch", "create", "deletecollection"].contains(&v.as_str()) {
                        out.push(LintFinding {
                            id: "RBAC-L001",
                            object: role.display(),
                            origin: role.origin.clone(),
                            field: format!("rules[{i}].verbs[{j}]"),
                            message: format!(
                                "verb {v:?} with resourceNames never matches: {v} requests carry no object name"
                            ),
                        });
                    }
                }
            }
            let known: Vec<&String> = rule
                .resources
                .iter()
                .filter(|r| KNOWN_RESOURCES.contains(&r.as_str()))
                .collect();
            if !known.is_empty() && known.len() == rule.resources.len() {
                for (j, v) in rule.verbs.iter().enumerate() {
                    let special = known.iter().any(|r| {
                        SPECIAL_VERBS
                            .iter()
                            .any(|(res, verbs)| res == r && verbs.contains(&v.as_str()))
                    });
                    if !STANDARD_VERBS.contains(&v.as_str()) && !special {
                        let names: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
                        out.push(LintFinding {
                            id: "RBAC-L002",
                            object: role.display(),
                            origin: role.origin.clone(),
                            field: format!("rules[{i}].verbs[{j}]"),
                            message: format!(
                                "verb {v:?} is not a verb of {}: no request will ever carry it",
                                names.join(", ")
                            ),
                        });
                    }
                }
            }
        }
    }
    let binding_ids = (0..c.cluster_role_bindings.len())
        .map(BindingId::Cluster)
        .chain((0..c.role_bindings.len()).map(BindingId::Namespaced));
    let has_sas = |ns: &str| c.service_accounts.iter().any(|s| s.namespace == ns);
    for id in binding_ids {
        let Some(b) = authorizer.binding(id) else {
            continue;
        };
        if let Err(e) = authorizer.binding_role(id) {
            let elsewhere: Vec<&str> = if b.role_ref.kind == "Role" {
                c.roles
                    .iter()
                    .filter(|r| r.name == b.role_ref.name && r.namespace != b.namespace)
                    .map(|r| r.namespace.as_str())
                    .collect()
            } else {
                Vec::new()
            };
            if !elsewhere.is_empty() && !b.namespace.is_empty() {
                out.push(LintFinding {
                    id: "RBAC-L004",
                    object: b.display(),
                    origin: b.origin.clone(),
                    field: "roleRef".into(),
                    message: format!(
                        "Role {:?} is not in namespace {} but in {}: a RoleBinding can only refer to a Role of its own namespace",
                        b.role_ref.name,
                        b.namespace,
                        elsewhere.join(", ")
                    ),
                });
            } else {
                out.push(LintFinding {
                    id: "RBAC-L003",
                    object: b.display(),
                    origin: b.origin.clone(),
                    field: "roleRef".into(),
                    message: format!("the binding grants nothing: {e}"),
                });
            }
        }
        for (i, s) in b.subjects.iter().enumerate() {
            let field = format!("subjects[{i}]");
            match s.kind.as_str() {
                subject_kind::SERVICE_ACCOUNT => {
                    let ns = if s.namespace.is_empty() {
                        b.namespace.as_str()
                    } else {
                        s.namespace.as_str()
                    };
                    if ns.is_empty() {
                        out.push(LintFinding {
                            id: "RBAC-L006",
                            object: b.display(),
                            origin: b.origin.clone(),
                            field,
                            message: format!(
                                "ServiceAccount {:?} has no namespace: in a ClusterRoleBinding it never applies",
                                s.name
                            ),
                        });
                    } else if has_sas(ns)
                        && !c
                            .service_accounts
                            .iter()
                            .any(|sa| sa.namespace == ns && sa.name == s.name)
                    {
                        out.push(LintFinding {
                            id: "RBAC-L005",
                            object: b.display(),
                            origin: b.origin.clone(),
                            field,
                            message: format!(
                                "ServiceAccount {ns}/{} does not exist in the dump (anyone who creates it later gets this role)",
                                s.name
                            ),
                        });
                    }
                }
                subject_kind::USER | subject_kind::GROUP => {}
                other => out.push(LintFinding {
                    id: "RBAC-L007",
                    object: b.display(),
                    origin: b.origin.clone(),
                    field,
                    message: format!(
                        "subject kind {other:?} is not User, Group or ServiceAccount: it never applies"
                    ),
                }),
            }
        }
    }
    out
}
