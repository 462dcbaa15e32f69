//! `palisade rbac …`: can-i, who-can, rules, matrix, lint, analyze, paths and diff over RBAC
//! manifests or a cluster dump; and the RBAC section of `palisade check`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use palisade::core::load::Manifest;
use palisade::rbac::lint::{LintFinding, lint};
use palisade::rbac::paths::build_graph;
use palisade::rbac::query::{MatrixResource, matrix, subjects, user_for_subject};
use palisade::rbac::risk::{AnalyzeOptions, CATALOG, Finding, Severity, analyze};
use palisade::rbac::{Attributes, Authorizer, Cluster, Grant, Subject, UserInfo};
use serde_json::{Value, json};

use crate::sarif::{SarifResult, SarifRule, to_sarif};
use crate::{EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, Format, InputArgs, input, output, report_error};

/// Output formats of the rbac commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum RbacFormat {
    /// For people.
    #[default]
    Text,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// SARIF 2.1.0 (lint and analyze).
    Sarif,
    /// Graphviz DOT (paths).
    Dot,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Out {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = RbacFormat::Text)]
    output: RbacFormat,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Identity {
    /// The user to ask for (`system:serviceaccount:NS:NAME` for a ServiceAccount, which adds its
    /// groups). Users also get `system:authenticated`, as the API server adds it.
    #[arg(long = "as", value_name = "USER")]
    user: Option<String>,
    /// A group of the user. Repeatable.
    #[arg(long = "as-group", value_name = "GROUP")]
    groups: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Request {
    /// The verb (`get`, `list`, `create`, …).
    verb: String,
    /// `RESOURCE[.GROUP][/SUBRESOURCE]`, or a non-resource URL starting with `/`.
    resource: String,
    /// The object's name.
    name: Option<String>,
    /// The namespace (default: none, cluster scope).
    #[arg(short = 'n', long = "namespace", default_value = "")]
    namespace: String,
}

/// `palisade rbac`.
#[derive(Debug, Subcommand)]
pub(crate) enum RbacCommand {
    /// Whether a user may make a request (exit 0 yes, 1 no), with the authorizer's reason.
    CanI {
        #[command(flatten)]
        request: Request,
        #[command(flatten)]
        identity: Identity,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: Out,
    },
    /// Who may make a request: upstream's ordered list, deduplicated, with the granting chain.
    WhoCan {
        #[command(flatten)]
        request: Request,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: Out,
    },
    /// The rules a user holds in a namespace (SelfSubjectRulesReview), cluster and namespace
    /// scope apart.
    Rules {
        #[command(flatten)]
        identity: Identity,
        /// The namespace (default: none, cluster scope only).
        #[arg(short = 'n', long = "namespace", default_value = "")]
        namespace: String,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: Out,
    },
    /// An access matrix: subjects × resources × verbs in a namespace.
    Matrix {
        /// The namespace (default: none, cluster scope).
        #[arg(short = 'n', long = "namespace", default_value = "")]
        namespace: String,
        /// Resources (`pods`, `deployments.apps`, `pods/exec`), comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "pods,pods/exec,secrets,configmaps,services,deployments.apps,roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io"
        )]
        resources: Vec<String>,
        /// Verbs, comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "get,list,watch,create,update,patch,delete"
        )]
        verbs: Vec<String>,
        /// Only this subject (`User:NAME`, `Group:NAME`, `ServiceAccount:NS/NAME`).
        #[arg(long = "subject")]
        subject: Option<String>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: Out,
    },
    /// Rules and bindings that can never work as written.
    Lint {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: Out,
    },
    /// Risky grants from the risk catalog.
    Analyze {
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        analyze: AnalyzeArgs,
        /// Exit 1 when a finding is at or above this severity (default: high).
        #[arg(long = "fail-on", value_name = "SEVERITY", default_value = "high")]
        fail_on: String,
        #[command(flatten)]
        out: Out,
    },
    /// Escalation paths to cluster-admin-equivalent power.
    Paths {
        /// Only the path from this subject (`User:NAME`, `Group:NAME`, `ServiceAccount:NS/NAME`).
        #[arg(long = "from")]
        from: Option<String>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: Out,
    },
    /// Permissions gained and lost per subject between two dumps.
    Diff {
        /// The dump before.
        before: PathBuf,
        /// The dump after.
        after: PathBuf,
        #[command(flatten)]
        out: Out,
    },
}

