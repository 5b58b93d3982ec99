// Reads the environment (docs/runtime.md): output folder, format, threads,
// disabled, flush and finish times. Called once, before main. A value that
// cannot be used is reported in one line naming the variable, and the default
// is used.
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <unistd.h>

#include "rt_internal.h"

namespace trace_record::rt {

Config g_config;

namespace {

// The first of the two variables that is set: its name in *used.
const char* env2(const char* a, const char* b, const char** used = nullptr) {
  for (const char* name : {a, b}) {
    const char* v = std::getenv(name);
    if (v && *v) {
      if (used)
        *used = name;
      return v;
    }
  }
  return nullptr;
}

bool truthy(const char* v) {
  return v && (std::strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 ||
               strcasecmp(v, "yes") == 0 || strcasecmp(v, "on") == 0);
}

} // namespace

long env_number(const char* name, long fallback, const char* fallback_text, long max) {
  const char* v = std::getenv(name);
  if (!v || !*v)
    return fallback;
  char* end = nullptr;
  errno = 0;
  const long n = std::strtol(v, &end, 10);
  if (errno == 0 && end != v && *end == 0 && n >= 0 && n <= max)
    return n;
  char top[32];
  format_u64(top, std::uint64_t(max));
  say("trace-record: ignoring ", name, "='", v, "' (not a whole number from 0 to ", top,
      "); using the default, ", fallback_text, "\n");
  return fallback;
}

int finish_budget_ms(bool on_signal) {
  if (g_config.finish_ms >= 0)
    return int(g_config.finish_ms);
  return on_signal ? 10000 : 60000;
}

void load_config() {
  g_config.disabled = truthy(env2("TRACE_RECORD_DISABLED", "CODETRACER_C_RECORDER_DISABLED"));

  const char* format_name = "TRACE_RECORD_FORMAT";
  const char* format = env2("TRACE_RECORD_FORMAT", "CODETRACER_C_RECORDER_FORMAT", &format_name);
  g_config.json = false;
  g_config.format_given = format != nullptr;
  if (format && strcasecmp(format, "json") == 0)
    g_config.json = true;
  else if (format && strcasecmp(format, "binary") != 0)
    say("trace-record: unknown ", format_name, " '", format, "'; using binary\n");

  // 0: compress on the writer thread; FramePolicy's default when unset.
  g_config.zstd_threads = int(env_number("TRACE_RECORD_ZSTD_THREADS", -1, "2", 64));
  g_config.flush_ms = env_number("TRACE_RECORD_FLUSH_MS", 1000, "1000", 86400000);
  g_config.finish_ms =
      env_number("TRACE_RECORD_FINISH_MS", -1, "10000 after a signal, 60000 at exit", 3600000);
  const char* threads = std::getenv("TRACE_RECORD_THREADS");
  g_config.threads = ThreadMode::Main;
  if (threads && *threads) {
    if (strcasecmp(threads, "all") == 0)
      g_config.threads = ThreadMode::All;
    else if (strcasecmp(threads, "split") == 0)
      g_config.threads = ThreadMode::Split;
    else if (strcasecmp(threads, "main") != 0)
      say("trace-record: unknown TRACE_RECORD_THREADS '", threads, "'; using main\n");
  }

  char dir[4096] = {};
  const char* out = env2("TRACE_RECORD_OUT_DIR", "CODETRACER_C_RECORDER_OUT_DIR");
  if (out) {
    str_append(dir, sizeof dir, out);
  } else {
    char exe[4096] = {};
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char* base = "program";
    if (n > 0) {
      exe[n] = 0;
      const char* slash = std::strrchr(exe, '/');
      base = slash ? slash + 1 : exe;
    }
    char pid[32];
    format_u64(pid, std::uint64_t(getpid()));
    str_append(dir, sizeof dir, "trace-");
    str_append(dir, sizeof dir, base);
    str_append(dir, sizeof dir, "-");
    str_append(dir, sizeof dir, pid);
  }
  g_config.out_dir[0] = 0;
  if (dir[0] != '/') {
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) {
      str_append(g_config.out_dir, sizeof g_config.out_dir, cwd);
      str_append(g_config.out_dir, sizeof g_config.out_dir, "/");
    }
  }
  str_append(g_config.out_dir, sizeof g_config.out_dir, dir);
  // No trailing slash: suffixes (-fork-PID, -thread-N) are appended to the name.
  std::size_t len = std::strlen(g_config.out_dir);
  while (len > 1 && g_config.out_dir[len - 1] == '/')
    g_config.out_dir[--len] = 0;
}

void append_suffix_to_out_dir(const char* suffix) {
  str_append(g_config.out_dir, sizeof g_config.out_dir, suffix);
}

} // namespace trace_record::rt
