//! Edge cases of individual checks, with the texts upstream's check functions produce.
//! Each expectation is derived from the upstream check code cited in the test's comment.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_pss::{CheckId, Evaluator, Level, LevelVersion, Pod, Version};
use serde_json::{Value, json};

/// The failure of `check` when `pod` is evaluated at `level:v1.<minor>`, as
/// `(reason, detail)`; `None` when that check allows it.
fn failure(level: Level, minor: u32, pod: Value, check: CheckId) -> Option<(String, String)> {
    let pod = Pod::from_value(&pod).unwrap();
    let eval = Evaluator::new().evaluate(LevelVersion::new(level, Version::V1(minor)), &pod);
    assert!(
        eval.results().any(|r| r.check == check),
        "{check} does not run at {level}:v1.{minor}"
    );
    eval.failures()
        .find(|(id, _)| *id == check)
        .map(|(_, f)| (f.reason.to_owned(), f.detail.clone()))
}

fn spec(spec: Value) -> Value {
    json!({"metadata": {"name": "p"}, "spec": spec})
}

#[test]
fn capabilities_are_compared_case_sensitively_without_cap_prefix() {
    // check_capabilities_baseline.go: exact membership in the default set; the bad set is sorted.
    let pod = spec(
        json!({"containers": [{"name": "c", "securityContext": {"capabilities": {
        "add": ["chown", "CAP_CHOWN", "CHOWN", "chown"]}}}]}),
    );
    assert_eq!(
        failure(Level::Baseline, 37, pod, CheckId::CapabilitiesBaseline),
        Some((
            "non-default capabilities".into(),
            r#"container "c" must not include "CAP_CHOWN", "chown" in securityContext.capabilities.add"#.into()
        ))
    );
    // check_capabilities_restricted.go: only the exact string "ALL" counts as dropping all.
    let pod = spec(
        json!({"containers": [{"name": "c", "securityContext": {"capabilities": {
        "drop": ["all"], "add": ["net_bind_service"]}}}]}),
    );
    assert_eq!(
        failure(Level::Restricted, 37, pod, CheckId::CapabilitiesRestricted)
            .unwrap()
            .1,
        r#"container "c" must set securityContext.capabilities.drop=["ALL"]; container "c" must not include "net_bind_service" in securityContext.capabilities.add"#
    );
}

#[test]
fn empty_annotation_values() {
    // check_appArmorProfile.go: an empty annotation value is allowed.
    let pod = json!({"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/c": ""}},
        "spec": {"containers": [{"name": "c"}]}});
    assert_eq!(
        failure(Level::Baseline, 37, pod, CheckId::AppArmorProfile),
        None
    );
    // check_seccompProfile_baseline.go (v1.0): a present but empty annotation is not an allowed value.
    let pod = json!({"metadata": {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "",
        "container.seccomp.security.alpha.kubernetes.io/c": "unconfined"}},
        "spec": {"containers": [{"name": "c"}]}});
    assert_eq!(
        failure(Level::Baseline, 18, pod, CheckId::SeccompProfileBaseline),
        Some((
            "seccompProfile".into(),
            r#"forbidden annotations container.seccomp.security.alpha.kubernetes.io/c="unconfined", seccomp.security.alpha.kubernetes.io/pod="""#.into()
        ))
    );
}

#[test]
fn containers_are_visited_init_then_regular_then_ephemeral() {
    // visitor.go: InitContainers, Containers, EphemeralContainers, whatever the JSON key order.
    let privileged = json!({"privileged": true});
    let pod = spec(json!({
        "ephemeralContainers": [{"name": "e", "securityContext": privileged}],
        "containers": [{"name": "c", "securityContext": privileged}, {"name": "d"}],
        "initContainers": [{"name": "i", "securityContext": privileged}],
    }));
    assert_eq!(
        failure(Level::Baseline, 37, pod, CheckId::Privileged)
            .unwrap()
            .1,
        r#"containers "i", "c", "e" must not set securityContext.privileged=true"#
    );
}

