//! Shared fixtures for the palisade benchmarks and allocation tests.

// Fixture code for benchmarks, not library code: a malformed fixture should fail loudly.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

/// A typical pod of a restricted namespace (two containers, probes, env, volumes, status), as
/// JSON text of about 4.5 KB once compacted.
pub const RESTRICTED_POD_PRETTY: &str = include_str!("../fixtures/restricted-pod.json");

/// The restricted pod as compact JSON bytes (what an API request body looks like).
pub fn restricted_pod_json() -> Vec<u8> {
    let value: serde_json::Value =
        serde_json::from_str(RESTRICTED_POD_PRETTY).unwrap_or(serde_json::Value::Null);
    serde_json::to_vec(&value).unwrap_or_default()
}

/// The restricted pod made non-compliant in several ways (hostPID, a privileged container, an
/// added capability, a hostPath volume), for the deny path.
pub fn violating_pod_json() -> Vec<u8> {
    let mut value: serde_json::Value =
        serde_json::from_str(RESTRICTED_POD_PRETTY).unwrap_or(serde_json::Value::Null);
    value["spec"]["hostPID"] = true.into();
    value["spec"]["containers"][0]["securityContext"]["privileged"] = true.into();
    value["spec"]["containers"][1]["securityContext"]["capabilities"]["add"] =
        serde_json::json!(["NET_ADMIN"]);
    value["spec"]["volumes"][1] = serde_json::json!({"name": "tmp", "hostPath": {"path": "/tmp"}});
    serde_json::to_vec(&value).unwrap_or_default()
}

/// A Deployment (about 4 KB compact) whose pod template is the restricted pod's spec.
pub fn deployment() -> serde_json::Value {
    let pod: serde_json::Value = serde_json::from_str(RESTRICTED_POD_PRETTY).unwrap();
    let labels = pod["metadata"]["labels"].clone();
    serde_json::json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "checkout", "namespace": "payments", "labels": labels,
            "annotations": pod["metadata"]["annotations"].clone(), "generation": 7,
            "uid": "3f1c2a8e-3b1d-4c7a-9e2f-8d6b4a1c0e11"},
        "spec": {
            "replicas": 3,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app.kubernetes.io/name": "checkout"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {"metadata": {"labels": labels}, "spec": pod["spec"].clone()}
        }
    })
}

/// Ten realistic ValidatingAdmissionPolicy expressions over a Deployment.
pub const VAP_EXPRESSIONS: [&str; 10] = [
    "object.spec.replicas <= 5",
    "object.spec.template.spec.containers.all(c, c.image.startsWith('registry.example.com/'))",
    "object.spec.template.spec.containers.all(c, c.image.matches('^[a-z0-9.-]+/[a-z0-9./-]+:[a-zA-Z0-9._-]+$'))",
    "object.spec.template.spec.containers.all(c, quantity(c.resources.limits.memory).isLessThan(quantity('1Gi')))",
    "'app.kubernetes.io/name' in object.metadata.labels && object.metadata.labels['app.kubernetes.io/name'] == object.spec.selector.matchLabels['app.kubernetes.io/name']",
    "object.spec.template.spec.?securityContext.?runAsNonRoot.orValue(false) == true",
    "object.spec.template.spec.containers.all(c, has(c.securityContext) && c.securityContext.allowPrivilegeEscalation == false)",
    "object.spec.template.spec.containers.exists(c, c.ports.exists(p, p.containerPort == 8080))",
    "object.metadata.labels.all(k, k.size() < 64 && object.metadata.labels[k].size() < 64)",
    "size(object.spec.template.spec.volumes) <= 10 && object.spec.template.spec.volumes.all(v, !has(v.hostPath))",
];

/// The `vap` bench's 20 ValidatingAdmissionPolicies (policy `i` checks expression `i % 10` of
/// [`VAP_EXPRESSIONS`] on deployments) and their bindings (`Deny`), as JSON.
pub fn vap_policies() -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    (0..20)
        .map(|i| {
            let name = format!("policy-{i}");
            let policy = serde_json::json!({
                "metadata": {"name": name},
                "spec": {
                    "matchConstraints": {"resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
                        "operations": ["CREATE", "UPDATE"], "resources": ["deployments"]}]},
                    "validations": [{"expression": VAP_EXPRESSIONS[i % 10], "message": "denied"}]
                }
            });
            let binding = serde_json::json!({
                "metadata": {"name": format!("binding-{i}")},
                "spec": {"policyName": name, "validationActions": ["Deny"]}
            });
            (policy, binding)
        })
        .unzip()
}

/// The `vap` bench's admission request: a CREATE of [`deployment`] by `alice`, as JSON.
pub fn vap_request() -> serde_json::Value {
    let object = deployment();
    serde_json::json!({
        "operation": "CREATE",
        "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
        "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
        "namespace": object["metadata"]["namespace"],
        "name": object["metadata"]["name"],
        "object": object,
        "userInfo": {"username": "alice", "groups": ["system:authenticated"]}
    })
}

/// A small deterministic generator (a 64-bit LCG) for the synthetic clusters of the benches:
/// the same seed gives the same cluster on every machine.
pub struct Rng(pub u64);

impl Rng {
    /// The next 31 random bits.
    pub fn next_bits(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `0..n` (`n` must not be 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_bits() % n.max(1) as u64) as usize
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or_default()
    }
}
