// Reading stdin in several ways: each read is an Event{Read} at its step.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 14)};
TR_MODULE()

int main() {
  TR_ENTER(0);
  TR_STEP();
  char buf[64];
  if (!fgets(buf, sizeof buf, stdin)) return 1;
  TR_STEP();
  char* line = nullptr;
  size_t cap = 0;
  if (getline(&line, &cap, stdin) < 0) return 1;
  TR_STEP();
  int c = getchar();
  TR_STEP();
  size_t n = fread(buf, 1, 4, stdin);
  TR_STEP();
  printf("got %c %zu %s", c, n, line);
  free(line);
  TR_EXIT(0);
  return 0;
}
