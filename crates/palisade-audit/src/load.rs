//! Loading an audit `Policy` as upstream's `LoadPolicyFromBytes`
//! (`k8s.io/apiserver/pkg/audit/policy/reader.go`) does: decode strictly, fall back to lenient
//! decoding (with a warning) when the only problems are unknown fields, check the group and
//! version, validate, and refuse a policy without rules.

use palisade_core::load::{Limits, parse_manifests};
use serde_json::{Map, Value};

use crate::policy::{GroupResources, Level, Policy, PolicyRule, Stage, StageSet};
use crate::validation::{FieldError, RawPolicy, RawRule, ValidationErrors, validate};

/// The only registered group and version (`pkg/audit/scheme.go`).
pub const API_VERSION: &str = "audit.k8s.io/v1";

/// The scheme name upstream's decoding errors mention.
const SCHEME: &str = "k8s.io/apiserver/pkg/audit/scheme.go:30";

/// A policy that loaded, with the warnings upstream logs while loading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The policy.
    pub policy: Policy,
    /// Warnings, e.g. unknown fields dropped by the lenient fallback (upstream logs
    /// `Audit policy contains errors, falling back to lenient decoding: …`).
    pub warnings: Vec<String>,
}

/// Why a policy does not load. `Display` gives the text upstream's loader returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The bytes are not YAML or JSON.
    #[error("failed decoding: {0}")]
    Syntax(String),
    /// The document does not decode into a `Policy` (wrong types, unregistered kind).
    #[error("failed decoding: {0}")]
    Decode(String),
    /// The document has no `apiVersion` of a registered version.
    #[error("unknown group version field {0} in policy")]
    UnknownGroupVersion(String),
    /// Validation failed: every field error, aggregated as upstream prints them.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// The policy is valid but has no rules.
    #[error("loaded illegal policy with 0 rules")]
    NoRules,
}

impl LoadError {
    /// The validation errors, empty for every other kind of failure.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            LoadError::Invalid(errors) => &errors.0,
            _ => &[],
        }
    }
}

/// Loads a policy from YAML or JSON bytes. Like upstream, only the first document is read.
pub fn from_bytes(bytes: &[u8]) -> Result<Loaded, LoadError> {
    let manifests = parse_manifests(bytes, None, &Limits::default())
        .map_err(|e| LoadError::Syntax(e.to_string()))?;
    match manifests.first() {
        Some(m) => from_value(&m.value),
        None => Err(LoadError::Decode("Object 'Kind' is missing in ''".into())),
    }
}

/// Loads a policy from its JSON form.
pub fn from_value(value: &Value) -> Result<Loaded, LoadError> {
    let Value::Object(object) = value else {
        return Err(LoadError::Decode(format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
            json_type(value)
        )));
    };
    let api_version = type_meta(object, "apiVersion")?;
    let kind = type_meta(object, "kind")?;
    let mut unknown = Vec::new();
    let raw = decode_policy(object, &mut unknown).map_err(LoadError::Decode)?;
    match (api_version, kind) {
        ("", "") => return Err(LoadError::UnknownGroupVersion("/, Kind=".into())),
        (_, "") => {
            return Err(LoadError::Decode(format!(
                "Object 'Kind' is missing in '{value}'"
            )));
        }
        ("", kind) => {
            return Err(LoadError::UnknownGroupVersion(format!("/, Kind={kind}")));
        }
        (API_VERSION, "Policy") => {}
        (API_VERSION, other @ ("Event" | "EventList" | "PolicyList")) => {
            return Err(LoadError::Decode(format!(
                "converting (v1.{other}) to (audit.Policy): unknown conversion"
            )));
        }
        (version, kind) => {
            return Err(LoadError::Decode(format!(
                "no kind \"{kind}\" is registered for version \"{version}\" in scheme \"{SCHEME}\""
            )));
        }
    }
    let errors = validate(&raw);
    if !errors.is_empty() {
        return Err(LoadError::Invalid(ValidationErrors(errors)));
    }
    if raw.rules.is_empty() {
        return Err(LoadError::NoRules);
    }
    let warnings = if unknown.is_empty() {
        Vec::new()
    } else {
        let list: Vec<String> = unknown
            .iter()
            .map(|f| format!("unknown field {}", palisade_core::quote::GoQuoted(f)))
            .collect();
        vec![format!(
            "Audit policy contains errors, falling back to lenient decoding: strict decoding error: {}",
            list.join(", ")
        )]
    };
    Ok(Loaded {
        policy: convert(raw),
        warnings,
    })
}

fn type_meta<'v>(object: &'v Map<String, Value>, field: &str) -> Result<&'v str, LoadError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(LoadError::Decode(format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go struct field .{field} of type string",
            json_type(other)
        ))),
    }
}

