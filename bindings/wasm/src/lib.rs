//! palisade for JavaScript: a thin wasm-bindgen layer over [`palisade::ffi`], which holds the
//! logic and its tests. Functions take and return plain JavaScript objects (converted through
//! JSON, which measured faster than walking them value by value), and each has a `…Json`
//! variant from JSON text to JSON text for callers that already hold text. Errors are thrown as
//! `Error` objects with `code`, and `path`, `position` or `issues` where known.
//!
//! The TypeScript types of every argument and answer are in [`types`].

use js_sys::{JSON, Reflect};
use palisade::ffi;
use serde_json::Value;
use wasm_bindgen::prelude::*;

pub mod types;

/// The JavaScript `Error` for an [`ffi::Error`]: its message, plus each field of its JSON form
/// (`code`, `path`, `position`, `issues`, `document`) as a property.
fn js_error(e: &ffi::Error) -> JsValue {
    let error = js_sys::Error::new(e.message());
    if let Value::Object(fields) = e.to_json() {
        for (key, value) in fields {
            if key == "message" {
                continue;
            }
            if let Ok(v) = to_js(&value) {
                // Setting a property on a fresh Error object cannot fail.
                let _ = Reflect::set(&error, &JsValue::from_str(&key), &v);
            }
        }
    }
    error.into()
}

fn invalid_input(message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    let _ = Reflect::set(&error, &"code".into(), &"invalid_input".into());
    error.into()
}

/// A JavaScript value as JSON (`undefined` and `null` are null).
fn from_js(value: &JsValue) -> Result<Value, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    let text = JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid_input("the argument cannot be converted to JSON"))?;
    ffi::parse_json(&text).map_err(|e| js_error(&e))
}

/// JSON as a JavaScript value: built directly when small (a CEL value, a decision), where
/// passing JSON text to `JSON.parse` costs more than the value; through `JSON.parse` otherwise.
fn to_js(value: &Value) -> Result<JsValue, JsValue> {
    if small(value, 16) {
        Ok(direct(value))
    } else {
        JSON::parse(&value.to_string())
    }
}

/// Whether `value` has at most `budget` nodes.
fn small(value: &Value, budget: usize) -> bool {
    fn count(v: &Value, left: &mut usize) -> bool {
        if *left == 0 {
            return false;
        }
        *left -= 1;
        match v {
            Value::Array(items) => items.iter().all(|i| count(i, left)),
            Value::Object(map) => map.values().all(|i| count(i, left)),
            _ => true,
        }
    }
    let mut left = budget;
    count(value, &mut left)
}

fn direct(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(direct).collect::<js_sys::Array>().into(),
        Value::Object(map) => {
            let object = js_sys::Object::new();
            for (k, v) in map {
                // Keys repeat across answers (`value`, `type`, `cost`): interned.
                let _ = Reflect::set(
                    &object,
                    &JsValue::from_str(wasm_bindgen::intern(k)),
                    &direct(v),
                );
            }
            object.into()
        }
    }
}

/// Object in, object out.
fn call(input: &JsValue, f: fn(&Value) -> Result<Value, ffi::Error>) -> Result<JsValue, JsValue> {
    let answer = f(&from_js(input)?).map_err(|e| js_error(&e))?;
    to_js(&answer)
}

/// JSON text in, JSON text out.
fn call_json(input: &str, f: fn(&Value) -> Result<Value, ffi::Error>) -> Result<String, JsValue> {
    let request = ffi::parse_json(input).map_err(|e| js_error(&e))?;
    f(&request)
        .map(|answer| answer.to_string())
        .map_err(|e| js_error(&e))
}

/// palisade's version, the newest Kubernetes version it knows and the Pod Security checks.
#[wasm_bindgen(unchecked_return_type = "VersionInfo")]
pub fn version() -> Result<JsValue, JsValue> {
    to_js(&ffi::version())
}

