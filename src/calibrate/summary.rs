//! A fit in plain words (issue 20): the summary sentence `calibrate`
//! prints and report.html leads with, e.g. "From 412 InMails sent 3 Feb –
//! 28 Nov 2026, 61 answered so far: your reply rate is 17.1% (90%
//! interval 14.2%–20.3%); half of replies come within 2.6 days, 90% within
//! 15 days.", and the few lines that say how far to trust it.

use super::fit::Fit;
use super::history::History;
use super::snippet::{DelayForm, lognormal_unraisable};
use crate::calendar::Date;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "3 Feb 2026"; the year always in four digits ("1 Jan 0001"), so that
/// a year before 1000 never reads as a day of the month.
pub fn day(d: Date) -> String {
    format!(
        "{} {} {:04}",
        d.day,
        MONTHS[(d.month as usize - 1) % 12],
        d.year
    )
}

/// "3 Feb – 28 Nov 2026", "3 Feb 2025 – 28 Nov 2026", or one day.
pub fn span(first: Date, last: Date) -> String {
    if first == last {
        return format!("on {}", day(first));
    }
    let month = |d: Date| MONTHS[(d.month as usize - 1) % 12];
    if first.year == last.year {
        format!("{} {} – {}", first.day, month(first), day(last))
    } else {
        format!("{} – {}", day(first), day(last))
    }
}

/// "1 InMail", "200,000 InMails": [`crate::numbers::count`], the one
/// plural rule, for the counts of a history.
pub fn count(n: usize, one: &str, many: &str) -> String {
    crate::numbers::count(n as u64, one, many)
}

/// A share as "17.1%"; below 1%, to three significant figures
/// ("0.00075%"), so a small rate is never shown as "0.0%".
pub fn percent(x: f64) -> String {
    let p = 100.0 * x;
    // Below 1%, one decimal would cut 0.1215% to "0.1%" beside an
    // estimate of "0.0333%": three significant figures there.
    if p > 0.0 && p < 1.0 {
        format!("{}%", crate::numbers::significant(p))
    } else {
        format!("{p:.1}%")
    }
}

/// Days as people say them: "2.6 days" below 10, "15 days" from 10 on,
/// and "a day" for a day or less: the model counts a reply on the day
/// after its send at the earliest (`max(1, ceil(X))`, credit-rules §4c),
/// so a fitted 0.03 days says "on the first day", never "within 0.0 days".
pub fn days(x: f64) -> String {
    let text = if x < 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.0}")
    };
    if text.parse::<f64>().is_ok_and(|d| d <= 1.0) {
        "a day".to_string()
    } else {
        format!("{text} days")
    }
}

/// A delay as a value in a table or after "median": "2.6 days", and
/// "under a day" for a day or less (see [`days`]).
pub fn delay_value(x: f64) -> String {
    match days(x).as_str() {
        "a day" => "under a day".to_string(),
        other => other.to_string(),
    }
}

/// "worth about 234 InMails": the effective sample of a beta
/// (`alpha + beta` less the prior's), "less than one InMail" below one.
pub fn worth(n_eff: f64) -> String {
    if n_eff < 0.5 {
        "worth less than one InMail".to_string()
    } else {
        format!(
            "worth about {}",
            crate::numbers::count(n_eff.round() as u64, "InMail", "InMails")
        )
    }
}

/// The summary sentence.
pub fn sentence(fit: &Fit, history: &History) -> String {
    let r = &fit.rate;
    let sent = fit.messages + history.too_young;
    let when = span(history.first_sent, history.last_sent);
    let when = if when.starts_with("on ") {
        when
    } else {
        format!("sent {when}")
    };
    format!(
        "From {} {when}, {} answered so far: your reply rate is {} (90% interval \
         {}–{}); half of replies come within {}, 90% within {}.",
        count(sent, "InMail", "InMails"),
        crate::numbers::grouped(fit.answered as u64),
        percent(r.p_hat),
        percent(r.low90),
        percent(r.high90),
        days(fit.delay.median_within()),
        days(fit.delay.p90_within())
    )
}

/// When to calibrate again, for a history that does not bound the rate
/// from above: once more InMails are older than most replies take to
/// come, by the fitted delay (a history whose replies took three months
/// gains nothing in "a few weeks"), or than the answer window
/// (`--window`), after which an InMail's answer is final, if sooner.
pub fn calibrate_again(fit: &Fit, history: &History) -> String {
    let p90 = fit.delay.p90_within();
    match history.window.filter(|&w| f64::from(w) < p90) {
        Some(w) => format!(
            "calibrate again when more InMails are {} old (the --window after which an \
             answer is final)",
            count(w as usize, "day", "days")
        ),
        None => format!(
            "calibrate again when more InMails are older than most replies take to come \
             (90% within {}, by this fit)",
            days(p90)
        ),
    }
}

