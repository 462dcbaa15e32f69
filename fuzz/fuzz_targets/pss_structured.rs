//! Structure-aware PSS fuzzing: pods built from the vocabulary the checks look at (host
//! namespaces and ports, privileged, capabilities in odd casings, seccomp and AppArmor in
//! fields and annotations, SELinux, procMount, sysctls, volumes, users, Windows, hostUsers),
//! evaluated at every level and many versions through the borrowed JSON path and through the
//! typed `k8s_openapi` path. Both paths must give the same verdict, failing checks and detail;
//! privileged always allows.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use palisade::pss::{Evaluation, Evaluator, Level, LevelVersion, Pod, Version};
use serde_json::{Map, Value, json};

const CAPABILITIES: &[&str] = &[
    "ALL", "all", "NET_BIND_SERVICE", "net_bind_service", "CAP_NET_BIND_SERVICE", "SYS_ADMIN",
    "NET_RAW", "CHOWN", "AUDIT_WRITE", "KILL", "SETUID", "",
];
const SECCOMP: &[&str] = &["RuntimeDefault", "Localhost", "Unconfined", "Other", ""];
const APPARMOR: &[&str] = &["RuntimeDefault", "Localhost", "Unconfined", "Other"];
const APPARMOR_ANNOTATION: &[&str] =
    &["runtime/default", "localhost/p", "unconfined", "", "docker/default"];
const SELINUX_TYPES: &[&str] = &["container_t", "container_init_t", "container_kvm_t", "spc_t", ""];
const PROC_MOUNT: &[&str] = &["Default", "Unmasked", "unmasked", ""];
const SYSCTLS: &[&str] = &[
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start", "kernel.msgmax",
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "vm.overcommit_memory",
];
const VOLUME_SOURCES: &[&str] = &[
    "emptyDir", "configMap", "secret", "hostPath", "persistentVolumeClaim", "projected",
    "downwardAPI", "csi", "ephemeral", "nfs", "gcePersistentDisk", "iscsi",
];

fn pick<'a>(items: &[&'a str], i: u8) -> &'a str {
    items[usize::from(i) % items.len()]
}

#[derive(Debug, Arbitrary)]
struct SecurityContext {
    privileged: Option<bool>,
    allow_privilege_escalation: Option<bool>,
    run_as_non_root: Option<bool>,
    run_as_user: Option<u8>,
    add: Vec<u8>,
    drop: Vec<u8>,
    seccomp: Option<u8>,
    apparmor: Option<u8>,
    selinux_type: Option<u8>,
    selinux_user: bool,
    proc_mount: Option<u8>,
    windows_host_process: Option<bool>,
}

impl SecurityContext {
    fn to_json(&self, container: bool) -> Value {
        let mut m = Map::new();
        let mut put = |k: &str, v: Value| {
            m.insert(k.to_owned(), v);
        };
        if let Some(v) = self.run_as_non_root {
            put("runAsNonRoot", json!(v));
        }
        if let Some(u) = self.run_as_user {
            put("runAsUser", json!(if u % 3 == 0 { 0 } else { u64::from(u) * 100 }));
        }
        if let Some(s) = self.seccomp {
            let t = pick(SECCOMP, s);
            put("seccompProfile", if t == "Localhost" {
                json!({"type": t, "localhostProfile": "p.json"})
            } else {
                json!({"type": t})
            });
        }
        if let Some(a) = self.apparmor {
            put("appArmorProfile", json!({"type": pick(APPARMOR, a)}));
        }
        if self.selinux_type.is_some() || self.selinux_user {
            let mut se = Map::new();
            if let Some(t) = self.selinux_type {
                se.insert("type".into(), json!(pick(SELINUX_TYPES, t)));
            }
            if self.selinux_user {
                se.insert("user".into(), json!("system_u"));
            }
            put("seLinuxOptions", Value::Object(se));
        }
        if let Some(w) = self.windows_host_process {
            put("windowsOptions", json!({"hostProcess": w}));
        }
        if container {
            if let Some(v) = self.privileged {
                put("privileged", json!(v));
            }
            if let Some(v) = self.allow_privilege_escalation {
                put("allowPrivilegeEscalation", json!(v));
            }
            if !self.add.is_empty() || !self.drop.is_empty() {
                let caps = |v: &[u8]| -> Vec<&str> { v.iter().take(4).map(|i| pick(CAPABILITIES, *i)).collect() };
                put("capabilities", json!({"add": caps(&self.add), "drop": caps(&self.drop)}));
            }
            if let Some(p) = self.proc_mount {
                put("procMount", json!(pick(PROC_MOUNT, p)));
            }
        }
        Value::Object(m)
    }
}

#[derive(Debug, Arbitrary)]
struct Container {
    security_context: Option<SecurityContext>,
    host_port: Option<u16>,
}

impl Container {
    fn to_json(&self, name: &str) -> Value {
        let mut c = json!({"name": name, "image": "registry.example.com/app:1"});
        if let Some(sc) = &self.security_context {
            c["securityContext"] = sc.to_json(true);
        }
        if let Some(p) = self.host_port {
            c["ports"] = json!([{"containerPort": 8080, "hostPort": p % 3 * 4000}]);
        }
        c
    }
}

