//! Properties of the Pod Security Standards evaluator over generated pods.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_pss::workload::{read_object, read_pod};
use palisade_pss::{CheckId, Evaluator, Level, LevelVersion, Pod, Version};
use proptest::prelude::*;
use serde_json::{Value, json};

fn opt<T: Clone + std::fmt::Debug + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![1 => Just(None), 2 => s.prop_map(Some)].boxed()
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_owned()),
        Just("b".to_owned()),
        Just("c".to_owned()),
        Just("".to_owned())
    ]
}

fn profile_type() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "RuntimeDefault"})),
        Just(json!({"type": "Localhost", "localhostProfile": "p"})),
        Just(json!({"type": "Unconfined"})),
        Just(json!({})),
    ]
}

fn capability() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ALL".to_owned()),
        Just("all".to_owned()),
        Just("NET_BIND_SERVICE".to_owned()),
        Just("CHOWN".to_owned()),
        Just("NET_RAW".to_owned()),
        Just("SYS_ADMIN".to_owned()),
        Just("CAP_CHOWN".to_owned()),
    ]
}

fn se_linux() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just(""),
            Just("container_t"),
            Just("container_engine_t"),
            Just("spc_t")
        ],
        prop_oneof![Just(""), Just("system_u")],
    )
        .prop_map(|(t, u)| json!({"type": t, "user": u}))
}

fn security_context() -> impl Strategy<Value = Value> {
    (
        opt(any::<bool>()),
        opt(any::<bool>()),
        opt(any::<bool>()),
        opt(prop_oneof![Just(0i64), Just(1000i64)]),
        opt((
            prop::collection::vec(capability(), 0..3),
            prop::collection::vec(capability(), 0..3),
        )),
        opt(profile_type()),
        opt(profile_type()),
        opt(se_linux()),
        opt(prop_oneof![Just("Default"), Just("Unmasked")]),
        opt(any::<bool>()),
    )
        .prop_map(
            |(
                ape,
                privileged,
                non_root,
                user,
                caps,
                seccomp,
                apparmor,
                selinux,
                proc_mount,
                host_process,
            )| {
                let mut sc = json!({});
                let mut set = |k: &str, v: Option<Value>| {
                    if let Some(v) = v {
                        sc[k] = v;
                    }
                };
                set("allowPrivilegeEscalation", ape.map(Value::from));
                set("privileged", privileged.map(Value::from));
                set("runAsNonRoot", non_root.map(Value::from));
                set("runAsUser", user.map(Value::from));
                set(
                    "capabilities",
                    caps.map(|(add, drop)| json!({"add": add, "drop": drop})),
                );
                set("seccompProfile", seccomp);
                set("appArmorProfile", apparmor);
                set("seLinuxOptions", selinux);
                set("procMount", proc_mount.map(Value::from));
                set(
                    "windowsOptions",
                    host_process.map(|h| json!({"hostProcess": h})),
                );
                sc
            },
        )
}

fn container() -> impl Strategy<Value = Value> {
    (
        name(),
        opt(security_context()),
        prop::collection::vec(
            (1..70000i32, prop_oneof![Just(0), Just(80), Just(10000)]),
            0..3,
        ),
        opt(prop_oneof![Just(""), Just("10.0.0.1")]),
    )
        .prop_map(|(name, sc, ports, probe_host)| {
            let ports: Vec<Value> = ports
                .into_iter()
                .map(|(c, h)| json!({"containerPort": c, "hostPort": h}))
                .collect();
            let mut c = json!({"name": name, "image": "x", "ports": ports});
            if let Some(sc) = sc {
                c["securityContext"] = sc;
            }
            if let Some(host) = probe_host {
                c["livenessProbe"] = json!({"tcpSocket": {"host": host, "port": 1}});
            }
            c
        })
}

fn volume() -> impl Strategy<Value = Value> {
    (
        name(),
        prop_oneof![
            Just("emptyDir"),
            Just("hostPath"),
            Just("nfs"),
            Just("secret"),
            Just("none")
        ],
    )
        .prop_map(|(name, source)| {
            let mut v = json!({"name": name});
            if source != "none" {
                v[source] = json!({});
            }
            v
        })
}

prop_compose! {
    fn pod()(
        host in (any::<bool>(), any::<bool>(), any::<bool>()),
        host_users in opt(any::<bool>()),
        os in opt(prop_oneof![Just("linux"), Just("windows")]),
        pod_sc in opt(security_context()),
        sysctls in prop::collection::vec(prop_oneof![Just("kernel.shm_rmid_forced"), Just("net.ipv4.tcp_rmem"), Just("kernel.msgmax")], 0..2),
        volumes in prop::collection::vec(volume(), 0..3),
        init in prop::collection::vec(container(), 0..2),
        containers in prop::collection::vec(container(), 0..3),
        ephemeral in prop::collection::vec(container(), 0..2),
        annotations in prop::collection::btree_map(
            prop_oneof![
                Just("container.apparmor.security.beta.kubernetes.io/a".to_owned()),
                Just("seccomp.security.alpha.kubernetes.io/pod".to_owned()),
                Just("container.seccomp.security.alpha.kubernetes.io/b".to_owned()),
            ],
            prop_oneof![Just("runtime/default".to_owned()), Just("unconfined".to_owned()), Just("".to_owned())],
            0..3),
    ) -> Value {
        let mut spec = json!({
            "hostNetwork": host.0, "hostPID": host.1, "hostIPC": host.2,
            "volumes": volumes, "initContainers": init, "containers": containers,
            "ephemeralContainers": ephemeral,
        });
        if let Some(h) = host_users { spec["hostUsers"] = h.into(); }
        if let Some(os) = os { spec["os"] = json!({"name": os}); }
        let mut sc = pod_sc.unwrap_or_else(|| json!({}));
        let sysctls: Vec<Value> = sysctls.into_iter().map(|n| json!({"name": n})).collect();
        sc["sysctls"] = sysctls.into();
        spec["securityContext"] = sc;
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": annotations}, "spec": spec})
    }
}

