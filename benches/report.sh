#!/usr/bin/env bash
# Speed report: simulated months per second of the simulator and of the
# floor side by side (examples/throughput.rs), then peak memory of a full
# `inmail-sim run` at 10^6 and 10^8 simulated months. Usage:
#   bash benches/report.sh [TRIALS_FOR_THROUGHPUT] [ROUNDS]
# The 10^8-month run takes minutes; set SKIP_BIG=1 to leave it out.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bins --example throughput
echo "== throughput (scenarios/reference.toml)"
./target/release/examples/throughput scenarios/reference.toml "${1:-100000}" "${2:-5}"
echo
echo "== peak memory of inmail-sim run (reference scenario, 12 months)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for trials in 83334 8333334; do
    if [ "$trials" = 8333334 ] && [ -n "${SKIP_BIG:-}" ]; then continue; fi
    /usr/bin/time -f "%M" -o "$out/rss" ./target/release/inmail-sim run scenarios/reference.toml \
        --trials "$trials" --quiet --out "$out/run" 
    printf '%10d trials (%d months): peak RSS %d KiB\n' "$trials" $((trials * 12)) "$(cat "$out/rss")"
done
