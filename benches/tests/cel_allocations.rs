//! Heap allocations per CEL request (bind a 4 KB Deployment + evaluate the ten VAP expressions of
//! the `cel` bench), counted with dhat, beside the raw `cel` crate doing the same.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::Arc;

use palisade::cel::authz::NoOpinion;
use palisade::cel::k8s::activation::VapVars;
use palisade::cel::k8s::{EnvType, MAX_MINOR};
use palisade::cel::{Env, Program};
use palisade_benches::{VAP_EXPRESSIONS, deployment};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

// One test per binary: dhat allows one profiler at a time.
#[test]
fn allocations_per_request() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let object = deployment();
    let env = Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap();
    let programs: Vec<Program> = VAP_EXPRESSIONS
        .iter()
        .map(|e| Program::compile(&env, e).unwrap())
        .collect();
    let request = || {
        let vars = VapVars::new(Some(&object), None, None, None, None);
        for p in &programs {
            assert!(p.eval(&|n| vars.resolve(n), &NoOpinion).result.is_ok());
        }
    };
    request();
    let before = dhat::HeapStats::get();
    request();
    let ours = dhat::HeapStats::get().total_blocks - before.total_blocks;

    let raw_env = Arc::new(cel::Env::stdlib());
    let raw: Vec<cel::Program> = VAP_EXPRESSIONS
        .iter()
        .filter(|e| !e.contains("quantity("))
        .map(|e| {
            raw_env
                .compile(&e.replace("<= 5", "<= 5u").replace("== 8080", "== 8080u"))
                .unwrap()
        })
        .collect();
    let raw_request = || {
        let mut ctx = cel::Context::with_env(Arc::clone(&raw_env));
        ctx.add_variable("object", &object).unwrap();
        for p in &raw {
            assert!(p.execute(&ctx).is_ok());
        }
    };
    raw_request();
    let before = dhat::HeapStats::get();
    raw_request();
    let theirs = dhat::HeapStats::get().total_blocks - before.total_blocks;
    println!(
        "allocations per request: palisade {ours} (10 expressions), cel crate {theirs} ({} expressions)",
        raw.len()
    );
    assert!(ours < theirs, "palisade {ours} vs cel crate {theirs}");
}
