#!/usr/bin/env bash
# CPU time (user + system) of the simulator and of the NumPy peer
# (benches/numpy_peer.py, a vectorised NumPy implementation of the same
# model, documented there) on the reference scenario, side by side, for the
# same number of simulated months (issue 22's target: the simulator at least
# 10x the peer). Usage:
#   bash benches/peer.sh [TRIALS] [ROUNDS]      (defaults 200000 and 5)
# Each round runs `inmail-sim run scenarios/reference.toml --trials TRIALS
# --threads 2 --quiet --no-charts` (every CSV, statistics included) and then
# the peer for the same trials (its monthly means only), each under
# getrusage; both are whole processes, start-up included (Python's and
# NumPy's import, about 0.1-0.2 s, is part of what a user pays). Every round
# also checks the peer's monthly means against that round's summary.csv
# (within 4 standard errors; a different seed in each round, so the check
# is repeated on independent draws) and stops if one is outside. Prints
# each round, then the median ratio peer / simulator with its range: the
# machine is shared and noisy, so only ratios from one run mean anything.
# Needs Python 3.11+ with NumPy (installed here with pip if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-200000}
rounds=${2:-5}
python3 -c 'import numpy' 2>/dev/null || pip install numpy
cargo build --release --quiet --bin inmail-sim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# CPU seconds (user + system) of a command and its children, to the
# microsecond (getrusage; /usr/bin/time prints hundredths); its output goes
# to $work/log.
cpu() {
    python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "w") as log:
    code = subprocess.call(sys.argv[2:], stdout=log, stderr=subprocess.STDOUT)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{r.ru_utime + r.ru_stime:.3f}")
sys.exit(code)' "$work/log" "$@" || { cat "$work/log" >&2; exit 1; }
}

echo "reference scenario, $trials trials x 12 months, $rounds rounds; CPU seconds (user + system)"
printf '%5s %12s %10s %7s\n' round "simulator" "NumPy peer" ratio
ratios=()
for ((r = 1; r <= rounds; r++)); do
    rm -rf "$work/run"
    sim=$(cpu "${CARGO_TARGET_DIR:-target}/release/inmail-sim" run scenarios/reference.toml --trials "$trials" \
        --seed "$r" --threads 2 --quiet --no-charts --out "$work/run")
    peer=$(cpu python3 benches/numpy_peer.py --trials "$trials" --seed "$((r + 1000))" \
        --compare "$work/run/summary.csv")
    [ "$r" = 1 ] && cp "$work/log" "$work/check"
    ratio=$(awk -v a="$peer" -v b="$sim" 'BEGIN { printf "%.2f", a / b }')
    ratios+=("$ratio")
    printf '%5d %12s %10s %6sx\n' "$r" "$sim" "$peer" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{ x[NR] = $1 } END {
    printf "peer / simulator CPU time: median %.2fx (range %.2fx-%.2fx over %d rounds); target >= 10x\n",
        x[int((NR + 1) / 2)], x[1], x[NR], NR }'
echo
echo "Monthly means, round 1 (peer seed 1001 vs simulator seed 1):"
cat "$work/check"
