//! Numbers as people read them: counts with thousands separators
//! ("1,000,000 trials"), values rounded to what they can tell apart
//! ("about 1.16", not 1.1557710427652006), and the rate of the progress
//! bar. Data files keep full precision; this is for the terminal and
//! report.html. Also values computed from ones people wrote (a sweep's
//! grid, a sensitivity's ends) freed of float noise, [`shortest_within`].

/// `1000000` → `"1,000,000"`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The one plural rule of every message: the singular for exactly one
/// ("1 month", "0 months", "1.5 months").
pub fn noun<'a>(n: f64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1.0 { one } else { many }
}

/// A count of things as people write it: "1 InMail", "3 InMails",
/// "100,000 trials" (grouped).
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), noun(n as f64, one, many))
}

/// A number the user gave, as they gave it but grouped: 10000 →
/// "10,000", 2.5 → "2.5".
pub fn given(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let sign = if x < 0.0 { "-" } else { "" };
        format!("{sign}{}", grouped(x.abs() as u64))
    } else {
        x.to_string()
    }
}

/// `x` to three significant figures, thousands grouped and trailing zeros
/// dropped: 1.1557 → "1.16", 25.13 → "25.1", 0.04567 →
/// "0.0457" (1234.5 → "1,230"). Three figures: a break-even from a Monte Carlo grid is rarely
/// known better than that.
pub fn significant(x: f64) -> String {
    if !x.is_finite() {
        return crate::stats::NA.to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    if magnitude >= 3 {
        let unit = 10f64.powi(magnitude - 2);
        let sign = if x < 0.0 { "-" } else { "" };
        return format!(
            "{sign}{}",
            grouped(((x.abs() / unit).round() * unit) as u64)
        );
    }
    let decimals = (2 - magnitude).max(0) as usize;
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let fraction = fraction.trim_end_matches('0');
    let whole: u64 = whole.parse().unwrap_or(0);
    let sign = if x < 0.0 { "-" } else { "" };
    match fraction {
        "" => format!("{sign}{}", grouped(whole)),
        f => format!("{sign}{}.{f}", grouped(whole)),
    }
}

/// The decimal with the fewest significant digits within `tolerance` of
/// `x`: the float noise of arithmetic on values people wrote removed
/// (0.1 + 2 × 0.1 = 0.30000000000000004 → 0.3), at any magnitude. Unlike
/// rounding to a fixed number of decimals it never moves a value by more
/// than `tolerance` (1e15 stays 1e15) and never turns a finite non-zero
/// value into 0 or infinity: 17 digits give `x` itself.
pub fn shortest_within(x: f64, tolerance: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    (1..=17)
        .filter_map(|digits| format!("{:.*e}", digits - 1, x).parse::<f64>().ok())
        .find(|c| c.is_finite() && (c - x).abs() <= tolerance)
        .unwrap_or(x)
}

/// A count that is an average, as a reader says it: whole from 10 on
/// ("about 25 a month"), else to one decimal ("2.5").
pub fn rounded_count(x: f64) -> String {
    if x.abs() >= 10.0 {
        grouped(x.round().abs() as u64)
    } else {
        let one = format!("{:.1}", x.abs());
        one.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The progress bar's rate: three significant figures, grouped
/// ("123,000/s", "8,520/s", "45.3/s"), rather than four decimals.
pub fn per_second(rate: f64) -> String {
    if !rate.is_finite() || rate <= 0.0 {
        return "–/s".to_string();
    }
    format!("{}/s", significant(rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(grouped(12_345_678), "12,345,678");
    }

    #[test]
    fn counts_say_one_thing_or_many_things() {
        assert_eq!(count(1, "trial", "trials"), "1 trial");
        assert_eq!(count(0, "trial", "trials"), "0 trials");
        assert_eq!(count(200_000, "InMail", "InMails"), "200,000 InMails");
    }

    #[test]
    fn values_keep_three_significant_figures() {
        assert_eq!(significant(1.1557710427652006), "1.16");
        assert_eq!(significant(25.13), "25.1");
        assert_eq!(significant(1234.5), "1,230");
        assert_eq!(significant(0.045678), "0.0457");
        assert_eq!(significant(2.0), "2");
        assert_eq!(significant(-4.56789), "-4.57");
        assert_eq!(rounded_count(25.14), "25");
        assert_eq!(rounded_count(2.54), "2.5");
        assert_eq!(rounded_count(3.0), "3");
    }

    #[test]
    fn float_noise_is_removed_at_any_magnitude_without_moving_a_value_further() {
        let noise = |x: f64| 4.0 * f64::EPSILON * x.abs();
        assert_eq!(shortest_within(0.1 + 2.0 * 0.1, noise(0.3)), 0.3);
        assert_eq!(shortest_within(0.7 * 0.75, noise(0.525)), 0.525);
        assert_eq!(shortest_within(1e15, noise(1e15)), 1e15);
        assert_eq!(shortest_within(1e297 * 0.5, noise(5e296)), 5e296);
        assert_eq!(shortest_within(1e-13 * 0.5, noise(5e-14)), 5e-14);
        assert_eq!(shortest_within(f64::MAX, noise(f64::MAX)), f64::MAX);
        assert_eq!(shortest_within(5e-324, 0.0), 5e-324);
        // Beyond the noise, a value is kept as it is.
        assert_eq!(shortest_within(1.23456789012345, 1e-16), 1.23456789012345);
    }

    #[test]
    fn the_progress_rate_has_three_figures() {
        assert_eq!(per_second(123_456.789), "123,000/s");
        assert_eq!(per_second(8_523.4), "8,520/s");
        assert_eq!(per_second(45.345), "45.3/s");
        assert_eq!(per_second(0.0), "–/s");
    }
}
