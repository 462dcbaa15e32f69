//! `hostPorts` (baseline): no container port may set a non-zero `hostPort`. The ports are
//! listed as a sorted set of their decimal text, as upstream sorts them (`10000` before `80`).

use super::text::{containers, pluralize, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::HostPorts,
    level: Level::Baseline,
    revisions: &[Revision {
        since: 0,
        check: v1_0,
        overrides: &[],
    }],
};

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut bad_containers: Vec<&str> = Vec::new();
    let mut ports: Vec<String> = Vec::new();
    for c in pod.spec.all_containers() {
        let mut valid = true;
        for p in c.ports.iter().filter(|p| p.host_port != 0) {
            valid = false;
            ports.push(p.host_port.to_string());
        }
        if !valid {
            bad_containers.push(c.name.as_str());
        }
    }
    if bad_containers.is_empty() {
        return None;
    }
    let ports = sorted_set(ports);
    Forbidden::new(
        "hostPort",
        format!(
            "{} {} {} {}",
            containers(&bad_containers),
            pluralize("uses", "use", bad_containers.len()),
            pluralize("hostPort", "hostPorts", ports.len()),
            ports.join(", ")
        ),
    )
}
