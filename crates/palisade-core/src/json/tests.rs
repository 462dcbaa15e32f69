use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use super::{Category, JsonError, from_slice, from_str};
use crate::Str;

fn value(json: &str) -> Value {
    from_str(json).unwrap_or_else(|e| panic!("{json:?}: {e}"))
}

fn err<'a, T: Deserialize<'a> + std::fmt::Debug>(json: &'a str) -> JsonError {
    from_str::<T>(json).expect_err(json)
}

/// The error of reading `json` as a `Value`, as `message at line L column C`.
fn error(json: &str) -> String {
    err::<Value>(json).to_string()
}

/// Reading `json` as a `Value` and skipping it both fail with `message`.
fn rejects(json: &str, message: &str) {
    let e = err::<Value>(json);
    assert_eq!(e.message(), message, "{json:?} as a value: {e}");
    let e = err::<IgnoredAny>(json);
    assert_eq!(e.message(), message, "{json:?} skipped: {e}");
    assert!(
        serde_json::from_str::<Value>(json).is_err(),
        "serde_json accepts {json:?}"
    );
}

/// Reading `json` as a `Value` gives what serde_json gives, and skipping it succeeds.
fn same(json: &str) {
    let theirs: Value = serde_json::from_str(json).unwrap();
    assert_eq!(value(json), theirs, "{json:?}");
    from_str::<IgnoredAny>(json).unwrap_or_else(|e| panic!("skipping {json:?}: {e}"));
}

#[test]
fn literals() {
    assert_eq!(value("true"), Value::Bool(true));
    assert_eq!(value("false"), Value::Bool(false));
    assert_eq!(value("null"), Value::Null);
    assert!(from_str::<bool>("true").unwrap());
    assert_eq!(from_str::<()>("null").unwrap(), ());
    rejects("tru", "EOF while parsing a value");
    rejects("trUe", "expected `true`, `false` or `null`");
    rejects("nul", "EOF while parsing a value");
    rejects("nulL", "expected `true`, `false` or `null`");
    rejects("fals", "EOF while parsing a value");
    rejects("True", "expected value");
    rejects("truex", "trailing characters");
}

