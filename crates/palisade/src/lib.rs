//! palisade: Kubernetes security policy evaluated outside the cluster.

pub use palisade_core as core;
pub use palisade_pss as pss;
