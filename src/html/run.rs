//! The `run` page: how often and when you run out, what it costs, and the
//! month-by-month table the terminal prints.

use super::words::{capitalised, count, dollars, horizon_words, months_in, percent};
use super::{Page, Table, standard_notes};
use crate::charts::Chart;
use crate::engine::Metric;
use crate::export::RunMetadata;
use crate::scenario::{AddonPolicy, Billing, Scenario, Volume};
use crate::sensitivity::rate_quantile;
use crate::stats::{Histogram, RunStats};

fn mean(h: &Histogram) -> f64 {
    h.summary().map_or(0.0, |s| s.mean)
}

/// The page of a finished run (or of the trials completed before Ctrl-C
/// with `--keep-partial`, which the subtitle says).
pub fn run_page(
    scenario: &Scenario,
    metadata: &RunMetadata,
    stats: &RunStats,
    charts: &[Chart],
) -> Page {
    let mut settings = vec![
        ("Scenario".to_string(), scenario.name.clone()),
        ("Scenario file".to_string(), metadata.scenario_file.clone()),
    ];
    let partial = if metadata.partial {
        " (partial: stopped by Ctrl-C; these are the trials completed)"
    } else {
        ""
    };
    settings.extend(scenario_settings(scenario));
    settings.extend(run_settings(scenario, stats.trials));
    Page {
        title: format!("{}: will the InMail credits last?", scenario.name),
        subtitle: crate::stats::noting_few_trials(
            format!(
                "inmail-sim run: {} x {}, seed {}{partial}",
                crate::numbers::count(stats.trials, "trial", "trials"),
                crate::numbers::count(u64::from(scenario.months), "month", "months"),
                scenario.seed
            ),
            stats.trials,
        ),
        headlines: headlines(scenario, stats),
        settings,
        charts: charts.to_vec(),
        tables: vec![month_table(scenario, stats), horizon_table(scenario, stats)],
        notes: standard_notes("summary.csv and histograms.csv"),
    }
}

/// The answers: how often and when you run out, over the horizon, the
/// cost, and the credits refunded and lost.
pub fn headlines(scenario: &Scenario, stats: &RunStats) -> Vec<String> {
    let months = stats.months();
    let m = months as f64;
    let months_out = stats.horizon_of(Metric::MonthsExhausted);
    let share = mean(months_out) / m;
    // The day of a month is counted from its renewal: the day of the
    // calendar month only for renewals on the 1st (anniversary renewals
    // fall on the start date's day, clamped in short months).
    let renewal_day = match scenario.horizon.renewal {
        crate::calendar::Renewal::Anniversary => scenario.start.day,
        crate::calendar::Renewal::Calendar => 1,
    };
    let mut lines = vec![running_out(stats, share, renewal_day)];
    let seat_days = scenario.seats.count > 1 && !scenario.seats.pooled;
    lines.extend(crate::stats::floor::run_note(stats, seat_days));
    let ever = months_out.share_at_least(1);
    if ever > 0.0 && months > 1 {
        let mut line = format!(
            "Over {months} months you run out at least once in {} of the {}",
            percent(ever),
            horizon_words(months)
        );
        if let Some(s) = stats.horizon_of(Metric::FirstExhaustedMonth).summary() {
            let label = usize::try_from(s.p50 - 1)
                .ok()
                .filter(|&c| c < scenario.horizon.cycles.len())
                .map_or(String::new(), |c| {
                    format!(" ({})", scenario.horizon.period(c).label())
                });
            line.push_str(&format!(
                "; the first time is month {}{label} at the median",
                s.p50
            ));
        }
        lines.push(format!("{line}."));
    }
    lines.push(cost_line(stats, months));
    let per_month = |metric| mean(stats.horizon_of(metric)) / m;
    // With a backlog a waiting InMail is tried each send day: attempts.
    let blocked = match scenario.demand.backlog {
        true => {
            "send attempts a month are blocked for lack of a credit, a waiting InMail \
                 counting each day it is retried"
        }
        false => "sends a month are blocked for lack of a credit",
    };
    lines.push(format!(
        "Each month {} credits come back as refunds for answered InMails and {} expire unused{}; \
         {} {blocked} (means).",
        count(per_month(Metric::Refunds)),
        count(per_month(Metric::Expired)),
        forfeited_clause(scenario, stats),
        count(per_month(Metric::Blocked))
    ));
    if scenario.addons.policy != AddonPolicy::Never {
        lines.push(format!(
            "You buy {} add-on credits a month at {} each (mean).",
            count(per_month(Metric::Purchased)),
            dollars(scenario.addons.price_cents as f64)
        ));
    }
    lines
}

