//! Checked types as cel-go names them, and the small signature grammar declarations are written in.

use std::fmt;
use std::sync::Arc;

/// A CEL type as the checker sees it, printed as cel-go prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
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
    /// `null_type`
    Null,
    /// `dyn`
    Dyn,
    /// `*error*`: the type of an expression that failed to check.
    Error,
    /// `google.protobuf.Timestamp`
    Timestamp,
    /// `google.protobuf.Duration`
    Duration,
    /// `list(T)`
    List(Box<Type>),
    /// `map(K, V)`
    Map(Box<Type>, Box<Type>),
    /// `type(T)`; `type` alone when the type is not known.
    Type(Option<Box<Type>>),
    /// An abstract type with parameters: `optional_type(T)`, `kubernetes.Quantity`, `net.IP`, ...
    Opaque(Arc<str>, Vec<Type>),
    /// A type parameter of a generic overload (`A`, `K`, `V`), or a free type variable.
    Param(Arc<str>),
    /// An object type with declared fields, e.g. `kubernetes.AdmissionRequest`.
    Object(Arc<ObjectType>),
}

/// A named object type and its fields.
#[derive(Debug, PartialEq, Eq)]
pub struct ObjectType {
    /// The full name, e.g. `kubernetes.AdmissionRequest`.
    pub name: String,
    /// The fields and their types, in declaration order.
    pub fields: Vec<(String, Type)>,
}

impl Type {
    /// `list(elem)`
    pub fn list(elem: Type) -> Type {
        Type::List(Box::new(elem))
    }
    /// `map(key, value)`
    pub fn map(key: Type, value: Type) -> Type {
        Type::Map(Box::new(key), Box::new(value))
    }
    /// `optional_type(elem)`
    pub fn optional(elem: Type) -> Type {
        Type::Opaque(Arc::from("optional_type"), vec![elem])
    }
    /// `type(t)`
    pub fn type_of(t: Type) -> Type {
        Type::Type(Some(Box::new(t)))
    }
    /// An abstract type without parameters, e.g. `kubernetes.Quantity`.
    pub fn opaque(name: &str) -> Type {
        Type::Opaque(Arc::from(name), Vec::new())
    }
    /// The element type of an `optional_type(T)`.
    pub(crate) fn optional_elem(&self) -> Option<&Type> {
        match self {
            Type::Opaque(n, p) if &**n == "optional_type" => p.first(),
            _ => None,
        }
    }
    /// The type a type-name identifier (`int`, `list`, `net.IP`) denotes, for `type(T)`.
    pub(crate) fn from_type_name(name: &str) -> Option<Type> {
        Some(match name {
            "bool" => Type::Bool,
            "int" => Type::Int,
            "uint" => Type::Uint,
            "double" => Type::Double,
            "string" => Type::String,
            "bytes" => Type::Bytes,
            "null_type" => Type::Null,
            "dyn" => Type::Dyn,
            "type" => Type::Type(None),
            "list" => Type::list(Type::Dyn),
            "map" => Type::map(Type::Dyn, Type::Dyn),
            "optional_type" => Type::optional(Type::Dyn),
            "google.protobuf.Timestamp" => Type::Timestamp,
            "google.protobuf.Duration" => Type::Duration,
            _ => return None,
        })
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Uint => f.write_str("uint"),
            Type::Double => f.write_str("double"),
            Type::String => f.write_str("string"),
            Type::Bytes => f.write_str("bytes"),
            Type::Null => f.write_str("null_type"),
            Type::Dyn => f.write_str("dyn"),
            Type::Error => f.write_str("*error*"),
            Type::Timestamp => f.write_str("google.protobuf.Timestamp"),
            Type::Duration => f.write_str("google.protobuf.Duration"),
            Type::List(e) => write!(f, "list({e})"),
            Type::Map(k, v) => write!(f, "map({k}, {v})"),
            Type::Type(None) => f.write_str("type"),
            Type::Type(Some(t)) => write!(f, "type({t})"),
            Type::Opaque(n, p) => {
                f.write_str(n)?;
                if !p.is_empty() {
                    f.write_str("(")?;
                    for (i, t) in p.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        write!(f, "{t}")?;
                    }
                    f.write_str(")")?;
                }
                Ok(())
            }
            Type::Param(n) => f.write_str(n),
            Type::Object(o) => f.write_str(&o.name),
        }
    }
}

/// One overload of a function: receiver-style or global, its parameters and result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overload {
    /// Called on a receiver (`x.f(y)`); the receiver is the first parameter.
    pub member: bool,
    /// The parameter types (the receiver first for member overloads).
    pub params: Vec<Type>,
    /// The result type.
    pub result: Type,
}

/// Parses a signature in the form cel-go prints function types: `(int, int) -> int` for a global
/// overload, `list(A).(A) -> bool` for a receiver overload. Single upper-case letters are type
/// parameters.
pub(crate) fn parse_signature(sig: &str) -> Option<Overload> {
    let mut p = SigParser {
        s: sig.as_bytes(),
        i: 0,
    };
    let mut params = Vec::new();
    let member = !sig.starts_with('(');
    if member {
        params.push(p.ty()?);
        p.eat(b'.')?;
    }
    p.eat(b'(')?;
    p.ws();
    if p.peek() != Some(b')') {
        loop {
            params.push(p.ty()?);
            p.ws();
            if p.peek() == Some(b',') {
                p.i += 1;
                continue;
            }
            break;
        }
    }
    p.eat(b')')?;
    p.ws();
    p.eat(b'-')?;
    p.eat(b'>')?;
    let result = p.ty()?;
    p.ws();
    (p.i == p.s.len()).then_some(Overload {
        member,
        params,
        result,
    })
}

/// Parses one type in the signature grammar, e.g. `map(string, list(A))`.
pub(crate) fn parse_type(text: &str) -> Option<Type> {
    let mut p = SigParser {
        s: text.as_bytes(),
        i: 0,
    };
    let t = p.ty()?;
    p.ws();
    (p.i == p.s.len()).then_some(t)
}

struct SigParser<'s> {
    s: &'s [u8],
    i: usize,
}

impl SigParser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn ws(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek() == Some(c)).then(|| self.i += 1)
    }
    fn name(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        while let Some(c) = self.peek() {
            let dot_ok = c == b'.'
                && self
                    .s
                    .get(self.i + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic());
            if c.is_ascii_alphanumeric() || c == b'_' || dot_ok {
                self.i += 1;
            } else {
                break;
            }
        }
        let n = std::str::from_utf8(self.s.get(start..self.i)?).ok()?;
        (!n.is_empty()).then(|| n.to_string())
    }
    fn args(&mut self) -> Option<Vec<Type>> {
        let mut out = Vec::new();
        if self.peek() != Some(b'(') {
            return Some(out);
        }
        self.i += 1;
        loop {
            out.push(self.ty()?);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b')') => {
                    self.i += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }
    fn ty(&mut self) -> Option<Type> {
        let name = self.name()?;
        let args = self.args()?;
        let first = args.first().cloned();
        Some(match name.as_str() {
            "list" => Type::list(first?),
            "map" => Type::map(first?, args.get(1).cloned()?),
            "optional_type" => Type::optional(first?),
            "type" => match first {
                Some(t) => Type::type_of(t),
                None => Type::Type(None),
            },
            n if n.len() == 1 && n.bytes().all(|b| b.is_ascii_uppercase()) => {
                Type::Param(Arc::from(n))
            }
            n => match Type::from_type_name(n) {
                Some(t) => t,
                None => Type::Opaque(Arc::from(n), args),
            },
        })
    }
}
