//! kaptest's test manifests, read as palisade suites, so that kaptest users can switch
//! without rewriting their tests.
//!
//! ```yaml
//! policies: [../policy.yaml]        # v0.1: validatingAdmissionPolicies
//! resources: [resources.yaml]       # objects, old objects, params and namespaces
//! vapTestSuites:                    # v0.1: testSuites
//! - policy: deployment-replicas
//!   tests:
//!   - object: {kind: Deployment, name: small}   # group, version, namespace optional
//!     expect: admit                 # admit | deny | skip | error
//!   - object: {kind: Deployment, name: big}
//!     oldObject: {kind: Deployment, name: small}  # object and oldObject: UPDATE
//!     param: {name: limits}         # its kind is the policy's paramKind
//!     userInfo: {username: alice, groups: [dev]}
//!     expect: deny
//!     deniedMessage: too many replicas   # must be contained in the denial message
//! ```
//!
//! As in kaptest, a case evaluates the policy's expressions whatever its match constraints
//! and bindings say, with `request.dryRun` true; the operation is CREATE with only `object`,
//! UPDATE with both, DELETE with only `oldObject`. The evaluation itself is the API
//! server's (see [`crate::outcome`]). MutatingAdmissionPolicy suites (`mapTestSuites`) are
//! not run.

use serde::Deserialize;
use serde_json::Value;

use super::format::{Case, ObjectRef, Reference};
use super::resolve::{
    Expectation, PolicyExpect, ResolveError, ResolvedCase, ResolvedSuite, add_missing_namespace,
    case_request, find_resource,
};
use crate::input::AdmissionInput;
use crate::outcome::Matching;
use crate::request::UserInfo;

/// A kaptest test manifest.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KaptestManifest {
    /// Files with the policies (relative to the manifest).
    #[serde(default, alias = "validatingAdmissionPolicies")]
    pub policies: Vec<String>,
    /// Files with the objects the cases name.
    #[serde(default)]
    pub resources: Vec<String>,
    /// The ValidatingAdmissionPolicy suites.
    #[serde(default, alias = "testSuites")]
    pub vap_test_suites: Vec<KaptestSuite>,
}

/// The cases of one policy.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct KaptestSuite {
    /// The policy's name.
    pub policy: String,
    /// The cases.
    #[serde(default)]
    pub tests: Vec<KaptestCase>,
}

/// One case.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KaptestCase {
    /// The new object.
    #[serde(default)]
    pub object: Option<KaptestRef>,
    /// The existing object.
    #[serde(default)]
    pub old_object: Option<KaptestRef>,
    /// The params object (its kind is the policy's paramKind).
    #[serde(default)]
    pub param: Option<KaptestRef>,
    /// The requesting user.
    #[serde(default)]
    pub user_info: Option<KaptestUser>,
    /// `admit`, `deny`, `skip` or `error`.
    pub expect: String,
    /// A text the denial message must contain.
    #[serde(default)]
    pub denied_message: Option<String>,
}

/// A reference to one of the resources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct KaptestRef {
    /// The API group, when several resources share kind and name.
    #[serde(default)]
    pub group: String,
    /// The API version, when several resources share kind and name.
    #[serde(default)]
    pub version: String,
    /// The kind (not needed for a `param`).
    #[serde(default)]
    pub kind: String,
    /// The namespace.
    #[serde(default)]
    pub namespace: String,
    /// The name.
    pub name: String,
}

/// The requesting user (`username`, also read as `user`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct KaptestUser {
    /// The user name.
    #[serde(default, alias = "user")]
    pub username: String,
    /// The user's UID.
    #[serde(default)]
    pub uid: String,
    /// The groups.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Extra attributes.
    #[serde(default)]
    pub extra: std::collections::BTreeMap<String, Vec<String>>,
}

/// Whether a document is a kaptest manifest: no `kind`, and ValidatingAdmissionPolicy suites.
pub fn is_kaptest(document: &Value) -> bool {
    document.get("kind").is_none()
        && (document.get("vapTestSuites").is_some() || document.get("testSuites").is_some())
}

const OUTCOMES: [&str; 4] = ["admit", "deny", "skip", "error"];

