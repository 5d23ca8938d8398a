#!/usr/bin/env bash
# Regenerates the charts the README shows, from shipped scenarios with fixed
# seeds and modest trial counts, with the release binary:
#
#   bash docs/charts/regenerate.sh
#
# Each chart is copied here as <command>_<chart>.svg; the CSVs are thrown
# away. The same binary gives byte-identical SVGs on every run.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
bin=target/release/inmail-sim
docs=docs/charts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Run charts: the balance fan and refunds/expired of light use (credits
# pile up and expire), the first exhausted month of Recruiter Lite (some
# trials run out early, most never do), the first blocked day of heavy use.
$bin run scenarios/sales_navigator_core_light.toml --trials 20000 --seed 1 --quiet --out "$work/light"
$bin run scenarios/recruiter_lite.toml --trials 20000 --seed 1 --quiet --out "$work/lite"
$bin run scenarios/sales_navigator_core_heavy.toml --trials 20000 --seed 1 --quiet --out "$work/heavy"
cp "$work/light/balance_fan.svg" "$docs/run_balance_fan.svg"
cp "$work/light/refunds_expired.svg" "$docs/run_refunds_expired.svg"
cp "$work/lite/first_exhausted_month.svg" "$docs/run_first_exhausted_month.svg"
cp "$work/heavy/first_blocked_day.svg" "$docs/run_first_blocked_day.svg"

$bin compare scenarios/compare/core_addons_vs_advanced/*.toml --trials 20000 --seed 1 --quiet --out "$work/compare"
cp "$work/compare/cost_distribution.svg" "$docs/compare_cost_distribution.svg"
cp "$work/compare/cost_difference.svg" "$docs/compare_cost_difference.svg"

$bin sweep scenarios/compare/premium_business_addons_vs_core/*.toml \
  --param demand.per_workday=0.5..2.5:0.25 --trials 5000 --seed 1 --quiet --out "$work/sweep"
cp "$work/sweep/sweep_cost.svg" "$docs/sweep_cost.svg"

$bin sensitivity scenarios/sales_navigator_core_heavy_addons.toml --trials 5000 --seed 1 --quiet --out "$work/sensitivity"
cp "$work/sensitivity/tornado.svg" "$docs/sensitivity_tornado.svg"

ls "$docs"/*.svg
