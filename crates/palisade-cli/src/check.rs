//! `palisade check DIR` and `palisade pss check -f …`: Pod Security Standards over manifests,
//! reported per namespace.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use palisade::core::load::Manifest;
use palisade::pss::config::Config;
use palisade::pss::labels::Policy;
use palisade::pss::scan::{Mode, ScanOptions, ScanReport, scan};
use palisade::pss::{Evaluator, KubernetesVersion, Level, LevelVersion, Version};
use serde_json::{Value, json};

use crate::{EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, Format, InputArgs, input, output, report_error};

/// Output of `check` and `pss check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CheckFormat {
    /// For people: a section per area.
    #[default]
    Text,
    /// JSON: every area's findings.
    Json,
    /// YAML: the same as JSON.
    Yaml,
    /// SARIF 2.1.0, for code scanning in CI.
    Sarif,
}

/// Options shared by `check` and `pss check`.
#[derive(Debug, Clone, Args)]
pub(crate) struct CommonArgs {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = CheckFormat::Text)]
    output: CheckFormat,
    /// Emulate this Kubernetes version (`1.N`): `latest` and newer policy versions are capped at it.
    #[arg(long = "kubernetes-version", value_name = "1.N")]
    kubernetes_version: Option<String>,
    /// A PodSecurityConfiguration (defaults and exemptions), as given to the API server.
    #[arg(long = "config", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Apply API defaulting before evaluating (a volume without a source becomes emptyDir, …).
    #[arg(long)]
    defaulting: bool,
}

/// `palisade check DIR`.
#[derive(Debug, Clone, Args)]
pub(crate) struct CheckArgs {
    /// A directory of manifests (or a single file, or `-` for stdin).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

/// `palisade pss check`.
#[derive(Debug, Clone, Args)]
pub(crate) struct PssCheckArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Evaluate every object at this level instead of its namespace's labels.
    #[arg(long, value_name = "privileged|baseline|restricted")]
    level: Option<String>,
    /// The policy version for `--level` (`v1.N` or `latest`).
    #[arg(
        long,
        value_name = "v1.N|latest",
        default_value = "latest",
        requires = "level"
    )]
    version: String,
    #[command(flatten)]
    common: CommonArgs,
}

pub(crate) fn run_check(args: &CheckArgs, out: &mut dyn Write) -> u8 {
    run(
        std::slice::from_ref(&args.dir),
        None,
        &args.common,
        Areas::All,
        out,
    )
}

pub(crate) fn run_pss_check(args: &PssCheckArgs, out: &mut dyn Write) -> u8 {
    let level_version = match &args.level {
        None => None,
        Some(level) => {
            let level = match Level::parse(level) {
                Ok(l) => l,
                Err(e) => return report_error(format!("invalid --level `{level}`: {e}")),
            };
            match Version::parse(&args.version) {
                Ok(v) => Some(LevelVersion::new(level, v)),
                Err(e) => {
                    return report_error(format!("invalid --version `{}`: {e}", args.version));
                }
            }
        }
    };
    run(
        &args.input.filename,
        level_version,
        &args.common,
        Areas::PssOnly,
        out,
    )
}

fn options(
    common: &CommonArgs,
    level_version: Option<LevelVersion>,
) -> Result<ScanOptions, String> {
    let evaluator = match &common.kubernetes_version {
        Some(v) => {
            Evaluator::for_kubernetes(KubernetesVersion::parse(v).map_err(|e| e.to_string())?)
        }
        None => Evaluator::new(),
    };
    let config = match &common.config {
        None => Config::default(),
        Some(path) => {
            let manifests = input::load(std::slice::from_ref(path))?;
            let [manifest] = manifests.as_slice() else {
                return Err(format!(
                    "{}: expected one PodSecurityConfiguration",
                    path.display()
                ));
            };
            Config::from_value(&manifest.value).map_err(|e| format!("{}: {e}", path.display()))?
        }
    };
    Ok(ScanOptions {
        evaluator,
        config,
        level_version,
        defaulting: common.defaulting,
        default_namespace: None,
    })
}

/// Which areas a run reports: `palisade check` reports every area, `palisade pss check` PSS only.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Areas {
    All,
    PssOnly,
}

