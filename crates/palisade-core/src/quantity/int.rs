//! The fast representation of a quantity: an `i64` times a power of ten, with the overflow
//! checks and rounding rules of apimachinery's `int64Amount`.
//!
//! Scales are `i32` as upstream, and scale arithmetic wraps as Go's `int32` does, so that the
//! rare inputs that reach the edges print what the API server prints.

use std::cmp::Ordering;

/// `value × 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct IntAmount {
    pub(super) value: i64,
    pub(super) scale: i32,
}

/// `base × 10^scale`, or `None` on overflow. A scale of zero or below returns `base` unchanged,
/// as upstream's loop does.
pub(super) fn positive_scale(base: i64, scale: i32) -> Option<i64> {
    if scale <= 0 || base == 0 {
        return Some(base);
    }
    let mut value = base;
    // A non-zero value overflows after at most 19 multiplications.
    for _ in 0..scale.min(20) {
        value = value.checked_mul(10)?;
    }
    Some(value)
}

/// `base ÷ 10^scale`, rounded away from zero, and whether that was exact.
pub(super) fn negative_scale(base: i64, scale: i32) -> (i64, bool) {
    if scale <= 0 {
        return (base, true);
    }
    let mut value = base;
    let mut fraction = false;
    for _ in 0..scale {
        if !fraction && value % 10 != 0 {
            fraction = true;
        }
        value /= 10;
        if value == 0 {
            if fraction {
                return (if base > 0 { 1 } else { -1 }, false);
            }
            return (0, true);
        }
    }
    if fraction {
        if base > 0 {
            value += 1;
        } else {
            value -= 1;
        }
    }
    (value, !fraction)
}

/// Divides factors of `base` out of `value` (keeping its sign); upstream's `removeInt64Factors`,
/// including its treatment of `i64::MIN`, which it cannot negate and so leaves alone.
pub(super) fn remove_factors(value: i64, base: i64) -> (i64, i32) {
    let negative = value < 0;
    let mut result = if negative {
        value.wrapping_neg()
    } else {
        value
    };
    let mut times = 0;
    while result >= base && result % base == 0 {
        times += 1;
        result /= base;
    }
    if negative {
        result = result.wrapping_neg();
    }
    (result, times)
}

impl IntAmount {
    pub(super) fn sign(self) -> i32 {
        self.value.signum() as i32
    }

    /// The value as an `i64` at scale 0, if that is exact and fits.
    pub(super) fn as_i64(self) -> Option<i64> {
        match self.scale.cmp(&0) {
            Ordering::Equal => Some(self.value),
            Ordering::Less => None,
            Ordering::Greater => positive_scale(self.value, self.scale),
        }
    }

    /// Compares when both scales allow an exact `i64` computation; `None` sends the caller to
    /// exact decimal comparison, as upstream falls back to `inf.Dec`.
    pub(super) fn cmp(self, other: IntAmount) -> Option<Ordering> {
        let (mut a, mut b) = (self.value, other.value);
        match self.scale.cmp(&other.scale) {
            Ordering::Equal => {}
            Ordering::Greater => {
                let (q, r) = divide_by_scale(b, i64::from(self.scale) - i64::from(other.scale))?;
                if q == a {
                    return Some(0.cmp(&r));
                }
                b = q;
            }
            Ordering::Less => {
                let (q, r) = divide_by_scale(a, i64::from(other.scale) - i64::from(self.scale))?;
                if q == b {
                    return Some(r.cmp(&0));
                }
                a = q;
            }
        }
        Some(a.cmp(&b))
    }

    /// Adds `other`, matching scales; `false` (and `self` untouched) on overflow.
    pub(super) fn add(&mut self, other: IntAmount) -> bool {
        if other.value == 0 {
            return true;
        }
        if self.value == 0 {
            *self = other;
            return true;
        }
        match self.scale.cmp(&other.scale) {
            Ordering::Equal => match self.value.checked_add(other.value) {
                Some(c) => self.value = c,
                None => return false,
            },
            Ordering::Greater => {
                let Some(c) = positive_scale(self.value, self.scale.wrapping_sub(other.scale))
                    .and_then(|c| c.checked_add(other.value))
                else {
                    return false;
                };
                self.scale = other.scale;
                self.value = c;
            }
            Ordering::Less => {
                let Some(c) = positive_scale(other.value, other.scale.wrapping_sub(self.scale))
                    .and_then(|c| self.value.checked_add(c))
                else {
                    return false;
                };
                self.value = c;
            }
        }
        true
    }

