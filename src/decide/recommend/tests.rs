//! The verdicts, the ranking and the frontier on made-up estimates.

use super::*;
use crate::scenario::catalog;

fn cand() -> Candidate {
    Candidate {
        plan: catalog::find("sales_navigator_core").unwrap(),
        billing: crate::scenario::Billing::Monthly,
        policy: Policy::Never,
        seats: 1,
        what_if: false,
    }
}

fn scored(cost: f64, risk: f64, verdict: Verdict) -> Scored {
    Scored {
        candidate: cand(),
        trials: 1000,
        cost: Estimate {
            mean: cost,
            se: 1.0,
        },
        risk: Estimate {
            mean: risk,
            se: 0.001,
        },
        blocked: Estimate::default(),
        floor_blocked: Estimate::default(),
        verdict,
        confidence: 1.0,
        status: Status::Resolved,
    }
}

#[test]
fn the_normal_cdf_matches_its_table() {
    assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
    assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-6);
    assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
}

#[test]
fn a_share_never_seen_is_feasible_only_once_the_rule_of_three_is_within_the_limit() {
    let none = Estimate::default();
    // 3 / 50 = 6% > 5%: not yet shown within 5%.
    assert_eq!(against(none, 50, 0.05, SHARE).0, Verdict::Unsure);
    assert_eq!(against(none, 100, 0.05, SHARE).0, Verdict::Feasible);
    let high = Estimate {
        mean: 0.08,
        se: 0.01,
    };
    assert_eq!(against(high, 1000, 0.05, SHARE).0, Verdict::Infeasible);
    let close = Estimate {
        mean: 0.049,
        se: 0.01,
    };
    let (v, confidence) = against(close, 1000, 0.05, SHARE);
    assert_eq!(v, Verdict::Unsure);
    assert!(confidence > 0.5 && confidence < 0.6, "{confidence}");
}

#[test]
fn the_frontier_keeps_only_candidates_no_other_beats_on_both_and_its_risk_falls_as_cost_rises() {
    let s = vec![
        scored(100.0, 0.20, Verdict::Infeasible),
        scored(120.0, 0.05, Verdict::Unsure),
        scored(130.0, 0.06, Verdict::Infeasible), // beaten by 120 / 5%
        scored(150.0, 0.00, Verdict::Feasible),
        scored(150.0, 0.00, Verdict::Feasible), // a tie: kept once
        scored(200.0, 0.00, Verdict::Feasible), // beaten by 150 / 0%
        scored(90.0, 0.30, Verdict::Infeasible),
    ];
    let f = frontier(&s);
    assert_eq!(f, vec![6, 0, 1, 3]);
    for w in f.windows(2) {
        assert!(s[w[0]].cost.mean < s[w[1]].cost.mean);
        assert!(s[w[0]].risk.mean > s[w[1]].risk.mean);
    }
    // Feasible by cost first, then unsure, then infeasible by risk.
    assert_eq!(rank(&s), vec![3, 4, 5, 1, 2, 0, 6]);
}

#[test]
fn a_candidate_with_a_few_events_is_never_judged_safer_than_one_with_none() {
    // 1000 trials: one candidate never ran out, the other in 4 of 12,000
    // months (4 trials at 1/12: mean 0.033%, normal upper end 0.066%).
    // Against 0.2% the one with none is unsure (3/1000 = 0.3%); the other
    // must not pass where it fails, nor have the lower upper end.
    let none = Estimate::default();
    let values = (0..1000).map(|i| if i < 4 { 1.0 / 12.0 } else { 0.0 });
    let few = Estimate::of(values);
    assert!(
        few.high() < 0.002,
        "the normal end alone would pass: {few:?}"
    );
    assert!(upper(few, 1000, SHARE) >= upper(none, 1000, SHARE));
    assert_eq!(against(none, 1000, 0.002, SHARE).0, Verdict::Unsure);
    assert_eq!(against(few, 1000, 0.002, SHARE).0, Verdict::Unsure);
    // With many events the normal end is the wider and is kept.
    let many = Estimate {
        mean: 0.05,
        se: 0.01,
    };
    assert_eq!(upper(many, 1000, SHARE), many.high());
}

#[test]
fn a_risk_of_one_is_within_a_limit_of_one_and_no_upper_end_passes_100_percent() {
    // A candidate that runs out every month of every trial: the rule of
    // three would put its upper end at 100.3%, and a 100% limit (any risk
    // goes) would call the cheapest plan unsure.
    let always = Estimate { mean: 1.0, se: 0.0 };
    assert_eq!(upper(always, 1000, SHARE), 1.0);
    assert_eq!(against(always, 1000, 1.0, SHARE).0, Verdict::Feasible);
    let wide = Estimate {
        mean: 0.99,
        se: 0.02,
    };
    assert!(wide.high() > 1.0);
    assert_eq!(upper(wide, 1000, SHARE), 1.0);
    // A count (blocked sends) has no such bound.
    assert!(upper(always, 1000, f64::INFINITY) > 1.0);
}

#[test]
fn cheaper_candidates_left_unsure_are_named_beside_the_recommendation() {
    let recommend = |scored: Vec<Scored>| {
        let n = scored.len();
        let e = elimination::Elimination {
            scored,
            outcomes: vec![Vec::new(); n],
            rounds: 1,
        };
        let limits = Limits {
            max_risk: 0.05,
            max_blocked: None,
        };
        Recommendation::new(e, 12).sentences(&limits)
    };
    let lines = recommend(vec![
        scored(900.0, 0.0, Verdict::Feasible),
        scored(89.99, 0.0497, Verdict::Unsure),
        scored(119.99, 0.0497, Verdict::Unsure),
    ]);
    assert!(lines[0].starts_with("Recommended: "), "{lines:?}");
    assert!(
        lines[1].starts_with("2 cheaper candidates, from ")
            && lines[1].contains("($89.99 a month)")
            && lines[1].contains("Raise --max-trials"),
        "{lines:?}"
    );
    // Unsure but dearer: nothing to say.
    let lines = recommend(vec![
        scored(89.99, 0.0, Verdict::Feasible),
        scored(900.0, 0.0497, Verdict::Unsure),
    ]);
    assert!(!lines.iter().any(|l| l.contains("unsure")), "{lines:?}");
}
