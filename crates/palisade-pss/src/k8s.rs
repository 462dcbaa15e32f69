//! `k8s_openapi` types at the edge (feature `k8s-openapi`): borrowed [`Pod`] views of typed
//! Pods and of the pod templates of typed workloads, for callers that already hold them.
//!
//! The view borrows every string from the typed object; nothing is copied. Enable one of
//! `k8s-openapi`'s version features (e.g. `k8s-openapi/latest`) in your own crate, as with any
//! crate built on it.

use std::borrow::Cow;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use palisade_core::{Str, StrMap};

use crate::pod::{
    Capabilities, Container, ContainerPort, Handler, HostField, Lifecycle, ObjectMeta,
    OwnerReference, Pod, PodOs, PodSecurityContext, PodSpec, ProfileType, SeLinuxOptions,
    SecurityContext, Sysctl, Volume, VolumeSource, VolumeSources, WindowsOptions,
};
use crate::workload::PodKind;

fn s(value: &str) -> Str<'_> {
    Str(Cow::Borrowed(value))
}

fn opt_s(value: Option<&String>) -> Str<'_> {
    value.map_or_else(Str::default, |v| s(v))
}

fn map(m: Option<&std::collections::BTreeMap<String, String>>) -> StrMap<'_> {
    StrMap(m.into_iter().flatten().map(|(k, v)| (s(k), s(v))).collect())
}

impl<'a> Pod<'a> {
    /// Views a typed Pod.
    pub fn from_k8s(pod: &'a core::Pod) -> Pod<'a> {
        Pod::from_k8s_parts(&pod.metadata, pod.spec.as_ref())
    }

    /// Views a typed pod template (`metadata` and `spec`).
    pub fn from_k8s_template(template: &'a core::PodTemplateSpec) -> Pod<'a> {
        let meta = template.metadata.as_ref();
        Pod {
            metadata: meta.map(object_meta).unwrap_or_default(),
            spec: template.spec.as_ref().map(pod_spec).unwrap_or_default(),
        }
    }

    /// Views typed pod metadata and an optional spec.
    pub fn from_k8s_parts(
        metadata: &'a meta::ObjectMeta,
        spec: Option<&'a core::PodSpec>,
    ) -> Pod<'a> {
        Pod {
            metadata: object_meta(metadata),
            spec: spec.map(pod_spec).unwrap_or_default(),
        }
    }
}

/// A typed workload whose pod template the API server checks.
pub trait PodTemplateOwner {
    /// The workload's kind.
    const KIND: PodKind;
    /// The pod template, if the object has one.
    fn pod_template(&self) -> Option<&core::PodTemplateSpec>;
}

macro_rules! template_at {
    ($($ty:ty => $kind:ident, |$w:ident| $path:expr;)*) => {$(
        impl PodTemplateOwner for $ty {
            const KIND: PodKind = PodKind::$kind;
            fn pod_template(&self) -> Option<&core::PodTemplateSpec> {
                let $w = self;
                $path
            }
        }
    )*};
}

template_at! {
    Deployment => Deployment, |w| Some(&w.spec.template);
    DaemonSet => DaemonSet, |w| Some(&w.spec.template);
    StatefulSet => StatefulSet, |w| Some(&w.spec.template);
    ReplicaSet => ReplicaSet, |w| w.spec.template.as_ref();
    Job => Job, |w| w.spec.as_ref().map(|s| &s.template);
}

impl PodTemplateOwner for core::ReplicationController {
    const KIND: PodKind = PodKind::ReplicationController;
    fn pod_template(&self) -> Option<&core::PodTemplateSpec> {
        self.spec.as_ref().and_then(|s| s.template.as_ref())
    }
}

impl PodTemplateOwner for core::PodTemplate {
    const KIND: PodKind = PodKind::PodTemplate;
    fn pod_template(&self) -> Option<&core::PodTemplateSpec> {
        self.template.as_ref()
    }
}

impl PodTemplateOwner for CronJob {
    const KIND: PodKind = PodKind::CronJob;
    fn pod_template(&self) -> Option<&core::PodTemplateSpec> {
        self.spec.job_template.spec.as_ref().map(|s| &s.template)
    }
}

/// Views the pod template of a typed workload (an empty pod when it has none).
pub fn template_pod<W: PodTemplateOwner>(workload: &W) -> Pod<'_> {
    workload
        .pod_template()
        .map(Pod::from_k8s_template)
        .unwrap_or_default()
}

