//! Kubernetes audit `Policy` (`audit.k8s.io/v1`) loading, evaluation and linting, with the
//! API server's exact semantics.
//!
//! Most users want the `palisade` facade crate, which re-exports this one as
//! `palisade::audit`.
//!
//! - [`load`]: decoding and upstream validation (exact field paths and texts);
//! - [`checker`]: the level, omitted stages and `omitManagedFields` for a request, as the API
//!   server's policy checker decides, with the matching rule;
//! - [`lint`]: rules that can never match, sensitive content in the log, a missing catch-all,
//!   noisy read-only endpoints, each finding with a stable ID;
//! - [`table`]: what level each common class of request gets.
//!
//! ```
//! use palisade_audit::{Level, Request, User, load};
//!
//! let policy = serde_json::json!({
//!     "apiVersion": "audit.k8s.io/v1",
//!     "kind": "Policy",
//!     "rules": [
//!         {"level": "None", "verbs": ["*"]},
//!         {"level": "Metadata", "resources": [{"group": "", "resources": ["secrets"]}]},
//!         {"level": "RequestResponse"}
//!     ]
//! });
//! let policy = load::from_value(&policy)?.policy;
//! let alice = User { name: "alice", groups: &["dev"] };
//! // `verbs: ["*"]` is a literal verb: it matches nothing, so rule 1 decides.
//! let get = Request::resource(Some(alice), "get", "", "secrets", "", "default", "db");
//! let decision = policy.evaluate(&get);
//! assert_eq!(decision.level, Level::Metadata);
//! assert_eq!(decision.matched_rule, Some(1));
//!
//! let findings = palisade_audit::lint::lint(&policy);
//! assert!(findings.iter().any(|f| f.id == "AUD002" && f.rule == Some(0)));
//! # Ok::<(), palisade_audit::LoadError>(())
//! ```
//!
//! ## Untrusted input
//!
//! Loading, evaluation and linting never panic and do no I/O. Work is linear in the size of
//! the policy per request; linting is quadratic in the number of rules.

pub mod checker;
pub mod lint;
pub mod load;
pub mod policy;
pub mod table;
pub mod validation;

pub use checker::{Decision, Request, User};
pub use load::{LoadError, Loaded};
pub use policy::{GroupResources, Level, Policy, PolicyRule, Stage, StageSet};
pub use validation::{BadValue, ErrorType, FieldError, ValidationErrors};
