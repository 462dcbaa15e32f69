//! JSON input: one value, or several one after another (as `kubectl` reads a JSON stream).
//!
//! Numbers come out as the API server's JSON decoding leaves them: integers that fit `int64`
//! stay integers, everything else (fractions, exponents, integers above `i64::MAX`) is a
//! float. Duplicate keys: the last one wins. Invalid UTF-8 was already replaced by U+FFFD, byte
//! by byte, as Go's `encoding/json` does.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use super::error::{Format, LimitError, LimitKind, LoadError, Location, Position, SyntaxError};
use super::limits::Limits;
use super::yaml::Sink;

/// How deep `serde_json` nests before it gives up on its own.
const JSON_PARSER_DEPTH: usize = 127;

/// Which limit a visitor hit (a Serde error cannot carry it).
#[derive(Clone, Copy)]
enum Hit {
    Depth,
    Nodes,
}

struct State<'l> {
    limits: &'l Limits,
    nodes: Cell<usize>,
    hit: Cell<Option<Hit>>,
}

impl State<'_> {
    fn count<E: de::Error>(&self) -> Result<(), E> {
        let nodes = self.nodes.get().saturating_add(1);
        self.nodes.set(nodes);
        if nodes > self.limits.max_nodes() {
            self.hit.set(Some(Hit::Nodes));
            return Err(E::custom("too many values"));
        }
        Ok(())
    }

    fn enter<E: de::Error>(&self, depth: usize) -> Result<(), E> {
        if depth > self.limits.max_depth() {
            self.hit.set(Some(Hit::Depth));
            return Err(E::custom("nested too deeply"));
        }
        Ok(())
    }
}

/// Why a JSON stream failed.
pub(super) enum Failure {
    /// Malformed JSON where the value at byte `offset` starts, after `decoded` good values:
    /// `kubectl` then reads the rest as YAML, unless it already read two values or more.
    Syntax {
        error: LoadError,
        decoded: usize,
        offset: usize,
    },
    /// Any other error (a limit, a number out of range).
    Other(LoadError),
}

/// Parses a stream of JSON values and hands each non-null one to `sink`.
///
/// `serde_json` first finds each value's text (without recursion, whatever the nesting); the
/// value is then built with the limits checked.
pub(super) fn parse(
    text: &str,
    source: Option<&str>,
    limits: &Limits,
    sink: &mut Sink<'_>,
) -> Result<(), Failure> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
    let state = State {
        limits,
        nodes: Cell::new(0),
        hit: Cell::new(None),
    };
    let mut lines = Lines {
        text,
        index: 0,
        line: 1,
        column: 1,
    };
    let mut document = 0usize;
    loop {
        let offset = stream.byte_offset();
        let raw = match stream.next() {
            None => return Ok(()),
            Some(Ok(raw)) => raw,
            Some(Err(e)) => {
                return Err(Failure::Syntax {
                    error: error(&e, &state, source, document, None),
                    decoded: document,
                    offset,
                });
            }
        };
        let rest = text.get(offset..).unwrap_or_default();
        let whitespace = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len();
        let start = lines.advance_to(offset.saturating_add(whitespace));
        if document >= limits.max_documents() {
            return Err(Failure::Other(LimitError::boxed(
                LimitKind::Documents,
                limits.max_documents(),
                Location::new(source).with_position(Some(start)),
            )));
        }
        let seed = Node {
            state: &state,
            depth: 0,
        };
        let value = seed
            .deserialize(&mut serde_json::Deserializer::from_str(raw.get()))
            .map_err(|e| Failure::Other(error(&e, &state, source, document, Some(start))))?;
        if !value.is_null() {
            sink(document, value, Some(start)).map_err(Failure::Other)?;
        }
        document = document.saturating_add(1);
    }
}

/// Line and column of byte offsets, moving forward only (so a whole stream costs one pass).
struct Lines<'t> {
    text: &'t str,
    index: usize,
    line: usize,
    column: usize,
}

impl Lines<'_> {
    fn advance_to(&mut self, index: usize) -> Position {
        if let Some(skipped) = self.text.get(self.index..index) {
            for c in skipped.chars() {
                if c == '\n' {
                    self.line = self.line.saturating_add(1);
                    self.column = 1;
                } else {
                    self.column = self.column.saturating_add(1);
                }
            }
            self.index = index;
        }
        Position {
            line: self.line,
            column: self.column,
        }
    }
}

