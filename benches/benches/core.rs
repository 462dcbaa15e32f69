//! `core/quantity`: parse a pod's worth of resource quantities (requests and limits as
//! written in manifests) and compare each pair, as a limit check does, beside a naive baseline
//! in the same run that reads the same texts as `f64` (strip the suffix, scale) and compares
//! the floats. The baseline is what a quick reimplementation would do; palisade's parse is
//! exact (upstream's decimal arithmetic) and should stay within a small factor of it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade::core::quantity::Quantity;

/// Requests and limits of a typical multi-container pod, in pairs (request, limit).
const PAIRS: [(&str, &str); 10] = [
    ("100m", "500m"),
    ("128Mi", "512Mi"),
    ("250m", "1"),
    ("64Mi", "256Mi"),
    ("0.5", "2"),
    ("1Gi", "2Gi"),
    ("10m", "100m"),
    ("32Mi", "64Mi"),
    ("1.5", "1500m"),
    ("1G", "1Gi"),
];

/// The naive baseline: a float reading of the common suffixes.
fn naive(s: &str) -> f64 {
    let (num, mult) = match s.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => {
            let m = match &s[i..] {
                "n" => 1e-9,
                "u" => 1e-6,
                "m" => 1e-3,
                "k" => 1e3,
                "M" => 1e6,
                "G" => 1e9,
                "T" => 1e12,
                "Ki" => 1024.0,
                "Mi" => 1048576.0,
                "Gi" => 1073741824.0,
                "Ti" => 1099511627776.0,
                _ => f64::NAN,
            };
            (&s[..i], m)
        }
        None => (s, 1.0),
    };
    num.parse::<f64>().unwrap_or(f64::NAN) * mult
}

fn quantity(c: &mut Criterion) {
    for (a, b) in PAIRS {
        let (qa, qb) = (Quantity::parse(a).unwrap(), Quantity::parse(b).unwrap());
        assert_eq!(
            qa.cmp(&qb),
            naive(a).partial_cmp(&naive(b)).unwrap(),
            "{a} {b}"
        );
    }
    let mut g = c.benchmark_group("core/quantity");
    g.bench_function("parse+cmp: palisade", |bench| {
        bench.iter(|| {
            let mut below = 0;
            for (a, b) in black_box(PAIRS) {
                let (qa, qb) = (Quantity::parse(a).unwrap(), Quantity::parse(b).unwrap());
                below += usize::from(qa <= qb);
            }
            black_box(below)
        })
    });
    g.bench_function("parse+cmp: baseline naive f64", |bench| {
        bench.iter(|| {
            let mut below = 0;
            for (a, b) in black_box(PAIRS) {
                below += usize::from(naive(a) <= naive(b));
            }
            black_box(below)
        })
    });
    g.bench_function("print: palisade", |bench| {
        // Results of arithmetic print in canonical form (parsed text may print as written).
        let zero = Quantity::parse("0").unwrap();
        let parsed: Vec<Quantity> = PAIRS
            .iter()
            .flat_map(|(a, b)| [*a, *b])
            .map(|s| Quantity::parse(s).unwrap().checked_add(&zero).unwrap())
            .collect();
        bench.iter(|| {
            let mut n = 0;
            for q in black_box(&parsed) {
                n += q.to_string().len();
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, quantity);
criterion_main!(benches);
