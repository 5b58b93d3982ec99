// Reads the environment (docs/runtime.md): output folder, format, threads,
// disabled. Called once, before main.
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <unistd.h>

#include "rt_internal.h"

namespace trace_record::rt {

Config g_config;

namespace {

const char* env2(const char* a, const char* b) {
  const char* v = std::getenv(a);
  if (v && *v)
    return v;
  v = std::getenv(b);
  return v && *v ? v : nullptr;
}

bool truthy(const char* v) {
  return v && (std::strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 ||
               strcasecmp(v, "yes") == 0 || strcasecmp(v, "on") == 0);
}

} // namespace

void load_config() {
  g_config.disabled = truthy(env2("TRACE_RECORD_DISABLED", "CODETRACER_C_RECORDER_DISABLED"));

  const char* format = env2("TRACE_RECORD_FORMAT", "CODETRACER_C_RECORDER_FORMAT");
  g_config.json = false;
  if (format && strcasecmp(format, "json") == 0)
    g_config.json = true;
  else if (format && strcasecmp(format, "binary") != 0)
    say("trace-record: unknown TRACE_RECORD_FORMAT '", format, "'; using binary\n");

  const char* zstd = std::getenv("TRACE_RECORD_ZSTD_THREADS");
  g_config.zstd_threads = -1;
  if (zstd && *zstd) {
    const long n = std::strtol(zstd, nullptr, 10);
    g_config.zstd_threads = n > 0 ? int(n < 64 ? n : 64) : 0; // 0 or less: the writer thread
  }
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
