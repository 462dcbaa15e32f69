//! ValidatingAdmissionPolicy evaluation as the API server does it, outside the cluster.
//!
//! The crate holds the policy and binding types, request matching (which policies and
//! bindings apply to a request, with `matchPolicy: Equivalent`, selectors and the API
//! server's error texts), param collection, and the dispatcher that turns each validation's
//! decision into the API server's answer: the denial Status, warnings and audit annotations.
//! The CEL evaluation of a policy plugs in through the [`Validator`] trait.
//!
//! ```
//! use palisade_vap::{AdmissionRequest, MatchResources, matching, EquivalentResources};
//!
//! let criteria: MatchResources = serde_json::from_value(serde_json::json!({
//!     "resourceRules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
//!                        "operations": ["CREATE"], "resources": ["deployments"]}]
//! })).unwrap();
//! let request: AdmissionRequest = serde_json::from_value(serde_json::json!({
//!     "operation": "CREATE",
//!     "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
//!     "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
//!     "namespace": "default", "name": "web",
//!     "object": {"metadata": {"name": "web"}}
//! })).unwrap();
//! let namespaces = vec![serde_json::json!({"metadata": {"name": "default"}})];
//! let equivalents = EquivalentResources::default();
//! let m = matching::matches(&criteria.defaulted(), &request, &namespaces, &equivalents);
//! assert_eq!(m.unwrap().unwrap().resource.resource, "deployments");
//! ```

pub mod admission;
pub mod cel;
pub mod cluster;
pub mod dispatch;
pub mod equivalent;
pub mod grants;
pub mod input;
pub mod matching;
pub mod outcome;
pub mod params;
pub mod policy;
pub mod request;
pub mod resource;
pub mod response;
pub mod rules;
pub mod suite;
pub mod validation;
pub mod validator;

pub use admission::Admission;
pub use cluster::{ApiResource, Cluster};
pub use dispatch::{PolicyHook, dispatch};
pub use equivalent::{EquivalentResource, EquivalentResources};
pub use input::{AdmissionInput, compile_cel, evaluate, evaluate_with_authorizer};
pub use matching::{Match, MatchError, Namespaces};
pub use policy::{
    FailurePolicy, MatchPolicy, MatchResources, ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
};
pub use request::{AdmissionRequest, Operation, UserInfo};
pub use resource::{GroupVersionKind, GroupVersionResource};
pub use response::{AdmissionResponse, Status};
pub use validator::{ValidateInput, ValidateResult, Validator};
