// More libstdc++ pretty printers: std::shared_ptr<T> / std::weak_ptr<T> and
// std::unique_ptr<T[]> (a pointer: Reference to the pointee or the first element, NULL),
// std::wstring / std::u16string / std::u32string (String, decoded to UTF-8), std::variant
// (Variant: the active alternative's type name and value; valueless_by_exception an Error),
// with the type names a programmer writes.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clangxx -std=c++20 -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' VariableName #' | FileCheck %s
// RUN: %trace-record print %t/trace | FileCheck %s --check-prefix=TYPES
#include <cstdio>
#include <memory>
#include <string>
#include <variant>

struct P {
  int x, y;
};
struct Boom {
  Boom(int) { throw 1; }
  Boom(const Boom&) {}
};
using V = std::variant<int, double, std::string>;

__attribute__((noinline)) static int use(std::shared_ptr<P> sp, const std::wstring& ws, V v) {
  int n = sp ? sp->y : 0;
  n += static_cast<int>(ws.size());
  return n + static_cast<int>(v.index());
}

int main() {
  std::shared_ptr<int> si = std::make_shared<int>(3);
  std::shared_ptr<P> sp(new P{1, 2});
  std::shared_ptr<P> nsp;
  std::shared_ptr<const int> csp = si;
  std::weak_ptr<int> wp = si;
  std::weak_ptr<int> ewp;
  std::shared_ptr<int[]> sa(new int[2]{7, 8});
  std::unique_ptr<int[]> ua(new int[3]{4, 5, 6});
  std::unique_ptr<P[]> upa(new P[2]{{3, 4}, {5, 6}});
  std::unique_ptr<int[]> nua;
  std::wstring ws = L"gr\u00fc\u00df \U0001F600";
  std::wstring ews;
  std::wstring lws(20, L'w');
  std::u16string s16 = u"\u00e9t\u00e9 \U0001F600";
  std::u32string s32 = U"z\U0001F600";
  std::variant<int, double, std::string> vi = 5;
  std::variant<int, double, std::string> vd = 2.5;
  std::variant<int, double, std::string> vs = std::string("abc");
  std::variant<std::monostate, P> vm;
  std::variant<std::monostate, P> vp = P{9, 10};
  std::variant<int, Boom> vb;
  try {
    vb.emplace<Boom>(1);
  } catch (...) {
  }
  int r = use(sp, ws, vs) + use(nsp, ews, vi);
  std::printf("%d %d %d %d %d %zu %zu %zu %zu\n", r, *csp, sa[1], ua[2] + upa[1].y,
              static_cast<int>(wp.use_count() + ewp.use_count() + vd.index() + vm.index() +
                               vp.index() + vb.valueless_by_exception()),
              lws.size(), s16.size(), s32.size(), si.use_count());
  return 0;
}

// OUT: 10 3 8 12 5 20 6 2 2

// CHECK:      Call use({{.*}})(sp=0x[[SP:[0-9a-f]+]] -> P{x: 1, y: 2}, ws=0x{{[0-9a-f]+}} => "grüß 😀", v=std::string("abc"))
// CHECK:      Return 10
// CHECK:      Call use({{.*}})(sp=NULL, ws=0x{{[0-9a-f]+}} => "", v=int(5))
// CHECK:      Return 0
// CHECK:      Step printers2.cpp:60
// CHECK-NEXT: Value si = 0x[[SI:[0-9a-f]+]] -> 3
// CHECK-NEXT: Value sp = 0x[[SP]] -> P{x: 1, y: 2}
// CHECK-NEXT: Value nsp = NULL
// CHECK-NEXT: Value csp = 0x[[SI]] => 3
// CHECK-NEXT: Value wp = 0x[[SI]] -> 3
// CHECK-NEXT: Value ewp = NULL
// CHECK-NEXT: Value sa = 0x{{[0-9a-f]+}} -> 7
// CHECK-NEXT: Value ua = 0x{{[0-9a-f]+}} -> 4
// CHECK-NEXT: Value upa = 0x{{[0-9a-f]+}} -> P{x: 3, y: 4}
// CHECK-NEXT: Value nua = NULL
// CHECK-NEXT: Value ws = "grüß 😀"
// CHECK-NEXT: Value ews = ""
// CHECK-NEXT: Value lws = "wwwwwwwwwwwwwwwwwwww"
// CHECK-NEXT: Value s16 = "été 😀"
// CHECK-NEXT: Value s32 = "z😀"
// CHECK-NEXT: Value vi = int(5)
// CHECK-NEXT: Value vd = double(2.5)
// CHECK-NEXT: Value vs = std::string("abc")
// CHECK-NEXT: Value vm = std::monostate(std::monostate{})
// CHECK-NEXT: Value vp = P(P{x: 9, y: 10})
// CHECK-NEXT: Value vb = <error: valueless_by_exception>
// CHECK-NEXT: Value r = 10

