//! Validation of a ValidatingAdmissionPolicy (upstream `validateValidatingAdmissionPolicy` and
//! `validateValidatingAdmissionPolicySpec` with the helpers they call).

use std::collections::BTreeSet;

use palisade_core::FieldPath;
use palisade_core::field::{BadValue, ErrorType, FieldError};
use palisade_core::meta::validate_qualified_name;
use palisade_core::quote::go_json;
use palisade_core::validation::{is_dns1035_label, is_dns1123_subdomain};

use super::expression::{
    CompileError, ExpressionChecker, ExpressionContext, ExpressionRole, has_newlines,
    is_cel_identifier, trim_space,
};
use super::rules::validate_match_resources;
use crate::policy::{
    AuditAnnotation, MatchCondition, ParamKind, PolicySpec, ValidatingAdmissionPolicy, Validation,
    Variable,
};

/// The most audit annotations a policy may have.
pub const MAX_AUDIT_ANNOTATIONS: usize = 20;
/// The longest audit annotation `valueExpression`, in bytes (after trimming white space).
pub const MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH: usize = 5 * 1024;
/// The most match conditions a policy may have.
pub const MAX_MATCH_CONDITIONS: usize = 64;

/// upstream `supportedValidationPolicyReason.List()` (sorted).
const SUPPORTED_REASONS: [&str; 3] = ["Forbidden", "Invalid", "RequestEntityTooLarge"];

/// Expressions of the old object on update (upstream `preexistingExpressions`): they compile
/// in the stored-expressions environment.
#[derive(Debug, Clone, Default)]
pub(crate) struct Preexisting<'a> {
    pub(crate) match_conditions: BTreeSet<&'a str>,
    pub(crate) validations: BTreeSet<&'a str>,
    pub(crate) messages: BTreeSet<&'a str>,
    pub(crate) audit_values: BTreeSet<&'a str>,
}

impl<'a> Preexisting<'a> {
    /// upstream `findValidatingPolicyPreexistingExpressions`.
    pub(crate) fn of(old: &'a ValidatingAdmissionPolicy) -> Self {
        let spec = &old.spec;
        Preexisting {
            match_conditions: spec
                .match_conditions
                .iter()
                .map(|m| m.expression.as_str())
                .collect(),
            validations: spec
                .validations
                .iter()
                .map(|v| v.expression.as_str())
                .collect(),
            messages: spec
                .validations
                .iter()
                .filter(|v| !v.message_expression.is_empty())
                .map(|v| v.message_expression.as_str())
                .collect(),
            audit_values: spec
                .audit_annotations
                .iter()
                .map(|a| a.value_expression.as_str())
                .collect(),
        }
    }
}

/// Options of one policy validation (upstream `validationOptions`, the parts policies use).
#[derive(Debug, Clone, Default)]
pub(crate) struct Options<'a> {
    pub(crate) ignore_match_conditions: bool,
    pub(crate) preexisting: Preexisting<'a>,
}

/// Checks expressions for one policy, remembering the variables compiled so far (upstream's
/// composition compiler is stateful in the same way).
struct Compiler<'c> {
    checker: &'c dyn ExpressionChecker,
    has_params: bool,
    /// Whether the policy has variables (upstream then compiles with composition).
    composited: bool,
    variables: Vec<Variable>,
}

impl Compiler<'_> {
    fn check(
        &self,
        expression: &str,
        role: ExpressionRole,
        has_params: bool,
        stored: bool,
    ) -> Option<CompileError> {
        let composition = self.composited && role != ExpressionRole::MatchCondition;
        let context = ExpressionContext {
            role,
            has_params,
            has_authorizer: role != ExpressionRole::MessageExpression,
            composition,
            variables: if composition { &self.variables } else { &[] },
            stored,
        };
        self.checker.check(expression, &context)
    }
}

/// Validates a whole policy: metadata, then spec.
pub(crate) fn validate_policy(
    policy: &ValidatingAdmissionPolicy,
    checker: &dyn ExpressionChecker,
    opts: &Options<'_>,
) -> Vec<FieldError> {
    let mut errs = super::validate_meta(&policy.metadata);
    errs.extend(validate_spec(
        &policy.metadata.name,
        &policy.spec,
        checker,
        opts,
        &FieldPath::new(["spec"]),
    ));
    errs
}

