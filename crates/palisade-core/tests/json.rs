//! Differential tests of `palisade_core::json` against serde_json: the same documents are
//! accepted, and they read as the same `serde_json::Value`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;

use palisade_core::Str;
use palisade_core::json::{self, JsonError};
use proptest::prelude::*;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

/// Ours and serde_json agree on `bytes`: both reject it, or both accept it with equal values.
/// Skipping the document (`IgnoredAny`) accepts exactly what reading it does.
fn agree(bytes: &[u8]) -> Result<(), TestCaseError> {
    let theirs = serde_json::from_slice::<Value>(bytes);
    let ours = json::from_slice::<Value>(bytes);
    let skipped = json::from_slice::<IgnoredAny>(bytes);
    let shown = String::from_utf8_lossy(bytes);
    match (&theirs, &ours) {
        (Ok(t), Ok(o)) => prop_assert_eq!(t, o, "{:?}", shown),
        (Err(_), Err(e)) => check_error(e, bytes)?,
        _ => prop_assert!(
            false,
            "serde_json: {:?}, ours: {:?} for {:?}",
            theirs,
            ours,
            shown
        ),
    }
    prop_assert_eq!(
        skipped.is_ok(),
        ours.is_ok(),
        "skipping: {:?} for {:?}",
        skipped,
        shown
    );
    if let (Err(read), Err(skip)) = (&ours, &skipped) {
        prop_assert_eq!(read.message(), skip.message(), "{:?}", shown);
        prop_assert_eq!(read.to_string(), skip.to_string(), "{:?}", shown);
    }
    Ok(())
}

/// An error on the input points into it.
fn check_error(e: &JsonError, bytes: &[u8]) -> Result<(), TestCaseError> {
    let lines = 1 + bytes.iter().filter(|&&b| b == b'\n').count();
    prop_assert!(e.line() >= 1 && e.line() <= lines, "{e}");
    prop_assert!(e.column() >= 1 && e.column() <= bytes.len() + 1, "{e}");
    let place = format!("at line {} column {}", e.line(), e.column());
    prop_assert!(e.to_string().ends_with(&place), "{}", e);
    Ok(())
}

/// Strings that need escapes: quotes, backslashes, control characters, non-ASCII and
/// characters outside the BMP (surrogate pairs once escaped).
fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z\"\\\\/\\x00-\\x1f\\x7f é€😀\u{10FFFF}]{0,20}",
        "[a-zA-Z0-9.-]{0,40}",
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        (-1e3..1e3_f64).prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        Just(Value::from(i64::MIN)),
        Just(Value::from(f64::MAX)),
        Just(Value::from(f64::MIN_POSITIVE)),
        Just(Value::from(5e-324)),
        Just(Value::from(-0.0)),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((string(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Text that looks like a JSON number, valid or not.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,4})?",
        "[-+]?[0-9]{0,3}\\.?[0-9]{0,3}([eE][-+]?[0-9]{0,3})?",
        "-?[1-9][0-9]{15,400}",
        "-?0\\.0{0,330}[1-9][0-9]{0,20}",
    ]
}

