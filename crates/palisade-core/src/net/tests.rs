#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

fn ip(s: &str) -> Ip {
    Ip::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn cidr(s: &str) -> Cidr {
    Cidr::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn canonical_forms() {
    for (input, expect) in [
        ("192.168.0.1", "192.168.0.1"),
        ("2001:db8::68", "2001:db8::68"),
        ("2001:DB8::68", "2001:db8::68"),
        ("2001:0db8:0000:0000:0000:0000:0000:0068", "2001:db8::68"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("1:0:0:1:0:0:0:1", "1:0:0:1::1"),
        ("1:0:0:1:0:0:1:1", "1::1:0:0:1:1"),
        ("1:0:1:1:1:1:1:1", "1:0:1:1:1:1:1:1"),
        ("::1.2.3.4", "::102:304"),
        ("fe80::1.2.3.4", "fe80::102:304"),
    ] {
        assert_eq!(ip(input).to_string(), expect, "{input}");
    }
    assert!(Ip::is_canonical("127.0.0.1").unwrap());
    assert!(Ip::is_canonical("2001:db8::68").unwrap());
    assert!(!Ip::is_canonical("2001:DB8::68").unwrap());
    assert!(Ip::is_canonical("127.0.0.1.0").is_err());
}

#[test]
fn parse_errors_have_go_texts() {
    let err = |s: &str| Ip::parse(s).unwrap_err().to_string();
    let wrap = |s: &str, inner: &str| {
        format!(
            "IP Address \"{s}\" parse error during conversion from string: ParseAddr(\"{s}\"): {inner}"
        )
    };
    assert_eq!(
        err("192.168.0.1.0"),
        wrap("192.168.0.1.0", "IPv4 address too long")
    );
    assert_eq!(
        err("2001:db8:::68"),
        wrap(
            "2001:db8:::68",
            "each colon-separated field must have at least one digit (at \":68\")"
        )
    );
    assert_eq!(
        err("1::2::3"),
        wrap("1::2::3", "multiple :: in address (at \":3\")")
    );
    assert_eq!(err(""), wrap("", "unable to parse IP"));
    assert_eq!(err("%eth0"), wrap("%eth0", "missing IPv6 address"));
    assert_eq!(err("1.2.3"), wrap("1.2.3", "IPv4 address too short"));
    assert_eq!(
        err("1.2.3.256"),
        wrap("1.2.3.256", "IPv4 field has value >255")
    );
    assert_eq!(
        err("1.2.3.04"),
        wrap("1.2.3.04", "IPv4 field has octet with leading zero")
    );
    assert_eq!(
        err("1..2.3"),
        wrap(
            "1..2.3",
            "IPv4 field must have at least one digit (at \".2.3\")"
        )
    );
    assert_eq!(
        err("1.2.3.4x"),
        wrap("1.2.3.4x", "unexpected character (at \"x\")")
    );
    assert_eq!(
        err("12345::"),
        wrap(
            "12345::",
            "each group must have 4 or less digits (at \"12345::\")"
        )
    );
    assert_eq!(
        err("1:2:3:4:5:6:7:8:9"),
        wrap(
            "1:2:3:4:5:6:7:8:9",
            "trailing garbage after address (at \"9\")"
        )
    );
    assert_eq!(err("1:2"), wrap("1:2", "address string too short"));
    assert_eq!(
        err("1:2:3:4::5:6:7:8"),
        wrap(
            "1:2:3:4::5:6:7:8",
            "the :: must expand to at least one field of zeros"
        )
    );
    assert_eq!(
        err("1:"),
        wrap("1:", "colon must be followed by more characters (at \":\")")
    );
    assert_eq!(
        err("1:2:1.2.3.4"),
        wrap(
            "1:2:1.2.3.4",
            "embedded IPv4 address must replace the final 2 fields of the address (at \"1.2.3.4\")"
        )
    );
    assert_eq!(
        err("fe80::1%"),
        wrap("fe80::1%", "zone must be a non-empty string")
    );
    assert_eq!(
        err("fe80::1%eth0"),
        "IP address \"fe80::1%eth0\" with zone value is not allowed"
    );
    assert_eq!(
        err("::ffff:1.2.3.4"),
        "IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed"
    );
}

#[test]
fn predicates() {
    assert_eq!(ip("192.168.0.1").family().number(), 4);
    assert_eq!(ip("2001:db8::68").family(), Family::V6);
    assert!(ip("0.0.0.0").is_unspecified());
    assert!(!ip("127.0.0.1").is_unspecified());
    assert!(ip("::").is_unspecified());
    assert!(!ip("::1").is_unspecified());
    assert!(ip("127.0.0.1").is_loopback());
    assert!(ip("127.255.0.1").is_loopback());
    assert!(!ip("1.2.3.4").is_loopback());
    assert!(ip("::1").is_loopback());
    assert!(!ip("2001:db8::abcd").is_loopback());
    assert!(ip("224.0.0.1").is_link_local_multicast());
    assert!(!ip("224.0.1.1").is_link_local_multicast());
    assert!(ip("ff02::1").is_link_local_multicast());
    assert!(ip("ff12::1").is_link_local_multicast());
    assert!(!ip("fd00::1").is_link_local_multicast());
    assert!(ip("169.254.169.254").is_link_local_unicast());
    assert!(!ip("192.168.0.1").is_link_local_unicast());
    assert!(ip("fe80::1").is_link_local_unicast());
    assert!(ip("febf::1").is_link_local_unicast());
    assert!(!ip("fd80::1").is_link_local_unicast());
    assert!(ip("192.168.0.1").is_global_unicast());
    assert!(ip("10.0.0.1").is_global_unicast());
    assert!(!ip("255.255.255.255").is_global_unicast());
    assert!(!ip("0.0.0.0").is_global_unicast());
    assert!(ip("2001:db8::abcd").is_global_unicast());
    assert!(ip("fd00::1").is_global_unicast());
    assert!(!ip("ff00::1").is_global_unicast());
    assert!(!ip("fe80::1").is_global_unicast());
}

#[test]
fn cidrs() {
    assert_eq!(cidr("192.168.0.0/24").to_string(), "192.168.0.0/24");
    assert_eq!(cidr("192.168.0.1/24").to_string(), "192.168.0.1/24");
    assert_eq!(
        cidr("192.168.0.1/24").masked().to_string(),
        "192.168.0.0/24"
    );
    assert_eq!(
        cidr("2001:db8:1::/32").masked().to_string(),
        "2001:db8::/32"
    );
    assert_eq!(cidr("2001:db8::/32").ip().to_string(), "2001:db8::");
    assert_eq!(cidr("192.168.0.0/24").prefix_length(), 24);
    assert_eq!(cidr("0.0.0.0/0").masked().to_string(), "0.0.0.0/0");
    assert_eq!(cidr("1.2.3.4/32").masked().to_string(), "1.2.3.4/32");
    let net = cidr("192.168.0.0/24");
    assert!(net.contains_ip(&ip("192.168.0.1")));
    assert!(!net.contains_ip(&ip("192.168.1.1")));
    assert!(!net.contains_ip(&ip("::1")));
    assert!(net.contains_cidr(&cidr("192.168.0.0/25")));
    assert!(net.contains_cidr(&cidr("192.168.0.1/32")));
    assert!(!net.contains_cidr(&cidr("192.168.0.0/23")));
    assert!(!net.contains_cidr(&cidr("192.169.0.1/32")));
    let v6 = cidr("2001:db8::/32");
    assert!(v6.contains_ip(&ip("2001:db8::1")));
    assert!(!v6.contains_ip(&ip("2001:dc8::1")));
    assert!(v6.contains_cidr(&cidr("2001:db8::/33")));
    assert!(!v6.contains_cidr(&cidr("2001:db8::/31")));
    assert!(cidr("::/0").contains_ip(&ip("ffff::1")));
    assert!(!cidr("::/0").contains_ip(&ip("1.2.3.4")));
}

#[test]
fn cidr_errors() {
    let err = |s: &str| Cidr::parse(s).unwrap_err().to_string();
    let wrap = |s: &str, inner: &str| {
        format!(
            "network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\"{s}\"): {inner}"
        )
    };
    assert_eq!(
        err("192.168.0.0/"),
        wrap("192.168.0.0/", "bad bits after slash: \"\"")
    );
    assert_eq!(err("192.168.0.0"), wrap("192.168.0.0", "no '/'"));
    assert_eq!(
        err("1.2.3.4/024"),
        wrap("1.2.3.4/024", "bad bits after slash: \"024\"")
    );
    assert_eq!(
        err("1.2.3.4/+4"),
        wrap("1.2.3.4/+4", "bad bits after slash: \"+4\"")
    );
    assert_eq!(
        err("1.2.3.4/33"),
        wrap("1.2.3.4/33", "prefix length out of range")
    );
    assert_eq!(err("::/129"), wrap("::/129", "prefix length out of range"));
    assert_eq!(
        err("1.2.3/8"),
        wrap("1.2.3/8", "ParseAddr(\"1.2.3\"): IPv4 address too short")
    );
    assert_eq!(
        err("fe80::1%eth0/64"),
        wrap(
            "fe80::1%eth0/64",
            "IPv6 zones cannot be present in a prefix"
        )
    );
    assert_eq!(
        err("::ffff:1.2.3.0/120"),
        "network address parse error during conversion from string: IPv4-mapped IPv6 address \"::ffff:1.2.3.0/120\" is not allowed"
    );
    assert_eq!(cidr("1.2.3.4/0").prefix_length(), 0);
}

#[test]
fn go_parse_cidr() {
    let (addr, net) = parse_cidr_go("10.1.2.3/08").unwrap();
    assert_eq!(addr.to_string(), "10.1.2.3");
    assert_eq!(net.to_string(), "10.0.0.0/8");
    let (_, net) = parse_cidr_go("::ffff:10.1.2.3/104").unwrap();
    assert_eq!(net.to_string(), "10.0.0.0/8");
    let (_, net) = parse_cidr_go("2001:db8::1/64").unwrap();
    assert_eq!(net.to_string(), "2001:db8::/64");
    for bad in [
        "10.0.0.0",
        "10.0.0.0/33",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "10.0.0.0/8/8",
        "fe80::1%eth0/64",
        "010.0.0.0/8",
    ] {
        assert_eq!(
            parse_cidr_go(bad).unwrap_err().to_string(),
            format!("invalid CIDR address: {bad}")
        );
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn v4_display_round_trips(bits in any::<u32>()) {
            let text = std::net::Ipv4Addr::from(bits).to_string();
            let a = ip(&text);
            prop_assert_eq!(a.to_string(), text);
        }

        #[test]
        fn v6_display_round_trips(bits in any::<u128>()) {
            prop_assume!(bits >> 32 != 0xffff);
            let text = std::net::Ipv6Addr::from(bits).to_string();
            let a = Ip::parse(&text);
            // Rust prints some addresses in IPv4-compatible form; netip does not, but both parse.
            let a = a.unwrap();
            prop_assert_eq!(a.to_bits(), bits);
            prop_assert_eq!(ip(&a.to_string()), a);
        }

        #[test]
        fn masked_contains_its_ip(bits in any::<u128>(), len in 0_u8..=128, v4 in any::<bool>()) {
            let (text, len) = if v4 {
                (std::net::Ipv4Addr::from(bits as u32).to_string(), len % 33)
            } else {
                prop_assume!(bits >> 32 != 0xffff);
                (std::net::Ipv6Addr::from(bits).to_string(), len)
            };
            let net = cidr(&format!("{text}/{len}"));
            prop_assert!(net.masked().contains_ip(&net.ip()));
            prop_assert!(net.contains_cidr(&net.masked()));
            prop_assert_eq!(cidr(&net.to_string()), net);
        }

        #[test]
        fn parse_never_panics(s in "[0-9a-fA-F:.%/x]{0,40}") {
            let _ = Ip::parse(&s).map(|i| i.to_string());
            let _ = Cidr::parse(&s).map(|c| c.masked().to_string());
            let _ = parse_cidr_go(&s);
        }
    }
}
