//! Limits that bound the work of an untrusted expression, each with the error Kubernetes
//! gives when it is reached (see SECURITY.md for the whole table).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_cel::k8s::{EnvType, MAX_MINOR};
use palisade_cel::{Env, Program, authz::NoOpinion};

fn k8s() -> Env {
    Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap()
}

/// RE2 (and Go's regexp) refuse a pattern whose compiled program would be too large. From
/// 1.29 cel-go's literal validator rejects a constant pattern at compile time; before, it is
/// refused while the program is planned; a computed one is refused when it runs.
#[test]
fn a_regex_too_large_to_compile_is_refused() {
    let env = k8s();
    let source = "'a'.matches('((a{1000}){1000}){1000}')";
    let e = Program::compile(&env, source).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("ERROR: <input>:1:13: invalid matches argument\n | {source}\n | ............^")
    );
    let old = Env::kubernetes(28, EnvType::Stored, None).unwrap();
    assert_eq!(
        Program::compile(&old, source).unwrap_err().to_string(),
        "program instantiation failed: error parsing regexp: expression too large"
    );
    let p = Program::compile(&env, "'a'.matches(object.pattern)").unwrap();
    let object = serde_json::json!({"pattern": "((a{1000}){1000}){1000}"});
    let vars = palisade_cel::k8s::activation::VapVars::new(Some(&object), None, None, None, None);
    let out = p.eval(&|n| vars.resolve(n), &NoOpinion);
    assert_eq!(
        out.result.unwrap_err().message,
        "error parsing regexp: expression too large"
    );
}

/// Building a large string or list is paid for in cost, so the per-call limit bounds the
/// memory an expression can claim, not only its time.
#[test]
fn large_values_run_into_the_cost_limit() {
    let env = k8s();
    let p = Program::compile(
        &env,
        "lists.range(100000).map(i, string(i)).join(',').size() > 0",
    )
    .unwrap();
    let out = p.eval(&|_| None, &NoOpinion);
    assert_eq!(
        out.result.unwrap_err().message,
        "operation cancelled: actual cost limit exceeded"
    );
}

/// cel-go refuses an expression of more than 100,000 code points before parsing it, and
/// reports it at no location (`-1:0`, no snippet).
#[test]
fn an_expression_over_the_size_limit_is_refused() {
    let env = k8s();
    // 100,000 code points of which many take several bytes: at the limit, not over it.
    let at_limit = format!("'{}'", "é".repeat(99_998));
    assert_eq!(at_limit.chars().count(), 100_000);
    assert!(Program::compile(&env, &at_limit).is_ok());
    let over = format!("'{}'", "é".repeat(99_999));
    assert_eq!(
        Program::compile(&env, &over).unwrap_err().to_string(),
        "ERROR: <input>:-1:0: expression code point size exceeds limit: size: 100001, limit 100000"
    );
}
