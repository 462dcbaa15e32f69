//! `seLinuxOptions` (baseline): the SELinux type must be empty or one of the container types
//! (`container_engine_t` joins them in v1.31), and `user` and `role` must not be set.

use super::text::{containers, join_quote, pluralize, sorted_set};
use super::{CheckDef, CheckId, Forbidden, Revision};
use crate::level::Level;
use crate::pod::{Pod, SeLinuxOptions};

pub(crate) const DEF: CheckDef = CheckDef {
    id: CheckId::SeLinuxOptions,
    level: Level::Baseline,
    revisions: &[
        Revision {
            since: 0,
            check: v1_0,
            overrides: &[],
        },
        Revision {
            since: 31,
            check: v1_31,
            overrides: &[],
        },
    ],
};

const TYPES_V1_0: &[&str] = &["", "container_t", "container_init_t", "container_kvm_t"];
const TYPES_V1_31: &[&str] = &[
    "",
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

fn v1_0(pod: &Pod<'_>) -> Option<Forbidden> {
    check(pod, TYPES_V1_0)
}

fn v1_31(pod: &Pod<'_>) -> Option<Forbidden> {
    check(pod, TYPES_V1_31)
}

#[derive(Default)]
struct Findings<'p> {
    types: Vec<&'p str>,
    user: bool,
    role: bool,
}

impl<'p> Findings<'p> {
    /// Records what is wrong with `opts`; true when nothing is.
    fn valid(&mut self, opts: &'p SeLinuxOptions<'_>, allowed: &[&str]) -> bool {
        let mut valid = true;
        if !allowed.contains(&opts.type_.as_str()) {
            valid = false;
            self.types.push(opts.type_.as_str());
        }
        if !opts.user.is_empty() {
            valid = false;
            self.user = true;
        }
        if !opts.role.is_empty() {
            valid = false;
            self.role = true;
        }
        valid
    }
}

fn check(pod: &Pod<'_>, allowed: &[&str]) -> Option<Forbidden> {
    let mut findings = Findings::default();
    let mut setters: Vec<String> = Vec::new();
    if let Some(opts) = pod
        .spec
        .security_context
        .as_ref()
        .and_then(|sc| sc.se_linux_options.as_ref())
        && !findings.valid(opts, allowed)
    {
        setters.push("pod".to_owned());
    }
    let mut bad: Vec<&str> = Vec::new();
    for c in pod.spec.all_containers() {
        if let Some(opts) = c
            .security_context
            .as_ref()
            .and_then(|sc| sc.se_linux_options.as_ref())
            && !findings.valid(opts, allowed)
        {
            bad.push(c.name.as_str());
        }
    }
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    let mut data: Vec<String> = Vec::new();
    let types = sorted_set(findings.types);
    if !types.is_empty() {
        data.push(format!(
            "{} {}",
            pluralize("type", "types", types.len()),
            join_quote(&types)
        ));
    }
    if findings.user {
        data.push("user may not be set".to_owned());
    }
    if findings.role {
        data.push("role may not be set".to_owned());
    }
    Forbidden::new(
        "seLinuxOptions",
        format!(
            "{} set forbidden securityContext.seLinuxOptions: {}",
            setters.join(" and "),
            data.join("; ")
        ),
    )
}
