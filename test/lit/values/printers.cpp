// libstdc++ pretty printers beyond std::string / std::vector: std::string_view (String),
// std::array<T, N> (a sequence of its elements, also for char), std::unique_ptr<T> (a
// pointer: Reference to the pointee, NULL), std::optional<T> (the value, or "nullopt"),
// with the type names a programmer writes. char16_t / char32_t strings are Strings.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clangxx -std=c++20 -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' VariableName #' | FileCheck %s
// RUN: %trace-record print %t/trace | FileCheck %s --check-prefix=TYPES
#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct P {
  int x, y;
};

__attribute__((noinline)) static int use(std::string_view sv, const std::array<int, 3>& a,
                                         const std::unique_ptr<P>& pp,
                                         const std::optional<int>& o) {
  int n = static_cast<int>(sv.size()) + a[2];
  std::printf("[%.*s]\n", static_cast<int>(sv.size()), sv.data());
  if (pp)
    n += pp->y;
  if (o)
    n += *o;
  return n;
}

int main() {
  std::string_view sv = "hello";
  std::array<int, 3> a{1, 2, 3};
  std::array<char, 3> ca{'o', 'k', 0};
  std::unique_ptr<int> up = std::make_unique<int>(5);
  std::unique_ptr<P> np;
  std::unique_ptr<P> pp(new P{1, 2});
  std::optional<int> o = 4;
  std::optional<int> e;
  std::optional<std::string> os = std::string("x");
  const char16_t* c16 = u"\u00e9t\u00e9";
  char32_t c32[4] = U"z\U0001F600";
  int r = use(sv, a, pp, o) + use("", a, np, e);
  std::printf("%d %d %zu %c %d %d\n", r, *up, os->size(), ca[0], int(c16[1]), int(c32[0]));
  return 0;
}

// OUT: [hello]
// OUT: []
// OUT: 17 5 1 o 116 122

// CHECK:      Call use(std::basic_string_view<{{.*}})(sv="hello", a=0x{{[0-9a-f]+}} => [1, 2, 3], pp=0x{{[0-9a-f]+}} => 0x{{[0-9a-f]+}}, o=0x{{[0-9a-f]+}} => 4)
// CHECK:      Return 14
// CHECK:      Call use(std::basic_string_view<{{.*}})(sv="", a=0x{{[0-9a-f]+}} => [1, 2, 3], pp=0x{{[0-9a-f]+}} => NULL, o=0x{{[0-9a-f]+}} => nullopt)
// CHECK:      Return 3
// CHECK:      Step printers.cpp:48
// CHECK-NEXT: Value sv = "hello"
// CHECK-NEXT: Value a = [1, 2, 3]
// CHECK-NEXT: Value ca = [111, 107, 0]
// CHECK-NEXT: Value up = 0x{{[0-9a-f]+}} -> 5
// CHECK-NEXT: Value np = NULL
// CHECK-NEXT: Value pp = 0x{{[0-9a-f]+}} -> P{x: 1, y: 2}
// CHECK-NEXT: Value o = 4
// CHECK-NEXT: Value e = nullopt
// CHECK-NEXT: Value os = "x"
// CHECK-NEXT: Value c16 = 0x{{[0-9a-f]+}} => "été"
// CHECK-NEXT: Value c32 = "z😀"
// CHECK-NEXT: Value r = 17

// TYPES-DAG: Type #{{[0-9]+}} std::string_view String
// TYPES-DAG: Type #{{[0-9]+}} std::array<int, 3> Array
// TYPES-DAG: Type #{{[0-9]+}} std::array<char, 3> Array
// TYPES-DAG: Type #{{[0-9]+}} std::unique_ptr<int> Pointer -> int
// TYPES-DAG: Type #{{[0-9]+}} std::unique_ptr<P> Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::optional<int> Raw
// TYPES-DAG: Type #{{[0-9]+}} std::optional<std::string> Raw
// TYPES-DAG: Type #{{[0-9]+}} const char16_t[] CString
// TYPES-DAG: Type #{{[0-9]+}} char32_t[4] CString

// -O2: the same contents where the debug info locates the variables (sv arrives in two
// registers: its pieces are reassembled).
// RUN: %tr-clangxx -std=c++20 -O2 %s -o %t/prog2
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace2 %t/prog2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace2 > /dev/null
// RUN: %trace-record print %t/trace2 | FileCheck %s --check-prefix=O2
// O2:      Call use(std::basic_string_view<{{.*}})(sv="hello", a=0x{{[0-9a-f]+}} => [1, 2, 3], pp=0x{{[0-9a-f]+}} => 0x{{[0-9a-f]+}}, o=0x{{[0-9a-f]+}} => 4)
// O2:      Return 14
// O2:      Call use(std::basic_string_view<{{.*}})(sv="", a=0x{{[0-9a-f]+}} => [1, 2, 3], pp=0x{{[0-9a-f]+}} => NULL, o=0x{{[0-9a-f]+}} => nullopt)
// O2:      Return 3
// O2:      Step printers.cpp:48
// O2-DAG:  Value np = NULL
// O2-DAG:  Value pp = 0x{{[0-9a-f]+}} -> P{x: 1, y: 2}
// O2-DAG:  Value o = 4
// O2-DAG:  Value e = nullopt
// O2-DAG:  Value os = "x"
// O2-DAG:  Value r = 17
