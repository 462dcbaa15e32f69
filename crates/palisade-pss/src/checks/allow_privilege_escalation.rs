//! `allowPrivilegeEscalation` (restricted): every container must set
//! `securityContext.allowPrivilegeEscalation=false`. From v1.25, Windows pods are exempt.

use super::text::containers;
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::AllowPrivilegeEscalation,
    level: Level::Restricted,
    revisions: &[
        Revision {
            since: 8,
            check: v1_8,
            overrides: &[],
        },
        Revision {
            since: 25,
            check: v1_25,
            overrides: &[],
        },
    ],
};

fn v1_8(pod: &Pod<'_>) -> Option<Forbidden> {
    let bad: Vec<&str> = pod
        .spec
        .all_containers()
        .filter(|c| {
            c.security_context
                .as_ref()
                .and_then(|sc| sc.allow_privilege_escalation)
                .unwrap_or(true)
        })
        .map(|c| c.name.as_str())
        .collect();
    if bad.is_empty() {
        return None;
    }
    Forbidden::new(
        "allowPrivilegeEscalation != false",
        format!(
            "{} must set securityContext.allowPrivilegeEscalation=false",
            containers(&bad)
        ),
    )
}

fn v1_25(pod: &Pod<'_>) -> Option<Forbidden> {
    if pod.spec.is_windows() {
        None
    } else {
        v1_8(pod)
    }
}