fn run(
    paths: &[PathBuf],
    level_version: Option<LevelVersion>,
    common: &CommonArgs,
    areas: Areas,
    out: &mut dyn Write,
) -> u8 {
    let options = match options(common, level_version) {
        Ok(o) => o,
        Err(e) => return report_error(e),
    };
    let manifests = match input::load(paths) {
        Ok(m) => m,
        Err(e) => return report_error(e),
    };
    progress(&format!("{} objects read", manifests.len()));
    let values: Vec<Value> = manifests.iter().map(|m| m.value.clone()).collect();
    progress("Pod Security Standards");
    let report = scan(&values, &options);
    // Audit policies among the manifests are linted; their section comes first so the PSS
    // summary stays the last line.
    let audit = (areas == Areas::All).then(|| {
        progress("audit policies");
        crate::audit::check_section(&manifests)
    });
    // RBAC risk findings and lint, also before the PSS summary; high or critical findings fail.
    let rbac = (areas == Areas::All).then(|| {
        progress("RBAC");
        crate::rbac::check_section(&manifests)
    });
    // ValidatingAdmissionPolicies in the dump applied to its objects; a denial fails.
    let vap = (areas == Areas::All).then(|| {
        progress("admission policies");
        crate::vap::check_section(&manifests)
    });
    // NetworkPolicy lint findings.
    let netpol = (areas == Areas::All).then(|| {
        progress("NetworkPolicies");
        crate::netpol::check_section(&manifests)
    });
    progress_done();
    let written = match common.output {
        CheckFormat::Text => {
            let audit_text = audit
                .as_ref()
                .map(|(text, _)| text.as_str())
                .unwrap_or_default();
            let netpol_text = netpol
                .as_ref()
                .map(|(text, _)| text.as_str())
                .unwrap_or_default();
            let rbac_text = rbac
                .as_ref()
                .map(|(text, _, _)| text.as_str())
                .unwrap_or_default();
            let vap_text = vap
                .as_ref()
                .map(|(text, _, _)| text.as_str())
                .unwrap_or_default();
            let pss_text = render_text(&report, &manifests, level_version.is_some());
            out.write_all(
                format!("{audit_text}{rbac_text}{netpol_text}{vap_text}{pss_text}").as_bytes(),
            )
            .is_ok()
        }
        format => {
            let mut report_json = json!({ "pss": to_json(&report, &manifests) });
            if let (Some((_, audit_json)), Some(fields)) = (audit, report_json.as_object_mut()) {
                fields.insert("audit".into(), audit_json);
            }
            if let (Some((_, rbac_json, _)), Some(fields)) = (&rbac, report_json.as_object_mut()) {
                fields.insert("rbac".into(), rbac_json.clone());
            }
            if let (Some((_, vap_json, _)), Some(fields)) = (&vap, report_json.as_object_mut()) {
                fields.insert("admissionPolicies".into(), vap_json.clone());
            }
            if let (Some((_, netpol_json)), Some(fields)) = (netpol, report_json.as_object_mut()) {
                fields.insert("netpol".into(), netpol_json);
            }
            match format {
                CheckFormat::Sarif => {
                    let sarif = crate::check_sarif::check_sarif(&report_json);
                    output::write_value(out, Format::Json, &sarif) == EXIT_OK
                }
                CheckFormat::Yaml => {
                    output::write_value(out, Format::Yaml, &report_json) == EXIT_OK
                }
                _ => output::write_value(out, Format::Json, &report_json) == EXIT_OK,
            }
        }
    };
    if !written {
        return EXIT_USAGE;
    }
    if !report.errors.is_empty() {
        EXIT_USAGE
    } else if report.violates_enforce()
        || rbac.as_ref().is_some_and(|(_, _, fail)| *fail)
        || vap.as_ref().is_some_and(|(_, _, fail)| *fail)
    {
        EXIT_VIOLATIONS
    } else {
        EXIT_OK
    }
}

/// Shows on stderr, when it is a terminal, which stage a long run is in (each line replaces
/// the previous one); nothing when stderr is redirected, so CI logs and pipes stay clean.
fn progress(stage: &str) {
    use std::io::IsTerminal;
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[2Kpalisade check: {stage}…");
        let _ = err.flush();
    }
}

/// Clears the progress line.
fn progress_done() {
    use std::io::IsTerminal;
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}

fn source(manifests: &[Manifest], index: usize) -> String {
    manifests
        .get(index)
        .map(|m| m.origin.to_string())
        .unwrap_or_default()
}

fn policy_text(policy: &Policy) -> String {
    format!(
        "enforce={}, warn={}, audit={}",
        policy.enforce, policy.warn, policy.audit
    )
}

