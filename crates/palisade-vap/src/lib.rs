//! ValidatingAdmissionPolicy evaluation as the API server does it, outside the cluster.
//!
//! This first part holds the policy and binding types and request matching: which policies
//! and bindings apply to an admission request, with `matchPolicy: Equivalent`, selectors and
//! the API server's error texts. CEL evaluation of the validations builds on palisade-cel.
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
//! let m = matching::matches(&criteria.defaulted(), &request, &namespaces, &EquivalentResources::default());
//! assert_eq!(m.unwrap().unwrap().resource.resource, "deployments");
//! ```

pub mod equivalent;
pub mod matching;
pub mod policy;
pub mod request;
pub mod resource;
pub mod rules;

pub use equivalent::{EquivalentResource, EquivalentResources};
pub use matching::{Match, MatchError, Namespaces};
pub use policy::{
    FailurePolicy, MatchPolicy, MatchResources, ValidatingAdmissionPolicy,
    ValidatingAdmissionPolicyBinding,
};
pub use request::{AdmissionRequest, Operation, UserInfo};
pub use resource::{GroupVersionKind, GroupVersionResource};