/// Turns a validated raw policy into the typed one.
fn convert(raw: RawPolicy) -> Policy {
    let stages =
        |list: &[String]| -> StageSet { list.iter().filter_map(|s| Stage::parse(s)).collect() };
    Policy {
        omit_stages: stages(&raw.omit_stages),
        omit_managed_fields: raw.omit_managed_fields,
        rules: raw
            .rules
            .into_iter()
            .map(|r| PolicyRule {
                level: Level::parse(&r.level).unwrap_or(Level::None),
                omit_stages: stages(&r.omit_stages),
                users: r.users,
                user_groups: r.user_groups,
                verbs: r.verbs,
                resources: r.resources,
                namespaces: r.namespaces,
                non_resource_urls: r.non_resource_urls,
                omit_managed_fields: r.omit_managed_fields,
            })
            .collect(),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Decoding over one JSON object, Go style: `null` is the zero value, a type mismatch is an
/// error naming the field, unknown keys are collected (case-sensitive, as Kubernetes decodes).
struct Decoder<'u> {
    unknown: &'u mut Vec<String>,
}

fn mismatch(v: &Value, field: &str, go_type: &str) -> String {
    format!(
        "json: cannot unmarshal {} into Go struct field {field} of type {go_type}",
        json_type(v)
    )
}

impl Decoder<'_> {
    fn string(&self, v: Option<&Value>, field: &str, go_type: &str) -> Result<String, String> {
        match v {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(mismatch(other, field, go_type)),
        }
    }

    fn strings(
        &self,
        v: Option<&Value>,
        field: &str,
        go_type: &str,
    ) -> Result<Vec<String>, String> {
        match v {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    // A null element of a []string decodes to "".
                    Value::Null => Ok(String::new()),
                    Value::String(s) => Ok(s.clone()),
                    other => Err(mismatch(other, field, go_type)),
                })
                .collect(),
            Some(other) => Err(mismatch(other, field, &format!("[]{go_type}"))),
        }
    }

    fn boolean(&self, v: Option<&Value>, field: &str) -> Result<Option<bool>, String> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(mismatch(other, field, "bool")),
        }
    }

    fn objects<'v>(
        &self,
        v: Option<&'v Value>,
        field: &str,
        go_type: &str,
    ) -> Result<Vec<Option<&'v Map<String, Value>>>, String> {
        match v {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::Null => Ok(None),
                    Value::Object(m) => Ok(Some(m)),
                    other => Err(mismatch(other, field, go_type)),
                })
                .collect(),
            Some(other) => Err(mismatch(other, field, &format!("[]{go_type}"))),
        }
    }

    fn note_unknown(&mut self, object: &Map<String, Value>, known: &[&str], prefix: &str) {
        for key in object.keys() {
            if !known.contains(&key.as_str()) {
                self.unknown.push(if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                });
            }
        }
    }
}

fn decode_policy(
    object: &Map<String, Value>,
    unknown: &mut Vec<String>,
) -> Result<RawPolicy, String> {
    let mut d = Decoder { unknown };
    d.note_unknown(
        object,
        &[
            "apiVersion",
            "kind",
            "metadata",
            "rules",
            "omitStages",
            "omitManagedFields",
        ],
        "",
    );
    match object.get("metadata") {
        None | Some(Value::Null | Value::Object(_)) => {}
        Some(other) => return Err(mismatch(other, "Policy.metadata", "v1.ObjectMeta")),
    }
    let mut policy = RawPolicy {
        omit_stages: d.strings(object.get("omitStages"), "Policy.omitStages", "v1.Stage")?,
        omit_managed_fields: d
            .boolean(object.get("omitManagedFields"), "Policy.omitManagedFields")?
            .unwrap_or(false),
        rules: Vec::new(),
    };
    let rules = d.objects(object.get("rules"), "Policy.rules", "v1.PolicyRule")?;
    for (i, rule) in rules.into_iter().enumerate() {
        let Some(rule) = rule else {
            policy.rules.push(RawRule::default());
            continue;
        };
        policy.rules.push(decode_rule(&mut d, rule, i)?);
    }
    Ok(policy)
}

fn decode_rule(
    d: &mut Decoder<'_>,
    rule: &Map<String, Value>,
    i: usize,
) -> Result<RawRule, String> {
    let prefix = format!("rules[{i}]");
    d.note_unknown(
        rule,
        &[
            "level",
            "users",
            "userGroups",
            "verbs",
            "resources",
            "namespaces",
            "nonResourceURLs",
            "omitStages",
            "omitManagedFields",
        ],
        &prefix,
    );
    let f = |name: &str| format!("Policy.rules.{name}");
    let mut raw = RawRule {
        level: d.string(rule.get("level"), &f("level"), "v1.Level")?,
        users: d.strings(rule.get("users"), &f("users"), "string")?,
        user_groups: d.strings(rule.get("userGroups"), &f("userGroups"), "string")?,
        verbs: d.strings(rule.get("verbs"), &f("verbs"), "string")?,
        namespaces: d.strings(rule.get("namespaces"), &f("namespaces"), "string")?,
        non_resource_urls: d.strings(
            rule.get("nonResourceURLs"),
            &f("nonResourceURLs"),
            "string",
        )?,
        omit_stages: d.strings(rule.get("omitStages"), &f("omitStages"), "v1.Stage")?,
        omit_managed_fields: d.boolean(rule.get("omitManagedFields"), &f("omitManagedFields"))?,
        resources: Vec::new(),
    };
    let entries = d.objects(rule.get("resources"), &f("resources"), "v1.GroupResources")?;
    for (j, entry) in entries.into_iter().enumerate() {
        let Some(entry) = entry else {
            raw.resources.push(GroupResources::default());
            continue;
        };
        d.note_unknown(
            entry,
            &["group", "resources", "resourceNames"],
            &format!("{prefix}.resources[{j}]"),
        );
        let g = |name: &str| format!("Policy.rules.resources.{name}");
        raw.resources.push(GroupResources {
            group: d.string(entry.get("group"), &g("group"), "string")?,
            resources: d.strings(entry.get("resources"), &g("resources"), "string")?,
            resource_names: d.strings(entry.get("resourceNames"), &g("resourceNames"), "string")?,
        });
    }
    Ok(raw)
}

impl Policy {
    /// Loads a policy from its JSON form; see [`from_value`].
    pub fn from_value(value: &Value) -> Result<Loaded, LoadError> {
        from_value(value)
    }
}

/// Whether a manifest is an audit `Policy` (any `audit.k8s.io` version), the objects
/// `palisade check` lints.
pub fn is_audit_policy(value: &Value) -> bool {
    value.get("kind").and_then(Value::as_str) == Some("Policy")
        && value
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("audit.k8s.io/"))
}
