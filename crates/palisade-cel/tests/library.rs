//! Library functions, one or more checks each, with the values and errors cel-go and the
//! Kubernetes libraries give (from their documentation and sources).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_cel::json_out::to_json;
use palisade_cel::k8s::activation::{VapVars, normalize_request};
use palisade_cel::k8s::{EnvType, MAX_MINOR};
use palisade_cel::{CompileError, Env, Program, authz::NoOpinion};
use serde_json::{Value as Json, json};

fn k8s() -> Env {
    Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap()
}

/// Evaluates in the newest stored environment: `(value as JSON, type)` or the error text.
fn eval(expr: &str) -> Result<(Json, String), String> {
    let program = Program::compile(&k8s(), expr).map_err(|e| e.to_string())?;
    let out = program.eval(&|_| None, &NoOpinion);
    out.result
        .map(|v| (to_json(&v), v.type_name().to_string()))
        .map_err(|e| e.message)
}

fn value(expr: &str) -> Json {
    eval(expr).unwrap_or_else(|e| panic!("{expr}: {e}")).0
}

fn compile_error(expr: &str) -> String {
    match Program::compile(&k8s(), expr) {
        Ok(_) => panic!("{expr}: expected a compile error"),
        Err(e) => e.to_string(),
    }
}

fn error(expr: &str) -> String {
    match eval(expr) {
        Ok(v) => panic!("{expr}: expected an error, got {v:?}"),
        Err(e) => e,
    }
}

#[test]
fn arithmetic_and_errors() {
    assert_eq!(eval("1 + 2").unwrap(), (json!(3), "int".into()));
    assert_eq!(eval("3u * 2u").unwrap(), (json!(6), "uint".into()));
    assert_eq!(value("7 / 2"), json!(3));
    assert_eq!(value("-7 % 3"), json!(-1));
    assert_eq!(value("1.0 / 0.0"), json!("+Inf"));
    assert!(error("9223372036854775807 + 1").contains("integer overflow"));
    assert!(error("0u - 1u").contains("unsigned integer overflow"));
    assert!(error("dyn(1) / 0").contains("division by zero"));
    assert!(error("dyn(1) % 0").contains("modulus by zero"));
    assert_eq!(error("[dyn(1)].map(x, x + 'a')"), "no such overload");
}

#[test]
fn equality_and_ordering_across_numbers() {
    // Equality takes one type on both sides: mixed numbers compare equal only through dyn.
    assert!(
        compile_error("1 == 1.0")
            .contains("found no matching overload for '_==_' applied to '(int, double)'")
    );
    assert_eq!(value("dyn(1) == 1.0"), json!(true));
    assert_eq!(value("1u < 2"), json!(true));
    assert_eq!(value("dyn(1) == 'a'"), json!(false));
    assert_eq!(value("[1, 2] == [dyn(1.0), dyn(2u)]"), json!(true));
    assert_eq!(value("{'a': 1} == {'a': dyn(1.0)}"), json!(true));
}

#[test]
fn conversions() {
    assert_eq!(value("int('42')"), json!(42));
    assert_eq!(value("int(2.9)"), json!(2));
    assert_eq!(value("uint(42)"), json!(42));
    assert_eq!(value("double('1e3')"), json!(1000.0));
    assert_eq!(value("string(1.5)"), json!("1.5"));
    assert_eq!(value("string(1e21)"), json!("1e+21"));
    assert_eq!(value("string(b'abc')"), json!("abc"));
    assert_eq!(value("bool('true')"), json!(true));
    assert_eq!(value("type(1) == int"), json!(true));
    assert_eq!(value("string(duration('1h30m'))"), json!("5400s"));
    assert_eq!(
        value("string(timestamp('2024-01-02T03:04:05Z') + duration('1s'))"),
        json!("2024-01-02T03:04:06Z")
    );
    assert!(error("int(dyn('abc'))").contains("type conversion error from 'string' to 'int'"));
}

#[test]
fn constant_errors_fail_program_instantiation() {
    let err = Program::compile(&k8s(), "int('abc')").unwrap_err();
    assert!(
        matches!(err, CompileError::Instantiation(ref m) if m.starts_with("program instantiation failed: ")),
        "{err}"
    );
    // Before 1.29 a bad constant regex fails while planning; from 1.29 cel-go's literal
    // validator rejects it while checking.
    let old = Env::kubernetes(28, EnvType::Stored, None).unwrap();
    let err = Program::compile(&old, "'x'.matches('(')").unwrap_err();
    assert!(err.to_string().contains("error parsing regexp"), "{err}");
    let err = Program::compile(&k8s(), "'x'.matches('(')").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("ERROR: <input>:1:13: invalid matches argument"),
        "{err}"
    );
}

