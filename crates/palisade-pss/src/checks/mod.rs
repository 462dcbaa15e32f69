//! The 19 Pod Security Standards checks, each defined once: its level, its revisions by policy
//! version, the baseline checks a restricted revision overrides, and one function per revision.
//!
//! The functions mirror upstream pod-security-admission's `policy/check_*.go` exactly, including
//! the wording and ordering of their messages.

use std::fmt;

use crate::level::Level;
use crate::pod::Pod;

mod text;

mod allow_privilege_escalation;
mod app_armor_profile;
mod capabilities_baseline;
mod capabilities_restricted;
mod host_namespaces;
mod host_path_volumes;
mod host_ports;
mod host_probes_and_host_lifecycle;
mod privileged;
mod proc_mount;
mod proc_mount_restricted;
mod restricted_volumes;
mod run_as_non_root;
mod run_as_user;
mod se_linux_options;
mod seccomp_profile_baseline;
mod seccomp_profile_restricted;
mod sysctls;
mod windows_host_process;

/// Why a check forbids a pod: a short reason and, optionally, the specific values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forbidden {
    /// The succinct reason, e.g. `host namespaces`.
    pub reason: &'static str,
    /// The specifics, e.g. `hostNetwork=true, hostPID=true`; may be empty.
    pub detail: String,
}

impl Forbidden {
    pub(crate) fn new(reason: &'static str, detail: String) -> Option<Forbidden> {
        Some(Forbidden { reason, detail })
    }
}

/// A check function: `None` when the pod is allowed.
pub(crate) type CheckFn = fn(&Pod<'_>) -> Option<Forbidden>;

/// One revision of a check, in force from a policy version on.
pub(crate) struct Revision {
    /// The first policy minor version (`v1.<since>`) this revision applies to.
    pub(crate) since: u32,
    pub(crate) check: CheckFn,
    /// Baseline checks skipped at restricted level while this revision is in force.
    pub(crate) overrides: &'static [CheckId],
}

/// A check: its identity, level and revisions (strictly increasing `since`).
pub(crate) struct CheckDef {
    pub(crate) id: CheckId,
    pub(crate) level: Level,
    pub(crate) revisions: &'static [Revision],
}

impl CheckDef {
    /// The revision in force at policy minor version `minor`, if the check exists then.
    pub(crate) fn revision_at(&self, minor: u32) -> Option<&Revision> {
        self.revisions.iter().rev().find(|r| r.since <= minor)
    }
}

macro_rules! check_ids {
    ($($variant:ident => $id:literal, $module:ident;)*) => {
        /// The ID of a Pod Security Standards check, as upstream names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CheckId {
            $(
                #[doc = concat!("`", $id, "`")]
                $variant,
            )*
        }

        impl CheckId {
            /// Every check, in upstream's evaluation order (baseline IDs sorted, then
            /// restricted IDs sorted).
            pub const ALL: &'static [CheckId] = &[$(CheckId::$variant),*];

            /// The upstream ID, e.g. `seccompProfile_restricted`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(CheckId::$variant => $id,)*
                }
            }

            pub(crate) const fn def(self) -> &'static CheckDef {
                match self {
                    $(CheckId::$variant => &$module::DEF,)*
                }
            }
        }
    };
}

check_ids! {
    AppArmorProfile => "appArmorProfile", app_armor_profile;
    CapabilitiesBaseline => "capabilities_baseline", capabilities_baseline;
    HostNamespaces => "hostNamespaces", host_namespaces;
    HostPathVolumes => "hostPathVolumes", host_path_volumes;
    HostPorts => "hostPorts", host_ports;
    HostProbesAndHostLifecycle => "hostProbesAndHostLifecycle", host_probes_and_host_lifecycle;
    Privileged => "privileged", privileged;
    ProcMount => "procMount", proc_mount;
    SeLinuxOptions => "seLinuxOptions", se_linux_options;
    SeccompProfileBaseline => "seccompProfile_baseline", seccomp_profile_baseline;
    Sysctls => "sysctls", sysctls;
    WindowsHostProcess => "windowsHostProcess", windows_host_process;
    AllowPrivilegeEscalation => "allowPrivilegeEscalation", allow_privilege_escalation;
    CapabilitiesRestricted => "capabilities_restricted", capabilities_restricted;
    ProcMountRestricted => "procMount_restricted", proc_mount_restricted;
    RestrictedVolumes => "restrictedVolumes", restricted_volumes;
    RunAsNonRoot => "runAsNonRoot", run_as_non_root;
    RunAsUser => "runAsUser", run_as_user;
    SeccompProfileRestricted => "seccompProfile_restricted", seccomp_profile_restricted;
}

impl CheckId {
    /// Looks a check up by its upstream ID (exact case).
    pub fn parse(id: &str) -> Option<CheckId> {
        CheckId::ALL.iter().copied().find(|c| c.as_str() == id)
    }

    /// The level the check belongs to.
    pub fn level(self) -> Level {
        self.def().level
    }

    /// The first policy version the check exists in (`v1.<minor>`).
    pub fn since(self) -> u32 {
        self.def().revisions.first().map_or(0, |r| r.since)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The newest policy version any check defines: policies above it behave like it.
pub const NEWEST_POLICY_MINOR: u32 = 37;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_upstream_sorted_ids_baseline_first() {
        let (baseline, restricted): (Vec<_>, Vec<_>) = CheckId::ALL
            .iter()
            .partition(|c| c.level() == Level::Baseline);
        let is_sorted = |v: &[&CheckId]| v.windows(2).all(|w| w[0].as_str() < w[1].as_str());
        assert!(is_sorted(&baseline) && is_sorted(&restricted));
        assert_eq!(baseline.len() + restricted.len(), 19);
        assert_eq!(
            &CheckId::ALL[..baseline.len()],
            baseline.into_iter().copied().collect::<Vec<_>>()
        );
    }

    #[test]
    fn revisions_are_strictly_increasing_and_newest_is_known() {
        let mut newest = 0;
        for id in CheckId::ALL {
            let revs = id.def().revisions;
            assert!(!revs.is_empty(), "{id}");
            assert!(revs.windows(2).all(|w| w[0].since < w[1].since), "{id}");
            for r in revs {
                for o in r.overrides {
                    assert_eq!(id.level(), Level::Restricted, "{id} overrides");
                    assert_eq!(o.level(), Level::Baseline, "{id} overrides {o}");
                }
            }
            newest = newest.max(revs.last().unwrap().since);
            assert_eq!(CheckId::parse(id.as_str()), Some(*id));
        }
        assert_eq!(newest, NEWEST_POLICY_MINOR);
    }
}
