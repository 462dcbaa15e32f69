//! `palisade vap test|eval`: ValidatingAdmissionPolicy test suites and single evaluations.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use palisade::vap::suite::kaptest::{self, KaptestManifest};
use palisade::vap::suite::kyverno::{self, KyvernoTest, KyvernoValues};
use palisade::vap::suite::{ResolvedSuite, Suite, SuiteReport, run};
use palisade::vap::{AdmissionInput, AdmissionRequest, AdmissionResponse, Operation, UserInfo};
use serde_json::{Value, json};

use crate::{EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, Format, input, output, report_error};

/// `palisade vap …`.
#[derive(Debug, Subcommand)]
pub(crate) enum VapCommand {
    /// Run policy test suites (`kind: AdmissionTest`, kaptest manifests, `kyverno test`
    /// manifests; files, or directories holding them).
    Test(TestArgs),
    /// Evaluate one admission request against policies, bindings and params.
    Eval(EvalArgs),
    /// Validate ValidatingAdmissionPolicies and bindings as the API server does when they are
    /// created: every invalid field, and every expression that does not compile.
    Validate(ValidateArgs),
}

/// `palisade vap validate`.
#[derive(Debug, Clone, Args)]
pub(crate) struct ValidateArgs {
    /// Files or directories with policies and bindings (`-` for stdin); other objects are
    /// ignored.
    #[arg(
        short = 'f',
        long = "filename",
        value_name = "FILE|DIR|-",
        required = true
    )]
    paths: Vec<PathBuf>,
    /// The Kubernetes version whose CEL environment compiles the expressions (`1.N`).
    #[arg(long = "kubernetes-version", value_name = "1.N")]
    kubernetes_version: Option<String>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

/// Output of `vap test`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum TestFormat {
    /// For people: one line per case, a diff for each failure.
    #[default]
    Text,
    /// JSON: every case with its answer and mismatches.
    Json,
    /// JUnit XML, for CI systems.
    Junit,
}

/// `palisade vap test`.
#[derive(Debug, Clone, Args)]
pub(crate) struct TestArgs {
    /// Suite files or directories (searched recursively for `kind: AdmissionTest`, kaptest
    /// manifests and `kyverno test` manifests).
    #[arg(value_name = "SUITE|DIR", required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = TestFormat::Text)]
    output: TestFormat,
}

/// `palisade vap eval`.
#[derive(Debug, Clone, Args)]
pub(crate) struct EvalArgs {
    /// Files with ValidatingAdmissionPolicies (and anything else: bindings, params, namespaces
    /// are sorted out by kind). Repeatable.
    #[arg(long = "policy", value_name = "FILE", required = true)]
    policies: Vec<PathBuf>,
    /// Files with ValidatingAdmissionPolicyBindings. Without any, each policy is bound with
    /// `validationActions: [Deny]` and, when it has a paramKind, the first param of that kind.
    #[arg(long = "binding", value_name = "FILE")]
    bindings: Vec<PathBuf>,
    /// Files with param objects and Namespaces.
    #[arg(long = "params", value_name = "FILE")]
    params: Vec<PathBuf>,
    /// The object of the request (`-` for stdin).
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    object: Option<PathBuf>,
    /// The existing object (for UPDATE and DELETE).
    #[arg(long = "old", value_name = "FILE")]
    old_object: Option<PathBuf>,
    /// The operation; default CREATE with only an object, UPDATE with both, DELETE with only
    /// the old object.
    #[arg(long, value_name = "CREATE|UPDATE|DELETE|CONNECT")]
    operation: Option<String>,
    /// The requesting user.
    #[arg(long = "as", value_name = "USER")]
    user: Option<String>,
    /// A group of the requesting user. Repeatable.
    #[arg(long = "as-group", value_name = "GROUP")]
    groups: Vec<String>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
}

pub(crate) fn run_command(command: &VapCommand, out: &mut dyn Write) -> u8 {
    match command {
        VapCommand::Test(args) => test(args, out),
        VapCommand::Eval(args) => eval(args, out),
        VapCommand::Validate(args) => validate(args, out),
    }
}