    /// Subtracts `other` as upstream does: by adding its (wrapping) negation.
    pub(super) fn sub(&mut self, other: IntAmount) -> bool {
        self.add(IntAmount {
            value: other.value.wrapping_neg(),
            scale: other.scale,
        })
    }

    /// Rounds away from zero to at least `scale`; whether no precision was lost.
    pub(super) fn as_scale(self, scale: i32) -> (IntAmount, bool) {
        if self.scale >= scale {
            return (self, true);
        }
        let (value, exact) = negative_scale(self.value, scale.wrapping_sub(self.scale));
        (IntAmount { value, scale }, exact)
    }

    /// The canonical base-10 digits and an exponent that is a multiple of three, or `None`
    /// when that does not fit an `i64` (upstream then formats through `inf.Dec`).
    pub(super) fn canonical(self) -> Option<(i64, i32)> {
        let (amount, times) = remove_factors(self.value, 10);
        let exponent = self.scale.wrapping_add(times);
        match exponent % 3 {
            1 | -2 => Some((amount.checked_mul(10)?, exponent.wrapping_sub(1))),
            2 | -1 => Some((amount.checked_mul(100)?, exponent.wrapping_sub(2))),
            _ => Some((amount, exponent)),
        }
    }
}

/// `base ÷ 10^scale` and the remainder, when the divisor fits an `i64`.
fn divide_by_scale(base: i64, scale: i64) -> Option<(i64, i64)> {
    if scale == 0 {
        return Some((base, 0));
    }
    if !(0..18).contains(&scale) {
        return None;
    }
    let divisor = 10_i64.pow(u32::try_from(scale).ok()?);
    Some((base / divisor, base % divisor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positive_scale_detects_overflow() {
        assert_eq!(positive_scale(5, 3), Some(5000));
        assert_eq!(positive_scale(0, i32::MAX), Some(0));
        assert_eq!(positive_scale(1, 18), Some(1_000_000_000_000_000_000));
        assert_eq!(positive_scale(1, 19), None);
        assert_eq!(positive_scale(-9, 18), Some(-9_000_000_000_000_000_000));
        assert_eq!(positive_scale(10, 18), None);
    }

    #[test]
    fn negative_scale_rounds_away_from_zero() {
        assert_eq!(negative_scale(1500, 3), (2, false));
        assert_eq!(negative_scale(-1500, 3), (-2, false));
        assert_eq!(negative_scale(2000, 3), (2, true));
        assert_eq!(negative_scale(1, 6), (1, false));
        assert_eq!(negative_scale(-1, 6), (-1, false));
        assert_eq!(negative_scale(0, 6), (0, true));
    }

    #[test]
    fn remove_factors_keeps_sign() {
        assert_eq!(remove_factors(-12000, 10), (-12, 3));
        assert_eq!(remove_factors(3 << 20, 1024), (3, 2));
        assert_eq!(remove_factors(i64::MIN, 1024), (i64::MIN, 0));
    }

    #[test]
    fn cmp_across_scales() {
        let a = IntAmount { value: 5, scale: 3 };
        let b = IntAmount {
            value: 5001,
            scale: 0,
        };
        assert_eq!(a.cmp(b), Some(Ordering::Less));
        assert_eq!(b.cmp(a), Some(Ordering::Greater));
        let c = IntAmount {
            value: 5000,
            scale: 0,
        };
        assert_eq!(a.cmp(c), Some(Ordering::Equal));
        assert_eq!(
            a.cmp(IntAmount {
                value: 1,
                scale: 30
            }),
            None
        );
    }
}
