//! IP addresses and CIDR blocks, as NetworkPolicy `ipBlock` and AdminNetworkPolicy `networks`
//! read them.
//!
//! The one place the crate parses addresses: it is meant to give way to palisade-core's Go-exact
//! `net` parsing (Go's `net.ParseIP` / `net.ParseCIDR`) once that exists. A block is parsed
//! leniently, as the conformance data requires: host bits may be set (`10.1.2.3/24` is the
//! network `10.1.2.0/24`). An IPv4 block never contains an IPv6 address and the other way round.

use std::fmt;
use std::net::IpAddr;

/// A CIDR block: a network address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `address/prefix`; `None` when either part is malformed or the prefix is too long
    /// for the address family.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (addr, prefix) = text.split_once('/')?;
        let addr = parse_ip(addr)?;
        if prefix.is_empty() || prefix.len() > 3 || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Go rejects a prefix with a leading zero (`/08`).
        if prefix.len() > 1 && prefix.starts_with('0') {
            return None;
        }
        let prefix: u8 = prefix.parse().ok()?;
        let max = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    /// Whether `ip` lies in this block (same family, same leading `prefix` bits).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = mask32(self.prefix);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = mask128(self.prefix);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }

    /// Whether every address of `other` lies in this block.
    pub fn covers(&self, other: &Cidr) -> bool {
        other.prefix >= self.prefix && self.contains(other.addr)
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let net = match self.addr {
            IpAddr::V4(a) => IpAddr::from((u32::from(a) & mask32(self.prefix)).to_be_bytes()),
            IpAddr::V6(a) => IpAddr::from((u128::from(a) & mask128(self.prefix)).to_be_bytes()),
        };
        write!(f, "{net}/{}", self.prefix)
    }
}

fn mask32(prefix: u8) -> u32 {
    u32::MAX
        .checked_shl(32 - u32::from(prefix.min(32)))
        .unwrap_or(0)
}

fn mask128(prefix: u8) -> u128 {
    u128::MAX
        .checked_shl(128 - u32::from(prefix.min(128)))
        .unwrap_or(0)
}

/// Parses an IPv4 or IPv6 address (no zone, no brackets).
pub(crate) fn parse_ip(text: &str) -> Option<IpAddr> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        parse_ip(s).unwrap()
    }

    #[test]
    fn host_bits_may_be_set() {
        let c = Cidr::parse("192.168.242.213/24").unwrap();
        assert_eq!(c.to_string(), "192.168.242.0/24");
        assert!(c.contains(ip("192.168.242.1")));
        assert!(!c.contains(ip("192.168.243.1")));
    }

    #[test]
    fn families_never_mix() {
        assert!(!Cidr::parse("0.0.0.0/0").unwrap().contains(ip("::1")));
        assert!(!Cidr::parse("::/0").unwrap().contains(ip("10.0.0.1")));
        assert!(Cidr::parse("::/0").unwrap().contains(ip("fd00::1")));
    }

    #[test]
    fn zero_and_full_prefixes() {
        assert!(Cidr::parse("10.0.0.0/0").unwrap().contains(ip("1.2.3.4")));
        let host = Cidr::parse("10.0.0.7/32").unwrap();
        assert!(host.contains(ip("10.0.0.7")) && !host.contains(ip("10.0.0.8")));
        assert!(Cidr::parse("fd00::1/128").unwrap().contains(ip("fd00::1")));
    }

    #[test]
    fn rejects_malformed_blocks() {
        for bad in [
            "10.0.0.0",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0/8",
            "::/129",
            "x/8",
            "10.0.0.0/08",
            "010.0.0.0/8",
        ] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn covers_nested_blocks() {
        let big = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(big.covers(&Cidr::parse("10.1.0.0/16").unwrap()));
        assert!(!Cidr::parse("10.1.0.0/16").unwrap().covers(&big));
    }
}
