//! Borrowed views of the Pod fields the Pod Security Standards read.
//!
//! Parse a Pod (or a pod template's `metadata` and `spec`) from JSON bytes or a
//! `serde_json::Value` into a [`Pod`]; strings borrow from the input. Fields no check reads are
//! skipped without being built. A JSON `null` reads as the Go zero value, as the API server's
//! decoding does.

use std::fmt;

use palisade_core::view::null_as_default;
use palisade_core::{Str, StrMap};
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

/// A pod: the metadata and spec the checks read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Pod<'a> {
    /// `metadata`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub metadata: ObjectMeta<'a>,
    /// `spec`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub spec: PodSpec<'a>,
}

impl<'a> Pod<'a> {
    /// Parses a Pod, or any object with pod-shaped `metadata` and `spec`, from JSON bytes.
    ///
    /// Strings without JSON escapes borrow from `json`. The reader is
    /// [`palisade_core::json::from_slice`]: strict JSON, with the grammar and numbers of
    /// `serde_json`, and an error that says what is wrong and at which line and column.
    pub fn from_json(json: &'a [u8]) -> Result<Pod<'a>, palisade_core::json::JsonError> {
        palisade_core::json::from_slice(json)
    }

    /// Reads a Pod from a JSON value; strings borrow from `value`.
    pub fn from_value(value: &'a serde_json::Value) -> Result<Pod<'a>, serde_json::Error> {
        Pod::deserialize(value)
    }
}

/// The pod metadata fields the checks and admission read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectMeta<'a> {
    /// `metadata.name`.
    #[serde(borrow)]
    pub name: Option<Str<'a>>,
    /// `metadata.namespace`.
    #[serde(borrow)]
    pub namespace: Option<Str<'a>>,
    /// `metadata.labels`.
    #[serde(borrow)]
    pub labels: StrMap<'a>,
    /// `metadata.annotations`.
    #[serde(borrow)]
    pub annotations: StrMap<'a>,
    /// `metadata.ownerReferences`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub owner_references: Vec<OwnerReference<'a>>,
}

/// An owner reference (only what admission reads).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OwnerReference<'a> {
    /// `uid`.
    #[serde(borrow)]
    pub uid: Option<Str<'a>>,
    /// `controller`.
    pub controller: Option<bool>,
}

/// The pod spec fields the checks read.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSpec<'a> {
    /// `spec.hostNetwork`.
    #[serde(deserialize_with = "null_as_default")]
    pub host_network: bool,
    /// `spec.hostPID`.
    #[serde(rename = "hostPID", deserialize_with = "null_as_default")]
    pub host_pid: bool,
    /// `spec.hostIPC`.
    #[serde(rename = "hostIPC", deserialize_with = "null_as_default")]
    pub host_ipc: bool,
    /// `spec.hostUsers`.
    pub host_users: Option<bool>,
    /// `spec.os`.
    #[serde(borrow)]
    pub os: Option<PodOs<'a>>,
    /// `spec.runtimeClassName`.
    #[serde(borrow)]
    pub runtime_class_name: Option<Str<'a>>,
    /// `spec.securityContext`.
    #[serde(borrow)]
    pub security_context: Option<PodSecurityContext<'a>>,
    /// `spec.volumes`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub volumes: Vec<Volume<'a>>,
    /// `spec.initContainers`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub init_containers: Vec<Container<'a>>,
    /// `spec.containers`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub containers: Vec<Container<'a>>,
    /// `spec.ephemeralContainers`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub ephemeral_containers: Vec<Container<'a>>,
}

impl<'a> PodSpec<'a> {
    /// Every container in upstream's visiting order: init containers, containers, then
    /// ephemeral containers.
    pub fn all_containers(&self) -> impl Iterator<Item = &Container<'a>> {
        self.init_containers
            .iter()
            .chain(&self.containers)
            .chain(&self.ephemeral_containers)
    }

    /// Whether `spec.os.name` is `windows`.
    pub fn is_windows(&self) -> bool {
        self.os.as_ref().is_some_and(|os| os.name == "windows")
    }

    /// Whether the pod runs in a user namespace (`hostUsers: false`), which relaxes some checks.
    pub fn in_user_namespace(&self) -> bool {
        self.host_users == Some(false)
    }
}

