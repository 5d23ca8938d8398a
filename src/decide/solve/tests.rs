//! The root finder on functions with known roots: per-trial values
//! `f(x) + e_i` with the same noise `e_i` at every `x` (common random
//! numbers), as the simulator gives them.

use super::*;

/// 2000 draws uniform on [-sd·√3, sd·√3] (sd as given) from the linear
/// congruential stream `state`, `increment`.
fn uniform_noise(mut state: u64, increment: u64, sd: f64) -> Vec<f64> {
    (0..2000)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(increment);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            (2.0 * u - 1.0) * sd * 3f64.sqrt()
        })
        .collect()
}

/// 2000 fixed noise draws of sd `sd`, the same at every `x`.
fn noise(sd: f64) -> Vec<f64> {
    uniform_noise(0x9e37_79b9_7f4a_7c15, 1, sd)
}

/// 2000 noise draws of sd `sd` of their own at `x`.
fn noise_at(x: f64, sd: f64) -> Vec<f64> {
    uniform_noise(x.to_bits() | 1, 1_442_695_040_888_963_407, sd)
}

fn problem(target: f64, lo: f64, hi: f64, whole: bool) -> Problem {
    Problem {
        stat: Stat::Blocked,
        target,
        lo,
        hi,
        whole,
        trials: 2000,
    }
}