/// "; 439 credits held at the plan change in Jun 2026 are forfeited
/// (credits do not carry over)": what the plan changes cost in credits
/// (docs/model.md, "Plan changes"), or nothing when none was lost. Given
/// by change rather than a month, as they are lost once, not each month.
fn forfeited_clause(scenario: &Scenario, stats: &RunStats) -> String {
    if !stats.forfeits() {
        return String::new();
    }
    let lost: Vec<(String, f64)> = scenario
        .plan_changes
        .iter()
        .map(|change| {
            let month = scenario.horizon.period(change.from_cycle).label();
            (
                month,
                mean(stats.in_cycle(change.from_cycle, Metric::Forfeited)),
            )
        })
        .filter(|(_, n)| *n > 0.0)
        .collect();
    let why = "credits do not carry over";
    match lost.as_slice() {
        [(month, n)] => format!(
            "; {} credits held at the plan change in {month} are forfeited ({why})",
            count(*n)
        ),
        _ => {
            let each: Vec<String> = lost
                .iter()
                .map(|(month, n)| format!("{} in {month}", count(*n)))
                .collect();
            format!(
                "; {} credits held at plan changes are forfeited ({}; {why})",
                count(mean(stats.horizon_of(Metric::Forfeited))),
                each.join(", ")
            )
        }
    }
}

/// "In 1 month in 3 you run out of credits (31.2% of months); when you
/// do, the first blocked send comes on day 18 of the month at the median."
fn running_out(stats: &RunStats, share: f64, renewal_day: u32) -> String {
    if share == 0.0 {
        return format!(
            "You never run out of credits: no send was blocked for lack of a credit in any \
             month of the {} {}.",
            stats.trials,
            horizon_words(stats.months())
        );
    }
    let mut day = Histogram::new();
    for c in 0..stats.months() {
        day.merge(stats.in_cycle(c, Metric::FirstBlockedDay));
    }
    let of = match renewal_day {
        1 => "the month".to_string(),
        d => format!("the month (counted from its renewal on the {})", ordinal(d)),
    };
    let when = day.summary().map_or(String::new(), |s| {
        format!(
            "; when you do, the first blocked send comes on day {} of {of} at the median",
            s.p50
        )
    });
    format!(
        "{} you run out of credits ({} of months){when}.",
        capitalised(&format!("in {}", months_in(share))),
        percent(share)
    )
}

/// 1st, 2nd, 3rd, 4th … 31st.
fn ordinal(d: u32) -> String {
    let suffix = match (d % 10, d % 100) {
        (1, n) if n != 11 => "st",
        (2, n) if n != 12 => "nd",
        (3, n) if n != 13 => "rd",
        _ => "th",
    };
    format!("{d}{suffix}")
}

fn cost_line(stats: &RunStats, months: usize) -> String {
    let total = mean(stats.horizon_of(Metric::TotalCost));
    let per_response = stats
        .horizon_of(Metric::CostPerResponse)
        .summary()
        .map_or("no response in any trial".to_string(), |s| {
            format!("{} per response", dollars(s.mean))
        });
    let horizon = match months {
        1 => "the month".to_string(),
        n => format!("the {n} months"),
    };
    format!(
        "It costs {} a month on average ({} over {horizon}), {per_response}.",
        dollars(total / months as f64),
        dollars(total)
    )
}

