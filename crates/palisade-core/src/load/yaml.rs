//! YAML streams to JSON values, as Kubernetes converts them.
//!
//! The event parser is the one `serde-saphyr` is built on (re-exported as
//! `serde_saphyr::granit_parser`). Its events carry what go-yaml v2's resolution needs and a
//! Serde visitor never sees: the scalar's style (plain or quoted), its explicit tag, anchors and
//! aliases. From them this module builds `serde_json::Value`s without recursion, checking the
//! [`Limits`] as it goes, and following go-yaml v2 (as `sigs.k8s.io/yaml` drives it) for merge
//! keys, aliases, duplicate keys (the last one wins) and its "excessive aliasing" rule.

use std::collections::HashMap;

use serde_json::{Map, Value};
use serde_saphyr::granit_parser::{self, Event, Parser, ScalarStyle, ScanError, Span, StrInput};

use super::error::{
    ConversionError, ConversionErrorKind, Format, LimitError, LimitKind, LoadError, Location,
    Position, SyntaxError,
};
use super::limits::Limits;
use super::scalar::{self, JsonError, Scalar, Tag};

/// Receives each non-null document: its index, its value and where it starts.
pub(super) type Sink<'s> = dyn FnMut(usize, Value, Option<Position>) -> Result<(), LoadError> + 's;

/// Parses a YAML stream and hands each non-null document to `sink`.
pub(super) fn parse(
    text: &str,
    source: Option<&str>,
    limits: &Limits,
    sink: &mut Sink<'_>,
) -> Result<(), LoadError> {
    parse_from(text, Start::default(), source, limits, sink)
}

/// Where a YAML text starts in the input it was cut from (after JSON values `kubectl` read).
#[derive(Clone, Copy)]
pub(super) struct Start {
    /// Documents before it.
    pub(super) documents: usize,
    /// 1-based line and column of its first character.
    pub(super) position: Position,
}

impl Default for Start {
    fn default() -> Self {
        Start {
            documents: 0,
            position: Position { line: 1, column: 1 },
        }
    }
}

/// [`parse`] for a text that starts at `start` of the input.
pub(super) fn parse_from(
    text: &str,
    start: Start,
    source: Option<&str>,
    limits: &Limits,
    sink: &mut Sink<'_>,
) -> Result<(), LoadError> {
    let mut options = granit_parser::Options::default();
    options.set_emit_comments(false);
    // Let our own depth check, with its clearer error, fire before the parser's.
    let nesting = limits.max_depth().saturating_add(8);
    options.block_nesting_limit = options.block_nesting_limit.max(nesting);
    options.flow_nesting_limit = options.flow_nesting_limit.max(nesting);
    let parser = Parser::with_options(StrInput::new(text), options);
    let mut builder = Builder {
        text,
        source,
        limits,
        nodes: 0,
        alias_nodes: 0,
        start: start.position,
        documents: start.documents,
        document: None,
        decode_count: 0,
        alias_count: 0,
        anchors: HashMap::new(),
        stack: Vec::new(),
        root: None,
    };
    for item in parser {
        let (event, span) = item.map_err(|e| builder.scan_error(&e))?;
        builder.event(event, span, sink)?;
    }
    Ok(())
}

/// A node defined with an anchor, kept for its aliases.
struct Anchored {
    node: Node,
    /// Values and keys in the node.
    nodes: usize,
    /// Nesting levels of the node (0 for a scalar).
    height: usize,
    /// How many times go-yaml's decoder visits the node (its `decodeCount` increments).
    visits: u64,
}

/// A finished node, before it is placed in its parent.
#[derive(Clone)]
enum Node {
    Scalar(Scalar),
    /// A JSON array or object.
    Collection(Value),
}

impl Node {
    fn is_map(&self) -> bool {
        matches!(self, Node::Collection(Value::Object(_)))
    }
}

/// Size figures of a finished node, added to its parent's.
#[derive(Clone, Copy)]
struct Stats {
    nodes: usize,
    height: usize,
    visits: u64,
}

