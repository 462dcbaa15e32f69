//! Policy and binding validation against the API server's rules, paths, texts and order.

use std::cell::RefCell;

use serde_json::{Value, json};

use super::*;
use crate::policy::{ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding};

const DNS1035: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

fn policy(v: Value) -> ValidatingAdmissionPolicy {
    serde_json::from_value(v).unwrap()
}

fn binding(v: Value) -> ValidatingAdmissionPolicyBinding {
    serde_json::from_value(v).unwrap()
}

/// A policy the API server accepts, with the spec fields merged over it.
fn valid_policy(spec: Value) -> ValidatingAdmissionPolicy {
    let mut base = json!({
        "metadata": {"name": "replica-limit"},
        "spec": {
            "matchConstraints": {"resourceRules": [{
                "apiGroups": ["apps"], "apiVersions": ["v1"],
                "operations": ["CREATE", "UPDATE"], "resources": ["deployments"]}]},
            "validations": [{"expression": "object.spec.replicas <= 5"}]
        }
    });
    if let (Some(s), Value::Object(extra)) = (base["spec"].as_object_mut(), spec) {
        s.extend(extra);
    }
    policy(base).defaulted()
}

fn texts(errors: &ValidationErrors) -> Vec<String> {
    errors.0.iter().map(ToString::to_string).collect()
}

fn check(p: &ValidatingAdmissionPolicy) -> Vec<String> {
    texts(&validate_policy(p, &AcceptAll))
}

/// A stand-in for the CEL checker: `variables.<name>` must name a variable compiled before,
/// `params` needs a paramKind, `authorizer` is not declared for messages, and an expression
/// containing `BAD` has a syntax error. Every call's context is recorded.
#[derive(Default)]
struct FakeChecker {
    seen: RefCell<Vec<Seen>>,
}

/// What the checker was asked: expression, role, has params, visible variables, stored.
type Seen = (String, ExpressionRole, bool, Vec<String>, bool);

impl ExpressionChecker for FakeChecker {
    fn check(&self, expression: &str, cx: &ExpressionContext<'_>) -> Option<CompileError> {
        let names: Vec<String> = cx.variables.iter().map(|v| v.name.clone()).collect();
        self.seen.borrow_mut().push((
            expression.to_owned(),
            cx.role,
            cx.has_params,
            names.clone(),
            cx.stored,
        ));
        if expression.contains("BAD") {
            return Some(CompileError::invalid(
                "compilation failed: ERROR: <input>:1:1: Syntax error: mismatched input 'BAD'",
            ));
        }
        if expression.contains("params") && !cx.has_params {
            return Some(CompileError::invalid(
                "compilation failed: ERROR: <input>:1:1: undeclared reference to 'params'",
            ));
        }
        if expression.contains("authorizer") && !cx.has_authorizer {
            return Some(CompileError::invalid(
                "compilation failed: ERROR: <input>:1:1: undeclared reference to 'authorizer'",
            ));
        }
        if cx.role == ExpressionRole::Validation && expression == "'text'" {
            return Some(CompileError::invalid("must evaluate to bool"));
        }
        if expression == "internal" {
            return Some(CompileError {
                kind: CompileErrorKind::Internal,
                detail: "program instantiation failed: boom".into(),
            });
        }
        if let Some(rest) = expression.strip_prefix("variables.") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !names.contains(&name) {
                return Some(CompileError::invalid(format!(
                    "compilation failed: ERROR: <input>:1:10: undefined field '{name}'"
                )));
            }
        }
        None
    }
}

#[test]
fn a_valid_defaulted_policy_has_no_errors() {
    assert_eq!(check(&valid_policy(json!({}))), Vec::<String>::new());
    let with_everything = valid_policy(json!({
        "paramKind": {"apiVersion": "rules.example.com/v1", "kind": "ReplicaLimit"},
        "matchConditions": [{"name": "example.com/not-system", "expression": "true"}],
        "variables": [{"name": "replicas", "expression": "object.spec.replicas"}],
        "validations": [{"expression": "variables.replicas <= params.max",
                         "messageExpression": "'too many: ' + string(variables.replicas)",
                         "message": "too many replicas", "reason": "Forbidden"}],
        "auditAnnotations": [{"key": "high-replicas", "valueExpression": "'yes'"}]
    }));
    assert!(validate_policy(&with_everything, &FakeChecker::default()).is_empty());
}

