//! Dates without a clock (the core has none; the time comes in as a number): checking ISO 8601
//! dates and date-times before they become SQL literals, reading them as epoch milliseconds,
//! and writing epoch seconds as `YYYY-MM-DD HH:MM UTC`. No date library: the core only decides
//! whether PostgreSQL will take the text as is, and writes one format.

/// What a date-time text holds besides the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeShape {
    /// A time of day follows the date.
    pub has_time: bool,
    /// An offset (`Z`, `+02:00`, `-0500`, `+02`) follows the time.
    pub has_offset: bool,
}

/// `YYYY-MM-DD` with a real month and day (leap years included): `(year, month, day)`.
pub fn parse_date(text: &str) -> Option<(u32, u32, u32)> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    (year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in(year, month))
        .then_some((year, month, day))
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fraction]]`, optionally
/// followed by `Z` or `±HH[[:]MM]`.
pub fn parse_date_time(text: &str) -> Option<DateTimeShape> {
    if text.len() < 10 || !text.is_char_boundary(10) {
        return None;
    }
    parse_date(&text[..10])?;
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(DateTimeShape {
            has_time: false,
            has_offset: false,
        });
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let b = rest.as_bytes();
    if b.len() < 5 || b[2] != b':' || digits(&b[0..2])? > 23 || digits(&b[3..5])? > 59 {
        return None;
    }
    let mut at = 5;
    if b.get(at) == Some(&b':') {
        if b.len() < at + 3 || digits(&b[at + 1..at + 3])? > 60 {
            return None;
        }
        at += 3;
        if b.get(at) == Some(&b'.') {
            let fraction = b[at + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if fraction == 0 {
                return None;
            }
            at += 1 + fraction;
        }
    }
    let offset = &rest[at..];
    let has_offset = !offset.is_empty();
    (offset.is_empty() || valid_offset(offset)).then_some(DateTimeShape {
        has_time: true,
        has_offset,
    })
}

/// Milliseconds since 1970 of an ISO 8601 date-time with an offset (`2026-11-24T06:10:00.123Z`,
/// as Netlify dates its deploys); `None` for anything else. Hand-written: a date library would
/// cost wasm size for this one conversion.
pub fn epoch_ms(text: &str) -> Option<u64> {
    let shape = parse_date_time(text)?;
    if !shape.has_time || !shape.has_offset {
        return None;
    }
    let (year, month, day) = parse_date(&text[..10])?;
    let b = &text.as_bytes()[11..];
    let hours = u64::from(digits(&b[0..2])?);
    let minutes = u64::from(digits(&b[3..5])?);
    let (seconds, mut at) = if b.get(5) == Some(&b':') {
        (u64::from(digits(&b[6..8])?), 8)
    } else {
        (0, 5)
    };
    let mut millis = 0;
    if b.get(at) == Some(&b'.') {
        let fraction: Vec<u8> = b[at + 1..]
            .iter()
            .copied()
            .take_while(u8::is_ascii_digit)
            .collect();
        at += 1 + fraction.len();
        let padded: Vec<u8> = fraction.iter().copied().chain(*b"000").take(3).collect();
        millis = u64::from(digits(&padded)?);
    }
    let offset = &text[11 + at..];
    let offset_minutes: i64 = match offset.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign, rest @ ..] => {
            let digits_only: Vec<u8> = rest.iter().copied().filter(|c| *c != b':').collect();
            let h = i64::from(digits(&digits_only[..2])?);
            let m = if digits_only.len() == 4 {
                i64::from(digits(&digits_only[2..])?)
            } else {
                0
            };
            if *sign == b'-' {
                -(h * 60 + m)
            } else {
                h * 60 + m
            }
        }
        [] => return None,
    };
    // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    let (y, m) = if month <= 2 {
        (i64::from(year) - 1, i64::from(month) + 9)
    } else {
        (i64::from(year), i64::from(month) - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds =
        days * 86_400 + (hours * 3600 + minutes * 60 + seconds) as i64 - offset_minutes * 60;
    u64::try_from(seconds).ok().map(|s| s * 1000 + millis)
}

fn valid_offset(offset: &str) -> bool {
    if offset == "Z" || offset == "z" {
        return true;
    }
    let b = offset.as_bytes();
    if b[0] != b'+' && b[0] != b'-' {
        return false;
    }
    let rest = &b[1..];
    let (hours, minutes) = match rest.len() {
        2 => (digits(rest), Some(0)),
        4 => (digits(&rest[..2]), digits(&rest[2..])),
        5 if rest[2] == b':' => (digits(&rest[..2]), digits(&rest[3..])),
        _ => return false,
    };
    matches!((hours, minutes), (Some(h), Some(m)) if h <= 15 && m <= 59)
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD HH:MM UTC` for epoch seconds (proleptic Gregorian calendar).
pub fn utc_minute(time_s: i64) -> String {
    let days = time_s.div_euclid(86_400);
    let secs = time_s.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// `(year, month, day, hour, minute, second)` in UTC for epoch seconds.
pub fn utc_parts(time_s: i64) -> (i64, u32, u32, i64, i64, i64) {
    let days = time_s.div_euclid(86_400);
    let secs = time_s.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (y, m, d, secs / 3600, (secs % 3600) / 60, secs % 60)
}

/// Days since 1970-01-01 to (year, month, day): Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_in_utc() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_minute(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_minute(1_795_500_000), "2026-11-24 06:00 UTC");
        assert_eq!(utc_minute(951_868_799), "2000-02-29 23:59 UTC");
    }

    #[test]
    fn epoch_milliseconds() {
        assert_eq!(epoch_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            epoch_ms("2026-11-24T06:10:00.123Z"),
            Some(1_795_500_600_123)
        );
        assert_eq!(
            epoch_ms("2026-11-24T08:10:00.1+02:00"),
            Some(1_795_500_600_100)
        );
        assert_eq!(epoch_ms("2000-02-29T23:59:59-0100"), Some(951_872_399_000));
        assert_eq!(epoch_ms("2026-11-24"), None);
        assert_eq!(epoch_ms("2026-11-24T06:10:00"), None);
        assert_eq!(epoch_ms("yesterday"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2000-02-29"), Some((2000, 2, 29)));
        for bad in [
            "1900-02-29",
            "2024-04-31",
            "2024-00-10",
            "0000-01-01",
            "2024-01-1",
            "2024/01/01",
            "２０２４-01-01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn date_times() {
        let shape = |t: bool, o: bool| {
            Some(DateTimeShape {
                has_time: t,
                has_offset: o,
            })
        };
        assert_eq!(parse_date_time("2024-05-01"), shape(false, false));
        assert_eq!(parse_date_time("2024-05-01T10:00"), shape(true, false));
        assert_eq!(
            parse_date_time("2024-05-01T10:00:59.123456"),
            shape(true, false)
        );
        assert_eq!(parse_date_time("2024-05-01 10:00:00Z"), shape(true, true));
        assert_eq!(
            parse_date_time("2024-05-01T10:00:00.5+05:30"),
            shape(true, true)
        );
        assert_eq!(
            parse_date_time("2024-05-01T10:00:00-0800"),
            shape(true, true)
        );
        assert_eq!(parse_date_time("2024-05-01T10:00:00+02"), shape(true, true));
        for bad in [
            "2024-05-01T24:00:00",
            "2024-05-01T10:60",
            "2024-05-01T10:00:00.",
            "2024-05-01T10:00:00 UTC",
            "2024-05-01T10:00:00+2",
            "2024-05-01X10:00",
            "2024-05-01T1",
            "2024-05-01Té",
        ] {
            assert_eq!(parse_date_time(bad), None, "{bad}");
        }
    }
}
