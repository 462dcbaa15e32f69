//! `palisade netpol can-reach|explain|matrix|lint|diff`: NetworkPolicy reachability over a
//! directory of manifests, and the netpol section of `palisade check`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use palisade::core::load::Manifest;
use palisade::netpol::lint::{Finding, Severity, lint};
use palisade::netpol::load::{Loaded, ObjectKind, load, object_kind};
use palisade::netpol::matrix::{PortProtocol, declared_ports, matrix};
use palisade::netpol::{Connection, Endpoint, Protocol, diff, eval, render};
use serde_json::{Value, json};

use crate::{EXIT_OK, EXIT_VIOLATIONS, Format, InputArgs, input, output, report_error};

/// `palisade netpol …`.
#[derive(Debug, Subcommand)]
pub(crate) enum NetpolCommand {
    /// Whether SRC can open a connection to DST on a port (exit 0 yes, 1 no).
    CanReach(ConnectionArgs),
    /// Like can-reach, with which policies select each end and which rule decided.
    Explain(ConnectionArgs),
    /// Who reaches whom: every pod (or workload) × every pod × each port.
    Matrix(MatrixArgs),
    /// Lint the policies against the dump: no-op policies and peers, unresolved named ports,
    /// shadowed rules, the policyTypes trap, namespaces without a default-deny.
    Lint(LintArgs),
    /// The connections a change of policies opens (+) or closes (-), over AFTER's pods.
    Diff(DiffArgs),
}

/// `can-reach` and `explain`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ConnectionArgs {
    /// The source: `namespace/pod` (or workload name), or an IP address outside the cluster.
    src: String,
    /// The destination: `namespace/pod` (or workload name), or an IP address.
    dst: String,
    /// The destination port.
    #[arg(long, short = 'p')]
    port: u16,
    /// The protocol.
    #[arg(long, default_value = "TCP", value_name = "TCP|UDP|SCTP")]
    protocol: String,
    #[command(flatten)]
    input: InputArgs,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

/// `-o` of `matrix`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum MatrixFormat {
    /// A table per port.
    #[default]
    Text,
    /// JSON.
    Json,
    /// Graphviz DOT.
    Dot,
    /// A self-contained HTML page.
    Html,
}

/// `matrix`.
#[derive(Debug, Clone, Args)]
pub(crate) struct MatrixArgs {
    #[command(flatten)]
    input: InputArgs,
    /// A port: `80`, `80/UDP` or `UDP/80`. Repeatable; default: every container port the pods declare.
    #[arg(long, short = 'p', value_name = "PORT[/PROTOCOL]")]
    port: Vec<String>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = MatrixFormat::Text)]
    output: MatrixFormat,
}

/// `lint`.
#[derive(Debug, Clone, Args)]
pub(crate) struct LintArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Exit 1 when a finding has at least this severity.
    #[arg(
        long = "fail-on",
        value_name = "low|medium|high",
        default_value = "high"
    )]
    fail_on: String,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

