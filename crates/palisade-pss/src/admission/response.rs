//! The admission response and the Status texts, as the API server returns them for the built-in
//! PodSecurity plugin (upstream `admission/response.go`, apimachinery `api/errors`, and the
//! plugin's wrapping in `plugin/pkg/admission/security/podsecurity`).

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use serde_json::Value;

use super::request::AdmissionRequest;
use crate::labels::{GoQuoted, LABEL_PREFIX, LabelError, aggregate_messages};

/// The audit annotation with the enforce policy a pod was evaluated against, e.g.
/// `restricted:latest` (`privileged:latest` for a fully privileged namespace).
pub const ENFORCE_POLICY_ANNOTATION: &str = "pod-security.kubernetes.io/enforce-policy";
/// The audit annotation with the audit-level violations:
/// `would violate PodSecurity "<level>:<version>": <details>`.
pub const AUDIT_VIOLATIONS_ANNOTATION: &str = "pod-security.kubernetes.io/audit-violations";
/// The audit annotation naming why a request was exempt: `namespace`, `user` or `runtimeClass`.
pub const EXEMPT_ANNOTATION: &str = "pod-security.kubernetes.io/exempt";
/// The audit annotation describing an error: invalid namespace labels (`Failed to parse policy:
/// …`), a failed namespace lookup, an object that could not be read.
pub const ERROR_ANNOTATION: &str = "pod-security.kubernetes.io/error";

/// The answer to an [`AdmissionRequest`].
///
/// Serializes as `{"allowed", "status"?, "warnings", "auditAnnotations"}`, the status in the
/// JSON form of a Kubernetes `Status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AdmissionResponse {
    /// Whether the request is admitted.
    pub allowed: bool,
    /// Why the request is denied; `None` when it is allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The warnings the plugin adds (`would violate PodSecurity …`, the existing-pod lines of a
    /// namespace update), in order. The API server returns them as `Warning` headers; see
    /// [`AdmissionResponse::client_warnings`] for its deduplication and size limit.
    pub warnings: Vec<String>,
    /// The audit annotations, keyed as the built-in plugin records them
    /// (`pod-security.kubernetes.io/enforce-policy`, …). They are recorded on denied requests
    /// too.
    pub audit_annotations: BTreeMap<String, String>,
}

