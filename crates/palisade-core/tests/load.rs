//! Manifest loading through the public API: YAML as Kubernetes reads it, JSON streams, `List`s,
//! limits, errors, and (feature `fs`) files and directories.
#![expect(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    reason = "test helpers outside `#[test]` functions fail loudly"
)]

use std::time::{Duration, Instant};

use palisade_core::load::{
    ConversionErrorKind, Format, LimitKind, Limits, LoadError, Manifest, Origin, parse_manifests,
};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn load(text: &str) -> Vec<Manifest> {
    parse_manifests(text.as_bytes(), Some("test.yaml"), &Limits::default())
        .unwrap_or_else(|e| panic!("{e}\n--- input ---\n{text}"))
}

fn load_one(text: &str) -> Value {
    let mut manifests = load(text);
    assert_eq!(manifests.len(), 1, "{text}");
    manifests.remove(0).value
}

fn load_err(text: &str) -> LoadError {
    load_err_with(text, &Limits::default())
}

fn load_err_with(text: &str, limits: &Limits) -> LoadError {
    match parse_manifests(text.as_bytes(), Some("test.yaml"), limits) {
        Ok(m) => panic!("expected an error, got {} manifests", m.len()),
        Err(e) => e,
    }
}

fn limit_kind(e: &LoadError) -> LimitKind {
    match e {
        LoadError::Limit(l) => l.kind(),
        other => panic!("expected a limit error, got {other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// YAML 1.1 scalars, as Kubernetes reads them

#[test]
fn octal_default_mode() {
    let pod = load_one(
        "apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  volumes:
  - name: s
    secret: {secretName: s, defaultMode: 0644}
  - name: c
    configMap: {name: c, defaultMode: 0o755}
  - name: q
    configMap: {name: q, defaultMode: '0644'}
",
    );
    let volumes = &pod["spec"]["volumes"];
    assert_eq!(volumes[0]["secret"]["defaultMode"], json!(420));
    assert_eq!(volumes[1]["configMap"]["defaultMode"], json!(493));
    assert_eq!(volumes[2]["configMap"]["defaultMode"], json!("0644"));
}

#[test]
fn numbers() {
    let v = load_one(
        "kind: X
hex: 0x1F
bin: 0b101
sep: 1_000_000
neg: -42
plus: +7
big: 9223372036854775807
huge: 18446744073709551615
float: 1.5
exp: 1e3
whole: 2.0
dot: .5
octal_no: 08
",
    );
    assert_eq!(v["hex"], json!(31));
    assert_eq!(v["bin"], json!(5));
    assert_eq!(v["sep"], json!(1_000_000));
    assert_eq!(v["neg"], json!(-42));
    assert_eq!(v["plus"], json!(7));
    assert_eq!(v["big"], json!(i64::MAX));
    // Above int64 the API server reads a float.
    assert!(v["huge"].is_f64());
    assert_eq!(v["float"], json!(1.5));
    // Integral floats come back from Go's JSON as integers.
    assert_eq!(v["exp"], json!(1000));
    assert!(v["exp"].is_i64());
    assert_eq!(v["whole"], json!(2));
    assert_eq!(v["dot"], json!(0.5));
    assert_eq!(v["octal_no"], json!(8));
}

#[test]
fn booleans_and_nulls() {
    let v = load_one(
        "kind: X
a: yes
b: No
c: ON
d: off
e: Y
f: n
g: True
h: FALSE
i: yES
j: ~
k: null
l:
m: NULL
o: 'yes'
p: \"null\"
q: !!str true
",
    );
    for (k, want) in [
        ("a", json!(true)),
        ("b", json!(false)),
        ("c", json!(true)),
        ("d", json!(false)),
        ("e", json!(true)),
        ("f", json!(false)),
        ("g", json!(true)),
        ("h", json!(false)),
        ("i", json!("yES")),
        ("j", json!(null)),
        ("k", json!(null)),
        ("l", json!(null)),
        ("m", json!(null)),
        ("o", json!("yes")),
        ("p", json!("null")),
        ("q", json!("true")),
    ] {
        assert_eq!(v[k], want, "{k}");
    }
}

#[test]
fn quoted_and_block_scalars_stay_strings() {
    let v = load_one(
        "kind: X
a: \"123\"
b: '0x1F'
c: |
  42
d: >-
  true
e: \"\"
",
    );
    assert_eq!(v["a"], json!("123"));
    assert_eq!(v["b"], json!("0x1F"));
    assert_eq!(v["c"], json!("42\n"));
    assert_eq!(v["d"], json!("true"));
    assert_eq!(v["e"], json!(""));
}

#[test]
fn explicit_tags() {
    let v = load_one(
        "kind: X
a: !!int \"42\"
b: !!float 3
c: !!str 0644
d: !!binary aGVsbG8=
e: !custom 7
f: !!bool \"yes\"
",
    );
    assert_eq!(v["a"], json!(42));
    // `!!float 3` is a float in YAML, but Go writes it as `3`.
    assert_eq!(v["b"], json!(3));
    assert_eq!(v["c"], json!("0644"));
    assert_eq!(v["d"], json!("hello"));
    assert_eq!(v["e"], json!("7"));
    assert_eq!(v["f"], json!(true));

    let e = load_err("a: !!int abc\n");
    match &e {
        LoadError::Conversion(c) => assert_eq!(c.kind(), ConversionErrorKind::Tag),
        other => panic!("{other}"),
    }
    assert_eq!(
        e.to_string(),
        "cannot convert YAML to JSON in `test.yaml#0` at line 1, column 4: cannot decode !!str \
         `abc` as a !!int"
    );
}

#[test]
fn non_string_keys() {
    let v = load_one("kind: X\n1: a\ntrue: b\n1.5: c\nyes: d\n0x10: e\n");
    assert_eq!(v["1"], json!("a"));
    assert_eq!(
        v["true"],
        json!("d"),
        "`yes` is the key `true` too; the last one wins"
    );
    assert_eq!(v["1.5"], json!("c"));
    assert_eq!(v["16"], json!("e"));

    let e = load_err("~: a\n");
    assert!(matches!(&e, LoadError::Conversion(c) if c.kind() == ConversionErrorKind::NullKey));
}

#[test]
fn non_finite_numbers_are_errors() {
    for text in ["a: .nan", "a: .inf", "a: -.Inf"] {
        let e = load_err(text);
        assert!(
            matches!(&e, LoadError::Conversion(c) if c.kind() == ConversionErrorKind::NonFiniteNumber),
            "{text}: {e}"
        );
    }
    assert_eq!(
        load_err("a: .nan").to_string(),
        "cannot convert YAML to JSON in `test.yaml#0` at line 1, column 4: the number `NaN` has \
         no JSON form (JSON has no NaN or infinity)"
    );
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let v = load_one(
        "kind: X
defaults: &defaults
  image: nginx
  pull: Always
containers:
- <<: *defaults
  name: web
- <<: *defaults
  name: api
  pull: IfNotPresent
ports: &ports [80, 443]
again: *ports
",
    );
    assert_eq!(
        v["containers"],
        json!([
            {"image": "nginx", "pull": "Always", "name": "web"},
            {"image": "nginx", "pull": "IfNotPresent", "name": "api"},
        ])
    );
    assert_eq!(v["again"], json!([80, 443]));
}

#[test]
fn duplicate_keys_last_wins() {
    assert_eq!(load_one("kind: X\na: 1\na: 2\n")["a"], json!(2));
    assert_eq!(
        load_one("{\"kind\": \"X\", \"a\": 1, \"a\": 2}")["a"],
        json!(2)
    );
}

#[test]
fn utf8_bom_and_utf16() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(b"kind: X\n");
    let m = parse_manifests(&bytes, None, &Limits::default()).unwrap();
    assert_eq!(m[0].kind(), Some("X"));

    for big_endian in [false, true] {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in "kind: Ünïcode\n".encode_utf16() {
            bytes.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        let m = parse_manifests(&bytes, None, &Limits::default()).unwrap();
        assert_eq!(m[0].kind(), Some("Ünïcode"));
    }
}

// ---------------------------------------------------------------------------------------------
// Documents, Lists, origins

#[test]
fn multi_document_with_empty_documents() {
    let manifests = load(
        "---
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
# nothing here
---
---
~
---
null
--- # comment after the marker
apiVersion: v1
kind: Namespace
metadata: {name: b}
...
",
    );
    let got: Vec<(String, Option<&str>)> = manifests
        .iter()
        .map(|m| (m.origin.to_string(), m.name()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("test.yaml#0".to_owned(), Some("a")),
            ("test.yaml#5".to_owned(), Some("b")),
        ]
    );
    assert!(load("").is_empty());
    assert!(load("# only a comment\n").is_empty());
    assert!(load("---\n---\n").is_empty());
}

#[test]
fn manifest_accessors() {
    let m =
        &load("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\n")
            [0];
    assert_eq!(m.api_version(), Some("apps/v1"));
    assert_eq!(m.kind(), Some("Deployment"));
    assert_eq!(m.name(), Some("web"));
    assert_eq!(m.namespace(), Some("prod"));
    let bare = &load("metadata: {name: 1}\nother: x\n")[0];
    assert_eq!(bare.api_version(), None);
    assert_eq!(bare.kind(), None);
    assert_eq!(bare.name(), None, "a number is no name");
    assert_eq!(bare.namespace(), None);
}

#[test]
fn list_flattening_with_origins() {
    let manifests = load(
        "apiVersion: v1
kind: ConfigMap
metadata: {name: first}
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: svc}
- apiVersion: v1
  kind: List
  items: []
- metadata: {name: kindless}
",
    );
    let got: Vec<String> = manifests.iter().map(|m| m.origin.to_string()).collect();
    assert_eq!(
        got,
        [
            "test.yaml#0",
            "test.yaml#1 items[0]",
            "test.yaml#1 items[1]",
            "test.yaml#1 items[2]"
        ]
    );
    assert_eq!(manifests[1].kind(), Some("Service"));
    assert_eq!(
        manifests[1].origin,
        Origin::new(Some("test.yaml"), 1).with_item(0)
    );
    // Lists in items are not flattened again; items of `kind: List` keep what they have.
    assert_eq!(manifests[2].kind(), Some("List"));
    assert_eq!(
        manifests[3].value,
        json!({"metadata": {"name": "kindless"}})
    );
}

#[test]
fn typed_lists_give_items_their_kind() {
    let manifests = load(
        r#"{"apiVersion": "v1", "kind": "PodList", "metadata": {"resourceVersion": "1"},
            "items": [{"metadata": {"name": "a"}}, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}}]}"#,
    );
    assert_eq!(manifests.len(), 2);
    assert_eq!(manifests[0].kind(), Some("Pod"));
    assert_eq!(manifests[0].api_version(), Some("v1"));
    assert_eq!(manifests[0].origin.to_string(), "test.yaml#0 items[0]");
    assert_eq!(manifests[1].name(), Some("b"));
}

