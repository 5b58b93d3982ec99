// Without -g the pass traces functions only: with the real runtime the trace has every
// call and return (entry steps on line 1 of the file, the declaration line being
// unknown), no line steps, and validates.
// REQUIRES: plugin, runtime
// RUN: %clang -O0 -fpass-plugin=%plugin %s -o %t %rt-ldflags 2>&1 | FileCheck %s --check-prefix=WARN
// RUN: rm -rf %t.out && env TRACE_RECORD_OUT_DIR=%t.out TRACE_RECORD_FORMAT=json %t | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t.out
// RUN: %trace-record print %t.out | grep -E '^[0-9]+ (Step|Call|Return)' | sed -E 's/^[0-9]+ //' | FileCheck %s
#include <stdio.h>

static int sq(int x) { return x * x; }
static int sum_sq(int n) {
  int s = 0;
  for (int i = 1; i <= n; i++)
    s += sq(i);
  return s;
}

int main(void) {
  printf("%d\n", sum_sq(3));
  return 0;
}

// WARN: warning: {{.*}}e2e-no-debug.c compiled without debug info (-g)
// OUT: 14
// CHECK: Call <top-level>()
// CHECK-NEXT: Step e2e-no-debug.c:1
// CHECK-NEXT: Call main()
// CHECK-NEXT: Step e2e-no-debug.c:1
// CHECK-NEXT: Call sum_sq()
// CHECK-NEXT: Step e2e-no-debug.c:1
// CHECK-NEXT: Call sq()
// CHECK-NEXT: Return None
// CHECK-NEXT: Step e2e-no-debug.c:1
// CHECK-NEXT: Call sq()
// CHECK-NEXT: Return None
// CHECK-NEXT: Step e2e-no-debug.c:1
// CHECK-NEXT: Call sq()
// CHECK-NEXT: Return None
// CHECK-NEXT: Return None
// CHECK-NEXT: Return None
// CHECK-NOT: {{Step|Call|Return}}
