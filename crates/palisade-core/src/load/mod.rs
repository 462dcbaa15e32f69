//! Loading Kubernetes manifests from YAML and JSON bytes, exactly as Kubernetes reads them.
//!
//! [`parse_manifests`] turns one input (a file's bytes, stdin) into [`Manifest`]s: JSON values
//! with an [`Origin`] that says where each came from.
//!
//! ```
//! use palisade_core::load::{parse_manifests, Limits};
//!
//! let yaml = br#"
//! apiVersion: v1
//! kind: ConfigMap
//! metadata: {name: settings, namespace: prod}
//! data:
//!   replicas: "3"
//! ---
//! ## only a comment: an empty document, skipped
//! ---
//! apiVersion: v1
//! kind: List
//! items:
//! - apiVersion: v1
//!   kind: Secret
//!   metadata: {name: token}
//!   type: Opaque
//! - apiVersion: apps/v1
//!   kind: Deployment
//!   metadata: {name: web}
//!   spec:
//!     replicas: 2
//!     template:
//!       spec:
//!         volumes:
//!         - name: config
//!           configMap: {name: settings, defaultMode: 0644}
//! "#;
//!
//! let manifests = parse_manifests(yaml, Some("app.yaml"), &Limits::default())?;
//! assert_eq!(manifests.len(), 3);
//!
//! assert_eq!(manifests[0].kind(), Some("ConfigMap"));
//! assert_eq!(manifests[0].namespace(), Some("prod"));
//! assert_eq!(manifests[0].origin.to_string(), "app.yaml#0");
//!
//! // The List in document 2 is flattened into its items.
//! assert_eq!(manifests[2].name(), Some("web"));
//! assert_eq!(manifests[2].origin.to_string(), "app.yaml#2 items[1]");
//!
//! // YAML 1.1, as Kubernetes reads it: `0644` is octal.
//! let mode = &manifests[2].value["spec"]["template"]["spec"]["volumes"][0]["configMap"]["defaultMode"];
//! assert_eq!(mode, 420);
//! # Ok::<(), palisade_core::load::LoadError>(())
//! ```
//!
//! # How the input is read
//!
//! - **JSON or YAML, as `kubectl` tells them apart.** Input whose first non-whitespace
//!   character is `{` or `[` is read as JSON: one object, or several one after another
//!   (whitespace between them optional). When the first or second JSON value is malformed, the
//!   rest of the input, from that value on, is read as YAML (so `{kind: Pod}` and a JSON object
//!   followed by `---` and YAML documents load); if the YAML fails too, the JSON error is
//!   reported. After two JSON values, malformed JSON is an error. Anything else is YAML: a stream
//!   of documents separated by `---`, in UTF-8 (with or without a byte order mark) or UTF-16 with
//!   a byte order mark.
//! - **Kubernetes' YAML.** Kubernetes converts YAML to JSON with `sigs.k8s.io/yaml`, on top of
//!   go-yaml v2, which reads YAML 1.1. So does this module: `0755` is octal (493), `0x1F` hex,
//!   `0b101` binary, `_` separates digits, `yes`/`no`/`on`/`off`/`y`/`n` in their accepted case
//!   variants are booleans, `~`/`null`/empty are null; quoted and block scalars are always
//!   strings; explicit tags (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!binary`,
//!   `!!timestamp`) are honoured; anchors, aliases and merge keys (`<<`) resolve as go-yaml v2
//!   resolves them; a repeated key keeps its last value; integer, float and boolean keys become
//!   their string form (`1: a` is `"1"`, `1.5: a` is `"1.5"`, `true: a` is `"true"`).
//! - **Numbers as the API server sees them.** An integral float (`1.0`, `1e3`) is written to
//!   JSON without a fraction by Go and so becomes an integer; integers above `i64::MAX` become
//!   floats; NaN and infinities (`.nan`, `.inf`) have no JSON form and are a
//!   [`ConversionError`], as they are an error for `kubectl`. Null, unsigned and collection keys
//!   are errors too.
//! - **Empty documents** (only comments, `~`, `null`, nothing) are skipped, as `kubectl` skips
//!   them. Every other document must be an object ([`NotAnObjectError`]). Objects without
//!   `apiVersion` or `kind` are returned: callers decide.
//! - **Lists.** An object whose `kind` ends in `List` and whose `items` is an array (`kind: List`,
//!   `PodList`, …) is replaced by its items, each with an origin naming its index. Like
//!   `kubectl`, an item with neither `kind` nor `apiVersion` takes the list's `apiVersion` and
//!   the list's kind without `List` (a `PodList`'s items are `Pod`s); items of `kind: List` are
//!   left as they are. Lists inside list items are not flattened.
//!
//! Known differences from `kubectl`, all on unusual input:
//!
//! - `kubectl` cuts YAML into documents at `---` lines itself and rejects anything but a
//!   comment after `---`; here the YAML parser separates documents, so `--- {kind: A}` loads,
//!   and a document after `...` without `---` is read (go-yaml would drop it).
//! - Keys that differ in Go but not as JSON keys (`1` and `"1"` in one mapping) collide in an
//!   order Go leaves random; here the last one wins.
//! - go-yaml visits the mappings of a merge list (`<<: [*a, *b]`) last-first; its
//!   excessive-aliasing count is kept here in document order.
//! - JSON `-0` is the float `-0.0` here (Go: the integer 0), and a lone surrogate escape
//!   (`"\ud800"`) is a syntax error (Go: U+FFFD).
//!
//! # Untrusted input
//!
//! Loading never panics, and every input is bounded by [`Limits`]: its size, nesting depth,
//! number of documents, number of values, and how much YAML aliases may expand (so a "billion
//! laughs" document fails at once). Each limit error names the `Limits` setter that raises it.
//!
//! # Files
//!
//! With the cargo feature `fs`, `load_path` reads a file or, recursively, a directory. Without
//! it this module does no I/O.

