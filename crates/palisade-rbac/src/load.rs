//! Loading RBAC objects (and the ServiceAccounts, Secrets, Pods, Namespaces and Nodes the
//! analysis reads) from manifests: single objects, `List`s and whole cluster dumps.
//!
//! Objects of other kinds are skipped. An RBAC object whose fields have the wrong JSON type
//! is an error naming the object and the field path, as the API server would refuse to decode
//! it. Fields RBAC does not read are not checked.

use std::collections::BTreeMap;

use palisade_core::load::{Limits, Manifest, parse_manifests};
use serde_json::{Map, Value};

use crate::model::{
    Binding, Cluster, LabelSelector, LabelSelectorRequirement, Pod, PolicyRule, Role, RoleRef,
    ServiceAccount, Subject, TokenSecret,
};

/// Why an object does not load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The bytes are not YAML or JSON manifests.
    #[error("{0}")]
    Syntax(String),
    /// A field has the wrong type.
    #[error("{origin}: {kind} {name:?}: field {field}: expected {expected}")]
    Field {
        /// Where the object came from (`file#doc`, or `objects[i]`).
        origin: String,
        /// The object's kind.
        kind: String,
        /// The object's name.
        name: String,
        /// The field path, e.g. `rules[0].verbs[1]`.
        field: String,
        /// The JSON type expected there.
        expected: &'static str,
    },
}

impl Cluster {
    /// Loads every object in YAML or JSON bytes (multi-document, `List`s flattened).
    pub fn from_bytes(bytes: &[u8], source: Option<&str>) -> Result<Cluster, LoadError> {
        let manifests = parse_manifests(bytes, source, &Limits::default())
            .map_err(|e| LoadError::Syntax(e.to_string()))?;
        Cluster::from_manifests(&manifests)
    }

    /// Loads the objects of already parsed manifests.
    pub fn from_manifests(manifests: &[Manifest]) -> Result<Cluster, LoadError> {
        let mut cluster = Cluster::default();
        for m in manifests {
            cluster.add(&m.value, Some(&m.origin.to_string()))?;
        }
        Ok(cluster)
    }

    /// Loads JSON objects; a `kind: …List` with `items` is flattened. Origins are
    /// `objects[i]` (`objects[i].items[j]` inside a List).
    pub fn from_values(values: &[Value]) -> Result<Cluster, LoadError> {
        let mut cluster = Cluster::default();
        for (i, v) in values.iter().enumerate() {
            cluster.add(v, Some(&format!("objects[{i}]")))?;
        }
        Ok(cluster)
    }

