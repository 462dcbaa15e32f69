//! `pss`: parse + evaluate a typical 4.5 KB restricted pod from JSON bytes, beside two
//! baselines on the same bytes in the same run: building the `serde_json::Value` DOM, and
//! decoding into `k8s_openapi`'s typed Pod. Goal: faster than the DOM, ≥ 3x faster than the
//! typed decode.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade::pss::{Evaluator, Level, LevelVersion, Pod, Version};
use palisade_benches::{restricted_pod_json, violating_pod_json};

fn parse_and_evaluate(c: &mut Criterion) {
    let bytes = restricted_pod_json();
    let evaluator = Evaluator::new();
    let lv = LevelVersion::new(Level::Restricted, Version::Latest);
    assert!(
        evaluator
            .evaluate(lv, &Pod::from_json(&bytes).unwrap())
            .allowed()
    );

    let mut g = c.benchmark_group("pss/parse+evaluate");
    g.bench_function("palisade", |b| {
        b.iter(|| {
            let pod = Pod::from_json(black_box(&bytes)).unwrap();
            black_box(evaluator.evaluate(lv, &pod).allowed())
        })
    });
    g.bench_function("baseline: serde_json::Value", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<serde_json::Value>(black_box(&bytes)).unwrap())
        })
    });
    g.bench_function("baseline: k8s_openapi Pod", |b| {
        b.iter(|| {
            black_box(
                serde_json::from_slice::<k8s_openapi::api::core::v1::Pod>(black_box(&bytes))
                    .unwrap(),
            )
        })
    });
    g.finish();

    let pod = Pod::from_json(&bytes).unwrap();
    let bad_bytes = violating_pod_json();
    let bad = Pod::from_json(&bad_bytes).unwrap();
    let mut g = c.benchmark_group("pss/evaluate");
    g.bench_function("allowed", |b| {
        b.iter(|| black_box(evaluator.evaluate(lv, black_box(&pod)).allowed()))
    });
    g.bench_function("denied + message", |b| {
        b.iter(|| black_box(evaluator.evaluate(lv, black_box(&bad)).message()))
    });
    g.finish();
}

criterion_group!(benches, parse_and_evaluate);
criterion_main!(benches, floor_benches);

fn floor(c: &mut Criterion) {
    let bytes = restricted_pod_json();
    let mut g = c.benchmark_group("pss/floor");
    g.bench_function("IgnoredAny", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&bytes)).unwrap())
        })
    });
    g.bench_function("Pod::from_json", |b| {
        b.iter(|| black_box(Pod::from_json(black_box(&bytes)).unwrap()))
    });
    g.finish();
}
criterion_group!(floor_benches, floor);
