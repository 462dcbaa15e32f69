//! Kubernetes CEL: the ValidatingAdmissionPolicy environment per Kubernetes version, its libraries, type checker, evaluator and cost model.
//!
//! This crate is a placeholder in the palisade workspace: its area has not been built yet.
//! Use the `palisade` facade crate, which re-exports each area as it lands.
