// -O2: small structs split into pieces by SROA (#dbg_value with DW_OP_LLVM_fragment):
// the pieces, when all known and covering the variable, are put back together.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O2 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' Type #' -e ' VariableName #' | FileCheck %s
#include <stdio.h>
struct point { int x, y; };
__attribute__((noinline)) static int dot(struct point a, struct point b) {
  struct point c = {a.x * b.x, a.y * b.y};
  int r = c.x + c.y;
  printf("%d %d %d\n", c.x, c.y, r);
  return r;
}
int main(int argc, char **argv) {
  (void)argv;
  struct point p = {argc + 1, 3};
  struct point q = {4, argc + 4};
  int d = dot(p, q);
  printf("%d\n", d);
  return 0;
}

// OUT: 8 15 23
// CHECK:      Call dot(a=struct point{x: 2, y: 3}, b=struct point{x: 4, y: 5})
// CHECK-NEXT: Step fragments.c:12
// CHECK-NEXT: Value c = <optimized out>
// CHECK-NEXT: Value a = struct point{x: 2, y: 3}
// CHECK-NEXT: Value b = struct point{x: 4, y: 5}
// CHECK-NEXT: Step fragments.c:13
// CHECK-NEXT: Value c = struct point{x: 8, y: 15}
// CHECK-NEXT: Value r = <optimized out>
// CHECK:      Step fragments.c:14
// CHECK-NEXT: Value c = struct point{x: 8, y: 15}
// CHECK-NEXT: Value r = 23
// CHECK:      Return 23
