#![doc = include_str!("../../../README.md")]
//!
//! ## Modules
//!
//! - [`pss`]: Pod Security Standards (pod-security-admission);
//! - [`audit`]: audit Policy evaluation, validation, linting and coverage tables;
//! - [`cel`]: Kubernetes CEL: the environment per version, its libraries and evaluator;
//! - [`vap`]: ValidatingAdmissionPolicy evaluation and policy test suites;
//! - [`rbac`]: the RBAC authorizer, queries, risk analysis and escalation paths;
//! - [`netpol`]: NetworkPolicy and admin network policy reachability, explained;
//! - [`core`]: manifest loading, field paths and the borrowed views the areas share;
//! - [`authz`]: RBAC answering CEL `authorizer` checks;
//! - [`protocol`]: the JSON request/response protocol behind `palisade jsonl`;
//! - [`ffi`]: JSON-in/JSON-out functions and handles behind the WASM package.

pub mod authz;
pub mod ffi;
pub mod protocol;

pub use palisade_audit as audit;
pub use palisade_cel as cel;
pub use palisade_core as core;
pub use palisade_netpol as netpol;
pub use palisade_pss as pss;
pub use palisade_rbac as rbac;
pub use palisade_vap as vap;
