//! Labels and label selectors (`metav1.LabelSelector`) with the API server's semantics.

use std::collections::BTreeMap;
use std::fmt;

/// The labels of an object.
pub type Labels = BTreeMap<String, String>;

/// A label selector operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// The key is present with one of the values.
    In,
    /// The key is absent, or its value is none of the values.
    NotIn,
    /// The key is present.
    Exists,
    /// The key is absent.
    DoesNotExist,
}

impl Operator {
    /// The operator as written in a selector.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
        }
    }

    /// Parses an operator as written in a selector (case-sensitive).
    pub fn parse(text: &str) -> Option<Operator> {
        [
            Operator::In,
            Operator::NotIn,
            Operator::Exists,
            Operator::DoesNotExist,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub operator: Operator,
    /// The values (`In`, `NotIn` only).
    pub values: Vec<String>,
}

impl Requirement {
    /// Whether `labels` satisfy this requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            Operator::In => value.is_some_and(|v| self.values.contains(v)),
            Operator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }
}

/// A label selector. The empty selector (`{}`) matches every object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelSelector {
    /// `matchLabels`: every pair must be present.
    pub match_labels: BTreeMap<String, String>,
    /// `matchExpressions`: every requirement must hold.
    pub match_expressions: Vec<Requirement>,
}

impl LabelSelector {
    /// The selector that matches everything (`{}`).
    pub fn everything() -> Self {
        LabelSelector::default()
    }

    /// A selector of `matchLabels` only.
    pub fn labels<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        LabelSelector {
            match_labels: pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            match_expressions: Vec::new(),
        }
    }

    /// Whether this is `{}`, which matches every object.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` match: every `matchLabels` pair and every requirement hold.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

impl fmt::Display for LabelSelector {
    /// The selector in `kubectl` form: `app=web,tier in (a,b),!legacy`; `{}` for the empty one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("{}");
        }
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for r in &self.match_expressions {
            parts.push(match r.operator {
                Operator::In => format!("{} in ({})", r.key, r.values.join(",")),
                Operator::NotIn => format!("{} notin ({})", r.key, r.values.join(",")),
                Operator::Exists => r.key.clone(),
                Operator::DoesNotExist => format!("!{}", r.key),
            });
        }
        f.write_str(&parts.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn req(key: &str, operator: Operator, values: &[&str]) -> Requirement {
        Requirement {
            key: key.into(),
            operator,
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    #[test]
    fn operators_follow_upstream_semantics() {
        let l = labels(&[("pod", "a"), ("tier", "web")]);
        assert!(req("pod", Operator::In, &["a", "b"]).matches(&l));
        assert!(!req("missing", Operator::In, &["a"]).matches(&l));
        // NotIn holds when the key is absent.
        assert!(req("missing", Operator::NotIn, &["a"]).matches(&l));
        assert!(!req("pod", Operator::NotIn, &["a"]).matches(&l));
        assert!(req("tier", Operator::Exists, &[]).matches(&l));
        assert!(req("missing", Operator::DoesNotExist, &[]).matches(&l));
        assert!(!req("tier", Operator::DoesNotExist, &[]).matches(&l));
    }

    #[test]
    fn empty_selector_matches_everything_and_all_terms_must_hold() {
        assert!(LabelSelector::everything().matches(&Labels::new()));
        let mut s = LabelSelector::labels([("pod", "a")]);
        s.match_expressions.push(req("tier", Operator::Exists, &[]));
        assert!(s.matches(&labels(&[("pod", "a"), ("tier", "x")])));
        assert!(!s.matches(&labels(&[("pod", "a")])));
        assert!(!s.matches(&labels(&[("pod", "b"), ("tier", "x")])));
        assert_eq!(s.to_string(), "pod=a,tier");
    }
}
