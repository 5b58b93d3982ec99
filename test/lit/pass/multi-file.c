// Several translation units, each with its own tables and constructor, plus a user
// header whose static inline function is traced in the header's file (absolute path).
// REQUIRES: plugin
// RUN: %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %S/Inputs/shapes_area.c -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: %clang -g -O0 -fpass-plugin=%plugin -c %S/Inputs/shapes_area.c -o %t.area.o
// RUN: %clang -g -O0 -fpass-plugin=%plugin -c %s -o %t.main.o
// RUN: %clang %t.main.o %t.area.o %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s --check-prefix=EXEC

// IR-DAG: c"{{/.*}}/Inputs/shapes_area.c\00"
// IR-DAG: c"{{/.*}}/Inputs/shapes_util.h\00"
// IR-DAG: c"clamp\00"
// IR-DAG: c"area\00"

int area(int w, int h);

int main(void) {
  int a = area(3, 40);
  return a == 30 ? 0 : 1;
}

// EXEC-NOT: stub: ERROR
// EXEC-DAG: register multi-file.c files=1 functions=1 flags=0
// EXEC-DAG: register shapes_area.c files=2 functions=2 flags=0
// EXEC: enter main multi-file.c:20
// EXEC-NEXT: step multi-file.c:21
// EXEC-NEXT: enter area shapes_area.c:3
// EXEC-NEXT: step shapes_area.c:4
// EXEC-NEXT: enter clamp shapes_util.h:2
// EXEC-NEXT: step shapes_util.h:3
// EXEC-NEXT: step shapes_util.h:5
// EXEC-NEXT: step shapes_util.h:6
// EXEC-NEXT: exit clamp
// EXEC-NEXT: step shapes_area.c:4
// EXEC-NEXT: enter clamp shapes_util.h:2
// EXEC-NEXT: step shapes_util.h:3
// EXEC-NEXT: step shapes_util.h:5
// EXEC-NEXT: step shapes_util.h:6
// EXEC-NEXT: exit clamp
// EXEC-NEXT: step shapes_area.c:4
// EXEC-NEXT: step shapes_area.c:5
// EXEC-NEXT: exit area
// EXEC-NEXT: step multi-file.c:21
// EXEC-NEXT: step multi-file.c:22
// EXEC-NEXT: exit main
