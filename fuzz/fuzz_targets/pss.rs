//! PSS evaluation of arbitrary bytes: parse as a pod (borrowed fast path) and as any workload
//! (through `serde_json::Value`), evaluate at every level and a spread of versions, and build
//! every message. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::pss::defaulting::{DefaultingTarget, apply_defaults};
use palisade::pss::workload::read_object;
use palisade::pss::{Evaluator, Level, LevelVersion, Pod, Version};

fn exercise(pod: &Pod<'_>) {
    let evaluator = Evaluator::new();
    for level in [Level::Baseline, Level::Restricted] {
        for version in [Version::V1(0), Version::V1(18), Version::V1(25), Version::V1(34), Version::Latest] {
            let eval = evaluator.evaluate(LevelVersion::new(level, version), pod);
            let _ = eval.results().count();
            if !eval.allowed() {
                let _ = eval.admission_message("fuzz");
                let _ = eval.warning();
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(mut pod) = Pod::from_json(data) {
        exercise(&pod);
        apply_defaults(&mut pod, DefaultingTarget::Pod);
        exercise(&pod);
    }
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(Some(object)) = read_object(&value) {
            exercise(&object.pod);
        }
        let _ = palisade::protocol::handle(&serde_json::json!({
            "op": "pss", "level": "restricted", "version": "latest", "object": value, "defaulting": true
        }));
    }
});
