//! `palisade cel eval` and the `cel` op of `palisade jsonl`, end to end through the binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn palisade(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

#[test]
fn eval_prints_value_type_and_cost() {
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 3\n";
    let out = palisade(
        &["cel", "eval", "object.spec.replicas + 1", "-f", "-"],
        Some(deploy),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "4\ntype: int\ncost: 4\n"
    );

    let out = palisade(
        &[
            "cel",
            "eval",
            "object.spec.missing",
            "-f",
            "-",
            "-o",
            "json",
        ],
        Some(deploy),
    );
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"], "no such key: missing");

    let out = palisade(&["cel", "eval", "object.spec.replicas +"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("compilation failed: ERROR: <input>:1:")
    );
}

#[test]
fn jsonl_cel_op() {
    let requests = [
        json!({"op": "cel", "id": 1, "expr": "object.metadata.name.startsWith('web')", "vars": {"object": {"metadata": {"name": "web-1"}}}}),
        json!({"op": "cel", "id": 2, "expr": "ip('10.0.0.1').family()", "kubernetesVersion": "1.29"}),
        json!({"op": "cel", "id": 3, "expr": "ip('10.0.0.1').family()", "kubernetesVersion": "1.30", "envType": "new"}),
        json!({"op": "cel", "id": 4, "expr": "int('x')"}),
        json!({"op": "cel", "id": 5, "expr": "[1u, 2.5, b'a', optional.none()]", "envType": "spec", "extensions": ["optionals"]}),
        json!({"op": "cel", "id": 6, "expr": "x + 1u", "envType": "spec", "typedVars": {"x": {"uint64Value": "2"}}, "valueFormat": "cel"}),
        json!({"op": "cel", "id": 7, "expr": "request.kind.kind == '' && request.userInfo.username == 'bob'", "vars": {"request": {"userInfo": {"username": "bob"}}}}),
    ];
    let input: String = requests.iter().map(|r| format!("{r}\n")).collect();
    let out = palisade(&["jsonl"], Some(&input));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines[0],
        json!({"id": 1, "value": true, "type": "bool", "cost": 4})
    );
    assert!(
        lines[1]["compileError"]
            .as_str()
            .unwrap()
            .starts_with("compilation failed: ERROR: <input>:1:3: undeclared reference to 'ip'")
    );
    assert!(lines[2]["compileError"].is_string(), "{}", lines[2]);
    assert!(
        lines[3]["compileError"]
            .as_str()
            .unwrap()
            .starts_with("program instantiation failed: ")
    );
    assert_eq!(
        lines[4]["value"],
        json!([1, 2.5, "YQ==", {"optional": "none"}])
    );
    assert_eq!(lines[4]["type"], "list");
    assert_eq!(lines[5]["value"], json!({"uint64Value": "3"}));
    assert_eq!(lines[5]["type"], "uint");
    assert_eq!(lines[6]["value"], true, "{}", lines[6]);
}
