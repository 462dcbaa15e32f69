//! The CEL-backed [`ExpressionChecker`]: compiles each expression in the environment the API
//! server compiles it in when a policy is written — new expressions in the
//! new-expressions environment, expressions already stored in the stored one — with the
//! variables its field may use.

use palisade_cel::check::Type as CelType;
use palisade_cel::k8s::{EnvType, MAX_MINOR, UnsupportedVersion};
use palisade_cel::{Env, Program};

use super::expression::{CompileError, ExpressionChecker, ExpressionContext, ExpressionRole};
use crate::cel::{BOOL, STRING, STRING_OR_NULL, compile_checked, variables_type};

/// Compiles policy expressions with palisade-cel.
///
/// ```
/// use palisade_vap::validation::{CelChecker, ExpressionChecker, ExpressionContext, ExpressionRole};
///
/// let checker = CelChecker::new(None).unwrap();
/// let context = ExpressionContext {
///     role: ExpressionRole::Validation,
///     has_params: false,
///     has_authorizer: true,
///     composition: false,
///     variables: &[],
///     stored: false,
/// };
/// assert!(checker.check("object.spec.replicas <= 5", &context).is_none());
/// let error = checker.check("params == null", &context).unwrap();
/// assert!(error.detail.starts_with("compilation failed: ERROR: <input>:1:1: undeclared reference to 'params'"));
/// ```
#[derive(Clone)]
pub struct CelChecker {
    new: Env,
    stored: Env,
}

impl std::fmt::Debug for CelChecker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CelChecker").finish_non_exhaustive()
    }
}

impl CelChecker {
    /// A checker for Kubernetes `1.<minor>` (`None`: the newest supported).
    pub fn new(minor: Option<u32>) -> Result<CelChecker, UnsupportedVersion> {
        let minor = minor.unwrap_or(MAX_MINOR);
        Ok(CelChecker {
            new: Env::kubernetes(minor, EnvType::New, None)?,
            stored: Env::kubernetes(minor, EnvType::Stored, None)?,
        })
    }

    /// The environment an expression in `context` compiles in. With composition `variables`
    /// is an object whose fields are the earlier variables, each typed as its expression is (a
    /// later one with the same name replaces an earlier one); without, `variables` is not
    /// declared at all.
    fn env(&self, context: &ExpressionContext<'_>) -> Env {
        let mut env = if context.stored {
            self.stored.clone()
        } else {
            self.new.clone()
        };
        if !context.has_params {
            env.undeclare_var("params");
        }
        if !context.has_authorizer {
            env.undeclare_var("authorizer");
            env.undeclare_var("authorizer.requestResource");
        }
        if context.composition {
            let mut fields: Vec<(String, CelType)> = Vec::new();
            env.declare_type_only("variables", variables_type(Vec::new()));
            for v in context.variables {
                let ty = Program::compile(&env, &v.expression)
                    .ok()
                    .and_then(|p| p.result_type().cloned())
                    .unwrap_or(CelType::Dyn);
                env.declare_typed_var(&format!("variables.{}", v.name), ty.clone());
                fields.retain(|(name, _)| name != &v.name);
                fields.push((v.name.clone(), ty));
                env.declare_type_only("variables", variables_type(fields.clone()));
            }
        }
        env
    }
}

impl ExpressionChecker for CelChecker {
    fn check(&self, expression: &str, context: &ExpressionContext<'_>) -> Option<CompileError> {
        let returns: &[&str] = match context.role {
            ExpressionRole::Validation | ExpressionRole::MatchCondition => BOOL,
            ExpressionRole::MessageExpression => STRING,
            ExpressionRole::AuditAnnotation => STRING_OR_NULL,
            _ => &[],
        };
        compile_checked(&self.env(context), expression, returns)
            .err()
            .map(CompileError::invalid)
    }
}

/// How the API server words a compile error: `compilation failed: …` for what the parser
/// or checker reports, the text itself for what planning the program rejects.
pub(crate) fn compile_error_text(error: &palisade_cel::CompileError) -> String {
    match error {
        palisade_cel::CompileError::Invalid { .. } => format!("compilation failed: {error}"),
        other => other.to_string(),
    }
}
