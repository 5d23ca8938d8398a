//! The dates of a history file: ISO dates and date-times, and the two
//! slashed forms `MM/DD/YYYY` and `DD/MM/YYYY`, which are told apart only
//! when the file itself settles it (a day above 12 somewhere) or the user
//! names the format (issue 20: "DD/MM/YYYY only when unambiguous or told").
//!
//! The model counts whole days (credit-rules §4c: a response arrives
//! `ceil(delay)` days after sending), so a time of day is read, checked for
//! shape, and dropped: only the calendar date matters. One exception: a
//! reply written on an earlier date than its send, in another zone, but by
//! the two UTC offsets after it ([`answered_after_send`]), is taken as
//! answered on the send's day rather than refused as before its send.

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
                "a date as YYYY-MM-DD, MM/DD/YYYY or DD/MM/YYYY, optionally followed by a \
                 time (HH:MM[:SS], or H:MM AM/PM) and a zone (Z, ±HH:MM or ±HHMM)"
            }
            DateFormat::Iso => {
                "a date as YYYY-MM-DD, optionally with a time (YYYY-MM-DDTHH:MM[:SS], a zone \
                 Z, ±HH:MM or ±HHMM)"
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
    let (date, time) = split_date_time(cell);
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

/// A cell's date and its time, if any: split at `T` or the first space
/// of any kind (spreadsheets and macOS write a no-break space, U+00A0 or
/// U+202F, between date, time and AM/PM), a comma after the date dropped
/// (`01/05/2026, 10:25 AM`).
fn split_date_time(cell: &str) -> (&str, Option<&str>) {
    let split = |c: char| c == 'T' || c == 't' || c.is_whitespace();
    match cell.char_indices().find(|&(_, c)| split(c)) {
        Some((i, c)) => (
            cell[..i].trim_end_matches(','),
            Some(cell[i + c.len_utf8()..].trim()),
        ),
        None => (cell, None),
    }
}

/// An ISO date-time with a UTC offset: its instant, in minutes since
/// 1970-01-01 00:00 UTC. `None` for a date alone, a time without an
/// offset, or a slashed date.
fn zoned(cell: &str) -> Option<i64> {
    let (date, time) = split_date_time(cell.trim());
    let date = Date::parse_iso(date)?;
    let time = time_of(time?)?;
    Some(date.to_epoch_days() * 1440 + time.minutes - time.offset?)
}

/// Whether both cells carry a UTC offset and the reply's moment is not
/// before the send's. A send at 08:00+09:00 on 10 June answered at
/// 20:00-05:00 on 9 June was answered two hours later: by the written
/// dates it would be a reply before its send (an independent check,
/// fifteenth session). The caller keeps the written dates otherwise, so a
/// single-zone user's evening sends stay on their own day, and the as-of
/// checks and their messages read the dates the file shows.
pub fn answered_after_send(sent: &str, replied: &str) -> bool {
    match (zoned(sent), zoned(replied)) {
        (Some(send), Some(reply)) => reply >= send,
        _ => false,
    }
}

/// Digits only, 1 to `max` of them.
fn small_number(text: &str, max: usize) -> Option<u32> {
    let ok = !text.is_empty() && text.len() <= max && text.bytes().all(|c| c.is_ascii_digit());
    if ok { text.parse().ok() } else { None }
}

/// A time of day as read: minutes after midnight, and the UTC offset in
/// minutes when the cell gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Time {
    minutes: i64,
    offset: Option<i64>,
}

fn is_time(text: &str) -> bool {
    time_of(text).is_some()
}

/// `H:MM`, `HH:MM:SS`, `HH:MM:SS.fff`, or a 12-hour clock (`10:25 AM`,
/// `9:05pm`), then optionally `Z` or an offset (`±HH:MM`, `±HHMM`, `±HH`),
/// with or without a space before it: the shapes CRM exports write (an
/// independent walkthrough found `01/05/2026 10:25 AM`, `9:05` and
/// `-0500` refused). One `Z` at most, never after an offset.
fn time_of(text: &str) -> Option<Time> {
    let (rest, offset) = split_zone(text.trim())?;
    let (clock, pm) = split_half(rest.trim_end());
    Some(Time {
        minutes: clock_minutes(clock.trim_end(), pm)?,
        offset,
    })
}

/// The clock and its zone: `Z` is 0, an offset its minutes, else none.
fn split_zone(text: &str) -> Option<(&str, Option<i64>)> {
    // The offset's sign comes after the clock's `H:MM` at the least.
    let zone_at = |t: &str| t.rfind(['+', '-']).filter(|&i| i >= 4);
    if let Some(rest) = text.strip_suffix(['Z', 'z']) {
        let twice = rest.ends_with(['Z', 'z']) || zone_at(rest).is_some();
        return (!twice).then_some((rest, Some(0)));
    }
    match zone_at(text) {
        Some(at) => Some((&text[..at], Some(offset_minutes(&text[at..])?))),
        None => Some((text, None)),
    }
}

