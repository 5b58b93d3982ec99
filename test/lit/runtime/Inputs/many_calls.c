// Produces events much faster than the writer encodes them: the per-thread ring
// fills up and the thread has to wait (backpressure). Nothing may be lost.
// With argument 0 it runs until killed and says "running" once well under way.
#include <stdio.h>
#include <stdlib.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 20), TR_FN("leaf", 13)};
TR_MODULE()

static volatile long sink;
static void leaf(long i) {
  TR_ENTER(1);
  TR_STEP();
  sink += i;
  TR_EXIT(1);
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  long n = argc > 1 ? atol(argv[1]) : 1000;
  for (long i = 0; n == 0 || i < n; ++i) {
    TR_STEP();
    leaf(i);
    if (n == 0 && i == 2000000) {
      puts("running");
      fflush(stdout);
    }
  }
  TR_EXIT(0);
  return 0;
}
