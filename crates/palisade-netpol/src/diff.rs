//! What a change of policies does: the connections it opens and closes, over the same pods.

use std::fmt;

use crate::matrix::{PortProtocol, matrix};
use crate::model::{Endpoints, Protocol};
use crate::policy::PolicySet;

/// One connection whose verdict differs between two policy sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The source pod (`namespace/name`).
    pub from: String,
    /// The destination pod (`namespace/name`).
    pub to: String,
    /// The port.
    pub port: u16,
    /// The protocol.
    pub protocol: Protocol,
    /// `true`: denied before, allowed after (opened); `false`: closed.
    pub opened: bool,
}

impl fmt::Display for Change {
    /// `+ x/a -> y/b TCP/80` (opened) or `- …` (closed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} -> {} {}/{}",
            if self.opened { "+" } else { "-" },
            self.from,
            self.to,
            self.protocol,
            self.port
        )
    }
}

/// Every pod pair and port whose verdict differs between `before` and `after`, in port
/// order, then source, then destination.
pub fn diff(
    ep: &Endpoints,
    before: &PolicySet,
    after: &PolicySet,
    ports: &[PortProtocol],
) -> Vec<Change> {
    let a = matrix(ep, before, ports);
    let b = matrix(ep, after, ports);
    let mut changes = Vec::new();
    for (pi, &(port, protocol)) in ports.iter().enumerate() {
        for (from, src) in ep.pods().iter().enumerate() {
            for (to, dst) in ep.pods().iter().enumerate() {
                let (was, is) = (a.allowed(pi, from, to), b.allowed(pi, from, to));
                if was != is {
                    changes.push(Change {
                        from: src.id(),
                        to: dst.id(),
                        port,
                        protocol,
                        opened: is,
                    });
                }
            }
        }
    }
    changes
}
