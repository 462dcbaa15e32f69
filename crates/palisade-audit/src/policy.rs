//! The `audit.k8s.io/v1` `Policy` types, after loading and validation.
//!
//! Field names follow upstream's `k8s.io/apiserver/pkg/apis/audit/v1` types. An absent list is
//! an empty list, exactly as the Go types decode it.

use std::fmt;

/// How much of a request the API server writes to the audit log (`audit.Level`).
///
/// Ordered from least to most: `None < Metadata < Request < RequestResponse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing is logged.
    None,
    /// Request metadata (user, timestamp, resource, verb), no bodies.
    Metadata,
    /// Metadata and the request body.
    Request,
    /// Metadata, the request body and the response body.
    RequestResponse,
}

impl Level {
    /// Every level, least to most.
    pub const ALL: [Level; 4] = [
        Level::None,
        Level::Metadata,
        Level::Request,
        Level::RequestResponse,
    ];

    /// The level's name as the API writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::None => "None",
            Level::Metadata => "Metadata",
            Level::Request => "Request",
            Level::RequestResponse => "RequestResponse",
        }
    }

    /// Parses a level name, case-sensitively as upstream does.
    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == text)
    }

    /// Whether this level writes request or response bodies to the log.
    pub const fn logs_bodies(self) -> bool {
        matches!(self, Level::Request | Level::RequestResponse)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stage of request handling at which an audit event can be emitted (`audit.Stage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// As soon as the request is received.
    RequestReceived,
    /// When the response headers are sent (long-running requests only).
    ResponseStarted,
    /// When the response body is complete.
    ResponseComplete,
    /// When a panic occurred.
    Panic,
}

impl Stage {
    /// Every stage, in upstream's order.
    pub const ALL: [Stage; 4] = [
        Stage::RequestReceived,
        Stage::ResponseStarted,
        Stage::ResponseComplete,
        Stage::Panic,
    ];

    /// The stage's name as the API writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::RequestReceived => "RequestReceived",
            Stage::ResponseStarted => "ResponseStarted",
            Stage::ResponseComplete => "ResponseComplete",
            Stage::Panic => "Panic",
        }
    }

    /// Parses a stage name, case-sensitively as upstream does.
    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }

    const fn bit(self) -> u8 {
        match self {
            Stage::RequestReceived => 1,
            Stage::ResponseStarted => 2,
            Stage::ResponseComplete => 4,
            Stage::Panic => 8,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of [`Stage`]s. Upstream keeps omitted stages in a list whose order is random (it is
/// built from a Go map); as a set it has one meaning, iterated in [`Stage::ALL`] order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct StageSet(u8);

impl StageSet {
    /// The empty set.
    pub const EMPTY: StageSet = StageSet(0);

    /// Whether `stage` is in the set.
    pub const fn contains(self, stage: Stage) -> bool {
        self.0 & stage.bit() != 0
    }

    /// The set with `stage` added.
    #[must_use]
    pub const fn with(self, stage: Stage) -> StageSet {
        StageSet(self.0 | stage.bit())
    }

    /// The union of two sets.
    #[must_use]
    pub const fn union(self, other: StageSet) -> StageSet {
        StageSet(self.0 | other.0)
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The stages in the set, in [`Stage::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Stage> {
        Stage::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

impl FromIterator<Stage> for StageSet {
    fn from_iter<I: IntoIterator<Item = Stage>>(iter: I) -> Self {
        iter.into_iter().fold(StageSet::EMPTY, StageSet::with)
    }
}

/// An audit `Policy`: ordered rules, the first matching one decides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `rules`: checked in order; the first rule that matches a request sets its level.
    pub rules: Vec<PolicyRule>,
    /// `omitStages`: stages omitted for every request (merged into every rule's own).
    pub omit_stages: StageSet,
    /// `omitManagedFields`: the default for rules that do not set their own.
    pub omit_managed_fields: bool,
}

/// One rule of a [`Policy`] (`PolicyRule`). An empty list places no restriction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRule {
    /// `level`.
    pub level: Level,
    /// `users`: user names, compared exactly (`*` is a literal name).
    pub users: Vec<String>,
    /// `userGroups`: group names, compared exactly (`*` is a literal name).
    pub user_groups: Vec<String>,
    /// `verbs`: compared exactly (`*` is a literal verb, not a wildcard).
    pub verbs: Vec<String>,
    /// `resources`: groups and resources a resource request must match.
    pub resources: Vec<GroupResources>,
    /// `namespaces`: `""` selects cluster-scoped requests (`*` is a literal name).
    pub namespaces: Vec<String>,
    /// `nonResourceURLs`: `*`, an exact path, or a prefix ending in `*`.
    pub non_resource_urls: Vec<String>,
    /// `omitStages`: the rule's own omitted stages (the policy's are added when evaluating).
    pub omit_stages: StageSet,
    /// `omitManagedFields`: overrides the policy default when set (`true` or `false`).
    pub omit_managed_fields: Option<bool>,
}

impl PolicyRule {
    /// A rule at `level` with no restrictions: it matches every request.
    pub fn new(level: Level) -> Self {
        PolicyRule {
            level,
            users: Vec::new(),
            user_groups: Vec::new(),
            verbs: Vec::new(),
            resources: Vec::new(),
            namespaces: Vec::new(),
            non_resource_urls: Vec::new(),
            omit_stages: StageSet::EMPTY,
            omit_managed_fields: None,
        }
    }

    /// Whether the rule selects resource requests only (it has `namespaces` or `resources`;
    /// `nonResourceURLs` is then ignored, as upstream's `ruleMatches` does).
    pub fn is_resource_rule(&self) -> bool {
        !self.namespaces.is_empty() || !self.resources.is_empty()
    }

    /// Whether the rule has no restriction at all and so matches every request, including
    /// requests with no user.
    pub fn is_catch_all(&self) -> bool {
        self.users.is_empty()
            && self.user_groups.is_empty()
            && self.verbs.is_empty()
            && self.namespaces.is_empty()
            && self.resources.is_empty()
            && self.non_resource_urls.is_empty()
    }
}

/// A group's resources in a rule (`GroupResources`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupResources {
    /// `group`: `""` is the core group, `"*"` every group.
    pub group: String,
    /// `resources`: empty means every resource and subresource of the group. Entries may be
    /// `*`, `res`, `res/sub`, `res/*` (which also matches `res` itself) or `*/sub`.
    pub resources: Vec<String>,
    /// `resourceNames`: object names; never matches a request without a name.
    pub resource_names: Vec<String>,
}
