//! The `PodSecurityConfiguration` of the admission plugin: default policy and exemptions.
//!
//! [`Config::from_value`] reads a `PodSecurityConfiguration` of apiVersion
//! `pod-security.admission.config.k8s.io/v1`, `v1beta1` or `v1alpha1` the way upstream's
//! `admission/api/load.LoadFromData` decodes it (strict decoding: unknown fields are errors),
//! defaults it (`admission/api/v1*/defaults.go`: every empty level is `privileged`, every empty
//! version `latest`) and validates it (`admission/api/validation.ValidatePodSecurityConfiguration`).
//! The three versions have identical fields, defaults and validation; they differ only in the Go
//! package name that type errors print (`v1.PodSecurityDefaults`, `v1beta1.…`, `v1alpha1.…`).
//!
//! No configuration file at all (or an empty one) means [`Config::default`]: all modes
//! `privileged:latest`, no exemptions. A document that is present but empty (YAML `null`) is an
//! error upstream (`Object 'Kind' is missing in 'null'`), and so it is here.
//!
//! ```
//! use palisade_pss::config::Config;
//! use palisade_pss::{Level, Version};
//!
//! let config = Config::from_value(&serde_json::json!({
//!     "apiVersion": "pod-security.admission.config.k8s.io/v1",
//!     "kind": "PodSecurityConfiguration",
//!     "defaults": {"enforce": "baseline", "enforce-version": "v1.30"},
//!     "exemptions": {"namespaces": ["kube-system"]},
//! }))?;
//! assert_eq!(config.defaults.enforce.level, Level::Baseline);
//! assert_eq!(config.defaults.enforce.version, Version::V1(30));
//! assert_eq!(config.defaults.warn.level, Level::Privileged);
//! assert!(config.exemptions.exempts_namespace("kube-system"));
//! # Ok::<(), palisade_pss::config::ConfigError>(())
//! ```

use std::fmt;

use palisade_core::FieldPath;
use serde_json::{Map, Value};

use crate::labels::{GoQuoted, Policy, aggregate_messages};
use crate::level::{InvalidLevel, InvalidVersion, Level, LevelVersion, Version};

/// The API group of `PodSecurityConfiguration`.
pub const GROUP: &str = "pod-security.admission.config.k8s.io";
/// The kind of the configuration object.
pub const KIND: &str = "PodSecurityConfiguration";
/// The API versions upstream registers, in its order of preference.
pub const VERSIONS: [&str; 3] = ["v1", "v1beta1", "v1alpha1"];

/// The scheme name upstream's "not registered" errors print: the call site of
/// `runtime.NewScheme()` in `admission/api/scheme/scheme.go`.
const SCHEME_NAME: &str = "k8s.io/pod-security-admission/admission/api/scheme/scheme.go:31";

/// The Go type the version/kind sniffing decodes into, as `reflect.Type.String()` prints it.
const TYPE_META_GO_TYPE: &str = r#"struct { APIVersion string "json:\"apiVersion,omitempty\""; Kind string "json:\"kind,omitempty\"" }"#;

/// Upstream caps the strict decoding errors it collects at this many.
const MAX_STRICT_ERRORS: usize = 100;

/// A validated `PodSecurityConfiguration`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The policy for namespaces without Pod Security labels (and for the modes a namespace does
    /// not label).
    pub defaults: Policy,
    /// Who and what is exempt from Pod Security admission.
    pub exemptions: Exemptions,
}

/// The exemptions of a `PodSecurityConfiguration`.
///
/// An exempt request is allowed without evaluation; upstream records the audit annotation
/// `pod-security.kubernetes.io/exempt` with value `user`, `namespace` or `runtimeClass`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exemptions {
    /// Requesting users (`userInfo.username`) that are exempt.
    pub usernames: Vec<String>,
    /// Namespaces that are exempt.
    pub namespaces: Vec<String>,
    /// `spec.runtimeClassName` values that are exempt.
    pub runtime_classes: Vec<String>,
}

impl Exemptions {
    /// Whether requests in `namespace` are exempt. The empty namespace never is (upstream
    /// `exemptNamespace`).
    pub fn exempts_namespace(&self, namespace: &str) -> bool {
        !namespace.is_empty() && self.namespaces.iter().any(|n| n == namespace)
    }

    /// Whether requests by `username` are exempt. The empty username never is (upstream
    /// `exemptUser`).
    pub fn exempts_user(&self, username: &str) -> bool {
        !username.is_empty() && self.usernames.iter().any(|u| u == username)
    }

    /// Whether pods with this `spec.runtimeClassName` are exempt. An unset or empty runtime
    /// class never is (upstream `exemptRuntimeClass`).
    pub fn exempts_runtime_class(&self, runtime_class: Option<&str>) -> bool {
        match runtime_class {
            Some(rc) if !rc.is_empty() => self.runtime_classes.iter().any(|r| r == rc),
            _ => false,
        }
    }

    /// Validates the exemptions as upstream `ValidatePodSecurityConfiguration` does: namespaces
    /// must be DNS-1123 labels, runtime classes DNS-1123 subdomains, usernames non-empty, and
    /// none may repeat. Errors come namespaces first, then runtime classes, then usernames.
    pub fn validate(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        validate_list(
            &self.namespaces,
            "namespaces",
            palisade_core::validation::is_dns1123_label,
            |field, value, detail| ValidationError::InvalidNamespace {
                field,
                value,
                detail,
            },
            |field, value| ValidationError::DuplicateNamespace { field, value },
            &mut errors,
        );
        validate_list(
            &self.runtime_classes,
            "runtimeClasses",
            palisade_core::validation::is_dns1123_subdomain,
            |field, value, detail| ValidationError::InvalidRuntimeClass {
                field,
                value,
                detail,
            },
            |field, value| ValidationError::DuplicateRuntimeClass { field, value },
            &mut errors,
        );
        validate_list(
            &self.usernames,
            "usernames",
            |name| {
                if name.is_empty() {
                    vec!["username must not be empty".to_owned()]
                } else {
                    Vec::new()
                }
            },
            |field, _, _| ValidationError::EmptyUsername { field },
            |field, value| ValidationError::DuplicateUsername { field, value },
            &mut errors,
        );
        errors
    }
}

