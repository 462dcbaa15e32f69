//! The `palisade` binary end to end: exit codes, JSON output and the JSONL protocol, on the
//! bundled example cluster and small inputs.
//!
//! The expected violations of `examples/cluster` are the table in `examples/cluster/README.md`,
//! which was derived from the upstream check code independently of palisade.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn palisade(args: &[&str], stdin: Option<&str>) -> Output {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    // A command that fails early may exit before reading stdin: a broken pipe is not an error.
    let _ = pipe.write_all(stdin.unwrap_or_default().as_bytes());
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn check_example_cluster_reports_the_expected_enforce_violations() {
    let out = palisade(&["check", "examples/cluster", "-o", "json"], None);
    assert_eq!(out.status.code(), Some(1), "violations exit 1");
    let report = json_of(&out);
    assert_eq!(report["pss"]["allowed"], false);
    assert_eq!(report["pss"]["errors"], json!([]));

    let mut found = BTreeSet::new();
    for ns in report["pss"]["namespaces"].as_array().unwrap() {
        for o in ns["objects"].as_array().unwrap() {
            for v in o["violations"].as_array().unwrap() {
                if v["modes"].as_array().unwrap().contains(&json!("enforce")) {
                    let mut checks: Vec<&str> = v["checks"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| c["check"].as_str().unwrap())
                        .collect();
                    checks.sort_unstable();
                    found.insert(format!(
                        "{}/{}/{}: {}",
                        ns["name"].as_str().unwrap(),
                        o["kind"].as_str().unwrap(),
                        o["name"].as_str().unwrap(),
                        checks.join(",")
                    ));
                }
            }
        }
    }
    let expected: BTreeSet<String> = [
        "payments/Deployment/fraud-scorer: allowPrivilegeEscalation",
        "payments/Job/settlement-export-28741920: runAsNonRoot,runAsUser",
        "payments/Pod/pci-log-shipper: restrictedVolumes",
        "payments/Pod/receipt-renderer: runAsNonRoot,runAsUser",
        "payments/Deployment/payments-gateway: sysctls",
        "web/Deployment/edge-proxy: capabilities_baseline",
        "web/ReplicaSet/uptime-pinger: appArmorProfile,capabilities_baseline",
        "web/Pod/storefront-debug: hostPorts",
        "web/Pod/checkout-canary: hostProbesAndHostLifecycle",
        "web/Pod/iis-log-forwarder: hostNamespaces,windowsHostProcess",
        "web/DaemonSet/ingress-nginx-controller: hostNamespaces,hostPorts",
        "data/StatefulSet/elasticsearch: privileged",
        "data/Pod/redis-cache: sysctls",
        "data/CronJob/nightly-compaction: hostPathVolumes",
        "data/PodTemplate/spark-executor: seLinuxOptions",
        "data/Deployment/geo-importer: seccompProfile_baseline",
        "data/Deployment/s3-fuse-sync: capabilities_baseline,hostPathVolumes",
        "analytics/Deployment/notebook: allowPrivilegeEscalation,capabilities_restricted,runAsNonRoot,seccompProfile_restricted",
        "analytics/Deployment/report-api: capabilities_restricted",
        "batch/ReplicationController/report-mailer: seccompProfile_baseline",
        "batch/Job/ledger-reconcile-2024-11: sysctls",
        "batch/Deployment/doc-converter: procMount,seLinuxOptions",
        "identity/Deployment/buildkitd: appArmorProfile,procMount_restricted,seccompProfile_restricted",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(found, expected);

    // The invalid enforce label falls back to restricted and is reported.
    let analytics = report["pss"]["namespaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "analytics")
        .unwrap();
    assert_eq!(analytics["policy"]["enforce"], "restricted:latest");
    assert_eq!(
        analytics["labelErrors"][0],
        r#"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted"#
    );
}

#[test]
fn text_output_has_one_line_per_violation_and_a_summary() {
    let out = palisade(&["check", "examples/cluster"], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(
        "  data/Pod/redis-cache  enforce+warn baseline:latest  sysctls  forbidden sysctls (net.core.somaxconn)\n"
    ));
    assert!(text.trim_end().ends_with(
        "23 violate their enforce level, 2 violate only warn or audit, 0 exempt, 0 unreadable"
    ));
}

#[test]
fn pss_check_with_a_level_reads_stdin_and_exits_by_verdict() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
    let out = palisade(
        &[
            "pss", "check", "-f", "-", "--level", "baseline", "-o", "json",
        ],
        Some(pod),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = palisade(
        &[
            "pss",
            "check",
            "-f",
            "-",
            "--level",
            "restricted",
            "--version",
            "v1.24",
        ],
        Some(pod),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("default/Pod/ok  restricted:v1.24  allowPrivilegeEscalation"),
        "{text}"
    );
}

#[test]
fn bad_input_and_usage_exit_2() {
    let out = palisade(
        &["pss", "check", "-f", "-", "--level", "strict"],
        Some("{}"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid --level `strict`"));
    let out = palisade(&["pss", "check", "-f", "does/not/exist.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    let out = palisade(
        &["pss", "check", "-f", "-"],
        Some("kind: Pod\napiVersion: v1\nspec: {hostPID: maybe}\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let out = palisade(&["no-such-command"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn jsonl_answers_in_order_and_echoes_ids() {
    let input = concat!(
        r#"{"id":1,"op":"version"}"#,
        "\n",
        r#"{"id":2,"op":"pss","level":"baseline","version":"latest","pod":{"spec":{"hostIPC":true}}}"#,
        "\n",
        "garbage\n",
    );
    let out = palisade(&["jsonl"], Some(input));
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["kubernetesVersion"], "1.37");
    assert_eq!(lines[1]["id"], 2);
    assert_eq!(
        lines[1]["forbiddenDetail"],
        "host namespaces (hostIPC=true)"
    );
    assert!(lines[2]["requestError"].is_string());
}

/// The RBAC findings of the example cluster follow from its README's RBAC section: every grant
/// below is read off the manifests and RBAC's rule matching.
#[test]
fn rbac_on_the_example_cluster() {
    // grafana's ClusterRoleBinding grants get on secrets cluster-wide.
    let out = palisade(
        &[
            "rbac",
            "can-i",
            "get",
            "secrets",
            "-n",
            "payments",
            "--as",
            "system:serviceaccount:monitoring:grafana",
            "-f",
            "examples/cluster",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "yes\nRBAC: allowed by ClusterRoleBinding \"grafana-secrets-reader\" of ClusterRole \"secrets-reader\" to ServiceAccount \"grafana/monitoring\"\n"
    );
    // Nothing lets an arbitrary user delete pods in web.
    let out = palisade(
        &[
            "rbac",
            "can-i",
            "delete",
            "pods",
            "-n",
            "web",
            "--as",
            "bob",
            "-f",
            "examples/cluster",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));

    // The risky grants the README lists.
    let out = palisade(
        &["rbac", "analyze", "-f", "examples/cluster", "-o", "json"],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "critical findings fail at --fail-on high"
    );
    let report = json_of(&out);
    let found: BTreeSet<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["binding"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (id, severity, binding) in [
        (
            "RBAC-R001",
            "critical",
            "ClusterRoleBinding \"grafana-secrets-reader\"",
        ),
        (
            "RBAC-R021",
            "high",
            "ClusterRoleBinding \"dashboard-viewers\"",
        ),
        ("RBAC-R019", "high", "ClusterRoleBinding \"cluster-ops\""),
        (
            "RBAC-R002",
            "medium",
            "RoleBinding \"sre-debug/monitoring\"",
        ),
        ("RBAC-R014", "medium", "RoleBinding \"web-developers/web\""),
    ] {
        assert!(
            found.contains(&(id.into(), severity.into(), binding.into())),
            "{id} {severity} {binding} missing from {found:?}"
        );
    }

    // oidc:sre → pod as monitoring/grafana → cluster-ops' token Secret → cluster-admin.
    let out = palisade(
        &[
            "rbac",
            "paths",
            "--from",
            "Group:oidc:sre",
            "-f",
            "examples/cluster",
            "-o",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let graph = json_of(&out);
    let path = graph["paths"][0]["edges"].as_array().unwrap();
    let kinds: Vec<&str> = path
        .iter()
        .map(|e| {
            graph["edges"][e.as_u64().unwrap() as usize]["kind"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(kinds, ["create-workload", "read-token-secret", "holds"]);

    // `view` is not in the dump: the payments on-call binding grants nothing.
    let out = palisade(
        &["rbac", "lint", "-f", "examples/cluster", "-o", "json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let ids: Vec<String> = json_of(&out)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["RBAC-L001", "RBAC-L003"]);

    // palisade check carries the same findings.
    let out = palisade(&["check", "examples/cluster", "-o", "json"], None);
    let report = json_of(&out);
    assert!(!report["rbac"]["findings"].as_array().unwrap().is_empty());
    assert_eq!(report["rbac"]["lint"].as_array().unwrap().len(), 2);
}

#[test]
fn rbac_sarif_and_jsonl() {
    let out = palisade(
        &["rbac", "analyze", "-f", "examples/cluster", "-o", "sarif"],
        None,
    );
    let sarif = json_of(&out);
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "RBAC-R001" && r["level"] == "error")
    );
    let line = json!({"op": "rbac", "id": 1, "objects": [], "request": {"user": "a", "verb": "get", "resource": "pods", "namespace": "x"}});
    let out = palisade(&["jsonl"], Some(&format!("{line}\n")));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["decision"], "NoOpinion");
    assert_eq!(r["reason"], "");
}

#[test]
fn check_sarif_lists_every_finding_of_every_area_with_its_rule() {
    let out = palisade(&["check", "examples/cluster", "-o", "sarif"], None);
    assert_eq!(out.status.code(), Some(1), "violations exit 1");
    let log = json_of(&out);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "palisade check");
    let rules: BTreeSet<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    for r in results {
        assert!(rules.contains(r["ruleId"].as_str().unwrap()), "{r}");
    }
    let count = |rule: &str, level: &str| {
        results
            .iter()
            .filter(|r| r["ruleId"].as_str().unwrap().starts_with(rule) && r["level"] == level)
            .count()
    };
    // One error per failing check of the 23 enforce violations (35 checks in all, as the
    // JSON test lists them), and the invalid enforce label of `analytics`.
    let enforced: usize = results
        .iter()
        .filter(|r| {
            r["level"] == "error"
                && r["ruleId"].as_str().unwrap().starts_with("pss/")
                && r["ruleId"] != "pss/namespace-labels"
        })
        .count();
    assert_eq!(enforced, 35);
    assert_eq!(count("pss/namespace-labels", "error"), 1);
    // The registry policy denies two workloads and warns for three.
    assert_eq!(count("vap/denied", "error"), 2);
    assert_eq!(count("vap/warning", "warning"), 3);
    assert!(
        rules.contains("AUD002") && rules.contains("AUD004"),
        "{rules:?}"
    );
    assert!(rules.contains("RBAC-R001"), "{rules:?}");
    let host = results
        .iter()
        .find(|r| r["ruleId"] == "pss/hostNamespaces" && r["level"] == "error")
        .unwrap();
    assert_eq!(
        host["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/cluster/web/workloads.yaml"
    );
}
