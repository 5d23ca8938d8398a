//! The simulation clock: whole days counted from the subscription start date,
//! real calendar months and weekdays, and the renewal days that split the
//! horizon into cycles (credit-rules.md §1).
//!
//! Everything here is computed once per scenario and shared by every trial.

use std::fmt;

/// A proleptic Gregorian date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` when the text is not a real date.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse::<i32>().ok()?;
        let month = parts.next()?.parse::<u32>().ok()?;
        let day = parts.next()?.parse::<u32>().ok()?;
        let date = Date { year, month, day };
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(date)
    }

    /// Exactly `YYYY-MM-DD` (four, two and two digits), as a scenario's
    /// `start_date` and `--as-of` take it: [`Date::parse`] alone would read
    /// "26-01-01" as the year 26 and take "+2026-01-01" or "2026-1-5".
    pub fn parse_iso(text: &str) -> Option<Date> {
        let digits = |r: std::ops::Range<usize>| {
            text.get(r)
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
        };
        let written =
            text.len() == 10 && text.get(4..5) == Some("-") && text.get(7..8) == Some("-");
        let strict = written && digits(0..4) && digits(5..7) && digits(8..10);
        strict.then(|| Date::parse(text)).flatten()
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn to_epoch_days(self) -> i64 {
        // Howard Hinnant's days_from_civil: shift the year so it starts in
        // March, which puts the leap day at the end of the shifted year.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::to_epoch_days`].
    pub fn from_epoch_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.to_epoch_days() + 3).rem_euclid(7) as u32
    }

    pub fn is_weekend(self) -> bool {
        self.weekday() >= 5
    }

    /// The same day of month `months` months later, clamped to that month's
    /// last day (credit-rules §8.11: a start on Jan 31 renews on Feb 28, then
    /// Mar 31 — the clamp never sticks).
    pub fn add_months_clamped(self, months: u32) -> Date {
        let index = i64::from(self.year) * 12 + i64::from(self.month - 1) + i64::from(months);
        let year = index.div_euclid(12) as i32;
        let month = index.rem_euclid(12) as u32 + 1;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// The first day of the month after this one.
    pub fn first_of_next_month(self) -> Date {
        let first = Date { day: 1, ..self };
        first.add_months_clamped(1)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// When the monthly credits arrive (credit-rules §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renewal {
    /// The 1st of every calendar month, UTC (Sales Navigator, Help 57013).
    Calendar,
    /// The start date's day of month, clamped to short months (Premium and
    /// Recruiter, Help 75 / 412114).
    Anniversary,
}

/// The note `recommend` and `compare` print when options renew both ways
/// and the start is not the 1st: a calendar plan's first month is then
/// partial but charged and granted in full (credit-rules §8.10), so its
/// months cover fewer days than an anniversary plan's and their costs and
/// risks a month are not like for like. `None` otherwise.
pub fn late_start_note(start: Date, renewals: impl IntoIterator<Item = Renewal>) -> Option<String> {
    let renewals: Vec<Renewal> = renewals.into_iter().collect();
    let mixed = renewals.contains(&Renewal::Calendar) && renewals.contains(&Renewal::Anniversary);
    (mixed && start.day != 1).then(|| {
        format!(
            "Note: your scenario starts on {start}, not on the 1st, so a calendar plan's \
             (Sales Navigator's) first month is partial, charged in full and granted in full: \
             its months cover fewer days than an anniversary plan's, and its cost and risk \
             a month are not like for like; set start_date to the 1st of a month for a fair \
             choice."
        )
    })
}

/// One cycle: from a renewal day up to the day before the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cycle {
    /// Simulation day of the renewal that opens the cycle.
    pub first_day: u32,
    /// Number of days in the cycle.
    pub len: u32,
}

/// The horizon of one scenario: its cycles and the weekday of every day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Horizon {
    pub start: Date,
    /// The rule that placed the renewal days (a calendar plan started
    /// after the 1st has a partial first cycle).
    pub renewal: Renewal,
    pub cycles: Vec<Cycle>,
    /// `weekend[d]` is true when simulation day `d` is a Saturday or Sunday.
    pub weekend: Vec<bool>,
}

