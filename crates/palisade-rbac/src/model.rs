//! The RBAC objects (`rbac.authorization.k8s.io/v1`) and the few other objects the analysis
//! reads, as plain owned data.

use std::collections::BTreeMap;

/// The RBAC API group.
pub const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// One `PolicyRule`. Missing lists are empty, as Go's nil slices behave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolicyRule {
    /// `verbs`.
    pub verbs: Vec<String>,
    /// `apiGroups`.
    pub api_groups: Vec<String>,
    /// `resources`.
    pub resources: Vec<String>,
    /// `resourceNames`.
    pub resource_names: Vec<String>,
    /// `nonResourceURLs`.
    pub non_resource_urls: Vec<String>,
}

impl PolicyRule {
    /// A resource rule.
    pub fn resource(verbs: &[&str], api_groups: &[&str], resources: &[&str]) -> Self {
        PolicyRule {
            verbs: strings(verbs),
            api_groups: strings(api_groups),
            resources: strings(resources),
            ..PolicyRule::default()
        }
    }

    /// A non-resource rule.
    pub fn non_resource(verbs: &[&str], urls: &[&str]) -> Self {
        PolicyRule {
            verbs: strings(verbs),
            non_resource_urls: strings(urls),
            ..PolicyRule::default()
        }
    }

    /// The same rule restricted to `names`.
    pub fn with_resource_names(mut self, names: &[&str]) -> Self {
        self.resource_names = strings(names);
        self
    }

    /// The rule as Kubernetes writes it (empty lists left out).
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: &[String]| {
            if !v.is_empty() {
                m.insert(k.into(), v.iter().map(|s| s.as_str()).collect());
            }
        };
        put("verbs", &self.verbs);
        put("apiGroups", &self.api_groups);
        put("resources", &self.resources);
        put("resourceNames", &self.resource_names);
        put("nonResourceURLs", &self.non_resource_urls);
        serde_json::Value::Object(m)
    }

    /// A compact one-line form: `verbs=[get list] apiGroups=[""] resources=[pods]`.
    pub fn compact(&self) -> String {
        let mut parts = Vec::new();
        let show = |v: &[String]| {
            let items: Vec<String> = v
                .iter()
                .map(|s| {
                    if s.is_empty() {
                        "\"\"".into()
                    } else {
                        s.clone()
                    }
                })
                .collect();
            format!("[{}]", items.join(" "))
        };
        parts.push(format!("verbs={}", show(&self.verbs)));
        if !self.api_groups.is_empty() {
            parts.push(format!("apiGroups={}", show(&self.api_groups)));
        }
        if !self.resources.is_empty() {
            parts.push(format!("resources={}", show(&self.resources)));
        }
        if !self.resource_names.is_empty() {
            parts.push(format!("resourceNames={}", show(&self.resource_names)));
        }
        if !self.non_resource_urls.is_empty() {
            parts.push(format!("nonResourceURLs={}", show(&self.non_resource_urls)));
        }
        parts.join(" ")
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The kind of a binding subject.
pub mod subject_kind {
    /// `User`.
    pub const USER: &str = "User";
    /// `Group`.
    pub const GROUP: &str = "Group";
    /// `ServiceAccount`.
    pub const SERVICE_ACCOUNT: &str = "ServiceAccount";
}

/// One subject of a binding. `kind` is kept as written: a subject of any other kind never
/// applies, as upstream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subject {
    /// `kind`: `User`, `Group`, `ServiceAccount` (or anything, which never matches).
    pub kind: String,
    /// `apiGroup` (not checked by RBAC).
    pub api_group: String,
    /// `name`.
    pub name: String,
    /// `namespace` (ServiceAccounts).
    pub namespace: String,
}

impl Subject {
    /// A `User` subject.
    pub fn user(name: &str) -> Self {
        Subject {
            kind: subject_kind::USER.into(),
            api_group: RBAC_GROUP.into(),
            name: name.into(),
            namespace: String::new(),
        }
    }

