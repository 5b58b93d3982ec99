// -O2: variables located by computed DIExpressions (the optimiser deleted them and
// salvaged their debug values: DW_OP_plus_uconst, DW_OP_constu/consts with plus/minus/
// mul/shl/or, DW_OP_LLVM_convert sign extension, DW_OP_stack_value) are computed from the
// SSA values before the hook call; a variable assigned on both sides of a branch or in a
// loop is found through the PHI that merges its values at the join. The program prints
// the same values, checked against the trace.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O2 -Rpass-missed=trace-record %s -o %t/prog 2> %t/remarks
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' Type #' -e ' VariableName #' | FileCheck %s
// -O0: the same values from memory.
// RUN: %tr-clang -O0 %s -o %t/prog0
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace0 %t/prog0 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record print %t/trace0 | grep -v -e ' Type #' -e ' VariableName #' | FileCheck %s --check-prefix=O0
// Every expression of this program is understood: no "not computed" remark.
// RUN: not grep "shown as <optimized out>" %t/remarks
#include <stdio.h>

__attribute__((noinline)) static int walk(const int *v, int n) {
  int t = 0;
  for (int i = 0; i < n; i++) {
    int off = i * 4 + 3;
    int back = i - 7;
    long wide = back;
    int tripled = i * 3;
    t += v[i];
    short low = (short)(i - 2);
    printf("v=%d i=%d\n", v[i], i);
  }
  return t;
}

__attribute__((noinline)) static long stride(long n) {
  long acc = 0;
  for (long j = 10; j < n; j += 3) {
    long next = j + 100;
    acc += j + 100;
    printf("j=%ld next=%ld\n", j, j + 100);
  }
  return acc;
}

int main(int argc, char **argv) {
  (void)argv;
  int v[5] = {1, 2, 3, 4, 5};
  int t = walk(v, 2 + argc);
  long s = stride(17 + argc);
  printf("%d %ld\n", t, s);
  return 0;
}

// OUT:      v=1 i=0
// OUT-NEXT: v=2 i=1
// OUT-NEXT: v=3 i=2
// OUT-NEXT: j=10 next=110
// OUT-NEXT: j=13 next=113
// OUT-NEXT: j=16 next=116
// OUT-NEXT: 6 339

// Computed: off = i*4+3 (constu 4, mul, plus_uconst 3), back = i-7 (constu 7, minus),
// wide = (long)back (DW_OP_LLVM_convert 32 signed, 64 signed), tripled = i*3,
// low = (short)(i-2) (convert 32/16 unsigned), next = j+100 (plus_uconst 100).
// CHECK:      Call walk(v=0x{{[0-9a-f]+}} => 1, n=3)
// CHECK:      Step computed.c:30
// CHECK-NEXT: Value off = 3
// CHECK-NEXT: Value back = -7
// CHECK-NEXT: Value wide = -7
// CHECK-NEXT: Value tripled = 0
// CHECK-NEXT: Value low = -2
// CHECK-NEXT: Value i = 0
// CHECK-NEXT: Value t = 1
// CHECK:      Event Write "v=1 i=0\n"
// CHECK:      Step computed.c:30
// CHECK-NEXT: Value off = 7
// CHECK-NEXT: Value back = -6
// CHECK-NEXT: Value wide = -6
// CHECK-NEXT: Value tripled = 3
// CHECK-NEXT: Value low = -1
// CHECK-NEXT: Value i = 1
// CHECK-NEXT: Value t = 3
// CHECK:      Step computed.c:30
// CHECK-NEXT: Value off = 11
// CHECK-NEXT: Value back = -5
// CHECK-NEXT: Value wide = -5
// CHECK-NEXT: Value tripled = 6
// CHECK-NEXT: Value low = 0
// CHECK-NEXT: Value i = 2
// CHECK-NEXT: Value t = 6
// After the loop, t is the PHI that merges 0 (loop not entered) and the last sum.
// CHECK:      Step computed.c:32
// CHECK-NEXT: Value t = 6
// CHECK:      Return 6
// CHECK:      Call stride(n=18)
// CHECK:      Step computed.c:39
// CHECK-NEXT: Value next = 110
// CHECK-NEXT: Value j = 10
// CHECK:      Step computed.c:39
// CHECK-NEXT: Value next = 113
// CHECK-NEXT: Value j = 13
// CHECK:      Step computed.c:39
// CHECK-NEXT: Value next = 116
// CHECK-NEXT: Value j = 16
// CHECK:      Step computed.c:42
// CHECK-NEXT: Value acc = 339
// CHECK-NEXT: Value n = 18
// CHECK-NEXT: Return 339

// O0:      Step computed.c:31
// O0-NEXT: Value off = 3
// O0-NEXT: Value back = -7
// O0-NEXT: Value wide = -7
// O0-NEXT: Value tripled = 0
// O0-NEXT: Value low = -2
// O0:      Step computed.c:32
// O0-NEXT: Value t = 6
// O0:      Step computed.c:42
// O0-NEXT: Value acc = 339
