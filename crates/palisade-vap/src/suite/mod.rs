//! Policy test suites: cluster objects plus cases (a request, or an object with its
//! operation and user) with the answer the API server must give. The library resolves and runs
//! suites from objects; reading files is the caller's (the CLI's) job.
//!
//! The format, `palisade.dev/v1alpha1` `AdmissionTest`, in YAML:
//!
//! ```yaml
//! apiVersion: palisade.dev/v1alpha1
//! kind: AdmissionTest
//! resources:              # files beside the suite, or objects inline: policies, bindings,
//! - policy.yaml           # params, namespaces, and objects the cases refer to
//! cases:
//! - name: three replicas are fine
//!   object: {kind: Deployment, name: small}   # a reference to a resource, or an object inline
//!   expect: {allowed: true}
//! - name: ten replicas are denied
//!   operation: UPDATE     # default: CREATE with only object, UPDATE with both, DELETE with only oldObject
//!   object: {kind: Deployment, name: big}
//!   oldObject: {kind: Deployment, name: small}
//!   userInfo: {username: alice, groups: [dev]}
//!   expect:
//!     allowed: false
//!     reason: Invalid      # and/or code: 422
//!     messageContains: ["replicas must be no greater than 5"]
//!     warnings: []
//! ```
//!
//! `expect` may also give `message` (the whole Status message), `warnings` (compared as a
//! multiset) and `auditAnnotations` (the exact map). A case may give a whole admission
//! `request` instead of `object`/`oldObject`.

//!
//! The suites of two other tools run too, each in its own module: [`kaptest`] manifests and
//! [`kyverno`] `Test` manifests, for their ValidatingAdmissionPolicy cases. Their cases
//! expect what one policy does ([`Expectation::Policy`], see [`crate::outcome`]) rather than
//! the API server's whole answer.

mod format;
pub mod kaptest;
pub mod kyverno;
mod resolve;
mod run;

pub use format::{Case, Expect, ObjectRef, Reference, Suite};
pub use resolve::{
    Expectation, PolicyExpect, ResolveError, ResolvedCase, ResolvedSuite, add_missing_namespace,
    create_request, resource_for_kind,
};
pub use run::{CaseResult, Mismatch, SuiteReport, compare, compare_outcome, run};
