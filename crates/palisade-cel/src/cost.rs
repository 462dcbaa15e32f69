//! The runtime cost of a call, as cel-go's actual cost tracker counts it.

use crate::value::Value;

/// cel-go's `StringTraversalCostFactor`.
const STRING_TRAVERSAL: f64 = 0.1;
/// cel-go's `RegexStringLengthCostFactor`.
const REGEX_LENGTH: f64 = 0.25;

fn traversal(size: u64) -> u64 {
    (size as f64 * STRING_TRAVERSAL).ceil() as u64
}

fn size_of(v: Option<&Value<'_>>) -> u64 {
    v.map_or(1, Value::actual_size)
}

/// The cost of calling `name` with `args` (target first).
pub(crate) fn call_cost(name: &str, args: &[Value<'_>]) -> u64 {
    let a0 = args.first();
    let a1 = args.get(1);
    let strings = matches!(a0, Some(Value::String(_) | Value::Bytes(_)))
        && matches!(a1, Some(Value::String(_) | Value::Bytes(_)));
    match name {
        "startsWith" | "endsWith" if args.len() == 2 => traversal(size_of(a0)),
        "bytes" if matches!(a0, Some(Value::String(_))) => traversal(size_of(a0)),
        "string" if matches!(a0, Some(Value::Bytes(_))) => traversal(size_of(a0)),
        "strings.quote" | "format" => traversal(size_of(a0)),
        "@in" if matches!(a1, Some(Value::List(_))) => size_of(a1),
        "_<_" | "_>_" | "_<=_" | "_>=_" if strings => traversal(size_of(a0).min(size_of(a1))),
        "_==_" | "_!=_" => traversal(size_of(a0).min(size_of(a1))),
        "_+_" if strings => traversal(size_of(a0) + size_of(a1)),
        "matches" => {
            let s = ((1.0 + size_of(a0) as f64) * STRING_TRAVERSAL).ceil() as u64;
            let r = (size_of(a1) as f64 * REGEX_LENGTH).ceil() as u64;
            s.saturating_mul(r)
        }
        "contains" if strings => traversal(size_of(a0)).saturating_mul(traversal(size_of(a1))),
        _ => 1,
    }
}
