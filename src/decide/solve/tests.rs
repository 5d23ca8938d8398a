//! The root finder on functions with known roots: per-trial values
//! `f(x) + e_i` with the same noise `e_i` at every `x` (common random
//! numbers), as the simulator gives them.

use super::*;

/// 2000 fixed noise draws, uniform on [-sd·√3, sd·√3] (sd as given).
fn noise(sd: f64) -> Vec<f64> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..2000)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            (2.0 * u - 1.0) * sd * 3f64.sqrt()
        })
        .collect()
}

fn problem(target: f64, lo: f64, hi: f64, whole: bool) -> Problem {
    Problem {
        stat: Stat::Blocked,
        target,
        lo,
        hi,
        whole,
    }
}

fn run(p: &Problem, f: impl Fn(f64) -> f64, sd: f64) -> Result<Answer, Refusal> {
    let e = noise(sd);
    let mut eval =
        |x: f64| -> anyhow::Result<Vec<f64>> { Ok(e.iter().map(|n| f(x) + n).collect()) };
    solve(p, &mut eval).unwrap()
}

#[test]
fn a_noiseless_increasing_line_is_solved_to_the_resolution_with_a_point_interval() {
    let a = run(&problem(3.0, 0.0, 10.0, false), |x| 2.0 * x, 0.0).unwrap();
    assert_eq!(a.direction, Direction::Increasing);
    assert!((a.x - 1.5).abs() < 1e-9, "{a:?}");
    assert!(a.high - a.low <= 10.0 / 1024.0 + 1e-12, "{a:?}");
    assert!(a.low <= 1.5 && 1.5 <= a.high);
}

#[test]
fn a_noisy_decreasing_line_has_the_true_root_inside_its_interval() {
    // f(x) = 10 - x, noise sd 1 over 2000 trials: se of a mean ≈ 0.022, so
    // the interval on x is about ±0.044 wide (slope 1).
    let a = run(&problem(4.0, 0.0, 10.0, false), |x| 10.0 - x, 1.0).unwrap();
    assert_eq!(a.direction, Direction::Decreasing);
    assert!(a.low <= 6.0 && 6.0 <= a.high, "{a:?}");
    let width = a.high - a.low;
    assert!(width > 0.04 && width < 0.2, "{width}");
    assert!((a.x - 6.0).abs() < 0.1, "{a:?}");
}

#[test]
fn a_whole_number_key_answers_the_last_value_that_meets_the_target() {
    let step = |x: f64| if x > 7.0 { 1.0 } else { 0.0 };
    let a = run(&problem(0.0, 1.0, 20.0, true), step, 0.0).unwrap();
    assert_eq!((a.x, a.low, a.high), (7.0, 7.0, 7.0));
    // Decreasing: the first value that meets it.
    let down = |x: f64| if x < 4.0 { 1.0 } else { 0.0 };
    let a = run(&problem(0.0, 1.0, 20.0, true), down, 0.0).unwrap();
    assert_eq!(a.x, 4.0);
}

#[test]
fn a_statistic_that_turns_back_in_the_range_is_refused_as_not_monotone() {
    let hump = |x: f64| -(x - 5.0) * (x - 5.0);
    let r = run(&problem(-30.0, 0.0, 8.0, false), hump, 0.1).unwrap_err();
    assert!(matches!(r, Refusal::NotMonotone { .. }), "{r:?}");
}

#[test]
fn targets_outside_what_the_range_reaches_are_refused() {
    let line = |x: f64| x;
    let r = run(&problem(-1.0, 0.0, 10.0, false), line, 0.0).unwrap_err();
    assert!(matches!(r, Refusal::Unreachable { .. }), "{r:?}");
    let r = run(&problem(11.0, 0.0, 10.0, false), line, 0.0).unwrap_err();
    assert!(matches!(r, Refusal::Everywhere { .. }), "{r:?}");
    let r = run(&problem(1.0, 0.0, 10.0, false), |_| 3.0, 0.5).unwrap_err();
    assert!(matches!(r, Refusal::Flat { .. }), "{r:?}");
    // Flat within the target (no month runs out at either end) is the
    // whole range meeting it, not a parameter that does nothing.
    let r = run(&problem(0.05, 0.0, 1.0, false), |_| 0.0, 0.0).unwrap_err();
    assert!(matches!(r, Refusal::Everywhere { .. }), "{r:?}");
}
