//! Lint rules for network policies over a cluster dump: policies and peers that match nothing
//! there, named ports no destination has, rules that other rules make redundant, the
//! `policyTypes` trap, and namespaces left without a default-deny policy.
//!
//! Every rule is defined once in [`RULES`]: its stable ID, name, severity and summary, with one
//! function that finds it. "Matches nothing" is judged against the pods and namespaces of the
//! dump, so a finding can also mean the dump is incomplete.

use std::fmt;

use crate::matching::{Endpoint, admin_peer_matches, admin_selects, peer_matches, selects};
use crate::model::{Endpoints, Protocol};
use crate::policy::{
    AdminPeer, AdminPolicy, AdminRule, Direction, NetworkPolicy, Peer, PolicySet, Port, PortSpec,
    Rule,
};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Hardening or tidiness: nothing is open that the author meant closed.
    Low,
    /// The policy does not do what it appears to do.
    Medium,
    /// Traffic is blocked or opened against the evident intent.
    High,
}

impl Severity {
    /// `low`, `medium` or `high`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    /// Parses `low`, `medium` or `high`.
    pub fn parse(text: &str) -> Option<Severity> {
        [Severity::Low, Severity::Medium, Severity::High]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a check reports: the object (`Kind ns/name`, or `Namespace name`) and the message.
type Report<'r> = &'r mut dyn FnMut(String, String);

/// The function of one lint rule.
type Check = fn(&Endpoints, &PolicySet, Report<'_>);

/// One lint rule: data plus the function that checks it.
#[derive(Debug, Clone, Copy)]
pub struct LintRule {
    /// Stable ID (`NP001`).
    pub id: &'static str,
    /// Short kebab-case name.
    pub name: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// What it finds and why it matters.
    pub summary: &'static str,
    check: Check,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The lint rule's ID (`NP001`).
    pub id: &'static str,
    /// The lint rule's name.
    pub name: &'static str,
    /// The severity.
    pub severity: Severity,
    /// The object it is about: `NetworkPolicy ns/name`, `AdminNetworkPolicy name`,
    /// `BaselineAdminNetworkPolicy default` or `Namespace name`.
    pub object: String,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {}",
            self.id, self.severity, self.object, self.message
        )
    }
}

/// Every lint rule, in ID order.
pub static RULES: &[LintRule] = &[
    LintRule {
        id: "NP001",
        name: "selects-no-pod",
        severity: Severity::Medium,
        summary: "the policy's podSelector (or an admin policy's subject) selects no pod of the dump, so it has no effect",
        check: selects_no_pod,
    },
    LintRule {
        id: "NP002",
        name: "peer-matches-nothing",
        severity: Severity::Medium,
        summary: "a selector peer matches no pod (or its namespaceSelector no namespace) of the dump, so it allows nothing",
        check: peer_matches_nothing,
    },
    LintRule {
        id: "NP003",
        name: "named-port-unresolved",
        severity: Severity::Medium,
        summary: "a named port that no destination pod declares with that protocol: named ports resolve on the destination, so the entry matches nothing",
        check: named_port_unresolved,
    },
    LintRule {
        id: "NP004",
        name: "shadowed-rule",
        severity: Severity::Low,
        summary: "a rule that allows nothing another rule for the same pods does not already allow (NetworkPolicy), or that an earlier rule always matches first (admin policies)",
        check: shadowed_rule,
    },
    LintRule {
        id: "NP005",
        name: "egress-rules-isolate-ingress",
        severity: Severity::High,
        summary: "policyTypes is omitted and the policy has only egress rules: it defaults to [Ingress, Egress] and so also denies all ingress to the pods it selects",
        check: egress_only_without_types,
    },
    LintRule {
        id: "NP006",
        name: "no-default-deny",
        severity: Severity::Low,
        summary: "a namespace with pods or workloads has no policy selecting all of its pods that isolates them, so whatever no policy names is open (hardening)",
        check: no_default_deny,
    },
];

/// Looks up a lint rule by ID.
pub fn rule(id: &str) -> Option<&'static LintRule> {
    RULES.iter().find(|r| r.id == id)
}

