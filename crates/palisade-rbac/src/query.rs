//! Queries over an [`Authorizer`]: the subjects a dump knows, the user a subject authenticates
//! as (ServiceAccount group expansion), the rules a subject holds in a namespace
//! (SelfSubjectRulesReview, with cluster and namespace scope apart), and an access matrix.

use std::collections::BTreeSet;

use crate::attributes::{Attributes, UserInfo};
use crate::authorizer::{Authorizer, Source, aggregate_errors};
use crate::model::{PolicyRule, Subject, subject_kind};

/// The group every authenticated user has.
pub const AUTHENTICATED: &str = "system:authenticated";

/// The user a subject stands for when asking what it may do: a User with
/// `system:authenticated`; a Group as an anonymous member of that group only; a ServiceAccount
/// as its token authenticates (`system:serviceaccount:<ns>:<name>` with
/// `system:serviceaccounts`, `system:serviceaccounts:<ns>` and `system:authenticated`).
pub fn user_for_subject(subject: &Subject) -> UserInfo {
    match subject.kind.as_str() {
        subject_kind::SERVICE_ACCOUNT => {
            UserInfo::service_account(&subject.namespace, &subject.name)
        }
        subject_kind::GROUP => UserInfo::new("", &[subject.name.as_str()]),
        _ => {
            let mut groups = vec![AUTHENTICATED];
            if subject.name == "system:anonymous" {
                groups = vec!["system:unauthenticated"];
            }
            UserInfo::new(&subject.name, &groups)
        }
    }
}

/// Every subject named by a binding (ServiceAccounts with their namespace defaulted to the
/// RoleBinding's) or present as a ServiceAccount in the dump, sorted and deduplicated.
pub fn subjects(authorizer: &Authorizer) -> Vec<Subject> {
    let c = authorizer.cluster();
    let mut set: BTreeSet<(String, String, String)> = BTreeSet::new();
    for b in c.cluster_role_bindings.iter().chain(&c.role_bindings) {
        for s in &b.subjects {
            let ns = if s.kind == subject_kind::SERVICE_ACCOUNT {
                if s.namespace.is_empty() {
                    b.namespace.clone()
                } else {
                    s.namespace.clone()
                }
            } else {
                String::new()
            };
            if s.kind == subject_kind::SERVICE_ACCOUNT && ns.is_empty() {
                continue;
            }
            set.insert((s.kind.clone(), ns, s.name.clone()));
        }
    }
    for sa in &c.service_accounts {
        set.insert((
            subject_kind::SERVICE_ACCOUNT.into(),
            sa.namespace.clone(),
            sa.name.clone(),
        ));
    }
    set.into_iter()
        .map(|(kind, namespace, name)| match kind.as_str() {
            subject_kind::USER => Subject::user(&name),
            subject_kind::GROUP => Subject::group(&name),
            subject_kind::SERVICE_ACCOUNT => Subject::service_account(&namespace, &name),
            _ => Subject {
                kind,
                name,
                namespace,
                api_group: String::new(),
            },
        })
        .collect()
}

/// One rule a user holds, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldRule {
    /// The rule.
    pub rule: PolicyRule,
    /// The binding, subject, role and rule index that grant it.
    pub source: Source,
}

/// What a user may do in a namespace: SelfSubjectRulesReview's rules, split by scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulesReview {
    /// Rules from ClusterRoleBindings: they apply in every namespace and to cluster-scoped
    /// resources.
    pub cluster: Vec<HeldRule>,
    /// Rules from the namespace's RoleBindings: they apply in that namespace only.
    pub namespace: Vec<HeldRule>,
    /// Roles that could not be resolved (the review's `evaluationError`).
    pub errors: Vec<String>,
}

impl RulesReview {
    /// `evaluationError` as the API server words it.
    pub fn evaluation_error(&self) -> Option<String> {
        (!self.errors.is_empty()).then(|| aggregate_errors(&self.errors))
    }

    /// All rules in review order (cluster first).
    pub fn rules(&self) -> impl Iterator<Item = &HeldRule> {
        self.cluster.iter().chain(&self.namespace)
    }
}

impl Authorizer {
    /// The rules `user` holds in `namespace` (`""`: cluster scope only), as a
    /// SelfSubjectRulesReview lists them, each with its source.
    pub fn rules_review(&self, user: &UserInfo, namespace: &str) -> RulesReview {
        let (rules, errors) = self.rules_for(user, namespace);
        let mut review = RulesReview {
            errors,
            ..RulesReview::default()
        };
        for (source, rule) in rules {
            let held = HeldRule {
                rule: rule.clone(),
                source,
            };
            match source.binding {
                crate::authorizer::BindingId::Cluster(_) => review.cluster.push(held),
                crate::authorizer::BindingId::Namespaced(_) => review.namespace.push(held),
            }
        }
        review
    }

    /// `kubectl auth can-i` for a subject.
    pub fn can_i(&self, subject: &Subject, request: &Attributes) -> crate::Decision {
        let mut attrs = request.clone();
        attrs.user = user_for_subject(subject);
        self.authorize(&attrs)
    }
}

/// A resource of an access matrix: API group, resource (optionally `resource/subresource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixResource {
    /// API group.
    pub api_group: String,
    /// Resource, possibly with `/subresource`.
    pub resource: String,
}

impl MatrixResource {
    /// Parses `resource[.group][/subresource]` as kubectl does (`deployments.apps`,
    /// `pods/exec`).
    pub fn parse(text: &str) -> Self {
        let (base, sub) = match text.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (text, None),
        };
        let (resource, group) = match base.split_once('.') {
            Some((r, g)) => (r, g),
            None => (base, ""),
        };
        MatrixResource {
            api_group: group.into(),
            resource: match sub {
                Some(s) => format!("{resource}/{s}"),
                None => resource.into(),
            },
        }
    }

    /// The request for `verb` on this resource in `namespace`.
    pub fn request(&self, user: UserInfo, verb: &str, namespace: &str) -> Attributes {
        let (resource, sub) = self
            .resource
            .split_once('/')
            .unwrap_or((self.resource.as_str(), ""));
        Attributes::resource(user, verb, &self.api_group, resource, sub, namespace, "")
    }
}

/// An access matrix: for each subject, resource and verb, whether it is allowed in the
/// namespace (like rakkess).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Rows.
    pub subjects: Vec<Subject>,
    /// Resources.
    pub resources: Vec<MatrixResource>,
    /// Verbs.
    pub verbs: Vec<String>,
    /// `allowed[subject][resource][verb]`.
    pub allowed: Vec<Vec<Vec<bool>>>,
}

/// Computes the access matrix in `namespace` (`""`: cluster scope).
pub fn matrix(
    authorizer: &Authorizer,
    subjects: Vec<Subject>,
    resources: Vec<MatrixResource>,
    verbs: Vec<String>,
    namespace: &str,
) -> Matrix {
    let allowed = subjects
        .iter()
        .map(|s| {
            let user = user_for_subject(s);
            resources
                .iter()
                .map(|r| {
                    verbs
                        .iter()
                        .map(|v| {
                            authorizer
                                .authorize(&r.request(user.clone(), v, namespace))
                                .allowed
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    Matrix {
        subjects,
        resources,
        verbs,
        allowed,
    }
}