/// A mapping or sequence being built.
struct Frame {
    kind: FrameKind,
    anchor: usize,
    position: Position,
    nodes: usize,
    height: usize,
    visits: u64,
}

enum FrameKind {
    Seq(Vec<Value>),
    Map {
        map: Map<String, Value>,
        key: Key,
    },
    /// A sequence that is the value of a merge key: a list of mappings to merge.
    MergeSeq(Vec<Map<String, Value>>),
}

/// What a mapping expects next.
enum Key {
    /// A key.
    Expected,
    /// The value for this key.
    Named(String),
    /// The value of a merge key `<<`.
    Merge,
}

/// The place the next node fills.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Root,
    SeqItem,
    Key,
    Value,
    MergeValue,
    MergeItem,
}

struct Builder<'t, 'c> {
    text: &'t str,
    source: Option<&'c str>,
    limits: &'c Limits,
    /// Values and keys so far in the input.
    nodes: usize,
    /// Values and keys copied by aliases so far in the input.
    alias_nodes: usize,
    /// Where the text starts in the input.
    start: Position,
    documents: usize,
    /// Index of the document being read.
    document: Option<usize>,
    /// go-yaml's `decodeCount` and `aliasCount` for the document being read.
    decode_count: u64,
    alias_count: u64,
    anchors: HashMap<usize, Anchored>,
    stack: Vec<Frame>,
    root: Option<(Value, Position)>,
}

/// go-yaml v2's `allowedAliasRatio`.
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

impl Builder<'_, '_> {
    /// A parser position (1-based line, 0-based column) in the input.
    fn at(&self, line: usize, column: usize) -> Position {
        let column = column.saturating_add(1);
        if line <= 1 {
            Position {
                line: self.start.line,
                column: column.saturating_add(self.start.column.saturating_sub(1)),
            }
        } else {
            Position {
                line: line.saturating_add(self.start.line.saturating_sub(1)),
                column,
            }
        }
    }

    /// Where a node starts: at its tag when it has one.
    fn position(&self, span: &Span) -> Position {
        let start = span.tag_start().unwrap_or(span.start);
        self.at(start.line(), start.col())
    }

    fn location(&self, position: Option<Position>) -> Location {
        let location = Location::new(self.source);
        match self.document {
            Some(document) => location.with_document(document),
            None => location,
        }
        .with_position(position)
    }

    fn scan_error(&self, e: &ScanError) -> LoadError {
        let position = self.at(e.marker().line(), e.marker().col());
        SyntaxError::boxed(Format::Yaml, self.location(Some(position)), e.info())
    }

    fn conversion(
        &self,
        kind: ConversionErrorKind,
        position: Position,
        message: String,
    ) -> LoadError {
        ConversionError::boxed(kind, self.location(Some(position)), message)
    }

    fn json_error(&self, e: &JsonError, position: Position) -> LoadError {
        let kind = match e {
            JsonError::NonFinite(_) => ConversionErrorKind::NonFiniteNumber,
            JsonError::NullKey => ConversionErrorKind::NullKey,
            JsonError::UnsignedKey(_) => ConversionErrorKind::UnsignedKey,
        };
        self.conversion(kind, position, e.message())
    }

    fn limit(&self, kind: LimitKind, limit: usize, position: Position) -> LoadError {
        LimitError::boxed(kind, limit, self.location(Some(position)))
    }

