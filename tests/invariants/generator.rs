//! The random scenarios of the invariant tests: TOML text covering every
//! option of credit-rules.md, and alongside it the facts the checks expect
//! (written by the generator, not read back from the parsed scenario).

use inmail_sim::calendar::days_in_month;
use inmail_sim::scenario::catalog::{CATALOG, find};
use proptest::prelude::*;
use std::fmt::{self, Display};

/// A generated scenario: its TOML text and what the checks expect of it.
#[derive(Clone)]
pub struct Spec {
    pub text: String,
    pub first_trial: u64,
    pub months: u32,
    pub plan: PlanFacts,
    pub backlog: bool,
    /// The response rate is fixed at 0.
    pub rate_zero: bool,
    /// Every response is a decline and declines do not refund.
    pub all_declines_kept: bool,
    pub open_profile: (bool, Option<u32>),
    pub policy: Policy,
    pub addon_price: i64,
    /// Seats (ledgers sum to `seats` × the plan either way).
    pub seats: u32,
    pub follow_ups: bool,
    pub floor: bool,
    /// (first cycle, 0-based; the plan in force from then on; cancelled).
    pub changes: Vec<(usize, PlanFacts, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlanFacts {
    pub monthly: u32,
    pub cap: u32,
    pub expiry: Option<u32>,
    /// Per cycle, under the scenario's billing, in cents.
    pub price: i64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Policy {
    Never,
    WhenEmpty { pack: u32, max: Option<u32> },
    Monthly(u32),
}

impl fmt::Debug for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "first trial {}, scenario:\n{}",
            self.first_trial, self.text
        )
    }
}

/// `key = value` and a newline, or nothing when the key is left out.
fn opt(key: &str, value: Option<impl Display>) -> String {
    value.map_or_else(String::new, |v| format!("{key} = {v}\n"))
}

/// Dollars written as a TOML float or as a `"$…"` string.
fn money(cents: i64, as_text: bool) -> String {
    let dollars = format!("{}.{:02}", cents / 100, cents % 100);
    if as_text {
        format!("\"${dollars}\"")
    } else {
        dollars
    }
}

fn quoted(word: &str) -> String {
    format!("\"{word}\"")
}

/// One of two words, or the key left out.
fn choice(key: &str, pick: Option<bool>, if_false: &str, if_true: &str) -> String {
    opt(
        key,
        pick.map(|b| quoted(if b { if_true } else { if_false })),
    )
}

fn plan() -> impl Strategy<Value = (String, PlanFacts)> {
    let ids: Vec<&'static str> = CATALOG.iter().map(|p| p.id).collect();
    let catalog = (prop::sample::select(ids), any::<Option<bool>>()).prop_map(|(id, annual)| {
        let p = find(id).expect("generated from the catalog");
        let price = match annual {
            Some(true) => p.price_annual_cents,
            _ => p.price_monthly_cents,
        };
        let text = format!(
            "id = \"{id}\"\n{}",
            choice("billing", annual, "monthly", "annual")
        );
        let (monthly, cap, expiry) = (p.monthly_credits, p.cap, p.expiry_days);
        (
            text,
            PlanFacts {
                monthly,
                cap,
                expiry,
                price,
            },
        )
    });
    let inline = (
        (0u32..=80, 1u32..=4, 0u32..=20),
        (prop::option::of(1u32..=120), any::<bool>()),
        (0i64..=200_000, prop::option::of(0i64..=200_000), any::<bool>()),
        any::<Option<bool>>(),
    )
        .prop_map(|((monthly, mult, extra), (expiry, anniversary), prices, annual)| {
            let (price_monthly, price_annual, as_text) = prices;
            let cap = monthly * mult + extra;
            let renewal = if anniversary { "anniversary" } else { "calendar" };
            let text = format!(
                "monthly_credits = {monthly}\ncap = {cap}\nexpiry_days = {}\nrenewal = \"{renewal}\"\n\
                 price_monthly = {}\n{}{}",
                expiry.map_or_else(|| quoted("none"), |d| d.to_string()),
                money(price_monthly, as_text),
                opt("price_annual", price_annual.map(|p| money(p, !as_text))),
                choice("billing", annual, "monthly", "annual"),
            );
            let price = match annual {
                Some(true) => price_annual.unwrap_or(price_monthly),
                _ => price_monthly,
            };
            (text, PlanFacts { monthly, cap, expiry, price })
        });
    prop_oneof![catalog, inline]
}

