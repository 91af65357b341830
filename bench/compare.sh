#!/usr/bin/env bash
# Runs the Java JMH benchmarks and the @divviup/prio3 benchmark on this machine, one after the
# other, and prints the side-by-side table of docs/PERFORMANCE.md. Takes about 15 minutes.
#   bench/compare.sh [JMH options...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${PANDO_BENCH_OUT:-$ROOT/bench/target/compare}"
mkdir -p "$OUT"
"$ROOT/bin/pando" bench Prio3Bench -rf json -rff "$OUT/jmh.json" "$@" > "$OUT/jmh.txt"
"$ROOT/bench/ts/run.sh" > "$OUT/ts.json" 2> "$OUT/ts.txt"
node "$ROOT/bench/compare.mjs" "$OUT/jmh.json" "$OUT/ts.json"
echo "raw results: $OUT" >&2
