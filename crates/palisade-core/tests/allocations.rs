//! Heap allocations of the value types, counted with a counting global allocator (dhat):
//! parsing and comparing the quantities manifests carry, and parsing IPs and CIDRs and testing
//! containment, allocate nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use palisade_core::net::{Cidr, Ip};
use palisade_core::quantity::Quantity;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const QUANTITIES: [&str; 12] = [
    "100m", "500m", "1", "2", "0.5", "1.5", "128Mi", "1Gi", "64Ki", "1G", "250M", "1e3",
];

// One test per binary: dhat allows one profiler at a time, and its statistics are global.
#[test]
fn common_values_parse_and_compare_without_allocating() {
    let _profiler = dhat::Profiler::builder().testing().build();

    let before = dhat::HeapStats::get();
    let mut below = 0;
    for a in QUANTITIES {
        let qa = Quantity::parse(a).unwrap();
        for b in QUANTITIES {
            let qb = Quantity::parse(b).unwrap();
            below += usize::from(qa < qb);
            assert!(qa.is_integer() || qa.as_approximate_f64() < 2.0);
        }
    }
    let after = dhat::HeapStats::get();
    assert!(below > 50);
    assert_eq!(
        after.total_blocks - before.total_blocks,
        0,
        "allocations while parsing and comparing quantities"
    );

    let before = dhat::HeapStats::get();
    let net = Cidr::parse("10.0.0.0/8").unwrap();
    let v6 = Cidr::parse("2001:db8::/32").unwrap();
    let mut inside = 0;
    for s in [
        "10.1.2.3",
        "192.168.0.1",
        "2001:db8::1",
        "::1",
        "10.255.255.255",
    ] {
        let ip = Ip::parse(s).unwrap();
        inside += usize::from(net.contains_ip(&ip) || v6.contains_ip(&ip));
        inside += usize::from(ip.is_global_unicast());
    }
    assert!(net.contains_cidr(&Cidr::parse("10.1.0.0/16").unwrap()));
    let after = dhat::HeapStats::get();
    assert_eq!(inside, 7);
    assert_eq!(
        after.total_blocks - before.total_blocks,
        0,
        "allocations while parsing IPs and CIDRs"
    );
}
