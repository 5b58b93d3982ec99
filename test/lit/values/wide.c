// wchar_t strings (C: wchar_t is a typedef of int): `wchar_t *` / `const wchar_t *` are a
// Reference to a String, `wchar_t[N]` a String (UTF-8 text); a single wchar_t is an Int.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace %t/prog | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | grep -v -e ' VariableName #' | FileCheck %s
// RUN: %trace-record print %t/trace | FileCheck %s --check-prefix=TYPES
// RUN: %tr-clang -O2 %s -o %t/prog2
// RUN: env TRACE_RECORD_FORMAT=json TRACE_RECORD_OUT_DIR=%t/trace2 %t/prog2 | FileCheck %s --check-prefix=OUT
// RUN: %trace-record validate %t/trace2 > /dev/null
// RUN: %trace-record print %t/trace2 | FileCheck %s --check-prefix=O2
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

__attribute__((noinline)) static size_t measure(const wchar_t *s, wchar_t *heap) {
  size_t n = wcslen(s) + wcslen(heap);
  printf("%zu\n", n);
  return n;
}

int main(void) {
  const wchar_t *w = L"gr\u00fc\u00df \U0001F600";
  wchar_t buf[8] = L"ab";
  wchar_t c = L'Z';
  wchar_t *null = NULL;
  wchar_t *heap = malloc(4 * sizeof(wchar_t));
  heap[0] = L'h';
  heap[1] = L'\u00e9';
  heap[2] = 0;
  size_t n = measure(w, heap);
  printf("%d %d %d\n", (int)n, (int)buf[1], (int)c + (null != NULL));
  free(heap);
  return 0;
}

// OUT: 8
// OUT: 8 98 90

// CHECK:      Call measure(s=0x{{[0-9a-f]+}} => "grüß 😀", heap=0x{{[0-9a-f]+}} -> "hé")
// CHECK:      Step wide.c:34
// CHECK-NEXT: Value w = 0x{{[0-9a-f]+}} => "grüß 😀"
// CHECK-NEXT: Value buf = "ab"
// CHECK-NEXT: Value c = 90
// CHECK-NEXT: Value null = NULL
// CHECK-NEXT: Value heap = 0x{{[0-9a-f]+}} -> "hé"
// CHECK-NEXT: Value n = 8
// TYPES-DAG:  Type #{{[0-9]+}} const wchar_t * Pointer
// TYPES-DAG:  Type #{{[0-9]+}} const wchar_t[] CString
// TYPES-DAG:  Type #{{[0-9]+}} wchar_t[8] CString
// TYPES-DAG:  Type #{{[0-9]+}} wchar_t Int

// (-O2 folds the literal's wcslen: s has no location.)
// O2:      Step wide.c:33
// O2:      Value c = 90
// O2:      Value heap = 0x[[HEAP:[0-9a-f]+]] -> "hé"
// O2:      Call measure(s={{.*}}, heap=0x[[HEAP]] -> "hé")
// O2:      Return 8
