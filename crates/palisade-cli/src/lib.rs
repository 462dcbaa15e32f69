//! The `palisade` command line: argument parsing, I/O and report rendering over the `palisade`
//! library.
//!
//! Exit codes: 0 when everything is allowed, 1 when something violates a policy, 2 for bad
//! input or usage.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod audit;
mod cel;
mod check;
mod check_sarif;
mod input;
mod jsonl;
mod netpol;
mod output;
mod rbac;
mod sarif;
mod vap;

/// Everything went through and nothing violates a policy.
pub const EXIT_OK: u8 = 0;
/// Something violates a policy (or a test failed).
pub const EXIT_VIOLATIONS: u8 = 1;
/// Bad input or usage.
pub const EXIT_USAGE: u8 = 2;

/// Kubernetes security policy, evaluated offline with the API server's exact semantics.
#[derive(Debug, Parser)]
#[command(name = "palisade", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a directory of manifests (a cluster dump or a repo of YAML) with every policy that applies.
    Check(check::CheckArgs),
    /// Pod Security Standards.
    #[command(subcommand)]
    Pss(PssCommand),
    /// Audit policies: the level of a request, lint, coverage table.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Kubernetes CEL: evaluate expressions as a ValidatingAdmissionPolicy would.
    #[command(subcommand)]
    Cel(cel::CelCommand),
    /// ValidatingAdmissionPolicy: run policy test suites, evaluate one request.
    #[command(subcommand)]
    Vap(vap::VapCommand),
    /// RBAC: can-i, who-can, rules, matrix, lint, analyze, paths, diff.
    #[command(subcommand)]
    Rbac(rbac::RbacCommand),
    /// NetworkPolicy reachability: can-reach, explain, matrix, lint, diff.
    #[command(subcommand)]
    Netpol(netpol::NetpolCommand),
    /// Answer JSON requests, one per line on stdin, one response per line on stdout.
    Jsonl,
    /// Print the version, the newest Kubernetes version and the PSS checks.
    Version(OutputArgs),
}

#[derive(Debug, Subcommand)]
enum PssCommand {
    /// Check pods and workloads against the Pod Security Standards.
    Check(check::PssCheckArgs),
}

/// `-o/--output`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

#[derive(Debug, Clone, Args)]
struct OutputArgs {
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

/// Options shared by the commands that read manifests.
#[derive(Debug, Clone, Args)]
struct InputArgs {
    /// A file, a directory (read recursively) or `-` for stdin. Repeatable.
    #[arg(short = 'f', long = "filename", value_name = "PATH", required = true)]
    filename: Vec<PathBuf>,
}

/// Runs the CLI on `args` (including the program name) and returns the exit code.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match cli.command {
        Command::Check(args) => check::run_check(&args, &mut out),
        Command::Pss(PssCommand::Check(args)) => check::run_pss_check(&args, &mut out),
        Command::Audit(command) => audit::run(&command, &mut out),
        Command::Cel(command) => cel::run(&command, &mut out),
        Command::Vap(command) => vap::run_command(&command, &mut out),
        Command::Rbac(command) => rbac::run(&command, &mut out),
        Command::Netpol(command) => netpol::run(&command, &mut out),
        Command::Jsonl => jsonl::run(std::io::stdin().lock(), &mut out),
        Command::Version(args) => version(&args, &mut out),
    };
    let _ = out.flush();
    ExitCode::from(code)
}

fn version(args: &OutputArgs, out: &mut dyn Write) -> u8 {
    let info = palisade::protocol::handle(&serde_json::json!({"op": "version"}));
    match args.output {
        Format::Text => {
            let _ = writeln!(
                out,
                "palisade {} (Kubernetes {})",
                palisade::protocol::VERSION,
                palisade::pss::KubernetesVersion::NEWEST
            );
            EXIT_OK
        }
        format => output::write_value(out, format, &info),
    }
}

/// Prints an error the way every command does: `error: …` on stderr.
pub(crate) fn report_error(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    EXIT_USAGE
}
