//! The arbitrary-precision representation of a quantity, standing in for upstream's `inf.Dec`:
//! an exact decimal `±coefficient × 10^exponent`, plus the scale `inf.Dec` would carry (which
//! only changes the rounding of `AsApproximateFloat64`).
//!
//! The coefficient is a vector of decimal digits, most significant first, without leading or
//! trailing zeros, and at most [`MAX_DIGITS`] long; the exponent is an `i64`, so `1e999999999`
//! costs one digit.

use std::cmp::Ordering;

use super::QuantityError;

/// The most significant decimal digits a quantity may have (palisade's bound; upstream has
/// none). Parsing or arithmetic that would need more fails with
/// [`QuantityError::TooManyDigits`].
pub const MAX_DIGITS: usize = 1000;

/// An exact decimal number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dec {
    pub(super) negative: bool,
    /// Decimal digits (0–9), no leading or trailing zeros; empty for zero.
    pub(super) digits: Vec<u8>,
    pub(super) exponent: i64,
    /// The scale `inf.Dec` would have: its unscaled integer is `±digits × 10^(exponent + scale)`.
    pub(super) scale: i32,
}

impl Dec {
    /// Zero at the given scale.
    pub(super) fn zero(scale: i32) -> Dec {
        Dec {
            negative: false,
            digits: Vec::new(),
            exponent: 0,
            scale,
        }
    }

    /// `value × 10^exponent` with the given nominal scale.
    pub(super) fn from_i64(value: i64, exponent: i64, scale: i32) -> Dec {
        let digits = value.unsigned_abs().to_string().into_bytes();
        let digits = digits.into_iter().map(|b| b - b'0').collect();
        Dec::normalized(value < 0, digits, exponent, scale)
    }