/// upstream `validateValidatingAdmissionPolicySpec`.
fn validate_spec(
    name: &str,
    spec: &PolicySpec,
    checker: &dyn ExpressionChecker,
    opts: &Options<'_>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let has_params = spec.param_kind.is_some();
    let mut compiler = Compiler {
        checker,
        has_params,
        composited: !spec.variables.is_empty(),
        variables: Vec::new(),
    };
    match &spec.failure_policy {
        None => errs.push(FieldError::required(
            path.clone().child("failurePolicy"),
            "",
        )),
        Some(p) if !p.is_supported() => errs.push(FieldError::not_supported_json(
            path.clone().child("failurePolicy"),
            p.as_str(),
            &["Fail", "Ignore"],
        )),
        Some(_) => {}
    }
    if let Some(kind) = &spec.param_kind {
        errs.extend(validate_param_kind(kind, &path.clone().child("paramKind")));
    }
    match &spec.match_constraints {
        None => errs.push(FieldError::required(
            path.clone().child("matchConstraints"),
            "",
        )),
        Some(mc) => {
            let at = path.clone().child("matchConstraints");
            errs.extend(validate_match_resources(mc, &at));
            if mc.resource_rules.is_empty() {
                errs.push(FieldError::required(at.child("resourceRules"), ""));
            }
        }
    }
    if !opts.ignore_match_conditions {
        errs.extend(validate_match_conditions(
            &spec.match_conditions,
            &compiler,
            opts,
            &path.clone().child("matchConditions"),
        ));
    }
    for (i, variable) in spec.variables.iter().enumerate() {
        errs.extend(validate_variable(
            variable,
            &mut compiler,
            opts,
            &path.clone().child("variables").index(i),
        ));
    }
    if spec.validations.is_empty() && spec.audit_annotations.is_empty() {
        let detail = "validations or auditAnnotations must contain at least one item";
        errs.push(FieldError::required(
            path.clone().child("validations"),
            detail,
        ));
        errs.push(FieldError::required(
            path.clone().child("auditAnnotations"),
            detail,
        ));
        return errs;
    }
    for (i, validation) in spec.validations.iter().enumerate() {
        errs.extend(validate_validation(
            validation,
            &compiler,
            opts,
            &path.clone().child("validations").index(i),
        ));
    }
    let annotations = path.clone().child("auditAnnotations");
    if spec.audit_annotations.len() > MAX_AUDIT_ANNOTATIONS {
        errs.push(FieldError::new(
            annotations.clone(),
            ErrorType::Invalid,
            BadValue::Json(internal_audit_annotations_json(&spec.audit_annotations)),
            format!("must not have more than {MAX_AUDIT_ANNOTATIONS} auditAnnotations"),
        ));
    }
    let mut keys = BTreeSet::new();
    for (i, annotation) in spec.audit_annotations.iter().enumerate() {
        let at = annotations.clone().index(i);
        errs.extend(validate_audit_annotation(
            name, annotation, &compiler, opts, &at,
        ));
        if !keys.insert(annotation.key.as_str()) {
            errs.push(FieldError::duplicate(at.child("key"), &annotation.key));
        }
    }
    errs
}

/// The audit annotations as upstream's error shows them: `json.Marshal` of the internal type,
/// whose fields carry no JSON tags (`[{"Key":"k","ValueExpression":"v"}]`).
fn internal_audit_annotations_json(annotations: &[AuditAnnotation]) -> String {
    #[derive(serde::Serialize)]
    #[allow(non_snake_case)]
    struct Internal<'a> {
        Key: &'a str,
        ValueExpression: &'a str,
    }
    let items: Vec<Internal<'_>> = annotations
        .iter()
        .map(|a| Internal {
            Key: &a.key,
            ValueExpression: &a.value_expression,
        })
        .collect();
    go_json(&items)
}

/// upstream `parseGroupVersion`: `""` and `"/"` are empty, one `/` splits, more is an error.
fn parse_group_version(gv: &str) -> Result<(&str, &str), String> {
    if gv.is_empty() || gv == "/" {
        return Ok(("", ""));
    }
    match gv.matches('/').count() {
        0 => Ok(("", gv)),
        1 => Ok(gv.split_once('/').unwrap_or(("", gv))),
        _ => Err(format!("unexpected GroupVersion string: {gv}")),
    }
}

