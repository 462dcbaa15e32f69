//! One rule of `resourceRules` against a request (upstream `predicates/rules`): scope,
//! operation, group, version and resource with subresource must all match.

use crate::policy::NamedRuleWithOperations;
use crate::request::Operation;
use crate::resource::GroupVersionResource;

/// The parts of a request a rule looks at.
#[derive(Debug, Clone, Copy)]
pub struct RuleTarget<'a> {
    /// The operation.
    pub operation: Operation,
    /// The resource (possibly an equivalent of the requested one).
    pub resource: &'a GroupVersionResource,
    /// The subresource, empty for the main resource.
    pub sub_resource: &'a str,
    /// The request's namespace, empty for cluster-scoped requests.
    pub namespace: &'a str,
}

fn exact_or_wildcard(items: &[String], requested: &str) -> bool {
    items.iter().any(|i| i == "*" || i == requested)
}

fn is_namespaces_resource(r: &GroupVersionResource) -> bool {
    r.group.is_empty() && r.version == "v1" && r.resource == "namespaces"
}

/// Whether the rule matches (`Matcher.Matches`).
pub fn rule_matches(rule: &NamedRuleWithOperations, target: &RuleTarget<'_>) -> bool {
    scope_matches(rule.scope.as_deref(), target)
        && rule
            .operations
            .iter()
            .any(|op| op == "*" || op == target.operation.as_str())
        && exact_or_wildcard(&rule.api_groups, &target.resource.group)
        && exact_or_wildcard(&rule.api_versions, &target.resource.version)
        && resource_matches(&rule.resources, target)
}

/// `scope`: a `namespaces` request is cluster-scoped whatever its namespace field says.
fn scope_matches(scope: Option<&str>, target: &RuleTarget<'_>) -> bool {
    let cluster = is_namespaces_resource(target.resource) || target.namespace.is_empty();
    match scope {
        None | Some("*") => true,
        Some("Namespaced") => !cluster,
        Some("Cluster") => cluster,
        Some(_) => false,
    }
}

/// `resources`: `res` matches the main resource only, `res/sub` one subresource, `res/*` the
/// resource and all its subresources, `*` every main resource, `*/sub` that subresource of
/// every resource, `*/*` everything.
fn resource_matches(resources: &[String], target: &RuleTarget<'_>) -> bool {
    resources.iter().any(|r| {
        let (res, sub) = r.split_once('/').unwrap_or((r, ""));
        (res == "*" || res == target.resource.resource)
            && (sub == "*" || sub == target.sub_resource)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(resources: &[&str], scope: Option<&str>) -> NamedRuleWithOperations {
        NamedRuleWithOperations {
            operations: vec!["*".into()],
            api_groups: vec!["*".into()],
            api_versions: vec!["*".into()],
            resources: resources.iter().map(|s| (*s).to_owned()).collect(),
            scope: scope.map(str::to_owned),
            ..Default::default()
        }
    }

    fn target<'a>(r: &'a GroupVersionResource, sub: &'a str, ns: &'a str) -> RuleTarget<'a> {
        RuleTarget {
            operation: Operation::Create,
            resource: r,
            sub_resource: sub,
            namespace: ns,
        }
    }

    #[test]
    fn subresource_forms() {
        let pods = GroupVersionResource::new("", "v1", "pods");
        assert!(rule_matches(
            &rule(&["pods"], None),
            &target(&pods, "", "ns")
        ));
        assert!(!rule_matches(
            &rule(&["pods"], None),
            &target(&pods, "exec", "ns")
        ));
        assert!(rule_matches(
            &rule(&["pods/*"], None),
            &target(&pods, "", "ns")
        ));
        assert!(rule_matches(
            &rule(&["pods/*"], None),
            &target(&pods, "exec", "ns")
        ));
        assert!(rule_matches(
            &rule(&["*/exec"], None),
            &target(&pods, "exec", "ns")
        ));
        assert!(!rule_matches(
            &rule(&["*"], None),
            &target(&pods, "exec", "ns")
        ));
        assert!(rule_matches(
            &rule(&["*/*"], None),
            &target(&pods, "exec", "ns")
        ));
    }

    #[test]
    fn namespaces_are_cluster_scoped() {
        let ns = GroupVersionResource::new("", "v1", "namespaces");
        assert!(rule_matches(
            &rule(&["*"], Some("Cluster")),
            &target(&ns, "", "x")
        ));
        assert!(!rule_matches(
            &rule(&["*"], Some("Namespaced")),
            &target(&ns, "", "x")
        ));
        let pods = GroupVersionResource::new("", "v1", "pods");
        assert!(!rule_matches(
            &rule(&["*"], Some("Cluster")),
            &target(&pods, "", "x")
        ));
        assert!(!rule_matches(
            &rule(&["*"], Some("Bogus")),
            &target(&pods, "", "x")
        ));
    }
}