#[test]
fn an_empty_policy_reports_every_missing_field_in_order() {
    let errors = validate_policy(&policy(json!({})), &AcceptAll);
    assert_eq!(
        texts(&errors),
        [
            "metadata.name: Required value: name or generateName is required",
            "spec.failurePolicy: Required value",
            "spec.matchConstraints: Required value",
            "spec.validations: Required value: validations or auditAnnotations must contain at least one item",
            "spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item",
        ]
    );
    assert_eq!(
        errors.to_string(),
        "[metadata.name: Required value: name or generateName is required, \
         spec.failurePolicy: Required value, spec.matchConstraints: Required value, \
         spec.validations: Required value: validations or auditAnnotations must contain at least one item, \
         spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item]"
    );
}

#[test]
fn metadata_follows_object_meta_rules() {
    let mut p = valid_policy(json!({}));
    p.metadata.name = "Not_A_Subdomain".into();
    p.metadata.namespace = "default".into();
    p.metadata.labels.insert("team".into(), "a b".into());
    let t = check(&p);
    assert_eq!(
        t[0],
        format!("metadata.name: Invalid value: \"Not_A_Subdomain\": {SUBDOMAIN}")
    );
    assert_eq!(
        t[1],
        "metadata.namespace: Forbidden: not allowed on this type"
    );
    assert!(
        t[2].starts_with("metadata.labels: Invalid value: \"a b\": a valid label must be"),
        "{}",
        t[2]
    );
    assert_eq!(t.len(), 3);
}

#[test]
fn match_constraints_need_defaults_and_resource_rules() {
    let p = policy(json!({
        "metadata": {"name": "p"},
        "spec": {"failurePolicy": "Fail", "matchConstraints": {},
                 "validations": [{"expression": "true"}]}
    }));
    assert_eq!(
        check(&p),
        [
            "spec.matchConstraints.matchPolicy: Required value",
            "spec.matchConstraints.namespaceSelector: Required value",
            "spec.matchConstraints.objectSelector: Required value",
            "spec.matchConstraints.resourceRules: Required value",
        ]
    );
    let p = valid_policy(json!({"matchConstraints": {
        "namespaceSelector": {"matchExpressions": [{"key": "env", "operator": "In"}]},
        "resourceRules": [{"operations": ["*"], "apiGroups": [""], "apiVersions": ["v1"],
                           "resources": ["pods"], "resourceNames": ["."]}],
        "excludeResourceRules": [{"operations": ["DELETE"], "apiGroups": [""],
                                  "apiVersions": ["v1"], "resources": ["pods/*", "pods/log"]}]
    }}));
    assert_eq!(
        check(&p),
        [
            "spec.matchConstraints.namespaceSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "spec.matchConstraints.resourceRules[0].resourceNames[0]: Invalid value: \".\": may not be '.'",
            "spec.matchConstraints.excludeResourceRules[0].resources[1]: Invalid value: \"pods/log\": if 'pods/*' is present, must not specify pods/log",
        ]
    );
}

#[test]
fn param_kind_group_version_and_kind() {
    let kind = |api_version: &str, kind: &str| {
        check(&valid_policy(
            json!({"paramKind": {"apiVersion": api_version, "kind": kind}}),
        ))
    };
    assert!(kind("v1", "ConfigMap").is_empty());
    assert!(kind("example.com/v1alpha1", "ReplicaLimit").is_empty());
    assert_eq!(
        kind("", ""),
        [
            "spec.paramKind.apiVersion: Required value",
            "spec.paramKind.kind: Required value"
        ]
    );
    // Without a slash the whole value is the version, which may not hold dots.
    assert_eq!(
        kind("example.com", "X"),
        [format!(
            "spec.paramKind.apiVersion: Invalid value: \"example.com\": {DNS1035}"
        )]
    );
    assert_eq!(
        kind("a/b/c", "X"),
        [
            "spec.paramKind.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c"
        ]
    );
    assert_eq!(
        kind("Example/v1", "X"),
        [format!(
            "spec.paramKind.apiVersion: Invalid value: \"Example\": {SUBDOMAIN}"
        )]
    );
    assert_eq!(
        kind("example.com/", "X"),
        ["spec.paramKind.apiVersion: Invalid value: \"example.com/\": version must be specified"]
    );
    // `/` alone parses as an empty group and version.
    assert_eq!(
        kind("/", "X"),
        ["spec.paramKind.apiVersion: Invalid value: \"/\": version must be specified"]
    );
    assert_eq!(
        kind("v1", "Replica_Limit"),
        [format!(
            "spec.paramKind.kind: Invalid value: \"Replica_Limit\": may have mixed case, but should otherwise match: {DNS1035}"
        )]
    );
}

