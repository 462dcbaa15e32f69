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
