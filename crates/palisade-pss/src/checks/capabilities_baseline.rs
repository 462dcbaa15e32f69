//! `capabilities_baseline` (baseline): `capabilities.add` may only hold capabilities of the
//! default set, spelled exactly as upstream lists them (no `CAP_` prefix, upper case).

use super::text::{containers, join_quote, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::CapabilitiesBaseline,
    level: Level::Baseline,
    revisions: &[Revision {
        since: 0,
        check: v1_0,
        overrides: &[],
    }],
};

/// The capabilities a baseline pod may add.
pub(crate) const ALLOWED_V1_0: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut bad_containers: Vec<&str> = Vec::new();
    let mut non_default: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        let Some(caps) = c
            .security_context
            .as_ref()
            .and_then(|sc| sc.capabilities.as_ref())
        else {
            continue;
        };
        let mut valid = true;
        for cap in &caps.add {
            if !ALLOWED_V1_0.contains(&cap.as_str()) {
                valid = false;
                non_default.push(cap.as_str());
            }
        }
        if !valid {
            bad_containers.push(c.name.as_str());
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    Forbidden::new(
        "non-default capabilities",
        format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers(&bad_containers),
            join_quote(&sorted_set(non_default))
        ),
    )
}
