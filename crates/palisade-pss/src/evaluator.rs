//! The evaluator: which checks run for a level and policy version, in upstream order, and the
//! aggregated result with upstream's texts.

use std::fmt;
use std::sync::OnceLock;

use crate::checks::{CheckFn, CheckId, Forbidden, NEWEST_POLICY_MINOR};
use crate::level::{Level, LevelVersion, Version};
use crate::pod::Pod;

type CheckList = Vec<(CheckId, CheckFn)>;

/// The checks in force per policy minor version `0..=NEWEST_POLICY_MINOR`, per level, built
/// once from the check definitions as upstream's registry builds them.
struct Table {
    baseline: Vec<CheckList>,
    restricted: Vec<CheckList>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut baseline = Vec::new();
        let mut restricted = Vec::new();
        for minor in 0..=NEWEST_POLICY_MINOR {
            // (check, function, overrides) for every check that exists at `minor`.
            let active: Vec<_> = CheckId::ALL
                .iter()
                .map(|id| id.def())
                .filter_map(|def| def.revision_at(minor).map(|r| (def, r)))
                .collect();
            let overridden: Vec<CheckId> = active
                .iter()
                .filter(|(def, _)| def.level == Level::Restricted)
                .flat_map(|(_, r)| r.overrides.iter().copied())
                .collect();
            baseline.push(
                active
                    .iter()
                    .filter(|(def, _)| def.level == Level::Baseline)
                    .map(|(def, r)| (def.id, r.check))
                    .collect(),
            );
            restricted.push(
                active
                    .iter()
                    .filter(|(def, _)| !overridden.contains(&def.id))
                    .map(|(def, r)| (def.id, r.check))
                    .collect(),
            );
        }
        Table {
            baseline,
            restricted,
        }
    })
}

/// A Kubernetes minor version the evaluator emulates (`1.N`).
///
/// An API server of version 1.N evaluates `latest`, and any policy version newer than v1.N, as
/// v1.N.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KubernetesVersion {
    /// The minor version N of 1.N.
    pub minor: u32,
}

impl KubernetesVersion {
    /// The newest Kubernetes version palisade knows: 1.37.
    pub const NEWEST: KubernetesVersion = KubernetesVersion {
        minor: NEWEST_POLICY_MINOR,
    };

    /// Parses `1.N`, `v1.N` or `1.N.P` (the patch is ignored).
    pub fn parse(s: &str) -> Result<KubernetesVersion, InvalidKubernetesVersion> {
        let rest = s.strip_prefix('v').unwrap_or(s);
        let rest = rest
            .strip_prefix("1.")
            .ok_or_else(|| InvalidKubernetesVersion(s.to_owned()))?;
        let minor = rest.split_once('.').map_or(rest, |(m, _)| m);
        if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) || minor.len() > 4 {
            return Err(InvalidKubernetesVersion(s.to_owned()));
        }
        minor
            .parse()
            .map(|minor| KubernetesVersion { minor })
            .map_err(|_| InvalidKubernetesVersion(s.to_owned()))
    }
}

impl fmt::Display for KubernetesVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

/// The error for a Kubernetes version that is not `1.N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid Kubernetes version `{0}`: expected `1.N`, e.g. `1.37`")]
pub struct InvalidKubernetesVersion(String);

/// Evaluates pods against the Pod Security Standards as a given Kubernetes version does.
///
/// Cheap to create and copy; the check tables are built once per process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evaluator {
    max_minor: u32,
}

impl Default for Evaluator {
    fn default() -> Self {
        Evaluator::new()
    }
}

impl Evaluator {
    /// An evaluator with every policy version palisade knows (the newest Kubernetes).
    pub const fn new() -> Self {
        Evaluator {
            max_minor: NEWEST_POLICY_MINOR,
        }
    }

    /// An evaluator that emulates Kubernetes `version`: `latest` and newer policy versions are
    /// capped at its minor version, as that API server caps them.
    pub fn for_kubernetes(version: KubernetesVersion) -> Self {
        Evaluator {
            max_minor: version.minor.min(NEWEST_POLICY_MINOR),
        }
    }

    /// The policy minor version that `version` is evaluated as.
    pub fn effective_minor(&self, version: Version) -> u32 {
        match version {
            Version::V1(m) => m.min(self.max_minor),
            Version::Latest => self.max_minor,
        }
    }

    fn list(&self, lv: LevelVersion) -> &'static [(CheckId, CheckFn)] {
        let t = table();
        let lists = match lv.level {
            Level::Privileged => return &[],
            Level::Baseline => &t.baseline,
            Level::Restricted => &t.restricted,
        };
        let minor = self.effective_minor(lv.version) as usize;
        lists.get(minor).map_or(&[], Vec::as_slice)
    }

    /// The checks that run for `lv`, in upstream order (none for privileged).
    pub fn checks(&self, lv: LevelVersion) -> impl ExactSizeIterator<Item = CheckId> + use<> {
        self.list(lv).iter().map(|(id, _)| *id)
    }

    /// Evaluates `pod` at `lv`. Allocates nothing when the pod is allowed.
    pub fn evaluate(&self, lv: LevelVersion, pod: &Pod<'_>) -> Evaluation {
        let checks = self.list(lv);
        let mut failures = Vec::new();
        for (id, check) in checks {
            if let Some(forbidden) = check(pod) {
                failures.push((*id, forbidden));
            }
        }
        Evaluation {
            level_version: lv,
            checks,
            failures,
        }
    }
}