    /// Builds from unnormalized digits: strips leading and trailing zeros.
    pub(super) fn normalized(
        negative: bool,
        mut digits: Vec<u8>,
        exponent: i64,
        scale: i32,
    ) -> Dec {
        let trailing = digits.iter().rev().take_while(|&&d| d == 0).count();
        digits.truncate(digits.len() - trailing);
        let leading = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..leading);
        if digits.is_empty() {
            return Dec::zero(scale);
        }
        Dec {
            negative,
            digits,
            exponent: exponent.saturating_add(trailing as i64),
            scale,
        }
    }

    pub(super) fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    pub(super) fn sign(&self) -> i32 {
        match (self.is_zero(), self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }

    /// The position just above the most significant digit (`10^magnitude > |self|`).
    fn magnitude(&self) -> i64 {
        self.exponent.saturating_add(self.digits.len() as i64)
    }

    /// Digit at power `10^position` (0 outside the coefficient).
    fn digit_at(&self, position: i64) -> u8 {
        let from_top = self.magnitude() - 1 - position;
        usize::try_from(from_top)
            .ok()
            .and_then(|i| self.digits.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// Compares absolute values.
    pub(super) fn cmp_abs(&self, other: &Dec) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {}
        }
        let m = self.magnitude();
        match m.cmp(&other.magnitude()) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        // Same magnitude: compare digit by digit from the top.
        let n = self.digits.len().max(other.digits.len());
        for i in 0..n {
            let a = self.digits.get(i).copied().unwrap_or(0);
            let b = other.digits.get(i).copied().unwrap_or(0);
            match a.cmp(&b) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        let _ = m;
        Ordering::Equal
    }

    /// Compares values.
    pub(super) fn cmp(&self, other: &Dec) -> Ordering {
        match self.sign().cmp(&other.sign()) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        let abs = self.cmp_abs(other);
        if self.negative { abs.reverse() } else { abs }
    }

    /// `self + other` (or `self − other`), exact; the scale is the larger of the two, as
    /// `inf.Dec` does.
    pub(super) fn add(&self, other: &Dec, subtract: bool) -> Result<Dec, QuantityError> {
        let scale = self.scale.max(other.scale);
        let other_negative = other.negative != subtract;
        if other.is_zero() {
            return Ok(Dec {
                scale,
                ..self.clone()
            });
        }
        if self.is_zero() {
            return Ok(Dec {
                negative: other_negative,
                scale,
                ..other.clone()
            });
        }
        let low = self.exponent.min(other.exponent);
        let high = self.magnitude().max(other.magnitude()).saturating_add(1);
        let width = usize::try_from(high.saturating_sub(low))
            .ok()
            .filter(|&w| w <= MAX_DIGITS + 1)
            .ok_or(QuantityError::TooManyDigits)?;
        let mut out = vec![0_u8; width];
        if self.negative == other_negative {
            let mut carry = 0;
            for (i, slot) in out.iter_mut().rev().enumerate() {
                let p = low + i as i64;
                let s = self.digit_at(p) + other.digit_at(p) + carry;
                *slot = s % 10;
                carry = s / 10;
            }
            let d = Dec::normalized(self.negative, out, low, scale);
            return check_digits(d);
        }
        // Opposite signs: subtract the smaller magnitude from the larger.
        let (big, small, negative) = match self.cmp_abs(other) {
            Ordering::Equal => return Ok(Dec::zero(scale)),
            Ordering::Greater => (self, other, self.negative),
            Ordering::Less => (other, self, other_negative),
        };
        let mut borrow = 0_i8;
        for (i, slot) in out.iter_mut().rev().enumerate() {
            let p = low + i as i64;
            let mut s = big.digit_at(p) as i8 - small.digit_at(p) as i8 - borrow;
            borrow = 0;
            if s < 0 {
                s += 10;
                borrow = 1;
            }
            *slot = s as u8;
        }
        check_digits(Dec::normalized(negative, out, low, scale))
    }

    /// Multiplies the coefficient by a small factor (at most 2^60).
    pub(super) fn mul_small(&self, factor: u64) -> Dec {
        let mut out = Vec::with_capacity(self.digits.len() + 20);
        let mut carry: u128 = 0;
        for &d in self.digits.iter().rev() {
            let v = u128::from(d) * u128::from(factor) + carry;
            out.push((v % 10) as u8);
            carry = v / 10;
        }
        while carry > 0 {
            out.push((carry % 10) as u8);
            carry /= 10;
        }
        out.reverse();
        Dec::normalized(self.negative, out, self.exponent, self.scale)
    }

    /// Rounds away from zero to `scale` fractional digits (`inf.Dec.Round` with `RoundUp`); the
    /// result carries that scale.
    pub(super) fn round_up(&self, scale: i32) -> Dec {
        let limit = -i64::from(scale);
        if self.is_zero() || self.exponent >= limit {
            return Dec {
                scale,
                ..self.clone()
            };
        }
        // Keep the digits at positions >= limit; the dropped part is non-zero (the coefficient
        // has no trailing zeros), so add one unit at `limit`.
        let keep = usize::try_from(self.magnitude() - limit).unwrap_or(0);
        let mut digits: Vec<u8> = self.digits.iter().take(keep).copied().collect();
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                if *d == 9 {
                    *d = 0;
                } else {
                    *d += 1;
                    break;
                }
            }
        }
        Dec::normalized(self.negative, digits, limit, scale)
    }

    /// Whether the value is an integer.
    pub(super) fn is_integer(&self) -> bool {
        self.is_zero() || self.exponent >= 0
    }

    /// The digits of the coefficient as text.
    pub(super) fn digit_string(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// The integer's digits with its trailing zeros written out, or `None` beyond the bound
    /// (callers only ask for integers built from bounded arithmetic).
    pub(super) fn integer_digits(&self) -> Option<Vec<u8>> {
        let zeros = usize::try_from(self.exponent).ok()?;
        if self.digits.len() + zeros > 4 * MAX_DIGITS {
            return None;
        }
        let mut v = self.digits.clone();
        v.resize(self.digits.len() + zeros, 0);
        Some(v)
    }

    /// `float64(unscaled)`: the unscaled integer correctly rounded to the nearest double.
    pub(super) fn unscaled_f64(&self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        let power = self.exponent.saturating_add(i64::from(self.scale));
        let text = format!(
            "{}{}e{}",
            if self.negative { "-" } else { "" },
            self.digit_string(),
            power
        );
        text.parse::<f64>().unwrap_or(f64::NAN)
    }
}

