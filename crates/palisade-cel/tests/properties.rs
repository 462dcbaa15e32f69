//! Properties: evaluation never panics on any source or object; `string(int(x))` round-trips;
//! list functions agree with a naive model.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_cel::json_out::to_json;
use palisade_cel::k8s::activation::VapVars;
use palisade_cel::k8s::{EnvType, MAX_MINOR};
use palisade_cel::{Env, Program, Value, authz::NoOpinion};
use proptest::prelude::*;
use serde_json::json;

fn env() -> Env {
    Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap()
}

fn run(env: &Env, expr: &str) -> Option<serde_json::Value> {
    let p = Program::compile(env, expr).ok()?;
    p.eval(&|_| None, &NoOpinion)
        .result
        .ok()
        .map(|v| to_json(&v))
}

const PIECES: &[&str] = &[
    "object",
    ".spec",
    ".a",
    "[0]",
    "['k']",
    " + ",
    " - ",
    " * ",
    " / ",
    " % ",
    " == ",
    " < ",
    " && ",
    " || ",
    "!",
    "-",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "1",
    "2u",
    "3.5",
    "'s'",
    "b'x'",
    "null",
    "true",
    ".size()",
    ".all(x, x)",
    ".map(x, x)",
    ".exists(x, ",
    "has(",
    "?",
    ".?b",
    "int(",
    "string(",
    "quantity('1k')",
    ".matches('a+')",
    "x",
    "dyn(",
    "optional.of(",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn evaluation_never_panics(parts in prop::collection::vec(0..PIECES.len(), 0..24), n in any::<i64>(), s in ".{0,12}") {
        let expr: String = parts.iter().map(|i| PIECES[*i]).collect();
        let env = env();
        let object = json!({"spec": {"a": n, "b": s, "c": [1, 2.5, "x", null, {"k": true}]}, "a": [n]});
        if let Ok(p) = Program::compile(&env, &expr) {
            let vars = VapVars::new(Some(&object), None, None, None, None);
            let _ = p.eval(&|name| vars.resolve(name), &NoOpinion);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(src in "\\PC{0,40}") {
        let env = env();
        if let Ok(p) = Program::compile(&env, &src) {
            let _ = p.eval(&|_| None, &NoOpinion);
        }
    }

    #[test]
    fn string_int_round_trip(x in any::<i64>()) {
        let env = env();
        prop_assert_eq!(run(&env, &format!("int(string({x}))")), Some(json!(x)));
        prop_assert_eq!(run(&env, &format!("string(int('{x}'))")), Some(json!(x.to_string())));
    }

    #[test]
    fn list_functions_agree_with_a_model(xs in prop::collection::vec(-1000i64..1000, 0..12), a in 0usize..12, b in 0usize..12) {
        let env = env();
        let lit = format!("[{}]", xs.iter().map(i64::to_string).collect::<Vec<_>>().join(", "));
        prop_assert_eq!(run(&env, &format!("{lit}.sum()")), Some(json!(xs.iter().sum::<i64>())));
        prop_assert_eq!(run(&env, &format!("size({lit})")), Some(json!(xs.len())));
        if let Some(m) = xs.iter().max() {
            prop_assert_eq!(run(&env, &format!("{lit}.max()")), Some(json!(m)));
        }
        let mut sorted = xs.clone();
        sorted.sort();
        prop_assert_eq!(run(&env, &format!("{lit}.sort()")), Some(json!(sorted)));
        prop_assert_eq!(run(&env, &format!("{lit}.isSorted()")), Some(json!(xs.windows(2).all(|w| w[0] <= w[1]))));
        let mut rev = xs.clone();
        rev.reverse();
        prop_assert_eq!(run(&env, &format!("{lit}.reverse()")), Some(json!(rev)));
        let (lo, hi) = (a.min(b), a.max(b));
        if hi <= xs.len() {
            prop_assert_eq!(run(&env, &format!("{lit}.slice({lo}, {hi})")), Some(json!(xs[lo..hi].to_vec())));
        }
        let mut distinct: Vec<i64> = Vec::new();
        for x in &xs {
            if !distinct.contains(x) {
                distinct.push(*x);
            }
        }
        prop_assert_eq!(run(&env, &format!("{lit}.distinct()")), Some(json!(distinct)));
        prop_assert_eq!(run(&env, &format!("{lit}.filter(x, x > 0)")), Some(json!(xs.iter().filter(|x| **x > 0).collect::<Vec<_>>())));
        prop_assert_eq!(run(&env, &format!("{lit}.map(x, x * 2)")), Some(json!(xs.iter().map(|x| x * 2).collect::<Vec<_>>())));
        let first = xs.iter().position(|x| *x == 7).map_or(-1, |i| i as i64);
        prop_assert_eq!(run(&env, &format!("{lit}.indexOf(7)")), Some(json!(first)));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let env = env();
    let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || assert!(Program::compile(&env, &deep).is_err()))
        .unwrap()
        .join()
        .unwrap();
    let _ = Value::Null;
}
