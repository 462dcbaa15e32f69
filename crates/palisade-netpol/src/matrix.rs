//! The reachability matrix: for every pair of pods and every port, whether the connection is
//! allowed — the same answers as [`crate::eval::allows`] pair by pair, computed in bulk.
//!
//! Pods are indexed by their namespace and labels: every selector is evaluated once per group
//! of pods with the same namespace and labels, and each rule's peers become a bitset over pods.
//! A pod's allowed peers in one direction are then a few word-wide operations per rule of the
//! policies that select it, with the tiers applied in order (admin rules first-match, then
//! NetworkPolicy union, then the baseline).

use std::collections::{BTreeSet, HashMap};

use crate::labels::Labels;
use crate::matching::{Endpoint, admin_peer_matches, admin_selects, peer_matches, ports_match};
use crate::model::{Endpoints, Protocol};
use crate::policy::{
    Action, AdminPolicy, AdminRule, Direction, NetworkPolicy, PolicySet, Port, PortSpec,
};

/// A fixed-size set of pod indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn full(n: usize) -> Bits {
        let mut b = Bits(vec![u64::MAX; n.div_ceil(64)]);
        if let Some(last) = b.0.last_mut()
            && !n.is_multiple_of(64)
        {
            *last = (1u64 << (n % 64)) - 1;
        }
        b
    }

    fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// `self |= a & b & !c` (with `c` absent: `self |= a & b`).
    fn or_and(&mut self, a: &Bits, b: &Bits) {
        for ((s, x), y) in self.0.iter_mut().zip(&a.0).zip(&b.0) {
            *s |= x & y;
        }
    }

    fn and_not(&mut self, other: &Bits) {
        for (s, o) in self.0.iter_mut().zip(&other.0) {
            *s &= !o;
        }
    }

    fn and(&mut self, other: &Bits) {
        for (s, o) in self.0.iter_mut().zip(&other.0) {
            *s &= o;
        }
    }

    fn or(&mut self, other: &Bits) {
        for (s, o) in self.0.iter_mut().zip(&other.0) {
            *s |= o;
        }
    }
}

/// Pods grouped by namespace and labels, so each selector is evaluated once per group.
struct Groups {
    /// One representative pod per group, and the group's members.
    groups: Vec<(usize, Vec<usize>)>,
    n: usize,
}

impl Groups {
    fn new(ep: &Endpoints) -> Groups {
        let mut index: HashMap<(&str, &Labels, bool), usize> = HashMap::new();
        let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, p) in ep.pods().iter().enumerate() {
            let key = (p.namespace.as_str(), &p.labels, p.host_network);
            match index.get(&key) {
                Some(&g) => {
                    if let Some((_, members)) = groups.get_mut(g) {
                        members.push(i);
                    }
                }
                None => {
                    index.insert(key, groups.len());
                    groups.push((i, vec![i]));
                }
            }
        }
        Groups {
            groups,
            n: ep.pods().len(),
        }
    }

    /// The pods for which `label_test` (evaluated on a group's representative) holds.
    fn select(&self, label_test: impl Fn(usize) -> bool) -> Bits {
        let mut b = Bits::empty(self.n);
        for (rep, members) in &self.groups {
            if label_test(*rep) {
                for &m in members {
                    b.set(m);
                }
            }
        }
        b
    }

    /// The pods for which `test` holds, pod by pod (for address-based peers).
    fn each(&self, test: impl Fn(usize) -> bool) -> Bits {
        let mut b = Bits::empty(self.n);
        for i in (0..self.n).filter(|&i| test(i)) {
            b.set(i);
        }
        b
    }
}

/// The peers of a NetworkPolicy rule as a set of pods.
fn np_rule_peers(
    ep: &Endpoints,
    g: &Groups,
    policy: &NetworkPolicy,
    rule: &crate::policy::Rule,
) -> Bits {
    if rule.peers.is_empty() {
        return Bits::full(g.n);
    }
    let mut b = Bits::empty(g.n);
    for peer in &rule.peers {
        let set = match peer {
            crate::policy::Peer::Selectors { .. } => {
                g.select(|i| peer_matches(ep, policy, peer, Endpoint::Pod(i)))
            }
            crate::policy::Peer::IpBlock { .. } => {
                g.each(|i| peer_matches(ep, policy, peer, Endpoint::Pod(i)))
            }
        };
        b.or(&set);
    }
    b
}

fn admin_rule_peers(ep: &Endpoints, g: &Groups, rule: &AdminRule) -> Bits {
    let mut b = Bits::empty(g.n);
    for peer in &rule.peers {
        let set = match peer {
            crate::policy::AdminPeer::Selector(_) => {
                g.select(|i| admin_peer_matches(ep, peer, Endpoint::Pod(i)))
            }
            _ => g.each(|i| admin_peer_matches(ep, peer, Endpoint::Pod(i))),
        };
        b.or(&set);
    }
    b
}

/// Ports that may depend on the destination (named ports).
fn has_named(ports: &[Port]) -> bool {
    ports.iter().any(|p| matches!(p.port, PortSpec::Named(_)))
}

