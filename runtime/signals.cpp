// Fatal signals, SIGINT/SIGTERM and std::terminate: record the reason as the
// last event (Error), finish the trace, then let the program end exactly as it
// would have (the program's own handler, or the default action re-raised).
//
// sigaction() and signal() are interposed for the signals handled here, so a
// handler the program installs is remembered and chained instead of replacing
// the runtime's.
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <exception>
#include <string>
#include <sys/mman.h>
#include <typeinfo>

#include "rt_internal.h"

namespace trace_record::rt {
namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGINT, SIGTERM};
struct sigaction g_program[NSIG]; // what the program asked for
std::atomic<bool> g_ours[NSIG];   // our handler is installed for this signal

using sigaction_fn = int (*)(int, const struct sigaction*, struct sigaction*);
sigaction_fn real_sigaction() {
  static sigaction_fn fn = reinterpret_cast<sigaction_fn>(dlsym(RTLD_NEXT, "sigaction"));
  return fn;
}

const char* signal_text(int sig, const siginfo_t* si, char* buf, std::size_t cap) {
  buf[0] = 0;
  auto with_addr = [&](const char* what) {
    str_append(buf, cap, what);
    str_append(buf, cap, " at address 0x");
    char hex[32];
    format_u64(hex, reinterpret_cast<std::uintptr_t>(si ? si->si_addr : nullptr), 16);
    str_append(buf, cap, hex);
  };
  switch (sig) {
  case SIGSEGV:
    with_addr("SIGSEGV: segmentation fault");
    break;
  case SIGBUS:
    with_addr("SIGBUS: bus error");
    break;
  case SIGILL:
    with_addr("SIGILL: illegal instruction");
    break;
  case SIGFPE:
    str_append(buf, cap,
               si && si->si_code == FPE_INTDIV ? "SIGFPE: integer divide by zero"
                                               : "SIGFPE: arithmetic exception");
    break;
  case SIGABRT:
    str_append(buf, cap, "SIGABRT: abort()");
    break;
  case SIGINT:
    str_append(buf, cap, "interrupted by SIGINT");
    break;
  case SIGTERM:
    str_append(buf, cap, "interrupted by SIGTERM");
    break;
  default:
    str_append(buf, cap, "fatal signal");
    break;
  }
  return buf;
}

void on_signal(int sig, siginfo_t* si, void* uc) {
  int saved_errno = errno;
  struct sigaction prog = g_program[sig];
  bool info = prog.sa_flags & SA_SIGINFO;
  if (info ? prog.sa_sigaction != nullptr
           : (prog.sa_handler != SIG_DFL && prog.sa_handler != SIG_IGN)) {
    if (prog.sa_flags & SA_RESETHAND) {
      g_program[sig].sa_flags &= ~SA_SIGINFO;
      g_program[sig].sa_handler = SIG_DFL;
    }
    if (info)
      prog.sa_sigaction(sig, si, uc);
    else
      prog.sa_handler(sig);
    errno = saved_errno;
    return;
  }
  bool async = sig == SIGINT || sig == SIGTERM;
  if (!info && prog.sa_handler == SIG_IGN && async) {
    errno = saved_errno;
    return;
  }
  static char reason[256];
  static std::atomic<bool> claimed{false};
  if (!claimed.exchange(true))
    signal_text(sig, si, reason, sizeof reason);
  finish_recording(reason, 10000);
  // Back to the default action; re-raise so status and core dump are unchanged.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  g_ours[sig].store(false);
  real_sigaction()(sig, &dfl, nullptr);
  bool fault = !async && sig != SIGABRT && si && si->si_code > 0;
  if (!fault)
    raise(sig); // pending until the handler returns (the signal is blocked)
  // A hardware fault re-executes the instruction and dies with the default action.
  errno = saved_errno;
}

std::terminate_handler g_previous_terminate = nullptr;

void on_terminate() {
  std::string reason = "std::terminate called without an active exception";
  if (std::type_info* t = abi::__cxa_current_exception_type()) {
    int status = 0;
    char* name = abi::__cxa_demangle(t->name(), nullptr, nullptr, &status);
    reason = "uncaught exception ";
    reason += status == 0 && name ? name : t->name();
    std::free(name);
    try {
      std::rethrow_exception(std::current_exception());
    } catch (const std::exception& e) {
      reason += ": ";
      reason += e.what();
    } catch (...) {
    }
  }
  finish_recording(reason.c_str(), 10000);
  if (g_previous_terminate)
    g_previous_terminate();
  std::abort();
}

} // namespace

void install_signal_handlers() {
  // An alternate stack for the thread that runs main, so a stack overflow is recorded.
  constexpr std::size_t kAltStack = 64 * 1024;
  void* alt = mmap(nullptr, kAltStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (alt != MAP_FAILED) {
    stack_t ss{};
    ss.ss_sp = alt;
    ss.ss_size = kAltStack;
    sigaltstack(&ss, nullptr);
  }
  for (int sig : kSignals) {
    struct sigaction act;
    std::memset(&act, 0, sizeof act);
    act.sa_sigaction = on_signal;
    act.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sigemptyset(&act.sa_mask);
    if (real_sigaction()(sig, &act, &g_program[sig]) == 0)
      g_ours[sig].store(true);
  }
}

void install_terminate_handler() {
  g_previous_terminate = std::set_terminate(on_terminate);
}

} // namespace trace_record::rt

using namespace trace_record::rt;

extern "C" {

TR_EXPORT int sigaction(int sig, const struct sigaction* act, struct sigaction* old) {
  if (sig > 0 && sig < NSIG && g_ours[sig].load()) {
    struct sigaction previous = g_program[sig];
    if (act)
      g_program[sig] = *act;
    if (old)
      *old = previous;
    return 0;
  }
  return real_sigaction()(sig, act, old);
}

TR_EXPORT sighandler_t signal(int sig, sighandler_t handler) {
  struct sigaction act, old;
  std::memset(&act, 0, sizeof act);
  act.sa_handler = handler;
  act.sa_flags = SA_RESTART;
  sigemptyset(&act.sa_mask);
  if (sigaction(sig, &act, &old) != 0)
    return SIG_ERR;
  return (old.sa_flags & SA_SIGINFO)
             ? reinterpret_cast<sighandler_t>(reinterpret_cast<void*>(old.sa_sigaction))
             : old.sa_handler;
}

} // extern "C"