#[test]
fn only_lists_with_item_arrays_are_flattened() {
    let v = load_one("kind: ThingList\nitems: 3\n");
    assert_eq!(v["items"], json!(3));
    let v = load_one("kind: Thing\nitems: [1]\n");
    assert_eq!(v["items"], json!([1]));
}

#[test]
fn non_object_list_item() {
    let e = load_err("apiVersion: v1\nkind: List\nitems:\n- {kind: A}\n- just a string\n");
    let location = e.location().unwrap();
    assert_eq!(location.document(), Some(0));
    assert_eq!(location.item(), Some(1));
    assert_eq!(
        e.to_string(),
        "`test.yaml#0 items[1]` is a string, not a Kubernetes object (a YAML mapping or JSON \
         object)"
    );
}

#[test]
fn non_object_documents() {
    for (text, found) in [
        ("kind: A\n---\njust text\n", "a string"),
        ("kind: A\n---\n- a\n- b\n", "a list"),
        ("kind: A\n---\n42\n", "a number"),
        ("kind: A\n---\nyes\n", "a boolean"),
        ("kind: A\n---\n\"\"\n", "a string"),
    ] {
        match load_err(text) {
            LoadError::NotAnObject(e) => {
                assert_eq!(e.found(), found, "{text}");
                assert_eq!(e.location().document(), Some(1));
                assert_eq!(e.location().line(), Some(3));
            }
            other => panic!("{text}: {other}"),
        }
    }
    assert_eq!(
        load_err("kind: A\n---\njust text\n").to_string(),
        "`test.yaml#1` at line 3, column 1 is a string, not a Kubernetes object (a YAML mapping \
         or JSON object)"
    );
}

