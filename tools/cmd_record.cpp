// trace-record record [-o DIR] [--format json|binary] [--values none|args|all]
//                     [--threads main|all|split] -- PROGRAM ARGS...
//
// Runs an instrumented program with the runtime's environment set
// (docs/runtime.md), waits for it, says where the trace went and exits with the
// program's status.
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "cli_args.h"
#include "command.h"
#include "trace_record/sink.h"

namespace {

const char* kUsage =
    "usage: trace-record record [options] [--] PROGRAM [ARGS...]\n"
    "  Runs PROGRAM (built with trace-record-clang/clang++) and records its trace.\n"
    "  -o, --out-dir DIR        trace folder (default: $TRACE_RECORD_OUT_DIR,\n"
    "                           $CODETRACER_C_RECORDER_OUT_DIR, else ./trace-<program>-<pid>)\n"
    "  --format json|binary     event file: trace.json or trace.bin (default: binary)\n"
    "  --values none|args|all   which variable values to record (TRACE_RECORD_VALUES)\n"
    "  --threads main|all|split which threads to record (default: main)\n"
    "  Exits with PROGRAM's status (a signal death as 128+signal, or the same signal).\n";

// What an event file was before the run: a file the run did not touch is left
// from an earlier one.
struct Stamp {
  bool exists = false;
  struct stat st {};
  bool same(const Stamp& o) const {
    return exists && o.exists && st.st_dev == o.st.st_dev && st.st_ino == o.st.st_ino &&
           st.st_size == o.st.st_size && st.st_mtim.tv_sec == o.st.st_mtim.tv_sec &&
           st.st_mtim.tv_nsec == o.st.st_mtim.tv_nsec;
  }
};
Stamp stamp(const std::string& file) {
  Stamp s;
  s.exists = ::stat(file.c_str(), &s.st) == 0;
  return s;
}

// The folder the run was told to use (-o, else the environment), as the runtime
// reads it; "" for the default folder, which is new for every run.
std::string requested_folder(const std::string& out_dir) {
  if (!out_dir.empty())
    return out_dir;
  for (const char* name : {"TRACE_RECORD_OUT_DIR", "CODETRACER_C_RECORDER_OUT_DIR"}) {
    const char* v = std::getenv(name);
    if (v && *v)
      return v;
  }
  return "";
}

// The trace folders a run began, when it finished none (no summary line): the
// requested folder if the run created or changed its event file (or "<folder>-PID",
// where the runtime goes when another process holds the folder), else the default
// "./trace-<program>-PID".
std::vector<std::string> begun_folders(const std::string& folder, pid_t pid,
                                       const Stamp& json_before, const Stamp& bin_before) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  const std::string suffix = "-" + std::to_string(pid);
  if (!folder.empty()) {
    auto changed = [](const std::string& file, const Stamp& before) {
      const Stamp now = stamp(file);
      return now.exists && !before.same(now);
    };
    if (changed(folder + "/trace.json", json_before) || changed(folder + "/trace.bin", bin_before))
      out.push_back(folder);
    const std::string mine = folder + suffix;
    if (stamp(mine + "/trace.json").exists || stamp(mine + "/trace.bin").exists)
      out.push_back(mine);
    return out;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(".", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("trace-", 0) == 0 && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        entry.is_directory(ec))
      out.push_back(entry.path().string());
  }
  return out;
}

// True if v is one of the non-null words in `allowed`.
bool one_of(const std::string& v, const std::array<const char*, 3>& allowed) {
  for (const char* a : allowed)
    if (a && v == a)
      return true;
  return false;
}

