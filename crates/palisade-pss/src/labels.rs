//! Namespace labels → the policy to evaluate, exactly as upstream resolves them.
//!
//! A namespace opts into Pod Security admission with up to six labels
//! (`pod-security.kubernetes.io/enforce`, `…/enforce-version`, `…/audit`, `…/audit-version`,
//! `…/warn`, `…/warn-version`). [`policy_from_labels`] resolves them against the configured
//! defaults the way upstream's `api.PolicyToEvaluate` (`api/helpers.go`) does:
//!
//! - a missing label keeps the default for that mode;
//! - an invalid enforce level falls back to `restricted` (fail closed), an invalid audit or warn
//!   level to `privileged` (fail open), an invalid version to `latest`; each invalid label also
//!   yields a [`LabelError`], in the order enforce, enforce-version, audit, audit-version, warn,
//!   warn-version;
//! - when the enforce level label is present and valid, the warn level label is absent, and the
//!   enforce level is stricter than the (default) warn level, warn takes the enforce level, and
//!   also the enforce version unless a warn-version label is present (even an invalid one).
//!
//! A policy is always returned, even alongside errors.
//!
//! ```
//! use palisade_pss::labels::{policy_from_labels, Policy, ENFORCE_LEVEL_LABEL};
//! use palisade_pss::{Level, Version};
//!
//! let labels = [(ENFORCE_LEVEL_LABEL, "baseline")];
//! let (policy, errors) = policy_from_labels(labels, &Policy::default());
//! assert!(errors.is_empty());
//! assert_eq!(policy.enforce.level, Level::Baseline);
//! assert_eq!(policy.warn.level, Level::Baseline); // warn follows a stricter enforce level
//! assert_eq!(policy.audit.level, Level::Privileged);
//! assert_eq!(policy.enforce.version, Version::Latest);
//!
//! let (policy, errors) = policy_from_labels([(ENFORCE_LEVEL_LABEL, "strict")], &Policy::default());
//! assert_eq!(policy.enforce.level, Level::Restricted); // fail closed
//! assert_eq!(
//!     errors[0].to_string(),
//!     r#"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted"#
//! );
//! ```

use std::fmt;

use palisade_core::FieldPath;

use crate::level::{InvalidLevel, InvalidVersion, Level, LevelVersion, Version};

/// The prefix of every Pod Security label, and of the audit annotations the admission plugin
/// records (`pod-security.kubernetes.io/enforce-policy`, …).
pub const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";
/// The label that sets the enforce level.
pub const ENFORCE_LEVEL_LABEL: &str = "pod-security.kubernetes.io/enforce";
/// The label that sets the enforce policy version.
pub const ENFORCE_VERSION_LABEL: &str = "pod-security.kubernetes.io/enforce-version";
/// The label that sets the audit level.
pub const AUDIT_LEVEL_LABEL: &str = "pod-security.kubernetes.io/audit";
/// The label that sets the audit policy version.
pub const AUDIT_VERSION_LABEL: &str = "pod-security.kubernetes.io/audit-version";
/// The label that sets the warn level.
pub const WARN_LEVEL_LABEL: &str = "pod-security.kubernetes.io/warn";
/// The label that sets the warn policy version.
pub const WARN_VERSION_LABEL: &str = "pod-security.kubernetes.io/warn-version";

/// The policy of a namespace: a level and version for each of the three modes.
///
/// [`Policy::default`] is `privileged:latest` for all three modes, which is what the default
/// `PodSecurityConfiguration` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Policy {
    /// The level and version pods must satisfy to be admitted.
    pub enforce: LevelVersion,
    /// The level and version whose violations are recorded in the audit log.
    pub audit: LevelVersion,
    /// The level and version whose violations are returned to the client as warnings.
    pub warn: LevelVersion,
}

impl Policy {
    /// The same level and version for all three modes.
    pub const fn uniform(level_version: LevelVersion) -> Policy {
        Policy {
            enforce: level_version,
            audit: level_version,
            warn: level_version,
        }
    }

    /// Whether two policies are functionally equivalent: every mode is
    /// [equivalent](LevelVersion::equivalent) (both privileged, or equal). Upstream
    /// `Policy.Equivalent`.
    pub fn equivalent(&self, other: &Policy) -> bool {
        self.enforce.equivalent(&other.enforce)
            && self.audit.equivalent(&other.audit)
            && self.warn.equivalent(&other.warn)
    }

