// C++ values at -O0: namespaces, base classes as pseudo-fields, classes with a
// vtable, references (T&, const T*, T&&), `this`, shadowing (innermost scope
// first), member functions' arguments and return values.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clangxx -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | FileCheck %s --check-prefix=TYPES
// RUN: %trace-record print %t/trace | grep -v -e ' Type #' -e ' VariableName #' | FileCheck %s
#include <cstdio>
namespace geo {
struct Base { int id; };
struct Point : Base {
  double x, y;
  double norm2() const { return x * x + y * y; }
};
class Shape { public: virtual ~Shape() {} int sides = 3; };
}
static void scale(geo::Point& p, const geo::Point* q, int&& k) {
  p.x *= k;
  p.y += q->y;
}
int main() {
  geo::Point p{{7}, 1.5, 2.0};
  geo::Point q{{8}, 0, 1};
  geo::Shape s;
  int i = 2;
  {
    int i = 5;
    scale(p, &q, static_cast<int&&>(i));
  }
  double n = p.norm2();
  std::printf("%g %d\n", n, i);
  return 0;
}

// TYPES-DAG: Type #{{[0-9]+}} geo::Point Struct {geo::Base: ?type[[BASE:[0-9]+]], x: ?type{{[0-9]+}}, y: ?type{{[0-9]+}}}
// TYPES-DAG: Type #[[BASE]] geo::Base Struct {id: ?type{{[0-9]+}}}
// TYPES-DAG: Type #{{[0-9]+}} geo::Point & Pointer -> geo::Point
// TYPES-DAG: Type #{{[0-9]+}} const geo::Point * Pointer -> ?type[[CP:[0-9]+]]
// TYPES-DAG: Type #[[CP]] const geo::Point Struct {geo::Base: geo::Base, x: double, y: double}
// TYPES-DAG: Type #{{[0-9]+}} int && Pointer -> int
// TYPES-DAG: Type #{{[0-9]+}} geo::Shape Struct {_vptr$Shape: ?type{{[0-9]+}}, sides: int}

// CHECK:      Step cxx.cpp:30
// CHECK-NEXT: Value i = {{-?[0-9]+}}
// CHECK-NEXT: Value p = geo::Point{geo::Base: geo::Base{id: 7}, x: 1.5, y: 2}
// CHECK-NEXT: Value q = geo::Point{geo::Base: geo::Base{id: 8}, x: 0, y: 1}
// CHECK-NEXT: Value s = geo::Shape{_vptr$Shape: 0x{{[0-9a-f]+}} -> 0x{{[0-9a-f]+}} <geo::Shape::~Shape()>, sides: 3}
// CHECK-NEXT: Value i = 2
// CHECK-NEXT: Step cxx.cpp:31
// CHECK-NEXT: Value i = 5
// CHECK:      Value i = 2
// CHECK-NEXT: Function #{{[0-9]+}} scale(geo::Point&, geo::Point const*, int&&) cxx.cpp:20
// CHECK-NEXT: Step cxx.cpp:20
// CHECK-NEXT: Call scale(geo::Point&, geo::Point const*, int&&)(p=0x[[P:[0-9a-f]+]] -> geo::Point{geo::Base: geo::Base{id: 7}, x: 1.5, y: 2}, q=0x[[Q:[0-9a-f]+]] => const geo::Point{geo::Base: geo::Base{id: 8}, x: 0, y: 1}, k=0x{{[0-9a-f]+}} -> 5)
// CHECK-NEXT: Step cxx.cpp:21
// CHECK-NEXT: Value p = 0x[[P]] -> geo::Point{geo::Base: geo::Base{id: 7}, x: 1.5, y: 2}
// CHECK-NEXT: Value q = 0x[[Q]] => const geo::Point{geo::Base: geo::Base{id: 8}, x: 0, y: 1}
// CHECK-NEXT: Value k = 0x{{[0-9a-f]+}} -> 5
// CHECK-NEXT: Step cxx.cpp:22
// CHECK-NEXT: Value p = 0x[[P]] -> geo::Point{geo::Base: geo::Base{id: 7}, x: 7.5, y: 2}
// CHECK:      Step cxx.cpp:23
// CHECK-NEXT: Value p = 0x[[P]] -> geo::Point{geo::Base: geo::Base{id: 7}, x: 7.5, y: 3}
// CHECK:      Return None
// CHECK:      Step cxx.cpp:16
// CHECK-NEXT: Call geo::Point::norm2() const(this=0x[[P]] => const geo::Point{geo::Base: geo::Base{id: 7}, x: 7.5, y: 3})
// CHECK-NEXT: Step cxx.cpp:16
// CHECK-NEXT: Value this = 0x[[P]] => const geo::Point{geo::Base: geo::Base{id: 7}, x: 7.5, y: 3}
// CHECK-NEXT: Return 65.25
// CHECK:      Step cxx.cpp:34
// CHECK-NEXT: Value p = geo::Point{geo::Base: geo::Base{id: 7}, x: 7.5, y: 3}
// CHECK-NEXT: Value q = geo::Point{geo::Base: geo::Base{id: 8}, x: 0, y: 1}
// CHECK-NEXT: Value s = geo::Shape{_vptr$Shape: 0x{{[0-9a-f]+}} -> 0x{{[0-9a-f]+}} <geo::Shape::~Shape()>, sides: 3}
// CHECK-NEXT: Value i = 2
// CHECK-NEXT: Value n = 65.25
// CHECK-NEXT: Event Write "65.25 2\n"