#[test]
fn origin_display() {
    assert_eq!(
        Origin::new(Some("deploy.yaml"), 2).to_string(),
        "deploy.yaml#2"
    );
    assert_eq!(
        Origin::new(Some("deploy.yaml"), 2).with_item(3).to_string(),
        "deploy.yaml#2 items[3]"
    );
    assert_eq!(Origin::new(None, 0).to_string(), "<input>#0");
    let m = parse_manifests(b"kind: A", None, &Limits::default()).unwrap();
    assert_eq!(m[0].origin.source, None);
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_object() {
    let m = load(
        r#"  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "n": 1.0, "i": 1}"#,
    );
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].name(), Some("p"));
    // JSON keeps `1.0` a float (the API server reads it so); YAML would not.
    assert!(m[0].value["n"].is_f64());
    assert!(m[0].value["i"].is_i64());
}

#[test]
fn concatenated_json() {
    let m =
        load("{\"kind\": \"A\"}{\"kind\": \"B\"}\n\n{\"kind\": \"C\"}\nnull\n{\"kind\": \"D\"}");
    let got: Vec<(Option<&str>, String)> =
        m.iter().map(|m| (m.kind(), m.origin.to_string())).collect();
    assert_eq!(
        got,
        [
            (Some("A"), "test.yaml#0".to_owned()),
            (Some("B"), "test.yaml#1".to_owned()),
            (Some("C"), "test.yaml#2".to_owned()),
            (Some("D"), "test.yaml#4".to_owned()),
        ]
    );
}

