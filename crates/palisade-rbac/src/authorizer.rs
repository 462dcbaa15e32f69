//! The RBAC authorizer with upstream's semantics (`plugin/pkg/auth/authorizer/rbac` and
//! `pkg/registry/rbac/validation`'s `DefaultRuleResolver`), indexed.
//!
//! Upstream visits every ClusterRoleBinding, then every RoleBinding of the request namespace,
//! checks whether the binding applies to the user (first matching subject), resolves its role
//! and visits the role's rules; the first rule that allows the request decides, and the reason
//! names that binding, role and subject. [`Authorizer`] gives the same answers, reasons and
//! errors, but looks up the bindings that can apply to a user through an index by user name
//! (ServiceAccount subjects under the ServiceAccount's username) and group, and visits only
//! those, in the same order.

use std::collections::HashMap;
use std::fmt;

use crate::aggregate::aggregate;
use crate::attributes::{Attributes, UserInfo, service_account_username};
use crate::matching::rule_allows;
use crate::model::{Binding, Cluster, PolicyRule, Role, Subject, go_quote, subject_kind};

/// A binding of the authorizer's cluster: a ClusterRoleBinding or a RoleBinding, by index in
/// [`Cluster::cluster_role_bindings`] / [`Cluster::role_bindings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BindingId {
    /// `cluster_role_bindings[i]`.
    Cluster(usize),
    /// `role_bindings[i]`.
    Namespaced(usize),
}

/// A role of the authorizer's cluster, by index in [`Cluster::cluster_roles`] / [`Cluster::roles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoleId {
    /// `cluster_roles[i]`.
    Cluster(usize),
    /// `roles[i]`.
    Namespaced(usize),
}

/// Where a visited rule comes from: the binding, the subject that made it apply, the role and
/// the rule's index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Source {
    /// The binding.
    pub binding: BindingId,
    /// Index of the first subject of the binding that applies to the user.
    pub subject: usize,
    /// The role the binding refers to.
    pub role: RoleId,
    /// Index of the rule in the role.
    pub rule: usize,
}

/// The authorizer's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// Allowed; otherwise RBAC has no opinion (it never denies).
    pub allowed: bool,
    /// The reason exactly as upstream words it: `RBAC: allowed by …` when allowed; `""` for a
    /// plain no-opinion; `RBAC: <error>` / `RBAC: [<e1>, <e2>]` when roles of applying bindings
    /// could not be resolved.
    pub reason: String,
    /// The role resolution errors met while evaluating (in visiting order).
    pub errors: Vec<String>,
    /// The rule that allowed the request.
    pub source: Option<Source>,
}

impl Decision {
    /// `Allow` or `NoOpinion`.
    pub fn decision(&self) -> &'static str {
        if self.allowed { "Allow" } else { "NoOpinion" }
    }
}

/// What a visit step sees: a rule with its source, or an error resolving a binding's role.
#[derive(Debug, Clone, Copy)]
pub enum Visit<'a> {
    /// A rule of a binding that applies.
    Rule(Source, &'a PolicyRule),
    /// A binding applies but its role cannot be resolved.
    Error(&'a str),
}

/// Per namespace (or cluster-wide) index of bindings by the usernames and groups their
/// subjects match.
#[derive(Debug, Default, Clone)]
struct SubjectIndex {
    by_user: HashMap<String, Vec<usize>>,
    by_group: HashMap<String, Vec<usize>>,
}

impl SubjectIndex {
    fn add(&mut self, key_user: Option<String>, key_group: Option<&str>, binding: usize) {
        let push = |list: &mut Vec<usize>| {
            if list.last() != Some(&binding) {
                list.push(binding);
            }
        };
        if let Some(u) = key_user {
            push(self.by_user.entry(u).or_default());
        }
        if let Some(g) = key_group {
            push(self.by_group.entry(g.to_owned()).or_default());
        }
    }

    /// The bindings (indices, ascending) that may apply to `user`.
    fn candidates(&self, user: &UserInfo) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let mut lists = 0;
        if let Some(list) = self.by_user.get(&user.name) {
            out.extend_from_slice(list);
            lists += 1;
        }
        for g in &user.groups {
            if let Some(list) = self.by_group.get(g) {
                out.extend_from_slice(list);
                lists += 1;
            }
        }
        // One list is already ascending and deduplicated.
        if lists > 1 {
            out.sort_unstable();
            out.dedup();
        }
        out
    }
}

