//! Property tests standing in for a fuzzer (cargo fuzz needs a nightly
//! toolchain): scenario parsing and validation must, on any input, return
//! (never panic), within a time bound, with an error message of bounded
//! length. Inputs are arbitrary bytes, arbitrary text, TOML-like text, and
//! scenarios built from every real key with hostile values (gigantic
//! numbers, NaN and infinities, wrong types, empty and deeply nested
//! tables and arrays, long strings) and hostile command-line overrides.
//!
//! Cases per property: 64 by default (the whole file runs in a few seconds
//! in the dev profile); `PROPTEST_CASES=100000 cargo test --release --test
//! parse_fuzz` runs longer.

use inmail_sim::engine::Model;
use inmail_sim::runner::memory;
use inmail_sim::scenario::{Overrides, parse};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::Path;
use std::time::{Duration, Instant};

/// A guard against hangs and quadratic passes, not a speed measurement: a
/// 10 MB file parses in about 0.2 s in the dev profile on an idle machine,
/// and took 5.5 s once while a release build shared the two cores; a pass
/// quadratic in 10^7 bytes would take hours. So the bound sits far above
/// any load and far below a hang.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// 20 lines of at most 300 characters and the file name: see
/// `scenario::error`.
const MESSAGE_LIMIT_CHARS: usize = 7000;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        ..Config::default()
    }
}

/// Parses and validates; on success also builds the engine's model and the
/// memory estimate, which read every validated value.
fn check(text: &str, overrides: &Overrides) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let result = parse(text, Path::new("fuzz.toml"), overrides);
    match result {
        Ok(scenario) => {
            let bytes = memory::run_bytes(&[&scenario], scenario.trials, 64);
            prop_assert!(bytes > 0);
            let _ = Model::new(scenario);
        }
        Err(e) => {
            let message = e.to_string();
            let chars = message.chars().count();
            prop_assert!(
                chars <= MESSAGE_LIMIT_CHARS,
                "a message of {chars} characters: {message:.300}"
            );
            prop_assert!(message.starts_with("fuzz.toml: "), "{message:.300}");
        }
    }
    let took = started.elapsed();
    prop_assert!(took < TIME_LIMIT, "took {took:?}");
    Ok(())
}

/// Every key of the scenario file (src/scenario/raw.rs), by table.
const KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "name",
            "description",
            "seed",
            "trials",
            "months",
            "start_date",
            "seats",
        ],
    ),
    (
        "plan",
        &[
            "id",
            "name",
            "billing",
            "monthly_credits",
            "cap",
            "expiry_days",
            "renewal",
            "price_monthly",
            "price_annual",
            "seats",
            "pooled",
        ],
    ),
    (
        "demand",
        &[
            "per_workday",
            "per_week",
            "per_cycle",
            "distribution",
            "weekends",
            "backlog",
        ],
    ),
    ("response", &["rate", "redraw", "declines_share"]),
    (
        "delay",
        &[
            "distribution",
            "median_days",
            "p90_days",
            "mean_days",
            "days",
            "table",
        ],
    ),
    ("refunds", &["window_days", "declines", "expiry"]),
    ("open_profile", &["share", "limit"]),
    (
        "addons",
        &[
            "available",
            "policy",
            "price",
            "pack",
            "max_per_month",
            "per_month",
            "expiry_days",
        ],
    ),
    (
        "follow_ups",
        &["enabled", "after_days", "response_factor", "rule"],
    ),
    ("floor", &["enabled"]),
    ("plan_change", &["from_cycle", "plan", "cancel"]),
];

