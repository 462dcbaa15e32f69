//! Properties of admission evaluation over arbitrary objects.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_vap::{AdmissionInput, evaluate};
use proptest::prelude::*;
use serde_json::{Value, json};

/// Arbitrary JSON, biased towards object shapes (metadata, spec with lists and numbers).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z:/.0-9-]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("metadata".to_owned()),
                    Just("spec".to_owned()),
                    Just("labels".to_owned()),
                    Just("replicas".to_owned()),
                    Just("containers".to_owned()),
                    Just("image".to_owned()),
                    "[a-z]{1,6}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const EXPRESSIONS: &[&str] = &[
    "object.spec.replicas <= 5",
    "object.spec.containers.all(c, c.image.startsWith('registry.example.com/'))",
    "has(object.metadata.labels) && 'team' in object.metadata.labels",
    "object.metadata.name.size() < 10",
    "!has(object.spec.hostNetwork) || object.spec.hostNetwork == false",
];

fn input(
    validations: Value,
    actions: Value,
    failure_policy: &str,
    object: Value,
    operation: &str,
) -> AdmissionInput {
    serde_json::from_value(json!({
        "policies": [{"metadata": {"name": "p"}, "spec": {
            "failurePolicy": failure_policy,
            "matchConstraints": {"resourceRules": [{"apiGroups": ["*"], "apiVersions": ["*"], "operations": ["*"], "resources": ["*"]}]},
            "variables": [{"name": "spec", "expression": "object.spec"}],
            "validations": validations,
            "auditAnnotations": [{"key": "k", "valueExpression": "'v'"}]}}],
        "bindings": [{"metadata": {"name": "b"}, "spec": {"policyName": "p", "validationActions": actions}}],
        "namespaces": [{"metadata": {"name": "default"}}],
        "request": {"operation": operation,
            "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
            "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
            "namespace": "default", "name": "web",
            "object": if operation == "DELETE" { Value::Null } else { object.clone() },
            "oldObject": if operation == "CREATE" { Value::Null } else { object }}
    }))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Validations that are always true never deny and never warn, whatever the object.
    #[test]
    fn true_validations_never_deny(
        object in json_value(),
        n in 1usize..4,
        op in prop_oneof![Just("CREATE"), Just("UPDATE"), Just("DELETE")],
        fp in prop_oneof![Just("Fail"), Just("Ignore")],
    ) {
        let validations: Vec<Value> = (0..n).map(|i| json!({"expression": format!("{i} == {i} || variables.spec == null")})).collect();
        let r = evaluate(&input(json!(validations), json!(["Deny", "Warn", "Audit"]), fp, object, op));
        prop_assert!(r.allowed, "{:?}", r.status);
        prop_assert!(r.warnings.is_empty());
        prop_assert!(!r.audit_annotations.contains_key("validation.policy.admission.k8s.io/validation_failure"));
    }

    /// Arbitrary objects never make evaluation panic; a denial always has a status and
    /// `Ignore` never denies because of an evaluation error.
    #[test]
    fn evaluation_is_total(object in json_value(), pick in 0usize..EXPRESSIONS.len(), fp in prop_oneof![Just("Fail"), Just("Ignore")]) {
        let validations = json!([{"expression": EXPRESSIONS[pick], "messageExpression": "'bad: ' + string(object.metadata.name)"}]);
        let r = evaluate(&input(validations, json!(["Deny"]), fp, object, "CREATE"));
        prop_assert_eq!(r.allowed, r.status.is_none());
        if let Some(s) = &r.status {
            prop_assert!(s.message.starts_with("deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: "));
            if fp == "Ignore" {
                prop_assert!(!s.message.contains("resulted in error"), "{}", s.message);
            }
        }
    }
}
