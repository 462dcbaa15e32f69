//! Errors of manifest loading.

use std::fmt;

/// Why an input could not be loaded.
///
/// Every variant says where the problem is ([`LoadError::location`]); messages are lowercase and
/// quote input in backticks, for example:
///
/// ```text
/// invalid YAML in `deploy.yaml#1` at line 7, column 3: mapping values are not allowed in this context
/// `deploy.yaml#0` at line 1, column 1 nests deeper than 100 levels; raise the limit with `Limits::with_max_depth`
/// `deploy.yaml#2` is a list, not a Kubernetes object (a YAML mapping or JSON object)
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The input is not well-formed YAML or JSON.
    #[error(transparent)]
    Syntax(Box<SyntaxError>),
    /// The input is well-formed YAML that Kubernetes cannot turn into JSON (a null or
    /// collection object key, `.nan`, a scalar that does not match its explicit tag, a bad merge
    /// key, excessive aliasing).
    #[error(transparent)]
    Conversion(Box<ConversionError>),
    /// The input exceeds one of the [`Limits`](super::Limits).
    #[error(transparent)]
    Limit(Box<LimitError>),
    /// A document, or an item of a `List`, is not an object.
    #[error(transparent)]
    NotAnObject(Box<NotAnObjectError>),
    /// A file or directory could not be read (`load_path`, feature `fs`).
    #[cfg(feature = "fs")]
    #[error(transparent)]
    Io(Box<IoError>),
}

impl LoadError {
    /// Where the problem is, when it is inside an input (not for I/O errors).
    pub fn location(&self) -> Option<&Location> {
        match self {
            LoadError::Syntax(e) => Some(e.location()),
            LoadError::Conversion(e) => Some(e.location()),
            LoadError::Limit(e) => Some(e.location()),
            LoadError::NotAnObject(e) => Some(e.location()),
            #[cfg(feature = "fs")]
            LoadError::Io(_) => None,
        }
    }
}

/// A place in an input: its source name, the document (and `List` item), and a line and column.
///
/// Displays as `` `deploy.yaml#2` at line 14, column 3 ``: the source name (`<input>` when there
/// is none), `#` and the 0-based document index, ` items[3]` for an item of a `List`, then the
/// 1-based line and column when known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Location {
    source: Option<String>,
    document: Option<usize>,
    item: Option<usize>,
    line: Option<usize>,
    column: Option<usize>,
}

impl Location {
    pub(super) fn new(source: Option<&str>) -> Self {
        Location {
            source: source.map(str::to_owned),
            ..Location::default()
        }
    }

    pub(super) fn with_document(mut self, document: usize) -> Self {
        self.document = Some(document);
        self
    }

    pub(super) fn with_item(mut self, item: usize) -> Self {
        self.item = Some(item);
        self
    }

    pub(super) fn with_position(mut self, position: Option<Position>) -> Self {
        if let Some(p) = position {
            self.line = Some(p.line);
            self.column = Some(p.column);
        }
        self
    }

    /// The source name given to the loader (a file path for `load_path`).
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The 0-based index of the document in the input, when the problem is inside one.
    pub fn document(&self) -> Option<usize> {
        self.document
    }

    /// The 0-based index of the item in a `List`, when the problem is in one.
    pub fn item(&self) -> Option<usize> {
        self.item
    }

    /// The 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The 1-based column (in characters), when known.
    pub fn column(&self) -> Option<usize> {
        self.column
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.source.as_deref().unwrap_or("<input>");
        f.write_str("`")?;
        f.write_str(name)?;
        if let Some(document) = self.document {
            write!(f, "#{document}")?;
        }
        if let Some(item) = self.item {
            write!(f, " items[{item}]")?;
        }
        f.write_str("`")?;
        if let Some(line) = self.line {
            write!(f, " at line {line}")?;
            if let Some(column) = self.column {
                write!(f, ", column {column}")?;
            }
        }
        Ok(())
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Position {
    pub(super) line: usize,
    pub(super) column: usize,
}

/// The format an input was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// YAML (read as Kubernetes reads it: YAML 1.1 scalars, through go-yaml v2).
    Yaml,
    /// JSON (an object, or several objects one after another).
    Json,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
        })
    }
}

/// The input is not well-formed YAML or JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {format} in {location}: {message}")]
pub struct SyntaxError {
    format: Format,
    location: Location,
    message: String,
}

impl SyntaxError {
    pub(super) fn boxed(format: Format, location: Location, message: String) -> LoadError {
        LoadError::Syntax(Box::new(SyntaxError {
            format,
            location,
            message,
        }))
    }

    /// Whether the input was read as YAML or JSON.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Where the problem is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// What the parser found wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// What made well-formed YAML impossible to convert to JSON the way Kubernetes converts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConversionErrorKind {
    /// An object key is null (`~: x`, `null: x` or an empty key).
    NullKey,
    /// An object key is an integer above 2^63-1, which Kubernetes cannot turn into a JSON key.
    UnsignedKey,
    /// An object key is a mapping or a sequence.
    CollectionKey,
    /// A value is NaN or infinite (`.nan`, `.inf`), which JSON cannot hold.
    NonFiniteNumber,
    /// A scalar does not match its explicit tag (`!!int abc`), or a `!!binary` scalar is not base64.
    Tag,
    /// The value of a merge key `<<` is not a mapping or a sequence of mappings.
    Merge,
    /// An alias refers to the node that contains it.
    RecursiveAlias,
    /// The document's aliases expand to more of it than go-yaml allows.
    ExcessiveAliasing,
}

