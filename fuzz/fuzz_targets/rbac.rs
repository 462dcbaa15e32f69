//! Arbitrary bytes → RBAC dump loading → authorizer (aggregation, index) → can-i, who-can,
//! rules review, escalation check, lint, risk analysis, escalation paths and a self-diff.
//! Nothing may panic or hang.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::rbac::{Attributes, Authorizer, Cluster, UserInfo};

fuzz_target!(|data: &[u8]| {
    let cluster = match Cluster::from_bytes(data, Some("fuzz")) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let authorizer = Authorizer::new(cluster);
    let users = [
        UserInfo::new("alice", &["system:authenticated", "dev"]),
        UserInfo::service_account("kube-system", "default"),
        UserInfo::new("system:anonymous", &["system:unauthenticated"]),
    ];
    for user in &users {
        let requests = [
            Attributes::resource(user.clone(), "get", "", "secrets", "", "kube-system", "x"),
            Attributes::resource(user.clone(), "create", "apps", "deployments", "", "default", ""),
            Attributes::resource(user.clone(), "get", "", "pods", "exec", "default", "p"),
            Attributes::resource(user.clone(), "*", "*", "*", "", "", ""),
            Attributes::non_resource(user.clone(), "get", "/healthz"),
        ];
        for r in &requests {
            let d = authorizer.authorize(r);
            let _ = (d.allowed, d.reason);
            let who = authorizer.who_can(r, "admin");
            let _ = who.error();
        }
        let review = authorizer.rules_review(user, "default");
        let _ = review.evaluation_error();
        let rules: Vec<_> = review.rules().map(|h| h.rule.clone()).collect();
        let _ = authorizer.can_write_role(user, "default", &rules);
    }
    let _ = palisade::rbac::lint::lint(&authorizer);
    let _ = palisade::rbac::risk::analyze(&authorizer, &Default::default());
    let graph = palisade::rbac::paths::build_graph(&authorizer);
    let _ = graph.paths_to_admin();
    let _ = graph.to_dot();
    let _ = palisade::rbac::diff::diff(&authorizer, &authorizer);
});