    /// A `Group` subject.
    pub fn group(name: &str) -> Self {
        Subject {
            kind: subject_kind::GROUP.into(),
            api_group: RBAC_GROUP.into(),
            name: name.into(),
            namespace: String::new(),
        }
    }

    /// A `ServiceAccount` subject.
    pub fn service_account(namespace: &str, name: &str) -> Self {
        Subject {
            kind: subject_kind::SERVICE_ACCOUNT.into(),
            api_group: String::new(),
            name: name.into(),
            namespace: namespace.into(),
        }
    }

    /// How upstream's authorizer names the subject in a reason, for a binding in
    /// `binding_namespace`: `User "alice"`, `ServiceAccount "name/namespace"`.
    pub fn describe(&self, binding_namespace: &str) -> String {
        if self.kind == subject_kind::SERVICE_ACCOUNT {
            let ns = if self.namespace.is_empty() {
                binding_namespace
            } else {
                &self.namespace
            };
            format!("{} {}", self.kind, go_quote(&format!("{}/{ns}", self.name)))
        } else {
            format!("{} {}", self.kind, go_quote(&self.name))
        }
    }

    /// A stable short key: `User:alice`, `Group:dev`, `ServiceAccount:ns/name`.
    pub fn key(&self) -> String {
        if self.kind == subject_kind::SERVICE_ACCOUNT {
            format!("{}:{}/{}", self.kind, self.namespace, self.name)
        } else {
            format!("{}:{}", self.kind, self.name)
        }
    }

    /// The subject as Kubernetes writes it.
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("kind".into(), self.kind.clone().into());
        if !self.api_group.is_empty() {
            m.insert("apiGroup".into(), self.api_group.clone().into());
        }
        m.insert("name".into(), self.name.clone().into());
        if !self.namespace.is_empty() {
            m.insert("namespace".into(), self.namespace.clone().into());
        }
        serde_json::Value::Object(m)
    }
}

/// Go's `%q` for the strings RBAC prints.
pub(crate) fn go_quote(s: &str) -> String {
    palisade_core::quote::GoQuoted(s).to_string()
}

/// `roleRef`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RoleRef {
    /// `apiGroup`.
    pub api_group: String,
    /// `kind`: `Role` or `ClusterRole` (anything else is an error at evaluation).
    pub kind: String,
    /// `name`.
    pub name: String,
}

/// A `matchExpressions` entry of a label selector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelectorRequirement {
    /// `key`.
    pub key: String,
    /// `operator`: `In`, `NotIn`, `Exists`, `DoesNotExist`.
    pub operator: String,
    /// `values`.
    pub values: Vec<String>,
}

/// A `metav1.LabelSelector` (as used in `aggregationRule.clusterRoleSelectors`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// `matchLabels`.
    pub match_labels: BTreeMap<String, String>,
    /// `matchExpressions`.
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

impl LabelSelector {
    /// Whether `labels` match. An empty selector matches everything; an invalid operator
    /// matches nothing (upstream refuses the selector).
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|e| {
                let value = labels.get(&e.key);
                match e.operator.as_str() {
                    "In" => value.is_some_and(|v| e.values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !e.values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    _ => false,
                }
            })
    }
}

/// A Role (namespaced) or ClusterRole (`namespace` empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Role {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`; empty for a ClusterRole.
    pub namespace: String,
    /// `metadata.labels`.
    pub labels: BTreeMap<String, String>,
    /// `rules`.
    pub rules: Vec<PolicyRule>,
    /// `aggregationRule.clusterRoleSelectors` (ClusterRoles only).
    pub aggregation: Option<Vec<LabelSelector>>,
    /// Where the object was read from, when known.
    pub origin: Option<String>,
}

impl Role {
    /// Whether this is a ClusterRole.
    pub fn is_cluster_role(&self) -> bool {
        self.namespace.is_empty()
    }

