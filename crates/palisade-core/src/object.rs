//! Reading the common fields of an object in its JSON form (`metadata.name`,
//! `metadata.labels`, …) without building a JSON pointer: these lookups sit on the hot path of
//! admission and matching.
//!
//! ```
//! use palisade_core::object;
//! use serde_json::json;
//!
//! let pod = json!({"metadata": {"name": "web", "labels": {"app": "web"}}});
//! assert_eq!(object::metadata_str(&pod, "name"), Some("web"));
//! assert_eq!(object::metadata_str(&pod, "namespace"), None);
//! assert_eq!(object::label(&pod, "app"), Some("web"));
//! ```

use serde_json::Value;

/// `metadata.<field>`, if the object has it.
pub fn metadata<'v>(object: &'v Value, field: &str) -> Option<&'v Value> {
    object.get("metadata")?.get(field)
}

/// `metadata.<field>`, when it is a string.
pub fn metadata_str<'v>(object: &'v Value, field: &str) -> Option<&'v str> {
    metadata(object, field)?.as_str()
}

/// The value of label `key` in `metadata.labels`, when it is a string.
pub fn label<'v>(object: &'v Value, key: &str) -> Option<&'v str> {
    metadata(object, "labels")?.get(key)?.as_str()
}

/// A top-level string field (`apiVersion`, `kind`), `""` when missing or not a string.
pub fn str_field<'v>(object: &'v Value, field: &str) -> &'v str {
    object.get(field).and_then(Value::as_str).unwrap_or("")
}
