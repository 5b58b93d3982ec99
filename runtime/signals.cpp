// Signals: record the reason as the last event (Error), finish the trace, then
// let the program end exactly as it would have (the program's own handler, or
// the default action re-raised, so that exit status and core dump are kept).
//
// Fault signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) keep the runtime's
// handler, which calls a handler the program installs (sigaction() and signal()
// are interposed): the value probes need SIGSEGV/SIGBUS, and a fault re-executes.
// Every other signal whose default action ends the process (SIGINT, SIGTERM,
// SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGXCPU, SIGSYS, the real-time
// signals...) gets the runtime's handler only while the program leaves it at
// SIG_DFL: a handler or SIG_IGN of the program's is installed as it asked (its
// flags, mask, EINTR behaviour and inheritance across exec unchanged), and one
// it had at start-up (e.g. SIGHUP ignored under nohup) is left alone.
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <dlfcn.h>
#include <exception>
#include <link.h>
#include <pthread.h>
#include <string>
#include <sys/mman.h>
#include <typeinfo>

#include "rt_internal.h"
#include "trace_record/probe_memory.h"

namespace trace_record::rt {
namespace {

constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
// Default action "terminate" or "core", besides the fault signals; plus SIGRTMIN..SIGRTMAX.
constexpr int kEndingSignals[] = {SIGHUP,    SIGINT,  SIGQUIT, SIGTRAP,   SIGUSR1, SIGUSR2,
                                  SIGPIPE,   SIGALRM, SIGTERM, SIGSTKFLT, SIGXCPU, SIGXFSZ,
                                  SIGVTALRM, SIGPROF, SIGPOLL, SIGPWR,    SIGSYS};

struct sigaction g_program[NSIG]; // what the program asked for (its view of the signal)
std::atomic<bool> g_ours[NSIG];   // the runtime's handler is installed for this signal
bool g_fault[NSIG];               // a fault signal: ours stays, the program's is chained
bool g_managed[NSIG];             // a signal handled here (fault or ending)
int g_rtmin = 0;                  // SIGRTMIN, read once (glibc reserves the first ones)

using sigaction_fn = int (*)(int, const struct sigaction*, struct sigaction*);
sigaction_fn real_sigaction() {
  static sigaction_fn fn = reinterpret_cast<sigaction_fn>(dlsym(RTLD_NEXT, "sigaction"));
  return fn;
}
using sigmask_fn = int (*)(int, const sigset_t*, sigset_t*);
sigmask_fn real_fn(const char* name) {
  return reinterpret_cast<sigmask_fn>(dlsym(RTLD_NEXT, name));
}
sigmask_fn real_pthread_sigmask() {
  static sigmask_fn fn = real_fn("pthread_sigmask");
  return fn;
}

// sa_handler and sa_sigaction share their storage; the kernel compares it with
// SIG_DFL and SIG_IGN whatever SA_SIGINFO says.
bool is_default(const struct sigaction& a) {
  return a.sa_handler == SIG_DFL;
}
bool is_ignored(const struct sigaction& a) {
  return a.sa_handler == SIG_IGN;
}
bool has_handler(const struct sigaction& a) {
  return !is_default(a) && !is_ignored(a);
}

const char* ending_text(int sig) {
  switch (sig) {
  case SIGHUP:
    return "SIGHUP: hangup";
  case SIGINT:
    return "interrupted by SIGINT";
  case SIGQUIT:
    return "SIGQUIT: quit";
  case SIGTRAP:
    return "SIGTRAP: trace/breakpoint trap";
  case SIGUSR1:
    return "SIGUSR1: user-defined signal 1";
  case SIGUSR2:
    return "SIGUSR2: user-defined signal 2";
  case SIGPIPE:
    return "SIGPIPE: broken pipe";
  case SIGALRM:
    return "SIGALRM: alarm clock";
  case SIGTERM:
    return "interrupted by SIGTERM";
  case SIGSTKFLT:
    return "SIGSTKFLT: stack fault";
  case SIGXCPU:
    return "SIGXCPU: CPU time limit exceeded";
  case SIGXFSZ:
    return "SIGXFSZ: file size limit exceeded";
  case SIGVTALRM:
    return "SIGVTALRM: virtual timer expired";
  case SIGPROF:
    return "SIGPROF: profiling timer expired";
  case SIGPOLL:
    return "SIGPOLL: I/O possible";
  case SIGPWR:
    return "SIGPWR: power failure";
  case SIGSYS:
    return "SIGSYS: bad system call";
  default:
    return nullptr;
  }
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
  default:
    if (const char* text = ending_text(sig)) {
      str_append(buf, cap, text);
    } else if (sig >= g_rtmin) {
      char n[16];
      format_u64(n, std::uint64_t(sig - g_rtmin));
      str_append(buf, cap, "SIGRTMIN+");
      str_append(buf, cap, n);
      str_append(buf, cap, ": real-time signal");
    } else {
      str_append(buf, cap, "fatal signal");
    }
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
  if (has_handler(prog)) {
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
  if (is_ignored(prog) && !g_fault[sig]) { // ignored meanwhile: nothing happens
    errno = saved_errno;
    return;
  }
  static char reason[256];
  static std::atomic<bool> claimed{false};
  if (!claimed.exchange(true))
    signal_text(sig, si, reason, sizeof reason);
  finish_recording(reason, true);
  // Back to the default action; re-raise so status and core dump are unchanged.
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  g_ours[sig].store(false);
  trace_record::probe::disable_forever();
  real_sigaction()(sig, &dfl, nullptr);
  bool fault = g_fault[sig] && sig != SIGABRT && si && si->si_code > 0;
  if (!fault)
    raise(sig); // pending until the handler returns (the signal is blocked)
  // A hardware fault re-executes the instruction and dies with the default action.
  errno = saved_errno;
}

// Installs the runtime's handler for `sig`; the previous action in *previous.
bool install_ours(int sig, struct sigaction* previous) {
  struct sigaction act;
  std::memset(&act, 0, sizeof act);
  act.sa_sigaction = on_signal;
  act.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  sigemptyset(&act.sa_mask);
  if (real_sigaction()(sig, &act, previous) != 0)
    return false;
  g_ours[sig].store(true);
  return true;
}

// A handler of the program's for an ending signal runs through this trampoline,
// installed with the program's own flags and mask: the program's handler may run
// instrumented code, so probing is off meanwhile (probe_memory.h).
void call_program_handler(int sig, siginfo_t* si, void* uc) {
  struct sigaction prog = g_program[sig];
  if (prog.sa_flags & SA_RESETHAND) { // the kernel reset it: SIG_DFL again, traced
    const int saved_errno = errno;
    std::memset(&g_program[sig], 0, sizeof g_program[sig]);
    g_program[sig].sa_handler = SIG_DFL;
    install_ours(sig, nullptr);
    errno = saved_errno;
  }
  if (!has_handler(prog))
    return;
  trace_record::probe::enter_handler();
  if (prog.sa_flags & SA_SIGINFO)
    prog.sa_sigaction(sig, si, uc);
  else
    prog.sa_handler(sig);
  trace_record::probe::leave_handler();
}

// What the program asked for an ending signal, put into effect: the runtime's
// handler for SIG_DFL, SIG_IGN as such, a handler through the trampoline.
int apply_program_action(int sig, const struct sigaction& act) {
  g_program[sig] = act;
  if (is_default(act))
    return install_ours(sig, nullptr) ? 0 : -1;
  g_ours[sig].store(false);
  if (is_ignored(act))
    return real_sigaction()(sig, &act, nullptr);
  struct sigaction k = act;
  k.sa_sigaction = call_program_handler;
  k.sa_flags |= SA_SIGINFO;
  return real_sigaction()(sig, &k, nullptr);
}

constexpr std::size_t kAltStackSize = 64 * 1024;

void* map_altstack(TlsState* t) {
  void* alt =
      mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (alt == MAP_FAILED)
    return nullptr;
  stack_t old{};
  if (sigaltstack(nullptr, &old) == 0 && (old.ss_flags & SS_DISABLE)) {
    stack_t ss{};
    ss.ss_sp = alt;
    ss.ss_size = kAltStackSize;
    if (sigaltstack(&ss, nullptr) == 0) {
      if (t)
        t->altstack = alt;
      return alt;
    }
  }
  munmap(alt, kAltStackSize);
  return nullptr;
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
  finish_recording(reason.c_str(), true);
  if (g_previous_terminate)
    g_previous_terminate();
  std::abort();
}

} // namespace

void install_signal_handlers() {
  (void)real_pthread_sigmask(); // resolved now, not in a signal handler
  // An alternate stack for the thread that runs main, so a stack overflow is recorded
  // (the main thread's stays for good; other threads get theirs lazily).
  map_altstack(nullptr);
  g_rtmin = SIGRTMIN;
  for (int sig : kFaultSignals) {
    g_fault[sig] = g_managed[sig] = true;
    install_ours(sig, &g_program[sig]);
  }
  auto ending = [](int sig) {
    // Left as it is when the program starts with it ignored (nohup, `trap '' PIPE`)
    // or handled (a preloaded library): that is the program's view.
    if (real_sigaction()(sig, nullptr, &g_program[sig]) != 0)
      return;
    g_managed[sig] = true;
    if (is_default(g_program[sig]))
      install_ours(sig, nullptr);
  };
  for (int sig : kEndingSignals)
    ending(sig);
  for (int sig = SIGRTMIN; sig <= SIGRTMAX; ++sig)
    ending(sig);
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

void give_thread_altstack(TlsState& t) {
  if (!t.altstack)
    map_altstack(&t);
}

void free_thread_altstack(TlsState& t) {
  if (!t.altstack)
    return;
  stack_t ss{};
  ss.ss_flags = SS_DISABLE;
  if (sigaltstack(&ss, nullptr) == 0)
    munmap(t.altstack, kAltStackSize);
  t.altstack = nullptr;
}

OwnSignalsBlocked::OwnSignalsBlocked() {
  // Synchronous signals stay deliverable: blocked, a fault would end the process.
  sigset_t block;
  sigfillset(&block);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT})
    sigdelset(&block, sig);
  real_pthread_sigmask()(SIG_BLOCK, &block, &old_);
  sigset_t pending;
  xfsz_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGXFSZ) == 1;
  pipe_pending_ = sigismember(&pending, SIGPIPE) == 1;
}