mod error;
#[cfg(feature = "fs")]
mod fs;
mod json;
mod limits;
mod scalar;
mod yaml;

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

#[cfg(feature = "fs")]
pub use error::IoError;
pub use error::{
    ConversionError, ConversionErrorKind, Format, LimitError, LimitKind, LoadError, Location,
    NotAnObjectError, SyntaxError,
};
#[cfg(feature = "fs")]
pub use fs::load_path;
pub use limits::Limits;

use error::Position;

/// One Kubernetes object read from an input, and where it came from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Manifest {
    /// The object, as JSON.
    pub value: Value,
    /// Where it came from.
    pub origin: Origin,
}

impl Manifest {
    /// A manifest from a value and an origin.
    pub fn new(value: Value, origin: Origin) -> Self {
        Manifest { value, origin }
    }

    /// `apiVersion`, when it is a string.
    pub fn api_version(&self) -> Option<&str> {
        self.value.get("apiVersion").and_then(Value::as_str)
    }

    /// `kind`, when it is a string.
    pub fn kind(&self) -> Option<&str> {
        self.value.get("kind").and_then(Value::as_str)
    }

    /// `metadata.name`, when it is a string.
    pub fn name(&self) -> Option<&str> {
        self.metadata_str("name")
    }

    /// `metadata.namespace`, when it is a string.
    pub fn namespace(&self) -> Option<&str> {
        self.metadata_str("namespace")
    }

    /// The object, without its origin.
    pub fn into_value(self) -> Value {
        self.value
    }

    fn metadata_str(&self, field: &str) -> Option<&str> {
        crate::object::metadata_str(&self.value, field)
    }
}

/// Where a [`Manifest`] came from: the input's name, the document and, for an item of a `List`,
/// its index.
///
/// Displays as `deploy.yaml#2`, or `deploy.yaml#2 items[3]` for the fourth item of a `List` in
/// the third document: `#` is followed by the **0-based** index of the document in the input
/// (empty documents count), and an input without a name shows as `<input>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Origin {
    /// The name given to [`parse_manifests`] (the file path for `load_path`).
    pub source: Option<String>,
    /// 0-based index of the YAML document (or top-level JSON value) in the input.
    pub document: usize,
    /// 0-based index of the item, when the manifest is an item of a `List`.
    pub item: Option<usize>,
}

