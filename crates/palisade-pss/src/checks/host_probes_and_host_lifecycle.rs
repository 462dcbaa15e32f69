//! `hostProbesAndHostLifecycle` (baseline, from v1.34): probes (`httpGet`, `tcpSocket`) and
//! lifecycle handlers must not set `host`.

use super::text::{join_quote, pluralize, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::HostProbesAndHostLifecycle,
    level: Level::Baseline,
    revisions: &[Revision {
        since: 34,
        check: v1_34,
        overrides: &[],
    }],
};

fn v1_34(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut bad_containers: Vec<&str> = Vec::new();
    let mut hosts: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        let lifecycle = c.lifecycle.as_ref();
        let handlers = [
            c.liveness_probe.as_ref(),
            c.readiness_probe.as_ref(),
            c.startup_probe.as_ref(),
            lifecycle.and_then(|l| l.post_start.as_ref()),
            lifecycle.and_then(|l| l.pre_stop.as_ref()),
        ];
        let before = hosts.len();
        hosts.extend(handlers.into_iter().flatten().flat_map(|h| h.hosts()));
        if hosts.len() > before {
            bad_containers.push(c.name.as_str());
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    let bad_containers = sorted_set(bad_containers);
    let hosts = sorted_set(hosts);
    Forbidden::new(
        "probe or lifecycle host",
        format!(
            "{} {} {} {} {}",
            pluralize("container", "containers", bad_containers.len()),
            join_quote(&bad_containers),
            pluralize("uses", "use", bad_containers.len()),
            pluralize(
                "probe or lifecycle host",
                "probe or lifecycle hosts",
                hosts.len()
            ),
            join_quote(&hosts)
        ),
    )
}