/// The result of evaluating one pod at one level and version.
#[derive(Clone)]
pub struct Evaluation {
    level_version: LevelVersion,
    checks: &'static [(CheckId, CheckFn)],
    failures: Vec<(CheckId, Forbidden)>,
}

impl fmt::Debug for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evaluation")
            .field("level_version", &self.level_version)
            .field("allowed", &self.allowed())
            .field("failures", &self.failures().collect::<Vec<_>>())
            .finish()
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckResult<'e> {
    /// The check.
    pub check: CheckId,
    /// Why it forbids the pod; `None` when it allows it.
    pub forbidden: Option<&'e Forbidden>,
}

impl CheckResult<'_> {
    /// Whether the check allowed the pod.
    pub fn allowed(&self) -> bool {
        self.forbidden.is_none()
    }
}

impl Evaluation {
    /// Whether every check allowed the pod.
    pub fn allowed(&self) -> bool {
        self.failures.is_empty()
    }

    /// The level and version evaluated, as given (before capping).
    pub fn level_version(&self) -> LevelVersion {
        self.level_version
    }

    /// Every check that ran, in upstream order, with its outcome.
    pub fn results(&self) -> impl ExactSizeIterator<Item = CheckResult<'_>> {
        self.checks.iter().map(|(id, _)| CheckResult {
            check: *id,
            forbidden: self
                .failures
                .iter()
                .find(|(failed, _)| failed == id)
                .map(|(_, f)| f),
        })
    }

    /// The checks that forbid the pod, in upstream order.
    pub fn failures(&self) -> impl ExactSizeIterator<Item = (CheckId, &Forbidden)> {
        self.failures.iter().map(|(id, f)| (*id, f))
    }

    /// The reasons joined with `, ` (upstream `ForbiddenReason()`); empty when allowed.
    pub fn forbidden_reason(&self) -> String {
        let reasons: Vec<&str> = self.failures.iter().map(|(_, f)| f.reason).collect();
        reasons.join(", ")
    }

    /// The reasons with their details in parentheses, joined with `, ` (upstream
    /// `ForbiddenDetail()`); empty when allowed.
    pub fn forbidden_detail(&self) -> String {
        let mut out = String::new();
        for (i, (_, f)) in self.failures.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(f.reason);
            if !f.detail.is_empty() {
                out.push_str(" (");
                out.push_str(&f.detail);
                out.push(')');
            }
        }
        out
    }

    /// The enforce text: `violates PodSecurity "<level>:<version>": <detail>`.
    pub fn message(&self) -> String {
        format!(
            "violates PodSecurity \"{}\": {}",
            self.level_version,
            self.forbidden_detail()
        )
    }

    /// The warn text: `would violate PodSecurity "<level>:<version>": <detail>`.
    pub fn warning(&self) -> String {
        format!(
            "would violate PodSecurity \"{}\": {}",
            self.level_version,
            self.forbidden_detail()
        )
    }

    /// The API server's message when it denies creating the Pod `name`:
    /// `pods "<name>" is forbidden: violates PodSecurity "<level>:<version>": <detail>`.
    pub fn admission_message(&self, name: &str) -> String {
        format!("pods \"{name}\" is forbidden: {}", self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(level: Level, minor: u32) -> LevelVersion {
        LevelVersion::new(level, Version::V1(minor))
    }

    #[test]
    fn privileged_runs_no_checks() {
        let e = Evaluator::new();
        assert_eq!(
            e.checks(LevelVersion::new(Level::Privileged, Version::Latest))
                .len(),
            0
        );
    }

    #[test]
    fn restricted_overrides_replace_baseline_checks_by_version() {
        let e = Evaluator::new();
        let ids = |lv| e.checks(lv).map(CheckId::as_str).collect::<Vec<_>>();
        let r18 = ids(lv(Level::Restricted, 18));
        assert!(
            r18.contains(&"seccompProfile_baseline") && !r18.contains(&"seccompProfile_restricted")
        );
        let r19 = ids(lv(Level::Restricted, 19));
        assert!(
            !r19.contains(&"seccompProfile_baseline") && r19.contains(&"seccompProfile_restricted")
        );
        assert!(!ids(lv(Level::Restricted, 0)).contains(&"hostPathVolumes"));
        let r35 = ids(lv(Level::Restricted, 35));
        assert!(!r35.contains(&"procMount") && r35.contains(&"procMount_restricted"));
        assert!(ids(lv(Level::Restricted, 34)).contains(&"procMount"));
        assert!(!ids(lv(Level::Restricted, 7)).contains(&"allowPrivilegeEscalation"));
        assert!(ids(lv(Level::Baseline, 34)).contains(&"hostProbesAndHostLifecycle"));
        assert!(!ids(lv(Level::Baseline, 33)).contains(&"hostProbesAndHostLifecycle"));
    }

    #[test]
    fn latest_and_future_versions_cap_at_the_emulated_kubernetes() {
        let e = Evaluator::for_kubernetes(KubernetesVersion::parse("1.30").unwrap());
        assert_eq!(e.effective_minor(Version::Latest), 30);
        assert_eq!(e.effective_minor(Version::V1(35)), 30);
        assert_eq!(e.effective_minor(Version::V1(12)), 12);
        assert_eq!(
            Evaluator::new().effective_minor(Version::V1(99)),
            NEWEST_POLICY_MINOR
        );
        assert_eq!(KubernetesVersion::parse("v1.36.2").unwrap().minor, 36);
        assert!(KubernetesVersion::parse("2.1").is_err());
        assert!(KubernetesVersion::parse("1.").is_err());
    }
}