/// Reads YAML or JSON text (multi-document, `List`s flattened) as Kubernetes reads it.
#[wasm_bindgen(js_name = loadManifests, unchecked_return_type = "KubeObject[]")]
pub fn load_manifests(text: &str) -> Result<JsValue, JsValue> {
    let objects = ffi::load_manifests(text).map_err(|e| js_error(&e))?;
    to_js(&objects)
}

/// Evaluates a pod or workload against the Pod Security Standards.
#[wasm_bindgen(js_name = evaluatePod, unchecked_return_type = "PssResult")]
pub fn evaluate_pod(
    #[wasm_bindgen(unchecked_param_type = "PssRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call(&request, ffi::evaluate_pod)
}

/// [`evaluate_pod`] from JSON text to JSON text.
#[wasm_bindgen(js_name = evaluatePodJson)]
pub fn evaluate_pod_json(request: &str) -> Result<String, JsValue> {
    call_json(request, ffi::evaluate_pod)
}

/// The Pod Security policy a namespace's labels select.
#[wasm_bindgen(js_name = podSecurityPolicy, unchecked_return_type = "PssPolicy")]
pub fn pod_security_policy(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] labels: JsValue,
) -> Result<JsValue, JsValue> {
    call(&labels, ffi::pod_security_policy)
}

/// Whether an expression compiles and type-checks, with the deduced type.
#[wasm_bindgen(js_name = checkCel, unchecked_return_type = "CelCheck")]
pub fn check_cel(
    expression: &str,
    #[wasm_bindgen(unchecked_param_type = "CelOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options = from_js(&options.unwrap_or(JsValue::UNDEFINED))?;
    let answer = ffi::check_cel(expression, &options).map_err(|e| js_error(&e))?;
    to_js(&answer)
}

/// One expression evaluated once (the protocol's `cel` op, `envType: "spec"` included).
#[wasm_bindgen(js_name = evaluateCel, unchecked_return_type = "CelAnswer")]
pub fn evaluate_cel(
    #[wasm_bindgen(unchecked_param_type = "CelRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call(&request, ffi::evaluate_cel)
}

/// A compiled CEL expression of the ValidatingAdmissionPolicy environment: compile once,
/// evaluate many times.
#[wasm_bindgen]
pub struct CelProgram(ffi::CelProgram);

#[wasm_bindgen]
impl CelProgram {
    /// Compiles; throws a `compile_error` with `position` and `issues`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        expression: &str,
        #[wasm_bindgen(unchecked_param_type = "CelOptions")] options: Option<JsValue>,
    ) -> Result<CelProgram, JsValue> {
        let options = from_js(&options.unwrap_or(JsValue::UNDEFINED))?;
        ffi::CelProgram::compile(expression, &options)
            .map(CelProgram)
            .map_err(|e| js_error(&e))
    }

    /// Evaluates with `{object, oldObject, params, request, namespaceObject}`.
    #[wasm_bindgen(unchecked_return_type = "CelResult")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CelVars")] vars: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let vars = from_js(&vars.unwrap_or(JsValue::UNDEFINED))?;
        let answer = self.0.evaluate(&vars).map_err(|e| js_error(&e))?;
        to_js(&answer)
    }

    /// [`CelProgram::evaluate`] from JSON text to JSON text.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, vars: &str) -> Result<String, JsValue> {
        let vars = ffi::parse_json(vars).map_err(|e| js_error(&e))?;
        let answer = self.0.evaluate(&vars).map_err(|e| js_error(&e))?;
        Ok(answer.to_string())
    }

    /// Evaluates with variables bound once for many programs.
    #[wasm_bindgen(js_name = evaluateWith, unchecked_return_type = "CelResult")]
    pub fn evaluate_with(&self, vars: &CelVariables) -> Result<JsValue, JsValue> {
        to_js(&self.0.evaluate_with(&vars.0))
    }

    /// The variables the expression reads.
    #[wasm_bindgen(getter)]
    pub fn variables(&self) -> Vec<String> {
        self.0.variables().to_vec()
    }
}

