//! The small text helpers every check's message uses, with upstream's exact formatting.

/// `"a", "b", "c"`; empty for no items (upstream `joinQuote`).
pub(crate) fn join_quote<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('"');
        out.push_str(item.as_ref());
        out.push('"');
    }
    out
}

/// `singular` for a count of one, else `plural` (upstream `pluralize`).
pub(crate) const fn pluralize(
    singular: &'static str,
    plural: &'static str,
    count: usize,
) -> &'static str {
    if count == 1 { singular } else { plural }
}

/// `container "a"` / `containers "a", "b"`.
pub(crate) fn containers(names: &[&str]) -> String {
    format!(
        "{} {}",
        pluralize("container", "containers", names.len()),
        join_quote(names)
    )
}

/// Sorts and removes duplicates, like building a Go `sets.String` and calling `List()`.
pub(crate) fn sorted_set<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort_unstable();
    items.dedup();
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_pluralizes() {
        assert_eq!(join_quote::<&str>(&[]), "");
        assert_eq!(join_quote(&["a", "b"]), r#""a", "b""#);
        assert_eq!(containers(&["a"]), r#"container "a""#);
        assert_eq!(containers(&["a", "a"]), r#"containers "a", "a""#);
        assert_eq!(sorted_set(vec!["b", "a", "b"]), ["a", "b"]);
    }
}
