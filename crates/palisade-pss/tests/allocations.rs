//! Heap allocations per evaluation, counted with a counting global allocator (dhat): once a
//! pod is parsed, evaluating a compliant pod allocates nothing, at every level and version.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_pss::{Evaluator, Level, LevelVersion, Pod, Version};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const POD: &str = r#"{
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"},
    "annotations": {"container.apparmor.security.beta.kubernetes.io/web": "runtime/default",
      "seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
      "container.seccomp.security.alpha.kubernetes.io/web": "localhost/web.json"}},
  "spec": {
    "securityContext": {"runAsNonRoot": true, "runAsUser": 1000, "seccompProfile": {"type": "RuntimeDefault"},
      "sysctls": [{"name": "net.ipv4.ip_local_port_range", "value": "1024 65535"}]},
    "volumes": [{"name": "cfg", "configMap": {"name": "web"}}, {"name": "tmp", "emptyDir": {}}],
    "initContainers": [{"name": "init", "image": "busybox",
      "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}],
    "containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 8080}],
      "livenessProbe": {"httpGet": {"path": "/", "port": 8080}},
      "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
        "seLinuxOptions": {"type": "container_t"}, "procMount": "Default"}}]
  }
}"#;

// One test per binary: dhat allows one profiler at a time, and its statistics are global.
#[test]
fn parsing_borrows_and_evaluating_a_compliant_pod_allocates_nothing() {
    let _profiler = dhat::Profiler::builder().testing().build();

    let before = dhat::HeapStats::get();
    let pod = Pod::from_json(POD.as_bytes()).unwrap();
    let after = dhat::HeapStats::get();
    // Only the Vecs of containers, volumes, ports, capabilities, sysctls and map pairs
    // allocate; no string is copied.
    let blocks = after.total_blocks - before.total_blocks;
    assert!(blocks <= 16, "{blocks} allocations to parse");
    assert_eq!(pod.spec.containers.len(), 1);

    let evaluator = Evaluator::new();
    // Build the check tables once (a process-wide, one-time cost).
    let _ = evaluator.evaluate(LevelVersion::new(Level::Restricted, Version::Latest), &pod);

    let before = dhat::HeapStats::get();
    let mut evaluated = 0;
    for level in [Level::Privileged, Level::Baseline, Level::Restricted] {
        for version in (0..=37).map(Version::V1).chain([Version::Latest]) {
            let eval = evaluator.evaluate(LevelVersion::new(level, version), &pod);
            assert!(eval.allowed(), "{level}:{version}: {eval:?}");
            evaluated += eval.results().count();
        }
    }
    let after = dhat::HeapStats::get();
    assert!(evaluated > 500);
    assert_eq!(
        after.total_blocks - before.total_blocks,
        0,
        "allocations while evaluating"
    );
}
