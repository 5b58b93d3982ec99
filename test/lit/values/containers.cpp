// More libstdc++ containers as a Sequence of their elements, walked in the capture with the
// fault-tolerant copy and capped at TRACE_RECORD_MAX_ELEMENTS: std::multimap / std::multiset
// (in order), std::list (in order), std::unordered_map / set / multimap / multiset (in their
// iteration order), std::deque (in order, across its buffers); through a reference too. And
// the remaining strings: std::wstring_view / u16string_view / u32string_view, std::u8string,
// std::u8string_view as a String.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clangxx -std=c++20 -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' VariableName #' | FileCheck %s
// RUN: %trace-record print %t/trace | FileCheck %s --check-prefix=TYPES
#include <cstdio>
#include <deque>
#include <list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

__attribute__((noinline)) static int total(const std::list<int>& l, const std::deque<int>& d,
                                           const std::unordered_map<int, int>& um,
                                           const std::multiset<int>& ms, std::wstring_view wv) {
  return static_cast<int>(l.size() + d.size() + um.size() + ms.size() + wv.size());
}

int main() {
  std::multimap<int, int> mm{{2, 20}, {1, 10}, {2, 21}};
  std::multiset<int> mset{3, 1, 3, 2};
  std::list<int> el;
  std::list<int> l{3, 1, 2};
  std::list<std::string> ls{"a", "bc"};
  std::list<int> bigl;
  for (int i = 0; i < 200; ++i)
    bigl.push_back(i);
  std::unordered_map<int, int> eum;
  std::unordered_map<int, int> um{{1, 10}, {2, 20}, {3, 30}};
  std::unordered_set<int> us{5, 6, 7};
  std::unordered_multimap<int, int> umm{{1, 1}, {1, 2}};
  std::unordered_multiset<int> ums{4, 4};
  std::unordered_set<long double> uld{1.5L, 2.5L};
  std::deque<int> ed;
  std::deque<int> d{1, 2, 3};
  d.push_front(0);
  std::deque<int> bigd;
  for (int i = 0; i < 100; ++i) {
    bigd.push_back(i);
    bigd.push_front(-1 - i);
  }
  std::wstring_view ewv;
  std::wstring_view wv = L"gr\u00fc\u00df";
  std::u16string_view v16 = u"\u00e9t\u00e9";
  std::u32string_view v32 = U"z\U0001F600";
  std::u8string u8 = u8"\u00fcn\u00ef";
  std::u8string_view u8v = u8"v\u00fc";
  int r = total(l, d, um, mset, wv);
  std::printf("%d %zu %zu %zu %zu %zu\n", r, mm.size() + el.size() + ls.size() + bigl.size(),
              eum.size() + us.size() + umm.size() + ums.size() + uld.size(),
              ed.size() + bigd.size(), ewv.size() + v16.size() + v32.size(),
              u8.size() + u8v.size());
  return 0;
}

// OUT: 18 205 9 200 5 8

// CHECK:      Call total({{.*}})(l=0x{{[0-9a-f]+}} => [3, 1, 2], d=0x{{[0-9a-f]+}} => [0, 1, 2, 3], um=0x{{[0-9a-f]+}} => [std::pair<const int, int>{first: 3, second: 30}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 1, second: 10}], ms=0x{{[0-9a-f]+}} => [1, 2, 3, 3], wv="grüß")
// CHECK:      Return 18
// CHECK:      Step containers.cpp:60
// CHECK-NEXT: Value mm = [std::pair<const int, int>{first: 1, second: 10}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 2, second: 21}]
// CHECK-NEXT: Value mset = [1, 2, 3, 3]
// CHECK-NEXT: Value el = []
// CHECK-NEXT: Value l = [3, 1, 2]
// CHECK-NEXT: Value ls = [<std::string 0x{{[0-9a-f]+}}, 1 bytes>, <std::string 0x{{[0-9a-f]+}}, 2 bytes>]
// CHECK-NEXT: Value bigl = [0, 1, 2, 3, {{.*}}, 125, 126, 127, …]
// CHECK-NEXT: Value eum = []
// CHECK-NEXT: Value um = [std::pair<const int, int>{first: 3, second: 30}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 1, second: 10}]
// CHECK-NEXT: Value us = [7, 6, 5]
// CHECK-NEXT: Value umm = [std::pair<const int, int>{first: 1, second: 2}, std::pair<const int, int>{first: 1, second: 1}]
// CHECK-NEXT: Value ums = [4, 4]
// CHECK-NEXT: Value uld = [2.5, 1.5]
// CHECK-NEXT: Value ed = []
// CHECK-NEXT: Value d = [0, 1, 2, 3]
// CHECK-NEXT: Value bigd = [-100, -99, -98, {{.*}}, -2, -1, 0, 1, {{.*}}, 26, 27, …]
// CHECK-NEXT: Value ewv = ""
// CHECK-NEXT: Value wv = "grüß"
// CHECK-NEXT: Value v16 = "été"
// CHECK-NEXT: Value v32 = "z😀"
// CHECK-NEXT: Value u8 = "ünï"
// CHECK-NEXT: Value u8v = "vü"
// CHECK-NEXT: Value r = 18

