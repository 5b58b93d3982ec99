// Unbounded recursion: a stack overflow (SIGSEGV) in the main thread or in another
// thread is recorded like any crash, thanks to the alternate signal stacks.
#include <pthread.h>
#include <string.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 27), TR_FN("recurse", 13), TR_FN("thread_main", 22)};
TR_MODULE()

static volatile int sink;

static int recurse(int n) {
  TR_ENTER(1);
  TR_STEP();
  volatile char buf[256];
  buf[n & 255] = (char)n;
  int r = recurse(n + 1) + buf[(n * 7) & 255];
  TR_EXIT(1);
  return r;
}

static void* thread_main(void* arg) {
  TR_ENTER(2);
  sink = recurse((int)(long)arg);
  TR_EXIT(2);
  return NULL;
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  TR_STEP();
  if (argc > 1 && !strcmp(argv[1], "thread")) {
    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);
  } else {
    sink = recurse(0);
  }
  TR_EXIT(0);
  return 0;
}
