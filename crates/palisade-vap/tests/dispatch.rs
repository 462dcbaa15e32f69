//! The dispatcher with a scripted validator: how decisions become the API server's answer.
//! Expected texts follow the formatting code of the upstream plugin (`dispatcher.go`,
//! `admission/errors.go`, apimachinery's `NewForbidden`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_vap::validator::{
    Action, AuditAnnotationAction, Evaluation, PolicyAuditAnnotation, PolicyDecision,
};
use palisade_vap::{
    AdmissionRequest, Cluster, PolicyHook, ValidateInput, ValidateResult,
    ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding, Validator, dispatch,
};
use serde_json::json;

struct Scripted(ValidateResult);

impl Validator for Scripted {
    fn validate(&self, _: &ValidateInput<'_>) -> ValidateResult {
        self.0.clone()
    }
}

fn deny(message: &str, reason: &str) -> PolicyDecision {
    PolicyDecision {
        action: Action::Deny,
        evaluation: Evaluation::Deny,
        message: message.into(),
        reason: reason.into(),
    }
}

fn policy(spec: serde_json::Value) -> ValidatingAdmissionPolicy {
    serde_json::from_value::<ValidatingAdmissionPolicy>(
        json!({"metadata": {"name": "p"}, "spec": spec}),
    )
    .unwrap()
    .defaulted()
}

fn binding(spec: serde_json::Value) -> ValidatingAdmissionPolicyBinding {
    serde_json::from_value::<ValidatingAdmissionPolicyBinding>(
        json!({"metadata": {"name": "b"}, "spec": spec}),
    )
    .unwrap()
    .defaulted()
}

fn request() -> AdmissionRequest {
    serde_json::from_value(json!({
        "operation": "CREATE",
        "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
        "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
        "namespace": "default",
        "object": {"metadata": {"generateName": "web-"}}
    }))
    .unwrap()
}

fn cluster() -> Cluster {
    Cluster {
        namespaces: vec![json!({"metadata": {"name": "default"}})],
        ..Default::default()
    }
}

fn run(
    p: &ValidatingAdmissionPolicy,
    b: &ValidatingAdmissionPolicyBinding,
    v: &dyn Validator,
) -> palisade_vap::AdmissionResponse {
    let hooks = [PolicyHook {
        policy: p,
        bindings: std::slice::from_ref(b),
        validator: v,
        configuration_error: None,
    }];
    dispatch(&hooks, &request(), &cluster())
}

#[test]
fn a_denial_names_policy_binding_and_generate_name() {
    let p = policy(json!({}));
    let b = binding(json!({"policyName": "p", "validationActions": ["Deny"]}));
    let v = Scripted(ValidateResult {
        decisions: vec![deny("too many replicas", "Forbidden")],
        audit_annotations: vec![],
    });
    let r = run(&p, &b, &v);
    assert!(!r.allowed);
    let s = r.status.unwrap();
    assert_eq!(s.code, 403);
    assert_eq!(s.reason, "Forbidden");
    assert_eq!(
        s.message,
        "deployments.apps \"web-\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: too many replicas"
    );
    let d = s.details.unwrap();
    assert_eq!(
        (d.name.as_str(), d.group.as_str(), d.kind.as_str()),
        ("web-", "apps", "deployments")
    );
    assert_eq!(
        d.causes[0].message,
        "ValidatingAdmissionPolicy 'p' with binding 'b' denied request: too many replicas"
    );
}

#[test]
fn warn_and_audit_admit_with_a_warning_and_the_failure_annotation() {
    let p = policy(json!({}));
    let b = binding(json!({"policyName": "p", "validationActions": ["Warn", "Audit"]}));
    let v = Scripted(ValidateResult {
        decisions: vec![
            PolicyDecision {
                action: Action::Admit,
                evaluation: Evaluation::Admit,
                message: String::new(),
                reason: String::new(),
            },
            deny("a < b", ""),
        ],
        audit_annotations: vec![PolicyAuditAnnotation {
            key: "replicas".into(),
            action: AuditAnnotationAction::Publish("3".into()),
        }],
    });
    let r = run(&p, &b, &v);
    assert!(r.allowed);
    assert_eq!(
        r.warnings,
        ["Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': a < b"]
    );
    assert_eq!(
        r.audit_annotations["validation.policy.admission.k8s.io/validation_failure"],
        r#"[{"message":"a \u003c b","policy":"p","binding":"b","expressionIndex":1,"validationActions":["Warn","Audit"]}]"#
    );
    assert_eq!(r.audit_annotations["p/replicas"], "3");
}

