//! Semantic versions as the Kubernetes CEL `semver()` library reads them: blang/semver v4's
//! `Parse`, its `String` and `Compare`, and the library's normalizing parse.
//!
//! ```
//! use palisade_core::semver::Semver;
//!
//! let v = Semver::parse("1.2.3-beta.1+build.1").unwrap();
//! assert_eq!((v.major(), v.minor(), v.patch()), (1, 2, 3));
//! assert!(v < Semver::parse("1.2.3").unwrap());
//! assert_eq!(Semver::parse_normalized("v01.01").unwrap().to_string(), "1.1.0");
//! assert_eq!(Semver::parse("v1.0").unwrap_err().to_string(), "No Major.Minor.Patch elements found");
//! ```

use std::cmp::Ordering;
use std::fmt;

use crate::quote::GoQuoted;

/// Which of the three version numbers an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// The major number.
    Major,
    /// The minor number.
    Minor,
    /// The patch number.
    Patch,
}

impl Component {
    fn lower(self) -> &'static str {
        match self {
            Component::Major => "major",
            Component::Minor => "minor",
            Component::Patch => "patch",
        }
    }

    fn upper(self) -> &'static str {
        match self {
            Component::Major => "Major",
            Component::Minor => "Minor",
            Component::Patch => "Patch",
        }
    }
}

/// Why a text is not a semantic version; `Display` is blang/semver's (or the Kubernetes
/// library's) exact text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SemverError {
    /// The text is empty.
    #[error("Version string empty")]
    Empty,
    /// Fewer than three dot-separated parts.
    #[error("No Major.Minor.Patch elements found")]
    NoMajorMinorPatch,
    /// A version number has a character other than a digit.
    #[error("Invalid character(s) found in {} number {}", .component.lower(), GoQuoted(.text))]
    InvalidNumber {
        /// Which number.
        component: Component,
        /// The text of that number.
        text: String,
    },
    /// A version number has a leading zero.
    #[error("{} number must not contain leading zeroes {}", .component.upper(), GoQuoted(.text))]
    LeadingZeroes {
        /// Which number.
        component: Component,
        /// The text of that number.
        text: String,
    },
    /// A number is empty or does not fit in 64 bits (Go's `strconv.ParseUint` error).
    #[error("strconv.ParseUint: parsing {}: {}", GoQuoted(.text), if *.out_of_range { "value out of range" } else { "invalid syntax" })]
    Number {
        /// The text of the number.
        text: String,
        /// Whether it was too large (else empty).
        out_of_range: bool,
    },
    /// An empty pre-release identifier.
    #[error("Prerelease is empty")]
    PrereleaseEmpty,
    /// A numeric pre-release identifier with a leading zero.
    #[error("Numeric PreRelease version must not contain leading zeroes {}", GoQuoted(.0))]
    PrereleaseLeadingZeroes(String),
    /// A pre-release identifier with a character outside `[0-9A-Za-z-]`.
    #[error("Invalid character(s) found in prerelease {}", GoQuoted(.0))]
    PrereleaseInvalid(String),
    /// An empty build identifier.
    #[error("Build meta data is empty")]
    BuildEmpty,
    /// A build identifier with a character outside `[0-9A-Za-z-]`.
    #[error("Invalid character(s) found in build meta data {}", GoQuoted(.0))]
    BuildInvalid(String),
    /// [`Semver::parse_normalized`]: a version with fewer than three parts has a pre-release or
    /// build suffix.
    #[error("short version cannot contain PreRelease/Build meta data")]
    ShortVersionMeta,
}

/// A pre-release identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PreRelease {
    /// All digits.
    Numeric(u64),
    /// Anything else (letters, digits and `-`).
    Alphanumeric(String),
}

impl PreRelease {
    fn parse(s: &str) -> Result<PreRelease, SemverError> {
        if s.is_empty() {
            return Err(SemverError::PrereleaseEmpty);
        }
        if only_digits(s) {
            if s.len() > 1 && s.starts_with('0') {
                return Err(SemverError::PrereleaseLeadingZeroes(s.to_owned()));
            }
            return parse_uint(s).map(PreRelease::Numeric);
        }
        if only_alphanumeric(s) {
            return Ok(PreRelease::Alphanumeric(s.to_owned()));
        }
        Err(SemverError::PrereleaseInvalid(s.to_owned()))
    }
}

