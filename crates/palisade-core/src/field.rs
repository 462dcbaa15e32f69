//! Field errors worded and aggregated exactly as apimachinery's `util/validation/field` and
//! `util/errors` packages print them: `spec.rules[0].operations[1]: Unsupported value: "GET":
//! supported values: "*", "CONNECT", …`.
//!
//! ```
//! use palisade_core::field::{FieldError, ValidationErrors};
//! use palisade_core::FieldPath;
//!
//! let errors = ValidationErrors(vec![
//!     FieldError::required(FieldPath::new(["spec", "policyName"]), ""),
//!     FieldError::not_supported(FieldPath::new(["spec", "failurePolicy"]), "Maybe", &["Fail", "Ignore"]),
//! ]);
//! assert_eq!(
//!     errors.to_string(),
//!     "[spec.policyName: Required value, spec.failurePolicy: Unsupported value: \"Maybe\": \
//!      supported values: \"Fail\", \"Ignore\"]"
//! );
//! ```

use std::fmt;

use crate::path::FieldPath;
use crate::quote::{GoQuoted, go_json_strings};

/// The kind of a field error (upstream `field.ErrorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorType {
    /// `FieldValueNotFound`: a referenced value does not exist.
    NotFound,
    /// `FieldValueRequired`: a required field is empty.
    Required,
    /// `FieldValueDuplicate`: a value that must be unique repeats.
    Duplicate,
    /// `FieldValueInvalid`: the value is malformed.
    Invalid,
    /// `FieldValueNotSupported`: the value is not one of the supported ones.
    NotSupported,
    /// `FieldValueForbidden`: the field may not be set (here, or at all).
    Forbidden,
    /// `FieldValueTooLong`: the value is longer than allowed.
    TooLong,
    /// `FieldValueTooMany`: a list has more items than allowed.
    TooMany,
    /// `InternalError`: the validator itself failed.
    Internal,
}

impl ErrorType {
    /// The upstream constant's value (`FieldValueRequired`, …), as the API's `Status.details.causes`
    /// show it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorType::NotFound => "FieldValueNotFound",
            ErrorType::Required => "FieldValueRequired",
            ErrorType::Duplicate => "FieldValueDuplicate",
            ErrorType::Invalid => "FieldValueInvalid",
            ErrorType::NotSupported => "FieldValueNotSupported",
            ErrorType::Forbidden => "FieldValueForbidden",
            ErrorType::TooLong => "FieldValueTooLong",
            ErrorType::TooMany => "FieldValueTooMany",
            ErrorType::Internal => "InternalError",
        }
    }

    /// The words that start the message (`Required value`, …).
    pub const fn words(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::Internal => "Internal error",
        }
    }

    /// Whether upstream's `ErrorBody` prints the bad value for this type.
    const fn shows_value(self) -> bool {
        matches!(
            self,
            ErrorType::NotFound
                | ErrorType::Duplicate
                | ErrorType::Invalid
                | ErrorType::NotSupported
                | ErrorType::TooMany
        )
    }
}

/// The value a field error shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BadValue {
    /// No value is shown.
    Omitted,
    /// A string, shown Go-quoted.
    String(String),
    /// A list of strings, shown as compact JSON (`["a","b"]`).
    List(Vec<String>),
    /// A nil list or map, shown as `null`.
    Null,
    /// An integer, shown plainly.
    Int(i64),
    /// A boolean, shown plainly.
    Bool(bool),
    /// A value upstream renders with `json.Marshal` (named string types such as an
    /// `OperationType`, lists of structs), already written as Go writes it (see
    /// [`crate::quote::go_json`]).
    Json(String),
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Omitted => Ok(()),
            BadValue::String(s) => write!(f, "{}", GoQuoted(s)),
            BadValue::List(items) => f.write_str(&go_json_strings(items)),
            BadValue::Null => f.write_str("null"),
            BadValue::Int(i) => write!(f, "{i}"),
            BadValue::Bool(b) => write!(f, "{b}"),
            BadValue::Json(json) => f.write_str(json),
        }
    }
}

/// One validation error: where, what kind, the value and the explanation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldError {
    /// The field path (`rules[0].level`).
    pub field: FieldPath,
    /// The kind of error.
    pub error_type: ErrorType,
    /// The offending value.
    pub bad_value: BadValue,
    /// The explanation (may be empty).
    pub detail: String,
}

impl FieldError {
    /// An error of any type.
    pub fn new(
        field: FieldPath,
        error_type: ErrorType,
        bad_value: BadValue,
        detail: impl Into<String>,
    ) -> Self {
        FieldError {
            field,
            error_type,
            bad_value,
            detail: detail.into(),
        }
    }

    /// `field.Required(path, detail)`.
    pub fn required(field: FieldPath, detail: impl Into<String>) -> Self {
        Self::new(field, ErrorType::Required, BadValue::Omitted, detail)
    }

    /// `field.Invalid(path, value, detail)` for a string value.
    pub fn invalid(field: FieldPath, value: &str, detail: impl Into<String>) -> Self {
        Self::new(
            field,
            ErrorType::Invalid,
            BadValue::String(value.to_owned()),
            detail,
        )
    }

    /// `field.NotSupported(path, value, valid)`: the detail lists the supported values, each
    /// Go-quoted, in the order given.
    pub fn not_supported(field: FieldPath, value: &str, valid: &[&str]) -> Self {
        let detail = if valid.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = valid.iter().map(|v| GoQuoted(v).to_string()).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        Self::new(
            field,
            ErrorType::NotSupported,
            BadValue::String(value.to_owned()),
            detail,
        )
    }

