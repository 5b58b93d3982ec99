// One program, many endings: argv[1] picks how it ends (see the ending-*.test files).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

#include "tr_abi_helper.h"

TR_FUNCTIONS{TR_FN("main", 57), TR_FN("Global::Global", 16), TR_FN("Global::~Global", 21),
             TR_FN("at_exit_fn", 28), TR_FN("finish", 36)};
TR_MODULE()

struct Global {
  Global() {
    TR_ENTER(1);
    TR_STEP();
    TR_EXIT(1);
  }
  ~Global() {
    TR_ENTER(2);
    TR_STEP();
    TR_EXIT(2);
  }
} global;

void at_exit_fn() {
  TR_ENTER(3);
  TR_STEP();
  TR_EXIT(3);
}

static void on_sigint(int) { std::puts("handled SIGINT"); }

int finish(const char* mode, int zero) {
  TR_ENTER(4);
  TR_STEP();
  if (!std::strcmp(mode, "exit")) std::exit(3);
  if (!std::strcmp(mode, "_exit")) _exit(4);
  if (!std::strcmp(mode, "quick_exit")) std::quick_exit(5);
  if (!std::strcmp(mode, "throw")) throw std::runtime_error("boom");
  if (!std::strcmp(mode, "abort")) std::abort();
  if (!std::strcmp(mode, "segv")) *(volatile int*)(std::uintptr_t)zero = 1;
  if (!std::strcmp(mode, "fpe")) return 10 / zero;
  if (!std::strcmp(mode, "sigint")) std::signal(SIGINT, SIG_DFL), raise(SIGINT); // lit ignores it
  if (!std::strcmp(mode, "sigterm")) kill(getpid(), SIGTERM);
  if (!std::strcmp(mode, "handler")) {
    std::signal(SIGINT, on_sigint);
    raise(SIGINT);
  }
  TR_STEP();
  TR_EXIT(4);
  return 0;
}

int main(int argc, char** argv) {
  TR_ENTER(0);
  TR_STEP();
  std::atexit(at_exit_fn);
  TR_STEP();
  std::printf("mode %s\n", argc > 1 ? argv[1] : "return");
  std::fflush(stdout);
  TR_STEP();
  int r = finish(argc > 1 ? argv[1] : "return", argc - argc);
  TR_STEP();
  TR_EXIT(0);
  return r;
}