/// The scenario's inputs in words: plan, price, credits, demand, reply
/// rate, add-ons.
pub(super) fn scenario_settings(sc: &Scenario) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut add = |k: &str, v: String| rows.push((k.to_string(), v));
    if !sc.description.trim().is_empty() {
        add("Description", sc.description.trim().to_string());
    }
    let p = &sc.plan;
    // With seats, the plan's numbers and the demand are each seat's (the
    // costs and counts of the results are the team's): said on each row.
    let each = if sc.seats.count > 1 { " per seat" } else { "" };
    add("Plan", format!("{} ({})", p.name, p.id));
    let (price, billing) = price_and_billing(p, sc.billing);
    add(
        "Price",
        format!("{} a month{each} ({billing})", dollars(price as f64)),
    );
    let expiry = p.expiry_days.map_or("never expire".to_string(), |d| {
        format!("expire after {d} days")
    });
    add(
        "Credits",
        format!(
            "{} a month{each}, at most {} held{each}; they {expiry}",
            p.monthly_credits, p.cap
        ),
    );
    for (k, v) in plan_change_rows(sc) {
        add(&k, v);
    }
    let volume = match sc.demand.volume {
        Volume::PerWorkday(x) => format!("{} InMails per workday", count(x)),
        Volume::PerWeek(x) => format!("{} InMails per week", count(x)),
        Volume::PerCycle(x) => format!("{} InMails per month", count(x)),
    };
    add("Demand", format!("{volume}{each}"));
    let r = &sc.response.spec;
    let (low, mid, high) = (
        rate_quantile(r, 0.1),
        rate_quantile(r, 0.5),
        rate_quantile(r, 0.9),
    );
    let rate = if (high - low).abs() < 1e-12 {
        percent(mid)
    } else {
        format!(
            "median {}, 8 trials in 10 between {} and {}",
            percent(mid),
            percent(low),
            percent(high)
        )
    };
    add("Reply rate", rate);
    add("Add-ons", addons(sc));
    if sc.seats.count > 1 {
        let pool = match sc.seats.pooled {
            true => "their credits pooled in one balance",
            false => "each with a balance of its own",
        };
        add(
            "Seats",
            format!(
                "{}, {pool}; costs, counts and sends in the results are the team's",
                sc.seats.count
            ),
        );
    }
    rows
}

/// One "Plan change" row per `[[plan_change]]`: the month it takes
/// effect (as the month table labels it), the new plan and its price, and
/// that the credits held then are lost (docs/model.md, "Plan changes").
fn plan_change_rows(sc: &Scenario) -> Vec<(String, String)> {
    let each = if sc.seats.count > 1 { " per seat" } else { "" };
    let lost = "the credits held then are forfeited (they do not carry over)";
    sc.plan_changes
        .iter()
        .map(|change| {
            let when = sc.change_month(change);
            let value = match change.cancelled {
                true => format!("From {when}: cancelled (no cost, no credits); {lost}"),
                false => {
                    let p = &change.plan;
                    let (price, billing) = price_and_billing(p, change.billing);
                    format!(
                        "From {when}: {} ({}), {} a month{each} ({billing}); {lost}",
                        p.name,
                        p.id,
                        dollars(price as f64)
                    )
                }
            };
            ("Plan change".to_string(), value)
        })
        .collect()
}

/// The plan's price under `billing`, in cents, and the billing in words.
fn price_and_billing(p: &crate::scenario::Plan, billing: Billing) -> (i64, &'static str) {
    match billing {
        Billing::Monthly => (p.price_monthly_cents, "monthly billing"),
        Billing::Annual => (p.price_annual_cents, "annual billing, per month"),
    }
}

fn addons(sc: &Scenario) -> String {
    let price = dollars(sc.addons.price_cents as f64);
    match sc.addons.policy {
        AddonPolicy::Never => "none".to_string(),
        AddonPolicy::WhenEmpty {
            pack,
            max_per_month,
        } => {
            let cap = max_per_month.map_or(String::new(), |m| format!(", at most {m} a month"));
            format!("{pack} at {price} each whenever the balance is empty{cap}")
        }
        AddonPolicy::Monthly { per_month } => {
            format!("{per_month} at {price} each on every renewal day")
        }
    }
}

fn run_settings(sc: &Scenario, trials: u64) -> Vec<(String, String)> {
    vec![
        ("Months".to_string(), sc.months.to_string()),
        ("Start date".to_string(), sc.start.to_string()),
        ("Trials".to_string(), trials.to_string()),
        ("Seed".to_string(), sc.seed.to_string()),
    ]
}

/// What the month table's note says: "ran out", "forfeited" when shown,
/// and the partial month.
fn month_note(scenario: &Scenario, forfeit: bool) -> String {
    let mut note = "\"ran out\" is the chance that at least one send was blocked for lack of a credit that month.".to_string();
    if forfeit {
        note.push_str(
            " \"forfeited\": credits held when the plan changed, lost (credits do not carry \
             over to the new plan, credit-rules §3).",
        );
    }
    match scenario.horizon.periods().first().filter(|p| p.partial) {
        Some(p) => format!(
            "{note} * A partial month: {}, from the start date to the first renewal on \
             the 1st, with a full month's grant and price (credit-rules §1, §8.10).",
            crate::numbers::count(u64::from(p.days), "day", "days")
        ),
        None => note,
    }
}

