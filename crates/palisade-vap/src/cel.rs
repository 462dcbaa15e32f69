//! The CEL evaluation of a policy (upstream `validator.go`, `plugin/cel` and
//! `matchconditions`): match conditions, validations with their messages, audit annotations and
//! variables, with the API server's cost budgets and texts.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use palisade_cel::authz::Authorizer;
use palisade_cel::check::{ObjectType, Type as CelType};
use palisade_cel::k8s::activation::VapVars;
use palisade_cel::k8s::{EnvType, MAX_MINOR};
use palisade_cel::{Env, EvalError, Program, Value};
use palisade_core::quote::GoQuoted;
use serde_json::{Value as Json, json};

use crate::policy::ValidatingAdmissionPolicy;
use crate::request::AdmissionRequest;
use crate::validator::{
    Action, AuditAnnotationAction, Evaluation, PolicyAuditAnnotation, PolicyDecision,
    ValidateInput, ValidateResult, Validator,
};

/// The runtime cost budget of a policy's match conditions
/// (`RuntimeCELCostBudgetMatchConditions`).
pub const MATCH_CONDITIONS_COST_BUDGET: i64 = 2_500_000;
/// The longest message a messageExpression may produce (`MaxEvaluatedMessageExpressionSizeBytes`).
pub const MAX_MESSAGE_EXPRESSION_BYTES: usize = 5 * 1024;

const OUT_OF_BUDGET: &str =
    "validation failed due to running out of cost budget, no further validation rules will be run";

/// An expression and its compiled program, or the compile error as the API server words it.
struct Compiled {
    source: String,
    program: Result<Program, String>,
}

struct CompiledValidation {
    expression: Compiled,
    message: String,
    message_expression: Option<Compiled>,
    reason: String,
}

/// A policy compiled for evaluation.
pub struct CelValidator {
    fail: bool,
    variables: Vec<(String, Compiled)>,
    match_conditions: Vec<Compiled>,
    validations: Vec<CompiledValidation>,
    audit_annotations: Vec<(String, Compiled)>,
    authorizer: Box<dyn Authorizer>,
    /// Whether any expression reads `request` or `authorizer` (which is built from it).
    reads_request: bool,
}

/// What a validation or match condition must evaluate to.
pub(crate) const BOOL: &[&str] = &["bool"];
/// What a messageExpression must evaluate to.
pub(crate) const STRING: &[&str] = &["string"];
/// What an audit annotation's valueExpression must evaluate to.
pub(crate) const STRING_OR_NULL: &[&str] = &["string", "null_type"];

/// Compiles `source` in `env`; its checked type must be one of `returns` (empty: any), as
/// upstream's `CompileCELExpression` requires (`must evaluate to bool but got dyn`). The error
/// is the API server's text.
pub(crate) fn compile_checked(
    env: &Env,
    source: &str,
    returns: &[&str],
) -> Result<Program, String> {
    let program =
        Program::compile(env, source).map_err(|e| crate::validation::compile_error_text(&e))?;
    match program.result_type().map(ToString::to_string) {
        Some(t) if !returns.is_empty() && !returns.contains(&t.as_str()) => Err(match returns {
            [one] => format!("must evaluate to {one} but got {t}"),
            many => format!("must evaluate to one of [{}] but got {t}", many.join(" ")),
        }),
        _ => Ok(program),
    }
}

/// Compiles `source` in `env` (see [`compile_checked`]).
fn compile(env: &Env, source: &str, returns: &[&str]) -> Compiled {
    Compiled {
        source: source.to_owned(),
        program: compile_checked(env, source, returns),
    }
}

/// The type of `variables`: an object whose fields are the policy's variables.
pub(crate) fn variables_type(fields: Vec<(String, CelType)>) -> CelType {
    CelType::Object(std::sync::Arc::new(ObjectType {
        name: "kubernetes.variables".to_owned(),
        fields,
    }))
}

