//! `seccompProfile_baseline` (baseline): seccomp profiles, if set, must be `RuntimeDefault` or
//! `Localhost`. Before v1.19 the check reads the alpha annotations
//! (`seccomp.security.alpha.kubernetes.io/pod`, `container.seccomp.security.alpha.kubernetes.io/<name>`),
//! which may be `runtime/default`, `docker/default` or `localhost/*`; from v1.19 it reads
//! `securityContext.seccompProfile.type` instead.

use super::text::{containers, join_quote, pluralize, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::{Pod, ProfileType};
use palisade_core::quote::GoQuoted;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::SeccompProfileBaseline,
    level: Level::Baseline,
    revisions: &[
        Revision {
            since: 0,
            check: v1_0,
            overrides: &[],
        },
        Revision {
            since: 19,
            check: v1_19,
            overrides: &[],
        },
    ],
};

const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// Whether a seccomp profile type is allowed (shared with `seccompProfile_restricted`).
pub(crate) fn valid_type(profile: &ProfileType<'_>) -> bool {
    matches!(profile.type_.as_str(), "RuntimeDefault" | "Localhost")
}

fn valid_annotation(value: &str) -> bool {
    value == "runtime/default" || value == "docker/default" || value.starts_with("localhost/")
}

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let annotations = &pod.metadata.annotations;
    let mut forbidden: Vec<String> = Vec::new();
    if let Some(v) = annotations.get(POD_ANNOTATION)
        && !valid_annotation(v)
    {
        forbidden.push(format!("{POD_ANNOTATION}={}", GoQuoted(v)));
    }
    for c in pod.spec.all_containers() {
        let annotation = annotations
            .find(|k| k.strip_prefix(CONTAINER_ANNOTATION_PREFIX) == Some(c.name.as_str()));
        if let Some((key, v)) = annotation
            && !valid_annotation(v)
        {
            forbidden.push(format!("{key}={}", GoQuoted(v)));
        }
    }
    if forbidden.is_empty() {
        return None;
    }
    let forbidden = sorted_set(forbidden);
    Forbidden::new(
        "seccompProfile",
        format!(
            "forbidden {} {}",
            pluralize("annotation", "annotations", forbidden.len()),
            forbidden.join(", ")
        ),
    )
}

fn v1_19(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut setters: Vec<String> = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    if let Some(p) = pod
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.seccomp_profile.as_ref())
        && !valid_type(p)
    {
        setters.push("pod".to_owned());
        values.push(p.type_.as_str());
    }
    let mut bad: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        if let Some(p) = c
            .security_context
            .as_ref()
            .and_then(|sc| sc.seccomp_profile.as_ref())
            && !valid_type(p)
        {
            bad.push(c.name.as_str());
            values.push(p.type_.as_str());
        }
    }
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    Forbidden::new(
        "seccompProfile",
        format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            setters.join(" and "),
            join_quote(&sorted_set(values))
        ),
    )
}