/// Validates one exemption list: an invalid entry is reported and skipped, a valid entry seen
/// before is a duplicate (upstream `validateNamespaces`, `validateRuntimeClasses`,
/// `validateUsernames`).
fn validate_list<'s>(
    values: &'s [String],
    list: &str,
    check: impl Fn(&str) -> Vec<String>,
    invalid: impl Fn(FieldPath, String, String) -> ValidationError,
    duplicate: impl Fn(FieldPath, String) -> ValidationError,
    errors: &mut Vec<ValidationError>,
) {
    let mut valid: Vec<&'s str> = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let problems = check(value);
        let field = || FieldPath::new(["exemptions", list]).index(i);
        if !problems.is_empty() {
            errors.push(invalid(field(), value.clone(), problems.join(", ")));
        } else if valid.contains(&value.as_str()) {
            errors.push(duplicate(field(), value.clone()));
        } else {
            valid.push(value);
        }
    }
}

/// The string fields of `defaults`, in upstream's decoding struct order.
const DEFAULTS_FIELDS: [&str; 6] = [
    "enforce",
    "enforce-version",
    "audit",
    "audit-version",
    "warn",
    "warn-version",
];

/// The decoded, not yet defaulted, `defaults` strings (empty = unset).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct RawDefaults {
    enforce: String,
    enforce_version: String,
    audit: String,
    audit_version: String,
    warn: String,
    warn_version: String,
}

impl RawDefaults {
    fn slot(&mut self, name: &str) -> Option<&mut String> {
        match name {
            "enforce" => Some(&mut self.enforce),
            "enforce-version" => Some(&mut self.enforce_version),
            "audit" => Some(&mut self.audit),
            "audit-version" => Some(&mut self.audit_version),
            "warn" => Some(&mut self.warn),
            "warn-version" => Some(&mut self.warn_version),
            _ => None,
        }
    }

    /// Upstream `SetDefaults_PodSecurityDefaults` (identical in v1alpha1, v1beta1 and v1).
    fn set_defaults(&mut self) {
        for level in [&mut self.enforce, &mut self.audit, &mut self.warn] {
            if level.is_empty() {
                *level = Level::Privileged.as_str().to_owned();
            }
        }
        for version in [
            &mut self.enforce_version,
            &mut self.audit_version,
            &mut self.warn_version,
        ] {
            if version.is_empty() {
                *version = Version::Latest.to_string();
            }
        }
    }
}

impl Config {
    /// Decodes, defaults and validates a `PodSecurityConfiguration` exactly as upstream loads
    /// it.
    ///
    /// The steps and their errors, in order:
    /// 1. read `apiVersion` and `kind` (matched case-insensitively, like Go's `encoding/json`);
    /// 2. `kind` must be set, then `apiVersion`; the pair must be a registered one;
    /// 3. decode strictly: the first value of the wrong JSON type is the error; otherwise every
    ///    unknown field is (keys are case-sensitive);
    /// 4. default empty levels to `privileged` and empty versions to `latest`;
    /// 5. validate ([`ValidationError`], all of them, in upstream order).
    pub fn from_value(value: &Value) -> Result<Config, ConfigError> {
        let version = check_type_meta(value)?;
        let (mut defaults, exemptions) = decode(value, version)?;
        defaults.set_defaults();

        let mut errors = Vec::new();
        let mut levels = [Level::Privileged; 3];
        let mut versions = [Version::Latest; 3];
        // Upstream validates in the order enforce, warn, audit.
        let order = [
            (
                "enforce",
                "enforce-version",
                &defaults.enforce,
                &defaults.enforce_version,
                0,
            ),
            (
                "warn",
                "warn-version",
                &defaults.warn,
                &defaults.warn_version,
                2,
            ),
            (
                "audit",
                "audit-version",
                &defaults.audit,
                &defaults.audit_version,
                1,
            ),
        ];
        for (level_field, version_field, level, version, slot) in order {
            match Level::parse(level) {
                Ok(l) => set(&mut levels, slot, l),
                Err(_) => errors.push(ValidationError::InvalidLevel {
                    field: FieldPath::new(["defaults", level_field]),
                    value: level.clone(),
                }),
            }
            match Version::parse(version) {
                Ok(v) => set(&mut versions, slot, v),
                Err(_) => errors.push(ValidationError::InvalidVersion {
                    field: FieldPath::new(["defaults", version_field]),
                    value: version.clone(),
                }),
            }
        }
        errors.extend(exemptions.validate());
        if !errors.is_empty() {
            return Err(ConfigError::Invalid(InvalidConfig {
                errors,
                defaults: Box::new(defaults),
            }));
        }

        let [enforce_level, audit_level, warn_level] = levels;
        let [enforce_version, audit_version, warn_version] = versions;
        Ok(Config {
            defaults: Policy {
                enforce: LevelVersion::new(enforce_level, enforce_version),
                audit: LevelVersion::new(audit_level, audit_version),
                warn: LevelVersion::new(warn_level, warn_version),
            },
            exemptions,
        })
    }
}

fn set<T>(slots: &mut [T; 3], index: usize, value: T) {
    if let Some(slot) = slots.get_mut(index) {
        *slot = value;
    }
}