impl CelValidator {
    /// Compiles `policy` in the stored-expression environment of Kubernetes `1.<minor>`
    /// (`None`: the newest), with `authorizer` answering `authorizer.*` checks.
    pub fn compile(
        policy: &ValidatingAdmissionPolicy,
        minor: Option<u32>,
        authorizer: Box<dyn Authorizer>,
    ) -> Result<CelValidator, palisade_cel::k8s::UnsupportedVersion> {
        let mut env = Env::kubernetes(minor.unwrap_or(MAX_MINOR), EnvType::Stored, None)?;
        let spec = &policy.spec;
        if spec.param_kind.is_none() {
            env.undeclare_var("params");
        }
        // Each variable sees only the variables before it (so none can refer to itself).
        let mut variables = Vec::with_capacity(spec.variables.len());
        let mut fields = Vec::new();
        env.declare_type_only("variables", variables_type(Vec::new()));
        for v in &spec.variables {
            let compiled = compile(&env, &v.expression, &[]);
            let ty = compiled
                .program
                .as_ref()
                .ok()
                .and_then(|p| p.result_type().cloned())
                .unwrap_or(CelType::Dyn);
            variables.push((v.name.clone(), compiled));
            env.declare_typed_var(&format!("variables.{}", v.name), ty.clone());
            // `variables` is an object whose fields are the variables so far, typed as their
            // expressions are: a misspelt name is `undefined field`.
            fields.push((v.name.clone(), ty));
            env.declare_type_only("variables", variables_type(fields.clone()));
        }
        let match_conditions = spec
            .match_conditions
            .iter()
            .map(|m| compile(&env, &m.expression, BOOL))
            .collect();
        // messageExpressions are compiled without `authorizer` (upstream's
        // expressionOptionalVars).
        let mut message_env = env.clone();
        message_env.undeclare_var("authorizer");
        message_env.undeclare_var("authorizer.requestResource");
        let validations = spec
            .validations
            .iter()
            .map(|v| CompiledValidation {
                expression: compile(&env, &v.expression, BOOL),
                message: v.message.clone(),
                message_expression: (!v.message_expression.is_empty())
                    .then(|| compile(&message_env, &v.message_expression, STRING)),
                reason: v.reason.clone().unwrap_or_else(|| "Invalid".to_owned()),
            })
            .collect();
        let audit_annotations = spec
            .audit_annotations
            .iter()
            .map(|a| {
                (
                    a.key.clone(),
                    compile(&env, &a.value_expression, STRING_OR_NULL),
                )
            })
            .collect();
        let mut validator = CelValidator {
            fail: spec.fails_closed(),
            variables,
            match_conditions,
            validations,
            audit_annotations,
            authorizer,
            reads_request: true,
        };
        let reads_request = validator.programs().any(|p| {
            p.variables()
                .iter()
                .any(|v| v == "request" || v.starts_with("authorizer"))
        });
        validator.reads_request = reads_request;
        Ok(validator)
    }

    /// Every compiled program of the policy.
    fn programs(&self) -> impl Iterator<Item = &Program> {
        let validations = self
            .validations
            .iter()
            .flat_map(|v| std::iter::once(&v.expression).chain(v.message_expression.as_ref()));
        self.variables
            .iter()
            .map(|(_, c)| c)
            .chain(&self.match_conditions)
            .chain(validations)
            .chain(self.audit_annotations.iter().map(|(_, c)| c))
            .filter_map(|c| c.program.as_ref().ok())
    }
}

/// The object at the matched version: a request matched through an equivalent resource shows
/// CEL the object as that version (its apiVersion and kind). Borrowed when nothing changes.
fn versioned<'o>(
    object: Option<&'o Json>,
    request: &AdmissionRequest,
    input: &ValidateInput<'_>,
) -> Option<Cow<'o, Json>> {
    let o = object.filter(|o| !o.is_null())?;
    if input.matched_kind == &request.kind {
        return Some(Cow::Borrowed(o));
    }
    let mut o = o.clone();
    if let Some(m) = o.as_object_mut() {
        m.insert("apiVersion".into(), json!(input.matched_kind.api_version()));
        m.insert("kind".into(), json!(input.matched_kind.kind));
    }
    Some(Cow::Owned(o))
}

/// The outcome of evaluating one expression (upstream `EvaluationResult`).
enum Outcome<'a> {
    Value(Value<'a>),
    Error(String),
}

/// One `ForInput` pass: an activation, a budget and the variables evaluated so far (each at
/// most once per pass, as upstream's composition context caches them).
struct Pass<'v, 'a> {
    validator: &'v CelValidator,
    vars: &'v VapVars<'a>,
    authorizer: Option<&'v dyn Authorizer>,
    cache: RefCell<HashMap<String, Result<Value<'a>, String>>>,
    pending_cost: RefCell<i64>,
    budget: i64,
}

impl<'v, 'a> Pass<'v, 'a> {
    fn new(
        validator: &'v CelValidator,
        vars: &'v VapVars<'a>,
        authorizer: Option<&'v dyn Authorizer>,
        budget: i64,
    ) -> Self {
        Pass {
            validator,
            vars,
            authorizer,
            cache: RefCell::new(HashMap::new()),
            pending_cost: RefCell::new(0),
            budget,
        }
    }

