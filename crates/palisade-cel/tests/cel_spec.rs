//! The cel-spec conformance suite (`<conformance>/cel/cel-spec-json`): every test that needs no
//! protobuf message type, type-checked (unless the test says `disableCheck`, with its `typeEnv`
//! declarations) and evaluated in the plain (`spec`) environment with the extensions it needs.
//! `checkOnly` tests compare the checker's type with `typedResult.deducedType`; tests with a
//! `typedResult` compare both. Prints pass counts per file and the failures by id; fails below
//! the floor.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_cel::check::{Overload, Type};
use palisade_cel::proto_json::{from_proto_json, identical, to_proto_json};
use palisade_cel::{Env, Extension, Program, authz::NoOpinion};
use serde_json::Value as Json;

const UNREACHABLE: &[&str] = &["proto2", "proto3", "wkt", "unknowns"];

/// The passing tests: the run fails below this.
const FLOOR: usize = 1736;

/// A `cel.expr.Type` in protobuf JSON as a checker type.
fn to_type(t: &Json) -> Type {
    if let Some(p) = t.get("primitive").and_then(Json::as_str) {
        return match p {
            "BOOL" => Type::Bool,
            "INT64" => Type::Int,
            "UINT64" => Type::Uint,
            "DOUBLE" => Type::Double,
            "STRING" => Type::String,
            "BYTES" => Type::Bytes,
            other => panic!("primitive {other}"),
        };
    }
    if let Some(w) = t.get("wellKnown").and_then(Json::as_str) {
        return match w {
            "TIMESTAMP" => Type::Timestamp,
            "DURATION" => Type::Duration,
            _ => Type::Dyn,
        };
    }
    if let Some(l) = t.get("listType") {
        return Type::list(to_type(&l["elemType"]));
    }
    if let Some(m) = t.get("mapType") {
        return Type::map(to_type(&m["keyType"]), to_type(&m["valueType"]));
    }
    if let Some(a) = t.get("abstractType") {
        let params = a["parameterTypes"]
            .as_array()
            .map(|ps| ps.iter().map(to_type).collect())
            .unwrap_or_default();
        return Type::Opaque(a["name"].as_str().unwrap().into(), params);
    }
    if let Some(p) = t.get("typeParam").and_then(Json::as_str) {
        return Type::Param(p.into());
    }
    if let Some(inner) = t.get("type") {
        return Type::type_of(to_type(inner));
    }
    if t.get("null").is_some() {
        return Type::Null;
    }
    if t.get("error").is_some() {
        return Type::Error;
    }
    Type::Dyn
}

fn extensions(needs: &[String]) -> Vec<Extension> {
    let mut out = Vec::new();
    for n in needs {
        match n.as_str() {
            "extension:strings" => out.push(Extension::Strings),
            "extension:math" => out.push(Extension::Math),
            "extension:encoders" => out.push(Extension::Encoders),
            "extension:bindings" => out.push(Extension::Bindings),
            "extension:optionals" => out.push(Extension::Optionals),
            "extension:block" => out.push(Extension::Block),
            "extension:network" => out.push(Extension::Network),
            _ => {}
        }
    }
    out
}