/// upstream `validateParamKind`.
fn validate_param_kind(kind: &ParamKind, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let api_version = path.clone().child("apiVersion");
    if kind.api_version.is_empty() {
        errs.push(FieldError::required(api_version, ""));
    } else {
        match parse_group_version(&kind.api_version) {
            Err(e) => errs.push(FieldError::invalid(api_version, &kind.api_version, e)),
            Ok((group, version)) => {
                if !group.is_empty() {
                    let msgs = is_dns1123_subdomain(group);
                    if !msgs.is_empty() {
                        errs.push(FieldError::invalid(
                            api_version.clone(),
                            group,
                            msgs.join(","),
                        ));
                    }
                }
                if version.is_empty() {
                    errs.push(FieldError::invalid(
                        api_version,
                        &kind.api_version,
                        "version must be specified",
                    ));
                } else {
                    let msgs = is_dns1035_label(version);
                    if !msgs.is_empty() {
                        errs.push(FieldError::invalid(api_version, version, msgs.join(",")));
                    }
                }
            }
        }
    }
    let kind_path = path.clone().child("kind");
    if kind.kind.is_empty() {
        errs.push(FieldError::required(kind_path, ""));
    } else {
        let msgs = is_dns1035_label(&kind.kind.to_lowercase());
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(
                kind_path,
                &kind.kind,
                format!(
                    "may have mixed case, but should otherwise match: {}",
                    msgs.join(",")
                ),
            ));
        }
    }
    errs
}

/// upstream `validateMatchConditions`: at most 64, each valid, names unique.
fn validate_match_conditions(
    conditions: &[MatchCondition],
    compiler: &Compiler<'_>,
    opts: &Options<'_>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if conditions.len() > MAX_MATCH_CONDITIONS {
        errs.push(FieldError::too_many(
            path.clone(),
            conditions.len(),
            MAX_MATCH_CONDITIONS,
        ));
    }
    let mut names = BTreeSet::new();
    for (i, condition) in conditions.iter().enumerate() {
        let at = path.clone().index(i);
        errs.extend(validate_match_condition(condition, compiler, opts, &at));
        if !condition.name.is_empty() && !names.insert(condition.name.as_str()) {
            errs.push(FieldError::duplicate(at.child("name"), &condition.name));
        }
    }
    errs
}

/// upstream `validateMatchCondition`: the trimmed expression compiles (without variables),
/// then the name is a qualified name.
fn validate_match_condition(
    condition: &MatchCondition,
    compiler: &Compiler<'_>,
    opts: &Options<'_>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let expression = trim_space(&condition.expression);
    let expr_path = path.clone().child("expression");
    if expression.is_empty() {
        errs.push(FieldError::required(expr_path, ""));
    } else {
        let stored = opts.preexisting.match_conditions.contains(expression);
        if let Some(e) = compiler.check(
            expression,
            ExpressionRole::MatchCondition,
            compiler.has_params,
            stored,
        ) {
            errs.push(e.to_field_error(expr_path, expression));
        }
    }
    let name_path = path.clone().child("name");
    if condition.name.is_empty() {
        errs.push(FieldError::required(name_path, ""));
    } else {
        errs.extend(validate_qualified_name(&condition.name, &name_path));
    }
    errs
}

/// upstream `validateVariable`: a CEL identifier as name, an expression that compiles with the
/// variables before it; a compiled variable is visible to what follows, even when invalid.
fn validate_variable(
    variable: &Variable,
    compiler: &mut Compiler<'_>,
    opts: &Options<'_>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name_path = path.clone().child("name");
    if trim_space(&variable.name).is_empty() {
        errs.push(FieldError::required(name_path, "name is not specified"));
    } else if !is_cel_identifier(&variable.name) {
        errs.push(FieldError::invalid(
            name_path,
            &variable.name,
            "name is not a valid CEL identifier",
        ));
    }
    let expr_path = path.clone().child("expression");
    if trim_space(&variable.expression).is_empty() {
        errs.push(FieldError::required(
            expr_path,
            "expression is not specified",
        ));
    } else {
        // Upstream looks the variable's expression up among the stored *validation*
        // expressions.
        let stored = opts
            .preexisting
            .validations
            .contains(variable.expression.as_str());
        if let Some(e) = compiler.check(
            &variable.expression,
            ExpressionRole::Variable,
            compiler.has_params,
            stored,
        ) {
            errs.push(e.to_field_error(expr_path, &variable.expression));
        }
        compiler.variables.push(variable.clone());
    }
    errs
}

