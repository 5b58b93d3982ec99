// Runs until killed, one call per millisecond. With "fork PIDFILE" it first forks
// a child that also runs until killed (recording its own trace) and writes the
// child's pid to PIDFILE.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 19), TR_FN("tick", 13)};
TR_MODULE()

static void tick(void) {
  TR_ENTER(1);
  TR_STEP();
  TR_EXIT(1);
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  TR_STEP();
  if (argc > 2 && !strcmp(argv[1], "fork")) {
    pid_t child = fork();
    if (child == 0) {
      for (;;)
        pause();
    }
    FILE* f = fopen(argv[2], "w");
    fprintf(f, "%d\n", (int)child);
    fclose(f);
  }
  for (;;) {
    TR_STEP();
    tick();
    usleep(1000);
  }
}
