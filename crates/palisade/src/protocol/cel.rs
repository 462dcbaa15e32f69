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

fn compile_error(e: &CompileError) -> Json {
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

pub(super) fn answer(req: &Map<String, Json>) -> Result<Json, RequestError> {
    let expr = required_str(req, "expr")?;
    let env_type = optional_str(req, "envType")?.unwrap_or("stored");
    let cel_format = match optional_str(req, "valueFormat")? {
        None | Some("json") => false,
        Some("cel") => true,
        Some(other) => {
            return Err(RequestError::new(format!(
                "field `valueFormat` must be `json` or `cel`, got `{other}`"
            )));
        }
    };
    let vars = object_field(req, "vars")?;
    let var = |name: &str| vars.and_then(|v| v.get(name)).filter(|j| !j.is_null());
    let render = |v: &Value<'_>| {
        if cel_format {
            to_proto_json(v)
        } else {
            to_json(v)
        }
    };
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
        return Ok(match out.result {
            Ok(v) => json!({"value": render(&v), "type": v.type_name(), "cost": out.cost}),
            Err(e) => json!({"error": e.message, "cost": out.cost}),
        });
    }
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
        Err(e) => return Ok(compile_error(&e)),
    };
    let request = var("request").map(normalize_request);
    let namespace = var("namespaceObject").map(normalize_namespace);
    let bound = VapVars::new(
        var("object"),
        var("oldObject"),
        var("params"),
        request.as_ref(),
        namespace.as_ref(),
    );
    let rbac = match req.get("authorizerObjects") {
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
    let authorizer: &dyn palisade_cel::authz::Authorizer = match &rbac {
        Some(r) => r,
        None => &NoOpinion,
    };
    let out = program.eval(&|name| bound.resolve(name), authorizer);
    Ok(match out.result {
        Ok(v) => json!({"value": render(&v), "type": v.type_name(), "cost": out.cost}),
        Err(e) => json!({"error": e.message, "cost": out.cost}),
    })
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
