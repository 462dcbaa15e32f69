//! Values as plain JSON, as the JSONL protocol and the CLI print them.

use base64::Engine as _;
use serde_json::{Map, Value as Json, json};

use crate::stdlib::format_double;
use crate::time::Timestamp;
use crate::value::Value;

/// A value as plain JSON: lists and maps as arrays and objects (a non-string key as its JSON
/// text), int and uint as integers, doubles as numbers (NaN and ±infinity as `"NaN"`, `"+Inf"`,
/// `"-Inf"`), bytes as base64, timestamps in RFC 3339 UTC, durations in `string()` form, types
/// as their names, optionals as `{"optional": v}` or `{"optional": "none"}`, library types as
/// their string form.
pub fn to_json(v: &Value<'_>) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Uint(u) => json!(u),
        Value::Double(d) => {
            if d.is_finite() {
                json!(d)
            } else {
                json!(format_double(*d))
            }
        }
        Value::String(s) => json!(&**s),
        Value::Bytes(b) => json!(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::List(l) => Json::Array(l.iter().map(|x| to_json(&x)).collect()),
        Value::Map(m) => {
            let mut out = Map::new();
            for (k, val) in m.entries() {
                let key = match &k {
                    Value::String(s) => s.to_string(),
                    other => to_json(other).to_string(),
                };
                out.insert(key, to_json(&val));
            }
            Json::Object(out)
        }
        Value::Timestamp(t) => json!(Timestamp { offset: 0, ..*t }.to_rfc3339()),
        Value::Duration(d) => json!(d.to_cel_string()),
        Value::Type(t) => json!(t.name()),
        Value::Optional(None) => json!({"optional": "none"}),
        Value::Optional(Some(x)) => json!({"optional": to_json(x)}),
        Value::Opaque(o) => json!(o.to_display()),
    }
}
