//! Kubernetes field paths (`spec.containers[0].securityContext`, `metadata.labels[app]`), as the
//! API server prints them in validation errors.

use std::fmt;

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A named field: `.name`.
    Field(String),
    /// A list index: `[3]`.
    Index(usize),
    /// A map key: `[key]` (unquoted, as upstream's `field.Path` prints keys).
    Key(String),
}

/// A path to a field of a Kubernetes object.
///
/// Displays as upstream's `field.Path` does: fields joined with `.`, indexes and map keys in
/// brackets (`metadata.labels[pod-security.kubernetes.io/enforce]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath {
    segments: Vec<Segment>,
}

impl FieldPath {
    /// The empty path (the object itself).
    pub const fn root() -> Self {
        FieldPath {
            segments: Vec::new(),
        }
    }

    /// A path of named fields: `FieldPath::new(["metadata", "labels"])`.
    pub fn new<'a>(fields: impl IntoIterator<Item = &'a str>) -> Self {
        FieldPath {
            segments: fields
                .into_iter()
                .map(|f| Segment::Field(f.to_owned()))
                .collect(),
        }
    }

    /// This path followed by a named field.
    #[must_use]
    pub fn child(mut self, name: &str) -> Self {
        self.segments.push(Segment::Field(name.to_owned()));
        self
    }

    /// This path followed by a list index.
    #[must_use]
    pub fn index(mut self, index: usize) -> Self {
        self.segments.push(Segment::Index(index));
        self
    }

    /// This path followed by a map key.
    #[must_use]
    pub fn key(mut self, key: &str) -> Self {
        self.segments.push(Segment::Key(key.to_owned()));
        self
    }

    /// The steps of this path, outermost first.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Whether this is the empty path.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for segment in &self.segments {
            match segment {
                Segment::Field(name) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(k) => write!(f, "[{k}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_upstream_field_path() {
        let p = FieldPath::new(["spec", "containers"])
            .index(0)
            .child("securityContext");
        assert_eq!(p.to_string(), "spec.containers[0].securityContext");
        let p = FieldPath::new(["metadata", "labels"]).key("pod-security.kubernetes.io/enforce");
        assert_eq!(
            p.to_string(),
            "metadata.labels[pod-security.kubernetes.io/enforce]"
        );
        assert_eq!(FieldPath::root().to_string(), "");
        assert!(FieldPath::root().is_root());
    }
}
