//! CEL values: scalars, lists and maps that borrow the caller's JSON lazily, and computed values.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::error::EvalError;
use crate::time::{Duration, Timestamp};

/// A CEL string: borrowed from the input or owned and shared.
#[derive(Clone)]
pub enum Str<'a> {
    /// Borrowed from the caller's data or the program.
    Borrowed(&'a str),
    /// Computed during evaluation.
    Owned(Arc<str>),
}

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Str::Borrowed(s) => s,
            Str::Owned(s) => s,
        }
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// A CEL list: a JSON array of the input, or computed elements.
#[derive(Clone, Debug)]
pub enum List<'a> {
    /// A JSON array, read lazily.
    Json(&'a [Json]),
    /// Computed elements.
    Owned(Arc<[Value<'a>]>),
}

impl<'a> List<'a> {
    /// The number of elements.
    pub fn len(&self) -> usize {
        match self {
            List::Json(a) => a.len(),
            List::Owned(v) => v.len(),
        }
    }
    /// Whether the list has no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The element at `i`.
    pub fn get(&self, i: usize) -> Option<Value<'a>> {
        match self {
            List::Json(a) => a.get(i).map(Value::from_json),
            List::Owned(v) => v.get(i).cloned(),
        }
    }
    /// The elements, in order.
    pub fn iter(&self) -> impl Iterator<Item = Value<'a>> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// A map key: bool, int, uint or string.
#[derive(Clone, Debug)]
pub enum Key<'a> {
    /// `bool` key.
    Bool(bool),
    /// `int` key.
    Int(i64),
    /// `uint` key.
    Uint(u64),
    /// `string` key.
    String(Str<'a>),
}

impl<'a> Key<'a> {
    /// The key as a value.
    pub fn to_value(&self) -> Value<'a> {
        match self {
            Key::Bool(b) => Value::Bool(*b),
            Key::Int(i) => Value::Int(*i),
            Key::Uint(u) => Value::Uint(*u),
            Key::String(s) => Value::String(s.clone()),
        }
    }

    /// The key a value is, if it can be one (`double` keys are not; see [`Key::lookup_equal`]).
    pub fn from_value(v: &Value<'a>) -> Option<Key<'a>> {
        match v {
            Value::Bool(b) => Some(Key::Bool(*b)),
            Value::Int(i) => Some(Key::Int(*i)),
            Value::Uint(u) => Some(Key::Uint(*u)),
            Value::String(s) => Some(Key::String(s.clone())),
            _ => None,
        }
    }

    /// Whether this key is found by looking up `v` (numeric keys compare across types).
    pub fn lookup_equal(&self, v: &Value<'_>) -> bool {
        match (self, v) {
            (Key::Bool(a), Value::Bool(b)) => a == b,
            (Key::String(a), Value::String(b)) => **a == **b,
            (Key::Int(a), _) => num_eq(&Value::Int(*a), v),
            (Key::Uint(a), _) => num_eq(&Value::Uint(*a), v),
            _ => false,
        }
    }
}

/// A computed map: entries in insertion order.
#[derive(Clone, Debug, Default)]
pub struct OwnedMap<'a> {
    pub(crate) entries: Vec<(Key<'a>, Value<'a>)>,
}

impl<'a> OwnedMap<'a> {
    /// The value for a key equal to `k`.
    pub fn get(&self, k: &Value<'_>) -> Option<&Value<'a>> {
        self.entries
            .iter()
            .find(|(key, _)| key.lookup_equal(k))
            .map(|(_, v)| v)
    }
}

/// A CEL map: a JSON object of the input, or computed entries.
#[derive(Clone, Debug)]
pub enum Map<'a> {
    /// A JSON object, read lazily.
    Json(&'a serde_json::Map<String, Json>),
    /// Computed entries.
    Owned(Arc<OwnedMap<'a>>),
}

impl<'a> Map<'a> {
    /// The number of entries.
    pub fn len(&self) -> usize {
        match self {
            Map::Json(m) => m.len(),
            Map::Owned(m) => m.entries.len(),
        }
    }
    /// Whether the map has no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The value under the key `k`.
    pub fn get(&self, k: &Value<'_>) -> Option<Value<'a>> {
        match self {
            Map::Json(m) => match k {
                Value::String(s) => m.get(&**s).map(Value::from_json),
                _ => None,
            },
            Map::Owned(m) => m.get(k).cloned(),
        }
    }
    /// The value under the string key `k`.
    pub fn get_str(&self, k: &str) -> Option<Value<'a>> {
        match self {
            Map::Json(m) => m.get(k).map(Value::from_json),
            Map::Owned(m) => m
                .entries
                .iter()
                .find(|(key, _)| matches!(key, Key::String(s) if &**s == k))
                .map(|(_, v)| v.clone()),
        }
    }
    /// The keys, in order.
    pub fn keys(&self) -> Vec<Value<'a>> {
        match self {
            Map::Json(m) => m
                .keys()
                .map(|k| Value::String(Str::Borrowed(k.as_str())))
                .collect(),
            Map::Owned(m) => m.entries.iter().map(|(k, _)| k.to_value()).collect(),
        }
    }
    /// The entries, in order.
    pub fn entries(&self) -> Vec<(Value<'a>, Value<'a>)> {
        match self {
            Map::Json(m) => m
                .iter()
                .map(|(k, v)| {
                    (
                        Value::String(Str::Borrowed(k.as_str())),
                        Value::from_json(v),
                    )
                })
                .collect(),
            Map::Owned(m) => m
                .entries
                .iter()
                .map(|(k, v)| (k.to_value(), v.clone()))
                .collect(),
        }
    }
}

/// A CEL type, as a value (`type(x)`) and as a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// `null_type`
    Null,
    /// `bool`
    Bool,
    /// `int`
    Int,
    /// `uint`
    Uint,
    /// `double`
    Double,
    /// `string`
    String,
    /// `bytes`
    Bytes,
    /// `list`
    List,
    /// `map`
    Map,
    /// `type`
    Type,
    /// `google.protobuf.Timestamp`
    Timestamp,
    /// `google.protobuf.Duration`
    Duration,
    /// `optional_type`
    Optional,
    /// Any other named type (Kubernetes types, `dyn`, ...).
    Named(Arc<str>),
}

impl Type {
    /// The type's name as cel-go prints it.
    pub fn name(&self) -> &str {
        match self {
            Type::Null => "null_type",
            Type::Bool => "bool",
            Type::Int => "int",
            Type::Uint => "uint",
            Type::Double => "double",
            Type::String => "string",
            Type::Bytes => "bytes",
            Type::List => "list",
            Type::Map => "map",
            Type::Type => "type",
            Type::Timestamp => "google.protobuf.Timestamp",
            Type::Duration => "google.protobuf.Duration",
            Type::Optional => "optional_type",
            Type::Named(n) => n,
        }
    }
}

/// A value of a type defined by a library (Kubernetes quantity, IP, URL, ...).
pub trait Opaque: fmt::Debug + Send + Sync {
    /// The CEL type name, e.g. `kubernetes.Quantity`.
    fn type_name(&self) -> &'static str;
    /// The value as `&dyn Any`, for the library's functions.
    fn as_any(&self) -> &dyn std::any::Any;
    /// Equality with another value of the same type.
    fn equals(&self, other: &dyn Opaque) -> bool;
    /// The value's string form (as the JSONL protocol prints it).
    fn to_display(&self) -> String;
}

/// A CEL value.
#[derive(Clone, Debug)]
pub enum Value<'a> {
    /// `null`
    Null,
    /// `bool`
    Bool(bool),
    /// `int`
    Int(i64),
    /// `uint`
    Uint(u64),
    /// `double`
    Double(f64),
    /// `string`
    String(Str<'a>),
    /// `bytes`
    Bytes(Arc<[u8]>),
    /// `list`
    List(List<'a>),
    /// `map`
    Map(Map<'a>),
    /// `google.protobuf.Timestamp`
    Timestamp(Timestamp),
    /// `google.protobuf.Duration`
    Duration(Duration),
    /// `type`
    Type(Type),
    /// `optional_type`: `None` is `optional.none()`.
    Optional(Option<Arc<Value<'a>>>),
    /// A library-defined type.
    Opaque(Arc<dyn Opaque>),
}

impl<'a> Value<'a> {
    /// Wraps a JSON value without copying: objects and arrays are read lazily. Integers that fit
    /// `int64` are `int`; other numbers are `double`, as the API server's unstructured decoding does.
    pub fn from_json(j: &'a Json) -> Value<'a> {
        match j {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Double(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => Value::String(Str::Borrowed(s)),
            Json::Array(a) => Value::List(List::Json(a)),
            Json::Object(m) => Value::Map(Map::Json(m)),
        }
    }

    /// A string value that owns its text.
    pub fn string(s: impl Into<Arc<str>>) -> Value<'a> {
        Value::String(Str::Owned(s.into()))
    }

    /// A list value of computed elements.
    pub fn list(v: Vec<Value<'a>>) -> Value<'a> {
        Value::List(List::Owned(v.into()))
    }

    /// The value's CEL type.
    pub fn type_of(&self) -> Type {
        match self {
            Value::Null => Type::Null,
            Value::Bool(_) => Type::Bool,
            Value::Int(_) => Type::Int,
            Value::Uint(_) => Type::Uint,
            Value::Double(_) => Type::Double,
            Value::String(_) => Type::String,
            Value::Bytes(_) => Type::Bytes,
            Value::List(_) => Type::List,
            Value::Map(_) => Type::Map,
            Value::Timestamp(_) => Type::Timestamp,
            Value::Duration(_) => Type::Duration,
            Value::Type(_) => Type::Type,
            Value::Optional(_) => Type::Optional,
            Value::Opaque(o) => Type::Named(Arc::from(o.type_name())),
        }
    }

    /// The name of the value's type, without allocating.
    pub fn type_name(&self) -> &str {
        match self {
            Value::Opaque(o) => o.type_name(),
            Value::Null => "null_type",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Uint(_) => "uint",
            Value::Double(_) => "double",
            Value::String(_) => "string",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Timestamp(_) => "google.protobuf.Timestamp",
            Value::Duration(_) => "google.protobuf.Duration",
            Value::Type(_) => "type",
            Value::Optional(_) => "optional_type",
        }
    }

    /// The size as cel-go's cost tracker measures it (length for strings, bytes, lists, maps; else 1).
    pub fn actual_size(&self) -> u64 {
        match self {
            Value::String(s) => s.chars().count() as u64,
            Value::Bytes(b) => b.len() as u64,
            Value::List(l) => l.len() as u64,
            Value::Map(m) => m.len() as u64,
            Value::Optional(Some(v)) => v.actual_size(),
            _ => 1,
        }
    }
}

/// Numeric equality across int, uint and double.
pub(crate) fn num_eq(a: &Value<'_>, b: &Value<'_>) -> bool {
    num_cmp(a, b) == Some(Ordering::Equal)
}

/// Numeric ordering across int, uint and double; `None` for NaN or non-numbers.
pub(crate) fn num_cmp(a: &Value<'_>, b: &Value<'_>) -> Option<Ordering> {
    use Value::{Double, Int, Uint};
    match (a, b) {
        (Int(x), Int(y)) => Some(x.cmp(y)),
        (Uint(x), Uint(y)) => Some(x.cmp(y)),
        (Double(x), Double(y)) => x.partial_cmp(y),
        (Int(x), Uint(y)) => Some(if *x < 0 {
            Ordering::Less
        } else {
            (*x as u64).cmp(y)
        }),
        (Uint(x), Int(y)) => Some(if *y < 0 {
            Ordering::Greater
        } else {
            x.cmp(&(*y as u64))
        }),
        (Int(x), Double(y)) => cmp_i64_f64(*x, *y),
        (Double(x), Int(y)) => cmp_i64_f64(*y, *x).map(Ordering::reverse),
        (Uint(x), Double(y)) => cmp_u64_f64(*x, *y),
        (Double(x), Uint(y)) => cmp_u64_f64(*y, *x).map(Ordering::reverse),
        _ => None,
    }
}

fn cmp_i64_f64(i: i64, d: f64) -> Option<Ordering> {
    if d.is_nan() {
        return None;
    }
    if d < -9_223_372_036_854_775_808.0 {
        return Some(Ordering::Greater);
    }
    if d > 9_223_372_036_854_775_808.0 {
        return Some(Ordering::Less);
    }
    (i as f64).partial_cmp(&d)
}

fn cmp_u64_f64(u: u64, d: f64) -> Option<Ordering> {
    if d.is_nan() {
        return None;
    }
    if d < 0.0 {
        return Some(Ordering::Greater);
    }
    if d > 18_446_744_073_709_551_616.0 {
        return Some(Ordering::Less);
    }
    (u as f64).partial_cmp(&d)
}

/// CEL equality (`==`): heterogeneous values are unequal, numbers compare across types.
pub fn equals(a: &Value<'_>, b: &Value<'_>) -> bool {
    use Value as V;
    match (a, b) {
        (V::Null, V::Null) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Int(_) | V::Uint(_) | V::Double(_), V::Int(_) | V::Uint(_) | V::Double(_)) => {
            num_eq(a, b)
        }
        (V::String(x), V::String(y)) => **x == **y,
        (V::Bytes(x), V::Bytes(y)) => x == y,
        (V::List(x), V::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equals(&p, &q))
        }
        (V::Map(x), V::Map(y)) => {
            x.len() == y.len()
                && x.entries()
                    .iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equals(v, &w)))
        }
        (V::Timestamp(x), V::Timestamp(y)) => x == y,
        (V::Duration(x), V::Duration(y)) => x == y,
        (V::Type(x), V::Type(y)) => x.name() == y.name(),
        (V::Optional(x), V::Optional(y)) => match (x, y) {
            (None, None) => true,
            (Some(p), Some(q)) => equals(p, q),
            _ => false,
        },
        (V::Opaque(x), V::Opaque(y)) => x.type_name() == y.type_name() && x.equals(&**y),
        _ => false,
    }
}

/// CEL ordering (`<` and friends) for values of comparable types.
pub fn compare(a: &Value<'_>, b: &Value<'_>) -> Result<Ordering, EvalError> {
    use Value as V;
    match (a, b) {
        (V::Int(_) | V::Uint(_) | V::Double(_), V::Int(_) | V::Uint(_) | V::Double(_)) => {
            num_cmp(a, b).ok_or_else(|| EvalError::new("NaN values cannot be ordered"))
        }
        (V::Bool(x), V::Bool(y)) => Ok(x.cmp(y)),
        (V::String(x), V::String(y)) => Ok((**x).cmp(&**y)),
        (V::Bytes(x), V::Bytes(y)) => Ok(x.cmp(y)),
        (V::Timestamp(x), V::Timestamp(y)) => Ok(x.cmp(y)),
        (V::Duration(x), V::Duration(y)) => Ok(x.cmp(y)),
        _ => Err(EvalError::no_such_overload()),
    }
}
