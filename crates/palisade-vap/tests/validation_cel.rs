//! Policy validation with the CEL-backed checker: which environment and which variables each
//! expression compiles with, as the API server decides on create and update.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_vap::ValidatingAdmissionPolicy;
use palisade_vap::validation::{CelChecker, validate_policy, validate_policy_update};
use serde_json::{Value, json};

fn policy(spec: Value) -> ValidatingAdmissionPolicy {
    let mut spec = spec;
    spec["matchConstraints"] = json!({"resourceRules": [{"apiGroups": ["apps"],
        "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["deployments"]}]});
    serde_json::from_value::<ValidatingAdmissionPolicy>(
        json!({"metadata": {"name": "p"}, "spec": spec}),
    )
    .unwrap()
    .defaulted()
}

fn errors(spec: Value, minor: u32) -> String {
    validate_policy(&policy(spec), &CelChecker::new(Some(minor)).unwrap()).to_string()
}

#[test]
fn a_valid_policy_has_no_errors() {
    let spec = json!({
        "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"},
        "variables": [{"name": "replicas", "expression": "object.spec.replicas"},
                      {"name": "limit", "expression": "int(params.data.max)"}],
        "matchConditions": [{"name": "ns", "expression": "request.namespace != 'kube-system'"}],
        "validations": [{"expression": "variables.replicas <= variables.limit",
                         "messageExpression": "'at most ' + string(variables.limit)"}],
        "auditAnnotations": [{"key": "who", "valueExpression": "request.userInfo.username"}]
    });
    assert_eq!(errors(spec, 37), "");
}

#[test]
fn a_variable_sees_only_the_variables_before_it_and_match_conditions_none() {
    let spec = json!({
        "variables": [{"name": "a", "expression": "variables.b"},
                      {"name": "b", "expression": "1"}],
        "matchConditions": [{"name": "m", "expression": "variables.b == 1"}],
        "validations": [{"expression": "variables.a == 1"}]
    });
    let text = errors(spec, 37);
    // Variables compile with composition: `variables` is an object of the earlier variables,
    // so a later one is an undefined field.
    assert!(
        text.contains("spec.variables[0].expression: Invalid value: \"variables.b\": compilation failed: ERROR: <input>:1:10: undefined field 'b'"),
        "{text}"
    );
    // Match conditions compile without composition: `variables` is not declared at all.
    assert!(
        text.contains("spec.matchConditions[0].expression: Invalid value: \"variables.b == 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'variables' (in container '')"),
        "{text}"
    );
    assert!(!text.contains("spec.validations"), "{text}");
}

#[test]
fn new_expressions_compile_in_the_previous_version_stored_ones_in_the_current() {
    // The semver library is in the base environment from 1.33: a 1.33 API server accepts it
    // in a new policy only once its compatibility version (1.32) has it.
    let spec = json!({"validations": [{"expression": "semver('1.2.3').major() == 1"}]});
    assert!(errors(spec.clone(), 33).contains("undeclared reference to 'semver'"));
    assert_eq!(errors(spec.clone(), 34), "");
    // An update keeps compiling what was already stored, in the stored environment.
    let checker = CelChecker::new(Some(33)).unwrap();
    let p = policy(spec.clone());
    assert_eq!(validate_policy_update(&p, &p, &checker).to_string(), "");
    let old = policy(json!({"validations": [{"expression": "true"}]}));
    assert!(
        validate_policy_update(&p, &old, &checker)
            .to_string()
            .contains("undeclared reference to 'semver'")
    );
}

#[test]
fn params_need_a_param_kind() {
    let spec = json!({"validations": [{"expression": "params == null"}]});
    let text = errors(spec, 37);
    assert_eq!(
        text,
        "spec.validations[0].expression: Invalid value: \"params == null\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params == null\n | ^"
    );
}

#[test]
fn expressions_must_have_the_type_their_field_needs() {
    let text = errors(
        json!({"validations": [{"expression": "object.spec.replicas", "messageExpression": "1"}],
               "auditAnnotations": [{"key": "k", "valueExpression": "object.metadata.name"}]}),
        37,
    );
    assert!(
        text.contains("spec.validations[0].expression: Invalid value: \"object.spec.replicas\": must evaluate to bool but got dyn"),
        "{text}"
    );
    assert!(
        text.contains("spec.validations[0].messageExpression: Invalid value: \"1\": must evaluate to string but got int"),
        "{text}"
    );
    assert!(
        text.contains("spec.auditAnnotations[0].valueExpression: Invalid value: \"object.metadata.name\": must evaluate to one of [string null_type] but got dyn"),
        "{text}"
    );
    assert_eq!(
        errors(
            json!({"validations": [{"expression": "object.spec.replicas < 5",
            "messageExpression": "'too many: ' + string(object.spec.replicas)"}]}),
            37
        ),
        ""
    );
}
