// std::tuple as a Tuple of its elements in order (libstdc++ keeps them in reverse order in
// memory), std::vector<bool> as a Sequence of Bool (bit-packed, across words), std::forward_list
// as a Sequence (no stored size: the walk stops at a null link or after
// TRACE_RECORD_MAX_ELEMENTS); through a reference too; empty ones; the element cap.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clangxx -std=c++20 -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' VariableName #' | FileCheck %s
// RUN: %trace-record print %t/trace | FileCheck %s --check-prefix=TYPES
#include <cstdio>
#include <forward_list>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

__attribute__((noinline)) static int total(const std::tuple<int, double, char>& t,
                                           const std::vector<bool>& vb,
                                           const std::forward_list<int>& fl) {
  int n = std::get<0>(t) + static_cast<int>(vb.size());
  for (int x : fl)
    n += x;
  return n;
}

int main() {
  std::tuple<int, double, char> t{1, 2.5, 'x'};
  std::tuple<> et;
  std::tuple<std::string, int, short> ts{"hi", 3, -4};
  std::tuple<int, std::less<int>, long> tl{7, {}, 8};
  std::pair<int, std::tuple<int, int>> nested{1, {2, 3}};
  std::vector<bool> evb;
  std::vector<bool> vb{true, false, true, true};
  std::vector<bool> bigvb;
  for (int i = 0; i < 200; ++i)
    bigvb.push_back(i % 3 == 0);
  std::forward_list<int> efl;
  std::forward_list<int> fl{3, 1, 2};
  std::forward_list<std::string> fls{"a", "bc"};
  std::forward_list<int> bigfl;
  for (int i = 0; i < 200; ++i)
    bigfl.push_front(i);
  int r = total(t, vb, fl);
  std::printf("%d %zu %zu %d %d %zu %d\n", r, std::tuple_size_v<decltype(et)> + std::get<0>(ts).size(),
              evb.size() + bigvb.size(), std::get<2>(tl) + nested.first,
              static_cast<int>(std::distance(efl.begin(), efl.end())),
              std::distance(fls.begin(), fls.end()), bigfl.front());
  return 0;
}

// OUT: 11 2 200 9 0 2 199

// CHECK:      Call total({{.*}})(t=0x{{[0-9a-f]+}} => (1, 2.5, 120), vb=0x{{[0-9a-f]+}} => [true, false, true, true], fl=0x{{[0-9a-f]+}} => [3, 1, 2])
// CHECK:      Return 11
// CHECK:      Step printers3.cpp:46
// CHECK-NEXT: Value t = (1, 2.5, 120)
// CHECK-NEXT: Value et = ()
// CHECK-NEXT: Value ts = ("hi", 3, -4)
// CHECK-NEXT: Value tl = (7, std::less<int>{{.*}}, 8)
// CHECK-NEXT: Value nested = std::pair<int, std::tuple<int, int>>{first: 1, second: (2, 3)}
// CHECK-NEXT: Value evb = []
// CHECK-NEXT: Value vb = [true, false, true, true]
// CHECK-NEXT: Value bigvb = [true, false, false, true, false, false, {{.*}}, true, false, false, true, false, …]
// CHECK-NEXT: Value efl = []
// CHECK-NEXT: Value fl = [3, 1, 2]
// CHECK-NEXT: Value fls = [<std::string 0x{{[0-9a-f]+}}, 1 bytes>, <std::string 0x{{[0-9a-f]+}}, 2 bytes>]
// CHECK-NEXT: Value bigfl = [199, 198, 197, {{.*}}, 73, 72, …]
// CHECK-NEXT: Value r = 11

// TYPES-DAG: Type #{{[0-9]+}} std::tuple<int, double, char> Tuple
// TYPES-DAG: Type #{{[0-9]+}} std::tuple<> Tuple
// TYPES-DAG: Type #{{[0-9]+}} std::tuple<std::string, int, short> Tuple
// TYPES-DAG: Type #{{[0-9]+}} const std::tuple<int, double, char> & Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::vector<bool, std::allocator<bool> > Seq
// TYPES-DAG: Type #{{[0-9]+}} std::forward_list<int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::forward_list<std::string> Seq

// The cap: 3 elements shown and "…" when there are more; a forward_list of exactly 3 has none.
// RUN: env TRACE_RECORD_MAX_ELEMENTS=3 TRACE_RECORD_OUT_DIR=%t/cap %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record print %t/cap | FileCheck %s --check-prefix=CAP
// CAP:      Call total({{.*}})(t=0x{{[0-9a-f]+}} => (1, 2.5, 120), vb=0x{{[0-9a-f]+}} => [true, false, true, …], fl=0x{{[0-9a-f]+}} => [3, 1, 2])
// CAP:      Step printers3.cpp:46
// CAP:      Value vb = [true, false, true, …]
// CAP-NEXT: Value bigvb = [true, false, false, …]
// CAP-NEXT: Value efl = []
// CAP-NEXT: Value fl = [3, 1, 2]
// CAP-NEXT: Value fls = [<std::string 0x{{[0-9a-f]+}}, 1 bytes>, <std::string 0x{{[0-9a-f]+}}, 2 bytes>]
// CAP-NEXT: Value bigfl = [199, 198, 197, …]

// -O2: the containers and the tuple holding a string live in memory (their destructors run at
// the end); the other tuples may be split into registers (not checked).
// RUN: %tr-clangxx -std=c++20 -O2 %s -o %t/prog2
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace2 %t/prog2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace2 > /dev/null
// RUN: %trace-record print %t/trace2 | FileCheck %s --check-prefix=O2
// O2:      Call total({{.*}})(t=0x{{[0-9a-f]+}} => (1, 2.5, 120), vb=0x{{[0-9a-f]+}} => [true, false, true, true], fl=0x{{[0-9a-f]+}} => [3, 1, 2])
// O2:      Step printers3.cpp:46
// O2-DAG:  Value ts = ("hi", 3, -4)
// O2-DAG:  Value vb = [true, false, true, true]
// O2-DAG:  Value fl = [3, 1, 2]
// O2-DAG:  Value bigvb = [true, false, false, true, false, false, {{.*}}, true, false, false, true, false, …]
// O2-DAG:  Value bigfl = [199, 198, 197, {{.*}}, 73, 72, …]
