//! Numbers in plain words for the headlines: "1 month in 3", "42.0%",
//! "$41.23". Money is in cents, as everywhere in the statistics.

pub use crate::compare::summary::{dollars, horizon_words};

/// "31.2%".
pub fn percent(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

/// A share of months as a reader says it: "1 month in 3", "3 months in
/// 4", "almost every month", "fewer than 1 month in 1,000". Exact 0 and 1
/// are "no month" and "every month". The fraction is the simplest one
/// (see `simplest_fraction`) within 2 points of the share; below 10% it is
/// "1 month in N" with N = 1/share rounded.
pub fn months_in(share: f64) -> String {
    match share {
        s if s <= 0.0 => "no month".to_string(),
        s if s >= 1.0 => "every month".to_string(),
        s if s < 0.001 => "fewer than 1 month in 1,000".to_string(),
        s if s < 0.1 => format!("1 month in {}", (1.0 / s).round()),
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

/// The fraction k/n, n in halves, thirds, quarters, fifths or tenths
/// (the ones a reader takes in at a glance), with the smallest n within
/// 0.02 of `share`, else the closest one.
fn simplest_fraction(share: f64) -> (u32, u32) {
    let mut best = (1, 2);
    let mut best_error = f64::INFINITY;
    for n in [2, 3, 4, 5, 10u32] {
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
    }

    #[test]
    fn counts_and_capitals() {
        assert_eq!(count(4.0), "4");
        assert_eq!(count(1.5), "1.5");
        assert_eq!(capitalised("in 1 month"), "In 1 month");
        assert_eq!(percent(0.312), "31.2%");
    }
}
