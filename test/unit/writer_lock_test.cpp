// The writer's lock on its event file (lib/event_file_lock.h): a reader in another
// process sees Writing while the sink is open, Gone once the writer closed the file
// or was killed (SIGKILL), and a second writer is refused instead of truncating
// the file under the first. The writer runs in a forked child: F_GETLK does not
// see the calling process's own locks.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"
#include "trace_record/binary.h"
#include "trace_record/sink.h"
#include "trace_record/source.h"

using namespace trace_record;

namespace {

// A child process that writes `events` Step events to an event file of `format` in
// `dir`, flushes, tells the parent (one byte on a pipe), then waits: until killed,
// or, with `then_close`, closes the sink and exits once the parent says so.
class ChildWriter {
public:
  ChildWriter(const std::filesystem::path& dir, TraceFormat format, int events, bool then_close) {
    int ready[2], go[2];
    EXPECT_EQ(::pipe(ready), 0);
    EXPECT_EQ(::pipe(go), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ready[0]);
      ::close(go[1]);
      FramePolicy p;
      p.background_compression = false;
      auto sink = open_sink(dir, format, p);
      if (!sink)
        ::_exit(3);
      (void)(*sink)->write(PathRecord{"/a.c"});
      for (int i = 0; i < events; ++i)
        (void)(*sink)->write(StepRecord{PathId{0}, i + 1});
      (void)(*sink)->flush();
      char c = 1;
      (void)!::write(ready[1], &c, 1);
      (void)!::read(go[0], &c, 1); // until the parent writes or dies
      if (then_close)
        (void)(*sink)->close();
      ::_exit(0);
    }
    ::close(ready[1]);
    ::close(go[0]);
    go_ = go[1];
    char c = 0;
    EXPECT_EQ(::read(ready[0], &c, 1), 1);
    ::close(ready[0]);
  }
  ~ChildWriter() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(go_);
  }
  pid_t pid() const { return pid_; }
  void kill() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status));
    pid_ = -1;
  }
  void close_and_exit() {
    char c = 1;
    EXPECT_EQ(::write(go_, &c, 1), 1);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    pid_ = -1;
  }

private:
  pid_t pid_ = -1;
  int go_ = -1;
};

std::uint64_t read_until_not_event(EventSource& src, ReadState* last) {
  TraceEvent e;
  std::uint64_t n = 0;
  while ((*last = src.next(e)) == ReadState::Event)
    ++n;
  return n;
}

} // namespace

TEST(WriterLock, BinaryWriterKilledIsGone) {
  TempDir dir;
  ChildWriter child(dir.path(), TraceFormat::Binary, 100, false);
  auto src = open_binary_source(dir.path() / "trace.bin", /*follow=*/true);
  ASSERT_TRUE(src);
  ReadState st;
  EXPECT_EQ(read_until_not_event(**src, &st), 101u);
  EXPECT_EQ(st, ReadState::NeedMore);
  EXPECT_EQ((*src)->writer_state(), WriterState::Writing);
  // A second writer is refused, and the file is left as it is.
  const auto size = std::filesystem::file_size(dir.path() / "trace.bin");
  auto second = open_binary_sink(dir.path());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.status().message(), (dir.path() / "trace.bin").string() +
                                           ": being written by process " +
                                           std::to_string(child.pid()));
  EXPECT_EQ(std::filesystem::file_size(dir.path() / "trace.bin"), size);
  child.kill();
  EXPECT_EQ((*src)->writer_state(), WriterState::Gone);
  EXPECT_EQ(read_until_not_event(**src, &st), 0u);
  EXPECT_EQ(st, ReadState::NeedMore); // no seek table will come: the caller decides
  EXPECT_NE((*src)->message().find("truncated: the file ends after a complete frame"),
            std::string::npos)
      << (*src)->message();
  // Now a new writer may take the file.
  EXPECT_TRUE(open_binary_sink(dir.path()));
}

TEST(WriterLock, ClosedWriterIsGoneAndTheTraceEnds) {
  for (TraceFormat format : {TraceFormat::Binary, TraceFormat::Json}) {
    TempDir dir;
    ChildWriter child(dir.path(), format, 10, true);
    auto src = open_event_source(dir.path());
    ASSERT_TRUE(src);
    EXPECT_EQ((*src)->writer_state(), WriterState::Writing);
    child.close_and_exit();
    EXPECT_EQ((*src)->writer_state(), WriterState::Gone);
    src = open_event_source(dir.path());
    ASSERT_TRUE(src);
    ReadState st;
    EXPECT_EQ(read_until_not_event(**src, &st), 11u);
    EXPECT_EQ(st, ReadState::End);
  }
}

TEST(WriterLock, JsonWriterKilledIsGone) {
  TempDir dir;
  ChildWriter child(dir.path(), TraceFormat::Json, 10, false);
  auto src = open_json_source(dir.path() / "trace.json");
  ASSERT_TRUE(src);
  EXPECT_EQ((*src)->writer_state(), WriterState::Writing);
  EXPECT_FALSE(open_json_sink(dir.path()));
  child.kill();
  EXPECT_EQ((*src)->writer_state(), WriterState::Gone);
}
