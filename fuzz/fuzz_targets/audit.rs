//! Arbitrary bytes → audit Policy loading → evaluation of a few requests → lint and coverage
//! table, with every error and finding displayed. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::audit::{Request, User, lint, load, table};

fuzz_target!(|data: &[u8]| {
    let loaded = match load::from_bytes(data) {
        Ok(loaded) => loaded,
        Err(e) => {
            let _ = e.to_string();
            for f in e.field_errors() {
                let _ = f.to_string();
            }
            return;
        }
    };
    let policy = &loaded.policy;
    let groups = ["system:authenticated", "system:nodes"];
    let user = User {
        name: "system:kube-proxy",
        groups: &groups,
    };
    let requests = [
        Request::resource(Some(user), "get", "", "pods", "", "default", "p"),
        Request::resource(Some(user), "watch", "", "endpoints", "", "kube-system", ""),
        Request::resource(None, "create", "apps", "deployments", "scale", "web", "d"),
        Request::resource(
            Some(user),
            "get",
            "",
            "namespaces",
            "",
            "kube-system",
            "kube-system",
        ),
        Request::non_resource(Some(user), "get", "/healthz/etcd"),
        Request::non_resource(None, "post", "/api"),
    ];
    for r in &requests {
        let d = policy.evaluate(r);
        if let Some(i) = d.matched_rule {
            assert!(i < policy.rules.len());
        }
    }
    for f in lint::lint(policy) {
        let _ = f.to_string();
    }
    let _ = table::coverage(policy, user);
});
