//! What a policy selects and what a rule's peers and ports match: each rule of the API
//! documentation defined once, used by evaluation, the matrix and lint.

use std::net::IpAddr;

use crate::labels::Labels;
use crate::model::{Endpoints, Pod, Protocol};
use crate::policy::{AdminPeer, AdminSelector, NetworkPolicy, Peer, Port, PortSpec};

/// One end of a connection: a pod of the endpoints, or an address outside the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// The pod at this index of [`Endpoints::pods`].
    Pod(usize),
    /// An address that is not a pod.
    Ip(IpAddr),
}

/// Whether NetworkPolicy `policy` selects the pod at `pod`: same namespace, matching labels.
pub fn selects(ep: &Endpoints, policy: &NetworkPolicy, pod: usize) -> bool {
    ep.pod(pod)
        .is_some_and(|p| p.namespace == policy.namespace && policy.pod_selector.matches(&p.labels))
}

/// The labels of a pod and of its namespace.
fn pod_and_namespace(ep: &Endpoints, pod: usize) -> Option<(&Pod, &Labels)> {
    Some((ep.pod(pod)?, ep.namespace_labels(pod)?))
}

/// The address ipBlock and networks peers see for an endpoint.
fn address(ep: &Endpoints, e: Endpoint) -> Option<IpAddr> {
    match e {
        Endpoint::Ip(ip) => Some(ip),
        Endpoint::Pod(i) => ep.pod(i).and_then(|p| p.ip),
    }
}

/// Whether a NetworkPolicy peer of `policy` matches the endpoint `other`.
///
/// A selector peer matches pods only: `podSelector` alone means pods of the policy's
/// namespace, `namespaceSelector` alone every pod of the matching namespaces, both together
/// pods matching both. An ipBlock matches the endpoint's address (a pod's IP too) when it is
/// in `cidr` and in no `except` block.
pub fn peer_matches(ep: &Endpoints, policy: &NetworkPolicy, peer: &Peer, other: Endpoint) -> bool {
    match peer {
        Peer::Selectors { pods, namespaces } => {
            let Endpoint::Pod(i) = other else {
                return false;
            };
            let Some((pod, ns_labels)) = pod_and_namespace(ep, i) else {
                return false;
            };
            let namespace_ok = match namespaces {
                None => pod.namespace == policy.namespace,
                Some(sel) => sel.matches(ns_labels),
            };
            namespace_ok && pods.as_ref().is_none_or(|sel| sel.matches(&pod.labels))
        }
        Peer::IpBlock { cidr, except } => address(ep, other)
            .is_some_and(|ip| cidr.contains(ip) && !except.iter().any(|x| x.contains(ip))),
    }
}

/// Whether `peers` (a rule's `from` / `to`) match `other`: an empty list matches everything.
pub fn peers_match(
    ep: &Endpoints,
    policy: &NetworkPolicy,
    peers: &[Peer],
    other: Endpoint,
) -> bool {
    peers.is_empty() || peers.iter().any(|p| peer_matches(ep, policy, p, other))
}

/// Whether a port entry matches traffic to `destination` on `port`/`protocol`.
///
/// A named port is resolved on the destination pod: it matches when that pod has a container
/// port of that name with the traffic's protocol (and the entry's, if it has one) whose number
/// is `port`. It never matches traffic to an address outside the cluster.
pub fn port_matches(
    entry: &Port,
    destination: Option<&Pod>,
    port: u16,
    protocol: Protocol,
) -> bool {
    if entry.protocol.is_some_and(|p| p != protocol) {
        return false;
    }
    match &entry.port {
        PortSpec::Any => true,
        PortSpec::Range(start, end) => (*start..=*end).contains(&port),
        PortSpec::Named(name) => {
            destination.and_then(|d| d.named_port(name, protocol)) == Some(port)
        }
    }
}

/// Whether `ports` (a rule's `ports`) match: an empty list matches every port and protocol.
pub fn ports_match(
    ports: &[Port],
    destination: Option<&Pod>,
    port: u16,
    protocol: Protocol,
) -> bool {
    ports.is_empty()
        || ports
            .iter()
            .any(|p| port_matches(p, destination, port, protocol))
}

/// Whether an admin policy selector (a subject or a selector peer) matches the pod at `pod`.
/// Host-networked pods are never selected.
pub fn admin_selects(ep: &Endpoints, selector: &AdminSelector, pod: usize) -> bool {
    let Some((p, ns_labels)) = pod_and_namespace(ep, pod) else {
        return false;
    };
    if p.host_network {
        return false;
    }
    match selector {
        AdminSelector::Namespaces(ns) => ns.matches(ns_labels),
        AdminSelector::Pods { namespaces, pods } => {
            namespaces.matches(ns_labels) && pods.matches(&p.labels)
        }
    }
}

/// Whether an admin policy peer matches the endpoint `other`. `networks` match addresses,
/// pod IPs included; `nodes` never match (nodes are not modelled).
pub fn admin_peer_matches(ep: &Endpoints, peer: &AdminPeer, other: Endpoint) -> bool {
    match peer {
        AdminPeer::Selector(sel) => match other {
            Endpoint::Pod(i) => admin_selects(ep, sel, i),
            Endpoint::Ip(_) => false,
        },
        AdminPeer::Networks(cidrs) => {
            address(ep, other).is_some_and(|ip| cidrs.iter().any(|c| c.contains(ip)))
        }
        AdminPeer::Nodes(_) => false,
    }
}