    /// The value of variable `name`, evaluated on first use (its cost charged to the
    /// expression that used it first).
    fn variable(&self, name: &str) -> Option<Result<Value<'a>, String>> {
        if let Some(v) = self.cache.borrow().get(name) {
            return Some(v.clone());
        }
        let (_, compiled) = self.validator.variables.iter().find(|(n, _)| n == name)?;
        let result = match &compiled.program {
            Err(e) => Err(format!(
                "composited variable {} fails to compile: {e}",
                GoQuoted(name)
            )),
            Ok(program) => match self.run(program) {
                Ok((value, cost)) => {
                    *self.pending_cost.borrow_mut() += cost;
                    Ok(value)
                }
                Err((e, cost)) => {
                    *self.pending_cost.borrow_mut() += cost;
                    Err(format!(
                        "composited variable {} fails to evaluate: {e}",
                        GoQuoted(name)
                    ))
                }
            },
        };
        self.cache
            .borrow_mut()
            .insert(name.to_owned(), result.clone());
        Some(result)
    }

    /// Runs a program; the variables it reads are evaluated when it first reads them, and a
    /// variable that fails makes that read fail.
    fn run(&self, program: &Program) -> Result<(Value<'a>, i64), (String, i64)> {
        let resolve = |name: &str| -> Option<Result<Value<'a>, EvalError>> {
            if let Some(var) = name.strip_prefix("variables.") {
                return self.variable(var).map(|r| r.map_err(EvalError::new));
            }
            if self.authorizer.is_none() && name.starts_with("authorizer") {
                return None;
            }
            self.vars.resolve(name).map(Ok)
        };
        let authorizer: &dyn Authorizer = match self.authorizer {
            Some(a) => a,
            None => &palisade_cel::authz::NoOpinion,
        };
        let out = program.eval_fallible(&resolve, authorizer);
        let cost = i64::try_from(out.cost).unwrap_or(i64::MAX);
        match out.result {
            Ok(v) => Ok((v, cost)),
            Err(EvalError { message, .. }) => Err((message, cost)),
        }
    }

    /// Evaluates one expression against the remaining budget (upstream
    /// `evaluationActivation.Evaluate`); `Err` means the pass ran out of budget.
    fn evaluate(&mut self, compiled: &Compiled) -> Result<Outcome<'a>, String> {
        let program = match &compiled.program {
            Err(e) => return Ok(Outcome::Error(format!("compilation error: {e}"))),
            Ok(p) => p,
        };
        let result = self.run(program);
        let composition = std::mem::take(&mut *self.pending_cost.borrow_mut());
        if composition > self.budget {
            return Err(OUT_OF_BUDGET.to_owned());
        }
        self.budget -= composition;
        let cost = match &result {
            Ok((_, c)) | Err((_, c)) => *c,
        };
        if cost > self.budget {
            return Err(OUT_OF_BUDGET.to_owned());
        }
        self.budget -= cost;
        Ok(match result {
            Ok((v, _)) => Outcome::Value(v),
            Err((e, _)) => Outcome::Error(format!(
                "expression '{}' resulted in error: {e}",
                compiled.source
            )),
        })
    }
}

impl CelValidator {
    fn error_decision(&self, message: impl Into<String>) -> ValidateResult {
        ValidateResult {
            decisions: vec![PolicyDecision::for_error(self.fail, message)],
            audit_annotations: Vec::new(),
        }
    }

    /// upstream `matcher.Match`: every condition is evaluated; a false one means no match
    /// (even beside errors); otherwise errors are aggregated.
    fn match_conditions(&self, vars: &VapVars<'_>) -> Result<bool, String> {
        let mut pass = Pass::new(
            self,
            vars,
            Some(self.authorizer.as_ref()),
            MATCH_CONDITIONS_COST_BUDGET,
        );
        let mut errors = Vec::new();
        let mut outcomes = Vec::new();
        for c in &self.match_conditions {
            outcomes.push(pass.evaluate(c)?);
        }
        for o in outcomes {
            match o {
                Outcome::Value(Value::Bool(false)) => return Ok(false),
                Outcome::Value(_) => {}
                Outcome::Error(e) => errors.push(e),
            }
        }
        match errors.len() {
            0 => Ok(true),
            1 => Err(errors.remove(0)),
            _ => {
                let mut s = String::new();
                let _ = palisade_core::field::aggregate(errors, &mut s);
                Err(s)
            }
        }
    }
}

impl Validator for CelValidator {
    fn reads_request(&self) -> bool {
        self.reads_request
    }

