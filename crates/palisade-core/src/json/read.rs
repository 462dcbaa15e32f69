//! Scanning functions over the bytes of validated UTF-8 input.
//!
//! Each takes the input and an offset, and returns the offset after what it read, or the code
//! of a syntax error with the offset where it was detected. The deserializer turns those into
//! [`JsonError`](super::JsonError)s with a line and column.

use super::error::Code;

/// The result of a scanning function: a syntax error carries its offset.
pub(crate) type Scan<T> = Result<T, (Code, usize)>;

/// A JSON number, read the way serde_json reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    /// A non-negative integer that fits `u64`.
    U64(u64),
    /// A negative integer that fits `i64`.
    I64(i64),
    /// Anything else: a fraction, an exponent, `-0`, or an integer out of the range above.
    F64(f64),
}

/// Skips JSON whitespace (space, tab, line feed, carriage return) from `i`.
#[inline]
pub(crate) fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(i) {
        i += 1;
    }
    i
}

/// The offset of the first `"`, `\` or control character (below U+0020) at or after `i`, or
/// the length of `bytes` if there is none.
///
/// Eight bytes at a time: for each byte, `x - 0x01` borrows into the high bit exactly when
/// `x == 0`, and `x - 0x20` when `x < 0x20` (bytes at or above 0x80 are masked out by `!x`).
/// A borrow can also set bits above the first match, never below, so the lowest set bit is
/// the first match.
#[inline]
pub(crate) fn scan_string(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTE: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASH: u64 = u64::from_ne_bytes([b'\\'; 8]);
    const SPACE: u64 = u64::from_ne_bytes([0x20; 8]);
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(word);
        let q = w ^ QUOTE;
        let b = w ^ BACKSLASH;
        let found = ((q.wrapping_sub(ONES) & !q)
            | (b.wrapping_sub(ONES) & !b)
            | (w.wrapping_sub(SPACE) & !w))
            & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// Reads the escape whose backslash is just before `i`: the character and the offset after it.
///
/// `\uXXXX` escapes of UTF-16 surrogates must come in pairs, leading then trailing; a lone
/// surrogate cannot be a Rust `char` and is an error, as in serde_json.
pub(crate) fn escape(bytes: &[u8], i: usize) -> Scan<(char, usize)> {
    let c = match bytes.get(i) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => return unicode_escape(bytes, i + 1),
        Some(_) => return Err((Code::InvalidEscape, i)),
        None => return Err((Code::EofString, i)),
    };
    Ok((c, i + 1))
}