/// `spec.os`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PodOs<'a> {
    /// `spec.os.name`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub name: Str<'a>,
}

/// `spec.securityContext`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodSecurityContext<'a> {
    /// `runAsNonRoot`.
    pub run_as_non_root: Option<bool>,
    /// `runAsUser`.
    pub run_as_user: Option<i64>,
    /// `seLinuxOptions`.
    #[serde(rename = "seLinuxOptions", borrow)]
    pub se_linux_options: Option<SeLinuxOptions<'a>>,
    /// `seccompProfile`.
    #[serde(borrow)]
    pub seccomp_profile: Option<ProfileType<'a>>,
    /// `appArmorProfile`.
    #[serde(borrow)]
    pub app_armor_profile: Option<ProfileType<'a>>,
    /// `windowsOptions`.
    pub windows_options: Option<WindowsOptions>,
    /// `sysctls`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub sysctls: Vec<Sysctl<'a>>,
}

/// A container's `securityContext`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SecurityContext<'a> {
    /// `allowPrivilegeEscalation`.
    pub allow_privilege_escalation: Option<bool>,
    /// `privileged`.
    pub privileged: Option<bool>,
    /// `capabilities`.
    #[serde(borrow)]
    pub capabilities: Option<Capabilities<'a>>,
    /// `procMount`.
    #[serde(borrow)]
    pub proc_mount: Option<Str<'a>>,
    /// `runAsNonRoot`.
    pub run_as_non_root: Option<bool>,
    /// `runAsUser`.
    pub run_as_user: Option<i64>,
    /// `seLinuxOptions`.
    #[serde(rename = "seLinuxOptions", borrow)]
    pub se_linux_options: Option<SeLinuxOptions<'a>>,
    /// `seccompProfile`.
    #[serde(borrow)]
    pub seccomp_profile: Option<ProfileType<'a>>,
    /// `appArmorProfile`.
    #[serde(borrow)]
    pub app_armor_profile: Option<ProfileType<'a>>,
    /// `windowsOptions`.
    pub windows_options: Option<WindowsOptions>,
}

/// `capabilities`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Capabilities<'a> {
    /// `add`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub add: Vec<Str<'a>>,
    /// `drop`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub drop: Vec<Str<'a>>,
}

/// `seLinuxOptions`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SeLinuxOptions<'a> {
    /// `type`.
    #[serde(rename = "type", borrow, deserialize_with = "null_as_default")]
    pub type_: Str<'a>,
    /// `user`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub user: Str<'a>,
    /// `role`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub role: Str<'a>,
}

/// A `seccompProfile` or `appArmorProfile`: only its `type` is checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileType<'a> {
    /// `type`.
    #[serde(rename = "type", borrow, deserialize_with = "null_as_default")]
    pub type_: Str<'a>,
}

/// `windowsOptions`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WindowsOptions {
    /// `hostProcess`.
    pub host_process: Option<bool>,
}

/// A sysctl (its name).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Sysctl<'a> {
    /// `name`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub name: Str<'a>,
}

/// A container, init container or ephemeral container.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Container<'a> {
    /// `name`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub name: Str<'a>,
    /// `securityContext`.
    #[serde(borrow)]
    pub security_context: Option<SecurityContext<'a>>,
    /// `ports`.
    #[serde(deserialize_with = "null_as_default")]
    pub ports: Vec<ContainerPort>,
    /// `livenessProbe`.
    #[serde(borrow)]
    pub liveness_probe: Option<Handler<'a>>,
    /// `readinessProbe`.
    #[serde(borrow)]
    pub readiness_probe: Option<Handler<'a>>,
    /// `startupProbe`.
    #[serde(borrow)]
    pub startup_probe: Option<Handler<'a>>,
    /// `lifecycle`.
    #[serde(borrow)]
    pub lifecycle: Option<Lifecycle<'a>>,
}

/// A container port.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContainerPort {
    /// `containerPort`.
    #[serde(deserialize_with = "null_as_default")]
    pub container_port: i32,
    /// `hostPort` (0 when unset).
    #[serde(deserialize_with = "null_as_default")]
    pub host_port: i32,
}