/// (the `[demand]` table, backlog).
fn demand() -> impl Strategy<Value = (String, bool)> {
    let volume = prop_oneof![
        (0u32..=60).prop_map(|k| format!("per_workday = {:?}", f64::from(k) / 4.0)),
        (0u32..=150).prop_map(|k| format!("per_week = {:?}", f64::from(k) / 2.0)),
        (0u32..=800).prop_map(|k| format!("per_cycle = {:?}", f64::from(k) / 2.0)),
    ];
    let flags = any::<(Option<bool>, Option<bool>, Option<bool>)>();
    (volume, flags).prop_map(|(volume, (fixed, weekends, backlog))| {
        let text = format!(
            "{volume}\n{}{}{}",
            choice("distribution", fixed, "poisson", "fixed"),
            opt("weekends", weekends),
            opt("backlog", backlog),
        );
        (text, backlog == Some(true))
    })
}

/// (the `rate = …` line, the rate is 0). Rates are whole percents or
/// tenths of one, so that every form is valid by construction.
fn rate() -> impl Strategy<Value = (String, bool)> {
    let pct = |k: u32| f64::from(k) / 100.0;
    let table = |dist: &str, keys: &[(&str, f64)]| {
        let kv: Vec<String> = keys.iter().map(|(k, v)| format!("{k} = {v:?}")).collect();
        format!(
            "rate = {{ distribution = \"{dist}\", {} }}\n",
            kv.join(", ")
        )
    };
    let zero_or_not = |text: String, x: f64| (text, x == 0.0);
    prop_oneof![
        Just((String::new(), false)),
        (0u32..=100).prop_map(move |k| zero_or_not(format!("rate = {:?}\n", pct(k)), pct(k))),
        (0u32..=1000).prop_map(move |k| {
            let x = f64::from(k) / 10.0;
            zero_or_not(format!("rate = \"{x}%\"\n"), x)
        }),
        (2u32..=40, 3u32..=40)
            .prop_map(|(lo, w)| (format!("rate = \"{lo}% to {}%\"\n", lo + w), false)),
        (0u32..=80, 1u32..=20).prop_map(move |(lo, w)| {
            let text = table("uniform", &[("low", pct(lo)), ("high", pct(lo + w))]);
            (text, false)
        }),
        (0u32..=60, 0u32..=20, 1u32..=20).prop_map(move |(lo, a, b)| {
            let keys = [
                ("low", pct(lo)),
                ("mode", pct(lo + a)),
                ("high", pct(lo + a + b)),
            ];
            (table("triangular", &keys), false)
        }),
        (5u32..=60, 10u32..=90).prop_map(move |(m, frac)| {
            let (mean, f) = (pct(m), pct(frac));
            let sd = (mean * (1.0 - mean)).sqrt() * f;
            (table("beta", &[("mean", mean), ("sd", sd)]), false)
        }),
        (2u32..=40, 3u32..=40).prop_map(move |(lo, w)| {
            (
                table("beta", &[("low", pct(lo)), ("high", pct(lo + w))]),
                false,
            )
        }),
    ]
}

/// The `[delay]` table: every family, with parameters valid by construction.
fn delay() -> impl Strategy<Value = String> {
    let empirical = prop::collection::vec((1u32..=20, 0u32..=10), 1..=6).prop_map(|rows| {
        let total = rows.iter().map(|r| r.1).sum::<u32>();
        let mut day = 0.0;
        let cells: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(i, &(gap, w))| {
                day += f64::from(gap) / 2.0;
                // All weights 0: the whole share goes to the first row.
                let share = if total == 0 {
                    f64::from(u8::from(i == 0))
                } else {
                    f64::from(w) / f64::from(total)
                };
                format!("[{day:?}, {share:?}]")
            })
            .collect();
        format!(
            "distribution = \"empirical\"\ntable = [{}]\n",
            cells.join(", ")
        )
    });
    let half = |k: u32| f64::from(k) / 2.0;
    prop_oneof![
        Just(String::new()),
        (1u32..=20, 1u32..=40).prop_map(move |(m, extra)| format!(
            "distribution = \"lognormal\"\nmedian_days = {:?}\np90_days = {:?}\n",
            half(m),
            half(m + extra)
        )),
        (1u32..=40).prop_map(move |k| {
            format!(
                "distribution = \"exponential\"\nmean_days = {:?}\n",
                half(k)
            )
        }),
        (1u32..=200).prop_map(|k| {
            format!(
                "distribution = \"fixed\"\ndays = {:?}\n",
                f64::from(k) / 4.0
            )
        }),
        empirical,
    ]
}

