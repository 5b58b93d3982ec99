// Functions that are not traced get a missed-optimization remark saying why
// (-Rpass-missed=trace-record); the rest of the module is still traced and verifies.
// REQUIRES: plugin
// RUN: %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin -Rpass-missed=trace-record %s -o %t.ll 2>&1 | FileCheck %s
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll

__attribute__((naked)) void naked_fn(void) { __asm__("ret"); }

__attribute__((nodebug)) int no_debug_fn(int x) { return x + 1; }

__attribute__((disable_sanitizer_instrumentation)) int untouchable(int x) { return x; }

int main(void) { return no_debug_fn(untouchable(-1)); }

// CHECK-DAG: remark: not traced: naked function
// CHECK-DAG: remark: not traced: no debug info for this function
// CHECK-DAG: remark: not traced: disable_sanitizer_instrumentation

// IR: i32 1, ptr @__tr_files
// IR-LABEL: define {{.*}} @naked_fn(
// IR-NOT: __tr_
// IR: define {{.*}} @main(
// IR: call void @__tr_func_enter(