/// Bytes that often make JSON: tokens, fragments and a few troublemakers.
fn fragments() -> impl Strategy<Value = Vec<u8>> {
    let token = prop::sample::select(vec![
        &b"{"[..],
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b" ",
        b"\n",
        b"\"",
        b"\"a\"",
        b"\"k\":",
        b"\\",
        b"\\u",
        b"\\ud83d",
        b"\\ude00",
        b"00",
        b"1",
        b"-",
        b".",
        b"e",
        b"E+",
        b"1e400",
        b"true",
        b"fals",
        b"null",
        b"\x00",
        b"\x1f",
        b"\xc3\xa9",
        b"\xff",
        b"\xe2\x82",
    ]);
    prop::collection::vec(token, 0..24).prop_map(|tokens| tokens.concat())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(b"{}[],:\"\\ 0123456789-+.eEtrufalsn\x00\x1f\x7f\x80\xff".to_vec()),
    ];
    let mutation = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, x)| Mutation::Flip(i, x)),
        (any::<usize>(), byte).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
    ];
    prop::collection::vec(mutation, 1..4)
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        match *m {
            Mutation::Flip(i, x) if !bytes.is_empty() => {
                let i = i % bytes.len();
                bytes[i] ^= x;
            }
            Mutation::Insert(i, b) => {
                let i = i % (bytes.len() + 1);
                bytes.insert(i, b);
            }
            Mutation::Delete(i) if !bytes.is_empty() => {
                let i = i % bytes.len();
                bytes.remove(i);
            }
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn serialized_values_read_back_as_serde_json_reads_them(value in json_value()) {
        let compact = serde_json::to_vec(&value).unwrap();
        agree(&compact)?;
        prop_assert_eq!(json::from_slice::<Value>(&compact).unwrap(), value.clone());
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        agree(pretty.as_bytes())?;
        prop_assert_eq!(json::from_str::<Value>(&pretty).unwrap(), value);
    }

    #[test]
    fn numbers_read_as_serde_json_reads_them(text in number_text()) {
        agree(text.as_bytes())?;
        agree(format!("[{text}]").as_bytes())?;
        agree(format!("{{\"n\": {text} }}").as_bytes())?;
    }

    #[test]
    fn arbitrary_bytes_are_accepted_iff_serde_json_accepts_them(
        bytes in prop::collection::vec(any::<u8>(), 0..48),
    ) {
        agree(&bytes)?;
    }

    #[test]
    fn fragments_are_accepted_iff_serde_json_accepts_them(bytes in fragments()) {
        agree(&bytes)?;
    }

    #[test]
    fn mutated_json_is_accepted_iff_serde_json_accepts_it(
        value in json_value(),
        pretty in any::<bool>(),
        mutations in mutations(),
    ) {
        let text = if pretty {
            serde_json::to_vec_pretty(&value).unwrap()
        } else {
            serde_json::to_vec(&value).unwrap()
        };
        agree(&mutate(text, &mutations))?;
    }

    #[test]
    fn view_strings_borrow_unless_escaped(
        name in string(),
        labels in prop::collection::vec((string(), string()), 0..6),
        noise in json_value(),
    ) {
        #[derive(Deserialize)]
        struct Meta<'a> {
            #[serde(borrow)]
            name: Str<'a>,
            #[serde(borrow, default)]
            labels: palisade_core::StrMap<'a>,
        }
        let expected: serde_json::Map<String, Value> = labels
            .into_iter()
            .map(|(k, v)| (k, Value::from(v)))
            .collect();
        let doc = serde_json::json!({
            "noise": noise,
            "name": name,
            "labels": expected,
            "more": noise,
        });
        let text = serde_json::to_string(&doc).unwrap();
        let meta: Meta<'_> = json::from_str(&text).unwrap();
        let escaped = |s: &str| serde_json::to_string(s).unwrap().len() != s.len() + 2;
        prop_assert_eq!(meta.name.as_str(), name.as_str());
        prop_assert_eq!(matches!(meta.name.0, Cow::Borrowed(_)), !escaped(&name));
        prop_assert_eq!(meta.labels.0.len(), expected.len());
        for (k, v) in &meta.labels.0 {
            prop_assert_eq!(expected.get(k.as_str()), Some(&Value::from(v.as_str())));
            prop_assert_eq!(matches!(k.0, Cow::Borrowed(_)), !escaped(k));
            prop_assert_eq!(matches!(v.0, Cow::Borrowed(_)), !escaped(v));
        }
    }
}

/// Regressions. An early version reported `[` (an unclosed empty array) as "EOF while parsing
/// a value" when reading it and "EOF while parsing a list" when skipping it; the others are
/// edges of the surrogate-pair and number code.
#[test]
fn regressions() {
    for doc in [
        &b"["[..],
        b"[ ",
        b"{\"a\": [",
        b"[1,",
        // A leading surrogate followed by a non-`\u` escape, or by nothing.
        b"\"\\ud83d\\n\"",
        b"\"\\ud83d\\",
        b"\"\\ud83d",
        // 2^63 and one past it, negative; 2^64.
        b"-9223372036854775808",
        b"-9223372036854775809",
        b"18446744073709551616",
    ] {
        agree(doc).unwrap();
    }
}