#[derive(Debug, Arbitrary)]
struct FuzzPod {
    host_network: Option<bool>,
    host_pid: Option<bool>,
    host_ipc: Option<bool>,
    host_users: Option<bool>,
    windows: Option<bool>,
    security_context: Option<SecurityContext>,
    sysctls: Vec<u8>,
    supplemental_groups: Option<bool>,
    containers: Vec<Container>,
    init_containers: Vec<Container>,
    ephemeral_containers: Vec<Container>,
    volumes: Vec<u8>,
    annotations: Vec<(u8, u8)>,
}

impl FuzzPod {
    fn to_json(&self) -> Value {
        let mut spec = Map::new();
        for (k, v) in [("hostNetwork", self.host_network), ("hostPID", self.host_pid), ("hostIPC", self.host_ipc), ("hostUsers", self.host_users)] {
            if let Some(v) = v {
                spec.insert(k.into(), json!(v));
            }
        }
        if let Some(w) = self.windows {
            spec.insert("os".into(), json!({"name": if w { "windows" } else { "linux" }}));
        }
        let mut sc = self.security_context.as_ref().map_or(json!({}), |s| s.to_json(false));
        if !self.sysctls.is_empty() {
            sc["sysctls"] = json!(self.sysctls.iter().take(4)
                .map(|i| json!({"name": pick(SYSCTLS, *i), "value": "1"})).collect::<Vec<_>>());
        }
        if self.supplemental_groups == Some(true) {
            sc["supplementalGroups"] = json!([1000]);
        }
        if sc.as_object().is_some_and(|m| !m.is_empty()) {
            spec.insert("securityContext".into(), sc);
        }
        let containers = |list: &[Container], prefix: &str| -> Vec<Value> {
            list.iter().take(3).enumerate().map(|(i, c)| c.to_json(&format!("{prefix}{i}"))).collect()
        };
        let mut main = containers(&self.containers, "c");
        if main.is_empty() {
            main.push(Container { security_context: None, host_port: None }.to_json("c"));
        }
        spec.insert("containers".into(), json!(main));
        for (key, list, prefix) in [("initContainers", &self.init_containers, "i"), ("ephemeralContainers", &self.ephemeral_containers, "e")] {
            if !list.is_empty() {
                spec.insert(key.into(), json!(containers(list, prefix)));
            }
        }
        if !self.volumes.is_empty() {
            let volumes: Vec<Value> = self.volumes.iter().take(4).enumerate().map(|(i, v)| {
                let source = pick(VOLUME_SOURCES, *v);
                let body = match source {
                    "hostPath" => json!({"path": "/var/run"}),
                    "persistentVolumeClaim" => json!({"claimName": "c"}),
                    "nfs" => json!({"server": "s", "path": "/"}),
                    "gcePersistentDisk" => json!({"pdName": "d"}),
                    "iscsi" => json!({"targetPortal": "t", "iqn": "q", "lun": 0}),
                    "csi" => json!({"driver": "d"}),
                    _ => json!({}),
                };
                json!({"name": format!("v{i}"), source: body})
            }).collect();
            spec.insert("volumes".into(), json!(volumes));
        }
        let mut annotations = Map::new();
        for (c, v) in self.annotations.iter().take(3) {
            annotations.insert(
                format!("container.apparmor.security.beta.kubernetes.io/c{}", c % 3),
                json!(pick(APPARMOR_ANNOTATION, *v)),
            );
        }
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "fuzz", "namespace": "default", "annotations": annotations},
               "spec": spec})
    }
}

fn outcome(eval: &Evaluation) -> (bool, Vec<String>, String) {
    (eval.allowed(), eval.failures().map(|(id, _)| id.to_string()).collect(), eval.forbidden_detail())
}

fuzz_target!(|input: FuzzPod| {
    let value = input.to_json();
    let bytes = serde_json::to_vec(&value).expect("a JSON value serializes");
    let fast = Pod::from_json(&bytes).expect("a pod built from the vocabulary parses");
    let typed: k8s_openapi::api::core::v1::Pod =
        serde_json::from_value(value.clone()).expect("the typed Pod reads it too");
    let viewed = Pod::from_k8s(&typed);
    let evaluator = Evaluator::new();
    for version in [Version::V1(0), Version::V1(8), Version::V1(19), Version::V1(22), Version::V1(25), Version::V1(30), Version::V1(34), Version::V1(35), Version::Latest] {
        for level in [Level::Privileged, Level::Baseline, Level::Restricted] {
            let lv = LevelVersion::new(level, version);
            let a = evaluator.evaluate(lv, &fast);
            let b = evaluator.evaluate(lv, &viewed);
            assert_eq!(outcome(&a), outcome(&b), "{lv:?} on {value}");
            if level == Level::Privileged {
                assert!(a.allowed(), "privileged allows everything: {value}");
            }
            if !a.allowed() {
                let _ = a.admission_message("fuzz");
            }
        }
    }
});
