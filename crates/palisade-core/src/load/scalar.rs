//! YAML scalars read exactly as Kubernetes reads them.
//!
//! Kubernetes turns YAML into JSON with `sigs.k8s.io/yaml`, which decodes with go-yaml v2 into
//! Go values and marshals those with `encoding/json`; the API server then decodes that JSON
//! keeping integers that fit `int64` and making every other number a `float64`. This module
//! reproduces each step for one scalar:
//!
//! 1. go-yaml v2's resolution (YAML 1.1): which plain scalars are null, booleans, integers (Go's
//!    `strconv.ParseInt`/`ParseUint` with base 0, after removing `_`) or floats, what explicit
//!    tags do, and how `!!binary` is decoded.
//! 2. `encoding/json`: an integral float below 1e21 is written without a fraction (so it comes
//!    back as an integer), NaN and infinities cannot be written at all, invalid UTF-8 becomes
//!    U+FFFD byte by byte.
//! 3. `sigs.k8s.io/yaml`'s key conversion: integer, float (`%g` at float32 precision) and
//!    boolean keys become strings; null and unsigned keys are errors.
//!
//! The code is written from the behaviour those libraries document and test, not copied.

use serde_json::{Number, Value};

/// A resolved scalar: the Go value go-yaml v2 would produce.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Scalar {
    Null,
    Bool(bool),
    /// Go `int`/`int64`.
    Int(i64),
    /// Go `uint64`: only for integers above `i64::MAX`.
    Uint(u64),
    Float(f64),
    Str(String),
}

/// An explicit tag, as far as go-yaml v2 distinguishes tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    /// No tag.
    None,
    /// The non-specific tag `!`.
    NonSpecific,
    Str,
    Bool,
    Int,
    Float,
    Null,
    Timestamp,
    Binary,
    Merge,
    /// Any other tag (`!!map` on a scalar, `!foo`, a URI): the scalar stays a string.
    Other,
}

const CORE_PREFIX: &str = "tag:yaml.org,2002:";

impl Tag {
    /// Classifies a resolved tag (`handle` + `suffix` is the full tag).
    pub(super) fn classify(handle: &str, suffix: &str) -> Tag {
        let core = if handle == CORE_PREFIX {
            Some(suffix)
        } else if handle.is_empty() {
            if suffix == "!" {
                return Tag::NonSpecific;
            }
            suffix.strip_prefix(CORE_PREFIX)
        } else {
            None
        };
        match core {
            Some("str") => Tag::Str,
            Some("bool") => Tag::Bool,
            Some("int") => Tag::Int,
            Some("float") => Tag::Float,
            Some("null") => Tag::Null,
            Some("timestamp") => Tag::Timestamp,
            Some("binary") => Tag::Binary,
            Some("merge") => Tag::Merge,
            _ => Tag::Other,
        }
    }

    /// go-yaml's short name, for messages.
    fn short(self) -> &'static str {
        match self {
            Tag::Str => "!!str",
            Tag::Bool => "!!bool",
            Tag::Int => "!!int",
            Tag::Float => "!!float",
            Tag::Null => "!!null",
            Tag::Timestamp => "!!timestamp",
            Tag::Binary => "!!binary",
            Tag::Merge => "!!merge",
            Tag::None | Tag::NonSpecific | Tag::Other => "!",
        }
    }
}

/// Why a scalar could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ScalarError {
    /// `!!int abc`: the scalar resolves to another type than its tag says.
    TagMismatch {
        resolved: &'static str,
        tag: &'static str,
        text: String,
    },
    /// `!!binary` with invalid base64.
    Binary,
}

impl ScalarError {
    pub(super) fn message(&self) -> String {
        match self {
            ScalarError::TagMismatch {
                resolved,
                tag,
                text,
            } => format!("cannot decode {resolved} `{}` as a {tag}", abbreviate(text)),
            ScalarError::Binary => "!!binary value contains invalid base64 data".to_owned(),
        }
    }
}

