//! A minimal authorizer for tests and the `vap` op: RBAC rules granted cluster-wide to users
//! by name (`{"grants": [{"user", "rules": [PolicyRule…]}]}`), allowing what a rule covers and
//! having no opinion on anything else. `resources` entries of the form `r/sub` name a
//! subresource. The full RBAC authorizer over Roles and bindings is palisade-rbac's.

use palisade_cel::authz::{Answer, Attributes, Authorizer, Decision};
use serde::Deserialize;

/// One RBAC PolicyRule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Verbs, `*` for all.
    #[serde(default)]
    pub verbs: Vec<String>,
    /// API groups, `*` for all.
    #[serde(default)]
    pub api_groups: Vec<String>,
    /// Resources (`r`, `r/sub`, `*`, `r/*`, `*/sub`).
    #[serde(default)]
    pub resources: Vec<String>,
    /// Object names; empty for all.
    #[serde(default)]
    pub resource_names: Vec<String>,
    /// Non-resource URL paths (`/healthz`, `/api/*`).
    #[serde(default, rename = "nonResourceURLs")]
    pub non_resource_urls: Vec<String>,
}

/// The rules granted to one user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Grant {
    /// The user name.
    pub user: String,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// Users and their rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct GrantsAuthorizer {
    /// The grants.
    #[serde(default)]
    pub grants: Vec<Grant>,
}

fn has(items: &[String], value: &str) -> bool {
    items.iter().any(|i| i == "*" || i == value)
}

impl Rule {
    /// Whether the rule covers the request (RBAC's `RuleAllows`).
    pub fn allows(&self, a: &Attributes) -> bool {
        if !has(&self.verbs, &a.verb) {
            return false;
        }
        if !a.path.is_empty() && a.resource.is_empty() {
            return self.non_resource_urls.iter().any(|u| {
                u == "*"
                    || u == &a.path
                    || u.strip_suffix('*').is_some_and(|p| a.path.starts_with(p))
            });
        }
        let combined = if a.subresource.is_empty() {
            a.resource.clone()
        } else {
            format!("{}/{}", a.resource, a.subresource)
        };
        has(&self.api_groups, &a.api_group)
            && self.resources.iter().any(|r| {
                r == "*"
                    || r == &combined
                    || (!a.subresource.is_empty() && r == &format!("*/{}", a.subresource))
                    || r.strip_suffix("/*").is_some_and(|base| base == a.resource)
            })
            && (self.resource_names.is_empty() || self.resource_names.iter().any(|n| n == &a.name))
    }
}

impl Authorizer for GrantsAuthorizer {
    fn authorize(&self, a: &Attributes) -> Answer {
        let allowed = self
            .grants
            .iter()
            .filter(|g| g.user == a.user)
            .flat_map(|g| &g.rules)
            .any(|r| r.allows(a));
        Answer {
            decision: if allowed {
                Decision::Allow
            } else {
                Decision::NoOpinion
            },
            reason: String::new(),
            error: None,
        }
    }
}
