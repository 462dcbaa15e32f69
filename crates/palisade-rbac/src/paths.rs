//! Escalation paths: a graph from subjects to the identities they can act as, and the shortest
//! path from any subject to cluster-admin-equivalent power, explained step by step.
//!
//! Edges (each checked with the authorizer's exact rule matching, names included):
//! - **create workloads** in namespace X (pods, or any controller that creates pods) → every
//!   ServiceAccount of X (a pod can run as any of them);
//! - **read Secrets** in X → the ServiceAccounts whose token Secrets the dump holds there;
//! - **create serviceaccounts/token** in X → that ServiceAccount;
//! - **exec into pods** in X → the ServiceAccounts of the dump's pods in X;
//! - **nodes/proxy** → the ServiceAccounts of every pod in the dump (the kubelet API runs
//!   commands in them);
//! - **impersonate** → the users, groups and ServiceAccounts it may impersonate; impersonating
//!   `system:masters` reaches cluster-admin;
//! - **bind** `cluster-admin` with create on clusterrolebindings, or **escalate** with write on
//!   clusterroles → cluster-admin;
//! - a subject allowed `*` on `*.*` cluster-wide (or the group `system:masters`) **is**
//!   cluster-admin-equivalent.

use std::collections::{HashMap, VecDeque};

use crate::attributes::{Attributes, UserInfo};
use crate::authorizer::Authorizer;
use crate::matching::rule_allows;
use crate::model::{PolicyRule, Subject, subject_kind};
use crate::query::{subjects, user_for_subject};
use crate::whocan::SYSTEM_MASTERS;

/// A node: a subject, or cluster-admin-equivalent power.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A user, group or ServiceAccount.
    Subject(Subject),
    /// Cluster-admin-equivalent power.
    ClusterAdmin,
}

impl Node {
    /// A label: `User "alice"`, `ServiceAccount "ns/name"`, `cluster-admin`.
    pub fn label(&self) -> String {
        match self {
            Node::Subject(s) if s.kind == subject_kind::SERVICE_ACCOUNT => {
                format!("ServiceAccount {}/{}", s.namespace, s.name)
            }
            Node::Subject(s) => format!("{} {}", s.kind, s.name),
            Node::ClusterAdmin => "cluster-admin".into(),
        }
    }
}

/// The kind of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// Creates pods (or workloads) running as the target ServiceAccount.
    CreateWorkload,
    /// Reads the target's token Secret.
    ReadTokenSecret,
    /// Requests a token for the target.
    RequestToken,
    /// Execs into a pod running as the target.
    ExecIntoPod,
    /// Runs commands through the kubelet API in a pod running as the target.
    NodeProxy,
    /// Impersonates the target.
    Impersonate,
    /// Binds cluster-admin to itself.
    Bind,
    /// Writes a ClusterRole with any permission.
    Escalate,
    /// Already holds every permission.
    Holds,
}

impl EdgeKind {
    /// A stable name: `create-workload`, `read-token-secret`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::CreateWorkload => "create-workload",
            EdgeKind::ReadTokenSecret => "read-token-secret",
            EdgeKind::RequestToken => "request-token",
            EdgeKind::ExecIntoPod => "exec-into-pod",
            EdgeKind::NodeProxy => "node-proxy",
            EdgeKind::Impersonate => "impersonate",
            EdgeKind::Bind => "bind",
            EdgeKind::Escalate => "escalate",
            EdgeKind::Holds => "holds",
        }
    }
}

/// One step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Source node index.
    pub from: usize,
    /// Target node index.
    pub to: usize,
    /// What the step is.
    pub kind: EdgeKind,
    /// The step in words.
    pub explanation: String,
}

/// The escalation graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// Nodes; the last one is [`Node::ClusterAdmin`].
    pub nodes: Vec<Node>,
    /// Edges.
    pub edges: Vec<Edge>,
}

/// The rules a user holds: cluster-wide, and per namespace.
struct Held<'a> {
    cluster: Vec<&'a PolicyRule>,
    namespaced: HashMap<&'a str, Vec<&'a PolicyRule>>,
}

