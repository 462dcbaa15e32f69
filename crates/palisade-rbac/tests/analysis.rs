//! Risk catalog (a positive and a negative case per entry), escalation paths, lint, diff,
//! escalation prevention and queries, on small hand-written clusters whose answers follow
//! from RBAC's rule matching.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_rbac::paths::{EdgeKind, build_graph};
use palisade_rbac::query::{MatrixResource, matrix, user_for_subject};
use palisade_rbac::risk::{AnalyzeOptions, CATALOG, Severity, analyze};
use palisade_rbac::{Attributes, Authorizer, Cluster, Subject, UserInfo};
use serde_json::{Value, json};

fn role(name: &str, rules: Value) -> Value {
    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
           "metadata": {"name": name}, "rules": rules})
}

fn crb(name: &str, role: &str, subjects: Value) -> Value {
    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
           "metadata": {"name": name},
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
           "subjects": subjects})
}

fn rb(name: &str, ns: &str, kind: &str, role: &str, subjects: Value) -> Value {
    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
           "metadata": {"name": name, "namespace": ns},
           "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role},
           "subjects": subjects})
}

fn authorizer(objects: Vec<Value>) -> Authorizer {
    Authorizer::new(Cluster::from_values(&objects).unwrap())
}

fn alice() -> Value {
    json!([{"kind": "User", "name": "alice", "apiGroup": "rbac.authorization.k8s.io"}])
}