impl AdmissionResponse {
    /// The denial message, e.g. `pods "web" is forbidden: violates PodSecurity
    /// "restricted:latest": …`; `None` when allowed.
    pub fn message(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.message.as_str())
    }

    /// The value of an audit annotation; `key` with or without the
    /// `pod-security.kubernetes.io/` prefix (`exempt`, `enforce-policy`, `audit-violations`,
    /// `error`).
    pub fn audit_annotation(&self, key: &str) -> Option<&str> {
        let full;
        let key = if key.starts_with(LABEL_PREFIX) {
            key
        } else {
            full = format!("{LABEL_PREFIX}{key}");
            &full
        };
        self.audit_annotations.get(key).map(String::as_str)
    }

    /// The warnings as a client receives them in `Warning` headers, after the API server's
    /// warning recorder (`apiserver/pkg/endpoints/filters/warning.go`): empty and repeated texts
    /// are dropped, texts with control characters are not sent, and once the texts exceed 4,096
    /// characters in total every warning is cut to 256 characters and later ones are dropped
    /// when the limit is reached again.
    ///
    /// Only this plugin's warnings are considered; in a real request other admission plugins'
    /// warnings share the same budget.
    pub fn client_warnings(&self) -> Vec<String> {
        record_warnings(self.warnings.iter().map(String::as_str))
    }

    /// Allowed, with nothing to say.
    pub(super) fn allow() -> Self {
        AdmissionResponse {
            allowed: true,
            ..AdmissionResponse::default()
        }
    }

    /// Allowed, with one audit annotation (`key` without the prefix).
    pub(super) fn allow_annotated(key: &str, value: String) -> Self {
        let mut response = AdmissionResponse::allow();
        response.annotate(key, value);
        response
    }

    /// Allowed, with warnings.
    pub(super) fn allow_with_warnings(warnings: Vec<String>) -> Self {
        AdmissionResponse {
            warnings,
            ..AdmissionResponse::allow()
        }
    }

    /// Adds an audit annotation; `key` without the prefix, as upstream names them.
    pub(super) fn annotate(&mut self, key: &str, value: String) {
        self.audit_annotations
            .insert(format!("{LABEL_PREFIX}{key}"), value);
    }

    /// Denied with `status`, plus the `error` audit annotation upstream's `errorResponse`
    /// records: `<status message>: <err>`, or the status message alone.
    fn error(status: Status, err: Option<&str>) -> Self {
        let detail = match err {
            Some(err) => format!("{}: {err}", status.message),
            None => status.message.clone(),
        };
        let mut response = AdmissionResponse {
            allowed: false,
            status: Some(status),
            ..AdmissionResponse::default()
        };
        response.annotate("error", detail);
        response
    }

    /// Denied for violating the enforce policy: apimachinery `NewForbidden(resource, name,
    /// err)` (upstream `forbiddenResponse`).
    pub(super) fn forbidden(request: &AdmissionRequest<'_>, err: &str) -> Self {
        let resource = request.resource;
        let group_resource = resource.group_resource();
        let message = if resource.group.is_empty() && resource.resource.is_empty() {
            format!("forbidden: {err}")
        } else if request.name.is_empty() {
            format!("{group_resource} is forbidden: {err}")
        } else {
            format!(
                "{group_resource} {} is forbidden: {err}",
                GoQuoted(request.name)
            )
        };
        AdmissionResponse {
            allowed: false,
            status: Some(Status {
                code: 403,
                reason: StatusReason::Forbidden,
                message,
                details: Some(StatusDetails {
                    name: request.name.to_owned(),
                    group: resource.group.to_owned(),
                    kind: resource.resource.to_owned(),
                    causes: Vec::new(),
                }),
            }),
            ..AdmissionResponse::default()
        }
    }

    /// Denied for invalid Pod Security labels: apimachinery `NewInvalid(kind, name, errors)`
    /// (upstream `invalidResponse`), code 422.
    pub(super) fn invalid(request: &AdmissionRequest<'_>, errors: &[LabelError]) -> Self {
        let kind = request.kind;
        let subject = format!("{} {}", kind.group_kind(), GoQuoted(request.name));
        let message = match aggregate_messages(errors.iter().map(ToString::to_string)) {
            Some(aggregate) => format!("{subject} is invalid: {aggregate}"),
            None => format!("{subject} is invalid"),
        };
        let causes = errors
            .iter()
            .map(|e| StatusCause {
                cause_type: e.cause_type().to_owned(),
                message: e.body(),
                field: e.field().to_string(),
            })
            .collect();
        AdmissionResponse {
            allowed: false,
            status: Some(Status {
                code: 422,
                reason: StatusReason::Invalid,
                message,
                details: Some(StatusDetails {
                    name: request.name.to_owned(),
                    group: kind.group.to_owned(),
                    kind: kind.kind.to_owned(),
                    causes,
                }),
            }),
            ..AdmissionResponse::default()
        }
    }

    /// Denied because an object could not be read: `NewBadRequest(message)` in an
    /// `errorResponse`, code 400.
    ///
    /// A bad request carries no details, so the built-in plugin keeps those of the generic
    /// `admission.NewForbidden` it starts from: the resource, and the name of the request's
    /// object (its `metadata.name`, else its `metadata.generateName`, else `Unknown`).
    pub(super) fn bad_request(
        request: &AdmissionRequest<'_>,
        message: &str,
        err: Option<&str>,
    ) -> Self {
        let meta = |field: &str| {
            request
                .object
                .and_then(|o| o.get("metadata"))
                .and_then(|m| m.get(field))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let name = if request.object.is_some() {
            meta("name")
                .or_else(|| meta("generateName"))
                .unwrap_or("Unknown")
        } else {
            "Unknown"
        };
        let status = Status {
            code: 400,
            reason: StatusReason::BadRequest,
            message: message.to_owned(),
            details: Some(StatusDetails {
                name: name.to_owned(),
                group: request.resource.group.to_owned(),
                kind: request.resource.resource.to_owned(),
                causes: Vec::new(),
            }),
        };
        AdmissionResponse::error(status, err)
    }

    /// Denied because the namespace of a pod could not be looked up:
    /// `NewInternalError(failed to lookup namespace "<ns>")` in an `errorResponse`, code 500.
    pub(super) fn namespace_lookup_failed(namespace: &str, err: &str) -> Self {
        let cause = format!("failed to lookup namespace {}", GoQuoted(namespace));
        let status = Status {
            code: 500,
            reason: StatusReason::InternalError,
            message: format!("Internal error occurred: {cause}"),
            details: Some(StatusDetails {
                causes: vec![StatusCause {
                    cause_type: String::new(),
                    message: cause,
                    field: String::new(),
                }],
                ..StatusDetails::default()
            }),
        };
        AdmissionResponse::error(status, Some(err))
    }
}

