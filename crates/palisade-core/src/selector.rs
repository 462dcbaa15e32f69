//! Label selectors (`metav1.LabelSelector`) with apimachinery's semantics: a missing selector
//! selects nothing, an empty one everything, and every requirement must hold.
//!
//! ```
//! use palisade_core::selector::LabelSelector;
//!
//! let selector: LabelSelector = serde_json::from_str(
//!     r#"{"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"NotIn","values":["db"]}]}"#,
//! ).unwrap();
//! let selector = selector.to_selector().unwrap();
//! assert!(selector.matches(|k: &str| match k { "app" => Some("web"), _ => None }));
//! assert!(!selector.matches(|k: &str| match k { "app" => Some("web"), "tier" => Some("db"), _ => None }));
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::field::{BadValue, ErrorType, FieldError, ValidationErrors};
use crate::path::FieldPath;
use crate::quote::GoQuoted;

/// A label selector as written in an object (`metav1.LabelSelector`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    /// `matchLabels`: each key must have exactly this value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    /// `matchExpressions`: each requirement must hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One `matchExpressions` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelectorRequirement {
    /// The label key.
    #[serde(default)]
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    #[serde(default)]
    pub operator: String,
    /// The values for `In` and `NotIn`; empty for the others.
    #[serde(default)]
    pub values: Option<Vec<String>>,
}

/// An operator of a parsed requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// The label exists and has one of the values (`matchLabels` entries are `In` one value).
    In,
    /// The label is absent or has none of the values.
    NotIn,
    /// The label exists.
    Exists,
    /// The label is absent.
    DoesNotExist,
}

/// A parsed requirement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// The operator.
    pub operator: Operator,
    /// The values (one for a `matchLabels` entry, none for `Exists`/`DoesNotExist`).
    pub values: Vec<String>,
}

impl Requirement {
    /// Whether the labels satisfy this requirement.
    pub fn matches<'l>(&self, labels: impl Fn(&str) -> Option<&'l str>) -> bool {
        let value = labels(&self.key);
        match self.operator {
            Operator::In => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            Operator::NotIn => value.is_none_or(|v| !self.values.iter().any(|x| x == v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }
}

/// A parsed selector, ready to match.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selector {
    /// Selects nothing: an unset (`null`) selector.
    Nothing,
    /// Selects every object whose labels satisfy all requirements; no requirements selects
    /// everything.
    Requirements(Vec<Requirement>),
}

impl Selector {
    /// The selector that selects everything (`{}`).
    pub const fn everything() -> Self {
        Selector::Requirements(Vec::new())
    }

    /// Whether this selector has no requirements (upstream `Selector.Empty()`): it selects
    /// everything. The `Nothing` selector is not empty.
    pub fn is_empty(&self) -> bool {
        matches!(self, Selector::Requirements(r) if r.is_empty())
    }

    /// Whether labels, looked up by key, satisfy the selector.
    pub fn matches<'l>(&self, labels: impl Fn(&str) -> Option<&'l str> + Copy) -> bool {
        match self {
            Selector::Nothing => false,
            Selector::Requirements(reqs) => reqs.iter().all(|r| r.matches(labels)),
        }
    }

    /// Whether a label map satisfies the selector.
    pub fn matches_map<S: AsRef<str>>(&self, labels: &BTreeMap<String, S>) -> bool {
        self.matches(|k| labels.get(k).map(AsRef::as_ref))
    }

    /// Whether the labels of a JSON object (`metadata.labels`) satisfy the selector.
    pub fn matches_object(&self, object: &serde_json::Value) -> bool {
        self.matches(|k| crate::object::label(object, k))
    }
}

/// Parses an optional selector as upstream's `LabelSelectorAsSelector`: `None` selects
/// nothing.
pub fn parse_optional(selector: Option<&LabelSelector>) -> Result<Selector, SelectorError> {
    match selector {
        None => Ok(Selector::Nothing),
        Some(s) => s.to_selector(),
    }
}

/// Why a selector cannot be parsed, worded as apimachinery words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// An operator other than `In`, `NotIn`, `Exists`, `DoesNotExist`.
    #[error("{} is not a valid label selector operator", GoQuoted(.0))]
    Operator(String),
    /// A requirement whose key or values are invalid.
    #[error("{0}")]
    Requirement(ValidationErrors),
}

impl LabelSelector {
    /// Parses this selector as upstream's `LabelSelectorAsSelector`: `matchLabels` first (by
    /// key), then `matchExpressions` in order; the first invalid requirement is the error.
    pub fn to_selector(&self) -> Result<Selector, SelectorError> {
        if self.match_labels.is_empty() && self.match_expressions.is_empty() {
            return Ok(Selector::everything());
        }
        let mut reqs = Vec::with_capacity(self.match_labels.len() + self.match_expressions.len());
        for (k, v) in &self.match_labels {
            reqs.push(requirement(k, Operator::In, Some(std::slice::from_ref(v)))?);
        }
        for expr in &self.match_expressions {
            let op = match expr.operator.as_str() {
                "In" => Operator::In,
                "NotIn" => Operator::NotIn,
                "Exists" => Operator::Exists,
                "DoesNotExist" => Operator::DoesNotExist,
                other => return Err(SelectorError::Operator(other.to_owned())),
            };
            reqs.push(requirement(&expr.key, op, expr.values.as_deref())?);
        }
        Ok(Selector::Requirements(reqs))
    }
}

