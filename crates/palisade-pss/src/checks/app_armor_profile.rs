//! `appArmorProfile` (baseline): AppArmor may only be `RuntimeDefault` or `Localhost` in
//! `securityContext.appArmorProfile.type` (pod and containers), and the beta annotations
//! `container.apparmor.security.beta.kubernetes.io/*` may only be empty, `runtime/default` or
//! `localhost/*`.

use super::text::{containers, join_quote, pluralize, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::{Pod, ProfileType};
use palisade_core::quote::GoQuoted;

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::AppArmorProfile,
    level: Level::Baseline,
    revisions: &[Revision {
        since: 0,
        check: v1_0,
        overrides: &[],
    }],
};

const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

fn allowed_type(profile: &ProfileType<'_>) -> bool {
    matches!(profile.type_.as_str(), "RuntimeDefault" | "Localhost")
}

fn allowed_annotation(value: &str) -> bool {
    value.is_empty() || value == "runtime/default" || value.starts_with("localhost/")
}

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let mut setters: Vec<String> = Vec::new();
    let mut bad_values: Vec<&str> = Vec::new();

    if let Some(p) = pod
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.app_armor_profile.as_ref())
        && !allowed_type(p)
    {
        setters.push("pod".to_owned());
        bad_values.push(p.type_.as_str());
    }
    let mut bad_containers: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        if let Some(p) = c
            .security_context
            .as_ref()
            .and_then(|sc| sc.app_armor_profile.as_ref())
            && !allowed_type(p)
        {
            bad_containers.push(c.name.as_str());
            bad_values.push(p.type_.as_str());
        }
    }
    if !bad_containers.is_empty() {
        setters.push(containers(&bad_containers));
    }
    let mut bad_values: Vec<String> = sorted_set(bad_values)
        .into_iter()
        .map(str::to_owned)
        .collect();

    let mut annotations: Vec<String> = pod
        .metadata
        .annotations
        .effective()
        .filter(|(k, v)| k.starts_with(ANNOTATION_PREFIX) && !allowed_annotation(v))
        .map(|(k, v)| format!("{k}={}", GoQuoted(v)))
        .collect();
    if !annotations.is_empty() {
        annotations.sort();
        let n = annotations.len();
        bad_values.append(&mut annotations);
        setters.push(pluralize("annotation", "annotations", n).to_owned());
    }

    if setters.is_empty() {
        return None;
    }
    Forbidden::new(
        pluralize(
            "forbidden AppArmor profile",
            "forbidden AppArmor profiles",
            bad_values.len(),
        ),
        format!(
            "{} must not set AppArmor profile type to {}",
            setters.join(" and "),
            join_quote(&bad_values)
        ),
    )
}
