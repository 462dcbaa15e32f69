//! The `serde::Deserializer` over JSON text.

use std::borrow::Cow;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Visitor};

use super::error::{Code, JsonError};
use super::read::{self, Number, Scan};

type Result<T> = std::result::Result<T, JsonError>;

/// How many arrays and objects may be open at once, counted as serde_json counts: a document
/// may nest 127 containers, and the 128th is an error.
const DEPTH_LIMIT: u8 = 128;

/// A JSON deserializer over borrowed text: strings without escapes borrow from it.
///
/// [`from_slice`](super::from_slice) and [`from_str`](super::from_str) cover the common case;
/// use the deserializer directly to drive a `Deserialize` impl by hand, then call
/// [`Deserializer::end`] to reject trailing characters.
///
/// ```
/// use palisade_core::json::Deserializer;
/// use serde::Deserialize;
///
/// let mut de = Deserializer::new(r#"[1, 2] "#);
/// let pair = <(u8, u8)>::deserialize(&mut de)?;
/// de.end()?;
/// assert_eq!(pair, (1, 2));
/// # Ok::<(), palisade_core::json::JsonError>(())
/// ```
#[derive(Debug)]
pub struct Deserializer<'de> {
    input: &'de str,
    pos: usize,
    remaining_depth: u8,
}

impl<'de> Deserializer<'de> {
    /// A deserializer over JSON text.
    pub fn new(input: &'de str) -> Self {
        Deserializer {
            input,
            pos: 0,
            remaining_depth: DEPTH_LIMIT,
        }
    }

    /// A deserializer over JSON bytes, which must be UTF-8 (checked here, once).
    pub fn from_slice(input: &'de [u8]) -> Result<Self> {
        match std::str::from_utf8(input) {
            Ok(text) => Ok(Deserializer::new(text)),
            Err(e) => Err(JsonError::syntax(Code::InvalidUtf8, input, e.valid_up_to())),
        }
    }

    /// Checks that only whitespace follows the value read.
    pub fn end(&mut self) -> Result<()> {
        self.pos = read::skip_ws(self.bytes(), self.pos);
        if self.pos < self.input.len() {
            Err(self.error(Code::TrailingCharacters))
        } else {
            Ok(())
        }
    }

    #[inline]
    fn bytes(&self) -> &'de [u8] {
        self.input.as_bytes()
    }

    /// The next byte after whitespace (which is skipped), if any.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.pos = read::skip_ws(self.bytes(), self.pos);
        self.bytes().get(self.pos).copied()
    }

    /// A syntax error at the current position.
    #[cold]
    fn error(&self, code: Code) -> JsonError {
        JsonError::syntax(code, self.bytes(), self.pos)
    }

    /// A syntax error from a scanning function.
    #[cold]
    fn scan_error(&self, (code, at): (Code, usize)) -> JsonError {
        JsonError::syntax(code, self.bytes(), at)
    }

    /// Gives an error raised by a visitor the position `at` (the start of the value it was
    /// given) unless it has one.
    #[cold]
    fn place(&self, err: JsonError, at: usize) -> JsonError {
        err.placed(self.bytes(), at)
    }

    /// Gives an error the current position unless it has one.
    #[cold]
    pub(crate) fn place_here(&self, err: JsonError) -> JsonError {
        err.placed(self.bytes(), self.pos)
    }

    #[inline]
    fn scanned<T>(&mut self, result: Scan<(T, usize)>) -> Result<T> {
        match result {
            Ok((value, next)) => {
                self.pos = next;
                Ok(value)
            }
            Err(e) => Err(self.scan_error(e)),
        }
    }

    /// Reads the string whose opening quote is at the current position.
    #[inline(always)]
    fn parse_str(&mut self) -> Result<Cow<'de, str>> {
        let bytes = self.bytes();
        let start = self.pos + 1;
        let end = read::scan_string(bytes, start);
        if bytes.get(end) == Some(&b'"') {
            // `start` follows a quote and `end` is a quote: both are char boundaries.
            let Some(s) = self.input.get(start..end) else {
                return Err(self.error(Code::Internal));
            };
            self.pos = end + 1;
            return Ok(Cow::Borrowed(s));
        }
        self.parse_escaped(start, end)
    }

    /// The slow path of [`Deserializer::parse_str`]: a string with escapes (or an error).
    #[inline(never)]
    fn parse_escaped(&mut self, start: usize, end: usize) -> Result<Cow<'de, str>> {
        let owned = read::unescape(self.input, start, end);
        self.scanned(owned).map(Cow::Owned)
    }

    #[inline]
    fn literal(&mut self, literal: &[u8]) -> Result<()> {
        match read::literal(self.bytes(), self.pos, literal) {
            Ok(next) => {
                self.pos = next;
                Ok(())
            }
            Err(e) => Err(self.scan_error(e)),
        }
    }

    fn number(&mut self) -> Result<Number> {
        let result = read::number(self.input, self.pos);
        self.scanned(result)
    }

    /// Opens a container at the current position.
    #[inline]
    fn enter(&mut self) -> Result<()> {
        match self.remaining_depth.checked_sub(1) {
            Some(remaining) if remaining > 0 => {
                self.remaining_depth = remaining;
                self.pos += 1;
                Ok(())
            }
            _ => Err(self.error(Code::RecursionLimit)),
        }
    }

    #[inline]
    fn leave(&mut self) {
        self.remaining_depth = self.remaining_depth.saturating_add(1);
    }

    /// Reads the array at the current position through `visitor.visit_seq`.
    fn visit_array<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let start = self.pos;
        self.enter()?;
        let value = visitor.visit_seq(SeqAccess {
            de: &mut *self,
            first: true,
        });
        self.leave();
        let value = value.map_err(|e| self.place(e, start))?;
        self.close(value, b']', Code::EofList)
    }

    /// Reads the object at the current position through `visitor.visit_map`.
    fn visit_object<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        let start = self.pos;
        self.enter()?;
        let value = visitor.visit_map(MapAccess {
            de: &mut *self,
            first: true,
        });
        self.leave();
        let value = value.map_err(|e| self.place(e, start))?;
        self.close(value, b'}', Code::EofObject)
    }

    /// Consumes the `close` byte that must follow a container's last element, or reports what
    /// stands there instead: a trailing comma, other characters, or the end of input (`eof`).
    fn close<T>(&mut self, value: T, close: u8, eof: Code) -> Result<T> {
        match self.peek() {
            Some(b) if b == close => {
                self.pos += 1;
                Ok(value)
            }
            Some(b',') => {
                self.pos += 1;
                if self.peek() == Some(close) {
                    Err(self.error(Code::TrailingComma))
                } else {
                    Err(self.error(Code::TrailingCharacters))
                }
            }
            Some(_) => Err(self.error(Code::TrailingCharacters)),
            None => Err(self.error(eof)),
        }
    }
}

