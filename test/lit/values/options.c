// Options: TRACE_RECORD_VALUES=none|args|all at run time, -mllvm
// -trace-record-values=false at compile time, and the caps
// TRACE_RECORD_MAX_STRING / _MAX_ELEMENTS / _MAX_DEPTH. Also a recursive type
// (its Type ids reserved first) and a pointer expanded one level only.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/all %t/prog
// RUN: %trace-record validate %t/all > /dev/null
// RUN: %trace-record print %t/all | FileCheck %s --check-prefix=ALL
// RUN: env TRACE_RECORD_VALUES=args TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/args %t/prog
// RUN: %trace-record validate %t/args > /dev/null
// RUN: %trace-record print %t/args | FileCheck %s --check-prefix=ARGS
// RUN: env TRACE_RECORD_VALUES=none TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/none %t/prog
// RUN: %trace-record print %t/none | FileCheck %s --check-prefix=NONE
// RUN: env TRACE_RECORD_MAX_STRING=3 TRACE_RECORD_MAX_ELEMENTS=2 TRACE_RECORD_MAX_DEPTH=2 TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/caps %t/prog
// RUN: %trace-record validate %t/caps > /dev/null
// RUN: %trace-record print %t/caps | FileCheck %s --check-prefix=CAPS
// RUN: %tr-clang -O0 -fplugin=%plugin -mllvm -trace-record-values=false %s -S -emit-llvm -o %t/off.ll
// RUN: FileCheck %s --check-prefix=OFF < %t/off.ll
#include <stdlib.h>

struct node {
  int v;
  struct node *next;
};
struct outer {
  struct { int deep; } in;
};

static int sum(const struct node *n) {
  int s = 0;
  for (; n; n = n->next)
    s += n->v;
  return s;
}

int main(void) {
  struct node b = {2, NULL}, a = {1, &b};
  const char *word = "abcdef";
  int arr[5] = {1, 2, 3, 4, 5};
  struct outer o = {{9}};
  int r = sum(&a);
  return r == 3 && word[0] == 'a' && arr[0] == 1 && o.in.deep == 9 ? 0 : 1;
}

// ALL-DAG: Type #[[N:[0-9]+]] struct node Struct {v: ?type{{[0-9]+}}, next: ?type[[NP:[0-9]+]]}
// ALL-DAG: Type #[[NP]] struct node * Pointer -> struct node
// ALL:      Call sum(n=0x{{[0-9a-f]+}} => const struct node{v: 1, next: 0x[[B:[0-9a-f]+]]})
// ALL:      Return 3
// ALL:      Step options.c:44
// ALL-NEXT: Value b = struct node{v: 2, next: NULL}
// ALL-NEXT: Value a = struct node{v: 1, next: 0x[[B]] -> struct node{v: 2, next: NULL}}
// ALL-NEXT: Value word = 0x{{[0-9a-f]+}} => "abcdef"
// ALL-NEXT: Value arr = [1, 2, 3, 4, 5]
// ALL-NEXT: Value o = struct outer{in: struct (anonymous at options.c:28){deep: 9}}
// ALL-NEXT: Value r = 3

// ARGS-NOT: Value
// ARGS:     Call main()
// ARGS-NOT: Value
// ARGS:     Call sum(n=0x{{[0-9a-f]+}} => const struct node{v: 1, next: 0x{{[0-9a-f]+}}})
// ARGS-NOT: Value
// ARGS:     Return 3
// ARGS-NOT: Value

// NONE-NOT: Value
// NONE:     Call sum()
// NONE-NOT: Value
// NONE:     Return None
// NONE-NOT: Value

// CAPS:      Step options.c:44
// CAPS:      Value a = struct node{v: 1, next: 0x{{[0-9a-f]+}}}
// CAPS-NEXT: Value word = 0x{{[0-9a-f]+}} => "abc…"
// CAPS-NEXT: Value arr = [1, 2, …]
// CAPS-NEXT: Value o = struct outer{in: struct (anonymous at options.c:28){deep: <max depth>}}

// OFF: call void @__tr_step
// OFF-NOT: __tr_value
// OFF-NOT: __tr_return
