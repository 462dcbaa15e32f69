//! Kubernetes CEL: the ValidatingAdmissionPolicy environment per Kubernetes version, its libraries,
//! type checker ([`check`]), evaluator and cost model.
//!
//! Expressions are parsed with the `cel` crate's port of cel-go's grammar, then compiled into a
//! [`Program`] of resolved functions and constants, and evaluated over [`Value`]s that borrow the
//! caller's JSON: binding an object is O(1), and a request pays only for the fields it reads.
//!
//! ```
//! use palisade_cel::{Env, Program, Value, authz::NoOpinion};
//!
//! let mut env = Env::spec(&[]);
//! env.declare_var("object");
//! let program = Program::compile(&env, "object.spec.replicas + 1").unwrap();
//! let object = serde_json::json!({"spec": {"replicas": 3}});
//! let out = program.eval(&|name| (name == "object").then(|| Value::from_json(&object)), &NoOpinion);
//! assert!(matches!(out.result, Ok(Value::Int(4))));
//! ```

pub mod authz;
pub mod check;
mod cost;
mod env;
mod error;
mod ext;
pub mod json_out;
pub mod k8s;
mod parse;
mod program;
pub mod proto_json;
mod stdlib;
pub mod time;
mod value;

pub use env::{Env, Extension, Func, Rt};
pub use error::{CompileError, EvalError, Issue};
pub use program::{Evaluation, Program};
pub use value::{Key, List, Map, Opaque, OwnedMap, Str, Type, Value, compare, equals};
