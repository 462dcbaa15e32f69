//! Lint rules for audit policies: mistakes that upstream validation accepts but that make a
//! policy log less (or more) than its author meant.
//!
//! Every rule is defined once in [`RULES`]: its stable ID, name, severity and summary, with
//! one function that finds it. Findings name the 0-based index of the rule they are about.
//! Where a finding depends on first-match order, it is confirmed by evaluating the whole
//! policy on a concrete request (a witness) that the rule matches, so a rule hidden by an
//! earlier one is not reported twice.

use std::fmt;

use crate::checker::{Request, User};
use crate::policy::{GroupResources, Level, Policy, PolicyRule};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Noise or cost, no loss of evidence or secrecy.
    Low,
    /// The policy does not do what it appears to do.
    Medium,
    /// Secrets reach the log, or requests are not audited that the author meant to audit.
    High,
}

impl Severity {
    /// `low`, `medium` or `high`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    /// Parses `low`, `medium` or `high`.
    pub fn parse(text: &str) -> Option<Severity> {
        [Severity::Low, Severity::Medium, Severity::High]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a check reports a finding: the policy rule index and the message.
type Report<'r> = &'r mut dyn FnMut(Option<usize>, String);

/// The function of one lint rule.
type Check = fn(&Policy, Report<'_>);

/// One lint rule: data plus the function that checks it.
#[derive(Debug, Clone, Copy)]
pub struct LintRule {
    /// Stable ID (`AUD001`).
    pub id: &'static str,
    /// Short kebab-case name.
    pub name: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// What it finds and why it matters.
    pub summary: &'static str,
    check: Check,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The lint rule's ID (`AUD001`).
    pub id: &'static str,
    /// The lint rule's name.
    pub name: &'static str,
    /// The severity.
    pub severity: Severity,
    /// The 0-based index of the policy rule the finding is about, if any.
    pub rule: Option<usize>,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            Some(i) => write!(
                f,
                "{} {} rules[{i}]: {}",
                self.id, self.severity, self.message
            ),
            None => write!(f, "{} {}: {}", self.id, self.severity, self.message),
        }
    }
}

/// Every lint rule, in ID order.
pub static RULES: &[LintRule] = &[
    LintRule {
        id: "AUD001",
        name: "shadowed-rule",
        severity: Severity::Medium,
        summary: "an earlier rule matches every request this rule matches, so it is never reached (the first matching rule wins)",
        check: shadowed,
    },
    LintRule {
        id: "AUD002",
        name: "literal-wildcard",
        severity: Severity::High,
        summary: "`*` in users, userGroups, verbs or namespaces is a literal string, not a wildcard",
        check: literal_wildcard,
    },
    LintRule {
        id: "AUD003",
        name: "resource-names-never-match",
        severity: Severity::Medium,
        summary: "resourceNames without resources, or only with verbs whose requests carry no name (list, watch, create, deletecollection), never match",
        check: resource_names,
    },
    LintRule {
        id: "AUD004",
        name: "sensitive-content-logged",
        severity: Severity::High,
        summary: "secrets, configmaps or tokenreviews logged at Request or RequestResponse put their contents (credentials, tokens) into the audit log",
        check: sensitive,
    },
    LintRule {
        id: "AUD005",
        name: "no-catch-all",
        severity: Severity::Medium,
        summary: "no rule matches every request, so requests no rule names are not audited at all (level None)",
        check: no_catch_all,
    },
    LintRule {
        id: "AUD006",
        name: "noisy-read-only",
        severity: Severity::Low,
        summary: "health, version, metrics and OpenAPI endpoints at Request or higher, or list/watch of high-churn resources at RequestResponse, flood the log",
        check: noisy,
    },
];

/// Looks up a lint rule by ID.
pub fn rule(id: &str) -> Option<&'static LintRule> {
    RULES.iter().find(|r| r.id == id)
}