/// The terminal's month table, months labelled as users say them.
fn month_table(scenario: &Scenario, stats: &RunStats) -> Table {
    let periods = scenario.horizon.periods();
    // The Recruiter floor's refused sends, as the terminal shows them.
    let floor = mean(stats.horizon_of(Metric::FloorRefused)) > 0.0;
    // Credits lost at plan changes, as the terminal shows them.
    let forfeit = stats.forfeits();
    let rows = (0..stats.months())
        .map(|c| {
            let m = |metric| mean(stats.in_cycle(c, metric));
            let p = &periods[c];
            let mut row = vec![
                format!("{}{}", p.label(), if p.partial { "*" } else { "" }),
                percent(m(Metric::Exhausted)),
                format!("{:.1}", m(Metric::Demand)),
                format!("{:.1}", m(Metric::Blocked)),
            ];
            if floor {
                row.push(format!("{:.1}", m(Metric::FloorRefused)));
            }
            row.extend([
                format!("{:.1}", m(Metric::Responses)),
                format!("{:.1}", m(Metric::Refunds)),
                format!("{:.1}", m(Metric::Expired)),
            ]);
            if forfeit {
                row.push(format!("{:.1}", m(Metric::Forfeited)));
            }
            row.push(dollars(m(Metric::TotalCost)));
            row
        })
        .collect();
    let refused = floor.then_some("refused by the floor");
    let forfeited = forfeit.then_some("forfeited");
    let mut t = Table {
        caption: "Month by month (means over trials)".to_string(),
        header: ["month", "ran out", "demand", "blocked"]
            .into_iter()
            .chain(refused)
            .chain(["responses", "refunds", "expired"])
            .chain(forfeited)
            .chain(["cost"])
            .map(String::from)
            .collect(),
        rows,
        numeric_from: 1,
        note: month_note(scenario, forfeit),
    };
    t.truncate_for_page("summary.csv");
    t
}