impl Held<'_> {
    fn allows(&self, attrs: &Attributes) -> bool {
        self.cluster.iter().any(|r| rule_allows(attrs, r))
            || (!attrs.namespace.is_empty()
                && self
                    .namespaced
                    .get(attrs.namespace.as_str())
                    .is_some_and(|rules| rules.iter().any(|r| rule_allows(attrs, r))))
    }

    /// Namespaces where a namespaced permission may hold: all of them when a cluster rule
    /// could grant it, else those with RoleBindings for the user.
    fn namespaces<'n>(&'n self, all: &'n [String]) -> Vec<&'n str> {
        if self.cluster.is_empty() {
            self.namespaced.keys().copied().collect()
        } else {
            all.iter().map(String::as_str).collect()
        }
    }
}

fn held<'a>(authorizer: &'a Authorizer, user: &UserInfo, namespaces: &'a [String]) -> Held<'a> {
    let (cluster, _) = authorizer.rules_for(user, "");
    let cluster: Vec<&PolicyRule> = cluster.into_iter().map(|(_, r)| r).collect();
    let mut namespaced = HashMap::new();
    for ns in authorizer.namespaces_binding(user) {
        let Some(ns) = namespaces.iter().find(|n| **n == ns) else {
            continue;
        };
        let (rules, _) = authorizer.rules_for(user, ns);
        let rules: Vec<&PolicyRule> = rules
            .into_iter()
            .filter(|(s, _)| matches!(s.binding, crate::BindingId::Namespaced(_)))
            .map(|(_, r)| r)
            .collect();
        namespaced.insert(ns.as_str(), rules);
    }
    Held {
        cluster,
        namespaced,
    }
}

const WORKLOADS: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "daemonsets"),
    ("apps", "statefulsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
];

fn req(verb: &str, group: &str, resource: &str, sub: &str, ns: &str, name: &str) -> Attributes {
    Attributes::resource(UserInfo::default(), verb, group, resource, sub, ns, name)
}