    /// Adds one object (a `List` adds its items). Objects of kinds the analysis does not read
    /// are ignored.
    pub fn add(&mut self, value: &Value, origin: Option<&str>) -> Result<(), LoadError> {
        let Value::Object(object) = value else {
            return Ok(());
        };
        let kind = object.get("kind").and_then(Value::as_str).unwrap_or("");
        if kind.ends_with("List")
            && let Some(Value::Array(items)) = object.get("items")
        {
            for (j, item) in items.iter().enumerate() {
                let o = origin.map(|o| format!("{o}.items[{j}]"));
                self.add(item, o.as_deref())?;
            }
            return Ok(());
        }
        let api_version = object
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
        let d = Decoder {
            origin: origin.unwrap_or("<input>"),
            kind,
            name: object
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
                .unwrap_or(""),
        };
        let rbac = group == crate::model::RBAC_GROUP || api_version.is_empty();
        match kind {
            "Role" | "ClusterRole" if rbac => {
                let mut role = d.role(object)?;
                if kind == "ClusterRole" {
                    role.namespace.clear();
                    self.cluster_roles.push(role);
                } else {
                    role.aggregation = None;
                    self.roles.push(role);
                }
            }
            "RoleBinding" | "ClusterRoleBinding" if rbac => {
                let mut binding = d.binding(object)?;
                if kind == "ClusterRoleBinding" {
                    binding.namespace.clear();
                    self.cluster_role_bindings.push(binding);
                } else {
                    self.role_bindings.push(binding);
                }
            }
            "ServiceAccount" if group.is_empty() => {
                let (namespace, name) = d.meta(object)?;
                self.service_accounts
                    .push(ServiceAccount { namespace, name });
            }
            "Secret"
                if group.is_empty()
                    && object.get("type").and_then(Value::as_str)
                        == Some("kubernetes.io/service-account-token") =>
            {
                let (namespace, name) = d.meta(object)?;
                let sa = object
                    .get("metadata")
                    .and_then(|m| m.get("annotations"))
                    .and_then(|a| a.get("kubernetes.io/service-account.name"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                self.token_secrets.push(TokenSecret {
                    namespace,
                    name,
                    service_account: sa.into(),
                });
            }
            "Pod" if group.is_empty() => {
                let (namespace, name) = d.meta(object)?;
                let spec = object.get("spec");
                let field = |f: &str| {
                    spec.and_then(|s| s.get(f))
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned()
                };
                let mut service_account = field("serviceAccountName");
                if service_account.is_empty() {
                    service_account = field("serviceAccount");
                }
                if service_account.is_empty() {
                    service_account = "default".into();
                }
                self.pods.push(Pod {
                    namespace,
                    name,
                    service_account,
                    node_name: field("nodeName"),
                });
            }
            "Namespace" if group.is_empty() => {
                let (_, name) = d.meta(object)?;
                self.namespaces.push(name);
            }
            "Node" if group.is_empty() => {
                let (_, name) = d.meta(object)?;
                self.nodes.push(name);
            }
            _ => {}
        }
        Ok(())
    }
}

struct Decoder<'a> {
    origin: &'a str,
    kind: &'a str,
    name: &'a str,
}

impl Decoder<'_> {
    fn err(&self, field: String, expected: &'static str) -> LoadError {
        LoadError::Field {
            origin: self.origin.into(),
            kind: self.kind.into(),
            name: self.name.into(),
            field,
            expected,
        }
    }

