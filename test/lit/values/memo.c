// The writer reuses the previous ValueRecord of a variable whose capture bytes did not
// change (docs/values.md, Performance): values that stay, values whose pointee changes
// behind an unchanged pointer, and the same variable in another frame must all come out
// as decoded. TRACE_RECORD_CHECK_MEMO=1 decodes every reused capture again and reports
// any difference on stderr.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_CHECK_MEMO=1 TRACE_RECORD_OUT_DIR=%t/trace %t/prog 2> %t/err
// RUN: not grep CHECK_MEMO %t/err
// RUN: %trace-record print %t/trace | FileCheck %s
#include <stdlib.h>
#include <string.h>

struct rec {
  int id;
  char name[12];
  struct rec *next;
};

static int walk(struct rec *r, int depth) {
  int sum = r->id;
  if (depth > 0 && r->next)
    sum += walk(r->next, depth - 1);
  return sum;
}

int main(void) {
  struct rec *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
  a->id = 1;
  strcpy(a->name, "first");
  a->next = b;
  b->id = 2;
  strcpy(b->name, "second");
  for (int i = 0; i < 3; ++i)
    a->id += 10;
  strcpy(a->name, "renamed");
  int total = walk(a, 1);
  free(a);
  free(b);
  return total == 33 ? 0 : 1;
}
// CHECK: Value a = 0x{{[0-9a-f]+}} -> struct rec{id: 1, name: "first", next: 0x{{[0-9a-f]+}}}
// CHECK: Value a = 0x{{[0-9a-f]+}} -> struct rec{id: 11, name: "first", next: 0x{{[0-9a-f]+}}}
// CHECK: Value a = 0x{{[0-9a-f]+}} -> struct rec{id: 21, name: "first", next: 0x{{[0-9a-f]+}}}
// CHECK: Value a = 0x{{[0-9a-f]+}} -> struct rec{id: 31, name: "first", next: 0x{{[0-9a-f]+}}}
// CHECK: Value a = 0x{{[0-9a-f]+}} -> struct rec{id: 31, name: "renamed", next: 0x{{[0-9a-f]+}}}
// CHECK: Call walk(r=0x{{[0-9a-f]+}} -> struct rec{id: 31, name: "renamed", next: 0x{{[0-9a-f]+}}}, depth=1)
// CHECK: Call walk(r=0x{{[0-9a-f]+}} -> struct rec{id: 2, name: "second", next: NULL}, depth=0)
// CHECK: Value r = 0x{{[0-9a-f]+}} -> struct rec{id: 2, name: "second", next: NULL}
// CHECK: Return 2
// CHECK: Value r = 0x{{[0-9a-f]+}} -> struct rec{id: 31, name: "renamed", next: 0x{{[0-9a-f]+}}}