/// Builds the escalation graph over every subject the dump knows.
pub fn build_graph(authorizer: &Authorizer) -> Graph {
    let nodes_subjects = subjects(authorizer);
    let c = authorizer.cluster();
    let mut namespaces = c.all_namespaces();
    namespaces.sort();
    let mut nodes: Vec<Node> = nodes_subjects.iter().cloned().map(Node::Subject).collect();
    let admin = nodes.len();
    nodes.push(Node::ClusterAdmin);
    let index: HashMap<String, usize> = nodes_subjects
        .iter()
        .enumerate()
        .map(|(i, s)| (s.key(), i))
        .collect();
    let sa_index = |ns: &str, name: &str| {
        index
            .get(&Subject::service_account(ns, name).key())
            .copied()
    };
    let mut sas_by_ns: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in nodes_subjects.iter().enumerate() {
        if s.kind == subject_kind::SERVICE_ACCOUNT {
            sas_by_ns.entry(s.namespace.as_str()).or_default().push(i);
        }
    }
    let mut edges = Vec::new();
    let mut seen: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    for (from, subject) in nodes_subjects.iter().enumerate() {
        let user = user_for_subject(subject);
        let h = held(authorizer, &user, &namespaces);
        let mut add = |to: usize, kind: EdgeKind, explanation: String| {
            if to != from && seen.insert((from, to)) {
                edges.push(Edge {
                    from,
                    to,
                    kind,
                    explanation,
                });
            }
        };
        if (subject.kind == subject_kind::GROUP && subject.name == SYSTEM_MASTERS)
            || h.allows(&req("*", "*", "*", "", "", ""))
        {
            add(
                admin,
                EdgeKind::Holds,
                "holds every permission cluster-wide".into(),
            );
        }
        if h.allows(&req(
            "create",
            crate::model::RBAC_GROUP,
            "clusterrolebindings",
            "",
            "",
            "",
        )) && h.allows(&req(
            "bind",
            crate::model::RBAC_GROUP,
            "clusterroles",
            "",
            "",
            "cluster-admin",
        )) {
            add(
                admin,
                EdgeKind::Bind,
                "creates a ClusterRoleBinding to ClusterRole cluster-admin (has bind on it)".into(),
            );
        }
        if h.allows(&req(
            "escalate",
            crate::model::RBAC_GROUP,
            "clusterroles",
            "",
            "",
            "",
        )) && ["create", "update", "patch"].iter().any(|v| {
            h.allows(&req(
                v,
                crate::model::RBAC_GROUP,
                "clusterroles",
                "",
                "",
                "",
            ))
        }) {
            add(
                admin,
                EdgeKind::Escalate,
                "writes a ClusterRole granting everything (has escalate on clusterroles)".into(),
            );
        }
        if h.allows(&req("impersonate", "", "groups", "", "", SYSTEM_MASTERS)) {
            add(
                admin,
                EdgeKind::Impersonate,
                "impersonates group system:masters".into(),
            );
        }
        // Impersonating other subjects.
        let may_impersonate = h
            .cluster
            .iter()
            .any(|r| r.verbs.iter().any(|v| v == "impersonate" || v == "*"));
        if may_impersonate {
            for (to, t) in nodes_subjects.iter().enumerate() {
                let (res, ns) = match t.kind.as_str() {
                    subject_kind::USER => ("users", ""),
                    subject_kind::GROUP => ("groups", ""),
                    _ => ("serviceaccounts", t.namespace.as_str()),
                };
                if h.allows(&req("impersonate", "", res, "", ns, &t.name)) {
                    add(
                        to,
                        EdgeKind::Impersonate,
                        format!("impersonates {}", label(&nodes, to)),
                    );
                }
            }
        }
        for ns in h.namespaces(&namespaces) {
            let targets = sas_by_ns.get(ns).cloned().unwrap_or_default();
            if let Some((group, resource)) = WORKLOADS
                .iter()
                .find(|(g, r)| h.allows(&req("create", g, r, "", ns, "")))
            {
                let what = if group.is_empty() {
                    (*resource).to_owned()
                } else {
                    format!("{resource}.{group}")
                };
                for &to in &targets {
                    add(
                        to,
                        EdgeKind::CreateWorkload,
                        format!(
                            "creates {what} in namespace {ns} running as {}",
                            label(&nodes, to)
                        ),
                    );
                }
            }
            for secret in c.token_secrets.iter().filter(|s| s.namespace == ns) {
                if ["get", "list", "watch"]
                    .iter()
                    .any(|v| h.allows(&req(v, "", "secrets", "", ns, &secret.name)))
                    && let Some(to) = sa_index(ns, &secret.service_account)
                {
                    add(
                        to,
                        EdgeKind::ReadTokenSecret,
                        format!(
                            "reads token Secret {ns}/{} of {}",
                            secret.name,
                            label(&nodes, to)
                        ),
                    );
                }
            }
            for &to in &targets {
                if let Some(Node::Subject(t)) = nodes.get(to)
                    && h.allows(&req("create", "", "serviceaccounts", "token", ns, &t.name))
                {
                    add(
                        to,
                        EdgeKind::RequestToken,
                        format!("requests a token for {}", label(&nodes, to)),
                    );
                }
            }
            for pod in c.pods.iter().filter(|p| p.namespace == ns) {
                if ["create", "get"]
                    .iter()
                    .any(|v| h.allows(&req(v, "", "pods", "exec", ns, &pod.name)))
                    && let Some(to) = sa_index(ns, &pod.service_account)
                {
                    add(
                        to,
                        EdgeKind::ExecIntoPod,
                        format!(
                            "execs into pod {ns}/{} running as {}",
                            pod.name,
                            label(&nodes, to)
                        ),
                    );
                }
            }
        }
        if ["get", "create"]
            .iter()
            .any(|v| h.allows(&req(v, "", "nodes", "proxy", "", "")))
        {
            for pod in &c.pods {
                if let Some(to) = sa_index(&pod.namespace, &pod.service_account) {
                    add(
                        to,
                        EdgeKind::NodeProxy,
                        format!(
                            "runs commands through the kubelet API (nodes/proxy) in pod {}/{} running as {}",
                            pod.namespace,
                            pod.name,
                            label(&nodes, to)
                        ),
                    );
                }
            }
        }
    }
    Graph { nodes, edges }
}

impl Graph {
    /// The index of a subject's node.
    pub fn node_of(&self, subject: &Subject) -> Option<usize> {
        let key = subject.key();
        self.nodes
            .iter()
            .position(|n| matches!(n, Node::Subject(s) if s.key() == key))
    }

