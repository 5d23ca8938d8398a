//! The dates of a history file: ISO dates and date-times, and the two
//! slashed forms `MM/DD/YYYY` and `DD/MM/YYYY`, which are told apart only
//! when the file itself settles it (a day above 12 somewhere) or the user
//! names the format (issue 20: "DD/MM/YYYY only when unambiguous or told").
//!
//! The model counts whole days (credit-rules §4c: a response arrives
//! `ceil(delay)` days after sending), so a time of day is read, checked for
//! shape, and dropped: only the calendar date matters. One exception: when
//! both a send and its reply carry a UTC offset, the reply's day is taken
//! in the send's zone ([`reply_day_in_send_zone`]), so that a reply written
//! in another zone is never "before" its send.

use crate::calendar::Date;

/// How the slashed dates of a file are read. ISO dates are always accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateFormat {
    /// ISO; slashed dates read as whichever order the file settles.
    #[default]
    Auto,
    /// `YYYY-MM-DD` (optionally with a time) only.
    Iso,
    /// `MM/DD/YYYY` (US exports).
    MonthFirst,
    /// `DD/MM/YYYY`.
    DayFirst,
}

impl DateFormat {
    /// The names a user may give: `auto`, `iso`, `mm/dd/yyyy`, `dd/mm/yyyy`.
    pub fn from_name(name: &str) -> Option<DateFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(DateFormat::Auto),
            "iso" | "yyyy-mm-dd" => Some(DateFormat::Iso),
            "mm/dd/yyyy" => Some(DateFormat::MonthFirst),
            "dd/mm/yyyy" => Some(DateFormat::DayFirst),
            _ => None,
        }
    }

    /// The name a user gives for it (`--date-format`), for metadata.
    pub fn name(self) -> &'static str {
        match self {
            DateFormat::Auto => "auto",
            DateFormat::Iso => "iso",
            DateFormat::MonthFirst => "mm/dd/yyyy",
            DateFormat::DayFirst => "dd/mm/yyyy",
        }
    }

    /// What this format accepts, for error messages.
    pub fn allowed(self) -> &'static str {
        match self {
            DateFormat::Auto => {
                "a date as YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM], \
                 MM/DD/YYYY or DD/MM/YYYY (optionally followed by a time)"
            }
            DateFormat::Iso => {
                "a date as YYYY-MM-DD, optionally with a time (YYYY-MM-DDTHH:MM[:SS])"
            }
            DateFormat::MonthFirst => "a date as MM/DD/YYYY or YYYY-MM-DD, optionally with a time",
            DateFormat::DayFirst => "a date as DD/MM/YYYY or YYYY-MM-DD, optionally with a time",
        }
    }
}

/// A date cell as read, before the slashed order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawDate {
    Iso(Date),
    /// `a/b/year`, order unknown yet.
    Slashed {
        a: u32,
        b: u32,
        year: i32,
    },
}

/// What the slashed dates of a file allow: which orders give real dates
/// for every one of them, and which cells decided it (for the messages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlashOrders {
    /// The first cell that is no date as `MM/DD/YYYY`.
    pub not_month_first: Option<Cell>,
    /// The first cell that is no date as `DD/MM/YYYY`.
    pub not_day_first: Option<Cell>,
    /// The first cell that reads as two different real dates.
    pub two_ways: Option<Cell>,
}

/// Where a date cell is: its row (line) and column, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub row: u64,
    pub column: String,
    pub value: String,
}

impl SlashOrders {
    /// Narrows the possible orders by one date cell.
    pub fn see(&mut self, raw: RawDate, cell: impl FnOnce() -> Cell) {
        if let RawDate::Slashed { a, b, year } = raw {
            let (mf, df) = (make(year, a, b).is_some(), make(year, b, a).is_some());
            let slot = if !mf {
                &mut self.not_month_first
            } else if !df {
                &mut self.not_day_first
            } else if a != b {
                &mut self.two_ways
            } else {
                return;
            };
            if slot.is_none() {
                *slot = Some(cell());
            }
        }
    }
}

fn make(year: i32, month: u32, day: u32) -> Option<Date> {
    Date::parse(&format!("{year:04}-{month:02}-{day:02}"))
}

