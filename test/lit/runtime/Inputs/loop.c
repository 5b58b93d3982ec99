// Runs until killed: one call per millisecond.
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 12), TR_FN("tick", 10)};
TR_MODULE()

static void tick(void) { TR_ENTER(1); TR_STEP(); TR_EXIT(1); }

int main(void) {
  TR_ENTER(0);
  for (;;) {
    TR_STEP();
    tick();
    usleep(1000);
  }
}