    fn validate(&self, input: &ValidateInput<'_>) -> ValidateResult {
        let object = versioned(input.request.object.as_ref(), input.request, input);
        let old_object = versioned(input.request.old_object.as_ref(), input.request, input);
        if !self.match_conditions.is_empty() {
            let vars = VapVars::new(
                object.as_deref(),
                old_object.as_deref(),
                input.param,
                Some(input.cel_request),
                None,
            );
            match self.match_conditions(&vars) {
                Ok(true) => {}
                Ok(false) => return ValidateResult::default(),
                Err(e) if self.fail => return self.error_decision(e),
                Err(_) => return ValidateResult::default(),
            }
        }
        let vars = VapVars::new(
            object.as_deref(),
            old_object.as_deref(),
            input.param,
            Some(input.cel_request),
            input.namespace,
        );
        // Validations, then their messages with what is left of the budget.
        let mut pass = Pass::new(
            self,
            &vars,
            Some(self.authorizer.as_ref()),
            input.cost_budget,
        );
        // Each validation's decision; a denial's message is filled in once the messages are
        // evaluated.
        let mut decisions = Vec::with_capacity(self.validations.len());
        for v in &self.validations {
            decisions.push(match pass.evaluate(&v.expression) {
                Err(e) => return self.error_decision(e),
                Ok(Outcome::Error(e)) => PolicyDecision::for_error(self.fail, e),
                Ok(Outcome::Value(Value::Bool(true))) => PolicyDecision {
                    action: Action::Admit,
                    evaluation: Evaluation::Admit,
                    message: String::new(),
                    reason: String::new(),
                },
                Ok(Outcome::Value(_)) => PolicyDecision {
                    action: Action::Deny,
                    evaluation: Evaluation::Deny,
                    message: String::new(),
                    reason: v.reason.clone(),
                },
            });
        }
        let mut messages = Pass::new(self, &vars, None, pass.budget);
        let mut message_outcomes: Vec<Option<Outcome<'_>>> = Vec::new();
        let mut message_failure: Option<String> = None;
        // (Left empty when no validation has a messageExpression.)
        let with_messages = self
            .validations
            .iter()
            .any(|v| v.message_expression.is_some());
        for v in self.validations.iter().filter(|_| with_messages) {
            match &v.message_expression {
                None => message_outcomes.push(None),
                Some(m) => match messages.evaluate(m) {
                    Ok(o) => message_outcomes.push(Some(o)),
                    Err(e) => {
                        message_failure = Some(e);
                        break;
                    }
                },
            }
        }
        // An expression's own error comes first, then a failure of the messages (for every
        // other validation, passed or not), then the denial's message.
        for (i, (v, decision)) in self.validations.iter().zip(&mut decisions).enumerate() {
            match (&decision.evaluation, &message_failure) {
                (Evaluation::Error, _) => {}
                (_, Some(failure)) => {
                    *decision = PolicyDecision::for_error(
                        self.fail,
                        format!("failed messageExpression: {failure}"),
                    );
                }
                (Evaluation::Deny, None) => {
                    decision.message =
                        denial_message(v, message_outcomes.get(i).and_then(Option::as_ref));
                }
                (Evaluation::Admit, None) => {}
            }
        }
        // Audit annotations get a budget of their own.
        let mut audit = Pass::new(self, &vars, None, input.cost_budget);
        let mut audit_annotations = Vec::with_capacity(self.audit_annotations.len());
        for (key, compiled) in &self.audit_annotations {
            let outcome = match audit.evaluate(compiled) {
                Ok(o) => o,
                Err(e) => return self.error_decision(e),
            };
            let action = match outcome {
                Outcome::Error(e) if self.fail => AuditAnnotationAction::Error(e),
                Outcome::Error(_) => AuditAnnotationAction::Exclude,
                Outcome::Value(Value::Null) => AuditAnnotationAction::Exclude,
                Outcome::Value(Value::String(s)) => {
                    let trimmed = s.trim();
                    if trimmed.is_empty() {
                        AuditAnnotationAction::Exclude
                    } else {
                        AuditAnnotationAction::Publish(trimmed.to_owned())
                    }
                }
                Outcome::Value(other) => AuditAnnotationAction::Error(format!(
                    "valueExpression '{}' resulted in unsupported return type: {}. Return type must be either string or null.",
                    compiled.source,
                    other.type_name()
                )),
            };
            audit_annotations.push(PolicyAuditAnnotation {
                key: key.clone(),
                action,
            });
        }
        ValidateResult {
            decisions,
            audit_annotations,
        }
    }
}

/// The message of a failed validation: the messageExpression's string (trimmed; dropped when
/// empty, over 5 KiB or multi-line), else `message`, else `failed expression: <expression>`.
fn denial_message(v: &CompiledValidation, message: Option<&Outcome<'_>>) -> String {
    if let Some(Outcome::Value(Value::String(s))) = message {
        let m = s.trim();
        if !m.is_empty() && m.len() <= MAX_MESSAGE_EXPRESSION_BYTES && !m.contains('\n') {
            return m.to_owned();
        }
    }
    let m = v.message.trim();
    if !m.is_empty() {
        return m.to_owned();
    }
    format!("failed expression: {}", v.expression.source.trim())
}
