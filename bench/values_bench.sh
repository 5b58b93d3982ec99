#!/usr/bin/env bash
# Values hot path: ns per operation against the floor (empty hooks).
#   bench/values_bench.sh BUILD_DIR      (after: ninja -C BUILD_DIR values_bench)
set -euo pipefail
B=$(cd "${1:?usage: values_bench.sh BUILD_DIR}" && pwd)/bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
val() { awk -v k="$1" '$1 == k { print $2 }'; }
empty=$("$B/values_workload_empty" hot)
rt=$(TRACE_RECORD_OUT_DIR=$tmp/t "$B/values_workload_rt" hot)
printf "%-10s %8s %8s %10s\n" op empty rt rt-empty
for k in step step+4i step+4r struct ptr_stack str_heap str_mmap ptr_mmap optout; do
  e=$(val "$k" <<<"$empty"); r=$(val "$k" <<<"$rt")
  printf "%-10s %8s %8s %10s\n" "$k" "$e" "$r" "$(awk -v a="$r" -v b="$e" 'BEGIN { printf "%.2f", a - b }')"
done
s=$(val step <<<"$rt"); i=$(val step+4i <<<"$rt"); r=$(val step+4r <<<"$rt")
awk -v s="$s" -v i="$i" -v r="$r" 'BEGIN {
  printf "per recorded scalar value: in memory %.2f ns, SSA %.2f ns\n", (i - s) / 4, (r - s) / 4 }'