/// A suite document in one of the formats `vap test` runs.
enum SuiteDocument {
    /// palisade's own `kind: AdmissionTest`.
    Palisade(Suite),
    /// A kaptest manifest.
    Kaptest(KaptestManifest),
    /// A `kyverno test` manifest.
    Kyverno(KyvernoTest),
}

/// Every suite document under `paths`, with the file it is in.
fn find_suites(paths: &[PathBuf]) -> Result<Vec<(PathBuf, SuiteDocument)>, String> {
    let mut found = Vec::new();
    for path in paths {
        let manifests = input::load(std::slice::from_ref(path))?;
        for m in manifests {
            let file = m
                .origin
                .source
                .as_ref()
                .map(PathBuf::from)
                .unwrap_or_else(|| path.clone());
            let invalid =
                |e: serde_json::Error| format!("{}: not a valid test suite: {e}", file.display());
            let document = if m.value.get("kind").and_then(Value::as_str) == Some("AdmissionTest") {
                SuiteDocument::Palisade(serde_json::from_value(m.value).map_err(invalid)?)
            } else if kaptest::is_kaptest(&m.value) {
                SuiteDocument::Kaptest(serde_json::from_value(m.value).map_err(invalid)?)
            } else if kyverno::is_kyverno_test(&m.value) {
                SuiteDocument::Kyverno(serde_json::from_value(m.value).map_err(invalid)?)
            } else {
                continue;
            };
            found.push((file, document));
        }
    }
    if found.is_empty() {
        return Err(
            "no test suites found (kind: AdmissionTest, kaptest manifests, kyverno Test)"
                .to_owned(),
        );
    }
    Ok(found)
}

/// Loads files named relative to the suite file, or takes objects inline.
fn suite_resources<'a>(
    file: &Path,
    entries: impl IntoIterator<Item = &'a Value>,
) -> Result<Vec<Value>, String> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut resources = Vec::new();
    for r in entries {
        match r {
            Value::String(p) => {
                let manifests = input::load(&[dir.join(p)])?;
                resources.extend(manifests.into_iter().map(|m| m.value));
            }
            other => resources.push(other.clone()),
        }
    }
    Ok(resources)
}

/// The files a foreign manifest names, as JSON strings.
fn file_list<'a>(lists: impl IntoIterator<Item = &'a Vec<String>>) -> Vec<Value> {
    lists
        .into_iter()
        .flatten()
        .map(|f| Value::String(f.clone()))
        .collect()
}

fn resolve_all(paths: &[PathBuf]) -> Result<Vec<(PathBuf, ResolvedSuite)>, String> {
    find_suites(paths)?
        .into_iter()
        .map(|(file, document)| {
            let name = file.display().to_string();
            let resolved = match &document {
                SuiteDocument::Palisade(suite) => {
                    let resources = suite_resources(&file, &suite.resources)?;
                    suite.resolve(&resources, &name)
                }
                SuiteDocument::Kaptest(manifest) => {
                    let files = file_list([&manifest.policies, &manifest.resources]);
                    let resources = suite_resources(&file, &files)?;
                    manifest.resolve(&resources, &name)
                }
                SuiteDocument::Kyverno(test) => {
                    let files = file_list([&test.policies, &test.resources]);
                    let resources = suite_resources(&file, &files)?;
                    let values = match &test.variables {
                        None => None,
                        Some(v) => {
                            let docs = suite_resources(&file, &[Value::String(v.clone())])?;
                            docs.into_iter()
                                .next()
                                .map(serde_json::from_value::<KyvernoValues>)
                                .transpose()
                                .map_err(|e| format!("{name}: variables {v}: {e}"))?
                        }
                    };
                    test.resolve(&resources, values.as_ref(), &name)
                }
            }
            .map_err(|e| format!("{name}: {e}"))?;
            Ok((file, resolved))
        })
        .collect()
}

