//! Go `net/url` percent-escaping: `shouldEscape`, `escape`, `unescape` and `validEncoded`.

use crate::quote::GoQuoted;

/// The URL part being escaped or unescaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    QueryComponent,
    Fragment,
}

/// Why unescaping failed (`EscapeError` / `InvalidHostError`); `Display` is Go's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum UnescapeError {
    Escape(Vec<u8>),
    InvalidHost(Vec<u8>),
}

impl std::fmt::Display for UnescapeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UnescapeError::Escape(s) => {
                write!(
                    f,
                    "invalid URL escape {}",
                    GoQuoted(&String::from_utf8_lossy(s))
                )
            }
            UnescapeError::InvalidHost(s) => write!(
                f,
                "invalid character {} in host name",
                GoQuoted(&String::from_utf8_lossy(s))
            ),
        }
    }
}

pub(super) fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => return c == b'?',
            Mode::UserPassword => return matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::QueryComponent => return true,
            Mode::Fragment => return false,
            Mode::Host | Mode::Zone => {}
        },
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

pub(super) fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, UnescapeError> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while i < s.len() {
        match at(i) {
            b'%' => {
                if i + 2 >= s.len()
                    || !at(i + 1).is_ascii_hexdigit()
                    || !at(i + 2).is_ascii_hexdigit()
                {
                    let end = (i + 3).min(s.len());
                    return Err(UnescapeError::Escape(
                        s.get(i..end).unwrap_or_default().to_vec(),
                    ));
                }
                let triple = s.get(i..i + 3).unwrap_or_default();
                if mode == Mode::Host && unhex(at(i + 1)) < 8 && triple != b"%25" {
                    return Err(UnescapeError::Escape(triple.to_vec()));
                }
                if mode == Mode::Zone {
                    let v = unhex(at(i + 1)) << 4 | unhex(at(i + 2));
                    if triple != b"%25" && v != b' ' && should_escape(v, Mode::Host) {
                        return Err(UnescapeError::Escape(triple.to_vec()));
                    }
                }
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone)
                    && c < 0x80
                    && c != b'+'
                    && should_escape(c, mode)
                {
                    return Err(UnescapeError::InvalidHost(vec![c]));
                }
                i += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match at(i) {
            b'%' => {
                out.push(unhex(at(i + 1)) << 4 | unhex(at(i + 2)));
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

pub(super) fn escape(s: &[u8], mode: Mode) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &c in s {
        if c == b' ' && mode == Mode::QueryComponent {
            out.push('+');
        } else if should_escape(c, mode) {
            let hex = |n: u8| char::from(HEX.get(usize::from(n)).copied().unwrap_or(b'0'));
            out.push('%');
            out.push(hex(c >> 4));
            out.push(hex(c & 15));
        } else {
            out.push(char::from(c));
        }
    }
    out
}

/// Whether `s` is a valid escaped path or fragment (`validEncoded`).
pub(super) fn valid_encoded(s: &[u8], mode: Mode) -> bool {
    s.iter().all(|&c| {
        matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'['
                | b']'
                | b'%'
        ) || !should_escape(c, mode)
    })
}