/// (id, rules that must trigger it, near-miss rules that must not).
fn permission_cases() -> Vec<(&'static str, Value, Value)> {
    vec![
        (
            "RBAC-R001",
            json!([{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}]),
            json!([{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]},
                {"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}]),
        ),
        (
            "RBAC-R002",
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]}]),
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "delete"]}]),
        ),
        (
            "RBAC-R003",
            json!([{"apiGroups": ["apps"], "resources": ["daemonsets"], "verbs": ["create"]}]),
            json!([{"apiGroups": ["extensions"], "resources": ["daemonsets"], "verbs": ["create"]}]),
        ),
        (
            "RBAC-R004",
            json!([{"apiGroups": ["batch"], "resources": ["cronjobs"], "verbs": ["*"]}]),
            json!([{"apiGroups": ["batch"], "resources": ["jobs/status"], "verbs": ["create"]}]),
        ),
        (
            "RBAC-R005",
            json!([{"apiGroups": [""], "resources": ["persistentvolumes"], "verbs": ["create"]}]),
            json!([{"apiGroups": [""], "resources": ["persistentvolumeclaims"], "verbs": ["create"]}]),
        ),
        (
            "RBAC-R006",
            json!([{"apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}]),
            json!([{"apiGroups": [""], "resources": ["nodes", "nodes/status"], "verbs": ["get"]}]),
        ),
        (
            "RBAC-R007",
            json!([{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["escalate"]}]),
            json!([{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["get", "list"]}]),
        ),
        (
            "RBAC-R008",
            json!([{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["bind"]}]),
            json!([{"apiGroups": [""], "resources": ["roles"], "verbs": ["bind"]}]),
        ),
        (
            "RBAC-R009",
            json!([{"apiGroups": [""], "resources": ["users"], "verbs": ["impersonate"]}]),
            json!([{"apiGroups": ["authentication.k8s.io"], "resources": ["userextras"], "verbs": ["get"]}]),
        ),
        (
            "RBAC-R010",
            json!([{"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests"], "verbs": ["create"]},
                {"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests/approval"], "verbs": ["update"]},
                {"apiGroups": ["certificates.k8s.io"], "resources": ["signers"], "verbs": ["approve"]}]),
            // Creating and approving without a signer's approve permission is not enough.
            json!([{"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests"], "verbs": ["create"]},
                {"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests/approval"], "verbs": ["update"]}]),
        ),
        (
            "RBAC-R011",
            json!([{"apiGroups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]}]),
            json!([{"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["create"]}]),
        ),
        (
            "RBAC-R012",
            json!([{"apiGroups": ["admissionregistration.k8s.io"], "resources": ["mutatingwebhookconfigurations"], "verbs": ["patch"]}]),
            json!([{"apiGroups": ["admissionregistration.k8s.io"], "resources": ["mutatingwebhookconfigurations"], "verbs": ["get", "list", "watch"]}]),
        ),
        (
            "RBAC-R013",
            json!([{"apiGroups": [""], "resources": ["namespaces"], "verbs": ["patch"]}]),
            json!([{"apiGroups": [""], "resources": ["namespaces"], "verbs": ["get", "create"]}]),
        ),
        (
            "RBAC-R014",
            json!([{"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}]),
            json!([{"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]}]),
        ),
        (
            "RBAC-R015",
            json!([{"apiGroups": [""], "resources": ["*/attach"], "verbs": ["create"]}]),
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]}]),
        ),
        (
            "RBAC-R016",
            json!([{"apiGroups": [""], "resources": ["pods/portforward"], "verbs": ["create"]}]),
            json!([{"apiGroups": [""], "resources": ["services/portforward"], "verbs": ["create"]}]),
        ),
        (
            "RBAC-R017",
            json!([{"apiGroups": [""], "resources": ["pods/ephemeralcontainers"], "verbs": ["patch"]}]),
            json!([{"apiGroups": [""], "resources": ["pods/ephemeralcontainers"], "verbs": ["get"]}]),
        ),
        (
            "RBAC-R018",
            json!([{"apiGroups": [""], "resources": ["services/status"], "verbs": ["update"]}]),
            json!([{"apiGroups": [""], "resources": ["services"], "verbs": ["update"]}]),
        ),
        (
            "RBAC-R019",
            json!([{"apiGroups": ["apps"], "resources": ["*"], "verbs": ["*"]}]),
            json!([{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]}]),
        ),
    ]
}

fn ids(findings: &[palisade_rbac::risk::Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.rule.id).collect()
}

#[test]
fn every_permission_entry_has_a_positive_and_a_negative_case() {
    let cases = permission_cases();
    for (id, positive, negative) in &cases {
        let a = authorizer(vec![role("r", positive.clone()), crb("b", "r", alice())]);
        let f = analyze(&a, &AnalyzeOptions::default());
        let hit = f.iter().find(|f| f.rule.id == *id);
        let hit = hit.unwrap_or_else(|| panic!("{id} not found in {:?}", ids(&f)));
        assert_eq!(hit.subject, Subject::user("alice"));
        assert_eq!(
            hit.severity, hit.rule.severity,
            "{id}: cluster-wide keeps severity"
        );
        assert!(
            hit.message
                .contains("ClusterRoleBinding \"b\" → ClusterRole \"r\" → rules["),
            "{}",
            hit.message
        );
        let a = authorizer(vec![role("r", negative.clone()), crb("b", "r", alice())]);
        let f = analyze(&a, &AnalyzeOptions::default());
        assert!(!ids(&f).contains(id), "{id} should not fire: {:?}", ids(&f));
    }
    // Every permission entry of the catalog is covered here.
    let covered: Vec<&str> = cases.iter().map(|c| c.0).collect();
    for entry in CATALOG {
        if matches!(entry.matcher, palisade_rbac::risk::Matcher::Subjects(_)) {
            continue;
        }
        assert!(covered.contains(&entry.id), "{} has no test", entry.id);
    }
}

#[test]
fn subject_entries_positive_and_negative() {
    let read = json!([{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]);
    for (id, subject) in [
        (
            "RBAC-R020",
            json!({"kind": "User", "name": "system:anonymous"}),
        ),
        (
            "RBAC-R020",
            json!({"kind": "Group", "name": "system:unauthenticated"}),
        ),
        (
            "RBAC-R021",
            json!({"kind": "Group", "name": "system:authenticated"}),
        ),
        (
            "RBAC-R022",
            json!({"kind": "Group", "name": "system:masters"}),
        ),
    ] {
        let a = authorizer(vec![
            role("r", read.clone()),
            crb("b", "r", json!([subject])),
        ]);
        assert!(
            ids(&analyze(&a, &AnalyzeOptions::default())).contains(&id),
            "{id}"
        );
    }
    // Negative: an ordinary group; and system:authenticated bound to the default discovery role.
    let a = authorizer(vec![
        role("r", read.clone()),
        crb("b", "r", json!([{"kind": "Group", "name": "devs"}])),
    ]);
    assert!(analyze(&a, &AnalyzeOptions::default()).is_empty());
    let a = authorizer(vec![
        role(
            "system:discovery",
            json!([{"nonResourceURLs": ["/api"], "verbs": ["get"]}]),
        ),
        crb(
            "system:discovery",
            "system:discovery",
            json!([{"kind": "Group", "name": "system:authenticated"}]),
        ),
    ]);
    assert!(!ids(&analyze(&a, &AnalyzeOptions::default())).contains(&"RBAC-R021"));
}

#[test]
fn namespace_grants_are_one_level_lower_outside_privileged_namespaces() {
    let secrets = json!([{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]);
    let objects = vec![
        role("r", secrets),
        rb("b", "dev", "ClusterRole", "r", alice()),
        rb("b", "kube-system", "ClusterRole", "r", alice()),
    ];
    let f = analyze(&authorizer(objects.clone()), &AnalyzeOptions::default());
    let sev: Vec<(String, Severity)> = f
        .iter()
        .map(|f| (f.namespace.clone(), f.severity))
        .collect();
    assert!(sev.contains(&("kube-system".into(), Severity::Critical)));
    assert!(sev.contains(&("dev".into(), Severity::High)));
    let options = AnalyzeOptions {
        privileged_namespaces: vec!["dev".into()],
        ..AnalyzeOptions::default()
    };
    let f = analyze(&authorizer(objects), &options);
    assert!(
        f.iter()
            .all(|f| f.severity == Severity::Critical || f.namespace == "kube-system")
    );
}

#[test]
fn system_identities_are_skipped_unless_asked() {
    let objects = vec![
        role(
            "r",
            json!([{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"]}]),
        ),
        crb(
            "b",
            "r",
            json!([{"kind": "User", "name": "system:kube-controller-manager"}]),
        ),
    ];
    assert!(analyze(&authorizer(objects.clone()), &AnalyzeOptions::default()).is_empty());
    let options = AnalyzeOptions {
        include_system: true,
        ..AnalyzeOptions::default()
    };
    assert_eq!(analyze(&authorizer(objects), &options).len(), 1);
}

fn sa(ns: &str, name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name, "namespace": ns}})
}

#[test]
fn shortest_path_climbs_through_a_service_account() {
    // alice creates pods in `ci`, where the `deployer` ServiceAccount may impersonate
    // system:masters: alice → deployer → cluster-admin (2 steps). bob only reads configmaps.
    let objects = vec![
        role(
            "pod-creator",
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["create"]}]),
        ),
        role(
            "impersonator",
            json!([{"apiGroups": [""], "resources": ["groups"], "verbs": ["impersonate"], "resourceNames": ["system:masters"]}]),
        ),
        role(
            "reader",
            json!([{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]),
        ),
        rb("alice-pods", "ci", "ClusterRole", "pod-creator", alice()),
        crb(
            "deployer-imp",
            "impersonator",
            json!([{"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}]),
        ),
        crb(
            "bob-read",
            "reader",
            json!([{"kind": "User", "name": "bob"}]),
        ),
        sa("ci", "deployer"),
        sa("ci", "default"),
    ];
    let a = authorizer(objects);
    let g = build_graph(&a);
    let path = g.shortest_path(&Subject::user("alice")).unwrap();
    assert_eq!(path.len(), 2);
    assert_eq!(path[0].kind, EdgeKind::CreateWorkload);
    assert_eq!(path[1].kind, EdgeKind::Impersonate);
    assert!(path[0].explanation.contains("ServiceAccount ci/deployer"));
    assert!(g.shortest_path(&Subject::user("bob")).is_none());
    // The ServiceAccount itself is one step away.
    assert_eq!(
        g.shortest_path(&Subject::service_account("ci", "deployer"))
            .unwrap()
            .len(),
        1
    );
    let dot = g.to_dot();
    assert!(dot.starts_with("digraph rbac {") && dot.contains("impersonate"));
    assert_eq!(
        g.to_json()["edges"].as_array().unwrap().len(),
        g.edges.len()
    );
}

#[test]
fn token_secrets_exec_and_bind_edges() {
    let objects = vec![
        role(
            "admin-all",
            json!([{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]),
        ),
        role(
            "secret-reader",
            json!([{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"], "resourceNames": ["ops-token"]}]),
        ),
        role(
            "binder",
            json!([
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterrolebindings"], "verbs": ["create"]},
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind"], "resourceNames": ["cluster-admin"]}]),
        ),
        role(
            "binder-other",
            json!([
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterrolebindings"], "verbs": ["create"]},
            {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind"], "resourceNames": ["view"]}]),
        ),
        crb(
            "ops",
            "admin-all",
            json!([{"kind": "ServiceAccount", "name": "ops", "namespace": "tools"}]),
        ),
        rb(
            "carol-secrets",
            "tools",
            "ClusterRole",
            "secret-reader",
            json!([{"kind": "User", "name": "carol"}]),
        ),
        rb(
            "dave-secrets",
            "tools",
            "ClusterRole",
            "secret-reader",
            json!([{"kind": "User", "name": "dave"}]),
        ),
        crb(
            "erin-bind",
            "binder",
            json!([{"kind": "User", "name": "erin"}]),
        ),
        crb(
            "frank-bind",
            "binder-other",
            json!([{"kind": "User", "name": "frank"}]),
        ),
        sa("tools", "ops"),
        json!({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/service-account-token",
               "metadata": {"name": "ops-token", "namespace": "tools",
                            "annotations": {"kubernetes.io/service-account.name": "ops"}}}),
    ];
    let g = build_graph(&authorizer(objects));
    let carol = g.shortest_path(&Subject::user("carol")).unwrap();
    assert_eq!(
        carol.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [EdgeKind::ReadTokenSecret, EdgeKind::Holds]
    );
    assert_eq!(
        g.shortest_path(&Subject::user("erin")).unwrap()[0].kind,
        EdgeKind::Bind
    );
    // bind restricted to `view` does not reach cluster-admin.
    assert!(g.shortest_path(&Subject::user("frank")).is_none());
}

#[test]
fn lint_findings() {
    let objects = vec![
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
               "metadata": {"name": "named", "namespace": "a"},
               "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"], "resourceNames": ["x"]},
                         {"apiGroups": [""], "resources": ["pods"], "verbs": ["execute"]},
                         {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["bind"]}]}),
        rb("to-missing", "a", "ClusterRole", "nope", alice()),
        rb("cross-ns", "b", "Role", "named", alice()),
        rb(
            "ghost-sa",
            "a",
            "Role",
            "named",
            json!([{"kind": "ServiceAccount", "name": "ghost"}, {"kind": "ServiceAccount", "name": "real"}]),
        ),
        crb(
            "no-ns",
            "view",
            json!([{"kind": "ServiceAccount", "name": "x"}, {"kind": "Robot", "name": "r"}]),
        ),
        role("view", json!([])),
        sa("a", "real"),
    ];
    let f = palisade_rbac::lint::lint(&authorizer(objects));
    let got: Vec<(&str, &str)> = f.iter().map(|f| (f.id, f.field.as_str())).collect();
    // Roles first (ClusterRoles, then Roles), then bindings in authorizer order
    // (ClusterRoleBindings, then RoleBindings).
    assert_eq!(
        got,
        [
            ("RBAC-L001", "rules[0].verbs[1]"),
            ("RBAC-L002", "rules[1].verbs[0]"),
            ("RBAC-L006", "subjects[0]"),
            ("RBAC-L007", "subjects[1]"),
            ("RBAC-L003", "roleRef"),
            ("RBAC-L004", "roleRef"),
            ("RBAC-L005", "subjects[0]"),
        ]
    );
    assert_eq!(f.len(), 7, "{f:#?}");
}

#[test]
fn diff_reports_gains_and_losses() {
    let before = authorizer(vec![
        role(
            "r",
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]),
        ),
        rb("b", "dev", "ClusterRole", "r", alice()),
    ]);
    let after = authorizer(vec![
        role(
            "r",
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "delete"]}]),
        ),
        crb("b", "r", json!([{"kind": "User", "name": "bob"}])),
        rb("b", "dev", "ClusterRole", "r", alice()),
    ]);
    let d = palisade_rbac::diff::diff(&before, &after);
    assert_eq!(d.len(), 2);
    let alice = d
        .iter()
        .find(|s| s.subject == Subject::user("alice"))
        .unwrap();
    assert_eq!(alice.gained.len(), 1);
    assert_eq!(alice.gained[0].namespace, "dev");
    assert!(alice.gained[0].rule.contains("delete"));
    assert!(alice.lost.is_empty());
    let bob = d
        .iter()
        .find(|s| s.subject == Subject::user("bob"))
        .unwrap();
    assert_eq!(bob.gained.len(), 2);
    assert!(bob.gained.iter().all(|p| p.namespace.is_empty()));
    let back = palisade_rbac::diff::diff(&after, &before);
    assert_eq!(
        back.iter()
            .find(|s| s.subject == Subject::user("bob"))
            .unwrap()
            .lost
            .len(),
        2
    );
}

#[test]
fn escalation_prevention_lists_uncovered_rules() {
    let a = authorizer(vec![
        role(
            "r",
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]),
        ),
        rb("b", "dev", "ClusterRole", "r", alice()),
    ]);
    let user = UserInfo::new("alice", &["system:authenticated"]);
    let wanted = palisade_rbac::load::rules_from_value(
        &json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "delete"]}]),
    )
    .unwrap();
    let check = a.can_write_role(&user, "dev", &wanted);
    assert!(!check.allowed && !check.has_escalate);
    assert_eq!(check.uncovered.len(), 1);
    assert_eq!(check.uncovered[0].verbs, ["delete"]);
    assert!(
        check
            .message
            .unwrap()
            .contains("attempting to grant RBAC permissions not currently held")
    );
    // Cluster scope: the RoleBinding's rules do not count.
    let get_only = palisade_rbac::load::rules_from_value(
        &json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]),
    )
    .unwrap();
    assert!(a.can_write_role(&user, "dev", &get_only).allowed);
    assert!(!a.can_write_role(&user, "", &get_only).allowed);
}

