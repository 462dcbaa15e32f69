//! Exact evaluation of one connection, with its explanation.
//!
//! Each direction is decided on its own, egress at the source pod and ingress at the
//! destination pod; the connection is allowed iff both are. For one pod and direction:
//!
//! 1. **AdminNetworkPolicy**: the ANPs whose subject selects the pod, in ascending priority,
//!    each walked rule by rule (rules of the direction, in list order). The first rule that
//!    matches decides: `Allow` and `Deny` are final, `Pass` skips every remaining ANP.
//! 2. **NetworkPolicy**: if a NetworkPolicy that selects the pod has the direction in its
//!    (defaulted) `policyTypes`, the pod is isolated and the traffic is allowed iff some rule
//!    of such a policy matches it, on peers and ports of the same rule.
//! 3. **BaselineAdminNetworkPolicy**: for a pod nothing isolated, the baseline's rules in order;
//!    the first match decides. Without a match, the traffic is allowed.
//!
//! An address outside the cluster is selected by no policy: its side always passes. A pod
//! always reaches itself (the documented loopback exception); the sides are still evaluated
//! for the explanation.

use std::fmt;

use crate::matching::{
    Endpoint, admin_peer_matches, admin_selects, peers_match, ports_match, selects,
};
use crate::model::{Endpoints, Protocol};
use crate::policy::{Action, AdminPolicy, Direction, PolicySet};

/// A connection to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Connection {
    /// The source.
    pub from: Endpoint,
    /// The destination.
    pub to: Endpoint,
    /// The destination port.
    pub port: u16,
    /// The protocol.
    pub protocol: Protocol,
}

/// A rule of an admin policy that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminRuleRef {
    /// `AdminNetworkPolicy` or `BaselineAdminNetworkPolicy`.
    pub kind: &'static str,
    /// The policy's name.
    pub policy: String,
    /// The policy's priority (0 for the baseline).
    pub priority: i32,
    /// The 0-based index of the rule in its direction's list.
    pub index: usize,
    /// The rule's name.
    pub name: String,
    /// The rule's action.
    pub action: Action,
}

/// A NetworkPolicy rule that allows the traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkRuleRef {
    /// `namespace/name` of the policy.
    pub policy: String,
    /// The 0-based index of the rule in its direction's list.
    pub index: usize,
}

/// Which tier decided one direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The endpoint is not a pod: no policy applies.
    External,
    /// An AdminNetworkPolicy rule (`Allow` or `Deny`).
    Admin(AdminRuleRef),
    /// NetworkPolicies isolate the pod; `allowed_by` lists every rule that matches (empty:
    /// denied).
    NetworkPolicy {
        /// Every rule of the isolating policies that matches the traffic.
        allowed_by: Vec<NetworkRuleRef>,
    },
    /// A BaselineAdminNetworkPolicy rule (`Allow` or `Deny`).
    Baseline(AdminRuleRef),
    /// Nothing isolates the pod and no baseline rule matches: allowed by default.
    Default,
}

/// The decision for one direction at one end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// Ingress (at the destination) or egress (at the source).
    pub direction: Direction,
    /// The pod (`namespace/name`), or `None` for an outside address.
    pub pod: Option<String>,
    /// Whether this direction allows the traffic.
    pub allowed: bool,
    /// What decided.
    pub decision: Decision,
    /// The AdminNetworkPolicies whose subject selects the pod, in priority order.
    pub admin_selecting: Vec<String>,
    /// The `Pass` rule that sent evaluation past the admin tier, if one did.
    pub passed_by: Option<AdminRuleRef>,
    /// The NetworkPolicies (`namespace/name`) that select the pod and isolate it in this
    /// direction.
    pub isolating: Vec<String>,
}

/// The answer for one connection, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the connection is allowed.
    pub allowed: bool,
    /// Whether the source and destination are the same pod (always allowed).
    pub loopback: bool,
    /// Egress at the source.
    pub egress: Side,
    /// Ingress at the destination.
    pub ingress: Side,
}