fn modes_text(modes: &[Mode]) -> String {
    modes
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join("+")
}

fn render_text(report: &ScanReport, manifests: &[Manifest], fixed_level: bool) -> String {
    let mut s = String::new();
    let (mut objects, mut enforce, mut other, mut exempt) = (0, 0, 0, 0);
    for ns in &report.namespaces {
        if ns.objects.is_empty() && ns.label_errors.is_empty() {
            continue;
        }
        let policy = if fixed_level {
            String::new()
        } else {
            format!(" ({})", policy_text(&ns.policy))
        };
        let missing = if ns.found || fixed_level {
            ""
        } else {
            " [no Namespace object in input: default policy]"
        };
        let _ = writeln!(s, "namespace {}{policy}{missing}", ns.name);
        for e in &ns.label_errors {
            let _ = writeln!(s, "  invalid label: {e}");
        }
        for o in &ns.objects {
            objects += 1;
            let id = format!("{}/{}/{}", ns.name, o.kind, o.name);
            if let Some(ex) = o.exemption {
                exempt += 1;
                let _ = writeln!(s, "  {id}  exempt ({})", ex.as_str());
                continue;
            }
            if o.violates_enforce() {
                enforce += 1;
            } else if !o.violations.is_empty() {
                other += 1;
            }
            for v in &o.violations {
                let lv = v.evaluation.level_version();
                let modes = if fixed_level {
                    String::new()
                } else {
                    format!("{} ", modes_text(&v.modes))
                };
                for (check, f) in v.evaluation.failures() {
                    let detail = if f.detail.is_empty() {
                        f.reason.to_owned()
                    } else {
                        format!("{} ({})", f.reason, f.detail)
                    };
                    let _ = writeln!(s, "  {id}  {modes}{lv}  {check}  {detail}");
                }
            }
        }
    }
    for e in &report.errors {
        let _ = writeln!(s, "error: {}: {}", source(manifests, e.index), e.error);
    }
    let namespaces = report
        .namespaces
        .iter()
        .filter(|n| !n.objects.is_empty())
        .count();
    let _ = write!(
        s,
        "\n{objects} pods and workloads in {namespaces} namespaces: {enforce} violate {}",
        if fixed_level {
            "the given level"
        } else {
            "their enforce level"
        }
    );
    if !fixed_level {
        let _ = write!(s, ", {other} violate only warn or audit");
    }
    let _ = writeln!(s, ", {exempt} exempt, {} unreadable", report.errors.len());
    s
}

fn to_json(report: &ScanReport, manifests: &[Manifest]) -> Value {
    let namespaces: Vec<Value> = report
        .namespaces
        .iter()
        .map(|ns| {
            let objects: Vec<Value> = ns
                .objects
                .iter()
                .map(|o| {
                    let violations: Vec<Value> = o
                        .violations
                        .iter()
                        .map(|v| {
                            let checks: Vec<Value> = v
                                .evaluation
                                .failures()
                                .map(|(id, f)| json!({"check": id.as_str(), "forbiddenReason": f.reason, "forbiddenDetail": f.detail}))
                                .collect();
                            json!({
                                "modes": v.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                                "levelVersion": v.evaluation.level_version().to_string(),
                                "forbiddenReason": v.evaluation.forbidden_reason(),
                                "forbiddenDetail": v.evaluation.forbidden_detail(),
                                "checks": checks,
                            })
                        })
                        .collect();
                    let mut obj = json!({
                        "kind": o.kind.as_str(),
                        "name": o.name,
                        "source": source(manifests, o.index),
                        "allowed": !o.violates_enforce(),
                        "violations": violations,
                    });
                    if let (Some(ex), Some(fields)) = (o.exemption, obj.as_object_mut()) {
                        fields.insert("exempt".into(), ex.as_str().into());
                    }
                    obj
                })
                .collect();
            json!({
                "name": ns.name,
                "found": ns.found,
                "policy": {
                    "enforce": ns.policy.enforce.to_string(),
                    "warn": ns.policy.warn.to_string(),
                    "audit": ns.policy.audit.to_string(),
                },
                "labelErrors": ns.label_errors.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
                "objects": objects,
            })
        })
        .collect();
    let errors: Vec<Value> = report
        .errors
        .iter()
        .map(|e| json!({"source": source(manifests, e.index), "error": e.error.to_string()}))
        .collect();
    json!({
        "allowed": !report.violates_enforce(),
        "namespaces": namespaces,
        "errors": errors,
    })
}
