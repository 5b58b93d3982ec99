// End to end with the real runtime: longjmp over instrumented frames closes them (one
// Return each), and exit() leaves the calls open (no fake Returns); the trace validates.
// REQUIRES: plugin, runtime
// RUN: %tr-clang -O0 %s -o %t
// RUN: rm -rf %t.out && env TRACE_RECORD_OUT_DIR=%t.out not %t
// RUN: %trace-record validate %t.out
// RUN: %trace-record print %t.out | grep -E '^[0-9]+ (Step|Call|Return)' | sed -E 's/^[0-9]+ //' | FileCheck %s
#include <setjmp.h>
#include <stdlib.h>

static jmp_buf env;

__attribute__((noinline)) void deep(int n) {
  if (n == 0)
    longjmp(env, 1);
  deep(n - 1);
}

__attribute__((noinline)) void leave(void) { exit(3); }

int main(void) {
  if (setjmp(env) == 0)
    deep(2);
  leave();
  return 0;
}

// CHECK: Call main()
// CHECK: Call deep(
// CHECK: Call deep(
// CHECK: Call deep(
// CHECK: Step e2e-longjmp.c:15
// CHECK-NEXT: Return
// CHECK-NEXT: Return
// CHECK-NEXT: Return
// CHECK-NEXT: Step e2e-longjmp.c:22
// CHECK: Call leave()
// CHECK-NOT: Return
