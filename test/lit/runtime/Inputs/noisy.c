// Prints argv[1] lines of pseudo-random hex (captured as Write events, which
// zstd cannot shrink much), one call per line, so that the trace grows fast.
// With argv[2], the program first limits the size of the files it writes
// (RLIMIT_FSIZE, in bytes) itself. Ends with a line of totals.
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 30), TR_FN("line", 16)};
TR_MODULE()

static unsigned long long state = 88172645463325252ull;

static unsigned line(int n) {
  TR_ENTER(1);
  TR_STEP();
  char text[129];
  for (int i = 0; i < 128; ++i) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    text[i] = "0123456789abcdef"[state & 15];
  }
  text[128] = 0;
  printf("%d %s\n", n, text);
  TR_EXIT(1);
  return (unsigned)state;
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  TR_STEP();
  if (argc > 2) {
    struct rlimit limit = {strtoul(argv[2], NULL, 10), RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  int n = argc > 1 ? atoi(argv[1]) : 1000;
  unsigned sum = 0;
  for (int i = 0; i < n; ++i) {
    TR_STEP();
    sum += line(i);
  }
  TR_STEP();
  printf("%d lines, checksum %u\n", n, sum);
  TR_EXIT(0);
  return 0;
}
