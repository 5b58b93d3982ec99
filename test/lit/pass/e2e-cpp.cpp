// End to end with the real runtime, C++: exceptions unwinding through frames give one
// Return per Call; names are demangled; a user header's inline
// function steps in the header; the trace validates at -O0 and -O2.
// REQUIRES: plugin, runtime
// RUN: %tr-clangxx -O0 -I%S/Inputs %s -o %t
// RUN: rm -rf %t.out && env TRACE_RECORD_OUT_DIR=%t.out %t | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t.out
// RUN: %trace-record print %t.out | grep -E '^[0-9]+ (Step|Call|Return)' | sed -E 's/^[0-9]+ //' > %t.events
// RUN: FileCheck %s < %t.events
// RUN: test $(grep -c '^Call' %t.events) -eq $(( $(grep -c '^Return' %t.events) + 1 ))
// RUN: %tr-clangxx -O2 -I%S/Inputs %s -o %t.o2
// RUN: rm -rf %t.out2 && env TRACE_RECORD_OUT_DIR=%t.out2 %t.o2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t.out2
// RUN: %trace-record print %t.out2 | grep -E '^[0-9]+ (Step|Call|Return)' | sed -E 's/^[0-9]+ //' > %t.events2
// RUN: test $(grep -c '^Call' %t.events2) -eq $(( $(grep -c '^Return' %t.events2) + 1 ))
#include "shapes_util.h"

#include <cstdio>
#include <stdexcept>

namespace geometry {
struct Box {
  int w, h;
  __attribute__((noinline)) int area() const {
    if (w < 0)
      throw std::invalid_argument("negative");
    return clamp(w, 0, 5) * h;
  }
};
} // namespace geometry

__attribute__((noinline)) int measure(const geometry::Box& b) { return b.area() + 1; }

int main() {
  geometry::Box good{7, 2}, bad{-1, 2};
  int total = measure(good);
  try {
    total += measure(bad);
  } catch (const std::exception& e) {
    std::printf("caught %s\n", e.what());
  }
  std::printf("total=%d\n", total);
  return 0;
}

// OUT: caught negative
// OUT: total=11

// CHECK: Call main()
// CHECK: Call measure(
// CHECK: Call geometry::Box::area() const(
// CHECK: Step shapes_util.h:2
// CHECK-NEXT: Call clamp(
// CHECK-NEXT: Step shapes_util.h:3
// CHECK: Return 5
// CHECK: Return 10
// CHECK: Return 11
// CHECK: Call measure(
// CHECK: Call geometry::Box::area() const(
// CHECK: Step e2e-cpp.cpp:26
// CHECK-NEXT: Return
// CHECK-NEXT: Return
// CHECK-NEXT: Step e2e-cpp.cpp:
// CHECK: Step e2e-cpp.cpp:39
// CHECK: Return 0
