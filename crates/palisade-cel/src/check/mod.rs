//! The type checker: cel-go's checker semantics over the parsed expression, with cel-go's error
//! texts (`undeclared reference to 'x' (in container '')`, `found no matching overload for '_+_'
//! applied to '(int, string)'`, `undefined field 'f'`, `expected type 'int' but found 'string'`
//! for mixed literals where the environment asks for homogeneous ones).
//!
//! [`crate::Program::compile`] runs it first in checked environments (the Kubernetes ones, and
//! any environment after [`crate::Env::set_checked`]); [`check`] runs it alone.
//!
//! ```
//! use palisade_cel::k8s::EnvType;
//! use palisade_cel::{Env, check};
//!
//! let env = Env::kubernetes(37, EnvType::Stored, None).unwrap();
//! let t = check::check(&env, "[1, 2].map(x, x * 2.0 > 1.0)");
//! assert!(t.is_err());
//! let t = check::check(&env, "[1, 2].map(x, string(x))").unwrap();
//! assert_eq!(t.to_string(), "list(string)");
//! let err = check::check(&env, "1 + 'a'").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "ERROR: <input>:1:3: found no matching overload for '_+_' applied to '(int, string)'\n | 1 + 'a'\n | ..^"
//! );
//! ```

mod checker;
mod decls;
mod types;
mod unify;

pub use types::{ObjectType, Overload, Type};

use cel::common::ast::{IdedExpr, SourceInfo};

use crate::env::Env;
use crate::error::{CompileError, Issue};

/// Parses a type in the form cel-go prints it (`map(string, list(int))`, `kubernetes.Quantity`);
/// single upper-case letters are type parameters.
pub fn parse_type(text: &str) -> Option<Type> {
    types::parse_type(text)
}

/// Parses an overload in the form cel-go prints function types: `(int, int) -> int`, or
/// `string.(string) -> bool` for a receiver overload.
pub fn parse_overload(text: &str) -> Option<Overload> {
    types::parse_signature(text)
}

/// Parses and type-checks `source` in `env` (checked even when `env` is not): the deduced
/// type, or the errors as cel-go prints them. Runs where [`crate::Program::compile`] runs (on
/// a thread with a large stack where threads exist).
pub fn check(env: &Env, source: &str) -> Result<Type, CompileError> {
    let program = if env.checked {
        crate::program::Program::compile(env, source)?
    } else {
        let mut checked = env.clone();
        checked.checked = true;
        crate::program::Program::compile(&checked, source)?
    };
    Ok(program.result_type().cloned().unwrap_or(Type::Dyn))
}

/// Checks a parsed expression: its type and the errors found, in source order.
pub(crate) fn run(
    env: &Env,
    source: &str,
    ast: &IdedExpr,
    info: &SourceInfo,
) -> (Type, Vec<Issue>) {
    let mut c = checker::Checker::new(env, source, info);
    let t = c.run(ast);
    if c.issues.is_empty() {
        c.validate(ast, false, 0);
    }
    let mut issues = c.issues;
    issues.sort_by_key(|i| (i.line, i.column));
    (t, issues)
}

#[cfg(test)]
mod tests {
    fn undescribed(env: &crate::Env) -> Vec<&'static str> {
        let mut missing: Vec<&str> = env
            .funcs
            .keys()
            .copied()
            .filter(|n| {
                super::decls::generated(n).is_none()
                    && !super::decls::TABLE.iter().any(|(t, _)| t == n)
            })
            .collect();
        missing.sort_unstable();
        missing
    }

    /// The only functions that check as `dyn` for want of a declaration: the internal helper
    /// of `sortBy`, and the variadic `math.greatest` / `math.least`.
    #[test]
    fn every_runtime_function_is_declared() {
        use crate::Extension::*;
        let k8s = crate::Env::kubernetes(crate::k8s::MAX_MINOR, crate::k8s::EnvType::Stored, None)
            .unwrap_or_else(|_| crate::Env::spec(&[]));
        assert_eq!(undescribed(&k8s), ["@sortByAssociatedKeys"]);
        let spec = crate::Env::spec(&[
            Strings,
            Optionals,
            Math,
            Encoders,
            Bindings,
            Sets,
            Lists,
            TwoVarComprehensions,
            Block,
            Network,
        ]);
        assert_eq!(
            undescribed(&spec),
            ["@sortByAssociatedKeys", "math.greatest", "math.least"]
        );
    }

    #[test]
    fn every_declaration_parses() {
        for (name, sigs) in super::decls::TABLE {
            for s in *sigs {
                assert!(super::types::parse_signature(s).is_some(), "{name}: {s}");
            }
        }
        for name in ["_<_", "min", "getHours", "getDate"] {
            for s in super::decls::generated(name).unwrap_or_default() {
                assert!(super::types::parse_signature(&s).is_some(), "{name}: {s}");
            }
        }
    }
}