/// (the `declines_share` line, the `[refunds]` table, all declines kept).
fn refunds() -> impl Strategy<Value = (String, String, bool, bool)> {
    let share = prop::option::of((0u32..=10).prop_map(|k| f64::from(k) / 10.0));
    let window = prop::option::of(1u32..=120);
    (window, any::<Option<bool>>(), share, any::<Option<bool>>()).prop_map(
        |(window, declines, mut share, original)| {
            // Validation refuses declines = false with no declines (it would
            // have no effect): give the declines a share.
            if declines == Some(false) && share.unwrap_or(0.0) == 0.0 {
                share = Some(0.5);
            }
            let table = format!(
                "{}{}{}",
                opt("window_days", window),
                opt("declines", declines),
                choice("expiry", original, "fresh", "original"),
            );
            let kept = declines == Some(false) && share == Some(1.0);
            (
                opt("declines_share", share.map(|s| format!("{s:?}"))),
                table,
                kept,
                original == Some(true),
            )
        },
    )
}

/// (the `[open_profile]` table, share > 0, limit).
fn open_profile() -> impl Strategy<Value = (String, bool, Option<u32>)> {
    let share = prop::option::of((0u32..=20).prop_map(|k| f64::from(k) / 20.0));
    (share, prop::option::of(0u32..=30)).prop_map(|(share, limit)| {
        let text = format!(
            "{}{}",
            opt("share", share.map(|s| format!("{s:?}"))),
            opt("limit", limit)
        );
        (text, share.unwrap_or(0.0) > 0.0, limit)
    })
}

/// (the `[addons]` table, policy, price in cents).
fn addons() -> impl Strategy<Value = (String, Policy, i64)> {
    let when_empty = (
        prop::option::of(1u32..=10),
        prop::option::of((1u32..=5, 0u32..=3)),
    );
    let policy = prop_oneof![
        Just((String::new(), Policy::Never)),
        Just(("policy = \"never\"\n".to_string(), Policy::Never)),
        when_empty.prop_map(|(pack, max)| {
            let max = max.map(|(mult, extra)| pack.unwrap_or(1) * mult + extra);
            let text = format!(
                "policy = \"when_empty\"\n{}{}",
                opt("pack", pack),
                opt("max_per_month", max)
            );
            (
                text,
                Policy::WhenEmpty {
                    pack: pack.unwrap_or(1),
                    max,
                },
            )
        }),
        (1u32..=50).prop_map(|n| (
            format!("policy = \"monthly\"\nper_month = {n}\n"),
            Policy::Monthly(n)
        )),
    ];
    let extras = (
        prop::option::of(0i64..=5_000),
        prop::option::of(1u32..=200),
        any::<Option<bool>>(),
    );
    (policy, extras).prop_map(|((text, policy), (price, expiry, available))| {
        // available = false only goes with a policy that buys nothing.
        let available = available.map(|a| a || policy != Policy::Never);
        let text = format!(
            "{text}{}{}{}",
            opt("price", price.map(|p| money(p, p % 2 == 0))),
            opt("expiry_days", expiry),
            opt("available", available),
        );
        (text, policy, price.unwrap_or(1000))
    })
}

/// A start date, often on the 29th to 31st, as a TOML date or a string.
fn start_date() -> impl Strategy<Value = String> {
    let day = prop_oneof![1u32..=28, 29u32..=31];
    let date = (2023i32..=2031, 1u32..=12, day, any::<bool>()).prop_map(|(y, m, d, as_date)| {
        let date = format!("{y:04}-{m:02}-{:02}", d.min(days_in_month(y, m)));
        if as_date { date } else { quoted(&date) }
    });
    prop::option::of(date).prop_map(|d| opt("start_date", d))
}

type Rules = (
    String,
    String,
    u32,
    bool,
    bool,
    Vec<(usize, PlanFacts, bool)>,
);

