//! Arbitrary bytes as `palisade jsonl` input: every line is answered by one line of valid
//! JSON (an answer or a `requestError`), an `id` is echoed back, and nothing may panic or
//! hang, whatever the op and its fields.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for line in text.lines().take(16) {
        let response = palisade::protocol::handle_line(line);
        assert!(!response.contains('\n'), "a response is one line: {response}");
        let answer: Value = serde_json::from_str(&response).expect("a response is JSON");
        assert!(answer.is_object(), "a response is an object: {response}");
        if let Ok(Value::Object(request)) = serde_json::from_str::<Value>(line)
            && let Some(id) = request.get("id")
        {
            assert_eq!(answer.get("id"), Some(id), "the id is echoed: {response}");
        }
    }
});
