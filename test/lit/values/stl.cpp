// libstdc++ containers: std::string -> String, std::vector<T> -> Sequence (also through
// a const reference), NRVO locals (#dbg_declare with DW_OP_deref), return values by sret.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clangxx -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' Type #' -e ' VariableName #' | FileCheck %s
#include <cstdio>
#include <string>
#include <vector>

struct Item {
  std::string name;
  int qty;
};

static int total(const std::vector<Item>& items) {
  int t = 0;
  for (const auto& it : items)
    t += it.qty;
  return t;
}

static std::string greet(const std::string& who) {
  std::string s = "hi " + who;
  return s;
}

int main() {
  std::vector<Item> items{{"apple", 3}, {"pear", 4}};
  std::vector<int> nums{1, 2, 3};
  std::string g = greet("bob");
  int t = total(items);
  std::printf("%s %d %zu\n", g.c_str(), t, nums.size());
  return 0;
}

// OUT: hi bob 7 3

// CHECK:      Call greet(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>> const&)(who=0x{{[0-9a-f]+}} => "bob")
// CHECK:      Step stl.cpp:28
// CHECK-NEXT: Value s = "hi bob"
// CHECK-NEXT: Value who = 0x{{[0-9a-f]+}} => "bob"
// CHECK-NEXT: Return "hi bob"
// CHECK:      Call total(std::vector<Item, std::allocator<Item>> const&)(items=0x{{[0-9a-f]+}} => [Item{name: <std::string 0x{{[0-9a-f]+}}, 5 bytes>, qty: 3}, Item{name: <std::string 0x{{[0-9a-f]+}}, 4 bytes>, qty: 4}])
// CHECK:      Return 7
// CHECK:      Step stl.cpp:35
// CHECK-NEXT: Value items = [Item{name: <std::string 0x{{[0-9a-f]+}}, 5 bytes>, qty: 3}, Item{name: <std::string 0x{{[0-9a-f]+}}, 4 bytes>, qty: 4}]
// CHECK-NEXT: Value nums = [1, 2, 3]
// CHECK-NEXT: Value g = "hi bob"
// CHECK-NEXT: Value t = 7

// -O2: the containers live in memory (assignment tracking's #dbg_assign gives their
// stack slot); compiler-made variables (__range1, __begin1) are not shown.
// RUN: %tr-clangxx -O2 %s -o %t/prog2
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace2 %t/prog2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace2 > /dev/null
// RUN: %trace-record print %t/trace2 | FileCheck %s --check-prefix=O2
// O2-NOT:  __range1
// O2-NOT:  __begin1
// O2:      Value who = 0x{{[0-9a-f]+}} => "bob"
// O2:      Value items = [Item{name: <std::string 0x{{[0-9a-f]+}}, 5 bytes>, qty: 3}, Item{name: <std::string 0x{{[0-9a-f]+}}, 4 bytes>, qty: 4}]
// O2:      Value g = "hi bob"
// O2-NOT:  __range1
// O2-NOT:  __begin1