/// Reads one cell; `None` when it is no date of any accepted shape (the
/// slashed order is settled later by [`resolve`]).
pub fn read(cell: &str, format: DateFormat) -> Option<RawDate> {
    let cell = cell.trim();
    let (date, time) = match cell.find(['T', 't', ' ']) {
        Some(i) => (&cell[..i], Some(cell[i + 1..].trim())),
        None => (cell, None),
    };
    if let Some(time) = time {
        if !is_time(time) {
            return None;
        }
    }
    if date.contains('/') {
        if format == DateFormat::Iso {
            return None;
        }
        let mut parts = date.split('/');
        let a = small_number(parts.next()?, 2)?;
        let b = small_number(parts.next()?, 2)?;
        let year_text = parts.next()?;
        if parts.next().is_some() || year_text.len() != 4 {
            return None;
        }
        let year = i32::try_from(small_number(year_text, 4)?).ok()?;
        let raw = RawDate::Slashed { a, b, year };
        // Impossible in the told order, or in both orders: not a date.
        return match format {
            DateFormat::MonthFirst => make(year, a, b).map(|_| raw),
            DateFormat::DayFirst => make(year, b, a).map(|_| raw),
            _ => (make(year, a, b).is_some() || make(year, b, a).is_some()).then_some(raw),
        };
    }
    Date::parse_iso(date).map(RawDate::Iso)
}

/// The date of a read cell once the slashed order is known (`day_first`).
pub fn resolve(raw: RawDate, day_first: bool) -> Option<Date> {
    match raw {
        RawDate::Iso(d) => Some(d),
        RawDate::Slashed { a, b, year } if day_first => make(year, b, a),
        RawDate::Slashed { a, b, year } => make(year, a, b),
    }
}

/// An ISO date-time with a UTC offset (`Z` or `±HH:MM`): its instant, in
/// minutes since 1970-01-01 00:00 UTC, and its offset in minutes. `None`
/// for a date alone, a time without an offset, or a slashed date.
fn zoned(cell: &str) -> Option<(i64, i64)> {
    let cell = cell.trim();
    let i = cell.find(['T', 't', ' '])?;
    let date = Date::parse_iso(&cell[..i])?;
    let time = cell[i + 1..].trim();
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else {
        let at = time.rfind(['+', '-']).filter(|&at| at >= 5)?;
        let zone = &time[at + 1..];
        let hours = i64::from(small_number(zone.get(..2)?, 2)?);
        let minutes = i64::from(small_number(zone.get(3..)?, 2)?);
        let sign = if time[at..].starts_with('-') { -1 } else { 1 };
        (&time[..at], sign * (hours * 60 + minutes))
    };
    if !is_time(time) {
        return None;
    }
    let hours = i64::from(small_number(clock.get(..2)?, 2)?);
    let minutes = i64::from(small_number(clock.get(3..5)?, 2)?);
    let local = date.to_epoch_days() * 1440 + hours * 60 + minutes;
    Some((local - offset, offset))
}

/// The reply's day as the calendar of the send's zone shows it, when both
/// cells carry a UTC offset; `None` otherwise (the reply's own date
/// stands). A send at 08:00+09:00 on 10 June answered at 20:00-05:00 on 9
/// June was answered two hours later, on 10 June in Tokyo: read as the
/// written dates it would be a reply before its send (an independent
/// check, fifteenth session). Converting both to UTC instead would move
/// a single-zone user's evening sends to the next day.
pub fn reply_day_in_send_zone(sent: &str, replied: &str) -> Option<Date> {
    let (_, send_offset) = zoned(sent)?;
    let (reply_utc, _) = zoned(replied)?;
    Some(Date::from_epoch_days(
        (reply_utc + send_offset).div_euclid(1440),
    ))
}

/// Digits only, 1 to `max` of them.
fn small_number(text: &str, max: usize) -> Option<u32> {
    let ok = !text.is_empty() && text.len() <= max && text.bytes().all(|c| c.is_ascii_digit());
    if ok { text.parse().ok() } else { None }
}

/// `HH:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, then optionally `Z` or `±HH:MM`.
fn is_time(text: &str) -> bool {
    let text = text.trim_end_matches(['Z', 'z']);
    let clock = match text.rfind(['+', '-']) {
        Some(i) if i >= 5 => {
            let zone = &text[i + 1..];
            let ok = zone.len() == 5 && is_clock(zone, false);
            if !ok {
                return false;
            }
            &text[..i]
        }
        _ => text,
    };
    is_clock(clock, true)
}

