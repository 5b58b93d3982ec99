// Doubles whose text is longer than 255 bytes (5e-324, DBL_MAX, 1e-300, -1e256)
// are written as ONE definite-length CBOR text string (TRACE_FORMAT.md §5.1): the
// reference's chunked (indefinite-length) form makes CodeTracer reject the whole
// trace.bin, and validate reports it. The full text reads back in both formats.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_OUT_DIR=%t/trace %t/prog
// RUN: %trace-record validate %t/trace | FileCheck --check-prefix=OK %s
// The decompressed stream: key "f" (61 66) then a 2-byte text head (79 hh ll), never 7f.
// RUN: tail -c +9 %t/trace/trace.bin | zstd -q -d -c | od -An -v -tx1 | tr -d ' \n' > %t/cbor.hex
// RUN: FileCheck --check-prefix=HEX %s < %t/cbor.hex
// RUN: %trace-record print %t/trace | FileCheck %s
// RUN: %trace-record convert %t/trace --to json -o %t/json 2>/dev/null
// RUN: %trace-record print %t/json | FileCheck %s
#include <float.h>

int main(void) {
  double tiny = 5e-324;
  double big = DBL_MAX;
  double small = 1e-300;
  double neg = -1e256;
  return tiny > 0 && big > 0 && small > 0 && neg < 0 ? 0 : 1;
}

// OK: ok:
// HEX-NOT: 61667f
// HEX: 6166790146302e{{(30){200}(30){123}35}}67
// HEX: 6166790135{{3137393736393331333438363233313537(30){200}(30){92}6}}7
// HEX: 616679012e302e{{(30){200}(30){99}31}}67
// HEX: 66790102{{2d31(30){200}(30){56}6}}7
// CHECK: Value tiny = {{0\.0{200}0{123}5$}}
// CHECK: Value big = {{17976931348623157(0){200}0{92}$}}
// CHECK: Value small = {{0\.0{200}0{99}1$}}
// CHECK: Value neg = {{-10{200}0{56}$}}