impl Origin {
    /// The origin of document `document` of input `source`.
    pub fn new(source: Option<&str>, document: usize) -> Self {
        Origin {
            source: source.map(str::to_owned),
            document,
            item: None,
        }
    }

    /// The same origin, for item `item` of a `List`.
    #[must_use]
    pub fn with_item(mut self, item: usize) -> Self {
        self.item = Some(item);
        self
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = self.source.as_deref().unwrap_or("<input>");
        write!(f, "{source}#{}", self.document)?;
        if let Some(item) = self.item {
            write!(f, " items[{item}]")?;
        }
        Ok(())
    }
}

/// Reads the Kubernetes objects in one input of YAML or JSON bytes.
///
/// `source` names the input in origins and errors (a file path, `-` for stdin). See the
/// [module documentation](self) for exactly how YAML and JSON are read.
///
/// # Errors
///
/// A [`LoadError`] when the input is malformed, cannot be converted to JSON the way Kubernetes
/// converts it, exceeds one of the `limits`, or holds a document (or `List` item) that is not an
/// object.
pub fn parse_manifests(
    bytes: &[u8],
    source: Option<&str>,
    limits: &Limits,
) -> Result<Vec<Manifest>, LoadError> {
    if bytes.len() > limits.max_input_bytes() {
        return Err(LimitError::boxed(
            LimitKind::InputBytes,
            limits.max_input_bytes(),
            Location::new(source),
        ));
    }
    let mut manifests = Vec::new();
    let mut sink = |document: usize, value: Value, position: Option<Position>| {
        push_document(&mut manifests, source, document, value, position)
    };
    match decode(bytes, source)? {
        Decoded::Yaml(text) => yaml::parse(&text, source, limits, &mut sink)?,
        Decoded::Json(text) => match json::parse(&text, source, limits, &mut sink) {
            Ok(()) => {}
            Err(json::Failure::Other(error)) => return Err(error),
            Err(json::Failure::Syntax {
                error,
                decoded,
                offset,
            }) => {
                // Like `kubectl`: malformed JSON in the first or second value means the rest is
                // YAML (`{kind: Pod}` is YAML); when that fails too, the JSON error stands.
                let Cow::Borrowed(text) = text else {
                    return Err(error);
                };
                if decoded > 1 {
                    return Err(error);
                }
                let (rest, start) = yaml_after_json(text, offset, decoded);
                match yaml::parse_from(rest, start, source, limits, &mut sink) {
                    Ok(()) => {}
                    // Our limits are not `kubectl`'s: say which one the YAML reached.
                    Err(limit @ LoadError::Limit(_)) => return Err(limit),
                    Err(_) => return Err(error),
                }
            }
        },
    }
    Ok(manifests)
}

/// The text after the JSON values `kubectl` read, as it hands it to its YAML decoder: from
/// `offset`, without the whitespace up to and including the first line break.
fn yaml_after_json(text: &str, offset: usize, decoded: usize) -> (&str, yaml::Start) {
    let before = text.get(..offset).unwrap_or_default();
    let mut rest = text.get(offset..).unwrap_or_default();
    let mut line = before.matches('\n').count().saturating_add(1);
    let mut column = before
        .rsplit('\n')
        .next()
        .map_or(0, |last| last.chars().count())
        .saturating_add(1);
    while let Some(c) = rest.chars().next().filter(|c| c.is_whitespace()) {
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
        if c == '\n' {
            line = line.saturating_add(1);
            column = 1;
            break;
        }
        column = column.saturating_add(1);
    }
    let start = yaml::Start {
        documents: decoded,
        position: Position { line, column },
    };
    (rest, start)
}