    /// The cluster-admin node.
    pub fn admin(&self) -> usize {
        self.nodes.len().saturating_sub(1)
    }

    /// For every node, the shortest path (edge indices in order) to cluster-admin, if any
    /// (breadth-first from cluster-admin over reversed edges; ties go to the edge listed first).
    pub fn paths_to_admin(&self) -> Vec<Option<Vec<usize>>> {
        let n = self.nodes.len();
        let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, e) in self.edges.iter().enumerate() {
            if let Some(list) = incoming.get_mut(e.to) {
                list.push(i);
            }
        }
        // next[v] = the edge to take from v.
        let mut next: Vec<Option<usize>> = vec![None; n];
        let mut seen = vec![false; n];
        let admin = self.admin();
        let mut queue = VecDeque::new();
        if let Some(s) = seen.get_mut(admin) {
            *s = true;
            queue.push_back(admin);
        }
        while let Some(v) = queue.pop_front() {
            for &ei in incoming.get(v).map(Vec::as_slice).unwrap_or(&[]) {
                let Some(e) = self.edges.get(ei) else {
                    continue;
                };
                if let Some(s) = seen.get_mut(e.from)
                    && !*s
                {
                    *s = true;
                    if let Some(slot) = next.get_mut(e.from) {
                        *slot = Some(ei);
                    }
                    queue.push_back(e.from);
                }
            }
        }
        (0..n)
            .map(|start| {
                if start == admin {
                    return None;
                }
                let mut path = Vec::new();
                let mut v = start;
                while let Some(Some(ei)) = next.get(v) {
                    path.push(*ei);
                    v = self.edges.get(*ei).map(|e| e.to).unwrap_or(admin);
                    if v == admin || path.len() > n {
                        break;
                    }
                }
                (v == admin && !path.is_empty()).then_some(path)
            })
            .collect()
    }

    /// The shortest path from `subject` to cluster-admin, as edges.
    pub fn shortest_path(&self, subject: &Subject) -> Option<Vec<&Edge>> {
        let start = self.node_of(subject)?;
        let paths = self.paths_to_admin();
        let path = paths.get(start)?.as_ref()?;
        Some(path.iter().filter_map(|&i| self.edges.get(i)).collect())
    }

    /// Graphviz DOT.
    pub fn to_dot(&self) -> String {
        let mut s = String::from("digraph rbac {\n  rankdir=LR;\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let shape = match n {
                Node::ClusterAdmin => "doubleoctagon",
                Node::Subject(s) if s.kind == subject_kind::SERVICE_ACCOUNT => "box",
                Node::Subject(s) if s.kind == subject_kind::GROUP => "ellipse",
                _ => "oval",
            };
            s.push_str(&format!(
                "  n{i} [label={}, shape={shape}];\n",
                dot_quote(&n.label())
            ));
        }
        for e in &self.edges {
            s.push_str(&format!(
                "  n{} -> n{} [label={}, tooltip={}];\n",
                e.from,
                e.to,
                dot_quote(e.kind.as_str()),
                dot_quote(&e.explanation)
            ));
        }
        s.push_str("}\n");
        s
    }

    /// JSON: `{"nodes":[{"id","kind","name","namespace"?}],"edges":[{"from","to","kind","explanation"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let nodes: Vec<serde_json::Value> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| match n {
                Node::Subject(s) => {
                    let mut v = serde_json::json!({"id": i, "kind": s.kind, "name": s.name});
                    if !s.namespace.is_empty()
                        && let Some(m) = v.as_object_mut()
                    {
                        m.insert("namespace".into(), s.namespace.clone().into());
                    }
                    v
                }
                Node::ClusterAdmin => {
                    serde_json::json!({"id": i, "kind": "ClusterAdmin", "name": "cluster-admin"})
                }
            })
            .collect();
        let edges: Vec<serde_json::Value> = self
            .edges
            .iter()
            .map(|e| {
                serde_json::json!({"from": e.from, "to": e.to, "kind": e.kind.as_str(), "explanation": e.explanation})
            })
            .collect();
        serde_json::json!({"nodes": nodes, "edges": edges})
    }
}

fn label(nodes: &[Node], i: usize) -> String {
    nodes.get(i).map(Node::label).unwrap_or_default()
}

fn dot_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