/// Reads the four hex digits of a `\u` escape at `i` (and its trailing surrogate, if any).
fn unicode_escape(bytes: &[u8], i: usize) -> Scan<(char, usize)> {
    let high = hex4(bytes, i)?;
    let mut next = i + 4;
    let code = match high {
        0xDC00..=0xDFFF => return Err((Code::LoneSurrogate, next)),
        0xD800..=0xDBFF => {
            match (bytes.get(next), bytes.get(next + 1)) {
                (Some(b'\\'), Some(b'u')) => {}
                (None, _) => return Err((Code::EofString, next)),
                (Some(b'\\'), None) => return Err((Code::EofString, next + 1)),
                _ => return Err((Code::UnexpectedEndOfHexEscape, next)),
            }
            let low = hex4(bytes, next + 2)?;
            next += 6;
            if !(0xDC00..=0xDFFF).contains(&low) {
                return Err((Code::LoneSurrogate, next));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        }
        _ => high,
    };
    char::from_u32(code)
        .map(|c| (c, next))
        .ok_or((Code::InvalidEscape, i))
}

fn hex4(bytes: &[u8], i: usize) -> Scan<u32> {
    let mut n = 0;
    for at in i..i + 4 {
        let Some(&b) = bytes.get(at) else {
            return Err((Code::EofString, at));
        };
        let digit = char::from(b)
            .to_digit(16)
            .ok_or((Code::InvalidEscape, at))?;
        n = (n << 4) | digit;
    }
    Ok(n)
}

/// Skips the string whose opening quote is at `i`, checking its escapes; returns the offset
/// after the closing quote.
#[inline]
pub(crate) fn skip_string(bytes: &[u8], i: usize) -> Scan<usize> {
    let mut i = i + 1;
    loop {
        i = scan_string(bytes, i);
        match bytes.get(i) {
            Some(b'"') => return Ok(i + 1),
            Some(b'\\') => i = escape(bytes, i + 1)?.1,
            Some(_) => return Err((Code::ControlCharacter, i)),
            None => return Err((Code::EofString, i)),
        }
    }
}

/// Decodes the string whose contents start at `start`, with the first `"`, `\` or control
/// character at `end` (as found by [`scan_string`]); returns the contents and the offset after
/// the closing quote.
pub(crate) fn unescape(input: &str, start: usize, mut end: usize) -> Scan<(String, usize)> {
    let bytes = input.as_bytes();
    let mut out = String::with_capacity(end.saturating_sub(start) + 16);
    let mut segment = start;
    loop {
        // `segment` and `end` sit after an escape or at an ASCII byte: char boundaries.
        out.push_str(input.get(segment..end).ok_or((Code::Internal, segment))?);
        match bytes.get(end) {
            Some(b'"') => return Ok((out, end + 1)),
            Some(b'\\') => {
                let (c, next) = escape(bytes, end + 1)?;
                out.push(c);
                segment = next;
            }
            Some(_) => return Err((Code::ControlCharacter, end)),
            None => return Err((Code::EofString, end)),
        }
        end = scan_string(bytes, segment);
    }
}

/// Checks that the input at `i` is `literal` (`true`, `false` or `null`); returns the offset
/// after it.
#[inline]
pub(crate) fn literal(bytes: &[u8], i: usize, literal: &[u8]) -> Scan<usize> {
    let end = i + literal.len();
    if bytes.get(i..end) == Some(literal) {
        return Ok(end);
    }
    for (at, &expected) in (i..).zip(literal) {
        match bytes.get(at) {
            None => return Err((Code::EofValue, at)),
            Some(&b) if b != expected => return Err((Code::ExpectedLiteral, at)),
            Some(_) => {}
        }
    }
    Err((Code::Internal, i))
}

/// The shape of a number, as [`lex_number`] read it.
struct Lexed {
    end: usize,
    negative: bool,
    /// The magnitude of an integer without fraction or exponent that fits `u64`.
    integer: Option<u64>,
    exponent: bool,
    integer_digits: usize,
}

/// Reads the JSON number grammar at `start`:
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn lex_number(bytes: &[u8], start: usize) -> Scan<Lexed> {
    let mut i = start;
    let negative = bytes.get(i) == Some(&b'-');
    if negative {
        i += 1;
    }
    let integer_start = i;
    let mut magnitude: u64 = 0;
    let mut overflow = false;
    match bytes.get(i) {
        Some(b'0') => {
            i += 1;
            if let Some(b'0'..=b'9') = bytes.get(i) {
                return Err((Code::InvalidNumber, i));
            }
        }
        Some(&d @ b'1'..=b'9') => {
            magnitude = u64::from(d - b'0');
            i += 1;
            while let Some(&d @ b'0'..=b'9') = bytes.get(i) {
                match magnitude
                    .checked_mul(10)
                    .and_then(|m| m.checked_add(u64::from(d - b'0')))
                {
                    Some(m) => magnitude = m,
                    None => overflow = true,
                }
                i += 1;
            }
        }
        Some(_) => return Err((Code::InvalidNumber, i)),
        None => return Err((Code::EofValue, i)),
    }
    let integer_digits = i - integer_start;
    let mut fraction = false;
    if bytes.get(i) == Some(&b'.') {
        i = digits(bytes, i + 1)?;
        fraction = true;
    }
    let mut exponent = false;
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = bytes.get(i) {
            i += 1;
        }
        i = digits(bytes, i)?;
        exponent = true;
    }
    Ok(Lexed {
        end: i,
        negative,
        integer: (!fraction && !exponent && !overflow).then_some(magnitude),
        exponent,
        integer_digits,
    })
}

/// One or more digits at `i`; returns the offset after them.
fn digits(bytes: &[u8], i: usize) -> Scan<usize> {
    match bytes.get(i) {
        Some(b'0'..=b'9') => {}
        Some(_) => return Err((Code::InvalidNumber, i)),
        None => return Err((Code::EofValue, i)),
    }
    let mut i = i + 1;
    while let Some(b'0'..=b'9') = bytes.get(i) {
        i += 1;
    }
    Ok(i)
}

/// Reads the number at `start` as serde_json does: a non-negative integer as `u64`, a negative
/// one as `i64`, anything else (and `-0`) as the nearest `f64`; a number whose magnitude
/// rounds to infinity is an error.
pub(crate) fn number(input: &str, start: usize) -> Scan<(Number, usize)> {
    let lexed = lex_number(input.as_bytes(), start)?;
    let number = match (lexed.negative, lexed.integer) {
        (false, Some(n)) => Number::U64(n),
        (true, Some(0)) => Number::F64(-0.0),
        (true, Some(n)) if n <= 1 << 63 => Number::I64(0_i64.wrapping_sub_unsigned(n)),
        _ => Number::F64(float(input, start, lexed.end)?),
    };
    Ok((number, lexed.end))
}