/// Shortens input quoted in a message.
pub(super) fn abbreviate(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(MAX - 3).collect();
    short.push_str("...");
    short
}

/// Whether a mapping key is go-yaml v2's merge key: the scalar `<<`, plain and untagged, or
/// tagged `!` or `!!merge`.
pub(super) fn is_merge_key(text: &str, plain: bool, tag: Tag) -> bool {
    text == "<<" && ((plain && tag == Tag::None) || tag == Tag::NonSpecific || tag == Tag::Merge)
}

/// Resolves one scalar as go-yaml v2 does when decoding into `interface{}`.
///
/// `plain` is whether the scalar was written plain (not quoted, not a block scalar).
pub(super) fn resolve(text: &str, plain: bool, tag: Tag) -> Result<Scalar, ScalarError> {
    match tag {
        // Quoted and block scalars without a tag are strings.
        Tag::None if !plain => return Ok(Scalar::Str(text.to_owned())),
        Tag::NonSpecific | Tag::Other | Tag::Merge => return Ok(Scalar::Str(text.to_owned())),
        Tag::Binary => {
            return decode_base64(text)
                .map(|bytes| Scalar::Str(lossy_per_byte(&bytes).into_owned()))
                .ok_or(ScalarError::Binary);
        }
        Tag::None | Tag::Str | Tag::Bool | Tag::Int | Tag::Float | Tag::Null | Tag::Timestamp => {}
    }
    let (resolved, value) = resolve_untyped(text, tag);
    if tag == Tag::None || tag == Tag::Str || tag == resolved {
        return Ok(value);
    }
    // `!!float 3` is the float 3; nothing else converts.
    if let (Tag::Float, Tag::Int, Scalar::Int(i)) = (tag, resolved, &value) {
        return Ok(Scalar::Float(*i as f64));
    }
    Err(ScalarError::TagMismatch {
        resolved: resolved.short(),
        tag: tag.short(),
        text: text.to_owned(),
    })
}

/// go-yaml v2's `resolve` for the resolvable tags: returns the resolved tag and the value.
fn resolve_untyped(text: &str, tag: Tag) -> (Tag, Scalar) {
    let hint = match text.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 || tag == Tag::Str {
        return (Tag::Str, Scalar::Str(text.to_owned()));
    }
    if let Some(found) = resolve_word(text) {
        return found;
    }
    match hint {
        b'.' => {
            if let Some(f) = go_parse_float(text) {
                return (Tag::Float, Scalar::Float(f));
            }
        }
        b'D' | b'S' => {
            // An explicit `!!timestamp` keeps a valid timestamp as its text (go-yaml hands
            // timestamps to `interface{}` as strings). Untagged, a timestamp-looking scalar
            // (`2001-12-14`) would end up a string anyway: it is never a number.
            if tag == Tag::Timestamp && is_timestamp(text) {
                return (Tag::Timestamp, Scalar::Str(text.to_owned()));
            }
            let plain: std::borrow::Cow<'_, str> = if text.contains('_') {
                text.replace('_', "").into()
            } else {
                text.into()
            };
            if let Some(i) = go_parse_int(&plain) {
                return (Tag::Int, Scalar::Int(i));
            }
            if let Some(u) = go_parse_uint(&plain) {
                return (Tag::Int, Scalar::Uint(u));
            }
            if is_yaml_style_float(&plain)
                && let Some(f) = go_parse_float(&plain)
            {
                return (Tag::Float, Scalar::Float(f));
            }
            // go-yaml's extra `0b…` / `-0b…` attempts only matter for Go versions before 1.13,
            // whose `ParseInt` had no `0b` prefix; with base 0 they are already covered above.
        }
        _ => {}
    }
    (Tag::Str, Scalar::Str(text.to_owned()))
}

