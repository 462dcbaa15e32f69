//! RBAC answering CEL's `authorizer` checks: the bridge between palisade-rbac's authorizer and
//! palisade-cel's [`Authorizer`] trait (the two crates do not depend on each other).
//!
//! ```
//! use palisade::authz::RbacAuthorizer;
//! use palisade::cel::authz::{Attributes, Authorizer, Decision};
//!
//! let objects = vec![serde_json::json!({
//!     "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
//!     "metadata": {"name": "reader"},
//!     "rules": [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}]
//! }), serde_json::json!({
//!     "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
//!     "metadata": {"name": "alice-reads"},
//!     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "reader"},
//!     "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"}]
//! })];
//! let rbac = RbacAuthorizer::from_objects(&objects).unwrap();
//! let check = Attributes { user: "alice".into(), verb: "get".into(), resource: "pods".into(), ..Default::default() };
//! assert_eq!(rbac.authorize(&check).decision, Decision::Allow);
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use palisade_cel::authz::{Answer, Attributes, Authorizer, Decision};
use palisade_rbac::load::LoadError;

/// The RBAC authorizer of a set of RBAC objects, answering CEL `authorizer` checks exactly as
/// the API server's RBAC authorizer does (reasons included; RBAC never denies, it has no
/// opinion).
#[derive(Clone)]
pub struct RbacAuthorizer(pub Arc<palisade_rbac::Authorizer>);

impl RbacAuthorizer {
    /// Builds the authorizer over Roles, ClusterRoles, their bindings and Lists of them,
    /// aggregating ClusterRoles first as the aggregation controller does.
    pub fn from_objects(objects: &[serde_json::Value]) -> Result<Self, LoadError> {
        let cluster = palisade_rbac::Cluster::from_values(objects)?;
        Ok(RbacAuthorizer(Arc::new(palisade_rbac::Authorizer::new(
            cluster,
        ))))
    }
}

impl Authorizer for RbacAuthorizer {
    fn authorize(&self, a: &Attributes) -> Answer {
        let attrs = palisade_rbac::Attributes {
            user: palisade_rbac::UserInfo {
                name: a.user.clone(),
                groups: a.groups.clone(),
                extra: a.extra.iter().cloned().collect::<BTreeMap<_, _>>(),
            },
            verb: a.verb.clone(),
            resource_request: a.path.is_empty(),
            api_group: a.api_group.clone(),
            resource: a.resource.clone(),
            subresource: a.subresource.clone(),
            namespace: a.namespace.clone(),
            name: a.name.clone(),
            path: a.path.clone(),
            field_selector: a.field_selector.clone(),
            label_selector: a.label_selector.clone(),
        };
        let d = self.0.authorize(&attrs);
        Answer {
            decision: if d.allowed {
                Decision::Allow
            } else {
                Decision::NoOpinion
            },
            reason: d.reason,
            error: None,
        }
    }
}
