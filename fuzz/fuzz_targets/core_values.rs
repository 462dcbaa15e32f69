//! The Kubernetes value types of `palisade_core` on arbitrary strings: quantities, IPs, CIDRs,
//! semantic versions, URLs and named formats parse or fail without panicking, their errors
//! display, and what parses prints to text that parses back and prints the same.

#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::core::format::Format;
use palisade::core::net::{Cidr, Ip, parse_cidr_go};
use palisade::core::quantity::{Format as QuantityFormat, Quantity};
use palisade::core::semver::Semver;
use palisade::core::url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    match Quantity::parse(s) {
        Ok(q) => {
            let shown = q.to_string();
            // What prints parses, and prints the same again. (Not always to the same value:
            // upstream prints no suffix for exponents beyond E, so `1000E` prints `1`.)
            let again = Quantity::parse(&shown).expect("a printed quantity parses");
            assert_eq!(again.to_string(), shown, "{s:?}");
            let _ = (q.as_i64(), q.as_approximate_f64(), q.sign(), q.is_integer());
            let one = Quantity::from_i64(1, QuantityFormat::DecimalExponent);
            if let Ok(sum) = q.checked_add(&one) {
                let _ = sum.to_string();
                if let Ok(back) = sum.checked_sub(&one) {
                    assert_eq!(back, q);
                }
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    match Ip::parse(s) {
        Ok(ip) => {
            let shown = ip.to_string();
            assert_eq!(Ip::parse(&shown).expect("a printed IP parses"), ip);
            assert_eq!(Ip::is_canonical(&shown).ok(), Some(true));
            let _ = (ip.is_global_unicast(), ip.is_link_local_multicast());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    match Cidr::parse(s) {
        Ok(c) => {
            assert_eq!(Cidr::parse(&c.to_string()).expect("a printed CIDR parses"), c);
            assert!(c.masked().contains_ip(&c.ip()));
            assert!(c.contains_cidr(&c.masked()));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    if let Ok((ip, net)) = parse_cidr_go(s) {
        assert!(net.contains_ip(&ip));
    }
    for parsed in [Semver::parse(s), Semver::parse_normalized(s)] {
        match parsed {
            Ok(v) => {
                let shown = v.to_string();
                let again = Semver::parse(&shown).expect("a printed version parses");
                assert_eq!(again.to_string(), shown);
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
    match Url::parse(s) {
        Ok(u) => {
            let _ = (u.to_string(), u.escaped_path(), u.query(), u.hostname(), u.port());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
    for f in Format::ALL {
        let _ = f.validate(s);
    }
});
