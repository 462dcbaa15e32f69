//! The error of the JSON deserializer: what went wrong and where.

use std::borrow::Cow;
use std::fmt;

/// What kind of problem a [`JsonError`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// The input is not JSON: a syntax error, invalid UTF-8, a bad escape, a number out of range.
    Syntax,
    /// The input ended in the middle of a JSON value.
    Eof,
    /// The JSON is well formed but does not fit the type it is read into (a wrong type, an
    /// out-of-range integer, a missing field, …).
    Data,
    /// The JSON nests more arrays and objects than the depth limit allows.
    Depth,
}

/// A syntax error, with its fixed message and category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    InvalidUtf8,
    EofList,
    EofObject,
    EofString,
    EofValue,
    ExpectedColon,
    ExpectedListCommaOrEnd,
    ExpectedObjectCommaOrEnd,
    ExpectedObjectEnd,
    ExpectedLiteral,
    ExpectedValue,
    InvalidEscape,
    InvalidNumber,
    NumberOutOfRange,
    ControlCharacter,
    KeyMustBeAString,
    LoneSurrogate,
    UnexpectedEndOfHexEscape,
    TrailingComma,
    TrailingCharacters,
    RecursionLimit,
    Internal,
}

impl Code {
    const fn message(self) -> &'static str {
        match self {
            Code::InvalidUtf8 => "invalid UTF-8",
            Code::EofList => "EOF while parsing a list",
            Code::EofObject => "EOF while parsing an object",
            Code::EofString => "EOF while parsing a string",
            Code::EofValue => "EOF while parsing a value",
            Code::ExpectedColon => "expected `:`",
            Code::ExpectedListCommaOrEnd => "expected `,` or `]`",
            Code::ExpectedObjectCommaOrEnd => "expected `,` or `}`",
            Code::ExpectedObjectEnd => "expected `}`",
            Code::ExpectedLiteral => "expected `true`, `false` or `null`",
            Code::ExpectedValue => "expected value",
            Code::InvalidEscape => "invalid escape",
            Code::InvalidNumber => "invalid number",
            Code::NumberOutOfRange => "number out of range",
            Code::ControlCharacter => {
                "control character (\\u0000-\\u001F) found while parsing a string"
            }
            Code::KeyMustBeAString => "key must be a string",
            Code::LoneSurrogate => "lone surrogate in hex escape",
            Code::UnexpectedEndOfHexEscape => "unexpected end of hex escape",
            Code::TrailingComma => "trailing comma",
            Code::TrailingCharacters => "trailing characters",
            Code::RecursionLimit => "recursion limit exceeded",
            Code::Internal => "internal error of the JSON reader",
        }
    }

    const fn category(self) -> Category {
        match self {
            Code::EofList | Code::EofObject | Code::EofString | Code::EofValue => Category::Eof,
            Code::RecursionLimit => Category::Depth,
            _ => Category::Syntax,
        }
    }
}

/// An error reading JSON: the input is not JSON, or does not fit the type it is read into.
///
/// `Display` gives the message, then where the error was detected:
/// `invalid type: string "yes", expected a boolean at line 1 column 24`. Lines and columns
/// count from 1; a column counts characters, not bytes.
#[derive(thiserror::Error)]
#[error("{0}")]
pub struct JsonError(Box<Inner>);

struct Inner {
    category: Category,
    message: Cow<'static, str>,
    /// 0 while the position is not known yet (an error raised by a `Deserialize` impl through
    /// `serde::de::Error::custom`, placed by the deserializer on its way out).
    line: usize,
    column: usize,
}

impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if self.line != 0 {
            write!(f, " at line {} column {}", self.line, self.column)?;
        }
        Ok(())
    }
}

impl fmt::Debug for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonError")
            .field("category", &self.0.category)
            .field("message", &self.0.message)
            .field("line", &self.0.line)
            .field("column", &self.0.column)
            .finish()
    }
}

impl JsonError {
    /// The kind of problem.
    pub fn category(&self) -> Category {
        self.0.category
    }

    /// The line (from 1) where the error was detected, or 0 if the error was not raised while
    /// reading input.
    pub fn line(&self) -> usize {
        self.0.line
    }

    /// The column (from 1, in characters) where the error was detected, or 0 if the error was
    /// not raised while reading input.
    pub fn column(&self) -> usize {
        self.0.column
    }

    /// The message without its position.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Whether the input ended in the middle of a value.
    pub fn is_eof(&self) -> bool {
        self.0.category == Category::Eof
    }

    pub(crate) fn syntax(code: Code, input: &[u8], offset: usize) -> Self {
        JsonError(Box::new(Inner {
            category: code.category(),
            message: Cow::Borrowed(code.message()),
            line: 0,
            column: 0,
        }))
        .placed(input, offset)
    }

    /// Gives the error the position of `offset` in `input` unless it has one already.
    pub(crate) fn placed(mut self, input: &[u8], offset: usize) -> Self {
        if self.0.line == 0 {
            let (line, column) = locate(input, offset);
            self.0.line = line;
            self.0.column = column;
        }
        self
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `input`.
fn locate(input: &[u8], offset: usize) -> (usize, usize) {
    let before = input.get(..offset).unwrap_or(input);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let column = 1 + before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

impl serde::de::Error for JsonError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        JsonError(Box::new(Inner {
            category: Category::Data,
            message: Cow::Owned(msg.to_string()),
            line: 0,
            column: 0,
        }))
    }
}
