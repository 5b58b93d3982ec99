// Without -g: functions only (enter/exit, no steps), names from the symbols
// (demangled), file = the module's source, line 0, flag TR_MODULE_NO_DEBUG_INFO; one
// warning per compilation.
// REQUIRES: plugin
// RUN: %clang -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll 2> %t.err
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: FileCheck %s --check-prefix=WARN < %t.err
// RUN: %stub-rt -o %t.stub.o
// RUN: %clang -O1 -fpass-plugin=%plugin %s %t.stub.o -o %t 2> %t.err2
// RUN: FileCheck %s --check-prefix=WARN < %t.err2
// RUN: %t 2>&1 | FileCheck %s --check-prefix=EXEC

__attribute__((noinline)) int twice(int x) { return 2 * x; }
__attribute__((noinline)) int thrice(int x) { return 3 * x; }

int main(void) { return twice(thrice(1)) == 6 ? 0 : 1; }

// IR: { i32 1, i32 1, ptr @__tr_module_name, i32 1, i32 3,
// IR: c"{{/.*}}no-debug.c\00"
// IR-NOT: call void @__tr_step(

// WARN: trace-record: warning: {{.*}}no-debug.c compiled without debug info (-g): only calls and returns are traced, no steps
// WARN-NOT: warning

// EXEC-NOT: stub: ERROR
// EXEC: flags=1
// EXEC-NEXT: enter main no-debug.c:0
// EXEC-NEXT: enter thrice no-debug.c:0
// EXEC-NEXT: exit thrice
// EXEC-NEXT: enter twice no-debug.c:0
// EXEC-NEXT: exit twice
// EXEC-NEXT: exit main
