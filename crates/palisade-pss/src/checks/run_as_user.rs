//! `runAsUser` (restricted, from v1.23): neither the pod nor a container may set
//! `runAsUser: 0`. From v1.35, pods in a user namespace (`hostUsers: false`) are exempt.

use super::text::containers;
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::Pod;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::RunAsUser,
    level: Level::Restricted,
    revisions: &[
        Revision {
            since: 23,
            check: v1_23,
            overrides: &[],
        },
        Revision {
            since: 35,
            check: v1_35,
            overrides: &[],
        },
    ],
};

fn v1_23(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut setters: Vec<String> = Vec::new();
    if pod
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.run_as_user)
        == Some(0)
    {
        setters.push("pod".to_owned());
    }
    let bad: Vec<&str> = pod
        .spec
        .all_containers()
        .filter(|c| c.security_context.as_ref().and_then(|sc| sc.run_as_user) == Some(0))
        .map(|c| c.name.as_str())
        .collect();
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    Forbidden::new(
        "runAsUser=0",
        format!("{} must not set runAsUser=0", setters.join(" and ")),
    )
}

fn v1_35(pod: &Pod<'_>) -> Option<Forbidden> {
    if pod.spec.in_user_namespace() {
        None
    } else {
        v1_23(pod)
    }
}
