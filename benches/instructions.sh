#!/usr/bin/env bash
# Instructions per simulated month, counted by valgrind's callgrind, for
# every shipped scenario (scenarios/*.toml) and every variant of the
# reference in benches/variants/ (issue 22), with the ratio to the
# reference scenario, as a table. Usage:
#   bash benches/instructions.sh                 # the table (3-5 minutes)
#   TOP=10 bash benches/instructions.sh          # and each row's top functions
#   SCALE=0.5 bash benches/instructions.sh       # half the trials (quicker)
#   LINES=1 TOP=20 bash benches/instructions.sh  # top entries by source file
#   KEEP=DIR bash benches/instructions.sh        # keep the callgrind files
#   ROWS='reference|floor' bash benches/instructions.sh  # only rows whose file matches (the reference always runs: the ratios need it)
#   CARGO_TARGET_DIR=DIR bash benches/instructions.sh  # the build in DIR
# With fat LTO nearly everything is inlined into a few functions, so the
# function-level top list is coarse; LINES=1 measures a build with line
# tables (target/profiling, same code: the totals are identical) and lists
# file:function pairs, i.e. where the inlined source of each function comes
# from (`callgrind_annotate --auto=yes FILE` on a kept file gives lines).
# Needs valgrind (`apt-get install valgrind` on a fresh Debian/Ubuntu).
#
# What is counted. Each row runs the release binary as a user would, with
# its statistics: `inmail-sim run FILE --trials N --threads 1 --quiet
# --no-charts --out TMP`, under callgrind, at two trial counts N1 < N2.
# The row's cost is the difference of the two totals divided by the extra
# simulated months, (Ir(N2) - Ir(N1)) / ((N2 - N1) x months): start-up
# (parsing, thread pool, tables) is the same in both runs and cancels.
# Writing the output files is left out of the count (callgrind stops
# counting inside every `Exporter::write`; --collect-atstart must come after
# --toggle-collect, which otherwise turns counting off at start): it does
# not cancel, because histograms.csv gets more rows as more trials bring
# more distinct values, and on the backlog variant that alone made the
# marginal cost 4% higher between 1,600 and 8,000 trials than between
# 16,000 and 32,000 (10,750 and 10,775 a month without it). Recording the
# statistics, trial by trial, is counted; if the exporters are renamed the
# script stops (it checks that no CSV writing was counted).
# The CLI rather than a small example binary: it is exactly what users run
# (statistics included, the same batching and merging), it needs no extra
# build target (every `cargo test` builds every example), and the marginal
# cost removes the only thing an example would save, the start-up. One
# thread, so that the count does not depend on work stealing.
#
# Units. "per month" is per simulated cycle of one trial; seats that do not
# pool are also shown per seat-month (their ledgers are separate, the work
# scales with the seats), and every row per InMail demanded (the mean of
# summary.csv's `demand`, which sums the seats), the unit of the 30-a-day
# row's target. Targets (issue 22): every row at most 2x the reference per
# month (seats: per seat-month; 30 a day: per InMail, at most 1x), the
# reference at most 38,000 instructions per trial-year.
#
# Stability. Unlike times, the counts do not depend on the machine's load:
# two runs of this script on the same build (2026-12-06, the shared 2-core
# machine under a load of 6-10) printed identical Ir/month on all 19 rows
# (before output files were left out of the count, three runs differed by
# up to 0.03%). A row is a mean over the trials N1+1..N2, though, and
# trials differ in cost: SCALE=0.5 (other trials) moved rows by up to 0.8%
# (sends_30, addons_when_empty; most under 0.3%). So compare builds at the
# same SCALE (same trials, paired); where a change alters the draws, about
# 1% is within the trials' spread. Trial counts per row are chosen so that
# the N2 run takes about 1.2 x 10^9 instructions, 3-5 s under callgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || {
    echo "valgrind not found: apt-get install valgrind" >&2
    exit 1
}
if [ -n "${LINES:-}" ]; then
    CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
        cargo build --release --quiet --bin inmail-sim --target-dir target/profiling
    bin=./target/profiling/release/inmail-sim
else
    cargo build --release --quiet --bin inmail-sim
    bin=${CARGO_TARGET_DIR:-target}/release/inmail-sim
fi
scale=${SCALE:-1}
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; fi

# file and N2 (trials of the longer run; N1 = N2 / 5), about 1.2 x 10^9
# instructions each at the time of writing. The reference comes first: the
# ratios need it.
rows=(
    scenarios/reference.toml 20000
    scenarios/everything.toml 25000
    scenarios/inline_plan.toml 30000
    scenarios/premium_business.toml 30000
    scenarios/premium_career.toml 30000
    scenarios/recruiter_floor.toml 8000
    scenarios/recruiter_lite.toml 6000
    scenarios/sales_navigator_core_heavy.toml 16000
    scenarios/sales_navigator_core_heavy_addons.toml 8000
    scenarios/sales_navigator_core_light.toml 30000
    benches/variants/follow_ups.toml 6000
    benches/variants/backlog.toml 8000
    benches/variants/open_profile.toml 8000
    benches/variants/original_expiry.toml 10000
    benches/variants/addons_when_empty.toml 15000
    benches/variants/addons_monthly.toml 20000
    benches/variants/recruiter_lite_floor.toml 5000
    benches/variants/seats_unpooled.toml 6000
    benches/variants/sends_30.toml 6000
)