/// `±HH:MM`, `±HHMM` or `±HH` in minutes, at most 14 hours.
fn offset_minutes(zone: &str) -> Option<i64> {
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits = zone.get(1..)?;
    let (h, m) = match digits.len() {
        5 if digits.as_bytes()[2] == b':' => (&digits[..2], &digits[3..]),
        4 => (&digits[..2], &digits[2..]),
        2 => (digits, "00"),
        _ => return None,
    };
    let (h, m) = (small_number(h, 2)?, small_number(m, 2)?);
    // Real offsets run from -12:00 to +14:00: `+23:59` is no zone, and
    // would let a reply written two days before its send pass as after it.
    let minutes = i64::from(h * 60 + m);
    (m <= 59 && minutes <= 14 * 60).then_some(sign * minutes)
}

/// The clock and whether it is `PM` (`Some(false)` for `AM`, `None` for a
/// 24-hour clock).
fn split_half(text: &str) -> (&str, Option<bool>) {
    let n = text.len();
    let tail = text.get(n.saturating_sub(2)..).unwrap_or("");
    match tail.to_ascii_lowercase().as_str() {
        "am" => (&text[..n - 2], Some(false)),
        "pm" => (&text[..n - 2], Some(true)),
        _ => (text, None),
    }
}

/// `H:MM`, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff` in minutes after midnight;
/// a 12-hour clock (`pm` given) runs from 1 to 12.
fn clock_minutes(clock: &str, pm: Option<bool>) -> Option<i64> {
    let mut parts = clock.splitn(3, ':');
    let (h, m) = (parts.next()?, parts.next()?);
    if !(1..=2).contains(&h.len()) || m.len() != 2 {
        return None;
    }
    let (h, m) = (small_number(h, 2)?, small_number(m, 2)?);
    if let Some(s) = parts.next() {
        let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
        let fraction_ok = !fraction.is_empty() && fraction.bytes().all(|c| c.is_ascii_digit());
        if whole.len() != 2 || small_number(whole, 2)? > 60 || !fraction_ok {
            return None;
        }
    }
    let h = match pm {
        None if h <= 23 => h,
        Some(pm) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
        _ => return None,
    };
    (m <= 59).then_some(i64::from(h * 60 + m))
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
    fn a_reply_is_after_its_send_by_their_utc_offsets() {
        let after = answered_after_send;
        // Two hours after a Tokyo send, written in New York's evening of
        // the day before.
        assert!(after(
            "2026-06-10T08:00:00+09:00",
            "2026-06-09T20:00:00-05:00"
        ));
        // Five hours before, though written on the same day.
        assert!(!after("2026-06-10T01:00Z", "2026-06-10T10:00+14:00"));
        // Negative offsets, minutes, a year's end, lowercase z.
        assert!(after("2026-12-31T23:30-03:30", "2027-01-01T03:00z"));
        assert!(!after("2026-12-31T23:30-03:30", "2027-01-01T02:59Z"));
        assert!(after(
            "2026-06-09T23:59+00:00",
            "2026-06-10T05:29:59.5+05:30"
        ));
        // Either without an offset, or a slashed date: nothing to compare.
        for (s, r) in [
            ("2026-06-10", "2026-06-09T20:00-05:00"),
            ("2026-06-10T08:00+09:00", "2026-06-11"),
            ("2026-06-10T08:00+09:00", "2026-06-11T08:00"),
            ("06/10/2026 08:00+09:00", "2026-06-11T08:00Z"),
        ] {
            assert!(!after(s, r), "{s} {r}");
        }
    }

    #[test]
    fn crm_time_shapes_are_read_and_keep_only_the_day() {
        for cell in [
            "01/05/2026 10:25 AM",
            "01/05/2026, 10:25 AM",
            "1/5/2026 9:05",
            "01/05/2026 9:05pm",
            "2026-01-05 10:25:00 -05:00",
            "2026-01-05T10:25:00-0500",
            "2026-01-05T10:25:00+05",
            "2026-01-05T12:00 AM",
            // Excel's and macOS's no-break spaces (U+00A0, U+202F).
            "01/05/2026\u{a0}10:25\u{a0}AM",
            "1/5/2026, 10:25\u{202f}AM",
        ] {
            assert_eq!(
                read(cell, DateFormat::MonthFirst).and_then(|r| resolve(r, false)),
                Some(d(2026, 1, 5)),
                "{cell}"
            );
        }
        let minutes = |t: &str| time_of(t).map(|t| (t.minutes, t.offset));
        assert_eq!(minutes("10:00+14:00"), Some((600, Some(840))));
        assert_eq!(minutes("10:00+23:59"), None);
        assert_eq!(minutes("10:00-1430"), None);
        assert_eq!(minutes("12:00 AM"), Some((0, None)));
        assert_eq!(minutes("12:30 pm"), Some((750, None)));
        assert_eq!(minutes("9:05 PM -0500"), Some((21 * 60 + 5, Some(-300))));
        assert_eq!(minutes("13:00 PM"), None);
        assert_eq!(minutes("0:30 AM"), None);
        assert_eq!(minutes("10:25:00."), None);
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
            "2026-03-04T08:00+09:00Z",
            "2026-03-04T08:00ZZ",
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