#[test]
fn malformed_json_falls_back_to_yaml_like_kubectl() {
    // Flow-style YAML that is no JSON.
    let m = load("{kind: Pod, metadata: {name: p}, mode: 0644}");
    assert_eq!(m[0].name(), Some("p"));
    assert_eq!(m[0].value["mode"], json!(420));
    // One JSON object, then YAML documents.
    let m = load("{\"kind\": \"A\"}\n---\nkind: B\n---\nkind: C\n");
    let got: Vec<(Option<&str>, String)> =
        m.iter().map(|m| (m.kind(), m.origin.to_string())).collect();
    assert_eq!(
        got,
        [
            (Some("A"), "test.yaml#0".to_owned()),
            (Some("B"), "test.yaml#1".to_owned()),
            (Some("C"), "test.yaml#2".to_owned()),
        ]
    );
    // YAML errors after the JSON object keep their place in the input, when they are limits.
    let deep = format!(
        "{{\"kind\": \"A\"}}\nb: {}{}",
        "[".repeat(200),
        "]".repeat(200)
    );
    let e = load_err(&deep);
    assert_eq!(limit_kind(&e), LimitKind::Depth);
    assert_eq!(e.location().unwrap().line(), Some(2));
    assert_eq!(e.location().unwrap().document(), Some(1));
    // After two JSON values, malformed JSON is an error.
    let e = load_err("{\"kind\": \"A\"} {\"kind\": \"B\"}\n---\nkind: C\n");
    assert!(
        matches!(&e, LoadError::Syntax(s) if s.format() == Format::Json),
        "{e}"
    );
    // Both fail: the JSON error stands.
    let e = load_err("{\"kind\": [}");
    assert!(
        matches!(&e, LoadError::Syntax(s) if s.format() == Format::Json),
        "{e}"
    );
}

#[test]
fn json_array_is_not_an_object() {
    match load_err(r#"[{"kind": "A"}]"#) {
        LoadError::NotAnObject(e) => assert_eq!(e.found(), "a list"),
        other => panic!("{other}"),
    }
}

#[test]
fn json_invalid_utf8_is_replaced_like_go() {
    let m = parse_manifests(b"{\"kind\": \"a\xffb\"}", None, &Limits::default()).unwrap();
    assert_eq!(m[0].kind(), Some("a\u{fffd}b"));
}

