#![doc = include_str!("../../../README.md")]
//!
//! ## Modules
//!
//! - [`pss`]: Pod Security Standards (pod-security-admission);
//! - [`audit`]: audit Policy evaluation, validation, linting and coverage tables;
//! - [`netpol`]: NetworkPolicy and admin network policy reachability, explained;
//! - [`core`]: manifest loading, field paths and the borrowed views the areas share;
//! - [`protocol`]: the JSON request/response protocol behind `palisade jsonl`.

pub mod protocol;

pub use palisade_audit as audit;
pub use palisade_core as core;
pub use palisade_netpol as netpol;
pub use palisade_pss as pss;
