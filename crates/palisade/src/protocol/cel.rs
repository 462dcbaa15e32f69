//! The `cel` op: one expression in the ValidatingAdmissionPolicy environment of a Kubernetes
//! version (`stored` or `new` expressions), or in plain spec-conformant CEL (`spec`), with its
//! value, type and runtime cost, or its runtime or compile error.

use palisade_cel::authz::NoOpinion;
use palisade_cel::json_out::to_json;
use palisade_cel::k8s::activation::{VapVars, normalize_namespace, normalize_request};
use palisade_cel::k8s::{EnvType, MAX_MINOR};
use palisade_cel::proto_json::{from_proto_json, to_proto_json};
use palisade_cel::{CompileError, Env, Extension, Program, Value};
use serde_json::{Map, Value as Json, json};

use super::{RequestError, optional_bool, optional_str, required_str};

fn minor(field: &str, text: &str) -> Result<u32, RequestError> {
    text.strip_prefix("1.")
        .and_then(|m| m.parse().ok())
        .ok_or_else(|| {
            RequestError::new(format!(
                "field `{field}` must be a version `1.N`, got `{text}`"
            ))
        })
}

pub(crate) fn compile_error(e: &CompileError) -> Json {
    match e {
        CompileError::Invalid { .. } => {
            json!({ "compileError": format!("compilation failed: {e}") })
        }
        CompileError::Instantiation(m) => json!({ "compileError": m }),
    }
}

fn object_field<'r>(
    req: &'r Map<String, Json>,
    field: &str,
) -> Result<Option<&'r Map<String, Json>>, RequestError> {
    match req.get(field) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Object(m)) => Ok(Some(m)),
        Some(_) => Err(RequestError::new(format!(
            "field `{field}` must be an object"
        ))),
    }
}

/// Whether `valueFormat` asks for values in the cel.expr.Value form.
pub(crate) fn cel_value_format(req: &Map<String, Json>) -> Result<bool, RequestError> {
    match optional_str(req, "valueFormat")? {
        None | Some("json") => Ok(false),
        Some("cel") => Ok(true),
        Some(other) => Err(RequestError::new(format!(
            "field `valueFormat` must be `json` or `cel`, got `{other}`"
        ))),
    }
}

pub(crate) fn answer(req: &Map<String, Json>) -> Result<Json, RequestError> {
    let expr = required_str(req, "expr")?;
    let env_type = optional_str(req, "envType")?.unwrap_or("stored");
    let cel_format = cel_value_format(req)?;
    let vars = object_field(req, "vars")?;
    if env_type == "spec" {
        let mut exts = Vec::new();
        if let Some(list) = req.get("extensions") {
            let names = list
                .as_array()
                .ok_or_else(|| RequestError::new("field `extensions` must be an array"))?;
            for n in names {
                let n = n.as_str().unwrap_or_default();
                exts.push(
                    Extension::from_name(n)
                        .ok_or_else(|| RequestError::new(format!("unknown extension `{n}`")))?,
                );
            }
        }
        let mut env = Env::spec(&exts);
        if optional_bool(req, "disableMacros")? {
            env.disable_macros();
        }
        if let Some(c) = optional_str(req, "container")? {
            env.set_container(c);
        }
        let mut typed: Vec<(String, Value<'static>)> = Vec::new();
        if let Some(tv) = object_field(req, "typedVars")? {
            for (name, v) in tv {
                let value = from_proto_json(v)
                    .map_err(|e| RequestError::new(format!("typedVars.{name}: {e}")))?;
                env.declare_var(name);
                typed.push((name.clone(), value));
            }
        }
        if let Some(vs) = vars {
            for name in vs.keys() {
                env.declare_var(name);
            }
        }
        let program = match Program::compile(&env, expr) {
            Ok(p) => p,
            Err(e) => return Ok(compile_error(&e)),
        };
        let resolve = |name: &str| -> Option<Value<'_>> {
            if let Some((_, v)) = typed.iter().find(|(n, _)| n == name) {
                return Some(v.clone());
            }
            vars.and_then(|v| v.get(name)).map(Value::from_json)
        };
        let out = program.eval(&resolve, &NoOpinion);
        return Ok(outcome(&out, cel_format));
    }
    match KubernetesCel::compile(req, env_type, cel_format)? {
        Ok(compiled) => Ok(compiled.evaluate(vars)),
        Err(e) => Ok(compile_error(&e)),
    }
}

/// A compiled expression of the Kubernetes environments (`stored`, `new`), with the RBAC
/// objects its `authorizer` checks are answered from: compiled once, evaluated per request.
pub(crate) struct KubernetesCel {
    program: Program,
    authorizer: Option<crate::authz::RbacAuthorizer>,
    cel_format: bool,
}

impl KubernetesCel {
    /// The type the checker deduced for the expression, as cel-go names it (`dyn` when the
    /// program was not checked).
    pub(crate) fn result_type_name(&self) -> String {
        self.program
            .result_type()
            .map_or_else(|| "dyn".to_owned(), ToString::to_string)
    }