/// A probe or lifecycle handler: the parts that can name a host.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Handler<'a> {
    /// `httpGet`.
    #[serde(rename = "httpGet", borrow)]
    pub http_get: Option<HostField<'a>>,
    /// `tcpSocket`.
    #[serde(borrow)]
    pub tcp_socket: Option<HostField<'a>>,
}

impl Handler<'_> {
    /// The non-empty hosts this handler names, `httpGet` first.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        [&self.http_get, &self.tcp_socket]
            .into_iter()
            .filter_map(|h| h.as_ref().map(|h| h.host.as_str()))
            .filter(|h| !h.is_empty())
    }
}

/// The `host` of an `httpGet` or `tcpSocket` action.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct HostField<'a> {
    /// `host`.
    #[serde(borrow, deserialize_with = "null_as_default")]
    pub host: Str<'a>,
}

/// `lifecycle`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Lifecycle<'a> {
    /// `postStart`.
    #[serde(borrow)]
    pub post_start: Option<Handler<'a>>,
    /// `preStop`.
    #[serde(borrow)]
    pub pre_stop: Option<Handler<'a>>,
}

/// The volume source types of `spec.volumes[*]`, in the order of upstream's `VolumeSource`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
#[allow(missing_docs)] // each variant is the field of the same name
pub enum VolumeSource {
    HostPath,
    EmptyDir,
    GcePersistentDisk,
    AwsElasticBlockStore,
    GitRepo,
    Secret,
    Nfs,
    Iscsi,
    Glusterfs,
    PersistentVolumeClaim,
    Rbd,
    FlexVolume,
    Cinder,
    Cephfs,
    Flocker,
    DownwardApi,
    Fc,
    AzureFile,
    ConfigMap,
    VsphereVolume,
    Quobyte,
    AzureDisk,
    PhotonPersistentDisk,
    Projected,
    PortworxVolume,
    ScaleIo,
    Storageos,
    Csi,
    Ephemeral,
    Image,
}

impl VolumeSource {
    /// Every source, in field order.
    pub const ALL: [VolumeSource; 30] = [
        VolumeSource::HostPath,
        VolumeSource::EmptyDir,
        VolumeSource::GcePersistentDisk,
        VolumeSource::AwsElasticBlockStore,
        VolumeSource::GitRepo,
        VolumeSource::Secret,
        VolumeSource::Nfs,
        VolumeSource::Iscsi,
        VolumeSource::Glusterfs,
        VolumeSource::PersistentVolumeClaim,
        VolumeSource::Rbd,
        VolumeSource::FlexVolume,
        VolumeSource::Cinder,
        VolumeSource::Cephfs,
        VolumeSource::Flocker,
        VolumeSource::DownwardApi,
        VolumeSource::Fc,
        VolumeSource::AzureFile,
        VolumeSource::ConfigMap,
        VolumeSource::VsphereVolume,
        VolumeSource::Quobyte,
        VolumeSource::AzureDisk,
        VolumeSource::PhotonPersistentDisk,
        VolumeSource::Projected,
        VolumeSource::PortworxVolume,
        VolumeSource::ScaleIo,
        VolumeSource::Storageos,
        VolumeSource::Csi,
        VolumeSource::Ephemeral,
        VolumeSource::Image,
    ];

