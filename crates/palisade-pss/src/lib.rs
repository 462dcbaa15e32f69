//! Pod Security Standards with the exact semantics of Kubernetes pod-security-admission.

pub mod level;

pub use level::{Level, LevelVersion, Version};
