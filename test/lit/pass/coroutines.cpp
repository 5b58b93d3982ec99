// C++20 coroutines: the split functions (ramp, .resume, .destroy, await wrappers) are
// traced like others; every enter has its exit and the IR verifies, at -O0 and -O2.
// REQUIRES: plugin
// RUN: %clangxx -std=c++20 -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: %clangxx -std=c++20 -g -O2 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.o2.ll
// RUN: opt -passes=verify -disable-output %t.o2.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: %clangxx -std=c++20 -g -O0 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s
// RUN: %clangxx -std=c++20 -g -O2 -fpass-plugin=%plugin %s %t.stub.o -o %t.o2
// RUN: %t.o2 2>&1 | FileCheck %s --check-prefix=O2
#include <coroutine>
#include <cstdio>
struct Gen {
  struct promise_type {
    int value = 0;
    Gen get_return_object() { return Gen{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    std::suspend_always yield_value(int v) { value = v; return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> h;
  ~Gen() { h.destroy(); }
};
Gen count(int n) {
  for (int i = 0; i < n; i++)
    co_yield i;
}
int main() {
  Gen g = count(3);
  int s = 0;
  while (true) {
    g.h.resume();
    if (g.h.done()) break;
    s += g.h.promise().value;
  }
  std::printf("%d\n", s);
  return s == 3 ? 0 : 1;
}

// CHECK-NOT: stub: ERROR
// CHECK: enter main coroutines.cpp:32
// CHECK: enter count(int) coroutines.cpp:28
// CHECK: exit count(int)
// CHECK: enter count(int) (.resume)
// CHECK: enter Gen::promise_type::yield_value(int)
// CHECK: exit Gen::promise_type::yield_value(int)
// CHECK: exit count(int) (.resume)
// CHECK: enter count(int) (.resume)
// CHECK: exit count(int) (.resume)
// CHECK: enter count(int) (.resume)
// CHECK: exit count(int) (.resume)
// CHECK: enter count(int) (.resume)
// CHECK: enter Gen::promise_type::return_void()
// CHECK: exit count(int) (.resume)
// CHECK: exit main
// CHECK-NOT: stub: ERROR

// O2-NOT: stub: ERROR
// O2: enter main
// O2: exit main
// O2-NOT: stub: ERROR