/// Runs every lint rule; findings come in rule ID order, then policy order.
pub fn lint(ep: &Endpoints, ps: &PolicySet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for lr in RULES {
        (lr.check)(ep, ps, &mut |object, message| {
            findings.push(Finding {
                id: lr.id,
                name: lr.name,
                severity: lr.severity,
                object,
                message,
            });
        });
    }
    findings
}

fn np_object(p: &NetworkPolicy) -> String {
    format!("NetworkPolicy {}", p.id())
}

fn admin_object(p: &AdminPolicy) -> String {
    format!("{} {}", p.kind(), p.name)
}

fn admin_policies(ps: &PolicySet) -> impl Iterator<Item = &AdminPolicy> {
    ps.admin.iter().chain(&ps.baseline)
}

fn pods(ep: &Endpoints) -> std::ops::Range<usize> {
    0..ep.pods().len()
}

fn peer_key(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    }
}

fn rule_path(d: Direction, rule: usize) -> String {
    format!("{}[{rule}]", d.as_str().to_lowercase())
}

// ---- NP001 --------------------------------------------------------------------------------

fn selects_no_pod(ep: &Endpoints, ps: &PolicySet, report: Report<'_>) {
    for p in &ps.network {
        if !pods(ep).any(|i| selects(ep, p, i)) {
            report(
                np_object(p),
                format!(
                    "podSelector {} selects no pod in namespace {}",
                    p.pod_selector, p.namespace
                ),
            );
        }
    }
    for p in admin_policies(ps) {
        if !pods(ep).any(|i| admin_selects(ep, &p.subject, i)) {
            report(admin_object(p), "the subject selects no pod".to_owned());
        }
    }
}

// ---- NP002 --------------------------------------------------------------------------------

fn peer_matches_nothing(ep: &Endpoints, ps: &PolicySet, report: Report<'_>) {
    for p in &ps.network {
        for d in [Direction::Ingress, Direction::Egress] {
            for (ri, rule) in p.rules(d).iter().enumerate() {
                for (pi, peer) in rule.peers.iter().enumerate() {
                    let Peer::Selectors { namespaces, .. } = peer else {
                        continue;
                    };
                    if pods(ep).any(|i| peer_matches(ep, p, peer, Endpoint::Pod(i))) {
                        continue;
                    }
                    let why = match namespaces {
                        Some(ns) if !ep.namespaces().iter().any(|n| ns.matches(&n.labels)) => {
                            format!("namespaceSelector {ns} matches no namespace")
                        }
                        _ => "matches no pod".to_owned(),
                    };
                    report(
                        np_object(p),
                        format!("{}.{}[{pi}]: {why}", rule_path(d, ri), peer_key(d)),
                    );
                }
            }
        }
    }
    for p in admin_policies(ps) {
        for d in [Direction::Ingress, Direction::Egress] {
            for (ri, rule) in p.rules(d).iter().enumerate() {
                for (pi, peer) in rule.peers.iter().enumerate() {
                    if matches!(peer, AdminPeer::Selector(_))
                        && !pods(ep).any(|i| admin_peer_matches(ep, peer, Endpoint::Pod(i)))
                    {
                        report(
                            admin_object(p),
                            format!("{}.{}[{pi}]: matches no pod", rule_path(d, ri), peer_key(d)),
                        );
                    }
                }
            }
        }
    }
}

// ---- NP003 --------------------------------------------------------------------------------

/// Whether some pod among `destinations` declares `name` with a protocol `entry` admits.
fn resolves(
    ep: &Endpoints,
    entry: &Port,
    name: &str,
    mut destinations: impl Iterator<Item = usize>,
) -> bool {
    let protocols: &[Protocol] = match &entry.protocol {
        Some(p) => std::slice::from_ref(p),
        None => &Protocol::ALL,
    };
    destinations.any(|i| {
        ep.pod(i).is_some_and(|pod| {
            protocols
                .iter()
                .any(|pr| pod.named_port(name, *pr).is_some())
        })
    })
}