/// (top-level lines, tables to append, seats, follow-ups on, floor set on,
/// plan changes): the rules of issue 6. Plan changes use catalog plans
/// (monthly billing) or cancel.
fn rules(months: u32, original_refunds: bool) -> impl Strategy<Value = Rules> {
    let ids: Vec<&'static str> = CATALOG.iter().map(|p| p.id).collect();
    let change = (1u32..=14, prop::option::of(prop::sample::select(ids)));
    let follow = prop::option::of((
        any::<Option<bool>>(),
        prop::option::of(1u32..=20),
        prop::option::of(0u32..=10),
        any::<Option<bool>>(),
    ));
    (
        prop::option::of((1u32..=3,)),
        follow,
        any::<Option<bool>>(),
        prop::collection::vec(change, 0..=2),
    )
        .prop_map(move |(seats, follow, floor, changes)| {
            let mut text = String::new();
            let n = seats.map_or(1, |s| s.0);
            let top = opt("seats", seats.map(|s| s.0));
            let mut follow_on = false;
            if let Some((enabled, after, factor, recruiter)) = follow {
                // The Recruiter rule (the default on Recruiter plans) refuses
                // refunds that keep their expiry: say "standard" then.
                let recruiter = if original_refunds { Some(false) } else { recruiter };
                follow_on = enabled != Some(false);
                text.push_str(&format!(
                    "[follow_ups]\n{}{}{}{}",
                    opt("enabled", enabled),
                    opt("after_days", after),
                    opt("response_factor", factor.map(|k| format!("{:?}", f64::from(k) / 10.0))),
                    choice("rule", recruiter, "standard", "recruiter"),
                ));
            }
            if let Some(on) = floor {
                text.push_str(&format!("[floor]\nenabled = {on}\n"));
            }
            let mut facts = Vec::new();
            for (from, id) in changes {
                let from = from.min(months);
                if from < 2 || facts.iter().any(|(c, _, _)| *c == from as usize - 1) {
                    continue;
                }
                let cancel = id.is_none();
                let fact = match id {
                    Some(id) => {
                        let p = find(id).expect("from the catalog");
                        text.push_str(&format!(
                            "[[plan_change]]\nfrom_cycle = {from}\nplan = {{ id = \"{id}\", billing = \"monthly\" }}\n"
                        ));
                        PlanFacts {
                            monthly: p.monthly_credits,
                            cap: p.cap,
                            expiry: p.expiry_days,
                            price: p.price_monthly_cents,
                        }
                    }
                    None => {
                        text.push_str(&format!("[[plan_change]]\nfrom_cycle = {from}\ncancel = true\n"));
                        PlanFacts { monthly: 0, cap: 0, expiry: None, price: 0 }
                    }
                };
                facts.push((from as usize - 1, fact, cancel));
            }
            facts.sort_by_key(|f| f.0);
            // Pooled or not is left to the plan (the `pooled` key lives in
            // [plan]; the generator does not write it).
            (top, text, n, follow_on, floor == Some(true), facts)
        })
}

pub fn spec() -> impl Strategy<Value = Spec> {
    let top = (
        0u64..=i64::MAX as u64,
        any::<u32>(),
        1u32..=15,
        start_date(),
    );
    let response = (rate(), any::<Option<bool>>(), refunds());
    (
        top,
        plan(),
        demand(),
        response,
        delay(),
        open_profile(),
        addons(),
    )
        .prop_map(|(top, plan, demand, response, delay, op, addons)| {
            let (seed, first_trial, months, start) = top;
            let ((rate, rate_zero), redraw, (declines_share, refunds, kept, original)) = response;
            let redraw = choice("redraw", redraw, "trial", "cycle");
            let text = format!(
                "seed = {seed}\nmonths = {months}\n{start}[plan]\n{}[demand]\n{}\
                 [response]\n{rate}{redraw}{declines_share}[delay]\n{delay}[refunds]\n{refunds}\
                 [open_profile]\n{}[addons]\n{}",
                plan.0, demand.0, op.0, addons.0
            );
            let spec = Spec {
                text,
                first_trial: u64::from(first_trial),
                months,
                plan: plan.1,
                backlog: demand.1,
                rate_zero,
                all_declines_kept: kept,
                open_profile: (op.1, op.2),
                policy: addons.1,
                addon_price: addons.2,
                seats: 1,
                follow_ups: false,
                floor: false,
                changes: Vec::new(),
            };
            (spec, original)
        })
        .prop_flat_map(|(base, original)| {
            rules(base.months, original).prop_map(
                move |(top, tables, seats, follow_ups, floor, changes)| {
                    let mut spec = base.clone();
                    spec.text = format!("{top}{}{tables}", spec.text);
                    spec.seats = seats;
                    spec.follow_ups = follow_ups;
                    spec.floor = floor;
                    spec.changes = changes;
                    spec
                },
            )
        })
}
