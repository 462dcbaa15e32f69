//! `runAsNonRoot` (restricted): the pod or every container must set `runAsNonRoot: true`, and
//! none may set it to false. From v1.35, pods in a user namespace (`hostUsers: false`) are exempt.

use super::text::containers;
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::RunAsNonRoot,
    level: Level::Restricted,
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

const REASON: &str = "runAsNonRoot != true";

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut setters: Vec<String> = Vec::new();
    let mut pod_non_root = false;
    match pod
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.run_as_non_root)
    {
        Some(false) => setters.push("pod".to_owned()),
        Some(true) => pod_non_root = true,
        None => {}
    }
    let mut explicit: Vec<&str> = Vec::new();
    let mut implicit: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        match c
            .security_context
            .as_ref()
            .and_then(|sc| sc.run_as_non_root)
        {
            Some(false) => explicit.push(c.name.as_str()),
            Some(true) => {}
            None if !pod_non_root => implicit.push(c.name.as_str()),
            None => {}
        }
    }
    if !explicit.is_empty() {
        setters.push(containers(&explicit));
    }
    if !setters.is_empty() {
        return Forbidden::new(
            REASON,
            format!(
                "{} must not set securityContext.runAsNonRoot=false",
                setters.join(" and ")
            ),
        );
    }
    if !implicit.is_empty() {
        return Forbidden::new(
            REASON,
            format!(
                "pod or {} must set securityContext.runAsNonRoot=true",
                containers(&implicit)
            ),
        );
    }
    None
}

fn v1_35(pod: &Pod<'_>) -> Option<Forbidden> {
    if pod.spec.in_user_namespace() {
        None
    } else {
        v1_0(pod)
    }
}
