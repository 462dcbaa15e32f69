//! The cel-spec conformance suite (`<conformance>/cel/cel-spec-json`): every test that needs no
//! protobuf message type and no type checker, evaluated in the plain (`spec`) environment with the
//! extensions it needs. Prints pass counts per file and the failures by id; fails below 95%.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_cel::proto_json::{from_proto_json, identical, to_proto_json};
use palisade_cel::{Env, Extension, Program, authz::NoOpinion};
use serde_json::Value as Json;

const UNREACHABLE: &[&str] = &["proto2", "proto3", "wkt", "type-checker", "unknowns"];

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
    for decl in test["typeEnv"].as_array().unwrap() {
        if decl.get("ident").is_some() {
            env.declare_var(decl["name"].as_str().unwrap());
        }
    }
    let expr = test["expr"].as_str().unwrap();
    let expected = &test["expected"];
    let program = match Program::compile(&env, expr) {
        Ok(p) => p,
        Err(e) => return Err(format!("compile error: {e}")),
    };
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
            total_pass * 100 >= total_run * 95,
            "below 95%: {total_pass}/{total_run}"
        );
    }
}
