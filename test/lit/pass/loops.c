// Loops: each iteration gets a step, also for a loop written on one line, and the
// `for` header line is stepped once per iteration (not twice).
// REQUIRES: plugin
// RUN: %stub-rt -o %t.stub.o
// RUN: %clang -g -O0 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s
// RUN: %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll

int main(void) {
  int s = 0;
  for (int i = 0; i < 3; i++) {
    s += i;
  }
  int k = 3; while (k) k--;
  return s + k == 3 ? 0 : 1;
}

// CHECK-NOT: stub: ERROR
// CHECK: enter main loops.c:10
// CHECK-NEXT: step loops.c:11
// CHECK-NEXT: step loops.c:12
// CHECK-NEXT: step loops.c:13
// CHECK-NEXT: step loops.c:14
// CHECK-NEXT: step loops.c:12
// CHECK-NEXT: step loops.c:13
// CHECK-NEXT: step loops.c:14
// CHECK-NEXT: step loops.c:12
// CHECK-NEXT: step loops.c:13
// CHECK-NEXT: step loops.c:14
// CHECK-NEXT: step loops.c:12
// CHECK-NEXT: step loops.c:15
// CHECK-NEXT: step loops.c:15
// CHECK-NEXT: step loops.c:15
// CHECK-NEXT: step loops.c:15
// CHECK-NEXT: step loops.c:15
// CHECK-NEXT: step loops.c:16
// CHECK-NEXT: exit main
// CHECK-NOT: step

// UBSan's overflow checks split the `i++` latch into several blocks; the `for` line is
// still stepped once per iteration (RUN lines here keep the line numbers above).
// RUN: %clang -g -O0 -fsanitize=undefined -fpass-plugin=%plugin %s %t.stub.o -o %t.ubsan
// RUN: %t.ubsan 2>&1 | FileCheck %s
// ASan's use-after-scope adds lifetime markers located at the closing braces; they run
// no code and must not step there.
// RUN: %clang -g -O0 -fsanitize=address -fpass-plugin=%plugin %s %t.stub.o -o %t.asan
// RUN: %t.asan 2>&1 | FileCheck %s
