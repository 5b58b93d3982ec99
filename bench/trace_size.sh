#!/usr/bin/env bash
# Trace size the way CodeTracer pays for it (issue 12): bench/trace_size.sh BUILD_DIR [LABEL]
#
# Records each sample twice, lines only and lines + values, and measures each trace with
# `trace-record stats --load --json`: the trace on disk, its decoded (CBOR) bytes, the
# value bytes per step (median, p90, max), the memory that holding every decoded event
# takes and CodeTracer's estimated load memory; plus the wall time of each recording and
# the lines + values / lines ratio. Samples (TRACE_SIZE_SAMPLES, default all):
#   people         bench/size/people.c, a small program like CodeTracer's samples (-O0)
#   chunks         bench/size/chunks.c, uint8_t chunks[64][64] in main, 12,800 folds (-O0)
#   deflate_state  bench/size/deflate_state.c, a pointer to a 5 KB state in a hot loop (-O0)
#   sqlite expat hunspell   scripts/bench's programs on their small workload (-O2), built
#                  from its corpus (fetched with npm, objects cached in BUILD_DIR/bench-work)
# Writes bench/size/LABEL.tsv (LABEL: before or after, default after) and regenerates
# bench/RESULTS.md and bench/results.png (bench/real/report.py), which show the before and
# after columns side by side. TRACE_SIZE_OUT=DIR writes DIR/LABEL.tsv instead and leaves
# the report alone; TRACE_SIZE_WORK=DIR keeps objects and runs in DIR instead of
# BUILD_DIR/bench-work and BUILD_DIR/trace-size (the smoke test, test/lit/tools).
# Bounds: each recording and each stats run gets TRACE_SIZE_TIMEOUT seconds (default 600)
# and may write at most TRACE_SIZE_MAX_FILE bytes per file (default 4G, ulimit -f); stats
# holds at most TRACE_SIZE_MAX_MEMORY (default 2G) of decoded events. A figure past a bound
# is reported as "over". TRACE_SIZE_RUNS (default 1): recordings per build, best kept.
# The stdout of the lines and lines + values runs must be the same (fails otherwise).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: bench/trace_size.sh BUILD_DIR [before|after]}" && pwd)
label=${2:-after}
case $label in before | after) ;; *) echo "trace_size: LABEL must be before or after" >&2; exit 2 ;; esac
plugin=$build/pass/TraceRecord.so
rtdir=$build/runtime
cli=$build/tools/trace-record
for f in "$plugin" "$cli" "$rtdir/libtrace_record_rt.so"; do
  [ -e "$f" ] || { echo "trace_size: missing $f (build the project first: scripts/build $build)" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "trace_size: python3 is missing" >&2; exit 1; }
CC=${TRACE_RECORD_CLANG_C:-clang-19}
CXX=${TRACE_RECORD_CLANG_CXX:-clang++-19}
samples=${TRACE_SIZE_SAMPLES:-people chunks deflate_state sqlite expat hunspell}
timeout_s=${TRACE_SIZE_TIMEOUT:-600}
max_file=${TRACE_SIZE_MAX_FILE:-4G}
max_memory=${TRACE_SIZE_MAX_MEMORY:-2G}
runs=${TRACE_SIZE_RUNS:-1}
out=${TRACE_SIZE_OUT:-$root/bench/size}
cache=$build/realcode-cache
# The corpus and the cached objects (shared with scripts/bench), and the runs' folder.
work=${TRACE_SIZE_WORK:-$build/bench-work}
run=${TRACE_SIZE_WORK:+$TRACE_SIZE_WORK/run}
run=${run:-$build/trace-size}
mkdir -p "$cache" "$work/obj" "$run" "$out"
started=$(date +%s)
load_start=$(cut -d' ' -f1 /proc/loadavg)
log() { echo "trace_size: $*"; }
fail() { echo "trace_size: FAIL: $*" >&2; exit 1; }
. "$root/scripts/realcode/common.sh"
. "$root/scripts/realcode/bench_corpus.sh"

# ------------------------------------------------------------------ samples and builds
own=() real=()
for s in $samples; do
  case $s in
    people | chunks | deflate_state) own+=("$s") ;;
    sqlite | expat | hunspell) real+=("$s") ;;
    *) fail "unknown sample '$s'" ;;
  esac
done
for s in "${own[@]}"; do
  lang[$s]=C opt[$s]=-O0 cflags[$s]="" sources[$s]=$root/bench/size/$s.c small[$s]=""