/// Words the validator knows, so that generated scenarios get past the
/// first check and reach the later ones.
const WORDS: &[&str] = &[
    "free",
    "premium_career",
    "premium_business",
    "sales_navigator_core",
    "sales_navigator_advanced",
    "sales_navigator_advanced_plus",
    "recruiter_lite",
    "recruiter_professional_services",
    "recruiter_corporate",
    "monthly",
    "annual",
    "calendar",
    "anniversary",
    "poisson",
    "fixed",
    "lognormal",
    "exponential",
    "empirical",
    "uniform",
    "triangular",
    "beta",
    "trial",
    "cycle",
    "fresh",
    "original",
    "never",
    "when_empty",
    "standard",
    "recruiter",
    "none",
    "12%",
    "120%",
    "-5%",
    "10% to 25%",
    "25% to 10%",
    "10%-25%",
    "$10.00",
    "$1,600.00",
    "2026-01-01",
    "2026-02-30",
    "",
    "é∞\u{0}",
];

fn integer() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..100).prop_map(|i| i.to_string()),
        prop::sample::select(vec![
            i64::MAX,
            i64::MIN,
            -1,
            0,
            1,
            1200,
            1201,
            1000,
            1001,
            3650,
            10_000,
            310_000,
            1_000_000_000,
            1_000_000_000_000,
            4_294_967_295,
            4_294_967_296,
        ])
        .prop_map(|i| i.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
    ]
}

fn float() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "nan", "+nan", "-nan", "inf", "+inf", "-inf", "1e30", "1e308", "-1e308", "5e-324",
            "-0.0", "0.0", "0.5", "0.999999", "1.0", "1e-300", "12.5", "99.0", "100.0",
        ])
        .prop_map(str::to_string),
        any::<f64>().prop_map(|x| format!("{x:?}")),
        (0.0f64..50.0).prop_map(|x| format!("{x:?}")),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(|w| format!("{w:?}")),
        1 => ".{0,40}".prop_map(|s| format!("{s:?}")),
        1 => (1usize..200_000).prop_map(|n| format!("\"{}\"", "x".repeat(n))),
    ]
}

/// A hostile value of any type, nested up to `depth` levels (arrays and
/// inline tables of hostile values, with real keys inside the tables).
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        integer(),
        float(),
        string(),
        Just("true".to_string()),
        Just("false".to_string()),
        Just("2026-01-01".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("[[1, 0.5], [3, 0.5]]".to_string()),
        Just("{ distribution = \"beta\", mean = 0.15, sd = 0.04 }".to_string()),
        Just("{ id = \"recruiter_lite\" }".to_string()),
        (1usize..3000).prop_map(|n| format!("{}1{}", "[".repeat(n), "]".repeat(n))),
        (1usize..3000).prop_map(|n| format!("{}1{}", "{a=".repeat(n), "}".repeat(n))),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key_name(), inner), 0..6).prop_map(|kv| {
                let fields: Vec<String> = kv.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", fields.join(", "))
            }),
        ]
    })
}

/// A real key (of any table) or, rarely, an unknown one.
fn key_name() -> impl Strategy<Value = String> {
    let all: Vec<&str> = KEYS
        .iter()
        .flat_map(|(_, keys)| keys.iter().copied())
        .collect();
    prop_oneof![
        9 => prop::sample::select(all).prop_map(str::to_string),
        1 => "[a-z_]{1,12}",
    ]
}

/// A scenario: a valid base (so that validation goes deep), then up to 10
/// keys set to hostile values; `[[plan_change]]` tables repeat.
fn scenario() -> impl Strategy<Value = String> {
    let table = 0..KEYS.len();
    let entry = (table, any::<prop::sample::Index>(), value());
    (prop::collection::vec(entry, 0..10), any::<bool>()).prop_map(|(entries, keep_base)| {
        let mut tables: Vec<Vec<(String, String)>> = vec![Vec::new(); KEYS.len()];
        if keep_base {
            tables[1].push(("id".into(), "\"sales_navigator_core\"".into()));
            tables[2].push(("per_workday".into(), "5".into()));
        }
        for (t, index, value) in entries {
            let key = index.get(KEYS[t].1).to_string();
            // Last one wins, so most documents are not duplicate-key errors.
            tables[t].retain(|(k, _)| *k != key);
            tables[t].push((key, value));
        }
        let mut text = String::new();
        for (t, rows) in tables.iter().enumerate() {
            let name = KEYS[t].0;
            if name == "plan_change" {
                for (k, v) in rows {
                    text.push_str(&format!("[[plan_change]]\nfrom_cycle = 2\n{k} = {v}\n"));
                }
                continue;
            }
            if !name.is_empty() {
                text.push_str(&format!("[{name}]\n"));
            }
            for (k, v) in rows {
                text.push_str(&format!("{k} = {v}\n"));
            }
        }
        text
    })
}