#[test]
fn timestamps_and_durations() {
    assert_eq!(
        value("timestamp('2009-02-13T23:31:30Z').getFullYear()"),
        json!(2009)
    );
    assert_eq!(
        value("timestamp('2009-02-13T23:31:30Z').getMonth()"),
        json!(1)
    );
    assert_eq!(
        value("timestamp('2009-02-13T23:31:30Z').getDayOfWeek()"),
        json!(5)
    );
    assert_eq!(
        value("timestamp('2009-02-13T23:31:30Z').getHours('+05:30')"),
        json!(5)
    );
    assert_eq!(value("duration('90m').getHours()"), json!(1));
    assert_eq!(
        value(
            "timestamp('2024-01-01T00:00:00Z') - timestamp('2023-12-31T00:00:00Z') == duration('24h')"
        ),
        json!(true)
    );
}

#[test]
fn strings_library() {
    assert_eq!(value("'hello'.charAt(1)"), json!("e"));
    assert_eq!(value("'hello mellow'.indexOf('ello', 2)"), json!(7));
    assert_eq!(value("'a,b,c'.split(',', 2)"), json!(["a", "b,c"]));
    assert_eq!(value("'tacocat'.substring(4)"), json!("cat"));
    assert_eq!(value("' x '.trim()"), json!("x"));
    assert_eq!(value("['a', 'b'].join('-')"), json!("a-b"));
    assert_eq!(
        value("'%d items at %.2f'.format([dyn(3), dyn(1.5)])"),
        json!("3 items at 1.50")
    );
    assert_eq!(value("strings.quote('a\"b')"), json!("\"a\\\"b\""));
    assert!(error("'hello'.charAt(6)").contains("index out of range: 6"));
}

#[test]
fn kubernetes_lists_sets_and_ext_lists() {
    assert_eq!(value("[3, 1, 2].max()"), json!(3));
    assert_eq!(value("[1, 2].sum()"), json!(3));
    assert_eq!(value("[1, 2, 2].lastIndexOf(2)"), json!(2));
    assert!(error("dyn([]).min()").contains("min called on empty list"));
    assert_eq!(value("sets.intersects([1, 2], [2])"), json!(true));
    assert_eq!(value("[3, 1, 2].sort()"), json!([1, 2, 3]));
    assert_eq!(value("[1, 2, 3, 4].slice(1, 3)"), json!([2, 3]));
    assert_eq!(value("[[1], [2, 3]].flatten()"), json!([1, 2, 3]));
    assert_eq!(value("[1, 1, 2].distinct()"), json!([1, 2]));
    assert_eq!(value("['b', 'a'].sortBy(x, x)"), json!(["a", "b"]));
}

#[test]
fn regex_and_urls() {
    assert_eq!(value("'abc 123 def 456'.find('[0-9]+')"), json!("123"));
    assert_eq!(
        value("'abc 123 def 456'.findAll('[0-9]+')"),
        json!(["123", "456"])
    );
    assert_eq!(
        value("url('https://example.com:8080/a b?x=1').getPort()"),
        json!("8080")
    );
    assert_eq!(
        value("url('https://example.com/a b').getEscapedPath()"),
        json!("/a%20b")
    );
    assert_eq!(value("isURL('relative/path')"), json!(false));
}

#[test]
fn quantity_ip_cidr_semver() {
    assert_eq!(
        value("quantity('1Gi').isGreaterThan(quantity('1G'))"),
        json!(true)
    );
    assert_eq!(value("quantity('1.5').asApproximateFloat()"), json!(1.5));
    assert_eq!(
        eval("quantity('1k')").unwrap(),
        (json!("1k"), "kubernetes.Quantity".into())
    );
    assert_eq!(
        value("cidr('10.0.0.0/8').containsIP('10.1.2.3')"),
        json!(true)
    );
    assert_eq!(value("ip('::1').family()"), json!(6));
    assert_eq!(
        value("semver('1.2.3').isLessThan(semver('1.10.0'))"),
        json!(true)
    );
    assert!(error("quantity('1Mo')").contains("quantities must match the regular expression"));
}

