// Pointees that vanish while recording: a page unmapped, protected or cut from its file
// after the runtime listed it readable (its fault-tolerant copy takes the SIGSEGV/SIGBUS),
// an invalid pointer, a pointer to nowhere. Each gives an Error value; the program runs on
// with its own output and status.
// REQUIRES: plugin, runtime
// RUN: rm -rf %t && mkdir -p %t
// RUN: %tr-clang -O0 %s -o %t/prog
// RUN: env TRACE_RECORD_OUT_DIR=%t/trace %t/prog %t/file.bin > %t/out
// RUN: FileCheck --check-prefix=OUT %s < %t/out
// RUN: %trace-record validate %t/trace > /dev/null
// RUN: %trace-record print %t/trace | FileCheck %s
// Same with probing disabled by the program blocking SIGSEGV (process_vm_readv instead).
// RUN: env TRACE_RECORD_OUT_DIR=%t/trace2 %t/prog %t/file.bin block > %t/out2
// RUN: FileCheck --check-prefix=OUT %s < %t/out2
// RUN: %trace-record print %t/trace2 | FileCheck %s
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc > 2) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, 0);
  }
  char *page = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  strcpy(page, "mapped");
  int *num = (int *)(page + 4096);
  *num = 42;
  char *bad = (char *)0x10;
  char *wild = (char *)0x123456789000;
  munmap(page, 4096);
  mprotect(page + 4096, 4096, PROT_NONE);
  int after = 1;
  int fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(fd, 4096);
  char *file = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  strcpy(file, "in file");
  after = 2;
  ftruncate(fd, 0);
  after = 3;
  printf("done %d %s %s\n", after, bad ? "bad" : "", wild ? "wild" : "");
  return 0;
}
// OUT: done 3 bad wild
// CHECK: Value page = 0x{{[0-9a-f]+}} -> "mapped"
// CHECK: Value num = 0x{{[0-9a-f]+}} -> 42
// CHECK: Value bad = <error: <unreadable 0x10>>
// CHECK: Value wild = <error: <unreadable 0x123456789000>>
// After munmap and mprotect:
// CHECK: Value page = <error: <unreadable 0x{{[0-9a-f]+}}>>
// CHECK: Value num = <error: <unreadable 0x{{[0-9a-f]+}}>>
// CHECK-NEXT: Value bad = <error: <unreadable 0x10>>
// CHECK-NEXT: Value wild = <error: <unreadable 0x123456789000>>
// CHECK: Value file = 0x{{[0-9a-f]+}} -> "in file"
// After ftruncate (SIGBUS):
// CHECK: Value after = 3
// CHECK-NEXT: Value fd
// CHECK-NEXT: Value file = <error: <unreadable 0x{{[0-9a-f]+}}>>
