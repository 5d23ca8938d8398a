//! Numbers in plain words for the headlines: "1 month in 3", "42.0%",
//! "$41.23". Money is in cents, as everywhere in the statistics.

pub use crate::compare::summary::{dollars, horizon_words};

/// "31.2%"; a share that one decimal would show as 0.0% or 100.0% without
/// being it keeps its first significant digit ("0.04%", "99.996%"): a
/// sentence "from 0.0% to 0.0%" where the CSV has 0 and 0.000417 read as
/// no change (an independent review, fifteenth session).
pub fn percent(share: f64) -> String {
    let gap = share.min(1.0 - share) * 100.0;
    if gap > 0.0 && gap < 0.05 {
        // The decimal place of the gap's first significant digit.
        let decimals = ((-gap.log10()).ceil() as usize).clamp(2, 6);
        return format!("{:.*}%", decimals, 100.0 * share);
    }
    format!("{:.1}%", 100.0 * share)
}

#[cfg(test)]
mod percent_tests {
    use super::percent;

    #[test]
    fn a_share_near_0_or_1_keeps_its_first_significant_digit() {
        assert_eq!(percent(0.312), "31.2%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(percent(0.000417), "0.04%");
        assert_eq!(percent(0.99996), "99.996%");
        assert_eq!(percent(0.0006), "0.1%");
    }
}

/// A share of months as a reader says it: "1 month in 3", "3 months in
/// 4", "almost every month", "fewer than 1 month in 1,000". Exact 0 and 1
/// are "no month" and "every month". Below 20% it is "1 month in N" with N
/// = 1/share rounded (14% is "1 month in 7": no simple fraction is near
/// it, and the closest, "1 month in 10", understated it); above, the
/// simplest fraction (see `simplest_fraction`) within 2 points of the share.
pub fn months_in(share: f64) -> String {
    match share {
        s if s <= 0.0 => "no month".to_string(),
        s if s >= 1.0 => "every month".to_string(),
        s if s < 0.001 => "fewer than 1 month in 1,000".to_string(),
        s if s < 0.2 => format!("1 month in {}", (1.0 / s).round()),
        s if s >= 0.95 => "almost every month".to_string(),
        s => {
            let (k, n) = simplest_fraction(s);
            if k == 1 {
                format!("1 month in {n}")
            } else {
                format!("{k} months in {n}")
            }
        }
    }
}

/// The fraction k/n, n in halves, thirds, quarters, fifths, tenths or
/// twentieths (the ones a reader takes in at a glance), with the smallest
/// n within 0.02 of `share`, else the closest one (twentieths are never
/// more than 0.025 away).
fn simplest_fraction(share: f64) -> (u32, u32) {
    let mut best = (1, 2);
    let mut best_error = f64::INFINITY;
    for n in [2, 3, 4, 5, 10, 20u32] {
        let k = (share * f64::from(n)).round().clamp(1.0, f64::from(n - 1)) as u32;
        let error = (f64::from(k) / f64::from(n) - share).abs();
        if error <= 0.02 {
            return (k, n);
        }
        if error < best_error {
            best = (k, n);
            best_error = error;
        }
    }
    best
}

/// "4" for whole numbers, else one decimal: "1.5".
pub fn count(x: f64) -> String {
    if (x - x.round()).abs() < 0.05 {
        format!("{}", x.round())
    } else {
        format!("{x:.1}")
    }
}

/// Upper-cases the first letter, for a phrase that starts a sentence.
pub fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_of_months_read_as_simple_fractions() {
        assert_eq!(months_in(0.0), "no month");
        assert_eq!(months_in(1.0), "every month");
        assert_eq!(months_in(0.3333), "1 month in 3");
        assert_eq!(months_in(0.32), "1 month in 3");
        assert_eq!(months_in(0.3), "3 months in 10");
        assert_eq!(months_in(0.5), "1 month in 2");
        assert_eq!(months_in(0.74), "3 months in 4");
        assert_eq!(months_in(0.6), "3 months in 5");
        assert_eq!(months_in(0.05), "1 month in 20");
        assert_eq!(months_in(0.0004), "fewer than 1 month in 1,000");
        assert_eq!(months_in(0.995), "almost every month");
        // 96% read "9 months in 10", which understates it.
        assert_eq!(months_in(0.96), "almost every month");
        assert_eq!(months_in(0.92), "9 months in 10");
        // 11% to 17% read "1 month in 10" or "1 month in 5" before.
        assert_eq!(months_in(0.113), "1 month in 9");
        assert_eq!(months_in(0.142), "1 month in 7");
        assert_eq!(months_in(0.15), "1 month in 7");
        assert_eq!(months_in(0.17), "1 month in 6");
        assert_eq!(months_in(0.2), "1 month in 5");
        // No simple fraction within 2 points of 45%: the closest, 9 in 20.
        assert_eq!(months_in(0.45), "9 months in 20");
    }

    #[test]
    fn every_share_of_months_is_said_within_two_and_a_half_points() {
        // Fixed grid of shares, every 0.1 point from 0.1% to 94.9%.
        for i in 1..950 {
            let share = f64::from(i) / 1000.0;
            let words = months_in(share);
            let (k, n) = match words.split_whitespace().collect::<Vec<_>>()[..] {
                [k, _, "in", n] => (k.parse::<f64>().unwrap(), n.replace(',', "")),
                _ => panic!("{share}: {words}"),
            };
            let said = k / n.parse::<f64>().unwrap();
            let tolerance = if share < 0.2 {
                0.2 * share
            } else {
                0.025 + 1e-12
            };
            assert!((said - share).abs() <= tolerance, "{share}: {words}");
        }
    }

    #[test]
    fn counts_and_capitals() {
        assert_eq!(count(4.0), "4");
        assert_eq!(count(1.5), "1.5");
        assert_eq!(capitalised("in 1 month"), "In 1 month");
        assert_eq!(percent(0.312), "31.2%");
    }
}
