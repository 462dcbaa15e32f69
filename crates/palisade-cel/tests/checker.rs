//! The type checker: each error kind with cel-go's text and caret, deduced types for every
//! library, version gating, and a property: for random well-typed expressions the deduced type
//! is the type of the value the evaluation produces.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_cel::check::{self, Type};
use palisade_cel::k8s::{EnvType, MAX_MINOR};
use palisade_cel::{Env, Extension, Program, authz::NoOpinion};
use proptest::prelude::*;

fn k8s() -> Env {
    Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap()
}

fn k8s_at(minor: u32) -> Env {
    Env::kubernetes(minor, EnvType::Stored, None).unwrap()
}

/// The checker's type as cel-go prints it.
fn ty(env: &Env, expr: &str) -> String {
    match check::check(env, expr) {
        Ok(t) => t.to_string(),
        Err(e) => panic!("{expr}: {e}"),
    }
}

/// The whole compile error text.
fn err(env: &Env, expr: &str) -> String {
    match Program::compile(env, expr) {
        Ok(p) => panic!("{expr}: compiled, type {:?}", p.result_type()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn undeclared_reference() {
    assert_eq!(
        err(&k8s(), "x + 1"),
        "ERROR: <input>:1:1: undeclared reference to 'x' (in container '')\n | x + 1\n | ^"
    );
    // An undeclared function names the function, at its call.
    assert_eq!(
        err(&k8s(), "nope(1)"),
        "ERROR: <input>:1:5: undeclared reference to 'nope' (in container '')\n | nope(1)\n | ....^"
    );
}

#[test]
fn no_matching_overload() {
    assert_eq!(
        err(&k8s(), "1 + 'a'"),
        "ERROR: <input>:1:3: found no matching overload for '_+_' applied to '(int, string)'\n | 1 + 'a'\n | ..^"
    );
    // Receiver calls print the target before the arguments.
    assert!(
        err(&k8s(), "['a', 'b'].sum() == 'c'")
            .contains("found no matching overload for 'sum' applied to 'list(string).()'")
    );
    assert!(
        err(&k8s(), "[[1], [2]].min() == [1]")
            .contains("found no matching overload for 'min' applied to 'list(list(int)).()'")
    );
    assert!(
        err(&k8s(), "isQuantity([1, 2, 3])")
            .contains("found no matching overload for 'isQuantity' applied to '(list(int))'")
    );
    // Equality wants one type on both sides; null only meets nullable types.
    assert!(
        err(&k8s(), "1 == 1.0")
            .contains("found no matching overload for '_==_' applied to '(int, double)'")
    );
    assert!(
        err(&k8s(), "true ? 'big' : null").contains(
            "found no matching overload for '_?_:_' applied to '(bool, string, null_type)'"
        )
    );
    // A macro's predicate is an argument of the operator it expands to.
    assert!(
        err(&k8s(), "[1].all(x, x)")
            .contains("found no matching overload for '_&&_' applied to '(bool, int)'")
    );
}

#[test]
fn undefined_field_and_field_selection() {
    assert_eq!(
        err(&k8s(), "request.nmae == 'x'"),
        "ERROR: <input>:1:8: undefined field 'nmae'\n | request.nmae == 'x'\n | .......^"
    );
    assert!(
        err(&k8s(), "request.userInfo.name == 'x'").contains("undefined field 'name'"),
        "nested object types are checked too"
    );
    assert!(err(&k8s(), "'abc'.size").contains("type 'string' does not support field selection"));
    // dyn and maps select anything.
    assert_eq!(ty(&k8s(), "object.spec.replicas"), "dyn");
    assert_eq!(ty(&k8s(), "{'a': 1}.a"), "int");
    assert_eq!(ty(&k8s(), "request.userInfo.groups"), "list(string)");
    assert_eq!(ty(&k8s(), "has(request.name)"), "bool");
}

#[test]
fn heterogeneous_aggregate_literals() {
    assert_eq!(
        err(&k8s(), "[1, 'a']"),
        "ERROR: <input>:1:5: expected type 'int' but found 'string'\n | [1, 'a']\n | ....^"
    );
    assert!(err(&k8s(), "{'a': 1, 'b': true}").contains("expected type 'int' but found 'bool'"));
    assert!(
        err(&k8s(), "[1, 'a', false].filter(x, string(x) == 'a')")
            .contains("expected type 'int' but found 'string'")
    );
    // The arguments of format are exempt, and outside Kubernetes mixed literals are dyn.
    assert_eq!(ty(&k8s(), "'%d %s'.format([1, 'a'])"), "string");
    let mut spec = Env::spec(&[]);
    spec.set_checked(true);
    assert_eq!(ty(&spec, "[1, 'a']"), "list(dyn)");
    assert_eq!(ty(&spec, "[1, 2]"), "list(int)");
}

#[test]
fn format_exempts_only_its_own_literals() {
    // A literal argument of format, and literals nested in it, may mix types...
    assert_eq!(ty(&k8s(), "'%s'.format([[1, 'a']])"), "string");
    // ...but a literal under another call inside format's arguments may not.
    assert!(
        err(&k8s(), "'%d'.format([[1, 'a'].size()])")
            .contains("expected type 'int' but found 'string'")
    );
    // Map literals report every entry that differs from the first.
    let text = err(&k8s(), "{'a': 1, 'b': 'x', 'c': true}");
    assert!(
        text.contains("ERROR: <input>:1:15: expected type 'int' but found 'string'"),
        "{text}"
    );
    assert!(
        text.contains("ERROR: <input>:1:25: expected type 'int' but found 'bool'"),
        "{text}"
    );
}

#[test]
fn literal_validators_from_1_29() {
    assert_eq!(
        err(&k8s(), "object.x < duration('1x')"),
        "ERROR: <input>:1:21: invalid duration argument\n | object.x < duration('1x')\n | ....................^"
    );
    assert!(
        err(&k8s(), "timestamp('yesterday') < object.t")
            .contains("ERROR: <input>:1:11: invalid timestamp argument")
    );
    assert!(err(&k8s(), "object.name.matches('[')").contains("invalid matches argument"));
    assert_eq!(ty(&k8s(), "object.x < duration('1h')"), "bool");
    // 1.28 has no literal validators: the constant call fails while planning the program.
    let text = err(&k8s_at(28), "object.x < duration('1x')");
    assert!(text.starts_with("program instantiation failed: "), "{text}");
}

#[test]
fn comprehension_ranges_and_optional_entries() {
    assert!(err(&k8s(), "1.all(x, x > 0)").contains(
        "expression of type 'int' cannot be range of a comprehension (must be list, map, or dynamic)"
    ));
    assert!(err(&k8s(), "[?1]").contains("expected type 'optional_type(int)' but found 'int'"));
    assert_eq!(ty(&k8s(), "[?optional.of(1)]"), "list(int)");
}

#[test]
fn macro_errors_are_parse_errors_reported_before_checking() {
    // cel-go rejects a bad macro argument while parsing; the undeclared `y` is never checked.
    let text = err(&k8s(), "[1].all(1, true) && y");
    assert!(text.contains("argument must be a simple name"), "{text}");
    assert!(!text.contains("undeclared reference"), "{text}");
}

#[test]
fn errors_are_reported_in_source_order() {
    let text = err(&k8s(), "a + b");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "ERROR: <input>:1:1: undeclared reference to 'a' (in container '')"
    );
    assert_eq!(
        lines[3],
        "ERROR: <input>:1:5: undeclared reference to 'b' (in container '')"
    );
}

#[test]
fn constant_regex_errors_fail_at_compile_time() {
    let text = err(&k8s(), "'this is a 123 string 456'.find(')') == ''");
    assert!(text.starts_with("program instantiation failed: "), "{text}");
    assert!(text.contains("error parsing regexp"), "{text}");
}

#[test]
fn standard_library_types() {
    let spec = {
        let mut e = Env::spec(&[]);
        e.set_checked(true);
        e
    };
    for (expr, want) in [
        ("1 + 2", "int"),
        ("1u * 2u", "uint"),
        ("1.5 / 2.0", "double"),
        ("'a' + 'b'", "string"),
        ("b'a'", "bytes"),
        ("null", "null_type"),
        ("[]", "list(dyn)"),
        ("{}", "map(dyn, dyn)"),
        ("[[1], []]", "list(list(int))"),
        ("{'a': [1]}", "map(string, list(int))"),
        ("type(1)", "type(int)"),
        ("int", "type(int)"),
        ("dyn(1)", "dyn"),
        ("size('abc')", "int"),
        ("'abc'.startsWith('a')", "bool"),
        (
            "timestamp('2024-01-01T00:00:00Z')",
            "google.protobuf.Timestamp",
        ),
        (
            "timestamp('2024-01-01T00:00:00Z') - timestamp('2023-01-01T00:00:00Z')",
            "google.protobuf.Duration",
        ),
        ("duration('1s').getSeconds()", "int"),
        ("[1, 2].map(x, x * 2)", "list(int)"),
        ("[1, 2].map(x, x > 1, string(x))", "list(string)"),
        ("[1, 2].filter(x, x > 1)", "list(int)"),
        ("{'a': 1}.exists(k, k == 'a')", "bool"),
        ("[1, 2][0]", "int"),
        ("{'a': true}['a']", "bool"),
        ("true ? 1 : 2", "int"),
        ("1 in [1, 2]", "bool"),
    ] {
        assert_eq!(ty(&spec, expr), want, "{expr}");
    }
}

#[test]
fn kubernetes_library_types() {
    let env = k8s();
    for (expr, want) in [
        ("[1, 2].sum()", "int"),
        ("[1.0].max()", "double"),
        ("['a'].isSorted()", "bool"),
        ("[1, 2].indexOf(2)", "int"),
        ("'abc'.find('b')", "string"),
        ("'abc'.findAll('b')", "list(string)"),
        ("url('https://x.io').getHost()", "string"),
        (
            "url('https://x.io').getQuery()",
            "map(string, list(string))",
        ),
        ("quantity('1Gi')", "kubernetes.Quantity"),
        ("quantity('1Gi').add(1).asInteger()", "int"),
        ("ip('10.0.0.1').family()", "int"),
        ("cidr('10.0.0.0/8').ip()", "net.IP"),
        ("cidr('10.0.0.0/8').containsIP('10.0.0.1')", "bool"),
        ("string(ip('10.0.0.1'))", "string"),
        ("semver('1.2.3').major()", "int"),
        ("semver('1.2.3').isLessThan(semver('1.2.4'))", "bool"),
        (
            "format.named('dns1123Label')",
            "optional_type(kubernetes.NamedFormat)",
        ),
        ("'a,b'.split(',')", "list(string)"),
        ("['a'].join(',')", "string"),
        ("sets.contains([1], [1])", "bool"),
        ("[1, 1].distinct()", "list(int)"),
        ("[[1], [2]].flatten()", "list(int)"),
        ("[1].first()", "optional_type(int)"),
        ("optional.of(1).orValue(2)", "int"),
        ("optional.none()", "optional_type(dyn)"),
        ("{'a': 1}.?a", "optional_type(int)"),
        ("[1].transformList(i, v, v * i)", "list(int)"),
        ("{'a': 1}.transformMap(k, v, v > 0)", "map(string, bool)"),
        (
            "authorizer.group('apps').resource('deployments').check('get').allowed()",
            "bool",
        ),
        ("authorizer.requestResource.check('get').reason()", "string"),
        ("request.operation", "string"),
        ("request.kind.group", "string"),
        ("namespaceObject.metadata", "dyn"),
        ("params", "dyn"),
    ] {
        assert_eq!(ty(&env, expr), want, "{expr}");
    }
}

#[test]
fn extension_types_in_the_spec_environment() {
    let mut env = Env::spec(&[
        Extension::Strings,
        Extension::Math,
        Extension::Encoders,
        Extension::Bindings,
        Extension::Optionals,
    ]);
    env.set_checked(true);
    for (expr, want) in [
        ("'abc'.charAt(1)", "string"),
        ("'abc'.upperAscii()", "string"),
        ("math.sqrt(4)", "double"),
        ("math.bitShiftLeft(1u, 2)", "uint"),
        ("base64.encode(b'a')", "string"),
        ("cel.bind(x, 'a', x + x)", "string"),
        (
            "optional.of(1).optMap(x, string(x))",
            "optional_type(string)",
        ),
    ] {
        assert_eq!(ty(&env, expr), want, "{expr}");
    }
}

#[test]
fn declared_variables_and_functions() {
    let mut env = Env::spec(&[]);
    env.set_checked(true);
    env.declare_typed_var("m", check::parse_type("map(string, list(int))").unwrap());
    env.declare_function(
        "fn",
        check::parse_overload("(string, int) -> string").unwrap(),
    );
    assert_eq!(ty(&env, "m['a'][0]"), "int");
    assert_eq!(ty(&env, "fn('a', 1)"), "string");
    assert!(
        err(&env, "fn(1, 'a')")
            .contains("found no matching overload for 'fn' applied to '(int, string)'")
    );
}

#[test]
fn version_gating() {
    // ip() arrived in 1.30, semver in 1.33, two-variable comprehensions in 1.32.
    assert!(
        err(&k8s_at(29), "ip('10.0.0.1')")
            .contains("undeclared reference to 'ip' (in container '')")
    );
    assert_eq!(ty(&k8s_at(30), "ip('10.0.0.1')"), "net.IP");
    assert!(
        err(&k8s_at(32), "isSemver('1.0.0')")
            .contains("undeclared reference to 'isSemver' (in container '')")
    );
    assert_eq!(ty(&k8s_at(33), "isSemver('1.0.0')"), "bool");
    // Cross-type numeric ordering arrived with 1.28.
    assert!(
        err(&k8s_at(27), "size('a') < 1.5")
            .contains("found no matching overload for '_<_' applied to '(int, double)'")
    );
    assert_eq!(ty(&k8s_at(28), "size('a') < 1.5"), "bool");
    assert!(err(&k8s_at(31), "[1].all(i, v, v > 0)").contains("undeclared reference to 'all'"));
    assert_eq!(ty(&k8s_at(32), "[1].all(i, v, v > 0)"), "bool");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}1{}", "[".repeat(400), "]".repeat(400));
    assert!(check::check(&k8s(), &deep).is_err());
    let long = vec!["1"; 2000].join(" + ");
    assert!(check::check(&k8s(), &long).is_err());
}

/// A random well-typed expression of the given primitive type ("int", "string", "bool",
/// "double", "list"), built from a small grammar.
fn expr_of(kind: &'static str) -> BoxedStrategy<String> {
    let leaf = match kind {
        "int" => (-100i64..100).prop_map(|i| i.to_string()).boxed(),
        "double" => (-100i64..100).prop_map(|i| format!("{i}.5")).boxed(),
        "string" => "[a-z]{0,4}".prop_map(|s| format!("'{s}'")).boxed(),
        "bool" => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        _ => (-5i64..5).prop_map(|i| format!("[{i}]")).boxed(),
    };
    leaf.prop_recursive(3, 16, 3, move |inner| {
        let cond = (any::<bool>(), inner.clone(), inner.clone())
            .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})"));
        let same = match kind {
            "int" => prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
                inner.clone().prop_map(|a| format!("size(string({a}))")),
                inner
                    .clone()
                    .prop_map(|a| format!("[{a}, 1].map(x, x * 2)[0]")),
            ]
            .boxed(),
            "double" => (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("({a} * {b})"))
                .boxed(),
            "string" => prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
                inner.clone().prop_map(|a| format!("string(size({a}))")),
            ]
            .boxed(),
            "bool" => prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} && {b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} == {b})")),
                inner.clone().prop_map(|a| format!("[{a}].exists(x, x)")),
            ]
            .boxed(),
            _ => (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("({a} + {b})"))
                .boxed(),
        };
        prop_oneof![cond, same]
    })
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn deduced_type_is_the_value_type(
        (kind, expr) in prop_oneof![
            expr_of("int").prop_map(|e| ("int", e)),
            expr_of("double").prop_map(|e| ("double", e)),
            expr_of("string").prop_map(|e| ("string", e)),
            expr_of("bool").prop_map(|e| ("bool", e)),
            expr_of("list").prop_map(|e| ("list", e)),
        ]
    ) {
        let env = k8s();
        let program = Program::compile(&env, &expr).unwrap();
        let deduced = program.result_type().unwrap().clone();
        let want = if kind == "list" { Type::list(Type::Int) } else {
            check::parse_type(kind).unwrap()
        };
        prop_assert_eq!(&deduced, &want, "{}", expr);
        if let Ok(v) = program.eval(&|_| None, &NoOpinion).result {
            prop_assert_eq!(v.type_name(), kind, "{}", expr);
        }
    }
}
