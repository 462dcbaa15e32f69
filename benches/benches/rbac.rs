//! `rbac`: a synthetic cluster with 10,000 bindings (2,000 ClusterRoleBindings, 8,000
//! RoleBindings over 200 namespaces) and 2,000 roles (500 ClusterRoles, 1,500 Roles). Authorize
//! (a mix of allowed and denied requests) and who-can through the indexed [`Authorizer`], side
//! by side in the same run with an in-bench linear scan that mirrors upstream's algorithm
//! (every ClusterRoleBinding, then the namespace's RoleBindings, as the informer's namespace
//! index lists them; roles looked up by name). Goal: ≥ 10x. Also a full `analyze` and `paths`
//! run over that cluster.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade::rbac::authorizer::applies_to;
use palisade::rbac::matching::rule_allows;
use palisade::rbac::model::{Binding, Cluster, PolicyRule, Role, RoleRef, Subject};
use palisade::rbac::{Attributes, Authorizer, UserInfo};
use palisade_benches::Rng;

const NAMESPACES: usize = 200;
const USERS: usize = 3000;
const GROUPS: usize = 200;
const RESOURCES: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "pods/log"),
    ("", "pods/exec"),
    ("", "services"),
    ("", "configmaps"),
    ("", "secrets"),
    ("", "serviceaccounts"),
    ("", "persistentvolumeclaims"),
    ("", "events"),
    ("", "endpoints"),
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("networking.k8s.io", "ingresses"),
    ("networking.k8s.io", "networkpolicies"),
    ("policy", "poddisruptionbudgets"),
    ("autoscaling", "horizontalpodautoscalers"),
    ("rbac.authorization.k8s.io", "roles"),
    ("rbac.authorization.k8s.io", "rolebindings"),
    ("coordination.k8s.io", "leases"),
    ("discovery.k8s.io", "endpointslices"),
    ("monitoring.example.com", "servicemonitors"),
    ("monitoring.example.com", "prometheusrules"),
    ("cert-manager.io", "certificates"),
    ("cert-manager.io", "issuers"),
    ("example.com", "widgets"),
    ("example.com", "gadgets"),
];
const VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
];

fn rules(rng: &mut Rng) -> Vec<PolicyRule> {
    (0..2 + rng.below(4))
        .map(|_| {
            let (group, _) = RESOURCES[rng.below(RESOURCES.len())];
            let resources: Vec<String> = (0..1 + rng.below(3))
                .map(|_| RESOURCES[rng.below(RESOURCES.len())].1.to_owned())
                .collect();
            let verbs: Vec<String> = (0..1 + rng.below(3))
                .map(|_| VERBS[rng.below(VERBS.len())].to_owned())
                .collect();
            PolicyRule {
                verbs,
                api_groups: vec![group.to_owned()],
                resources,
                ..PolicyRule::default()
            }
        })
        .collect()
}

fn subject(rng: &mut Rng, ns: &str) -> Subject {
    match rng.below(10) {
        0..=5 => Subject::user(&format!("user-{}", rng.below(USERS))),
        6..=7 => Subject::group(&format!("group-{}", rng.below(GROUPS))),
        _ => Subject::service_account(
            if ns.is_empty() { "ns-0" } else { ns },
            &format!("sa-{}", rng.below(5)),
        ),
    }
}

fn synthetic_cluster() -> Cluster {
    let mut rng = Rng(0x5eed);
    let mut c = Cluster::default();
    for i in 0..500 {
        c.cluster_roles.push(Role {
            name: format!("cluster-role-{i}"),
            rules: rules(&mut rng),
            ..Role::default()
        });
    }
    for i in 0..1500 {
        c.roles.push(Role {
            name: format!("role-{i}"),
            namespace: format!("ns-{}", i % NAMESPACES),
            rules: rules(&mut rng),
            ..Role::default()
        });
    }
    for i in 0..2000 {
        let n = 1 + rng.below(3);
        c.cluster_role_bindings.push(Binding {
            name: format!("crb-{i}"),
            role_ref: RoleRef {
                api_group: "rbac.authorization.k8s.io".into(),
                kind: "ClusterRole".into(),
                name: format!("cluster-role-{}", rng.below(500)),
            },
            subjects: (0..n).map(|_| subject(&mut rng, "")).collect(),
            ..Binding::default()
        });
    }
    for i in 0..8000 {
        let ns = format!("ns-{}", rng.below(NAMESPACES));
        let role_ref = if rng.below(2) == 0 {
            RoleRef {
                api_group: "rbac.authorization.k8s.io".into(),
                kind: "ClusterRole".into(),
                name: format!("cluster-role-{}", rng.below(500)),
            }
        } else {
            // A Role of the binding's namespace (roles are spread i % NAMESPACES).
            let k = ns.trim_start_matches("ns-").parse::<usize>().unwrap();
            RoleRef {
                api_group: "rbac.authorization.k8s.io".into(),
                kind: "Role".into(),
                name: format!("role-{}", k + NAMESPACES * rng.below(1500 / NAMESPACES)),
            }
        };
        let n = 1 + rng.below(3);
        c.role_bindings.push(Binding {
            name: format!("rb-{i}"),
            subjects: (0..n).map(|_| subject(&mut rng, &ns)).collect(),
            namespace: ns,
            role_ref,
            origin: None,
        });
    }
    for ns in 0..NAMESPACES {
        c.namespaces.push(format!("ns-{ns}"));
        for k in 0..5 {
            c.service_accounts
                .push(palisade::rbac::model::ServiceAccount {
                    namespace: format!("ns-{ns}"),
                    name: format!("sa-{k}"),
                });
        }
    }
    c
}