#[test]
fn host_ports_are_a_set_sorted_as_text() {
    // check_hostPorts.go: strconv.Itoa of each port into a sets.String, listed sorted.
    let pod = spec(json!({"containers": [
        {"name": "a", "ports": [{"containerPort": 1, "hostPort": 8080}, {"containerPort": 2, "hostPort": 10000}]},
        {"name": "b", "ports": [{"containerPort": 3, "hostPort": 9}, {"containerPort": 4, "hostPort": 8080}]},
        {"name": "c", "ports": [{"containerPort": 5}]},
    ]}));
    assert_eq!(
        failure(Level::Baseline, 37, pod, CheckId::HostPorts),
        Some((
            "hostPort".into(),
            r#"containers "a", "b" use hostPorts 10000, 8080, 9"#.into()
        ))
    );
    let pod = spec(
        json!({"ephemeralContainers": [{"name": "dbg", "ports": [{"containerPort": 1, "hostPort": 22}]}]}),
    );
    assert_eq!(
        failure(Level::Baseline, 37, pod, CheckId::HostPorts)
            .unwrap()
            .1,
        r#"container "dbg" uses hostPort 22"#
    );
}

#[test]
fn apparmor_annotation_values_are_go_quoted_inside_quotes() {
    // check_appArmorProfile.go: fmt.Sprintf("%s=%q", k, v), then joinQuote around the whole.
    let pod = json!({
        "metadata": {"annotations": {
            "container.apparmor.security.beta.kubernetes.io/b": "un\"conf\\ined",
            "container.apparmor.security.beta.kubernetes.io/a": "unconfined",
            "unrelated": "x"}},
        "spec": {"securityContext": {"appArmorProfile": {"type": "Unconfined"}},
            "containers": [{"name": "c", "securityContext": {"appArmorProfile": {"type": "Unconfined"}}}]}});
    assert_eq!(
        failure(Level::Baseline, 37, pod, CheckId::AppArmorProfile),
        Some((
            "forbidden AppArmor profiles".into(),
            r#"pod and container "c" and annotations must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined"", "container.apparmor.security.beta.kubernetes.io/b="un\"conf\\ined"""#.into()
        ))
    );
    let pod = json!({"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/c": "localhost/p"}},
        "spec": {"containers": [{"name": "c", "securityContext": {"appArmorProfile": {"type": "Localhost"}}}]}});
    assert_eq!(
        failure(Level::Baseline, 37, pod, CheckId::AppArmorProfile),
        None
    );
}

#[test]
fn explicit_false_is_reported_before_missing_run_as_non_root() {
    // check_runAsNonRoot.go: explicit false settings win over implicit ones.
    let pod = spec(json!({"securityContext": {"runAsNonRoot": false},
        "containers": [{"name": "a", "securityContext": {"runAsNonRoot": false}}, {"name": "b"}]}));
    assert_eq!(
        failure(Level::Restricted, 37, pod, CheckId::RunAsNonRoot)
            .unwrap()
            .1,
        r#"pod and container "a" must not set securityContext.runAsNonRoot=false"#
    );
    let pod = spec(
        json!({"containers": [{"name": "a"}, {"name": "b", "securityContext": {"runAsNonRoot": true}}]}),
    );
    assert_eq!(
        failure(Level::Restricted, 37, pod, CheckId::RunAsNonRoot)
            .unwrap()
            .1,
        r#"pod or container "a" must set securityContext.runAsNonRoot=true"#
    );
}

#[test]
fn user_namespaces_relax_from_v1_35() {
    // check_runAsNonRoot.go, check_runAsUser.go, check_procMount_baseline.go: hostUsers=false.
    let pod = spec(
        json!({"hostUsers": false, "securityContext": {"runAsUser": 0},
        "containers": [{"name": "c", "securityContext": {"procMount": "Unmasked"}}]}),
    );
    assert!(failure(Level::Restricted, 34, pod.clone(), CheckId::RunAsUser).is_some());
    assert!(failure(Level::Restricted, 35, pod.clone(), CheckId::RunAsUser).is_none());
    assert!(failure(Level::Restricted, 35, pod.clone(), CheckId::RunAsNonRoot).is_none());
    assert!(failure(Level::Baseline, 34, pod.clone(), CheckId::ProcMount).is_some());
    assert!(failure(Level::Baseline, 35, pod.clone(), CheckId::ProcMount).is_none());
    // procMount_restricted (v1.35) has no relaxation.
    assert_eq!(
        failure(Level::Restricted, 35, pod, CheckId::ProcMountRestricted),
        Some((
            "procMount".into(),
            r#"container "c" must not set securityContext.procMount to "Unmasked""#.into()
        ))
    );
}

