//! Escalation prevention: whether one set of rules covers another, as upstream's
//! `validation.Covers` (`k8s.io/component-helpers/auth/rbac/validation/policy_comparator.go`)
//! decides before letting a user without `escalate` create or update a role.

use crate::attributes::{Attributes, UserInfo};
use crate::authorizer::{Authorizer, aggregate_errors};
use crate::model::{PolicyRule, go_quote};

/// Splits a rule into atomic rules: one group, resource, verb and at most one resourceName
/// each (in group, resource, verb, name order), then one URL and verb each.
pub fn breakdown_rule(rule: &PolicyRule) -> Vec<PolicyRule> {
    let mut out = Vec::new();
    for group in &rule.api_groups {
        for resource in &rule.resources {
            for verb in &rule.verbs {
                let base = PolicyRule {
                    verbs: vec![verb.clone()],
                    api_groups: vec![group.clone()],
                    resources: vec![resource.clone()],
                    ..PolicyRule::default()
                };
                if rule.resource_names.is_empty() {
                    out.push(base);
                } else {
                    for name in &rule.resource_names {
                        let mut r = base.clone();
                        r.resource_names = vec![name.clone()];
                        out.push(r);
                    }
                }
            }
        }
    }
    for url in &rule.non_resource_urls {
        for verb in &rule.verbs {
            out.push(PolicyRule {
                verbs: vec![verb.clone()],
                non_resource_urls: vec![url.clone()],
                ..PolicyRule::default()
            });
        }
    }
    out
}

/// Whether `owner` covers every atomic rule of `servant`; the uncovered atomic rules in order.
pub fn covers(owner: &[PolicyRule], servant: &[PolicyRule]) -> (bool, Vec<PolicyRule>) {
    let uncovered: Vec<PolicyRule> = servant
        .iter()
        .flat_map(breakdown_rule)
        .filter(|sub| !owner.iter().any(|o| rule_covers(o, sub)))
        .collect();
    (uncovered.is_empty(), uncovered)
}

/// `owner` equals `requested`, or ends in `*` and `requested` starts with it minus its
/// trailing `*`s.
pub fn non_resource_url_covers(owner: &str, requested: &str) -> bool {
    owner == requested
        || (owner.ends_with('*') && requested.starts_with(owner.trim_end_matches('*')))
}

fn has(set: &[String], item: &str) -> bool {
    set.iter().any(|s| s == item)
}

fn has_all(set: &[String], items: &[String]) -> bool {
    items.iter().all(|i| has(set, i))
}

fn resource_covers_all(owner: &[String], requested: &[String]) -> bool {
    if has(owner, "*") || has_all(owner, requested) {
        return true;
    }
    requested.iter().all(|path| {
        has(owner, path)
            || path
                .split_once('/')
                .is_some_and(|(_, sub)| has(owner, &format!("*/{sub}")))
    })
}

fn rule_covers(owner: &PolicyRule, sub: &PolicyRule) -> bool {
    let verbs = has(&owner.verbs, "*") || has_all(&owner.verbs, &sub.verbs);
    let groups = has(&owner.api_groups, "*") || has_all(&owner.api_groups, &sub.api_groups);
    let resources = resource_covers_all(&owner.resources, &sub.resources);
    let urls = sub.non_resource_urls.iter().all(|path| {
        owner
            .non_resource_urls
            .iter()
            .any(|o| non_resource_url_covers(o, path))
    });
    let names = if sub.resource_names.is_empty() {
        owner.resource_names.is_empty()
    } else {
        owner.resource_names.is_empty() || has_all(&owner.resource_names, &sub.resource_names)
    };
    verbs && groups && resources && names && urls
}

/// The answer of an escalation check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationCheck {
    /// Whether the user may write the role without `escalate` / `bind` (RBAC's own check passes).
    pub allowed: bool,
    /// Whether the user holds `escalate` on the role's kind (which skips the check).
    pub has_escalate: bool,
    /// The atomic rules of the role the user does not hold.
    pub uncovered: Vec<PolicyRule>,
    /// Role resolution errors met while gathering the user's rules.
    pub errors: Vec<String>,
    /// The Forbidden message's detail as the API server words it, when not allowed.
    pub message: Option<String>,
}

impl Authorizer {
    /// Would `user` be allowed to create or update a role holding `rules` in `namespace` (`""`
    /// for a ClusterRole)? Like upstream's role storage: allowed when the user may `escalate`
    /// roles/clusterroles there, or when the rules the user holds in that namespace cover
    /// `rules` (`ConfirmNoEscalation`).
    pub fn can_write_role(
        &self,
        user: &UserInfo,
        namespace: &str,
        rules: &[PolicyRule],
    ) -> EscalationCheck {
        let resource = if namespace.is_empty() {
            "clusterroles"
        } else {
            "roles"
        };
        let escalate = Attributes::resource(
            user.clone(),
            "escalate",
            crate::model::RBAC_GROUP,
            resource,
            "",
            namespace,
            "",
        );
        let has_escalate = self.authorize(&escalate).allowed;
        let (owned, errors) = self.rules_for(user, namespace);
        let owned: Vec<PolicyRule> = owned.into_iter().map(|(_, r)| r.clone()).collect();
        let (covered, uncovered) = covers(&owned, rules);
        let message = (!covered && !has_escalate).then(|| {
            let missing: Vec<String> = uncovered.iter().map(PolicyRule::compact).collect();
            let mut m = format!(
                "user {} (groups={}) is attempting to grant RBAC permissions not currently held:\n{}",
                go_quote(&user.name),
                go_groups(&user.groups),
                missing.join("\n")
            );
            if !errors.is_empty() {
                m.push_str(&format!(
                    "; resolution errors: {}",
                    aggregate_errors(&errors)
                ));
            }
            m
        });
        EscalationCheck {
            allowed: covered || has_escalate,
            has_escalate,
            uncovered,
            errors,
            message,
        }
    }
}

fn go_groups(groups: &[String]) -> String {
    let items: Vec<String> = groups.iter().map(|g| go_quote(g)).collect();
    format!("[{}]", items.join(" "))
}
