//! `sysctls` (baseline): only the safe sysctls of each policy version may be set in
//! `spec.securityContext.sysctls`. The allowed set grows at v1.27, v1.29, v1.32 and v1.37.

use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::Sysctls,
    level: Level::Baseline,
    revisions: &[
        Revision {
            since: 0,
            check: v1_0,
            overrides: &[],
        },
        Revision {
            since: 27,
            check: v1_27,
            overrides: &[],
        },
        Revision {
            since: 29,
            check: v1_29,
            overrides: &[],
        },
        Revision {
            since: 32,
            check: v1_32,
            overrides: &[],
        },
        Revision {
            since: 37,
            check: v1_37,
            overrides: &[],
        },
    ],
};

/// Every safe sysctl with the policy version that allowed it.
const SAFE: [(&str, u32); 14] = [
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    check(pod, 0)
}
fn v1_27(pod: &Pod<'_>) -> Option<Forbidden> {
    check(pod, 27)
}
fn v1_29(pod: &Pod<'_>) -> Option<Forbidden> {
    check(pod, 29)
}
fn v1_32(pod: &Pod<'_>) -> Option<Forbidden> {
    check(pod, 32)
}
fn v1_37(pod: &Pod<'_>) -> Option<Forbidden> {
    check(pod, 37)
}

fn check(pod: &Pod<'_>, minor: u32) -> Option<Forbidden> {
    let sysctls = pod
        .spec
        .security_context
        .as_ref()
        .map(|sc| sc.sysctls.as_slice())?;
    let forbidden: Vec<&str> = sysctls
        .iter()
        .map(|s| s.name.as_str())
        .filter(|name| {
            !SAFE
                .iter()
                .any(|(safe, since)| *since <= minor && safe == name)
        })
        .collect();
    if forbidden.is_empty() {
        return None;
    }
    Forbidden::new("forbidden sysctls", forbidden.join(", "))
}
