//! The error of the JSON functions: a code, the message, and where the problem is.

use std::fmt;

use palisade_cel::CompileError;
use palisade_core::load::LoadError;
use serde_json::{Map, Value, json};

use crate::protocol::RequestError;

/// What kind of input an [`Error`] refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Text that does not parse: malformed YAML or JSON, a document that is not an object, a
    /// suite that does not resolve.
    InvalidInput,
    /// A request that lacks a field or has one of the wrong type or value (the protocol's
    /// `requestError`).
    RequestError,
    /// A CEL expression that does not compile.
    CompileError,
}

impl ErrorCode {
    /// `invalid_input`, `request_error` or `compile_error`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::RequestError => "request_error",
            ErrorCode::CompileError => "compile_error",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Input the JSON functions cannot evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    code: ErrorCode,
    message: String,
    /// The field path: names and array indexes.
    path: Vec<Value>,
    /// 1-based line and column in the source text.
    position: Option<(usize, usize)>,
    /// More fields for the JSON form (`issues`, `document`).
    extra: Map<String, Value>,
}

impl Error {
    fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            path: Vec::new(),
            position: None,
            extra: Map::new(),
        }
    }

    /// Input that does not parse or resolve.
    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::InvalidInput, message)
    }

    /// Sets the field path.
    pub(crate) fn at(mut self, path: Vec<Value>) -> Error {
        self.path = path;
        self
    }

    /// A protocol request error; the field path is read from the message, which names it as
    /// `` field `a.b[0]` `` or starts with it (`probes[0].from: …`, `invalid Pod: spec.x: …`).
    pub(crate) fn request(e: RequestError) -> Error {
        let path = path_in_message(&e.0).map(split_path).unwrap_or_default();
        Error::new(ErrorCode::RequestError, e.0).at(path)
    }

    /// Malformed JSON text.
    pub(crate) fn json(e: &serde_json::Error) -> Error {
        let mut error = Error::invalid(format!("invalid JSON: {e}"));
        error.position = Some((e.line(), e.column()));
        error
    }

    /// Text the manifest loader refuses.
    pub(crate) fn load(e: &LoadError) -> Error {
        let mut error = Error::invalid(e.to_string());
        if let Some(location) = e.location() {
            if let (Some(line), Some(column)) = (location.line(), location.column()) {
                error.position = Some((line, column));
            }
            if let Some(document) = location.document() {
                error.extra.insert("document".into(), document.into());
            }
        }
        error
    }

    /// An expression that does not compile: cel-go's text, the first error's position and
    /// every error as `issues`.
    pub(crate) fn compile(e: &CompileError) -> Error {
        match e {
            CompileError::Invalid { issues, .. } => {
                let mut error =
                    Error::new(ErrorCode::CompileError, format!("compilation failed: {e}"));
                error.position = issues.first().map(|i| (i.line, i.column));
                let issues: Vec<Value> = issues
                    .iter()
                    .map(|i| json!({"line": i.line, "column": i.column, "message": i.message}))
                    .collect();
                error.extra.insert("issues".into(), issues.into());
                error
            }
            CompileError::Instantiation(message) => {
                Error::new(ErrorCode::CompileError, message.clone())
            }
        }
    }

    /// The field path (names and array indexes), empty when unknown.
    pub fn path(&self) -> &[Value] {
        &self.path
    }

    /// Puts `field` in front of the path (for errors inside a nested object).
    pub(crate) fn prefix_path(&mut self, field: &str) {
        self.path.insert(0, Value::from(field));
    }

    /// What kind of error.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `{code, message, path?, position?: {line, column}, issues?, document?}`.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("code".into(), self.code.as_str().into());
        out.insert("message".into(), self.message.clone().into());
        if !self.path.is_empty() {
            out.insert("path".into(), self.path.clone().into());
        }
        if let Some((line, column)) = self.position {
            out.insert("position".into(), json!({"line": line, "column": column}));
        }
        out.extend(self.extra.clone());
        Value::Object(out)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The field path a protocol message names, if any.
fn path_in_message(message: &str) -> Option<&str> {
    if let Some((_, rest)) = message.split_once("field `") {
        return rest.split_once('`').map(|(path, _)| path);
    }
    let is_path = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_' | '-'))
    };
    // `invalid Pod: spec.hostPID: …`
    if let Some(rest) = message.strip_prefix("invalid ")
        && let Some((_, rest)) = rest.split_once(": ")
        && let Some((path, _)) = rest.split_once(": ")
        && is_path(path)
    {
        return Some(path);
    }
    // `probes[0].from: …`, `probes[0].port must …`
    let first = message.split(' ').next()?;
    let first = first.strip_suffix(':').unwrap_or(first);
    (is_path(first) && (first.contains('[') || first.contains('.'))).then_some(first)
}

/// `a.b[0].c[x.y]` → `["a", "b", 0, "c", "x.y"]`: names between dots, indexes and keys in
/// brackets.
fn split_path(path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut name = String::new();
    let mut chars = path.chars();
    let flush = |name: &mut String, out: &mut Vec<Value>| {
        if !name.is_empty() {
            out.push(Value::from(std::mem::take(name)));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '.' => flush(&mut name, &mut out),
            '[' => {
                flush(&mut name, &mut out);
                let key: String = chars.by_ref().take_while(|&c| c != ']').collect();
                out.push(match key.parse::<u64>() {
                    Ok(n) => Value::from(n),
                    Err(_) => Value::from(key),
                });
            }
            c => name.push(c),
        }
    }
    flush(&mut name, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_come_from_the_protocol_messages() {
        let path = |m: &str| Error::request(RequestError::new(m)).to_json()["path"].clone();
        assert_eq!(
            path("missing field `request.verb`"),
            json!(["request", "verb"])
        );
        assert_eq!(
            path("field `requests[2].extra` must be an object"),
            json!(["requests", 2, "extra"])
        );
        assert_eq!(
            path("probes[0].port must be a number from 1 to 65535"),
            json!(["probes", 0, "port"])
        );
        assert_eq!(
            path("invalid Pod: spec.hostPID: invalid type: integer `1`, expected a boolean"),
            json!(["spec", "hostPID"])
        );
        assert_eq!(path("request must be a JSON object"), Value::Null);
        assert_eq!(
            path("field `labels[a.b/c].x` must be a string"),
            json!(["labels", "a.b/c", "x"])
        );
    }
}
