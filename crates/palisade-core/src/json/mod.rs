//! A fast, strict JSON deserializer that borrows from its input.
//!
//! [`from_slice`] reads any `serde::Deserialize` type from JSON bytes, like
//! `serde_json::from_slice`, with the same grammar and the same numbers, but built for the
//! borrowed views palisade evaluates:
//!
//! - the input's UTF-8 is checked once, up front, so strings and object keys without escapes
//!   are sliced out of it with no further check and handed to the visitor borrowed;
//! - skipped values (`serde::de::IgnoredAny`, which is what `#[derive(Deserialize)]` does with
//!   fields it does not name) are scanned without being built, eight bytes at a time within
//!   strings, and without recursion;
//! - a skipped value is still checked as thoroughly as a read one, so whether a document is
//!   accepted never depends on which fields the target type names.
//!
//! ```
//! use palisade_core::Str;
//! use serde::Deserialize;
//!
//! #[derive(Debug, Deserialize)]
//! struct Meta<'a> {
//!     #[serde(borrow)]
//!     name: Str<'a>,
//!     #[serde(default)]
//!     generation: i64,
//! }
//!
//! let json = br#"{"name": "web", "uid": "9f1c", "generation": 3, "labels": {"app": "web"}}"#;
//! let meta: Meta<'_> = palisade_core::json::from_slice(json)?;
//! assert_eq!(meta.name, "web");
//! assert_eq!(meta.generation, 3);
//!
//! let err = palisade_core::json::from_slice::<Meta<'_>>(br#"{"name": 7}"#).unwrap_err();
//! assert_eq!(err.to_string(), "invalid type: integer `7`, expected a string at line 1 column 10");
//! # Ok::<(), palisade_core::json::JsonError>(())
//! ```
//!
//! # Compared with serde_json
//!
//! The accepted documents and the values read are the same as `serde_json`'s (built with its
//! `float_roundtrip` feature): RFC 8259 JSON, with no trailing commas, comments or non-finite
//! numbers; a non-negative integer visits as `u64`, a negative one as `i64`, anything else
//! (and `-0`) as the nearest `f64`; a number out of `f64`'s range and a lone UTF-16 surrogate
//! escape are errors; at most 127 arrays and objects may nest. Some differences remain:
//!
//! - invalid UTF-8 is an error anywhere in the input, even where serde_json would skip it;
//! - a skipped value gets the same checks (escapes, number range, depth) as a read one, where
//!   serde_json's `IgnoredAny` checks only the grammar and has no depth limit;
//! - an externally tagged enum written as an object must have a string key;
//! - integers beyond `u64`/`i64` read as `f64`, also into `i128` and `u128`;
//! - the `RawValue` and `arbitrary_precision` extensions of serde_json are not supported;
//! - an error's column counts characters, and points at the start of the value for errors
//!   about a value's type or contents.
//!
//! # Untrusted input
//!
//! Reading never panics and never recurses more than the depth limit; time is linear in the
//! input, and memory is what the target type keeps plus one string per escaped string.

mod de;
mod error;
mod read;

#[cfg(test)]
mod tests;

pub use de::Deserializer;
pub use error::{Category, JsonError};

/// Reads a `T` from JSON bytes; strings without escapes borrow from `bytes`.
///
/// The bytes must be UTF-8 and hold exactly one JSON value, with optional whitespace around
/// it.
pub fn from_slice<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, JsonError> {
    let mut de = Deserializer::from_slice(bytes)?;
    read_to_end(&mut de)
}

/// Reads a `T` from JSON text; strings without escapes borrow from `text`.
///
/// The text must hold exactly one JSON value, with optional whitespace around it.
pub fn from_str<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Result<T, JsonError> {
    read_to_end(&mut Deserializer::new(text))
}

fn read_to_end<'a, T: serde::Deserialize<'a>>(de: &mut Deserializer<'a>) -> Result<T, JsonError> {
    let value = T::deserialize(&mut *de).map_err(|e| de.place_here(e))?;
    de.end()?;
    Ok(value)
}