/// The index of roles by the (verb, API group, resource) triples of their rules, for who-can:
/// a request looks up the triples that could match it (`*` or exact in each position, and
/// `*/<subresource>`), so only roles with a rule naming it are checked.
#[derive(Debug, Default, Clone)]
struct RuleIndex {
    by_triple: HashMap<String, Vec<usize>>,
    non_resource_by_verb: HashMap<String, Vec<usize>>,
}

fn triple_key(verb: &str, group: &str, resource: &str) -> String {
    let mut k = String::with_capacity(verb.len() + group.len() + resource.len() + 2);
    k.push_str(verb);
    k.push('\0');
    k.push_str(group);
    k.push('\0');
    k.push_str(resource);
    k
}

impl RuleIndex {
    fn add(&mut self, role: usize, rules: &[PolicyRule]) {
        let push = |map: &mut HashMap<String, Vec<usize>>, key: String| {
            let list = map.entry(key).or_default();
            if list.last() != Some(&role) {
                list.push(role);
            }
        };
        for rule in rules {
            for v in &rule.verbs {
                if !rule.non_resource_urls.is_empty() {
                    push(&mut self.non_resource_by_verb, v.clone());
                }
                for g in &rule.api_groups {
                    for r in &rule.resources {
                        push(&mut self.by_triple, triple_key(v, g, r));
                    }
                }
            }
        }
    }