/// The `f64` nearest to the number text `input[start..end]` (Rust's parse rounds correctly).
fn float(input: &str, start: usize, end: usize) -> Scan<f64> {
    let text = input.get(start..end).ok_or((Code::Internal, start))?;
    let f: f64 = text.parse().map_err(|_| (Code::InvalidNumber, start))?;
    if f.is_finite() {
        Ok(f)
    } else {
        Err((Code::NumberOutOfRange, start))
    }
}

/// Skips the number at `start`, checking its grammar and (when it could overflow) its range.
#[inline]
fn skip_number(input: &str, start: usize) -> Scan<usize> {
    let lexed = lex_number(input.as_bytes(), start)?;
    // Only an exponent or more than 308 integer digits can reach infinity.
    if lexed.exponent || lexed.integer_digits > 300 {
        float(input, start, lexed.end)?;
    }
    Ok(lexed.end)
}

/// Skips the object key whose quote is at `i` and the colon after it.
#[inline]
fn skip_key(bytes: &[u8], i: usize) -> Scan<usize> {
    let i = skip_ws(bytes, skip_string(bytes, i)?);
    match bytes.get(i) {
        Some(b':') => Ok(i + 1),
        Some(_) => Err((Code::ExpectedColon, i)),
        None => Err((Code::EofObject, i)),
    }
}

/// Skips one JSON value (and the whitespace before it) at `i`, checking its syntax as a full
/// parse would: the same documents are accepted and rejected. Iterative: nesting is tracked
/// in a bit stack (1 = object), and opening a container fails once `remaining_depth`
/// containers are open, counting those the caller has open.
pub(crate) fn skip_value(input: &str, mut i: usize, remaining_depth: u8) -> Scan<usize> {
    let bytes = input.as_bytes();
    let mut objects: u128 = 0;
    let mut depth: u8 = 0;
    'value: loop {
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b'"') => i = skip_string(bytes, i)?,
            Some(b'{') => {
                if depth + 1 >= remaining_depth {
                    return Err((Code::RecursionLimit, i));
                }
                i = skip_ws(bytes, i + 1);
                match bytes.get(i) {
                    Some(b'}') => i += 1,
                    Some(b'"') => {
                        depth += 1;
                        objects = (objects << 1) | 1;
                        i = skip_key(bytes, i)?;
                        continue 'value;
                    }
                    Some(_) => return Err((Code::KeyMustBeAString, i)),
                    None => return Err((Code::EofObject, i)),
                }
            }
            Some(b'[') => {
                if depth + 1 >= remaining_depth {
                    return Err((Code::RecursionLimit, i));
                }
                i = skip_ws(bytes, i + 1);
                match bytes.get(i) {
                    Some(b']') => i += 1,
                    None => return Err((Code::EofList, i)),
                    Some(_) => {
                        depth += 1;
                        objects <<= 1;
                        continue 'value;
                    }
                }
            }
            Some(b't') => i = literal(bytes, i, b"true")?,
            Some(b'f') => i = literal(bytes, i, b"false")?,
            Some(b'n') => i = literal(bytes, i, b"null")?,
            Some(b'-' | b'0'..=b'9') => i = skip_number(input, i)?,
            Some(_) => return Err((Code::ExpectedValue, i)),
            None => return Err((Code::EofValue, i)),
        }
        // After a value: close containers until one goes on with a comma.
        while depth > 0 {
            i = skip_ws(bytes, i);
            let in_object = objects & 1 == 1;
            match bytes.get(i) {
                Some(b',') => {
                    i = skip_ws(bytes, i + 1);
                    match bytes.get(i) {
                        Some(b'"') if in_object => i = skip_key(bytes, i)?,
                        Some(b'}') if in_object => return Err((Code::TrailingComma, i)),
                        Some(_) if in_object => return Err((Code::KeyMustBeAString, i)),
                        None if in_object => return Err((Code::EofObject, i)),
                        Some(b']') => return Err((Code::TrailingComma, i)),
                        _ => {}
                    }
                    continue 'value;
                }
                Some(b'}') if in_object => {}
                Some(b']') if !in_object => {}
                Some(_) if in_object => return Err((Code::ExpectedObjectCommaOrEnd, i)),
                Some(_) => return Err((Code::ExpectedListCommaOrEnd, i)),
                None if in_object => return Err((Code::EofObject, i)),
                None => return Err((Code::EofList, i)),
            }
            i += 1;
            depth -= 1;
            objects >>= 1;
        }
        return Ok(i);
    }
}
