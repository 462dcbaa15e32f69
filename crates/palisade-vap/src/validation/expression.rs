//! The hook through which policy validation compiles CEL expressions, and how a compile error
//! becomes a field error (upstream `convertCELErrorToValidationError`).

use palisade_core::FieldPath;
use palisade_core::field::FieldError;

use crate::policy::Variable;

/// Which field of a policy an expression comes from; it fixes the type the expression must
/// have and the variables it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExpressionRole {
    /// `spec.validations[*].expression`: must be a `bool`.
    Validation,
    /// `spec.validations[*].messageExpression`: must be a `string`; no `authorizer`.
    MessageExpression,
    /// `spec.matchConditions[*].expression`: must be a `bool`; never sees `variables`.
    MatchCondition,
    /// `spec.variables[*].expression`: any type.
    Variable,
    /// `spec.auditAnnotations[*].valueExpression`: a `string` or `null`.
    AuditAnnotation,
}

/// What an expression is compiled against (upstream `OptionalVariableDeclarations` plus the
/// composition state and the environment type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpressionContext<'a> {
    /// The field the expression comes from.
    pub role: ExpressionRole,
    /// Whether `params` is declared (the policy has a `paramKind`).
    pub has_params: bool,
    /// Whether `authorizer` is declared (false only for message expressions).
    pub has_authorizer: bool,
    /// Whether `variables` is declared: the policy has variables and the expression is not a
    /// match condition (upstream then compiles with its composition compiler, even the first
    /// variable, which sees no variable yet).
    pub composition: bool,
    /// The variables compiled before this expression, in order, which it may read as
    /// `variables.<name>` (empty for match conditions, which upstream compiles without
    /// composition). A later variable with the same name replaces an earlier one.
    pub variables: &'a [Variable],
    /// Whether the expression was already stored in the object being updated, so it compiles
    /// in the stored-expressions environment (`environment.StoredExpressions`) rather than the
    /// new-expressions one.
    pub stored: bool,
}

/// The kind of a compile error (upstream `cel.ErrorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompileErrorKind {
    /// Reported as `Required value`.
    Required,
    /// Reported as `Invalid value: "<expression>"`: syntax and type errors
    /// (`compilation failed: …`) and wrong result types (`must evaluate to bool`).
    Invalid,
    /// Reported as `Internal error`.
    Internal,
}

/// Why an expression does not compile: the kind and upstream's detail text (for example
/// `compilation failed: ERROR: <input>:1:3: Syntax error: …` or `must evaluate to bool`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompileError {
    /// How upstream reports it.
    pub kind: CompileErrorKind,
    /// The detail text.
    pub detail: String,
}

impl CompileError {
    /// An `Invalid` compile error with this detail.
    pub fn invalid(detail: impl Into<String>) -> Self {
        CompileError {
            kind: CompileErrorKind::Invalid,
            detail: detail.into(),
        }
    }

    /// The field error upstream reports at `path`, showing `shown` as the bad value.
    pub(crate) fn to_field_error(&self, path: FieldPath, shown: &str) -> FieldError {
        match self.kind {
            CompileErrorKind::Required => FieldError::required(path, self.detail.clone()),
            CompileErrorKind::Invalid => FieldError::invalid(path, shown, self.detail.clone()),
            CompileErrorKind::Internal => FieldError::internal(path, self.detail.clone()),
        }
    }
}

/// Compiles (parses and type-checks) a policy's CEL expressions during validation.
///
/// The CEL-backed implementation returns upstream's compile error for an expression that
/// does not compile in the policy's environment, or `None`.
pub trait ExpressionChecker {
    /// Checks one expression as it is written at its field.
    fn check(&self, expression: &str, context: &ExpressionContext<'_>) -> Option<CompileError>;
}

/// A checker that accepts every expression: validation then covers every rule but the
/// compilation of expressions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AcceptAll;

impl ExpressionChecker for AcceptAll {
    fn check(&self, _expression: &str, _context: &ExpressionContext<'_>) -> Option<CompileError> {
        None
    }
}

impl<F> ExpressionChecker for F
where
    F: Fn(&str, &ExpressionContext<'_>) -> Option<CompileError>,
{
    fn check(&self, expression: &str, context: &ExpressionContext<'_>) -> Option<CompileError> {
        self(expression, context)
    }
}

/// upstream `isCELIdentifier`: `[_a-zA-Z][_a-zA-Z0-9]*` and not a reserved word.
pub(crate) fn is_cel_identifier(name: &str) -> bool {
    const RESERVED: [&str; 21] = [
        "true",
        "false",
        "null",
        "in",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    ];
    let b = name.as_bytes();
    b.first()
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        && !RESERVED.contains(&name)
}

/// upstream `hasNewlines`: a `\n` or `\r` anywhere.
pub(crate) fn has_newlines(s: &str) -> bool {
    s.contains(['\n', '\r'])
}

/// Go's `strings.TrimSpace`: Unicode white space at both ends.
pub(crate) fn trim_space(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cel_identifiers() {
        assert!(is_cel_identifier("_a1"));
        assert!(is_cel_identifier("replicas"));
        assert!(!is_cel_identifier("1a"));
        assert!(!is_cel_identifier("a-b"));
        assert!(!is_cel_identifier("namespace"));
        assert!(!is_cel_identifier("in"));
        assert!(!is_cel_identifier(""));
        assert!(!is_cel_identifier("é"));
    }

    #[test]
    fn newlines_and_trimming() {
        assert!(has_newlines("a\rb"));
        assert!(!has_newlines("a\tb"));
        assert_eq!(trim_space("\u{a0} x \n"), "x");
    }
}
