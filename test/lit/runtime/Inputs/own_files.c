// A program that takes over every descriptor above 2, as daemons and some
// shells do, while it is traced: argv[2] says how ("loop": close 3..1023, then
// open its files; "range": close_range(3, ~0U), then open them; "dup2": open
// them, then dup2 them over the rest of 3..999, leaving a few descriptors free
// below the usual limit of 1024). Its files are in argv[1]. It
// keeps running instrumented code (so the trace writer keeps writing) while it
// writes to them, and checks that they hold exactly what it wrote.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 41), TR_FN("work", 22), TR_FN("calls", 30)};
TR_MODULE()

#define FILES 8
#define ROUNDS 20

static long work(long i) {
  TR_ENTER(1);
  TR_STEP();
  long r = i * 3 + 1;
  TR_EXIT(1);
  return r;
}

static long calls(long n) {
  TR_ENTER(2);
  long sum = 0;
  for (long i = 0; i < n; ++i) {
    TR_STEP();
    sum += work(i);
  }
  TR_EXIT(2);
  return sum;
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  TR_STEP();
  const char* dir = argv[1];
  const char* how = argv[2];
  long sum = calls(200000);
  if (!strcmp(how, "loop")) {
    for (int fd = 3; fd < 1024; ++fd)
      close(fd);
  } else if (!strcmp(how, "range")) {
    close_range(3, ~0U, 0);
  }
  TR_STEP();
  int fds[FILES];
  char path[4096];
  for (int f = 0; f < FILES; ++f) {
    snprintf(path, sizeof path, "%s/out-%d.txt", dir, f);
    fds[f] = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  }
  if (!strcmp(how, "dup2")) {
    for (int fd = 3; fd < 1000; ++fd) {
      int own = 0;
      for (int f = 0; f < FILES; ++f)
        own |= fds[f] == fd;
      if (!own)
        dup2(fds[fd % FILES], fd);
    }
  }
  // The writer flushes every few milliseconds (TRACE_RECORD_FLUSH_MS) meanwhile.
  for (int round = 0; round < ROUNDS; ++round) {
    sum += calls(20000);
    for (int f = 0; f < FILES; ++f) {
      char line[64];
      int n = snprintf(line, sizeof line, "round %d file %d\n", round, f);
      if (write(fds[f], line, (size_t)n) != n)
        printf("file %d: short write\n", f);
    }
    usleep(20000);
  }
  TR_STEP();
  int bad = 0;
  for (int f = 0; f < FILES; ++f) {
    close(fds[f]);
    char expected[ROUNDS * 64], got[ROUNDS * 64 + 1];
    size_t len = 0;
    for (int round = 0; round < ROUNDS; ++round)
      len +=
          (size_t)snprintf(expected + len, sizeof expected - len, "round %d file %d\n", round, f);
    snprintf(path, sizeof path, "%s/out-%d.txt", dir, f);
    int fd = open(path, O_RDONLY);
    ssize_t n = read(fd, got, sizeof got);
    close(fd);
    if (n != (ssize_t)len || memcmp(got, expected, len) != 0) {
      printf("file %d holds %zd bytes that it did not write\n", f, n - (ssize_t)len);
      bad = 1;
    }
  }
  printf(bad ? "sum %ld, files damaged\n" : "sum %ld, files ok\n", sum);
  TR_EXIT(0);
  return 0;
}