#[test]
fn validations_expression_message_and_reason() {
    let p = valid_policy(json!({"validations": [
        {"expression": "  \n"},
        {"expression": "true", "messageExpression": "   "},
        {"expression": "true", "message": "  "},
        {"expression": "true", "message": "line one\nline two"},
        {"expression": "true", "message": "  trailing newline is trimmed\n"},
        {"expression": "true", "reason": "Conflict"}
    ]}));
    assert_eq!(
        check(&p),
        [
            "spec.validations[0].expression: Required value: expression is not specified",
            "spec.validations[1].messageExpression: Invalid value: \"   \": must be non-empty if specified",
            "spec.validations[2].message: Invalid value: \"  \": message must be non-empty if specified",
            "spec.validations[3].message: Invalid value: \"line one\\nline two\": message must not contain line breaks",
            "spec.validations[5].reason: Unsupported value: \"Conflict\": supported values: \"Forbidden\", \"Invalid\", \"RequestEntityTooLarge\"",
        ]
    );
}

#[test]
fn compile_errors_become_field_errors_at_their_expression() {
    let p = valid_policy(json!({
        "matchConditions": [{"name": "uses-params", "expression": "  params.x == 1  "}],
        "variables": [{"name": "v", "expression": "BAD"}],
        "validations": [
            {"expression": " 'text'"},
            {"expression": "'text'", "messageExpression": " authorizer.path('x') "},
            {"expression": "internal"}
        ],
        "auditAnnotations": [{"key": "k", "valueExpression": "  BAD  "}]
    }));
    assert_eq!(
        texts(&validate_policy(&p, &FakeChecker::default())),
        [
            // Match conditions compile the trimmed expression and show it trimmed.
            "spec.matchConditions[0].expression: Invalid value: \"params.x == 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params'",
            "spec.variables[0].expression: Invalid value: \"BAD\": compilation failed: ERROR: <input>:1:1: Syntax error: mismatched input 'BAD'",
            "spec.validations[1].expression: Invalid value: \"'text'\": must evaluate to bool",
            "spec.validations[1].messageExpression: Invalid value: \" authorizer.path('x') \": compilation failed: ERROR: <input>:1:1: undeclared reference to 'authorizer'",
            "spec.validations[2].expression: Internal error: program instantiation failed: boom",
            // Audit annotations compile the trimmed expression but show it as written.
            "spec.auditAnnotations[0].valueExpression: Invalid value: \"  BAD  \": compilation failed: ERROR: <input>:1:1: Syntax error: mismatched input 'BAD'",
        ]
    );
    // `validations[0]` (" 'text'") is compiled untrimmed, so the fake checker accepts it.
    let required = |_: &str, _: &ExpressionContext<'_>| {
        Some(CompileError {
            kind: CompileErrorKind::Required,
            detail: "not there".into(),
        })
    };
    let p = valid_policy(json!({}));
    assert_eq!(
        texts(&validate_policy(&p, &required)),
        ["spec.validations[0].expression: Required value: not there"]
    );
}

#[test]
fn expressions_see_params_authorizer_and_earlier_variables() {
    let checker = FakeChecker::default();
    let p = valid_policy(json!({
        "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
        "matchConditions": [{"name": "m", "expression": "true"}],
        "variables": [
            {"name": "late", "expression": "variables.early"},
            {"name": "early", "expression": "1"},
            {"name": "skipped", "expression": " "},
            {"name": "both", "expression": "variables.early + variables.late"}
        ],
        "validations": [{"expression": "variables.both > 0", "messageExpression": "'m'"}],
        "auditAnnotations": [{"key": "k", "valueExpression": "'v'"}]
    }));
    assert_eq!(
        texts(&validate_policy(&p, &checker)),
        [
            "spec.variables[0].expression: Invalid value: \"variables.early\": compilation failed: ERROR: <input>:1:10: undefined field 'early'",
            "spec.variables[2].expression: Required value: expression is not specified",
        ]
    );
    let seen = checker.seen.borrow();
    let summary: Vec<(ExpressionRole, bool, Vec<String>)> = seen
        .iter()
        .map(|(_, role, params, vars, _)| (*role, *params, vars.clone()))
        .collect();
    let all = vec!["late".to_owned(), "early".to_owned(), "both".to_owned()];
    assert_eq!(
        summary,
        [
            (ExpressionRole::MatchCondition, true, vec![]),
            (ExpressionRole::Variable, true, vec![]),
            (ExpressionRole::Variable, true, vec!["late".to_owned()]),
            (
                ExpressionRole::Variable,
                true,
                vec!["late".to_owned(), "early".to_owned()]
            ),
            (ExpressionRole::Validation, true, all.clone()),
            (ExpressionRole::MessageExpression, true, all.clone()),
            (ExpressionRole::AuditAnnotation, true, all),
        ]
    );
    assert!(seen.iter().all(|s| !s.4), "nothing is stored on create");
}

