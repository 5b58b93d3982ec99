// Writes that fail (file size limit, the descriptor taken over by the program):
// the sinks stop, still leave a trace that loads, and trace_paths.json lists
// exactly the paths of the events kept. Side files are replaced whole.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <functional>

#include "test_util.h"
#include "trace_record/reader.h"
#include "trace_record/validate.h"
#include "trace_record/writer.h"

using namespace trace_record;

namespace {

// Output that zstd cannot shrink much: the trace grows about as fast as this.
std::string noise(std::uint64_t& state) {
  std::string s(200, ' ');
  for (char& c : s) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    c = "0123456789abcdef"[state & 15];
  }
  return s;
}

// A trace with path a.c from the start and b.c only after about `bytes` of output;
// `middle` runs between the two.
Status write_trace(const std::filesystem::path& dir, TraceFormat format, std::size_t bytes,
                   const std::function<void(TraceWriter&)>& middle = {}) {
  WriterOptions opt;
  opt.format = format;
  auto w = TraceWriter::create(dir, TraceMetadata{"", "/tmp", "/bin/prog", {}}, opt);
  if (!w)
    return w.status();
  (*w)->start();
  FunctionId f = (*w)->ensure_function_id("main", "/src/a.c", 1);
  (*w)->register_call(f);
  std::uint64_t state = 88172645463325252ull;
  for (std::size_t done = 0; done < bytes; done += 200) {
    (*w)->register_step("/src/a.c", 2);
    (*w)->register_special_event(EventLogKind::Write, "", noise(state));
  }
  if (middle)
    middle(**w);
  for (int i = 0; i < 1000; ++i) {
    (*w)->register_step("/src/b.c", 3);
    (*w)->register_special_event(EventLogKind::Write, "", noise(state));
  }
  (*w)->register_return();
  return (*w)->finish();
}

// "" when the folder validates and trace_paths.json holds `paths`, else what is wrong.
std::string check_folder(const std::filesystem::path& dir, const std::vector<std::string>& paths) {
  auto report = validate_trace(dir);
  if (!report)
    return report.status().message();
  if (!report->ok())
    return report->error->message;
  if (report->events < 10)
    return "only " + std::to_string(report->events) + " events kept";
  auto listed = read_paths_file(dir / "trace_paths.json");
  if (!listed)
    return listed.status().message();
  if (*listed != paths) {
    std::string all;
    for (const auto& p : *listed)
      all += p + ",";
    return "trace_paths.json lists " + all;
  }
  for (const char* tmp :
       {"trace.bin.repair-tmp", "trace_paths.json.tmp", "trace_metadata.json.tmp"})
    if (std::filesystem::exists(dir / tmp))
      return std::string(tmp) + " left behind";
  return "";
}

// RLIMIT_FSIZE of 256 KiB (in a child process: it is per process), SIGXFSZ ignored
// as a library user would: the write fails with EFBIG.
void limited_child(TraceFormat format) {
  TempDir dir;
  signal(SIGXFSZ, SIG_IGN);
  rlimit limit{256u << 10, RLIM_INFINITY};
  setrlimit(RLIMIT_FSIZE, &limit);
  Status st = write_trace(dir.path(), format, 2u << 20);
  if (st.is_ok() || st.message().find("File too large") == std::string::npos) {
    std::fprintf(stderr, "finish: '%s'\n", st.message().c_str());
    std::_Exit(1);
  }
  if (std::string why = check_folder(dir.path(), {"", "/src/a.c"}); !why.empty()) {
    std::fprintf(stderr, "%s\n", why.c_str());
    std::_Exit(2);
  }
  std::_Exit(0);
}

// The descriptor of the event file, found through /proc.
int event_fd(const std::filesystem::path& file) {
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(e.path(), ec) == file)
      return std::stoi(e.path().filename().string());
  }
  return -1;
}

} // namespace

TEST(WriteFailure, FileSizeLimitBinary) {
  EXPECT_EXIT(limited_child(TraceFormat::Binary), testing::ExitedWithCode(0), "");
}

TEST(WriteFailure, FileSizeLimitJson) {
  EXPECT_EXIT(limited_child(TraceFormat::Json), testing::ExitedWithCode(0), "");
}

// The program dup2s a file of its own over the sink's descriptor: no byte reaches
// that file, the descriptor is not closed (it is the program's), and the trace is
// closed through its path with every event up to the takeover (and those of the
// batch that could not be written).
TEST(WriteFailure, DescriptorTakenOver) {
  for (TraceFormat format : {TraceFormat::Binary, TraceFormat::Json}) {
    TempDir dir;
    const std::filesystem::path file =
        dir.path() / (format == TraceFormat::Binary ? "trace.bin" : "trace.json");
    const std::filesystem::path mine = dir.path() / "mine.txt";
    int taken = -1;
    Status st = write_trace(dir.path(), format, 64u << 10, [&](TraceWriter& w) {
      ASSERT_TRUE(w.flush());
      taken = event_fd(file);
      ASSERT_GE(taken, 3);
      const int own = open(mine.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ASSERT_EQ(dup2(own, taken), taken);
      close(own);
    });
    EXPECT_NE(st.message().find("the program closed or replaced the descriptor"), std::string::npos)
        << st.message();
    EXPECT_EQ(fcntl(taken, F_GETFD), 0) << "the program's descriptor was closed or changed";
    close(taken);
    EXPECT_EQ(std::filesystem::file_size(mine), 0u);
    // The batch that failed is written through the path: b.c's events are in it.
    EXPECT_EQ(check_folder(dir.path(), {"", "/src/a.c", "/src/b.c"}), "");
  }
}

// trace_paths.json is replaced whole (temporary file + rename): a reader that
// opened the old file reads it whole, never a half-written one. When the
// temporary file cannot be written, the file is rewritten in place.
TEST(SideFiles, ReplacedWhole) {
  TempDir dir;
  const std::string old_text = R"(["","/a/long/path/one.c","/a/long/path/two.c"])";
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/a/long/path/one.c", "/a/long/path/two.c"}));
  const int reader = open((dir.path() / "trace_paths.json").c_str(), O_RDONLY);
  ASSERT_GE(reader, 0);
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/b.c"}));
  char seen[256] = {};
  EXPECT_EQ(pread(reader, seen, sizeof seen - 1, 0), ssize_t(old_text.size()));
  EXPECT_EQ(std::string(seen), old_text);
  close(reader);
  auto paths = read_paths_file(dir.path() / "trace_paths.json");
  ASSERT_TRUE(paths);
  EXPECT_EQ(*paths, (std::vector<std::string>{"", "/b.c"}));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "trace_paths.json.tmp"));
  std::filesystem::create_directory(dir.path() / "trace_paths.json.tmp"); // cannot be written
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/c.c"}));
  paths = read_paths_file(dir.path() / "trace_paths.json");
  ASSERT_TRUE(paths);
  EXPECT_EQ(*paths, (std::vector<std::string>{"", "/c.c"}));
}