/// Runs one test; `Err` says why it failed.
fn run(test: &Json) -> Result<(), String> {
    let needs: Vec<String> = serde_json::from_value(test["needs"].clone()).unwrap();
    let mut env = Env::spec(&extensions(&needs));
    if test["disableMacros"].as_bool().unwrap_or(false) {
        env.disable_macros();
    }
    env.set_container(test["container"].as_str().unwrap_or(""));
    let mut bindings = Vec::new();
    for (name, v) in test["bindings"].as_object().unwrap() {
        env.declare_var(name);
        bindings.push((name.clone(), from_proto_json(v).map_err(|e| e.to_string())?));
    }
    env.set_checked(!test["disableCheck"].as_bool().unwrap_or(false));
    for decl in test["typeEnv"].as_array().unwrap() {
        let name = decl["name"].as_str().unwrap();
        if let Some(ident) = decl.get("ident") {
            env.declare_typed_var(name, to_type(&ident["type"]));
        }
        if let Some(f) = decl.get("function") {
            for o in f["overloads"].as_array().unwrap() {
                let mut params: Vec<Type> = o["params"]
                    .as_array()
                    .map(|ps| ps.iter().map(to_type).collect())
                    .unwrap_or_default();
                let member = o["isInstanceFunction"].as_bool().unwrap_or(false);
                if params.is_empty() && member {
                    params.push(Type::Dyn);
                }
                env.declare_function(
                    name,
                    Overload {
                        member,
                        params,
                        result: to_type(&o["resultType"]),
                    },
                );
            }
        }
    }
    let expr = test["expr"].as_str().unwrap();
    let expected = &test["expected"];
    let program = match Program::compile(&env, expr) {
        Ok(p) => p,
        // A check error is the expected error only when the test names its text (cel-go's
        // conformance server reports check issues as the result); other `evalError` tests
        // must compile and fail at evaluation.
        Err(e) => {
            let text = e.to_string();
            let named = expected["evalError"]["errors"]
                .as_array()
                .is_some_and(|es| {
                    es.iter()
                        .any(|m| m["message"].as_str().is_some_and(|m| text.contains(m)))
                });
            return if named {
                Ok(())
            } else {
                Err(format!("compile error: {e}"))
            };
        }
    };
    if let Some(want) = test.get("typedResult").map(|t| to_type(&t["deducedType"])) {
        match program.result_type() {
            Some(got) if *got == want => {}
            got => return Err(format!("deduced {got:?}, want {want}")),
        }
    }
    if test["checkOnly"].as_bool().unwrap_or(false) {
        return Ok(());
    }
    let resolve = |name: &str| {
        bindings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let out = program.eval(&resolve, &NoOpinion);
    if let Some(v) = expected.get("value") {
        let want = from_proto_json(v).map_err(|e| e.to_string())?;
        match out.result {
            Ok(got) if identical(&got, &want) => Ok(()),
            Ok(got) => Err(format!("got {} want {}", to_proto_json(&got), v)),
            Err(e) => Err(format!("error {e}, want {v}")),
        }
    } else if expected.get("evalError").is_some() || expected.get("anyEvalErrors").is_some() {
        match out.result {
            Err(_) => Ok(()),
            Ok(got) => Err(format!("got {}, want an error", to_proto_json(&got))),
        }
    } else {
        Err("unsupported expectation".into())
    }
}

#[test]
fn cel_spec() {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(cel_spec_inner)
        .unwrap()
        .join()
        .unwrap();
}

fn cel_spec_inner() {
    let Some(dir) = palisade_testing::conformance_dir("cel/cel-spec-json/basic.json") else {
        return;
    };
    let dir = dir.join("cel/cel-spec-json");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut total_pass, mut total_run, mut total_skip) = (0, 0, 0);
    let mut failures = Vec::new();
    let only = std::env::var("CEL_SPEC_ONLY").ok();
    for path in files {
        let file: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let fname = path.file_stem().unwrap().to_string_lossy().to_string();
        let (mut pass, mut run_count, mut skip) = (0, 0, 0);
        for section in file["sections"].as_array().unwrap_or(&Vec::new()) {
            for (i, test) in section["tests"].as_array().unwrap().iter().enumerate() {
                let needs: Vec<String> = serde_json::from_value(test["needs"].clone()).unwrap();
                if needs
                    .iter()
                    .any(|n| UNREACHABLE.contains(&n.as_str()) || n == "extension:proto2_ext")
                {
                    skip += 1;
                    continue;
                }
                let id = format!(
                    "{fname}/{}/{}#{i}",
                    section["name"].as_str().unwrap(),
                    test["name"].as_str().unwrap()
                );
                if only.as_deref().is_some_and(|o| !id.contains(o)) {
                    continue;
                }
                run_count += 1;
                match run(test) {
                    Ok(()) => pass += 1,
                    Err(why) => {
                        failures.push(format!("{id}: {} => {why}", test["expr"].as_str().unwrap()))
                    }
                }
            }
        }
        println!("{fname}: passed {pass}/{run_count}, skipped {skip}");
        total_pass += pass;
        total_run += run_count;
        total_skip += skip;
    }
    for f in &failures {
        println!("FAIL {f}");
    }
    println!("cel-spec: passed {total_pass}/{total_run} reachable, skipped {total_skip}");
    if only.is_none() {
        assert!(
            total_pass >= FLOOR,
            "below the floor: {total_pass}/{total_run}"
        );
    }
}