fn named_port_unresolved(ep: &Endpoints, ps: &PolicySet, report: Report<'_>) {
    for p in &ps.network {
        for d in [Direction::Ingress, Direction::Egress] {
            for (ri, rule) in p.rules(d).iter().enumerate() {
                for (xi, entry) in rule.ports.iter().enumerate() {
                    let PortSpec::Named(name) = &entry.port else {
                        continue;
                    };
                    let dests: Box<dyn Iterator<Item = usize>> = match d {
                        Direction::Ingress => Box::new(pods(ep).filter(|&i| selects(ep, p, i))),
                        Direction::Egress => Box::new(pods(ep).filter(|&i| {
                            rule.peers.is_empty()
                                || rule
                                    .peers
                                    .iter()
                                    .any(|x| peer_matches(ep, p, x, Endpoint::Pod(i)))
                        })),
                    };
                    if !resolves(ep, entry, name, dests) {
                        let whose = match d {
                            Direction::Ingress => "the pods the policy selects",
                            Direction::Egress => "the rule's destination pods",
                        };
                        report(
                            np_object(p),
                            format!(
                                "{}.ports[{xi}]: no pod among {whose} has a container port named {name:?} ({})",
                                rule_path(d, ri),
                                entry
                            ),
                        );
                    }
                }
            }
        }
    }
    for p in admin_policies(ps) {
        for d in [Direction::Ingress, Direction::Egress] {
            for (ri, rule) in p.rules(d).iter().enumerate() {
                for (xi, entry) in rule.ports.iter().flatten().enumerate() {
                    let PortSpec::Named(name) = &entry.port else {
                        continue;
                    };
                    let dests: Box<dyn Iterator<Item = usize>> = match d {
                        Direction::Ingress => {
                            Box::new(pods(ep).filter(|&i| admin_selects(ep, &p.subject, i)))
                        }
                        Direction::Egress => Box::new(pods(ep).filter(|&i| {
                            rule.peers
                                .iter()
                                .any(|x| admin_peer_matches(ep, x, Endpoint::Pod(i)))
                        })),
                    };
                    if !resolves(ep, entry, name, dests) {
                        report(
                            admin_object(p),
                            format!(
                                "{}.ports[{xi}]: no destination pod has a container port named {name:?}",
                                rule_path(d, ri)
                            ),
                        );
                    }
                }
            }
        }
    }
}

// ---- NP004 --------------------------------------------------------------------------------

/// Whether port entry `b` admits everything `a` does.
fn port_covers(b: &Port, a: &Port) -> bool {
    let protocol_ok = b.protocol.is_none() || b.protocol == a.protocol;
    protocol_ok
        && match (&b.port, &a.port) {
            (PortSpec::Any, _) => true,
            (PortSpec::Range(bs, be), PortSpec::Range(s, e)) => bs <= s && e <= be,
            (PortSpec::Named(x), PortSpec::Named(y)) => x == y && b.protocol == a.protocol,
            _ => false,
        }
}

fn ports_cover(b: Option<&[Port]>, a: Option<&[Port]>) -> bool {
    match (b, a) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(b), Some(a)) => a.iter().all(|x| b.iter().any(|y| port_covers(y, x))),
    }
}

/// A rule's `ports` as an option: `None` for every port.
fn np_ports(rule: &Rule) -> Option<&[Port]> {
    (!rule.ports.is_empty()).then_some(rule.ports.as_slice())
}

/// Whether NetworkPolicy rule `b` (of `pb`) allows, in this dump, every peer `a` (of `pa`) does.
fn np_peers_cover(
    ep: &Endpoints,
    pb: &NetworkPolicy,
    b: &Rule,
    pa: &NetworkPolicy,
    a: &Rule,
) -> bool {
    if b.peers.is_empty() {
        return true;
    }
    if a.peers.is_empty() {
        return false;
    }
    a.peers.iter().all(|x| {
        match x {
        Peer::Selectors { .. } => pods(ep)
            .filter(|&i| peer_matches(ep, pa, x, Endpoint::Pod(i)))
            .all(|i| b.peers.iter().any(|y| peer_matches(ep, pb, y, Endpoint::Pod(i)))),
        Peer::IpBlock { cidr, .. } => b.peers.iter().any(|y| {
            matches!(y, Peer::IpBlock { cidr: c, except } if except.is_empty() && c.covers(cidr))
        }),
    }
    })
}

