//! Machine-readable output: JSON and YAML renderings of a JSON value.

use std::io::Write;

use serde_json::Value;

use crate::{EXIT_OK, EXIT_USAGE, Format};

/// Writes `value` as JSON (pretty) or YAML; text output is each command's own.
pub(crate) fn write_value(out: &mut dyn Write, format: Format, value: &Value) -> u8 {
    let rendered = match format {
        Format::Json | Format::Text => {
            serde_json::to_string_pretty(value).map_err(|e| e.to_string())
        }
        Format::Yaml => serde_saphyr::to_string(value).map_err(|e| e.to_string()),
    };
    match rendered {
        Ok(text) => {
            let newline = if text.ends_with('\n') { "" } else { "\n" };
            if write!(out, "{text}{newline}").is_err() {
                return EXIT_USAGE;
            }
            EXIT_OK
        }
        Err(e) => crate::report_error(format!("cannot render output: {e}")),
    }
}