// TYPES-DAG: Type #{{[0-9]+}} std::multimap<int, int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::multiset<int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::list<int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::list<std::string> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::unordered_map<int, int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::unordered_set<int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::unordered_multimap<int, int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::unordered_multiset<int> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::unordered_set<long double> Seq
// TYPES-DAG: Type #{{[0-9]+}} std::deque<int> Seq
// TYPES-DAG: Type #{{[0-9]+}} const std::deque<int> & Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::wstring_view String
// TYPES-DAG: Type #{{[0-9]+}} std::u16string_view String
// TYPES-DAG: Type #{{[0-9]+}} std::u32string_view String
// TYPES-DAG: Type #{{[0-9]+}} std::u8string String
// TYPES-DAG: Type #{{[0-9]+}} std::u8string_view String

// RUN: env TRACE_RECORD_MAX_ELEMENTS=2 TRACE_RECORD_OUT_DIR=%t/cap %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record print %t/cap | FileCheck %s --check-prefix=CAP
// CAP:      Call total({{.*}})(l=0x{{[0-9a-f]+}} => [3, 1, …], d=0x{{[0-9a-f]+}} => [0, 1, …], um=0x{{[0-9a-f]+}} => [std::pair<const int, int>{first: 3, second: 30}, std::pair<const int, int>{first: 2, second: 20}, …], ms=0x{{[0-9a-f]+}} => [1, 2, …], wv="grüß")
// CAP:      Step containers.cpp:60
// CAP:      Value mset = [1, 2, …]
// CAP:      Value l = [3, 1, …]
// CAP:      Value bigl = [0, 1, …]
// CAP:      Value us = [7, 6, …]
// CAP:      Value bigd = [-100, -99, …]

// -O2: the containers live in memory (their address is taken by the constructors); the
// string views are split into registers (not checked).
// RUN: %tr-clangxx -std=c++20 -O2 %s -o %t/prog2
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace2 %t/prog2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace2 > /dev/null
// RUN: %trace-record print %t/trace2 | FileCheck %s --check-prefix=O2
// O2:      Call total({{.*}})(l=0x{{[0-9a-f]+}} => [3, 1, 2], d=0x{{[0-9a-f]+}} => [0, 1, 2, 3], um=0x{{[0-9a-f]+}} => [std::pair<const int, int>{first: 3, second: 30}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 1, second: 10}], ms=0x{{[0-9a-f]+}} => [1, 2, 3, 3], wv=
// O2:      Step containers.cpp:60
// O2-DAG:  Value mm = [std::pair<const int, int>{first: 1, second: 10}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 2, second: 21}]
// O2-DAG:  Value el = []
// O2-DAG:  Value l = [3, 1, 2]
// O2-DAG:  Value um = [std::pair<const int, int>{first: 3, second: 30}, std::pair<const int, int>{first: 2, second: 20}, std::pair<const int, int>{first: 1, second: 10}]
// O2-DAG:  Value uld = [2.5, 1.5]
// O2-DAG:  Value d = [0, 1, 2, 3]
// O2-DAG:  Value bigd = [-100, -99, -98, {{.*}}, -2, -1, 0, 1, {{.*}}, 26, 27, …]
// O2-DAG:  Value u8 = "ünï"
