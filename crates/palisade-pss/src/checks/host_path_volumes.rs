//! `hostPathVolumes` (baseline): no volume may use `hostPath`.

use super::text::{join_quote, pluralize};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::{Pod, VolumeSource};

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::HostPathVolumes,
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
        .volumes
        .iter()
        .filter(|v| v.sources.has(VolumeSource::HostPath))
        .map(|v| v.name.as_str())
        .collect();
    if bad.is_empty() {
        return None;
    }
    Forbidden::new(
        "hostPath volumes",
        format!(
            "{} {}",
            pluralize("volume", "volumes", bad.len()),
            join_quote(&bad)
        ),
    )
}
