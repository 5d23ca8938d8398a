//! The nonparametric delay: a Kaplan–Meier estimate on whole days, scaled
//! by the fitted rate, and its distance from the fitted lognormal.
//!
//! Kaplan–Meier over all InMails (an answer on day `d` is an event; an
//! InMail `t` days old with no answer is censored after day `t`) estimates
//! `P(no answer by day d) = 1 − p · F(d)`; dividing `1 − KM(d)` by the
//! fitted `p̂` gives the delay distribution `F(d)` of those who answer
//! (issue 20: "Kaplan–Meier-style on the answered, scaled by p"). The data
//! say nothing about delays beyond the oldest InMail; the mass the table
//! has not placed by its last answered day is put in one row at the fitted
//! lognormal's median beyond that day, so the table sums to 1 as a
//! scenario's `empirical` delay must (README, `[delay]` `table`).

use super::model::{Counts, LogNormalFit};

/// A delay table in whole days, with its goodness of fit.
#[derive(Debug, Clone, PartialEq)]
pub struct EmpiricalDelay {
    /// `(day, share)`, days increasing, shares summing to 1.
    pub rows: Vec<(u32, f64)>,
    /// `(day, F̃(day))` on every answered day: the scaled Kaplan–Meier.
    pub cdf: Vec<(u32, f64)>,
    /// Share of the last row that the data did not place (the tail beyond
    /// the last answered day, put at the lognormal's conditional median).
    pub beyond: f64,
    /// Kolmogorov–Smirnov distance between `cdf` and the lognormal on the
    /// answered days.
    pub ks: f64,
    /// The 5% critical value `1.36 / √answered` of the KS distance for an
    /// uncensored sample of that size: a guide, since censoring makes the
    /// table noisier than such a sample (so a distance above it is worth a
    /// look, not proof of a bad fit).
    pub ks_critical: f64,
}

pub(crate) fn empirical_delay(c: &Counts, p_hat: f64, delay: &LogNormalFit) -> EmpiricalDelay {
    let cdf = kaplan_meier(c)
        .into_iter()
        .map(|(d, km)| (d, ((1.0 - km) / p_hat).clamp(0.0, 1.0)))
        .collect::<Vec<_>>();
    let mut rows = Vec::with_capacity(cdf.len() + 1);
    let mut placed = 0.0;
    for &(d, f) in &cdf {
        if f > placed {
            rows.push((d, f - placed));
            placed = f;
        }
    }
    let last = cdf.last().map_or(0, |r| r.0);
    let beyond = 1.0 - placed;
    if beyond > 1e-9 {
        // The median of X given X > last: S(x) = S(last) / 2.
        let s_last = 1.0 - delay.cdf(f64::from(last));
        let x = delay.quantile(1.0 - 0.5 * s_last);
        let day = if x.is_finite() {
            x.ceil().min(1e6) as u32
        } else {
            last + 1
        };
        rows.push((day.max(last + 1), beyond));
    }
    let ks = cdf
        .iter()
        .map(|&(d, f)| (f - delay.cdf(f64::from(d))).abs())
        .fold(0.0, f64::max);
    EmpiricalDelay {
        rows,
        cdf,
        beyond,
        ks,
        ks_critical: 1.36 / c.n_answered.sqrt(),
    }
}

/// `(d, KM(d))` on each day with an answer: the estimated share of InMails
/// with no answer by day `d`. At risk on day `d`: answered on day `d` or
/// later, or not answered and at least `d` days old.
fn kaplan_meier(c: &Counts) -> Vec<(u32, f64)> {
    let total: f64 = c.ages.iter().map(|a| a.1).sum();
    let (mut a, mut p) = (0, 0);
    let mut gone = 0.0; // answered before d, or censored before d
    let mut survival = 1.0;
    let mut out = Vec::with_capacity(c.answered.len());
    while a < c.answered.len() {
        let (d, events) = c.answered[a];
        while p < c.pending.len() && c.pending[p].0 < d {
            gone += c.pending[p].1;
            p += 1;
        }
        let at_risk = total - gone;
        survival *= 1.0 - events / at_risk;
        out.push((d, survival));
        gone += events;
        a += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;
    use crate::calibrate::history::{History, Message};

    fn counts(messages: &[(u32, Option<u32>)]) -> Counts {
        let day = Date::parse("2026-06-01").unwrap();
        let h = History {
            as_of: day,
            first_sent: day,
            last_sent: day,
            messages: messages
                .iter()
                .map(|&(age, delay)| Message {
                    age,
                    delay,
                    declined: None,
                })
                .collect(),
            too_young: 0,
            seats: None,
            window: None,
        };
        Counts::new(&h)
    }

    /// Two answered on day 1, one on day 3; unanswered at 2 and 5 days old.
    /// Day 1: 5 at risk, 2 answer: KM 3/5. Day 3: the two answered and the
    /// one censored at 2 are gone, 2 at risk, 1 answers: KM 0.6 · 1/2 = 0.3.
    fn worked() -> Counts {
        counts(&[
            (9, Some(1)),
            (9, Some(1)),
            (9, Some(3)),
            (2, None),
            (5, None),
        ])
    }

    #[test]
    fn kaplan_meier_by_hand() {
        let km = kaplan_meier(&worked());
        assert_eq!(km.len(), 2);
        assert_eq!(km[0].0, 1);
        assert!((km[0].1 - 0.6).abs() < 1e-15);
        assert_eq!(km[1].0, 3);
        assert!((km[1].1 - 0.3).abs() < 1e-15);
    }

    #[test]
    fn the_table_is_kaplan_meier_scaled_by_the_rate_with_the_rest_beyond() {
        let delay = LogNormalFit {
            mu: 2f64.ln(),
            sigma: 1.0,
            cov: None,
            window: None,
        };
        // p̂ = 0.875: F̃(1) = 0.4/0.875, F̃(3) = 0.7/0.875 = 0.8, 0.2 beyond.
        let t = empirical_delay(&worked(), 0.875, &delay);
        assert_eq!(t.rows.len(), 3);
        assert_eq!((t.rows[0].0, t.rows[1].0), (1, 3));
        assert!((t.rows[0].1 - 0.4 / 0.875).abs() < 1e-12);
        assert!((t.rows[1].1 - (0.8 - 0.4 / 0.875)).abs() < 1e-12);
        assert!((t.beyond - 0.2).abs() < 1e-12 && (t.rows[2].1 - 0.2).abs() < 1e-12);
        // Beyond day 3 the lognormal (median 2, sigma 1) has S(3) = 0.343;
        // its conditional median solves S(x) = 0.1713: x = 2·e^0.949 = 5.17.
        assert_eq!(t.rows[2].0, 6);
        let total: f64 = t.rows.iter().map(|r| r.1).sum();
        assert!((total - 1.0).abs() < 1e-12);
        let ks = [(1.0, 0.4 / 0.875), (3.0, 0.8)]
            .iter()
            .map(|&(d, f): &(f64, f64)| (f - delay.cdf(d)).abs())
            .fold(0.0, f64::max);
        assert!((t.ks - ks).abs() < 1e-15);
        assert!((t.ks_critical - 1.36 / 3f64.sqrt()).abs() < 1e-15);
    }
}
