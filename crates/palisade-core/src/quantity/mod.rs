//! Kubernetes resource quantities (`k8s.io/apimachinery/pkg/api/resource.Quantity`), with
//! upstream's parsing, canonical printing, comparison and arithmetic, digit for digit.
//!
//! ```
//! use palisade_core::quantity::Quantity;
//!
//! let a = Quantity::parse("1.5Gi").unwrap();
//! let b = Quantity::parse("1536Mi").unwrap();
//! assert_eq!(a, b);
//! assert_eq!(a.to_string(), "1536Mi");
//! assert_eq!(Quantity::parse("50k").unwrap().checked_add(&Quantity::parse("20").unwrap()).unwrap().to_string(), "50020");
//! assert_eq!(Quantity::parse("10Mo").unwrap_err().to_string(),
//!     "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
//! ```
//!
//! Like upstream, a quantity is held either as an `i64` times a power of ten (the fast path,
//! used when the text has at most 18 digits and no more than nine fractional ones) or as an exact
//! decimal (upstream's `inf.Dec`). The two are equal in value but not in behaviour:
//! [`Quantity::as_i64`] and [`Quantity::is_integer`] answer `None`/`false` for the exact
//! decimal form, and [`Quantity::as_approximate_f64`] rounds differently; this module keeps the
//! same form upstream would have at every step.
//!
//! **Bounds.** The exact form holds at most [`MAX_DIGITS`] significant digits (upstream has no
//! limit); exponents are unbounded. Parsing text with more significant digits, or arithmetic
//! whose exact result needs more, fails with [`QuantityError::TooManyDigits`].

mod dec;
mod int;
mod parse;

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use dec::{Dec, div_small, rem_small};
use int::{IntAmount, remove_factors};

pub use dec::MAX_DIGITS;

/// Why a quantity could not be parsed or computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuantityError {
    /// The text is not `sign? digits.digits? suffix?` (upstream's `ErrFormatWrong`).
    #[error(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    )]
    FormatWrong,
    /// The number part has no digits (upstream's `ErrNumeric`).
    #[error("unable to parse numeric part of quantity")]
    Numeric,
    /// The suffix is not a known unit or exponent (upstream's `ErrSuffix`).
    #[error("unable to parse quantity's suffix")]
    Suffix,
    /// The value needs more significant digits than palisade keeps ([`MAX_DIGITS`]).
    #[error("quantity has more than 1000 significant digits")]
    TooManyDigits,
}

/// How a quantity prints: the format its text was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `12e6`.
    DecimalExponent,
    /// `12Mi` (powers of 1024).
    BinarySI,
    /// `12M` (powers of 1000).
    DecimalSI,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Amount {
    Int(IntAmount),
    Dec(Dec),
}

impl Amount {
    fn to_dec(&self) -> Dec {
        match self {
            Amount::Int(i) => {
                // inf.Dec's scale is the negated scale, in int32 arithmetic.
                let scale = i.scale.wrapping_neg();
                Dec::from_i64(i.value, -i64::from(scale), scale)
            }
            Amount::Dec(d) => d.clone(),
        }
    }
}

/// A Kubernetes resource quantity. See the [module docs](self).
///
/// Equality and ordering compare values (`1k == 1000`), as upstream's `Cmp` does.
#[derive(Debug, Clone)]
pub struct Quantity {
    amount: Amount,
    format: Format,
    /// The text upstream keeps and prints instead of the canonical form (`+1k`, `1.500k`), when
    /// it differs from it.
    verbatim: Option<Box<str>>,
}

impl Quantity {
    fn from_amount(amount: Amount, format: Format) -> Quantity {
        Quantity {
            amount,
            format,
            verbatim: None,
        }
    }