#[test]
fn queries_expand_service_accounts_and_build_a_matrix() {
    let a = authorizer(vec![
        role(
            "r",
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]),
        ),
        rb(
            "b",
            "dev",
            "ClusterRole",
            "r",
            json!([{"kind": "Group", "name": "system:serviceaccounts:dev"}]),
        ),
        sa("dev", "app"),
    ]);
    let app = Subject::service_account("dev", "app");
    let user = user_for_subject(&app);
    assert_eq!(user.name, "system:serviceaccount:dev:app");
    assert_eq!(
        user.groups,
        [
            "system:serviceaccounts",
            "system:serviceaccounts:dev",
            "system:authenticated"
        ]
    );
    let get = Attributes::resource(UserInfo::default(), "get", "", "pods", "", "dev", "");
    let d = a.can_i(&app, &get);
    assert!(d.allowed);
    assert!(
        d.reason
            .ends_with("to Group \"system:serviceaccounts:dev\"")
    );
    let m = matrix(
        &a,
        vec![app.clone(), Subject::user("alice")],
        vec![
            MatrixResource::parse("pods"),
            MatrixResource::parse("deployments.apps"),
        ],
        vec!["get".into(), "list".into()],
        "dev",
    );
    assert_eq!(
        m.allowed,
        vec![
            vec![vec![true, false], vec![false, false]],
            vec![vec![false, false], vec![false, false]]
        ]
    );
    let review = a.rules_review(&user, "dev");
    assert!(review.cluster.is_empty());
    assert_eq!(review.namespace.len(), 1);
    assert!(a.rules_review(&user, "").namespace.is_empty());
}