int run_record(int argc, char** argv) {
  std::string out_dir, format, values, threads;
  // Options whose value is one of a few words.
  struct Choice {
    const char* name;
    std::string* out;
    std::array<const char*, 3> allowed; // nullptr: no more words
    const char* allowed_text;           // for the message
  };
  Choice choices[] = {{"--format", &format, {"json", "binary", nullptr}, "json or binary"},
                      {"--values", &values, {"none", "args", "all"}, "none, args or all"},
                      {"--threads", &threads, {"main", "all", "split"}, "main, all or split"}};
  auto find_choice = [&](const std::string& a) -> Choice* {
    for (Choice& c : choices)
      if (a == c.name)
        return &c;
    return nullptr;
  };
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "trace-record record: %s needs a value\n%s", name, kUsage);
        return nullptr;
      }
      return argv[++i];
    };
    if (a == "--") {
      ++i;
      break;
    } else if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "-o" || a == "--out-dir") {
      const char* v = value("--out-dir");
      if (!v)
        return 2;
      out_dir = v;
    } else if (Choice* c = find_choice(a)) {
      const char* v = value(c->name);
      if (!v)
        return 2;
      *c->out = v;
      if (!one_of(*c->out, c->allowed)) {
        std::fprintf(stderr, "trace-record record: %s must be %s\n", c->name, c->allowed_text);
        return 2;
      }
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "trace-record record: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    } else {
      break; // the program
    }
  }
  if (i >= argc) {
    std::fputs(kUsage, stderr);
    return 2;
  }

  // The runtime appends one line per finished trace folder to this file.
  const char* tmpdir = std::getenv("TMPDIR");
  std::string summary_path =
      std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/trace-record-summary-XXXXXX";
  int sfd = mkstemp(summary_path.data());
  if (sfd >= 0)
    close(sfd);

  if (!out_dir.empty())
    setenv("TRACE_RECORD_OUT_DIR", out_dir.c_str(), 1);
  if (!format.empty())
    setenv("TRACE_RECORD_FORMAT", format.c_str(), 1);
  if (!values.empty())
    setenv("TRACE_RECORD_VALUES", values.c_str(), 1);
  if (!threads.empty())
    setenv("TRACE_RECORD_THREADS", threads.c_str(), 1);
  if (sfd >= 0)
    setenv("TRACE_RECORD_SUMMARY", summary_path.c_str(), 1);

  // A folder reused from a run of the other format (issue 13 item 10): after the
  // run, the event file it did not write is removed, so that it holds one.
  const std::string folder = requested_folder(out_dir);
  const std::string json_file = folder + "/trace.json", bin_file = folder + "/trace.bin";
  const Stamp json_before = folder.empty() ? Stamp{} : stamp(json_file);
  const Stamp bin_before = folder.empty() ? Stamp{} : stamp(bin_file);

  // Like system(): Ctrl-C reaches the program (same process group), which
  // records "interrupted by SIGINT"; the launcher waits for it.
  struct sigaction ignore {
  }, old_int{}, old_quit{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);

  pid_t pid = fork();
  if (pid < 0) {
    std::fprintf(stderr, "trace-record record: fork: %s\n", std::strerror(errno));
    return 1;
  }
  if (pid == 0) {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
    execvp(argv[i], argv + i);
    std::fprintf(stderr, "trace-record record: cannot run %s: %s\n", argv[i], std::strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);

  int traces = 0;
  if (sfd >= 0) {
    std::ifstream in(summary_path);
    std::string line;
    while (std::getline(in, line)) {
      // dir \t events \t steps \t calls \t bytes \t skipped
      std::vector<std::string> f;
      std::size_t start = 0, tab;
      while ((tab = line.find('\t', start)) != std::string::npos) {
        f.push_back(line.substr(start, tab - start));
        start = tab + 1;
      }
      f.push_back(line.substr(start));
      if (f.size() < 6)
        continue;
      ++traces;
      std::fprintf(stderr, "trace-record: trace written to %s\n", f[0].c_str());
      std::fprintf(stderr, "trace-record: %s events, %s steps, %s calls, %s", f[1].c_str(),
                   f[2].c_str(), f[3].c_str(),
                   trace_record::cli::human_size(std::strtoull(f[4].c_str(), nullptr, 10)).c_str());
      if (f[5] != "0")
        std::fprintf(stderr, " (%s records of unrecorded threads skipped)", f[5].c_str());
      std::fputc('\n', stderr);
    }
    unlink(summary_path.c_str());
  }
  if (!folder.empty()) {
    const Stamp json_after = stamp(json_file), bin_after = stamp(bin_file);
    const bool json_old = json_before.same(json_after), bin_old = bin_before.same(bin_after);
    if (json_after.exists && bin_after.exists && json_old != bin_old) {
      auto removed = trace_record::remove_other_event_file(
          folder, json_old ? trace_record::TraceFormat::Binary : trace_record::TraceFormat::Json);
      const std::string& line = removed ? *removed : removed.status().message();
      if (!line.empty())
        std::fprintf(stderr, "trace-record: %s\n", line.c_str());
    }
  }
  // No finished trace: a folder the runtime began (it writes trace_metadata.json
  // and the event file's header at start) is still the program's trace, cut short
  // by a signal the runtime did not catch. Only when none appeared at all may the
  // build be to blame.
  if (traces == 0) {
    const std::vector<std::string> begun = begun_folders(folder, pid, json_before, bin_before);
    for (const std::string& dir : begun)
      std::fprintf(stderr, "trace-record: unfinished trace in %s\n", dir.c_str());
    if (begun.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 127))
      std::fprintf(stderr,
                   "trace-record: no trace was recorded (is %s built with trace-record-clang, "
                   "and recording not disabled?)\n",
                   argv[i]);
  }
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = sigabbrev_np(sig);
    std::fprintf(stderr, "trace-record: %s was killed by SIG%s (%s)\n", argv[i],
                 abbrev ? abbrev : "?", strsignal(sig));
  }

  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    // Signals without a core dump: die the same way, so shells see it.
    if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGPIPE || sig == SIGKILL) {
      std::fflush(nullptr);
      signal(sig, SIG_DFL);
      raise(sig);
    }
    return 128 + sig;
  }
  return 1;
}

} // namespace

TRACE_RECORD_COMMAND(record, "record", "run an instrumented program and record its trace",
                     run_record);
