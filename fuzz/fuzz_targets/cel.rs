//! Arbitrary bytes → a CEL expression (first line) and a JSON object (the rest) → compile in the
//! Kubernetes environment and evaluate over the object as `object`, `oldObject` and `params`.
//! Nothing may panic or hang.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use palisade::cel::authz::NoOpinion;
use palisade::cel::k8s::activation::VapVars;
use palisade::cel::k8s::{EnvType, MAX_MINOR};
use palisade::cel::{Env, Program};

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| Env::kubernetes(MAX_MINOR, EnvType::Stored, None).unwrap_or_else(|_| Env::spec(&[])))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (expr, rest) = text.split_once('\n').unwrap_or((text, "null"));
    let object: serde_json::Value = serde_json::from_str(rest).unwrap_or(serde_json::Value::Null);
    match Program::compile(env(), expr) {
        Ok(program) => {
            let vars = VapVars::new(Some(&object), Some(&object), Some(&object), None, None);
            let out = program.eval(&|name| vars.resolve(name), &NoOpinion);
            if let Ok(v) = out.result {
                let _ = palisade::cel::json_out::to_json(&v);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