enum Decoded<'a> {
    Yaml(Cow<'a, str>),
    Json(Cow<'a, str>),
}

/// Picks the format and decodes the text.
fn decode<'a>(bytes: &'a [u8], source: Option<&str>) -> Result<Decoded<'a>, LoadError> {
    match bytes {
        [0xFF, 0xFE, rest @ ..] => {
            return utf16(rest, u16::from_le_bytes, source).map(Decoded::Yaml);
        }
        [0xFE, 0xFF, rest @ ..] => {
            return utf16(rest, u16::from_be_bytes, source).map(Decoded::Yaml);
        }
        _ => {}
    }
    let first = bytes
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c'));
    if matches!(first, Some(b'{' | b'[')) {
        // Go's JSON decoding replaces invalid UTF-8 instead of failing.
        return Ok(Decoded::Json(scalar::lossy_per_byte(bytes)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded::Yaml(Cow::Borrowed(text))),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count().saturating_add(1);
            let column = valid
                .rsplit('\n')
                .next()
                .map_or(0, |last| last.chars().count())
                .saturating_add(1);
            Err(SyntaxError::boxed(
                Format::Yaml,
                Location::new(source).with_position(Some(Position { line, column })),
                "invalid UTF-8".to_owned(),
            ))
        }
    }
}

fn utf16(
    bytes: &[u8],
    unit: fn([u8; 2]) -> u16,
    source: Option<&str>,
) -> Result<Cow<'static, str>, LoadError> {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| match pair {
            [a, b] => Ok(unit([*a, *b])),
            _ => Err(()),
        })
        .collect::<Result<_, ()>>()
        .map_err(|()| {
            SyntaxError::boxed(
                Format::Yaml,
                Location::new(source),
                "UTF-16 input has an odd number of bytes".to_owned(),
            )
        })?;
    String::from_utf16(&units).map(Cow::Owned).map_err(|_| {
        SyntaxError::boxed(
            Format::Yaml,
            Location::new(source),
            "invalid UTF-16 (an unpaired surrogate)".to_owned(),
        )
    })
}

/// Adds a document's manifests: none for null, the items of a `List`, or the object itself.
fn push_document(
    out: &mut Vec<Manifest>,
    source: Option<&str>,
    document: usize,
    value: Value,
    position: Option<Position>,
) -> Result<(), LoadError> {
    let mut object = match value {
        Value::Object(object) => object,
        Value::Null => return Ok(()),
        other => {
            return Err(NotAnObjectError::boxed(
                Location::new(source)
                    .with_document(document)
                    .with_position(position),
                describe(&other),
            ));
        }
    };
    let list_kind = object
        .get("kind")
        .and_then(Value::as_str)
        .filter(|kind| kind.ends_with("List"))
        .map(str::to_owned);
    let items = match (list_kind, object.remove("items")) {
        (Some(kind), Some(Value::Array(items))) => (kind, items),
        (_, items) => {
            if let Some(items) = items {
                object.insert("items".to_owned(), items);
            }
            out.push(Manifest::new(
                Value::Object(object),
                Origin::new(source, document),
            ));
            return Ok(());
        }
    };
    let (list_kind, items) = items;
    let item_kind = list_kind.strip_suffix("List").unwrap_or_default();
    let list_api_version = object.get("apiVersion").and_then(Value::as_str);
    out.reserve(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let Value::Object(mut item_object) = item else {
            return Err(NotAnObjectError::boxed(
                Location::new(source)
                    .with_document(document)
                    .with_item(index),
                describe(&item),
            ));
        };
        if !item_kind.is_empty() {
            inherit_type(&mut item_object, item_kind, list_api_version);
        }
        out.push(Manifest::new(
            Value::Object(item_object),
            Origin::new(source, document).with_item(index),
        ));
    }
    Ok(())
}

/// `kubectl`'s rule for typed lists: an item with neither `kind` nor `apiVersion` gets the
/// list's.
fn inherit_type(item: &mut Map<String, Value>, kind: &str, api_version: Option<&str>) {
    let empty = |field: &str| {
        item.get(field)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    };
    if empty("kind") && empty("apiVersion") {
        item.insert("kind".to_owned(), Value::String(kind.to_owned()));
        if let Some(api_version) = api_version {
            item.insert(
                "apiVersion".to_owned(),
                Value::String(api_version.to_owned()),
            );
        }
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
