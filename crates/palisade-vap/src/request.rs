//! The admission request a policy is evaluated against (`admission.Attributes`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::resource::{GroupVersionKind, GroupVersionResource};

/// The operation of an admission request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Operation {
    /// `CREATE`.
    #[default]
    Create,
    /// `UPDATE`.
    Update,
    /// `DELETE`.
    Delete,
    /// `CONNECT` (exec, attach, port-forward, proxy).
    Connect,
}

impl Operation {
    /// The operation as the API writes it (`CREATE`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
        }
    }
}

/// The requesting user (`authentication.k8s.io/v1` UserInfo).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    /// The user name.
    #[serde(default)]
    pub username: String,
    /// The user's UID.
    #[serde(default)]
    pub uid: String,
    /// The groups the user belongs to.
    #[serde(default)]
    pub groups: Vec<String>,
    /// Extra attributes from the authenticator.
    #[serde(default)]
    pub extra: BTreeMap<String, Vec<String>>,
}

/// An admission request: what the API server hands to admission plugins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionRequest {
    /// The operation.
    #[serde(default)]
    pub operation: Operation,
    /// The kind of the object as sent.
    #[serde(default)]
    pub kind: GroupVersionKind,
    /// The resource being requested.
    #[serde(default)]
    pub resource: GroupVersionResource,
    /// The subresource (`status`, `scale`, `exec`, …), empty for the main resource.
    #[serde(default)]
    pub sub_resource: String,
    /// The object's name; empty for a `generateName` create.
    #[serde(default)]
    pub name: String,
    /// The namespace; empty for cluster-scoped resources.
    #[serde(default)]
    pub namespace: String,
    /// The new object (`null` for DELETE).
    #[serde(default)]
    pub object: Option<serde_json::Value>,
    /// The existing object (`null` for CREATE and CONNECT).
    #[serde(default)]
    pub old_object: Option<serde_json::Value>,
    /// The requesting user.
    #[serde(default)]
    pub user_info: UserInfo,
    /// Whether the request is a dry run.
    #[serde(default)]
    pub dry_run: bool,
    /// Marks an object that has no ObjectMeta (an options object of a CONNECT request). When
    /// absent, palisade decides from the object's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_has_no_object_meta: Option<bool>,
}

/// Kinds sent to admission that carry no ObjectMeta, so label selectors cannot read labels
/// from them.
const KINDS_WITHOUT_OBJECT_META: &[&str] = &[
    "PodExecOptions",
    "PodAttachOptions",
    "PodPortForwardOptions",
    "PodProxyOptions",
    "NodeProxyOptions",
    "ServiceProxyOptions",
    "DeleteOptions",
    "CreateOptions",
    "UpdateOptions",
    "PatchOptions",
];

impl AdmissionRequest {
    /// Whether `object` (the new one or the old one) has ObjectMeta, i.e. labels a selector
    /// can read.
    pub fn has_object_meta(&self, object: &serde_json::Value) -> bool {
        if let Some(flag) = self.object_has_no_object_meta {
            return !flag;
        }
        match object.get("kind").and_then(|k| k.as_str()) {
            Some(kind) => !KINDS_WITHOUT_OBJECT_META.contains(&kind),
            None => object.is_object(),
        }
    }
}

impl AdmissionRequest {
    /// The request as CEL's `request` variable shows it (upstream `CreateAdmissionRequest`,
    /// then read as the typed `admission/v1` AdmissionRequest): the matched kind and resource,
    /// the request's own as `requestKind`/`requestResource`, no objects.
    pub fn to_cel_request(
        &self,
        matched_resource: &GroupVersionResource,
        matched_kind: &GroupVersionKind,
    ) -> serde_json::Value {
        let user = &self.user_info;
        palisade_cel::k8s::activation::normalize_request(&serde_json::json!({
            "kind": matched_kind,
            "resource": matched_resource,
            "subResource": self.sub_resource,
            "requestKind": self.kind,
            "requestResource": self.resource,
            "requestSubResource": self.sub_resource,
            "name": self.name,
            "namespace": self.namespace,
            "operation": self.operation.as_str(),
            "userInfo": {
                "username": user.username,
                "uid": user.uid,
                "groups": user.groups,
                "extra": user.extra,
            },
            "dryRun": self.dry_run,
            "options": null,
        }))
    }
}
