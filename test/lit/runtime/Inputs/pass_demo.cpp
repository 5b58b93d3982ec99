// Built with the real pass (trace-record-clang++): threads, output, endings.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

int add(int a, int b) {
  int sum = a + b;
  return sum;
}

void crash_in_thread() {
  volatile int* p = nullptr;
  *p = 1;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  int r = add(3, 4);
  printf("%d\n", r);
  std::cout << "cout " << add(1, 1) << std::endl;
  std::vector<std::thread> ts;
  for (int i = 0; i < 2; ++i) ts.emplace_back([i] { add(i, i); });
  for (auto& t : ts) t.join();
  if (!strcmp(mode, "throw")) throw std::out_of_range("bad index");
  if (!strcmp(mode, "thread-crash")) std::thread(crash_in_thread).join();
  return 0;
}

// A static constructor: runs under the root; the compiler-generated
// _GLOBAL__sub_I_ wrapper (no declaration line) is transparent.
static struct Init {
  Init() { add(5, 6); }
} init;