    /// Compiles `expr` of the request in the environment its `envType`, `kubernetesVersion`
    /// and `compatibilityVersion` select; the outer error is a bad request, the inner one the
    /// expression's compile error.
    pub(crate) fn compile(
        req: &Map<String, Json>,
        env_type: &str,
        cel_format: bool,
    ) -> Result<Result<KubernetesCel, CompileError>, RequestError> {
        let expr = required_str(req, "expr")?;
        let kind = match env_type {
            "stored" => EnvType::Stored,
            "new" => EnvType::New,
            other => {
                return Err(RequestError::new(format!(
                    "field `envType` must be `stored`, `new` or `spec`, got `{other}`"
                )));
            }
        };
        let version = match optional_str(req, "kubernetesVersion")? {
            Some(v) => minor("kubernetesVersion", v)?,
            None => MAX_MINOR,
        };
        let compat = optional_str(req, "compatibilityVersion")?
            .map(|v| minor("compatibilityVersion", v))
            .transpose()?;
        let env =
            Env::kubernetes(version, kind, compat).map_err(|e| RequestError::new(e.to_string()))?;
        let program = match Program::compile(&env, expr) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let authorizer = match req.get("authorizerObjects") {
            None | Some(Json::Null) => None,
            Some(Json::Array(objects)) => Some(
                crate::authz::RbacAuthorizer::from_objects(objects)
                    .map_err(|e| RequestError::new(format!("authorizerObjects: {e}")))?,
            ),
            Some(_) => {
                return Err(RequestError::new(
                    "field `authorizerObjects` must be an array",
                ));
            }
        };
        Ok(Ok(KubernetesCel {
            program,
            authorizer,
            cel_format,
        }))
    }

    /// The variables the expression reads.
    pub(crate) fn variables(&self) -> &[String] {
        self.program.variables()
    }

    /// Evaluates with `vars` (`object`, `oldObject`, `params`, `request`, `namespaceObject`;
    /// missing ones are null): `{value, type, cost}` or `{error, cost}`.
    pub(crate) fn evaluate(&self, vars: Option<&Map<String, Json>>) -> Json {
        let var = |name: &str| vars.and_then(|v| v.get(name)).filter(|j| !j.is_null());
        let request = var("request").map(normalize_request);
        let namespace = var("namespaceObject").map(normalize_namespace);
        self.evaluate_vars(&VapVars::new(
            var("object"),
            var("oldObject"),
            var("params"),
            request.as_ref(),
            namespace.as_ref(),
        ))
    }

    /// Evaluates with variables bound once for many programs.
    pub(crate) fn evaluate_bound(&self, bound: &BoundVars) -> Json {
        let var = |name: &str| bound.vars.get(name).filter(|j| !j.is_null());
        self.evaluate_vars(&VapVars::new(
            var("object"),
            var("oldObject"),
            var("params"),
            bound.request.as_ref(),
            bound.namespace.as_ref(),
        ))
    }

    fn evaluate_vars(&self, bound: &VapVars<'_>) -> Json {
        let authorizer: &dyn palisade_cel::authz::Authorizer = match &self.authorizer {
            Some(r) => r,
            None => &NoOpinion,
        };
        let out = self.program.eval(&|name| bound.resolve(name), authorizer);
        outcome(&out, self.cel_format)
    }
}

/// The variables of VAP expressions, owned, with `request` and `namespaceObject` read as their
/// typed Kubernetes objects once.
pub(crate) struct BoundVars {
    vars: Map<String, Json>,
    request: Option<Json>,
    namespace: Option<Json>,
}

impl BoundVars {
    /// Binds `vars` (`object`, `oldObject`, `params`, `request`, `namespaceObject`).
    pub(crate) fn new(vars: Map<String, Json>) -> BoundVars {
        let normalized =
            |name: &str, f: fn(&Json) -> Json| vars.get(name).filter(|j| !j.is_null()).map(f);
        let request = normalized("request", normalize_request);
        let namespace = normalized("namespaceObject", normalize_namespace);
        BoundVars {
            vars,
            request,
            namespace,
        }
    }
}

/// `{value, type, cost}` or `{error, cost}`.
fn outcome(out: &palisade_cel::Evaluation<'_>, cel_format: bool) -> Json {
    match &out.result {
        Ok(v) => {
            let value = if cel_format {
                to_proto_json(v)
            } else {
                to_json(v)
            };
            json!({"value": value, "type": v.type_name(), "cost": out.cost})
        }
        Err(e) => json!({"error": e.message, "cost": out.cost}),
    }
}

#[cfg(test)]
mod authorizer_tests {
    use serde_json::json;

    use crate::protocol::handle;

    #[test]
    fn authorizer_objects_answer_authz_checks() {
        let objects = json!([
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"},
             "rules": [{"verbs": ["list"], "apiGroups": [""], "resources": ["secrets"]}]},
            {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": {"name": "b"},
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "r"},
             "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"}]}
        ]);
        let ask = |user: &str| {
            handle(&json!({
                "op": "cel",
                "expr": "authorizer.group('').resource('secrets').check('list').reason()",
                "vars": {"request": {"userInfo": {"username": user}}},
                "authorizerObjects": objects,
            }))
        };
        assert_eq!(
            ask("alice")["value"],
            "RBAC: allowed by ClusterRoleBinding \"b\" of ClusterRole \"r\" to User \"alice\""
        );
        assert_eq!(ask("bob")["value"], "");
    }
}
