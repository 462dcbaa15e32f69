//! Parsing with the `cel` crate's port of cel-go's grammar, without its macros (ours expand them).

use cel::common::ast::{IdedExpr, SourceInfo};

use crate::env::Env;
use crate::error::{CompileError, Issue};

/// The deepest nesting the parser accepts (cel-go's default recursion limit).
const MAX_RECURSION: u16 = 250;

/// Parses `source` into an expression with ids and source offsets.
pub(crate) fn parse(env: &Env, source: &str) -> Result<(IdedExpr, SourceInfo), CompileError> {
    if source.len() > 100_000 {
        return Err(CompileError::Invalid {
            text: String::new(),
            issues: vec![Issue {
                line: 1,
                column: 1,
                message: format!("expression size {} exceeds limit 100000", source.len()),
            }],
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
