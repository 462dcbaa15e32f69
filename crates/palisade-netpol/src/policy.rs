//! The policy objects, after API defaulting: `networking.k8s.io/v1` NetworkPolicy and
//! `policy.networking.k8s.io/v1alpha1` AdminNetworkPolicy / BaselineAdminNetworkPolicy.

use std::fmt;

use crate::addr::Cidr;
use crate::labels::LabelSelector;
use crate::model::Protocol;

/// A traffic direction, seen from the pod a policy selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// Traffic into the pod; checked at the destination.
    Ingress,
    /// Traffic out of the pod; checked at the source.
    Egress,
}

impl Direction {
    /// `Ingress` or `Egress`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "Ingress",
            Direction::Egress => "Egress",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The port part of a NetworkPolicy `ports[]` entry or an admin policy port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PortSpec {
    /// Every port of the protocol (`port` omitted).
    Any,
    /// `start..=end` (`port`, with `endPort` when set; `start == end` otherwise).
    Range(u16, u16),
    /// A named port, resolved on the destination pod.
    Named(String),
}

/// One port entry: a protocol and the ports of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Port {
    /// The protocol (defaulted to TCP); `None` only for an admin policy's `namedPort`, which
    /// matches the named container port of whatever protocol the traffic uses.
    pub protocol: Option<Protocol>,
    /// The ports.
    pub port: PortSpec,
}

impl fmt::Display for Port {
    /// `TCP/80`, `TCP/5000-5010`, `UDP/*`, `TCP/metrics`, `*/dns`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let protocol = self.protocol.map_or("*", Protocol::as_str);
        match &self.port {
            PortSpec::Any => write!(f, "{protocol}/*"),
            PortSpec::Range(a, b) if a == b => write!(f, "{protocol}/{a}"),
            PortSpec::Range(a, b) => write!(f, "{protocol}/{a}-{b}"),
            PortSpec::Named(n) => write!(f, "{protocol}/{n}"),
        }
    }
}

/// A NetworkPolicy peer (`from[]` / `to[]` entry).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Peer {
    /// `podSelector` and/or `namespaceSelector`. Without a namespace selector the pods are those
    /// of the policy's namespace; without a pod selector, every pod of the matching namespaces.
    Selectors {
        /// `podSelector`, if set.
        pods: Option<LabelSelector>,
        /// `namespaceSelector`, if set.
        namespaces: Option<LabelSelector>,
    },
    /// `ipBlock`: addresses in `cidr` and in none of `except`.
    IpBlock {
        /// `cidr`.
        cidr: Cidr,
        /// `except`.
        except: Vec<Cidr>,
    },
}

/// One ingress or egress rule of a NetworkPolicy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Rule {
    /// `from` / `to`; empty matches every peer, inside the cluster or not.
    pub peers: Vec<Peer>,
    /// `ports`; empty matches every port and protocol.
    pub ports: Vec<Port>,
}

/// A `networking.k8s.io/v1` NetworkPolicy, defaulted as the API server stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPolicy {
    /// `metadata.namespace`.
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// `spec.podSelector` (`{}` when missing).
    pub pod_selector: LabelSelector,
    /// Whether `Ingress` is in the (defaulted) `policyTypes`.
    pub isolates_ingress: bool,
    /// Whether `Egress` is in the (defaulted) `policyTypes`.
    pub isolates_egress: bool,
    /// Whether `policyTypes` was missing or empty and so defaulted.
    pub policy_types_defaulted: bool,
    /// `spec.ingress`.
    pub ingress: Vec<Rule>,
    /// `spec.egress`.
    pub egress: Vec<Rule>,
}

impl NetworkPolicy {
    /// `namespace/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Whether the policy isolates the pods it selects in `direction`.
    pub fn isolates(&self, direction: Direction) -> bool {
        match direction {
            Direction::Ingress => self.isolates_ingress,
            Direction::Egress => self.isolates_egress,
        }
    }

    /// The rules of `direction` (whether or not `policyTypes` makes them count).
    pub fn rules(&self, direction: Direction) -> &[Rule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// What an admin policy rule does with the traffic it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Allow; no lower tier is consulted.
    Allow,
    /// Deny; no lower tier is consulted.
    Deny,
    /// Skip the remaining AdminNetworkPolicies: NetworkPolicy, then the baseline, decide.
    Pass,
}

impl Action {
    /// `Allow`, `Deny` or `Pass`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "Allow",
            Action::Deny => "Deny",
            Action::Pass => "Pass",
        }
    }
}