#[test]
fn se_linux_details_join_types_user_and_role() {
    // check_seLinuxOptions.go; container_engine_t is allowed from v1.31.
    let pod = spec(
        json!({"securityContext": {"seLinuxOptions": {"type": "spc_t", "user": "u"}},
        "containers": [{"name": "c", "securityContext": {"seLinuxOptions": {"type": "container_engine_t", "role": "r"}}}]}),
    );
    assert_eq!(
        failure(Level::Baseline, 30, pod.clone(), CheckId::SeLinuxOptions)
            .unwrap()
            .1,
        r#"pod and container "c" set forbidden securityContext.seLinuxOptions: types "container_engine_t", "spc_t"; user may not be set; role may not be set"#
    );
    assert_eq!(
        failure(Level::Baseline, 31, pod, CheckId::SeLinuxOptions)
            .unwrap()
            .1,
        r#"pod and container "c" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set; role may not be set"#
    );
}

#[test]
fn sysctls_keep_input_order_and_grow_by_version() {
    // check_sysctls.go: forbidden names in input order, not deduplicated.
    let pod = spec(json!({"securityContext": {"sysctls": [
        {"name": "net.ipv4.tcp_wmem"}, {"name": "kernel.msgmax"}, {"name": "net.ipv4.tcp_wmem"}]}}));
    assert_eq!(
        failure(Level::Baseline, 31, pod.clone(), CheckId::Sysctls),
        Some((
            "forbidden sysctls".into(),
            "net.ipv4.tcp_wmem, kernel.msgmax, net.ipv4.tcp_wmem".into()
        ))
    );
    assert_eq!(
        failure(Level::Baseline, 32, pod, CheckId::Sysctls)
            .unwrap()
            .1,
        "kernel.msgmax"
    );
}

#[test]
fn restricted_volume_types_name_the_first_source_set() {
    // check_restrictedVolumes.go: an allowed source wins; otherwise the first restricted
    // source in field order names the type; no source at all is "unknown".
    let pod = spec(json!({"volumes": [
        {"name": "n", "nfs": {"server": "s", "path": "/"}},
        {"name": "h", "hostPath": {"path": "/"}, "nfs": {}},
        {"name": "x"},
        {"name": "ok", "hostPath": {"path": "/"}, "secret": {}},
        {"name": "nul", "emptyDir": null},
    ]}));
    assert_eq!(
        failure(Level::Restricted, 37, pod, CheckId::RestrictedVolumes)
            .unwrap()
            .1,
        r#"volumes "n", "h", "x", "nul" use restricted volume types "hostPath", "nfs", "unknown""#
    );
}

#[test]
fn probe_hosts_are_sets_of_containers_and_hosts() {
    // check_hostProbesAndhostLifecycle.go: both lists are sorted sets.
    let probe = |host: &str| json!({"httpGet": {"host": host, "port": 80}});
    let pod = spec(json!({"containers": [
        {"name": "z", "readinessProbe": probe("b.example"), "lifecycle": {"preStop": {"tcpSocket": {"host": "a.example"}}}},
        {"name": "y", "livenessProbe": probe("b.example"), "startupProbe": probe("")},
    ]}));
    assert_eq!(
        failure(
            Level::Baseline,
            34,
            pod,
            CheckId::HostProbesAndHostLifecycle
        ),
        Some((
            "probe or lifecycle host".into(),
            r#"containers "y", "z" use probe or lifecycle hosts "a.example", "b.example""#.into()
        ))
    );
}

#[test]
fn windows_host_process_names_pod_and_containers() {
    // check_windowsHostProcess.go.
    let hp = json!({"windowsOptions": {"hostProcess": true}});
    let pod =
        spec(json!({"securityContext": hp, "containers": [{"name": "a", "securityContext": hp}]}));
    assert_eq!(
        failure(Level::Baseline, 37, pod, CheckId::WindowsHostProcess),
        Some((
            "hostProcess".into(),
            r#"pod and container "a" must not set securityContext.windowsOptions.hostProcess=true"#
                .into()
        ))
    );
}

#[test]
fn aggregated_detail_puts_details_in_parentheses_in_check_order() {
    // checks.go AggregateCheckResult.ForbiddenDetail.
    let pod = spec(json!({"hostIPC": true, "hostNetwork": true,
        "containers": [{"name": "c", "securityContext": {"privileged": true}}]}));
    let pod = Pod::from_value(&pod).unwrap();
    let eval = Evaluator::new().evaluate(LevelVersion::new(Level::Baseline, Version::Latest), &pod);
    assert_eq!(eval.forbidden_reason(), "host namespaces, privileged");
    assert_eq!(
        eval.forbidden_detail(),
        r#"host namespaces (hostNetwork=true, hostIPC=true), privileged (container "c" must not set securityContext.privileged=true)"#
    );
}