/// Well-formed YAML that Kubernetes cannot turn into JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot convert YAML to JSON in {location}: {message}")]
pub struct ConversionError {
    kind: ConversionErrorKind,
    location: Location,
    message: String,
}

impl ConversionError {
    pub(super) fn boxed(
        kind: ConversionErrorKind,
        location: Location,
        message: String,
    ) -> LoadError {
        LoadError::Conversion(Box::new(ConversionError {
            kind,
            location,
            message,
        }))
    }

    /// What is wrong.
    pub fn kind(&self) -> ConversionErrorKind {
        self.kind
    }

    /// Where the problem is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Which of the [`Limits`](super::Limits) an input exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitKind {
    /// [`Limits::max_input_bytes`](super::Limits::max_input_bytes).
    InputBytes,
    /// [`Limits::max_depth`](super::Limits::max_depth).
    Depth,
    /// [`Limits::max_documents`](super::Limits::max_documents).
    Documents,
    /// [`Limits::max_nodes`](super::Limits::max_nodes).
    Nodes,
    /// [`Limits::max_alias_nodes`](super::Limits::max_alias_nodes).
    AliasNodes,
}

impl LimitKind {
    /// The `Limits` setter that raises this limit.
    pub fn setter(self) -> &'static str {
        match self {
            LimitKind::InputBytes => "Limits::with_max_input_bytes",
            LimitKind::Depth => "Limits::with_max_depth",
            LimitKind::Documents => "Limits::with_max_documents",
            LimitKind::Nodes => "Limits::with_max_nodes",
            LimitKind::AliasNodes => "Limits::with_max_alias_nodes",
        }
    }
}

/// The input exceeds one of the [`Limits`](super::Limits).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LimitError {
    kind: LimitKind,
    limit: usize,
    location: Location,
    json_parser_cap: bool,
}

impl LimitError {
    pub(super) fn boxed(kind: LimitKind, limit: usize, location: Location) -> LoadError {
        LoadError::Limit(Box::new(LimitError {
            kind,
            limit,
            location,
            json_parser_cap: false,
        }))
    }

    /// The JSON parser's own nesting cap (127 levels) was reached below `Limits::max_depth`.
    pub(super) fn json_depth_cap(limit: usize, location: Location) -> LoadError {
        LoadError::Limit(Box::new(LimitError {
            kind: LimitKind::Depth,
            limit,
            location,
            json_parser_cap: true,
        }))
    }

    /// Which limit was exceeded.
    pub fn kind(&self) -> LimitKind {
        self.kind
    }

    /// The value of the limit that was exceeded.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Where the limit was exceeded.
    pub fn location(&self) -> &Location {
        &self.location
    }
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let limit = self.limit;
        let location = &self.location;
        match self.kind {
            LimitKind::InputBytes => write!(f, "{location} is larger than {limit} bytes")?,
            LimitKind::Depth if self.json_parser_cap => {
                return write!(
                    f,
                    "{location} nests deeper than {limit} levels, the most the JSON parser reads \
                     whatever `Limits::with_max_depth` says"
                );
            }
            LimitKind::Depth => write!(f, "{location} nests deeper than {limit} levels")?,
            LimitKind::Documents => {
                write!(f, "{location}: the input holds more than {limit} documents")?
            }
            LimitKind::Nodes => write!(
                f,
                "{location}: the input holds more than {limit} values and keys"
            )?,
            LimitKind::AliasNodes => write!(
                f,
                "{location}: aliases expand to more than {limit} values and keys"
            )?,
        }
        write!(f, "; raise the limit with `{}`", self.kind.setter())
    }
}

/// A document, or an item of a `List`, is not an object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location} is {found}, not a Kubernetes object (a YAML mapping or JSON object)")]
pub struct NotAnObjectError {
    location: Location,
    found: &'static str,
}

impl NotAnObjectError {
    pub(super) fn boxed(location: Location, found: &'static str) -> LoadError {
        LoadError::NotAnObject(Box::new(NotAnObjectError { location, found }))
    }

    /// Where the value is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// What was found instead, with its article: `a string`, `a list`, `a number`, `a boolean`,
    /// `null`.
    pub fn found(&self) -> &str {
        self.found
    }
}

/// A file or directory could not be read.
#[cfg(feature = "fs")]
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`: {source}", path.display())]
pub struct IoError {
    path: std::path::PathBuf,
    #[source]
    source: std::io::Error,
}

#[cfg(feature = "fs")]
impl IoError {
    pub(super) fn boxed(path: &std::path::Path, source: std::io::Error) -> LoadError {
        LoadError::Io(Box::new(IoError {
            path: path.to_owned(),
            source,
        }))
    }

    /// The file or directory that could not be read.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The operating system's error.
    pub fn io_error(&self) -> &std::io::Error {
        &self.source
    }
}
