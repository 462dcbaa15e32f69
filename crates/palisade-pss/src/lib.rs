//! Pod Security Standards with the exact semantics of Kubernetes pod-security-admission.
//!
//! Most users want the `palisade` facade crate, which re-exports this crate as `palisade::pss`.

pub mod admission;
pub mod checks;
pub mod config;
pub mod defaulting;
pub mod evaluator;
#[cfg(feature = "k8s-openapi")]
pub mod k8s;
pub mod labels;
pub mod level;
pub mod pod;
pub mod scan;
pub mod workload;

pub use checks::{CheckId, Forbidden};
pub use evaluator::{CheckResult, Evaluation, Evaluator, KubernetesVersion};
pub use level::{Level, LevelVersion, Version};
pub use pod::Pod;