/// Per port: which destinations a rule's `ports` admit. Rules without named ports give the
/// same answer for every destination.
fn port_ok(
    ep: &Endpoints,
    n: usize,
    ports: Option<&[Port]>,
    port: u16,
    protocol: Protocol,
) -> Bits {
    match ports {
        None => Bits::full(n),
        Some(ports) if !has_named(ports) => {
            if ports_match(ports, None, port, protocol) {
                Bits::full(n)
            } else {
                Bits::empty(n)
            }
        }
        Some(ports) => {
            let mut b = Bits::empty(n);
            for (i, pod) in ep.pods().iter().enumerate() {
                if ports_match(ports, Some(pod), port, protocol) {
                    b.set(i);
                }
            }
            b
        }
    }
}

/// Everything about the policies that does not depend on the port.
struct Prepared<'p> {
    n: usize,
    /// Per direction (0 ingress, 1 egress): per pod, the NetworkPolicies that isolate it.
    isolating: [Vec<Vec<usize>>; 2],
    /// Per NetworkPolicy, per direction, per rule: the peer pods.
    np_peers: Vec<[Vec<Bits>; 2]>,
    /// Per admin policy (the ANPs, then the baseline): the subject pods and per direction, per
    /// rule, the peer pods.
    admin: Vec<(&'p AdminPolicy, Bits, [Vec<Bits>; 2])>,
    /// Whether the last entry of `admin` is the baseline.
    has_baseline: bool,
}

/// The entry of a per-direction pair (`[ingress, egress]`).
fn pick<T>(pair: &[T; 2], d: Direction) -> &T {
    let [ingress, egress] = pair;
    match d {
        Direction::Ingress => ingress,
        Direction::Egress => egress,
    }
}

const DIRECTIONS: [Direction; 2] = [Direction::Ingress, Direction::Egress];

impl<'p> Prepared<'p> {
    fn new(ep: &Endpoints, ps: &'p PolicySet) -> Prepared<'p> {
        let g = Groups::new(ep);
        let n = g.n;
        let mut isolating = [vec![Vec::new(); n], vec![Vec::new(); n]];
        let mut np_peers = Vec::with_capacity(ps.network.len());
        for (pi, policy) in ps.network.iter().enumerate() {
            let selected = g.select(|i| crate::matching::selects(ep, policy, i));
            for (d, lists) in DIRECTIONS.into_iter().zip(isolating.iter_mut()) {
                if policy.isolates(d) {
                    for (i, list) in lists.iter_mut().enumerate() {
                        if selected.get(i) {
                            list.push(pi);
                        }
                    }
                }
            }
            np_peers.push(DIRECTIONS.map(|d| {
                if policy.isolates(d) {
                    policy
                        .rules(d)
                        .iter()
                        .map(|r| np_rule_peers(ep, &g, policy, r))
                        .collect()
                } else {
                    Vec::new()
                }
            }));
        }
        let mut admin = Vec::new();
        for policy in ps.admin.iter().chain(&ps.baseline) {
            let subject = g.select(|i| admin_selects(ep, &policy.subject, i));
            let peers = DIRECTIONS.map(|d| {
                policy
                    .rules(d)
                    .iter()
                    .map(|r| admin_rule_peers(ep, &g, r))
                    .collect()
            });
            admin.push((policy, subject, peers));
        }
        Prepared {
            n,
            isolating,
            np_peers,
            admin,
            has_baseline: ps.baseline.is_some(),
        }
    }

    /// For each pod, the peers it allows in `direction` on `port`/`protocol`.
    fn allowed_peers(
        &self,
        ep: &Endpoints,
        ps: &PolicySet,
        direction: Direction,
        port: u16,
        protocol: Protocol,
    ) -> Vec<Bits> {
        let n = self.n;
        // Which destinations each rule's ports admit (egress: per peer; ingress: per pod).
        let np_ports: Vec<Vec<Bits>> = ps
            .network
            .iter()
            .map(|p| {
                if p.isolates(direction) {
                    p.rules(direction)
                        .iter()
                        .map(|r| {
                            port_ok(
                                ep,
                                n,
                                Some(&r.ports).filter(|x| !x.is_empty()).map(Vec::as_slice),
                                port,
                                protocol,
                            )
                        })
                        .collect()
                } else {
                    Vec::new()
                }
            })
            .collect();
        let admin_ports: Vec<Vec<Bits>> = self
            .admin
            .iter()
            .map(|(p, _, _)| {
                p.rules(direction)
                    .iter()
                    .map(|r| port_ok(ep, n, r.ports.as_deref(), port, protocol))
                    .collect()
            })
            .collect();
        let anp_count = self.admin.len() - usize::from(self.has_baseline);
        let isolating_lists = pick(&self.isolating, direction);
        let mut out = Vec::with_capacity(n);
        for pod in 0..n {
            let mut allowed = Bits::empty(n);
            let mut undecided = Bits::full(n);
            // For egress the ports are checked on each peer (the destination); for ingress on
            // this pod, the same for every peer.
            let ports_of = |bits: &Bits| -> Bits {
                match direction {
                    Direction::Egress => bits.clone(),
                    Direction::Ingress if bits.get(pod) => Bits::full(n),
                    Direction::Ingress => Bits::empty(n),
                }
            };
            // First match per rule, in order: what a rule matches is decided and leaves
            // `undecided`.
            let walk = |entry: &(&AdminPolicy, Bits, [Vec<Bits>; 2]),
                        rule_ports: &[Bits],
                        undecided: &mut Bits,
                        allowed: &mut Bits,
                        passed: &mut Bits| {
                let (policy, _, peers) = entry;
                let rules = policy
                    .rules(direction)
                    .iter()
                    .zip(pick(peers, direction))
                    .zip(rule_ports);
                for ((rule, rule_peers), ports) in rules {
                    let mut m = ports_of(ports);
                    m.and(rule_peers);
                    m.and(undecided);
                    match rule.action {
                        Action::Allow => allowed.or(&m),
                        Action::Deny => {}
                        Action::Pass => passed.or(&m),
                    }
                    undecided.and_not(&m);
                    if undecided.is_empty() {
                        break;
                    }
                }
            };
            let mut passed = Bits::empty(n);
            for (entry, rule_ports) in self.admin.iter().zip(&admin_ports).take(anp_count) {
                if entry.1.get(pod) {
                    walk(entry, rule_ports, &mut undecided, &mut allowed, &mut passed);
                }
            }
            undecided.or(&passed);
            let isolating = isolating_lists.get(pod).map_or(&[][..], Vec::as_slice);
            if !isolating.is_empty() {
                let mut np_allow = Bits::empty(n);
                for &pi in isolating {
                    let (Some(peers), Some(ports)) = (self.np_peers.get(pi), np_ports.get(pi))
                    else {
                        continue;
                    };
                    for (rule_peers, rule_ports) in pick(peers, direction).iter().zip(ports) {
                        np_allow.or_and(rule_peers, &ports_of(rule_ports));
                    }
                }
                np_allow.and(&undecided);
                allowed.or(&np_allow);
            } else {
                let baseline = self.admin.iter().zip(&admin_ports).nth(anp_count);
                if let Some((entry, rule_ports)) = baseline.filter(|(e, _)| e.1.get(pod)) {
                    let mut ignored = Bits::empty(n);
                    walk(
                        entry,
                        rule_ports,
                        &mut undecided,
                        &mut allowed,
                        &mut ignored,
                    );
                }
                allowed.or(&undecided);
            }
            out.push(allowed);
        }
        out
    }
}

/// A port and protocol of the matrix.
pub type PortProtocol = (u16, Protocol);

/// Allowed connections between every pair of pods, per port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    n: usize,
    ports: Vec<PortProtocol>,
    /// Per port, per source pod: the destinations it reaches.
    rows: Vec<Vec<Bits>>,
}

