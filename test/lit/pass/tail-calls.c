// musttail: __tr_func_exit goes before the musttail call (nothing may follow it), and
// the result still verifies. Instrumented functions lose attributes that the hooks make
// false (memory(none), willreturn, nosync, ...), so nothing downstream relies on them.
// REQUIRES: plugin
// RUN: %clang -g -O2 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: %clang -g -O2 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s --check-prefix=EXEC

__attribute__((noinline)) int odd(int n);

__attribute__((noinline)) int even(int n) {
  if (n == 0)
    return 1;
  __attribute__((musttail)) return odd(n - 1);
}

__attribute__((noinline)) int odd(int n) {
  if (n == 0)
    return 0;
  __attribute__((musttail)) return even(n - 1);
}

int main(void) { return even(2) == 1 ? 0 : 1; }

// IR-LABEL: define {{.*}} @even(
// IR: ret i32 1
// IR: call void @__tr_func_exit(
// IR-NEXT: musttail call i32 @odd(
// IR-NEXT: ret i32
// IR-NOT: memory(none)
// IR-NOT: willreturn

// Each musttail call ends its frame before the callee enters.
// EXEC-NOT: stub: ERROR
// EXEC: enter main tail-calls.c:26
// EXEC-NEXT: step tail-calls.c:26
// EXEC-NEXT: enter even tail-calls.c:14
// EXEC-NEXT: step tail-calls.c:15
// EXEC-NEXT: step tail-calls.c:17
// EXEC-NEXT: exit even
// EXEC-NEXT: enter odd tail-calls.c:20
// EXEC-NEXT: step tail-calls.c:21
// EXEC-NEXT: step tail-calls.c:23
// EXEC-NEXT: exit odd
// EXEC-NEXT: enter even tail-calls.c:14
// EXEC-NEXT: step tail-calls.c:15
// EXEC-NEXT: step tail-calls.c:{{16|18}}
// EXEC-NEXT: exit even
// EXEC-NEXT: step tail-calls.c:26
// EXEC-NEXT: exit main
// EXEC-NOT: stub: ERROR
