//! Equivalent resources: the same objects served at several groups or versions
//! (`EquivalentResourceMapper`), which `matchPolicy: Equivalent` matches through.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::resource::{GroupVersionKind, GroupVersionResource};

/// One resource at one group/version, with its kind and the kinds of its subresources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquivalentResource {
    /// The resource.
    pub resource: GroupVersionResource,
    /// The kind of the main resource.
    pub kind: GroupVersionKind,
    /// Subresource name → its kind (`scale` → `autoscaling/v1, Kind=Scale`).
    #[serde(default)]
    pub subresources: BTreeMap<String, GroupVersionKind>,
}

/// The registry of equivalent resources. Each group lists the same resource at every group
/// and version that serves it, in registration order: the order in which `Equivalent`
/// matching tries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquivalentResources {
    /// The groups of equivalent resources.
    pub groups: Vec<Vec<EquivalentResource>>,
}

impl EquivalentResources {
    /// The resources equivalent to `resource` that serve `sub_resource` (empty: the main
    /// resource), itself included, in registration order; empty when it is not registered.
    pub fn equivalents_for(
        &self,
        resource: &GroupVersionResource,
        sub_resource: &str,
    ) -> Vec<&GroupVersionResource> {
        self.groups
            .iter()
            .find(|g| g.iter().any(|e| &e.resource == resource))
            .map(|g| {
                g.iter()
                    .filter(|e| {
                        sub_resource.is_empty() || e.subresources.contains_key(sub_resource)
                    })
                    .map(|e| &e.resource)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The kind `resource` (or its `sub_resource`) is served as, if registered.
    pub fn kind_for(
        &self,
        resource: &GroupVersionResource,
        sub_resource: &str,
    ) -> Option<&GroupVersionKind> {
        let entry = self
            .groups
            .iter()
            .flatten()
            .find(|e| &e.resource == resource)?;
        if sub_resource.is_empty() {
            Some(&entry.kind)
        } else {
            entry.subresources.get(sub_resource)
        }
    }
}
