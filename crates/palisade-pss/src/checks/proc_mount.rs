//! `procMount` (baseline): `securityContext.procMount` must be unset or `Default`. From v1.35,
//! pods in a user namespace (`hostUsers: false`) may set any value.

use super::text::{containers, join_quote, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::ProcMount,
    level: Level::Baseline,
    revisions: &[
        Revision {
            since: 0,
            check: v1_0,
            overrides: &[],
        },
        Revision {
            since: 35,
            check: v1_35,
            overrides: &[],
        },
    ],
};

/// The strict rule, shared with `procMount_restricted`.
pub(crate) fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut bad_containers: Vec<&str> = Vec::new();
    let mut types: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        let Some(proc_mount) = c
            .security_context
            .as_ref()
            .and_then(|sc| sc.proc_mount.as_ref())
        else {
            continue;
        };
        if *proc_mount != "Default" {
            bad_containers.push(c.name.as_str());
            types.push(proc_mount.as_str());
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    Forbidden::new(
        "procMount",
        format!(
            "{} must not set securityContext.procMount to {}",
            containers(&bad_containers),
            join_quote(&sorted_set(types))
        ),
    )
}

fn v1_35(pod: &Pod<'_>) -> Option<Forbidden> {
    if pod.spec.in_user_namespace() {
        None
    } else {
        v1_0(pod)
    }
}
