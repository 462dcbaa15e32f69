//! The endpoints traffic flows between: namespaces, pods (or workloads standing in for their
//! pods) with their labels, IPs and named container ports.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

use crate::labels::Labels;

/// The label the API server puts on every namespace: its own name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A transport protocol NetworkPolicy knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// TCP, the default wherever a protocol is omitted.
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl Protocol {
    /// Every protocol, in the order `TCP`, `UDP`, `SCTP`.
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// `TCP`, `UDP` or `SCTP`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    /// Parses `TCP`, `UDP` or `SCTP` (case-sensitive, as the API validates it).
    pub fn parse(text: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A container port of a pod.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContainerPort {
    /// `name`, which named ports in policies refer to.
    pub name: Option<String>,
    /// `containerPort`.
    pub port: u16,
    /// `protocol` (default TCP).
    pub protocol: Protocol,
}

/// What a [`Pod`] entry stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PodSource {
    /// A Pod object.
    Pod,
    /// The pods of a workload (`Deployment`, `StatefulSet`, …), from its pod template: the
    /// template's labels and ports, and no IP.
    Workload(String),
}

/// A pod: the fields NetworkPolicy reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name` (for a workload, the workload's name).
    pub name: String,
    /// `metadata.labels` (for a workload, the template's).
    pub labels: Labels,
    /// `status.podIP` (else the first of `status.podIPs`): the address ipBlock peers see.
    pub ip: Option<IpAddr>,
    /// Every container port, in container order.
    pub ports: Vec<ContainerPort>,
    /// `spec.hostNetwork`: such a pod uses the node's address.
    pub host_network: bool,
    /// A Pod object or a workload standing in for its pods.
    pub source: PodSource,
}

impl Pod {
    /// A pod with labels and no ports or IP (handy in tests and examples).
    pub fn new(namespace: &str, name: &str, labels: &[(&str, &str)]) -> Pod {
        Pod {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ip: None,
            ports: Vec::new(),
            host_network: false,
            source: PodSource::Pod,
        }
    }

    /// `namespace/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The container port named `name` with this protocol, if the pod has one.
    pub fn named_port(&self, name: &str, protocol: Protocol) -> Option<u16> {
        self.ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name) && p.protocol == protocol)
            .map(|p| p.port)
    }
}

/// A namespace: its name and labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.labels`, always with `kubernetes.io/metadata.name` (the API server sets it).
    pub labels: Labels,
}

impl Namespace {
    /// A namespace with these labels plus the automatic `kubernetes.io/metadata.name`.
    pub fn new(name: &str, labels: &[(&str, &str)]) -> Namespace {
        let mut l: Labels = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        l.insert(NAMESPACE_NAME_LABEL.to_owned(), name.to_owned());
        Namespace {
            name: name.to_owned(),
            labels: l,
        }
    }
}

/// The endpoints of a cluster: namespaces and pods, indexed.
///
/// A pod whose namespace has no Namespace object gets one with only the automatic
/// `kubernetes.io/metadata.name` label, as the API server would have created it.
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    namespaces: Vec<Namespace>,
    pods: Vec<Pod>,
    /// For each pod, the index of its namespace in `namespaces`.
    pod_namespace: Vec<usize>,
    by_name: HashMap<String, usize>,
}

impl Endpoints {
    /// Indexes `namespaces` and `pods`. A later namespace or pod with the same name replaces an
    /// earlier one.
    pub fn new(namespaces: Vec<Namespace>, pods: Vec<Pod>) -> Endpoints {
        let mut e = Endpoints::default();
        let mut ns_index: HashMap<String, usize> = HashMap::new();
        for mut ns in namespaces {
            ns.labels
                .insert(NAMESPACE_NAME_LABEL.to_owned(), ns.name.clone());
            match ns_index.get(&ns.name) {
                Some(&i) => {
                    if let Some(slot) = e.namespaces.get_mut(i) {
                        *slot = ns;
                    }
                }
                None => {
                    ns_index.insert(ns.name.clone(), e.namespaces.len());
                    e.namespaces.push(ns);
                }
            }
        }
        for pod in pods {
            let ns = match ns_index.get(&pod.namespace) {
                Some(&i) => i,
                None => {
                    ns_index.insert(pod.namespace.clone(), e.namespaces.len());
                    e.namespaces.push(Namespace::new(&pod.namespace, &[]));
                    e.namespaces.len() - 1
                }
            };
            let id = pod.id();
            match e.by_name.get(&id) {
                Some(&i) => {
                    if let (Some(slot), Some(n)) = (e.pods.get_mut(i), e.pod_namespace.get_mut(i)) {
                        *slot = pod;
                        *n = ns;
                    }
                }
                None => {
                    e.by_name.insert(id, e.pods.len());
                    e.pods.push(pod);
                    e.pod_namespace.push(ns);
                }
            }
        }
        e
    }

    /// The namespaces, in input order (then those only pods named).
    pub fn namespaces(&self) -> &[Namespace] {
        &self.namespaces
    }

    /// The pods, in input order.
    pub fn pods(&self) -> &[Pod] {
        &self.pods
    }

    /// The pod at `index`.
    pub fn pod(&self, index: usize) -> Option<&Pod> {
        self.pods.get(index)
    }

    /// The index of the pod `namespace/name`.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.by_name.get(id).copied()
    }

    /// The labels of the namespace of the pod at `index`.
    pub fn namespace_labels(&self, pod: usize) -> Option<&Labels> {
        let ns = *self.pod_namespace.get(pod)?;
        self.namespaces.get(ns).map(|n| &n.labels)
    }

    /// The namespace named `name`.
    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.namespaces.iter().find(|n| n.name == name)
    }
}
