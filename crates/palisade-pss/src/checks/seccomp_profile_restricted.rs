//! `seccompProfile_restricted` (restricted, from v1.19, overrides `seccompProfile_baseline`):
//! the pod or every container must set `seccompProfile.type` to `RuntimeDefault` or
//! `Localhost`. From v1.25, Windows pods are exempt.

use super::seccomp_profile_baseline::valid_type;
use super::text::{containers, join_quote, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::SeccompProfileRestricted,
    level: Level::Restricted,
    revisions: &[
        Revision {
            since: 19,
            check: v1_19,
            overrides: &[CheckId::SeccompProfileBaseline],
        },
        Revision {
            since: 25,
            check: v1_25,
            overrides: &[CheckId::SeccompProfileBaseline],
        },
    ],
};

fn v1_19(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut setters: Vec<String> = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    let mut pod_set = false;
    if let Some(p) = pod
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.seccomp_profile.as_ref())
    {
        if valid_type(p) {
            pod_set = true;
        } else {
            setters.push("pod".to_owned());
            values.push(p.type_.as_str());
        }
    }
    let mut explicit: Vec<&str> = Vec::new();
    let mut implicit: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        match c
            .security_context
            .as_ref()
            .and_then(|sc| sc.seccomp_profile.as_ref())
        {
            Some(p) if !valid_type(p) => {
                explicit.push(c.name.as_str());
                values.push(p.type_.as_str());
            }
            Some(_) => {}
            None if !pod_set => implicit.push(c.name.as_str()),
            None => {}
        }
    }
    if !explicit.is_empty() {
        setters.push(containers(&explicit));
    }
    if !setters.is_empty() {
        return Forbidden::new(
            "seccompProfile",
            format!(
                "{} must not set securityContext.seccompProfile.type to {}",
                setters.join(" and "),
                join_quote(&sorted_set(values))
            ),
        );
    }
    if !implicit.is_empty() {
        return Forbidden::new(
            "seccompProfile",
            format!(
                r#"pod or {} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost""#,
                containers(&implicit)
            ),
        );
    }
    None
}

fn v1_25(pod: &Pod<'_>) -> Option<Forbidden> {
    if pod.spec.is_windows() {
        None
    } else {
        v1_19(pod)
    }
}
