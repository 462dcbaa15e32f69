//! The admission response: allowed or the Status the API server returns, warnings and audit
//! annotations.

use std::collections::BTreeMap;

use palisade_core::quote::GoQuoted;
use serde::Serialize;

use crate::request::AdmissionRequest;

/// A Status cause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusCause {
    /// The cause's message.
    pub message: String,
}

/// `Status.details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusDetails {
    /// The object's name as the message shows it.
    pub name: String,
    /// The resource's API group.
    pub group: String,
    /// The resource (the API puts the resource in `kind` for Forbidden errors).
    pub kind: String,
    /// The causes.
    pub causes: Vec<StatusCause>,
}

/// The Status of a rejected request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The HTTP code: 422 Invalid, 403 Forbidden, 401 Unauthorized, 413 too large, 404.
    pub code: u16,
    /// The Status reason (`Invalid`, `Forbidden`, …).
    pub reason: String,
    /// The full message.
    pub message: String,
    /// Details; absent for errors that are not about the request's object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<StatusDetails>,
}

/// What the API server answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionResponse {
    /// Whether the request is admitted.
    pub allowed: bool,
    /// The rejection, when not allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The HTTP warnings, in the order produced.
    pub warnings: Vec<String>,
    /// The audit annotations added, by key.
    pub audit_annotations: BTreeMap<String, String>,
}

/// The HTTP code for a Status reason (upstream `reasonToCode`).
pub fn reason_to_code(reason: &str) -> u16 {
    match reason {
        "Forbidden" => 403,
        "Unauthorized" => 401,
        "RequestEntityTooLarge" => 413,
        _ => 422,
    }
}

/// The name and resource an admission Forbidden error shows (upstream
/// `extractResourceName`): the request's name, else the object's name or generateName, else
/// `Unknown`.
fn resource_name(request: &AdmissionRequest) -> String {
    if !request.name.is_empty() {
        return request.name.clone();
    }
    match &request.object {
        Some(o) if !o.is_null() => {
            if !request.has_object_meta(o) {
                return "Unknown/errorGettingName".to_owned();
            }
            let s = |p: &str| o.pointer(p).and_then(|v| v.as_str()).unwrap_or("");
            [s("/metadata/name"), s("/metadata/generateName")]
                .into_iter()
                .find(|n| !n.is_empty())
                .unwrap_or("Unknown")
                .to_owned()
        }
        _ => "Unknown".to_owned(),
    }
}

/// A Forbidden Status for `request` (upstream `admission.NewForbidden`), with `message` as
/// the error and one cause carrying it; the reason and code are the caller's.
pub fn forbidden(request: &AdmissionRequest, message: &str, reason: &str) -> Status {
    let name = resource_name(request);
    let resource = request.resource.group_resource();
    let full = if resource.is_empty() {
        format!("forbidden: {message}")
    } else if name.is_empty() {
        format!("{resource} is forbidden: {message}")
    } else {
        format!("{resource} {} is forbidden: {message}", GoQuoted(&name))
    };
    Status {
        code: reason_to_code(reason),
        reason: reason.to_owned(),
        message: full,
        details: Some(StatusDetails {
            name,
            group: request.resource.group.clone(),
            kind: request.resource.resource.clone(),
            causes: vec![StatusCause {
                message: message.to_owned(),
            }],
        }),
    }
}