fn test(args: &TestArgs, out: &mut dyn Write) -> u8 {
    let suites = match resolve_all(&args.paths) {
        Ok(s) => s,
        Err(e) => return report_error(e),
    };
    let reports: Vec<SuiteReport> = suites
        .iter()
        .map(|(_, s)| run(s, &palisade::vap::evaluate))
        .collect();
    let failed: usize = reports.iter().map(SuiteReport::failed).sum();
    let text = match args.output {
        TestFormat::Text => text_report(&reports),
        TestFormat::Json => serde_json::to_string_pretty(&reports).unwrap_or_default() + "\n",
        TestFormat::Junit => junit_report(&reports),
    };
    if out.write_all(text.as_bytes()).is_err() {
        return EXIT_USAGE;
    }
    if failed > 0 { EXIT_VIOLATIONS } else { EXIT_OK }
}

fn text_report(reports: &[SuiteReport]) -> String {
    let mut s = String::new();
    let (mut passed, mut failed) = (0, 0);
    for r in reports {
        let _ = writeln!(s, "{}", r.name);
        for c in &r.cases {
            let mark = if c.passed { "ok  " } else { "FAIL" };
            let _ = writeln!(s, "  {mark} {}", c.name);
            for m in &c.mismatches {
                let _ = writeln!(s, "       {}:", m.field);
                let _ = writeln!(s, "         expected: {}", m.expected);
                let _ = writeln!(s, "         actual:   {}", m.actual);
            }
        }
        passed += r.passed();
        failed += r.failed();
    }
    let _ = writeln!(
        s,
        "{} suites, {} cases: {passed} passed, {failed} failed",
        reports.len(),
        passed + failed
    );
    s
}

/// Escapes text for XML attributes and content.
fn xml(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {
                let _ = write!(s, "&#{};", c as u32);
            }
            c => s.push(c),
        }
    }
    s
}

fn junit_report(reports: &[SuiteReport]) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests: usize = reports.iter().map(|r| r.cases.len()).sum();
    let failures: usize = reports.iter().map(SuiteReport::failed).sum();
    let _ = writeln!(
        s,
        "<testsuites name=\"palisade vap test\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    for r in reports {
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            xml(&r.name),
            r.cases.len(),
            r.failed()
        );
        for c in &r.cases {
            let _ = write!(
                s,
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml(&c.name),
                xml(&r.name)
            );
            if c.passed {
                s.push_str("/>\n");
                continue;
            }
            s.push_str(">\n");
            let summary: Vec<&str> = c.mismatches.iter().map(|m| m.field.as_str()).collect();
            let _ = writeln!(
                s,
                "      <failure message=\"differs in {}\">",
                xml(&summary.join(", "))
            );
            for m in &c.mismatches {
                let _ = writeln!(
                    s,
                    "{}:\n  expected: {}\n  actual:   {}",
                    xml(&m.field),
                    xml(&m.expected),
                    xml(&m.actual)
                );
            }
            s.push_str("      </failure>\n    </testcase>\n");
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}

fn load_values(paths: &[PathBuf]) -> Result<Vec<Value>, String> {
    Ok(input::load(paths)?.into_iter().map(|m| m.value).collect())
}

fn load_one(path: &Option<PathBuf>) -> Result<Option<Value>, String> {
    let Some(path) = path else { return Ok(None) };
    let mut values = load_values(std::slice::from_ref(path))?;
    match values.len() {
        1 => Ok(values.pop()),
        n => Err(format!(
            "{}: expected one object, found {n}",
            path.display()
        )),
    }
}

/// Builds the evaluation of `vap eval` through the suite machinery: one case.
fn eval_input(args: &EvalArgs) -> Result<AdmissionInput, String> {
    let mut resources = load_values(&args.policies)?;
    let bindings = load_values(&args.bindings)?;
    resources.extend(load_values(&args.params)?);
    if bindings.is_empty() {
        let synthesized: Vec<Value> = resources
            .iter()
            .filter(|r| r.get("kind").and_then(Value::as_str) == Some("ValidatingAdmissionPolicy"))
            .map(|p| default_binding(p, &resources))
            .collect();
        resources.extend(synthesized);
    } else {
        resources.extend(bindings);
    }
    let operation = match &args.operation {
        None => None,
        Some(op) => Some(
            serde_json::from_value::<Operation>(json!(op.to_uppercase())).map_err(|_| {
                format!("unknown operation {op:?}: use CREATE, UPDATE, DELETE or CONNECT")
            })?,
        ),
    };
    let user_info = args.user.as_ref().map(|u| UserInfo {
        username: u.clone(),
        groups: args.groups.clone(),
        ..Default::default()
    });
    let case = json!({
        "name": "eval",
        "operation": operation,
        "object": load_one(&args.object)?,
        "oldObject": load_one(&args.old_object)?,
        "userInfo": user_info,
        "expect": {"allowed": true},
    });
    let suite: Suite = serde_json::from_value(json!({
        "kind": "AdmissionTest",
        "cases": [case],
    }))
    .map_err(|e| e.to_string())?;
    let mut resolved = suite
        .resolve(&resources, "eval")
        .map_err(|e| e.to_string())?;
    resolved
        .cases
        .pop()
        .map(|c| c.input)
        .ok_or_else(|| "nothing to evaluate".to_owned())
}