    /// `Role "ns/name"` or `ClusterRole "name"`.
    pub fn display(&self) -> String {
        if self.is_cluster_role() {
            format!("ClusterRole {}", go_quote(&self.name))
        } else {
            format!(
                "Role {}",
                go_quote(&format!("{}/{}", self.namespace, self.name))
            )
        }
    }
}

/// A RoleBinding or ClusterRoleBinding (`namespace` empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Binding {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`; empty for a ClusterRoleBinding.
    pub namespace: String,
    /// `roleRef`.
    pub role_ref: RoleRef,
    /// `subjects`.
    pub subjects: Vec<Subject>,
    /// Where the object was read from, when known.
    pub origin: Option<String>,
}

impl Binding {
    /// Whether this is a ClusterRoleBinding.
    pub fn is_cluster_binding(&self) -> bool {
        self.namespace.is_empty()
    }

    /// `RoleBinding "name/ns"` or `ClusterRoleBinding "name"`, as upstream's reasons print it.
    pub fn display(&self) -> String {
        if self.is_cluster_binding() {
            format!("ClusterRoleBinding {}", go_quote(&self.name))
        } else {
            format!(
                "RoleBinding {}",
                go_quote(&format!("{}/{}", self.name, self.namespace))
            )
        }
    }

    /// The role this binding grants, as `Role "ns/name"` / `ClusterRole "name"`.
    pub fn role_display(&self) -> String {
        if self.role_ref.kind == "Role" {
            format!(
                "Role {}",
                go_quote(&format!("{}/{}", self.namespace, self.role_ref.name))
            )
        } else {
            format!("{} {}", self.role_ref.kind, go_quote(&self.role_ref.name))
        }
    }
}

/// A ServiceAccount.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceAccount {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
}

/// A Secret holding a ServiceAccount token (`type: kubernetes.io/service-account-token`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenSecret {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// The ServiceAccount named by `kubernetes.io/service-account.name`.
    pub service_account: String,
}

/// A Pod (or a workload's pod template) as the analysis needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pod {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// `spec.serviceAccountName` (default `default`).
    pub service_account: String,
    /// `spec.nodeName`.
    pub node_name: String,
}

/// Everything loaded from manifests or a cluster dump.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cluster {
    /// Roles, in input order.
    pub roles: Vec<Role>,
    /// ClusterRoles, in input order.
    pub cluster_roles: Vec<Role>,
    /// RoleBindings, in input order.
    pub role_bindings: Vec<Binding>,
    /// ClusterRoleBindings, in input order.
    pub cluster_role_bindings: Vec<Binding>,
    /// ServiceAccounts.
    pub service_accounts: Vec<ServiceAccount>,
    /// Secrets of type `kubernetes.io/service-account-token`.
    pub token_secrets: Vec<TokenSecret>,
    /// Pods.
    pub pods: Vec<Pod>,
    /// Names of the Namespaces.
    pub namespaces: Vec<String>,
    /// Names of the Nodes.
    pub nodes: Vec<String>,
}

impl Cluster {
    /// Whether the dump holds any RBAC object.
    pub fn has_rbac(&self) -> bool {
        !(self.roles.is_empty()
            && self.cluster_roles.is_empty()
            && self.role_bindings.is_empty()
            && self.cluster_role_bindings.is_empty())
    }

    /// Every namespace the dump mentions (Namespaces, and the namespaces of namespaced objects),
    /// sorted.
    pub fn all_namespaces(&self) -> Vec<String> {
        let mut set: std::collections::BTreeSet<String> = self.namespaces.iter().cloned().collect();
        set.extend(self.roles.iter().map(|r| r.namespace.clone()));
        set.extend(self.role_bindings.iter().map(|b| b.namespace.clone()));
        set.extend(self.service_accounts.iter().map(|s| s.namespace.clone()));
        set.extend(self.pods.iter().map(|p| p.namespace.clone()));
        set.remove("");
        set.into_iter().collect()
    }
}
