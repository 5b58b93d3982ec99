// Flow: functions compute locals from their arguments, print them and return.
// At every step, every argument and local in scope has exactly the value the
// program has at that point (the printed lines say the same), innermost scope
// first; a local appears from its declaration line on; Call.args and Return
// values are right. -O0 and both trace formats.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' Type #' -e ' VariableName #' | FileCheck %s
// RUN: env TRACE_RECORD_FORMAT=binary TRACE_RECORD_OUT_DIR=%t/bin %t/prog
// RUN: %trace-record validate %t/bin > /dev/null
// RUN: %trace-record print %t/bin | grep -v -e ' Type #' -e ' VariableName #' | FileCheck %s
#include <stdio.h>

static int square(int x) {
  int y = x * x;
  printf("square %d %d\n", x, y);
  return y;
}

static double mean(const int *v, int n) {
  int sum = 0;
  for (int k = 0; k < n; k++)
    sum += v[k];
  double m = (double)sum / n;
  printf("mean %d %g\n", sum, m);
  return m;
}

int main(void) {
  int a = 3;
  int b = square(a + 1);
  int v[3] = {a, b, 5};
  double m = mean(v, 3);
  printf("main %d %d %g\n", a, b, m);
  return 0;
}

// CHECK:      Step flow.c:32
// CHECK-NEXT: Call main()
// CHECK-NEXT: Step flow.c:33
// CHECK-NEXT: Value a = {{-?[0-9]+}}
// CHECK-NEXT: Step flow.c:34
// CHECK-NEXT: Value a = 3
// CHECK-NEXT: Value b = {{-?[0-9]+}}
// CHECK-NEXT: Function #{{[0-9]+}} square flow.c:17
// CHECK-NEXT: Step flow.c:17
// CHECK-NEXT: Call square(x=4)
// CHECK-NEXT: Step flow.c:18
// CHECK-NEXT: Value y = {{-?[0-9]+}}
// CHECK-NEXT: Value x = 4
// CHECK-NEXT: Step flow.c:19
// CHECK-NEXT: Value y = 16
// CHECK-NEXT: Value x = 4
// CHECK-NEXT: Event Write "square 4 16\n"
// CHECK-NEXT: Step flow.c:20
// CHECK-NEXT: Value y = 16
// CHECK-NEXT: Value x = 4
// CHECK-NEXT: Return 16
// CHECK-NEXT: Step flow.c:34
// CHECK-NEXT: Value a = 3
// CHECK-NEXT: Value b = {{-?[0-9]+}}
// CHECK-NEXT: Step flow.c:35
// CHECK-NEXT: Value a = 3
// CHECK-NEXT: Value b = 16
// CHECK-NEXT: Value v = [{{.*}}]
// CHECK-NEXT: Step flow.c:36
// CHECK-NEXT: Value a = 3
// CHECK-NEXT: Value b = 16
// CHECK-NEXT: Value v = [3, 16, 5]
// CHECK-NEXT: Value m = {{.*}}
// CHECK-NEXT: Function #{{[0-9]+}} mean flow.c:23
// CHECK-NEXT: Step flow.c:23
// CHECK-NEXT: Call mean(v=0x[[V:[0-9a-f]+]] => 3, n=3)
// CHECK-NEXT: Step flow.c:24
// CHECK-NEXT: Value sum = {{-?[0-9]+}}
// CHECK-NEXT: Value v = 0x[[V]] => 3
// CHECK-NEXT: Value n = 3
// The loop: k (inner scope) first; m (line 27) not yet.
// CHECK-NEXT: Step flow.c:25
// CHECK-NEXT: Value k = {{-?[0-9]+}}
// CHECK-NEXT: Value sum = 0
// CHECK-NEXT: Value v = 0x[[V]] => 3
// CHECK-NEXT: Value n = 3
// CHECK-NEXT: Step flow.c:26
// CHECK-NEXT: Value k = 0
// CHECK-NEXT: Value sum = 0
// CHECK:      Step flow.c:26
// CHECK-NEXT: Value k = 1
// CHECK-NEXT: Value sum = 3
// CHECK:      Step flow.c:26
// CHECK-NEXT: Value k = 2
// CHECK-NEXT: Value sum = 19
// The step of `k++` comes before the increment.
// CHECK:      Step flow.c:25
// CHECK-NEXT: Value k = 2
// CHECK-NEXT: Value sum = 24
// CHECK-NEXT: Value v = 0x[[V]] => 3
// CHECK-NEXT: Value n = 3
// After the loop, k is out of scope.
// CHECK-NEXT: Step flow.c:27
// CHECK-NEXT: Value sum = 24
// CHECK-NEXT: Value m = {{.*}}
// CHECK-NEXT: Value v = 0x[[V]] => 3
// CHECK-NEXT: Value n = 3
// CHECK-NEXT: Step flow.c:28
// CHECK-NEXT: Value sum = 24
// CHECK-NEXT: Value m = 8
// CHECK-NEXT: Value v = 0x[[V]] => 3
// CHECK-NEXT: Value n = 3
// CHECK-NEXT: Event Write "mean 24 8\n"
// CHECK-NEXT: Step flow.c:29
// CHECK-NEXT: Value sum = 24
// CHECK-NEXT: Value m = 8
// CHECK:      Return 8
// CHECK-NEXT: Step flow.c:36
// CHECK-NEXT: Value a = 3
// CHECK-NEXT: Value b = 16
// CHECK-NEXT: Value v = [3, 16, 5]
// CHECK-NEXT: Value m = {{.*}}
// CHECK-NEXT: Step flow.c:37
// CHECK-NEXT: Value a = 3
// CHECK-NEXT: Value b = 16
// CHECK-NEXT: Value v = [3, 16, 5]
// CHECK-NEXT: Value m = 8
// CHECK-NEXT: Event Write "main 3 16 8\n"
// CHECK-NEXT: Step flow.c:38
// CHECK:      Return 0