/// Several CEL expressions compiled with the same options and evaluated together: one call
/// per request.
#[wasm_bindgen]
pub struct CelPrograms(ffi::CelPrograms);

#[wasm_bindgen]
impl CelPrograms {
    /// Compiles every expression; a `compile_error`'s `path` is `[index]`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        expressions: Vec<String>,
        #[wasm_bindgen(unchecked_param_type = "CelOptions")] options: Option<JsValue>,
    ) -> Result<CelPrograms, JsValue> {
        let options = from_js(&options.unwrap_or(JsValue::UNDEFINED))?;
        ffi::CelPrograms::compile(&expressions, &options)
            .map(CelPrograms)
            .map_err(|e| js_error(&e))
    }

    /// Evaluates every expression with `{object, oldObject, params, request,
    /// namespaceObject}`, in order.
    #[wasm_bindgen(unchecked_return_type = "CelResult[]")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CelVars")] vars: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let vars = from_js(&vars.unwrap_or(JsValue::UNDEFINED))?;
        let answers = self.0.evaluate(vars).map_err(|e| js_error(&e))?;
        to_js(&answers)
    }

    /// [`CelPrograms::evaluate`] from JSON text to JSON text.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, vars: &str) -> Result<String, JsValue> {
        let vars = ffi::parse_json(vars).map_err(|e| js_error(&e))?;
        let answers = self.0.evaluate(vars).map_err(|e| js_error(&e))?;
        Ok(answers.to_string())
    }

    /// Evaluates every expression with variables bound once.
    #[wasm_bindgen(js_name = evaluateWith, unchecked_return_type = "CelResult[]")]
    pub fn evaluate_with(&self, vars: &CelVariables) -> Result<JsValue, JsValue> {
        to_js(&self.0.evaluate_with(&vars.0))
    }

    /// How many expressions.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }
}

/// CEL variables bound once, for evaluating many programs over the same request.
#[wasm_bindgen]
pub struct CelVariables(ffi::CelVariables);

#[wasm_bindgen]
impl CelVariables {
    /// Binds `{object, oldObject, params, request, namespaceObject}`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CelVars")] vars: Option<JsValue>,
    ) -> Result<CelVariables, JsValue> {
        let vars = from_js(&vars.unwrap_or(JsValue::UNDEFINED))?;
        ffi::CelVariables::new(vars)
            .map(CelVariables)
            .map_err(|e| js_error(&e))
    }

    /// Binds variables given as JSON text.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(vars: &str) -> Result<CelVariables, JsValue> {
        let vars = ffi::parse_json(vars).map_err(|e| js_error(&e))?;
        ffi::CelVariables::new(vars)
            .map(CelVariables)
            .map_err(|e| js_error(&e))
    }
}

/// Answers an admission request as the ValidatingAdmissionPolicy plugin does.
#[wasm_bindgen(js_name = evaluateAdmission, unchecked_return_type = "VapResponse")]
pub fn evaluate_admission(
    #[wasm_bindgen(unchecked_param_type = "VapRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call(&request, ffi::evaluate_admission)
}

/// [`evaluate_admission`] from JSON text to JSON text.
#[wasm_bindgen(js_name = evaluateAdmissionJson)]
pub fn evaluate_admission_json(request: &str) -> Result<String, JsValue> {
    call_json(request, ffi::evaluate_admission)
}

/// Runs `AdmissionTest` suites; `files` maps the file names in `resources` to their text.
#[wasm_bindgen(js_name = runAdmissionTests, unchecked_return_type = "AdmissionTestRun")]
pub fn run_admission_tests(
    #[wasm_bindgen(unchecked_param_type = "string | AdmissionTest")] suite: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] files: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let text = match suite.as_string() {
        Some(text) => text,
        None => from_js(&suite)?.to_string(),
    };
    let files = from_js(&files.unwrap_or(JsValue::UNDEFINED))?;
    let answer = ffi::run_admission_tests(&text, &files).map_err(|e| js_error(&e))?;
    to_js(&answer)
}

