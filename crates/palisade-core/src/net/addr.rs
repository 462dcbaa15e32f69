//! Go's `netip.ParseAddr`, its error texts, and `Addr.String`.

use std::fmt;

use crate::quote::GoQuoted;

/// A parsed address before the Kubernetes checks: the bits, the family and any zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Parsed {
    pub(super) bits: u128,
    pub(super) v6: bool,
    pub(super) zone: Option<String>,
}

/// Why `netip.ParseAddr` rejected a text (its `parseAddrError`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrError {
    input: String,
    msg: &'static str,
    at: Option<String>,
}

impl AddrError {
    fn new(input: &str, msg: &'static str, at: Option<&str>) -> AddrError {
        AddrError {
            input: input.to_owned(),
            msg,
            at: at.map(str::to_owned),
        }
    }

    /// The explanation, without the `ParseAddr("…"): ` prefix.
    pub fn reason(&self) -> &str {
        self.msg
    }
}

impl fmt::Display for AddrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ParseAddr({}): {}", GoQuoted(&self.input), self.msg)?;
        if let Some(at) = &self.at {
            write!(f, " (at {})", GoQuoted(at))?;
        }
        Ok(())
    }
}

impl std::error::Error for AddrError {}

pub(super) fn parse_addr(s: &str) -> Result<Parsed, AddrError> {
    for b in s.bytes() {
        match b {
            b'.' => {
                return parse_v4(s).map(|v| Parsed {
                    bits: u128::from(v),
                    v6: false,
                    zone: None,
                });
            }
            b':' => return parse_v6(s),
            b'%' => return Err(AddrError::new(s, "missing IPv6 address", None)),
            _ => {}
        }
    }
    Err(AddrError::new(s, "unable to parse IP", None))
}

/// `parseIPv4Fields` over `input[off..end]`.
fn parse_v4_fields(input: &str, off: usize, end: usize) -> Result<[u8; 4], AddrError> {
    let s = input.get(off..end).unwrap_or("");
    let bytes = s.as_bytes();
    let mut fields = [0_u8; 4];
    let (mut val, mut pos, mut dig_len) = (0_u32, 0_usize, 0);
    for (i, &c) in bytes.iter().enumerate() {
        if c.is_ascii_digit() {
            if dig_len == 1 && val == 0 {
                return Err(AddrError::new(
                    input,
                    "IPv4 field has octet with leading zero",
                    None,
                ));
            }
            val = val * 10 + u32::from(c - b'0');
            dig_len += 1;
            if val > 255 {
                return Err(AddrError::new(input, "IPv4 field has value >255", None));
            }
        } else if c == b'.' {
            if i == 0 || i == bytes.len() - 1 || bytes.get(i - 1) == Some(&b'.') {
                return Err(AddrError::new(
                    input,
                    "IPv4 field must have at least one digit",
                    s.get(i..),
                ));
            }
            if pos == 3 {
                return Err(AddrError::new(input, "IPv4 address too long", None));
            }
            if let Some(f) = fields.get_mut(pos) {
                *f = val as u8;
            }
            pos += 1;
            val = 0;
            dig_len = 0;
        } else {
            return Err(AddrError::new(input, "unexpected character", s.get(i..)));
        }
    }
    if pos < 3 {
        return Err(AddrError::new(input, "IPv4 address too short", None));
    }
    fields[3] = val as u8;
    Ok(fields)
}

fn parse_v4(s: &str) -> Result<u32, AddrError> {
    parse_v4_fields(s, 0, s.len()).map(u32::from_be_bytes)
}