/// Decides one direction for `pod`; `peer` is the other end. Records the reasons in `trace`
/// when one is given. The single implementation of the tiers.
#[allow(clippy::too_many_arguments)] // one call site per use; a struct would only rename them
pub(crate) fn decide(
    ep: &Endpoints,
    ps: &PolicySet,
    pod: usize,
    direction: Direction,
    peer: Endpoint,
    port: u16,
    protocol: Protocol,
    mut trace: Option<&mut Side>,
) -> bool {
    // Named ports resolve on the destination: the pod itself for ingress, the peer for egress.
    let destination = match direction {
        Direction::Ingress => ep.pod(pod),
        Direction::Egress => match peer {
            Endpoint::Pod(i) => ep.pod(i),
            Endpoint::Ip(_) => None,
        },
    };
    // 1. The admin tier.
    for anp in &ps.admin {
        if !admin_selects(ep, &anp.subject, pod) {
            continue;
        }
        if let Some(t) = trace.as_deref_mut() {
            t.admin_selecting.push(anp.name.clone());
        }
        if let Some((index, action)) =
            first_admin_match(ep, anp, direction, peer, destination, port, protocol)
        {
            if let Some(t) = trace.as_deref_mut() {
                let r = admin_ref(anp, direction, index);
                match action {
                    Action::Pass => t.passed_by = Some(r),
                    Action::Allow | Action::Deny => t.decision = Decision::Admin(r),
                }
            }
            match action {
                Action::Allow => return finish(trace, true),
                Action::Deny => return finish(trace, false),
                Action::Pass => break,
            }
        }
    }
    // 2. NetworkPolicy.
    let mut isolated = false;
    let mut allowed = false;
    for policy in ps.network.iter().filter(|p| p.isolates(direction)) {
        if !selects(ep, policy, pod) {
            continue;
        }
        isolated = true;
        if let Some(t) = trace.as_deref_mut() {
            t.isolating.push(policy.id());
        }
        for (index, rule) in policy.rules(direction).iter().enumerate() {
            if ports_match(&rule.ports, destination, port, protocol)
                && peers_match(ep, policy, &rule.peers, peer)
            {
                allowed = true;
                match trace.as_deref_mut() {
                    Some(t) => {
                        if let Decision::NetworkPolicy { allowed_by } = &mut t.decision {
                            allowed_by.push(NetworkRuleRef {
                                policy: policy.id(),
                                index,
                            });
                        } else {
                            t.decision = Decision::NetworkPolicy {
                                allowed_by: vec![NetworkRuleRef {
                                    policy: policy.id(),
                                    index,
                                }],
                            };
                        }
                    }
                    // Without a trace the first allowing rule settles it.
                    None => return true,
                }
            }
        }
    }
    if isolated {
        if let Some(t) = trace.as_deref_mut()
            && !allowed
        {
            t.decision = Decision::NetworkPolicy {
                allowed_by: Vec::new(),
            };
        }
        return finish(trace, allowed);
    }
    // 3. The baseline.
    if let Some(banp) = &ps.baseline
        && admin_selects(ep, &banp.subject, pod)
        && let Some((index, action)) =
            first_admin_match(ep, banp, direction, peer, destination, port, protocol)
    {
        if let Some(t) = trace.as_deref_mut() {
            t.decision = Decision::Baseline(admin_ref(banp, direction, index));
        }
        return finish(trace, action != Action::Deny);
    }
    finish(trace, true)
}

fn finish(trace: Option<&mut Side>, allowed: bool) -> bool {
    if let Some(t) = trace {
        t.allowed = allowed;
    }
    allowed
}

/// The first rule of `policy` for `direction` that matches, with its action.
fn first_admin_match(
    ep: &Endpoints,
    policy: &AdminPolicy,
    direction: Direction,
    peer: Endpoint,
    destination: Option<&crate::model::Pod>,
    port: u16,
    protocol: Protocol,
) -> Option<(usize, Action)> {
    policy
        .rules(direction)
        .iter()
        .enumerate()
        .find(|(_, rule)| {
            rule.ports
                .as_deref()
                .is_none_or(|ports| ports_match(ports, destination, port, protocol))
                && rule.peers.iter().any(|p| admin_peer_matches(ep, p, peer))
        })
        .map(|(i, rule)| (i, rule.action))
}

fn admin_ref(policy: &AdminPolicy, direction: Direction, index: usize) -> AdminRuleRef {
    let rule = policy.rules(direction).get(index);
    AdminRuleRef {
        kind: policy.kind(),
        policy: policy.name.clone(),
        priority: policy.priority,
        index,
        name: rule.map(|r| r.name.clone()).unwrap_or_default(),
        action: rule.map_or(Action::Allow, |r| r.action),
    }
}

/// Whether the connection is allowed, without an explanation. Endpoint indexes that are out
/// of range are treated as pods with no labels in no namespace.
pub fn allows(ep: &Endpoints, ps: &PolicySet, c: &Connection) -> bool {
    if let (Endpoint::Pod(a), Endpoint::Pod(b)) = (c.from, c.to)
        && a == b
    {
        return true;
    }
    let egress = match c.from {
        Endpoint::Pod(i) => decide(ep, ps, i, Direction::Egress, c.to, c.port, c.protocol, None),
        Endpoint::Ip(_) => true,
    };
    egress
        && match c.to {
            Endpoint::Pod(i) => decide(
                ep,
                ps,
                i,
                Direction::Ingress,
                c.from,
                c.port,
                c.protocol,
                None,
            ),
            Endpoint::Ip(_) => true,
        }
}

fn side(
    ep: &Endpoints,
    ps: &PolicySet,
    direction: Direction,
    at: Endpoint,
    peer: Endpoint,
    c: &Connection,
) -> Side {
    let mut s = Side {
        direction,
        pod: None,
        allowed: true,
        decision: Decision::External,
        admin_selecting: Vec::new(),
        passed_by: None,
        isolating: Vec::new(),
    };
    if let Endpoint::Pod(i) = at {
        s.pod = ep.pod(i).map(crate::model::Pod::id);
        s.decision = Decision::Default;
        decide(ep, ps, i, direction, peer, c.port, c.protocol, Some(&mut s));
    }
    s
}

