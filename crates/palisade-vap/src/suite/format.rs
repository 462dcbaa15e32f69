//! The suite format as written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::request::{AdmissionRequest, Operation, UserInfo};

/// A test suite (`kind: AdmissionTest`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suite {
    /// `palisade.dev/v1alpha1`.
    #[serde(default)]
    pub api_version: String,
    /// `AdmissionTest`.
    #[serde(default)]
    pub kind: String,
    /// A name for reports (default: the file name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// File paths (strings, relative to the suite) or inline objects.
    #[serde(default)]
    pub resources: Vec<Value>,
    /// The cases, in order.
    #[serde(default)]
    pub cases: Vec<Case>,
}

/// One case.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Case {
    /// What the case checks.
    pub name: String,
    /// A whole admission request; when given, the fields below are not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<AdmissionRequest>,
    /// The operation (inferred from `object`/`oldObject` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    /// The new object: inline, or a reference to a resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    /// The existing object: inline, or a reference to a resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_object: Option<ObjectRef>,
    /// The subresource (`status`, `scale`, …).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sub_resource: String,
    /// The requesting user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_info: Option<UserInfo>,
    /// Whether the request is a dry run.
    #[serde(default)]
    pub dry_run: bool,
    /// The expected answer.
    pub expect: Expect,
}

/// An object given inline, or a reference to one of the suite's resources by kind and name
/// (and namespace, apiVersion when ambiguous).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ObjectRef {
    /// `{kind, name, namespace?, apiVersion?}` with no other field: a reference.
    Ref(Reference),
    /// Anything else: the object itself.
    Inline(Value),
}

/// A reference to a resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reference {
    /// The kind.
    pub kind: String,
    /// The name.
    pub name: String,
    /// The namespace, when several resources share kind and name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The apiVersion, when several resources share kind and name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
}

/// The expected answer. Fields left out are not checked, except `allowed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Expect {
    /// Whether the request is admitted.
    pub allowed: bool,
    /// The exact Status message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Substrings the Status message must contain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub message_contains: Vec<String>,
    /// The Status reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The HTTP code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// The warnings, in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
    /// The audit annotations, exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_annotations: Option<BTreeMap<String, String>>,
}
