//! Kubernetes CEL: compile once, evaluate many times.
//!
//! [`check_cel`] and [`CelProgram::compile`] report what cel-go's parser and checker reject
//! (syntax, undeclared references, no matching overload, undefined fields of `request` and
//! `namespaceObject`, mixed literals) and what constant folding rejects while planning;
//! `object`, `oldObject` and `params` are `dyn`.

use serde_json::{Map, Value, json};

use super::{Error, op};
use crate::protocol::cel::{BoundVars, KubernetesCel, cel_value_format};
use crate::protocol::{self, RequestError, optional_str};

/// The compile options: `kubernetesVersion` (`1.N`, default the newest), `envType` (`stored`,
/// the default, or `new`), `compatibilityVersion`, `authorizerObjects` (RBAC objects that
/// answer `authorizer` checks) and `valueFormat` (`json` or `cel`).
fn compile_request(expression: &str, options: &Value) -> Result<Map<String, Value>, Error> {
    let mut req = match options {
        Value::Null => Map::new(),
        Value::Object(map) => map.clone(),
        _ => {
            return Err(Error::request(RequestError::new(
                "options must be an object",
            )));
        }
    };
    req.insert("expr".into(), expression.into());
    Ok(req)
}

fn compile(expression: &str, options: &Value) -> Result<KubernetesCel, Error> {
    let req = compile_request(expression, options)?;
    let env_type = optional_str(&req, "envType")
        .map_err(Error::request)?
        .unwrap_or("stored");
    let cel_format = cel_value_format(&req).map_err(Error::request)?;
    KubernetesCel::compile(&req, env_type, cel_format)
        .map_err(Error::request)?
        .map_err(|e| Error::compile(&e))
}

/// Variables bound once and evaluated by many programs: `object`, `oldObject`, `params`,
/// `request` (an AdmissionRequest) and `namespaceObject` (a Namespace); missing ones are null.
pub struct CelVariables(BoundVars);

impl CelVariables {
    /// Binds `{object, oldObject, params, request, namespaceObject}` (null: all null).
    pub fn new(vars: Value) -> Result<CelVariables, Error> {
        match vars {
            Value::Null => Ok(CelVariables(BoundVars::new(Map::new()))),
            Value::Object(map) => Ok(CelVariables(BoundVars::new(map))),
            _ => Err(Error::request(RequestError::new(
                "variables must be an object",
            ))),
        }
    }
}

/// A compiled expression of the ValidatingAdmissionPolicy environment.
///
/// ```
/// use palisade::ffi::CelProgram;
/// use serde_json::json;
///
/// let program = CelProgram::compile("object.spec.replicas <= 5", &json!({"kubernetesVersion": "1.36"}))?;
/// let answer = program.evaluate(&json!({"object": {"spec": {"replicas": 3}}}))?;
/// // cel-go counts the variable, two selections and the comparison.
/// assert_eq!(answer, json!({"value": true, "type": "bool", "cost": 4}));
///
/// let error = CelProgram::compile("object.spec.replicas <=", &json!(null)).unwrap_err();
/// assert_eq!(error.to_json()["position"], json!({"line": 1, "column": 24}));
/// # Ok::<(), palisade::ffi::Error>(())
/// ```
pub struct CelProgram(KubernetesCel);

impl std::fmt::Debug for CelProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CelProgram")
            .field("variables", &self.variables())
            .finish_non_exhaustive()
    }
}

impl CelProgram {
    /// Compiles `expression` with the options (`kubernetesVersion`, `envType`,
    /// `compatibilityVersion`, `authorizerObjects`, `valueFormat`; null for the defaults).
    pub fn compile(expression: &str, options: &Value) -> Result<CelProgram, Error> {
        compile(expression, options).map(CelProgram)
    }

    /// Evaluates with `{object, oldObject, params, request, namespaceObject}`:
    /// `{value, type, cost}`, or `{error, cost}` for a runtime error.
    pub fn evaluate(&self, vars: &Value) -> Result<Value, Error> {
        match vars {
            Value::Null => Ok(self.0.evaluate(None)),
            Value::Object(map) => Ok(self.0.evaluate(Some(map))),
            _ => Err(Error::request(RequestError::new(
                "variables must be an object",
            ))),
        }
    }

    /// Evaluates with variables bound once.
    pub fn evaluate_with(&self, vars: &CelVariables) -> Value {
        self.0.evaluate_bound(&vars.0)
    }

    /// The variables the expression reads.
    pub fn variables(&self) -> &[String] {
        self.0.variables()
    }
}

/// Several expressions compiled with the same options and evaluated together over the same
/// variables (the validations of a policy, say): one call per request instead of one per
/// expression.
///
/// ```
/// use palisade::ffi::{CelPrograms, CelVariables};
/// use serde_json::json;
///
/// let checks = CelPrograms::compile(&["object.spec.replicas <= 5", "has(object.metadata.labels)"], &json!(null))?;
/// let vars = CelVariables::new(json!({"object": {"metadata": {}, "spec": {"replicas": 7}}}))?;
/// let answers = checks.evaluate_with(&vars);
/// assert_eq!(answers[0]["value"], false);
/// assert_eq!(answers[1]["value"], false);
/// # Ok::<(), palisade::ffi::Error>(())
/// ```
pub struct CelPrograms(Vec<KubernetesCel>);

impl std::fmt::Debug for CelPrograms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CelPrograms")
            .field("len", &self.0.len())
            .finish_non_exhaustive()
    }
}

