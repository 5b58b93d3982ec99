// Filters: plugin options (-fplugin= so that -mllvm knows them) and a filter file
// (-trace-record-filter-file= or TRACE_RECORD_FILTER_FILE, read at compile time).
// Excluded functions keep running but are neither in the tables nor instrumented.
// REQUIRES: plugin
// Default: all three functions.
// RUN: %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o - | FileCheck %s --check-prefix=ALL
// Exclude by function glob.
// RUN: %clang -g -O0 -S -emit-llvm -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-exclude-function=helper_* %s -o - | FileCheck %s --check-prefix=NOHELPER
// Include only some functions.
// RUN: %clang -g -O0 -S -emit-llvm -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-include-function=main,helper_big %s -o - | FileCheck %s --check-prefix=ONLYBIG
// Size threshold: helper_tiny has 4 IR instructions at -O0, main 7.
// RUN: %clang -g -O0 -S -emit-llvm -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-min-instructions=6 %s -o - | FileCheck %s --check-prefix=ONLYBIG
// Files: excluding this file leaves nothing to trace, no tables at all.
// RUN: %clang -g -O0 -S -emit-llvm -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-exclude-file=*/filters.c %s -o - | FileCheck %s --check-prefix=NONE
// RUN: %clang -g -O0 -S -emit-llvm -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-include-file=*/Inputs/* %s -o - | FileCheck %s --check-prefix=NONE
// RUN: %clang -g -O0 -S -emit-llvm -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-include-file=*/Inputs/* %S/Inputs/filter_other.c -o - | FileCheck %s --check-prefix=OTHER
// The same through a filter file, by environment variable and by option.
// RUN: printf '# comment\nexclude-function helper_*\n\n' > %t.filter
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o - | FileCheck %s --check-prefix=NOHELPER
// RUN: %clang -g -O0 -S -emit-llvm -fplugin=%plugin -fpass-plugin=%plugin -mllvm -trace-record-filter-file=%t.filter %s -o - | FileCheck %s --check-prefix=NOHELPER
// RUN: printf 'include-function main\ninclude-function helper_big\n' > %t.filter2
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter2 %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o - | FileCheck %s --check-prefix=ONLYBIG
// Patterns read from a file outlive the file's buffer (GlobPattern keeps a reference).
// RUN: printf 'include-function mai*\ninclude-function helper_b*\n' > %t.filter4
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter4 %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o - | FileCheck %s --check-prefix=ONLYBIG
// RUN: printf 'min-instructions 6\n' > %t.filter3
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter3 %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o - | FileCheck %s --check-prefix=ONLYBIG
// Bad lines are reported with file and line, and ignored.
// RUN: printf 'exclude-function helper_*\nfrobnicate x\nmin-instructions lots\n' > %t.bad
// RUN: env TRACE_RECORD_FILTER_FILE=%t.bad %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.bad.ll 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: FileCheck %s --check-prefix=NOHELPER < %t.bad.ll
// RUN: env TRACE_RECORD_FILTER_FILE=%t.missing %clang -g -O0 -S -emit-llvm -fpass-plugin=%plugin %s -o %t.miss.ll 2>&1 | FileCheck %s --check-prefix=MISSING
// Filtered code still runs correctly.
// RUN: %stub-rt -o %t.stub.o
// RUN: env TRACE_RECORD_FILTER_FILE=%t.filter %clang -g -O0 -fpass-plugin=%plugin %s %t.stub.o -o %t
// RUN: %t 2>&1 | FileCheck %s --check-prefix=EXEC

int helper_tiny(int x) { return x; }

int helper_big(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += i * i;
  return s;
}

int main(void) { return helper_big(helper_tiny(3)) == 5 ? 0 : 1; }

// ALL: i32 3, ptr @__tr_files
// ALL-DAG: c"helper_tiny\00"
// ALL-DAG: c"helper_big\00"
// ALL-DAG: c"main\00"

// NOHELPER: i32 1, ptr @__tr_files
// NOHELPER-NOT: c"helper_
// NOHELPER: c"main\00"
// NOHELPER-NOT: c"helper_

// ONLYBIG: i32 2, ptr @__tr_files
// ONLYBIG-NOT: c"helper_tiny
// ONLYBIG-DAG: c"helper_big\00"
// ONLYBIG-DAG: c"main\00"
// ONLYBIG-NOT: c"helper_tiny

// NONE-NOT: __tr_

// OTHER: c"other_helper\00"

// BAD: trace-record: warning: {{.*}}.bad:2: unknown filter directive 'frobnicate'
// BAD: trace-record: warning: {{.*}}.bad:3: min-instructions needs a number, got 'lots'
// MISSING: trace-record: warning: cannot read filter file '{{.*}}.missing'

// EXEC-NOT: stub: ERROR
// EXEC: enter main filters.c:{{[0-9]+}}
// EXEC-NOT: enter
// EXEC: exit main