    /// Parses a quantity as `resource.ParseQuantity` does (no surrounding spaces allowed).
    ///
    /// ```
    /// use palisade_core::quantity::{Quantity, QuantityError};
    /// assert_eq!(Quantity::parse("100m").unwrap().to_string(), "100m");
    /// assert_eq!(Quantity::parse("10Mm"), Err(QuantityError::Suffix));
    /// ```
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        parse::parse(s)
    }

    /// An integer quantity in the given format (`resource.NewQuantity`); the Kubernetes CEL
    /// library's `add(int)`/`sub(int)` use [`Format::DecimalExponent`].
    pub fn from_i64(value: i64, format: Format) -> Quantity {
        Quantity::from_amount(Amount::Int(IntAmount { value, scale: 0 }), format)
    }

    /// The format the quantity prints in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        match &self.amount {
            Amount::Int(i) => i.sign(),
            Amount::Dec(d) => d.sign(),
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.sign() == 0
    }

    /// The value as an `i64` (`AsInt64`): `None` when it is not a whole number, does not fit,
    /// or is held in the exact decimal form (upstream never converts those).
    ///
    /// ```
    /// use palisade_core::quantity::Quantity;
    /// assert_eq!(Quantity::parse("12Mi").unwrap().as_i64(), Some(12582912));
    /// assert_eq!(Quantity::parse("1.5").unwrap().as_i64(), None);
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        match &self.amount {
            Amount::Int(i) => i.as_i64(),
            Amount::Dec(_) => None,
        }
    }

    /// Whether [`as_i64`](Self::as_i64) succeeds (the CEL `isInteger()`).
    pub fn is_integer(&self) -> bool {
        self.as_i64().is_some()
    }

    /// `AsApproximateFloat64`: the unscaled integer as a double times `10^exponent`, with
    /// upstream's rounding.
    ///
    /// ```
    /// use palisade_core::quantity::Quantity;
    /// assert_eq!(Quantity::parse("50.703k").unwrap().as_approximate_f64(), 50703.0);
    /// ```
    pub fn as_approximate_f64(&self) -> f64 {
        let (base, exponent) = match &self.amount {
            Amount::Int(i) => (i.value as f64, i64::from(i.scale)),
            Amount::Dec(d) => (d.unscaled_f64(), -i64::from(d.scale)),
        };
        if exponent == 0 {
            return base;
        }
        base * go_pow10(exponent)
    }

    /// Compares values (upstream's `Cmp`).
    pub fn compare(&self, other: &Quantity) -> Ordering {
        if let (Amount::Int(a), Amount::Int(b)) = (&self.amount, &other.amount)
            && let Some(o) = a.cmp(*b)
        {
            return o;
        }
        self.amount.to_dec().cmp(&other.amount.to_dec())
    }

    /// Compares as upstream's `(*Quantity).Cmp` does, including its side effect: when either
    /// side is held in the exact decimal form, the receiver is converted to that form, so that
    /// [`as_i64`](Self::as_i64) on it fails from then on. The Kubernetes CEL functions
    /// `compareTo`, `isLessThan` and `isGreaterThan` call `Cmp` on their receiver this way.
    pub fn compare_in_place(&mut self, other: &Quantity) -> Ordering {
        let ordering = self.compare(other);
        if matches!(self.amount, Amount::Dec(_)) || matches!(other.amount, Amount::Dec(_)) {
            self.to_exact_form();
        }
        ordering
    }

    /// Converts to the exact decimal form (upstream's `ToDec`), as a `Cmp` with an exact
    /// quantity does. The value and the printed form do not change.
    pub fn to_exact_form(&mut self) {
        if let Amount::Int(_) = self.amount {
            self.amount = Amount::Dec(self.amount.to_dec());
        }
    }

    /// Whether the quantity is held in the exact decimal form rather than as an `i64`.
    pub fn is_exact_form(&self) -> bool {
        matches!(self.amount, Amount::Dec(_))
    }

    /// `self + other` as upstream's `Add`: the `i64` path when both are `i64` and the sum
    /// fits, else exact; a zero receiver takes `other`'s format.
    pub fn checked_add(&self, other: &Quantity) -> Result<Quantity, QuantityError> {
        self.combine(other, false)
    }

    /// `self − other` as upstream's `Sub`.
    pub fn checked_sub(&self, other: &Quantity) -> Result<Quantity, QuantityError> {
        self.combine(other, true)
    }

    fn combine(&self, other: &Quantity, subtract: bool) -> Result<Quantity, QuantityError> {
        let mut format = self.format;
        if let (Amount::Int(a), Amount::Int(b)) = (&self.amount, &other.amount) {
            if subtract {
                if a.value == 0 {
                    format = other.format;
                }
                let mut sum = *a;
                if sum.sub(*b) {
                    return Ok(Quantity::from_amount(Amount::Int(sum), format));
                }
            } else {
                if a.value == 0 {
                    format = other.format;
                }
                let mut sum = *a;
                if sum.add(*b) {
                    return Ok(Quantity::from_amount(Amount::Int(sum), format));
                }
            }
        } else if self.is_zero() {
            format = other.format;
        }
        let sum = self.amount.to_dec().add(&other.amount.to_dec(), subtract)?;
        Ok(Quantity::from_amount(Amount::Dec(sum), format))
    }

    /// Writes the canonical form (`CanonicalizeBytes`).
    fn write_canonical(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let mut format = self.format;
        if format == Format::BinarySI {
            let small = self
                .compare(&Quantity::from_i64(-1024, Format::DecimalSI))
                .is_gt()
                && self
                    .compare(&Quantity::from_i64(1024, Format::DecimalSI))
                    .is_lt();
            if small {
                format = Format::DecimalSI;
            } else if let Some((number, exponent)) = self.base1024() {
                write!(f, "{number}")?;
                return f.write_str(binary_suffix(exponent.wrapping_mul(10)));
            } else {
                format = Format::DecimalSI;
            }
        }
        let (number, exponent) = self.base10();
        write!(f, "{number}")?;
        match format {
            Format::DecimalExponent if exponent != 0 => write!(f, "e{exponent}"),
            Format::DecimalExponent => Ok(()),
            _ => f.write_str(decimal_suffix(exponent)),
        }
    }

    /// Digits and an exponent that is a multiple of three (`AsCanonicalBytes`).
    fn base10(&self) -> (Digits, i32) {
        if let Amount::Int(i) = &self.amount
            && let Some((amount, exponent)) = i.canonical()
        {
            return (Digits::Int(amount), exponent);
        }
        let d = self.amount.to_dec();
        // Upstream computes the exponent in int32 arithmetic; the truncation reproduces it.
        let mut exponent = d.exponent as i32;
        let mut digits = d.digit_string();
        while exponent % 3 != 0 {
            digits.push('0');
            exponent = exponent.wrapping_sub(1);
        }
        if d.negative {
            digits.insert(0, '-');
        }
        (Digits::Text(digits), exponent)
    }

    /// For a whole number, its digits and exponent in powers of 1024
    /// (`AsScale(0)` + `AsCanonicalBase1024Bytes`); `None` when the value is not whole.
    fn base1024(&self) -> Option<(Digits, i32)> {
        match &self.amount {
            Amount::Int(i) => {
                let (rounded, exact) = i.as_scale(0);
                if !exact {
                    return None;
                }
                if let Some(value) = int::positive_scale(rounded.value, rounded.scale) {
                    let (amount, exponent) = remove_factors(value, 1024);
                    return Some((Digits::Int(amount), exponent));
                }
                dec_base1024(&Amount::Int(rounded).to_dec())
            }
            Amount::Dec(d) => {
                if !d.is_integer() {
                    return None;
                }
                dec_base1024(d)
            }
        }
    }
}

