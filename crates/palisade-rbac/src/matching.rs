//! Rule matching exactly as upstream's `RuleAllows` (`plugin/pkg/auth/authorizer/rbac`) and
//! the `rbacv1helpers` matchers: one definition used by the authorizer, who-can, the matrix
//! and the analysis.

use crate::attributes::Attributes;
use crate::model::PolicyRule;

/// `*`: every verb, group, resource or URL.
pub const ALL: &str = "*";

/// A verb in the rule equals the request's, or the rule has `*`.
pub fn verb_matches(rule: &PolicyRule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == ALL || v == verb)
}

/// An API group in the rule equals the request's, or the rule has `*`.
pub fn api_group_matches(rule: &PolicyRule, group: &str) -> bool {
    rule.api_groups.iter().any(|g| g == ALL || g == group)
}

/// The rule names the combined resource (`pods/log`), `*`, or `*/<subresource>`.
pub fn resource_matches(rule: &PolicyRule, combined: &str, subresource: &str) -> bool {
    rule.resources.iter().any(|r| {
        r == ALL
            || r == combined
            || (!subresource.is_empty()
                && r.len() == subresource.len() + 2
                && r.starts_with("*/")
                && r.ends_with(subresource))
    })
}

/// The rule has no resourceNames, or names the request's object.
pub fn resource_name_matches(rule: &PolicyRule, name: &str) -> bool {
    rule.resource_names.is_empty() || rule.resource_names.iter().any(|n| n == name)
}

/// A URL in the rule equals the path, is `*`, or ends in `*` and is a prefix of the path.
pub fn non_resource_url_matches(rule: &PolicyRule, path: &str) -> bool {
    rule.non_resource_urls.iter().any(|u| {
        u == ALL || u == path || (u.ends_with('*') && path.starts_with(u.trim_end_matches('*')))
    })
}

/// The resource as the authorizer compares it: `resource` or `resource/subresource`.
pub fn combined_resource(resource: &str, subresource: &str) -> String {
    if subresource.is_empty() {
        resource.to_owned()
    } else {
        format!("{resource}/{subresource}")
    }
}

/// Whether `rule` allows the request, as upstream's `RuleAllows`.
pub fn rule_allows(attrs: &Attributes, rule: &PolicyRule) -> bool {
    if attrs.resource_request {
        verb_matches(rule, &attrs.verb)
            && api_group_matches(rule, &attrs.api_group)
            && resource_matches_attrs(rule, attrs)
            && resource_name_matches(rule, &attrs.name)
    } else {
        verb_matches(rule, &attrs.verb) && non_resource_url_matches(rule, &attrs.path)
    }
}

fn resource_matches_attrs(rule: &PolicyRule, attrs: &Attributes) -> bool {
    if attrs.subresource.is_empty() {
        resource_matches(rule, &attrs.resource, "")
    } else {
        resource_matches(
            rule,
            &combined_resource(&attrs.resource, &attrs.subresource),
            &attrs.subresource,
        )
    }
}

/// Whether any of `rules` allows the request (upstream's `RulesAllow`).
pub fn rules_allow<'r>(
    attrs: &Attributes,
    rules: impl IntoIterator<Item = &'r PolicyRule>,
) -> bool {
    rules.into_iter().any(|r| rule_allows(attrs, r))
}
