//! Go's `%q` quoting, which Kubernetes uses in many of the messages palisade reproduces.

use std::fmt;

/// Displays a string as Go's `%q` verb (`strconv.Quote`) does: in double quotes, with `"` and
/// `\` escaped, `\a \b \f \n \r \t \v`, `\xNN` for other ASCII control characters, and `\uNNNN`
/// / `\UNNNNNNNN` for other characters Go does not consider printable.
///
/// Go's notion of printable comes from its Unicode tables. This implementation escapes control
/// characters, separators other than the ASCII space, format characters, private-use characters
/// and noncharacters; it prints unassigned code points as they are, where Go would escape them.
#[derive(Debug, Clone, Copy)]
pub struct GoQuoted<'a>(pub &'a str);

impl fmt::Display for GoQuoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\u{7}' => f.write_str("\\a")?,
                '\u{8}' => f.write_str("\\b")?,
                '\u{c}' => f.write_str("\\f")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\u{b}' => f.write_str("\\v")?,
                c if c < ' ' || c == '\u{7f}' => write!(f, "\\x{:02x}", u32::from(c))?,
                c if go_printable(c) => f.write_char(c)?,
                c if u32::from(c) < 0x10000 => write!(f, "\\u{:04x}", u32::from(c))?,
                c => write!(f, "\\U{:08x}", u32::from(c))?,
            }
        }
        f.write_char('"')
    }
}

/// An approximation of Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space.
fn go_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let cp = u32::from(c);
    let control = c.is_control();
    // Every Zs, Zl and Zp character is White_Space; the other White_Space characters are Cc.
    let separator = c.is_whitespace();
    let format = matches!(
        cp,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    );
    let private_use = matches!(cp, 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD);
    let noncharacter = matches!(cp, 0xFDD0..=0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    !(control || separator || format || private_use || noncharacter)
}

/// Writes a JSON value as Go's `encoding/json` `Marshal` does for the same data: compact, with
/// `<`, `>`, `&`, U+2028 and U+2029 escaped as `\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`.
/// Fields keep the order serde writes them in: declare a struct's fields in the Go struct's
/// order (Go sorts the keys of a `map`, as `serde_json::Value` objects are).
///
/// ```
/// let v = serde_json::json!({"message": "a < b & c"});
/// assert_eq!(palisade_core::quote::go_json(&v), r#"{"message":"a \u003c b \u0026 c"}"#);
/// ```
pub fn go_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    go_html_escape(&serde_json::to_string(value).unwrap_or_default())
}

/// A list of strings as Go's `json.Marshal` writes a `[]string` (see [`go_json`]).
pub fn go_json_strings(items: &[String]) -> String {
    go_json(items)
}

/// Escapes the characters Go's JSON encoder escapes for HTML safety. Those characters only ever
/// occur inside JSON strings, so the escape keeps the JSON valid and equal in meaning.
fn go_html_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::GoQuoted;

    fn q(s: &str) -> String {
        GoQuoted(s).to_string()
    }

    #[test]
    fn quotes_like_go() {
        assert_eq!(q("unconfined"), r#""unconfined""#);
        assert_eq!(q(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(q("\n\t\u{0}\u{7f}"), r#""\n\t\x00\x7f""#);
        assert_eq!(q("é☃"), "\"é☃\"");
        assert_eq!(q("\u{a0}\u{200b}"), r#""\u00a0\u200b""#);
        assert_eq!(q("\u{10fffe}"), r#""\U0010fffe""#);
    }
}