impl CelPrograms {
    /// Compiles every expression with the same options; a compile error's path names the
    /// expression (`[i]`).
    pub fn compile<S: AsRef<str>>(
        expressions: &[S],
        options: &Value,
    ) -> Result<CelPrograms, Error> {
        expressions
            .iter()
            .enumerate()
            .map(|(i, e)| compile(e.as_ref(), options).map_err(|e| e.at(vec![i.into()])))
            .collect::<Result<_, _>>()
            .map(CelPrograms)
    }

    /// How many expressions.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Evaluates every expression, in order: an array of `{value, type, cost}` or `{error,
    /// cost}`.
    pub fn evaluate(&self, vars: Value) -> Result<Value, Error> {
        Ok(self.evaluate_with(&CelVariables::new(vars)?))
    }

    /// Evaluates every expression with variables bound once.
    pub fn evaluate_with(&self, vars: &CelVariables) -> Value {
        Value::Array(self.0.iter().map(|p| p.evaluate_bound(&vars.0)).collect())
    }
}

/// Whether an expression compiles and type-checks: `{valid: true, type}` with the type the
/// checker deduces (cel-go's name: `bool`, `list(int)`, `dyn`, …), or `{valid: false, message,
/// issues: [{line, column, message}]}` with cel-go's error text (syntax, undeclared references,
/// no matching overload, undefined fields, planning errors).
pub fn check_cel(expression: &str, options: &Value) -> Result<Value, Error> {
    match compile(expression, options) {
        Ok(program) => Ok(json!({"valid": true, "type": program.result_type_name()})),
        Err(e) if e.code() == super::ErrorCode::CompileError => {
            let mut out = e.to_json();
            if let Value::Object(map) = &mut out {
                map.remove("code");
                map.remove("position");
                map.insert("valid".into(), false.into());
                map.entry("issues").or_insert_with(|| json!([]));
            }
            Ok(out)
        }
        Err(e) => Err(e),
    }
}

/// One expression, one evaluation (the `cel` op, `envType` `spec` included): `{value, type,
/// cost}`, `{error, cost}` or `{compileError}`.
pub fn evaluate_cel(request: &Value) -> Result<Value, Error> {
    op(request, protocol::cel::answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_once_evaluates_many() {
        let p = CelProgram::compile("object.spec.replicas + 1", &Value::Null).unwrap();
        assert_eq!(p.variables(), ["object"]);
        for n in [1, 41] {
            let vars = CelVariables::new(json!({"object": {"spec": {"replicas": n}}})).unwrap();
            assert_eq!(p.evaluate_with(&vars)["value"], n + 1);
        }
        // A runtime error is an answer, with the cost so far.
        let r = p.evaluate(&json!({"object": {"spec": {}}})).unwrap();
        assert_eq!(r["error"], "no such key: replicas");
        let r = CelProgram::compile("1u", &Value::Null)
            .unwrap()
            .evaluate(&Value::Null)
            .unwrap();
        assert_eq!(r, json!({"value": 1, "type": "uint", "cost": 0}));
    }

    #[test]
    fn program_sets_name_the_failing_expression() {
        let e = CelPrograms::compile(&["1", "2 +"], &Value::Null)
            .unwrap_err()
            .to_json();
        assert_eq!(e["path"], json!([1]));
        assert_eq!(e["position"], json!({"line": 1, "column": 4}));
        let set = CelPrograms::compile(&["object.a", "object.b"], &Value::Null).unwrap();
        assert_eq!(set.len(), 2);
        let r = set.evaluate(json!({"object": {"a": 1}})).unwrap();
        assert_eq!(r[0], json!({"value": 1, "type": "int", "cost": 2}));
        assert_eq!(r[1]["error"], "no such key: b");
    }

    #[test]
    fn compile_errors_have_positions() {
        // cel-go's checker tries `foo.bar` as a qualified name, then reports the operand `foo`
        // as undeclared, at its own position.
        let e = CelProgram::compile("1 + foo.bar", &Value::Null).unwrap_err();
        let j = e.to_json();
        assert_eq!(j["code"], "compile_error");
        assert_eq!(
            j["message"],
            "compilation failed: ERROR: <input>:1:5: undeclared reference to 'foo' (in container '')\n | 1 + foo.bar\n | ....^"
        );
        assert_eq!(j["position"], json!({"line": 1, "column": 5}));
        assert_eq!(
            j["issues"][0]["message"],
            "undeclared reference to 'foo' (in container '')"
        );
        let c = check_cel("1 +\n  ", &Value::Null).unwrap();
        assert_eq!(c["valid"], false);
        assert_eq!(c["issues"][0]["line"], 2);
        assert_eq!(
            check_cel("1 + 1", &Value::Null).unwrap(),
            json!({"valid": true, "type": "int"})
        );
        assert_eq!(
            check_cel("object.spec.containers.map(c, c.name)", &Value::Null).unwrap(),
            json!({"valid": true, "type": "list(dyn)"})
        );
        let typo = check_cel("request.operatoin == 'CREATE'", &Value::Null).unwrap();
        assert_eq!(typo["valid"], false);
        assert!(
            typo["message"]
                .as_str()
                .unwrap()
                .contains("undefined field 'operatoin'"),
            "{typo}"
        );
        let e = check_cel("1", &json!({"envType": "old"})).unwrap_err();
        assert_eq!(e.code(), super::super::ErrorCode::RequestError);
        assert_eq!(e.path(), [Value::from("envType")]);
    }
}
