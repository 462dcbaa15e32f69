//! `palisade jsonl`: one JSON request per line in, one JSON response per line out.

use std::io::{BufRead, Write};

use crate::{EXIT_OK, EXIT_USAGE};

/// Answers every line of `input` in order; blank lines are skipped. Stops at end of input.
pub(crate) fn run(input: impl BufRead, out: &mut dyn Write) -> u8 {
    for line in input.lines() {
        let line = match line {
            Ok(line) => line,
            Err(e) => return crate::report_error(format!("cannot read stdin: {e}")),
        };
        if line.trim().is_empty() {
            continue;
        }
        let response = palisade::protocol::handle_line(&line);
        if writeln!(out, "{response}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return EXIT_USAGE;
        }
    }
    EXIT_OK
}

#[cfg(test)]
mod tests {
    #[test]
    fn answers_each_line_in_order() {
        let input = "{\"op\":\"version\",\"id\":1}\n\nnot json\n{\"id\":3,\"op\":\"pss\"}\n";
        let mut out = Vec::new();
        assert_eq!(super::run(input.as_bytes(), &mut out), 0);
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["id"], 1);
        assert!(
            lines[1]["requestError"]
                .as_str()
                .unwrap()
                .starts_with("invalid JSON")
        );
        assert_eq!(lines[2]["id"], 3);
        assert_eq!(lines[2]["requestError"], "missing field `level`");
    }
}
