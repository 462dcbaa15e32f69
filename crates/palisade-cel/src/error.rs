//! Errors: compile errors with source positions, runtime errors with cel-go's wording.

use std::fmt;

/// A runtime error, worded as cel-go words it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    /// The message text.
    pub message: String,
}

impl EvalError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> EvalError {
        EvalError {
            message: message.into(),
        }
    }
    /// `no such overload`
    pub fn no_such_overload() -> EvalError {
        EvalError::new("no such overload")
    }
    /// `no such overload: <function>`
    pub fn no_such_function(name: &str) -> EvalError {
        EvalError::new(format!("no such overload: {name}"))
    }
    /// `no such key: <key>`
    pub fn no_such_key(key: impl fmt::Display) -> EvalError {
        EvalError::new(format!("no such key: {key}"))
    }
}

/// One compile error at a source position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// 1-based line; 0 for an error about the whole expression, which cel-go reports at no
    /// location and prints as `<input>:-1:0` without a snippet.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The message, e.g. `undeclared reference to 'x' (in container '')`.
    pub message: String,
}

/// An expression that does not compile: the parser's or the compiler's errors.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// Errors with their positions, printed as cel-go prints them.
    #[error("{}", render(.text, .issues))]
    Invalid {
        /// The source text.
        text: String,
        /// The errors, in source order.
        issues: Vec<Issue>,
    },
    /// What cel-go rejects while planning the program (`program instantiation failed: ...`).
    #[error("{0}")]
    Instantiation(String),
}

fn render(source: &str, issues: &[Issue]) -> String {
    let mut out = String::new();
    for (i, e) in issues.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if e.line == 0 {
            out.push_str(&format!("ERROR: <input>:-1:0: {}", e.message));
            continue;
        }
        out.push_str(&format!(
            "ERROR: <input>:{}:{}: {}",
            e.line, e.column, e.message
        ));
        if let Some(line) = source.split('\n').nth(e.line.saturating_sub(1)) {
            let snippet: String = line
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect();
            out.push_str(&format!(
                "\n | {snippet}\n | {}^",
                ".".repeat(e.column.saturating_sub(1))
            ));
        }
    }
    out
}