#[test]
fn optionals_and_comprehensions() {
    assert_eq!(value("{'a': 1}.?b.orValue(5)"), json!(5));
    assert_eq!(value("optional.of(1).optMap(x, x + 1).value()"), json!(2));
    assert_eq!(value("[?optional.none(), ?optional.of(1)]"), json!([1]));
    assert_eq!(
        value("{'a': 1, 'b': 2}.transformMap(k, v, v * 10)"),
        json!({"a": 10, "b": 20})
    );
    assert_eq!(value("[1, 2, 3].exists_one(x, x > 2)"), json!(true));
    assert_eq!(value("[1, 2].all(i, v, v > i)"), json!(true));
    assert_eq!(
        eval("optional.none()").unwrap(),
        (json!({"optional": "none"}), "optional_type".into())
    );
}

#[test]
fn json_integers_are_int_and_missing_keys_error() {
    let env = k8s();
    let object = json!({"spec": {"replicas": 3, "ratio": 0.5, "big": 18446744073709551615u64}, "metadata": {"labels": {"app": "web"}}});
    let vars = VapVars::new(Some(&object), None, None, None, None);
    let run = |e: &str| {
        Program::compile(&env, e)
            .unwrap()
            .eval(&|n| vars.resolve(n), &NoOpinion)
            .result
    };
    assert_eq!(to_json(&run("object.spec.replicas + 1").unwrap()), json!(4));
    assert_eq!(run("object.spec.ratio").unwrap().type_name(), "double");
    assert_eq!(run("object.spec.big").unwrap().type_name(), "double");
    assert_eq!(
        run("object.spec.missing").unwrap_err().message,
        "no such key: missing"
    );
    assert_eq!(
        to_json(&run("has(object.metadata.labels.app)").unwrap()),
        json!(true)
    );
    assert_eq!(to_json(&run("oldObject == null").unwrap()), json!(true));
}

#[test]
fn request_reads_typed_zero_values() {
    let env = k8s();
    let request =
        normalize_request(&json!({"operation": "CREATE", "userInfo": {"username": "alice"}}));
    let vars = VapVars::new(None, None, None, Some(&request), None);
    let run = |e: &str| {
        Program::compile(&env, e)
            .unwrap()
            .eval(&|n| vars.resolve(n), &NoOpinion)
            .result
    };
    assert_eq!(to_json(&run("request.kind.group").unwrap()), json!(""));
    assert_eq!(
        to_json(&run("request.userInfo.username").unwrap()),
        json!("alice")
    );
    assert_eq!(
        to_json(&run("authorizer.group('').resource('pods').check('get').allowed()").unwrap()),
        json!(false)
    );
}

#[test]
fn version_gating() {
    let old = Env::kubernetes(29, EnvType::Stored, None).unwrap();
    assert!(Program::compile(&old, "ip('1.2.3.4').family() == 4").is_err());
    assert!(Program::compile(&old, "sets.contains([1], [1])").is_ok());
    let new = Env::kubernetes(30, EnvType::New, None).unwrap();
    assert!(Program::compile(&new, "ip('1.2.3.4').family() == 4").is_err());
    let stored = Env::kubernetes(30, EnvType::Stored, None).unwrap();
    assert!(Program::compile(&stored, "ip('1.2.3.4').family() == 4").is_ok());
    assert!(Env::kubernetes(26, EnvType::Stored, None).is_err());
}

#[test]
fn cost_is_counted_and_limited() {
    let env = k8s();
    let program = Program::compile(&env, "[1, 2, 3].map(x, x * 2).size() > 0").unwrap();
    let out = program.eval(&|_| None, &NoOpinion);
    assert!(out.result.is_ok());
    assert!(out.cost > 0);
    let heavy = Program::compile(
        &env,
        "lists.range(2000).all(i, lists.range(2000).all(j, i + j >= 0))",
    )
    .unwrap();
    let out = heavy.eval(&|_| None, &NoOpinion);
    assert_eq!(
        out.result.unwrap_err().message,
        "operation cancelled: actual cost limit exceeded"
    );
}

#[test]
fn nesting_at_the_limit_compiles_on_a_default_test_thread() {
    let env = k8s();
    let nested = format!("{}1{}", "(".repeat(100), ")".repeat(100));
    assert!(Program::compile(&env, &nested).is_ok());
    let lists = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    assert!(Program::compile(&env, &lists).is_ok());
    let too_deep = format!("{}1{}", "(".repeat(101), ")".repeat(101));
    assert!(
        Program::compile(&env, &too_deep)
            .unwrap_err()
            .to_string()
            .contains("recursion limit")
    );
    let chain = vec!["1"; 200].join(" + ");
    let program = Program::compile(&env, &chain).unwrap();
    assert_eq!(
        to_json(&program.eval(&|_| None, &NoOpinion).result.unwrap()),
        json!(200)
    );
    let nots = format!("{}true", "!".repeat(100));
    assert!(Program::compile(&env, &nots).is_ok());
}