/// `diff`.
#[derive(Debug, Clone, Args)]
pub(crate) struct DiffArgs {
    /// The manifests before the change (file or directory).
    before: PathBuf,
    /// The manifests after the change; its pods and namespaces are the endpoints.
    after: PathBuf,
    /// A port: `80`, `80/UDP` or `UDP/80`. Repeatable; default: every container port declared.
    #[arg(long, short = 'p', value_name = "PORT[/PROTOCOL]")]
    port: Vec<String>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

pub(crate) fn run(command: &NetpolCommand, out: &mut dyn Write) -> u8 {
    let result = match command {
        NetpolCommand::CanReach(args) => connection(args, false, out),
        NetpolCommand::Explain(args) => connection(args, true, out),
        NetpolCommand::Matrix(args) => run_matrix(args, out),
        NetpolCommand::Lint(args) => run_lint(args, out),
        NetpolCommand::Diff(args) => run_diff(args, out),
    };
    result.unwrap_or_else(report_error)
}

fn load_paths(paths: &[PathBuf]) -> Result<Loaded, String> {
    let manifests = input::load(paths)?;
    let loaded = load(manifests.iter().map(|m| &m.value));
    for e in &loaded.errors {
        eprintln!("warning: skipped: {e}");
    }
    Ok(loaded)
}

fn endpoint(loaded: &Loaded, text: &str) -> Result<Endpoint, String> {
    if let Ok(ip) = text.parse() {
        return Ok(Endpoint::Ip(ip));
    }
    loaded
        .endpoints
        .find(text)
        .map(Endpoint::Pod)
        .ok_or_else(|| {
            format!("no pod or workload `{text}` (expected namespace/name or an IP address)")
        })
}

fn protocol(text: &str) -> Result<Protocol, String> {
    Protocol::parse(&text.to_ascii_uppercase())
        .ok_or_else(|| format!("invalid protocol `{text}`: expected TCP, UDP or SCTP"))
}

fn parse_port(text: &str) -> Result<PortProtocol, String> {
    let (a, b) = text.split_once('/').unwrap_or((text, "TCP"));
    let (number, proto) = if a.bytes().all(|c| c.is_ascii_digit()) {
        (a, b)
    } else {
        (b, a)
    };
    let port: u16 = number.parse().ok().filter(|p| *p > 0).ok_or_else(|| {
        format!("invalid port `{text}`: expected 1-65535, optionally with /TCP, /UDP or /SCTP")
    })?;
    Ok((port, protocol(proto)?))
}

fn ports(args: &[String], loaded: &Loaded) -> Result<Vec<PortProtocol>, String> {
    if args.is_empty() {
        let declared = declared_ports(&loaded.endpoints);
        if declared.is_empty() {
            return Err("the pods declare no container ports: give --port".into());
        }
        return Ok(declared);
    }
    args.iter().map(|p| parse_port(p)).collect()
}

fn write_text(out: &mut dyn Write, text: &str) -> Result<(), String> {
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))
}

fn write_value(out: &mut dyn Write, format: Format, value: &Value) -> Result<(), String> {
    match output::write_value(out, format, value) {
        EXIT_OK => Ok(()),
        _ => Err("cannot write output".into()),
    }
}

fn connection(args: &ConnectionArgs, explain: bool, out: &mut dyn Write) -> Result<u8, String> {
    let loaded = load_paths(&args.input.filename)?;
    let c = Connection {
        from: endpoint(&loaded, &args.src)?,
        to: endpoint(&loaded, &args.dst)?,
        port: args.port,
        protocol: protocol(&args.protocol)?,
    };
    let v = eval::evaluate(&loaded.endpoints, &loaded.policies, &c);
    match args.output {
        Format::Text => {
            let head = format!(
                "{}: {} -> {} {}/{}\n",
                if v.allowed { "allowed" } else { "denied" },
                args.src,
                args.dst,
                c.protocol,
                c.port
            );
            let mut s = head;
            if explain {
                if v.loopback {
                    s.push_str("  a pod always reaches itself\n");
                }
                let _ = writeln!(s, "  {}", v.egress);
                let _ = writeln!(s, "  {}", v.ingress);
            }
            write_text(out, &s)?;
        }
        format => {
            let mut value = json!({"allowed": v.allowed});
            if explain && let Some(m) = value.as_object_mut() {
                m.insert("explanation".into(), v.explanation_json());
            }
            write_value(out, format, &value)?;
        }
    }
    Ok(if v.allowed { EXIT_OK } else { EXIT_VIOLATIONS })
}

fn run_matrix(args: &MatrixArgs, out: &mut dyn Write) -> Result<u8, String> {
    let loaded = load_paths(&args.input.filename)?;
    let ports = ports(&args.port, &loaded)?;
    let m = matrix(&loaded.endpoints, &loaded.policies, &ports);
    let ep = &loaded.endpoints;
    match args.output {
        MatrixFormat::Text => write_text(out, &render::text(&m, ep))?,
        MatrixFormat::Json => write_value(out, Format::Json, &render::json(&m, ep))?,
        MatrixFormat::Dot => write_text(out, &render::dot(&m, ep))?,
        MatrixFormat::Html => write_text(out, &render::html(&m, ep))?,
    }
    Ok(EXIT_OK)
}