fn shadowed_rule(ep: &Endpoints, ps: &PolicySet, report: Report<'_>) {
    // NetworkPolicy: allows are a union, so a rule covered by another rule that applies to
    // the same pods adds nothing. Of two equal rules, the later one is reported.
    let all: Vec<(usize, &NetworkPolicy)> = ps.network.iter().enumerate().collect();
    for &(ai, pa) in &all {
        for d in [Direction::Ingress, Direction::Egress] {
            if !pa.isolates(d) {
                continue;
            }
            for (ri, a) in pa.rules(d).iter().enumerate() {
                let cover = all.iter().find_map(|&(bi, pb)| {
                    if pb.namespace != pa.namespace
                        || pb.pod_selector != pa.pod_selector
                        || !pb.isolates(d)
                    {
                        return None;
                    }
                    pb.rules(d).iter().enumerate().find_map(|(rj, b)| {
                        if (bi, rj) == (ai, ri) {
                            return None;
                        }
                        let covers = ports_cover(np_ports(b), np_ports(a))
                            && np_peers_cover(ep, pb, b, pa, a);
                        let mutual = ports_cover(np_ports(a), np_ports(b))
                            && np_peers_cover(ep, pa, a, pb, b);
                        // Of two equivalent rules only the later one is redundant.
                        (covers && (!mutual || (bi, rj) < (ai, ri)))
                            .then(|| format!("{} {}", pb.id(), rule_path(d, rj)))
                    })
                });
                if let Some(by) = cover {
                    report(
                        np_object(pa),
                        format!(
                            "{} allows nothing that {by} does not already allow (for the same pods)",
                            rule_path(d, ri)
                        ),
                    );
                }
            }
        }
    }
    // Admin policies: first match wins, so a rule an earlier one always matches first never
    // decides anything.
    for p in admin_policies(ps) {
        for d in [Direction::Ingress, Direction::Egress] {
            let rules = p.rules(d);
            for (ri, a) in rules.iter().enumerate() {
                if let Some(rj) = rules.iter().take(ri).position(|b| admin_covers(ep, b, a)) {
                    report(
                        admin_object(p),
                        format!(
                            "{} is never reached: {} matches all its traffic first",
                            rule_path(d, ri),
                            rule_path(d, rj)
                        ),
                    );
                }
            }
        }
    }
}

fn admin_covers(ep: &Endpoints, b: &AdminRule, a: &AdminRule) -> bool {
    ports_cover(b.ports.as_deref(), a.ports.as_deref())
        && a.peers.iter().all(|x| match x {
            AdminPeer::Selector(_) => {
                b.peers.contains(x)
                    || pods(ep)
                        .filter(|&i| admin_peer_matches(ep, x, Endpoint::Pod(i)))
                        .all(|i| {
                            b.peers
                                .iter()
                                .any(|y| admin_peer_matches(ep, y, Endpoint::Pod(i)))
                        })
            }
            AdminPeer::Networks(cidrs) => cidrs.iter().all(|c| {
                b.peers
                    .iter()
                    .any(|y| matches!(y, AdminPeer::Networks(bc) if bc.iter().any(|x| x.covers(c))))
            }),
            AdminPeer::Nodes(_) => b.peers.contains(x),
        })
}

// ---- NP005 --------------------------------------------------------------------------------

fn egress_only_without_types(_: &Endpoints, ps: &PolicySet, report: Report<'_>) {
    for p in &ps.network {
        if p.policy_types_defaulted && p.ingress.is_empty() && !p.egress.is_empty() {
            report(
                np_object(p),
                "has only egress rules and no policyTypes, so it defaults to [Ingress, Egress] and denies all ingress to the pods it selects; add `policyTypes: [Egress]` if only egress was meant".to_owned(),
            );
        }
    }
}

// ---- NP006 --------------------------------------------------------------------------------

fn no_default_deny(ep: &Endpoints, ps: &PolicySet, report: Report<'_>) {
    for ns in ep.namespaces() {
        let count = ep.pods().iter().filter(|p| p.namespace == ns.name).count();
        if count == 0 {
            continue;
        }
        let missing: Vec<&str> = [Direction::Ingress, Direction::Egress]
            .into_iter()
            .filter(|&d| {
                !ps.network
                    .iter()
                    .any(|p| p.namespace == ns.name && p.pod_selector.is_empty() && p.isolates(d))
            })
            .map(Direction::as_str)
            .collect();
        if !missing.is_empty() {
            report(
                format!("Namespace {}", ns.name),
                format!(
                    "{count} pods or workloads, but no policy with podSelector {{}} isolates them for {}",
                    missing.join(" and ")
                ),
            );
        }
    }
}
