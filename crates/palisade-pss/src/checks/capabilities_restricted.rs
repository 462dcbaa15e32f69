//! `capabilities_restricted` (restricted, from v1.22, overrides `capabilities_baseline`): every
//! container must drop `ALL` and may add only `NET_BIND_SERVICE`. From v1.25, Windows pods are
//! exempt.

use super::text::{containers, join_quote, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::CapabilitiesRestricted,
    level: Level::Restricted,
    revisions: &[
        Revision {
            since: 22,
            check: v1_22,
            overrides: &[CheckId::CapabilitiesBaseline],
        },
        Revision {
            since: 25,
            check: v1_25,
            overrides: &[CheckId::CapabilitiesBaseline],
        },
    ],
};

fn v1_22(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut missing_drop_all: Vec<&str> = Vec::new();
    let mut adding_forbidden: Vec<&str> = Vec::new();
    let mut forbidden_caps: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        let Some(caps) = c
            .security_context
            .as_ref()
            .and_then(|sc| sc.capabilities.as_ref())
        else {
            missing_drop_all.push(c.name.as_str());
            continue;
        };
        if !caps.drop.iter().any(|d| *d == "ALL") {
            missing_drop_all.push(c.name.as_str());
        }
        let mut added_forbidden = false;
        for cap in caps.add.iter().filter(|cap| **cap != "NET_BIND_SERVICE") {
            added_forbidden = true;
            forbidden_caps.push(cap.as_str());
        }
        if added_forbidden {
            adding_forbidden.push(c.name.as_str());
        }
    }
    let mut details: Vec<String> = Vec::new();
    if !missing_drop_all.is_empty() {
        details.push(format!(
            r#"{} must set securityContext.capabilities.drop=["ALL"]"#,
            containers(&missing_drop_all)
        ));
    }
    if !adding_forbidden.is_empty() {
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            containers(&adding_forbidden),
            join_quote(&sorted_set(forbidden_caps))
        ));
    }
    if details.is_empty() {
        return None;
    }
    Forbidden::new("unrestricted capabilities", details.join("; "))
}

fn v1_25(pod: &Pod<'_>) -> Option<Forbidden> {
    if pod.spec.is_windows() {
        None
    } else {
        v1_22(pod)
    }
}
