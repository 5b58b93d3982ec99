// End to end with the real runtime: two translation units built separately with the
// drivers, a user header, and a filter file excluding one function; the trace has the
// right paths, calls and steps, and validates.
// REQUIRES: plugin, runtime
// RUN: printf 'exclude-function clamp\n' > %t.filter
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter %tr-clang -O0 -c %S/Inputs/shapes_area.c -o %t.area.o
// RUN: %tr-clang -O0 -c %s -o %t.main.o
// RUN: %tr-clang %t.main.o %t.area.o -o %t
// RUN: rm -rf %t.out && env TRACE_RECORD_OUT_DIR=%t.out %t
// RUN: %trace-record validate %t.out
// RUN: %trace-record print --full-paths %t.out | grep -E '^[0-9]+ (Path|Step|Call|Return)' | sed -E 's/^[0-9]+ //' | FileCheck %s

int area(int w, int h);

int main(void) {
  int a = area(3, 40);
  return a == 30 ? 0 : 1;
}

// CHECK: Path #{{[0-9]+}} "/{{.*}}/test/lit/pass/e2e-multi-file.c"
// CHECK: Call main()
// CHECK-NEXT: Step /{{.*}}/e2e-multi-file.c:16
// CHECK-NEXT: Path #{{[0-9]+}} "/{{.*}}/test/lit/pass/Inputs/shapes_area.c"
// CHECK-NEXT: Step /{{.*}}/Inputs/shapes_area.c:3
// CHECK-NEXT: Call area(
// The calls of the excluded clamp (it calls nothing): no Call, no repeated step.
// CHECK-NEXT: Step /{{.*}}/Inputs/shapes_area.c:4
// CHECK-NEXT: Step /{{.*}}/Inputs/shapes_area.c:5
// CHECK-NEXT: Return 30
// CHECK-NEXT: Step /{{.*}}/e2e-multi-file.c:16
// CHECK-NEXT: Step /{{.*}}/e2e-multi-file.c:17
// CHECK-NEXT: Return 0
// CHECK-NOT: clamp
