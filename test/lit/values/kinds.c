// Every kind of C value at -O0 (CONVENTIONS §3.2), read back with `trace-record print`.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | FileCheck %s
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum color { RED, GREEN, BLUE };
struct point { int x, y; };
struct line { struct point a, b; const char *label; };
union num { int i; float f; };
struct flags { unsigned ready : 1; int level : 4; unsigned count : 11; };
typedef uint64_t u64;

static int add(int a, int b) { return a + b; }

int main(void) {
  int i = -7;
  unsigned u = 4000000000u;
  long long ll = -9000000000LL;
  u64 big = 18446744073709551615ull;
  __int128 huge = (__int128)1 << 100;
  char c = 'A';
  bool ok = true;
  float f = 0.1f;
  double d = 2.5;
  enum color col = GREEN;
  enum color bad = (enum color)7;
  int *pi = &i;
  int *null = NULL;
  const char *s = "hello";
  char buf[8] = "hi";
  int arr[4] = {1, 2, 3, 4};
  struct point p = {3, -4};
  struct line ln = {{1, 2}, {3, 4}, "diag"};
  struct point *pp = &p;
  union num n = {.i = 65};
  struct flags fl = {1, -3, 300};
  int (*fn)(int, int) = add;
  int *bogus = (int *)16;
  return add(i, c) > 0 ? 0 : fn(1, 2) - 3 + (int)(size_t)bogus * 0;
}

// Types: names as written in C, typedef names kept.
// CHECK-DAG: Type #{{[0-9]+}} u64 Int
// CHECK-DAG: Type #{{[0-9]+}} bool Bool
// CHECK-DAG: Type #{{[0-9]+}} const char * Pointer -> ?type[[CSTR:[0-9]+]]
// CHECK-DAG: Type #[[CSTR]] const char[] CString
// CHECK-DAG: Type #{{[0-9]+}} char[8] CString
// CHECK-DAG: Type #{{[0-9]+}} int[4] Array
// CHECK-DAG: Type #{{[0-9]+}} enum color Enum
// CHECK-DAG: Type #{{[0-9]+}} struct line Struct {a: struct point, b: struct point, label: const char *}
// CHECK-DAG: Type #{{[0-9]+}} union num Union
// CHECK-DAG: Type #{{[0-9]+}} int (*)(int, int) FunctionKind

// The step of the return line: every local, initialised.
// CHECK:      Step kinds.c:[[RET:45]]
// CHECK-NEXT: Value i = -7
// CHECK-NEXT: Value u = 4000000000
// CHECK-NEXT: Value ll = -9000000000
// CHECK-NEXT: Value big = 18446744073709551615
// CHECK-NEXT: Value huge = 1267650600228229401496703205376
// CHECK-NEXT: Value c = 65
// CHECK-NEXT: Value ok = true
// CHECK-NEXT: Value f = 0.1
// CHECK-NEXT: Value d = 2.5
// CHECK-NEXT: Value col = GREEN (1)
// CHECK-NEXT: Value bad = (enum color)7
// CHECK-NEXT: Value pi = 0x{{[0-9a-f]+}} -> -7
// CHECK-NEXT: Value null = NULL
// CHECK-NEXT: Value s = 0x{{[0-9a-f]+}} => "hello"
// CHECK-NEXT: Value buf = "hi"
// CHECK-NEXT: Value arr = [1, 2, 3, 4]
// CHECK-NEXT: Value p = struct point{x: 3, y: -4}
// CHECK-NEXT: Value ln = struct line{a: struct point{x: 1, y: 2}, b: struct point{x: 3, y: 4}, label: 0x{{[0-9a-f]+}} => "diag"}
// CHECK-NEXT: Value pp = 0x{{[0-9a-f]+}} -> struct point{x: 3, y: -4}
// CHECK-NEXT: Value n = {i = 65, f = 0.000000000000000000000000000000000000000000091}
// CHECK-NEXT: Value fl = struct flags{ready: 1, level: -3, count: 300}
// CHECK-NEXT: Value fn = 0x{{[0-9a-f]+}} <add>
// CHECK-NEXT: Value bogus = <error: <unreadable 0x10>>
// Arguments in the Call, the return value in the Return.
// CHECK-NEXT: Function #{{[0-9]+}} add kinds.c:19
// CHECK:      Step kinds.c:19
// CHECK-NEXT: Call add(a=-7, b=65)
// CHECK-NEXT: Step kinds.c:19
// CHECK-NEXT: Value a = -7
// CHECK-NEXT: Value b = 65
// CHECK-NEXT: Return 58
