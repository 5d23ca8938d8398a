#!/usr/bin/env bash
# Speed report: simulated months per second of the simulator and of the
# yardstick side by side (examples/throughput.rs), then a full `inmail-sim run`
# of the reference scenario at 10^6 simulated months and, end to end with
# every output file, at 10^7 trials x 12 months (1.2 x 10^8 simulated
# months): wall time, months per second and peak memory. Usage:
#   bash benches/report.sh [TRIALS_FOR_THROUGHPUT] [ROUNDS]
# The 10^7-trial run takes a few minutes; set SKIP_BIG=1 to leave it out.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bins --example throughput
echo "== throughput (scenarios/reference.toml)"
./target/release/examples/throughput scenarios/reference.toml "${1:-100000}" "${2:-5}"
echo
echo "== inmail-sim run, reference scenario, 12 months, all cores, every output file"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for trials in 83334 10000000; do
    if [ "$trials" = 10000000 ] && [ -n "${SKIP_BIG:-}" ]; then continue; fi
    rm -rf "$out/run"
    /usr/bin/time -f "%e %M" -o "$out/time" ./target/release/inmail-sim run \
        scenarios/reference.toml --trials "$trials" --quiet --out "$out/run"
    read -r seconds rss < "$out/time"
    months=$((trials * 12))
    awk -v t="$trials" -v m="$months" -v s="$seconds" -v r="$rss" 'BEGIN {
        printf "%10d trials (%d months): %.1f s wall, %.0f months/s, peak RSS %.1f MiB\n",
            t, m, s, m / s, r / 1024 }'
done