#[test]
fn variable_names() {
    let p = valid_policy(json!({"variables": [
        {"name": "  ", "expression": "1"},
        {"name": "4ever", "expression": "1"},
        {"name": "while", "expression": "1"},
        {"name": "ok_1", "expression": ""}
    ]}));
    assert_eq!(
        check(&p),
        [
            "spec.variables[0].name: Required value: name is not specified",
            "spec.variables[1].name: Invalid value: \"4ever\": name is not a valid CEL identifier",
            "spec.variables[2].name: Invalid value: \"while\": name is not a valid CEL identifier",
            "spec.variables[3].expression: Required value: expression is not specified",
        ]
    );
}

#[test]
fn match_conditions_names_and_limits() {
    let p = valid_policy(json!({"matchConditions": [
        {"name": "", "expression": " "},
        {"name": "a/b/c", "expression": "true"},
        {"name": "same", "expression": "true"},
        {"name": "same", "expression": "true"}
    ]}));
    let t = check(&p);
    assert_eq!(t[0], "spec.matchConditions[0].expression: Required value");
    assert_eq!(t[1], "spec.matchConditions[0].name: Required value");
    assert!(
        t[2].starts_with("spec.matchConditions[1].name: Invalid value: \"a/b/c\": a valid label key must consist of"),
        "{}",
        t[2]
    );
    assert_eq!(
        t[3],
        "spec.matchConditions[3].name: Duplicate value: \"same\""
    );
    assert_eq!(t.len(), 4);

    let many: Vec<Value> = (0..65)
        .map(|i| json!({"name": format!("c{i}"), "expression": "true"}))
        .collect();
    assert_eq!(
        check(&valid_policy(json!({"matchConditions": many}))),
        ["spec.matchConditions: Too many: 65: must have at most 64 items"]
    );
}

#[test]
fn audit_annotations_keys_values_and_limits() {
    let p = valid_policy(json!({"auditAnnotations": [
        {"key": "@", "valueExpression": "'a'"},
        {"key": "ok", "valueExpression": " "},
        {"key": "ok", "valueExpression": "x".repeat(5121)},
        {"key": "fine", "valueExpression": format!(" {} ", "x".repeat(5120))}
    ]}));
    let t = check(&p);
    assert!(
        t[0].starts_with("spec.auditAnnotations[0].key: Invalid value: \"replica-limit/@\": name part must consist of alphanumeric characters"),
        "{}",
        t[0]
    );
    assert_eq!(
        t[1..],
        [
            "spec.auditAnnotations[1].valueExpression: Required value: valueExpression is not specified",
            "spec.auditAnnotations[2].valueExpression: Required value: must not exceed 5120 bytes in length",
            "spec.auditAnnotations[2].key: Duplicate value: \"ok\"",
        ]
    );

    let mut nameless =
        valid_policy(json!({"auditAnnotations": [{"key": "k", "valueExpression": "'v'"}]}));
    nameless.metadata.name.clear();
    assert_eq!(
        check(&nameless),
        [
            "metadata.name: Required value: name or generateName is required",
            "spec.auditAnnotations[0].key: Invalid value: \"k\": requires metadata.name be non-empty",
        ]
    );

    let many: Vec<Value> = (0..21)
        .map(|i| json!({"key": format!("k{i}"), "valueExpression": "'<v>'"}))
        .collect();
    let t = check(&valid_policy(json!({"auditAnnotations": many})));
    assert_eq!(t.len(), 1);
    assert!(
        t[0].starts_with(
            "spec.auditAnnotations: Invalid value: [{\"Key\":\"k0\",\"ValueExpression\":\"'\\u003cv\\u003e'\"},{\"Key\":\"k1\""
        ),
        "{}",
        t[0]
    );
    assert!(t[0].ends_with("}]: must not have more than 20 auditAnnotations"));
}

