// fork(): the child records into its own folder; exec: the trace ends first and
// the new program records into "<folder>-exec". "fds": the child lists the
// descriptors it holds on the parent's trace folder (none: a follower must see
// the parent's event file closed once the parent ends).
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 31), TR_FN("in_child", 17), TR_FN("in_parent", 24)};
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
  if (pid == 0 && argc > 1 && !strcmp(argv[1], "fds")) {
    const char* parent = getenv("TRACE_RECORD_OUT_DIR");
    size_t len = strlen(parent);
    int held = 0;
    DIR* d = opendir("/proc/self/fd");
    struct dirent* e;
    while ((e = readdir(d)) != NULL) {
      char link[64], target[4096];
      snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
      ssize_t n = readlink(link, target, sizeof target - 1);
      if (n <= 0)
        continue;
      target[n] = 0;
      if (!strncmp(target, parent, len) && (target[len] == '/' || target[len] == 0)) {
        printf("child holds %s\n", target);
        held = 1;
      }
    }
    closedir(d);
    if (!held)
      printf("child holds nothing of the parent's trace\n");
  }
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