fn finding_json(f: &Finding) -> Value {
    json!({"id": f.id, "name": f.name, "severity": f.severity.as_str(), "object": f.object, "message": f.message})
}

fn run_lint(args: &LintArgs, out: &mut dyn Write) -> Result<u8, String> {
    let fail_on = Severity::parse(&args.fail_on).ok_or_else(|| {
        format!(
            "invalid --fail-on `{}`: expected low, medium or high",
            args.fail_on
        )
    })?;
    let loaded = load_paths(&args.input.filename)?;
    let findings = lint(&loaded.endpoints, &loaded.policies);
    match args.output {
        Format::Text => {
            let mut s = String::new();
            for f in &findings {
                let _ = writeln!(s, "{f}");
            }
            let _ = writeln!(s, "{} findings", findings.len());
            write_text(out, &s)?;
        }
        format => write_value(
            out,
            format,
            &json!({"findings": findings.iter().map(finding_json).collect::<Vec<_>>()}),
        )?,
    }
    Ok(if findings.iter().any(|f| f.severity >= fail_on) {
        EXIT_VIOLATIONS
    } else {
        EXIT_OK
    })
}

fn run_diff(args: &DiffArgs, out: &mut dyn Write) -> Result<u8, String> {
    let before = load_paths(std::slice::from_ref(&args.before))?;
    let after = load_paths(std::slice::from_ref(&args.after))?;
    let ports = ports(&args.port, &after)?;
    let changes = diff::diff(&after.endpoints, &before.policies, &after.policies, &ports);
    match args.output {
        Format::Text => {
            let mut s = String::new();
            for c in &changes {
                let _ = writeln!(s, "{c}");
            }
            let opened = changes.iter().filter(|c| c.opened).count();
            let _ = writeln!(s, "{opened} opened, {} closed", changes.len() - opened);
            write_text(out, &s)?;
        }
        format => {
            let list: Vec<Value> = changes
                .iter()
                .map(|c| json!({"from": c.from, "to": c.to, "port": c.port, "protocol": c.protocol.as_str(), "change": if c.opened { "opened" } else { "closed" }}))
                .collect();
            write_value(out, format, &json!({"changes": list}))?;
        }
    }
    Ok(if changes.is_empty() {
        EXIT_OK
    } else {
        EXIT_VIOLATIONS
    })
}

/// Lints the network policies among `manifests` for `palisade check`: the text section (empty
/// when the manifests hold no NetworkPolicy or admin network policy) and the JSON value of the
/// `netpol` key.
pub(crate) fn check_section(manifests: &[Manifest]) -> (String, Value) {
    let has_policies = manifests.iter().any(|m| {
        matches!(
            object_kind(&m.value),
            Some(
                ObjectKind::NetworkPolicy
                    | ObjectKind::AdminNetworkPolicy
                    | ObjectKind::BaselineAdminNetworkPolicy
            )
        )
    });
    if !has_policies {
        return (String::new(), json!({"findings": [], "errors": []}));
    }
    let loaded = load(manifests.iter().map(|m| &m.value));
    let findings = lint(&loaded.endpoints, &loaded.policies);
    let mut text = format!("network policies: {} findings\n", findings.len());
    for e in &loaded.errors {
        let _ = writeln!(text, "  invalid: {e}");
    }
    for f in &findings {
        let _ = writeln!(text, "  {f}");
    }
    text.push('\n');
    let errors: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
    (
        text,
        json!({"findings": findings.iter().map(finding_json).collect::<Vec<_>>(), "errors": errors}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_parse_both_ways_round() {
        assert_eq!(parse_port("80"), Ok((80, Protocol::Tcp)));
        assert_eq!(parse_port("53/udp"), Ok((53, Protocol::Udp)));
        assert_eq!(parse_port("SCTP/9003"), Ok((9003, Protocol::Sctp)));
        assert!(parse_port("0").is_err());
        assert!(parse_port("80/ICMP").is_err());
    }
}
