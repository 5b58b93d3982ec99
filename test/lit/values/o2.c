// -O2: SSA values from #dbg_value records (dataflow over the CFG), arguments in
// Call.args, return values, and "<optimized out>" where a variable has no
// location yet.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O2 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' Type #' -e ' VariableName #' | FileCheck %s
#include <stdio.h>

__attribute__((noinline)) static int poly(int x, int y) {
  int a = x * 3;
  int b = a + y;
  printf("%d %d\n", a, b);
  return b * 2;
}

__attribute__((noinline)) static double half(double d) {
  double h = d / 2;
  printf("%g\n", h);
  return h;
}

int main(int argc, char **argv) {
  int r = poly(argc + 1, 4);
  double h = half(r);
  printf("%d %g %s\n", r, h, argc > 5 ? argv[0] : "x");
  return 0;
}

// CHECK:      Call main(argc=1, argv=0x[[ARGV:[0-9a-f]+]] -> 0x{{[0-9a-f]+}})
// CHECK-NEXT: Step o2.c:26
// CHECK-NEXT: Value r = <optimized out>
// CHECK-NEXT: Value argc = 1
// CHECK-NEXT: Value argv = 0x[[ARGV]] -> 0x{{[0-9a-f]+}}
// CHECK:      Step o2.c:12
// CHECK-NEXT: Call poly(x=2, y=4)
// CHECK-NEXT: Step o2.c:13
// CHECK-NEXT: Value a = <optimized out>
// CHECK-NEXT: Value x = 2
// CHECK-NEXT: Value y = 4
// CHECK-NEXT: Step o2.c:14
// CHECK-NEXT: Value a = 6
// CHECK-NEXT: Value b = <optimized out>
// CHECK-NEXT: Value x = 2
// CHECK-NEXT: Value y = 4
// CHECK-NEXT: Step o2.c:15
// CHECK-NEXT: Value a = 6
// CHECK-NEXT: Value b = 10
// CHECK-NEXT: Value x = 2
// CHECK-NEXT: Value y = 4
// CHECK-NEXT: Event Write "6 10\n"
// CHECK-NEXT: Step o2.c:16
// CHECK-NEXT: Value a = 6
// CHECK-NEXT: Value b = 10
// CHECK:      Return 20
// CHECK-NEXT: Step o2.c:27
// CHECK-NEXT: Value r = 20
// CHECK-NEXT: Value h = <optimized out>
// CHECK:      Step o2.c:19
// CHECK-NEXT: Call half(d=20)
// CHECK-NEXT: Step o2.c:20
// CHECK-NEXT: Value h = <optimized out>
// CHECK-NEXT: Value d = 20
// CHECK-NEXT: Step o2.c:21
// CHECK-NEXT: Value h = 10
// CHECK-NEXT: Value d = 20
// CHECK-NEXT: Event Write "10\n"
// CHECK:      Return 10
// CHECK-NEXT: Step o2.c:28
// CHECK-NEXT: Value r = 20
// CHECK-NEXT: Value h = 10
// CHECK-NEXT: Value argc = 1
// CHECK-NEXT: Value argv = 0x[[ARGV]] -> 0x{{[0-9a-f]+}}
// CHECK-NEXT: Event Write "20 10 x\n"
