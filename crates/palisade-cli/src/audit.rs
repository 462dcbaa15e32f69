//! `palisade audit level|lint|table`: audit Policy evaluation, linting and coverage, and the
//! audit section of `palisade check`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use palisade::audit::lint::{Finding, Severity, lint};
use palisade::audit::table::{VERBS, coverage};
use palisade::audit::{Loaded, Policy, Request, User, load};
use palisade::core::load::Manifest;
use serde_json::{Value, json};

use crate::{EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, Format, input, output, report_error};

/// `palisade audit …`.
#[derive(Debug, Subcommand)]
pub(crate) enum AuditCommand {
    /// The level, omitted stages and omitManagedFields a policy gives one request.
    Level(LevelArgs),
    /// Lint a policy: rules that never match, secrets in the log, no catch-all, noise.
    Lint(LintArgs),
    /// The level each common class of request gets (verbs × resources, URLs, anonymous).
    Table(TableArgs),
}

#[derive(Debug, Clone, Args)]
pub(crate) struct PolicyArgs {
    /// The audit Policy file (`-` for stdin); the first `audit.k8s.io` Policy in it is used.
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    filename: PathBuf,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

/// `palisade audit level`.
#[derive(Debug, Clone, Args)]
pub(crate) struct LevelArgs {
    #[command(flatten)]
    policy: PolicyArgs,
    /// The user making the request; without it the request has no user (failed
    /// authentication, which the API server still audits).
    #[arg(long = "as", value_name = "USER")]
    user: Option<String>,
    /// A group of the user. Repeatable.
    #[arg(long = "as-group", value_name = "GROUP", requires = "user")]
    groups: Vec<String>,
    /// The verb (`get`, `list`, `watch`, `create`, …; the lower-case HTTP method for a URL).
    verb: String,
    /// `resource[.group][/subresource]` (`pods`, `deployments.apps/scale`), or a non-resource
    /// URL path starting with `/`.
    resource: String,
    /// The object name.
    name: Option<String>,
    /// The namespace (none: cluster-scoped, or the Namespace object's own name).
    #[arg(short = 'n', long = "namespace", value_name = "NS")]
    namespace: Option<String>,
}

/// `palisade audit lint`.
#[derive(Debug, Clone, Args)]
pub(crate) struct LintArgs {
    #[command(flatten)]
    policy: PolicyArgs,
    /// Exit 1 when a finding has at least this severity.
    #[arg(
        long = "fail-on",
        value_name = "low|medium|high",
        default_value = "high"
    )]
    fail_on: String,
}

/// `palisade audit table`.
#[derive(Debug, Clone, Args)]
pub(crate) struct TableArgs {
    #[command(flatten)]
    policy: PolicyArgs,
    /// The user the requests come from.
    #[arg(long = "as", value_name = "USER", default_value = "alice")]
    user: String,
    /// Groups of the user. Repeatable (default `system:authenticated`).
    #[arg(long = "as-group", value_name = "GROUP")]
    groups: Vec<String>,
}

pub(crate) fn run(command: &AuditCommand, out: &mut dyn Write) -> u8 {
    match command {
        AuditCommand::Level(args) => level(args, out),
        AuditCommand::Lint(args) => run_lint(args, out),
        AuditCommand::Table(args) => table(args, out),
    }
}

fn load_policy(path: &PathBuf) -> Result<Loaded, String> {
    let manifests = input::load(std::slice::from_ref(path))?;
    let manifest = manifests
        .iter()
        .find(|m| load::is_audit_policy(&m.value))
        .ok_or_else(|| format!("{}: no audit.k8s.io Policy found", path.display()))?;
    let loaded =
        load::from_value(&manifest.value).map_err(|e| format!("{}: {e}", manifest.origin))?;
    for w in &loaded.warnings {
        eprintln!("warning: {}: {w}", manifest.origin);
    }
    Ok(loaded)
}

fn write_text(out: &mut dyn Write, text: &str) -> u8 {
    if out.write_all(text.as_bytes()).is_err() {
        return EXIT_USAGE;
    }
    EXIT_OK
}

fn level(args: &LevelArgs, out: &mut dyn Write) -> u8 {
    let loaded = match load_policy(&args.policy.filename) {
        Ok(l) => l,
        Err(e) => return report_error(e),
    };
    let groups: Vec<&str> = args.groups.iter().map(String::as_str).collect();
    let user = args.user.as_deref().map(|name| User {
        name,
        groups: &groups,
    });
    let name = args.name.as_deref().unwrap_or("");
    let request = if args.resource.starts_with('/') {
        Request::non_resource(user, &args.verb, &args.resource)
    } else {
        let (resource, subresource) = args
            .resource
            .split_once('/')
            .unwrap_or((args.resource.as_str(), ""));
        let (resource, group) = resource.split_once('.').unwrap_or((resource, ""));
        // A request on one Namespace object has that name as its namespace.
        let namespace = match (&args.namespace, resource) {
            (Some(ns), _) => ns.as_str(),
            (None, "namespaces") => name,
            (None, _) => "",
        };
        Request::resource(
            user,
            &args.verb,
            group,
            resource,
            subresource,
            namespace,
            name,
        )
    };
    let d = loaded.policy.evaluate(&request);
    let stages: Vec<&str> = d.omit_stages.iter().map(|s| s.as_str()).collect();
    match args.policy.output {
        Format::Text => {
            let rule = d
                .matched_rule
                .map_or_else(|| "no rule matches".to_owned(), |i| format!("rules[{i}]"));
            let mut s = format!("{}  ({rule})\n", d.level);
            if !stages.is_empty() {
                let _ = writeln!(s, "omitStages: {}", stages.join(", "));
            }
            if d.omit_managed_fields {
                s.push_str("omitManagedFields: true\n");
            }
            write_text(out, &s)
        }
        format => output::write_value(
            out,
            format,
            &json!({
                "level": d.level.as_str(),
                "omitStages": stages,
                "omitManagedFields": d.omit_managed_fields,
                "matchedRule": d.matched_rule,
            }),
        ),
    }
}