/// Half the requests are built from a random binding's subject and rule (mostly allowed), half
/// at random (mostly denied).
fn requests(rng: &mut Rng, cluster: &Cluster, n: usize) -> Vec<Attributes> {
    (0..n)
        .map(|i| {
            if i % 2 == 0 {
                let k =
                    rng.below(cluster.role_bindings.len() + cluster.cluster_role_bindings.len());
                let b = cluster.cluster_role_bindings.get(k).unwrap_or_else(|| {
                    &cluster.role_bindings[k - cluster.cluster_role_bindings.len()]
                });
                let s = &b.subjects[rng.below(b.subjects.len())];
                let user = palisade::rbac::query::user_for_subject(s);
                let role = if b.role_ref.kind == "Role" {
                    cluster
                        .roles
                        .iter()
                        .find(|r| r.namespace == b.namespace && r.name == b.role_ref.name)
                } else {
                    cluster
                        .cluster_roles
                        .iter()
                        .find(|r| r.name == b.role_ref.name)
                };
                let rules = role.map(|r| r.rules.as_slice()).unwrap_or(&[]);
                if let Some(rule) = rules.get(rng.below(rules.len().max(1))) {
                    let resource = &rule.resources[rng.below(rule.resources.len())];
                    let (resource, sub) = resource.split_once('/').unwrap_or((resource, ""));
                    let ns = if b.namespace.is_empty() {
                        format!("ns-{}", rng.below(NAMESPACES))
                    } else {
                        b.namespace.clone()
                    };
                    return Attributes::resource(
                        user,
                        &rule.verbs[rng.below(rule.verbs.len())],
                        &rule.api_groups[0],
                        resource,
                        sub,
                        &ns,
                        "",
                    );
                }
            }
            let user = if rng.below(4) == 0 {
                UserInfo::service_account(
                    &format!("ns-{}", rng.below(NAMESPACES)),
                    &format!("sa-{}", rng.below(5)),
                )
            } else {
                let name = format!("user-{}", rng.below(USERS));
                let g1 = format!("group-{}", rng.below(GROUPS));
                let g2 = format!("group-{}", rng.below(GROUPS));
                UserInfo::new(&name, &[g1.as_str(), g2.as_str(), "system:authenticated"])
            };
            let (group, resource) = RESOURCES[rng.below(RESOURCES.len())];
            let (resource, sub) = resource.split_once('/').unwrap_or((resource, ""));
            Attributes::resource(
                user,
                VERBS[rng.below(VERBS.len())],
                group,
                resource,
                sub,
                &format!("ns-{}", rng.below(NAMESPACES)),
                "",
            )
        })
        .collect()
}

/// Upstream's algorithm over the same data: the role getters are maps by name (listers),
/// RoleBindings are listed per namespace (the informer's namespace index), everything else is
/// a scan.
struct Linear<'c> {
    cluster: &'c Cluster,
    cluster_roles: HashMap<&'c str, &'c Role>,
    roles: HashMap<(&'c str, &'c str), &'c Role>,
    rb_by_ns: HashMap<&'c str, Vec<&'c Binding>>,
}

impl<'c> Linear<'c> {
    fn new(cluster: &'c Cluster) -> Self {
        let mut rb_by_ns: HashMap<&str, Vec<&Binding>> = HashMap::new();
        for b in &cluster.role_bindings {
            rb_by_ns.entry(b.namespace.as_str()).or_default().push(b);
        }
        Linear {
            cluster,
            cluster_roles: cluster
                .cluster_roles
                .iter()
                .map(|r| (r.name.as_str(), r))
                .collect(),
            roles: cluster
                .roles
                .iter()
                .map(|r| ((r.namespace.as_str(), r.name.as_str()), r))
                .collect(),
            rb_by_ns,
        }
    }