/// Why a request was denied: a Kubernetes `Status` of `status: Failure`.
///
/// Serializes as Kubernetes does: `{"status": "Failure", "message", "reason", "details"?,
/// "code"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Status {
    /// The HTTP status code: 403, 422, 400 or 500.
    pub code: u16,
    /// The machine-readable reason.
    pub reason: StatusReason,
    /// The message, e.g. `pods "web" is forbidden: violates PodSecurity "baseline:latest": …`.
    pub message: String,
    /// What the status is about.
    pub details: Option<StatusDetails>,
}

impl Status {
    /// The `status` field of every PodSecurity denial: `Failure`.
    pub const fn status(&self) -> &'static str {
        "Failure"
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut status = serializer.serialize_struct("Status", 5)?;
        status.serialize_field("status", self.status())?;
        status.serialize_field("message", &self.message)?;
        status.serialize_field("reason", &self.reason)?;
        match &self.details {
            Some(details) => status.serialize_field("details", details)?,
            None => status.skip_field("details")?,
        }
        status.serialize_field("code", &self.code)?;
        status.end()
    }
}

/// The `reason` of a [`Status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum StatusReason {
    /// `Forbidden` (403): a pod violates the namespace's enforce policy.
    Forbidden,
    /// `Invalid` (422): a namespace has invalid Pod Security labels.
    Invalid,
    /// `BadRequest` (400): the object could not be read.
    BadRequest,
    /// `InternalError` (500): the namespace of a pod could not be looked up.
    InternalError,
}

impl StatusReason {
    /// The reason as Kubernetes spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            StatusReason::Forbidden => "Forbidden",
            StatusReason::Invalid => "Invalid",
            StatusReason::BadRequest => "BadRequest",
            StatusReason::InternalError => "InternalError",
        }
    }
}

impl fmt::Display for StatusReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `details` of a [`Status`]. Empty strings are left out of the JSON form, as in
/// Kubernetes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StatusDetails {
    /// The object's name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The API group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub group: String,
    /// The kind (`Namespace` for invalid labels) or, for `Forbidden` and `BadRequest`, the
    /// resource (`pods`), as upstream fills it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The individual causes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub causes: Vec<StatusCause>,
}

/// One cause in [`StatusDetails`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StatusCause {
    /// The cause type, e.g. `FieldValueInvalid` (JSON `reason`); empty for an internal error.
    #[serde(rename = "reason", skip_serializing_if = "String::is_empty")]
    pub cause_type: String,
    /// The message, e.g. `Invalid value: "strict": must be one of privileged, baseline,
    /// restricted`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The field, e.g. `metadata.labels[pod-security.kubernetes.io/enforce]`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub field: String,
}

/// The API server's warning recorder: total characters after which warnings are truncated.
const TRUNCATE_AT_TOTAL_CHARS: usize = 4 * 1024;
/// The API server's warning recorder: the length each warning is cut to once truncating.
const TRUNCATE_ITEM_CHARS: usize = 256;