/// Runs every lint rule; findings come in rule ID order, then policy rule order.
pub fn lint(policy: &Policy) -> Vec<Finding> {
    let mut findings = Vec::new();
    for lr in RULES {
        (lr.check)(policy, &mut |rule, message| {
            findings.push(Finding {
                id: lr.id,
                name: lr.name,
                severity: lr.severity,
                rule,
                message,
            });
        });
    }
    findings
}

// ---- AUD001 -------------------------------------------------------------------------------

fn shadowed(policy: &Policy, report: Report<'_>) {
    for (i, later) in policy.rules.iter().enumerate() {
        if let Some(j) = policy
            .rules
            .iter()
            .take(i)
            .position(|earlier| covers(earlier, later))
        {
            report(
                Some(i),
                format!(
                    "never reached: rules[{j}] ({}) matches every request this rule ({}) matches",
                    policy.rules.get(j).map_or(Level::None, |r| r.level),
                    later.level
                ),
            );
        }
    }
}

/// Whether every request `later` matches is also matched by `earlier` (a sufficient test,
/// dimension by dimension, following upstream `ruleMatches`).
pub fn covers(earlier: &PolicyRule, later: &PolicyRule) -> bool {
    let list_covers = |e: &[String], l: &[String]| {
        e.is_empty() || (!l.is_empty() && l.iter().all(|x| e.contains(x)))
    };
    if !list_covers(&earlier.users, &later.users)
        || !list_covers(&earlier.user_groups, &later.user_groups)
        || !list_covers(&earlier.verbs, &later.verbs)
    {
        return false;
    }
    if earlier.is_resource_rule() {
        later.is_resource_rule()
            && list_covers(&earlier.namespaces, &later.namespaces)
            && (earlier.resources.is_empty()
                || (!later.resources.is_empty()
                    && later
                        .resources
                        .iter()
                        .all(|l| earlier.resources.iter().any(|e| entry_covers(e, l)))))
    } else if !earlier.non_resource_urls.is_empty() {
        !later.is_resource_rule()
            && !later.non_resource_urls.is_empty()
            && later
                .non_resource_urls
                .iter()
                .all(|l| earlier.non_resource_urls.iter().any(|e| url_covers(e, l)))
    } else {
        true
    }
}

fn entry_covers(e: &GroupResources, l: &GroupResources) -> bool {
    if e.group != "*" && e.group != l.group {
        return false;
    }
    if e.resources.is_empty() {
        return true;
    }
    if l.resources.is_empty() {
        return false;
    }
    let names_ok = e.resource_names.is_empty()
        || (!l.resource_names.is_empty()
            && l.resource_names
                .iter()
                .all(|n| e.resource_names.contains(n)));
    names_ok
        && l.resources
            .iter()
            .all(|r| e.resources.iter().any(|er| resource_covers(er, r)))
}

/// Whether resource spec `e` matches every (resource, subresource) that spec `l` matches.
fn resource_covers(e: &str, l: &str) -> bool {
    if e == "*" || e == l {
        return true;
    }
    if let Some(sub) = e.strip_prefix("*/") {
        // "*/sub" covers "res/sub" for a concrete res.
        return l
            .split_once('/')
            .is_some_and(|(res, s)| s == sub && res != "*" && !res.is_empty());
    }
    if let Some(res) = e.strip_suffix("/*") {
        // "res/*" covers "res", "res/sub" and "res/*".
        return l == res || l.split_once('/').is_some_and(|(r, _)| r == res);
    }
    false
}

fn url_covers(e: &str, l: &str) -> bool {
    e == "*" || e == l || (e.ends_with('*') && l != "*" && l.starts_with(e.trim_end_matches('*')))
}

// ---- AUD002 -------------------------------------------------------------------------------