    /// Whether all three modes are privileged, whatever their versions. Upstream
    /// `Policy.FullyPrivileged`.
    pub fn fully_privileged(&self) -> bool {
        self.enforce.level == Level::Privileged
            && self.audit.level == Level::Privileged
            && self.warn.level == Level::Privileged
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy::uniform(LevelVersion::new(Level::Privileged, Version::Latest))
    }
}

/// The values of the six Pod Security labels of a namespace, borrowed from its labels.
///
/// `None` means the label is absent; an empty value is present (and invalid).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PodSecurityLabels<'a> {
    /// `pod-security.kubernetes.io/enforce`.
    pub enforce: Option<&'a str>,
    /// `pod-security.kubernetes.io/enforce-version`.
    pub enforce_version: Option<&'a str>,
    /// `pod-security.kubernetes.io/audit`.
    pub audit: Option<&'a str>,
    /// `pod-security.kubernetes.io/audit-version`.
    pub audit_version: Option<&'a str>,
    /// `pod-security.kubernetes.io/warn`.
    pub warn: Option<&'a str>,
    /// `pod-security.kubernetes.io/warn-version`.
    pub warn_version: Option<&'a str>,
}

impl<'a> PodSecurityLabels<'a> {
    /// Picks the Pod Security labels out of all of a namespace's labels. Other labels are
    /// ignored; when a key repeats, the last value wins (as when a JSON object is decoded
    /// into a Go map).
    pub fn from_labels<I>(labels: I) -> Self
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut found = PodSecurityLabels::default();
        for (key, value) in labels {
            if let Some(slot) = found.slot(key) {
                *slot = Some(value);
            }
        }
        found
    }

    /// Looks the six labels up with a function from label key to value.
    pub fn from_lookup<F>(mut lookup: F) -> Self
    where
        F: FnMut(&str) -> Option<&'a str>,
    {
        PodSecurityLabels {
            enforce: lookup(ENFORCE_LEVEL_LABEL),
            enforce_version: lookup(ENFORCE_VERSION_LABEL),
            audit: lookup(AUDIT_LEVEL_LABEL),
            audit_version: lookup(AUDIT_VERSION_LABEL),
            warn: lookup(WARN_LEVEL_LABEL),
            warn_version: lookup(WARN_VERSION_LABEL),
        }
    }

    /// Whether none of the six labels is present.
    pub fn is_empty(&self) -> bool {
        *self == PodSecurityLabels::default()
    }

    /// Resolves these labels against `defaults` exactly as upstream `api.PolicyToEvaluate`.
    ///
    /// See the [module documentation](self) for the rules. The errors come in upstream order
    /// (enforce, enforce-version, audit, audit-version, warn, warn-version).
    pub fn policy(&self, defaults: &Policy) -> (Policy, Vec<LabelError>) {
        let mut policy = *defaults;
        let mut errors = Vec::new();

        let mut has_enforce_level = false;
        if let Some(value) = self.enforce {
            match Level::parse(value) {
                Ok(level) => {
                    policy.enforce.level = level;
                    has_enforce_level = true;
                }
                Err(e) => {
                    // Fail closed: an unparsable enforce level enforces restricted.
                    policy.enforce.level = Level::Restricted;
                    errors.push(LabelError::new(ENFORCE_LEVEL_LABEL, value, e.into()));
                }
            }
        }
        if let Some(value) = self.enforce_version {
            policy.enforce.version = parse_version(value, ENFORCE_VERSION_LABEL, &mut errors);
        }
        if let Some(value) = self.audit {
            // Fail open for audit.
            policy.audit.level = parse_open_level(value, AUDIT_LEVEL_LABEL, &mut errors);
        }
        if let Some(value) = self.audit_version {
            policy.audit.version = parse_version(value, AUDIT_VERSION_LABEL, &mut errors);
        }
        if let Some(value) = self.warn {
            // Fail open for warn.
            policy.warn.level = parse_open_level(value, WARN_LEVEL_LABEL, &mut errors);
        }
        if let Some(value) = self.warn_version {
            policy.warn.version = parse_version(value, WARN_VERSION_LABEL, &mut errors);
        }

        // Warn defaults to an explicitly set, stricter enforce level. `Level`'s order is
        // upstream's `CompareLevels`.
        if self.warn.is_none() && has_enforce_level && policy.enforce.level > policy.warn.level {
            policy.warn.level = policy.enforce.level;
            if self.warn_version.is_none() {
                policy.warn.version = policy.enforce.version;
            }
        }

        (policy, errors)
    }

    fn slot(&mut self, key: &str) -> Option<&mut Option<&'a str>> {
        match key {
            ENFORCE_LEVEL_LABEL => Some(&mut self.enforce),
            ENFORCE_VERSION_LABEL => Some(&mut self.enforce_version),
            AUDIT_LEVEL_LABEL => Some(&mut self.audit),
            AUDIT_VERSION_LABEL => Some(&mut self.audit_version),
            WARN_LEVEL_LABEL => Some(&mut self.warn),
            WARN_VERSION_LABEL => Some(&mut self.warn_version),
            _ => None,
        }
    }
}