/// Replays `warnings` through the API server's warning recorder and returns the texts it would
/// send as `Warning` headers.
fn record_warnings<'w>(warnings: impl IntoIterator<Item = &'w str>) -> Vec<String> {
    let mut recorded: HashSet<&str> = HashSet::new();
    let mut ordered: Vec<&str> = Vec::new();
    let mut sent: Vec<String> = Vec::new();
    let mut written = 0usize;
    let mut truncating = false;
    for text in warnings {
        if text.is_empty() || (truncating && written >= TRUNCATE_AT_TOTAL_CHARS) {
            continue;
        }
        if !recorded.insert(text) {
            continue;
        }
        ordered.push(text);
        let (text, length) = if truncating {
            truncate_chars(text)
        } else {
            (text, text.chars().count())
        };
        if !sendable(text) {
            continue;
        }
        if written + length <= TRUNCATE_AT_TOTAL_CHARS || truncating {
            written += length;
            sent.push(text.to_owned());
            continue;
        }
        // Over the limit for the first time: start again, truncating every warning so far.
        truncating = true;
        written = 0;
        sent.clear();
        for earlier in &ordered {
            let (earlier, length) = truncate_chars(earlier);
            if sendable(earlier) {
                written += length;
                sent.push(earlier.to_owned());
            }
        }
    }
    sent
}

/// `text` cut to its first 256 characters, and its length in characters.
fn truncate_chars(text: &str) -> (&str, usize) {
    match text.char_indices().nth(TRUNCATE_ITEM_CHARS) {
        Some((end, _)) => (text.get(..end).unwrap_or(text), TRUNCATE_ITEM_CHARS),
        None => (text, text.chars().count()),
    }
}

/// Whether apimachinery `NewWarningHeader` accepts `text`: no control characters.
fn sendable(text: &str) -> bool {
    !text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Mirrors the warning recorder's dedup and its rule for empty texts.
    #[test]
    fn recorder_drops_empty_and_repeated_warnings() {
        assert_eq!(record_warnings(["a", "", "b", "a"]), ["a", "b"]);
    }

    // Mirrors NewWarningHeader rejecting control characters: such a warning is recorded but
    // never sent.
    #[test]
    fn recorder_skips_warnings_with_control_characters() {
        assert_eq!(record_warnings(["a\tb", "c"]), ["c"]);
    }

    // Mirrors the recorder's truncation: within 4096 characters nothing changes; the warning
    // that crosses the limit turns truncation on, and all warnings are replayed cut to 256
    // characters; once the total reaches the limit again, later warnings are dropped.
    #[test]
    fn recorder_truncates_past_4096_characters() {
        let long: Vec<String> = (0..20)
            .map(|i| format!("{i:03}{}", "é".repeat(297)))
            .collect();
        // 13 warnings of 300 characters fit (3,900); the 14th crosses 4,096.
        let fit = record_warnings(long.iter().take(13).map(String::as_str));
        assert_eq!(fit.len(), 13);
        assert!(fit.iter().all(|w| w.chars().count() == 300));

        let sent = record_warnings(long.iter().map(String::as_str));
        // Replayed at 256 characters each: 16 warnings make 4,096, so the 17th is dropped.
        assert_eq!(sent.len(), 16);
        assert!(sent.iter().all(|w| w.chars().count() == 256));
        assert!(sent[0].starts_with("000") && sent[15].starts_with("015"));
    }

    // Mirrors `written+len <= limit`: exactly 4,096 characters is still within the limit.
    #[test]
    fn recorder_limit_is_inclusive() {
        let a = "a".repeat(4000);
        let b = "b".repeat(96);
        assert_eq!(record_warnings([a.as_str(), b.as_str()]), [a.clone(), b]);
        let c = "c".repeat(97);
        let sent = record_warnings([a.as_str(), c.as_str()]);
        assert_eq!(sent, ["a".repeat(256), c]);
    }
}
