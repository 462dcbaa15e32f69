//! Diff of two dumps: the permissions each subject gains and loses.
//!
//! A subject's permissions are the atomic rules (one verb, group, resource, name; or one URL and
//! verb, as [`crate::covers::breakdown_rule`] splits them) it holds, per scope: cluster-wide
//! (ClusterRoleBindings) or per namespace (RoleBindings). Wildcards are compared as written.

use std::collections::{BTreeMap, BTreeSet};

use crate::authorizer::{Authorizer, BindingId};
use crate::covers::breakdown_rule;
use crate::model::Subject;
use crate::query::{subjects, user_for_subject};

/// One atomic permission with its scope.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Permission {
    /// `""` for cluster-wide, else the namespace.
    pub namespace: String,
    /// The atomic rule in compact form.
    pub rule: String,
}

/// A subject's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectDiff {
    /// The subject.
    pub subject: Subject,
    /// Held after but not before.
    pub gained: Vec<Permission>,
    /// Held before but not after.
    pub lost: Vec<Permission>,
}

/// Every atomic permission `subject` holds.
pub fn permissions(authorizer: &Authorizer, subject: &Subject) -> BTreeSet<Permission> {
    let user = user_for_subject(subject);
    let mut out = BTreeSet::new();
    let (cluster, _) = authorizer.rules_for(&user, "");
    for (_, r) in cluster {
        for a in breakdown_rule(r) {
            out.insert(Permission {
                namespace: String::new(),
                rule: a.compact(),
            });
        }
    }
    for ns in authorizer.namespaces_binding(&user) {
        let (rules, _) = authorizer.rules_for(&user, &ns);
        for (s, r) in rules {
            if matches!(s.binding, BindingId::Namespaced(_)) {
                for a in breakdown_rule(r) {
                    out.insert(Permission {
                        namespace: ns.clone(),
                        rule: a.compact(),
                    });
                }
            }
        }
    }
    out
}

/// The subjects whose permissions differ between `before` and `after`, sorted by subject.
pub fn diff(before: &Authorizer, after: &Authorizer) -> Vec<SubjectDiff> {
    let mut all: BTreeMap<String, Subject> = BTreeMap::new();
    for s in subjects(before).into_iter().chain(subjects(after)) {
        all.entry(s.key()).or_insert(s);
    }
    let mut out = Vec::new();
    for subject in all.into_values() {
        let a = permissions(before, &subject);
        let b = permissions(after, &subject);
        let gained: Vec<Permission> = b.difference(&a).cloned().collect();
        let lost: Vec<Permission> = a.difference(&b).cloned().collect();
        if !gained.is_empty() || !lost.is_empty() {
            out.push(SubjectDiff {
                subject,
                gained,
                lost,
            });
        }
    }
    out
}