fn literal_wildcard(policy: &Policy, report: Report<'_>) {
    for (i, rule) in policy.rules.iter().enumerate() {
        for (field, list) in [
            ("users", &rule.users),
            ("userGroups", &rule.user_groups),
            ("verbs", &rule.verbs),
            ("namespaces", &rule.namespaces),
        ] {
            if list.iter().any(|s| s == "*") {
                let effect = if list.len() == 1 {
                    "this rule matches no real request"
                } else {
                    "that entry matches nothing"
                };
                report(
                    Some(i),
                    format!(
                        "`*` in {field} is a literal name, not a wildcard: {effect}; leave {field} out to match all"
                    ),
                );
            }
        }
    }
}

// ---- AUD003 -------------------------------------------------------------------------------

/// Verbs whose requests carry no object name, so `resourceNames` never matches them.
const NAMELESS_VERBS: [&str; 4] = ["list", "watch", "create", "deletecollection"];

fn resource_names(policy: &Policy, report: Report<'_>) {
    for (i, rule) in policy.rules.iter().enumerate() {
        for gr in rule
            .resources
            .iter()
            .filter(|g| !g.resource_names.is_empty())
        {
            if gr.resources.is_empty() {
                report(
                    Some(i),
                    format!(
                        "resourceNames {:?} of group {:?} has no resources: the entry matches every resource of the group and its names are ignored (the API server rejects this policy)",
                        gr.resource_names, gr.group
                    ),
                );
            } else if !rule.verbs.is_empty()
                && rule
                    .verbs
                    .iter()
                    .all(|v| NAMELESS_VERBS.contains(&v.as_str()))
            {
                report(
                    Some(i),
                    format!(
                        "resourceNames {:?} never match: requests with verbs {:?} carry no object name",
                        gr.resource_names, rule.verbs
                    ),
                );
            }
        }
    }
}

// ---- witnesses ----------------------------------------------------------------------------

/// A class of requests the lint rules and the coverage table probe.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Class {
    pub(crate) group: &'static str,
    pub(crate) resource: &'static str,
    pub(crate) subresource: &'static str,
    pub(crate) namespaced: bool,
    /// For a non-resource class, the path (and `resource` is empty).
    pub(crate) path: &'static str,
}

impl Class {
    pub(crate) const fn res(group: &'static str, resource: &'static str, namespaced: bool) -> Self {
        Class {
            group,
            resource,
            subresource: "",
            namespaced,
            path: "",
        }
    }

    pub(crate) const fn url(path: &'static str) -> Self {
        Class {
            group: "",
            resource: "",
            subresource: "",
            namespaced: false,
            path,
        }
    }

    fn label(&self) -> String {
        if !self.path.is_empty() {
            return self.path.to_owned();
        }
        let mut s = self.resource.to_owned();
        if !self.subresource.is_empty() {
            s = format!("{s}/{}", self.subresource);
        }
        if !self.group.is_empty() {
            s = format!("{s}.{}", self.group);
        }
        s
    }
}

const PROBE_USER: &str = "palisade:probe";
const PROBE_GROUP: &str = "system:authenticated";
const PROBE_NAMESPACES: [&str; 3] = ["default", "kube-system", "palisade-probe"];
const PROBE_NAME: &str = "palisade-probe";

/// Looks for a request of `class` with one of `verbs` that rule `index` decides (it is the
/// first rule to match it); returns the verb that does.
fn witness<'p>(
    policy: &'p Policy,
    index: usize,
    class: &Class,
    verbs: &[&'p str],
) -> Option<&'p str> {
    let rule = policy.rules.get(index)?;
    let user_name = rule.users.first().map_or(PROBE_USER, String::as_str);
    let group = rule.user_groups.first().map_or(PROBE_GROUP, String::as_str);
    let groups = [group];
    let user = Some(User {
        name: user_name,
        groups: &groups,
    });
    let namespaces: Vec<&str> = if !class.path.is_empty() || !class.namespaced {
        vec![""]
    } else if rule.namespaces.is_empty() {
        PROBE_NAMESPACES.to_vec()
    } else {
        rule.namespaces.iter().map(String::as_str).collect()
    };
    let mut names: Vec<&str> = vec![PROBE_NAME];
    names.extend(
        rule.resources
            .iter()
            .flat_map(|g| g.resource_names.iter().map(String::as_str)),
    );
    for &verb in verbs {
        if !rule.verbs.is_empty() && !rule.verbs.iter().any(|v| v == verb) {
            continue;
        }
        let request_names: &[&str] = if NAMELESS_VERBS.contains(&verb) {
            &[""]
        } else {
            &names
        };
        for &namespace in &namespaces {
            for &name in request_names {
                let request = if class.path.is_empty() {
                    Request::resource(
                        user,
                        verb,
                        class.group,
                        class.resource,
                        class.subresource,
                        namespace,
                        name,
                    )
                } else {
                    Request::non_resource(user, verb, class.path)
                };
                if policy.evaluate(&request).matched_rule == Some(index) {
                    return Some(verb);
                }
            }
        }
    }
    None
}