    /// `field.Forbidden(path, detail)`.
    pub fn forbidden(field: FieldPath, detail: impl Into<String>) -> Self {
        Self::new(field, ErrorType::Forbidden, BadValue::Omitted, detail)
    }

    /// `field.TooLong(path, value, max)`: `may not be more than N bytes`.
    pub fn too_long(field: FieldPath, max_bytes: usize) -> Self {
        Self::new(
            field,
            ErrorType::TooLong,
            BadValue::Omitted,
            format!("may not be more than {max_bytes} bytes"),
        )
    }

    /// `field.Duplicate(path, value)`.
    pub fn duplicate(field: FieldPath, value: &str) -> Self {
        Self::new(
            field,
            ErrorType::Duplicate,
            BadValue::String(value.to_owned()),
            "",
        )
    }

    /// `field.NotSupported(path, value, valid)` for a value upstream renders as JSON (a named
    /// string type: `"GET"`, with `<`, `>`, `&` escaped as Go's encoder does).
    pub fn not_supported_json(field: FieldPath, value: &str, valid: &[&str]) -> Self {
        let mut e = Self::not_supported(field, value, valid);
        e.bad_value = BadValue::Json(crate::quote::go_json(value));
        e
    }

    /// `field.InternalError(path, err)`: `Internal error: <detail>`.
    pub fn internal(field: FieldPath, detail: impl Into<String>) -> Self {
        Self::new(field, ErrorType::Internal, BadValue::Omitted, detail)
    }

    /// `field.TooMany(path, actual, max)`: `Too many: 65: must have at most 64 items`.
    pub fn too_many(field: FieldPath, actual: usize, max: usize) -> Self {
        let noun = if max == 1 { "item" } else { "items" };
        Self::new(
            field,
            ErrorType::TooMany,
            BadValue::Int(i64::try_from(actual).unwrap_or(i64::MAX)),
            format!("must have at most {max} {noun}"),
        )
    }

    /// The message without the field path (upstream `ErrorBody`).
    pub fn body(&self) -> String {
        let mut s = String::from(self.error_type.words());
        if self.error_type.shows_value() && self.bad_value != BadValue::Omitted {
            s.push_str(": ");
            s.push_str(&self.bad_value.to_string());
        }
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_root() {
            // Upstream prints the empty path as `<nil>`.
            write!(f, "<nil>: {}", self.body())
        } else {
            write!(f, "{}: {}", self.field, self.body())
        }
    }
}

impl std::error::Error for FieldError {}

/// Errors in upstream order. Displays as upstream's aggregate (`ErrorList.ToAggregate`): one
/// distinct message alone, otherwise `[m1, m2, …]` with repeated messages shown once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Whether there are no errors.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        aggregate(self.0.iter().map(ToString::to_string), f)
    }
}

impl std::error::Error for ValidationErrors {}

/// Writes messages as upstream's `utilerrors.NewAggregate(errs).Error()`: one distinct message
/// alone, several as `[m1, m2, …]` with repeats shown once; nothing for none.
pub fn aggregate(
    messages: impl IntoIterator<Item = String>,
    f: &mut dyn fmt::Write,
) -> fmt::Result {
    let mut seen: Vec<String> = Vec::new();
    for m in messages {
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    match seen.as_slice() {
        [one] => f.write_str(one),
        [] => Ok(()),
        many => write!(f, "[{}]", many.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> FieldPath {
        FieldPath::new(s.split('.'))
    }

    #[test]
    fn bodies_follow_upstream_error_body() {
        assert_eq!(
            FieldError::required(path("spec.x"), "").to_string(),
            "spec.x: Required value"
        );
        assert_eq!(
            FieldError::invalid(path("key"), "bad key", "must be valid").to_string(),
            "key: Invalid value: \"bad key\": must be valid"
        );
        assert_eq!(
            FieldError::forbidden(path("spec.y"), "may not be set").to_string(),
            "spec.y: Forbidden: may not be set"
        );
        assert_eq!(
            FieldError::too_long(path("m"), 10).to_string(),
            "m: Too long: may not be more than 10 bytes"
        );
        let list = FieldError::new(
            path("values"),
            ErrorType::Invalid,
            BadValue::List(vec!["a<b".into()]),
            "x",
        );
        assert_eq!(
            list.to_string(),
            "values: Invalid value: [\"a\\u003cb\"]: x"
        );
        let null = FieldError::new(path("values"), ErrorType::Invalid, BadValue::Null, "x");
        assert_eq!(null.to_string(), "values: Invalid value: null: x");
        assert_eq!(
            FieldError::not_supported_json(path("op"), "<GET>", &["*"]).to_string(),
            "op: Unsupported value: \"\\u003cGET\\u003e\": supported values: \"*\""
        );
        assert_eq!(
            FieldError::internal(path("x"), "boom").to_string(),
            "x: Internal error: boom"
        );
        assert_eq!(
            FieldError::too_many(path("m"), 65, 64).to_string(),
            "m: Too many: 65: must have at most 64 items"
        );
        assert_eq!(
            FieldError::too_many(path("m"), 2, 1).to_string(),
            "m: Too many: 2: must have at most 1 item"
        );
    }

    #[test]
    fn aggregate_dedupes_and_brackets() {
        let e = FieldError::required(path("a"), "");
        assert_eq!(
            ValidationErrors(vec![e.clone(), e.clone()]).to_string(),
            "a: Required value"
        );
        let f = FieldError::required(path("b"), "");
        assert_eq!(
            ValidationErrors(vec![e.clone(), f, e]).to_string(),
            "[a: Required value, b: Required value]"
        );
        assert_eq!(ValidationErrors::default().to_string(), "");
    }
}
