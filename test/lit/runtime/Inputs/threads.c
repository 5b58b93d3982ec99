// Several threads, thousands of calls each (several chunks per thread).
#include <pthread.h>
#include <stdio.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 32), TR_FN("thread_main", 22), TR_FN("work", 14)};
TR_MODULE()

#define THREADS 4
#define CALLS 20000

static int work(int x) {
  TR_ENTER(2);
  TR_STEP();
  int r = x * 2;
  TR_STEP();
  TR_EXIT(2);
  return r;
}

static void* thread_main(void* arg) {
  TR_ENTER(1);
  TR_STEP();
  long sum = (long)arg;
  for (int i = 0; i < CALLS; ++i) sum += work(i);
  TR_STEP();
  TR_EXIT(1);
  return (void*)sum;
}

int main(void) {
  TR_ENTER(0);
  TR_STEP();
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; ++i) pthread_create(&t[i], NULL, thread_main, (void*)i);
  TR_STEP();
  long sum = 0;
  for (int i = 0; i < CALLS; ++i) sum += work(i);
  for (int i = 0; i < THREADS; ++i) {
    void* r;
    pthread_join(t[i], &r);
    sum += (long)r;
  }
  TR_STEP();
  printf("sum %ld\n", sum);
  TR_EXIT(0);
  return 0;
}