// TYPES-DAG: Type #{{[0-9]+}} std::shared_ptr<int> Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::shared_ptr<P> Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::shared_ptr<const int> Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::weak_ptr<int> Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::shared_ptr<int[]> Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::unique_ptr<int[]> Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::unique_ptr<P[]> Pointer
// TYPES-DAG: Type #{{[0-9]+}} std::wstring String
// TYPES-DAG: Type #{{[0-9]+}} const std::wstring String
// TYPES-DAG: Type #{{[0-9]+}} std::u16string String
// TYPES-DAG: Type #{{[0-9]+}} std::u32string String
// TYPES-DAG: Type #{{[0-9]+}} std::variant<int, double, std::string> Variant
// TYPES-DAG: Type #{{[0-9]+}} V Variant
// TYPES-DAG: Type #{{[0-9]+}} std::variant<std::monostate, P> Variant
// TYPES-DAG: Type #{{[0-9]+}} std::variant<int, Boom> Variant

// The string cap counts characters: "grüß" is 4 characters (6 bytes of UTF-8).
// RUN: env TRACE_RECORD_MAX_STRING=4 TRACE_RECORD_OUT_DIR=%t/cap %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record print %t/cap | FileCheck %s --check-prefix=CAP
// CAP:      Step printers2.cpp:60
// CAP:      Value ws = "grüß…"
// CAP-NEXT: Value ews = ""
// CAP-NEXT: Value lws = "wwww…"
// CAP-NEXT: Value s16 = "été …"
// CAP-NEXT: Value s32 = "z😀"

// -O2: the same contents where the debug info locates the variables (use() is inlined).
// RUN: %tr-clangxx -std=c++20 -O2 %s -o %t/prog2
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace2 %t/prog2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace2 > /dev/null
// RUN: %trace-record print %t/trace2 | FileCheck %s --check-prefix=O2
// O2:      Step printers2.cpp:59
// O2-DAG:  Value si = 0x[[SI:[0-9a-f]+]] -> 3
// O2-DAG:  Value sp = 0x{{[0-9a-f]+}} -> P{x: 1, y: 2}
// O2-DAG:  Value nsp = NULL
// O2-DAG:  Value csp = 0x[[SI]] => 3
// O2-DAG:  Value ewp = NULL
// O2-DAG:  Value sa = 0x{{[0-9a-f]+}} -> 7
// O2-DAG:  Value ua = 0x{{[0-9a-f]+}} -> 4
// O2-DAG:  Value upa = 0x{{[0-9a-f]+}} -> P{x: 3, y: 4}
// O2-DAG:  Value nua = NULL
// O2-DAG:  Value ws = "grüß 😀"
// O2-DAG:  Value ews = ""
// O2-DAG:  Value s16 = "été 😀"
// O2-DAG:  Value s32 = "z😀"
// (vi is optimized out when the program is built with the sanitizers.)
// O2-DAG:  Value vi = {{int\(5\)|<optimized out>}}
// O2-DAG:  Value vs = std::string("abc")
