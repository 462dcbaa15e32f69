//! `ParseQuantity`: splitting the text, interpreting the suffix, and choosing between the
//! `i64` fast path and the exact decimal path exactly as apimachinery does.

use super::dec::{Dec, MAX_DIGITS};
use super::int::IntAmount;
use super::{Amount, Format, Quantity, QuantityError};

/// The parts of a quantity's text (upstream's `parseQuantityString`).
struct Parts<'a> {
    positive: bool,
    /// Sign, digits and point as written (what `inf.Dec.SetString` reads).
    value: &'a str,
    /// Integer digits without leading zeros (`"0"` when none).
    num: &'a str,
    /// Fraction digits.
    denom: &'a str,
    suffix: &'a str,
}

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let bytes = s.as_bytes();
    let end = bytes.len();
    let mut parts = Parts {
        positive: true,
        value: "",
        num: "",
        denom: "",
        suffix: "",
    };
    let mut pos = 0;
    match bytes.first() {
        Some(b'-') => {
            parts.positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    // Leading zeros.
    while pos < end && bytes.get(pos) == Some(&b'0') {
        pos += 1;
    }
    if pos >= end {
        parts.num = "0";
        parts.value = "0";
        return Ok(parts);
    }
    let start = pos;
    while pos < end && bytes.get(pos).copied().is_some_and(is_digit) {
        pos += 1;
    }
    if pos >= end {
        parts.num = s.get(start..end).unwrap_or("");
        parts.value = s;
        return Ok(parts);
    }
    parts.num = s.get(start..pos).unwrap_or("");
    if parts.num.is_empty() {
        parts.num = "0";
    }
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        let dstart = pos;
        while pos < end && bytes.get(pos).copied().is_some_and(is_digit) {
            pos += 1;
        }
        parts.denom = s.get(dstart..pos).unwrap_or("");
        if pos >= end {
            parts.value = s;
            return Ok(parts);
        }
    }
    parts.value = s.get(..pos).unwrap_or("");
    let suffix_start = pos;
    while pos < end && bytes.get(pos).is_some_and(|b| b"eEinumkKMGTP".contains(b)) {
        pos += 1;
    }
    if pos < end && matches!(bytes.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    while pos < end && bytes.get(pos).copied().is_some_and(is_digit) {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::FormatWrong);
    }
    parts.suffix = s.get(suffix_start..).unwrap_or("");
    Ok(parts)
}

/// Base, exponent and format of a suffix (upstream's `quantitySuffixer.interpret`).
fn interpret(suffix: &str) -> Option<(u32, i32, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSI));
    let binary = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E'])?;
            let parsed = parse_go_int64(rest)?;
            // Upstream converts the int64 to int32, dropping the high bits.
            Some((10, parsed as i32, Format::DecimalExponent))
        }
    }
}

/// Go's `strconv.ParseInt(s, 10, 64)`: an optional sign and at least one digit.
pub(super) fn parse_go_int64(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(is_digit) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// Whether the text upstream keeps as the quantity's string differs from the canonical form
/// it would otherwise print (a leading `+` or zero, a decimal point, a non-canonical exponent).
fn verbatim_differs(s: &str, parts: &Parts<'_>, format: Format, exponent: i32) -> bool {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    if s.starts_with('+') || unsigned.starts_with('0') || s.contains('.') {
        return true;
    }
    if format != Format::DecimalExponent {
        return false;
    }
    let Some(rest) = parts.suffix.strip_prefix('e') else {
        return true;
    };
    let digits = rest.strip_prefix('-').unwrap_or(rest);
    exponent == 0
        || rest.starts_with('+')
        || digits.starts_with('0')
        || parse_go_int64(rest) != Some(i64::from(exponent))
}

/// The integer formed by the integer and fraction digits together (at most 18 of them).
struct Shifted {
    value: i64,
    trailing_zeros: usize,
    leading_zero: bool,
}

impl Shifted {
    fn of(num: &str, denom: &str) -> Shifted {
        let mut value: i64 = 0;
        let mut trailing_zeros = 0;
        for b in num.bytes().chain(denom.bytes()) {
            let d = i64::from(b.wrapping_sub(b'0'));
            value = value.wrapping_mul(10).wrapping_add(d);
            trailing_zeros = if d == 0 { trailing_zeros + 1 } else { 0 };
        }
        let leading_zero = num.starts_with('0') || (num.is_empty() && denom.starts_with('0'));
        Shifted {
            value,
            trailing_zeros,
            leading_zero,
        }
    }
}

/// `int64Multiply`.
fn int64_multiply(a: i64, b: i64) -> Option<i64> {
    a.checked_mul(b)
}

