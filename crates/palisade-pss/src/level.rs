//! Policy levels and policy versions, parsed exactly as the namespace labels are.

use std::fmt;

/// A Pod Security Standards level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// `privileged`: unrestricted.
    Privileged,
    /// `baseline`: prevents known privilege escalations.
    Baseline,
    /// `restricted`: current pod hardening best practices.
    Restricted,
}

impl Level {
    /// The level's name as used in labels: `privileged`, `baseline` or `restricted`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }

    /// Parses a level exactly as the namespace labels are parsed.
    ///
    /// Like upstream, an invalid level yields [`Level::Restricted`] together with the error text
    /// (`must be one of privileged, baseline, restricted`); callers decide the fallback.
    pub fn parse(s: &str) -> Result<Level, InvalidLevel> {
        match s {
            "privileged" => Ok(Level::Privileged),
            "baseline" => Ok(Level::Baseline),
            "restricted" => Ok(Level::Restricted),
            _ => Err(InvalidLevel),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a level that is not `privileged`, `baseline` or `restricted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("must be one of privileged, baseline, restricted")]
pub struct InvalidLevel;

/// The error for a version that is neither `latest` nor `v1.x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[error("must be \"latest\" or \"v1.x\"")]
pub struct InvalidVersion;

/// A policy version: `latest` or `v1.<minor>`.
///
/// Ordered as upstream orders them: `latest` is newer than every numbered version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Version {
    /// `v1.<minor>`.
    V1(u32),
    /// `latest`: the newest policy version the evaluator knows, capped by the emulated
    /// Kubernetes version.
    Latest,
}

impl Version {
    /// Parses `latest` or `v1.<minor>` (no leading zeros, as upstream's `^v1\.([0-9]|[1-9][0-9]*)$`).
    pub fn parse(s: &str) -> Result<Version, InvalidVersion> {
        if s == "latest" {
            return Ok(Version::Latest);
        }
        let minor = s.strip_prefix("v1.").ok_or(InvalidVersion)?;
        let bytes = minor.as_bytes();
        let well_formed = match bytes {
            [] => false,
            [b'0'] => true,
            [b'0', ..] => false,
            _ => bytes.iter().all(u8::is_ascii_digit),
        };
        if !well_formed {
            return Err(InvalidVersion);
        }
        // Upstream's strconv.Atoi fails above the int range; treat that as invalid too.
        minor
            .parse::<u32>()
            .map(Version::V1)
            .map_err(|_| InvalidVersion)
    }

    /// The minor version, or `None` for `latest`.
    pub const fn minor(self) -> Option<u32> {
        match self {
            Version::V1(m) => Some(m),
            Version::Latest => None,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::V1(m) => write!(f, "v1.{m}"),
            Version::Latest => f.write_str("latest"),
        }
    }
}

/// A level together with a policy version, displayed as `<level>:<version>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LevelVersion {
    /// The level.
    pub level: Level,
    /// The policy version.
    pub version: Version,
}

impl LevelVersion {
    /// A level at a version.
    pub const fn new(level: Level, version: Version) -> Self {
        LevelVersion { level, version }
    }

    /// Whether two level-versions are functionally equivalent: both privileged, or equal.
    pub fn equivalent(&self, other: &LevelVersion) -> bool {
        (self.level == Level::Privileged && other.level == Level::Privileged) || self == other
    }
}

impl fmt::Display for LevelVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.level, self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions_like_upstream() {
        assert_eq!(Version::parse("latest"), Ok(Version::Latest));
        assert_eq!(Version::parse("v1.0"), Ok(Version::V1(0)));
        assert_eq!(Version::parse("v1.37"), Ok(Version::V1(37)));
        assert_eq!(Version::parse("v1.999"), Ok(Version::V1(999)));
        for bad in [
            "", "v1.", "v1.01", "v2.0", "1.30", "v1.3a", "Latest", "v1.-1", "v1.+1",
        ] {
            assert_eq!(Version::parse(bad), Err(InvalidVersion), "{bad}");
        }
        assert!(Version::V1(99) < Version::Latest);
        assert_eq!(InvalidVersion.to_string(), r#"must be "latest" or "v1.x""#);
    }

    #[test]
    fn parses_levels_like_upstream() {
        assert_eq!(Level::parse("baseline"), Ok(Level::Baseline));
        assert_eq!(Level::parse("Baseline"), Err(InvalidLevel));
        assert_eq!(
            InvalidLevel.to_string(),
            "must be one of privileged, baseline, restricted"
        );
        assert!(Level::Privileged < Level::Baseline && Level::Baseline < Level::Restricted);
    }
}