#[test]
fn missing_params_deny_under_fail_and_admit_under_ignore() {
    let spec = |fp: &str| json!({"failurePolicy": fp, "paramKind": {"apiVersion": "v1", "kind": "ConfigMap"}});
    let b = binding(
        json!({"policyName": "p", "validationActions": ["Deny"], "paramRef": {"name": "limits"}}),
    );
    let v = Scripted(ValidateResult::default());
    let r = run(&policy(spec("Fail")), &b, &v);
    assert_eq!(
        r.status.unwrap().message,
        "deployments.apps \"web-\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction"
    );
    assert!(run(&policy(spec("Ignore")), &b, &v).allowed);
}

#[test]
fn policies_never_see_admission_configuration_objects() {
    let p = policy(json!({}));
    let b = binding(json!({"policyName": "p", "validationActions": ["Deny"]}));
    let v = Scripted(ValidateResult {
        decisions: vec![deny("no", "")],
        audit_annotations: vec![],
    });
    let hooks = [PolicyHook {
        policy: &p,
        bindings: std::slice::from_ref(&b),
        validator: &v,
        configuration_error: None,
    }];
    let mut req = request();
    req.kind = palisade_vap::GroupVersionKind::new(
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicy",
    );
    assert!(dispatch(&hooks, &req, &cluster()).allowed);
}

/// Records the `request` the dispatcher hands it.
struct Recorder {
    reads_request: bool,
    seen: std::cell::RefCell<Vec<serde_json::Value>>,
}

impl Validator for Recorder {
    fn validate(&self, input: &ValidateInput<'_>) -> ValidateResult {
        self.seen.borrow_mut().push(input.cel_request.clone());
        ValidateResult::default()
    }
    fn reads_request(&self) -> bool {
        self.reads_request
    }
}

#[test]
fn the_request_is_built_only_for_validators_that_read_it() {
    let p = policy(json!({}));
    let b = binding(json!({"policyName": "p", "validationActions": ["Deny"]}));
    for reads_request in [true, false] {
        let v = Recorder {
            reads_request,
            seen: Default::default(),
        };
        assert!(run(&p, &b, &v).allowed);
        let seen = v.seen.borrow();
        assert_eq!(seen.len(), 1);
        if reads_request {
            assert_eq!(seen[0]["operation"], "CREATE");
            assert_eq!(seen[0]["kind"]["kind"], "Deployment");
        } else {
            assert!(seen[0].is_null());
        }
    }
}

#[test]
fn a_compiled_policy_reads_the_request_when_any_expression_does() {
    let reads = |spec: serde_json::Value| {
        let v = palisade_vap::cel::CelValidator::compile(
            &policy(spec),
            None,
            Box::new(palisade_cel::authz::NoOpinion),
        )
        .unwrap();
        v.reads_request()
    };
    assert!(!reads(
        json!({"validations": [{"expression": "object.spec.replicas < 5"}]})
    ));
    assert!(reads(
        json!({"validations": [{"expression": "request.operation == 'CREATE'"}]})
    ));
    assert!(reads(json!({"validations": [{"expression": "true",
        "messageExpression": "'by ' + request.userInfo.username"}]})));
    assert!(reads(json!({"variables": [{"name": "ok",
        "expression": "authorizer.group('').resource('pods').check('get').allowed()"}],
        "validations": [{"expression": "variables.ok"}]})));
    assert!(reads(json!({"matchConditions": [{"name": "ns",
        "expression": "request.namespace != 'kube-system'"}],
        "validations": [{"expression": "true"}]})));
    assert!(reads(json!({"auditAnnotations": [{"key": "who",
        "valueExpression": "request.userInfo.username"}],
        "validations": [{"expression": "true"}]})));
}