fn run(p: &Problem, f: impl Fn(f64) -> f64, sd: f64) -> Result<Answer, Refusal> {
    let e = noise(sd);
    let mut eval = |x: f64| -> anyhow::Result<Values> {
        Ok(Values::sampled(e.iter().map(|n| f(x) + n).collect()))
    };
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

/// As [`run`], but with noise drawn afresh at every `x` (no common random
/// numbers): paired steps as noisy as the simulator's can be where a
/// parameter changes which trials run out.
fn run_unpaired(p: &Problem, f: impl Fn(f64) -> f64, sd: f64) -> Result<Answer, Refusal> {
    let mut eval = |x: f64| -> anyhow::Result<Values> {
        Ok(Values::sampled(
            noise_at(x, sd).into_iter().map(|e| f(x) + e).collect(),
        ))
    };
    solve(p, &mut eval).unwrap()
}

#[test]
fn a_statistic_over_the_target_between_two_ends_within_it_is_not_met_over_the_whole_range() {
    // Rises to 1.0 at 5 and falls back to 0.2 at 10, as the Recruiter
    // floor's chance of running out does with volume. Noise sd 3 over 2000
    // trials, drawn afresh at each x: a paired step's se is about 0.095,
    // so the falls of 0.2 per scan step are within the monotone check's 4
    // standard errors, and the ends alone (about 0.0 and 0.2, se 0.067,
    // both within 0.5) would claim the target met over the whole range.
    let hump = |x: f64| {
        if x <= 5.0 {
            x / 5.0
        } else {
            1.0 - 0.16 * (x - 5.0)
        }
    };
    let r = run_unpaired(&problem(0.5, 0.0, 10.0, false), hump, 3.0).unwrap_err();
    let Refusal::Interior {
        x,
        at_x,
        met_inside,
        ..
    } = r
    else {
        panic!("{r:?}");
    };
    assert!(!met_inside);
    assert!(at_x.mean > 0.5 && (x - 5.0).abs() <= 1.25, "{x} {at_x:?}");
    // Mirrored: at or below the target only inside the range.
    let dip = |x: f64| 1.0 - hump(x);
    let r = run_unpaired(&problem(0.5, 0.0, 10.0, false), dip, 3.0).unwrap_err();
    assert!(
        matches!(
            r,
            Refusal::Interior {
                met_inside: true,
                ..
            }
        ),
        "{r:?}"
    );
}

/// Per-trial values `f(x) + c_i + e_i(x)`: a noise `c_i` common to every
/// `x` (sd `common`, which makes the means' intervals wide) and one drawn
/// afresh at each `x` (sd `own`, which alone makes a paired step noisy).
fn run_mixed(
    p: &Problem,
    f: impl Fn(f64) -> f64,
    common: f64,
    own: f64,
) -> Result<Answer, Refusal> {
    let c = noise(common);
    let mut eval = |x: f64| -> anyhow::Result<Values> {
        let e = noise_at(x, own);
        Ok(Values::sampled(
            c.iter().zip(&e).map(|(ci, ei)| f(x) + ci + ei).collect(),
        ))
    };
    solve(p, &mut eval).unwrap()
}

#[test]
fn a_turn_between_evaluations_near_the_target_is_filled_in_and_refused() {
    // Falls overall, as `exhausted` does with `months`, but rises from 6
    // to 7 (a long calendar month) right at the target. Common noise sd
    // 0.27 (a mean's se about 0.006, so the interval's bisections land on
    // both sides of the target around 4..8); own noise sd 0.08 (a paired
    // step's se about 0.08·√(2/2000) = 0.0025): the rise 6 → 7 of 0.013
    // is 5 such standard errors, the rise 5 → 7 of 0.007 under 3.
    let f = |x: f64| match x as u32 {
        1 => 0.8,
        2 | 3 => 0.615,
        4 => 0.61,
        5 => 0.596,
        6 => 0.59,
        7 => 0.603,
        8 => 0.595,
        9..=12 => 0.597,
        n => 0.59 - 0.04 * f64::from(n - 13) / 35.0,
    };
    let r = run_mixed(&problem(0.6, 1.0, 48.0, true), f, 0.27, 0.08).unwrap_err();
    let Refusal::NotMonotone { a, b, .. } = r else {
        panic!("{r:?}");
    };
    assert_eq!((a, b), (6.0, 7.0));
}

#[test]
fn only_the_values_between_crossings_and_in_the_answers_interval_are_filled_in() {
    let p = problem(0.6, 1.0, 48.0, true);
    let seen = std::cell::RefCell::new(Vec::new());
    let mut eval = |x: f64| -> anyhow::Result<Values> {
        seen.borrow_mut().push(x);
        Ok(Values::sampled(vec![0.0, 0.0]))
    };
    let mut s = Search {
        problem: &p,
        eval: &mut eval,
        done: Vec::new(),
    };
    let at = |x: f64, mean: f64| {
        let e = Evaluation {
            x,
            estimate: Estimate { mean, se: 0.0 },
            role: Role::Scan,
            order: 1,
            exact: false,
        };
        (e, vec![mean, mean])
    };
    // One crossing (7 → 13): nothing to fill.
    s.done = vec![at(1.0, 0.8), at(7.0, 0.61), at(13.0, 0.55), at(48.0, 0.5)];
    fill_crossings(&mut s, (f64::NAN, f64::NAN)).unwrap();
    assert!(seen.borrow().is_empty());
    // Crossings 1 → 4, 4 → 7 and 7 → 13: every whole number from 2 to 12
    // not yet evaluated.
    s.done = vec![at(1.0, 0.8), at(4.0, 0.59), at(7.0, 0.61), at(13.0, 0.55)];
    fill_crossings(&mut s, (f64::NAN, f64::NAN)).unwrap();
    let want: Vec<f64> = [2, 3, 5, 6, 8, 9, 10, 11, 12].map(f64::from).to_vec();
    assert_eq!(*seen.borrow(), want);
    // One crossing, but an answer's interval from 20 to 30: every whole
    // number inside it.
    seen.borrow_mut().clear();
    s.done = vec![at(1.0, 0.8), at(25.0, 0.61), at(48.0, 0.5)];
    fill_crossings(&mut s, (20.0, 30.0)).unwrap();
    let want: Vec<f64> = [20, 21, 22, 23, 24, 26, 27, 28, 29, 30]
        .map(f64::from)
        .to_vec();
    assert_eq!(*seen.borrow(), want);
}

#[test]
fn exact_trials_of_a_chance_give_the_final_bracket_as_the_interval_and_random_ones_the_rule_of_three()
 {
    // A chance that is 0 up to 3 and 1 past it, the same in all 20
    // trials, against a target of 0. From random trials no value is shown
    // to have a chance of 0 (up to 3/20 is possible where none was seen),
    // so the interval runs to the range's start; from exact trials (a
    // scenario that draws nothing at random) the chance is known, and the
    // interval is the bracket the answer was found in.
    let p = Problem {
        stat: Stat::Exhausted,
        target: 0.0,
        lo: 0.0,
        hi: 10.0,
        whole: false,
        trials: 20,
    };
    let step = |x: f64| if x > 3.0 { 1.0 } else { 0.0 };
    for exact in [false, true] {
        let mut eval = |x: f64| -> anyhow::Result<Values> {
            Ok(Values {
                per_trial: vec![step(x); 20],
                exact,
            })
        };
        let a = solve(&p, &mut eval).unwrap().unwrap();
        assert!(a.bracket.0 <= 3.0 && 3.0 < a.bracket.1, "{a:?}");
        if exact {
            assert_eq!((a.low, a.high), a.bracket, "{a:?}");
            let e = a.evaluations.iter().find(|e| e.x == a.bracket.1).unwrap();
            assert_eq!(p.interval(e), (1.0, 1.0));
        } else {
            assert_eq!((a.low, a.high), (0.0, a.bracket.1), "{a:?}");
        }
    }
}
