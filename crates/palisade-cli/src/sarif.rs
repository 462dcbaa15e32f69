//! Findings → SARIF 2.1.0, for any area: one run, the tool's rules, one result per finding.

use serde_json::{Value, json};

/// A rule of the tool (a catalog entry).
#[derive(Debug, Clone)]
pub(crate) struct SarifRule {
    /// Stable ID.
    pub(crate) id: String,
    /// Short description.
    pub(crate) title: String,
    /// Full description.
    pub(crate) description: String,
    /// What to do (help text).
    pub(crate) help: String,
    /// Documentation link, if any.
    pub(crate) help_uri: Option<String>,
    /// Default level: `error`, `warning` or `note`.
    pub(crate) level: &'static str,
}

/// One finding.
#[derive(Debug, Clone)]
pub(crate) struct SarifResult {
    /// The rule's ID.
    pub(crate) rule_id: String,
    /// `error`, `warning` or `note`.
    pub(crate) level: &'static str,
    /// The message.
    pub(crate) message: String,
    /// The file the finding is in, if known.
    pub(crate) uri: Option<String>,
    /// A logical location (the object), if known.
    pub(crate) logical: Option<String>,
    /// Extra properties.
    pub(crate) properties: Value,
}

/// The SARIF log for one tool run.
pub(crate) fn to_sarif(tool: &str, rules: &[SarifRule], results: &[SarifResult]) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut v = json!({
                "id": r.id,
                "name": r.title,
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": r.description},
                "help": {"text": r.help},
                "defaultConfiguration": {"level": r.level},
            });
            if let (Some(uri), Some(m)) = (&r.help_uri, v.as_object_mut()) {
                m.insert("helpUri".into(), uri.clone().into());
            }
            v
        })
        .collect();
    let results: Vec<Value> = results
        .iter()
        .map(|r| {
            let mut location = serde_json::Map::new();
            if let Some(uri) = &r.uri {
                // Origins look like `file#doc`; the artifact is the file.
                let file = uri.split('#').next().unwrap_or(uri);
                location.insert(
                    "physicalLocation".into(),
                    json!({"artifactLocation": {"uri": file}}),
                );
            }
            if let Some(l) = &r.logical {
                location.insert(
                    "logicalLocations".into(),
                    json!([{"fullyQualifiedName": l}]),
                );
            }
            let mut v = json!({
                "ruleId": r.rule_id,
                "level": r.level,
                "message": {"text": r.message},
                "properties": r.properties,
            });
            if !location.is_empty()
                && let Some(m) = v.as_object_mut()
            {
                m.insert("locations".into(), json!([Value::Object(location)]));
            }
            v
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": tool,
                "version": palisade::protocol::VERSION,
                "informationUri": "https://github.com/palisade-rs/palisade",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