/// The fixed words of go-yaml v2's resolve table.
fn resolve_word(text: &str) -> Option<(Tag, Scalar)> {
    Some(match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            (Tag::Bool, Scalar::Bool(true))
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            (Tag::Bool, Scalar::Bool(false))
        }
        "" | "~" | "null" | "Null" | "NULL" => (Tag::Null, Scalar::Null),
        ".nan" | ".NaN" | ".NAN" => (Tag::Float, Scalar::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            (Tag::Float, Scalar::Float(f64::INFINITY))
        }
        "-.inf" | "-.Inf" | "-.INF" => (Tag::Float, Scalar::Float(f64::NEG_INFINITY)),
        _ => return None,
    })
}

/// Go's `strconv.ParseUint(s, 0, 64)`: `0x`/`0o`/`0b` prefixes (any case), a leading `0` for
/// octal, no sign. `None` for syntax and range errors alike.
pub(super) fn go_parse_uint(s: &str) -> Option<u64> {
    let bytes = s.as_bytes();
    let (base, digits): (u64, &[u8]) = match bytes {
        [] => return None,
        [b'0', prefix, rest @ ..]
            if !rest.is_empty() && matches!(prefix | 0x20, b'b' | b'o' | b'x') =>
        {
            let base = match prefix | 0x20 {
                b'b' => 2,
                b'o' => 8,
                _ => 16,
            };
            (base, rest)
        }
        [b'0', rest @ ..] => (8, rest),
        _ => (10, bytes),
    };
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            b'A'..=b'Z' => c - b'A' + 10,
            b'_' => {
                underscores = true;
                continue;
            }
            _ => return None,
        };
        if u64::from(d) >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(u64::from(d))?;
    }
    if underscores && !go_underscore_ok(s) {
        return None;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub(super) fn go_parse_int(s: &str) -> Option<i64> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, s.get(1..)?),
        Some(b'-') => (true, s.get(1..)?),
        Some(_) => (false, s),
        None => return None,
    };
    let u = go_parse_uint(rest)?;
    if negative {
        if u == 1 << 63 {
            Some(i64::MIN)
        } else {
            i64::try_from(u).ok().map(|i| -i)
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
fn go_underscore_ok(s: &str) -> bool {
    let mut bytes = s.as_bytes();
    if let [b'+' | b'-', rest @ ..] = bytes {
        bytes = rest;
    }
    // What was seen last: '^' start, '0' digit or base prefix, '_' underscore, '!' other.
    let mut saw = b'^';
    let mut hex = false;
    if let [b'0', prefix, rest @ ..] = bytes
        && matches!(prefix | 0x20, b'b' | b'o' | b'x')
    {
        saw = b'0';
        hex = prefix | 0x20 == b'x';
        bytes = rest;
    }
    for &c in bytes {
        if c.is_ascii_digit() || (hex && (c | 0x20).is_ascii_hexdigit()) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal input (the only kind go-yaml hands it here):
/// optional sign, digits with at most one `.`, optional exponent, `_` between digits. Overflow
/// is an error (Go's `ErrRange`); underflow is zero.
pub(super) fn go_parse_float(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut underscores = false;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let mut saw_dot = false;
    let mut saw_digits = false;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'_' => underscores = true,
            b'.' if !saw_dot => saw_dot = true,
            b'0'..=b'9' => saw_digits = true,
            _ => break,
        }
        i += 1;
    }
    if !saw_digits {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        while let Some(&c) = bytes.get(i) {
            match c {
                b'0'..=b'9' => {}
                b'_' => underscores = true,
                _ => break,
            }
            i += 1;
        }
    }
    if i != bytes.len() || (underscores && !go_underscore_ok(s)) {
        return None;
    }
    let f: f64 = if underscores {
        s.replace('_', "").parse().ok()?
    } else {
        s.parse().ok()?
    };
    f.is_finite().then_some(f)
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// go-yaml v2's `parseTimestamp`: Go's `time.Parse` with the layouts
/// `2006-1-2T15:4:5.999999999Z07:00`, the same with `t`, `2006-1-2 15:4:5.999999999` and
/// `2006-1-2`, after a quick check for four digits and `-`.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if !(b.len() > 4 && b.iter().take(4).all(u8::is_ascii_digit) && b.get(4) == Some(&b'-')) {
        return false;
    }
    timestamp_layout(b, Some(b'T'))
        || timestamp_layout(b, Some(b't'))
        || timestamp_layout(b, Some(b' '))
        || timestamp_layout(b, None)
}

/// One of go-yaml's timestamp layouts; `separator` is `None` for the date-only layout.
fn timestamp_layout(b: &[u8], separator: Option<u8>) -> bool {
    let mut p = Cursor { b, i: 0 };
    let Some(year) = p.fixed(4) else { return false };
    if !p.eat(b'-') {
        return false;
    }
    let Some(month) = p.number() else {
        return false;
    };
    if !p.eat(b'-') {
        return false;
    }
    let Some(day) = p.number() else { return false };
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return false;
    }
    let Some(sep) = separator else {
        return p.done();
    };
    if sep == b' ' {
        // Go's `time.Parse` treats a run of spaces in the layout as any run of spaces.
        if !p.eat(b' ') {
            return false;
        }
        while p.eat(b' ') {}
    } else if !p.eat(sep) {
        return false;
    }
    let Some(hour) = p.number() else { return false };
    if !p.eat(b':') {
        return false;
    }
    let Some(minute) = p.number() else {
        return false;
    };
    if !p.eat(b':') {
        return false;
    }
    let Some(second) = p.number() else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    // Optional fractional seconds: `.` or `,` and at least one digit.
    if matches!(p.peek(), Some(b'.' | b',')) && p.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
        p.i += 1;
        while p.peek().is_some_and(|c| c.is_ascii_digit()) {
            p.i += 1;
        }
    }
    if sep == b' ' {
        return p.done();
    }
    // Zone: `Z` or `±hh:mm`.
    if p.eat(b'Z') {
        return p.done();
    }
    if !(p.eat(b'+') || p.eat(b'-')) {
        return false;
    }
    let Some(zone_hour) = p.fixed(2) else {
        return false;
    };
    if !p.eat(b':') {
        return false;
    }
    let Some(zone_minute) = p.fixed(2) else {
        return false;
    };
    zone_hour <= 24 && zone_minute <= 60 && p.done()
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.b.get(self.i.saturating_add(ahead)).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.i += 1;
        }
        found
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }

    /// Exactly `n` digits.
    fn fixed(&mut self, n: usize) -> Option<u32> {
        let mut value = 0u32;
        for _ in 0..n {
            let c = self.peek().filter(u8::is_ascii_digit)?;
            value = value * 10 + u32::from(c - b'0');
            self.i += 1;
        }
        Some(value)
    }

    /// One or two digits (Go's `getnum` without `fixed`).
    fn number(&mut self) -> Option<u32> {
        let first = self.peek().filter(u8::is_ascii_digit)?;
        self.i += 1;
        let mut value = u32::from(first - b'0');
        if let Some(second) = self.peek().filter(u8::is_ascii_digit) {
            self.i += 1;
            value = value * 10 + u32::from(second - b'0');
        }
        Some(value)
    }
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Go's `base64.StdEncoding.DecodeString`: padded standard alphabet, `\r` and `\n` ignored,
/// unused trailing bits allowed.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    fn sextet(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let clean: Vec<u8> = text.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let quanta = clean.len() / 4;
    for (index, quantum) in clean.chunks_exact(4).enumerate() {
        let last = index + 1 == quanta;
        let (bytes, padding) = match quantum {
            [a, b, b'=', b'='] if last => ([*a, *b, b'A', b'A'], 2),
            [a, b, c, b'='] if last => ([*a, *b, *c, b'A'], 1),
            [a, b, c, d] => ([*a, *b, *c, *d], 0),
            _ => return None,
        };
        let mut word = 0u32;
        for c in bytes {
            word = (word << 6) | sextet(c)?;
        }
        let [_, x, y, z] = word.to_be_bytes();
        out.push(x);
        if padding < 2 {
            out.push(y);
        }
        if padding < 1 {
            out.push(z);
        }
    }
    Some(out)
}