fn versions() -> impl Iterator<Item = Version> {
    (0..=38).map(Version::V1).chain([Version::Latest])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Restricted includes baseline: a pod restricted allows is one baseline allows.
    ///
    /// Upstream has one exception, kept deliberately: from v1.25 the restricted overrides
    /// `capabilities_restricted` and `seccompProfile_restricted` exempt Windows pods entirely,
    /// while the baseline checks they replace still apply at baseline level. So a Windows pod
    /// that adds `SYS_ADMIN` passes restricted:v1.25 and fails baseline:v1.25.
    #[test]
    fn restricted_allowed_implies_baseline_allowed(value in pod()) {
        let pod = read_pod(&value).unwrap();
        let e = Evaluator::new();
        for version in versions() {
            let restricted = e.evaluate(LevelVersion::new(Level::Restricted, version), &pod);
            let baseline = e.evaluate(LevelVersion::new(Level::Baseline, version), &pod);
            if restricted.allowed() && !baseline.allowed() {
                let windows_exemption = pod.spec.is_windows()
                    && e.effective_minor(version) >= 25
                    && baseline.failures().all(|(id, _)| {
                        matches!(id, CheckId::CapabilitiesBaseline | CheckId::SeccompProfileBaseline)
                    });
                prop_assert!(windows_exemption, "{version}: baseline denies {:?}", baseline);
            }
        }
    }

    /// Any JSON at all: reading may fail, but nothing panics and evaluation always completes.
    #[test]
    fn never_panics_on_arbitrary_json(value in arbitrary_json()) {
        if let Ok(pod) = read_pod(&value) {
            evaluate_everything(&pod);
        }
        let _ = read_object(&value);
        let wrapped = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": value}});
        if let Ok(Some(obj)) = read_object(&wrapped) {
            evaluate_everything(&obj.pod);
        }
    }

    /// Pod-shaped input with random types in random places never panics either.
    #[test]
    fn never_panics_on_generated_pods(value in pod()) {
        evaluate_everything(&read_pod(&value).unwrap());
    }

    /// A newer policy version adds, replaces or revises checks but never reorders the checks
    /// that both versions run.
    #[test]
    fn a_higher_version_never_reorders_checks(level in prop_oneof![Just(Level::Baseline), Just(Level::Restricted)],
                                                a in 0u32..40, b in 0u32..40) {
        let (lo, hi) = (a.min(b), a.max(b));
        let e = Evaluator::new();
        let older: Vec<CheckId> = e.checks(LevelVersion::new(level, Version::V1(lo))).collect();
        let newer: Vec<CheckId> = e.checks(LevelVersion::new(level, Version::V1(hi))).collect();
        let common_old: Vec<_> = older.iter().filter(|c| newer.contains(c)).collect();
        let common_new: Vec<_> = newer.iter().filter(|c| older.contains(c)).collect();
        prop_assert_eq!(common_old, common_new);
    }
}

fn evaluate_everything(pod: &Pod<'_>) {
    let e = Evaluator::new();
    for level in [Level::Privileged, Level::Baseline, Level::Restricted] {
        for version in versions() {
            let eval = e.evaluate(LevelVersion::new(level, version), pod);
            assert_eq!(eval.allowed(), eval.failures().len() == 0);
            assert_eq!(eval.forbidden_detail().is_empty(), eval.allowed());
            let _ = eval.admission_message("p");
        }
    }
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z_]{0,8}".prop_map(Value::from),
    ];
    let keys = prop_oneof![
        Just("spec"),
        Just("metadata"),
        Just("containers"),
        Just("securityContext"),
        Just("volumes"),
        Just("name"),
        Just("hostPath"),
        Just("ports"),
        Just("hostPort"),
        Just("capabilities"),
        Just("add"),
        Just("annotations"),
        Just("privileged"),
        Just("initContainers"),
        Just("sysctls"),
        Just("os"),
    ];
    leaf.prop_recursive(6, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(keys.clone().prop_map(str::to_owned), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn the_windows_exemption_is_upstream_behaviour() {
    // Documents the exception in `restricted_allowed_implies_baseline_allowed`: from v1.25 the
    // restricted capabilities check skips Windows pods, and it replaces the baseline one.
    let pod = json!({"spec": {"os": {"name": "windows"}, "securityContext": {"runAsNonRoot": true},
        "containers": [{"name": "c", "securityContext": {"capabilities": {"add": ["SYS_ADMIN"]}}}]}});
    let pod = Pod::from_value(&pod).unwrap();
    let e = Evaluator::new();
    let at = |level, minor| e.evaluate(LevelVersion::new(level, Version::V1(minor)), &pod);
    assert!(at(Level::Restricted, 25).allowed());
    assert_eq!(
        at(Level::Baseline, 25).forbidden_reason(),
        "non-default capabilities"
    );
    // Before v1.25 restricted has no Windows exemption.
    assert_eq!(
        at(Level::Restricted, 24).forbidden_reason(),
        "allowPrivilegeEscalation != false, unrestricted capabilities, seccompProfile"
    );
}
