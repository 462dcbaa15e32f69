//! Limits that keep untrusted manifest input bounded.

/// Bounds on what [`parse_manifests`](super::parse_manifests) (and `load_path`) accept, so that
/// hostile or broken input fails fast with a [`LimitError`](super::LimitError) instead of using
/// unbounded time, memory or stack.
///
/// Build it from [`Limits::default()`] (or [`Limits::new()`], the same) and raise or lower single
/// limits with the `with_*` setters:
///
/// ```
/// use palisade_core::load::Limits;
///
/// let limits = Limits::default().with_max_depth(200).with_max_documents(50_000);
/// assert_eq!(limits.max_depth(), 200);
/// assert_eq!(limits.max_input_bytes(), Limits::DEFAULT_MAX_INPUT_BYTES);
/// ```
///
/// | limit | default | what it counts |
/// | --- | --- | --- |
/// | [`max_input_bytes`](Self::max_input_bytes) | 64 MiB | bytes of one input (one file for `load_path`) |
/// | [`max_depth`](Self::max_depth) | 100 | nested objects and arrays, the document's own object being level 1 |
/// | [`max_documents`](Self::max_documents) | 100,000 | YAML documents (empty ones too) or top-level JSON values in one input |
/// | [`max_nodes`](Self::max_nodes) | 10,000,000 | values and object keys in one input, counting what aliases expand to |
/// | [`max_alias_nodes`](Self::max_alias_nodes) | 1,000,000 | values and object keys copied by expanding YAML aliases in one input |
///
/// The depth limit is checked while the input is read, before anything deeper is built, so
/// deeply nested input never recurses without bound. JSON input is read by `serde_json`, which
/// also stops at 127 levels whatever [`max_depth`](Self::max_depth) says. Depths far above the
/// default are not recommended: dropping or cloning a very deep `serde_json::Value` recurses.
///
/// The alias limit is what stops a "billion laughs" YAML document: each alias is checked against
/// the size of what it would copy before it is copied. Independently of these limits, a YAML
/// document is rejected, as Kubernetes rejects it, when its aliases expand to more of it than
/// go-yaml allows ("document contains excessive aliasing").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    max_input_bytes: usize,
    max_depth: usize,
    max_documents: usize,
    max_nodes: usize,
    max_alias_nodes: usize,
}

impl Limits {
    /// Default for [`max_input_bytes`](Self::max_input_bytes): 64 MiB.
    pub const DEFAULT_MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;
    /// Default for [`max_depth`](Self::max_depth): 100 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 100;
    /// Default for [`max_documents`](Self::max_documents): 100,000 documents.
    pub const DEFAULT_MAX_DOCUMENTS: usize = 100_000;
    /// Default for [`max_nodes`](Self::max_nodes): 10,000,000 nodes.
    pub const DEFAULT_MAX_NODES: usize = 10_000_000;
    /// Default for [`max_alias_nodes`](Self::max_alias_nodes): 1,000,000 nodes.
    pub const DEFAULT_MAX_ALIAS_NODES: usize = 1_000_000;

    /// The default limits (see the table on [`Limits`]).
    pub const fn new() -> Self {
        Limits {
            max_input_bytes: Self::DEFAULT_MAX_INPUT_BYTES,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_documents: Self::DEFAULT_MAX_DOCUMENTS,
            max_nodes: Self::DEFAULT_MAX_NODES,
            max_alias_nodes: Self::DEFAULT_MAX_ALIAS_NODES,
        }
    }

    /// Sets the largest input accepted, in bytes. Larger input is rejected before it is read.
    #[must_use]
    pub const fn with_max_input_bytes(mut self, bytes: usize) -> Self {
        self.max_input_bytes = bytes;
        self
    }

    /// Sets how deeply objects and arrays may nest (a document's own object is level 1).
    #[must_use]
    pub const fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets how many YAML documents (or top-level JSON values) one input may hold.
    #[must_use]
    pub const fn with_max_documents(mut self, documents: usize) -> Self {
        self.max_documents = documents;
        self
    }

    /// Sets how many values and object keys one input may produce, aliases expanded.
    #[must_use]
    pub const fn with_max_nodes(mut self, nodes: usize) -> Self {
        self.max_nodes = nodes;
        self
    }

    /// Sets how many values and object keys YAML aliases may copy in one input.
    #[must_use]
    pub const fn with_max_alias_nodes(mut self, nodes: usize) -> Self {
        self.max_alias_nodes = nodes;
        self
    }

    /// The largest input accepted, in bytes.
    pub const fn max_input_bytes(&self) -> usize {
        self.max_input_bytes
    }

    /// How deeply objects and arrays may nest.
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// How many documents one input may hold.
    pub const fn max_documents(&self) -> usize {
        self.max_documents
    }

    /// How many values and object keys one input may produce.
    pub const fn max_nodes(&self) -> usize {
        self.max_nodes
    }

    /// How many values and object keys YAML aliases may copy in one input.
    pub const fn max_alias_nodes(&self) -> usize {
        self.max_alias_nodes
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new()
    }
}
