#!/usr/bin/env bash
# Runtime benchmarks in one run: hook cost against the floor (empty hooks) and
# the uninstrumented program, threads, and function-level tracing against uftrace.
#   bench/runtime_compare.sh BUILD_DIR      (after: ninja -C BUILD_DIR runtime_bench)
set -euo pipefail
B=$(cd "${1:?usage: runtime_compare.sh BUILD_DIR}" && pwd)/bench
tmp=$(mktemp -d)
cd "$tmp" # -pg programs write gmon.out into the working directory
trap 'rm -rf "$tmp"' EXIT
val() { awk -v k="$1" '$1 == k { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
diff_ns() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }

echo "== hot path (bursts that fit the buffers; ns per op, binary format)"
none=$("$B/runtime_workload_none" hot 2>&1 >/dev/null)
empty=$("$B/runtime_workload_empty" hot 2>&1 >/dev/null)
rt=$(TRACE_RECORD_OUT_DIR=$tmp/hot "$B/runtime_workload_rt" hot 2>&1 >/dev/null)
printf "%-6s %8s %8s %8s %12s %10s %10s\n" op none empty rt "rt-empty" "rt/empty" "rt/none"
for k in step call bare printf; do
  n=$(val $k <<<"$none"); e=$(val $k <<<"$empty"); r=$(val $k <<<"$rt")
  printf "%-6s %8s %8s %8s %12s %10s %10s\n" $k "$n" "$e" "$r" "$(diff_ns "$r" "$e")" \
    "$(ratio "$r" "$e")" "$(ratio "$r" "$n")"
done
echo "(step: one __tr_step; call: enter + step + exit; bare: enter + exit;"
echo " printf: step + printf of one line to stdout (/dev/null), captured as an Event by rt)"

echo "== threads (TRACE_RECORD_THREADS=all; CPU ns per step per thread)"
for t in 1 2 4; do
  e=$("$B/runtime_workload_empty" threads $t | awk '{print $2}')
  r=$(TRACE_RECORD_THREADS=all TRACE_RECORD_OUT_DIR=$tmp/thr$t "$B/runtime_workload_rt" threads $t | awk '{print $2}')
  echo "threads=$t empty=$e rt=$r"
done

N=${N:-2000000}
echo "== function-level tracing vs uftrace ($N calls of a leaf function; ns per call)"
pg_hot=$(uftrace record -d "$tmp/uft-hot" "$B/runtime_workload_pg" hot 2>&1 >/dev/null | val bare)
pg=$("$B/runtime_workload_pg" sustained bare "$N" | awk '{print $2}')
uft=$(uftrace record -d "$tmp/uft" "$B/runtime_workload_pg" sustained bare "$N" | awk '{print $2}')
ours=$(TRACE_RECORD_OUT_DIR=$tmp/ours "$B/runtime_workload_rt" sustained bare "$N" | awk '{print $2}')
ours_json=$(TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=$tmp/oursj "$B/runtime_workload_rt" sustained bare "$N" | awk '{print $2}')
echo "hot bursts:  uftrace $pg_hot  trace-record $(val bare <<<"$rt")  ratio uftrace/ours $(ratio "$pg_hot" "$(val bare <<<"$rt")")"
echo "sustained:   -pg alone $pg  uftrace $uft  trace-record binary $ours  json $ours_json  ratio ours/uftrace $(ratio "$ours" "$uft")"
echo "sizes:       uftrace $(du -sh "$tmp/uft" | cut -f1)  trace-record binary $(du -sh "$tmp/ours" | cut -f1)  json $(du -sh "$tmp/oursj" | cut -f1)"
