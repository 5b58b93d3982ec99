#!/usr/bin/env bash
# The writer's W(N) in JSON and binary, alternately, RUNS times each; prints the best wall
# time of each and the ratio of events/s (binary / JSON). Ratios from one run of this
# script are comparable; absolute times depend on the machine and its load.
#   bench/writer_compare.sh BUILD_DIR [N] [RUNS]     (after: ninja -C BUILD_DIR bench_writer)
# Also prints binary at compression level 1 and with compression on the caller's thread
# (compression_threads 0) for comparison; the reference setting is level 3, 2 threads.
set -euo pipefail
B=$(cd "${1:?usage: writer_compare.sh BUILD_DIR [N] [RUNS]}" && pwd)/bench
n=${2:-1000000}
runs=${3:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best() { # best FORMAT [LEVEL THREADS] -> "seconds bytes rss"
  local b=999 bytes=0 rss=0 out s
  for _ in $(seq "$runs"); do
    rm -rf "$tmp/t"
    out=$("$B/bench_writer" "$n" "$tmp/t" "$@")
    s=$(awk '$1 == "seconds" { print $2 }' <<<"$out")
    if awk -v s="$s" -v b="$b" 'BEGIN { exit !(s < b) }'; then
      b=$s
      bytes=$(awk '$1 == "output" { print $3 }' <<<"$out")
      rss=$(awk '$1 == "peak" { print $4 }' <<<"$out")
    fi
  done
  echo "$b $bytes $rss"
}
events=$("$B/bench_writer" "$n" "$tmp/t" json | awk '$1 == "events" { print $2 }')
read -r js jb jr < <(best json)
read -r bs bb br < <(best binary)
read -r b1 b1b _ < <(best binary 1 2)
read -r b0 _ _ < <(best binary 3 0)
printf "W(%s): %s events, best of %s runs each\n" "$n" "$events" "$runs"
printf "%-34s %8s %12s %10s %8s\n" format seconds "events/s" "MB" "RSS MB"
row() { printf "%-34s %8s %12.0f %10.1f %8s\n" "$1" "$2" "$(awk -v e="$events" -v s="$2" 'BEGIN { print e / s }')" "$(awk -v b="$3" 'BEGIN { print b / 1e6 }')" "$4"; }
row "json" "$js" "$jb" "$jr"
row "binary (level 3, 2 threads)" "$bs" "$bb" "$br"
row "binary (level 1, 2 threads)" "$b1" "$b1b" "-"
row "binary (level 3, caller's thread)" "$b0" "$bb" "-"
awk -v j="$js" -v b="$bs" -v jb="$jb" -v bb="$bb" 'BEGIN {
  printf "binary / json: %.2fx the events/s, %.1f%% of the size (1/%.0f)\n", j / b, 100 * bb / jb, jb / bb }'
