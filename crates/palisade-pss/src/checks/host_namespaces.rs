//! `hostNamespaces` (baseline): `hostNetwork`, `hostPID` and `hostIPC` must not be true.

use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::HostNamespaces,
    level: Level::Baseline,
    revisions: &[Revision {
        since: 0,
        check: v1_0,
        overrides: &[],
    }],
};

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let spec = &pod.spec;
    let set: Vec<&str> = [
        (spec.host_network, "hostNetwork=true"),
        (spec.host_pid, "hostPID=true"),
        (spec.host_ipc, "hostIPC=true"),
    ]
    .into_iter()
    .filter_map(|(on, text)| on.then_some(text))
    .collect();
    if set.is_empty() {
        return None;
    }
    Forbidden::new("host namespaces", set.join(", "))
}
