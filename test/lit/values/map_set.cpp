// std::map<K, V> and std::set<K> (red-black trees): a Sequence of the elements in order
// (pairs as std::pair<const K, V>{first, second}), walked in the capture node by node with
// the fault-tolerant copy, capped at TRACE_RECORD_MAX_ELEMENTS; through a reference too.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clangxx -std=c++20 -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' VariableName #' | FileCheck %s
// RUN: %trace-record print %t/trace | FileCheck %s --check-prefix=TYPES
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string>

__attribute__((noinline)) static int total(const std::map<int, int>& m, std::set<int> s) {
  return static_cast<int>(m.size() + s.size());
}

int main() {
  std::map<int, int> em;
  std::map<int, int> m{{3, 30}, {1, 10}, {2, 20}, {5, 50}, {4, 40}};
  std::set<int> s{9, 7, 8};
  std::set<int> es;
  std::map<int, std::string> ms{{2, "two"}, {1, "one"}};
  std::map<int, int, std::greater<int>> gm{{1, 2}, {3, 4}};
  std::set<int> big;
  for (int i = 0; i < 200; ++i)
    big.insert(199 - i);
  int r = total(m, s);
  std::printf("%d %zu %zu %zu\n", r, em.size() + es.size(), ms.size() + gm.size(), big.size());
  return 0;
}

// OUT: 8 0 4 200

// CHECK:      Call total(std::map<{{.*}})(m=0x{{[0-9a-f]+}} => [std::pair<const int, int>{first: 1, second: 10}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 3, second: 30}, std::pair<const int, int>{first: 4, second: 40}, std::pair<const int, int>{first: 5, second: 50}], s=[7, 8, 9])
// CHECK:      Return 8
// CHECK:      Step map_set.cpp:32
// CHECK-NEXT: Value em = []
// CHECK-NEXT: Value m = [std::pair<const int, int>{first: 1, second: 10}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 3, second: 30}, std::pair<const int, int>{first: 4, second: 40}, std::pair<const int, int>{first: 5, second: 50}]
// CHECK-NEXT: Value s = [7, 8, 9]
// CHECK-NEXT: Value es = []
// CHECK-NEXT: Value ms = [std::pair<const int, std::string>{first: 1, second: <std::string 0x{{[0-9a-f]+}}, 3 bytes>}, std::pair<const int, std::string>{first: 2, second: <std::string 0x{{[0-9a-f]+}}, 3 bytes>}]
// CHECK-NEXT: Value gm = [std::pair<const int, int>{first: 3, second: 4}, std::pair<const int, int>{first: 1, second: 2}]
// CHECK-NEXT: Value big = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, {{.*}}, 125, 126, 127, …]
// CHECK-NEXT: Value r = 8

// TYPES-DAG: Type #{{[0-9]+}} std::map<int, int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::set<int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::map<int, std::string> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::map<int, int, std::greater<int>, std::allocator<std::pair<const int, int> > > Seq
// TYPES-DAG: Type #{{[0-9]+}} std::pair<const int, int> Struct {first: {{.*}}, second: {{.*}}}

// RUN: env TRACE_RECORD_MAX_ELEMENTS=2 TRACE_RECORD_OUT_DIR=%t/cap %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record print %t/cap | FileCheck %s --check-prefix=CAP
// CAP:      Step map_set.cpp:32
// CAP:      Value m = [std::pair<const int, int>{first: 1, second: 10}, std::pair<const int, int>{first: 2, second: 20}, …]
// CAP-NEXT: Value s = [7, 8, …]

// -O2: the maps live in memory (their address is taken by the constructors).
// RUN: %tr-clangxx -std=c++20 -O2 %s -o %t/prog2
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace2 %t/prog2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace2 > /dev/null
// RUN: %trace-record print %t/trace2 | FileCheck %s --check-prefix=O2
// O2:      Step map_set.cpp:32
// O2-DAG:  Value em = []
// O2-DAG:  Value m = [std::pair<const int, int>{first: 1, second: 10}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 3, second: 30}, std::pair<const int, int>{first: 4, second: 40}, std::pair<const int, int>{first: 5, second: 50}]
// O2-DAG:  Value s = [7, 8, 9]
// O2-DAG:  Value gm = [std::pair<const int, int>{first: 3, second: 4}, std::pair<const int, int>{first: 1, second: 2}]