fn object_meta(m: &meta::ObjectMeta) -> ObjectMeta<'_> {
    ObjectMeta {
        name: m.name.as_deref().map(s),
        namespace: m.namespace.as_deref().map(s),
        labels: map(m.labels.as_ref()),
        annotations: map(m.annotations.as_ref()),
        owner_references: m
            .owner_references
            .iter()
            .flatten()
            .map(|o| OwnerReference {
                uid: Some(s(&o.uid)),
                controller: o.controller,
            })
            .collect(),
    }
}

fn pod_spec(spec: &core::PodSpec) -> PodSpec<'_> {
    PodSpec {
        host_network: spec.host_network.unwrap_or(false),
        host_pid: spec.host_pid.unwrap_or(false),
        host_ipc: spec.host_ipc.unwrap_or(false),
        host_users: spec.host_users,
        os: spec.os.as_ref().map(|os| PodOs { name: s(&os.name) }),
        runtime_class_name: spec.runtime_class_name.as_deref().map(s),
        security_context: spec.security_context.as_ref().map(pod_security_context),
        volumes: spec.volumes.iter().flatten().map(volume).collect(),
        init_containers: spec
            .init_containers
            .iter()
            .flatten()
            .map(container)
            .collect(),
        containers: spec.containers.iter().map(container).collect(),
        ephemeral_containers: spec
            .ephemeral_containers
            .iter()
            .flatten()
            .map(ephemeral_container)
            .collect(),
    }
}

fn se_linux(o: &core::SELinuxOptions) -> SeLinuxOptions<'_> {
    SeLinuxOptions {
        type_: opt_s(o.type_.as_ref()),
        user: opt_s(o.user.as_ref()),
        role: opt_s(o.role.as_ref()),
    }
}

fn windows(o: &core::WindowsSecurityContextOptions) -> WindowsOptions {
    WindowsOptions {
        host_process: o.host_process,
    }
}

fn pod_security_context(sc: &core::PodSecurityContext) -> PodSecurityContext<'_> {
    PodSecurityContext {
        run_as_non_root: sc.run_as_non_root,
        run_as_user: sc.run_as_user,
        se_linux_options: sc.se_linux_options.as_ref().map(se_linux),
        seccomp_profile: sc
            .seccomp_profile
            .as_ref()
            .map(|p| ProfileType { type_: s(&p.type_) }),
        app_armor_profile: sc
            .app_armor_profile
            .as_ref()
            .map(|p| ProfileType { type_: s(&p.type_) }),
        windows_options: sc.windows_options.as_ref().map(windows),
        sysctls: sc
            .sysctls
            .iter()
            .flatten()
            .map(|x| Sysctl { name: s(&x.name) })
            .collect(),
    }
}

fn security_context(sc: &core::SecurityContext) -> SecurityContext<'_> {
    SecurityContext {
        allow_privilege_escalation: sc.allow_privilege_escalation,
        privileged: sc.privileged,
        capabilities: sc.capabilities.as_ref().map(|c| Capabilities {
            add: c.add.iter().flatten().map(|x| s(x)).collect(),
            drop: c.drop.iter().flatten().map(|x| s(x)).collect(),
        }),
        proc_mount: sc.proc_mount.as_deref().map(s),
        run_as_non_root: sc.run_as_non_root,
        run_as_user: sc.run_as_user,
        se_linux_options: sc.se_linux_options.as_ref().map(se_linux),
        seccomp_profile: sc
            .seccomp_profile
            .as_ref()
            .map(|p| ProfileType { type_: s(&p.type_) }),
        app_armor_profile: sc
            .app_armor_profile
            .as_ref()
            .map(|p| ProfileType { type_: s(&p.type_) }),
        windows_options: sc.windows_options.as_ref().map(windows),
    }
}

fn host(h: Option<&String>) -> HostField<'_> {
    HostField { host: opt_s(h) }
}