    fn object<'v>(
        &self,
        v: Option<&'v Value>,
        field: &str,
    ) -> Result<Option<&'v Map<String, Value>>, LoadError> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(_) => Err(self.err(field.into(), "an object")),
        }
    }

    fn string(&self, v: Option<&Value>, field: &str) -> Result<String, LoadError> {
        match v {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.err(field.into(), "a string")),
        }
    }

    fn strings(&self, v: Option<&Value>, field: &str) -> Result<Vec<String>, LoadError> {
        match v {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::Null => Ok(String::new()),
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(self.err(format!("{field}[{i}]"), "a string")),
                })
                .collect(),
            Some(_) => Err(self.err(field.into(), "an array of strings")),
        }
    }

    fn array<'v>(&self, v: Option<&'v Value>, field: &str) -> Result<&'v [Value], LoadError> {
        match v {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(self.err(field.into(), "an array")),
        }
    }

    fn string_map(
        &self,
        v: Option<&Value>,
        field: &str,
    ) -> Result<BTreeMap<String, String>, LoadError> {
        let mut out = BTreeMap::new();
        if let Some(m) = self.object(v, field)? {
            for (k, v) in m {
                out.insert(k.clone(), self.string(Some(v), &format!("{field}.{k}"))?);
            }
        }
        Ok(out)
    }

    fn meta(&self, object: &Map<String, Value>) -> Result<(String, String), LoadError> {
        let meta = self.object(object.get("metadata"), "metadata")?;
        let namespace = self.string(meta.and_then(|m| m.get("namespace")), "metadata.namespace")?;
        let name = self.string(meta.and_then(|m| m.get("name")), "metadata.name")?;
        Ok((namespace, name))
    }

    fn rule(&self, v: &Value, field: &str) -> Result<PolicyRule, LoadError> {
        let Some(r) = self.object(Some(v), field)? else {
            return Ok(PolicyRule::default());
        };
        Ok(PolicyRule {
            verbs: self.strings(r.get("verbs"), &format!("{field}.verbs"))?,
            api_groups: self.strings(r.get("apiGroups"), &format!("{field}.apiGroups"))?,
            resources: self.strings(r.get("resources"), &format!("{field}.resources"))?,
            resource_names: self
                .strings(r.get("resourceNames"), &format!("{field}.resourceNames"))?,
            non_resource_urls: self.strings(
                r.get("nonResourceURLs"),
                &format!("{field}.nonResourceURLs"),
            )?,
        })
    }

    fn role(&self, object: &Map<String, Value>) -> Result<Role, LoadError> {
        let (namespace, name) = self.meta(object)?;
        let meta = self.object(object.get("metadata"), "metadata")?;
        let labels = self.string_map(meta.and_then(|m| m.get("labels")), "metadata.labels")?;
        let rules = self
            .array(object.get("rules"), "rules")?
            .iter()
            .enumerate()
            .map(|(i, r)| self.rule(r, &format!("rules[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let aggregation = match self.object(object.get("aggregationRule"), "aggregationRule")? {
            None => None,
            Some(a) => {
                let field = "aggregationRule.clusterRoleSelectors";
                let mut selectors = Vec::new();
                for (i, s) in self
                    .array(a.get("clusterRoleSelectors"), field)?
                    .iter()
                    .enumerate()
                {
                    selectors.push(self.selector(s, &format!("{field}[{i}]"))?);
                }
                Some(selectors)
            }
        };
        Ok(Role {
            name,
            namespace,
            labels,
            rules,
            aggregation,
            origin: Some(self.origin.into()),
        })
    }

    fn selector(&self, v: &Value, field: &str) -> Result<LabelSelector, LoadError> {
        let Some(s) = self.object(Some(v), field)? else {
            return Ok(LabelSelector::default());
        };
        let match_labels =
            self.string_map(s.get("matchLabels"), &format!("{field}.matchLabels"))?;
        let mut match_expressions = Vec::new();
        let ef = format!("{field}.matchExpressions");
        for (i, e) in self
            .array(s.get("matchExpressions"), &ef)?
            .iter()
            .enumerate()
        {
            let f = format!("{ef}[{i}]");
            let Some(e) = self.object(Some(e), &f)? else {
                continue;
            };
            match_expressions.push(LabelSelectorRequirement {
                key: self.string(e.get("key"), &format!("{f}.key"))?,
                operator: self.string(e.get("operator"), &format!("{f}.operator"))?,
                values: self.strings(e.get("values"), &format!("{f}.values"))?,
            });
        }
        Ok(LabelSelector {
            match_labels,
            match_expressions,
        })
    }

    fn binding(&self, object: &Map<String, Value>) -> Result<Binding, LoadError> {
        let (namespace, name) = self.meta(object)?;
        let role_ref = match self.object(object.get("roleRef"), "roleRef")? {
            None => RoleRef::default(),
            Some(r) => RoleRef {
                api_group: self.string(r.get("apiGroup"), "roleRef.apiGroup")?,
                kind: self.string(r.get("kind"), "roleRef.kind")?,
                name: self.string(r.get("name"), "roleRef.name")?,
            },
        };
        let mut subjects = Vec::new();
        for (i, s) in self
            .array(object.get("subjects"), "subjects")?
            .iter()
            .enumerate()
        {
            let f = format!("subjects[{i}]");
            let Some(s) = self.object(Some(s), &f)? else {
                subjects.push(Subject::default());
                continue;
            };
            subjects.push(Subject {
                kind: self.string(s.get("kind"), &format!("{f}.kind"))?,
                api_group: self.string(s.get("apiGroup"), &format!("{f}.apiGroup"))?,
                name: self.string(s.get("name"), &format!("{f}.name"))?,
                namespace: self.string(s.get("namespace"), &format!("{f}.namespace"))?,
            });
        }
        Ok(Binding {
            name,
            namespace,
            role_ref,
            subjects,
            origin: Some(self.origin.into()),
        })
    }
}

/// Reads a list of `PolicyRule`s from JSON (as in a Role's `rules`).
pub fn rules_from_value(value: &Value) -> Result<Vec<PolicyRule>, LoadError> {
    let d = Decoder {
        origin: "<input>",
        kind: "rules",
        name: "",
    };
    d.array(Some(value), "rules")?
        .iter()
        .enumerate()
        .map(|(i, r)| d.rule(r, &format!("rules[{i}]")))
        .collect()
}
