//! Properties over random small clusters: the indexed authorizer answers exactly as a direct
//! transcription of upstream's scan (decision and reason); adding a binding never removes an
//! allowed request; who-can agrees with can-i.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_rbac::authorizer::{aggregate_errors, applies_to, applies_to_user};
use palisade_rbac::matching::rule_allows;
use palisade_rbac::model::{Binding, Cluster, PolicyRule, Role, RoleRef, Subject};
use palisade_rbac::{Attributes, Authorizer, UserInfo};
use proptest::prelude::*;

const NS: &[&str] = &["ns1", "ns2"];

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(items).prop_map(str::to_owned)
}

fn rule() -> impl Strategy<Value = PolicyRule> {
    (
        prop::collection::vec(pick(&["get", "list", "create", "*"]), 1..3),
        prop::collection::vec(pick(&["", "apps", "*"]), 1..2),
        prop::collection::vec(
            pick(&["pods", "secrets", "pods/log", "*/log", "*", "deployments"]),
            1..3,
        ),
        prop::collection::vec(pick(&["x", "y"]), 0..2),
        prop::collection::vec(pick(&["/healthz", "/api/*", "*"]), 0..2),
    )
        .prop_map(
            |(verbs, api_groups, resources, resource_names, non_resource_urls)| PolicyRule {
                verbs,
                api_groups,
                resources,
                resource_names,
                non_resource_urls,
            },
        )
}

fn subject() -> impl Strategy<Value = Subject> {
    prop_oneof![
        pick(&["alice", "bob", "system:serviceaccount:ns1:sa"]).prop_map(|n| Subject::user(&n)),
        pick(&["g1", "g2", "system:serviceaccounts:ns2"]).prop_map(|n| Subject::group(&n)),
        (pick(NS), pick(&["sa", "other"])).prop_map(|(ns, n)| Subject::service_account(&ns, &n)),
    ]
}

fn role_ref() -> impl Strategy<Value = RoleRef> {
    (
        pick(&["Role", "ClusterRole", "ClusterRole", "Bogus"]),
        pick(&["r0", "r1", "r2"]),
    )
        .prop_map(|(kind, name)| RoleRef {
            api_group: "rbac.authorization.k8s.io".into(),
            kind,
            name,
        })
}

fn binding() -> impl Strategy<Value = Binding> {
    (
        prop::option::of(pick(NS)),
        role_ref(),
        prop::collection::vec(subject(), 0..3),
        0u8..100,
    )
        .prop_map(|(ns, role_ref, subjects, id)| Binding {
            name: format!("b{id}"),
            namespace: ns.unwrap_or_default(),
            role_ref,
            subjects,
            origin: None,
        })
}

fn cluster() -> impl Strategy<Value = Cluster> {
    (
        prop::collection::vec(prop::collection::vec(rule(), 0..3), 3),
        prop::collection::vec(
            (
                pick(NS),
                pick(&["r0", "r1"]),
                prop::collection::vec(rule(), 0..3),
            ),
            0..3,
        ),
        prop::collection::vec(binding(), 0..8),
    )
        .prop_map(|(cluster_rules, roles, bindings)| {
            let mut c = Cluster::default();
            for (i, rules) in cluster_rules.into_iter().enumerate() {
                c.cluster_roles.push(Role {
                    name: format!("r{i}"),
                    rules,
                    ..Role::default()
                });
            }
            for (ns, name, rules) in roles {
                c.roles.push(Role {
                    name,
                    namespace: ns,
                    rules,
                    ..Role::default()
                });
            }
            for b in bindings {
                if b.namespace.is_empty() {
                    c.cluster_role_bindings.push(b);
                } else {
                    c.role_bindings.push(b);
                }
            }
            c
        })
}

fn user() -> impl Strategy<Value = UserInfo> {
    prop_oneof![
        (
            pick(&["alice", "bob", "carol"]),
            prop::collection::vec(pick(&["g1", "g2"]), 0..2)
        )
            .prop_map(|(n, g)| UserInfo {
                name: n,
                groups: g,
                ..UserInfo::default()
            }),
        (pick(NS), pick(&["sa", "other"])).prop_map(|(ns, n)| UserInfo::service_account(&ns, &n)),
    ]
}

