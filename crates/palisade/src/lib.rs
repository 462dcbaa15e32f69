//! palisade: Kubernetes security policy evaluated outside the cluster, with the API server's
//! exact semantics.
//!
//! This facade re-exports each area of palisade:
//! - [`pss`]: Pod Security Standards (pod-security-admission);
//! - [`core`]: manifest loading, field paths and shared views;
//! - [`protocol`]: the JSON request/response protocol behind `palisade jsonl`.

pub mod protocol;

pub use palisade_core as core;
pub use palisade_pss as pss;
