// Process life cycle: start before main, finish after the last static
// destructor, _exit/_Exit/quick_exit, exec*. fork() is handled by the
// pthread_atfork handlers in writer_thread.cpp.
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

#include "rt_internal.h"

namespace trace_record::rt {
namespace {

void finish_normally() {
  finish_recording(nullptr, false);
}

// Before ordinary constructors (the runtime is a dependency of the program, so
// its constructors run before the program's anyway).
__attribute__((constructor(101))) void runtime_init() {
  ensure_started();
  if (!g_config.disabled)
    at_quick_exit(finish_normally); // first registered: runs last
}

// The runtime's fini_array entry runs from _dl_fini, after main's atexit
// handlers and the program's static destructors: the last instrumented code.
__attribute__((destructor(101))) void runtime_fini() {
  finish_normally();
}

template <class Fn> Fn next(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

std::vector<char*> collect_args(const char* arg0, va_list ap, char*** envp) {
  std::vector<char*> args{const_cast<char*>(arg0)};
  while (char* a = va_arg(ap, char*))
    args.push_back(a);
  args.push_back(nullptr);
  if (envp)
    *envp = va_arg(ap, char**);
  return args;
}

// The exec'd program (if instrumented) records into "<this trace>-exec" instead
// of overwriting this trace: an environment with TRACE_RECORD_OUT_DIR set so.
struct ExecEnv {
  std::vector<std::string> storage;
  std::vector<char*> envp;
  char* const* get(char* const* env) {
    if (g_config.disabled || !g_config.out_dir[0])
      return env;
    storage.push_back(std::string("TRACE_RECORD_OUT_DIR=") + g_config.out_dir + "-exec");
    envp.push_back(storage.back().data());
    for (char* const* e = env; e && *e; ++e)
      if (std::strncmp(*e, "TRACE_RECORD_OUT_DIR=", 21) != 0)
        envp.push_back(*e);
    envp.push_back(nullptr);
    return envp.data();
  }
};

} // namespace
} // namespace trace_record::rt

using namespace trace_record::rt;

extern "C" {

TR_EXPORT void _exit(int status) {
  finish_normally();
  syscall(SYS_exit_group, status);
  __builtin_unreachable();
}

TR_EXPORT void _Exit(int status) {
  _exit(status);
}

// exec*: the current trace ends here (an exec'd instrumented program starts its own).
TR_EXPORT int execve(const char* path, char* const argv[], char* const envp[]) {
  finish_normally();
  ExecEnv env;
  return next<int (*)(const char*, char* const*, char* const*)>("execve")(path, argv,
                                                                          env.get(envp));
}
TR_EXPORT int execv(const char* path, char* const argv[]) {
  return execve(path, argv, environ);
}
TR_EXPORT int execvpe(const char* file, char* const argv[], char* const envp[]) {
  finish_normally();
  ExecEnv env;
  return next<int (*)(const char*, char* const*, char* const*)>("execvpe")(file, argv,
                                                                           env.get(envp));
}
TR_EXPORT int execvp(const char* file, char* const argv[]) {
  return execvpe(file, argv, environ);
}
TR_EXPORT int execl(const char* path, const char* arg, ...) {
  va_list ap;
  va_start(ap, arg);
  auto args = collect_args(arg, ap, nullptr);
  va_end(ap);
  return execv(path, args.data());
}
TR_EXPORT int execlp(const char* file, const char* arg, ...) {
  va_list ap;
  va_start(ap, arg);
  auto args = collect_args(arg, ap, nullptr);
  va_end(ap);
  return execvp(file, args.data());
}
TR_EXPORT int execle(const char* path, const char* arg, ...) {
  va_list ap;
  va_start(ap, arg);
  char** envp = nullptr;
  auto args = collect_args(arg, ap, &envp);
  va_end(ap);
  return execve(path, args.data(), envp);
}

} // extern "C"
