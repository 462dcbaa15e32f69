//! The cluster state an admission request is evaluated in: namespaces, param objects, the API
//! resources that exist and the equivalent-resource registry.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use palisade_core::object::{metadata_str, str_field};

use crate::equivalent::EquivalentResources;
use crate::matching::Namespaces;
use crate::policy::ParamKind;

/// An API resource that exists in the cluster.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiResource {
    /// `group/version` (or `v1` for the core group).
    pub api_version: String,
    /// The kind.
    pub kind: String,
    /// The resource name (plural).
    pub resource: String,
    /// Whether objects of this resource live in namespaces.
    pub namespaced: bool,
}

/// The built-in resources that commonly serve as params, so that a caller need not list
/// them.
const BUILTIN_PARAM_RESOURCES: &[(&str, &str, &str, bool)] = &[
    ("v1", "ConfigMap", "configmaps", true),
    ("v1", "Secret", "secrets", true),
    ("v1", "Namespace", "namespaces", false),
];

/// The cluster state.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    /// Namespace objects.
    pub namespaces: Vec<Value>,
    /// Every object of the kinds policies use as params.
    pub params: Vec<Value>,
    /// API resources beyond the built-in param kinds (ConfigMap, Secret, Namespace).
    pub api_resources: Vec<ApiResource>,
    /// Resources served at several groups or versions.
    pub equivalents: EquivalentResources,
}

impl Namespaces for Cluster {
    fn namespace(&self, name: &str) -> Option<&Value> {
        self.namespaces.namespace(name)
    }
}

impl Cluster {
    /// Whether `kind` is served, and if so whether it is namespaced.
    pub fn param_scope(&self, kind: &ParamKind) -> Option<bool> {
        self.api_resources
            .iter()
            .find(|r| r.api_version == kind.api_version && r.kind == kind.kind)
            .map(|r| r.namespaced)
            .or_else(|| {
                BUILTIN_PARAM_RESOURCES
                    .iter()
                    .find(|(v, k, _, _)| *v == kind.api_version && *k == kind.kind)
                    .map(|(_, _, _, namespaced)| *namespaced)
            })
    }

    /// The param objects of `kind` in `namespace` (`None`: cluster-scoped objects), in the
    /// order given.
    pub fn params_of(&self, kind: &ParamKind, namespace: Option<&str>) -> Vec<&Value> {
        self.params
            .iter()
            .filter(|p| {
                str_field(p, "apiVersion") == kind.api_version
                    && str_field(p, "kind") == kind.kind
                    && metadata_str(p, "namespace").unwrap_or("") == namespace.unwrap_or("")
            })
            .collect()
    }
}