fn is_clock(text: &str, seconds_allowed: bool) -> bool {
    let mut parts = text.splitn(3, ':');
    let hours = parts
        .next()
        .and_then(|h| (h.len() == 2).then(|| small_number(h, 2)));
    let minutes = parts
        .next()
        .and_then(|m| (m.len() == 2).then(|| small_number(m, 2)));
    let seconds_ok = match parts.next() {
        None => true,
        Some(s) if seconds_allowed => {
            let whole = s.split('.').next().unwrap_or("");
            whole.len() == 2 && small_number(whole, 2).is_some_and(|s| s <= 60)
        }
        Some(_) => false,
    };
    matches!(hours, Some(Some(h)) if h <= 23)
        && matches!(minutes, Some(Some(m)) if m <= 59)
        && seconds_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date {
            year: y,
            month: m,
            day,
        }
    }

    fn auto(cell: &str) -> Option<Date> {
        read(cell, DateFormat::Auto).and_then(|r| resolve(r, false))
    }

    #[test]
    fn iso_dates_and_date_times_keep_only_the_day() {
        for cell in [
            "2026-03-04",
            " 2026-03-04 ",
            "2026-03-04T09:15",
            "2026-03-04T09:15:30",
            "2026-03-04T09:15:30.250Z",
            "2026-03-04T23:59:59+05:30",
            "2026-03-04 09:15:30",
            "2026-03-04T09:15:30-08:00",
        ] {
            assert_eq!(auto(cell), Some(d(2026, 3, 4)), "{cell}");
        }
    }

    #[test]
    fn a_reply_in_another_zone_is_dated_in_the_send_zone() {
        let day = |s: &str, r: &str| reply_day_in_send_zone(s, r);
        // Two hours after a Tokyo send, written in New York's evening of
        // the day before.
        assert_eq!(
            day("2026-06-10T08:00:00+09:00", "2026-06-09T20:00:00-05:00"),
            Some(d(2026, 6, 10))
        );
        // One zone throughout: the reply's own date.
        assert_eq!(
            day("2026-06-09T21:30-05:00", "2026-06-10T00:15-05:00"),
            Some(d(2026, 6, 10))
        );
        assert_eq!(
            day("2026-06-09T23:59Z", "2026-06-10T05:00+05:30"),
            Some(d(2026, 6, 9))
        );
        assert_eq!(
            day("2026-12-31T23:00+00:00", "2027-01-01T01:00+03:00"),
            Some(d(2026, 12, 31))
        );
        // Either without an offset: nothing to convert.
        for (s, r) in [
            ("2026-06-10", "2026-06-09T20:00-05:00"),
            ("2026-06-10T08:00+09:00", "2026-06-11"),
            ("2026-06-10T08:00+09:00", "2026-06-11T08:00"),
            ("06/10/2026 08:00+09:00", "2026-06-11T08:00Z"),
            ("2026-06-10T08:00+9", "2026-06-11T08:00Z"),
        ] {
            assert_eq!(day(s, r), None, "{s} {r}");
        }
    }

    #[test]
    fn malformed_cells_are_not_dates() {
        for cell in [
            "",
            "2026-02-30",
            "2026-3-4x",
            "26-03-04",
            "2026-03-04T25:00",
            "2026-03-04T09:61",
            "2026-03-04 noon",
            "13/13/2026",
            "03/04/26",
            "03/04/2026/1",
            "tomorrow",
            "2026-03-04T09:15+5",
        ] {
            assert_eq!(read(cell, DateFormat::Auto), None, "{cell}");
        }
        assert_eq!(read("03/04/2026", DateFormat::Iso), None);
        assert_eq!(read("13/04/2026", DateFormat::MonthFirst), None);
        assert_eq!(read("04/13/2026", DateFormat::DayFirst), None);
    }

    #[test]
    fn the_file_settles_the_slashed_order() {
        let cell = |v: &str| Cell {
            row: 2,
            column: "sent".into(),
            value: v.into(),
        };
        let mut orders = SlashOrders::default();
        for v in ["03/04/2026", "2026-01-01", "12/11/2026", "05/05/2026"] {
            orders.see(read(v, DateFormat::Auto).unwrap(), || cell(v));
        }
        assert_eq!(orders.two_ways, Some(cell("03/04/2026")));
        assert_eq!(
            (&orders.not_month_first, &orders.not_day_first),
            (&None, &None)
        );
        orders.see(read("25/12/2026", DateFormat::Auto).unwrap(), || {
            cell("25/12/2026")
        });
        assert_eq!(orders.not_month_first, Some(cell("25/12/2026")));
        let raw = read("03/04/2026", DateFormat::Auto).unwrap();
        assert_eq!(resolve(raw, true), Some(d(2026, 4, 3)));
        assert_eq!(resolve(raw, false), Some(d(2026, 3, 4)));
        orders.see(read("12/25/2026", DateFormat::Auto).unwrap(), || {
            cell("12/25/2026")
        });
        assert_eq!(orders.not_day_first, Some(cell("12/25/2026")));
    }

    #[test]
    fn format_names_are_read() {
        assert_eq!(
            DateFormat::from_name("DD/MM/YYYY"),
            Some(DateFormat::DayFirst)
        );
        assert_eq!(
            DateFormat::from_name("mm/dd/yyyy"),
            Some(DateFormat::MonthFirst)
        );
        assert_eq!(DateFormat::from_name("iso"), Some(DateFormat::Iso));
        assert_eq!(DateFormat::from_name("yyyy/mm/dd"), None);
    }
}
