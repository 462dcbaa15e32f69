//! Shared vocabulary of palisade: field paths, manifest loading and the limits that keep
//! untrusted input bounded, and the Kubernetes value types the policy areas share, each with the
//! exact semantics and error texts of the Go code the API server runs:
//!
//! - [`quantity`]: resource quantities (`100m`, `1.5Gi`), parsing, printing, order, arithmetic;
//! - [`net`]: IP addresses and CIDR prefixes as the CEL `ip()`/`cidr()` read them, and Go's
//!   `net.ParseCIDR`;
//! - [`semver`]: semantic versions; [`url`]: URLs as Go's `net/url` reads them;
//! - [`validation`]: apimachinery's name and label validators; [`format`](mod@format): the CEL
//!   named formats;
//! - [`field`]: field errors as apimachinery prints them; [`selector`]: label selectors.
//!
//! ```
//! use palisade_core::net::Cidr;
//! use palisade_core::quantity::Quantity;
//!
//! assert_eq!(Quantity::parse("0.5")?.to_string(), "500m");
//! assert!(Cidr::parse("10.0.0.0/8")?.contains_cidr(&Cidr::parse("10.1.0.0/16")?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Most users want the `palisade` facade crate, which re-exports what they need from here.

pub mod field;
pub mod format;
pub mod json;
pub mod load;
pub mod meta;
pub mod net;
pub mod object;
pub mod path;
pub mod quantity;
pub mod quote;
pub mod selector;
pub mod semver;
pub mod url;
pub mod validation;
pub mod view;

pub use load::{LoadError, Manifest, Origin, parse_manifests};
pub use path::FieldPath;
pub use view::{Str, StrMap};
