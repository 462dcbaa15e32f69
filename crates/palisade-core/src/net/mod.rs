//! IP addresses and CIDR prefixes as the Kubernetes CEL `ip()` and `cidr()` functions read
//! them (Go's `net/netip` plus the library's own rejections), and Go's `net.ParseCIDR` for
//! NetworkPolicy `ipBlock`s.
//!
//! ```
//! use palisade_core::net::{Cidr, Ip};
//!
//! let net = Cidr::parse("192.168.0.1/24").unwrap();
//! assert_eq!(net.masked().to_string(), "192.168.0.0/24");
//! assert!(net.contains_ip(&Ip::parse("192.168.0.77").unwrap()));
//! assert_eq!(Ip::parse("2001:DB8::68").unwrap().to_string(), "2001:db8::68");
//! assert_eq!(Ip::parse("::ffff:1.2.3.4").unwrap_err().to_string(),
//!     "IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed");
//! ```

mod addr;

use std::fmt;

pub use addr::AddrError;

use crate::quote::GoQuoted;

/// IPv4 or IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// IPv4 (the CEL `family()` is 4).
    V4,
    /// IPv6 (the CEL `family()` is 6).
    V6,
}

impl Family {
    /// 4 or 6.
    pub fn number(self) -> i64 {
        match self {
            Family::V4 => 4,
            Family::V6 => 6,
        }
    }

    fn bit_len(self) -> u8 {
        match self {
            Family::V4 => 32,
            Family::V6 => 128,
        }
    }
}

/// Why a text is not an IP address or CIDR; `Display` is the exact text of the error the
/// Kubernetes CEL function returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NetError {
    /// `ip()`: `netip.ParseAddr` failed.
    #[error("IP Address {} parse error during conversion from string: {source}", GoQuoted(.input))]
    InvalidIp {
        /// The text given.
        input: String,
        /// What `netip.ParseAddr` said.
        source: AddrError,
    },
    /// `ip()`: the address has a zone (`fe80::1%eth0`).
    #[error("IP address {} with zone value is not allowed", GoQuoted(.input))]
    IpZone {
        /// The text given.
        input: String,
    },
    /// `ip()`: an IPv4-mapped IPv6 address.
    #[error("IPv4-mapped IPv6 address {} is not allowed", GoQuoted(.input))]
    Ip4In6 {
        /// The text given.
        input: String,
    },
    /// `cidr()`: `netip.ParsePrefix` failed. The text repeats the library's prefix, as the
    /// Kubernetes function wraps its helper's error in the same words.
    #[error(
        "network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix({}): {reason}",
        GoQuoted(.input)
    )]
    InvalidCidr {
        /// The text given.
        input: String,
        /// What `netip.ParsePrefix` said after its `netip.ParsePrefix("…"): ` prefix.
        reason: String,
    },
    /// `cidr()`: an IPv4-mapped IPv6 prefix.
    #[error(
        "network address parse error during conversion from string: IPv4-mapped IPv6 address {} is not allowed",
        GoQuoted(.input)
    )]
    Cidr4In6 {
        /// The text given.
        input: String,
    },
    /// [`parse_cidr_go`]: Go's `net.ParseCIDR` rejected the text.
    #[error("invalid CIDR address: {input}")]
    GoCidr {
        /// The text given.
        input: String,
    },
}

/// An IP address as the Kubernetes CEL library holds it: IPv4 or IPv6, never with a zone and
/// never IPv4-mapped IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ip {
    family: Family,
    /// The address bits (IPv4 in the low 32 bits).
    bits: u128,
}

impl Ip {
    /// Parses as the CEL `ip()` does.
    ///
    /// ```
    /// use palisade_core::net::Ip;
    /// assert_eq!(Ip::parse("192.168.0.1.0").unwrap_err().to_string(),
    ///     "IP Address \"192.168.0.1.0\" parse error during conversion from string: \
    ///      ParseAddr(\"192.168.0.1.0\"): IPv4 address too long");
    /// ```
    pub fn parse(s: &str) -> Result<Ip, NetError> {
        let parsed = addr::parse_addr(s).map_err(|source| NetError::InvalidIp {
            input: s.to_owned(),
            source,
        })?;
        if parsed.zone.is_some() {
            return Err(NetError::IpZone {
                input: s.to_owned(),
            });
        }
        let ip = Ip::from_parsed(&parsed);
        if ip.is_4in6() {
            return Err(NetError::Ip4In6 {
                input: s.to_owned(),
            });
        }
        Ok(ip)
    }

    fn from_parsed(p: &addr::Parsed) -> Ip {
        Ip {
            family: if p.v6 { Family::V6 } else { Family::V4 },
            bits: p.bits,
        }
    }

    /// Whether the text parses (as [`Ip::parse`]) and is already in canonical form (the CEL
    /// `ip.isCanonical()`); the parse error otherwise.
    pub fn is_canonical(s: &str) -> Result<bool, NetError> {
        Ok(Ip::parse(s)?.to_string() == s)
    }

