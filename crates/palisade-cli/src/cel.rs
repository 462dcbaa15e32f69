//! `palisade cel eval`: one CEL expression in the ValidatingAdmissionPolicy environment of a
//! Kubernetes version, over objects read from files; prints the value, its type and the cost.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::{Map, Value, json};

use crate::{EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, Format, output, report_error};

/// `palisade cel …`.
#[derive(Debug, Subcommand)]
pub(crate) enum CelCommand {
    /// Evaluate an expression: prints its value, type and runtime cost.
    Eval(EvalArgs),
}

/// `palisade cel eval`.
#[derive(Debug, Clone, Args)]
pub(crate) struct EvalArgs {
    /// The CEL expression.
    expr: String,
    /// The `object` (YAML or JSON; `-` for stdin).
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    object: Option<PathBuf>,
    /// The `oldObject`.
    #[arg(long = "old-object", value_name = "PATH")]
    old_object: Option<PathBuf>,
    /// The `params` object.
    #[arg(long = "params", value_name = "PATH")]
    params: Option<PathBuf>,
    /// The AdmissionRequest (`request`).
    #[arg(long = "request", value_name = "PATH")]
    request: Option<PathBuf>,
    /// The Namespace object (`namespaceObject`).
    #[arg(long = "namespace-object", value_name = "PATH")]
    namespace_object: Option<PathBuf>,
    /// The Kubernetes version to emulate (`1.N`; default: the newest).
    #[arg(long = "kubernetes-version", value_name = "1.N")]
    kubernetes_version: Option<String>,
    /// Compile as a newly written expression (the compatibility version's libraries) instead of a
    /// stored one.
    #[arg(long = "new")]
    new: bool,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

fn read(path: &Path) -> Result<Value, String> {
    let text = if path == Path::new("-") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        s
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    serde_saphyr::from_str::<Value>(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn run(command: &CelCommand, out: &mut dyn Write) -> u8 {
    let CelCommand::Eval(args) = command;
    let mut vars = Map::new();
    for (name, path) in [
        ("object", &args.object),
        ("oldObject", &args.old_object),
        ("params", &args.params),
        ("request", &args.request),
        ("namespaceObject", &args.namespace_object),
    ] {
        if let Some(p) = path {
            match read(p) {
                Ok(v) => {
                    vars.insert(name.to_string(), v);
                }
                Err(e) => return report_error(e),
            }
        }
    }
    let mut request = json!({
        "op": "cel",
        "expr": args.expr,
        "vars": vars,
        "envType": if args.new { "new" } else { "stored" },
    });
    if let (Some(v), Some(m)) = (&args.kubernetes_version, request.as_object_mut()) {
        m.insert("kubernetesVersion".into(), json!(v));
    }
    let response = palisade::protocol::handle(&request);
    if let Some(e) = response.get("requestError").and_then(Value::as_str) {
        return report_error(e);
    }
    let code = if response.get("compileError").is_some() {
        EXIT_USAGE
    } else if response.get("error").is_some() {
        EXIT_VIOLATIONS
    } else {
        EXIT_OK
    };
    if args.output != Format::Text {
        let written = output::write_value(out, args.output, &response);
        return if written == EXIT_OK { code } else { written };
    }
    let field = |k: &str| response.get(k).cloned().unwrap_or(Value::Null);
    let text = if let Some(e) = response.get("compileError").and_then(Value::as_str) {
        format!("{e}\n")
    } else if let Some(e) = response.get("error").and_then(Value::as_str) {
        format!("error: {e}\ncost: {}\n", field("cost"))
    } else {
        format!(
            "{}\ntype: {}\ncost: {}\n",
            field("value"),
            field("type").as_str().unwrap_or(""),
            field("cost")
        )
    };
    if out.write_all(text.as_bytes()).is_err() {
        return EXIT_USAGE;
    }
    code
}