/// Evaluates a connection and explains the answer.
pub fn evaluate(ep: &Endpoints, ps: &PolicySet, c: &Connection) -> Verdict {
    let egress = side(ep, ps, Direction::Egress, c.from, c.to, c);
    let ingress = side(ep, ps, Direction::Ingress, c.to, c.from, c);
    let loopback = matches!((c.from, c.to), (Endpoint::Pod(a), Endpoint::Pod(b)) if a == b);
    Verdict {
        allowed: loopback || (egress.allowed && ingress.allowed),
        loopback,
        egress,
        ingress,
    }
}

impl fmt::Display for AdminRuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} rule {}", self.kind, self.policy, self.index)?;
        if !self.name.is_empty() {
            write!(f, " ({})", self.name)?;
        }
        write!(f, ": {}", self.action.as_str())
    }
}

impl fmt::Display for Side {
    /// One sentence: what decided this direction and why.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.direction.as_str().to_lowercase();
        let Some(pod) = &self.pod else {
            return write!(f, "{dir}: allowed (not a pod: no policy applies)");
        };
        let verdict = if self.allowed { "allowed" } else { "denied" };
        let at = match self.direction {
            Direction::Ingress => "to",
            Direction::Egress => "from",
        };
        write!(f, "{dir} {at} {pod}: {verdict}")?;
        if let Some(p) = &self.passed_by {
            write!(f, " (passed by {p})")?;
        }
        let isolating = self.isolating.join(", ");
        match &self.decision {
            Decision::External => Ok(()),
            Decision::Admin(r) => write!(f, " by {r}"),
            Decision::Baseline(r) => write!(f, " by {r}"),
            Decision::NetworkPolicy { allowed_by } if allowed_by.is_empty() => write!(
                f,
                " — isolated for {} by {isolating}, and no rule of them matches this peer and port",
                self.direction
            ),
            Decision::NetworkPolicy { allowed_by } => {
                let rules: Vec<String> = allowed_by
                    .iter()
                    .map(|r| format!("{} {}[{}]", r.policy, dir, r.index))
                    .collect();
                write!(f, " by {} (isolated by {isolating})", rules.join(", "))
            }
            Decision::Default => write!(
                f,
                " — no NetworkPolicy isolates it for {}{}",
                self.direction,
                if self.passed_by.is_none() && !self.admin_selecting.is_empty() {
                    " and no admin rule matches"
                } else {
                    ""
                }
            ),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.loopback {
            return write!(
                f,
                "allowed: a pod always reaches itself (policies would say: {}; {})",
                self.egress, self.ingress
            );
        }
        write!(
            f,
            "{}: {}; {}",
            if self.allowed { "allowed" } else { "denied" },
            self.egress,
            self.ingress
        )
    }
}

impl AdminRuleRef {
    /// `{"kind","policy","priority","index","name","action"}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind,
            "policy": self.policy,
            "priority": self.priority,
            "index": self.index,
            "name": self.name,
            "action": self.action.as_str(),
        })
    }
}

impl Side {
    /// The side as JSON: `pod` (null for an outside address), `allowed`, `decidedBy`
    /// (`external`, `adminNetworkPolicy`, `networkPolicy`, `baselineAdminNetworkPolicy` or
    /// `default`), `rule` (the deciding admin rule), `allowedBy` (the NetworkPolicy rules that
    /// match), `isolating`, `adminSelecting` and `passedBy`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("direction".into(), self.direction.as_str().into());
        m.insert("pod".into(), self.pod.clone().into());
        m.insert("allowed".into(), self.allowed.into());
        let decided_by = match &self.decision {
            Decision::External => "external",
            Decision::Admin(r) => {
                m.insert("rule".into(), r.to_json());
                "adminNetworkPolicy"
            }
            Decision::NetworkPolicy { allowed_by } => {
                let rules: Vec<serde_json::Value> = allowed_by
                    .iter()
                    .map(|r| serde_json::json!({"policy": r.policy, "index": r.index}))
                    .collect();
                m.insert("allowedBy".into(), rules.into());
                "networkPolicy"
            }
            Decision::Baseline(r) => {
                m.insert("rule".into(), r.to_json());
                "baselineAdminNetworkPolicy"
            }
            Decision::Default => "default",
        };
        m.insert("decidedBy".into(), decided_by.into());
        m.insert("isolating".into(), self.isolating.clone().into());
        m.insert("adminSelecting".into(), self.admin_selecting.clone().into());
        if let Some(p) = &self.passed_by {
            m.insert("passedBy".into(), p.to_json());
        }
        m.insert("text".into(), self.to_string().into());
        serde_json::Value::Object(m)
    }
}

impl Verdict {
    /// The verdict's explanation as JSON: `summary` (the text form), `loopback`, `egress`
    /// and `ingress` (see [`Side::to_json`]).
    pub fn explanation_json(&self) -> serde_json::Value {
        serde_json::json!({
            "summary": self.to_string(),
            "loopback": self.loopback,
            "egress": self.egress.to_json(),
            "ingress": self.ingress.to_json(),
        })
    }
}
