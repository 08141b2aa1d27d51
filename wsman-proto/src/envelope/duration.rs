//! `xs:duration` values as WS-Management uses them (`PT60.000S`, `PT3600.000S`, `P1D`).

use std::fmt;
use std::time::Duration;

/// An `xs:duration` without years or months (which have no fixed length), at millisecond
/// precision. Displays the way Windows writes it: `PT<seconds>.<millis>S`.
///
/// ```
/// use wsman_proto::XsDuration;
/// let d: XsDuration = "PT60.000S".parse()?;
/// assert_eq!(d.as_millis(), 60_000);
/// assert_eq!(XsDuration::from_millis(3_600_000).to_string(), "PT3600.000S");
/// assert_eq!("P1DT1H".parse::<XsDuration>()?.as_millis(), 90_000_000);
/// # Ok::<(), wsman_proto::InvalidDuration>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct XsDuration(u64);

/// The text is not a supported `xs:duration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid xs:duration")]
pub struct InvalidDuration;

impl XsDuration {
    /// A duration of `ms` milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        Self(ms)
    }
    /// A duration of `s` seconds (saturating).
    pub const fn from_secs(s: u64) -> Self {
        Self(s.saturating_mul(1000))
    }
    /// Milliseconds.
    pub const fn as_millis(self) -> u64 {
        self.0
    }
    /// As a `std::time::Duration`.
    pub const fn to_std(self) -> Duration {
        Duration::from_millis(self.0)
    }
}

impl fmt::Display for XsDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PT{}.{:03}S", self.0 / 1000, self.0 % 1000)
    }
}

impl std::str::FromStr for XsDuration {
    type Err = InvalidDuration;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let rest = s.strip_prefix('P').ok_or(InvalidDuration)?;
        if rest.is_empty() {
            return Err(InvalidDuration);
        }
        let (date, time) = match rest.split_once('T') {
            Some((_, "")) => return Err(InvalidDuration),
            Some((d, t)) => (d, t),
            None => (rest, ""),
        };
        let mut ms: u64 = 0;
        let mut add = |n: u64, unit: u64| -> Result<(), InvalidDuration> {
            ms = n
                .checked_mul(unit)
                .and_then(|v| ms.checked_add(v))
                .ok_or(InvalidDuration)?;
            Ok(())
        };
        let mut num = String::new();
        for c in date.chars() {
            match c {
                '0'..='9' => num.push(c),
                'D' => {
                    add(parse_int(&num)?, 86_400_000)?;
                    num.clear();
                }
                // Years and months have no fixed length: accepted only as zero (`P0Y0M…`,
                // which some WS-Management stacks write).
                'Y' | 'M' => {
                    if parse_int(&num)? != 0 {
                        return Err(InvalidDuration);
                    }
                    num.clear();
                }
                _ => return Err(InvalidDuration),
            }
        }
        if !num.is_empty() {
            return Err(InvalidDuration);
        }
        for c in time.chars() {
            match c {
                '0'..='9' | '.' => num.push(c),
                'H' => {
                    add(parse_int(&num)?, 3_600_000)?;
                    num.clear();
                }
                'M' => {
                    add(parse_int(&num)?, 60_000)?;
                    num.clear();
                }
                'S' => {
                    let (int, frac) = num.split_once('.').unwrap_or((num.as_str(), ""));
                    if int.is_empty() && frac.is_empty() {
                        return Err(InvalidDuration);
                    }
                    let secs = if int.is_empty() { 0 } else { parse_int(int)? };
                    if !frac.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(InvalidDuration);
                    }
                    let mut millis: u64 = 0;
                    for (i, b) in frac.bytes().take(3).enumerate() {
                        let digit = u64::from(b.wrapping_sub(b'0'));
                        let scale = match i {
                            0 => 100,
                            1 => 10,
                            _ => 1,
                        };
                        millis = millis.saturating_add(digit.saturating_mul(scale));
                    }
                    add(secs, 1000)?;
                    add(millis, 1)?;
                    num.clear();
                }
                _ => return Err(InvalidDuration),
            }
        }
        if !num.is_empty() {
            return Err(InvalidDuration);
        }
        Ok(Self(ms))
    }
}

fn parse_int(s: &str) -> Result<u64, InvalidDuration> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InvalidDuration);
    }
    s.parse().map_err(|_| InvalidDuration)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xs:duration lexical forms (XML Schema part 2, 3.2.6.1) as WS-Management peers write them.
    #[test]
    fn forms() {
        for (text, ms) in [
            ("PT60.000S", 60_000),
            ("PT60S", 60_000),
            ("PT60.0S", 60_000),
            ("PT0.5S", 500),
            ("PT.5S", 500),
            ("PT1.0000001S", 1_000),
            ("PT1M", 60_000),
            ("PT1H", 3_600_000),
            ("P1D", 86_400_000),
            ("P0Y0M0DT0H1M0S", 60_000),
            (" PT5S ", 5_000),
        ] {
            assert_eq!(
                text.parse::<XsDuration>(),
                Ok(XsDuration::from_millis(ms)),
                "{text}"
            );
        }
        for bad in [
            "", "P", "PT", "PT-1S", "-PT1S", "P1Y", "P1M", "PT1", "PTS", "PT1.S1", "1S",
            "PT1.2.3S", "P1H",
        ] {
            assert_eq!(bad.parse::<XsDuration>(), Err(InvalidDuration), "{bad}");
        }
        assert_eq!(XsDuration::from_millis(60_500).to_string(), "PT60.500S");
    }
}
