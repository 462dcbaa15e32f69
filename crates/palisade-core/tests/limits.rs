//! palisade's own bounds on values that upstream reads without one (see SECURITY.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use palisade_core::quantity::Quantity;

/// apimachinery parses a quantity of any length into an arbitrary-precision decimal; palisade
/// stops at 1,000 significant digits, so one value cannot cost unbounded arithmetic. Zeros
/// around the digits do not count.
#[test]
fn a_quantity_has_at_most_1000_significant_digits() {
    let at_limit = "9".repeat(1000);
    assert!(Quantity::parse(&at_limit).is_ok());
    let padded = format!("000{}000.000", "9".repeat(997));
    assert!(Quantity::parse(&padded).is_ok());
    let over = "9".repeat(1001);
    assert_eq!(
        Quantity::parse(&over).unwrap_err().to_string(),
        "quantity has more than 1000 significant digits"
    );
}
