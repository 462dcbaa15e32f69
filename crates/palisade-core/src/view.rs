//! Building blocks for borrowed views over Kubernetes objects.
//!
//! A view is a `serde::Deserialize` struct that names only the fields a check reads. Strings
//! borrow from the input where they can (JSON bytes without escapes, or a `serde_json::Value`),
//! so a parsed view costs little more than the scan of the input.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A string borrowed from the input when possible, owned when the input had escapes.
///
/// Unlike `Cow<str>` inside an `Option` or a `Vec`, it borrows in every position.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Str<'a>(pub Cow<'a, str>);

impl<'a> Str<'a> {
    /// A borrowed string.
    pub const fn borrowed(s: &'a str) -> Self {
        Str(Cow::Borrowed(s))
    }

    /// The string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Str<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Str<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

/// A string-to-string map (labels, annotations) kept as pairs in input order.
///
/// Lookups are linear: these maps are small, and building a hash map would cost more than it
/// saves. A `null` map reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrMap<'a>(pub Vec<(Str<'a>, Str<'a>)>);

impl<'a> StrMap<'a> {
    /// The value of `key`. When the input repeated a key, the last value wins, as Go's JSON
    /// decoding of a map does.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| v.as_str())
    }

    /// The entry whose key satisfies `matches`, last one winning as in [`StrMap::get`].
    pub fn find(&self, mut matches: impl FnMut(&str) -> bool) -> Option<(&str, &str)> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| matches(k))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The pairs, in input order (keys may repeat; see [`StrMap::get`]).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The distinct keys with their effective (last) values.
    pub fn effective(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().enumerate().filter_map(|(i, (k, v))| {
            let shadowed = self.0.iter().skip(i + 1).any(|(later, _)| later == k);
            (!shadowed).then_some((k.as_str(), v.as_str()))
        })
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for StrMap<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = StrMap<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of strings")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(StrMap::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(StrMap::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_map(self)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some((k, v)) = map.next_entry::<Str<'de>, Option<Str<'de>>>()? {
                    pairs.push((k, v.unwrap_or_default()));
                }
                Ok(StrMap(pairs))
            }
        }
        deserializer.deserialize_option(MapVisitor)
    }
}

/// `deserialize_with` helper: a `null` reads as the type's default, as Go's JSON decoding
/// leaves a nil slice or zero value.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Meta<'a> {
        #[serde(borrow, default)]
        name: Option<Str<'a>>,
        #[serde(borrow, default)]
        labels: StrMap<'a>,
        #[serde(default, deserialize_with = "null_as_default")]
        items: Vec<i64>,
    }

    #[test]
    fn borrows_unescaped_strings_and_owns_escaped_ones() {
        let json = br#"{"name":"web","labels":{"a":"1","b\n":"x\"y","a":"2"},"items":null}"#;
        let m: Meta<'_> = serde_json::from_slice(json).unwrap();
        assert!(matches!(m.name.as_ref().unwrap().0, Cow::Borrowed("web")));
        assert_eq!(m.labels.get("a"), Some("2"));
        assert_eq!(m.labels.get("b\n"), Some("x\"y"));
        assert!(matches!(m.labels.0[1].1.0, Cow::Owned(_)));
        assert_eq!(
            m.labels.effective().collect::<Vec<_>>(),
            [("b\n", "x\"y"), ("a", "2")]
        );
        assert!(m.items.is_empty());
    }

    #[test]
    fn null_maps_and_values_read_as_empty() {
        let m: Meta<'_> = serde_json::from_str(r#"{"labels":null}"#).unwrap();
        assert!(m.labels.is_empty());
        let m: Meta<'_> = serde_json::from_str(r#"{"labels":{"k":null}}"#).unwrap();
        assert_eq!(m.labels.get("k"), Some(""));
        let v = serde_json::json!({"name": "from-value", "labels": {"x": "y"}});
        let m = Meta::deserialize(&v).unwrap();
        assert!(matches!(m.name.unwrap().0, Cow::Borrowed("from-value")));
    }
}
