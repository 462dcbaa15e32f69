//! `palisade check -o sarif`: every finding of every area as one SARIF 2.1.0 run, for code
//! scanning in CI. Built from the report's JSON form, so the two always agree.
//!
//! | area | rule IDs | level |
//! | --- | --- | --- |
//! | Pod Security Standards | `pss/<check>` (e.g. `pss/hostNamespaces`), `pss/namespace-labels` | `error` when the enforce level is violated, `warning` for warn or audit only |
//! | admission policies | `vap/denied`, `vap/warning`, `vap/invalid` | `error`, `warning`, `error` |
//! | RBAC | the risk catalog's IDs (`RBAC-R001`…) and lint IDs (`RBAC-L001`…) | from the severity; lint `warning` |
//! | NetworkPolicy lint | `NP001`… | from the severity |
//! | audit policy lint | `AUD001`… | from the severity |
//!
//! Severities map as critical and high → `error`, medium → `warning`, low → `note`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::sarif::{SarifResult, SarifRule, to_sarif};

/// A SARIF level for a severity name.
fn level(severity: &str) -> &'static str {
    match severity {
        "critical" | "high" => "error",
        "medium" => "warning",
        _ => "note",
    }
}

fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn items<'v>(v: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// The results, and the rules they use (the first description of each rule wins).
#[derive(Default)]
struct Collector {
    rules: BTreeMap<String, SarifRule>,
    results: Vec<SarifResult>,
}

impl Collector {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        rule: &str,
        title: &str,
        description: &str,
        help: &str,
        help_uri: Option<&str>,
        level: &'static str,
        message: String,
        uri: Option<&str>,
        logical: Option<String>,
    ) {
        self.rules
            .entry(rule.to_owned())
            .or_insert_with(|| SarifRule {
                id: rule.to_owned(),
                title: title.to_owned(),
                description: description.to_owned(),
                help: help.to_owned(),
                help_uri: help_uri.filter(|u| !u.is_empty()).map(str::to_owned),
                level,
            });
        self.results.push(SarifResult {
            rule_id: rule.to_owned(),
            level,
            message,
            uri: uri.filter(|u| !u.is_empty()).map(str::to_owned),
            logical,
            properties: json!({}),
        });
    }
}

const PSS_HELP: &str = "Change the pod (or its template) to meet the level its namespace enforces, \
    or run it in a namespace whose Pod Security labels allow it.";
const PSS_URI: &str = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

fn pss(c: &mut Collector, report: &Value) {
    for ns in items(report, "namespaces") {
        let namespace = text(ns, "name");
        for e in items(ns, "labelErrors") {
            c.add(
                "pss/namespace-labels",
                "invalid Pod Security labels",
                "The namespace's pod-security.kubernetes.io labels are invalid; the API server \
                 rejects them.",
                "Use the levels privileged, baseline or restricted and versions latest or v1.N.",
                Some("https://kubernetes.io/docs/concepts/security/pod-security-admission/"),
                "error",
                format!("Namespace {namespace:?}: {}", e.as_str().unwrap_or("")),
                None,
                Some(format!("Namespace/{namespace}")),
            );
        }
        for o in items(ns, "objects") {
            let what = format!("{} {namespace}/{}", text(o, "kind"), text(o, "name"));
            for v in items(o, "violations") {
                let enforced = items(v, "modes").any(|m| m == "enforce");
                let lv = text(v, "levelVersion");
                for check in items(v, "checks") {
                    let id = text(check, "check");
                    c.add(
                        &format!("pss/{id}"),
                        id,
                        &format!("The Pod Security Standards check {id}."),
                        PSS_HELP,
                        Some(PSS_URI),
                        if enforced { "error" } else { "warning" },
                        format!(
                            "{what} violates PodSecurity {lv:?}: {}",
                            text(check, "forbiddenDetail")
                        ),
                        Some(text(o, "source")),
                        Some(what.clone()),
                    );
                }
            }
        }
    }
}