/// The digits of a printed quantity: an `i64` (printed without allocating) or text.
enum Digits {
    Int(i64),
    Text(String),
}

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Digits::Int(i) => write!(f, "{i}"),
            Digits::Text(t) => f.write_str(t),
        }
    }
}

fn dec_base1024(d: &Dec) -> Option<(Digits, i32)> {
    let mut digits = d.integer_digits()?;
    let mut exponent = 0_i32;
    while !digits.is_empty() && rem_small(&digits, 1024) == 0 {
        div_small(&mut digits, 1024);
        exponent += 1;
    }
    let mut text: String = digits.iter().map(|x| char::from(b'0' + x)).collect();
    if d.negative {
        text.insert(0, '-');
    }
    Some((Digits::Text(text), exponent))
}

fn decimal_suffix(exponent: i32) -> &'static str {
    match exponent {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        // Upstream finds no suffix for other exponents and prints none (so `1000E` prints `1`).
        _ => "",
    }
}

fn binary_suffix(exponent: i32) -> &'static str {
    match exponent {
        10 => "Ki",
        20 => "Mi",
        30 => "Gi",
        40 => "Ti",
        50 => "Pi",
        60 => "Ei",
        _ => "",
    }
}

/// Go's `math.Pow10`, table for table, so that products round as they do in Go.
fn go_pow10(n: i64) -> f64 {
    const TAB: [f64; 32] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31,
    ];
    const POS32: [f64; 10] = [
        1e0, 1e32, 1e64, 1e96, 1e128, 1e160, 1e192, 1e224, 1e256, 1e288,
    ];
    const NEG32: [f64; 11] = [
        1e-0, 1e-32, 1e-64, 1e-96, 1e-128, 1e-160, 1e-192, 1e-224, 1e-256, 1e-288, 1e-320,
    ];
    let tab = |i: i64| {
        TAB.get(usize::try_from(i % 32).unwrap_or(0))
            .copied()
            .unwrap_or(1.0)
    };
    if (0..=308).contains(&n) {
        let hi = POS32
            .get(usize::try_from(n / 32).unwrap_or(0))
            .copied()
            .unwrap_or(1.0);
        return hi * tab(n);
    }
    if (-323..=0).contains(&n) {
        let m = -n;
        let hi = NEG32
            .get(usize::try_from(m / 32).unwrap_or(0))
            .copied()
            .unwrap_or(1.0);
        return hi / tab(m);
    }
    if n > 0 { f64::INFINITY } else { 0.0 }
}

impl fmt::Display for Quantity {
    /// The string upstream's `String()` returns: the canonical form, or for text parsed on
    /// the fast path that upstream keeps as written, that text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.verbatim {
            Some(text) => f.write_str(text),
            None => self.write_canonical(f),
        }
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse(s)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Quantity) -> bool {
        self.compare(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Quantity) -> Ordering {
        self.compare(other)
    }
}

#[cfg(test)]
mod tests;