/// A `serde_json` error as a load error; `start` is where the value it was reading begins
/// (its positions are relative to it), `None` when it read the whole input.
fn error(
    e: &serde_json::Error,
    state: &State<'_>,
    source: Option<&str>,
    document: usize,
    start: Option<Position>,
) -> LoadError {
    let position = (e.line() > 0).then(|| match start {
        None => Position {
            line: e.line(),
            column: e.column(),
        },
        Some(start) if e.line() == 1 => Position {
            line: start.line,
            column: start.column.saturating_add(e.column()).saturating_sub(1),
        },
        Some(start) => Position {
            line: start.line.saturating_add(e.line() - 1),
            column: e.column(),
        },
    });
    let location = Location::new(source)
        .with_document(document)
        .with_position(position);
    let limits = state.limits;
    match state.hit.get() {
        Some(Hit::Depth) => LimitError::boxed(LimitKind::Depth, limits.max_depth(), location),
        Some(Hit::Nodes) => LimitError::boxed(LimitKind::Nodes, limits.max_nodes(), location),
        None => {
            let text = e.to_string();
            if text.starts_with("recursion limit exceeded") {
                return LimitError::json_depth_cap(JSON_PARSER_DEPTH, location);
            }
            // serde_json appends the position; the location already says it.
            let message = match text.rfind(" at line ") {
                Some(at) if position.is_some() => text.get(..at).unwrap_or(&text),
                _ => &text,
            };
            SyntaxError::boxed(Format::Json, location, message.to_owned())
        }
    }
}

/// Deserializes one JSON value, counting it and checking the depth.
#[derive(Clone, Copy)]
struct Node<'s, 'l> {
    state: &'s State<'l>,
    /// Objects and arrays around this value.
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.state.count()?;
        Ok(Value::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.state.count()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.state.count()?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.state.count()?;
        // Integers above int64 are floats to the API server.
        Ok(match i64::try_from(v) {
            Ok(i) => Value::from(i),
            Err(_) => Number::from_f64(v as f64).map_or(Value::Null, Value::Number),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.state.count()?;
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.state.count()?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.state.count()?;
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let depth = self.depth.saturating_add(1);
        self.state.enter(depth)?;
        self.state.count()?;
        let child = Node {
            state: self.state,
            depth,
        };
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(child)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let depth = self.depth.saturating_add(1);
        self.state.enter(depth)?;
        self.state.count()?;
        let child = Node {
            state: self.state,
            depth,
        };
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.state.count()?;
            let value = map.next_value_seed(child)?;
            // Duplicate keys: the last one wins, as in Go's `encoding/json`.
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(text: &str, limits: &Limits) -> Result<Vec<(usize, Value)>, LoadError> {
        let mut out = Vec::new();
        parse(text, Some("t.json"), limits, &mut |i, v, _| {
            out.push((i, v));
            Ok(())
        })
        .map_err(|f| match f {
            Failure::Syntax { error, .. } | Failure::Other(error) => error,
        })?;
        Ok(out)
    }

    #[test]
    fn stream_of_values() {
        let got = values(
            " {\"a\":1}{\"b\":2}\n null \n{\"c\": 1.0}",
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                (0, json!({"a": 1})),
                (1, json!({"b": 2})),
                (3, json!({"c": 1.0}))
            ]
        );
        assert!(got[2].1["c"].is_f64());
    }

    #[test]
    fn numbers_as_the_api_server_reads_them() {
        let got = values(
            r#"{"big": 18446744073709551615, "max": 9223372036854775807, "min": -9223372036854775808, "e": 1e3}"#,
            &Limits::default(),
        )
        .unwrap();
        let v = &got[0].1;
        assert!(v["big"].is_f64());
        assert_eq!(v["max"], json!(i64::MAX));
        assert_eq!(v["min"], json!(i64::MIN));
        assert!(v["e"].is_f64());
    }

    #[test]
    fn syntax_error_position() {
        let err = values("{\"a\": 1}\n{\"b\": }", &Limits::default()).unwrap_err();
        let location = err.location().unwrap();
        assert_eq!(location.document(), Some(1));
        assert_eq!(location.line(), Some(2));
        assert_eq!(
            err.to_string(),
            "invalid JSON in `t.json#1` at line 2, column 7: expected value"
        );
    }

    #[test]
    fn depth_limits() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        let limits = Limits::default().with_max_depth(10);
        assert!(values(&deep(10), &limits).is_ok());
        match values(&deep(11), &limits) {
            Err(LoadError::Limit(e)) => assert_eq!(e.kind(), LimitKind::Depth),
            other => panic!("{other:?}"),
        }
        let unlimited = Limits::default().with_max_depth(usize::MAX);
        assert!(values(&deep(127), &unlimited).is_ok());
        match values(&deep(100_000), &unlimited) {
            Err(LoadError::Limit(e)) => {
                assert_eq!(e.kind(), LimitKind::Depth);
                assert_eq!(e.limit(), 127);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn node_limit() {
        let limits = Limits::default().with_max_nodes(5);
        assert!(values(r#"{"a": [1, 2]}"#, &limits).is_ok());
        match values(r#"{"a": [1, 2, 3]}"#, &limits) {
            Err(LoadError::Limit(e)) => assert_eq!(e.kind(), LimitKind::Nodes),
            other => panic!("{other:?}"),
        }
    }
}