/// The pods an admin policy applies to, or a selector peer of one of its rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AdminSelector {
    /// `namespaces`: every pod of the matching namespaces.
    Namespaces(LabelSelector),
    /// `pods`: pods matching `podSelector` in namespaces matching `namespaceSelector`.
    Pods {
        /// `namespaceSelector`.
        namespaces: LabelSelector,
        /// `podSelector`.
        pods: LabelSelector,
    },
}

/// A peer of an admin policy rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AdminPeer {
    /// `namespaces` or `pods`.
    Selector(AdminSelector),
    /// `networks` (egress only): the CIDRs, matched against every address, pod IPs included.
    Networks(Vec<Cidr>),
    /// `nodes` (egress only): node addresses, which this crate does not model; never matches.
    Nodes(LabelSelector),
}

/// One rule of an admin policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AdminRule {
    /// `name`.
    pub name: String,
    /// `action`.
    pub action: Action,
    /// `from` / `to` (at least one).
    pub peers: Vec<AdminPeer>,
    /// `ports`; `None` when unset (every port).
    pub ports: Option<Vec<Port>>,
}

/// Which tier an admin policy belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminTier {
    /// AdminNetworkPolicy: before NetworkPolicy.
    Admin,
    /// BaselineAdminNetworkPolicy: after NetworkPolicy.
    Baseline,
}

/// An AdminNetworkPolicy or the BaselineAdminNetworkPolicy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminPolicy {
    /// Which kind.
    pub tier: AdminTier,
    /// `metadata.name`.
    pub name: String,
    /// `spec.priority` (0 is highest; 0 for the baseline, which has none).
    pub priority: i32,
    /// `spec.subject`.
    pub subject: AdminSelector,
    /// `spec.ingress`, in order (first match wins).
    pub ingress: Vec<AdminRule>,
    /// `spec.egress`, in order (first match wins).
    pub egress: Vec<AdminRule>,
}

impl AdminPolicy {
    /// The rules of `direction`.
    pub fn rules(&self, direction: Direction) -> &[AdminRule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// The kind as written in manifests.
    pub fn kind(&self) -> &'static str {
        match self.tier {
            AdminTier::Admin => "AdminNetworkPolicy",
            AdminTier::Baseline => "BaselineAdminNetworkPolicy",
        }
    }
}

/// Every policy in force: the three tiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicySet {
    /// AdminNetworkPolicies, in ascending priority (then name).
    pub admin: Vec<AdminPolicy>,
    /// NetworkPolicies (order has no meaning).
    pub network: Vec<NetworkPolicy>,
    /// The BaselineAdminNetworkPolicy (`default`), if any.
    pub baseline: Option<AdminPolicy>,
}

impl PolicySet {
    /// Builds a set: a later policy with the same identity replaces an earlier one (as an
    /// update does), and admin policies are put in priority order.
    pub fn new(
        network: Vec<NetworkPolicy>,
        admin: Vec<AdminPolicy>,
        baseline: Option<AdminPolicy>,
    ) -> PolicySet {
        let mut net: Vec<NetworkPolicy> = Vec::with_capacity(network.len());
        for p in network {
            match net
                .iter_mut()
                .find(|q| q.namespace == p.namespace && q.name == p.name)
            {
                Some(slot) => *slot = p,
                None => net.push(p),
            }
        }
        let mut adm: Vec<AdminPolicy> = Vec::with_capacity(admin.len());
        for p in admin {
            match adm.iter_mut().find(|q| q.name == p.name) {
                Some(slot) => *slot = p,
                None => adm.push(p),
            }
        }
        adm.sort_by(|a, b| {
            a.priority
                .cmp(&b.priority)
                .then_with(|| a.name.cmp(&b.name))
        });
        PolicySet {
            admin: adm,
            network: net,
            baseline,
        }
    }

    /// Whether there are no policies at all.
    pub fn is_empty(&self) -> bool {
        self.admin.is_empty() && self.network.is_empty() && self.baseline.is_none()
    }
}
