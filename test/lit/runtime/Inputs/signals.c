// Signals whose default action ends the process, and a program's own dealings
// with them. argv[1] is the mode, argv[2] a signal name (HUP, RTMIN+3...):
//   raise SIG    the signal arrives (kill) in the middle of the run
//   handler SIG  the program handles it (sigaction, no SA_RESTART) and goes on
//   ignore SIG   the program ignores it (signal SIG_IGN) and goes on
//   alarm        a SIGALRM handler without SA_RESTART interrupts a blocking read (EINTR)
//   lines        prints lines until stdout is gone (prog lines | head -1: SIGPIPE)
//   epipe        the same with SIGPIPE ignored: write fails with EPIPE, exit 0
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 60), TR_FN("arrive", 52)};
TR_MODULE()

static int parse(const char* name) {
  static const struct {
    const char* name;
    int sig;
  } names[] = {{"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT}, {"TRAP", SIGTRAP},
               {"USR1", SIGUSR1},     {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
               {"TERM", SIGTERM},     {"STKFLT", SIGSTKFLT}, {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
               {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},     {"POLL", SIGPOLL}, {"PWR", SIGPWR},
               {"SYS", SIGSYS}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i)
    if (!strcmp(name, names[i].name))
      return names[i].sig;
  if (!strncmp(name, "RTMIN+", 6))
    return SIGRTMIN + atoi(name + 6);
  if (!strcmp(name, "RTMAX"))
    return SIGRTMAX;
  return 0;
}

static void on_signal(int sig) {
  char text[64];
  int n = snprintf(text, sizeof text, "handled signal %d\n", sig);
  write(1, text, (size_t)n);
}

static void on_alarm(int sig) {
  (void)sig;
}

static void arrive(int sig) {
  TR_ENTER(1);
  TR_STEP();
  kill(getpid(), sig);
  TR_STEP();
  TR_EXIT(1);
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  TR_STEP();
  const char* mode = argv[1];
  int sig = argc > 2 ? parse(argv[2]) : 0;
  if (!strcmp(mode, "handler")) {
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_signal;
    sigaction(sig, &act, NULL);
  } else if (!strcmp(mode, "ignore")) {
    signal(sig, SIG_IGN);
  } else if (!strcmp(mode, "alarm")) {
    struct sigaction act;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_alarm; // no SA_RESTART: read() returns EINTR
    sigaction(SIGALRM, &act, NULL);
    int fds[2];
    pipe(fds);
    struct itimerval t = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &t, NULL);
    char c;
    ssize_t n = read(fds[0], &c, 1);
    printf("read returned %zd: %s\n", n, n < 0 ? strerror(errno) : "data");
  } else if (!strcmp(mode, "lines") || !strcmp(mode, "epipe")) {
    if (!strcmp(mode, "epipe"))
      signal(SIGPIPE, SIG_IGN);
    for (long i = 0;; ++i) {
      TR_STEP();
      if (printf("line %ld\n", i) < 0 || fflush(stdout) != 0) {
        fprintf(stderr, "stdout: %s\n", strerror(errno));
        break;
      }
    }
  }
  if (sig) {
    printf("mode %s %s\n", mode, argv[2]);
    fflush(stdout);
    arrive(sig);
  }
  TR_STEP();
  printf("still running\n");
  TR_EXIT(0);
  return 0;
}