#[test]
fn strings_borrow_without_escapes() {
    let s: Str<'_> = from_str(r#""héllo wörld, long enough for a few words""#).unwrap();
    assert!(matches!(
        s.0,
        Cow::Borrowed("héllo wörld, long enough for a few words")
    ));
    let s: Str<'_> = from_str(r#""a\nb""#).unwrap();
    assert!(matches!(s.0, Cow::Owned(ref o) if o == "a\nb"));
    let s: &str = from_str(r#""""#).unwrap();
    assert_eq!(s, "");
    // A borrowed `&str` cannot hold an escaped string.
    assert!(from_str::<&str>(r#""a\tb""#).is_err());
}

#[test]
fn every_escape() {
    let s: String = from_str(r#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00x""#).unwrap();
    assert_eq!(s, "\"\\/\u{8}\u{c}\n\r\t\u{41}é€😀x");
    same(r#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00x""#);
    // An escape at every offset around the eight-byte chunks of the scan.
    for n in 0..20 {
        let json = format!(r#""{}\n{}""#, "a".repeat(n), "b".repeat(n));
        let s: String = from_str(&json).unwrap();
        assert_eq!(s, format!("{}\n{}", "a".repeat(n), "b".repeat(n)));
        same(&json);
    }
    // The smallest and largest surrogate pairs, and U+FFFF.
    assert_eq!(
        from_str::<String>(r#""\uD800\uDC00""#).unwrap(),
        "\u{10000}"
    );
    assert_eq!(
        from_str::<String>(r#""\uDBFF\uDFFF""#).unwrap(),
        "\u{10FFFF}"
    );
    assert_eq!(from_str::<String>(r#""\uFFFF""#).unwrap(), "\u{FFFF}");
}

#[test]
fn bad_escapes_are_rejected() {
    rejects(r#""\x""#, "invalid escape");
    rejects(r#""\U0041""#, "invalid escape");
    rejects(r#""\u00G1""#, "invalid escape");
    rejects(r#""\u12""#, "invalid escape");
    rejects(r#""\u12"#, "EOF while parsing a string");
    rejects(r#""\"#, "EOF while parsing a string");
    rejects(r#""\'""#, "invalid escape");
    // Lone surrogates, as serde_json.
    rejects(r#""\ud800""#, "unexpected end of hex escape");
    rejects(r#""\ud800x""#, "unexpected end of hex escape");
    rejects(r#""\ud800\n""#, "unexpected end of hex escape");
    rejects(r#""\ud800\u0041""#, "lone surrogate in hex escape");
    rejects(r#""\ud800\ud800""#, "lone surrogate in hex escape");
    rejects(r#""\udc00""#, "lone surrogate in hex escape");
    rejects(r#""\udfff\ud800""#, "lone surrogate in hex escape");
    rejects(r#""\ud800\"#, "EOF while parsing a string");
}

#[test]
fn control_characters_in_strings_are_rejected() {
    for c in (0..0x20_u8).map(char::from) {
        // At every offset of the eight-byte chunks, and in the tail after the last chunk.
        for n in 0..18 {
            let message = "control character (\\u0000-\\u001F) found while parsing a string";
            rejects(&format!("\"{}{c}\"", "a".repeat(n)), message);
            rejects(&format!("[\"{}{c}\", \"padding\"]", "é".repeat(n)), message);
        }
    }
    // DEL and everything above is fine.
    same("\"\u{7f}\u{80}\u{ffff}\"");
    rejects("\"abc", "EOF while parsing a string");
    rejects("\"", "EOF while parsing a string");
    rejects("\"\\n abc", "EOF while parsing a string");
}

#[test]
fn invalid_utf8_is_rejected_with_its_position() {
    let e = from_slice::<Value>(b"{\"a\":\n \"\xff\"}").unwrap_err();
    assert_eq!(e.to_string(), "invalid UTF-8 at line 2 column 3");
    assert_eq!(e.category(), Category::Syntax);
    assert!(from_slice::<IgnoredAny>(b"[\"\xc3\"]").is_err());
    assert!(
        from_slice::<Value>(b"\xef\xbb\xbf{}").is_err(),
        "a BOM is no JSON"
    );
}

#[test]
fn integers_visit_like_serde_json() {
    same("0");
    same("-1");
    same("18446744073709551615");
    same("-9223372036854775808");
    assert_eq!(value("18446744073709551615"), Value::from(u64::MAX));
    assert_eq!(value("-9223372036854775808"), Value::from(i64::MIN));
    assert_eq!(value("9223372036854775807"), Value::from(i64::MAX));
    // Past u64 and i64 they become floats.
    assert_eq!(
        value("18446744073709551616"),
        Value::from(18446744073709551616.0)
    );
    assert_eq!(
        value("-9223372036854775809"),
        Value::from(-9223372036854775809.0)
    );
    same("18446744073709551616");
    same("-9223372036854775809");
    same("-18446744073709551616");
    same("123456789012345678901234567890");
    // Negative zero is a float, as in serde_json.
    let zero = value("-0");
    assert!(
        zero.as_f64()
            .is_some_and(|f| f == 0.0 && f.is_sign_negative())
    );
    assert!(zero.is_f64());
    same("-0");
    same("-0.0");
    assert!(value("0").is_u64());
    assert!(value("-5").is_i64());
    assert_eq!(
        from_str::<i64>("-0").unwrap_err().message(),
        "invalid type: floating point `-0.0`, expected i64"
    );
}

#[test]
fn integer_targets_check_their_range() {
    let e = err::<i32>("3000000000");
    assert_eq!(
        e.to_string(),
        "invalid value: integer `3000000000`, expected i32 at line 1 column 1"
    );
    assert_eq!(e.category(), Category::Data);
    assert_eq!(from_str::<i32>("-2147483648").unwrap(), i32::MIN);
    assert!(from_str::<i32>("-2147483649").is_err());
    assert_eq!(from_str::<u8>("255").unwrap(), 255);
    assert!(from_str::<u8>("256").is_err());
    assert!(from_str::<u32>("-1").is_err());
    assert!(from_str::<i64>("1.5").is_err());
    assert!(from_str::<i64>("1e2").is_err(), "an exponent makes a float");
    assert_eq!(from_str::<u64>("18446744073709551615").unwrap(), u64::MAX);
    assert!(from_str::<u64>("18446744073709551616").is_err());
    assert_eq!(
        from_str::<i128>("-9223372036854775808").unwrap(),
        i128::from(i64::MIN)
    );
    assert_eq!(from_str::<f64>("7").unwrap(), 7.0);
    assert_eq!(from_str::<f32>("0.5").unwrap(), 0.5);
}

#[test]
fn floats_round_like_serde_json() {
    for json in [
        "1.5",
        "-1.5",
        "1e2",
        "1E2",
        "1e+2",
        "1e-2",
        "0.1",
        "0.30000000000000004",
        "2.2250738585072011e-308",
        "4.9406564584124654e-324",
        "2e-324",
        "1e-400",
        "-1e-400",
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "0e999999999999999999999",
        "1e00000000000000000000002",
        "9007199254740993",
        "9007199254740993.0",
        "123456789012345678901234567890e-10",
        "0.000000000000000000000000000000000000000000001",
    ] {
        same(json);
    }
    assert_eq!(value("1e2"), Value::from(100.0));
    assert_eq!(value("1e-2"), Value::from(0.01));
}

#[test]
fn numbers_out_of_range_are_rejected() {
    rejects("1e309", "number out of range");
    rejects("-1e309", "number out of range");
    rejects("1.8e308", "number out of range");
    rejects("1e999999999999999999999", "number out of range");
    rejects(&"9".repeat(400), "number out of range");
    rejects(&format!("[{}.5]", "9".repeat(400)), "number out of range");
    same(&"9".repeat(300));
}

#[test]
fn malformed_numbers_are_rejected() {
    rejects("01", "invalid number");
    rejects("-01", "invalid number");
    rejects("00", "invalid number");
    rejects("+1", "expected value");
    rejects(".5", "expected value");
    rejects("1.", "EOF while parsing a value");
    rejects("1.e5", "invalid number");
    rejects("[1.]", "invalid number");
    rejects("1e", "EOF while parsing a value");
    rejects("1e+", "EOF while parsing a value");
    rejects("[1e]", "invalid number");
    rejects("[1E+]", "invalid number");
    rejects("-", "EOF while parsing a value");
    rejects("-a", "invalid number");
    rejects("[-]", "invalid number");
    rejects("NaN", "expected value");
    rejects("Infinity", "expected value");
    rejects("-Infinity", "invalid number");
    rejects("0x10", "trailing characters");
    rejects("1 2", "trailing characters");
    rejects("[1 2]", "expected `,` or `]`");
}

#[test]
fn whitespace_is_the_four_json_characters() {
    same(" \t\n\r[ \t\n\r1 \t\n\r, \t\n\r{ \t\n\r\"a\" \t\n\r: \t\n\rnull \t\n\r} \t\n\r] \t\n\r");
    rejects("\u{c}1", "expected value");
    rejects("1\u{b}", "trailing characters");
    rejects("[1,\u{a0}2]", "expected value");
    rejects("", "EOF while parsing a value");
    rejects(" \n ", "EOF while parsing a value");
}

#[test]
fn containers() {
    same("[]");
    same("{}");
    same("[[], {}, [{}], {\"a\": []}]");
    same(r#"{"a": 1, "b": [true, null, "x"], "c": {"d": -1.5}}"#);
    // The last of a repeated key wins in a `Value`, as in serde_json.
    same(r#"{"a": 1, "a": 2}"#);
    rejects("[1,]", "trailing comma");
    rejects("[1,,2]", "expected value");
    rejects("[,1]", "expected value");
    rejects("{\"a\":1,}", "trailing comma");
    rejects("{,}", "key must be a string");
    rejects("{\"a\" 1}", "expected `:`");
    rejects("{\"a\":1 \"b\":2}", "expected `,` or `}`");
    rejects("{1:2}", "key must be a string");
    rejects("{a:2}", "key must be a string");
    rejects("{\"a\":}", "expected value");
    rejects("[1}", "expected `,` or `]`");
    rejects("{\"a\":1]", "expected `,` or `}`");
    rejects("[", "EOF while parsing a list");
    rejects("[ ", "EOF while parsing a list");
    rejects("[1", "EOF while parsing a list");
    rejects("[1,", "EOF while parsing a value");
    rejects("{", "EOF while parsing an object");
    rejects("{\"a\"", "EOF while parsing an object");
    rejects("{\"a\":", "EOF while parsing a value");
    rejects("{\"a\":1", "EOF while parsing an object");
    rejects("{\"a\":1,", "EOF while parsing an object");
    rejects("]", "expected value");
    rejects("[]]", "trailing characters");
    rejects("{}}", "trailing characters");
    rejects("[] []", "trailing characters");
}

#[test]
fn depth_limit_matches_serde_json() {
    let nested =
        |n: usize, open: &str, close: &str| format!("{}{}", open.repeat(n), close.repeat(n));
    for (open, close) in [("[", "]"), ("{\"k\":[", "]}")] {
        let ok = nested(127 / open.matches(['[', '{']).count(), open, close);
        same(&ok);
        let deep = nested(128, open, close);
        let e = err::<Value>(&deep);
        assert_eq!(e.category(), Category::Depth);
        assert!(
            e.to_string()
                .starts_with("recursion limit exceeded at line 1 column ")
        );
        assert_eq!(err::<IgnoredAny>(&deep).category(), Category::Depth);
        assert!(serde_json::from_str::<Value>(&deep).is_err());
    }
    let ok = nested(127, "[", "]");
    same(&ok);
    // Far past the limit: an error, not a stack overflow, also unclosed.
    let deep = "[".repeat(1_000_000);
    assert_eq!(err::<Value>(&deep).category(), Category::Depth);
    assert_eq!(err::<IgnoredAny>(&deep).category(), Category::Depth);
    // The skipper counts the containers open around it.
    #[derive(Debug, Deserialize)]
    struct Wrap {
        #[allow(dead_code)]
        x: Option<Box<Wrap>>,
    }
    let mut json = String::new();
    for _ in 0..60 {
        json.push_str("{\"x\":");
    }
    // 60 + 1 + 66 = 127 containers, the last 67 skipped.
    json.push_str(&format!("{{\"y\":{}}}", nested(66, "[", "]")));
    json.push_str(&"}".repeat(60));
    from_str::<Wrap>(&json).unwrap();
    let json = json.replacen('[', "[[", 1).replacen(']', "]]", 1);
    assert_eq!(err::<Wrap>(&json).category(), Category::Depth);
}

#[test]
fn errors_say_where() {
    assert_eq!(
        error("[1,\n  tru]"),
        "expected `true`, `false` or `null` at line 2 column 6"
    );
    assert_eq!(
        error("{\"a\": 1,\n\"b\" 2}"),
        "expected `:` at line 2 column 5"
    );
    assert_eq!(
        error("[\"é\", 1 x]"),
        "expected `,` or `]` at line 1 column 9"
    );
    assert_eq!(
        error("[1,\r\n2,\n"),
        "EOF while parsing a value at line 3 column 1"
    );
    assert_eq!(error("{} x"), "trailing characters at line 1 column 4");

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Spec {
        #[serde(rename = "hostNetwork")]
        host_network: bool,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Pod {
        spec: Spec,
    }
    let e = err::<Pod>(r#"{"spec":{"hostNetwork":"yes"}}"#);
    assert_eq!(
        e.to_string(),
        "invalid type: string \"yes\", expected a boolean at line 1 column 24"
    );
    assert_eq!((e.line(), e.column()), (1, 24));
    assert_eq!(e.category(), Category::Data);
    let e = err::<Pod>("{\n  \"spec\": {}\n}");
    assert_eq!(
        e.to_string(),
        "missing field `hostNetwork` at line 2 column 11"
    );
    let e = err::<Pod>("[]");
    assert_eq!(
        e.to_string(),
        "invalid length 0, expected struct Pod with 1 element at line 1 column 1"
    );
    let e = err::<Vec<u8>>("{\"a\": 1}");
    assert_eq!(
        e.to_string(),
        "invalid type: map, expected a sequence at line 1 column 1"
    );
    assert!(err::<Value>("[").is_eof());
    assert!(!err::<Value>("]").is_eof());
}

#[test]
fn typed_targets() {
    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
    enum Kind {
        Unit,
        Newtype(u8),
        Tuple(u8, bool),
        Struct { a: String },
    }
    assert_eq!(from_str::<Kind>(r#""Unit""#).unwrap(), Kind::Unit);
    assert_eq!(from_str::<Kind>(r#""\u0055nit""#).unwrap(), Kind::Unit);
    assert_eq!(from_str::<Kind>(r#"{"Unit": null}"#).unwrap(), Kind::Unit);
    assert_eq!(
        from_str::<Kind>(r#"{"Newtype": 7}"#).unwrap(),
        Kind::Newtype(7)
    );
    assert_eq!(
        from_str::<Kind>(r#" { "Tuple" : [1, true] } "#).unwrap(),
        Kind::Tuple(1, true)
    );
    assert_eq!(
        from_str::<Kind>(r#"{"Struct": {"a": "x"}}"#).unwrap(),
        Kind::Struct { a: "x".into() }
    );
    assert_eq!(
        err::<Kind>(r#""Other""#).to_string(),
        "unknown variant `Other`, expected one of `Unit`, `Newtype`, `Tuple`, `Struct` at line 1 column 1"
    );
    assert!(from_str::<Kind>(r#"{"Unit": null, "x": 1}"#).is_err());
    assert!(from_str::<Kind>(r#"{1: null}"#).is_err());
    assert!(from_str::<Kind>("7").is_err());

    #[derive(Debug, PartialEq, Deserialize)]
    struct Newtype(String);
    assert_eq!(from_str::<Newtype>(r#""n""#).unwrap(), Newtype("n".into()));
    #[derive(Debug, PartialEq, Deserialize)]
    struct Unit;
    assert_eq!(from_str::<Unit>("null").unwrap(), Unit);
    assert_eq!(
        from_str::<(u8, String, Option<bool>)>(r#"[1, "a", null]"#).unwrap(),
        (1, "a".into(), None)
    );
    assert!(from_str::<(u8, u8)>("[1, 2, 3]").is_err());
    assert!(from_str::<(u8, u8)>("[1]").is_err());
    assert_eq!(from_str::<char>(r#""é""#).unwrap(), 'é');
    assert!(from_str::<char>(r#""ab""#).is_err());
    assert_eq!(from_str::<Option<u8>>("null").unwrap(), None);
    assert_eq!(from_str::<Option<u8>>(" 3").unwrap(), Some(3));
    assert!(from_str::<Option<u8>>("").is_err());

    let bytes: &[u8] = from_str(r#""abc""#).unwrap();
    assert_eq!(bytes, b"abc");
    let bytes: serde_bytes_like::Buf = from_str(r#""a\nc""#).unwrap();
    assert_eq!(bytes.0, b"a\nc");

    // Map keys read as numbers and bools when the target asks.
    let m: BTreeMap<u32, bool> = from_str(r#"{"1": true, "20": false}"#).unwrap();
    assert_eq!(m, BTreeMap::from([(1, true), (20, false)]));
    let m: BTreeMap<i8, u8> = from_str(r#"{"-5": 1}"#).unwrap();
    assert_eq!(m, BTreeMap::from([(-5, 1)]));
    assert!(from_str::<BTreeMap<u32, u8>>(r#"{"x": 1}"#).is_err());
    assert!(from_str::<BTreeMap<u8, u8>>(r#"{"300": 1}"#).is_err());
    let m: BTreeMap<bool, u8> = from_str(r#"{"true": 1}"#).unwrap();
    assert_eq!(m, BTreeMap::from([(true, 1)]));
    let m: BTreeMap<Kind, u8> = from_str(r#"{"Unit": 1}"#).unwrap();
    assert_eq!(m, BTreeMap::from([(Kind::Unit, 1)]));
}

/// A byte buffer that reads through `deserialize_byte_buf`, as `serde_bytes::ByteBuf` does.
mod serde_bytes_like {
    pub(super) struct Buf(pub(super) Vec<u8>);
    impl<'de> serde::Deserialize<'de> for Buf {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Buf;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Buf, E> {
                    Ok(Buf(v))
                }
            }
            d.deserialize_byte_buf(V)
        }
    }
}

#[test]
fn skipped_fields_are_still_checked() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Only {
        name: String,
    }
    let ok =
        r#"{"name": "a", "rest": {"x": [1, -2.5e3, "\u00e9", true, false, null, {}], "y": []}}"#;
    assert_eq!(from_str::<Only>(ok).unwrap().name, "a");
    for bad in [
        r#"{"name": "a", "rest": [1,]}"#,
        r#"{"name": "a", "rest": {"x" 1}}"#,
        r#"{"name": "a", "rest": "\ud800"}"#,
        r#"{"name": "a", "rest": 1e400}"#,
        r#"{"name": "a", "rest": 01}"#,
        r#"{"name": "a", "rest": [tru]}"#,
        "{\"name\": \"a\", \"rest\": \"\t\"}",
        r#"{"name": "a", "rest": {"a": 1,}}"#,
        r#"{"name": "a", "rest": {"a": 1]}"#,
        r#"{"name": "a", "rest": [1}"#,
        r#"{"name": "a", "rest": {1: 1}}"#,
        r#"{"name": "a", "rest": ["#,
    ] {
        let theirs = serde_json::from_str::<Value>(bad);
        assert!(theirs.is_err(), "{bad}");
        let e = from_str::<Only>(bad).expect_err(bad);
        assert_eq!(e.message(), err::<Value>(bad).message(), "{bad}");
    }
}

#[test]
fn the_deserializer_can_be_driven_by_hand() {
    let mut de = super::Deserializer::from_slice(b" [true] x").unwrap();
    let v = <Vec<bool>>::deserialize(&mut de).unwrap();
    assert_eq!(v, [true]);
    assert_eq!(
        de.end().unwrap_err().to_string(),
        "trailing characters at line 1 column 9"
    );
    assert!(super::Deserializer::from_slice(b"\x80").is_err());
}

#[test]
fn custom_errors_without_a_value_get_the_current_position() {
    #[derive(Debug)]
    struct Fails;
    impl<'de> Deserialize<'de> for Fails {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            IgnoredAny::deserialize(d)?;
            Err(serde::de::Error::custom("no"))
        }
    }
    assert_eq!(err::<Fails>("\n [1]").to_string(), "no at line 2 column 5");
    let e: JsonError = serde::de::Error::custom("bare");
    assert_eq!(e.to_string(), "bare");
    assert_eq!((e.line(), e.column()), (0, 0));
    assert!(format!("{e:?}").contains("bare"));
}