    fn event(
        &mut self,
        event: Event<'_>,
        span: Span,
        sink: &mut Sink<'_>,
    ) -> Result<(), LoadError> {
        let at = self.position(&span);
        match event {
            Event::DocumentStart(_, version) => {
                let index = self.documents;
                self.documents = self.documents.saturating_add(1);
                if self.documents > self.limits.max_documents() {
                    return Err(LimitError::boxed(
                        LimitKind::Documents,
                        self.limits.max_documents(),
                        Location::new(self.source).with_position(Some(at)),
                    ));
                }
                self.document = Some(index);
                if let Some(v) = version
                    && (v.major, v.minor) != (1, 1)
                {
                    // go-yaml v2 reads YAML 1.1 only.
                    return Err(SyntaxError::boxed(
                        Format::Yaml,
                        self.location(Some(at)),
                        format!(
                            "found incompatible YAML document (`%YAML {}.{}`); Kubernetes reads \
                             YAML 1.1",
                            v.major, v.minor
                        ),
                    ));
                }
                // The document node itself is one visit of go-yaml's decoder.
                self.decode_count = 1;
                self.alias_count = 0;
                self.anchors.clear();
                self.stack.clear();
                self.root = None;
            }
            Event::DocumentEnd => {
                if let (Some(document), Some((value, start))) = (self.document, self.root.take())
                    && !value.is_null()
                {
                    sink(document, value, Some(start))?;
                }
                self.anchors.clear();
            }
            Event::Scalar(text, style, anchor, tag) => {
                let tag = tag.map_or(Tag::None, |t| Tag::classify(t.handle(), t.suffix()));
                self.scalar(&text, style == ScalarStyle::Plain, tag, anchor, at)?;
            }
            Event::SequenceStart(_, anchor, _) => self.start(false, anchor, at)?,
            Event::MappingStart(_, anchor, _) => self.start(true, anchor, at)?,
            Event::SequenceEnd | Event::MappingEnd => self.end()?,
            Event::Alias(id) => self.alias(id, &span, at)?,
            _ => {}
        }
        Ok(())
    }

    fn slot(&self) -> Slot {
        match self.stack.last() {
            None => Slot::Root,
            Some(frame) => match &frame.kind {
                FrameKind::Seq(_) => Slot::SeqItem,
                FrameKind::MergeSeq(_) => Slot::MergeItem,
                FrameKind::Map { key, .. } => match key {
                    Key::Expected => Slot::Key,
                    Key::Named(_) => Slot::Value,
                    Key::Merge => Slot::MergeValue,
                },
            },
        }
    }