impl Horizon {
    /// Lays out `months` cycles from `start`. Day 0 is always a renewal day
    /// (the first allocation comes with the subscription, §1).
    pub fn new(start: Date, renewal: Renewal, months: u32) -> Horizon {
        let start_days = start.to_epoch_days();
        let mut renewals = Vec::with_capacity(months as usize + 1);
        renewals.push(start);
        for k in 1..=months {
            let next = match renewal {
                Renewal::Calendar => renewals[k as usize - 1].first_of_next_month(),
                Renewal::Anniversary => start.add_months_clamped(k),
            };
            renewals.push(next);
        }
        let offsets: Vec<u32> = renewals
            .iter()
            .map(|d| (d.to_epoch_days() - start_days) as u32)
            .collect();
        let cycles = offsets
            .windows(2)
            .map(|w| Cycle {
                first_day: w[0],
                len: w[1] - w[0],
            })
            .collect();
        let total_days = offsets[months as usize];
        let weekend = (0..total_days)
            .map(|d| Date::from_epoch_days(start_days + i64::from(d)).is_weekend())
            .collect();
        Horizon {
            start,
            renewal,
            cycles,
            weekend,
        }
    }

    /// Number of simulated days.
    pub fn days(&self) -> u32 {
        self.weekend.len() as u32
    }

    pub fn months(&self) -> u32 {
        self.cycles.len() as u32
    }

    /// Cycle `index` (0-based) as dates. Every output that shows a month
    /// takes its dates from here, so a CSV, the terminal and report.html
    /// cannot disagree on which days "month 3" is.
    pub fn period(&self, index: usize) -> Period {
        let cycle = self.cycles[index];
        let first = self.start.to_epoch_days() + i64::from(cycle.first_day);
        Period {
            start: Date::from_epoch_days(first),
            end: Date::from_epoch_days(first + i64::from(cycle.len) - 1),
            days: cycle.len,
            // §1: Sales Navigator renews on the 1st whatever the start, so a
            // start after the 1st gives a first cycle shorter than a month.
            // An anniversary plan's cycles are whole months (clamped, §8.11).
            partial: index == 0 && self.renewal == Renewal::Calendar && self.start.day != 1,
        }
    }

    /// The whole horizon in words: "1 Jan 2026 – 31 Dec 2026".
    pub fn span_label(&self) -> String {
        let (Some(first), Some(last)) = (self.cycles.first(), self.cycles.last()) else {
            return String::new();
        };
        let start = Date::from_epoch_days(self.start.to_epoch_days() + i64::from(first.first_day));
        let end_day = i64::from(last.first_day + last.len) - 1;
        let end = Date::from_epoch_days(self.start.to_epoch_days() + end_day);
        let day = |d: Date| format!("{} {} {:04}", d.day, d.month_name(), d.year);
        format!("{} – {}", day(start), day(end))
    }

    /// Every cycle as dates, in order.
    pub fn periods(&self) -> Vec<Period> {
        (0..self.cycles.len()).map(|i| self.period(i)).collect()
    }
}

/// One cycle as dates: from its renewal day to the day before the next,
/// both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Date,
    pub end: Date,
    pub days: u32,
    /// The first cycle of a calendar plan started after the 1st: from the
    /// start date to the end of that month.
    pub partial: bool,
}

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Date {
    fn month_name(self) -> &'static str {
        MONTH_NAMES[self.month as usize - 1]
    }
}

impl Period {
    /// A chart tick: "Jan" for a cycle that starts on the 1st, else its
    /// first day, "20 Jan"; a partial month is marked "*".
    pub fn short_label(&self) -> String {
        let mark = if self.partial { "*" } else { "" };
        if self.start.day == 1 {
            format!("{}{mark}", self.start.month_name())
        } else {
            format!("{} {}{mark}", self.start.day, self.start.month_name())
        }
    }