/// Upstream `labels.NewRequirement`: the key, the number of values for the operator, then each
/// value.
fn requirement(
    key: &str,
    operator: Operator,
    values: Option<&[String]>,
) -> Result<Requirement, SelectorError> {
    let vals = values.unwrap_or_default();
    let mut errs = Vec::new();
    let key_errors = crate::validation::is_qualified_name(key);
    if !key_errors.is_empty() {
        errs.push(FieldError::invalid(
            FieldPath::new(["key"]),
            key,
            key_errors.join("; "),
        ));
    }
    let values_path = FieldPath::new(["values"]);
    // Upstream copies the values with `append([]string(nil), …)`: an empty list shows as null.
    let shown = || {
        if vals.is_empty() {
            BadValue::Null
        } else {
            BadValue::List(vals.to_vec())
        }
    };
    match operator {
        Operator::In | Operator::NotIn if vals.is_empty() => errs.push(FieldError::new(
            values_path.clone(),
            ErrorType::Invalid,
            shown(),
            "for 'in', 'notin' operators, values set can't be empty",
        )),
        Operator::Exists | Operator::DoesNotExist if !vals.is_empty() => {
            errs.push(FieldError::new(
                values_path.clone(),
                ErrorType::Invalid,
                shown(),
                "values set must be empty for exists and does not exist",
            ));
        }
        _ => {}
    }
    for (i, v) in vals.iter().enumerate() {
        let msgs = crate::validation::is_valid_label_value(v);
        if !msgs.is_empty() {
            errs.push(FieldError::invalid(
                values_path.clone().index(i).key(key),
                v,
                msgs.join("; "),
            ));
        }
    }
    if errs.is_empty() {
        Ok(Requirement {
            key: key.to_owned(),
            operator,
            values: vals.to_vec(),
        })
    } else {
        Err(SelectorError::Requirement(ValidationErrors(errs)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(json: &str) -> Result<Selector, SelectorError> {
        serde_json::from_str::<LabelSelector>(json)
            .unwrap()
            .to_selector()
    }

    fn labels<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + Copy {
        move |k| pairs.iter().find(|(pk, _)| *pk == k).map(|(_, v)| *v)
    }

    #[test]
    fn empty_selects_everything_and_missing_nothing() {
        assert!(sel("{}").unwrap().matches(labels(&[])));
        assert!(sel("{}").unwrap().is_empty());
        assert!(!parse_optional(None).unwrap().matches(labels(&[])));
        assert!(!parse_optional(None).unwrap().is_empty());
    }

    #[test]
    fn operators_follow_apimachinery() {
        let not_in =
            sel(r#"{"matchExpressions":[{"key":"a","operator":"NotIn","values":["1"]}]}"#).unwrap();
        assert!(
            not_in.matches(labels(&[])),
            "NotIn holds when the label is absent"
        );
        assert!(not_in.matches(labels(&[("a", "2")])));
        assert!(!not_in.matches(labels(&[("a", "1")])));
        let exists = sel(r#"{"matchExpressions":[{"key":"a","operator":"Exists"}]}"#).unwrap();
        assert!(exists.matches(labels(&[("a", "")])));
        assert!(!exists.matches(labels(&[("b", "")])));
        let both = sel(r#"{"matchLabels":{"a":"1"},"matchExpressions":[{"key":"b","operator":"DoesNotExist"}]}"#)
            .unwrap();
        assert!(both.matches(labels(&[("a", "1")])));
        assert!(!both.matches(labels(&[("a", "1"), ("b", "x")])));
    }

    #[test]
    fn errors_are_worded_as_upstream() {
        assert_eq!(
            sel(r#"{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}"#)
                .unwrap_err()
                .to_string(),
            "\"Gt\" is not a valid label selector operator"
        );
        assert_eq!(
            sel(r#"{"matchExpressions":[{"key":"a","operator":"In"}]}"#)
                .unwrap_err()
                .to_string(),
            "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"
        );
        assert_eq!(
            sel(r#"{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}"#)
                .unwrap_err()
                .to_string(),
            "values: Invalid value: [\"x\"]: values set must be empty for exists and does not exist"
        );
        let bad =
            sel(r#"{"matchExpressions":[{"key":"key","operator":"In","values":["bad value"]}]}"#)
                .unwrap_err()
                .to_string();
        assert!(
            bad.starts_with("values[0][key]: Invalid value: \"bad value\": a valid label must be"),
            "{bad}"
        );
    }
}