/// Text from bytes as Go's `encoding/json` writes (and reads) it: each byte of an invalid UTF-8
/// sequence becomes one U+FFFD.
pub(super) fn lossy_per_byte(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let Err(first) = std::str::from_utf8(bytes) else {
        return String::from_utf8_lossy(bytes);
    };
    let mut out = String::with_capacity(bytes.len() + 16);
    let mut rest = bytes;
    let mut error = Some(first);
    while let Some(e) = error {
        let (valid, after) = rest.split_at(e.valid_up_to());
        out.push_str(&String::from_utf8_lossy(valid));
        let bad = e.error_len().unwrap_or(after.len());
        for _ in 0..bad {
            out.push(char::REPLACEMENT_CHARACTER);
        }
        rest = after.get(bad..).unwrap_or_default();
        error = std::str::from_utf8(rest).err();
    }
    out.push_str(&String::from_utf8_lossy(rest));
    out.into()
}

/// Why a scalar cannot be a JSON value or key.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum JsonError {
    /// NaN or an infinity as a value: `encoding/json` refuses them.
    NonFinite(f64),
    /// A null key.
    NullKey,
    /// An unsigned (above `i64::MAX`) key.
    UnsignedKey(u64),
}

impl JsonError {
    pub(super) fn message(&self) -> String {
        match self {
            JsonError::NonFinite(f) => format!(
                "the number `{}` has no JSON form (JSON has no NaN or infinity)",
                go_float_name(*f)
            ),
            JsonError::NullKey => "an object key is null; JSON keys must be strings, and \
                                   Kubernetes converts only string, number and boolean keys"
                .to_owned(),
            JsonError::UnsignedKey(u) => format!(
                "the object key `{u}` is above 2^63-1, which Kubernetes cannot convert to a \
                 JSON key"
            ),
        }
    }
}