    fn rules(&self, b: &Binding, ns: &str) -> Option<&'c [PolicyRule]> {
        match b.role_ref.kind.as_str() {
            "ClusterRole" => self
                .cluster_roles
                .get(b.role_ref.name.as_str())
                .map(|r| r.rules.as_slice()),
            "Role" => self
                .roles
                .get(&(ns, b.role_ref.name.as_str()))
                .map(|r| r.rules.as_slice()),
            _ => None,
        }
    }

    fn namespace_bindings(&self, ns: &str) -> &[&'c Binding] {
        self.rb_by_ns.get(ns).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The decision and, when allowed, the reason upstream formats.
    fn authorize(&self, a: &Attributes) -> (bool, String) {
        for b in &self.cluster.cluster_role_bindings {
            if let Some(i) = applies_to(&a.user, &b.subjects, "")
                && let Some(rules) = self.rules(b, "")
                && rules.iter().any(|r| rule_allows(a, r))
            {
                return (
                    true,
                    format!(
                        "RBAC: allowed by ClusterRoleBinding {:?} of {} {:?} to {}",
                        b.name,
                        b.role_ref.kind,
                        b.role_ref.name,
                        b.subjects[i].describe("")
                    ),
                );
            }
        }
        for b in self.namespace_bindings(&a.namespace) {
            if let Some(i) = applies_to(&a.user, &b.subjects, &a.namespace)
                && let Some(rules) = self.rules(b, &a.namespace)
                && rules.iter().any(|r| rule_allows(a, r))
            {
                return (
                    true,
                    format!(
                        "RBAC: allowed by RoleBinding {:?} of {} {:?} to {}",
                        format!("{}/{}", b.name, b.namespace),
                        b.role_ref.kind,
                        b.role_ref.name,
                        b.subjects[i].describe(&b.namespace)
                    ),
                );
            }
        }
        (false, String::new())
    }

    fn who_can(&self, a: &Attributes) -> Vec<&'c Subject> {
        let mut out = Vec::new();
        for b in &self.cluster.cluster_role_bindings {
            if let Some(rules) = self.rules(b, "")
                && rules.iter().any(|r| rule_allows(a, r))
            {
                out.extend(b.subjects.iter());
            }
        }
        for b in self.namespace_bindings(&a.namespace) {
            if let Some(rules) = self.rules(b, &a.namespace)
                && rules.iter().any(|r| rule_allows(a, r))
            {
                out.extend(b.subjects.iter());
            }
        }
        out
    }
}

fn bench(c: &mut Criterion) {
    let cluster = synthetic_cluster();
    let authorizer = Authorizer::new_aggregated(cluster.clone());
    let linear = Linear::new(&cluster);
    let mut rng = Rng(42);
    let reqs = requests(&mut rng, &cluster, 256);
    // Both agree on every request; report the mix.
    let mut allowed = 0;
    for r in &reqs {
        let d = authorizer.authorize(r);
        assert_eq!((d.allowed, d.reason), linear.authorize(r), "{r:?}");
        allowed += usize::from(d.allowed);
        let (ours, _) = authorizer.allowed_subjects(r);
        assert_eq!(ours, linear.who_can(r));
    }
    println!(
        "rbac bench: {} requests, {allowed} allowed, {} denied",
        reqs.len(),
        reqs.len() - allowed
    );

    let mut g = c.benchmark_group("rbac/authorize (256 requests)");
    g.bench_function("palisade (indexed)", |b| {
        b.iter(|| {
            reqs.iter()
                .filter(|r| authorizer.authorize(black_box(r)).allowed)
                .count()
        })
    });
    g.bench_function("baseline: upstream linear scan", |b| {
        b.iter(|| {
            reqs.iter()
                .filter(|r| linear.authorize(black_box(r)).0)
                .count()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("rbac/who-can (256 requests)");
    g.bench_function("palisade (indexed)", |b| {
        b.iter(|| {
            reqs.iter()
                .map(|r| authorizer.allowed_subjects(black_box(r)).0.len())
                .sum::<usize>()
        })
    });
    g.bench_function("baseline: upstream linear scan", |b| {
        b.iter(|| {
            reqs.iter()
                .map(|r| linear.who_can(black_box(r)).len())
                .sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("rbac/whole cluster");
    g.sample_size(10);
    g.bench_function("build authorizer (index)", |b| {
        b.iter(|| Authorizer::new_aggregated(black_box(cluster.clone())))
    });
    g.bench_function("analyze", |b| {
        b.iter(|| palisade::rbac::risk::analyze(&authorizer, &Default::default()).len())
    });
    g.bench_function("paths (graph + all shortest paths)", |b| {
        b.iter(|| {
            let graph = palisade::rbac::paths::build_graph(&authorizer);
            graph
                .paths_to_admin()
                .iter()
                .filter(|p| p.is_some())
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