    /// Roles (unified ids) that may allow the request, ascending and deduped.
    fn candidates(&self, attrs: &Attributes) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        if !attrs.resource_request {
            for k in [attrs.verb.as_str(), "*"] {
                if let Some(list) = self.non_resource_by_verb.get(k) {
                    out.extend_from_slice(list);
                }
            }
        } else {
            let combined = crate::matching::combined_resource(&attrs.resource, &attrs.subresource);
            let star_sub = format!("*/{}", attrs.subresource);
            let mut resources = vec!["*", combined.as_str()];
            if !attrs.subresource.is_empty() {
                resources.push(star_sub.as_str());
            }
            for v in [attrs.verb.as_str(), "*"] {
                for g in [attrs.api_group.as_str(), "*"] {
                    for r in &resources {
                        if let Some(list) = self.by_triple.get(&triple_key(v, g, r)) {
                            out.extend_from_slice(list);
                        }
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The RBAC authorizer over one cluster's objects: ClusterRoles aggregated, bindings resolved
/// and indexed once; every query is then answered without scanning every binding.
#[derive(Debug, Clone)]
pub struct Authorizer {
    cluster: Cluster,
    cluster_role_by_name: HashMap<String, usize>,
    role_by_key: HashMap<(String, String), usize>,
    /// Resolution of each binding's role, unified binding index.
    resolved: Vec<Result<RoleId, String>>,
    cluster_index: SubjectIndex,
    namespace_index: HashMap<String, SubjectIndex>,
    /// RoleBindings per namespace (unified indices, ascending).
    namespace_bindings: HashMap<String, Vec<usize>>,
    rule_index: RuleIndex,
    /// ClusterRoleBindings by role (unified role id → unified binding indices, ascending).
    cluster_bindings_by_role: HashMap<usize, Vec<usize>>,
    /// RoleBindings by namespace and role.
    namespace_bindings_by_role: HashMap<String, HashMap<usize, Vec<usize>>>,
}

impl Authorizer {
    /// Builds the authorizer: aggregates ClusterRoles (as the controller does) and indexes.
    pub fn new(mut cluster: Cluster) -> Self {
        aggregate(&mut cluster.cluster_roles);
        Self::new_aggregated(cluster)
    }

    /// Builds the authorizer over a cluster whose ClusterRoles are taken as they are (already
    /// aggregated, as in a live cluster's dump).
    pub fn new_aggregated(cluster: Cluster) -> Self {
        let mut cluster_role_by_name = HashMap::new();
        for (i, r) in cluster.cluster_roles.iter().enumerate() {
            cluster_role_by_name.insert(r.name.clone(), i);
        }
        let mut role_by_key = HashMap::new();
        for (i, r) in cluster.roles.iter().enumerate() {
            role_by_key.insert((r.namespace.clone(), r.name.clone()), i);
        }
        let mut a = Authorizer {
            cluster,
            cluster_role_by_name,
            role_by_key,
            resolved: Vec::new(),
            cluster_index: SubjectIndex::default(),
            namespace_index: HashMap::new(),
            namespace_bindings: HashMap::new(),
            rule_index: RuleIndex::default(),
            cluster_bindings_by_role: HashMap::new(),
            namespace_bindings_by_role: HashMap::new(),
        };
        let ncrb = a.cluster.cluster_role_bindings.len();
        let mut resolved = Vec::with_capacity(ncrb + a.cluster.role_bindings.len());
        for b in &a.cluster.cluster_role_bindings {
            resolved.push(a.resolve(b));
        }
        for b in &a.cluster.role_bindings {
            resolved.push(a.resolve(b));
        }
        for (i, b) in a.cluster.cluster_role_bindings.iter().enumerate() {
            for s in &b.subjects {
                let (u, g) = index_keys(s, "");
                a.cluster_index.add(u, g, i);
            }
            if let Some(Ok(role)) = resolved.get(i) {
                a.cluster_bindings_by_role
                    .entry(a.role_uid(*role))
                    .or_default()
                    .push(i);
            }
        }
        for (j, b) in a.cluster.role_bindings.iter().enumerate() {
            let i = ncrb + j;
            let index = a.namespace_index.entry(b.namespace.clone()).or_default();
            for s in &b.subjects {
                let (u, g) = index_keys(s, &b.namespace);
                index.add(u, g, i);
            }
            a.namespace_bindings
                .entry(b.namespace.clone())
                .or_default()
                .push(i);
            if let Some(Ok(role)) = resolved.get(i) {
                let uid = match role {
                    RoleId::Cluster(k) => *k,
                    RoleId::Namespaced(k) => a.cluster.cluster_roles.len() + k,
                };
                a.namespace_bindings_by_role
                    .entry(b.namespace.clone())
                    .or_default()
                    .entry(uid)
                    .or_default()
                    .push(i);
            }
        }
        a.resolved = resolved;
        let ncr = a.cluster.cluster_roles.len();
        for (i, r) in a.cluster.cluster_roles.iter().enumerate() {
            a.rule_index.add(i, &r.rules);
        }
        for (i, r) in a.cluster.roles.iter().enumerate() {
            a.rule_index.add(ncr + i, &r.rules);
        }
        a
    }

    /// The cluster (ClusterRoles aggregated).
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Gives the cluster back.
    pub fn into_cluster(self) -> Cluster {
        self.cluster
    }

    fn role_uid(&self, id: RoleId) -> usize {
        match id {
            RoleId::Cluster(k) => k,
            RoleId::Namespaced(k) => self.cluster.cluster_roles.len() + k,
        }
    }

    fn role_from_uid(&self, uid: usize) -> RoleId {
        let ncr = self.cluster.cluster_roles.len();
        if uid < ncr {
            RoleId::Cluster(uid)
        } else {
            RoleId::Namespaced(uid - ncr)
        }
    }

    fn binding_from_uid(&self, uid: usize) -> BindingId {
        let n = self.cluster.cluster_role_bindings.len();
        if uid < n {
            BindingId::Cluster(uid)
        } else {
            BindingId::Namespaced(uid - n)
        }
    }

    fn binding_uid(&self, id: BindingId) -> usize {
        match id {
            BindingId::Cluster(i) => i,
            BindingId::Namespaced(i) => self.cluster.cluster_role_bindings.len() + i,
        }
    }

    /// Resolves a binding's role as upstream's `GetRoleReferenceRules` does, with its error
    /// texts.
    fn resolve(&self, b: &Binding) -> Result<RoleId, String> {
        match b.role_ref.kind.as_str() {
            "Role" => self
                .role_by_key
                .get(&(b.namespace.clone(), b.role_ref.name.clone()))
                .map(|&i| RoleId::Namespaced(i))
                .ok_or_else(|| {
                    format!(
                        "role.rbac.authorization.k8s.io {} not found",
                        go_quote(&b.role_ref.name)
                    )
                }),
            "ClusterRole" => self
                .cluster_role_by_name
                .get(&b.role_ref.name)
                .map(|&i| RoleId::Cluster(i))
                .ok_or_else(|| {
                    format!(
                        "clusterrole.rbac.authorization.k8s.io {} not found",
                        go_quote(&b.role_ref.name)
                    )
                }),
            other => Err(format!(
                "unsupported role reference kind: {}",
                go_quote(other)
            )),
        }
    }

    /// The binding with this id.
    pub fn binding(&self, id: BindingId) -> Option<&Binding> {
        match id {
            BindingId::Cluster(i) => self.cluster.cluster_role_bindings.get(i),
            BindingId::Namespaced(i) => self.cluster.role_bindings.get(i),
        }
    }

    /// The role with this id.
    pub fn role(&self, id: RoleId) -> Option<&Role> {
        match id {
            RoleId::Cluster(i) => self.cluster.cluster_roles.get(i),
            RoleId::Namespaced(i) => self.cluster.roles.get(i),
        }
    }

    /// The role a binding refers to, or the error upstream reports for it.
    pub fn binding_role(&self, id: BindingId) -> Result<RoleId, String> {
        self.resolved
            .get(self.binding_uid(id))
            .cloned()
            .unwrap_or_else(|| Err("no such binding".into()))
    }

    /// The ClusterRole named `name`.
    pub fn cluster_role(&self, name: &str) -> Option<RoleId> {
        self.cluster_role_by_name
            .get(name)
            .map(|&i| RoleId::Cluster(i))
    }

    /// The Role `namespace/name`.
    pub fn namespaced_role(&self, namespace: &str, name: &str) -> Option<RoleId> {
        self.role_by_key
            .get(&(namespace.to_owned(), name.to_owned()))
            .map(|&i| RoleId::Namespaced(i))
    }

    /// The rules of a role.
    pub fn role_rules(&self, id: RoleId) -> &[PolicyRule] {
        self.role(id).map(|r| r.rules.as_slice()).unwrap_or(&[])
    }

    /// Describes a source as upstream's reasons do: `RoleBinding "rb/ns" of ClusterRole "r" to
    /// User "u"`.
    pub fn describe(&self, source: &Source) -> String {
        let Some(b) = self.binding(source.binding) else {
            return String::new();
        };
        let subject = b
            .subjects
            .get(source.subject)
            .map(|s| s.describe(&b.namespace))
            .unwrap_or_default();
        format!(
            "{} of {} {} to {subject}",
            b.display(),
            b.role_ref.kind,
            go_quote(&b.role_ref.name)
        )
    }

    /// Visits the rules that apply to `user` in `namespace`, in upstream's order
    /// (ClusterRoleBindings, then the namespace's RoleBindings when `namespace` is not empty),
    /// until `visit` returns false.
    pub fn visit_rules_for<'s>(
        &'s self,
        user: &UserInfo,
        namespace: &str,
        mut visit: impl FnMut(Visit<'s>) -> bool,
    ) {
        let mut scopes: Vec<(&str, &SubjectIndex)> = vec![("", &self.cluster_index)];
        if !namespace.is_empty()
            && let Some(index) = self.namespace_index.get(namespace)
        {
            scopes.push((namespace, index));
        }
        for (ns, index) in scopes {
            for uid in index.candidates(user) {
                let id = self.binding_from_uid(uid);
                let Some(b) = self.binding(id) else { continue };
                let Some(subject) = applies_to(user, &b.subjects, ns) else {
                    continue;
                };
                match self.resolved.get(uid) {
                    Some(Ok(role)) => {
                        for (k, rule) in self.role_rules(*role).iter().enumerate() {
                            let source = Source {
                                binding: id,
                                subject,
                                role: *role,
                                rule: k,
                            };
                            if !visit(Visit::Rule(source, rule)) {
                                return;
                            }
                        }
                    }
                    Some(Err(e)) if !visit(Visit::Error(e)) => return,
                    _ => {}
                }
            }
        }
    }

    /// The namespaces (sorted) with a RoleBinding that may apply to `user`.
    pub fn namespaces_binding(&self, user: &UserInfo) -> Vec<String> {
        let mut out: Vec<String> = self
            .namespace_index
            .iter()
            .filter(|(ns, index)| {
                index
                    .candidates(user)
                    .into_iter()
                    .filter_map(|uid| self.binding(self.binding_from_uid(uid)))
                    .any(|b| applies_to(user, &b.subjects, ns).is_some())
            })
            .map(|(ns, _)| ns.clone())
            .collect();
        out.sort();
        out
    }

    /// Authorizes one request, as upstream's `RBACAuthorizer.Authorize`.
    pub fn authorize(&self, attrs: &Attributes) -> Decision {
        let mut errors: Vec<String> = Vec::new();
        let mut found: Option<Source> = None;
        self.visit_rules_for(&attrs.user, &attrs.namespace, |v| match v {
            Visit::Rule(source, rule) => {
                if rule_allows(attrs, rule) {
                    found = Some(source);
                    false
                } else {
                    true
                }
            }
            Visit::Error(e) => {
                errors.push(e.to_owned());
                true
            }
        });
        match found {
            Some(source) => Decision {
                allowed: true,
                reason: format!("RBAC: allowed by {}", self.describe(&source)),
                errors,
                source: Some(source),
            },
            None => Decision {
                allowed: false,
                reason: if errors.is_empty() {
                    String::new()
                } else {
                    format!("RBAC: {}", aggregate_errors(&errors))
                },
                errors,
                source: None,
            },
        }
    }

    /// The rules that apply to `user` in `namespace` with their sources, and the errors met, as
    /// upstream's `RulesFor`.
    pub fn rules_for(
        &self,
        user: &UserInfo,
        namespace: &str,
    ) -> (Vec<(Source, &PolicyRule)>, Vec<String>) {
        let mut rules = Vec::new();
        let mut errors = Vec::new();
        self.visit_rules_for(user, namespace, |v| {
            match v {
                Visit::Rule(s, r) => rules.push((s, r)),
                Visit::Error(e) => errors.push(e.to_owned()),
            }
            true
        });
        (rules, errors)
    }

    /// The bindings (ascending) whose role allows the request, in upstream's who-can order:
    /// ClusterRoleBindings, then RoleBindings of the request's namespace. Also returns the role
    /// resolution errors upstream collects on the way (every unresolvable ClusterRoleBinding,
    /// and every unresolvable RoleBinding of the namespace).
    pub fn bindings_allowing(&self, attrs: &Attributes) -> (Vec<BindingId>, Vec<String>) {
        let mut allowed_roles: Vec<usize> = self
            .rule_index
            .candidates(attrs)
            .into_iter()
            .filter(|&uid| {
                crate::matching::rules_allow(attrs, self.role_rules(self.role_from_uid(uid)))
            })
            .collect();
        allowed_roles.sort_unstable();
        let mut cluster: Vec<usize> = Vec::new();
        for uid in &allowed_roles {
            if let Some(list) = self.cluster_bindings_by_role.get(uid) {
                cluster.extend_from_slice(list);
            }
        }
        cluster.sort_unstable();
        let mut namespaced: Vec<usize> = Vec::new();
        if !attrs.namespace.is_empty()
            && let Some(by_role) = self.namespace_bindings_by_role.get(&attrs.namespace)
        {
            if by_role.len() < allowed_roles.len() {
                for (uid, list) in by_role {
                    if allowed_roles.binary_search(uid).is_ok() {
                        namespaced.extend_from_slice(list);
                    }
                }
            } else {
                for uid in &allowed_roles {
                    if let Some(list) = by_role.get(uid) {
                        namespaced.extend_from_slice(list);
                    }
                }
            }
            namespaced.sort_unstable();
        }
        let mut errors = Vec::new();
        let ncrb = self.cluster.cluster_role_bindings.len();
        for r in self.resolved.iter().take(ncrb) {
            if let Err(e) = r {
                errors.push(e.clone());
            }
        }
        if !attrs.namespace.is_empty()
            && let Some(list) = self.namespace_bindings.get(&attrs.namespace)
        {
            for uid in list {
                if let Some(Err(e)) = self.resolved.get(*uid) {
                    errors.push(e.clone());
                }
            }
        }
        let ids = cluster
            .into_iter()
            .chain(namespaced)
            .map(|uid| self.binding_from_uid(uid))
            .collect();
        (ids, errors)
    }
}

impl Authorizer {
    /// Upstream's who-can subject list without copying: `system:masters` and the super user
    /// are left to the caller; the subjects of every allowing binding, in order, by reference;
    /// and the errors. [`Authorizer::who_can`] builds the owned answer from this.
    pub fn allowed_subjects(&self, attrs: &Attributes) -> (Vec<&Subject>, Vec<String>) {
        let (bindings, errors) = self.bindings_allowing(attrs);
        let subjects = bindings
            .into_iter()
            .filter_map(|id| self.binding(id))
            .flat_map(|b| b.subjects.iter())
            .collect();
        (subjects, errors)
    }
}

/// The index keys of a subject: the username it matches (Users; ServiceAccounts by their
/// username, with the namespace defaulted to the binding's) and the group it matches.
fn index_keys<'s>(s: &'s Subject, binding_namespace: &str) -> (Option<String>, Option<&'s str>) {
    match s.kind.as_str() {
        subject_kind::USER => (Some(s.name.clone()), None),
        subject_kind::GROUP => (None, Some(&s.name)),
        subject_kind::SERVICE_ACCOUNT => {
            let ns = if s.namespace.is_empty() {
                binding_namespace
            } else {
                &s.namespace
            };
            if ns.is_empty() {
                (None, None)
            } else {
                (Some(service_account_username(ns, &s.name)), None)
            }
        }
        _ => (None, None),
    }
}

/// Upstream's `appliesToUser`: whether `subject` (of a binding evaluated for `namespace`, `""`
/// for ClusterRoleBindings) applies to `user`.
pub fn applies_to_user(user: &UserInfo, subject: &Subject, namespace: &str) -> bool {
    match subject.kind.as_str() {
        subject_kind::USER => user.name == subject.name,
        subject_kind::GROUP => user.groups.contains(&subject.name),
        subject_kind::SERVICE_ACCOUNT => {
            let ns = if subject.namespace.is_empty() {
                namespace
            } else {
                &subject.namespace
            };
            !ns.is_empty() && matches_service_account(&user.name, ns, &subject.name)
        }
        _ => false,
    }
}

fn matches_service_account(username: &str, namespace: &str, name: &str) -> bool {
    username
        .strip_prefix(crate::attributes::SERVICE_ACCOUNT_PREFIX)
        .and_then(|rest| rest.strip_prefix(namespace))
        .and_then(|rest| rest.strip_prefix(':'))
        == Some(name)
}

/// Upstream's `appliesTo`: the index of the first subject that applies.
pub fn applies_to(user: &UserInfo, subjects: &[Subject], namespace: &str) -> Option<usize> {
    subjects
        .iter()
        .position(|s| applies_to_user(user, s, namespace))
}

/// `utilerrors.NewAggregate(errs).Error()`: one message as is, several (deduplicated) as
/// `[a, b]`.
pub fn aggregate_errors(errors: &[String]) -> String {
    if let [one] = errors {
        return one.clone();
    }
    let mut seen: Vec<&str> = Vec::new();
    for e in errors {
        if !seen.contains(&e.as_str()) {
            seen.push(e);
        }
    }
    if seen.len() == 1 {
        seen.concat()
    } else {
        format!("[{}]", seen.join(", "))
    }
}

impl fmt::Display for BindingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BindingId::Cluster(i) => write!(f, "clusterrolebinding#{i}"),
            BindingId::Namespaced(i) => write!(f, "rolebinding#{i}"),
        }
    }
}