fn check_digits(d: Dec) -> Result<Dec, QuantityError> {
    if d.digits.len() > MAX_DIGITS {
        return Err(QuantityError::TooManyDigits);
    }
    Ok(d)
}

/// Divides a big-endian digit vector by `divisor` in place; returns the remainder.
pub(super) fn div_small(digits: &mut Vec<u8>, divisor: u32) -> u32 {
    let mut rem: u64 = 0;
    for d in digits.iter_mut() {
        let cur = rem * 10 + u64::from(*d);
        *d = (cur / u64::from(divisor)) as u8;
        rem = cur % u64::from(divisor);
    }
    let leading = digits.iter().take_while(|&&d| d == 0).count();
    digits.drain(..leading);
    rem as u32
}

/// Whether a big-endian digit vector is divisible by `divisor`.
pub(super) fn rem_small(digits: &[u8], divisor: u32) -> u32 {
    let mut rem: u64 = 0;
    for d in digits {
        rem = (rem * 10 + u64::from(*d)) % u64::from(divisor);
    }
    rem as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str, exponent: i64) -> Dec {
        let negative = s.starts_with('-');
        let digits = s
            .trim_start_matches('-')
            .bytes()
            .map(|b| b - b'0')
            .collect();
        Dec::normalized(negative, digits, exponent, 0)
    }

    #[test]
    fn normalizes_zeros() {
        let d = dec("0012300", -2);
        assert_eq!(d.digits, vec![1, 2, 3]);
        assert_eq!(d.exponent, 0);
        assert!(dec("000", 5).is_zero());
    }

    #[test]
    fn compares_exactly() {
        assert_eq!(dec("1", 3).cmp(&dec("999", 0)), Ordering::Greater);
        assert_eq!(dec("1", 3).cmp(&dec("1000", 0)), Ordering::Equal);
        assert_eq!(dec("-1", 3).cmp(&dec("-999", 0)), Ordering::Less);
        assert_eq!(dec("12", -1).cmp(&dec("12", -2)), Ordering::Greater);
        assert_eq!(dec("0", 0).cmp(&dec("-5", 0)), Ordering::Greater);
    }

    #[test]
    fn adds_and_subtracts() {
        let sum = dec("999", 0).add(&dec("1", 0), false).unwrap();
        assert_eq!((sum.digit_string(), sum.exponent), ("1".into(), 3));
        let diff = dec("1", 3).add(&dec("1", -2), true).unwrap();
        assert_eq!((diff.digit_string(), diff.exponent), ("99999".into(), -2));
        let neg = dec("5", 0).add(&dec("7", 0), true).unwrap();
        assert!(neg.negative);
        assert_eq!(neg.digit_string(), "2");
        assert!(dec("5", 0).add(&dec("5", 0), true).unwrap().is_zero());
        assert_eq!(
            dec("1", 5000).add(&dec("1", 0), false),
            Err(QuantityError::TooManyDigits)
        );
    }

    #[test]
    fn rounds_up_away_from_zero() {
        let r = dec("123456", -12).round_up(9);
        assert_eq!(
            (r.digit_string(), r.exponent, r.scale),
            ("124".into(), -9, 9)
        );
        let r = dec("-999", -12).round_up(9);
        assert_eq!(
            (r.digit_string(), r.exponent, r.negative),
            ("1".into(), -9, true)
        );
        let r = dec("5", 0).round_up(9);
        assert_eq!((r.digit_string(), r.exponent, r.scale), ("5".into(), 0, 9));
    }

    #[test]
    fn small_arithmetic() {
        let d = dec("3", 0).mul_small(1 << 60);
        assert_eq!(d.digit_string(), (3_u128 << 60).to_string());
        let mut v = vec![2, 0, 4, 8];
        assert_eq!(div_small(&mut v, 1024), 0);
        assert_eq!(v, vec![2]);
        assert_eq!(rem_small(&[1, 0, 2, 5], 1024), 1);
    }
}