/// The binding `vap eval` assumes for a policy given without one.
fn default_binding(policy: &Value, resources: &[Value]) -> Value {
    let name = policy
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut spec = serde_json::Map::new();
    spec.insert("policyName".into(), json!(name));
    spec.insert("validationActions".into(), json!(["Deny"]));
    if let Some(kind) = policy.pointer("/spec/paramKind") {
        let param = resources.iter().find(|r| {
            r.get("apiVersion") == kind.get("apiVersion") && r.get("kind") == kind.get("kind")
        });
        if let Some(p) = param {
            spec.insert(
                "paramRef".into(),
                json!({
                    "name": p.pointer("/metadata/name"),
                    "namespace": p.pointer("/metadata/namespace").cloned().unwrap_or(json!("")),
                    "parameterNotFoundAction": "Deny",
                }),
            );
        }
    }
    json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "ValidatingAdmissionPolicyBinding",
        "metadata": {"name": format!("{name}-binding")},
        "spec": spec,
    })
}

fn eval(args: &EvalArgs, out: &mut dyn Write) -> u8 {
    if args.object.is_none() && args.old_object.is_none() {
        return report_error("give the request's object with -f (and/or --old)");
    }
    let input = match eval_input(args) {
        Ok(i) => i,
        Err(e) => return report_error(e),
    };
    let response = palisade::vap::evaluate(&input);
    let code = if response.allowed {
        EXIT_OK
    } else {
        EXIT_VIOLATIONS
    };
    match args.output {
        Format::Text => {
            let text = text_response(&input.request, &response);
            out.write_all(text.as_bytes())
                .map(|()| code)
                .unwrap_or(EXIT_USAGE)
        }
        format => {
            let value = serde_json::to_value(&response).unwrap_or(Value::Null);
            match output::write_value(out, format, &value) {
                EXIT_OK => code,
                other => other,
            }
        }
    }
}

fn text_response(request: &AdmissionRequest, response: &AdmissionResponse) -> String {
    let mut s = String::new();
    let verdict = if response.allowed {
        "ALLOWED"
    } else {
        "DENIED"
    };
    let _ = writeln!(
        s,
        "{verdict}: {} {} {}",
        request.operation.as_str(),
        request.resource.group_resource(),
        if request.name.is_empty() {
            "(unnamed)"
        } else {
            &request.name
        }
    );
    if let Some(status) = &response.status {
        let _ = writeln!(s, "  {} {}: {}", status.code, status.reason, status.message);
    }
    for w in &response.warnings {
        let _ = writeln!(s, "  warning: {w}");
    }
    for (k, v) in &response.audit_annotations {
        let _ = writeln!(s, "  audit annotation {k}: {v}");
    }
    s
}

/// Whether a manifest is a ValidatingAdmissionPolicy or a binding of one.
fn is_vap_kind(value: &Value, kind: &str) -> bool {
    value.get("kind").and_then(Value::as_str) == Some(kind)
        && value
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("admissionregistration.k8s.io/"))
}

/// A policy or binding the API server would refuse to create.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct InvalidObject {
    /// Where it was read from.
    source: String,
    /// `ValidatingAdmissionPolicy` or `ValidatingAdmissionPolicyBinding`.
    kind: String,
    /// Its name.
    name: String,
    /// The API server's error: `<Kind>.admissionregistration.k8s.io "<name>" is invalid: …`.
    message: String,
}

