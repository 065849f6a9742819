//! Checking ISO 8601 dates and date-times before they become SQL literals (the core has no
//! date library and needs none: it only decides whether PostgreSQL will take the text as is).

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

#[cfg(test)]
mod tests {
    use super::*;

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
