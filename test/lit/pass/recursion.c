// Recursion at -O0: every call enters and exits, the caller's line gets a step again
// after the call returns, and the tables name the functions and their declaration lines.
// REQUIRES: plugin
// RUN: %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: %clang -g -O0 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s --check-prefix=EXEC

// IR: @__tr_module_desc = private global %struct.tr_module_desc { i32 1, i32 0, ptr @__tr_module_name, i32 1, i32 2, ptr @__tr_files, ptr @__tr_functions, i64 1099511627776, i64 1099511627776 }
// IR: @__tr_file.0 = private unnamed_addr constant {{.*}} c"/{{.*}}/recursion.c\00"
// IR: @llvm.global_ctors = appending global {{.*}} { i32 1, ptr @__tr_module_ctor, ptr null }
// IR-LABEL: define {{.*}} @fact(
// IR: call void @__tr_func_enter(
// IR: call void @__tr_step(
// IR: call i32 @fact(
// IR: call void @__tr_func_exit(
// IR-NEXT: ret i32
// IR-LABEL: define internal void @__tr_module_ctor()
// IR-NEXT: call void @__tr_register_module(ptr @__tr_module_desc)

int fact(int n) {
  if (n <= 1)
    return 1;
  return n * fact(n - 1);
}

int main(void) {
  int r = fact(3);
  return r == 6 ? 0 : 1;
}

// EXEC-NOT: stub: ERROR
// EXEC: register recursion.c files=1 functions=2 flags=0
// EXEC-NEXT: enter main recursion.c:29
// EXEC-NEXT: step recursion.c:30
// EXEC-NEXT: enter fact recursion.c:23
// EXEC-NEXT: step recursion.c:24
// EXEC-NEXT: step recursion.c:26
// EXEC-NEXT: enter fact recursion.c:23
// EXEC-NEXT: step recursion.c:24
// EXEC-NEXT: step recursion.c:26
// EXEC-NEXT: enter fact recursion.c:23
// EXEC-NEXT: step recursion.c:24
// EXEC-NEXT: step recursion.c:25
// EXEC-NEXT: step recursion.c:27
// EXEC-NEXT: exit fact
// EXEC-NEXT: step recursion.c:26
// EXEC-NEXT: step recursion.c:27
// EXEC-NEXT: exit fact
// EXEC-NEXT: step recursion.c:26
// EXEC-NEXT: step recursion.c:27
// EXEC-NEXT: exit fact
// EXEC-NEXT: step recursion.c:30
// EXEC-NEXT: step recursion.c:31
// EXEC-NEXT: exit main
// EXEC-NOT: stub: ERROR