fn parse_open_level(value: &str, label: &'static str, errors: &mut Vec<LabelError>) -> Level {
    Level::parse(value).unwrap_or_else(|e| {
        errors.push(LabelError::new(label, value, e.into()));
        Level::Privileged
    })
}

fn parse_version(value: &str, label: &'static str, errors: &mut Vec<LabelError>) -> Version {
    Version::parse(value).unwrap_or_else(|e| {
        errors.push(LabelError::new(label, value, e.into()));
        Version::Latest
    })
}

/// Resolves a namespace's labels against `defaults` exactly as upstream `api.PolicyToEvaluate`.
///
/// `labels` are all of the namespace's labels (`metadata.labels`); only the six Pod Security
/// labels are read. Shorthand for [`PodSecurityLabels::from_labels`] then
/// [`PodSecurityLabels::policy`].
pub fn policy_from_labels<'a, I>(labels: I, defaults: &Policy) -> (Policy, Vec<LabelError>)
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    PodSecurityLabels::from_labels(labels).policy(defaults)
}

/// What is wrong with a Pod Security label's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum LabelProblem {
    /// A level label is not `privileged`, `baseline` or `restricted`.
    #[error(transparent)]
    Level(#[from] InvalidLevel),
    /// A version label is neither `latest` nor `v1.<minor>`.
    #[error(transparent)]
    Version(#[from] InvalidVersion),
}

/// An invalid Pod Security label: upstream's `field.Invalid(metadata.labels[<key>], value,
/// detail)`.
///
/// Displays exactly as Go's `field.Error.Error()`:
/// `metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one
/// of privileged, baseline, restricted`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {}", ErrorBody(self))]
pub struct LabelError {
    field: FieldPath,
    label: &'static str,
    value: String,
    problem: LabelProblem,
}

impl LabelError {
    fn new(label: &'static str, value: &str, problem: LabelProblem) -> Self {
        LabelError {
            field: FieldPath::new(["metadata", "labels"]).key(label),
            label,
            value: value.to_owned(),
            problem,
        }
    }

    /// The field path: `metadata.labels[<label key>]`.
    pub fn field(&self) -> &FieldPath {
        &self.field
    }

    /// The label key, one of the six `*_LABEL` constants.
    pub fn label(&self) -> &'static str {
        self.label
    }

    /// The label's invalid value.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// What is wrong with the value; displays as upstream's detail text.
    pub fn problem(&self) -> LabelProblem {
        self.problem
    }

    /// The cause type upstream reports in a Status: always `FieldValueInvalid`.
    pub const fn cause_type(&self) -> &'static str {
        "FieldValueInvalid"
    }

    /// The error without its field path, as Go's `field.Error.ErrorBody()` (the `message` of
    /// the Status cause): `Invalid value: "strict": must be one of privileged, baseline,
    /// restricted`.
    pub fn body(&self) -> String {
        ErrorBody(self).to_string()
    }
}

struct ErrorBody<'e>(&'e LabelError);

impl fmt::Display for ErrorBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Invalid value: {}: {}",
            GoQuoted(&self.0.value),
            self.0.problem
        )
    }
}

/// The message of the Status upstream returns when it rejects a Namespace create or update for
/// invalid Pod Security labels (`apierrors.NewInvalid` in `admission/response.go`
/// `invalidResponse`, code 422, reason `Invalid`):
/// `Namespace "<name>" is invalid: <errors>`, where one error is printed as is and several as
/// `[<e1>, <e2>]` (Go's `field.ErrorList.ToAggregate()`, identical messages dropped).
pub fn namespace_invalid_message(namespace: &str, errors: &[LabelError]) -> String {
    match aggregate_messages(errors.iter().map(ToString::to_string)) {
        Some(aggregate) => format!("Namespace {} is invalid: {aggregate}", GoQuoted(namespace)),
        None => format!("Namespace {} is invalid", GoQuoted(namespace)),
    }
}