#[test]
fn audit_annotations_alone_satisfy_the_validations_requirement() {
    let p = valid_policy(json!({"validations": [],
        "auditAnnotations": [{"key": "k", "valueExpression": "'v'"}]}));
    assert!(check(&p).is_empty());
}

#[test]
fn update_skips_unchanged_match_conditions_and_marks_stored_expressions() {
    let old = valid_policy(json!({
        "matchConditions": [{"name": "m", "expression": "params.x"}],
        "validations": [{"expression": "old()", "messageExpression": "'msg'"}],
        "auditAnnotations": [{"key": "k", "valueExpression": "'v'"}]
    }));
    let mut new = old.clone();
    new.spec.validations.push(crate::policy::Validation {
        expression: "new()".into(),
        ..Default::default()
    });
    let checker = FakeChecker::default();
    // The match condition would not compile without params, but it is unchanged.
    assert!(validate_policy_update(&new, &old, &checker).is_empty());
    let stored: Vec<(String, bool)> = checker
        .seen
        .borrow()
        .iter()
        .map(|s| (s.0.clone(), s.4))
        .collect();
    assert_eq!(
        stored,
        [
            ("old()".to_owned(), true),
            ("'msg'".to_owned(), true),
            ("new()".to_owned(), false),
            ("'v'".to_owned(), true),
        ]
    );
    // A changed paramKind re-checks the match conditions (and a create always does).
    let mut changed = new.clone();
    changed.spec.param_kind = Some(crate::policy::ParamKind {
        api_version: "v1".into(),
        kind: "ConfigMap".into(),
    });
    assert!(validate_policy_update(&changed, &old, &FakeChecker::default()).is_empty());
    assert_eq!(
        texts(&validate_policy(&new, &FakeChecker::default())),
        [
            "spec.matchConditions[0].expression: Invalid value: \"params.x\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params'"
        ]
    );
}

fn valid_binding(spec: Value) -> ValidatingAdmissionPolicyBinding {
    let mut base = json!({
        "metadata": {"name": "replica-limit-binding"},
        "spec": {"policyName": "replica-limit", "validationActions": ["Deny"]}
    });
    if let (Some(s), Value::Object(extra)) = (base["spec"].as_object_mut(), spec) {
        s.extend(extra);
    }
    binding(base).defaulted()
}

fn check_binding(b: &ValidatingAdmissionPolicyBinding) -> Vec<String> {
    texts(&validate_binding(b))
}

#[test]
fn a_valid_binding_has_no_errors() {
    assert!(check_binding(&valid_binding(json!({}))).is_empty());
    let b = valid_binding(json!({
        "paramRef": {"name": "limits", "namespace": "default"},
        "matchResources": {"namespaceSelector": {"matchLabels": {"env": "test"}}},
        "validationActions": ["Warn", "Audit"]
    }));
    assert!(check_binding(&b).is_empty());
    assert!(validate_binding_update(&b, &valid_binding(json!({}))).is_empty());
}

#[test]
fn an_empty_binding_reports_in_order() {
    let errors = validate_binding(&binding(json!({})));
    assert_eq!(
        errors.to_string(),
        "[metadata.name: Required value: name or generateName is required, \
         spec.policyName: Required value, \
         spec.validationActions: Required value: at least one validation action is required]"
    );
}

#[test]
fn binding_policy_name_and_match_resources_path() {
    let b = valid_binding(json!({
        "policyName": "Replica_Limit",
        "matchResources": {"resourceRules": [{"operations": ["CREATE"], "apiGroups": ["apps"],
                           "apiVersions": ["v1"], "resources": []}]}
    }));
    assert_eq!(
        check_binding(&b),
        [
            format!("spec.policyName: Invalid value: \"Replica_Limit\": {SUBDOMAIN}"),
            // The API server reports the binding's match resources under this misspelt path.
            "spec.matchResouces.resourceRules[0].resources: Required value".to_owned(),
        ]
    );
    let undefaulted = binding(json!({
        "metadata": {"name": "b"},
        "spec": {"policyName": "p", "validationActions": ["Audit"], "matchResources": {}}
    }));
    assert_eq!(
        check_binding(&undefaulted),
        [
            "spec.matchResouces.matchPolicy: Required value",
            "spec.matchResouces.namespaceSelector: Required value",
            "spec.matchResouces.objectSelector: Required value",
        ]
    );
}

