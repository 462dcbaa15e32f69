//! `privileged` (baseline): no container may set `securityContext.privileged=true`.

use super::text::containers;
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::Privileged,
    level: Level::Baseline,
    revisions: &[Revision {
        since: 0,
        check: v1_0,
        overrides: &[],
    }],
};

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let bad: Vec<&str> = pod
        .spec
        .all_containers()
        .filter(|c| c.security_context.as_ref().and_then(|sc| sc.privileged) == Some(true))
        .map(|c| c.name.as_str())
        .collect();
    if bad.is_empty() {
        return None;
    }
    Forbidden::new(
        "privileged",
        format!(
            "{} must not set securityContext.privileged=true",
            containers(&bad)
        ),
    )
}
