#!/usr/bin/env bash
# Package test: install trace-record into a scratch prefix, build the
# stand-alone examples/toolsmith project against it with find_package(TraceRecord),
# run it, and validate the traces it writes (JSON and binary).
#   run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1
build=$2
work="$build/package-test"
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples/toolsmith" -B "$work/build" -G Ninja \
  -DCMAKE_CXX_COMPILER="${CXX:-clang++-19}" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
for fmt in json binary; do
  "$work/build/mini_interpreter" "$work/trace-$fmt" "$fmt"
  "$build/tools/trace-record" validate "$work/trace-$fmt"
done
cmp <("$build/tools/trace-record" print "$work/trace-json") <("$build/tools/trace-record" print "$work/trace-binary")
echo "package test: ok"
