# The real-program benchmark corpus and its builds, shared by scripts/bench and
# bench/trace_size.sh (sourced, not run). The caller defines $root, $cache (tarballs,
# kept), $work (the bench-work folder: sources, cached objects), $plugin, $CC, $CXX,
# log MESSAGE and fail MESSAGE, and sources scripts/realcode/common.sh first.
#
# Per program: lang (C or C++), opt (default -O2), cflags, sources, args (the main
# workload), small (the small workload, for lines + values). bench_corpus_fetch fetches
# and unpacks SQLite, expat and Hunspell and defines them (programs=(sqlite expat
# hunspell)); a caller may define programs of its own in the same arrays.
# bench_compile SET... compiles the objects of those sets of every program in
# `programs` into $work/obj/<program>/<set>/ (cached: rebuilt when the plugin, a source or
# the flags change); bench_link PROGRAM SET FLAGS OUT links them.
declare -A lang opt cflags sources args small

# Object sets: plain; func: plugin with lines and values off (calls and returns, names
# and lines from -g); lines: plugin, values off; full: plugin (lines and values); pg.
plug="-g -fplugin=$plugin -fpass-plugin=$plugin"
declare -A setflags=([plain]="" [func]="$plug -mllvm -trace-record-lines=0 -mllvm -trace-record-values=0"
                     [lines]="$plug -mllvm -trace-record-values=0" [full]="$plug" [pg]="-pg")

bench_corpus_fetch() {
  realcode_fetch "$REALCODE_SQLITE_SPEC" "$REALCODE_SQLITE_TGZ"
  realcode_fetch "$REALCODE_HUNSPELL_SPEC" "$REALCODE_HUNSPELL_TGZ"
  realcode_fetch "$REALCODE_EXPAT_SPEC" "$REALCODE_EXPAT_TGZ"
  local src=$work/src
  rm -rf "$src" && mkdir -p "$src"
  tar xzf "$cache/$REALCODE_SQLITE_TGZ" -C "$src" "$REALCODE_SQLITE_DIR"
  tar xzf "$cache/$REALCODE_HUNSPELL_TGZ" -C "$src" "$REALCODE_HUNSPELL_DIR" \
    package/test/dictionaries/en_us.aff package/test/dictionaries/en_us.dic
  tar xzf "$cache/$REALCODE_EXPAT_TGZ" -C "$src" "$REALCODE_EXPAT_DIR/lib" \
    "$REALCODE_EXPAT_DIR/expat_config.h"
  local dict=$src/package/test/dictionaries
  # The words to check: the dictionary's stems (without affix flags), fixed order.
  sed -n '2,$p' "$dict/en_us.dic" | cut -d/ -f1 | grep -E '^[a-z]{3,}$' >"$work/words.txt"
  # A small dictionary for the small workload: every 500th en_US entry.
  sed -n '2,$p' "$dict/en_us.dic" | awk 'NR % 500 == 0' >"$work/small.words"
  { wc -l <"$work/small.words"; cat "$work/small.words"; } >"$work/small.dic"

  # Two workloads per program: the main one (~0.1-1 s plain) for every build but lines +
  # values, and a small one for lines + values (which records tens of millions of events
  # per second of plain run time), its floor and a plain run of the same small workload.
  lang[sqlite]=C
  cflags[sqlite]="-DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -w -I$src/$REALCODE_SQLITE_DIR"
  sources[sqlite]="$src/$REALCODE_SQLITE_DIR/sqlite3.c $root/bench/real/sqlite_bench.c"
  args[sqlite]=${BENCH_SQLITE_ARGS:-60000}
  small[sqlite]=${BENCH_SQLITE_SMALL:-100}
  lang[expat]=C
  local ex=$src/$REALCODE_EXPAT_DIR
  cflags[expat]="-DHAVE_EXPAT_CONFIG_H -DXML_POOR_ENTROPY -w -I$ex -I$ex/lib"
  sources[expat]="$ex/lib/xmlparse.c $ex/lib/xmlrole.c $ex/lib/xmltok.c $root/bench/real/expat_bench.c"
  args[expat]=${BENCH_EXPAT_ARGS:-20000}
  small[expat]=${BENCH_EXPAT_SMALL:-30}
  lang[hunspell]=C++
  local hs=$src/$REALCODE_HUNSPELL_DIR
  cflags[hunspell]="-w -I$hs"
  sources[hunspell]="$(for f in "${REALCODE_HUNSPELL_FILES[@]}"; do printf '%s ' "$hs/$f.cxx"; done)$root/bench/real/hunspell_bench.cpp"
  args[hunspell]="$dict/en_us.aff $dict/en_us.dic $work/words.txt ${BENCH_HUNSPELL_ARGS:-1000}"
  small[hunspell]="$dict/en_us.aff $work/small.dic $work/small.words ${BENCH_HUNSPELL_SMALL:-20}"
  programs=(sqlite expat hunspell)
}

# compile PROGRAM SET SOURCE OBJ (skipped when OBJ is up to date)
compile() {
  local p=$1 set=$2 s=$3 o=$4 cc=$CC
  [ "${lang[$p]}" = C++ ] && cc=$CXX
  local flags="${opt[$p]:--O2} ${setflags[$set]} ${cflags[$p]}"
  local key
  key=$( { echo "$cc $flags"; cat "$s"; case $set in func | lines | full) cat "$plugin" ;; esac; } | sha256sum | cut -c1-16)
  [ -s "$o" ] && [ "$(cat "$o.key" 2>/dev/null)" = "$key" ] && return 0
  # shellcheck disable=SC2086
  if ! "$cc" $flags -c "$s" -o "$o" 2>"$o.err"; then
    cat "$o.err" >&2; return 1
  fi
  echo "$key" >"$o.key"
}
# Compiles run BENCH_JOBS (default 2) at a time.
throttle() { while [ "$(jobs -rp | wc -l)" -ge "${BENCH_JOBS:-2}" ]; do wait -n || fail "a compile failed"; done; }
bench_compile() { # bench_compile SET...
  local p set s
  for p in "${programs[@]}"; do
    for set in "$@"; do
      mkdir -p "$work/obj/$p/$set"
      for s in ${sources[$p]}; do
        throttle
        compile "$p" "$set" "$s" "$work/obj/$p/$set/$(basename "$s").o" &
      done
    done
  done
  while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || fail "a compile failed"; done
  wait || fail "a compile failed"
}
bench_link() { # bench_link PROGRAM SET "FLAGS" OUT
  local cc=$CC
  [ "${lang[$1]}" = C++ ] && cc=$CXX
  # shellcheck disable=SC2046,SC2086
  "$cc" $(ls "$work/obj/$1/$2"/*.o) -lm $3 -o "$4"
}