fn admission_policies(c: &mut Collector, report: &Value) {
    for r in items(report, "results") {
        let what = format!(
            "{} {}{}",
            text(r, "kind"),
            match text(r, "namespace") {
                "" => String::new(),
                ns => format!("{ns}/"),
            },
            text(r, "name")
        );
        let response = r.get("response").unwrap_or(&Value::Null);
        if let Some(status) = response.get("status").filter(|s| !s.is_null()) {
            c.add(
                "vap/denied",
                "denied by a ValidatingAdmissionPolicy",
                "The API server would reject this object: a ValidatingAdmissionPolicy bound with \
                 the Deny action denies it.",
                "Change the object to satisfy the policy, or the policy or its binding.",
                None,
                "error",
                text(status, "message").to_owned(),
                Some(text(r, "source")),
                Some(what.clone()),
            );
        }
        for w in items(response, "warnings") {
            c.add(
                "vap/warning",
                "a ValidatingAdmissionPolicy warns",
                "A ValidatingAdmissionPolicy bound with the Warn action fails for this object.",
                "Change the object to satisfy the policy before the binding becomes Deny.",
                None,
                "warning",
                w.as_str().unwrap_or("").to_owned(),
                Some(text(r, "source")),
                Some(what.clone()),
            );
        }
    }
    for i in items(report, "invalid") {
        c.add(
            "vap/invalid",
            "an invalid ValidatingAdmissionPolicy or binding",
            "The API server refuses to create this policy or binding.",
            "Fix the fields and expressions the message names.",
            None,
            "error",
            text(i, "message").to_owned(),
            Some(text(i, "source")),
            Some(format!("{} {}", text(i, "kind"), text(i, "name"))),
        );
    }
}

fn rbac(c: &mut Collector, report: &Value) {
    for f in items(report, "findings") {
        c.add(
            text(f, "id"),
            text(f, "title"),
            text(f, "explanation"),
            text(f, "remediation"),
            Some(text(f, "reference")),
            level(text(f, "severity")),
            text(f, "message").to_owned(),
            Some(text(f, "source")),
            Some(text(f, "binding").to_owned()),
        );
    }
    for f in items(report, "lint") {
        c.add(
            text(f, "id"),
            text(f, "id"),
            "An RBAC rule or binding that can never work as written.",
            "Fix or remove the rule or binding the message names.",
            None,
            "warning",
            format!("{}: {}", text(f, "object"), text(f, "message")),
            Some(text(f, "source")),
            Some(text(f, "object").to_owned()),
        );
    }
}

fn netpol(c: &mut Collector, report: &Value) {
    for f in items(report, "findings") {
        c.add(
            text(f, "id"),
            text(f, "name"),
            text(f, "name"),
            "See the finding's message.",
            Some("https://kubernetes.io/docs/concepts/services-networking/network-policies/"),
            level(text(f, "severity")),
            format!("{}: {}", text(f, "object"), text(f, "message")),
            None,
            Some(text(f, "object").to_owned()),
        );
    }
}

fn audit(c: &mut Collector, report: &Value) {
    for p in items(report, "policies") {
        for f in items(p, "findings") {
            c.add(
                text(f, "id"),
                text(f, "name"),
                text(f, "name"),
                "See the finding's message.",
                Some("https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/"),
                level(text(f, "severity")),
                format!(
                    "rules[{}]: {}",
                    f.get("rule").and_then(Value::as_u64).unwrap_or(0),
                    text(f, "message")
                ),
                Some(text(p, "source")),
                Some(format!(
                    "Policy rules[{}]",
                    f.get("rule").and_then(Value::as_u64).unwrap_or(0)
                )),
            );
        }
    }
}

/// The SARIF log of a `palisade check` report (its JSON form).
pub(crate) fn check_sarif(report: &Value) -> Value {
    let mut c = Collector::default();
    let section = |key: &str| report.get(key).unwrap_or(&Value::Null);
    audit(&mut c, section("audit"));
    rbac(&mut c, section("rbac"));
    netpol(&mut c, section("netpol"));
    admission_policies(&mut c, section("admissionPolicies"));
    pss(&mut c, section("pss"));
    let rules: Vec<SarifRule> = c.rules.into_values().collect();
    to_sarif("palisade check", &rules, &c.results)
}