// ---------------------------------------------------------------------------------------------
// Malformed input

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let e = load_err("kind: A\n---\nmetadata:\n  name: a\n   bad: [1, 2\n");
    let LoadError::Syntax(s) = &e else {
        panic!("{e}")
    };
    assert_eq!(s.format(), Format::Yaml);
    assert_eq!(s.location().document(), Some(1));
    assert!(s.location().line().is_some_and(|l| l >= 4), "{e}");
    assert!(s.location().column().is_some(), "{e}");

    assert_eq!(
        load_err("a: b: c\n").to_string(),
        "invalid YAML in `test.yaml#0` at line 1, column 5: mapping values are not allowed in \
         this context"
    );
}

#[test]
fn json_syntax_error_has_line_and_column() {
    // (Malformed JSON after two values: `kubectl` does not try YAML then.)
    let e = load_err("{\"kind\": \"A\"}\n{\"kind\": \"B\"}\n{\"kind\":\n  ,}");
    let LoadError::Syntax(s) = &e else {
        panic!("{e}")
    };
    assert_eq!(s.format(), Format::Json);
    assert_eq!(s.location().document(), Some(2));
    assert_eq!(s.location().line(), Some(4));
    assert_eq!(s.location().column(), Some(3));
    assert_eq!(
        e.to_string(),
        "invalid JSON in `test.yaml#2` at line 4, column 3: expected value"
    );
    // A number out of range is no syntax error: no YAML then either.
    let e = load_err("{\"kind\": \"A\", \"n\": 1e400}");
    let LoadError::Syntax(s) = &e else {
        panic!("{e}")
    };
    assert_eq!(s.location().line(), Some(1));
    assert_eq!(s.location().column(), Some(24));
    assert!(e.to_string().ends_with("number out of range"), "{e}");
}

#[test]
fn invalid_utf8_in_yaml() {
    let e =
        parse_manifests(b"kind: A\nname: \xff\n", Some("x.yaml"), &Limits::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid YAML in `x.yaml` at line 2, column 7: invalid UTF-8"
    );
}

#[test]
fn unknown_alias_and_yaml_1_2() {
    assert!(matches!(load_err("a: *nope\n"), LoadError::Syntax(_)));
    assert!(matches!(
        load_err("%YAML 1.2\n---\na: 1\n"),
        LoadError::Syntax(_)
    ));
}

// ---------------------------------------------------------------------------------------------
// Limits

#[test]
fn limit_defaults() {
    let l = Limits::default();
    assert_eq!(l, Limits::new());
    assert_eq!(l.max_input_bytes(), 64 * 1024 * 1024);
    assert_eq!(l.max_depth(), 100);
    assert_eq!(l.max_documents(), 100_000);
    assert_eq!(l.max_nodes(), 10_000_000);
    assert_eq!(l.max_alias_nodes(), 1_000_000);
}

#[test]
fn oversized_input() {
    let limits = Limits::default().with_max_input_bytes(16);
    assert!(parse_manifests(b"kind: ConfigMap\n", Some("x"), &limits).is_ok());
    let e = parse_manifests(b"kind: ConfigMaps\n", Some("x.yaml"), &limits).unwrap_err();
    assert_eq!(limit_kind(&e), LimitKind::InputBytes);
    assert_eq!(
        e.to_string(),
        "`x.yaml` is larger than 16 bytes; raise the limit with `Limits::with_max_input_bytes`"
    );
}