/// The registered version a document names, for the package name in type errors.
#[derive(Debug, Clone, Copy)]
struct GoPackage(&'static str);

/// Upstream's version/kind sniffing (`json.SimpleMetaFactory.Interpret`, `schema.ParseGroupVersion`)
/// and scheme lookup.
fn check_type_meta(value: &Value) -> Result<GoPackage, ConfigError> {
    let mut api_version = "";
    let mut kind = "";
    match value {
        Value::Null => {}
        Value::Object(map) => {
            // Go's encoding/json matches keys case-insensitively and the last match wins; the
            // first value of the wrong type is the error.
            for (key, v) in map {
                let target = if go_fold_eq(key, "apiVersion") {
                    &mut api_version
                } else if go_fold_eq(key, "kind") {
                    &mut kind
                } else {
                    continue;
                };
                match v {
                    Value::String(s) => *target = s,
                    Value::Null => {}
                    other => {
                        return Err(ConfigError::TypeMetaNotString {
                            field: if go_fold_eq(key, "kind") {
                                "kind"
                            } else {
                                "apiVersion"
                            },
                            json_type: go_json_type(other),
                        });
                    }
                }
            }
        }
        other => {
            return Err(ConfigError::NotAnObject {
                json_type: go_json_type(other),
            });
        }
    }

    let (group, version) = if api_version.is_empty() || api_version == "/" {
        ("", "")
    } else {
        match api_version.split_once('/') {
            None => ("", api_version),
            Some((_, rest)) if rest.contains('/') => {
                return Err(ConfigError::MalformedApiVersion {
                    api_version: api_version.to_owned(),
                });
            }
            Some((group, version)) => (group, version),
        }
    };

    if kind.is_empty() {
        return Err(ConfigError::MissingKind {
            data: value.to_string(),
        });
    }
    if version.is_empty() {
        return Err(ConfigError::MissingApiVersion {
            data: value.to_string(),
        });
    }
    let registered = VERSIONS.iter().find(|v| **v == version);
    match registered {
        Some(v) if group == GROUP && kind == KIND => Ok(GoPackage(v)),
        _ => Err(ConfigError::NotRegistered {
            kind: kind.to_owned(),
            group_version: if group.is_empty() {
                version.to_owned()
            } else {
                format!("{group}/{version}")
            },
        }),
    }
}

/// Whether `key` matches the JSON field name `name` the way Go's `encoding/json` falls back to
/// when no key matches exactly: Unicode simple case folding.
fn go_fold_eq(key: &str, name: &str) -> bool {
    key.chars().map(go_fold).eq(name.chars().map(go_fold))
}

fn go_fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    let mut lower = c.to_lowercase();
    let l = match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => return c,
    };
    let mut upper = l.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// How Go's `UnmarshalTypeError` names a JSON value.
fn go_json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Collects what Go's strict decoder reports: the first type error (fatal), else the unknown
/// fields.
struct Decoder {
    package: GoPackage,
    type_error: Option<ConfigError>,
    unknown: Vec<String>,
}

impl Decoder {
    fn type_error(
        &mut self,
        go_struct: &'static str,
        field: &[&str],
        json: &Value,
        go_type: String,
    ) {
        if self.type_error.is_none() {
            self.type_error = Some(ConfigError::WrongType {
                go_struct,
                field: FieldPath::new(field.iter().copied()),
                json_type: go_json_type(json),
                go_type,
            });
        }
    }

    fn unknown_field(&mut self, path: String) {
        if self.unknown.len() < MAX_STRICT_ERRORS && !self.unknown.contains(&path) {
            self.unknown.push(path);
        }
    }

    fn defaults(&mut self, value: &Value) -> RawDefaults {
        let mut raw = RawDefaults::default();
        let map = match value {
            Value::Object(map) => map,
            Value::Null => return raw,
            other => {
                let go_type = format!("{}.PodSecurityDefaults", self.package.0);
                self.type_error("PodSecurityConfiguration", &["defaults"], other, go_type);
                return raw;
            }
        };
        for (key, v) in map {
            let Some(name) = DEFAULTS_FIELDS.iter().find(|f| **f == key) else {
                self.unknown_field(format!("defaults.{key}"));
                continue;
            };
            match v {
                Value::String(s) => {
                    if let Some(slot) = raw.slot(name) {
                        s.clone_into(slot);
                    }
                }
                Value::Null => {}
                other => self.type_error(
                    "PodSecurityDefaults",
                    &["defaults", name],
                    other,
                    "string".to_owned(),
                ),
            }
        }
        raw
    }

    fn exemptions(&mut self, value: &Value) -> Exemptions {
        let mut exemptions = Exemptions::default();
        let map = match value {
            Value::Object(map) => map,
            Value::Null => return exemptions,
            other => {
                let go_type = format!("{}.PodSecurityExemptions", self.package.0);
                self.type_error("PodSecurityConfiguration", &["exemptions"], other, go_type);
                return exemptions;
            }
        };
        for (key, v) in map {
            let (name, list) = match key.as_str() {
                "usernames" => ("usernames", &mut exemptions.usernames),
                "namespaces" => ("namespaces", &mut exemptions.namespaces),
                "runtimeClasses" => ("runtimeClasses", &mut exemptions.runtime_classes),
                _ => {
                    self.unknown_field(format!("exemptions.{key}"));
                    continue;
                }
            };
            *list = self.string_list(name, v);
        }
        exemptions
    }

    /// A `[]string`: null is nil, a null element is the empty string.
    fn string_list(&mut self, name: &'static str, value: &Value) -> Vec<String> {
        let items = match value {
            Value::Array(items) => items,
            Value::Null => return Vec::new(),
            other => {
                self.type_error(
                    "PodSecurityExemptions",
                    &["exemptions", name],
                    other,
                    "[]string".to_owned(),
                );
                return Vec::new();
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => out.push(s.clone()),
                Value::Null => out.push(String::new()),
                other => {
                    self.type_error(
                        "PodSecurityExemptions",
                        &["exemptions", name],
                        other,
                        "string".to_owned(),
                    );
                    out.push(String::new());
                }
            }
        }
        out
    }
}

/// Upstream's strict decode into the versioned struct (`sigs.k8s.io/json.UnmarshalStrict`).
fn decode(value: &Value, package: GoPackage) -> Result<(RawDefaults, Exemptions), ConfigError> {
    let mut decoder = Decoder {
        package,
        type_error: None,
        unknown: Vec::new(),
    };
    let empty = Map::new();
    let map = match value {
        Value::Object(map) => map,
        // check_type_meta only lets objects through.
        _ => &empty,
    };
    let mut defaults = RawDefaults::default();
    let mut exemptions = Exemptions::default();
    for (key, v) in map {
        match key.as_str() {
            // Already checked to be strings (or null) by check_type_meta.
            "apiVersion" | "kind" => {}
            "defaults" => defaults = decoder.defaults(v),
            "exemptions" => exemptions = decoder.exemptions(v),
            _ => decoder.unknown_field(key.clone()),
        }
    }
    if let Some(error) = decoder.type_error {
        return Err(error);
    }
    if !decoder.unknown.is_empty() {
        return Err(ConfigError::UnknownFields {
            fields: decoder.unknown,
        });
    }
    Ok((defaults, exemptions))
}