    /// Counts visits of go-yaml's decoder and applies its excessive-aliasing rule: more than
    /// 100 aliased visits, more than 1000 in all, and too high a share of aliased ones.
    fn visit(&mut self, live: u64, aliased: u64, at: Position) -> Result<(), LoadError> {
        self.decode_count = self
            .decode_count
            .saturating_add(live)
            .saturating_add(aliased);
        self.alias_count = self.alias_count.saturating_add(aliased);
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(self.conversion(
                ConversionErrorKind::ExcessiveAliasing,
                at,
                "document contains excessive aliasing".to_owned(),
            ));
        }
        Ok(())
    }

    fn count_nodes(&mut self, nodes: usize, at: Position) -> Result<(), LoadError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.limits.max_nodes() {
            return Err(self.limit(LimitKind::Nodes, self.limits.max_nodes(), at));
        }
        Ok(())
    }

    fn merge_error(&self, at: Position) -> LoadError {
        self.conversion(
            ConversionErrorKind::Merge,
            at,
            "the value of a merge key `<<` must be a mapping or a sequence of mappings".to_owned(),
        )
    }

    fn collection_key_error(&self, at: Position) -> LoadError {
        self.conversion(
            ConversionErrorKind::CollectionKey,
            at,
            "an object key is a mapping or a sequence; keys must be scalars".to_owned(),
        )
    }

    fn scalar(
        &mut self,
        text: &str,
        plain: bool,
        tag: Tag,
        anchor: usize,
        at: Position,
    ) -> Result<(), LoadError> {
        let slot = self.slot();
        if slot == Slot::Key && scalar::is_merge_key(text, plain, tag) {
            // go-yaml never decodes the merge key itself.
            self.count_nodes(1, at)?;
            if anchor != 0 {
                self.anchors.insert(
                    anchor,
                    Anchored {
                        node: Node::Scalar(Scalar::Str(text.to_owned())),
                        nodes: 1,
                        height: 0,
                        visits: 1,
                    },
                );
            }
            if let Some(Frame {
                kind: FrameKind::Map { key, .. },
                nodes,
                ..
            }) = self.stack.last_mut()
            {
                *key = Key::Merge;
                *nodes = nodes.saturating_add(1);
            }
            return Ok(());
        }
        self.visit(1, 0, at)?;
        self.count_nodes(1, at)?;
        let value = scalar::resolve(text, plain, tag)
            .map_err(|e| self.conversion(ConversionErrorKind::Tag, at, e.message()))?;
        if anchor != 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    node: Node::Scalar(value.clone()),
                    nodes: 1,
                    height: 0,
                    visits: 1,
                },
            );
        }
        let stats = Stats {
            nodes: 1,
            height: 0,
            visits: 1,
        };
        self.place(Node::Scalar(value), stats, at)
    }

    fn start(&mut self, map: bool, anchor: usize, at: Position) -> Result<(), LoadError> {
        let slot = self.slot();
        if slot == Slot::Key {
            return Err(self.collection_key_error(at));
        }
        if slot == Slot::MergeItem && !map {
            return Err(self.merge_error(at));
        }
        let depth = self.stack.len().saturating_add(1);
        if depth > self.limits.max_depth() {
            return Err(self.limit(LimitKind::Depth, self.limits.max_depth(), at));
        }
        // go-yaml does not decode a merge key's sequence itself, only its items.
        let merge_seq = slot == Slot::MergeValue && !map;
        if !merge_seq {
            self.visit(1, 0, at)?;
        }
        self.count_nodes(1, at)?;
        let kind = if merge_seq {
            FrameKind::MergeSeq(Vec::new())
        } else if map {
            FrameKind::Map {
                map: Map::new(),
                key: Key::Expected,
            }
        } else {
            FrameKind::Seq(Vec::new())
        };
        self.stack.push(Frame {
            kind,
            anchor,
            position: at,
            nodes: 1,
            height: 1,
            visits: u64::from(!merge_seq),
        });
        Ok(())
    }

    fn end(&mut self) -> Result<(), LoadError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let stats = Stats {
            nodes: frame.nodes,
            height: frame.height,
            visits: frame.visits,
        };
        match frame.kind {
            FrameKind::Seq(items) => {
                let node = Node::Collection(Value::Array(items));
                self.remember(frame.anchor, &node, stats);
                self.place(node, stats, frame.position)
            }
            FrameKind::Map { map, .. } => {
                let node = Node::Collection(Value::Object(map));
                self.remember(frame.anchor, &node, stats);
                self.place(node, stats, frame.position)
            }
            FrameKind::MergeSeq(maps) => {
                if frame.anchor != 0 {
                    let items = maps.iter().cloned().map(Value::Object).collect();
                    let full = Stats {
                        visits: stats.visits.saturating_add(1),
                        ..stats
                    };
                    self.remember(frame.anchor, &Node::Collection(Value::Array(items)), full);
                }
                let Some(Frame {
                    kind: FrameKind::Map { map, key },
                    nodes,
                    height,
                    visits,
                    ..
                }) = self.stack.last_mut()
                else {
                    return Ok(());
                };
                // Earlier mappings take precedence: apply them last.
                for merged in maps.into_iter().rev() {
                    for (k, v) in merged {
                        map.insert(k, v);
                    }
                }
                *key = Key::Expected;
                *nodes = nodes.saturating_add(stats.nodes);
                *height = (*height).max(stats.height);
                *visits = visits.saturating_add(stats.visits);
                Ok(())
            }
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node, stats: Stats) {
        if anchor != 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    node: node.clone(),
                    nodes: stats.nodes,
                    height: stats.height,
                    visits: stats.visits,
                },
            );
        }
    }

    fn alias(&mut self, id: usize, span: &Span, at: Position) -> Result<(), LoadError> {
        let name = span
            .byte_range()
            .and_then(|r| self.text.get(r))
            .map(|s| s.trim_start_matches('*'))
            .unwrap_or_default();
        if self.stack.iter().any(|frame| frame.anchor == id) {
            return Err(self.conversion(
                ConversionErrorKind::RecursiveAlias,
                at,
                format!(
                    "anchor `{}` value contains itself",
                    scalar::abbreviate(name)
                ),
            ));
        }
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(SyntaxError::boxed(
                Format::Yaml,
                self.location(Some(at)),
                format!("unknown anchor `{}` referenced", scalar::abbreviate(name)),
            ));
        };
        let (nodes, height, visits) = (anchored.nodes, anchored.height, anchored.visits);
        let is_map = anchored.node.is_map();
        let is_scalar = matches!(anchored.node, Node::Scalar(_));
        let slot = self.slot();
        match slot {
            Slot::Key if !is_scalar => return Err(self.collection_key_error(at)),
            Slot::MergeValue | Slot::MergeItem if !is_map => return Err(self.merge_error(at)),
            _ => {}
        }
        // Check every limit before copying anything.
        if self.stack.len().saturating_add(height) > self.limits.max_depth() {
            return Err(self.limit(LimitKind::Depth, self.limits.max_depth(), at));
        }
        self.alias_nodes = self.alias_nodes.saturating_add(nodes);
        if self.alias_nodes > self.limits.max_alias_nodes() {
            return Err(self.limit(LimitKind::AliasNodes, self.limits.max_alias_nodes(), at));
        }
        self.count_nodes(nodes, at)?;
        // The alias node itself, then everything under the anchor, aliased.
        self.visit(1, visits, at)?;
        let node = match self.anchors.get(&id) {
            Some(anchored) => anchored.node.clone(),
            None => return Ok(()),
        };
        let stats = Stats {
            nodes,
            height,
            visits: visits.saturating_add(1),
        };
        self.place(node, stats, at)
    }

    /// Puts a finished node where the parser says it belongs.
    fn place(&mut self, node: Node, stats: Stats, at: Position) -> Result<(), LoadError> {
        let slot = self.slot();
        // Convert first (this borrows `self` for errors), then update the parent.
        enum Placed {
            Value(Value),
            Key(String),
            Merge(Map<String, Value>),
        }
        let placed = match slot {
            Slot::Root | Slot::SeqItem | Slot::Value => Placed::Value(match node {
                Node::Scalar(s) => s.into_value().map_err(|e| self.json_error(&e, at))?,
                Node::Collection(v) => v,
            }),
            Slot::Key => match node {
                Node::Scalar(s) => Placed::Key(s.into_key().map_err(|e| self.json_error(&e, at))?),
                Node::Collection(_) => return Err(self.collection_key_error(at)),
            },
            Slot::MergeValue | Slot::MergeItem => match node {
                Node::Collection(Value::Object(map)) => Placed::Merge(map),
                _ => return Err(self.merge_error(at)),
            },
        };
        let Some(parent) = self.stack.last_mut() else {
            if let Placed::Value(value) = placed {
                self.root = Some((value, at));
            }
            return Ok(());
        };
        parent.nodes = parent.nodes.saturating_add(stats.nodes);
        parent.visits = parent.visits.saturating_add(stats.visits);
        let nested = stats.height.saturating_add(1);
        match (&mut parent.kind, placed) {
            (FrameKind::Seq(items), Placed::Value(value)) => {
                items.push(value);
                parent.height = parent.height.max(nested);
            }
            (FrameKind::Map { map, key }, Placed::Value(value)) => {
                if let Key::Named(name) = std::mem::replace(key, Key::Expected) {
                    // Duplicate keys: the last one wins, as in go-yaml's non-strict decoding.
                    map.insert(name, value);
                }
                parent.height = parent.height.max(nested);
            }
            (FrameKind::Map { key, .. }, Placed::Key(name)) => {
                *key = Key::Named(name);
            }
            (FrameKind::Map { map, key }, Placed::Merge(merged)) => {
                for (k, v) in merged {
                    map.insert(k, v);
                }
                *key = Key::Expected;
                parent.height = parent.height.max(stats.height);
            }
            (FrameKind::MergeSeq(maps), Placed::Merge(merged)) => {
                maps.push(merged);
                parent.height = parent.height.max(nested);
            }
            // `slot()` and the frame kind always agree; nothing else can be placed.
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn docs(text: &str) -> Result<Vec<Value>, LoadError> {
        docs_with(text, &Limits::default())
    }

    fn docs_with(text: &str, limits: &Limits) -> Result<Vec<Value>, LoadError> {
        let mut out = Vec::new();
        parse(text, Some("t.yaml"), limits, &mut |_, v, _| {
            out.push(v);
            Ok(())
        })?;
        Ok(out)
    }

    fn one(text: &str) -> Value {
        let mut all = docs(text).unwrap();
        assert_eq!(all.len(), 1, "{text}");
        all.remove(0)
    }

    fn conversion_kind(text: &str) -> ConversionErrorKind {
        match docs(text) {
            Err(LoadError::Conversion(e)) => e.kind(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn scalars_in_context() {
        assert_eq!(
            one("mode: 0644\nport: 0x1F\non: yes\nempty:\nq: '0644'\nf: 1.0\nb: |\n  x\n"),
            json!({"mode": 420, "port": 31, "true": true, "empty": null, "q": "0644", "f": 1, "b": "x\n"})
        );
    }

    #[test]
    fn keys() {
        assert_eq!(
            one("1: a\ntrue: b\n1.5: c\n0x10: d\n"),
            json!({"1": "a", "true": "b", "1.5": "c", "16": "d"})
        );
        assert_eq!(conversion_kind("~: a"), ConversionErrorKind::NullKey);
        assert_eq!(conversion_kind(": a"), ConversionErrorKind::NullKey);
        assert_eq!(
            conversion_kind("18446744073709551615: a"),
            ConversionErrorKind::UnsignedKey
        );
        assert_eq!(
            conversion_kind("? [a]\n: b"),
            ConversionErrorKind::CollectionKey
        );
        assert_eq!(
            conversion_kind("a: &x {b: 1}\n*x : c"),
            ConversionErrorKind::CollectionKey
        );
        assert_eq!(one("a: &k key\n*k : v"), json!({"a": "key", "key": "v"}));
        assert_eq!(one("{a: 1, a: 2}"), json!({"a": 2}));
    }

    #[test]
    fn merge_keys_follow_go_yaml_v2() {
        // (`y` would be a boolean key in YAML 1.1, so these use other letters.)
        let base = "base: &b {a: 1, b: 2}\nother: &o {b: 3, c: 4}\n";
        assert_eq!(
            one(&format!("{base}m:\n  <<: *b\n  b: 9\n"))["m"],
            json!({"a": 1, "b": 9})
        );
        // go-yaml v2 applies a merge where it stands: it overrides keys set before it.
        assert_eq!(
            one(&format!("{base}m:\n  b: 9\n  <<: *b\n"))["m"],
            json!({"a": 1, "b": 2})
        );
        // In a list of mappings the earlier ones take precedence.
        assert_eq!(
            one(&format!("{base}m:\n  <<: [*b, *o]\n"))["m"],
            json!({"a": 1, "b": 2, "c": 4})
        );
        assert_eq!(one("{y: 1, n: 2, on: 3}"), json!({"true": 3, "false": 2}));
        assert_eq!(one("m: {<<: {a: 1}, b: 2}")["m"], json!({"a": 1, "b": 2}));
        assert_eq!(one("m: {'<<': {a: 1}}")["m"], json!({"<<": {"a": 1}}));
        assert_eq!(one("m: {!!merge '<<': {a: 1}}")["m"], json!({"a": 1}));
        assert_eq!(
            one("m: {<<: [{a: 1}, {a: 2, b: 3}]}")["m"],
            json!({"a": 1, "b": 3})
        );
        assert_eq!(conversion_kind("m: {<<: 1}"), ConversionErrorKind::Merge);
        assert_eq!(conversion_kind("m: {<<: ~}"), ConversionErrorKind::Merge);
        assert_eq!(conversion_kind("m: {<<: [1]}"), ConversionErrorKind::Merge);
        assert_eq!(conversion_kind("m: {<<: [[]]}"), ConversionErrorKind::Merge);
        assert_eq!(
            conversion_kind("s: &s [{a: 1}]\nm: {<<: *s}"),
            ConversionErrorKind::Merge
        );
        assert_eq!(
            conversion_kind("s: &s 1\nm: {<<: [*s]}"),
            ConversionErrorKind::Merge
        );
        // An anchored merge list is an ordinary list elsewhere.
        assert_eq!(
            one("m: {<<: &l [{a: 1}]}\nk: *l"),
            json!({"m": {"a": 1}, "k": [{"a": 1}]})
        );
    }

    #[test]
    fn aliases() {
        assert_eq!(
            one("a: &x [1, {b: 2}]\nc: *x\nd: &s str\ne: *s"),
            json!({"a": [1, {"b": 2}], "c": [1, {"b": 2}], "d": "str", "e": "str"})
        );
        assert_eq!(
            conversion_kind("&a [*a]"),
            ConversionErrorKind::RecursiveAlias
        );
        assert_eq!(
            conversion_kind("a: &a {b: *a}"),
            ConversionErrorKind::RecursiveAlias
        );
        // Anchors do not cross documents.
        assert!(matches!(
            docs("a: &x 1\n---\nb: *x\n"),
            Err(LoadError::Syntax(_))
        ));
        // Redefined anchors: an alias takes the latest definition.
        assert_eq!(
            one("a: &x 1\nb: &x 2\nc: *x"),
            json!({"a": 1, "b": 2, "c": 2})
        );
    }

    #[test]
    fn non_finite_values_are_errors_but_keys_are_fine() {
        assert_eq!(
            conversion_kind("a: .nan"),
            ConversionErrorKind::NonFiniteNumber
        );
        assert_eq!(
            conversion_kind("a: -.inf"),
            ConversionErrorKind::NonFiniteNumber
        );
        assert_eq!(one(".inf: a\n.nan: b"), json!({".inf": "a", ".nan": "b"}));
        assert_eq!(one("{&n .nan: 1, *n : 2}"), json!({".nan": 2}));
    }

    #[test]
    fn yaml_version() {
        assert_eq!(one("%YAML 1.1\n---\na: 1"), json!({"a": 1}));
        assert!(matches!(
            docs("%YAML 1.2\n---\na: 1"),
            Err(LoadError::Syntax(_))
        ));
    }

    #[test]
    fn excessive_aliasing_like_go_yaml() {
        // go-yaml's own limit test: 1000 kB of mappings, then 100 aliases to them.
        let mut text = String::from("{a: &a [{a}");
        for _ in 0..(1000 * 1024 / 4 - 100) {
            text.push_str(",{a}");
        }
        text.push_str("], b: &b [*a");
        for _ in 0..99 {
            text.push_str(",*a");
        }
        text.push_str("]}");
        let limits = Limits::default()
            .with_max_alias_nodes(usize::MAX)
            .with_max_nodes(usize::MAX);
        match docs_with(&text, &limits) {
            Err(LoadError::Conversion(e)) => {
                assert_eq!(e.kind(), ConversionErrorKind::ExcessiveAliasing);
            }
            other => panic!("{:?}", other.map(|v| v.len())),
        }
        // A few aliases to a large anchor are fine.
        let mut text = String::from("{a: &a [{a}");
        for _ in 0..1000 {
            text.push_str(",{a}");
        }
        text.push_str("], b: *a, c: *a}");
        assert!(docs(&text).is_ok());
    }
}
