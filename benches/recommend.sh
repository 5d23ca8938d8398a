#!/usr/bin/env bash
# Issue 19's performance check for `recommend` (a benchmark, not a timed
# test): the whole catalog at one seat on scenarios/reference.toml, to a
# $1 resolution of the leaders, on 2 threads. Prints the wall time, the
# trial-years spent and what a plain full-precision compare of every
# candidate (max_trials each) would spend. The target: under a minute on
# a 2-core machine.
#
# Usage: bash benches/recommend.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/inmail-sim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for extra in "" "--what-if-addons"; do
    dir="$out/run${extra}"
    start=$(date +%s.%N)
    "$bin" recommend scenarios/reference.toml --threads 2 --quiet --out "$dir" $extra
    end=$(date +%s.%N)
    value() { grep "^$1," "$dir/metadata.csv" | cut -d, -f2; }
    printf 'recommend %-17s candidates %3s  rounds %s  wall %.2f s  trial-years %s (full-precision compare: %s)  -> %s\n' \
        "${extra:-(catalog)}" "$(value candidates)" "$(value rounds)" "$(echo "$end - $start" | bc)" \
        "$(value trial_years_spent)" "$(value trial_years_full_precision)" "$(value recommendation)"
done