/// Why a `PodSecurityConfiguration` cannot be loaded.
///
/// Each variant displays as upstream's error for the same input. Two texts are approximate:
/// [`MissingKind`](ConfigError::MissingKind) and [`MissingApiVersion`](ConfigError::MissingApiVersion)
/// quote the document as compact JSON, where upstream quotes the file's bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The document is not a JSON object.
    #[error(
        "couldn't get version/kind; json parse error: json: cannot unmarshal {json_type} into Go value of type {TYPE_META_GO_TYPE}"
    )]
    NotAnObject {
        /// The JSON type found: `array`, `string`, `number` or `bool`.
        json_type: &'static str,
    },
    /// `apiVersion` or `kind` is not a string.
    #[error(
        "couldn't get version/kind; json parse error: json: cannot unmarshal {json_type} into Go struct field .{field} of type string"
    )]
    TypeMetaNotString {
        /// `apiVersion` or `kind`.
        field: &'static str,
        /// The JSON type found.
        json_type: &'static str,
    },
    /// `apiVersion` has more than one `/`.
    #[error("unexpected GroupVersion string: {api_version}")]
    MalformedApiVersion {
        /// The `apiVersion` value.
        api_version: String,
    },
    /// `kind` is missing or empty.
    #[error("Object 'Kind' is missing in '{data}'")]
    MissingKind {
        /// The document, as compact JSON.
        data: String,
    },
    /// `apiVersion` is missing, empty, or has an empty version part.
    #[error("Object 'apiVersion' is missing in '{data}'")]
    MissingApiVersion {
        /// The document, as compact JSON.
        data: String,
    },
    /// The `apiVersion` and `kind` are not `pod-security.admission.config.k8s.io/v1`,
    /// `v1beta1` or `v1alpha1` `PodSecurityConfiguration`.
    #[error("no kind {} is registered for version {} in scheme \"{SCHEME_NAME}\"", GoQuoted(.kind), GoQuoted(.group_version))]
    NotRegistered {
        /// The `kind` value.
        kind: String,
        /// The group/version, as upstream prints it (`v1` when the group is empty).
        group_version: String,
    },
    /// A field has a value of the wrong JSON type (the first one found).
    #[error(
        "json: cannot unmarshal {json_type} into Go struct field {go_struct}.{field} of type {go_type}"
    )]
    WrongType {
        /// The Go struct holding the field: `PodSecurityConfiguration`, `PodSecurityDefaults` or
        /// `PodSecurityExemptions`.
        go_struct: &'static str,
        /// The JSON path of the field (`defaults.enforce`, `exemptions.usernames`; an element
        /// of a list is reported at the list).
        field: FieldPath,
        /// The JSON type found.
        json_type: &'static str,
        /// The Go type expected: `string`, `[]string`, `v1.PodSecurityDefaults`, ….
        go_type: String,
    },
    /// Fields the configuration does not have (strict decoding).
    #[error("strict decoding error: {}", UnknownList(.fields))]
    UnknownFields {
        /// The JSON paths of the unknown fields (`deflaults`, `defaults.enforc`), at most 100.
        fields: Vec<String>,
    },
    /// The configuration decodes but does not validate.
    #[error(transparent)]
    Invalid(InvalidConfig),
}

struct UnknownList<'a>(&'a [String]);

impl fmt::Display for UnknownList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, field) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "unknown field {}", GoQuoted(field))?;
        }
        Ok(())
    }
}

/// A configuration that fails `ValidatePodSecurityConfiguration`.
///
/// Displays as upstream's `field.ErrorList.ToAggregate()`: one error as is, several as
/// `[<e1>, <e2>]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", aggregate_messages(self.errors.iter().map(ToString::to_string)).unwrap_or_default())]
pub struct InvalidConfig {
    errors: Vec<ValidationError>,
    /// The defaulted `defaults` strings, kept to word the admission plugin's message.
    defaults: Box<RawDefaults>,
}

impl InvalidConfig {
    /// Every validation error, in upstream order: `defaults.enforce`, `defaults.enforce-version`,
    /// `defaults.warn`, `defaults.warn-version`, `defaults.audit`, `defaults.audit-version`,
    /// then namespaces, runtime classes and usernames.
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    /// The error the API server's PodSecurity admission plugin reports at startup for this
    /// configuration (`ValidateInitialization`).
    ///
    /// The plugin converts the defaults to a policy (`CompleteConfiguration` → `ToPolicy`)
    /// before it validates, so invalid defaults surface as `PodSecurity configuration error:
    /// <field>: <detail>` (the fields in the order enforce, enforce-version, audit,
    /// audit-version, warn, warn-version, aggregated as `[…]` when several), and the validation
    /// errors as `PodSecurity invalid: <aggregate>` only when the defaults are valid.
    pub fn plugin_message(&self) -> String {
        let d = &self.defaults;
        let mut to_policy = Vec::new();
        for (name, value, is_level) in [
            ("enforce", &d.enforce, true),
            ("enforce-version", &d.enforce_version, false),
            ("audit", &d.audit, true),
            ("audit-version", &d.audit_version, false),
            ("warn", &d.warn, true),
            ("warn-version", &d.warn_version, false),
        ] {
            let problem = if is_level {
                Level::parse(value).err().map(|e| e.to_string())
            } else {
                Version::parse(value).err().map(|e| e.to_string())
            };
            if let Some(problem) = problem {
                to_policy.push(format!("{name}: {problem}"));
            }
        }
        match aggregate_messages(to_policy) {
            Some(message) => format!("PodSecurity configuration error: {message}"),
            None => format!("PodSecurity invalid: {self}"),
        }
    }
}

