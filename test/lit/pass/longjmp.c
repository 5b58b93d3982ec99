// setjmp/longjmp: the function calling setjmp saves __tr_frame_depth() after its
// __tr_func_enter and calls __tr_unwind_to(saved) after every return of setjmp, so the
// frames skipped by longjmp are closed. exit() leaves open calls open.
// REQUIRES: plugin
// RUN: %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: %clang -g -O0 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: not %t 2>&1 | FileCheck %s --check-prefixes=EXEC,EXEC0
// RUN: %clang -g -O2 -fpass-plugin=%plugin %s %t.stub.o -o %t.o2
// RUN: not %t.o2 2>&1 | FileCheck %s --check-prefix=EXEC

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
  if (setjmp(env) == 0) {
    deep(2);
  }
  leave();
  return 0;
}

// IR-LABEL: define {{.*}} @deep(
// IR-NOT: __tr_frame_depth
// IR: ret void
// IR-LABEL: define {{.*}} @main(
// IR: call void @__tr_func_enter(
// IR-NEXT: [[D:%[0-9]+]] = call i32 @__tr_frame_depth()
// IR-NEXT: store volatile i32 [[D]], ptr [[SLOT:%[0-9]+]]
// IR: call i32 @_setjmp(
// IR-NEXT: [[L:%[0-9]+]] = load volatile i32, ptr [[SLOT]]
// IR-NEXT: call void @__tr_unwind_to(i32 [[L]])

// EXEC-NOT: stub: ERROR
// EXEC: enter main longjmp.c:27
// EXEC-NEXT: step longjmp.c:28
// EXEC-NEXT: unwind 1
// EXEC: enter deep longjmp.c:19
// EXEC0: enter deep longjmp.c:19
// EXEC0: enter deep longjmp.c:19
// EXEC: step longjmp.c:21
// EXEC-NEXT: unwind 1
// EXEC-NEXT: exit (longjmp)
// EXEC0-NEXT: exit (longjmp)
// EXEC0-NEXT: exit (longjmp)
// EXEC0-NEXT: step longjmp.c:28
// EXEC: step longjmp.c:31
// EXEC-NEXT: enter leave longjmp.c:25
// EXEC-NOT: exit
// EXEC-NOT: stub: ERROR
