//! The break-even value of a swept parameter: where the cheaper of two
//! options flips, with an interval.
//!
//! Along the grid `x_1 < x_2 < …`, let `d_k` be the mean monthly cost
//! difference A − B at `x_k`, with its 95% interval `[low_k, high_k]`.
//!
//! - **Break-even**: the first place where the sign of `d` flips. Between
//!   neighbours with `d_k < 0 < d_{k+1}` (or the reverse) it is the linear
//!   interpolation `x_k + (x_{k+1} − x_k) · d_k / (d_k − d_{k+1})`; when
//!   the grid points between two opposite signs have `d = 0` exactly, it is
//!   the middle of those points.
//! - **Interval**: from the last grid point at or before the flip whose
//!   interval lies entirely on the side of `d` before it, to the first grid
//!   point at or after the flip whose interval lies entirely on the other
//!   side. At those two points each option is the cheaper one with 95%
//!   confidence (point by point, not jointly). An end is missing when no
//!   grid point qualifies: the grid does not resolve the flip on that side.
//! - `crossings` counts every flip; more than one means the cheaper option
//!   changes back and forth (or the noise is too large for the grid).

use crate::compare::summary::Estimate;

/// Which option is cheaper where `d` has this sign: A when `d < 0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cheaper {
    A,
    B,
}

/// The break-even along one parameter for one pair.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakEven {
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The cheaper option at the first grid point with `d ≠ 0`.
    pub cheaper_below: Option<Cheaper>,
    /// The cheaper option at the last grid point with `d ≠ 0`.
    pub cheaper_above: Option<Cheaper>,
    pub crossings: usize,
    /// Grid points where the two cost exactly the same (`d = 0`).
    pub ties: usize,
}

fn cheaper(d: f64) -> Option<Cheaper> {
    match d {
        d if d < 0.0 => Some(Cheaper::A),
        d if d > 0.0 => Some(Cheaper::B),
        _ => None,
    }
}

/// The break-even of the differences `diffs` at the ascending grid `xs`.
pub fn break_even(xs: &[f64], diffs: &[Estimate]) -> BreakEven {
    let signed: Vec<usize> = (0..diffs.len()).filter(|&k| diffs[k].mean != 0.0).collect();
    let flips: Vec<(usize, usize)> = signed
        .windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|&(i, j)| cheaper(diffs[i].mean) != cheaper(diffs[j].mean))
        .collect();
    let mut result = BreakEven {
        value: None,
        low: None,
        high: None,
        cheaper_below: signed.first().and_then(|&k| cheaper(diffs[k].mean)),
        cheaper_above: signed.last().and_then(|&k| cheaper(diffs[k].mean)),
        crossings: flips.len(),
        ties: diffs.len() - signed.len(),
    };
    let Some(&(i, j)) = flips.first() else {
        return result;
    };
    let (di, dj) = (diffs[i].mean, diffs[j].mean);
    result.value = Some(if j == i + 1 {
        xs[i] + (xs[j] - xs[i]) * di / (di - dj)
    } else {
        (xs[i + 1] + xs[j - 1]) / 2.0
    });
    let before = cheaper(di);
    let sure = |k: &usize, side: Option<Cheaper>| match side {
        Some(Cheaper::A) => diffs[*k].high < 0.0,
        Some(Cheaper::B) => diffs[*k].low > 0.0,
        None => false,
    };
    result.low = (0..=i).rev().find(|k| sure(k, before)).map(|k| xs[k]);
    result.high = (j..xs.len()).find(|k| sure(k, cheaper(dj))).map(|k| xs[k]);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(mean: f64, half: f64) -> Estimate {
        Estimate {
            mean,
            se: half / 1.96,
            low: mean - half,
            high: mean + half,
        }
    }

    #[test]
    fn the_break_even_interpolates_between_the_grid_points_around_the_flip() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        let ds = [
            est(-30.0, 5.0),
            est(-10.0, 5.0),
            est(-2.0, 5.0),
            est(6.0, 5.0),
            est(20.0, 5.0),
        ];
        let b = break_even(&xs, &ds);
        assert_eq!(b.value, Some(3.25));
        // x = 3 is not sure (−2 ± 5); x = 2 is (−10 ± 5). x = 4: 6 ± 5 is.
        assert_eq!((b.low, b.high), (Some(2.0), Some(4.0)));
        assert_eq!(
            (b.cheaper_below, b.cheaper_above),
            (Some(Cheaper::A), Some(Cheaper::B))
        );
        assert_eq!(b.crossings, 1);
    }

    #[test]
    fn exact_ties_between_opposite_signs_put_the_break_even_in_their_middle() {
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0];
        let ds = [
            est(10.0, 1.0),
            est(0.0, 0.0),
            est(0.0, 0.0),
            est(0.0, 0.0),
            est(-5.0, 1.0),
        ];
        let b = break_even(&xs, &ds);
        assert_eq!(b.value, Some(3.0));
        assert_eq!((b.low, b.high), (Some(1.0), Some(5.0)));
        assert_eq!(
            (b.cheaper_below, b.cheaper_above),
            (Some(Cheaper::B), Some(Cheaper::A))
        );
    }

    #[test]
    fn no_flip_means_no_break_even_and_unresolved_ends_stay_empty() {
        let xs = [1.0, 2.0, 3.0];
        let b = break_even(&xs, &[est(-3.0, 1.0), est(-2.0, 1.0), est(-1.0, 1.0)]);
        assert_eq!((b.value, b.crossings), (None, 0));
        assert_eq!(b.cheaper_above, Some(Cheaper::A));
        let b = break_even(&xs, &[est(-1.0, 5.0), est(1.0, 5.0), est(2.0, 5.0)]);
        assert_eq!(b.value, Some(1.5));
        assert_eq!((b.low, b.high), (None, None));
        let b = break_even(&xs, &[est(-1.0, 0.1), est(1.0, 0.1), est(-1.0, 0.1)]);
        assert_eq!(b.crossings, 2);
    }
}
