//! Values in the protobuf JSON form of `cel.expr.Value` (as the cel-spec conformance data and the
//! JSONL protocol's `typedVars` / `valueFormat: "cel"` write them).

use std::sync::Arc;

use base64::Engine as _;
use serde_json::{Value as Json, json};

use crate::time::{Duration, Timestamp};
use crate::value::{Key, Map, OwnedMap, Type, Value};

/// A `cel.expr.Value` that cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unsupported cel.expr.Value: {0}")]
pub struct ProtoJsonError(pub String);

fn err(msg: impl Into<String>) -> ProtoJsonError {
    ProtoJsonError(msg.into())
}

/// Reads a `cel.expr.Value` in protobuf JSON form.
pub fn from_proto_json(j: &Json) -> Result<Value<'static>, ProtoJsonError> {
    let obj = j.as_object().ok_or_else(|| err("not an object"))?;
    let (kind, v) = obj.iter().next().ok_or_else(|| err("empty object"))?;
    Ok(match kind.as_str() {
        "nullValue" => Value::Null,
        "boolValue" => Value::Bool(v.as_bool().ok_or_else(|| err("boolValue"))?),
        "int64Value" => Value::Int(num_str(v)?.parse().map_err(|_| err("int64Value"))?),
        "uint64Value" => Value::Uint(num_str(v)?.parse().map_err(|_| err("uint64Value"))?),
        "doubleValue" => Value::Double(match v {
            Json::String(s) => match s.as_str() {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                other => other.parse().map_err(|_| err("doubleValue"))?,
            },
            other => other.as_f64().ok_or_else(|| err("doubleValue"))?,
        }),
        "stringValue" => Value::string(v.as_str().ok_or_else(|| err("stringValue"))?),
        "bytesValue" => Value::Bytes(Arc::from(
            base64::engine::general_purpose::STANDARD
                .decode(v.as_str().ok_or_else(|| err("bytesValue"))?)
                .map_err(|_| err("bytesValue base64"))?,
        )),
        "listValue" => {
            let items = v
                .get("values")
                .and_then(Json::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            Value::list(
                items
                    .iter()
                    .map(from_proto_json)
                    .collect::<Result<_, _>>()?,
            )
        }
        "mapValue" => {
            let mut m = OwnedMap::default();
            for e in v
                .get("entries")
                .and_then(Json::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[])
            {
                let k = from_proto_json(e.get("key").ok_or_else(|| err("map key"))?)?;
                let val = from_proto_json(e.get("value").ok_or_else(|| err("map value"))?)?;
                let key = Key::from_value(&k).ok_or_else(|| err("map key type"))?;
                m.entries.push((key, val));
            }
            Value::Map(Map::Owned(Arc::new(m)))
        }
        "typeValue" => Value::Type(type_named(v.as_str().ok_or_else(|| err("typeValue"))?)),
        "objectValue" => {
            let t = v.get("@type").and_then(Json::as_str).unwrap_or("");
            let inner = v.get("value").and_then(Json::as_str).unwrap_or("");
            match t.rsplit('/').next().unwrap_or("") {
                "google.protobuf.Timestamp" => {
                    Value::Timestamp(Timestamp::parse(inner).ok_or_else(|| err("timestamp"))?)
                }
                "google.protobuf.Duration" => {
                    let secs = inner.strip_suffix('s').ok_or_else(|| err("duration"))?;
                    Value::Duration(
                        Duration::parse(&format!("{secs}s")).ok_or_else(|| err("duration"))?,
                    )
                }
                other => return Err(err(format!("message {other}"))),
            }
        }
        other => return Err(err(other.to_string())),
    })
}

fn num_str(v: &Json) -> Result<String, ProtoJsonError> {
    match v {
        Json::String(s) => Ok(s.clone()),
        Json::Number(n) => Ok(n.to_string()),
        _ => Err(err("number")),
    }
}

/// The type named `name` (as cel-go prints type names).
pub fn type_named(name: &str) -> Type {
    match name {
        "null_type" => Type::Null,
        "bool" => Type::Bool,
        "int" => Type::Int,
        "uint" => Type::Uint,
        "double" => Type::Double,
        "string" => Type::String,
        "bytes" => Type::Bytes,
        "list" => Type::List,
        "map" => Type::Map,
        "type" => Type::Type,
        "google.protobuf.Timestamp" => Type::Timestamp,
        "google.protobuf.Duration" => Type::Duration,
        "optional_type" => Type::Optional,
        other => Type::Named(Arc::from(other)),
    }
}

/// Writes a value as a `cel.expr.Value` in protobuf JSON form.
pub fn to_proto_json(v: &Value<'_>) -> Json {
    match v {
        Value::Null => json!({"nullValue": null}),
        Value::Bool(b) => json!({"boolValue": b}),
        Value::Int(i) => json!({"int64Value": i.to_string()}),
        Value::Uint(u) => json!({"uint64Value": u.to_string()}),
        Value::Double(d) => {
            if d.is_nan() {
                json!({"doubleValue": "NaN"})
            } else if d.is_infinite() {
                json!({"doubleValue": if *d > 0.0 { "Infinity" } else { "-Infinity" }})
            } else {
                json!({"doubleValue": d})
            }
        }
        Value::String(s) => json!({"stringValue": &**s}),
        Value::Bytes(b) => {
            json!({"bytesValue": base64::engine::general_purpose::STANDARD.encode(b)})
        }
        Value::List(l) => {
            let values: Vec<Json> = l.iter().map(|x| to_proto_json(&x)).collect();
            if values.is_empty() {
                json!({"listValue": {}})
            } else {
                json!({"listValue": {"values": values}})
            }
        }
        Value::Map(m) => {
            let entries: Vec<Json> = m
                .entries()
                .iter()
                .map(|(k, v)| json!({"key": to_proto_json(k), "value": to_proto_json(v)}))
                .collect();
            if entries.is_empty() {
                json!({"mapValue": {}})
            } else {
                json!({"mapValue": {"entries": entries}})
            }
        }
        Value::Timestamp(t) => {
            json!({"objectValue": {"@type": "type.googleapis.com/google.protobuf.Timestamp", "value": Timestamp { offset: 0, ..*t }.to_rfc3339()}})
        }
        Value::Duration(d) => {
            json!({"objectValue": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": d.to_cel_string()}})
        }
        Value::Type(t) => json!({"typeValue": t.name()}),
        Value::Optional(o) => match o {
            None => json!({"optionalValue": {}}),
            Some(x) => json!({"optionalValue": {"value": to_proto_json(x)}}),
        },
        Value::Opaque(o) => {
            json!({"objectValue": {"@type": o.type_name(), "value": o.to_display()}})
        }
    }
}

/// Strict equality for comparing results: types must match exactly (int is not uint), NaN equals
/// NaN, maps compare as sets of entries.
pub fn identical(a: &Value<'_>, b: &Value<'_>) -> bool {
    match (a, b) {
        (Value::Double(x), Value::Double(y)) => (x.is_nan() && y.is_nan()) || x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Uint(x), Value::Uint(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| identical(&p, &q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.entries().iter().all(|(k, v)| {
                    y.entries()
                        .iter()
                        .any(|(k2, v2)| identical(k, k2) && identical(v, v2))
                })
        }
        (Value::Optional(x), Value::Optional(y)) => match (x, y) {
            (None, None) => true,
            (Some(p), Some(q)) => identical(p, q),
            _ => false,
        },
        _ => a.type_name() == b.type_name() && crate::value::equals(a, b),
    }
}