    /// The address family.
    pub fn family(&self) -> Family {
        self.family
    }

    /// The address as an integer (IPv4 in the low 32 bits).
    pub fn to_bits(&self) -> u128 {
        self.bits
    }

    fn is_4in6(&self) -> bool {
        self.family == Family::V6 && self.bits >> 32 == 0xffff
    }

    /// `0.0.0.0` or `::`.
    pub fn is_unspecified(&self) -> bool {
        self.bits == 0
    }

    /// `127.0.0.0/8` or `::1`.
    pub fn is_loopback(&self) -> bool {
        match self.family {
            Family::V4 => self.octet(0) == 127,
            Family::V6 => self.bits == 1,
        }
    }

    /// `224.0.0.0/4` or `ff00::/8`.
    pub fn is_multicast(&self) -> bool {
        match self.family {
            Family::V4 => self.octet(0) & 0xf0 == 0xe0,
            Family::V6 => self.bits >> 120 == 0xff,
        }
    }

    /// `224.0.0.0/24` or `ff02::/16` (with any flags).
    pub fn is_link_local_multicast(&self) -> bool {
        match self.family {
            Family::V4 => self.octet(0) == 224 && self.octet(1) == 0 && self.octet(2) == 0,
            Family::V6 => (self.bits >> 112) as u16 & 0xff0f == 0xff02,
        }
    }

    /// `169.254.0.0/16` or `fe80::/10`.
    pub fn is_link_local_unicast(&self) -> bool {
        match self.family {
            Family::V4 => self.octet(0) == 169 && self.octet(1) == 254,
            Family::V6 => (self.bits >> 112) as u16 & 0xffc0 == 0xfe80,
        }
    }

    /// Go's `IsGlobalUnicast`: not unspecified, not the IPv4 broadcast address, not loopback,
    /// multicast or link-local unicast (private ranges count as global).
    pub fn is_global_unicast(&self) -> bool {
        if self.family == Family::V4 && (self.bits == 0 || self.bits == 0xffff_ffff) {
            return false;
        }
        !self.is_unspecified()
            && !self.is_loopback()
            && !self.is_multicast()
            && !self.is_link_local_unicast()
    }

    fn octet(&self, i: u32) -> u8 {
        (self.bits >> (24 - 8 * i)) as u8
    }

    fn mask(&self, bits: u8) -> u128 {
        let len = u32::from(self.family.bit_len());
        let host = len - u32::from(bits.min(self.family.bit_len()));
        let all = if len == 128 {
            u128::MAX
        } else {
            (1_u128 << len) - 1
        };
        if host >= 128 {
            0
        } else {
            all & !((1_u128 << host) - 1)
        }
    }
}

impl fmt::Display for Ip {
    /// `netip.Addr.String()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        addr::write_addr(f, self.bits, self.family == Family::V6)
    }
}

impl std::str::FromStr for Ip {
    type Err = NetError;
    fn from_str(s: &str) -> Result<Ip, NetError> {
        Ip::parse(s)
    }
}

/// A CIDR prefix as the Kubernetes CEL `cidr()` holds it: an address (not necessarily masked)
/// and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr {
    ip: Ip,
    bits: u8,
}

impl Cidr {
    /// Parses as the CEL `cidr()` does (`netip.ParsePrefix`, then no IPv4-mapped IPv6).
    ///
    /// ```
    /// use palisade_core::net::Cidr;
    /// assert_eq!(Cidr::parse("2001:db8::/").unwrap_err().to_string(),
    ///     "network address parse error during conversion from string: network address parse \
    ///      error during conversion from string: netip.ParsePrefix(\"2001:db8::/\"): bad bits \
    ///      after slash: \"\"");
    /// ```
    pub fn parse(s: &str) -> Result<Cidr, NetError> {
        let invalid = |reason: String| NetError::InvalidCidr {
            input: s.to_owned(),
            reason,
        };
        let Some(slash) = s.rfind('/') else {
            return Err(invalid("no '/'".to_owned()));
        };
        let (addr_text, bits_text) = (
            s.get(..slash).unwrap_or(""),
            s.get(slash + 1..).unwrap_or(""),
        );
        let parsed = addr::parse_addr(addr_text).map_err(|e| invalid(e.to_string()))?;
        if parsed.zone.is_some() {
            return Err(invalid(
                "IPv6 zones cannot be present in a prefix".to_owned(),
            ));
        }
        let bad_bits = || invalid(format!("bad bits after slash: {}", GoQuoted(bits_text)));
        let first = bits_text.as_bytes().first().copied().unwrap_or(0);
        if bits_text.len() > 1 && !(b'1'..=b'9').contains(&first) {
            return Err(bad_bits());
        }
        let bits = go_atoi(bits_text).ok_or_else(bad_bits)?;
        let ip = Ip::from_parsed(&parsed);
        if bits < 0 || bits > i64::from(ip.family.bit_len()) {
            return Err(invalid("prefix length out of range".to_owned()));
        }
        if ip.is_4in6() {
            return Err(NetError::Cidr4In6 {
                input: s.to_owned(),
            });
        }
        Ok(Cidr {
            ip,
            bits: bits as u8,
        })
    }