/// The RBAC objects of a cluster, loaded once and queried many times.
#[wasm_bindgen]
pub struct RbacCluster(ffi::RbacCluster);

#[wasm_bindgen]
impl RbacCluster {
    /// Loads YAML/JSON text or an array of objects.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string | KubeObject[]")] dump: JsValue,
    ) -> Result<RbacCluster, JsValue> {
        let cluster = match dump.as_string() {
            Some(text) => ffi::RbacCluster::from_text(&text),
            None => ffi::RbacCluster::from_objects(&from_js(&dump)?),
        };
        cluster.map(RbacCluster).map_err(|e| js_error(&e))
    }

    /// The authorizer's decision, reason and the user's rules in the namespace.
    #[wasm_bindgen(js_name = canI, unchecked_return_type = "RbacDecision")]
    pub fn can_i(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RbacRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let answer = self
            .0
            .can_i(&from_js(&request)?)
            .map_err(|e| js_error(&e))?;
        to_js(&answer)
    }

    /// Who may make a request, and through which binding, role and rule.
    #[wasm_bindgen(js_name = whoCan, unchecked_return_type = "WhoCan")]
    pub fn who_can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RbacQuery")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let answer = self
            .0
            .who_can(&from_js(&request)?)
            .map_err(|e| js_error(&e))?;
        to_js(&answer)
    }

    /// The rules a user holds, cluster-wide and in a namespace.
    #[wasm_bindgen(unchecked_return_type = "RbacRules")]
    pub fn rules(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RbacSubjectQuery")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let answer = self
            .0
            .rules(&from_js(&request)?)
            .map_err(|e| js_error(&e))?;
        to_js(&answer)
    }

    /// Risky grants from the risk catalog.
    #[wasm_bindgen(unchecked_return_type = "RbacAnalysis")]
    pub fn analyze(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RbacAnalyzeOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options = from_js(&options.unwrap_or(JsValue::UNDEFINED))?;
        let answer = self.0.analyze(&options).map_err(|e| js_error(&e))?;
        to_js(&answer)
    }
}

/// Whether each probe's connection is allowed by the network policies.
#[wasm_bindgen(js_name = evaluateNetworkPolicy, unchecked_return_type = "NetpolResult")]
pub fn evaluate_network_policy(
    #[wasm_bindgen(unchecked_param_type = "NetpolRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call(&request, ffi::evaluate_network_policy)
}

/// The audit level an audit Policy gives a request.
#[wasm_bindgen(js_name = auditLevel, unchecked_return_type = "AuditResult")]
pub fn audit_level(
    #[wasm_bindgen(unchecked_param_type = "AuditRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call(&request, ffi::audit_level)
}

/// Lint findings of an audit Policy.
#[wasm_bindgen(js_name = lintAuditPolicy, unchecked_return_type = "AuditLint")]
pub fn lint_audit_policy(
    #[wasm_bindgen(unchecked_param_type = "KubeObject")] policy: JsValue,
) -> Result<JsValue, JsValue> {
    call(&policy, ffi::lint_audit_policy)
}

/// Answers any protocol request (`op` selects it); problems come back as `requestError`.
#[wasm_bindgen(unchecked_return_type = "ProtocolResponse")]
pub fn handle(
    #[wasm_bindgen(unchecked_param_type = "ProtocolRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call(&request, |r| Ok(ffi::handle(r)))
}

/// One protocol request line in, one response line out (as `palisade jsonl`).
#[wasm_bindgen(js_name = handleJson)]
pub fn handle_json(line: &str) -> String {
    palisade::protocol::handle_line(line)
}
