//! The API defaulting that changes what the Pod Security Standards see.
//!
//! The API server defaults an object before admission. Two defaults matter to the checks:
//! - a volume with no source becomes `emptyDir: {}` (upstream `SetDefaults_Volume`), for pods
//!   and pod templates alike;
//! - with `hostNetwork: true`, a container or init container port with no `hostPort` gets
//!   `hostPort = containerPort` (upstream `defaultHostNetworkPorts`). Since Kubernetes 1.28 this
//!   applies to Pods only, not to pod templates of workloads (the
//!   `DefaultHostNetworkHostPortsInPodTemplates` gate is off by default).
//!
//! Defaulting is off unless a caller asks for it: palisade evaluates what it is given.

use crate::pod::{Pod, VolumeSource};

/// Whether the object being defaulted is a Pod or a workload's pod template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultingTarget {
    /// A Pod.
    Pod,
    /// The pod template of a workload (Deployment, Job, PodTemplate, …).
    Template,
}

/// Applies the API defaults that affect the checks to `pod`, in place.
pub fn apply_defaults(pod: &mut Pod<'_>, target: DefaultingTarget) {
    for volume in &mut pod.spec.volumes {
        if volume.sources.is_empty() {
            volume.sources.insert(VolumeSource::EmptyDir);
        }
    }
    if target == DefaultingTarget::Pod && pod.spec.host_network {
        let spec = &mut pod.spec;
        for container in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut())
        {
            for port in &mut container.ports {
                if port.host_port == 0 {
                    port.host_port = port.container_port;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_volumes_and_host_network_ports() {
        let json = br#"{"spec":{"hostNetwork":true,"volumes":[{"name":"v"},{"name":"s","secret":{}}],
            "containers":[{"name":"c","ports":[{"containerPort":80},{"containerPort":81,"hostPort":9}]}],
            "ephemeralContainers":[{"name":"e","ports":[{"containerPort":82}]}]}}"#;
        let mut pod = Pod::from_json(json).unwrap();
        apply_defaults(&mut pod, DefaultingTarget::Pod);
        assert!(pod.spec.volumes[0].sources.has(VolumeSource::EmptyDir));
        assert!(!pod.spec.volumes[1].sources.has(VolumeSource::EmptyDir));
        let ports: Vec<_> = pod.spec.containers[0]
            .ports
            .iter()
            .map(|p| p.host_port)
            .collect();
        assert_eq!(ports, [80, 9]);
        assert_eq!(
            pod.spec.ephemeral_containers[0].ports[0].host_port, 0,
            "ephemeral ports are not defaulted"
        );

        let mut template = Pod::from_json(json).unwrap();
        apply_defaults(&mut template, DefaultingTarget::Template);
        assert_eq!(template.spec.containers[0].ports[0].host_port, 0);
        assert!(template.spec.volumes[0].sources.has(VolumeSource::EmptyDir));
    }
}