done
# The ulimit -f unit is 1024 bytes.
file_blocks=$(( $(numfmt --from=iec "$max_file") / 1024 ))
if [ ${#real[@]} -gt 0 ]; then
  bench_corpus_fetch
fi
programs=("${own[@]}" "${real[@]}")
log "compiling (cached objects are reused)"
bench_compile lines full
bin=$run/bin
mkdir -p "$bin"
for p in "${programs[@]}"; do
  for set in lines full; do
    bench_link "$p" "$set" "-L$rtdir -ltrace_record_rt -Wl,-rpath,$rtdir" "$bin/$p.$set"
  done
done
log "built in $(( $(date +%s) - started ))s"

# ------------------------------------------------------------------ runs
# record PROGRAM SET: best wall ns of $runs recordings into $run/trace (the last one kept);
# prints "NS STATUS" (STATUS: ok, timeout or file-limit).
record() {
  local p=$1 set=$2 best=0 status=ok i t0 t1 rc
  # shellcheck disable=SC2206
  local a=(${small[$p]})
  for ((i = 0; i < runs; i++)); do
    rm -rf "$run/trace"
    t0=$(date +%s%N)
    rc=0
    (cd "$run" && ulimit -f "$file_blocks" &&
      TRACE_RECORD_OUT_DIR=$run/trace exec timeout "$timeout_s" "$bin/$p.$set" "${a[@]}") \
      >"$run/$p.$set.out" 2>"$run/$p.$set.err" || rc=$?
    t1=$(date +%s%N)
    case $rc in
      0) ;;
      124) status=timeout ;;
      153) status=file-limit ;; # SIGXFSZ
      *) cat "$run/$p.$set.err" >&2; fail "$p ($set) exited with $rc" ;;
    esac
    if [ "$best" = 0 ] || [ $((t1 - t0)) -lt "$best" ]; then best=$((t1 - t0)); fi
    [ $status = ok ] || break
  done
  echo "$best $status"
}

tsv=$out/$label.tsv
tmp=$run/$label.tsv
printf 'sample\tbuild\tworkload\tstatus\twall_ns\tevents\tsteps\tbin_bytes\tdecoded_bytes\tvalue_bytes\tvps_median\tvps_p90\tvps_max\tvps_max_at\theld_bytes\tcodetracer_bytes\n' >"$tmp"
for p in "${programs[@]}"; do
  for set in lines full; do
    r=$(record "$p" "$set")
    ns=${r% *} status=${r#* }
    if [ "$set" = full ] && [ "$status" = ok ] && [ "$(cat "$run/$p.lines.status" 2>/dev/null)" = ok ]; then
      cmp -s "$run/$p.lines.out" "$run/$p.full.out" ||
        { diff "$run/$p.lines.out" "$run/$p.full.out" | head >&2; fail "$p: lines + values printed something else"; }
    fi
    echo "$status" >"$run/$p.$set.status"
    bin_bytes=$(stat -c %s "$run/trace/trace.bin" 2>/dev/null || echo 0)
    rc=0
    (ulimit -f "$file_blocks" && exec timeout "$timeout_s" "$cli" stats --load --max-memory "$max_memory" \
      --json "$run/trace") >"$run/stats.json" 2>"$run/stats.err" || rc=$?
    case $rc in
      0 | 1) ;;             # 1: the decoded events did not fit --max-memory (reported in the JSON)
      124) status=$status+stats-timeout ;;
      *) cat "$run/stats.err" >&2; fail "$p ($set): trace-record stats exited with $rc" ;;
    esac
    workload=small
    case $p in people | chunks | deflate_state) workload=default ;; esac
    python3 - "$run/stats.json" "$p" "$set" "$workload" "$status" "$ns" "$bin_bytes" "$rc" >>"$tmp" <<'EOF'
import json, sys
path, p, build, workload, status, ns, bin_bytes, rc = sys.argv[1:9]
if rc == "124":
    print("\t".join([p, build, workload, status, ns] + ["over"] * 11))
    sys.exit()
j = json.load(open(path))
v = j["value_bytes_per_step"] or {}
h = j["held_in_memory"]
held = "over:%d" % h["cap"] if h["over_cap"] else str(h["heap_bytes"])
where = "%s:%s" % (v.get("max_path", "").rsplit("/", 1)[-1], v.get("max_line", ""))
if v.get("max_function"):
    where += " " + v["max_function"]
print("\t".join(str(x) for x in [
    p, build, workload, status, ns, j["events"], j["steps"], bin_bytes, j["decoded_bytes"],
    j["value_bytes"], v.get("median", 0), v.get("p90", 0), v.get("max", 0), where, held,
    j["codetracer_estimate"]["total"]]))
EOF
    log "$p $set: $(tail -1 "$tmp" | cut -f4-13 | tr '\t' ' ')"
    rm -rf "$run/trace"
  done
done
mv "$tmp" "$tsv"
elapsed=$(( $(date +%s) - started ))
printf 'command\tbench/trace_size.sh %s %s\nelapsed_s\t%s\ngenerated\t%s\ntimeout_s\t%s\nmax_memory\t%s\nruns\t%s\nload\t%s %s\n' \
  "${1}" "$label" "$elapsed" "$(date -u '+%Y-%m-%d %H:%M UTC')" "$timeout_s" "$max_memory" "$runs" \
  "$load_start" "$(cut -d' ' -f1 /proc/loadavg)" >"$out/$label.meta"
log "wrote $tsv in ${elapsed}s"
if [ -z "${TRACE_SIZE_OUT:-}" ]; then
  python3 "$root/bench/real/report.py" "$root/bench" "$run"
  log "regenerated bench/RESULTS.md and bench/results.png"
fi
