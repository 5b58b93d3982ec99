// End to end with the real runtime, C at -O0 and -O2: the drivers build it, the trace
// validates, and its calls, returns and steps follow the program (recursion, a loop,
// a callee's Return followed by a Step back on the caller's line).
// REQUIRES: plugin, runtime
// RUN: %tr-clang -O0 %s -o %t
// RUN: rm -rf %t.out && env TRACE_RECORD_OUT_DIR=%t.out %t | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t.out
// RUN: %trace-record print %t.out | grep -E '^[0-9]+ (Step|Call|Return)' | sed -E 's/^[0-9]+ //' | FileCheck %s
// RUN: %tr-clang -O2 %s -o %t.o2
// RUN: rm -rf %t.out2 && env TRACE_RECORD_OUT_DIR=%t.out2 %t.o2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t.out2
// RUN: %trace-record print %t.out2 | grep -E '^[0-9]+ (Step|Call|Return)' | sed -E 's/^[0-9]+ //' | FileCheck %s --check-prefix=O2
#include <stdio.h>

__attribute__((noinline)) int fact(int n) {
  if (n <= 1)
    return 1;
  return n * fact(n - 1);
}

int main(void) {
  int s = 0;
  for (int i = 1; i <= 2; i++)
    s += fact(i + 1);
  printf("s=%d\n", s);
  return 0;
}

// OUT: s=8

// CHECK: Call <top-level>()
// CHECK-NEXT: Step e2e-c.c:21
// CHECK-NEXT: Call main()
// CHECK-NEXT: Step e2e-c.c:22
// CHECK-NEXT: Step e2e-c.c:23
// CHECK-NEXT: Step e2e-c.c:24
// CHECK-NEXT: Step e2e-c.c:15
// CHECK-NEXT: Call fact(
// CHECK-NEXT: Step e2e-c.c:16
// CHECK-NEXT: Step e2e-c.c:18
// CHECK-NEXT: Step e2e-c.c:15
// CHECK-NEXT: Call fact(
// CHECK-NEXT: Step e2e-c.c:16
// CHECK-NEXT: Step e2e-c.c:17
// CHECK-NEXT: Step e2e-c.c:19
// CHECK-NEXT: Return 1
// CHECK-NEXT: Step e2e-c.c:18
// CHECK-NEXT: Step e2e-c.c:19
// CHECK-NEXT: Return 2
// CHECK-NEXT: Step e2e-c.c:24
// CHECK-NEXT: Step e2e-c.c:23
// CHECK-NEXT: Step e2e-c.c:24
// CHECK: Return 6
// CHECK-NEXT: Step e2e-c.c:24
// CHECK-NEXT: Step e2e-c.c:23
// CHECK-NEXT: Step e2e-c.c:25
// CHECK-NEXT: Step e2e-c.c:26
// CHECK-NEXT: Return 0
// CHECK-NOT: Return

// At -O2 fact's recursion becomes a loop: one Call per call from main.
// O2: Call main()
// O2: Call fact(
// O2-NOT: Call
// O2: Return 2
// O2-NEXT: Step e2e-c.c:24
// O2: Call fact(
// O2-NOT: Call
// O2: Return 6
// O2: Step e2e-c.c:25
// O2: Return 0
// O2-NOT: Return