fn visit_number<'de, V: Visitor<'de>>(number: Number, visitor: V) -> Result<V::Value> {
    match number {
        Number::U64(n) => visitor.visit_u64(n),
        Number::I64(n) => visitor.visit_i64(n),
        Number::F64(f) => visitor.visit_f64(f),
    }
}

fn visit_str<'de, V: Visitor<'de>>(s: Cow<'de, str>, visitor: V) -> Result<V::Value> {
    match s {
        Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
        Cow::Owned(s) => visitor.visit_string(s),
    }
}

impl<'de> de::Deserializer<'de> for &mut Deserializer<'de> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let Some(next) = self.peek() else {
            return Err(self.error(Code::EofValue));
        };
        let start = self.pos;
        let value = match next {
            b'"' => {
                let s = self.parse_str()?;
                visit_str(s, visitor)
            }
            b'{' => return self.visit_object(visitor),
            b'[' => return self.visit_array(visitor),
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            b'-' | b'0'..=b'9' => {
                let number = self.number()?;
                visit_number(number, visitor)
            }
            _ => return Err(self.error(Code::ExpectedValue)),
        };
        value.map_err(|e| self.place(e, start))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek() {
            Some(b'n') => {
                let start = self.pos;
                self.literal(b"null")?;
                visitor.visit_none().map_err(|e| self.place(e, start))
            }
            Some(_) => visitor.visit_some(self),
            None => Err(self.error(Code::EofValue)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.peek() {
            Some(b'"') => {
                let start = self.pos;
                let value = match self.parse_str()? {
                    Cow::Borrowed(s) => de::Deserializer::deserialize_enum(
                        BorrowedStrDeserializer::<JsonError>::new(s),
                        name,
                        variants,
                        visitor,
                    ),
                    Cow::Owned(s) => de::Deserializer::deserialize_enum(
                        StringDeserializer::<JsonError>::new(s),
                        name,
                        variants,
                        visitor,
                    ),
                };
                value.map_err(|e| self.place(e, start))
            }
            Some(b'{') => {
                let start = self.pos;
                self.enter()?;
                let value = visitor.visit_enum(VariantAccess { de: &mut *self });
                self.leave();
                let value = value.map_err(|e| self.place(e, start))?;
                match self.peek() {
                    Some(b'}') => {
                        self.pos += 1;
                        Ok(value)
                    }
                    Some(_) => Err(self.error(Code::ExpectedObjectEnd)),
                    None => Err(self.error(Code::EofObject)),
                }
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let start = read::skip_ws(self.bytes(), self.pos);
        let skipped = if self.bytes().get(start) == Some(&b'"') {
            // Most skipped values are strings: no need for the container machinery.
            read::skip_string(self.bytes(), start)
        } else {
            read::skip_value(self.input, start, self.remaining_depth)
        };
        match skipped {
            Ok(next) => self.pos = next,
            Err(e) => return Err(self.scan_error(e)),
        }
        visitor.visit_unit().map_err(|e| self.place(e, start))
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if self.peek() != Some(b'"') {
            return self.deserialize_any(visitor);
        }
        let start = self.pos;
        let value = match self.parse_str()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
            Cow::Owned(s) => visitor.visit_byte_buf(s.into_bytes()),
        };
        value.map_err(|e| self.place(e, start))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// The elements of an array.
struct SeqAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, 'de> {
    type Error = JsonError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.de.peek() {
            Some(b']') => return Ok(None),
            Some(b',') if !self.first => {
                self.de.pos += 1;
                if self.de.peek() == Some(b']') {
                    return Err(self.de.error(Code::TrailingComma));
                }
            }
            Some(_) if self.first => self.first = false,
            Some(_) => return Err(self.de.error(Code::ExpectedListCommaOrEnd)),
            None => return Err(self.de.error(Code::EofList)),
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

/// The entries of an object.
struct MapAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
    first: bool,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, 'de> {
    type Error = JsonError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let next = match self.de.peek() {
            Some(b'}') => return Ok(None),
            Some(b',') if !self.first => {
                self.de.pos += 1;
                self.de.peek()
            }
            Some(b) if self.first => {
                self.first = false;
                Some(b)
            }
            Some(_) => return Err(self.de.error(Code::ExpectedObjectCommaOrEnd)),
            None => return Err(self.de.error(Code::EofObject)),
        };
        match next {
            Some(b'"') => seed.deserialize(MapKey { de: &mut *self.de }).map(Some),
            Some(b'}') => Err(self.de.error(Code::TrailingComma)),
            Some(_) => Err(self.de.error(Code::KeyMustBeAString)),
            None => Err(self.de.error(Code::EofObject)),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        match self.de.peek() {
            Some(b':') => self.de.pos += 1,
            Some(_) => return Err(self.de.error(Code::ExpectedColon)),
            None => return Err(self.de.error(Code::EofObject)),
        }
        seed.deserialize(&mut *self.de)
    }
}

/// An object key (the deserializer sits on its opening quote). Keys read as strings; read as
/// a number or a bool, the string must hold one, as serde_json does for maps like
/// `HashMap<u32, _>`.
struct MapKey<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'de> MapKey<'_, 'de> {
    fn key(&mut self) -> Result<(Cow<'de, str>, usize)> {
        let start = self.de.pos;
        Ok((self.de.parse_str()?, start))
    }

    fn numeric<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        let (key, start) = self.key()?;
        let number = match read::number(&key, 0) {
            Ok((number, end)) if end == key.len() => number,
            _ => {
                return Err(self.de.place(
                    de::Error::custom("invalid value: expected key to be a number in quotes"),
                    start,
                ));
            }
        };
        visit_number(number, visitor).map_err(|e| self.de.place(e, start))
    }
}

macro_rules! numeric_keys {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
                self.numeric(visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for MapKey<'_, 'de> {
    type Error = JsonError;

    #[inline]
    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        let (key, start) = self.key()?;
        visit_str(key, visitor).map_err(|e| self.de.place(e, start))
    }

    numeric_keys! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    fn deserialize_bool<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        let (key, start) = self.key()?;
        let value = match &*key {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => visit_str(key, visitor),
        };
        value.map_err(|e| self.de.place(e, start))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_enum(&mut *self.de, name, variants, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_bytes(&mut *self.de, visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_bytes(&mut *self.de, visitor)
    }

    serde::forward_to_deserialize_any! {
        char str string unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// An externally tagged enum variant, `{"Variant": value}` (the deserializer sits after `{`).
struct VariantAccess<'a, 'de> {
    de: &'a mut Deserializer<'de>,
}

impl<'de> de::EnumAccess<'de> for VariantAccess<'_, 'de> {
    type Error = JsonError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        match self.de.peek() {
            Some(b'"') => {}
            Some(_) => return Err(self.de.error(Code::KeyMustBeAString)),
            None => return Err(self.de.error(Code::EofObject)),
        }
        let variant = seed.deserialize(MapKey { de: &mut *self.de })?;
        match self.de.peek() {
            Some(b':') => self.de.pos += 1,
            Some(_) => return Err(self.de.error(Code::ExpectedColon)),
            None => return Err(self.de.error(Code::EofObject)),
        }
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_, 'de> {
    type Error = JsonError;

    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(self.de)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_seq(self.de, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(self.de, "", fields, visitor)
    }
}
