// An instrumented program that runs itself through system(): the child
// inherits TRACE_RECORD_OUT_DIR but must not write into the parent's folder.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 12)};
TR_MODULE()

int main(int argc, char** argv) {
  TR_ENTER(0);
  TR_STEP();
  if (argc > 1) {
    TR_STEP();
    printf("child\n");
  } else {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s child", argv[0]);
    fflush(stdout);
    TR_STEP();
    if (system(cmd) != 0) return 1;
    TR_STEP();
    printf("parent\n");
  }
  TR_EXIT(0);
  return 0;
}