    /// The JSON field name (`hostPath`, `persistentVolumeClaim`, `scaleIO`, …).
    pub const fn field(self) -> &'static str {
        match self {
            VolumeSource::HostPath => "hostPath",
            VolumeSource::EmptyDir => "emptyDir",
            VolumeSource::GcePersistentDisk => "gcePersistentDisk",
            VolumeSource::AwsElasticBlockStore => "awsElasticBlockStore",
            VolumeSource::GitRepo => "gitRepo",
            VolumeSource::Secret => "secret",
            VolumeSource::Nfs => "nfs",
            VolumeSource::Iscsi => "iscsi",
            VolumeSource::Glusterfs => "glusterfs",
            VolumeSource::PersistentVolumeClaim => "persistentVolumeClaim",
            VolumeSource::Rbd => "rbd",
            VolumeSource::FlexVolume => "flexVolume",
            VolumeSource::Cinder => "cinder",
            VolumeSource::Cephfs => "cephfs",
            VolumeSource::Flocker => "flocker",
            VolumeSource::DownwardApi => "downwardAPI",
            VolumeSource::Fc => "fc",
            VolumeSource::AzureFile => "azureFile",
            VolumeSource::ConfigMap => "configMap",
            VolumeSource::VsphereVolume => "vsphereVolume",
            VolumeSource::Quobyte => "quobyte",
            VolumeSource::AzureDisk => "azureDisk",
            VolumeSource::PhotonPersistentDisk => "photonPersistentDisk",
            VolumeSource::Projected => "projected",
            VolumeSource::PortworxVolume => "portworxVolume",
            VolumeSource::ScaleIo => "scaleIO",
            VolumeSource::Storageos => "storageos",
            VolumeSource::Csi => "csi",
            VolumeSource::Ephemeral => "ephemeral",
            VolumeSource::Image => "image",
        }
    }

    fn from_field(field: &str) -> Option<VolumeSource> {
        VolumeSource::ALL.into_iter().find(|s| s.field() == field)
    }

    const fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

/// A set of volume sources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct VolumeSources(u32);

impl VolumeSources {
    /// Whether `source` is set (present and not `null`).
    pub const fn has(self, source: VolumeSource) -> bool {
        self.0 & source.bit() != 0
    }

    /// Adds `source`.
    pub fn insert(&mut self, source: VolumeSource) {
        self.0 |= source.bit();
    }

    /// Whether no source is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// A volume: its name and which sources it sets.
#[derive(Debug, Clone, Default)]
pub struct Volume<'a> {
    /// `name`.
    pub name: Str<'a>,
    /// The sources set on this volume (present and not `null`).
    pub sources: VolumeSources,
}

impl<'de: 'a, 'a> Deserialize<'de> for Volume<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VolumeVisitor;
        impl<'de> Visitor<'de> for VolumeVisitor {
            type Value = Volume<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a volume")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut volume = Volume::default();
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    if key == "name" {
                        volume.name = map.next_value::<Option<Str<'de>>>()?.unwrap_or_default();
                    } else if let Some(source) = VolumeSource::from_field(&key) {
                        if map.next_value::<Option<IgnoredAny>>()?.is_some() {
                            volume.sources.insert(source);
                        }
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(volume)
            }
        }
        deserializer.deserialize_map(VolumeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_checks_need() {
        let json = br#"{
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {"name": "p", "annotations": {"a": "b"}},
          "spec": {
            "hostNetwork": true, "hostPID": null,
            "securityContext": {"runAsUser": 0, "sysctls": [{"name": "kernel.shm_rmid_forced", "value": "1"}]},
            "volumes": [{"name": "v", "hostPath": {"path": "/"}}, {"name": "n", "secret": null}],
            "containers": [{"name": "c", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}],
              "livenessProbe": {"httpGet": {"host": "h", "port": 1}, "tcpSocket": {"host": ""}}}],
            "initContainers": null
          },
          "status": {"phase": "Running"}
        }"#;
        let pod = Pod::from_json(json).unwrap();
        assert_eq!(pod.metadata.name.as_deref(), Some("p"));
        assert!(pod.spec.host_network && !pod.spec.host_pid);
        let sc = pod.spec.security_context.as_ref().unwrap();
        assert_eq!(sc.run_as_user, Some(0));
        assert_eq!(sc.sysctls[0].name, "kernel.shm_rmid_forced");
        assert!(pod.spec.volumes[0].sources.has(VolumeSource::HostPath));
        assert!(
            pod.spec.volumes[1].sources.is_empty(),
            "a null source is no source"
        );
        let c = &pod.spec.containers[0];
        assert_eq!(c.ports[0].host_port, 8080);
        let hosts: Vec<_> = c.liveness_probe.as_ref().unwrap().hosts().collect();
        assert_eq!(hosts, ["h"]);
        assert!(pod.spec.init_containers.is_empty());
    }

    #[test]
    fn rejects_wrong_types() {
        assert!(Pod::from_json(br#"{"spec":{"hostNetwork":"yes"}}"#).is_err());
        assert!(Pod::from_json(br#"{"spec":{"containers":{}}}"#).is_err());
    }
}
