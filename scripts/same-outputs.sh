#!/usr/bin/env bash
# Are two commits' outputs byte-identical? Builds each commit (release) in a
# scratch worktree, runs every shipped scenario, every shipped compare set, a
# sweep and a sensitivity run at a fixed seed and a small trial count, and
# diffs every file they write. Metadata lines that record the run's wall time
# or thread count (the only things allowed to differ) are left out of the
# comparison. Usage, from the repository root:
#   bash scripts/same-outputs.sh BEFORE [AFTER]      (AFTER defaults to the work tree)
# Prints one line per output folder and exits 1 on the first difference list.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: same-outputs.sh BEFORE [AFTER]}
after=${2:-}
scratch=$(mktemp -d)
trap 'git worktree remove --force "$scratch/before-src" >/dev/null 2>&1 || true;
      [ -n "$after" ] && git worktree remove --force "$scratch/after-src" >/dev/null 2>&1;
      rm -rf "$scratch"' EXIT
trials=${TRIALS:-2000}

build() { # build REV DIR -> path of the binary
    local rev=$1 dir=$2
    if [ -z "$rev" ]; then
        cargo build --release --quiet --bin inmail-sim
        echo "$PWD/target/release/inmail-sim"
        return
    fi
    git worktree add --quiet --detach "$dir" "$rev"
    # Reuse this tree's compiled dependencies.
    CARGO_TARGET_DIR="$PWD/target/same-outputs" cargo build --release --quiet \
        --manifest-path "$dir/Cargo.toml" --bin inmail-sim
    cp "$PWD/target/same-outputs/release/inmail-sim" "$scratch/$(basename "$dir").bin"
    echo "$scratch/$(basename "$dir").bin"
}

run_all() { # run_all BINARY OUTROOT
    local bin=$1 root=$2 s set
    for s in scenarios/*.toml; do
        "$bin" run "$s" --trials "$trials" --seed 7 --threads 2 --quiet \
            --out "$root/run_$(basename "$s" .toml)"
    done
    for set in scenarios/compare/*/; do
        "$bin" compare "$set"*.toml --trials "$trials" --seed 7 --threads 2 --quiet \
            --out "$root/compare_$(basename "$set")"
    done
    "$bin" sweep scenarios/compare/premium_business_addons_vs_core/*.toml \
        --param demand.per_workday=0.5..2.5:0.5 --trials "$trials" --seed 7 --threads 2 \
        --quiet --out "$root/sweep"
    "$bin" sensitivity scenarios/reference.toml --trials "$trials" --seed 7 --threads 2 \
        --quiet --out "$root/sensitivity"
}

strip_run_facts() { # the wall time and thread count may differ; nothing else
    find "$1" -name 'metadata.*' -exec sed -i -E \
        -e '/^(wall_time|threads|wall_time_seconds)[ ,]/d' \
        -e '/"(wall_time|threads|wall_time_seconds)"/d' {} +
}

bin_before=$(build "$before" "$scratch/before-src")
bin_after=$(build "$after" "$scratch/after-src")
run_all "$bin_before" "$scratch/out-before"
run_all "$bin_after" "$scratch/out-after"
strip_run_facts "$scratch/out-before"
strip_run_facts "$scratch/out-after"
status=0
for d in "$scratch"/out-before/*/; do
    name=$(basename "$d")
    if diff -r "$d" "$scratch/out-after/$name" >"$scratch/diff" 2>&1; then
        echo "identical  $name ($(ls "$d" | wc -l) files)"
    else
        echo "DIFFERENT  $name"; head -20 "$scratch/diff"; status=1
    fi
done
exit $status
