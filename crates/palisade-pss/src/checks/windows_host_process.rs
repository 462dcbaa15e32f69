//! `windowsHostProcess` (baseline): neither the pod nor a container may set
//! `securityContext.windowsOptions.hostProcess=true`.

use super::text::containers;
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::{Pod, WindowsOptions};

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::WindowsHostProcess,
    level: Level::Baseline,
    revisions: &[Revision {
        since: 0,
        check: v1_0,
        overrides: &[],
    }],
};

fn host_process(options: Option<&WindowsOptions>) -> bool {
    options.and_then(|o| o.host_process) == Some(true)
}

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    let bad: Vec<&str> = pod
        .spec
        .all_containers()
        .filter(|c| {
            host_process(
                c.security_context
                    .as_ref()
                    .and_then(|sc| sc.windows_options.as_ref()),
            )
        })
        .map(|c| c.name.as_str())
        .collect();
    let mut setters: Vec<String> = Vec::new();
    if host_process(
        pod.spec
            .security_context
            .as_ref()
            .and_then(|sc| sc.windows_options.as_ref()),
    ) {
        setters.push("pod".to_owned());
    }
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    Forbidden::new(
        "hostProcess",
        format!(
            "{} must not set securityContext.windowsOptions.hostProcess=true",
            setters.join(" and ")
        ),
    )
}