pub(super) fn parse(s: &str) -> Result<Quantity, QuantityError> {
    parse_keeping(s).map(|(q, _)| q)
}

/// Parses, and says whether upstream keeps the text as the quantity's string.
pub(super) fn parse_keeping(s: &str) -> Result<(Quantity, bool), QuantityError> {
    if s.is_empty() {
        return Err(QuantityError::FormatWrong);
    }
    if s == "0" {
        let zero = Amount::Int(IntAmount { value: 0, scale: 0 });
        return Ok((Quantity::from_amount(zero, Format::DecimalSI), true));
    }
    let parts = split(s)?;
    let (base, exponent, format) = interpret(parts.suffix).ok_or(QuantityError::Suffix)?;

    // The i64 fast path, when the digits are few enough.
    let digits = (parts.num.len() + parts.denom.len()) as i64;
    let mut scale: i32 = 0;
    let mut mantissa: i64 = 1;
    let precision: i64 = match format {
        Format::DecimalExponent | Format::DecimalSI => {
            scale = exponent;
            18 - digits
        }
        Format::BinarySI => {
            if exponent >= 0 && parts.denom.is_empty() {
                mantissa <<= exponent;
                15 - parts.num.len() as i64 - i64::from(exponent) * 3 / 10 - 1
            } else {
                -1
            }
        }
    };
    if precision >= 0 {
        // len(denom) <= 18 here.
        scale = scale.wrapping_sub(parts.denom.len() as i32);
        if scale >= -9 {
            let shifted = Shifted::of(parts.num, parts.denom);
            if let Some(mut result) = int64_multiply(shifted.value, mantissa) {
                if !parts.positive {
                    result = -result;
                }
                let amount = Amount::Int(IntAmount {
                    value: result,
                    scale,
                });
                let keeps_text = match format {
                    Format::BinarySI => exponent % 10 == 0 && shifted.value & 0x07 != 0,
                    _ => scale % 3 == 0 && shifted.trailing_zeros < 3 && !shifted.leading_zero,
                };
                let mut q = Quantity::from_amount(amount, format);
                if keeps_text && verbatim_differs(s, &parts, format, exponent) {
                    q.verbatim = Some(s.into());
                }
                return Ok((q, keeps_text));
            }
        }
    }

    // The exact path.
    let mut amount = parse_decimal(parts.value)?;
    if base == 10 {
        // inf.Dec: scale += -exponent, in int32 arithmetic; the value follows the new scale.
        let new_scale = amount.scale.wrapping_sub(exponent);
        amount.exponent = amount.exponent + i64::from(amount.scale) - i64::from(new_scale);
        amount.scale = new_scale;
    } else {
        amount = amount.mul_small(1_u64 << exponent.clamp(0, 60));
    }
    let negative = amount.negative;
    amount.negative = false;
    if !amount.is_zero() {
        amount = amount.round_up(9);
    }
    let mut format = format;
    if format == Format::BinarySI {
        let max = Dec::from_i64(i64::MAX, 0, 0);
        if amount.cmp(&max).is_gt() {
            amount = max;
        }
        let one = Dec::from_i64(1, 0, 0);
        if amount.cmp(&one).is_lt() && !amount.is_zero() {
            format = Format::DecimalSI;
        }
    }
    if amount.digits.len() > MAX_DIGITS {
        return Err(QuantityError::TooManyDigits);
    }
    amount.negative = negative && !amount.is_zero();
    Ok((Quantity::from_amount(Amount::Dec(amount), format), false))
}

/// `inf.Dec.SetString` over the value part: sign, digits and at most one point.
fn parse_decimal(value: &str) -> Result<Dec, QuantityError> {
    let (negative, body) = match value.as_bytes().first() {
        Some(b'-') => (true, value.get(1..).unwrap_or("")),
        Some(b'+') => (false, value.get(1..).unwrap_or("")),
        _ => (false, value),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(QuantityError::Numeric);
    }
    let digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b.wrapping_sub(b'0'))
        .collect();
    // Leading and trailing zeros cost nothing: only the digits between them count.
    let first = digits.iter().position(|&d| d != 0);
    let last = digits.iter().rposition(|&d| d != 0);
    if let (Some(f), Some(l)) = (first, last)
        && l - f + 1 > 4 * MAX_DIGITS
    {
        return Err(QuantityError::TooManyDigits);
    }
    let scale = i32::try_from(frac_part.len()).map_err(|_| QuantityError::TooManyDigits)?;
    Ok(Dec::normalized(negative, digits, -i64::from(scale), scale))
}
