//! `palisade_core::json` against serde_json on arbitrary bytes: both accept the same
//! documents and read them as the same `serde_json::Value`; skipping a document
//! (`IgnoredAny`) accepts exactly what reading it does; errors display and point into the
//! input. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::core::json::{self, JsonError};
use palisade::pss::Pod;
use serde::de::IgnoredAny;
use serde_json::Value;

fn check_error(e: &JsonError, data: &[u8]) {
    let shown = e.to_string();
    assert!(shown.starts_with(e.message()), "{shown}");
    let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
    assert!((1..=lines).contains(&e.line()), "{shown}");
    assert!((1..=data.len() + 1).contains(&e.column()), "{shown}");
}

fuzz_target!(|data: &[u8]| {
    let theirs = serde_json::from_slice::<Value>(data);
    let ours = json::from_slice::<Value>(data);
    match (&theirs, &ours) {
        (Ok(t), Ok(o)) => assert_eq!(t, o, "{:?}", String::from_utf8_lossy(data)),
        (Err(_), Err(e)) => check_error(e, data),
        _ => panic!(
            "serde_json: {theirs:?}, ours: {ours:?} for {:?}",
            String::from_utf8_lossy(data)
        ),
    }
    match json::from_slice::<IgnoredAny>(data) {
        Ok(_) => assert!(ours.is_ok(), "skipping accepts what reading rejects"),
        Err(e) => {
            check_error(&e, data);
            if let Err(read) = &ours {
                assert_eq!(e.to_string(), read.to_string());
            } else {
                panic!("skipping rejects what reading accepts: {e}");
            }
        }
    }
    // A borrowed view that skips most fields and reads others into typed slots.
    match Pod::from_json(data) {
        Ok(_) => assert!(ours.is_ok(), "a pod from invalid JSON"),
        Err(e) => check_error(&e, data),
    }
});