    /// The address as written (the CEL `ip()` on a CIDR).
    pub fn ip(&self) -> Ip {
        self.ip
    }

    /// The prefix length.
    pub fn prefix_length(&self) -> u8 {
        self.bits
    }

    /// The address family.
    pub fn family(&self) -> Family {
        self.ip.family
    }

    /// The prefix with the host bits cleared (`Prefix.Masked`).
    pub fn masked(&self) -> Cidr {
        Cidr {
            ip: Ip {
                family: self.ip.family,
                bits: self.ip.bits & self.ip.mask(self.bits),
            },
            bits: self.bits,
        }
    }

    /// Whether the network includes the address (`Prefix.Contains`; other families never).
    pub fn contains_ip(&self, ip: &Ip) -> bool {
        ip.family == self.ip.family && (ip.bits ^ self.ip.bits) & self.ip.mask(self.bits) == 0
    }

    /// Whether the network includes all of `other` (the CEL `containsCIDR`: the prefixes
    /// overlap and `other` is at least as long).
    pub fn contains_cidr(&self, other: &Cidr) -> bool {
        self.overlaps(other) && self.bits <= other.bits
    }

    /// Whether the prefixes share any address (`Prefix.Overlaps`).
    pub fn overlaps(&self, other: &Cidr) -> bool {
        if self == other {
            return true;
        }
        if self.ip.family != other.ip.family {
            return false;
        }
        let min = self.bits.min(other.bits);
        let mask = self.ip.mask(min);
        self.ip.bits & mask == other.ip.bits & mask
    }
}

impl fmt::Display for Cidr {
    /// `netip.Prefix.String()`: `<address>/<bits>`, the address as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.ip, self.bits)
    }
}

impl std::str::FromStr for Cidr {
    type Err = NetError;
    fn from_str(s: &str) -> Result<Cidr, NetError> {
        Cidr::parse(s)
    }
}

/// Go's `netip.ParseAddr` (zones allowed): whether the address is IPv4, or why it is not an
/// address. Used for the IP literals of URLs.
pub(crate) fn parse_go_addr(s: &str) -> Result<bool, AddrError> {
    addr::parse_addr(s).map(|p| !p.v6)
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits, within `i64`.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Go's `net.ParseCIDR`, as Kubernetes components read a NetworkPolicy `ipBlock.cidr`: the
/// address as written and the masked network.
///
/// Unlike [`Cidr::parse`] it accepts leading zeros in the length (`10.0.0.0/08`) and
/// IPv4-mapped IPv6 addresses; Go's `net.IPNet` treats those as IPv4, so they are returned as
/// IPv4 with the length reduced by 96 (`::ffff:10.0.0.0/104` → `10.0.0.0/8`), which is how
/// `IPNet.Contains` matches them.
///
/// ```
/// use palisade_core::net::parse_cidr_go;
/// let (ip, net) = parse_cidr_go("10.1.2.3/08").unwrap();
/// assert_eq!((ip.to_string(), net.to_string()), ("10.1.2.3".into(), "10.0.0.0/8".into()));
/// assert_eq!(parse_cidr_go("10.0.0.0").unwrap_err().to_string(), "invalid CIDR address: 10.0.0.0");
/// ```
pub fn parse_cidr_go(s: &str) -> Result<(Ip, Cidr), NetError> {
    let invalid = || NetError::GoCidr {
        input: s.to_owned(),
    };
    let (addr_text, mask_text) = s.split_once('/').ok_or_else(invalid)?;
    let parsed = addr::parse_addr(addr_text).map_err(|_| invalid())?;
    if parsed.zone.is_some() {
        return Err(invalid());
    }
    let mut ip = Ip::from_parsed(&parsed);
    // dtoi: at least one digit, all digits, below 2^24.
    if mask_text.is_empty()
        || !mask_text.bytes().all(|b| b.is_ascii_digit())
        || mask_text.trim_start_matches('0').len() > 8
    {
        return Err(invalid());
    }
    let n: u32 = mask_text.parse().map_err(|_| invalid())?;
    if n >= 0x00ff_ffff || n > u32::from(ip.family.bit_len()) {
        return Err(invalid());
    }
    let mut bits = n as u8;
    if ip.is_4in6() {
        ip = Ip {
            family: Family::V4,
            bits: ip.bits & 0xffff_ffff,
        };
        bits = bits.saturating_sub(96);
    }
    Ok((ip, Cidr { ip, bits }.masked()))
}

#[cfg(test)]
mod tests;