/// One `ValidatePodSecurityConfiguration` error, with its field path.
///
/// Displays exactly as Go's `field.Error.Error()`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// A default level is not `privileged`, `baseline` or `restricted` (`defaults.enforce`,
    /// `defaults.warn`, `defaults.audit`).
    #[error("{field}: Invalid value: {}: {InvalidLevel}", GoQuoted(.value))]
    InvalidLevel {
        /// The field path.
        field: FieldPath,
        /// The invalid value.
        value: String,
    },
    /// A default version is neither `latest` nor `v1.<minor>` (`defaults.enforce-version`, …).
    #[error("{field}: Invalid value: {}: {InvalidVersion}", GoQuoted(.value))]
    InvalidVersion {
        /// The field path.
        field: FieldPath,
        /// The invalid value.
        value: String,
    },
    /// An exempt namespace is not a DNS-1123 label (`exemptions.namespaces[i]`).
    #[error("{field}: Invalid value: {}: {detail}", GoQuoted(.value))]
    InvalidNamespace {
        /// The field path.
        field: FieldPath,
        /// The invalid value.
        value: String,
        /// Upstream's reasons, joined with `, `.
        detail: String,
    },
    /// An exempt namespace repeats an earlier valid one.
    #[error("{field}: Duplicate value: {}", GoQuoted(.value))]
    DuplicateNamespace {
        /// The field path.
        field: FieldPath,
        /// The repeated value.
        value: String,
    },
    /// An exempt runtime class is not a DNS-1123 subdomain (`exemptions.runtimeClasses[i]`).
    #[error("{field}: Invalid value: {}: {detail}", GoQuoted(.value))]
    InvalidRuntimeClass {
        /// The field path.
        field: FieldPath,
        /// The invalid value.
        value: String,
        /// Upstream's reasons, joined with `, `.
        detail: String,
    },
    /// An exempt runtime class repeats an earlier valid one.
    #[error("{field}: Duplicate value: {}", GoQuoted(.value))]
    DuplicateRuntimeClass {
        /// The field path.
        field: FieldPath,
        /// The repeated value.
        value: String,
    },
    /// An exempt username is empty (`exemptions.usernames[i]`).
    #[error("{field}: Invalid value: \"\": username must not be empty")]
    EmptyUsername {
        /// The field path.
        field: FieldPath,
    },
    /// An exempt username repeats an earlier one.
    #[error("{field}: Duplicate value: {}", GoQuoted(.value))]
    DuplicateUsername {
        /// The field path.
        field: FieldPath,
        /// The repeated value.
        value: String,
    },
}

impl ValidationError {
    /// The field path of the error.
    pub fn field(&self) -> &FieldPath {
        match self {
            ValidationError::InvalidLevel { field, .. }
            | ValidationError::InvalidVersion { field, .. }
            | ValidationError::InvalidNamespace { field, .. }
            | ValidationError::DuplicateNamespace { field, .. }
            | ValidationError::InvalidRuntimeClass { field, .. }
            | ValidationError::DuplicateRuntimeClass { field, .. }
            | ValidationError::EmptyUsername { field }
            | ValidationError::DuplicateUsername { field, .. } => field,
        }
    }

    /// The bad value.
    pub fn value(&self) -> &str {
        match self {
            ValidationError::InvalidLevel { value, .. }
            | ValidationError::InvalidVersion { value, .. }
            | ValidationError::InvalidNamespace { value, .. }
            | ValidationError::DuplicateNamespace { value, .. }
            | ValidationError::InvalidRuntimeClass { value, .. }
            | ValidationError::DuplicateRuntimeClass { value, .. }
            | ValidationError::DuplicateUsername { value, .. } => value,
            ValidationError::EmptyUsername { .. } => "",
        }
    }

