// Every way of writing to stdout/stderr; the bytes must be identical with and
// without the runtime, and each write an Event at its step.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <sys/uio.h>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 17)};
TR_MODULE()

int main() {
  TR_ENTER(0);
  TR_STEP();
  printf("printf %d %s\n", 42, "x");
  TR_STEP();
  puts("puts");
  TR_STEP();
  putchar('c');
  putchar('\n');
  TR_STEP();
  fputs("fputs\n", stdout);
  TR_STEP();
  fwrite("fwrite\n", 1, 7, stdout);
  TR_STEP();
  fprintf(stderr, "fprintf stderr %d\n", 7);
  TR_STEP();
  std::cout << "cout " << 3.5 << std::endl;
  TR_STEP();
  std::cerr << "cerr\n";
  TR_STEP();
  fflush(stdout);
  write(1, "write\n", 6);
  TR_STEP();
  struct iovec iov[2] = {{(void*)"write", 5}, {(void*)"v\n", 2}};
  writev(1, iov, 2);
  TR_STEP();
  dprintf(2, "dprintf %s\n", "two");
  TR_STEP();
  errno = ENOENT;
  perror("perror");
  TR_STEP();
  int n = 0;
  printf("percent-n%n\n", &n);
  printf("n=%d\n", n);
  TR_STEP();
  std::string big(200000, 'b');
  big += "\n";
  fputs(big.c_str(), stdout);
  TR_STEP();
  printf("bytes \xff\xfe end\n");
  TR_STEP(); // longer than the 4 KiB formatting buffer: the malloc'd path
  printf("%s", big.c_str() + 190000);
  dprintf(2, "%s", big.c_str() + 195000);
  TR_EXIT(0);
  return 0;
}