// ---- AUD004 -------------------------------------------------------------------------------

const SENSITIVE: [(Class, &[&str]); 3] = [
    (
        Class::res("", "secrets", true),
        &[
            "get", "list", "watch", "create", "update", "patch", "delete",
        ],
    ),
    (
        Class::res("", "configmaps", true),
        &[
            "get", "list", "watch", "create", "update", "patch", "delete",
        ],
    ),
    (
        Class::res("authentication.k8s.io", "tokenreviews", false),
        &["create"],
    ),
];

fn sensitive(policy: &Policy, report: Report<'_>) {
    for (i, rule) in policy.rules.iter().enumerate() {
        if !rule.level.logs_bodies() {
            continue;
        }
        for (class, verbs) in &SENSITIVE {
            if let Some(verb) = witness(policy, i, class, verbs) {
                report(
                    Some(i),
                    format!(
                        "{} at {} (e.g. {verb} {}): their contents are written to the audit log; log them at Metadata",
                        class.label(),
                        rule.level,
                        class.label()
                    ),
                );
            }
        }
    }
}

// ---- AUD005 -------------------------------------------------------------------------------

fn no_catch_all(policy: &Policy, report: Report<'_>) {
    if !policy.rules.iter().any(PolicyRule::is_catch_all) {
        report(
            None,
            "no rule matches every request: requests no rule names get level None and are not audited; end the policy with a rule that has only a level (e.g. Metadata)".into(),
        );
    }
}

// ---- AUD006 -------------------------------------------------------------------------------

const NOISY_URLS: [&str; 7] = [
    "/healthz",
    "/livez",
    "/readyz",
    "/metrics",
    "/version",
    "/openapi/v2",
    "/openapi/v3",
];

const CHURNY: [Class; 5] = [
    Class::res("", "events", true),
    Class::res("events.k8s.io", "events", true),
    Class::res("", "endpoints", true),
    Class::res("discovery.k8s.io", "endpointslices", true),
    Class::res("coordination.k8s.io", "leases", true),
];

fn noisy(policy: &Policy, report: Report<'_>) {
    for (i, rule) in policy.rules.iter().enumerate() {
        if rule.level.logs_bodies() {
            let hits: Vec<&str> = NOISY_URLS
                .iter()
                .copied()
                .filter(|p| witness(policy, i, &Class::url(p), &["get"]).is_some())
                .collect();
            if !hits.is_empty() {
                report(
                    Some(i),
                    format!(
                        "read-only endpoints {} at {}: high volume, no security value; log them at None or Metadata",
                        hits.join(", "),
                        rule.level
                    ),
                );
            }
        }
        if rule.level == Level::RequestResponse {
            let hits: Vec<String> = CHURNY
                .iter()
                .filter(|c| witness(policy, i, c, &["watch", "list"]).is_some())
                .map(Class::label)
                .collect();
            if !hits.is_empty() {
                report(
                    Some(i),
                    format!(
                        "list/watch of {} at RequestResponse: every response body is logged; use Metadata or Request",
                        hits.join(", ")
                    ),
                );
            }
        }
    }
}
