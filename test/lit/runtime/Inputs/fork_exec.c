// fork(): the child records into its own folder; exec: the trace ends first and
// the new program records into "<folder>-exec".
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 27), TR_FN("in_child", 13), TR_FN("in_parent", 20)};
TR_MODULE()

static void in_child(void) {
  TR_ENTER(1);
  TR_STEP();
  printf("child\n");
  TR_EXIT(1);
}

static void in_parent(void) {
  TR_ENTER(2);
  TR_STEP();
  printf("parent\n");
  TR_EXIT(2);
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  TR_STEP();
  if (argc > 1 && !strcmp(argv[1], "exec")) {
    TR_STEP();
    fflush(stdout);
    execl(argv[0], argv[0], "after-exec", (char*)0);
    return 1;
  }
  if (argc > 1 && !strcmp(argv[1], "after-exec")) {
    TR_STEP();
    printf("after exec\n");
    TR_EXIT(0);
    return 0;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    TR_STEP();
    in_child();
    TR_EXIT(0);
    return 0;
  }
  int status;
  waitpid(pid, &status, 0);
  TR_STEP();
  in_parent();
  TR_EXIT(0);
  return 0;
}