fn go_float_name(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    }
}

impl Scalar {
    /// The JSON value the API server ends up with.
    pub(super) fn into_value(self) -> Result<Value, JsonError> {
        Ok(match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::from(i),
            Scalar::Uint(u) => {
                // Written as an integer, read back as a float64: it does not fit int64.
                let f = u as f64;
                Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
            Scalar::Float(f) => float_value(f).ok_or(JsonError::NonFinite(f))?,
            Scalar::Str(s) => Value::String(s),
        })
    }

    /// The JSON object key `sigs.k8s.io/yaml` makes of this scalar.
    pub(super) fn into_key(self) -> Result<String, JsonError> {
        match self {
            Scalar::Null => Err(JsonError::NullKey),
            Scalar::Bool(b) => Ok(if b { "true" } else { "false" }.to_owned()),
            Scalar::Int(i) => Ok(i.to_string()),
            Scalar::Uint(u) => Err(JsonError::UnsignedKey(u)),
            Scalar::Float(f) => Ok(go_float32_key(f)),
            Scalar::Str(s) => Ok(s),
        }
    }
}

/// A float as `encoding/json` writes it and the API server reads it back: an integral value
/// below 1e21 is written without fraction or exponent and so becomes an integer when it fits
/// `int64`. `None` for NaN and infinities.
pub(super) fn float_value(f: f64) -> Option<Value> {
    if !f.is_finite() {
        return None;
    }
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.fract() == 0.0 && f.abs() < 1e21 && (-TWO_63..TWO_63).contains(&f) {
        return Some(Value::from(f as i64));
    }
    Number::from_f64(f).map(Value::Number)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)` with `sigs.k8s.io/yaml`'s names for the
/// non-finite values: how a float mapping key becomes a JSON key.
pub(super) fn go_float32_key(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return ".nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    // Shortest digits that round-trip at float32 precision, as `d.ddd…e±x`.
    let sci = format!("{x:e}");
    let (negative, sci) = match sci.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, sci.as_str()),
    };
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if x == 0.0 {
        out.push('0');
        return out;
    }
    // Position of the decimal point relative to the digits.
    let dp = exponent + 1;
    let nd = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    let digit = |j: i64| -> char {
        usize::try_from(j)
            .ok()
            .and_then(|j| digits.get(j))
            .map_or('0', |&d| char::from(d))
    };
    if !(-4..6).contains(&exponent) {
        // %e with all the digits.
        out.push(digit(0));
        if nd > 1 {
            out.push('.');
            for j in 1..nd {
                out.push(digit(j));
            }
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.push('0');
        }
        out.push_str(&magnitude.to_string());
    } else {
        // %f with as many decimals as the digits need.
        if dp > 0 {
            for j in 0..dp {
                out.push(digit(j));
            }
        } else {
            out.push('0');
        }
        let decimals = (nd - dp).max(0);
        if decimals > 0 {
            out.push('.');
            for k in 1..=decimals {
                out.push(digit(dp + k - 1));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Scalar {
        resolve(text, true, Tag::None).unwrap()
    }

    #[test]
    fn yaml_1_1_words() {
        for t in [
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        ] {
            assert_eq!(plain(t), Scalar::Bool(true), "{t}");
        }
        for f in [
            "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
        ] {
            assert_eq!(plain(f), Scalar::Bool(false), "{f}");
        }
        for s in ["yEs", "nO", "oN", "TRUe", "y_", "t", "F"] {
            assert_eq!(plain(s), Scalar::Str(s.to_owned()), "{s}");
        }
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(n), Scalar::Null, "{n}");
        }
        assert_eq!(plain("nULL"), Scalar::Str("nULL".to_owned()));
    }

    #[test]
    fn go_integers() {
        let cases: &[(&str, i64)] = &[
            ("0", 0),
            ("-0", 0),
            ("+12", 12),
            ("0755", 493),
            ("0644", 420),
            ("0o17", 15),
            ("0O17", 15),
            ("0x1F", 31),
            ("0X1f", 31),
            ("-0x1F", -31),
            ("0b101", 5),
            ("0B101", 5),
            ("-0b101", -5),
            ("1_000", 1000),
            ("1__0", 10),
            ("1_", 1),
            ("0x_1F", 31),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ];
        for (text, want) in cases {
            assert_eq!(plain(text), Scalar::Int(*want), "{text}");
        }
        assert_eq!(plain("9223372036854775808"), Scalar::Uint(1 << 63));
        assert_eq!(plain("18446744073709551615"), Scalar::Uint(u64::MAX));
        assert_eq!(plain("0xFFFFFFFFFFFFFFFF"), Scalar::Uint(u64::MAX));
        // Too large for uint64: a float by the YAML float pattern, or a string.
        assert_eq!(
            plain("18446744073709551616"),
            Scalar::Float(18446744073709551616.0)
        );
        assert_eq!(
            plain("-9223372036854775809"),
            Scalar::Float(-9223372036854775809.0)
        );
        assert_eq!(
            plain("0x10000000000000000"),
            Scalar::Str("0x10000000000000000".to_owned())
        );
        // `08` is no octal number, but matches the float pattern.
        assert_eq!(plain("08"), Scalar::Float(8.0));
        assert_eq!(plain("0x"), Scalar::Str("0x".to_owned()));
        assert_eq!(plain("0b2"), Scalar::Str("0b2".to_owned()));
        assert_eq!(plain("+0x1F"), Scalar::Int(31));
        assert_eq!(plain("-"), Scalar::Str("-".to_owned()));
        assert_eq!(plain("_1"), Scalar::Str("_1".to_owned()));
        assert_eq!(plain("1,000"), Scalar::Str("1,000".to_owned()));
        assert_eq!(plain("12:30"), Scalar::Str("12:30".to_owned()));
    }

    #[test]
    fn go_floats() {
        let cases: &[(&str, f64)] = &[
            ("1.5", 1.5),
            ("-1.5", -1.5),
            ("+.5", 0.5),
            (".5", 0.5),
            ("1.", 1.0),
            ("1e3", 1000.0),
            ("1E+3", 1000.0),
            ("1.5e-3", 0.0015),
            ("1_000.5", 1000.5),
            (".5_5", 0.55),
            ("1e-400", 0.0),
            ("00.5", 0.5),
        ];
        for (text, want) in cases {
            assert_eq!(plain(text), Scalar::Float(*want), "{text}");
        }
        assert!(matches!(plain(".nan"), Scalar::Float(f) if f.is_nan()));
        assert_eq!(plain(".Inf"), Scalar::Float(f64::INFINITY));
        assert_eq!(plain("+.INF"), Scalar::Float(f64::INFINITY));
        assert_eq!(plain("-.inf"), Scalar::Float(f64::NEG_INFINITY));
        for s in [
            "1e400", ".", "._5", ".5_", "1.2.3", "e3", "1e", ".inF", "-.nan", "inf", "NaN", "1.5.",
            "0x1p3", ".e3",
        ] {
            assert_eq!(plain(s), Scalar::Str(s.to_owned()), "{s}");
        }
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        for s in ["123", "true", "null", "0755", "", "~", ".inf"] {
            assert_eq!(
                resolve(s, false, Tag::None).unwrap(),
                Scalar::Str(s.to_owned())
            );
        }
    }

    #[test]
    fn explicit_tags() {
        assert_eq!(
            resolve("123", true, Tag::Str).unwrap(),
            Scalar::Str("123".to_owned())
        );
        assert_eq!(resolve("0x1F", false, Tag::Int).unwrap(), Scalar::Int(31));
        assert_eq!(resolve("3", true, Tag::Float).unwrap(), Scalar::Float(3.0));
        assert_eq!(resolve("yes", true, Tag::Bool).unwrap(), Scalar::Bool(true));
        assert_eq!(resolve("", false, Tag::Null).unwrap(), Scalar::Null);
        assert_eq!(
            resolve("123", true, Tag::NonSpecific).unwrap(),
            Scalar::Str("123".to_owned())
        );
        assert_eq!(
            resolve("x", true, Tag::Other).unwrap(),
            Scalar::Str("x".to_owned())
        );
        assert_eq!(
            resolve("aGVsbG8=\n", false, Tag::Binary).unwrap(),
            Scalar::Str("hello".to_owned())
        );
        assert_eq!(
            resolve("2001-12-14", true, Tag::Timestamp).unwrap(),
            Scalar::Str("2001-12-14".to_owned())
        );
        let err = resolve("abc", true, Tag::Int).unwrap_err();
        assert_eq!(err.message(), "cannot decode !!str `abc` as a !!int");
        assert!(resolve("1.5", true, Tag::Int).is_err());
        assert!(resolve("18446744073709551615", true, Tag::Float).is_err());
        assert!(resolve("abc", true, Tag::Null).is_err());
        assert!(resolve("12", true, Tag::Timestamp).is_err());
        assert!(resolve("2001-02-30", true, Tag::Timestamp).is_err());
        assert_eq!(
            resolve("a", true, Tag::Binary).unwrap_err(),
            ScalarError::Binary
        );
    }

    #[test]
    fn timestamps() {
        for ok in [
            "2001-12-14",
            "2001-1-2",
            "2001-12-14T21:59:43.10Z",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10",
            "2001-12-14   21:59:43",
            "2000-02-29",
            "2001-12-14T21:59:43+01:00",
            "2001-12-14T21:59:43,5Z",
        ] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in [
            "2001-12-14 21:59:43.10 -5",
            "2001-13-14",
            "2001-02-29",
            "2001-12-14T21:59:43",
            "2001-12-14T24:00:00Z",
            "01-12-14",
            "2001-12-14x",
            "2001-12-14T21:59:43+1:00",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }

    #[test]
    fn merge_keys() {
        assert!(is_merge_key("<<", true, Tag::None));
        assert!(is_merge_key("<<", false, Tag::NonSpecific));
        assert!(is_merge_key("<<", false, Tag::Merge));
        assert!(!is_merge_key("<<", false, Tag::None));
        assert!(!is_merge_key("<<", true, Tag::Str));
        assert_eq!(plain("<<"), Scalar::Str("<<".to_owned()));
    }

    #[test]
    fn json_values_as_the_api_server_reads_them() {
        assert_eq!(Scalar::Float(1.0).into_value().unwrap(), Value::from(1));
        assert_eq!(Scalar::Float(-0.0).into_value().unwrap(), Value::from(0));
        assert_eq!(Scalar::Float(1e20).into_value().unwrap(), Value::from(1e20));
        assert_eq!(Scalar::Float(1e21).into_value().unwrap(), Value::from(1e21));
        assert_eq!(Scalar::Float(1.5).into_value().unwrap(), Value::from(1.5));
        assert_eq!(
            Scalar::Float(9_223_372_036_854_775_808.0)
                .into_value()
                .unwrap(),
            Value::from(9_223_372_036_854_775_808.0)
        );
        assert_eq!(
            Scalar::Float(-9_223_372_036_854_775_808.0)
                .into_value()
                .unwrap(),
            Value::from(i64::MIN)
        );
        assert_eq!(
            Scalar::Uint(u64::MAX).into_value().unwrap(),
            Value::from(18_446_744_073_709_551_615.0)
        );
        assert!(Scalar::Float(f64::NAN).into_value().is_err());
        assert!(Scalar::Float(f64::NEG_INFINITY).into_value().is_err());
    }

    #[test]
    fn keys_as_sigs_yaml_makes_them() {
        let key = |s: Scalar| s.into_key().unwrap();
        assert_eq!(key(Scalar::Int(1)), "1");
        assert_eq!(key(Scalar::Bool(true)), "true");
        assert_eq!(key(Scalar::Float(1.0)), "1");
        assert_eq!(key(Scalar::Float(1.5)), "1.5");
        assert_eq!(key(Scalar::Float(0.1)), "0.1");
        assert_eq!(key(Scalar::Float(123.456)), "123.456");
        assert_eq!(key(Scalar::Float(16_777_217.0)), "1.6777216e+07");
        assert_eq!(key(Scalar::Float(0.1 + 0.2)), "0.3");
        assert_eq!(key(Scalar::Float(1e6)), "1e+06");
        assert_eq!(key(Scalar::Float(123456.0)), "123456");
        assert_eq!(key(Scalar::Float(1234567.0)), "1.234567e+06");
        assert_eq!(key(Scalar::Float(0.0001)), "0.0001");
        assert_eq!(key(Scalar::Float(0.00001)), "1e-05");
        assert_eq!(key(Scalar::Float(1.5e-7)), "1.5e-07");
        assert_eq!(key(Scalar::Float(1e20)), "1e+20");
        assert_eq!(key(Scalar::Float(1e100)), ".inf");
        assert_eq!(key(Scalar::Float(-1e100)), "-.inf");
        assert_eq!(key(Scalar::Float(f64::NAN)), ".nan");
        assert_eq!(key(Scalar::Float(-0.0)), "-0");
        assert_eq!(key(Scalar::Float(-2.5)), "-2.5");
        assert_eq!(key(Scalar::Float(100.0)), "100");
        assert!(Scalar::Null.into_key().is_err());
        assert!(Scalar::Uint(u64::MAX).into_key().is_err());
    }

    #[test]
    fn invalid_utf8_becomes_one_replacement_per_byte() {
        assert_eq!(lossy_per_byte(b"ok"), "ok");
        assert_eq!(lossy_per_byte(b"a\xe2\x82b"), "a\u{fffd}\u{fffd}b");
        assert_eq!(lossy_per_byte(b"\xff\xfe"), "\u{fffd}\u{fffd}");
        assert_eq!(lossy_per_byte(b"x\xe2\x82"), "x\u{fffd}\u{fffd}");
    }

    #[test]
    fn base64_like_go() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
        assert_eq!(decode_base64("aGV5\r\n").unwrap(), b"hey");
        assert!(decode_base64("aGk").is_none());
        assert!(decode_base64("a===").is_none());
        assert!(decode_base64("aG=k").is_none());
        assert!(decode_base64("aGk=aGk=").is_none());
        assert!(decode_base64("aG-k").is_none());
    }
}
