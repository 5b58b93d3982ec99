#!/usr/bin/env bash
# Lines + values on real programs against a given runtime build, without recompiling them:
#   bench/values_real.sh BUILD_DIR [BENCH_WORK]
# BENCH_WORK is the bench-work folder of a `scripts/bench` run (default:
# BUILD_DIR/bench-work); its cached fully instrumented objects (obj/<prog>/full) are linked
# against BUILD_DIR/runtime's libtrace_record_rt (and libtrace_record_rt_empty for the floor),
# then each program runs its small workload (as scripts/bench: SQLite 100 rows, expat 30
# records, Hunspell on the small dictionary). The objects must have been compiled by a pass
# whose value-hook ABI matches the runtime.
# Prints per program: wall seconds (best of VALUES_REAL_RUNS, default 1), events, events
# per second, and the floor (same objects, empty hooks). With VALUES_REAL_PERF=1 it also
# records `perf record` per program into OUT/<prog>.perf and prints the busiest threads.
# The stdout of every run must equal the floor's (fails otherwise).
set -euo pipefail
build=$(cd "${1:?usage: values_real.sh BUILD_DIR [BENCH_WORK]}" && pwd)
work=$(cd "${2:-$build/bench-work}" && pwd)
runs=${VALUES_REAL_RUNS:-1}
rt=$build/runtime
out=${VALUES_REAL_OUT:-$build/values-real}
mkdir -p "$out"
dict=$work/src/package/test/dictionaries
declare -A small=(
  [sqlite]="100"
  [expat]="30"
  [hunspell]="$dict/en_us.aff $work/small.dic $work/small.words 20"
)
declare -A cc=([sqlite]=clang-19 [expat]=clang-19 [hunspell]=clang++-19)
printf "%-9s %9s %9s %11s %11s\n" program floor_s full_s events events/s
for p in sqlite expat hunspell; do
  objs=$(ls "$work/obj/$p/full"/*.o)
  # shellcheck disable=SC2086
  "${cc[$p]}" $objs -lm -L"$rt" -ltrace_record_rt -Wl,-rpath,"$rt" -o "$out/$p.full"
  # shellcheck disable=SC2086
  "${cc[$p]}" $objs -lm -L"$rt" -ltrace_record_rt_empty -Wl,-rpath,"$rt" -o "$out/$p.empty-full"
  # shellcheck disable=SC2206
  a=(${small[$p]})
  t0=$(date +%s%N); "$out/$p.empty-full" "${a[@]}" >"$out/$p.floor.out"; t1=$(date +%s%N)
  floor=$(( t1 - t0 ))
  best=0
  for ((i = 0; i < runs; i++)); do
    rm -rf "$out/trace" "$out/summary"
    t0=$(date +%s%N)
    TRACE_RECORD_SUMMARY=$out/summary TRACE_RECORD_OUT_DIR=$out/trace "$out/$p.full" "${a[@]}" >"$out/$p.full.out"
    t1=$(date +%s%N)
    ns=$(( t1 - t0 ))
    if [ "$best" = 0 ] || [ "$ns" -lt "$best" ]; then best=$ns; fi
    cmp -s "$out/$p.floor.out" "$out/$p.full.out" || { echo "values_real: $p printed something else" >&2; exit 1; }
  done
  read -r _ events _ <"$out/summary"
  awk -v p="$p" -v f="$floor" -v b="$best" -v e="$events" 'BEGIN {
    printf "%-9s %9.3f %9.3f %11d %11.0f\n", p, f / 1e9, b / 1e9, e, e / (b / 1e9) }'
  if [ "${VALUES_REAL_PERF:-0}" = 1 ]; then
    rm -rf "$out/trace"
    TRACE_RECORD_OUT_DIR=$out/trace perf record -F 499 -g -o "$out/$p.perf" "$out/$p.full" "${a[@]}" \
      >/dev/null 2>"$out/$p.perf.err"
    perf report -i "$out/$p.perf" --no-children --sort pid -g none 2>/dev/null | grep '%' | head -3
  fi
  rm -rf "$out/trace"
done