impl Matrix {
    /// The number of pods (rows and columns).
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there are no pods.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The ports, in the order given.
    pub fn ports(&self) -> &[PortProtocol] {
        &self.ports
    }

    /// Whether pod `from` reaches pod `to` on the port at index `port` of [`Matrix::ports`].
    pub fn allowed(&self, port: usize, from: usize, to: usize) -> bool {
        self.rows
            .get(port)
            .and_then(|r| r.get(from))
            .is_some_and(|b| b.get(to))
    }

    /// How many ordered pairs (loopback included) are allowed on the port at index `port`.
    pub fn count_allowed(&self, port: usize) -> usize {
        self.rows.get(port).map_or(0, |rows| {
            rows.iter()
                .map(|b| b.0.iter().map(|w| w.count_ones() as usize).sum::<usize>())
                .sum()
        })
    }
}

/// The distinct ports and protocols the pods declare, in order.
pub fn declared_ports(ep: &Endpoints) -> Vec<PortProtocol> {
    let set: BTreeSet<PortProtocol> = ep
        .pods()
        .iter()
        .flat_map(|p| p.ports.iter().map(|c| (c.port, c.protocol)))
        .collect();
    set.into_iter().collect()
}

/// Computes the matrix over every pod of `ep` for each of `ports`.
pub fn matrix(ep: &Endpoints, ps: &PolicySet, ports: &[PortProtocol]) -> Matrix {
    let prepared = Prepared::new(ep, ps);
    let n = prepared.n;
    let mut rows = Vec::with_capacity(ports.len());
    for &(port, protocol) in ports {
        let egress = prepared.allowed_peers(ep, ps, Direction::Egress, port, protocol);
        let ingress = prepared.allowed_peers(ep, ps, Direction::Ingress, port, protocol);
        let mut port_rows = Vec::with_capacity(n);
        for (from, out) in egress.into_iter().enumerate() {
            let mut row = Bits::empty(n);
            for (to, into) in ingress.iter().enumerate() {
                if to == from || (out.get(to) && into.get(from)) {
                    row.set(to);
                }
            }
            port_rows.push(row);
        }
        rows.push(port_rows);
    }
    Matrix {
        n,
        ports: ports.to_vec(),
        rows,
    }
}
