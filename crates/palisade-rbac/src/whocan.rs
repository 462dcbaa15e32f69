//! Who can do something: upstream's `SubjectAccessEvaluator.AllowedSubjects`
//! (`plugin/pkg/auth/authorizer/rbac/subject_locator.go`), plus a deduplicated view that names
//! the binding, role and rule granting each subject.

use crate::attributes::Attributes;
use crate::authorizer::{Authorizer, BindingId, RoleId, aggregate_errors};
use crate::matching::rule_allows;
use crate::model::Subject;

/// The group every API server treats as all-powerful.
pub const SYSTEM_MASTERS: &str = "system:masters";

/// Why a subject is in the who-can list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// `system:masters`: the API server's privileged group, allowed before RBAC is asked.
    PrivilegedGroup,
    /// The configured super user.
    SuperUser,
    /// A binding whose role has a rule allowing the request.
    Binding {
        /// The binding.
        binding: BindingId,
        /// The role it refers to.
        role: RoleId,
        /// The first rule of the role that allows the request.
        rule: usize,
    },
}

/// A subject with the first grant that lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantedSubject {
    /// The subject.
    pub subject: Subject,
    /// The first grant that lists it.
    pub grant: Grant,
}

/// The answer of a who-can query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WhoCan {
    /// The subject list exactly as upstream returns it: `system:masters`, the super user, the
    /// subjects of every allowing ClusterRoleBinding, then of every allowing RoleBinding of the
    /// namespace; not deduplicated.
    pub subjects: Vec<Subject>,
    /// The same subjects deduplicated (first occurrence kept), each with its grant.
    pub granted: Vec<GrantedSubject>,
    /// Role resolution errors met (upstream returns them aggregated beside the list).
    pub errors: Vec<String>,
}

impl WhoCan {
    /// The errors as upstream's aggregate error prints them, or `None`.
    pub fn error(&self) -> Option<String> {
        (!self.errors.is_empty()).then(|| aggregate_errors(&self.errors))
    }
}

impl Authorizer {
    /// Who can make the request; `super_user` is the API server's configured super user (`""`
    /// for none). The user fields of `attrs` are ignored.
    pub fn who_can(&self, attrs: &Attributes, super_user: &str) -> WhoCan {
        let mut out = WhoCan::default();
        let push = |out: &mut WhoCan, s: Subject, grant: Grant| {
            if !out.granted.iter().any(|g| g.subject == s) {
                out.granted.push(GrantedSubject {
                    subject: s.clone(),
                    grant,
                });
            }
            out.subjects.push(s);
        };
        push(
            &mut out,
            Subject::group(SYSTEM_MASTERS),
            Grant::PrivilegedGroup,
        );
        if !super_user.is_empty() {
            push(&mut out, Subject::user(super_user), Grant::SuperUser);
        }
        let (bindings, errors) = self.bindings_allowing(attrs);
        for id in bindings {
            let (Some(b), Ok(role)) = (self.binding(id), self.binding_role(id)) else {
                continue;
            };
            let rule = self
                .role_rules(role)
                .iter()
                .position(|r| rule_allows(attrs, r))
                .unwrap_or(0);
            for s in &b.subjects {
                push(
                    &mut out,
                    s.clone(),
                    Grant::Binding {
                        binding: id,
                        role,
                        rule,
                    },
                );
            }
        }
        out.errors = errors;
        out
    }
}
