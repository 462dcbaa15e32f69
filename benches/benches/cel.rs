//! `cel`: ten realistic ValidatingAdmissionPolicy expressions over a 4 KB Deployment. Per
//! request = bind the object + evaluate all ten. Beside it in the same run, the raw `cel` crate:
//! bind the same `serde_json::Value` (converted into its values) + evaluate the same
//! expressions where it can (it has no `quantity`; JSON integers bind as `uint` there, so the
//! replicas check compares with `5u`). Goal: ≥ 10x faster per request, and no expression slower in
//! evaluation alone.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade::cel::authz::NoOpinion;
use palisade::cel::k8s::activation::VapVars;
use palisade::cel::k8s::{EnvType, MAX_MINOR};
use palisade::cel::{Env, Program, Value};
use palisade_benches::{VAP_EXPRESSIONS, deployment};

/// The expression as the raw `cel` crate can run it, if it can.
fn raw_source(expr: &str) -> Option<String> {
    if expr.contains("quantity(") {
        return None;
    }
    Some(expr.replace("<= 5", "<= 5u").replace("== 8080", "== 8080u"))
}

fn bench(c: &mut Criterion) {
    let object = deployment();
    let env = Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap();
    let programs: Vec<Program> = VAP_EXPRESSIONS
        .iter()
        .map(|e| Program::compile(&env, e).unwrap())
        .collect();
    for p in &programs {
        let vars = VapVars::new(Some(&object), None, None, None, None);
        let out = p.eval(&|n| vars.resolve(n), &NoOpinion);
        assert!(
            matches!(out.result, Ok(Value::Bool(true))),
            "{:?}",
            out.result
        );
    }
    let raw_env = Arc::new(cel::Env::stdlib());
    let raw: Vec<(usize, cel::Program)> = VAP_EXPRESSIONS
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            raw_source(e)
                .and_then(|s| raw_env.compile(&s).ok())
                .map(|p| (i, p))
        })
        .collect();
    let raw_context = || {
        let mut ctx = cel::Context::with_env(Arc::clone(&raw_env));
        ctx.add_variable("object", &object).unwrap();
        ctx
    };
    {
        let ctx = raw_context();
        for (i, p) in &raw {
            assert_eq!(
                p.execute(&ctx),
                Ok(cel::Value::Bool(true)),
                "raw cel: {}",
                VAP_EXPRESSIONS[*i]
            );
        }
    }

    let mut g = c.benchmark_group("cel/request (bind + 10 expressions)");
    g.bench_function("palisade", |b| {
        b.iter(|| {
            let vars = VapVars::new(Some(black_box(&object)), None, None, None, None);
            for p in &programs {
                black_box(p.eval(&|n| vars.resolve(n), &NoOpinion).result.is_ok());
            }
        })
    });
    g.bench_function(
        format!("baseline: cel crate ({} of 10 expressions)", raw.len()),
        |b| {
            b.iter(|| {
                let ctx = raw_context();
                for (_, p) in &raw {
                    black_box(p.execute(&ctx).is_ok());
                }
            })
        },
    );
    g.finish();

    let vars = VapVars::new(Some(&object), None, None, None, None);
    let ctx = raw_context();
    let mut g = c.benchmark_group("cel/evaluate");
    for (i, p) in &raw {
        g.bench_function(format!("#{i} palisade"), |b| {
            b.iter(|| {
                black_box(
                    programs[*i]
                        .eval(&|n| vars.resolve(n), &NoOpinion)
                        .result
                        .is_ok(),
                )
            })
        });
        g.bench_function(format!("#{i} baseline: cel crate"), |b| {
            b.iter(|| black_box(p.execute(&ctx).is_ok()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