fn nested_flow(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn nested_block(depth: usize) -> String {
    let mut text = String::new();
    for level in 0..depth {
        text.push_str(&"  ".repeat(level));
        text.push_str("a:\n");
    }
    text.push_str(&"  ".repeat(depth));
    text.push_str("b: 1\n");
    text
}

#[test]
fn deep_yaml() {
    // The document's own mapping is level 1.
    let at_limit = format!("a: {}", nested_flow(99));
    assert!(parse_manifests(at_limit.as_bytes(), None, &Limits::default()).is_ok());
    let over = format!("a: {}", nested_flow(100));
    let e = load_err(&over);
    assert_eq!(limit_kind(&e), LimitKind::Depth);
    assert_eq!(
        e.to_string(),
        "`test.yaml#0` at line 1, column 103 nests deeper than 100 levels; raise the limit with \
         `Limits::with_max_depth`"
    );

    assert!(parse_manifests(nested_block(99).as_bytes(), None, &Limits::default()).is_ok());
    assert_eq!(limit_kind(&load_err(&nested_block(100))), LimitKind::Depth);

    // Far deeper than any stack would take, flow and block: a clean error, quickly.
    let started = Instant::now();
    assert_eq!(
        limit_kind(&load_err(&nested_flow(1_000_000))),
        LimitKind::Depth
    );
    assert_eq!(
        limit_kind(&load_err(&format!("a: {}", "{b: ".repeat(500_000)))),
        LimitKind::Depth
    );
    assert_eq!(
        limit_kind(&load_err(&nested_block(2_000))),
        LimitKind::Depth
    );
    assert_eq!(
        limit_kind(&load_err(&"- ".repeat(100_000))),
        LimitKind::Depth
    );
    assert!(started.elapsed() < Duration::from_secs(20));

    let raised = Limits::default().with_max_depth(1000);
    assert!(parse_manifests(nested_block(999).as_bytes(), None, &raised).is_ok());
}

#[test]
fn deep_json() {
    let at_limit = format!("{{\"a\": {}}}", nested_flow(99));
    assert!(parse_manifests(at_limit.as_bytes(), None, &Limits::default()).is_ok());
    let over = format!("{{\"a\": {}}}", nested_flow(100));
    assert_eq!(limit_kind(&load_err(&over)), LimitKind::Depth);
    let deep = format!("{{\"a\": {}}}", nested_flow(1_000_000));
    assert_eq!(limit_kind(&load_err(&deep)), LimitKind::Depth);
    // serde_json stops at 127 levels whatever the limit says; still a depth error.
    let e = load_err_with(&deep, &Limits::default().with_max_depth(100_000));
    assert_eq!(limit_kind(&e), LimitKind::Depth);
    assert!(e.to_string().contains("127 levels"), "{e}");
}

#[test]
fn too_many_documents() {
    let limits = Limits::default().with_max_documents(3);
    assert!(parse_manifests(b"kind: A\n---\nkind: B\n---\n", None, &limits).is_ok());
    let e = load_err_with("kind: A\n---\nkind: B\n---\n---\n---\n", &limits);
    assert_eq!(limit_kind(&e), LimitKind::Documents);
    let e = load_err_with("{} {} {} {}", &limits);
    assert_eq!(limit_kind(&e), LimitKind::Documents);
    assert!(
        e.to_string()
            .ends_with("raise the limit with `Limits::with_max_documents`"),
        "{e}"
    );
}

#[test]
fn too_many_nodes() {
    let limits = Limits::default().with_max_nodes(10);
    assert!(parse_manifests(b"kind: A\nb: [1, 2]\n", None, &limits).is_ok());
    let e = load_err_with("kind: A\nb: [1, 2, 3, 4, 5, 6, 7]\n", &limits);
    assert_eq!(limit_kind(&e), LimitKind::Nodes);
}

/// A "billion laughs" document: nine levels of nine aliases each.
fn alias_bomb() -> String {
    let mut text = String::from(
        "kind: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names: Vec<char> = "abcdefghij".chars().collect();
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    text
}

#[test]
fn alias_bomb_fails_fast() {
    let bomb = alias_bomb();
    let started = Instant::now();
    // go-yaml's own rule ("excessive aliasing") or our alias limit, whichever comes first; both
    // are checked before anything is copied.
    for limits in [
        Limits::default(),
        Limits::default()
            .with_max_alias_nodes(usize::MAX)
            .with_max_nodes(usize::MAX),
    ] {
        match load_err_with(&bomb, &limits) {
            LoadError::Conversion(c) => {
                assert_eq!(c.kind(), ConversionErrorKind::ExcessiveAliasing);
            }
            LoadError::Limit(l) => assert_eq!(l.kind(), LimitKind::AliasNodes),
            other => panic!("{other}"),
        }
    }
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn alias_limit() {
    let text = "kind: A\nx: &x [1, 2, 3, 4]\ny: [*x, *x]\n";
    // Each alias copies 5 values.
    assert!(
        parse_manifests(
            text.as_bytes(),
            None,
            &Limits::default().with_max_alias_nodes(10)
        )
        .is_ok()
    );
    let e = load_err_with(text, &Limits::default().with_max_alias_nodes(9));
    assert_eq!(limit_kind(&e), LimitKind::AliasNodes);
    assert_eq!(
        e.to_string(),
        "`test.yaml#0` at line 3, column 9: aliases expand to more than 9 values and keys; raise \
         the limit with `Limits::with_max_alias_nodes`"
    );
    // The depth of what an alias copies counts where it lands.
    let text = "kind: A\nx: &x [[[1]]]\ny: [[*x]]\n";
    assert!(parse_manifests(text.as_bytes(), None, &Limits::default().with_max_depth(6)).is_ok());
    let e = load_err_with(text, &Limits::default().with_max_depth(5));
    assert_eq!(limit_kind(&e), LimitKind::Depth);
}

#[test]
fn self_referencing_alias() {
    match load_err("a: &x {b: *x}\n") {
        LoadError::Conversion(c) => assert_eq!(c.kind(), ConversionErrorKind::RecursiveAlias),
        other => panic!("{other}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Files and directories

#[cfg(feature = "fs")]
mod files {
    use super::*;
    use palisade_core::load::load_path;
    use std::fs;
    use std::path::{Path, PathBuf};

    /// A fresh directory under the system temp directory, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "palisade-load-{name}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }

        fn write(&self, relative: &str, text: &str) -> PathBuf {
            let path = self.0.join(relative);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, text).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn names(manifests: &[Manifest]) -> Vec<&str> {
        manifests.iter().filter_map(Manifest::name).collect()
    }

    #[test]
    fn directory_walk() {
        let dir = TempDir::new("walk");
        dir.write(
            "b.yaml",
            "kind: A\nmetadata: {name: b}\n---\nkind: A\nmetadata: {name: b2}\n",
        );
        dir.write("a.json", r#"{"kind": "A", "metadata": {"name": "a"}}"#);
        dir.write("sub/c.yml", "kind: A\nmetadata: {name: c}\n");
        dir.write("sub/deeper/d.yaml", "kind: A\nmetadata: {name: d}\n");
        dir.write("notes.txt", "kind: A\nmetadata: {name: txt}\n");
        dir.write("upper.YAML", "kind: A\nmetadata: {name: upper}\n");
        dir.write(".hidden.yaml", "kind: A\nmetadata: {name: hidden}\n");
        dir.write(".git/e.yaml", "kind: A\nmetadata: {name: git}\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            // A loop: a link to the directory itself is not followed.
            symlink(&dir.0, dir.0.join("sub/loop")).unwrap();
            symlink(&dir.0, dir.0.join("sub/loop.yaml")).unwrap();
            // A link to a file is.
            symlink(dir.0.join("sub/c.yml"), dir.0.join("z-link.yaml")).unwrap();
        }
        let manifests = load_path(&dir.0, &Limits::default()).unwrap();
        let mut want = vec!["a", "b", "b2", "c", "d"];
        if cfg!(unix) {
            want.push("c");
        }
        assert_eq!(names(&manifests), want);
        let origin = &manifests[2].origin;
        assert_eq!(origin.document, 1);
        assert!(
            origin
                .source
                .as_deref()
                .is_some_and(|s| s.ends_with("b.yaml"))
        );
    }

    #[test]
    fn single_file_of_any_name() {
        let dir = TempDir::new("single");
        let path = dir.write("manifest.txt", "kind: A\nmetadata: {name: one}\n");
        let manifests = load_path(&path, &Limits::default()).unwrap();
        assert_eq!(names(&manifests), ["one"]);
        assert_eq!(
            manifests[0].origin.source.as_deref(),
            Some(path.display().to_string().as_str())
        );
    }

    #[test]
    fn errors_name_the_file() {
        let dir = TempDir::new("errors");
        let missing = dir.0.join("missing.yaml");
        let e = load_path(&missing, &Limits::default()).unwrap_err();
        assert!(matches!(&e, LoadError::Io(io) if io.path() == missing));
        assert!(e.to_string().starts_with("cannot read `"), "{e}");
        assert!(e.to_string().contains("missing.yaml"), "{e}");

        let bad = dir.write("bad.yaml", "a: b: c\n");
        let e = load_path(&dir.0, &Limits::default()).unwrap_err();
        let source = e.location().and_then(|l| l.source()).unwrap();
        assert_eq!(Path::new(source), bad);

        dir.write("big.yaml", &"# padding\n".repeat(100));
        fs::remove_file(&bad).unwrap();
        let e = load_path(&dir.0, &Limits::default().with_max_input_bytes(100)).unwrap_err();
        assert_eq!(limit_kind(&e), LimitKind::InputBytes);
    }
}

// ---------------------------------------------------------------------------------------------
// Properties

/// Writes a JSON value as block-style YAML with every string double-quoted, so no YAML 1.1
/// resolution can change it.
fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => yaml_map(map, 0, &mut out),
        other => {
            yaml_inline(other, &mut out);
            out.push('\n');
        }
    }
    out
}

fn yaml_map(map: &Map<String, Value>, indent: usize, out: &mut String) {
    for (key, value) in map {
        out.push_str(&" ".repeat(indent));
        yaml_string(key, out);
        out.push(':');
        yaml_child(value, indent, out);
    }
}

fn yaml_child(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            yaml_map(map, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                out.push_str(&" ".repeat(indent + 2));
                out.push('-');
                yaml_child(item, indent + 2, out);
            }
        }
        other => {
            out.push(' ');
            yaml_inline(other, out);
            out.push('\n');
        }
    }
}

fn yaml_inline(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => out.push_str(&i.to_string()),
            (None, Some(u), _) => out.push_str(&u.to_string()),
            // Plain decimal notation, with a `.`: the generator only makes non-integral floats.
            (None, None, Some(f)) => out.push_str(&f.to_string()),
            _ => out.push_str("null"),
        },
        Value::String(s) => yaml_string(s, out),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn yaml_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // Printable in YAML: kept as they are.
            ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..
                if c != '\u{feff}' =>
            {
                out.push(c)
            }
            _ if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            _ => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
}

/// JSON values as Kubernetes ends up with them: integers above `i64::MAX` are floats.
fn normalized(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_some() => {
            json!(n.as_f64().unwrap())
        }
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Non-integral finite floats (YAML would make an integral one an integer, as Go does).
        (-1.0e9..1.0e9f64)
            .prop_map(|f| if f.fract() == 0.0 { f + 0.5 } else { f })
            .prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| if f.is_finite() && f.fract() != 0.0 {
                f
            } else {
                0.25
            })
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "(yes|no|on|off|~|null|0644|0x1F|1_000|\\.inf|<<|-|:|#|'|\\*a|&a|!!int 1|---)"
            .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(any::<String>(), arb_json(), 0..8)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .prop_filter("not a List", |v| {
            !v.get("kind")
                .and_then(Value::as_str)
                .is_some_and(|k| k.ends_with("List"))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Err(e) = parse_manifests(&bytes, Some("fuzz"), &Limits::default()) {
            let _ = e.to_string();
            let _ = e.location();
        }
    }

    #[test]
    fn never_panics_on_yaml_like_text(
        text in "([-:?,\\[\\]{}#&*!|>'\"%@` \n\t.~<_]|[a-c0-9]|yes|0x|List|items|kind|<<|---|\\.\\.\\.|!!int|!!binary|&a|\\*a){0,120}",
        small in any::<bool>(),
    ) {
        let limits = if small {
            Limits::default().with_max_depth(3).with_max_nodes(30).with_max_alias_nodes(5).with_max_documents(4)
        } else {
            Limits::default()
        };
        if let Err(e) = parse_manifests(text.as_bytes(), None, &limits) {
            let _ = e.to_string();
        }
    }

    #[test]
    fn yaml_and_json_of_the_same_object_load_the_same(object in arb_object()) {
        let want = normalized(&object);
        let yaml = to_yaml(&object);
        let from_yaml = parse_manifests(yaml.as_bytes(), None, &Limits::default());
        let from_yaml = from_yaml.map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
        prop_assert_eq!(from_yaml.len(), 1, "{}", yaml);
        prop_assert_eq!(&from_yaml[0].value, &want, "{}", yaml);

        let json_text = serde_json::to_string(&object).unwrap();
        let from_json = parse_manifests(json_text.as_bytes(), None, &Limits::default());
        let from_json = from_json.map_err(|e| TestCaseError::fail(format!("{e}\n{json_text}")))?;
        prop_assert_eq!(from_json.len(), 1);
        prop_assert_eq!(&from_json[0].value, &want);
    }
}
