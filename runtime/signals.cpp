// Fatal signals, SIGINT/SIGTERM and std::terminate: record the reason as the
// last event (Error), finish the trace, then let the program end exactly as it
// would have (the program's own handler, or the default action re-raised).
//
// sigaction() and signal() are interposed for the signals handled here, so a
// handler the program installs is remembered and chained instead of replacing
// the runtime's.
#include <csignal>
#include <link.h>
#include <pthread.h>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <exception>
#include <string>
#include <sys/mman.h>
#include <typeinfo>

#include "rt_internal.h"
#include "trace_record/probe_memory.h"

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
  // A load of the value hooks' fault-tolerant copy (probe_memory.h): not the program's.
  if ((sig == SIGSEGV || sig == SIGBUS) && trace_record::probe::fixup(uc))
    return;
  int saved_errno = errno;
  struct sigaction prog = g_program[sig];
  bool info = prog.sa_flags & SA_SIGINFO;
  if (info ? prog.sa_sigaction != nullptr
           : (prog.sa_handler != SIG_DFL && prog.sa_handler != SIG_IGN)) {
    if (prog.sa_flags & SA_RESETHAND) {
      g_program[sig].sa_flags &= ~SA_SIGINFO;
      g_program[sig].sa_handler = SIG_DFL;
    }
    // It may run instrumented code with SIGSEGV blocked: no probing meanwhile (left at
    // > 0 for good on this thread if the handler longjmps out).
    trace_record::probe::enter_handler();
    if (info)
      prog.sa_sigaction(sig, si, uc);
    else
      prog.sa_handler(sig);
    trace_record::probe::leave_handler();
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
  trace_record::probe::disable_forever();
  real_sigaction()(sig, &dfl, nullptr);
  bool fault = !async && sig != SIGABRT && si && si->si_code > 0;
  if (!fault)
    raise(sig); // pending until the handler returns (the signal is blocked)
  // A hardware fault re-executes the instruction and dies with the default action.
  errno = saved_errno;
}

bool blocks_faults(const sigset_t* set) {
  return set && (sigismember(set, SIGSEGV) == 1 || sigismember(set, SIGBUS) == 1);
}

// The runtime's own code ([lo, hi)), so that its own pthread_sigmask calls (the writer
// thread blocks every signal) are told from the program's.
std::uintptr_t g_own_lo = 0, g_own_hi = 0;
int own_object(dl_phdr_info* info, std::size_t, void*) {
  auto self = reinterpret_cast<std::uintptr_t>(&own_object);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD)
      continue;
    std::uintptr_t lo = info->dlpi_addr + ph.p_vaddr, hi = lo + ph.p_memsz;
    if (self >= lo && self < hi) {
      g_own_lo = lo;
      g_own_hi = hi;
      return 1;
    }
  }
  return 0;
}
void find_own_text() {
  if (!g_own_hi)
    dl_iterate_phdr(own_object, nullptr);
}
bool from_runtime(void* ret) {
  auto a = reinterpret_cast<std::uintptr_t>(ret);
  return a >= g_own_lo && a < g_own_hi;
}

// A signal mask that blocks SIGSEGV or SIGBUS, set by the program: a fault of a probe
// would then kill it, so probing stops for good (process_vm_readv as before).
void note_mask(int how, const sigset_t* set, void* ret) {
  if ((how == SIG_BLOCK || how == SIG_SETMASK) && blocks_faults(set) && !from_runtime(ret))
    trace_record::probe::disable_forever();
}

using sigmask_fn = int (*)(int, const sigset_t*, sigset_t*);
sigmask_fn real_fn(const char* name) {
  return reinterpret_cast<sigmask_fn>(dlsym(RTLD_NEXT, name));
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
  find_own_text();
  // Probing pointees (probe_memory.h) needs our SIGSEGV/SIGBUS handlers, unblocked.
  sigset_t cur;
  sigemptyset(&cur);
  if (g_ours[SIGSEGV].load() && g_ours[SIGBUS].load() &&
      pthread_sigmask(SIG_BLOCK, nullptr, &cur) == 0 && !blocks_faults(&cur))
    trace_record::probe::set_enabled(true);
}

void install_terminate_handler() {
  g_previous_terminate = std::set_terminate(on_terminate);
}

} // namespace trace_record::rt

using namespace trace_record::rt;

extern "C" {

TR_EXPORT int sigaction(int sig, const struct sigaction* act, struct sigaction* old) {
  // A handler of the program's own that the runtime does not call: it may run
  // instrumented code with SIGSEGV/SIGBUS blocked (its sa_mask, or the mask of a
  // sigsuspend/ppoll it interrupts), where a probe's fault would kill the process.
  if (act && sig > 0 && sig < NSIG && !g_ours[sig].load() &&
      ((act->sa_flags & SA_SIGINFO) ? act->sa_sigaction != nullptr
                                    : (act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN)))
    trace_record::probe::disable_forever();
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

TR_EXPORT int sigprocmask(int how, const sigset_t* set, sigset_t* old) {
  note_mask(how, set, __builtin_return_address(0));
  static sigmask_fn fn = real_fn("sigprocmask");
  return fn(how, set, old);
}

TR_EXPORT int pthread_sigmask(int how, const sigset_t* set, sigset_t* old) {
  note_mask(how, set, __builtin_return_address(0));
  static sigmask_fn fn = real_fn("pthread_sigmask");
  return fn(how, set, old);
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