/// Joins error messages as Go's `utilerrors.Aggregate.Error()` does after
/// `field.ErrorList.ToAggregate()`: identical messages are dropped, one message is returned as
/// is, several as `[<m1>, <m2>, …]`; `None` when there are none.
///
/// Upstream's `Failed to parse policy: <aggregate>` audit annotation and `Namespace … is
/// invalid: <aggregate>` message both use this form.
pub fn aggregate_messages<I>(messages: I) -> Option<String>
where
    I: IntoIterator<Item = String>,
{
    let mut unique: Vec<String> = Vec::new();
    for message in messages {
        if !unique.contains(&message) {
            unique.push(message);
        }
    }
    match unique.len() {
        0 => None,
        1 => unique.pop(),
        _ => Some(format!("[{}]", unique.join(", "))),
    }
}

pub(crate) use palisade_core::quote::GoQuoted;

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(level: Level, version: Version) -> LevelVersion {
        LevelVersion::new(level, version)
    }

    fn privileged() -> Policy {
        Policy::default()
    }

    fn resolve(labels: &[(&str, &str)], defaults: &Policy) -> (Policy, Vec<LabelError>) {
        policy_from_labels(labels.iter().copied(), defaults)
    }

    // Mirrors PolicyToEvaluate's early return for no labels: the defaults, no errors.
    #[test]
    fn no_labels_keep_the_defaults() {
        let defaults = Policy {
            enforce: lv(Level::Baseline, Version::V1(22)),
            audit: lv(Level::Restricted, Version::Latest),
            warn: lv(Level::Privileged, Version::V1(3)),
        };
        assert_eq!(resolve(&[], &defaults), (defaults, vec![]));
        let unrelated = [("app", "web"), ("pod-security.kubernetes.io/other", "x")];
        assert_eq!(resolve(&unrelated, &defaults), (defaults, vec![]));
        assert!(PodSecurityLabels::from_labels(unrelated).is_empty());
    }

    // Mirrors PolicyToEvaluate: every label parsed into its mode.
    #[test]
    fn all_labels_valid() {
        let labels = [
            (ENFORCE_LEVEL_LABEL, "baseline"),
            (ENFORCE_VERSION_LABEL, "v1.24"),
            (AUDIT_LEVEL_LABEL, "restricted"),
            (AUDIT_VERSION_LABEL, "latest"),
            (WARN_LEVEL_LABEL, "restricted"),
            (WARN_VERSION_LABEL, "v1.0"),
        ];
        let (policy, errors) = resolve(&labels, &privileged());
        assert!(errors.is_empty());
        assert_eq!(policy.enforce, lv(Level::Baseline, Version::V1(24)));
        assert_eq!(policy.audit, lv(Level::Restricted, Version::Latest));
        assert_eq!(policy.warn, lv(Level::Restricted, Version::V1(0)));
    }

    // Mirrors PolicyToEvaluate: `p.Enforce.Level, err = ParseLevel(level)` keeps ParseLevel's
    // restricted fallback (fail closed).
    #[test]
    fn invalid_enforce_level_falls_back_to_restricted() {
        let (policy, errors) = resolve(&[(ENFORCE_LEVEL_LABEL, "strict")], &privileged());
        assert_eq!(policy.enforce, lv(Level::Restricted, Version::Latest));
        // hasEnforceLevel is false on error, so warn is not defaulted from enforce.
        assert_eq!(policy.warn, lv(Level::Privileged, Version::Latest));
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(
            e.to_string(),
            r#"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted"#
        );
        assert_eq!(
            e.field().to_string(),
            "metadata.labels[pod-security.kubernetes.io/enforce]"
        );
        assert_eq!(e.label(), ENFORCE_LEVEL_LABEL);
        assert_eq!(e.value(), "strict");
        assert_eq!(e.problem(), LabelProblem::Level(InvalidLevel));
        assert_eq!(e.cause_type(), "FieldValueInvalid");
        assert_eq!(
            e.body(),
            r#"Invalid value: "strict": must be one of privileged, baseline, restricted"#
        );
    }

    // Mirrors PolicyToEvaluate: an invalid enforce level overrides even a privileged default.
    #[test]
    fn invalid_enforce_level_overrides_defaults() {
        let defaults = Policy::uniform(lv(Level::Baseline, Version::V1(20)));
        let (policy, errors) = resolve(&[(ENFORCE_LEVEL_LABEL, "")], &defaults);
        assert_eq!(policy.enforce, lv(Level::Restricted, Version::V1(20)));
        assert_eq!(policy.warn, defaults.warn);
        assert_eq!(
            errors[0].to_string(),
            r#"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "": must be one of privileged, baseline, restricted"#
        );
    }

    // Mirrors PolicyToEvaluate: "Fail open for audit" / "Fail open for warn".
    #[test]
    fn invalid_audit_and_warn_levels_fall_back_to_privileged() {
        let defaults = Policy::uniform(lv(Level::Restricted, Version::Latest));
        let labels = [(AUDIT_LEVEL_LABEL, "Baseline"), (WARN_LEVEL_LABEL, "none")];
        let (policy, errors) = resolve(&labels, &defaults);
        assert_eq!(policy.audit, lv(Level::Privileged, Version::Latest));
        assert_eq!(policy.warn, lv(Level::Privileged, Version::Latest));
        assert_eq!(policy.enforce, defaults.enforce);
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                r#"metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "Baseline": must be one of privileged, baseline, restricted"#,
                r#"metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "none": must be one of privileged, baseline, restricted"#,
            ]
        );
    }

    // Mirrors PolicyToEvaluate + ParseVersion: an invalid version yields latest.
    #[test]
    fn invalid_versions_fall_back_to_latest() {
        let defaults = Policy::uniform(lv(Level::Baseline, Version::V1(21)));
        let labels = [
            (ENFORCE_VERSION_LABEL, "v1.01"),
            (AUDIT_VERSION_LABEL, "1.25"),
            (WARN_VERSION_LABEL, "v2.0"),
        ];
        let (policy, errors) = resolve(&labels, &defaults);
        assert_eq!(
            policy,
            Policy::uniform(lv(Level::Baseline, Version::Latest))
        );
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                r#"metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "v1.01": must be "latest" or "v1.x""#,
                r#"metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: "1.25": must be "latest" or "v1.x""#,
                r#"metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v2.0": must be "latest" or "v1.x""#,
            ]
        );
        assert_eq!(errors[0].problem(), LabelProblem::Version(InvalidVersion));
    }

    // Mirrors the order in which PolicyToEvaluate appends errors, whatever the label order.
    #[test]
    fn errors_come_in_upstream_order() {
        let labels = [
            (WARN_VERSION_LABEL, "x"),
            (WARN_LEVEL_LABEL, "x"),
            (AUDIT_VERSION_LABEL, "x"),
            (AUDIT_LEVEL_LABEL, "x"),
            (ENFORCE_VERSION_LABEL, "x"),
            (ENFORCE_LEVEL_LABEL, "x"),
        ];
        let (policy, errors) = resolve(&labels, &privileged());
        let order: Vec<&str> = errors.iter().map(LabelError::label).collect();
        assert_eq!(
            order,
            [
                ENFORCE_LEVEL_LABEL,
                ENFORCE_VERSION_LABEL,
                AUDIT_LEVEL_LABEL,
                AUDIT_VERSION_LABEL,
                WARN_LEVEL_LABEL,
                WARN_VERSION_LABEL
            ]
        );
        assert_eq!(
            policy,
            Policy {
                enforce: lv(Level::Restricted, Version::Latest),
                audit: lv(Level::Privileged, Version::Latest),
                warn: lv(Level::Privileged, Version::Latest),
            }
        );
    }

    // Mirrors "Default warn to the enforce level when explicitly set to a more restrictive
    // level": warn level and version both follow enforce.
    #[test]
    fn warn_defaults_to_stricter_enforce() {
        let labels = [
            (ENFORCE_LEVEL_LABEL, "restricted"),
            (ENFORCE_VERSION_LABEL, "v1.25"),
        ];
        let (policy, errors) = resolve(&labels, &privileged());
        assert!(errors.is_empty());
        assert_eq!(policy.warn, lv(Level::Restricted, Version::V1(25)));
        assert_eq!(policy.audit, lv(Level::Privileged, Version::Latest));
    }

    // The enforce version that warn copies is the resolved one, even when its label was
    // invalid (latest).
    #[test]
    fn warn_copies_the_resolved_enforce_version() {
        let defaults = Policy::uniform(lv(Level::Privileged, Version::V1(20)));
        let labels = [
            (ENFORCE_LEVEL_LABEL, "baseline"),
            (ENFORCE_VERSION_LABEL, "bogus"),
        ];
        let (policy, errors) = resolve(&labels, &defaults);
        assert_eq!(errors.len(), 1);
        assert_eq!(policy.warn, lv(Level::Baseline, Version::Latest));
        // Without a version label, the default enforce version is copied.
        let (policy, _) = resolve(&[(ENFORCE_LEVEL_LABEL, "baseline")], &defaults);
        assert_eq!(policy.warn, lv(Level::Baseline, Version::V1(20)));
    }

    // Mirrors `if !hasWarnVersion`: a warn-version label keeps its own version, even invalid.
    #[test]
    fn warn_version_label_is_kept_when_warn_follows_enforce() {
        let labels = [
            (ENFORCE_LEVEL_LABEL, "baseline"),
            (ENFORCE_VERSION_LABEL, "v1.23"),
            (WARN_VERSION_LABEL, "v1.10"),
        ];
        let (policy, _) = resolve(&labels, &privileged());
        assert_eq!(policy.warn, lv(Level::Baseline, Version::V1(10)));

        let labels = [
            (ENFORCE_LEVEL_LABEL, "baseline"),
            (ENFORCE_VERSION_LABEL, "v1.23"),
            (WARN_VERSION_LABEL, "nope"),
        ];
        let (policy, errors) = resolve(&labels, &privileged());
        assert_eq!(policy.warn, lv(Level::Baseline, Version::Latest));
        assert_eq!(errors.len(), 1);
    }

    // Mirrors `!hasWarnLevel`: any warn level label, even an invalid one, stops the defaulting.
    #[test]
    fn warn_level_label_stops_warn_defaulting() {
        let labels = [
            (ENFORCE_LEVEL_LABEL, "restricted"),
            (WARN_LEVEL_LABEL, "baseline"),
        ];
        let (policy, _) = resolve(&labels, &privileged());
        assert_eq!(policy.warn, lv(Level::Baseline, Version::Latest));

        let labels = [(ENFORCE_LEVEL_LABEL, "restricted"), (WARN_LEVEL_LABEL, "x")];
        let (policy, errors) = resolve(&labels, &privileged());
        assert_eq!(policy.warn, lv(Level::Privileged, Version::Latest));
        assert_eq!(errors.len(), 1);

        // Explicitly less strict than enforce is kept too.
        let labels = [
            (ENFORCE_LEVEL_LABEL, "restricted"),
            (WARN_LEVEL_LABEL, "privileged"),
        ];
        let (policy, _) = resolve(&labels, &privileged());
        assert_eq!(policy.warn.level, Level::Privileged);
    }

    // Mirrors `CompareLevels(p.Enforce.Level, p.Warn.Level) > 0`: only a stricter enforce
    // level replaces the default warn level.
    #[test]
    fn warn_defaulting_needs_a_stricter_enforce_level() {
        let defaults = Policy {
            enforce: lv(Level::Privileged, Version::Latest),
            audit: lv(Level::Privileged, Version::Latest),
            warn: lv(Level::Restricted, Version::V1(30)),
        };
        let (policy, _) = resolve(&[(ENFORCE_LEVEL_LABEL, "baseline")], &defaults);
        assert_eq!(policy.warn, defaults.warn);

        // Equal levels: not stricter, the default warn version stays.
        let defaults = Policy {
            warn: lv(Level::Baseline, Version::V1(30)),
            ..defaults
        };
        let labels = [
            (ENFORCE_LEVEL_LABEL, "baseline"),
            (ENFORCE_VERSION_LABEL, "v1.5"),
        ];
        let (policy, _) = resolve(&labels, &defaults);
        assert_eq!(policy.warn, lv(Level::Baseline, Version::V1(30)));
    }

    // Mirrors `hasEnforceLevel`: only the level label counts, a version label alone does not
    // default warn, even when the default enforce level is stricter.
    #[test]
    fn enforce_version_alone_does_not_default_warn() {
        let defaults = Policy {
            enforce: lv(Level::Restricted, Version::Latest),
            audit: lv(Level::Privileged, Version::Latest),
            warn: lv(Level::Privileged, Version::Latest),
        };
        let (policy, _) = resolve(&[(ENFORCE_VERSION_LABEL, "v1.30")], &defaults);
        assert_eq!(policy.enforce, lv(Level::Restricted, Version::V1(30)));
        assert_eq!(policy.warn, lv(Level::Privileged, Version::Latest));
    }

    #[test]
    fn lookup_and_last_duplicate_win() {
        let labels = [
            (ENFORCE_LEVEL_LABEL, "baseline"),
            (ENFORCE_LEVEL_LABEL, "restricted"),
        ];
        let found = PodSecurityLabels::from_labels(labels);
        assert_eq!(found.enforce, Some("restricted"));
        let looked_up =
            PodSecurityLabels::from_lookup(|key| (key == AUDIT_VERSION_LABEL).then_some("v1.2"));
        assert_eq!(
            looked_up,
            PodSecurityLabels {
                audit_version: Some("v1.2"),
                ..PodSecurityLabels::default()
            }
        );
        assert!(!looked_up.is_empty());
    }

    // Mirrors Policy.Equivalent / LevelVersion.Equivalent / Policy.FullyPrivileged.
    #[test]
    fn equivalence_and_fully_privileged() {
        let a = Policy::uniform(lv(Level::Privileged, Version::V1(1)));
        let b = Policy::default();
        assert!(a.equivalent(&b));
        assert!(a.fully_privileged());
        let c = Policy {
            warn: lv(Level::Baseline, Version::Latest),
            ..b
        };
        assert!(!c.equivalent(&b));
        assert!(!c.fully_privileged());
        let d = Policy {
            warn: lv(Level::Baseline, Version::V1(30)),
            ..b
        };
        assert!(!c.equivalent(&d));
        assert!(c.equivalent(&c));
    }

    // Mirrors invalidResponse → apierrors.NewInvalid(Namespace, name, errs) and
    // utilerrors.Aggregate.Error().
    #[test]
    fn namespace_invalid_messages() {
        let (_, errors) = resolve(&[(ENFORCE_LEVEL_LABEL, "strict")], &privileged());
        assert_eq!(
            namespace_invalid_message("team-a", &errors),
            r#"Namespace "team-a" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted"#
        );
        let labels = [(ENFORCE_LEVEL_LABEL, "strict"), (WARN_VERSION_LABEL, "v1")];
        let (_, errors) = resolve(&labels, &privileged());
        assert_eq!(
            namespace_invalid_message("team-a", &errors),
            r#"Namespace "team-a" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v1": must be "latest" or "v1.x"]"#
        );
        assert_eq!(
            namespace_invalid_message("x", &[]),
            r#"Namespace "x" is invalid"#
        );
    }

    #[test]
    fn aggregates_like_go() {
        assert_eq!(aggregate_messages(Vec::new()), None);
        assert_eq!(aggregate_messages(["a".to_owned()]), Some("a".to_owned()));
        assert_eq!(
            aggregate_messages(["a".to_owned(), "a".to_owned()]),
            Some("a".to_owned())
        );
        assert_eq!(
            aggregate_messages(["a".to_owned(), "b".to_owned(), "a".to_owned()]),
            Some("[a, b]".to_owned())
        );
    }

    // Mirrors Go's strconv.Quote, which `%q` uses for a string BadValue.
    #[test]
    fn quotes_like_go() {
        let q = |s: &str| GoQuoted(s).to_string();
        assert_eq!(q("strict"), r#""strict""#);
        assert_eq!(q(""), r#""""#);
        assert_eq!(q(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(q("\u{7}\u{8}\u{c}\n\r\t\u{b}"), r#""\a\b\f\n\r\t\v""#);
        assert_eq!(q("\u{0}\u{1b}\u{7f}"), r#""\x00\x1b\x7f""#);
        assert_eq!(q("héllo ☃ 日本"), "\"héllo ☃ 日本\"");
        assert_eq!(
            q("\u{a0}\u{2028}\u{200b}\u{feff}"),
            r#""\u00a0\u2028\u200b\ufeff""#
        );
        assert_eq!(q("\u{85}\u{e000}"), r#""\u0085\ue000""#);
        assert_eq!(q("\u{e0001}\u{10fffd}"), r#""\U000e0001\U0010fffd""#);
        assert_eq!(q("\u{1f600}"), "\"\u{1f600}\"");
        assert_eq!(q("\u{fffd}"), "\"\u{fffd}\"");
    }
}
