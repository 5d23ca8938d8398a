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
        own: false,
        own_price: false,
        pooled_what_if: false,
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
        risk_horizon: Estimate::default(),
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
    // Few events: the upper end is widened to mean + 3/trials, but an
    // interval wholly past the limit is as sure as its normal lower end
    // says (it read 68% when the widened se was used).
    let few = Estimate {
        mean: 0.0004,
        se: 0.00015,
    };
    let (v, confidence) = against(few, 1000, 0.0001, SHARE);
    assert_eq!(v, Verdict::Infeasible);
    assert!(confidence > 0.975, "{confidence}");
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
    // And it is within that limit for sure: "yes 98%" was shown before.
    assert_eq!(against(wide, 1000, 1.0, SHARE), (Verdict::Feasible, 1.0));
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

#[test]
fn of_two_candidates_at_the_same_price_the_one_that_runs_out_less_ranks_first() {
    // Recruiter Professional Services and Corporate: both $900, the
    // first runs out in 4% of months, the second never; both feasible.
    let s = vec![
        scored(900.0, 0.04, Verdict::Feasible),
        scored(900.0, 0.0, Verdict::Feasible),
        scored(950.0, 0.0, Verdict::Feasible),
    ];
    assert_eq!(rank(&s), vec![1, 0, 2]);
    assert_eq!(frontier(&s), vec![1]);
    // Equal in cost and risk: fewer blocked sends, then candidate order.
    let mut t = vec![
        scored(900.0, 0.0, Verdict::Feasible),
        scored(900.0, 0.0, Verdict::Feasible),
    ];
    assert_eq!(rank(&t), vec![0, 1]);
    t[0].blocked.mean = 0.5;
    assert_eq!(rank(&t), vec![1, 0]);
}

#[test]
fn a_feasible_candidate_that_could_still_cost_less_is_named_beside_the_recommendation() {
    // Trial costs (cents over 12 months): the leader a fixed $90.00 a
    // month; the rival $90.00 ± $6.00 around it, so their paired
    // difference is 0 ± about $0.85 at 95% over 200 trials.
    let fixed = |cents: i64| Outcome {
        cost_cents: cents,
        months_exhausted: 0,
        blocked: 0,
        floor_blocked: 0,
    };
    let leader: Vec<Outcome> = (0..200).map(|_| fixed(12 * 9000)).collect();
    let rival: Vec<Outcome> = (0..200)
        .map(|i| fixed(12 * (9000 + if i % 2 == 0 { 600 } else { -600 })))
        .collect();
    let sentences = |rival_cost: f64| {
        let e = elimination::Elimination {
            scored: vec![
                scored(90.0, 0.0, Verdict::Feasible),
                scored(rival_cost, 0.0, Verdict::Feasible),
            ],
            outcomes: vec![leader.clone(), rival.clone()],
            rounds: 1,
        };
        let limits = Limits {
            max_risk: 0.05,
            max_blocked: None,
        };
        Recommendation::new(e, 12).sentences(&limits)
    };
    let lines = sentences(90.0);
    assert!(
        lines[1].starts_with("Not settled: ")
            && lines[1].contains("could cost less than the recommendation, by up to $0.8"),
        "{lines:?}"
    );
    // A rival whose every trial costs more: settled, nothing to say.
    let dearer: Vec<Outcome> = (0..200).map(|i| fixed(12 * (9100 + i))).collect();
    let e = elimination::Elimination {
        scored: vec![
            scored(90.0, 0.0, Verdict::Feasible),
            scored(92.0, 0.0, Verdict::Feasible),
        ],
        outcomes: vec![leader.clone(), dearer],
        rounds: 1,
    };
    let limits = Limits {
        max_risk: 0.05,
        max_blocked: None,
    };
    let lines = Recommendation::new(e, 12).sentences(&limits);
    assert!(
        !lines.iter().any(|l| l.contains("Not settled")),
        "{lines:?}"
    );
}

#[test]
fn a_recommendation_of_another_product_family_names_the_best_of_the_users_own() {
    let outcomes = |cents: i64, exhausted: u64| -> Vec<Outcome> {
        (0..100)
            .map(|_| Outcome {
                cost_cents: cents,
                months_exhausted: exhausted,
                blocked: 0,
                floor_blocked: 0,
            })
            .collect()
    };
    let mut recruiter = scored(900.0, 0.0, Verdict::Feasible);
    recruiter.candidate.plan = catalog::find("recruiter_professional_services").unwrap();
    let e = elimination::Elimination {
        scored: vec![recruiter, scored(119.99, 0.6, Verdict::Infeasible)],
        outcomes: vec![outcomes(12 * 90_000, 0), outcomes(12 * 11_999, 7)],
        rounds: 1,
    };
    let limits = Limits {
        max_risk: 0.05,
        max_blocked: None,
    };
    let mut r = Recommendation::new(e, 12);
    let plain = r.sentences(&limits);
    let family = |l: &&String| l.contains("is a Recruiter plan");
    assert!(!plain.iter().any(|l| family(&l)), "{plain:?}");
    r.scenario_plan = catalog::find("sales_navigator_core");
    let lines = r.sentences(&limits);
    let note = lines.iter().find(family).expect("a note");
    assert!(note.contains("is a Recruiter plan"), "{note}");
    assert!(
        note.contains("The best Sales Navigator candidate, Sales Navigator Core"),
        "{note}"
    );
    assert!(
        note.contains("--plans sales_navigator_core,sales_navigator_advanced,"),
        "{note}"
    );
}

#[test]
fn a_file_that_sets_only_the_monthly_price_is_told_annual_billing_is_priced_the_same() {
    let plan = |prices: &str| {
        let text =
            format!("[plan]\nid = \"sales_navigator_core\"\n{prices}\n[demand]\nper_workday = 1\n");
        crate::scenario::parse(&text, std::path::Path::new("s.toml"), &Default::default())
            .unwrap()
            .plan
    };
    let note = super::annual_priced_as_monthly(&plan("price_monthly = 100")).unwrap();
    assert!(
        note.contains("prices Sales Navigator Core at $100.00 a month billed either way")
            && note.contains("the catalog lists $89.99 a month billed annually"),
        "{note}"
    );
    // Both prices set, or the catalog's kept: nothing to say.
    assert!(
        super::annual_priced_as_monthly(&plan("price_monthly = 100\nprice_annual = 80")).is_none()
    );
    assert!(super::annual_priced_as_monthly(&plan("")).is_none());
}
