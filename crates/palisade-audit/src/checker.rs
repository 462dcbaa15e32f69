//! Evaluating a [`Policy`] for one request, as upstream's policy checker
//! (`k8s.io/apiserver/pkg/audit/policy/checker.go`) decides.

use crate::policy::{GroupResources, Level, Policy, PolicyRule, StageSet};

/// The authenticated user of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct User<'a> {
    /// The user name.
    pub name: &'a str,
    /// The user's groups.
    pub groups: &'a [&'a str],
}

/// The attributes the API server hands to the audit policy for one request (upstream's
/// `authorizer.Attributes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Request<'a> {
    /// The user; `None` for a request that failed authentication (it is still audited).
    pub user: Option<User<'a>>,
    /// The API verb (`get`, `list`, `watch`, `create`, …) for a resource request, the
    /// lower-case HTTP method for a non-resource request.
    pub verb: &'a str,
    /// Whether this is a request for an API resource (as opposed to a non-resource URL).
    pub resource_request: bool,
    /// The API group, `""` for the core group.
    pub api_group: &'a str,
    /// The resource (`pods`).
    pub resource: &'a str,
    /// The subresource (`log`), `""` for none.
    pub subresource: &'a str,
    /// The namespace, `""` for cluster-scoped resources. For a request on one Namespace object
    /// the API server sets it to that object's name.
    pub namespace: &'a str,
    /// The object name, `""` for list, watch, deletecollection and create on a collection.
    pub name: &'a str,
    /// The URL path without the query (read only by `nonResourceURLs`).
    pub path: &'a str,
}

impl<'a> Request<'a> {
    /// A resource request: `verb` on `resource` (optionally `resource/subresource`) of
    /// `api_group`, in `namespace` (`""` when cluster-scoped), for object `name` (`""` for none).
    pub fn resource(
        user: Option<User<'a>>,
        verb: &'a str,
        api_group: &'a str,
        resource: &'a str,
        subresource: &'a str,
        namespace: &'a str,
        name: &'a str,
    ) -> Self {
        Request {
            user,
            verb,
            resource_request: true,
            api_group,
            resource,
            subresource,
            namespace,
            name,
            path: "",
        }
    }

    /// A non-resource request: lower-case HTTP `verb` on `path`.
    pub fn non_resource(user: Option<User<'a>>, verb: &'a str, path: &'a str) -> Self {
        Request {
            user,
            verb,
            path,
            ..Request::default()
        }
    }
}

/// What the policy decides for one request (upstream's `RequestAuditConfig`, plus the rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// The level; `None` when no rule matches.
    pub level: Level,
    /// The omitted stages: the matching rule's merged with the policy's, or the policy's alone
    /// when no rule matches.
    pub omit_stages: StageSet,
    /// Whether managed fields are omitted from logged bodies.
    pub omit_managed_fields: bool,
    /// The 0-based index of the first rule that matches (upstream does not expose it).
    pub matched_rule: Option<usize>,
}

impl Policy {
    /// Decides the audit level, omitted stages and `omitManagedFields` for `request`: the
    /// first matching rule wins; no match gives level `None` and the policy's defaults
    /// (upstream `policyRuleEvaluator.EvaluatePolicyRule`, with the stage union of
    /// `NewPolicyRuleEvaluator`).
    pub fn evaluate(&self, request: &Request<'_>) -> Decision {
        match self.first_match(request) {
            Some((index, rule)) => Decision {
                level: rule.level,
                omit_stages: self.omit_stages.union(rule.omit_stages),
                omit_managed_fields: rule.omit_managed_fields.unwrap_or(self.omit_managed_fields),
                matched_rule: Some(index),
            },
            None => Decision {
                level: Level::None,
                omit_stages: self.omit_stages,
                omit_managed_fields: self.omit_managed_fields,
                matched_rule: None,
            },
        }
    }

    /// The first rule that matches `request`, with its index.
    pub fn first_match(&self, request: &Request<'_>) -> Option<(usize, &PolicyRule)> {
        self.rules
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.matches(request))
    }
}

impl PolicyRule {
    /// Whether this rule alone matches `request` (upstream `ruleMatches`).
    pub fn matches(&self, request: &Request<'_>) -> bool {
        if !self.users.is_empty() {
            match request.user {
                Some(user) if has(&self.users, user.name) => {}
                _ => return false,
            }
        }
        if !self.user_groups.is_empty() {
            let Some(user) = request.user else {
                return false;
            };
            if !user.groups.iter().any(|g| has(&self.user_groups, g)) {
                return false;
            }
        }
        if !self.verbs.is_empty() && !has(&self.verbs, request.verb) {
            return false;
        }
        if self.is_resource_rule() {
            return self.matches_resource(request);
        }
        if !self.non_resource_urls.is_empty() {
            return !request.resource_request
                && self
                    .non_resource_urls
                    .iter()
                    .any(|spec| path_matches(request.path, spec));
        }
        true
    }

    /// Upstream `ruleMatchesResource`.
    fn matches_resource(&self, request: &Request<'_>) -> bool {
        if !request.resource_request {
            return false;
        }
        if !self.namespaces.is_empty() && !has(&self.namespaces, request.namespace) {
            return false;
        }
        self.resources.is_empty() || self.resources.iter().any(|gr| gr.matches(request))
    }
}

impl GroupResources {
    /// Whether this entry matches a resource request (one iteration of upstream's loop in
    /// `ruleMatchesResource`).
    pub fn matches(&self, request: &Request<'_>) -> bool {
        if self.group != request.api_group && self.group != "*" {
            return false;
        }
        if self.resources.is_empty() {
            return true;
        }
        if !self.resource_names.is_empty() && !has(&self.resource_names, request.name) {
            return false;
        }
        self.resources
            .iter()
            .any(|res| resource_matches(res, request.resource, request.subresource))
    }
}

/// Whether one `resources` entry matches `resource` with `subresource` (`""` for none).
pub(crate) fn resource_matches(spec: &str, resource: &str, subresource: &str) -> bool {
    if spec == "*" {
        return true;
    }
    // "resource/subresource", or "resource" alone.
    let combined = if subresource.is_empty() {
        spec == resource
    } else {
        spec.strip_prefix(resource)
            .and_then(|rest| rest.strip_prefix('/'))
            == Some(subresource)
    };
    if combined {
        return true;
    }
    // "*/subresource"
    if !subresource.is_empty() && spec.strip_prefix("*/") == Some(subresource) {
        return true;
    }
    // "resource/*" also matches the resource itself.
    spec.strip_suffix("/*") == Some(resource)
}

/// Upstream `pathMatches`: `*`, an exact path, or a prefix (all trailing `*` removed).
pub(crate) fn path_matches(path: &str, spec: &str) -> bool {
    spec == "*"
        || spec == path
        || (spec.ends_with('*') && path.starts_with(spec.trim_end_matches('*')))
}

fn has(list: &[String], value: &str) -> bool {
    list.iter().any(|s| s == value)
}