#[derive(Debug, Clone, Args)]
pub(crate) struct AnalyzeArgs {
    /// Namespaces where a grant counts as cluster-wide. Repeatable (default: kube-system).
    #[arg(long = "privileged-namespace", value_name = "NS")]
    privileged_namespaces: Vec<String>,
    /// Report grants to the API server's own `system:` identities too.
    #[arg(long = "include-system")]
    include_system: bool,
}

impl AnalyzeArgs {
    fn options(&self) -> AnalyzeOptions {
        let mut o = AnalyzeOptions::default();
        if !self.privileged_namespaces.is_empty() {
            o.privileged_namespaces = self.privileged_namespaces.clone();
        }
        o.include_system = self.include_system;
        o
    }
}

fn load(paths: &[PathBuf]) -> Result<(Vec<Manifest>, Authorizer), String> {
    let manifests = input::load(paths)?;
    let cluster = Cluster::from_manifests(&manifests).map_err(|e| e.to_string())?;
    Ok((manifests, Authorizer::new(cluster)))
}

fn user(identity: &Identity) -> UserInfo {
    let name = identity.user.clone().unwrap_or_default();
    let mut u = match palisade::rbac::attributes::split_service_account(&name) {
        Some((ns, sa)) => UserInfo::service_account(ns, sa),
        None if name.is_empty() => UserInfo::default(),
        None => user_for_subject(&Subject::user(&name)),
    };
    for g in &identity.groups {
        if !u.groups.contains(g) {
            u.groups.push(g.clone());
        }
    }
    u
}

fn attributes(request: &Request, user: UserInfo) -> Attributes {
    if request.resource.starts_with('/') {
        return Attributes::non_resource(user, &request.verb, &request.resource);
    }
    let r = MatrixResource::parse(&request.resource);
    let mut a = r.request(user, &request.verb, &request.namespace);
    a.name = request.name.clone().unwrap_or_default();
    a
}

/// Parses `User:NAME`, `Group:NAME`, `ServiceAccount:NS/NAME`, a ServiceAccount username, or a
/// bare user name.
fn parse_subject(text: &str) -> Subject {
    if let Some((ns, name)) = palisade::rbac::attributes::split_service_account(text) {
        return Subject::service_account(ns, name);
    }
    match text.split_once(':') {
        Some(("User", n)) => Subject::user(n),
        Some(("Group", n)) => Subject::group(n),
        Some(("ServiceAccount", rest)) => {
            let (ns, name) = rest.split_once('/').unwrap_or(("default", rest));
            Subject::service_account(ns, name)
        }
        _ => Subject::user(text),
    }
}

fn write_text(out: &mut dyn Write, text: &str) -> bool {
    out.write_all(text.as_bytes()).is_ok()
}

fn emit(
    out: &mut dyn Write,
    format: RbacFormat,
    text: impl FnOnce() -> String,
    value: impl FnOnce() -> Value,
) -> bool {
    match format {
        RbacFormat::Text | RbacFormat::Dot | RbacFormat::Sarif => write_text(out, &text()),
        RbacFormat::Json => output::write_value(out, Format::Json, &value()) == EXIT_OK,
        RbacFormat::Yaml => output::write_value(out, Format::Yaml, &value()) == EXIT_OK,
    }
}

pub(crate) fn run(command: &RbacCommand, out: &mut dyn Write) -> u8 {
    match run_inner(command, out) {
        Ok(code) => code,
        Err(e) => report_error(e),
    }
}