/// What to do about a history that cannot tell the delay
/// ([`Fit::delay_untold`]): the fitted delay says nothing of how long to
/// wait, so the wait is the window's (`--window`), after which an
/// InMail's silence is final, at the most.
pub fn longer_history(history: &History) -> String {
    let wait = "calibrate again on a longer history, once more InMails are older than most \
                replies take to come";
    match history.window {
        Some(w) => format!(
            "{wait} ({} at the most: the --window after which an answer is final)",
            count(w as usize, "day", "days")
        ),
        None => wait.to_string(),
    }
}

/// The line that says the data cannot tell the delay
/// ([`Fit::delay_untold`]), first among the details.
pub fn delay_untold(fit: &Fit, history: &History) -> Option<String> {
    fit.delay_untold().then(|| {
        format!(
            "The data cannot tell the reply delay yet, so the rate above is a guess: the fit \
             puts the delay's median at {}, far beyond the {} the oldest InMail has had to be \
             answered, and slow replies at a high rate explain the InMails not answered yet \
             as well as quick ones at a low rate. C{}.",
            delay_value(fit.delay.median()),
            count(fit.followed_days as usize, "day", "days"),
            &longer_history(history)[1..]
        )
    })
}

/// What else the reader should know: whether the data tell the delay, the
/// bias a naive count would have, how well the lognormal fits, the
/// declines, and the prior. `delay` is the form `--write` writes.
pub fn details(fit: &Fit, history: &History, delay: DelayForm) -> Vec<String> {
    let r = &fit.rate;
    let pending = fit.messages - fit.answered;
    let mut lines: Vec<String> = delay_untold(fit, history).into_iter().collect();
    lines.push(format!(
        "Counting the {} not answered yet as never answered would say {}: \
         the fit counts each as not answered so far, given its age.",
        count(pending, "InMail", "InMails"),
        percent(r.naive)
    ));
    if fit.rate_unbounded_above() {
        lines.push(format!(
            "The data do not bound the rate from above yet: too few InMails are old enough \
             for their silence to count (the interval reaches {}). C{}.",
            percent(r.high90),
            &calibrate_again(fit, history)[1..]
        ));
    }
    if history.too_young > 0 {
        lines.push(format!(
            "{} sent on the as-of day {} and not answered {} left out: {} had no \
             time to be answered.",
            count(history.too_young, "InMail", "InMails"),
            history.as_of,
            if history.too_young == 1 { "is" } else { "are" },
            if history.too_young == 1 { "it" } else { "they" }
        ));
    }
    if fit.delay.p90() <= 1.0 {
        lines.push(
            "Nine replies in ten or more came on the day of their send or the day after \
             (the model counts both as one day): the data say \
             replies come within a day, not how soon within it. The lognormal written for \
             the scenario (median and 90th percentile under a day) puts them all on that \
             first day, as the data do."
                .to_string(),
        );
    }
    let t = &fit.table;
    let followed = format!(
        "both follow only the answers of the first {}, which cannot tell the delay (above)",
        count(fit.followed_days as usize, "day", "days")
    );
    let verdict = if fit.delay_untold() {
        followed.as_str()
    } else if t.ks <= t.ks_critical {
        "the lognormal fits the data"
    } else {
        "the lognormal fits the data less well than chance would explain: consider the \
         empirical table (--delay-form empirical)"
    };
    lines.push(format!(
        "Reply delay: lognormal with median {} and 90th percentile {}; the nonparametric \
         table is at most {:.3} from it (Kolmogorov–Smirnov, guide below {:.3}): {verdict}.",
        delay_value(fit.delay.median()),
        delay_value(fit.delay.p90()),
        t.ks,
        t.ks_critical
    ));
    lines.extend(beyond_window(fit, history, delay));
    if let Some(d) = &fit.declines {
        lines.push(format!(
            "Declines: {} of the {} with a known outcome ({}, 90% interval {}–{}).",
            d.declined,
            count(d.known, "answer", "answers"),
            percent(d.share),
            percent(d.low90),
            percent(d.high90)
        ));
    }
    lines.push(if fit.rate_unbounded_above() {
        "The interval is the profile-likelihood interval (the delay refitted at each rate); \
         open at the top, it is not written as a scenario's rate (--write refuses it)."
            .to_string()
    } else if fit.delay_untold() {
        "The interval is the profile-likelihood interval (the delay refitted at each rate); \
         with a delay the data cannot tell, it is not written as a scenario's rate (--write \
         refuses it)."
            .to_string()
    } else if delay == DelayForm::LogNormal && lognormal_unraisable(fit) {
        format!(
            "The interval is the profile-likelihood interval (the delay refitted at each rate); \
             as a scenario's rate it is the beta with the same 90% interval, Beta({:.2}, {:.2}), \
             written with the empirical [delay] only (with the lognormal, over that delay's \
             share within the window, it would pass 100%).",
            r.alpha, r.beta
        )
    } else {
        format!(
            "The interval is the profile-likelihood interval (the delay refitted at each rate); \
             as a scenario's rate it is the beta with the same 90% interval, Beta({:.2}, {:.2}) \
             (written with a lognormal [delay], over that delay's share within the window).",
            r.alpha, r.beta
        )
    });
    lines
}