fn finding_json(f: &Finding) -> Value {
    json!({"id": f.id, "name": f.name, "severity": f.severity.as_str(), "rule": f.rule, "message": f.message})
}

fn run_lint(args: &LintArgs, out: &mut dyn Write) -> u8 {
    let Some(fail_on) = Severity::parse(&args.fail_on) else {
        return report_error(format!(
            "invalid --fail-on `{}`: expected low, medium or high",
            args.fail_on
        ));
    };
    let loaded = match load_policy(&args.policy.filename) {
        Ok(l) => l,
        Err(e) => return report_error(e),
    };
    let findings = lint(&loaded.policy);
    let written = match args.policy.output {
        Format::Text => {
            let mut s = String::new();
            for f in &findings {
                let _ = writeln!(s, "{f}");
            }
            let _ = writeln!(s, "{} findings", findings.len());
            write_text(out, &s)
        }
        format => output::write_value(
            out,
            format,
            &json!({"findings": findings.iter().map(finding_json).collect::<Vec<_>>()}),
        ),
    };
    if written != EXIT_OK {
        return written;
    }
    if findings.iter().any(|f| f.severity >= fail_on) {
        EXIT_VIOLATIONS
    } else {
        EXIT_OK
    }
}

fn table(args: &TableArgs, out: &mut dyn Write) -> u8 {
    let loaded = match load_policy(&args.policy.filename) {
        Ok(l) => l,
        Err(e) => return report_error(e),
    };
    let groups: Vec<&str> = if args.groups.is_empty() {
        vec!["system:authenticated"]
    } else {
        args.groups.iter().map(String::as_str).collect()
    };
    let rows = coverage(
        &loaded.policy,
        User {
            name: &args.user,
            groups: &groups,
        },
    );
    match args.policy.output {
        Format::Text => {
            let width = rows.iter().map(|r| r.spec.label.len()).max().unwrap_or(0) + 2;
            let mut s = format!("{:width$}", "");
            for v in VERBS {
                let _ = write!(s, "{v:<20} ");
            }
            s = s.trim_end().to_owned();
            s.push('\n');
            for row in &rows {
                let label = match row.spec.subject {
                    palisade::audit::table::Subject::Anonymous
                        if !row.spec.label.starts_with("anonymous") =>
                    {
                        format!("anonymous {}", row.spec.label)
                    }
                    _ => row.spec.label.to_owned(),
                };
                let mut line = format!("{label:width$}");
                for cell in &row.cells {
                    let text = cell.map_or_else(
                        || "-".to_owned(),
                        |c| match c.matched_rule {
                            Some(i) => format!("{} [{i}]", c.level),
                            None => format!("{} [-]", c.level),
                        },
                    );
                    let _ = write!(line, "{text:<20} ");
                }
                let _ = writeln!(s, "{}", line.trim_end());
            }
            write_text(out, &s)
        }
        format => {
            let rows: Vec<Value> = rows
                .iter()
                .map(|row| {
                    let cells: serde_json::Map<String, Value> = VERBS
                        .iter()
                        .zip(&row.cells)
                        .map(|(v, c)| {
                            (
                                (*v).to_owned(),
                                c.map_or(Value::Null, |c| {
                                    json!({"level": c.level.as_str(), "matchedRule": c.matched_rule})
                                }),
                            )
                        })
                        .collect();
                    json!({
                        "class": row.spec.label,
                        "anonymous": row.spec.subject == palisade::audit::table::Subject::Anonymous,
                        "cells": cells,
                    })
                })
                .collect();
            output::write_value(out, format, &json!({"rows": rows}))
        }
    }
}

/// Lints every audit Policy among `manifests` for `palisade check`: the text section (empty
/// when there is no policy) and the JSON value of the `audit` key.
pub(crate) fn check_section(manifests: &[Manifest]) -> (String, Value) {
    let mut text = String::new();
    let mut policies = Vec::new();
    for m in manifests.iter().filter(|m| load::is_audit_policy(&m.value)) {
        let source = m.origin.to_string();
        match Policy::from_value(&m.value) {
            Ok(loaded) => {
                let findings = lint(&loaded.policy);
                let _ = writeln!(text, "audit policy {source}: {} findings", findings.len());
                for f in &findings {
                    let _ = writeln!(text, "  {f}");
                }
                policies.push(json!({
                    "source": source,
                    "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
                }));
            }
            Err(e) => {
                let _ = writeln!(text, "audit policy {source}: invalid: {e}");
                policies.push(json!({"source": source, "error": e.to_string()}));
            }
        }
    }
    if !text.is_empty() {
        text.push('\n');
    }
    (text, json!({"policies": policies}))
}