/// Every combination of `--trials`, `--months` and `--seed`, hostile too.
fn overrides() -> impl Strategy<Value = Overrides> {
    let trials = prop::option::of(prop_oneof![
        Just(0u64),
        Just(1),
        Just(1_000_000_000_000),
        Just(1_000_000_000_001),
        Just(u64::MAX),
        any::<u64>(),
    ]);
    let months = prop::option::of(prop_oneof![
        Just(0u32),
        Just(1),
        Just(1200),
        Just(1201),
        Just(u32::MAX),
        any::<u32>(),
    ]);
    let seed = prop::option::of(any::<u64>());
    (trials, months, seed).prop_map(|(trials, months, seed)| Overrides {
        trials,
        months,
        seed,
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4000)) {
        check(&String::from_utf8_lossy(&bytes), &Overrides::default())?;
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,2000}") {
        check(&text, &Overrides::default())?;
    }

    #[test]
    fn toml_like_text_never_panics(text in "[\\[\\]{}=.,\"'#a-z_0-9 \\n+-]{0,600}") {
        check(&text, &Overrides::default())?;
    }

    #[test]
    fn scenarios_with_hostile_values_never_panic(text in scenario(), ov in overrides()) {
        check(&text, &ov)?;
    }
}

/// The largest scenarios validation accepts are validated quickly.
#[test]
fn the_largest_valid_scenarios_validate_quickly() {
    let largest = "trials = 1000000000000\nmonths = 1200\nseats = 1000\n\
        [plan]\nid = \"recruiter_corporate\"\n[demand]\nper_cycle = 310\n\
        [follow_ups]\nafter_days = 90\n\
        [[plan_change]]\nfrom_cycle = 1200\nplan = { id = \"free\" }\n";
    for ov in [
        Overrides::default(),
        Overrides {
            trials: Some(1_000_000_000_000),
            months: Some(1200),
            seed: Some(u64::MAX),
        },
    ] {
        let started = Instant::now();
        let sc = parse(largest, Path::new("largest.toml"), &ov).unwrap();
        assert_eq!((sc.trials, sc.months), (1_000_000_000_000, 1200));
        let took = started.elapsed();
        // No pass over the trials or the months: that would take hours.
        assert!(took < TIME_LIMIT, "validation took {took:?}");
    }
}

/// A 10 MB file of each shape is handled within the time bound.
#[test]
fn ten_megabyte_inputs_return_quickly_with_short_messages() {
    let huge = "x".repeat(10_000_000);
    let base = "[plan]\nid = \"free\"\n[demand]\nper_workday = 1\n";
    let digits = "9".repeat(10_000_000);
    for text in [
        format!("name = \"{huge}\"\n{base}"),
        format!("description = \"{huge}\"\n{base}"),
        format!("{base}[response]\nrate = \"{huge}\"\n"),
        format!("{base}[response.rate]\ndistribution = \"fixed\"\n{huge} = 1\n"),
        format!("{huge} = 1\n{base}"),
        format!("months = {digits}\n{base}"),
        format!(
            "{base}[delay]\ndistribution = \"empirical\"\ntable = [{}[1, 1.0]]\n",
            "[1, 0.0], ".repeat(1_000_000)
        ),
        format!("#{huge}\n{base}"),
        "[".repeat(10_000_000),
        "a.".repeat(5_000_000) + "b = 1",
    ] {
        check(&text, &Overrides::default()).unwrap();
    }
}