    /// Upstream's `field.ErrorType`: `FieldValueInvalid` or `FieldValueDuplicate`.
    pub fn cause_type(&self) -> &'static str {
        match self {
            ValidationError::DuplicateNamespace { .. }
            | ValidationError::DuplicateRuntimeClass { .. }
            | ValidationError::DuplicateUsername { .. } => "FieldValueDuplicate",
            _ => "FieldValueInvalid",
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn lv(level: Level, version: Version) -> LevelVersion {
        LevelVersion::new(level, version)
    }

    fn config(version: &str, rest: Value) -> Value {
        let mut doc = json!({
            "apiVersion": format!("pod-security.admission.config.k8s.io/{version}"),
            "kind": "PodSecurityConfiguration",
        });
        if let (Value::Object(doc), Value::Object(rest)) = (&mut doc, rest) {
            doc.extend(rest);
        }
        doc
    }

    fn err(doc: &Value) -> ConfigError {
        match Config::from_value(doc) {
            Ok(c) => panic!("expected an error, got {c:?}"),
            Err(e) => e,
        }
    }

    fn invalid(doc: &Value) -> InvalidConfig {
        match err(doc) {
            ConfigError::Invalid(i) => i,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn messages(i: &InvalidConfig) -> Vec<String> {
        i.errors().iter().map(ToString::to_string).collect()
    }

    // Mirrors load_test.go TestLoadFromData "v1alpha1/v1beta1/v1 - json": SetDefaults_PodSecurityDefaults.
    #[test]
    fn defaults_every_version_the_same() {
        for version in VERSIONS {
            let c = Config::from_value(&config(
                version,
                json!({"defaults": {"enforce": "baseline"}}),
            ))
            .unwrap();
            assert_eq!(
                c.defaults,
                Policy {
                    enforce: lv(Level::Baseline, Version::Latest),
                    audit: lv(Level::Privileged, Version::Latest),
                    warn: lv(Level::Privileged, Version::Latest),
                },
                "{version}"
            );
            assert_eq!(c.exemptions, Exemptions::default());
        }
    }

    // Mirrors LoadFromData(nil): the default configuration.
    #[test]
    fn default_config_is_privileged_latest_without_exemptions() {
        let c = Config::default();
        assert_eq!(
            c.defaults,
            Policy::uniform(lv(Level::Privileged, Version::Latest))
        );
        assert!(c.exemptions.usernames.is_empty());
        let minimal = Config::from_value(&config("v1", json!({}))).unwrap();
        assert_eq!(minimal, c);
    }

    // Mirrors TestLoadFromData "v1 - yaml": all fields set.
    #[test]
    fn reads_every_field() {
        let c = Config::from_value(&config(
            "v1beta1",
            json!({
                "defaults": {
                    "enforce": "baseline", "enforce-version": "v1.7",
                    "audit": "restricted", "audit-version": "v1.25",
                    "warn": "restricted", "warn-version": "latest",
                },
                "exemptions": {
                    "usernames": ["alice", "bob"],
                    "namespaces": ["kube-system"],
                    "runtimeClasses": ["special"],
                },
            }),
        ))
        .unwrap();
        assert_eq!(
            c.defaults,
            Policy {
                enforce: lv(Level::Baseline, Version::V1(7)),
                audit: lv(Level::Restricted, Version::V1(25)),
                warn: lv(Level::Restricted, Version::Latest),
            }
        );
        assert_eq!(c.exemptions.usernames, ["alice", "bob"]);
        assert_eq!(c.exemptions.namespaces, ["kube-system"]);
        assert_eq!(c.exemptions.runtime_classes, ["special"]);
    }

    // Mirrors SetDefaults_PodSecurityDefaults (`len(obj.Enforce) == 0`) and Go's decoding of
    // null: empty strings and nulls are defaulted, null lists are empty.
    #[test]
    fn empty_and_null_values_are_defaulted() {
        let c = Config::from_value(&config(
            "v1",
            json!({
                "defaults": {"enforce": "", "enforce-version": null, "warn": "baseline"},
                "exemptions": {"usernames": null, "namespaces": []},
            }),
        ))
        .unwrap();
        assert_eq!(c.defaults.enforce, lv(Level::Privileged, Version::Latest));
        assert_eq!(c.defaults.warn, lv(Level::Baseline, Version::Latest));
        assert!(c.exemptions.usernames.is_empty());
        let c = Config::from_value(&config("v1", json!({"defaults": null, "exemptions": null})))
            .unwrap();
        assert_eq!(c, Config::default());
    }

    // Mirrors exemptNamespace / exemptUser / exemptRuntimeClass in admission.go.
    #[test]
    fn exemption_lookups() {
        let e = Exemptions {
            usernames: vec!["alice".into()],
            namespaces: vec!["kube-system".into()],
            runtime_classes: vec!["kata".into()],
        };
        assert!(e.exempts_user("alice"));
        assert!(!e.exempts_user("Alice"));
        assert!(!e.exempts_user(""));
        assert!(e.exempts_namespace("kube-system"));
        assert!(!e.exempts_namespace("default"));
        assert!(e.exempts_runtime_class(Some("kata")));
        assert!(!e.exempts_runtime_class(Some("")));
        assert!(!e.exempts_runtime_class(None));
        // The empty string never matches, even when configured (validation rejects it).
        let odd = Exemptions {
            usernames: vec![String::new()],
            namespaces: vec![String::new()],
            runtime_classes: vec![String::new()],
        };
        assert!(!odd.exempts_user("") && !odd.exempts_namespace(""));
        assert!(!odd.exempts_runtime_class(Some("")));
    }

    // Mirrors validateLevel / validateVersion and their order (enforce, warn, audit).
    #[test]
    fn invalid_defaults() {
        let i = invalid(&config(
            "v1",
            json!({"defaults": {
                "enforce": "strict", "enforce-version": "v1.01",
                "audit": "Audit", "audit-version": "1.2",
                "warn": "x", "warn-version": "v2",
            }}),
        ));
        assert_eq!(
            messages(&i),
            [
                r#"defaults.enforce: Invalid value: "strict": must be one of privileged, baseline, restricted"#,
                r#"defaults.enforce-version: Invalid value: "v1.01": must be "latest" or "v1.x""#,
                r#"defaults.warn: Invalid value: "x": must be one of privileged, baseline, restricted"#,
                r#"defaults.warn-version: Invalid value: "v2": must be "latest" or "v1.x""#,
                r#"defaults.audit: Invalid value: "Audit": must be one of privileged, baseline, restricted"#,
                r#"defaults.audit-version: Invalid value: "1.2": must be "latest" or "v1.x""#,
            ]
        );
        assert_eq!(i.errors()[0].field().to_string(), "defaults.enforce");
        assert_eq!(i.errors()[0].value(), "strict");
        assert_eq!(i.errors()[0].cause_type(), "FieldValueInvalid");
        assert!(matches!(
            i.errors()[1],
            ValidationError::InvalidVersion { .. }
        ));
        // Mirrors plugin ValidateInitialization: CompleteConfiguration's ToPolicy fails first,
        // in its own order (enforce, enforce-version, audit, audit-version, warn, warn-version).
        assert_eq!(
            i.plugin_message(),
            r#"PodSecurity configuration error: [enforce: must be one of privileged, baseline, restricted, enforce-version: must be "latest" or "v1.x", audit: must be one of privileged, baseline, restricted, audit-version: must be "latest" or "v1.x", warn: must be one of privileged, baseline, restricted, warn-version: must be "latest" or "v1.x"]"#
        );
        let single = invalid(&config("v1", json!({"defaults": {"audit": "x"}})));
        assert_eq!(
            single.to_string(),
            r#"defaults.audit: Invalid value: "x": must be one of privileged, baseline, restricted"#
        );
        assert_eq!(
            single.plugin_message(),
            "PodSecurity configuration error: audit: must be one of privileged, baseline, restricted"
        );
    }

    // Mirrors validateNamespaces: ValidateNamespaceName (DNS-1123 label) and duplicates.
    #[test]
    fn invalid_and_duplicate_namespaces() {
        let long = "a".repeat(64);
        let i = invalid(&config(
            "v1",
            json!({"exemptions": {"namespaces": [
                "kube-system", "Kube", "kube-system", "a.b", &long, "", "Kube", "x-",
            ]}}),
        ));
        let label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
        assert_eq!(
            messages(&i),
            [
                format!(r#"exemptions.namespaces[1]: Invalid value: "Kube": {label}"#),
                r#"exemptions.namespaces[2]: Duplicate value: "kube-system""#.to_owned(),
                r#"exemptions.namespaces[3]: Invalid value: "a.b": must not contain dots"#
                    .to_owned(),
                format!(
                    r#"exemptions.namespaces[4]: Invalid value: "{long}": must be no more than 63 characters"#
                ),
                format!(r#"exemptions.namespaces[5]: Invalid value: "": {label}"#),
                // An invalid value is never remembered, so it is reported again, not as a duplicate.
                format!(r#"exemptions.namespaces[6]: Invalid value: "Kube": {label}"#),
                format!(r#"exemptions.namespaces[7]: Invalid value: "x-": {label}"#),
            ]
        );
        assert_eq!(i.errors()[1].cause_type(), "FieldValueDuplicate");
        assert_eq!(
            i.errors()[1].field().to_string(),
            "exemptions.namespaces[2]"
        );
        // Valid defaults: the plugin reports the validation errors.
        assert!(i.plugin_message().starts_with(
            r#"PodSecurity invalid: [exemptions.namespaces[1]: Invalid value: "Kube": "#
        ));
        // Too long and not a label: both reasons, joined.
        let bad_long = format!("{}_", "a".repeat(63));
        let i = invalid(&config(
            "v1",
            json!({"exemptions": {"namespaces": [bad_long]}}),
        ));
        assert_eq!(
            messages(&i),
            [format!(
                r#"exemptions.namespaces[0]: Invalid value: "{bad_long}": must be no more than 63 characters, {label}"#
            )]
        );
    }

    // Mirrors validateRuntimeClasses: NameIsDNSSubdomain and duplicates.
    #[test]
    fn invalid_and_duplicate_runtime_classes() {
        let long = format!("{}.{}", "a".repeat(200), "b".repeat(53));
        let i = invalid(&config(
            "v1alpha1",
            json!({"exemptions": {"runtimeClasses": [
                "gvisor.example.com", "Kata", "gvisor.example.com", &long, "a..b",
            ]}}),
        ));
        let subdomain = r"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
        assert_eq!(
            messages(&i),
            [
                format!(r#"exemptions.runtimeClasses[1]: Invalid value: "Kata": {subdomain}"#),
                r#"exemptions.runtimeClasses[2]: Duplicate value: "gvisor.example.com""#.to_owned(),
                format!(
                    r#"exemptions.runtimeClasses[3]: Invalid value: "{long}": must be no more than 253 characters"#
                ),
                format!(r#"exemptions.runtimeClasses[4]: Invalid value: "a..b": {subdomain}"#),
            ]
        );
        assert!(matches!(
            i.errors()[1],
            ValidationError::DuplicateRuntimeClass { .. }
        ));
    }

    // Mirrors validateUsernames: non-empty, no duplicates (any string otherwise).
    #[test]
    fn invalid_and_duplicate_usernames() {
        let i = invalid(&config(
            "v1",
            json!({"exemptions": {"usernames": [
                "system:serviceaccount:kube-system:x", "", "system:serviceaccount:kube-system:x", null, "Bob \"B\"", "Bob \"B\"",
            ]}}),
        ));
        assert_eq!(
            messages(&i),
            [
                r#"exemptions.usernames[1]: Invalid value: "": username must not be empty"#,
                r#"exemptions.usernames[2]: Duplicate value: "system:serviceaccount:kube-system:x""#,
                r#"exemptions.usernames[3]: Invalid value: "": username must not be empty"#,
                r#"exemptions.usernames[5]: Duplicate value: "Bob \"B\"""#,
            ]
        );
        assert_eq!(i.errors()[0].value(), "");
        assert!(matches!(
            i.errors()[0],
            ValidationError::EmptyUsername { .. }
        ));
    }

    // Mirrors ValidatePodSecurityConfiguration's order: defaults, namespaces, runtime classes,
    // usernames; and Exemptions::validate on its own.
    #[test]
    fn validation_order() {
        let i = invalid(&config(
            "v1",
            json!({
                "exemptions": {"usernames": [""], "runtimeClasses": ["X"], "namespaces": ["Y"]},
                "defaults": {"warn": "none"},
            }),
        ));
        let fields: Vec<String> = i.errors().iter().map(|e| e.field().to_string()).collect();
        assert_eq!(
            fields,
            [
                "defaults.warn",
                "exemptions.namespaces[0]",
                "exemptions.runtimeClasses[0]",
                "exemptions.usernames[0]"
            ]
        );
        let e = Exemptions {
            usernames: vec!["a".into(), "a".into()],
            ..Exemptions::default()
        };
        assert_eq!(e.validate().len(), 1);
        assert!(Exemptions::default().validate().is_empty());
    }

    // Mirrors TestLoadFromData "missing apiVersion" / "missing kind" and the serializer's
    // check order (kind first).
    #[test]
    fn missing_kind_and_api_version() {
        let e = err(&json!({"kind": "PodSecurityConfiguration"}));
        assert_eq!(
            e.to_string(),
            r#"Object 'apiVersion' is missing in '{"kind":"PodSecurityConfiguration"}'"#
        );
        let e = err(&json!({"apiVersion": "pod-security.admission.config.k8s.io/v1alpha1"}));
        assert!(matches!(e, ConfigError::MissingKind { .. }));
        assert!(e.to_string().starts_with("Object 'Kind' is missing in '"));
        assert!(matches!(err(&json!({})), ConfigError::MissingKind { .. }));
        assert_eq!(
            err(&Value::Null).to_string(),
            "Object 'Kind' is missing in 'null'"
        );
        // A group with an empty version is a missing apiVersion; so is "/".
        for api_version in ["pod-security.admission.config.k8s.io/", "/", ""] {
            let e = err(&json!({"apiVersion": api_version, "kind": "PodSecurityConfiguration"}));
            assert!(
                matches!(e, ConfigError::MissingApiVersion { .. }),
                "{api_version}"
            );
        }
        // null reads as the empty string.
        let e =
            err(&json!({"apiVersion": "pod-security.admission.config.k8s.io/v1", "kind": null}));
        assert!(matches!(e, ConfigError::MissingKind { .. }));
    }

    // Mirrors TestLoadFromData "unknown group" / "unknown version" / "unknown kind":
    // scheme.New's notRegisteredErr.
    #[test]
    fn unregistered_kinds() {
        let e = err(&json!({"apiVersion": "apps/v1alpha1", "kind": "PodSecurityConfiguration"}));
        assert_eq!(
            e.to_string(),
            r#"no kind "PodSecurityConfiguration" is registered for version "apps/v1alpha1" in scheme "k8s.io/pod-security-admission/admission/api/scheme/scheme.go:31""#
        );
        let e = err(
            &json!({"apiVersion": "pod-security.admission.config.k8s.io/v99", "kind": "PodSecurityConfiguration"}),
        );
        assert!(
            e.to_string()
                .contains("pod-security.admission.config.k8s.io/v99")
        );
        let e = err(
            &json!({"apiVersion": "pod-security.admission.config.k8s.io/v1alpha1", "kind": "SomeConfiguration"}),
        );
        assert!(e.to_string().contains(r#"no kind "SomeConfiguration""#));
        let e = err(&json!({"apiVersion": "/v1", "kind": "PodSecurityConfiguration"}));
        assert_eq!(
            e,
            ConfigError::NotRegistered {
                kind: "PodSecurityConfiguration".into(),
                group_version: "v1".into()
            }
        );
    }

    // Mirrors schema.ParseGroupVersion: more than one slash.
    #[test]
    fn malformed_api_version() {
        let e = err(&json!({"apiVersion": "a/b/c", "kind": "PodSecurityConfiguration"}));
        assert_eq!(e.to_string(), "unexpected GroupVersion string: a/b/c");
    }

    // Mirrors SimpleMetaFactory.Interpret's json.Unmarshal errors.
    #[test]
    fn type_meta_errors() {
        let e = err(&json!(["x"]));
        assert_eq!(
            e.to_string(),
            r#"couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\"apiVersion,omitempty\""; Kind string "json:\"kind,omitempty\"" }"#
        );
        let e = err(&json!({"apiVersion": 1, "kind": "PodSecurityConfiguration"}));
        assert_eq!(
            e.to_string(),
            "couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string"
        );
        let e =
            err(&json!({"apiVersion": "pod-security.admission.config.k8s.io/v1", "KIND": true}));
        assert_eq!(
            e,
            ConfigError::TypeMetaNotString {
                field: "kind",
                json_type: "bool"
            }
        );
    }

    // Go's encoding/json sniffs apiVersion/kind case-insensitively, but the strict decode of the
    // typed struct is case-sensitive: the keys are then unknown fields.
    #[test]
    fn case_folded_type_meta_is_an_unknown_field() {
        let e = err(&json!({
            "APIVERSION": "pod-security.admission.config.k8s.io/v1",
            "Kind": "PodSecurityConfiguration",
        }));
        let ConfigError::UnknownFields { fields } = &e else {
            panic!("{e:?}");
        };
        let mut fields = fields.clone();
        fields.sort();
        assert_eq!(fields, ["APIVERSION", "Kind"]);
        // U+212A KELVIN SIGN folds to K.
        assert!(go_fold_eq("\u{212a}ind", "kind"));
        assert!(!go_fold_eq("kinds", "kind"));
    }

    // Mirrors TestLoadFromData "unknown field" (strict decoding) with nested paths.
    #[test]
    fn unknown_fields() {
        let e = err(&config(
            "v1alpha1",
            json!({"deflaults": {"enforce": "baseline"}}),
        ));
        assert_eq!(
            e.to_string(),
            r#"strict decoding error: unknown field "deflaults""#
        );
        let e = err(&config(
            "v1",
            json!({"defaults": {"Enforce": "baseline"}, "exemptions": {"users": []}}),
        ));
        let ConfigError::UnknownFields { fields } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(fields, &["defaults.Enforce", "exemptions.users"]);
        assert_eq!(
            e.to_string(),
            r#"strict decoding error: unknown field "defaults.Enforce", unknown field "exemptions.users""#
        );
        // Unknown fields are reported even when validation would fail too: decoding comes first.
        let e = err(&config(
            "v1",
            json!({"metadata": {}, "defaults": {"enforce": "x"}}),
        ));
        assert!(matches!(e, ConfigError::UnknownFields { .. }));
    }

    // Mirrors encoding/json UnmarshalTypeError with errorContext (Struct = innermost struct,
    // Field = full path); the package name follows the apiVersion.
    #[test]
    fn wrong_types() {
        let e = err(&config("v1", json!({"defaults": {"enforce": 1}})));
        assert_eq!(
            e.to_string(),
            "json: cannot unmarshal number into Go struct field PodSecurityDefaults.defaults.enforce of type string"
        );
        let e = err(&config("v1beta1", json!({"defaults": "baseline"})));
        assert_eq!(
            e.to_string(),
            "json: cannot unmarshal string into Go struct field PodSecurityConfiguration.defaults of type v1beta1.PodSecurityDefaults"
        );
        let e = err(&config("v1alpha1", json!({"exemptions": []})));
        assert_eq!(
            e.to_string(),
            "json: cannot unmarshal array into Go struct field PodSecurityConfiguration.exemptions of type v1alpha1.PodSecurityExemptions"
        );
        let e = err(&config("v1", json!({"exemptions": {"usernames": "alice"}})));
        assert_eq!(
            e.to_string(),
            "json: cannot unmarshal string into Go struct field PodSecurityExemptions.exemptions.usernames of type []string"
        );
        let e = err(&config(
            "v1",
            json!({"exemptions": {"namespaces": ["a", {"b": 1}]}}),
        ));
        assert_eq!(
            e.to_string(),
            "json: cannot unmarshal object into Go struct field PodSecurityExemptions.exemptions.namespaces of type string"
        );
        let ConfigError::WrongType { field, .. } = &e else {
            panic!("{e:?}");
        };
        assert_eq!(field.to_string(), "exemptions.namespaces");
        // A type error is fatal and wins over unknown fields.
        let e = err(&config(
            "v1",
            json!({"bogus": 1, "defaults": {"warn": false}}),
        ));
        assert_eq!(
            e.to_string(),
            "json: cannot unmarshal bool into Go struct field PodSecurityDefaults.defaults.warn of type string"
        );
    }

    #[test]
    fn unknown_fields_are_capped_and_deduplicated() {
        let mut rest = Map::new();
        for i in 0..150 {
            rest.insert(format!("f{i:03}"), Value::Null);
        }
        let e = err(&config("v1", Value::Object(rest)));
        let ConfigError::UnknownFields { fields } = e else {
            panic!("{e:?}");
        };
        assert_eq!(fields.len(), MAX_STRICT_ERRORS);
    }
}