/// Reads and validates every policy and binding of `manifests` (on create, with `checker`
/// compiling the expressions); returns the valid ones and what is invalid.
pub(crate) fn validated(
    manifests: &[palisade::core::Manifest],
    checker: &dyn palisade::vap::validation::ExpressionChecker,
) -> (
    Vec<palisade::vap::ValidatingAdmissionPolicy>,
    Vec<palisade::vap::ValidatingAdmissionPolicyBinding>,
    Vec<InvalidObject>,
) {
    use palisade::vap::validation::{validate_binding, validate_policy};
    let (mut policies, mut bindings, mut invalid) = (Vec::new(), Vec::new(), Vec::new());
    for m in manifests {
        let kind = m.value.get("kind").and_then(Value::as_str).unwrap_or("");
        if !is_vap_kind(&m.value, "ValidatingAdmissionPolicy")
            && !is_vap_kind(&m.value, "ValidatingAdmissionPolicyBinding")
        {
            continue;
        }
        let name = m.name().unwrap_or("").to_owned();
        let problem = |message: String| InvalidObject {
            source: m.origin.to_string(),
            kind: kind.to_owned(),
            name: name.clone(),
            message: format!(
                "{kind}.admissionregistration.k8s.io {} is invalid: {message}",
                palisade::core::quote::GoQuoted(&name)
            ),
        };
        if kind == "ValidatingAdmissionPolicy" {
            match serde_json::from_value::<palisade::vap::ValidatingAdmissionPolicy>(
                m.value.clone(),
            ) {
                Err(e) => invalid.push(problem(e.to_string())),
                Ok(p) => {
                    let errors = validate_policy(&p.clone().defaulted(), checker);
                    if errors.is_empty() {
                        policies.push(p);
                    } else {
                        invalid.push(problem(errors.to_string()));
                    }
                }
            }
        } else {
            match serde_json::from_value::<palisade::vap::ValidatingAdmissionPolicyBinding>(
                m.value.clone(),
            ) {
                Err(e) => invalid.push(problem(e.to_string())),
                Ok(b) => {
                    let errors = validate_binding(&b.clone().defaulted());
                    if errors.is_empty() {
                        bindings.push(b);
                    } else {
                        invalid.push(problem(errors.to_string()));
                    }
                }
            }
        }
    }
    (policies, bindings, invalid)
}

/// The CEL checker of `--kubernetes-version` (default: the newest).
fn checker_for(version: Option<&str>) -> Result<palisade::vap::validation::CelChecker, String> {
    let minor = match version {
        None => None,
        Some(v) => Some(
            v.strip_prefix("1.")
                .and_then(|m| m.parse::<u32>().ok())
                .ok_or_else(|| format!("--kubernetes-version {v:?}: expected 1.N"))?,
        ),
    };
    palisade::vap::validation::CelChecker::new(minor)
        .map_err(|e| format!("--kubernetes-version {}: {e}", version.unwrap_or("")))
}

fn validate(args: &ValidateArgs, out: &mut dyn Write) -> u8 {
    let checker = match checker_for(args.kubernetes_version.as_deref()) {
        Ok(c) => c,
        Err(e) => return report_error(e),
    };
    let manifests = match input::load(&args.paths) {
        Ok(m) => m,
        Err(e) => return report_error(e),
    };
    let (policies, bindings, invalid) = validated(&manifests, &checker);
    let code = if invalid.is_empty() {
        EXIT_OK
    } else {
        EXIT_VIOLATIONS
    };
    let valid = policies.len() + bindings.len();
    match args.output {
        Format::Text => {
            let mut s = String::new();
            for i in &invalid {
                let _ = writeln!(s, "INVALID {} ({}): {}", i.name, i.source, i.message);
            }
            let _ = writeln!(s, "{valid} valid, {} invalid", invalid.len());
            out.write_all(s.as_bytes())
                .map(|()| code)
                .unwrap_or(EXIT_USAGE)
        }
        format => {
            match output::write_value(out, format, &json!({"valid": valid, "invalid": invalid})) {
                EXIT_OK => code,
                other => other,
            }
        }
    }
}

