//! Timestamps and durations with Go's semantics: RFC 3339 parsing and printing, `time.ParseDuration`,
//! civil-date fields in UTC or a fixed offset.

use std::cmp::Ordering;

use crate::error::EvalError;

/// Seconds of `0001-01-01T00:00:00Z` since the Unix epoch.
pub const MIN_UNIX: i64 = -62_135_596_800;
/// Seconds of `9999-12-31T23:59:59Z` since the Unix epoch.
pub const MAX_UNIX: i64 = 253_402_300_799;

/// A point in time, with the UTC offset it was written with (kept for printing and field access).
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    /// Nanoseconds within the second, `0..1e9`.
    pub nanos: u32,
    /// Offset east of UTC in seconds that the value displays in.
    pub offset: i32,
}

impl PartialEq for Timestamp {
    fn eq(&self, o: &Self) -> bool {
        self.secs == o.secs && self.nanos == o.nanos
    }
}
impl Eq for Timestamp {}
impl PartialOrd for Timestamp {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Timestamp {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.secs, self.nanos).cmp(&(o.secs, o.nanos))
    }
}

/// A span of time in nanoseconds (Go's `time.Duration`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(pub i64);

fn overflow_ts() -> EvalError {
    EvalError::new("timestamp overflow")
}

impl Timestamp {
    /// A UTC timestamp, checked against CEL's range.
    pub fn new(secs: i64, nanos: u32) -> Result<Timestamp, EvalError> {
        if !(MIN_UNIX..=MAX_UNIX).contains(&secs) {
            return Err(overflow_ts());
        }
        Ok(Timestamp {
            secs,
            nanos,
            offset: 0,
        })
    }

    /// Adds a duration, keeping the display offset.
    pub fn checked_add(self, d: Duration) -> Result<Timestamp, EvalError> {
        let total =
            i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos) + i128::from(d.0);
        let secs = total.div_euclid(1_000_000_000);
        let nanos = total.rem_euclid(1_000_000_000) as u32;
        let secs = i64::try_from(secs).map_err(|_| overflow_ts())?;
        let mut t = Timestamp::new(secs, nanos)?;
        t.offset = self.offset;
        Ok(t)
    }

    /// The difference `self - other`.
    pub fn checked_sub(self, o: Timestamp) -> Result<Duration, EvalError> {
        let a = i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos);
        let b = i128::from(o.secs) * 1_000_000_000 + i128::from(o.nanos);
        i64::try_from(a - b)
            .map(Duration)
            .map_err(|_| EvalError::new("duration overflow"))
    }

    /// Parses RFC 3339 as Go's `time.Parse(time.RFC3339, s)` does.
    pub fn parse(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = b.get(r)?;
            if part.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(part).ok()?.parse().ok()
            } else {
                None
            }
        };
        if b.len() < 20
            || b.get(4) != Some(&b'-')
            || b.get(7) != Some(&b'-')
            || b.get(10) != Some(&b'T')
        {
            return None;
        }
        if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
            return None;
        }
        let (y, mo, d, h, mi, se) = (
            num(0..4)?,
            num(5..7)?,
            num(8..10)?,
            num(11..13)?,
            num(14..16)?,
            num(17..19)?,
        );
        if !(1..=12).contains(&mo)
            || d < 1
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || se > 59
        {
            return None;
        }
        let mut i = 19;
        let mut nanos = 0u32;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let digits = i - start;
            if digits == 0 {
                return None;
            }
            let frac = std::str::from_utf8(b.get(start..start + digits.min(9))?).ok()?;
            nanos = frac.parse::<u32>().ok()? * 10u32.pow(9 - digits.min(9) as u32);
        }
        let offset = match b.get(i) {
            Some(b'Z') if i + 1 == b.len() => 0,
            Some(c @ (b'+' | b'-')) if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
                let oh = num(i + 1..i + 3)?;
                let om = num(i + 4..i + 6)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let o = (oh * 3600 + om * 60) as i32;
                if *c == b'-' { -o } else { o }
            }
            _ => return None,
        };
        let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - i64::from(offset);
        Some(Timestamp {
            secs,
            nanos,
            offset,
        })
    }

    /// The civil fields `(year, month 1-12, day 1-31, hour, minute, second, day of year 0-based,
    /// weekday 0 = Sunday)` at the given offset.
    pub fn fields(&self, offset: i32) -> (i64, i64, i64, i64, i64, i64, i64, i64) {
        let local = self.secs + i64::from(offset);
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let yday = days - days_from_civil(y, 1, 1);
        let wday = (days + 4).rem_euclid(7);
        (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60, yday, wday)
    }

    /// RFC 3339 with nanoseconds, trailing zeros removed (Go's `time.RFC3339Nano`).
    pub fn to_rfc3339(&self) -> String {
        let (y, m, d, h, mi, s, _, _) = self.fields(self.offset);
        let mut out = format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        if self.nanos > 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        if self.offset == 0 {
            out.push('Z');
        } else {
            let sign = if self.offset < 0 { '-' } else { '+' };
            let o = self.offset.abs();
            out.push_str(&format!("{sign}{:02}:{:02}", o / 3600, o % 3600 / 60));
        }
        out
    }
}

