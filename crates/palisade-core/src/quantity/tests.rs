#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;

fn q(s: &str) -> Quantity {
    Quantity::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn show(s: &str) -> String {
    q(s).to_string()
}

#[test]
fn canonical_strings() {
    // (input, String() after parsing), as upstream's parse/emit and string tables expect.
    for (input, expect) in [
        ("1Ki", "1Ki"),
        ("1024Mi", "1Gi"),
        ("1000M", "1G"),
        (".001Ki", "1024m"),
        (".000001Ki", "1024u"),
        (".000000001Ki", "1024n"),
        (".000000000001Ki", "2n"),
        ("1024Gi", "1Ti"),
        ("307200Ki", "300Mi"),
        ("5000m", "5"),
        ("0.001T", "1G"),
        ("1000u", "1m"),
        ("1.08", "1080m"),
        ("1080000000n", "1080m"),
        ("0.5", "500m"),
        (".001e12", "1e9"),
        ("0.001e0", "1e-3"),
        ("1000e-12", "1e-9"),
        ("00", "0"),
        ("0", "0"),
        ("-0", "0"),
        ("12E", "12E"),
        ("9Ei", "9223372036854775807"), // capped at the largest i64
        ("100.035Ki", "102435840m"),
        ("3.001n", "4n"),
        ("1.1E-9", "2e-9"),
        ("0.00000012345", "124n"),
        ("1e4", "10e3"),
        ("50.02k", "50020"),
        (".", "0"),
        ("-", "0"),
        ("1000E", "1"),
        ("-1Ki", "-1Ki"),
        ("1023Ki", "1023Ki"),
        ("1025", "1025"),
        ("-5Mi", "-5Mi"),
        ("12Mi", "12Mi"),
    ] {
        assert_eq!(show(input), expect, "{input}");
    }
}

#[test]
fn verbatim_text_is_kept_as_upstream_keeps_it() {
    // Upstream stores the input text when it looks canonical and String() returns it.
    for s in [
        "+1k", "01k", "1.500k", "1E3", "1e+3", "1e0", "+5Ki", "007", "1.", "1.G",
    ] {
        assert_eq!(show(s), s);
    }
    // ... but not when the fast path rejects it.
    assert_eq!(show("1.5k"), "1500");
    assert_eq!(show("1000k"), "1M");
    assert_eq!(show("+1.5k"), "1500");
}

#[test]
fn parse_errors() {
    for s in ["", "1.1.M", "1+1.0M", "aoeu", "0.1am", " 1", "1 ", "10Mo"] {
        assert_eq!(Quantity::parse(s), Err(QuantityError::FormatWrong), "{s:?}");
    }
    for s in [
        "0.1mi",
        ".5i",
        "1i",
        "-3.01i",
        "10Mm",
        "1e",
        "1e+",
        "1ee5",
        "1e99999999999999999999",
        "-3.01e-",
    ] {
        assert_eq!(Quantity::parse(s), Err(QuantityError::Suffix), "{s:?}");
    }
    assert_eq!(Quantity::parse(".e-10"), Err(QuantityError::Numeric));
    assert_eq!(
        QuantityError::Suffix.to_string(),
        "unable to parse quantity's suffix"
    );
}

#[test]
fn comparisons() {
    assert_eq!(q("200M"), q("0.2G"));
    assert_eq!(q("2M"), q("0.002G"));
    assert_eq!(q("2000k"), q("2M"));
    assert_ne!(q("200M"), q("0.3G"));
    assert!(q("50M") < q("50Mi"));
    assert!(q("150Mi") > q("100Mi"));
    assert_eq!(q("50M").compare(&q("50Mi")), Ordering::Less);
    assert_eq!(q("1e30").compare(&q("1")), Ordering::Greater);
    assert_eq!(q("-1e30").compare(&q("1n")), Ordering::Less);
    assert_eq!(
        q("9999999999999999999999999999999999999G").compare(&q("1E")),
        Ordering::Greater
    );
}

#[test]
fn arithmetic() {
    let add = |a: &str, b: &str| q(a).checked_add(&q(b)).unwrap();
    let sub = |a: &str, b: &str| q(a).checked_sub(&q(b)).unwrap();
    assert_eq!(add("50k", "20"), q("50.02k"));
    assert_eq!(sub("50k", "20").to_string(), "49980");
    assert_eq!(sub("50k", "20"), q("49.98k"));
    let x = q("50k")
        .checked_add(&Quantity::from_i64(20, Format::DecimalExponent))
        .unwrap()
        .checked_sub(&q("100k"))
        .unwrap();
    assert_eq!(x.as_i64(), Some(-49980));
    // A zero receiver takes the other's format.
    assert_eq!(add("0", "1Ki").to_string(), "1Ki");
    assert_eq!(sub("0", "1Ki").to_string(), "-1Ki");
    assert_eq!(add("1Ki", "1").to_string(), "1025");
    assert_eq!(add("1Ki", "1Ki").to_string(), "2Ki");
    // Overflowing the i64 path moves to the exact form.
    let big = add("9223372036854775807", "1");
    assert!(big.is_exact_form());
    assert_eq!(big.to_string(), "9223372036854775808");
    assert_eq!(big.as_i64(), None);
    let huge = q("9999999999999999999999999999999999999");
    let a = huge.checked_add(&q("1")).unwrap();
    let b = huge.checked_add(&q("2")).unwrap();
    assert_eq!(a.compare(&b), Ordering::Less);
    assert_eq!(
        q("1e5000").checked_add(&q("1")),
        Err(QuantityError::TooManyDigits)
    );
    // Zeros around the digits are free; tiny fractions round to 1n as upstream rounds them.
    let tiny = format!("0.{}1", "0".repeat(5000));
    assert_eq!(show(&tiny), "1n");
    // 10^5000 is 100 × 10^4998, and upstream has no suffix for 10^4998: it prints "100".
    assert_eq!(show(&format!("1{}", "0".repeat(5000))), "100");
    assert_eq!(
        Quantity::parse(&"7".repeat(4001)),
        Err(QuantityError::TooManyDigits)
    );
    assert_eq!(
        Quantity::parse(&"7".repeat(1001)),
        Err(QuantityError::TooManyDigits)
    );
}

#[test]
fn integers_and_floats() {
    assert_eq!(q("12Mi").as_i64(), Some(12_582_912));
    assert_eq!(q("50k").as_i64(), Some(50_000));
    assert!(q("50").is_integer());
    assert!(!q("9999999999999999999999999999999999999G").is_integer());
    assert!(!q("1.5").is_integer());
    // The exact form never converts, even for whole numbers.
    assert!(!q("0.5Mi").is_integer());
    assert!(!q("0.0000000000").is_integer());
    assert_eq!(q("1e3").as_i64(), Some(1000));
    assert_eq!(q("1e19").as_i64(), None);
    assert_eq!(q("0e2000000000").as_i64(), Some(0));
    assert_eq!(q("50.703k").as_approximate_f64(), 50703.0);
    assert_eq!(q("1.5").as_approximate_f64(), 1.5);
    assert_eq!(q("1e400").as_approximate_f64(), f64::INFINITY);
    assert_eq!(q("9Ei").as_approximate_f64(), 9.223_372_036_854_776e18);
    assert_eq!(q("-1n").as_approximate_f64(), -1e-9);
    // 0.5Mi is held as 524288000000000 at scale 9.
    assert_eq!(
        q("0.5Mi").as_approximate_f64(),
        524_288_000_000_000.0 * 1e-9
    );
    assert_eq!(q("0").sign(), 0);
    assert_eq!(q("-1m").sign(), -1);
    assert_eq!(q("1e-1000").sign(), 1);
}

#[test]
fn parse_values_and_formats() {
    use Format::{BinarySI as B, DecimalExponent as E, DecimalSI as D};
    // From upstream's parse table: the value (as a plain decimal) and the format.
    for (input, value, format) in [
        ("5n", "0.000000005", D),
        ("50k", "50000", D),
        ("40T", "40000000000000", D),
        ("1E", "1000000000000000000", D),
        ("1E-3", "0.001", E),
        ("1e3", "1000", E),
        ("100.035k", "100035", D),
        ("0.0005k", "0.5", D),
        ("0.5e-2", "0.005", E),
        ("1.3E+6", "1300000", E),
        ("7.123456M", "7123456", D),
        ("6.987654321G", "6987654321", D),
        ("1.01E", "1010000000000000000", D),
        ("3.001n", "0.000000004", D),
        ("1.1E-9", "0.000000002", E),
        ("0.00000012354", "0.000000124", D),
        ("9223372036854775807Ki", "9223372036854775807", B),
        ("100.035Ki", "102435.84", B),
        ("0.5Mi", "524288", B),
        ("0.025Ti", "27487790694.4", B),
        ("0.000000000001Ki", "0.000000002", D),
        (".0001k", "0.1", D),
        ("1.G", "1000000000", D),
    ] {
        let got = q(input);
        assert_eq!(got, q(value), "{input}");
        assert_eq!(got.format(), format, "{input}");
        let neg = q(&format!("-{input}"));
        assert_eq!(neg, q(&format!("-{value}")), "-{input}");
        assert_eq!(q(&format!("+{input}")), got, "+{input}");
    }
}

#[test]
fn approximate_floats_round_as_upstream() {
    // Upstream's AsApproximateFloat64 tables.
    let x = f64::from(7 * 1024 * 1024);
    for (input, expect) in [
        ("2Ki", 2048.0),
        ("1.1Ki", 1126.4),
        ("1Mi", 1.048576e+06),
        ("2Gi", 2.147483648e+09),
        ("7340032", x),
        ("73400320", x * 10.0),
        ("7340032e4", x * 10000.0),
        ("7340032e8", x * 100000000.0),
        ("734003.2", x * 1e-1),
        ("0.07340032", x / 1e8),
        ("9223372036854775807", i64::MAX as f64),
        ("12e18", 1.2e19),
        ("12e500", f64::INFINITY),
        ("-12e500", f64::NEG_INFINITY),
    ] {
        assert_eq!(q(input).as_approximate_f64(), expect, "{input}");
    }
}

#[test]
fn compare_in_place_converts_the_receiver() {
    let mut a = q("5");
    assert_eq!(a.compare_in_place(&q("6")), Ordering::Less);
    assert_eq!(a.as_i64(), Some(5));
    assert_eq!(a.compare_in_place(&q("0.5Mi")), Ordering::Less);
    assert_eq!(a.as_i64(), None);
    assert_eq!(a.to_string(), "5");
}

#[test]
fn go_pow10_matches_go_tables() {
    assert_eq!(go_pow10(0), 1.0);
    assert_eq!(go_pow10(-9), 1e-9);
    assert_eq!(go_pow10(309), f64::INFINITY);
    assert_eq!(go_pow10(-324), 0.0);
    assert_eq!(go_pow10(40), 1e32 * 1e8);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// The exact value of a simple quantity text as a fraction (numerator, denominator).
    fn exact(s: &str) -> (i128, i128) {
        let (num, mul, div): (&str, i128, i128) =
            match s.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
                Some((i, _)) => {
                    let (m, d) = match &s[i..] {
                        "n" => (1, 1_000_000_000),
                        "u" => (1, 1_000_000),
                        "m" => (1, 1000),
                        "k" => (1000, 1),
                        "M" => (1_000_000, 1),
                        "G" => (1_000_000_000, 1),
                        "Ki" => (1 << 10, 1),
                        "Mi" => (1 << 20, 1),
                        "Gi" => (1 << 30, 1),
                        "e-2" => (1, 100),
                        "e4" => (10_000, 1),
                        _ => unreachable!(),
                    };
                    (&s[..i], m, d)
                }
                None => (s, 1, 1),
            };
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        let m: i128 = format!("{int}{frac}").parse().unwrap();
        let (num, den) = (m * mul, div * 10_i128.pow(frac.len() as u32));
        // Upstream rounds up to whole nano-units.
        const NANO: i128 = 1_000_000_000;
        if den > NANO {
            let step = den / NANO;
            return ((num + step - 1) / step, NANO);
        }
        (num, den)
    }

    fn cmp_exact(a: (i128, i128), b: (i128, i128)) -> Ordering {
        (a.0 * b.1).cmp(&(b.0 * a.1))
    }

    fn quantity_text() -> impl Strategy<Value = String> {
        (
            0_u64..10_000_000,
            prop::option::of(0_u32..1000),
            prop::sample::select(vec![
                "", "n", "u", "m", "k", "M", "G", "Ki", "Mi", "Gi", "e-2", "e4",
            ]),
        )
            .prop_map(|(i, f, s)| match f {
                Some(f) => format!("{i}.{f:03}{s}"),
                None => format!("{i}{s}"),
            })
    }

    proptest! {
        #[test]
        fn cmp_agrees_with_exact_rational(a in quantity_text(), b in quantity_text()) {
            prop_assert_eq!(q(&a).compare(&q(&b)), cmp_exact(exact(&a), exact(&b)));
        }

        #[test]
        fn canonical_round_trips(a in quantity_text(), neg in any::<bool>()) {
            let text = if neg { format!("-{a}") } else { a };
            let x = q(&text);
            let printed = x.to_string();
            let y = q(&printed);
            prop_assert_eq!(&x, &y);
            prop_assert_eq!(y.to_string(), printed);
        }

        #[test]
        fn add_then_sub_is_identity(a in quantity_text(), b in quantity_text()) {
            let (x, y) = (q(&a), q(&b));
            let back = x.checked_add(&y).unwrap().checked_sub(&y).unwrap();
            prop_assert_eq!(back, x);
        }

        #[test]
        fn kept_text_is_stored_unless_it_is_the_canonical_form(
            s in "[-+]?0?[0-9]{1,4}(\\.[0-9]{0,3})?([numkMGTPE]|[KMGTPE]i|[eE][-+]?0?[0-9]{1,2})?"
        ) {
            if let Ok((q, keeps)) = parse::parse_keeping(&s) {
                let mut canonical = q.clone();
                canonical.verbatim = None;
                if keeps {
                    prop_assert_eq!(q.to_string(), s.clone());
                    prop_assert_eq!(q.verbatim.is_some(), canonical.to_string() != s);
                } else {
                    prop_assert!(q.verbatim.is_none());
                }
            }
        }

        #[test]
        fn parse_never_panics(s in "[-+0-9.eEinumkKMGTP]{0,24}") {
            if let Ok(x) = Quantity::parse(&s) {
                let _ = x.to_string();
                let _ = x.as_approximate_f64();
                let _ = x.as_i64();
            }
        }
    }
}
