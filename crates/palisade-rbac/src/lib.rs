//! RBAC with the API server's exact semantics: loading, ClusterRole aggregation, an indexed
//! authorizer, queries (can-i, rules, who-can, matrix), lint, risk findings, escalation paths
//! and prevention, and diffs of two dumps.
//!
//! Most users want the `palisade` facade crate, which re-exports this one as
//! `palisade::rbac`.
//!
//! ```
//! use palisade_rbac::{Attributes, Authorizer, Cluster, UserInfo};
//!
//! let yaml = br#"
//! apiVersion: rbac.authorization.k8s.io/v1
//! kind: Role
//! metadata: {name: pod-reader, namespace: dev}
//! rules:
//! - apiGroups: [""]
//!   resources: [pods]
//!   verbs: [get, list]
//! ---
//! apiVersion: rbac.authorization.k8s.io/v1
//! kind: RoleBinding
//! metadata: {name: read-pods, namespace: dev}
//! roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
//! subjects:
//! - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
//! "#;
//! let authorizer = Authorizer::new(Cluster::from_bytes(yaml, None)?);
//! let alice = UserInfo::new("alice", &["system:authenticated"]);
//!
//! let get = Attributes::resource(alice.clone(), "get", "", "pods", "", "dev", "web");
//! let decision = authorizer.authorize(&get);
//! assert!(decision.allowed);
//! assert_eq!(
//!     decision.reason,
//!     r#"RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "alice""#
//! );
//!
//! let delete = Attributes::resource(alice, "delete", "", "pods", "", "dev", "web");
//! assert!(!authorizer.authorize(&delete).allowed);
//!
//! let who = authorizer.who_can(&get, "");
//! assert_eq!(who.subjects.len(), 2); // system:masters, then alice
//! # Ok::<(), palisade_rbac::LoadError>(())
//! ```
//!
//! ## Untrusted input
//!
//! Nothing here panics or does I/O. Building the authorizer is linear in the objects (plus
//! aggregation, bounded by the number of ClusterRoles in passes); a request visits only the
//! bindings that name the user or one of its groups.

pub mod aggregate;
pub mod attributes;
pub mod authorizer;
pub mod covers;
pub mod diff;
pub mod lint;
pub mod load;
pub mod matching;
pub mod model;
pub mod paths;
pub mod query;
pub mod risk;
pub mod whocan;

pub use attributes::{Attributes, UserInfo};
pub use authorizer::{Authorizer, BindingId, Decision, RoleId, Source};
pub use load::LoadError;
pub use model::{Binding, Cluster, PolicyRule, Role, RoleRef, Subject};
pub use whocan::{Grant, GrantedSubject, WhoCan};