# Every file in scenarios/ and benches/variants/ must have a row, so that a
# new scenario cannot be left out of the table unnoticed.
for f in scenarios/*.toml benches/variants/*.toml; do
    found=
    for ((i = 0; i < ${#rows[@]}; i += 2)); do [ "${rows[i]}" = "$f" ] && found=1; done
    [ -n "$found" ] || { echo "$f has no row in $0" >&2; exit 1; }
done

# Total instructions of one run: FILE TRIALS TAG.
count() {
    local out="$work/$3"
    rm -rf "$out.d"
    valgrind --tool=callgrind --callgrind-out-file="$out.callgrind" \
        --toggle-collect='*as inmail_sim::export::Exporter>::write' --collect-atstart=yes \
        "$bin" run "$1" --trials "$2" --threads 1 --quiet --no-charts \
        --out "$out.d" 2>"$out.log" || { cat "$out.log" >&2; exit 1; }
    if grep -q 'csv_core' "$out.callgrind"; then
        echo "$1: CSV writing was counted: no function matches the --toggle-collect" \
            "pattern *as inmail_sim::export::Exporter>::write any more; update it" >&2
        exit 1
    fi
    awk '/^totals:/ { print $2 }' "$out.callgrind"
}

printf '%-34s %6s %10s %7s %9s %7s   %-30s %8s %s\n' \
    row months "Ir/month" "x ref" "Ir/InMail" "x ref" "target (issue 22)" measured met
ref_month= ref_inmail=
for ((i = 0; i < ${#rows[@]}; i += 2)); do
    file=${rows[i]}
    n2=$(awk -v n="${rows[i + 1]}" -v s="$scale" 'BEGIN { printf "%d", n * s }')
    n1=$((n2 / 5))
    tag=$(basename "$file" .toml)
    if [ -n "${ROWS:-}" ] && [ "$tag" != reference ] && ! [[ $file =~ $ROWS ]]; then continue; fi
    case $file in benches/variants/*) label="variant $tag" ;; *) label=$tag ;; esac
    "$bin" validate "$file" >/dev/null
    ir1=$(count "$file" "$n1" "$tag.n1")
    ir2=$(count "$file" "$n2" "$tag.n2")
    months=$(awk -F, '$1 == "months" { print $2 }' "$work/$tag.n2.d/metadata.csv")
    seats=$(sed -n 's/^\(plan\.\)\{0,1\}seats *= *\([0-9]*\).*/\2/p' "$file")
    seats=${seats:-1}
    # Mean InMails demanded per month: summary.csv's `demand` means, averaged
    # over the cycles, the columns found by name in its header.
    demand=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["metric"] == "demand" { s += $col["mean"]; c++ } END { print s / c }' \
        "$work/$tag.n2.d/summary.csv")
    if ! [[ $months =~ ^[0-9]+$ && $demand =~ ^[0-9.e+-]+$ ]]; then
        echo "$file: months '$months' or demand '$demand' not read from the outputs" >&2
        exit 1
    fi
    read -r month inmail < <(awk -v a="$ir1" -v b="$ir2" -v n1="$n1" -v n2="$n2" \
        -v m="$months" -v d="$demand" 'BEGIN {
            x = (b - a) / ((n2 - n1) * m); printf "%.2f %.4f\n", x, x / d }')
    if [ -z "$ref_month" ]; then ref_month=$month ref_inmail=$inmail; fi
    awk -v r="$label" -v t="$tag" -v mo="$months" -v x="$month" -v q="$inmail" -v s="$seats" \
        -v rm="$ref_month" -v rq="$ref_inmail" 'BEGIN {
        if (t == "reference") {
            target = "<= 38,000 per trial-year"; got = sprintf("%.0f", 12 * x); ok = 12 * x <= 38000
        } else if (t == "sends_30") {
            target = "per InMail <= 1x"; got = sprintf("%.2fx", q / rq); ok = q / rq <= 1
        } else if (s > 1) {
            target = "per seat-month <= 2x"; got = sprintf("%.2fx", x / s / rm); ok = x / s / rm <= 2
        } else {
            target = "per month <= 2x"; got = sprintf("%.2fx", x / rm); ok = x / rm <= 2
        }
        printf "%-34s %6d %10.0f %6.2fx %9.1f %6.2fx   %-30s %8s %s\n",
            r, mo, x, x / rm, q, q / rq, target, got, ok ? "yes" : "no" }'
    if [ -n "${TOP:-}" ]; then
        echo "    top ${TOP} functions (self cost, N2 run, start-up included, output files not counted):"
        callgrind_annotate --threshold=100 "$work/$tag.n2.callgrind" 2>/dev/null |
            grep -E '^ *[0-9,]+ \([ 0-9.]+%\)' | grep -v 'PROGRAM TOTALS' |
            head -n "$TOP" | sed -e 's/ \[[^]]*\]$//' -e 's/???://' \
                -e 's|/rustc/[0-9a-f]*/library/|std:|' -e 's|/root/.cargo/registry/src/[^/]*/|crate:|' \
                -e 's/^/    /' || true
    fi
done
echo "Ir: instructions (callgrind), marginal between N1 = N2/5 and N2 trials, 1 thread; statistics recorded, output files not counted."
echo "Ir/month: per simulated month of one trial (all seats). Ir/InMail: per InMail demanded (summary.csv's demand)."
[ -n "${KEEP:-}" ] && echo "callgrind files kept in $KEEP (callgrind_annotate FILE)"
exit 0