#[test]
fn binding_param_refs() {
    let t = check_binding(&valid_binding(json!({"paramRef": {
        "name": "a/..", "selector": {"matchLabels": {"bad key!": "v"}}
    }})));
    assert_eq!(
        t[0],
        "spec.paramRef.name: Invalid value: \"a/..\": may not contain '/'"
    );
    assert_eq!(
        t[1],
        "spec.paramRef.name: Forbidden: name and selector are mutually exclusive"
    );
    assert!(
        t[2].starts_with("spec.paramRef.selector.matchLabels: Invalid value: \"bad key!\": name part must consist"),
        "{}",
        t[2]
    );
    assert_eq!(
        t[3],
        "spec.paramRef.selector: Forbidden: name and selector are mutually exclusive"
    );
    assert_eq!(t.len(), 4);

    let undefaulted = binding(json!({
        "metadata": {"name": "b"},
        "spec": {"policyName": "p", "validationActions": ["Deny"], "paramRef": {}}
    }));
    assert_eq!(
        check_binding(&undefaulted),
        [
            "spec.paramRef: Required value: one of name or selector must be specified",
            "spec.paramRef.parameterNotFoundAction: Required value",
        ]
    );
    // An empty selector selects every param and is valid.
    assert!(check_binding(&valid_binding(json!({"paramRef": {"selector": {}}}))).is_empty());
}

#[test]
fn binding_validation_actions() {
    let b = valid_binding(json!({"validationActions": ["Deny", "Audit", "Deny", "Warn"]}));
    assert_eq!(
        validate_binding(&b).to_string(),
        "[spec.validationActions[2]: Duplicate value: \"Deny\", \
         spec.validationActions: Invalid value: [\"Deny\",\"Audit\",\"Deny\",\"Warn\"]: must not contain both Deny and Warn \
         (repeating the same validation failure information in the API response and headers serves no purpose)]"
    );
}

#[test]
fn repeated_messages_are_shown_once_in_the_aggregate() {
    let b = valid_binding(json!({"validationActions": ["Audit", "Audit", "Audit"]}));
    assert_eq!(b.spec.validation_actions.len(), 3);
    assert_eq!(validate_binding(&b).0.len(), 2);
    assert_eq!(
        validate_binding(&b).to_string(),
        "[spec.validationActions[1]: Duplicate value: \"Audit\", spec.validationActions[2]: Duplicate value: \"Audit\"]"
    );
}

#[test]
fn unsupported_enum_values_are_reported_as_upstream_reports_them() {
    let p = valid_policy(json!({"failurePolicy": "Sometimes"}));
    assert_eq!(
        check(&p),
        [
            r#"spec.failurePolicy: Unsupported value: "Sometimes": supported values: "Fail", "Ignore""#
        ]
    );
    let mut p = valid_policy(json!({}));
    if let Some(mc) = p.spec.match_constraints.as_mut() {
        mc.match_policy = serde_json::from_value(json!("Loose")).unwrap();
    }
    assert_eq!(
        check(&p),
        [
            r#"spec.matchConstraints.matchPolicy: Unsupported value: "Loose": supported values: "Equivalent", "Exact""#
        ]
    );
    // Known values still read as their variants.
    assert_eq!(
        valid_policy(json!({"failurePolicy": "Ignore"}))
            .spec
            .failure_policy,
        Some(crate::policy::FailurePolicy::Ignore)
    );
    let b = binding(json!({
        "metadata": {"name": "b"},
        "spec": {"policyName": "p", "validationActions": ["Deny", "Block", "Deny"],
                 "paramRef": {"name": "limits", "parameterNotFoundAction": "Ignore"}}
    }))
    .defaulted();
    assert_eq!(
        texts(&validate_binding(&b)),
        [
            r#"spec.paramRef.parameterNotFoundAction: Unsupported value: "Ignore": supported values: "Deny", "Allow""#,
            r#"spec.validationActions[1]: Unsupported value: "Block": supported values: "Audit", "Deny", "Warn""#,
            r#"spec.validationActions[2]: Duplicate value: "Deny""#,
        ]
    );
    let empty = binding(json!({
        "metadata": {"name": "b"},
        "spec": {"policyName": "p", "validationActions": ["Audit"],
                 "paramRef": {"name": "limits", "parameterNotFoundAction": ""}}
    }))
    .defaulted();
    assert_eq!(
        texts(&validate_binding(&empty)),
        ["spec.paramRef.parameterNotFoundAction: Required value"]
    );
}