/// The admission-policy section of `palisade check`: every object of the dump submitted as a
/// CREATE to the ValidatingAdmissionPolicies and bindings found in it, after validating them
/// as the API server does on create (invalid ones are reported and not applied). Returns the
/// text, the JSON, and whether any object is denied or any policy or binding is invalid.
/// Empty when the dump has no policies.
pub(crate) fn check_section(manifests: &[palisade::core::Manifest]) -> (String, Value, bool) {
    use palisade::vap::suite::{add_missing_namespace, create_request};
    use palisade::vap::{Admission, Cluster};

    let has_policies = manifests
        .iter()
        .any(|m| is_vap_kind(&m.value, "ValidatingAdmissionPolicy"));
    if !has_policies {
        return (String::new(), json!({"policies": 0, "results": []}), false);
    }
    // Policies and bindings the API server would refuse to create are reported, not applied.
    let (policies, bindings, invalid) = match palisade::vap::validation::CelChecker::new(None) {
        Ok(checker) => validated(manifests, &checker),
        Err(_) => validated(manifests, &palisade::vap::validation::AcceptAll),
    };
    let subjects: Vec<&palisade::core::Manifest> = manifests
        .iter()
        .filter(|m| {
            !is_vap_kind(&m.value, "ValidatingAdmissionPolicy")
                && !is_vap_kind(&m.value, "ValidatingAdmissionPolicyBinding")
        })
        .collect();
    let mut namespaces: Vec<Value> = subjects
        .iter()
        .filter(|m| m.value.get("kind").and_then(Value::as_str) == Some("Namespace"))
        .map(|m| m.value.clone())
        .collect();
    let requests: Vec<(&palisade::core::Manifest, Result<AdmissionRequest, String>)> = subjects
        .iter()
        .map(|m| (*m, create_request(&m.value)))
        .collect();
    for (_, r) in &requests {
        if let Ok(r) = r {
            add_missing_namespace(&mut namespaces, &r.namespace);
        }
    }
    let cluster = Cluster {
        namespaces,
        params: subjects.iter().map(|m| m.value.clone()).collect(),
        ..Cluster::default()
    };
    let admission = Admission::new(cluster, &policies, &bindings, &|p| {
        palisade::vap::compile_cel(p, Box::new(palisade::cel::authz::NoOpinion))
    });
    let (mut denied, mut warned) = (0, 0);
    let mut lines = String::new();
    for i in &invalid {
        let _ = writeln!(
            lines,
            "  INVALID {} {} ({}): {}",
            i.kind, i.name, i.source, i.message
        );
    }
    let mut results = Vec::new();
    for (m, request) in &requests {
        let Ok(request) = request else { continue };
        let response = admission.admit(request);
        if response.allowed && response.warnings.is_empty() {
            continue;
        }
        let what = format!(
            "{} {}{}",
            request.kind.kind,
            if request.namespace.is_empty() {
                String::new()
            } else {
                format!("{}/", request.namespace)
            },
            request.name
        );
        if let Some(status) = &response.status {
            denied += 1;
            let _ = writeln!(lines, "  DENIED {what} ({}): {}", m.origin, status.message);
        }
        for w in &response.warnings {
            let _ = writeln!(lines, "  WARNING {what} ({}): {w}", m.origin);
        }
        if !response.warnings.is_empty() {
            warned += 1;
        }
        results.push(json!({
            "source": m.origin.to_string(),
            "kind": request.kind.kind,
            "namespace": request.namespace,
            "name": request.name,
            "response": response,
        }));
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let text = format!(
        "admission policies: {} against {}: {denied} denied, {warned} with warnings{}\n{lines}\n",
        plural(requests.len(), "object", "objects"),
        plural(admission.policy_count(), "policy", "policies"),
        if invalid.is_empty() {
            String::new()
        } else {
            format!("; {} invalid", invalid.len())
        },
    );
    let json = json!({"policies": admission.policy_count(), "objects": requests.len(),
        "invalid": invalid, "results": results});
    (text, json, denied > 0 || !invalid.is_empty())
}