OwnSignalsBlocked::~OwnSignalsBlocked() {
  // SIGXFSZ (a write past RLIMIT_FSIZE) and SIGPIPE (a message to a closed stderr)
  // raised by the runtime's own writes are the runtime's: not delivered.
  sigset_t pending, discard;
  sigemptyset(&discard);
  if (sigpending(&pending) == 0) {
    if (!xfsz_pending_ && sigismember(&pending, SIGXFSZ) == 1)
      sigaddset(&discard, SIGXFSZ);
    if (!pipe_pending_ && sigismember(&pending, SIGPIPE) == 1)
      sigaddset(&discard, SIGPIPE);
  }
  timespec zero{};
  if (!sigisemptyset(&discard))
    while (sigtimedwait(&discard, nullptr, &zero) > 0) {
    }
  real_pthread_sigmask()(SIG_SETMASK, &old_, nullptr);
}

} // namespace trace_record::rt

using namespace trace_record::rt;

extern "C" {

TR_EXPORT int sigaction(int sig, const struct sigaction* act, struct sigaction* old) {
  const bool valid = sig > 0 && sig < NSIG;
  if (valid && g_managed[sig] && !g_fault[sig]) { // an ending signal
    struct sigaction previous = g_program[sig];
    if (act && apply_program_action(sig, *act) != 0)
      return -1;
    if (old)
      *old = previous;
    return 0;
  }
  // A handler of the program's own that the runtime does not call: it may run
  // instrumented code with SIGSEGV/SIGBUS blocked (its sa_mask, or the mask of a
  // sigsuspend/ppoll it interrupts), where a probe's fault would kill the process.
  if (act && valid && !g_ours[sig].load() && has_handler(*act))
    trace_record::probe::disable_forever();
  if (valid && g_ours[sig].load()) {
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
  return real_pthread_sigmask()(how, set, old);
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