fn run_inner(command: &RbacCommand, out: &mut dyn Write) -> Result<u8, String> {
    match command {
        RbacCommand::CanI {
            request,
            identity,
            input,
            out: o,
        } => {
            let (_, a) = load(&input.filename)?;
            let attrs = attributes(request, user(identity));
            let d = a.authorize(&attrs);
            let ok = emit(
                out,
                o.output,
                || {
                    let mut s = format!("{}\n", if d.allowed { "yes" } else { "no" });
                    if !d.reason.is_empty() {
                        let _ = writeln!(s, "{}", d.reason);
                    }
                    s
                },
                || json!({"allowed": d.allowed, "decision": d.decision(), "reason": d.reason, "user": attrs.user.name, "groups": attrs.user.groups}),
            );
            Ok(if !ok {
                EXIT_USAGE
            } else if d.allowed {
                EXIT_OK
            } else {
                EXIT_VIOLATIONS
            })
        }
        RbacCommand::WhoCan {
            request,
            input,
            out: o,
        } => {
            let (_, a) = load(&input.filename)?;
            let attrs = attributes(request, UserInfo::default());
            let who = a.who_can(&attrs, "");
            let grant_text = |g: &Grant| match g {
                Grant::PrivilegedGroup => {
                    "the API server's privileged group (bypasses RBAC)".to_owned()
                }
                Grant::SuperUser => "super user".to_owned(),
                Grant::Binding { binding, rule, .. } => {
                    palisade::rbac::risk::describe_chain(&a, *binding, Some(*rule))
                }
            };
            let ok = emit(
                out,
                o.output,
                || {
                    let mut s = String::new();
                    for g in &who.granted {
                        let _ = writeln!(s, "{}\t{}", g.subject.describe(""), grant_text(&g.grant));
                    }
                    if let Some(e) = who.error() {
                        let _ = writeln!(s, "error: {e}");
                    }
                    s
                },
                || {
                    json!({
                        "subjects": who.subjects.iter().map(Subject::to_json).collect::<Vec<_>>(),
                        "granted": who.granted.iter().map(|g| json!({"subject": g.subject.to_json(), "grant": grant_text(&g.grant)})).collect::<Vec<_>>(),
                        "evaluationError": who.error(),
                    })
                },
            );
            Ok(if ok { EXIT_OK } else { EXIT_USAGE })
        }
        RbacCommand::Rules {
            identity,
            namespace,
            input,
            out: o,
        } => {
            let (_, a) = load(&input.filename)?;
            let u = user(identity);
            let review = a.rules_review(&u, namespace);
            let line = |h: &palisade::rbac::query::HeldRule| {
                format!(
                    "{}\t({})",
                    h.rule.compact(),
                    palisade::rbac::risk::describe_chain(&a, h.source.binding, None)
                )
            };
            let to_json = |h: &palisade::rbac::query::HeldRule| json!({"rule": h.rule.to_json(), "source": a.describe(&h.source)});
            let ok = emit(
                out,
                o.output,
                || {
                    let mut s = String::from("cluster-wide (ClusterRoleBindings):\n");
                    for h in &review.cluster {
                        let _ = writeln!(s, "  {}", line(h));
                    }
                    if !namespace.is_empty() {
                        let _ = writeln!(s, "in namespace {namespace} (RoleBindings):");
                        for h in &review.namespace {
                            let _ = writeln!(s, "  {}", line(h));
                        }
                    }
                    if let Some(e) = review.evaluation_error() {
                        let _ = writeln!(s, "evaluationError: {e}");
                    }
                    s
                },
                || {
                    json!({
                        "cluster": review.cluster.iter().map(to_json).collect::<Vec<_>>(),
                        "namespace": review.namespace.iter().map(to_json).collect::<Vec<_>>(),
                        "evaluationError": review.evaluation_error(),
                    })
                },
            );
            Ok(if ok { EXIT_OK } else { EXIT_USAGE })
        }
        RbacCommand::Matrix {
            namespace,
            resources,
            verbs,
            subject,
            input,
            out: o,
        } => {
            let (_, a) = load(&input.filename)?;
            let subs = match subject {
                Some(s) => vec![parse_subject(s)],
                None => subjects(&a),
            };
            let resources: Vec<MatrixResource> =
                resources.iter().map(|r| MatrixResource::parse(r)).collect();
            let m = matrix(&a, subs, resources, verbs.clone(), namespace);
            let ok = emit(
                out,
                o.output,
                || {
                    let mut s = String::new();
                    for (i, sub) in m.subjects.iter().enumerate() {
                        let _ = writeln!(s, "{}", sub.describe(""));
                        for (j, r) in m.resources.iter().enumerate() {
                            let allowed: Vec<&str> = m
                                .verbs
                                .iter()
                                .enumerate()
                                .filter(|(k, _)| {
                                    m.allowed
                                        .get(i)
                                        .and_then(|x| x.get(j))
                                        .and_then(|x| x.get(*k))
                                        .copied()
                                        .unwrap_or(false)
                                })
                                .map(|(_, v)| v.as_str())
                                .collect();
                            let name = if r.api_group.is_empty() {
                                r.resource.clone()
                            } else {
                                format!("{}.{}", r.resource, r.api_group)
                            };
                            let _ = writeln!(
                                s,
                                "  {name:<40} {}",
                                if allowed.is_empty() {
                                    "-".to_owned()
                                } else {
                                    allowed.join(",")
                                }
                            );
                        }
                    }
                    s
                },
                || {
                    json!({
                        "namespace": namespace,
                        "verbs": m.verbs,
                        "resources": m.resources.iter().map(|r| json!({"apiGroup": r.api_group, "resource": r.resource})).collect::<Vec<_>>(),
                        "subjects": m.subjects.iter().map(Subject::to_json).collect::<Vec<_>>(),
                        "allowed": m.allowed,
                    })
                },
            );
            Ok(if ok { EXIT_OK } else { EXIT_USAGE })
        }
        RbacCommand::Lint { input, out: o } => {
            let (_, a) = load(&input.filename)?;
            let findings = lint(&a);
            let ok = match o.output {
                RbacFormat::Sarif => {
                    output::write_value(out, Format::Json, &lint_sarif(&findings)) == EXIT_OK
                }
                f => emit(
                    out,
                    f,
                    || lint_text(&findings),
                    || json!({"findings": findings.iter().map(lint_json).collect::<Vec<_>>()}),
                ),
            };
            Ok(if !ok {
                EXIT_USAGE
            } else if findings.is_empty() {
                EXIT_OK
            } else {
                EXIT_VIOLATIONS
            })
        }
        RbacCommand::Analyze {
            input,
            analyze: args,
            fail_on,
            out: o,
        } => {
            let Some(threshold) = Severity::parse(fail_on) else {
                return Err(format!(
                    "invalid --fail-on `{fail_on}`: expected low, medium, high or critical"
                ));
            };
            let (_, a) = load(&input.filename)?;
            let findings = analyze(&a, &args.options());
            let ok = match o.output {
                RbacFormat::Sarif => {
                    output::write_value(out, Format::Json, &risk_sarif(&a, &findings)) == EXIT_OK
                }
                f => emit(
                    out,
                    f,
                    || risk_text(&findings),
                    || json!({"findings": findings.iter().map(|f| finding_json(&a, f)).collect::<Vec<_>>()}),
                ),
            };
            let fail = findings.iter().any(|f| f.severity >= threshold);
            Ok(if !ok {
                EXIT_USAGE
            } else if fail {
                EXIT_VIOLATIONS
            } else {
                EXIT_OK
            })
        }
        RbacCommand::Paths {
            from,
            input,
            out: o,
        } => {
            let (_, a) = load(&input.filename)?;
            let graph = build_graph(&a);
            let all = graph.paths_to_admin();
            let starts: Vec<usize> = match from {
                Some(s) => vec![
                    graph
                        .node_of(&parse_subject(s))
                        .ok_or_else(|| format!("subject `{s}` is not in the input"))?,
                ],
                None => (0..graph.nodes.len()).collect(),
            };
            let mut found = false;
            let ok = match o.output {
                RbacFormat::Dot => write_text(out, &graph.to_dot()),
                RbacFormat::Json | RbacFormat::Yaml => {
                    let mut v = graph.to_json();
                    let paths: Vec<Value> = starts
                        .iter()
                        .filter_map(|&i| {
                            let p = all.get(i)?.as_ref()?;
                            found = true;
                            Some(json!({"from": i, "edges": p}))
                        })
                        .collect();
                    if let Some(m) = v.as_object_mut() {
                        m.insert("paths".into(), paths.into());
                    }
                    let f = if o.output == RbacFormat::Json {
                        Format::Json
                    } else {
                        Format::Yaml
                    };
                    output::write_value(out, f, &v) == EXIT_OK
                }
                _ => {
                    let mut s = String::new();
                    for &i in &starts {
                        let Some(Some(path)) = all.get(i) else {
                            continue;
                        };
                        found = true;
                        let label = graph.nodes.get(i).map(|n| n.label()).unwrap_or_default();
                        let _ = writeln!(s, "{label} → cluster-admin in {} step(s):", path.len());
                        for (k, e) in path.iter().filter_map(|&e| graph.edges.get(e)).enumerate() {
                            let _ = writeln!(
                                s,
                                "  {}. {} {}",
                                k + 1,
                                graph
                                    .nodes
                                    .get(e.from)
                                    .map(|n| n.label())
                                    .unwrap_or_default(),
                                e.explanation
                            );
                        }
                    }
                    if !found {
                        s.push_str("no path to cluster-admin\n");
                    }
                    write_text(out, &s)
                }
            };
            let _ = found;
            Ok(if ok { EXIT_OK } else { EXIT_USAGE })
        }
        RbacCommand::Diff {
            before,
            after,
            out: o,
        } => {
            let (_, a) = load(std::slice::from_ref(before))?;
            let (_, b) = load(std::slice::from_ref(after))?;
            let d = palisade::rbac::diff::diff(&a, &b);
            let ok = emit(
                out,
                o.output,
                || {
                    let mut s = String::new();
                    for sd in &d {
                        let _ = writeln!(s, "{}", sd.subject.describe(""));
                        for p in &sd.gained {
                            let _ = writeln!(s, "  + {} {}", scope(&p.namespace), p.rule);
                        }
                        for p in &sd.lost {
                            let _ = writeln!(s, "  - {} {}", scope(&p.namespace), p.rule);
                        }
                    }
                    if d.is_empty() {
                        s.push_str("no permission changes\n");
                    }
                    s
                },
                || {
                    let perm = |p: &palisade::rbac::diff::Permission| json!({"namespace": p.namespace, "rule": p.rule});
                    json!({"subjects": d.iter().map(|sd| json!({
                        "subject": sd.subject.to_json(),
                        "gained": sd.gained.iter().map(perm).collect::<Vec<_>>(),
                        "lost": sd.lost.iter().map(perm).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>()})
                },
            );
            Ok(if !ok {
                EXIT_USAGE
            } else if d.is_empty() {
                EXIT_OK
            } else {
                EXIT_VIOLATIONS
            })
        }
    }
}

fn scope(ns: &str) -> String {
    if ns.is_empty() {
        "[cluster]".into()
    } else {
        format!("[{ns}]")
    }
}

fn lint_text(findings: &[LintFinding]) -> String {
    let mut s = String::new();
    for f in findings {
        let _ = writeln!(s, "{} {} {}: {}", f.id, f.object, f.field, f.message);
    }
    let _ = writeln!(s, "{} lint findings", findings.len());
    s
}

fn lint_json(f: &LintFinding) -> Value {
    json!({"id": f.id, "object": f.object, "source": f.origin, "field": f.field, "message": f.message})
}

fn lint_sarif(findings: &[LintFinding]) -> Value {
    let mut ids: Vec<&str> = findings.iter().map(|f| f.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let rules: Vec<SarifRule> = ids
        .iter()
        .map(|id| SarifRule {
            id: (*id).into(),
            title: (*id).into(),
            description: "RBAC lint: a rule or binding that can never work as written".into(),
            help: "See palisade-rbac's lint module for every ID.".into(),
            help_uri: None,
            level: "warning",
        })
        .collect();
    let results: Vec<SarifResult> = findings
        .iter()
        .map(|f| SarifResult {
            rule_id: f.id.into(),
            level: "warning",
            message: format!("{} {}: {}", f.object, f.field, f.message),
            uri: f.origin.clone(),
            logical: Some(f.object.clone()),
            properties: json!({"field": f.field}),
        })
        .collect();
    to_sarif("palisade rbac lint", &rules, &results)
}

fn risk_text(findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let _ = writeln!(s, "{:<8} {} {}", f.severity.as_str(), f.rule.id, f.message);
    }
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    let _ = writeln!(
        s,
        "{} risk findings: {} critical, {} high, {} medium, {} low",
        findings.len(),
        count(Severity::Critical),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    );
    s
}

fn finding_json(a: &Authorizer, f: &Finding) -> Value {
    let b = a.binding(f.binding);
    json!({
        "id": f.rule.id,
        "severity": f.severity.as_str(),
        "title": f.rule.title,
        "subject": f.subject.to_json(),
        "namespace": f.namespace,
        "binding": b.map(|b| b.display()),
        "role": b.map(|b| b.role_display()),
        "rule": f.rule_index.and_then(|i| a.binding_role(f.binding).ok().and_then(|r| a.role_rules(r).get(i)).map(|r| json!({"index": i, "rule": r.to_json()}))),
        "source": b.and_then(|b| b.origin.clone()),
        "message": f.message,
        "explanation": f.rule.explanation,
        "remediation": f.rule.remediation,
        "reference": f.rule.reference,
    })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn risk_sarif(a: &Authorizer, findings: &[Finding]) -> Value {
    let rules: Vec<SarifRule> = CATALOG
        .iter()
        .map(|r| SarifRule {
            id: r.id.into(),
            title: r.title.into(),
            description: r.explanation.into(),
            help: r.remediation.into(),
            help_uri: Some(r.reference.into()),
            level: sarif_level(r.severity),
        })
        .collect();
    let results: Vec<SarifResult> = findings
        .iter()
        .map(|f| {
            let b = a.binding(f.binding);
            SarifResult {
                rule_id: f.rule.id.into(),
                level: sarif_level(f.severity),
                message: f.message.clone(),
                uri: b.and_then(|b| b.origin.clone()),
                logical: b.map(|b| b.display()),
                properties: json!({"severity": f.severity.as_str(), "subject": f.subject.key()}),
            }
        })
        .collect();
    to_sarif("palisade rbac analyze", &rules, &results)
}

/// The RBAC section of `palisade check`: risk findings and lint over the manifests' RBAC
/// objects, and whether a finding is high or critical. Empty when there are no RBAC objects.
pub(crate) fn check_section(manifests: &[Manifest]) -> (String, Value, bool) {
    let cluster = match Cluster::from_manifests(manifests) {
        Ok(c) => c,
        Err(e) => {
            return (
                format!("rbac: cannot load: {e}\n\n"),
                json!({"error": e.to_string()}),
                false,
            );
        }
    };
    if !cluster.has_rbac() {
        return (String::new(), json!({"findings": [], "lint": []}), false);
    }
    let a = Authorizer::new(cluster);
    let findings = analyze(&a, &AnalyzeOptions::default());
    let lints = lint(&a);
    let mut text = String::new();
    for f in &findings {
        let _ = writeln!(
            text,
            "  {:<8} {} {}",
            f.severity.as_str(),
            f.rule.id,
            f.message
        );
    }
    for f in &lints {
        let _ = writeln!(
            text,
            "  lint     {} {} {}: {}",
            f.id, f.object, f.field, f.message
        );
    }
    let count = |sev: Severity| findings.iter().filter(|f| f.severity == sev).count();
    let header = format!(
        "rbac: {} risk findings ({} critical, {} high, {} medium, {} low), {} lint findings\n",
        findings.len(),
        count(Severity::Critical),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low),
        lints.len()
    );
    let fail = findings.iter().any(|f| f.severity >= Severity::High);
    (
        format!("{header}{text}\n"),
        json!({
            "findings": findings.iter().map(|f| finding_json(&a, f)).collect::<Vec<_>>(),
            "lint": lints.iter().map(lint_json).collect::<Vec<_>>(),
        }),
        fail,
    )
}
