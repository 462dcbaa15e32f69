//! Properties of evaluation that follow from upstream's first-match loop
//! (`policyRuleEvaluator.EvaluatePolicyRule`, k8s.io/apiserver pkg/audit/policy/checker.go).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_audit::{GroupResources, Level, Policy, PolicyRule, Request, Stage, StageSet, User};
use proptest::prelude::*;

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "", "*", "a", "b", "pods", "pods/log", "pods/*", "*/log", "get", "list", "/healthz", "/h*",
    ])
    .prop_map(str::to_owned)
}

fn words() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(word(), 0..3)
}

fn level() -> impl Strategy<Value = Level> {
    prop::sample::select(Level::ALL.to_vec())
}

fn stages() -> impl Strategy<Value = StageSet> {
    prop::collection::vec(prop::sample::select(Stage::ALL.to_vec()), 0..3)
        .prop_map(|v| v.into_iter().collect())
}

fn rule() -> impl Strategy<Value = PolicyRule> {
    (
        level(),
        (words(), words(), words(), words(), words()),
        prop::collection::vec((word(), words(), words()), 0..2),
        stages(),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(level, (users, user_groups, verbs, namespaces, urls), res, omit_stages, omf)| {
                let mut r = PolicyRule::new(level);
                r.users = users;
                r.user_groups = user_groups;
                r.verbs = verbs;
                r.namespaces = namespaces;
                r.non_resource_urls = urls;
                r.resources = res
                    .into_iter()
                    .map(|(group, resources, resource_names)| GroupResources {
                        group,
                        resources,
                        resource_names,
                    })
                    .collect();
                r.omit_stages = omit_stages;
                r.omit_managed_fields = omf;
                r
            },
        )
}

#[derive(Debug, Clone)]
struct Req {
    user: Option<(String, Vec<String>)>,
    verb: String,
    resource_request: bool,
    group: String,
    resource: String,
    sub: String,
    ns: String,
    name: String,
    path: String,
}

fn request() -> impl Strategy<Value = Req> {
    (
        prop::option::of((word(), words())),
        word(),
        any::<bool>(),
        (word(), word(), word(), word(), word(), word()),
    )
        .prop_map(
            |(user, verb, resource_request, (group, resource, sub, ns, name, path))| Req {
                user,
                verb,
                resource_request,
                group,
                resource,
                sub,
                ns,
                name,
                path,
            },
        )
}

fn evaluate(policy: &Policy, r: &Req) -> palisade_audit::Decision {
    let groups: Vec<&str> = r
        .user
        .as_ref()
        .map(|u| u.1.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let request = Request {
        user: r.user.as_ref().map(|u| User {
            name: &u.0,
            groups: &groups,
        }),
        verb: &r.verb,
        resource_request: r.resource_request,
        api_group: &r.group,
        resource: &r.resource,
        subresource: &r.sub,
        namespace: &r.ns,
        name: &r.name,
        path: &r.path,
    };
    policy.evaluate(&request)
}

proptest! {
    /// A rule appended after a catch-all never changes an answer: the catch-all matches every
    /// request, so the loop never reaches the new rule.
    #[test]
    fn rule_after_catch_all_changes_nothing(
        rules in prop::collection::vec(rule(), 0..4),
        catch_all in level(),
        extra in rule(),
        policy_stages in stages(),
        omf in any::<bool>(),
        reqs in prop::collection::vec(request(), 1..8),
    ) {
        let mut policy = Policy { rules, omit_stages: policy_stages, omit_managed_fields: omf };
        policy.rules.push(PolicyRule::new(catch_all));
        let mut extended = policy.clone();
        extended.rules.push(extra);
        for r in &reqs {
            let d = evaluate(&policy, r);
            prop_assert!(d.matched_rule.is_some());
            prop_assert_eq!(d, evaluate(&extended, r));
        }
    }

    /// The policy's omitted stages are always among the answer's (upstream `unionStages`).
    #[test]
    fn policy_stages_always_omitted(
        rules in prop::collection::vec(rule(), 0..4),
        policy_stages in stages(),
        r in request(),
    ) {
        let policy = Policy { rules, omit_stages: policy_stages, omit_managed_fields: false };
        let d = evaluate(&policy, &r);
        prop_assert_eq!(d.omit_stages.union(policy_stages), d.omit_stages);
    }
}
