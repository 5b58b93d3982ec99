// A few calls, then death by the signal named in argv[1]: "hup" (kill), "pipe"
// (a write to a pipe nobody reads).
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 18), TR_FN("work", 12)};
TR_MODULE()

static void work(void) {
  TR_ENTER(1);
  TR_STEP();
  TR_EXIT(1);
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  for (int i = 0; i < 3; ++i) {
    TR_STEP();
    work();
  }
  TR_STEP();
  if (argc > 1 && !strcmp(argv[1], "hup"))
    kill(getpid(), SIGHUP);
  if (argc > 1 && !strcmp(argv[1], "pipe")) {
    int p[2];
    if (pipe(p) == 0) {
      close(p[0]);
      (void)!write(p[1], "x", 1);
    }
  }
  TR_EXIT(0);
  return 0;
}
