// Code from system headers (std:: templates, libc inlines) is not traced by default:
// no std:: functions in the tables, no steps in /usr/include, also after inlining at -O2.
// -trace-record-trace-system (or `trace-system on` in a filter file) turns it on.
// REQUIRES: plugin
// RUN: %clangxx -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.ll
// RUN: opt -passes=verify -disable-output %t.ll
// RUN: FileCheck %s --check-prefix=DEFAULT < %t.ll
// RUN: %clangxx -g -O0 -S -emit-llvm -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-trace-system %s -o %t.sys.ll
// RUN: FileCheck %s --check-prefix=SYSTEM < %t.sys.ll
// RUN: echo "trace-system on" > %t.filter
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter %clangxx -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.env.ll
// RUN: FileCheck %s --check-prefix=SYSTEM < %t.env.ll
// RUN: %stub-rt -o %t.stub.o
// RUN: %clangxx -g -O2 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s --check-prefix=EXEC

#include <algorithm>
#include <vector>

int main() {
  std::vector<int> v{3, 1, 2};
  std::sort(v.begin(), v.end());
  return v[0] == 1 ? 0 : 1;
}

// DEFAULT: private unnamed_addr constant {{.*}} c"main\00"
// DEFAULT-NOT: @__tr_fn_{{.*}}c"std::
// DEFAULT-NOT: c"/usr/include
// SYSTEM-DAG: c"std::vector<int, std::allocator<int>>::
// SYSTEM-DAG: c"/usr/{{.*}}include/c++/

// EXEC-NOT: stub: ERROR
// EXEC: register system-headers.cpp files=1 functions=1
// EXEC-NEXT: enter main system-headers.cpp:20
// EXEC-NOT: {{enter|/usr/}}
// EXEC: exit main
