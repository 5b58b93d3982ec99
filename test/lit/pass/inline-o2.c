// -O2: after inlining, inlined code steps through the lines it came from (no call of
// its own), out-of-line functions still enter/exit, and loops keep a step per iteration.
// REQUIRES: plugin
// RUN: %clang -g -O2 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: %clang -g -O2 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t x 2>&1 | FileCheck %s --check-prefix=EXEC

volatile int sink;
static int square(int x) {
  sink = x; return x * x; // line 13, inlined into sum
}

__attribute__((noinline)) int sum(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += square(i);
  return s;
}

int main(int argc, char **argv) {
  (void)argv;
  return sum(argc * 2) == 14 ? 0 : 1;
}

// square is inlined away: only sum and main are in the table.
// IR: @__tr_module_desc = private global %struct.tr_module_desc { i32 1, i32 0, ptr @__tr_module_name, i32 1, i32 2,
// IR-NOT: @square
// IR-LABEL: define {{.*}} @sum(
// IR: call void @__tr_func_enter(
// IR: call void @__tr_step(
// IR: store volatile i32 {{.*}} @sink
// IR: call void @__tr_func_exit(
// IR: = !DILocation(line: 13, {{.*}}inlinedAt:

// EXEC-NOT: stub: ERROR
// EXEC: enter main inline-o2.c:23
// EXEC: enter sum inline-o2.c:16
// EXEC-NEXT: step inline-o2.c:18
// EXEC-NEXT: step inline-o2.c:13
// EXEC-NEXT: step inline-o2.c:19
// EXEC-NEXT: step inline-o2.c:18
// EXEC-NEXT: step inline-o2.c:13
// EXEC-NEXT: step inline-o2.c:19
// EXEC-NEXT: step inline-o2.c:18
// EXEC-NEXT: step inline-o2.c:13
// EXEC-NEXT: step inline-o2.c:19
// EXEC-NEXT: step inline-o2.c:18
// EXEC-NEXT: step inline-o2.c:13
// EXEC-NEXT: step inline-o2.c:19
// EXEC-NEXT: step inline-o2.c:18
// EXEC-NEXT: step inline-o2.c:20
// EXEC-NEXT: exit sum
// EXEC: exit main
// EXEC-NOT: stub: ERROR