impl Ord for PreRelease {
    /// Numeric identifiers sort before alphanumeric ones; numbers numerically, text by bytes.
    fn cmp(&self, other: &PreRelease) -> Ordering {
        match (self, other) {
            (PreRelease::Numeric(a), PreRelease::Numeric(b)) => a.cmp(b),
            (PreRelease::Numeric(_), PreRelease::Alphanumeric(_)) => Ordering::Less,
            (PreRelease::Alphanumeric(_), PreRelease::Numeric(_)) => Ordering::Greater,
            (PreRelease::Alphanumeric(a), PreRelease::Alphanumeric(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for PreRelease {
    fn partial_cmp(&self, other: &PreRelease) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PreRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PreRelease::Numeric(n) => write!(f, "{n}"),
            PreRelease::Alphanumeric(s) => f.write_str(s),
        }
    }
}

/// A semantic version. Equality and ordering follow semver precedence, ignoring build metadata
/// (as blang/semver's `Compare` and `EQ` do).
#[derive(Debug, Clone)]
pub struct Semver {
    major: u64,
    minor: u64,
    patch: u64,
    pre: Vec<PreRelease>,
    build: Vec<String>,
}

fn only_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn only_alphanumeric(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Go's `strconv.ParseUint(s, 10, 64)` over text already known to be digits.
fn parse_uint(s: &str) -> Result<u64, SemverError> {
    s.parse().map_err(|_| SemverError::Number {
        text: s.to_owned(),
        out_of_range: !s.is_empty(),
    })
}

fn number(s: &str, component: Component) -> Result<u64, SemverError> {
    if !only_digits(s) {
        return Err(SemverError::InvalidNumber {
            component,
            text: s.to_owned(),
        });
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(SemverError::LeadingZeroes {
            component,
            text: s.to_owned(),
        });
    }
    parse_uint(s)
}

impl Semver {
    /// Parses strictly, as blang/semver v4 `Parse` does (the CEL `semver(s)` and `isSemver(s)`).
    pub fn parse(s: &str) -> Result<Semver, SemverError> {
        if s.is_empty() {
            return Err(SemverError::Empty);
        }
        let mut parts = s.splitn(3, '.');
        let (Some(major), Some(minor), Some(rest)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SemverError::NoMajorMinorPatch);
        };
        let major = number(major, Component::Major)?;
        let minor = number(minor, Component::Minor)?;
        let mut patch = rest;
        let mut build_text = None;
        if let Some((p, b)) = patch.split_once('+') {
            build_text = Some(b);
            patch = p;
        }
        let mut pre_text = None;
        if let Some((p, r)) = patch.split_once('-') {
            pre_text = Some(r);
            patch = p;
        }
        let patch = number(patch, Component::Patch)?;
        let pre = match pre_text {
            Some(text) => text
                .split('.')
                .map(PreRelease::parse)
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let mut build = Vec::new();
        for b in build_text.map(|t| t.split('.')).into_iter().flatten() {
            if b.is_empty() {
                return Err(SemverError::BuildEmpty);
            }
            if !only_alphanumeric(b) {
                return Err(SemverError::BuildInvalid(b.to_owned()));
            }
            build.push(b.to_owned());
        }
        Ok(Semver {
            major,
            minor,
            patch,
            pre,
            build,
        })
    }

    /// Parses after the Kubernetes library's normalization (the CEL `semver(s, true)`): drops
    /// a leading `v`, strips leading zeros from each part, and fills missing minor and patch
    /// numbers with `0`.
    pub fn parse_normalized(s: &str) -> Result<Semver, SemverError> {
        let s = s.strip_prefix('v').unwrap_or(s);
        let mut parts: Vec<String> = s
            .splitn(3, '.')
            .map(|p| {
                if p.len() <= 1 {
                    return p.to_owned();
                }
                let trimmed = p.trim_start_matches('0');
                if trimmed.as_bytes().first().is_some_and(u8::is_ascii_digit) {
                    trimmed.to_owned()
                } else {
                    format!("0{trimmed}")
                }
            })
            .collect();
        if parts.len() < 3 {
            if parts.last().is_some_and(|p| p.contains(['+', '-'])) {
                return Err(SemverError::ShortVersionMeta);
            }
            parts.resize(3, "0".to_owned());
        }
        Semver::parse(&parts.join("."))
    }

    /// The major number.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor number.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch number.
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The pre-release identifiers.
    pub fn pre_release(&self) -> &[PreRelease] {
        &self.pre
    }

    /// The build metadata identifiers.
    pub fn build(&self) -> &[String] {
        &self.build
    }
}

impl Ord for Semver {
    /// Semver precedence: numbers, then a version without pre-release above one with, then
    /// identifier by identifier, a longer list above its prefix.
    fn cmp(&self, other: &Semver) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for Semver {
    fn partial_cmp(&self, other: &Semver) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Semver {
    fn eq(&self, other: &Semver) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Semver {}

impl fmt::Display for Semver {
    /// blang/semver's `String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, p) in self.pre.iter().enumerate() {
            f.write_str(if i == 0 { "-" } else { "." })?;
            write!(f, "{p}")?;
        }
        for (i, b) in self.build.iter().enumerate() {
            f.write_str(if i == 0 { "+" } else { "." })?;
            f.write_str(b)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Semver {
    type Err = SemverError;
    fn from_str(s: &str) -> Result<Semver, SemverError> {
        Semver::parse(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )]

    use super::*;

    fn v(s: &str) -> Semver {
        Semver::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn strict_parse() {
        for ok in [
            "1.2.3",
            "1.2.3-beta.1+build.1",
            "0.0.0",
            "1.2.3-0",
            "1.2.3+-",
            "1.2.3-a-b",
        ] {
            assert!(Semver::parse(ok).is_ok(), "{ok}");
        }
        let err = |s: &str| Semver::parse(s).unwrap_err().to_string();
        assert_eq!(err(""), "Version string empty");
        assert_eq!(err("v1.0"), "No Major.Minor.Patch elements found");
        assert_eq!(err("1"), "No Major.Minor.Patch elements found");
        assert_eq!(err("1.1"), "No Major.Minor.Patch elements found");
        assert_eq!(
            err("v1.0.0"),
            "Invalid character(s) found in major number \"v1\""
        );
        assert_eq!(
            err(" 1.0.0"),
            "Invalid character(s) found in major number \" 1\""
        );
        assert_eq!(
            err("1. 0.0"),
            "Invalid character(s) found in minor number \" 0\""
        );
        assert_eq!(
            err("1.0.0 "),
            "Invalid character(s) found in patch number \"0 \""
        );
        assert_eq!(
            err("01.01.01"),
            "Major number must not contain leading zeroes \"01\""
        );
        assert_eq!(
            err("1.01.1"),
            "Minor number must not contain leading zeroes \"01\""
        );
        assert_eq!(
            err("1.1.01"),
            "Patch number must not contain leading zeroes \"01\""
        );
        assert_eq!(
            err(".1.1"),
            "strconv.ParseUint: parsing \"\": invalid syntax"
        );
        assert_eq!(
            err("18446744073709551616.0.0"),
            "strconv.ParseUint: parsing \"18446744073709551616\": value out of range"
        );
        assert_eq!(err("1.0.0-"), "Prerelease is empty");
        assert_eq!(err("1.0.0-a..b"), "Prerelease is empty");
        assert_eq!(
            err("1.0.0-01"),
            "Numeric PreRelease version must not contain leading zeroes \"01\""
        );
        assert_eq!(
            err("1.0.0-@"),
            "Invalid character(s) found in prerelease \"@\""
        );
        assert_eq!(err("1.0.0+"), "Build meta data is empty");
        assert_eq!(
            err("1.0.0+a_b"),
            "Invalid character(s) found in build meta data \"a_b\""
        );
        assert_eq!(
            err("1.0.0-ü"),
            "Invalid character(s) found in prerelease \"ü\""
        );
    }

    #[test]
    fn normalized_parse() {
        let n = |s: &str| Semver::parse_normalized(s).map(|v| v.to_string());
        assert_eq!(n("v1.0.0").unwrap(), "1.0.0");
        assert_eq!(n("01.01.01").unwrap(), "1.1.1");
        assert_eq!(n("1").unwrap(), "1.0.0");
        assert_eq!(n("1.1").unwrap(), "1.1.0");
        assert_eq!(n("v01.01").unwrap(), "1.1.0");
        assert_eq!(n("1.0.00-alpha").unwrap(), "1.0.0-alpha");
        assert_eq!(n("1.0.0-alpha").unwrap(), "1.0.0-alpha");
        assert!(n("").is_err());
        assert!(n(" 1.0.0").is_err());
        assert!(n("1. 0.0").is_err());
        assert!(n("1.0.0 ").is_err());
        assert_eq!(
            Semver::parse_normalized("1.2-beta").unwrap_err(),
            SemverError::ShortVersionMeta
        );
        assert_eq!(
            SemverError::ShortVersionMeta.to_string(),
            "short version cannot contain PreRelease/Build meta data"
        );
    }

    #[test]
    fn precedence() {
        // The semver.org example chain.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
        ];
        for w in chain.windows(2) {
            assert!(v(w[0]) < v(w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(v("1.2.3+a"), v("1.2.3+b"));
        assert_eq!(v("1.2.3").cmp(&v("1.0.0")), Ordering::Greater);
        assert_eq!(v("1.0.0-B").cmp(&v("1.0.0-a")), Ordering::Less);
    }

    #[test]
    fn display_round_trips() {
        for s in ["1.2.3", "1.2.3-beta.1+build.1", "10.20.30-rc.0.a+001.x-y"] {
            assert_eq!(v(s).to_string(), s);
        }
        let x = v("1.2.3");
        assert_eq!((x.major(), x.minor(), x.patch()), (1, 2, 3));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn canonical_round_trip(
                nums in (0_u64..1000, 0_u64..1000, 0_u64..1000),
                pre in prop::collection::vec("[1-9][0-9]{0,3}|[a-zA-Z-][0-9a-zA-Z-]{0,5}", 0..3),
                build in prop::collection::vec("[0-9a-zA-Z-]{1,5}", 0..3),
            ) {
                let mut s = format!("{}.{}.{}", nums.0, nums.1, nums.2);
                if !pre.is_empty() { s = format!("{s}-{}", pre.join(".")); }
                if !build.is_empty() { s = format!("{s}+{}", build.join(".")); }
                let parsed = v(&s);
                prop_assert_eq!(parsed.to_string(), s);
            }

            #[test]
            fn never_panics(s in "[v0-9.+a-z-]{0,20}") {
                let _ = Semver::parse(&s).map(|x| x.to_string());
                let _ = Semver::parse_normalized(&s).map(|x| x.to_string());
            }
        }
    }
}
