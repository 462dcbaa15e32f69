//! Parsing with the `cel` crate's port of cel-go's grammar, without its macros (ours expand them).

use cel::common::ast::{IdedExpr, SourceInfo};

use crate::env::Env;
use crate::error::{CompileError, Issue};

/// The longest expression, in code points (cel-go's default `ExpressionSizeCodePointLimit`).
pub(crate) const MAX_CODE_POINTS: usize = 100_000;

/// The deepest nesting the parser accepts (cel-go's default recursion limit).
const MAX_RECURSION: u16 = 250;

/// Parses `source` into an expression with ids and source offsets.
pub(crate) fn parse(env: &Env, source: &str) -> Result<(IdedExpr, SourceInfo), CompileError> {
    // cel-go's default `ExpressionSizeCodePointLimit`, counted in code points, reported at no
    // location.
    let size = source.chars().count();
    if size > MAX_CODE_POINTS {
        return Err(CompileError::Invalid {
            text: String::new(),
            issues: vec![Issue {
                line: 0,
                column: 0,
                message: format!(
                    "expression code point size exceeds limit: size: {size}, limit {MAX_CODE_POINTS}"
                ),
            }],
        });
    }
    if let Some(issue) = too_deep(source) {
        return Err(CompileError::Invalid {
            text: source.to_string(),
            issues: vec![issue],
        });
    }
    let parser = cel::Env::default()
        .with_optional_support(env.optional_syntax)
        .parser()
        .max_recursion_depth(MAX_RECURSION)
        .enable_ident_escape_syntax(true);
    let owned = source.to_string();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        parser.parse_with_source_info(&owned).map_err(|errs| {
            errs.errors
                .into_iter()
                .map(|e| (e.pos, e.msg))
                .collect::<Vec<_>>()
        })
    }));
    match result {
        Ok(Ok(parsed)) => Ok(parsed),
        Ok(Err(errs)) => Err(CompileError::Invalid {
            text: source.to_string(),
            issues: errs
                .into_iter()
                .map(|(pos, message)| Issue {
                    line: usize::try_from(pos.0).unwrap_or(1).max(1),
                    column: usize::try_from(pos.1).unwrap_or(1).max(1),
                    message,
                })
                .collect(),
        }),
        Err(_) => Err(CompileError::Invalid {
            text: source.to_string(),
            issues: vec![Issue {
                line: 1,
                column: 1,
                message: "the parser failed on this input".to_string(),
            }],
        }),
    }
}

/// The deepest bracket nesting and the longest operator chain the parser is handed; deeper input
/// is rejected before parsing, so that parsing never exhausts the stack.
const MAX_NESTING: usize = 100;
const MAX_OPERATORS: usize = 1000;

/// An error for input nested deeper than [`MAX_NESTING`] or with more than [`MAX_OPERATORS`]
/// operators, found by a lexical scan that skips string literals.
fn too_deep(source: &str) -> Option<Issue> {
    let mut depth = 0usize;
    let mut unary_run = 0usize;
    let mut operators = 0usize;
    let mut line = 1;
    let mut column = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in source.chars() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
        }
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            '+' | '*' | '/' | '%' | '<' | '>' | '=' | '&' | '|' | '?' => operators += 1,
            _ => {}
        }
        if c == '!' || c == '-' {
            unary_run += 1;
            operators += 1;
        } else if !c.is_whitespace() {
            unary_run = 0;
        }
        if depth > MAX_NESTING || unary_run > MAX_NESTING || operators > MAX_OPERATORS {
            return Some(Issue {
                line,
                column,
                message: format!("expression recursion limit exceeded: {MAX_NESTING}"),
            });
        }
    }
    None
}