impl KaptestRef {
    fn reference(&self, kind: &str) -> Reference {
        let api_version = match (self.group.as_str(), self.version.as_str()) {
            (_, "") => None,
            ("", v) => Some(v.to_owned()),
            (g, v) => Some(format!("{g}/{v}")),
        };
        Reference {
            kind: if self.kind.is_empty() {
                kind.to_owned()
            } else {
                self.kind.clone()
            },
            name: self.name.clone(),
            namespace: (!self.namespace.is_empty()).then(|| self.namespace.clone()),
            api_version,
        }
    }
}

impl KaptestManifest {
    /// Resolves the manifest against `resources`: the objects of its `policies` and
    /// `resources` files, read by the caller.
    pub fn resolve(&self, resources: &[Value], name: &str) -> Result<ResolvedSuite, ResolveError> {
        let mut base = AdmissionInput::default();
        for r in resources {
            match palisade_core::object::str_field(r, "kind") {
                "ValidatingAdmissionPolicy" => {
                    if let Ok(p) = serde_json::from_value(r.clone()) {
                        base.policies.push(p);
                    }
                }
                // kaptest evaluates policies without their bindings.
                "ValidatingAdmissionPolicyBinding" => {}
                "Namespace" => base.namespaces.push(r.clone()),
                _ => base.params.push(r.clone()),
            }
        }
        let mut cases = Vec::new();
        for suite in &self.vap_test_suites {
            let param_kind = base
                .policies
                .iter()
                .find(|p| p.metadata.name == suite.policy)
                .and_then(|p| p.spec.param_kind.as_ref())
                .map(|k| k.kind.clone())
                .unwrap_or_default();
            for (i, test) in suite.tests.iter().enumerate() {
                let case_name = case_name(&suite.policy, i, test);
                let fail = |message: String| ResolveError::Case {
                    case: case_name.clone(),
                    message,
                };
                if !OUTCOMES.contains(&test.expect.as_str()) {
                    return Err(fail(format!(
                        "expect {:?}: use admit, deny, skip or error",
                        test.expect
                    )));
                }
                let object_ref = |r: &Option<KaptestRef>| {
                    r.as_ref()
                        .map(|r| find_resource(&r.reference(""), resources).map(ObjectRef::Inline))
                        .transpose()
                };
                let case = Case {
                    name: case_name.clone(),
                    object: object_ref(&test.object).map_err(fail)?,
                    old_object: object_ref(&test.old_object).map_err(fail)?,
                    user_info: test.user_info.as_ref().map(|u| UserInfo {
                        username: u.username.clone(),
                        uid: u.uid.clone(),
                        groups: u.groups.clone(),
                        extra: u.extra.clone(),
                    }),
                    dry_run: true,
                    ..Case::default()
                };
                let request = case_request(&case, &[]).map_err(fail)?;
                let param = match &test.param {
                    None => None,
                    Some(p) => {
                        Some(find_resource(&p.reference(&param_kind), resources).map_err(fail)?)
                    }
                };
                let mut input = base.clone();
                add_missing_namespace(&mut input.namespaces, &request.namespace);
                input.request = request;
                cases.push(ResolvedCase {
                    name: case_name.clone(),
                    input,
                    expect: Expectation::Policy(PolicyExpect {
                        policy: suite.policy.clone(),
                        matching: Matching::None,
                        param,
                        outcome: OUTCOMES
                            .into_iter()
                            .find(|o| *o == test.expect)
                            .unwrap_or("error"),
                        message_contains: test.denied_message.clone(),
                    }),
                });
            }
        }
        Ok(ResolvedSuite {
            name: name.to_owned(),
            cases,
        })
    }
}

/// `<policy> #<n>: <expect> <Kind> <namespace/name>`.
fn case_name(policy: &str, index: usize, test: &KaptestCase) -> String {
    let subject = test.object.as_ref().or(test.old_object.as_ref());
    let what = subject.map_or(String::new(), |r| {
        let ns = if r.namespace.is_empty() {
            String::new()
        } else {
            format!("{}/", r.namespace)
        };
        format!(" {} {ns}{}", r.kind, r.name)
    });
    format!("{policy} #{index}: {}{what}", test.expect)
}
