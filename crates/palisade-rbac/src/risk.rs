//! Risk findings: a catalog of dangerous grants, each with a stable ID, severity, title,
//! explanation, remediation and reference, checked against every binding's role.
//!
//! Each catalog entry is data ([`RiskRule`]) plus one matcher: a list of permission probes
//! (requests); a role matches when, for every probe, one of its rules allows it (upstream's
//! rule matching, [`crate::matching::rule_allows`]). A finding names the subject and the
//! binding → role → rule that grants it. A grant through a ClusterRoleBinding, or in a
//! privileged namespace (kube-system by default), keeps the entry's severity; a grant confined
//! to an ordinary namespace is one level lower (never below low). Subject-based entries (bindings
//! to anonymous or all authenticated users) look at the subjects instead.

use std::fmt;

use crate::attributes::{Attributes, UserInfo};
use crate::authorizer::{Authorizer, BindingId, RoleId};
use crate::matching::rule_allows;
use crate::model::{Subject, subject_kind};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// `low`, `medium`, `high`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            "critical" => Some(Severity::Critical),
            _ => None,
        }
    }

    fn lower(self) -> Severity {
        match self {
            Severity::Critical => Severity::High,
            Severity::High => Severity::Medium,
            _ => Severity::Low,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One permission a risk needs: `verbs` (any of them) on `group`/`resource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// Any of these verbs.
    pub verbs: &'static [&'static str],
    /// API group.
    pub group: &'static str,
    /// Any of these resources (`resource` or `resource/subresource`).
    pub resources: &'static [&'static str],
}

/// What an entry matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matcher {
    /// A role that allows every probe (each by any of its verbs and resources).
    Permissions(&'static [Probe]),
    /// A rule with `*` in verbs and in resources (or `*` groups and resources).
    Wildcard,
    /// A binding with a subject among these groups/users.
    Subjects(&'static [(&'static str, &'static str)]),
}

/// An entry of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskRule {
    /// Stable ID (`RBAC-R001`…).
    pub id: &'static str,
    /// Severity for a cluster-wide or privileged-namespace grant.
    pub severity: Severity,
    /// Short title.
    pub title: &'static str,
    /// Why it is dangerous.
    pub explanation: &'static str,
    /// What to do instead.
    pub remediation: &'static str,
    /// Where to read more.
    pub reference: &'static str,
    /// What it matches.
    pub matcher: Matcher,
}

const GOOD_PRACTICES: &str = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/";
const RBAC_DOCS: &str = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/";
const WRITE: &[&str] = &["create", "update", "patch"];

/// The catalog, in ID order.
pub const CATALOG: &[RiskRule] = &[
    RiskRule {
        id: "RBAC-R001",
        severity: Severity::Critical,
        title: "Read Secrets",
        explanation: "get, list or watch on secrets reveals every Secret in scope, including ServiceAccount tokens and credentials; list and watch return contents too.",
        remediation: "Grant get on named Secrets (resourceNames) only, or mount the Secret into the workload instead.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["get", "list", "watch"],
            group: "",
            resources: &["secrets"],
        }]),
    },
    RiskRule {
        id: "RBAC-R002",
        severity: Severity::High,
        title: "Create workloads",
        explanation: "Whoever can create pods (or any workload that creates pods) in a namespace can run them as any ServiceAccount there, mount its Secrets and ConfigMaps, and so act with their permissions.",
        remediation: "Restrict workload creation to deployment pipelines; keep powerful ServiceAccounts in separate namespaces; enforce Pod Security admission.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create"],
            group: "",
            resources: &["pods", "replicationcontrollers"],
        }]),
    },
    RiskRule {
        id: "RBAC-R003",
        severity: Severity::High,
        title: "Create workload controllers",
        explanation: "Creating Deployments, DaemonSets, StatefulSets, ReplicaSets, Jobs or CronJobs creates pods: the same power as creating pods, as any ServiceAccount in the namespace.",
        remediation: "Restrict workload creation to deployment pipelines; keep powerful ServiceAccounts in separate namespaces.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create"],
            group: "apps",
            resources: &["deployments", "daemonsets", "statefulsets", "replicasets"],
        }]),
    },
    RiskRule {
        id: "RBAC-R004",
        severity: Severity::High,
        title: "Create Jobs or CronJobs",
        explanation: "Creating Jobs or CronJobs creates pods, as any ServiceAccount in the namespace.",
        remediation: "Restrict batch workload creation to pipelines and operators that need it.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create"],
            group: "batch",
            resources: &["jobs", "cronjobs"],
        }]),
    },
    RiskRule {
        id: "RBAC-R005",
        severity: Severity::Critical,
        title: "Create PersistentVolumes",
        explanation: "A PersistentVolume can be a hostPath volume: whoever creates one and a claim to it can mount any path of a node.",
        remediation: "Let only storage administrators and provisioners create PersistentVolumes; users create PersistentVolumeClaims.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create"],
            group: "",
            resources: &["persistentvolumes"],
        }]),
    },
    RiskRule {
        id: "RBAC-R006",
        severity: Severity::Critical,
        title: "Access the kubelet API (nodes/proxy)",
        explanation: "nodes/proxy reaches the kubelet API, which runs commands in any pod of the node and bypasses admission and audit.",
        remediation: "Grant nodes/proxy only to monitoring components that need it, and prefer the metrics endpoints.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["get", "create"],
            group: "",
            resources: &["nodes/proxy"],
        }]),
    },
    RiskRule {
        id: "RBAC-R007",
        severity: Severity::Critical,
        title: "Escalate roles",
        explanation: "escalate on roles or clusterroles lets a user write roles with permissions they do not hold, bypassing RBAC's escalation prevention.",
        remediation: "Remove escalate; let administrators own role definitions.",
        reference: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping",
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["escalate"],
            group: "rbac.authorization.k8s.io",
            resources: &["roles", "clusterroles"],
        }]),
    },
    RiskRule {
        id: "RBAC-R008",
        severity: Severity::Critical,
        title: "Bind roles",
        explanation: "bind on roles or clusterroles lets a user bind roles with permissions they do not hold (cluster-admin included, when paired with creating bindings).",
        remediation: "Remove bind, or restrict it to named roles with resourceNames.",
        reference: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update",
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["bind"],
            group: "rbac.authorization.k8s.io",
            resources: &["roles", "clusterroles"],
        }]),
    },
    RiskRule {
        id: "RBAC-R009",
        severity: Severity::Critical,
        title: "Impersonate",
        explanation: "impersonate on users, groups or serviceaccounts lets a user act as another identity, including system:masters members.",
        remediation: "Remove impersonate, or restrict it to named identities with resourceNames.",
        reference: "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation",
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["impersonate"],
            group: "",
            resources: &["users", "groups", "serviceaccounts"],
        }]),
    },
    RiskRule {
        id: "RBAC-R010",
        severity: Severity::Critical,
        title: "Issue client certificates (CSR create, approve and signer approve)",
        explanation: "Creating CertificateSigningRequests, updating their approval and approving for a signer lets a user mint a client certificate for any identity.",
        remediation: "Split CSR creation from approval; restrict signer approval to the kube-controller-manager and named signers.",
        reference: "https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/#authorization",
        matcher: Matcher::Permissions(&[
            Probe {
                verbs: &["create"],
                group: "certificates.k8s.io",
                resources: &["certificatesigningrequests"],
            },
            Probe {
                verbs: &["update", "patch"],
                group: "certificates.k8s.io",
                resources: &["certificatesigningrequests/approval"],
            },
            Probe {
                verbs: &["approve"],
                group: "certificates.k8s.io",
                resources: &["signers"],
            },
        ]),
    },
    RiskRule {
        id: "RBAC-R011",
        severity: Severity::High,
        title: "Request ServiceAccount tokens",
        explanation: "create on serviceaccounts/token issues tokens for any ServiceAccount in scope: act as them.",
        remediation: "Restrict token requests to named ServiceAccounts with resourceNames.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create"],
            group: "",
            resources: &["serviceaccounts/token"],
        }]),
    },
    RiskRule {
        id: "RBAC-R012",
        severity: Severity::Critical,
        title: "Write admission webhooks or policies",
        explanation: "Writing webhook configurations or admission policies lets a user read or mutate every object sent to the API server, or block changes cluster-wide.",
        remediation: "Let only cluster administrators and the components that own them write admission configuration.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create", "update", "patch", "delete"],
            group: "admissionregistration.k8s.io",
            resources: &[
                "validatingwebhookconfigurations",
                "mutatingwebhookconfigurations",
                "validatingadmissionpolicies",
                "validatingadmissionpolicybindings",
                "mutatingadmissionpolicies",
                "mutatingadmissionpolicybindings",
            ],
        }]),
    },
    RiskRule {
        id: "RBAC-R013",
        severity: Severity::High,
        title: "Modify Namespaces",
        explanation: "patch or update on namespaces changes their labels, including the Pod Security admission level and labels NetworkPolicies select on.",
        remediation: "Let only administrators modify Namespaces.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["patch", "update"],
            group: "",
            resources: &["namespaces"],
        }]),
    },
    RiskRule {
        id: "RBAC-R014",
        severity: Severity::High,
        title: "Exec into pods",
        explanation: "pods/exec runs commands in running containers, with their ServiceAccount tokens and mounted Secrets.",
        remediation: "Grant exec only for debugging, time-limited, in the namespaces concerned.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create", "get"],
            group: "",
            resources: &["pods/exec"],
        }]),
    },
    RiskRule {
        id: "RBAC-R015",
        severity: Severity::High,
        title: "Attach to pods",
        explanation: "pods/attach reaches a running container's console, with the same exposure as exec for interactive containers.",
        remediation: "Grant attach only for debugging, in the namespaces concerned.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create", "get"],
            group: "",
            resources: &["pods/attach"],
        }]),
    },
    RiskRule {
        id: "RBAC-R016",
        severity: Severity::Medium,
        title: "Port-forward to pods",
        explanation: "pods/portforward reaches any port of a pod, bypassing NetworkPolicies and Service exposure.",
        remediation: "Grant port-forward only for debugging, in the namespaces concerned.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["create", "get"],
            group: "",
            resources: &["pods/portforward"],
        }]),
    },
    RiskRule {
        id: "RBAC-R017",
        severity: Severity::High,
        title: "Add ephemeral containers",
        explanation: "Writing pods/ephemeralcontainers adds a container to a running pod: code execution as its ServiceAccount.",
        remediation: "Grant ephemeral containers only for debugging, in the namespaces concerned.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Permissions(&[Probe {
            verbs: &["update", "patch"],
            group: "",
            resources: &["pods/ephemeralcontainers"],
        }]),
    },
    RiskRule {
        id: "RBAC-R018",
        severity: Severity::Medium,
        title: "Write Service status",
        explanation: "Writing services/status sets a LoadBalancer's ingress IPs, which can redirect cluster traffic (CVE-2020-8554).",
        remediation: "Let only load-balancer controllers write services/status.",
        reference: "https://github.com/kubernetes/kubernetes/issues/97076",
        matcher: Matcher::Permissions(&[Probe {
            verbs: WRITE,
            group: "",
            resources: &["services/status"],
        }]),
    },
    RiskRule {
        id: "RBAC-R019",
        severity: Severity::High,
        title: "Wildcard grant",
        explanation: "A rule with `*` verbs on `*` resources grants everything in its groups, including subresources and resources added later.",
        remediation: "List the verbs and resources the subject needs.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Wildcard,
    },
    RiskRule {
        id: "RBAC-R020",
        severity: Severity::Critical,
        title: "Binding to anonymous or unauthenticated users",
        explanation: "A binding to system:anonymous or system:unauthenticated grants its role to anyone who can reach the API server.",
        remediation: "Remove the subject; grant to authenticated identities only.",
        reference: "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
        matcher: Matcher::Subjects(&[
            ("User", "system:anonymous"),
            ("Group", "system:unauthenticated"),
        ]),
    },
    RiskRule {
        id: "RBAC-R021",
        severity: Severity::High,
        title: "Binding to all authenticated users",
        explanation: "A binding to system:authenticated grants its role to every user and every ServiceAccount of the cluster.",
        remediation: "Bind to the groups or ServiceAccounts that need the role.",
        reference: RBAC_DOCS,
        matcher: Matcher::Subjects(&[("Group", "system:authenticated")]),
    },
    RiskRule {
        id: "RBAC-R022",
        severity: Severity::Low,
        title: "Binding to system:masters",
        explanation: "system:masters bypasses RBAC entirely; a binding to it grants nothing more and hides who really holds power (membership comes from client certificates, which cannot be revoked).",
        remediation: "Remove the binding; give administrators an ordinary group bound to cluster-admin and keep system:masters for break-glass.",
        reference: GOOD_PRACTICES,
        matcher: Matcher::Subjects(&[("Group", "system:masters")]),
    },
];

/// Looks an entry up by ID.
pub fn rule(id: &str) -> Option<&'static RiskRule> {
    CATALOG.iter().find(|r| r.id == id)
}

/// Options of an analysis run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzeOptions {
    /// Namespaces where a grant counts as cluster-wide (default: `kube-system`).
    pub privileged_namespaces: Vec<String>,
    /// Report grants to the API server's own identities too (`system:` users and groups other
    /// than the broad ones, the default bootstrap bindings). Default false.
    pub include_system: bool,
}

impl Default for AnalyzeOptions {
    fn default() -> Self {
        AnalyzeOptions {
            privileged_namespaces: vec!["kube-system".into()],
            include_system: false,
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The catalog entry.
    pub rule: &'static RiskRule,
    /// The severity of this grant (see the module docs).
    pub severity: Severity,
    /// The subject that holds the grant.
    pub subject: Subject,
    /// The binding.
    pub binding: BindingId,
    /// The role (when resolved).
    pub role: Option<RoleId>,
    /// The rule index in the role (permission entries).
    pub rule_index: Option<usize>,
    /// `""` for a cluster-wide grant, else the namespace.
    pub namespace: String,
    /// One line: who, what, through which binding, role and rule.
    pub message: String,
}

/// Broad groups that are never "system identities" for filtering.
const BROAD: &[&str] = &[
    "system:anonymous",
    "system:unauthenticated",
    "system:authenticated",
    "system:serviceaccounts",
    "system:masters",
];

fn is_system_subject(s: &Subject) -> bool {
    match s.kind.as_str() {
        subject_kind::SERVICE_ACCOUNT => false,
        _ => {
            s.name.starts_with("system:")
                && !BROAD.contains(&s.name.as_str())
                && !s.name.starts_with("system:serviceaccounts:")
        }
    }
}

/// The first rule of `rules` allowing `probe` in `namespace`, if any.
fn probe_rule(rules: &[crate::PolicyRule], probe: &Probe, namespace: &str) -> Option<usize> {
    let user = UserInfo::default();
    for verb in probe.verbs {
        for resource in probe.resources {
            let (res, sub) = resource.split_once('/').unwrap_or((resource, ""));
            let attrs =
                Attributes::resource(user.clone(), verb, probe.group, res, sub, namespace, "");
            if let Some(i) = rules.iter().position(|r| rule_allows(&attrs, r)) {
                return Some(i);
            }
        }
    }
    None
}

/// Whether `rules` match a permission entry: the index of the rule granting the first probe.
pub fn matches_permissions(
    rules: &[crate::PolicyRule],
    probes: &[Probe],
    namespace: &str,
) -> Option<usize> {
    let mut first = None;
    for p in probes {
        let i = probe_rule(rules, p, namespace)?;
        first.get_or_insert(i);
    }
    first
}

/// The index of the first wildcard rule.
pub fn wildcard_rule(rules: &[crate::PolicyRule]) -> Option<usize> {
    rules.iter().position(|r| {
        let star = |v: &[String]| v.iter().any(|s| s == "*");
        star(&r.verbs) && (star(&r.resources) || (star(&r.api_groups) && !r.resources.is_empty()))
            || (star(&r.verbs) && r.non_resource_urls.iter().any(|u| u == "*"))
    })
}

/// Runs the catalog over every binding.
pub fn analyze(authorizer: &Authorizer, options: &AnalyzeOptions) -> Vec<Finding> {
    let c = authorizer.cluster();
    let mut findings = Vec::new();
    let ids = (0..c.cluster_role_bindings.len())
        .map(BindingId::Cluster)
        .chain((0..c.role_bindings.len()).map(BindingId::Namespaced));
    for id in ids {
        let Some(b) = authorizer.binding(id) else {
            continue;
        };
        let role = authorizer.binding_role(id).ok();
        let rules = role.map(|r| authorizer.role_rules(r)).unwrap_or(&[]);
        let privileged =
            b.is_cluster_binding() || options.privileged_namespaces.contains(&b.namespace);
        let subjects: Vec<&Subject> = b
            .subjects
            .iter()
            .filter(|s| options.include_system || !is_system_subject(s))
            .collect();
        if subjects.is_empty() {
            continue;
        }
        // A rule granting everything (`*` verbs, groups and resources) subsumes every
        // permission entry: report it once, as the wildcard grant.
        let everything = rules.iter().any(|r| {
            let star = |v: &[String]| v.iter().any(|s| s == "*");
            star(&r.verbs) && star(&r.api_groups) && star(&r.resources)
        });
        for entry in CATALOG {
            if everything && matches!(entry.matcher, Matcher::Permissions(_)) {
                continue;
            }
            let hit = match entry.matcher {
                Matcher::Permissions(probes) => {
                    matches_permissions(rules, probes, &b.namespace).map(Some)
                }
                Matcher::Wildcard => wildcard_rule(rules).map(Some),
                Matcher::Subjects(_) => None,
            };
            let severity = if privileged {
                entry.severity
            } else {
                entry.severity.lower()
            };
            match (entry.matcher, hit) {
                (Matcher::Subjects(list), _) => {
                    if rules.is_empty() && role.is_none() {
                        continue;
                    }
                    for s in &subjects {
                        if list.iter().any(|(k, n)| s.kind == *k && s.name == *n) {
                            if entry.id == "RBAC-R021" && is_default_public(&b.role_ref.name) {
                                continue;
                            }
                            findings.push(finding(
                                authorizer,
                                entry,
                                entry.severity,
                                s,
                                id,
                                role,
                                None,
                            ));
                        }
                    }
                }
                (_, Some(rule_index)) => {
                    for s in &subjects {
                        findings.push(finding(
                            authorizer, entry, severity, s, id, role, rule_index,
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.rule.id.cmp(b.rule.id))
            .then(a.subject.key().cmp(&b.subject.key()))
            .then(a.binding.cmp(&b.binding))
    });
    findings
}

/// The default bootstrap roles bound to system:authenticated (discovery and self reviews).
fn is_default_public(role: &str) -> bool {
    matches!(
        role,
        "system:basic-user" | "system:discovery" | "system:public-info-viewer"
    )
}

fn finding(
    authorizer: &Authorizer,
    entry: &'static RiskRule,
    severity: Severity,
    subject: &Subject,
    binding: BindingId,
    role: Option<RoleId>,
    rule_index: Option<usize>,
) -> Finding {
    let b = authorizer.binding(binding);
    let namespace = b.map(|b| b.namespace.clone()).unwrap_or_default();
    let subject = if subject.kind == subject_kind::SERVICE_ACCOUNT && subject.namespace.is_empty() {
        Subject::service_account(&namespace, &subject.name)
    } else {
        subject.clone()
    };
    let chain = describe_chain(authorizer, binding, rule_index);
    let scope = if namespace.is_empty() {
        "cluster-wide".to_owned()
    } else {
        format!("in namespace {namespace}")
    };
    Finding {
        rule: entry,
        severity,
        message: format!(
            "{} {}: {} ({chain})",
            subject.describe(""),
            scope,
            entry.title
        ),
        subject,
        binding,
        role,
        rule_index,
        namespace,
    }
}

/// `ClusterRoleBinding "x" → ClusterRole "y" → rules[2] verbs=[…] …`.
pub fn describe_chain(authorizer: &Authorizer, binding: BindingId, rule: Option<usize>) -> String {
    let Some(b) = authorizer.binding(binding) else {
        return String::new();
    };
    let mut s = format!("{} → {}", b.display(), b.role_display());
    if let (Some(i), Ok(role)) = (rule, authorizer.binding_role(binding))
        && let Some(r) = authorizer.role_rules(role).get(i)
    {
        s.push_str(&format!(" → rules[{i}] {}", r.compact()));
    }
    s
}