/// Share of the uncut lognormal after the window above which it is worth
/// a line: a run of the written scenario loses that share of replies to
/// "too late for a refund", and below 1% that is within the rate's own
/// uncertainty on any history of fewer than some 10,000 InMails.
const BEYOND_WINDOW_WORTH_SAYING: f64 = 0.01;

/// The fit's delay is the lognormal cut at the window (an answer after it
/// counts as none); a scenario's lognormal is not cut, and a run would
/// count the replies it puts after the window as too late for a refund.
/// Said when that share is material, with what the snippet in `delay`
/// form does about it: with the lognormal, its rate is raised to match
/// ([`super::snippet::for_scenario`]), unless the raised rate would pass
/// 100% (then `--write` refuses that form); the empirical table needs no
/// raise. Not said when the data cannot tell the delay
/// ([`delay_untold`] says that instead).
pub fn beyond_window(fit: &Fit, history: &History, delay: DelayForm) -> Option<String> {
    let w = history.window?;
    let beyond = 1.0 - fit.delay.within_window();
    if beyond.is_nan() || beyond < BEYOND_WINDOW_WORTH_SAYING || fit.delay_untold() {
        return None;
    }
    let what = match delay {
        DelayForm::LogNormal if lognormal_unraisable(fit) => format!(
            "the snippet's rate cannot be raised to match (over the {} of replies within the \
             window it would pass 100%), so --write refuses the lognormal here: the empirical \
             table (--delay-form empirical) keeps every reply within the window, with the \
             rate as fitted.",
            percent(1.0 - beyond)
        ),
        DelayForm::LogNormal => "the snippet's rate is raised to match (the chance of an \
             answer at any time), so that a run answers within the window as often as these \
             InMails did. The empirical table (--delay-form empirical) keeps every reply \
             within the window."
            .to_string(),
        DelayForm::Empirical => format!(
            "the snippet's [delay] is the empirical table (--delay-form empirical), which \
             keeps every reply within the window, with the rate as fitted; {}",
            if lognormal_unraisable(fit) {
                "the lognormal cannot carry this rate (raised to match, it would pass 100%)."
            } else {
                "with the lognormal the rate would be raised to match (--delay-form lognormal \
                 writes it so)."
            }
        ),
    };
    Some(format!(
        "The rate counts answers within {} (--window); the lognormal is cut there, and uncut, \
         as a scenario's [delay], it puts {} of replies later, too late for a refund: {what}",
        count(w as usize, "day", "days"),
        percent(beyond)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn spans_and_days_read_as_people_write_them() {
        assert_eq!(
            span(d("2026-02-03"), d("2026-11-28")),
            "3 Feb – 28 Nov 2026"
        );
        assert_eq!(
            span(d("2025-12-30"), d("2026-01-02")),
            "30 Dec 2025 – 2 Jan 2026"
        );
        assert_eq!(span(d("2026-05-01"), d("2026-05-01")), "on 1 May 2026");
        assert_eq!(days(2.61), "2.6 days");
        assert_eq!(days(14.6), "15 days");
        assert_eq!(days(1.02), "a day");
        assert_eq!(days(0.025), "a day");
        assert_eq!(delay_value(0.025), "under a day");
        assert_eq!(days(1.06), "1.1 days");
        assert_eq!(percent(0.1712), "17.1%");
        assert_eq!(percent(0.0000075), "0.00075%");
        assert_eq!(percent(0.001234), "0.123%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(
            span(d("0001-01-01"), d("9999-12-30")),
            "1 Jan 0001 – 30 Dec 9999"
        );
    }

    #[test]
    fn a_young_history_whose_rate_is_unbounded_above_says_so() {
        use crate::calibrate::synthetic::{SyntheticSpec, generate, to_history};
        // 200 InMails over the last 14 days, a slow tail (p90 12 days):
        // for this draw the likelihood stays flat up to a rate of 1.
        let as_of = d("2026-11-28");
        let young = SyntheticSpec::young(as_of);
        let h = to_history(&generate(&young, 1001), as_of);
        let f = crate::calibrate::fit(&h).unwrap();
        assert!(f.rate_unbounded_above(), "{:?}", f.rate);
        let said = details(&f, &h, DelayForm::LogNormal).join("\n");
        assert!(said.contains("do not bound the rate from above"), "{said}");
        assert!(said.contains("90% within"), "{said}");
        // The wait never passes the answer window (--window), after which
        // an answer is final.
        let mut windowed = h.clone();
        windowed.window = Some(3);
        let said = details(&f, &windowed, DelayForm::LogNormal).join("\n");
        assert!(said.contains("are 3 days old (the --window"), "{said}");
        // An old history has no such line.
        let old = SyntheticSpec {
            span_days: 365,
            ..young
        };
        let h = to_history(&generate(&old, 4), as_of);
        let f = crate::calibrate::fit(&h).unwrap();
        assert!(
            !details(&f, &h, DelayForm::LogNormal)
                .join("\n")
                .contains("do not bound")
        );
    }
}