    /// The month as users say it: "Jan 2026" for a whole calendar month,
    /// else its days, "20 Jan – 31 Jan 2026" or "31 Dec 2026 – 30 Jan 2027".
    /// Years have four digits ("Jan 0001"): "Jan 1" would read as a day.
    pub fn label(&self) -> String {
        let (s, e) = (self.start, self.end);
        let whole_month = s.day == 1
            && s.year == e.year
            && s.month == e.month
            && e.day == days_in_month(e.year, e.month);
        if whole_month {
            return format!("{} {:04}", s.month_name(), s.year);
        }
        let end = format!("{} {} {:04}", e.day, e.month_name(), e.year);
        if s == e {
            // One day (a start on the last day before the renewal): a
            // range from a day to itself reads as a mistake.
            return end;
        }
        if s.year == e.year {
            format!("{} {} – {end}", s.day, s.month_name())
        } else {
            format!("{} {} {:04} – {end}", s.day, s.month_name(), s.year)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    #[test]
    fn epoch_day_round_trips_across_leap_years_and_centuries() {
        for days in -800_000..800_000 {
            if days % 997 != 0 {
                continue;
            }
            assert_eq!(Date::from_epoch_days(days).to_epoch_days(), days);
        }
        assert_eq!(date(1970, 1, 1).to_epoch_days(), 0);
        assert_eq!(date(2000, 3, 1).to_epoch_days(), 11_017);
    }

    #[test]
    fn the_default_start_date_is_a_thursday() {
        assert_eq!(date(2026, 1, 1).weekday(), 3);
        assert!(date(2026, 1, 3).is_weekend());
        assert!(!date(2026, 1, 5).is_weekend());
    }

    #[test]
    fn parse_rejects_impossible_dates() {
        assert_eq!(Date::parse("2026-01-31"), Some(date(2026, 1, 31)));
        assert_eq!(Date::parse("2024-02-29"), Some(date(2024, 2, 29)));
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("yesterday"), None);
    }

    #[test]
    fn anniversary_renewal_on_the_31st_clamps_month_by_month() {
        // credit-rules §8.11: Jan 31 → Feb 28 → Mar 31 → Apr 30.
        let h = Horizon::new(date(2026, 1, 31), Renewal::Anniversary, 4);
        let firsts: Vec<Date> = h
            .cycles
            .iter()
            .map(|c| {
                Date::from_epoch_days(date(2026, 1, 31).to_epoch_days() + i64::from(c.first_day))
            })
            .collect();
        assert_eq!(
            firsts,
            vec![
                date(2026, 1, 31),
                date(2026, 2, 28),
                date(2026, 3, 31),
                date(2026, 4, 30)
            ]
        );
        assert_eq!(h.cycles[0].len, 28);
        assert_eq!(h.cycles[1].len, 31);
    }

    #[test]
    fn calendar_renewal_from_mid_month_gives_a_short_first_cycle() {
        let h = Horizon::new(date(2026, 1, 15), Renewal::Calendar, 3);
        assert_eq!(
            h.cycles[0],
            Cycle {
                first_day: 0,
                len: 17
            }
        );
        assert_eq!(
            h.cycles[1],
            Cycle {
                first_day: 17,
                len: 28
            }
        );
        assert_eq!(
            h.cycles[2],
            Cycle {
                first_day: 45,
                len: 31
            }
        );
        assert_eq!(h.days(), 76);
    }

    /// (start, end, days, partial) of each period.
    fn periods(start: Date, renewal: Renewal, months: u32) -> Vec<(String, String, u32, bool)> {
        Horizon::new(start, renewal, months)
            .periods()
            .iter()
            .map(|p| (p.start.to_string(), p.end.to_string(), p.days, p.partial))
            .collect()
    }

    fn expect(rows: &[(&str, &str, u32, bool)]) -> Vec<(String, String, u32, bool)> {
        rows.iter()
            .map(|(s, e, d, p)| (s.to_string(), e.to_string(), *d, *p))
            .collect()
    }

    #[test]
    fn a_calendar_plan_started_on_the_20th_has_a_partial_first_month_then_whole_months() {
        // §1: Sales Navigator renews on the 1st: 20–31 Jan is 12 days.
        let got = periods(date(2026, 1, 20), Renewal::Calendar, 3);
        let want = expect(&[
            ("2026-01-20", "2026-01-31", 12, true),
            ("2026-02-01", "2026-02-28", 28, false),
            ("2026-03-01", "2026-03-31", 31, false),
        ]);
        assert_eq!(got, want);
        let labels: Vec<String> = Horizon::new(date(2026, 1, 20), Renewal::Calendar, 3)
            .periods()
            .iter()
            .map(Period::label)
            .collect();
        assert_eq!(labels, ["20 Jan – 31 Jan 2026", "Feb 2026", "Mar 2026"]);
        let h = Horizon::new(date(2026, 1, 20), Renewal::Calendar, 3);
        assert_eq!(h.period(0).short_label(), "20 Jan*");
        assert_eq!(h.period(1).short_label(), "Feb");
        assert_eq!(h.span_label(), "20 Jan 2026 – 31 Mar 2026");
    }

    #[test]
    fn a_calendar_plan_started_on_the_31st_has_a_one_day_first_month() {
        let got = periods(date(2026, 12, 31), Renewal::Calendar, 2);
        let want = expect(&[
            ("2026-12-31", "2026-12-31", 1, true),
            ("2027-01-01", "2027-01-31", 31, false),
        ]);
        assert_eq!(got, want);
        let h = Horizon::new(date(2026, 12, 31), Renewal::Calendar, 2);
        assert_eq!(h.period(0).label(), "31 Dec 2026");
        assert_eq!(h.period(1).label(), "Jan 2027");
    }

    #[test]
    fn an_anniversary_plan_started_on_the_20th_has_whole_months_from_the_20th() {
        let got = periods(date(2026, 1, 20), Renewal::Anniversary, 3);
        let want = expect(&[
            ("2026-01-20", "2026-02-19", 31, false),
            ("2026-02-20", "2026-03-19", 28, false),
            ("2026-03-20", "2026-04-19", 31, false),
        ]);
        assert_eq!(got, want);
        let h = Horizon::new(date(2026, 12, 20), Renewal::Anniversary, 1);
        assert_eq!(h.period(0).label(), "20 Dec 2026 – 19 Jan 2027");
    }

    #[test]
    fn an_anniversary_plan_started_on_the_31st_follows_the_clamped_renewals() {
        // §8.11: Jan 31 → Feb 28 → Mar 31 → Apr 30; no cycle is partial.
        let got = periods(date(2026, 1, 31), Renewal::Anniversary, 4);
        let want = expect(&[
            ("2026-01-31", "2026-02-27", 28, false),
            ("2026-02-28", "2026-03-30", 31, false),
            ("2026-03-31", "2026-04-29", 30, false),
            ("2026-04-30", "2026-05-30", 31, false),
        ]);
        assert_eq!(got, want);
        assert_eq!(
            Horizon::new(date(2026, 1, 31), Renewal::Anniversary, 1)
                .period(0)
                .label(),
            "31 Jan – 27 Feb 2026"
        );
    }

    #[test]
    fn a_plan_started_on_the_1st_has_no_partial_month_and_months_by_name() {
        for renewal in [Renewal::Calendar, Renewal::Anniversary] {
            let h = Horizon::new(date(2026, 1, 1), renewal, 12);
            assert!(h.periods().iter().all(|p| !p.partial));
            assert_eq!(h.period(1).label(), "Feb 2026");
            assert_eq!(h.period(11).end, date(2026, 12, 31));
        }
    }

    #[test]
    fn a_default_year_has_365_days_and_calendar_months() {
        let h = Horizon::new(date(2026, 1, 1), Renewal::Calendar, 12);
        assert_eq!(h.days(), 365);
        let lens: Vec<u32> = h.cycles.iter().map(|c| c.len).collect();
        assert_eq!(lens, vec![31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
        assert_eq!(h.weekend.iter().filter(|w| **w).count(), 104);
    }
}