impl Duration {
    /// The `string()` form: seconds as the shortest decimal, then `s`.
    pub fn to_cel_string(self) -> String {
        let secs = (self.0 / 1_000_000_000) as f64 + (self.0 % 1_000_000_000) as f64 / 1e9;
        format!("{secs}s")
    }

    /// Parses as Go's `time.ParseDuration`.
    pub fn parse(s: &str) -> Option<Duration> {
        let mut rest = s;
        let mut neg = false;
        if let Some(r) = rest.strip_prefix('-') {
            neg = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('+') {
            rest = r;
        }
        if rest == "0" {
            return Some(Duration(0));
        }
        if rest.is_empty() {
            return None;
        }
        let mut total: u128 = 0;
        while !rest.is_empty() {
            let int_end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            let int_part = rest.get(..int_end)?;
            rest = rest.get(int_end..)?;
            let mut frac_part = "";
            if let Some(r) = rest.strip_prefix('.') {
                let fe = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                frac_part = r.get(..fe)?;
                rest = r.get(fe..)?;
            }
            if int_part.is_empty() && frac_part.is_empty() {
                return None;
            }
            let ue = rest
                .find(|c: char| c == '.' || c.is_ascii_digit())
                .unwrap_or(rest.len());
            let unit: u128 = match rest.get(..ue)? {
                "ns" => 1,
                "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                "h" => 3_600_000_000_000,
                _ => return None,
            };
            rest = rest.get(ue..)?;
            let iv: u128 = if int_part.is_empty() {
                0
            } else {
                int_part.parse().ok()?
            };
            let mut v = iv.checked_mul(unit)?;
            if !frac_part.is_empty() {
                let mut scale: u128 = 1;
                let mut f: u128 = 0;
                for c in frac_part.bytes().take(30) {
                    f = f * 10 + u128::from(c - b'0');
                    scale *= 10;
                }
                v += f * unit / scale;
            }
            total = total.checked_add(v)?;
            if total > 1u128 << 63 {
                return None;
            }
        }
        let t = i128::try_from(total).ok()?;
        let t = if neg { -t } else { t };
        i64::try_from(t).ok().map(Duration)
    }
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rfc3339_round_trip() {
        let t = Timestamp::parse("2009-02-13T23:31:30.120Z").unwrap();
        assert_eq!(t.secs, 1_234_567_890);
        assert_eq!(t.to_rfc3339(), "2009-02-13T23:31:30.12Z");
        let t = Timestamp::parse("2009-02-13T23:31:30+01:00").unwrap();
        assert_eq!(t.secs, 1_234_567_890 - 3600);
        assert_eq!(t.to_rfc3339(), "2009-02-13T23:31:30+01:00");
        assert!(Timestamp::parse("2009-02-30T00:00:00Z").is_none());
    }

    #[test]
    fn go_durations() {
        assert_eq!(Duration::parse("1h30m"), Some(Duration(5_400_000_000_000)));
        assert_eq!(Duration::parse("-1.5s"), Some(Duration(-1_500_000_000)));
        assert_eq!(Duration::parse("1"), None);
        assert_eq!(Duration(1_500_000_000).to_cel_string(), "1.5s");
        assert_eq!(Duration(0).to_cel_string(), "0s");
    }
}
