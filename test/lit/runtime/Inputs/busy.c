// Calls a function in a tight loop until it is killed: events come much faster
// than the trace writer can take them. Says "running" once it is well under way.
#include <stdio.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 18), TR_FN("leaf", 11)};
TR_MODULE()

static volatile long sink;
static void leaf(long i) {
  TR_ENTER(1);
  TR_STEP();
  sink += i;
  TR_EXIT(1);
}

int main(void) {
  TR_ENTER(0);
  for (long i = 0;; ++i) {
    TR_STEP();
    leaf(i);
    if (i == 2000000) {
      puts("running");
      fflush(stdout);
    }
  }
}