/// Views a probe or a lifecycle handler: both have `httpGet` and `tcpSocket` with a `host`.
macro_rules! handler_view {
    ($p:expr) => {
        Handler {
            http_get: $p.http_get.as_ref().map(|a| host(a.host.as_ref())),
            tcp_socket: $p.tcp_socket.as_ref().map(|a| host(a.host.as_ref())),
        }
    };
}

fn probe(p: &core::Probe) -> Handler<'_> {
    handler_view!(p)
}

fn lifecycle_handler(p: &core::LifecycleHandler) -> Handler<'_> {
    handler_view!(p)
}

fn ports(ports: Option<&Vec<core::ContainerPort>>) -> Vec<ContainerPort> {
    ports
        .into_iter()
        .flatten()
        .map(|p| ContainerPort {
            container_port: p.container_port,
            host_port: p.host_port.unwrap_or(0),
        })
        .collect()
}

fn lifecycle(l: &core::Lifecycle) -> Lifecycle<'_> {
    Lifecycle {
        post_start: l.post_start.as_ref().map(lifecycle_handler),
        pre_stop: l.pre_stop.as_ref().map(lifecycle_handler),
    }
}

/// Views a `Container` or an `EphemeralContainer`: the fields the checks read have the same
/// names and types in both.
macro_rules! container_view {
    ($c:expr) => {
        Container {
            name: s(&$c.name),
            security_context: $c.security_context.as_ref().map(security_context),
            ports: ports($c.ports.as_ref()),
            liveness_probe: $c.liveness_probe.as_ref().map(probe),
            readiness_probe: $c.readiness_probe.as_ref().map(probe),
            startup_probe: $c.startup_probe.as_ref().map(probe),
            lifecycle: $c.lifecycle.as_ref().map(lifecycle),
        }
    };
}

fn container(c: &core::Container) -> Container<'_> {
    container_view!(c)
}

fn ephemeral_container(c: &core::EphemeralContainer) -> Container<'_> {
    container_view!(c)
}

fn volume(v: &core::Volume) -> Volume<'_> {
    use VolumeSource as S;
    let mut sources = VolumeSources::default();
    let set = [
        (v.host_path.is_some(), S::HostPath),
        (v.empty_dir.is_some(), S::EmptyDir),
        (v.gce_persistent_disk.is_some(), S::GcePersistentDisk),
        (v.aws_elastic_block_store.is_some(), S::AwsElasticBlockStore),
        (v.git_repo.is_some(), S::GitRepo),
        (v.secret.is_some(), S::Secret),
        (v.nfs.is_some(), S::Nfs),
        (v.iscsi.is_some(), S::Iscsi),
        (v.glusterfs.is_some(), S::Glusterfs),
        (
            v.persistent_volume_claim.is_some(),
            S::PersistentVolumeClaim,
        ),
        (v.rbd.is_some(), S::Rbd),
        (v.flex_volume.is_some(), S::FlexVolume),
        (v.cinder.is_some(), S::Cinder),
        (v.cephfs.is_some(), S::Cephfs),
        (v.flocker.is_some(), S::Flocker),
        (v.downward_api.is_some(), S::DownwardApi),
        (v.fc.is_some(), S::Fc),
        (v.azure_file.is_some(), S::AzureFile),
        (v.config_map.is_some(), S::ConfigMap),
        (v.vsphere_volume.is_some(), S::VsphereVolume),
        (v.quobyte.is_some(), S::Quobyte),
        (v.azure_disk.is_some(), S::AzureDisk),
        (v.photon_persistent_disk.is_some(), S::PhotonPersistentDisk),
        (v.projected.is_some(), S::Projected),
        (v.portworx_volume.is_some(), S::PortworxVolume),
        (v.scale_io.is_some(), S::ScaleIo),
        (v.storageos.is_some(), S::Storageos),
        (v.csi.is_some(), S::Csi),
        (v.ephemeral.is_some(), S::Ephemeral),
        (v.image.is_some(), S::Image),
    ];
    for (present, source) in set {
        if present {
            sources.insert(source);
        }
    }
    Volume {
        name: s(&v.name),
        sources,
    }
}
