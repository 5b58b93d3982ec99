// -trace-record-lines=0 (or `lines off` in a filter file): functions only, with the
// debug info's names, files and declaration lines, no steps.
// REQUIRES: plugin
// RUN: %clang -O1 -g -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-lines=0 \
// RUN:   -S -emit-llvm %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: echo "lines off" > %t.filter
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter %clang -O1 -g -fpass-plugin=%plugin -S -emit-llvm \
// RUN:   %s -o %t2.ll
// RUN: FileCheck %s --check-prefix=IR < %t2.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter %clang -O1 -g -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s --check-prefix=EXEC

__attribute__((noinline)) int twice(int x) { return 2 * x; }
__attribute__((noinline)) int thrice(int x) { return 3 * x; }

int main(void) { return twice(thrice(1)) == 6 ? 0 : 1; }

// IR: call void @__tr_func_enter(
// IR-NOT: call void @__tr_step(

// EXEC-NOT: stub: ERROR
// EXEC: enter main lines-off.c:19
// EXEC-NEXT: enter thrice lines-off.c:17
// EXEC-NEXT: exit thrice
// EXEC-NEXT: enter twice lines-off.c:16
// EXEC-NEXT: exit twice
// EXEC-NEXT: exit main