fn parse_v6(input: &str) -> Result<Parsed, AddrError> {
    let mut s = input;
    let mut zone = None;
    if let Some(i) = input.find('%') {
        let z = input.get(i + 1..).unwrap_or("");
        if z.is_empty() {
            return Err(AddrError::new(
                input,
                "zone must be a non-empty string",
                None,
            ));
        }
        s = input.get(..i).unwrap_or("");
        zone = Some(z.to_owned());
    }
    let mut ip = [0_u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.starts_with("::") {
        ellipsis = Some(0);
        s = s.get(2..).unwrap_or("");
        if s.is_empty() {
            return Ok(Parsed {
                bits: 0,
                v6: true,
                zone,
            });
        }
    }
    let mut i = 0_usize;
    while i < 16 {
        let bytes = s.as_bytes();
        let mut off = 0;
        let mut acc: u32 = 0;
        while off < bytes.len() {
            let c = bytes.get(off).copied().unwrap_or(0);
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => break,
            };
            acc = (acc << 4) + u32::from(d);
            if off > 3 {
                return Err(AddrError::new(
                    input,
                    "each group must have 4 or less digits",
                    Some(s),
                ));
            }
            if acc > 0xffff {
                return Err(AddrError::new(
                    input,
                    "IPv6 field has value >=2^16",
                    Some(s),
                ));
            }
            off += 1;
        }
        if off == 0 {
            return Err(AddrError::new(
                input,
                "each colon-separated field must have at least one digit",
                Some(s),
            ));
        }
        if bytes.get(off) == Some(&b'.') {
            if ellipsis.is_none() && i != 12 {
                return Err(AddrError::new(
                    input,
                    "embedded IPv4 address must replace the final 2 fields of the address",
                    Some(s),
                ));
            }
            if i + 4 > 16 {
                return Err(AddrError::new(
                    input,
                    "too many hex fields to fit an embedded IPv4 at the end of the address",
                    Some(s),
                ));
            }
            let end = input.len() - zone.as_ref().map_or(0, |z| z.len() + 1);
            let fields = parse_v4_fields(input, end - s.len(), end)?;
            for (k, b) in fields.iter().enumerate() {
                if let Some(slot) = ip.get_mut(i + k) {
                    *slot = *b;
                }
            }
            s = "";
            i += 4;
            break;
        }
        if let Some(slot) = ip.get_mut(i) {
            *slot = (acc >> 8) as u8;
        }
        if let Some(slot) = ip.get_mut(i + 1) {
            *slot = acc as u8;
        }
        i += 2;
        s = s.get(off..).unwrap_or("");
        if s.is_empty() {
            break;
        }
        if !s.starts_with(':') {
            return Err(AddrError::new(
                input,
                "unexpected character, want colon",
                Some(s),
            ));
        } else if s.len() == 1 {
            return Err(AddrError::new(
                input,
                "colon must be followed by more characters",
                Some(s),
            ));
        }
        s = s.get(1..).unwrap_or("");
        if s.starts_with(':') {
            if ellipsis.is_some() {
                return Err(AddrError::new(input, "multiple :: in address", Some(s)));
            }
            ellipsis = Some(i);
            s = s.get(1..).unwrap_or("");
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return Err(AddrError::new(
            input,
            "trailing garbage after address",
            Some(s),
        ));
    }
    if i < 16 {
        let Some(e) = ellipsis else {
            return Err(AddrError::new(input, "address string too short", None));
        };
        let n = 16 - i;
        for j in (e..i).rev() {
            let v = ip.get(j).copied().unwrap_or(0);
            if let Some(slot) = ip.get_mut(j + n) {
                *slot = v;
            }
        }
        for slot in ip.iter_mut().skip(e).take(n) {
            *slot = 0;
        }
    } else if ellipsis.is_some() {
        return Err(AddrError::new(
            input,
            "the :: must expand to at least one field of zeros",
            None,
        ));
    }
    Ok(Parsed {
        bits: u128::from_be_bytes(ip),
        v6: true,
        zone,
    })
}

/// Writes an address as `Addr.String` does (without zone).
pub(super) fn write_addr(f: &mut fmt::Formatter<'_>, bits: u128, v6: bool) -> fmt::Result {
    if !v6 {
        let [a, b, c, d] = (bits as u32).to_be_bytes();
        return write!(f, "{a}.{b}.{c}.{d}");
    }
    if bits >> 32 == 0xffff {
        let [a, b, c, d] = (bits as u32).to_be_bytes();
        return write!(f, "::ffff:{a}.{b}.{c}.{d}");
    }
    let group = |i: u32| (bits >> (112 - 16 * i)) as u16;
    // The longest run of at least two zero groups (the first of equals) becomes `::`.
    let (mut zero_start, mut zero_end) = (255_u32, 255_u32);
    for i in 0..8 {
        let mut j = i;
        while j < 8 && group(j) == 0 {
            j += 1;
        }
        let l = j - i;
        if l >= 2 && l > zero_end.wrapping_sub(zero_start) {
            zero_start = i;
            zero_end = j;
        }
    }
    let mut i = 0;
    while i < 8 {
        if i == zero_start {
            f.write_str("::")?;
            i = zero_end;
            if i >= 8 {
                break;
            }
        } else if i > 0 {
            f.write_str(":")?;
        }
        write!(f, "{:x}", group(i))?;
        i += 1;
    }
    Ok(())
}