fn request() -> impl Strategy<Value = Attributes> {
    (
        user(),
        pick(&["get", "list", "create", "delete"]),
        pick(&["", "apps"]),
        pick(&["pods", "secrets", "deployments"]),
        pick(&["", "log"]),
        pick(&["ns1", "ns2", ""]),
        pick(&["", "x", "z"]),
        prop::option::of(pick(&["/healthz", "/api/v1", "/metrics"])),
    )
        .prop_map(|(u, verb, g, r, sub, ns, name, path)| match path {
            Some(p) => Attributes::non_resource(u, &verb, &p),
            None => Attributes::resource(u, &verb, &g, &r, &sub, &ns, &name),
        })
}

/// A direct transcription of upstream's scan, last role with a name winning as in our loader.
fn linear(c: &Cluster, a: &Attributes) -> (bool, String) {
    let find = |b: &Binding| -> Result<&[PolicyRule], String> {
        match b.role_ref.kind.as_str() {
            "Role" => c
                .roles
                .iter()
                .rev()
                .find(|r| r.namespace == b.namespace && r.name == b.role_ref.name)
                .map(|r| r.rules.as_slice())
                .ok_or_else(|| {
                    format!(
                        "role.rbac.authorization.k8s.io \"{}\" not found",
                        b.role_ref.name
                    )
                }),
            "ClusterRole" => c
                .cluster_roles
                .iter()
                .rev()
                .find(|r| r.name == b.role_ref.name)
                .map(|r| r.rules.as_slice())
                .ok_or_else(|| {
                    format!(
                        "clusterrole.rbac.authorization.k8s.io \"{}\" not found",
                        b.role_ref.name
                    )
                }),
            k => Err(format!("unsupported role reference kind: \"{k}\"")),
        }
    };
    let mut errors = Vec::new();
    let scopes: Vec<(&[Binding], &str)> = if a.namespace.is_empty() {
        vec![(&c.cluster_role_bindings, "")]
    } else {
        vec![
            (&c.cluster_role_bindings, ""),
            (&c.role_bindings, a.namespace.as_str()),
        ]
    };
    for (bindings, ns) in scopes {
        for b in bindings.iter().filter(|b| b.namespace == ns) {
            let Some(si) = applies_to(&a.user, &b.subjects, ns) else {
                continue;
            };
            match find(b) {
                Ok(rules) => {
                    if rules.iter().any(|r| rule_allows(a, r)) {
                        let s = &b.subjects[si];
                        let binding = if ns.is_empty() {
                            format!("ClusterRoleBinding \"{}\"", b.name)
                        } else {
                            format!("RoleBinding \"{}/{}\"", b.name, b.namespace)
                        };
                        return (
                            true,
                            format!(
                                "RBAC: allowed by {binding} of {} \"{}\" to {}",
                                b.role_ref.kind,
                                b.role_ref.name,
                                s.describe(ns)
                            ),
                        );
                    }
                }
                Err(e) => errors.push(e),
            }
        }
    }
    let reason = if errors.is_empty() {
        String::new()
    } else {
        format!("RBAC: {}", aggregate_errors(&errors))
    };
    (false, reason)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn indexed_authorizer_matches_the_upstream_scan(c in cluster(), reqs in prop::collection::vec(request(), 1..8)) {
        let a = Authorizer::new(c.clone());
        for r in &reqs {
            let d = a.authorize(r);
            prop_assert_eq!((d.allowed, d.reason), linear(&c, r));
        }
    }

    #[test]
    fn adding_a_binding_never_removes_an_allowed_request(c in cluster(), extra in binding(), reqs in prop::collection::vec(request(), 1..8)) {
        let before = Authorizer::new(c.clone());
        let mut more = c;
        if extra.namespace.is_empty() {
            more.cluster_role_bindings.push(extra);
        } else {
            more.role_bindings.push(extra);
        }
        let after = Authorizer::new(more);
        for r in &reqs {
            if before.authorize(r).allowed {
                prop_assert!(after.authorize(r).allowed);
            }
        }
    }

    #[test]
    fn who_can_agrees_with_can_i(c in cluster(), reqs in prop::collection::vec(request(), 1..8)) {
        let a = Authorizer::new(c);
        for r in &reqs {
            let who = a.who_can(r, "");
            // Every subject here has a namespace where one is needed, so "applies to the user"
            // does not depend on the binding.
            let listed = who.subjects.iter().skip(1).any(|s| applies_to_user(&r.user, s, &r.namespace));
            prop_assert_eq!(a.authorize(r).allowed, listed, "{:?}", r);
        }
    }
}
