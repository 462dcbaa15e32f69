//! Shared vocabulary of palisade: field paths, manifest loading and the limits that keep
//! untrusted input bounded.
//!
//! Most users want the `palisade` facade crate, which re-exports what they need from here.

pub mod field;
pub mod json;
pub mod load;
pub mod meta;
pub mod path;
pub mod quote;
pub mod selector;
pub mod validation;
pub mod view;

pub use load::{LoadError, Manifest, Origin, parse_manifests};
pub use path::FieldPath;
pub use view::{Str, StrMap};
