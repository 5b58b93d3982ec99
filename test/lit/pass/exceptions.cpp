// C++ exceptions: a frame that an exception propagates through gets a cleanup landing
// pad calling __tr_func_exit then resuming, so enters and exits stay balanced; a frame
// that catches does not exit. Names are demangled as people read them.
// REQUIRES: plugin
// RUN: %clangxx -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: %clangxx -g -O0 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s --check-prefix=EXEC
// RUN: %clangxx -g -O2 -fpass-plugin=%plugin %s %t.stub.o -o %t.o2
// RUN: %t.o2 2>&1 | FileCheck %s --check-prefix=EXEC

#include <cstdio>
#include <stdexcept>

namespace geometry {
struct Point {
  double x, y;
  double norm() const { return x * x + y * y; }
};
} // namespace geometry

__attribute__((noinline)) int thrower(int n) {
  if (n > 2)
    throw std::runtime_error("too big");
  return n;
}

__attribute__((noinline)) int middle(int n) {
  int r = thrower(n);
  return r + 1;
}

int main() {
  geometry::Point p{3, 4};
  std::printf("%g\n", p.norm());
  try {
    middle(1);
    middle(5);
  } catch (const std::exception& e) {
    std::printf("caught %s\n", e.what());
  }
  return 0;
}

// IR: c"geometry::Point::norm() const\00"
// IR: c"_ZNK8geometry5Point4normEv\00"
// IR-LABEL: define {{.*}} @_Z6middlei(
// IR: invoke noundef i32 @_Z7throweri(
// IR-NEXT: to label {{.*}} unwind label %[[PAD:[0-9]+]]
// IR: [[PAD]]:
// IR-NEXT: landingpad { ptr, i32 }
// IR-NEXT: cleanup
// IR: call void @__tr_func_exit(
// IR-NEXT: resume

// EXEC-NOT: stub: ERROR
// EXEC: enter middle(int) exceptions.cpp:30
// EXEC: enter thrower(int) exceptions.cpp:24
// EXEC: exit thrower(int)
// EXEC: exit middle(int)
// EXEC: enter middle(int) exceptions.cpp:30
// EXEC: enter thrower(int) exceptions.cpp:24
// EXEC: step exceptions.cpp:26
// EXEC-NOT: step
// EXEC: exit thrower(int)
// EXEC-NEXT: exit middle(int)
// EXEC-NOT: exit main
// EXEC: step exceptions.cpp:43
// EXEC: exit main
// EXEC-NOT: stub: ERROR