/// The terminal's "Over the horizon" lines as a table.
fn horizon_table(scenario: &Scenario, stats: &RunStats) -> Table {
    let h = |metric| stats.horizon_of(metric);
    let mut rows = vec![vec![
        "chance of running out at least once".to_string(),
        percent(h(Metric::MonthsExhausted).share_at_least(1)),
    ]];
    if let Some(s) = h(Metric::FirstExhaustedMonth).summary() {
        rows.push(vec![
            "first month you run out, if you do".to_string(),
            format!("median {}, p5 {}, p95 {}", s.p50, s.p5, s.p95),
        ]);
    }
    rows.push(vec![
        "months with a blocked send".to_string(),
        format!(
            "{:.1} of {}",
            mean(h(Metric::MonthsExhausted)),
            stats.months()
        ),
    ]);
    for (label, metric) in [
        (
            crate::metrics::blocked_label(scenario.demand.backlog),
            Metric::Blocked,
        ),
        ("credits refunded", Metric::Refunds),
        ("credits expired", Metric::Expired),
        ("credits forfeited at plan changes", Metric::Forfeited),
        ("add-on credits bought", Metric::Purchased),
    ] {
        // As on the terminal: only where a plan change forfeited any.
        if metric == Metric::Forfeited && !stats.forfeits() {
            continue;
        }
        rows.push(vec![label.to_string(), format!("{:.1}", mean(h(metric)))]);
    }
    rows.push(vec![
        "total cost".to_string(),
        dollars(mean(h(Metric::TotalCost))),
    ]);
    rows.push(vec![
        "cost per response".to_string(),
        h(Metric::CostPerResponse)
            .summary()
            .map_or("none (no trial got a response)".to_string(), |s| {
                format!("{} (median {})", dollars(s.mean), dollars(s.p50 as f64))
            }),
    ]);
    Table {
        caption: "Over the whole horizon (means over trials)".to_string(),
        header: Vec::new(),
        rows,
        numeric_from: 1,
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// 3 trials x 3 months: trial t runs out in month t only, first on day
    /// 16 + 2t (16, 18, 20), and costs $30 over the horizon.
    fn one_month_in_three() -> RunStats {
        let mut stats = RunStats::new(3);
        stats.trials = 3;
        for t in 0..3 {
            for c in 0..3 {
                let out = c == t;
                stats
                    .in_cycle_mut(c, Metric::Exhausted)
                    .record(i64::from(out));
                let day = stats.in_cycle_mut(c, Metric::FirstBlockedDay);
                if out {
                    day.record(16 + 2 * t as i64);
                } else {
                    day.record_none();
                }
            }
            stats.horizon_of_mut(Metric::MonthsExhausted).record(1);
            stats
                .horizon_of_mut(Metric::FirstExhaustedMonth)
                .record(t as i64 + 1);
            stats.horizon_of_mut(Metric::TotalCost).record(3000);
            stats.horizon_of_mut(Metric::CostPerResponse).record(500);
        }
        stats
    }

    fn scenario() -> Scenario {
        let text = "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 4\n";
        crate::scenario::parse(text, Path::new("s.toml"), &Default::default()).unwrap()
    }

    #[test]
    fn the_headlines_are_computed_from_the_statistics() {
        let lines = headlines(&scenario(), &one_month_in_three());
        assert_eq!(
            lines[0],
            "In 1 month in 3 you run out of credits (33.3% of months); when you do, the first \
             blocked send comes on day 18 of the month at the median."
        );
        assert_eq!(
            lines[1],
            "Over 3 months you run out at least once in 100.0% of the simulated 3-month \
             horizons; the first time is month 2 (Feb 2026) at the median."
        );
        assert_eq!(
            lines[2],
            "It costs $10.00 a month on average ($30.00 over the 3 months), $5.00 per response."
        );
    }

    #[test]
    fn the_day_of_a_month_that_renews_on_the_18th_is_said_to_count_from_it() {
        let text = "start_date = 2026-03-18\n[plan]\nid = \"recruiter_lite\"\n\
                    [demand]\nper_workday = 4\n";
        let sc = crate::scenario::parse(text, Path::new("s.toml"), &Default::default()).unwrap();
        let lines = headlines(&sc, &one_month_in_three());
        assert!(
            lines[0].contains(
                "comes on day 18 of the month (counted from its renewal on the 18th) at the median"
            ),
            "{}",
            lines[0]
        );
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].map(ordinal),
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "31st"
            ]
        );
    }

    #[test]
    fn a_run_that_never_runs_out_says_so() {
        let mut stats = RunStats::new(2);
        stats.trials = 5;
        for _ in 0..5 {
            stats.horizon_of_mut(Metric::MonthsExhausted).record(0);
        }
        let lines = headlines(&scenario(), &stats);
        assert_eq!(
            lines[0],
            "You never run out of credits: no send was blocked for lack of a credit in any \
             month of the 5 simulated 2-month horizons."
        );
        assert!(lines[1].starts_with("It costs $0.00 a month"), "{lines:?}");
    }

    #[test]
    fn credits_forfeited_at_two_plan_changes_are_said_by_month_in_the_credits_sentence() {
        let text = "[plan]\nid = \"sales_navigator_core\"\n[demand]\nper_workday = 4\n\
                    [[plan_change]]\nfrom_cycle = 2\nplan = { id = \"sales_navigator_advanced\" }\n\
                    [[plan_change]]\nfrom_cycle = 3\ncancel = true\n";
        let sc = crate::scenario::parse(text, Path::new("s.toml"), &Default::default()).unwrap();
        let mut stats = one_month_in_three();
        for (c, lost) in [(0, 0), (1, 40), (2, 12)] {
            stats.in_cycle_mut(c, Metric::Forfeited).record(lost);
        }
        stats.horizon_of_mut(Metric::Forfeited).record(52);
        let lines = headlines(&sc, &stats);
        let credits = lines.iter().find(|l| l.starts_with("Each month")).unwrap();
        assert!(
            credits.contains(
                "0 expire unused; 52 credits held at plan changes are forfeited (40 in Feb 2026, \
                 12 in Mar 2026; credits do not carry over); "
            ),
            "{credits}"
        );
        // Without a change the sentence is as it was.
        let plain = headlines(&scenario(), &one_month_in_three());
        assert!(plain.iter().all(|l| !l.contains("forfeited")), "{plain:?}");
    }

    #[test]
    fn a_partial_run_says_so_under_the_title() {
        let mut meta = RunMetadata {
            scenario_file: "s.toml".to_string(),
            scenario_sha256: String::new(),
            threads: 1,
            wall_time: std::time::Duration::ZERO,
            partial: false,
            set: String::new(),
            samples: None,
        };
        let stats = one_month_in_three();
        let whole = run_page(&scenario(), &meta, &stats, &[]);
        assert!(!whole.subtitle.contains("partial"), "{}", whole.subtitle);
        meta.partial = true;
        let page = run_page(&scenario(), &meta, &stats, &[]);
        assert!(
            page.subtitle
                .ends_with("(partial: stopped by Ctrl-C; these are the trials completed)")
        );
        assert!(
            page.settings
                .contains(&("Scenario file".to_string(), "s.toml".to_string()))
        );
    }
}
