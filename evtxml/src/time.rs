//! ISO 8601 timestamps as Windows renders them (`2022-12-14T16:05:59.7074374Z`).

/// A parsed UTC timestamp. The fraction keeps the number of digits it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timestamp {
    /// Year (0–9999).
    pub year: u16,
    /// Month (1–12).
    pub month: u8,
    /// Day of month (1–31).
    pub day: u8,
    /// Hour (0–23).
    pub hour: u8,
    /// Minute (0–59).
    pub minute: u8,
    /// Second (0–60).
    pub second: u8,
    /// Fraction of a second in nanoseconds.
    pub nanos: u32,
    /// Number of fractional digits written (0–9).
    pub frac_digits: u8,
    /// Offset from UTC in minutes (`Z` is 0).
    pub offset_minutes: i16,
}

fn digits(s: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v
            .checked_mul(10)?
            .checked_add(u32::from(b.wrapping_sub(b'0')))?;
    }
    Some(v)
}

/// `10^(9 - n)`: the scale of an `n`-digit fraction in nanoseconds.
const FRACTION_SCALE: [u32; 10] = [
    1_000_000_000,
    100_000_000,
    10_000_000,
    1_000_000,
    100_000,
    10_000,
    1_000,
    100,
    10,
    1,
];

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`.
    ///
    /// ```
    /// let t = evtxml::Timestamp::parse("2023-02-14T09:14:23.175Z").unwrap();
    /// assert_eq!((t.second, t.nanos, t.frac_digits), (23, 175_000_000, 3));
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        // The fixed 19-byte head as an array: every digit and separator at a known offset.
        let (head, _) = b.split_first_chunk::<19>()?;
        let &[
            y0,
            y1,
            y2,
            y3,
            d4,
            m0,
            m1,
            d7,
            a0,
            a1,
            t10,
            h0,
            h1,
            c13,
            i0,
            i1,
            c16,
            s0,
            s1,
        ] = head;
        if d4 != b'-'
            || d7 != b'-'
            || c13 != b':'
            || c16 != b':'
            || !matches!(t10, b'T' | b't' | b' ')
        {
            return None;
        }
        let pair = |a: u8, b: u8| -> Option<u8> {
            let (a, b) = (a.wrapping_sub(b'0'), b.wrapping_sub(b'0'));
            (a <= 9 && b <= 9).then(|| a.wrapping_mul(10).wrapping_add(b))
        };
        let year = u16::from(pair(y0, y1)?)
            .wrapping_mul(100)
            .wrapping_add(u16::from(pair(y2, y3)?));
        let month = pair(m0, m1)?;
        let day = pair(a0, a1)?;
        let hour = pair(h0, h1)?;
        let minute = pair(i0, i1)?;
        let second = pair(s0, s1)?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
            return None;
        }
        if second > 60 {
            return None;
        }
        let mut rest = b.get(19..)?;
        let mut nanos: u32 = 0;
        let mut frac_digits: u8 = 0;
        if let Some((b'.', tail)) = rest.split_first() {
            // At most nine digits; a tenth makes it invalid.
            let mut v: u32 = 0;
            let mut n = 0usize;
            for &c in tail.iter().take(10) {
                let d = c.wrapping_sub(b'0');
                if d > 9 {
                    break;
                }
                v = v.wrapping_mul(10).wrapping_add(u32::from(d));
                n = n.wrapping_add(1);
            }
            if n == 0 || n > 9 {
                return None;
            }
            nanos = v.checked_mul(*FRACTION_SCALE.get(n)?)?;
            frac_digits = u8::try_from(n).ok()?;
            rest = tail.get(n..)?;
        }
        let offset_minutes = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let h = i16::try_from(digits(&[*h1, *h2])?).ok()?;
                let m = i16::try_from(digits(&[*m1, *m2])?).ok()?;
                let total = h.checked_mul(60)?.checked_add(m)?;
                if *sign == b'-' {
                    total.checked_neg()?
                } else {
                    total
                }
            }
            _ => return None,
        };
        Some(Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
            frac_digits,
            offset_minutes,
        })
    }

    /// Seconds since the Unix epoch (UTC), fraction excluded.
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let secs = days
            .saturating_mul(86_400)
            .saturating_add(i64::from(self.hour).saturating_mul(3600))
            .saturating_add(i64::from(self.minute).saturating_mul(60))
            .saturating_add(i64::from(self.second));
        secs.saturating_sub(i64::from(self.offset_minutes).saturating_mul(60))
    }

    /// The same instant expressed in UTC (offset 0), precision kept.
    pub fn to_utc(&self) -> Self {
        let secs = self.unix_seconds();
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Self {
            year: u16::try_from(y).unwrap_or(0),
            month: u8::try_from(m).unwrap_or(1),
            day: u8::try_from(d).unwrap_or(1),
            hour: u8::try_from(rem / 3600).unwrap_or(0),
            minute: u8::try_from(rem % 3600 / 60).unwrap_or(0),
            second: u8::try_from(rem % 60).unwrap_or(0),
            nanos: self.nanos,
            frac_digits: self.frac_digits,
            offset_minutes: 0,
        }
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS[.fff]` followed by `suffix` into `out`, with the fraction at
    /// `digits` digits (0 omits it).
    pub fn write_with(&self, digits: u8, suffix: &str, out: &mut String) {
        use std::fmt::Write as _;
        let _ = write!(
            out,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if digits > 0 {
            let d = u32::from(digits.min(9));
            let div = 10u32.pow(9u32.saturating_sub(d));
            let v = self.nanos.checked_div(div).unwrap_or(0);
            let _ = write!(out, ".{v:0width$}", width = usize::from(digits.min(9)));
        }
        out.push_str(suffix);
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
#[expect(
    clippy::arithmetic_side_effects,
    reason = "bounded inputs: year <= 9999"
)]
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[expect(
    clippy::arithmetic_side_effects,
    reason = "bounded inputs: year <= 9999"
)]
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
    use super::*;
    use proptest::prelude::*;

    fn two_ref(s: &[u8], at: usize) -> Option<u8> {
        u8::try_from(digits(s.get(at..at.checked_add(2)?)?)?).ok()
    }

    /// The parser as it was before the digit arithmetic was inlined (the reference).
    fn parse_reference(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        let year = u16::try_from(digits(b.get(0..4)?)?).ok()?;
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') {
            return None;
        }
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(16) != Some(&b':') {
            return None;
        }
        let month = two_ref(b, 5)?;
        let day = two_ref(b, 8)?;
        let hour = two_ref(b, 11)?;
        let minute = two_ref(b, 14)?;
        let second = two_ref(b, 17)?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
            return None;
        }
        if second > 60 {
            return None;
        }
        let mut rest = b.get(19..)?;
        let mut nanos: u32 = 0;
        let mut frac_digits: u8 = 0;
        if let Some((b'.', tail)) = rest.split_first() {
            let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            let (frac, after) = tail.split_at_checked(n)?;
            let mut v = digits(frac)?;
            for _ in n..9 {
                v = v.checked_mul(10)?;
            }
            nanos = v;
            frac_digits = u8::try_from(n).ok()?;
            rest = after;
        }
        let offset_minutes = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let h = i16::try_from(digits(&[*h1, *h2])?).ok()?;
                let m = i16::try_from(digits(&[*m1, *m2])?).ok()?;
                let total = h.checked_mul(60)?.checked_add(m)?;
                if *sign == b'-' {
                    total.checked_neg()?
                } else {
                    total
                }
            }
            _ => return None,
        };
        Some(Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos,
            frac_digits,
            offset_minutes,
        })
    }

    proptest! {
        /// The parser agrees with its reference on timestamps and on near misses.
        #[test]
        fn parse_agrees_with_reference(
            t in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,11})?(Z|z|[+-][0-9]{2}:[0-9]{2})",
            at in 0usize..36,
            c in any::<char>(),
        ) {
            prop_assert_eq!(Timestamp::parse(&t), parse_reference(&t));
            let mut m: Vec<char> = t.chars().collect();
            if let Some(slot) = m.get_mut(at) {
                *slot = c;
            }
            let m: String = m.into_iter().collect();
            prop_assert_eq!(Timestamp::parse(&m), parse_reference(&m));
        }
    }

    #[test]
    fn precision_and_offsets() {
        for (s, digits) in [
            ("2022-12-14T16:05:59.7074374Z", 7),
            ("2019-03-18T23:23:52.522462Z", 6),
            ("2023-02-14T09:14:23.175Z", 3),
            ("2021-01-01T00:00:00.123456789Z", 9),
            ("2021-01-01T00:00:00Z", 0),
        ] {
            assert_eq!(Timestamp::parse(s).unwrap().frac_digits, digits, "{s}");
        }
        let t = Timestamp::parse("2022-12-14T17:07:03.324+01:00").unwrap();
        let mut s = String::new();
        t.to_utc().write_with(3, "+00:00", &mut s);
        assert_eq!(s, "2022-12-14T16:07:03.324+00:00");
        let t = Timestamp::parse("2022-01-01T00:30:00-01:00")
            .unwrap()
            .to_utc();
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute),
            (2022, 1, 1, 1, 30)
        );
        let t = Timestamp::parse("2022-01-01T00:30:00+01:00")
            .unwrap()
            .to_utc();
        assert_eq!((t.year, t.month, t.day, t.hour), (2021, 12, 31, 23));
        assert!(Timestamp::parse("2022-13-01T00:00:00Z").is_none());
        assert!(Timestamp::parse("2022-01-01T00:00:00.Z").is_none());
        assert!(Timestamp::parse("").is_none());
    }
}