/// upstream `validateValidation`: expression, messageExpression, message, reason.
fn validate_validation(
    validation: &Validation,
    compiler: &Compiler<'_>,
    opts: &Options<'_>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let expr_path = path.clone().child("expression");
    if trim_space(&validation.expression).is_empty() {
        errs.push(FieldError::required(
            expr_path,
            "expression is not specified",
        ));
    } else {
        let stored = opts
            .preexisting
            .validations
            .contains(validation.expression.as_str());
        if let Some(e) = compiler.check(
            &validation.expression,
            ExpressionRole::Validation,
            compiler.has_params,
            stored,
        ) {
            errs.push(e.to_field_error(expr_path, &validation.expression));
        }
    }
    let msg_expr = &validation.message_expression;
    let msg_expr_path = path.clone().child("messageExpression");
    if !msg_expr.is_empty() && trim_space(msg_expr).is_empty() {
        errs.push(FieldError::invalid(
            msg_expr_path,
            msg_expr,
            "must be non-empty if specified",
        ));
    } else if !trim_space(msg_expr).is_empty() {
        // The untrimmed expression is compiled, so compile errors show the right columns.
        let stored = opts.preexisting.messages.contains(msg_expr.as_str());
        if let Some(e) = compiler.check(
            msg_expr,
            ExpressionRole::MessageExpression,
            compiler.has_params,
            stored,
        ) {
            errs.push(e.to_field_error(msg_expr_path, msg_expr));
        }
    }
    let message = &validation.message;
    let trimmed = trim_space(message);
    if !message.is_empty() && trimmed.is_empty() {
        errs.push(FieldError::invalid(
            path.clone().child("message"),
            message,
            "message must be non-empty if specified",
        ));
    } else if has_newlines(trimmed) {
        errs.push(FieldError::invalid(
            path.clone().child("message"),
            message,
            "message must not contain line breaks",
        ));
    }
    if let Some(reason) = &validation.reason
        && !SUPPORTED_REASONS.contains(&reason.as_str())
    {
        errs.push(FieldError::not_supported_json(
            path.clone().child("reason"),
            reason,
            &SUPPORTED_REASONS,
        ));
    }
    errs
}

/// upstream `validateAuditAnnotation`: the published key `<policy name>/<key>` is a qualified
/// name, the trimmed value expression is at most 5 KiB and compiles.
fn validate_audit_annotation(
    policy_name: &str,
    annotation: &AuditAnnotation,
    compiler: &Compiler<'_>,
    opts: &Options<'_>,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let key_path = path.clone().child("key");
    if policy_name.is_empty() {
        errs.push(FieldError::invalid(
            key_path,
            &annotation.key,
            "requires metadata.name be non-empty",
        ));
    } else {
        errs.extend(validate_qualified_name(
            &format!("{policy_name}/{}", annotation.key),
            &key_path,
        ));
    }
    let value_path = path.clone().child("valueExpression");
    let trimmed = trim_space(&annotation.value_expression);
    if trimmed.is_empty() {
        errs.push(FieldError::required(
            value_path,
            "valueExpression is not specified",
        ));
    } else if trimmed.len() > MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH {
        errs.push(FieldError::required(
            value_path,
            format!(
                "must not exceed {MAX_AUDIT_ANNOTATION_VALUE_EXPRESSION_LENGTH} bytes in length"
            ),
        ));
    } else {
        let stored = opts
            .preexisting
            .audit_values
            .contains(annotation.value_expression.as_str());
        if let Some(e) = compiler.check(
            trimmed,
            ExpressionRole::AuditAnnotation,
            compiler.has_params,
            stored,
        ) {
            // The trimmed expression is compiled; the untrimmed one is shown.
            errs.push(e.to_field_error(value_path, &annotation.value_expression));
        }
    }
    errs
}
