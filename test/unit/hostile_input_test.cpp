// Readers under hostile input (issue 13 item 9): one huge event is refused with a
// clear error (ReadLimits), many events are read with flat memory, an item cut
// across frames is still found, and only regular files are read.
#include <gtest/gtest.h>

#include <malloc.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "test_util.h"
#include "trace_record/binary.h"
#include "trace_record/cbor.h"
#include "trace_record/reader.h"
#include "trace_record/sink.h"
#include "trace_record/source.h"
#include "trace_record/validate.h"

using namespace trace_record;

namespace {

constexpr std::size_t kMiB = 1u << 20;

// Writes `events`, then the raw CBOR items of `raw`, as trace.bin in `dir`.
void write_bin(const std::filesystem::path& dir, const std::vector<TraceEvent>& events,
               const std::vector<cbor::Bytes>& raw, std::size_t frame_size = 2 * kMiB) {
  FramePolicy p;
  p.frame_size = frame_size;
  auto sink = open_binary_file_sink(dir / "trace.bin", p);
  ASSERT_TRUE(sink);
  for (const auto& e : events)
    ASSERT_TRUE((*sink)->write(e));
  for (const auto& r : raw)
    ASSERT_TRUE((*sink)->write_cbor(r.data(), r.size()));
  ASSERT_TRUE((*sink)->close());
}

// The CBOR item of Value{0, v}.
cbor::Bytes value_item(const ValueRecord& v) {
  cbor::Bytes b;
  EXPECT_TRUE(cbor::encode_event(FullValueRecord{VariableId{0}, v}, b));
  return b;
}

// Reads every event; returns the last state and its message.
std::pair<ReadState, std::string> drain(EventSource& src, std::uint64_t* events = nullptr) {
  TraceEvent e;
  ReadState st;
  std::uint64_t n = 0;
  while ((st = src.next(e)) == ReadState::Event)
    ++n;
  if (events)
    *events = n;
  return {st, src.message()};
}

// Reads `src` to its end: expects state `want` after `events` events, and `part`
// in the message (when not empty).
void expect_read(Result<std::unique_ptr<EventSource>> src, ReadState want, std::uint64_t events,
                 std::string_view part = {}) {
  ASSERT_TRUE(src) << src.status().message();
  std::uint64_t n = 0;
  auto [st, msg] = drain(**src, &n);
  EXPECT_EQ(st, want) << msg;
  EXPECT_EQ(n, events);
  if (!part.empty())
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
}

std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

} // namespace

TEST(HostileInput, HugeBinaryEventIsAnErrorWithinTheLimit) {
  TempDir dir;
  // One String of 8 MiB, in a file of a few KiB.
  write_bin(dir.path(), {PathRecord{""}},
            {value_item(value::String{std::string(8 * kMiB, 'a'), TypeId{0}})});
  EXPECT_LT(std::filesystem::file_size(dir.path() / "trace.bin"), 64u << 10);
  const auto file = dir.path() / "trace.bin";
  expect_read(open_binary_source(file, false, ReadLimits{1 * kMiB, 4 * kMiB}), ReadState::Error, 1,
              "trace.bin: CBOR offset 7: an event larger than 1 MiB (the limit; "
              "--max-event-size raises it)");
  // Within a larger limit the same event is read.
  expect_read(open_binary_source(file, false, ReadLimits{16 * kMiB, 64 * kMiB}), ReadState::End, 2);
}

TEST(HostileInput, DecodedMemoryOfOneEventIsBounded) {
  TempDir dir;
  // 200 000 None values: 4 MiB of CBOR, ~11 MiB once decoded.
  value::Sequence seq;
  seq.elements.assign(200000, ValueRecord::none());
  write_bin(dir.path(), {PathRecord{""}}, {value_item(seq)});
  const auto file = dir.path() / "trace.bin";
  expect_read(open_binary_source(file, false, ReadLimits{64 * kMiB, 4 * kMiB}), ReadState::Error, 1,
              "the event takes more memory to decode than the limit of 4 MiB");
  expect_read(open_binary_source(file, false, ReadLimits{64 * kMiB, 64 * kMiB}), ReadState::End, 2);
}

TEST(HostileInput, HugeJsonEventIsAnError) {
  TempDir dir;
  {
    auto sink = open_json_sink(dir.path());
    ASSERT_TRUE(sink);
    ASSERT_TRUE((*sink)->write(PathRecord{"/a.c"}));
    ASSERT_TRUE((*sink)->write(RecordEvent{EventLogKind::Write, "", std::string(3 * kMiB, 'z')}));
    ASSERT_TRUE((*sink)->close());
  }
  const auto file = dir.path() / "trace.json";
  expect_read(open_json_source(file, ReadLimits{1 * kMiB, 4 * kMiB}), ReadState::Error, 1,
              "trace.json: offset 17: event 1 is larger than 1 MiB (the limit; "
              "--max-event-size raises it)");
  // Many small JSON values in one event: the parse nodes are bounded too.
  {
    std::ofstream out(file, std::ios::binary);
    out << R"([{"Asm":[)";
    for (int i = 0; i < 200000; ++i)
      out << (i ? ",\"\"" : "\"\"");
    out << "]}]";
  }
  expect_read(open_json_source(file, ReadLimits{64 * kMiB, 4 * kMiB}), ReadState::Error, 0,
              "event 0 takes more than 4 MiB to decode (the limit; ");
  expect_read(open_json_source(file, ReadLimits{64 * kMiB, 64 * kMiB}), ReadState::End, 1);
}

// An item found incomplete at the end of one frame and completed by a smaller
// rest: the reader decodes it again before it reports the end (with and without
// the seek table, and in follow mode).
TEST(HostileInput, ItemCompletedByTheLastBytesIsRead) {
  TempDir dir;
  const cbor::Bytes big = value_item(value::String{std::string(kMiB + kMiB / 2, 'q'), TypeId{0}});
  write_bin(dir.path(), {PathRecord{""}}, {big}, /*frame_size=*/kMiB);
  const auto file = dir.path() / "trace.bin";
  expect_read(open_binary_source(file), ReadState::End, 2);
  // Without the seek table: both events, then Truncated (non-follow) or NeedMore.
  auto frames = read_seek_table(file);
  ASSERT_TRUE(frames);
  ASSERT_EQ(frames->size(), 2u); // the item starts in the first and ends in the second
  const auto size = std::filesystem::file_size(file);
  std::filesystem::resize_file(file, size - (8 + 8 * frames->size() + 9));
  expect_read(open_binary_source(file, false), ReadState::Truncated, 2);
  expect_read(open_binary_source(file, true), ReadState::NeedMore, 2);
}

// Many events (here 96 MiB of CBOR): the reader's memory does not grow with them.
TEST(HostileInput, ManyEventsReadWithFlatMemory) {
  TempDir dir;
  const cbor::Bytes one = value_item(value::String{std::string(1000, 'x'), TypeId{0}});
  {
    auto sink = open_binary_file_sink(dir.path() / "trace.bin", {});
    ASSERT_TRUE(sink);
    ASSERT_TRUE((*sink)->write(PathRecord{""}));
    for (std::size_t done = 0; done < 96 * kMiB; done += one.size())
      ASSERT_TRUE((*sink)->write_cbor(one.data(), one.size()));
    ASSERT_TRUE((*sink)->close());
  }
  auto src = open_binary_source(dir.path() / "trace.bin");
  ASSERT_TRUE(src);
  const std::size_t before = heap_in_use();
  std::size_t peak = before;
  TraceEvent e;
  std::uint64_t n = 0;
  ReadState st;
  while ((st = (*src)->next(e)) == ReadState::Event) {
    if (++n % 1024 == 0)
      peak = std::max(peak, heap_in_use());
  }
  EXPECT_EQ(st, ReadState::End) << (*src)->message();
  EXPECT_GT(n, 90000u);
  // One compressed frame, the 1 MiB decompression step and one event: a few MiB.
  EXPECT_LT(peak - before, 16 * kMiB);
}

TEST(HostileInput, OnlyRegularFilesAreRead) {
  TempDir dir;
  const auto fifo = dir.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // A FIFO with no writer would block open() and read(): refused at once.
  for (auto open : {+[](const std::filesystem::path& p) { return open_event_source(p); },
                    +[](const std::filesystem::path& p) { return open_json_source(p); },
                    +[](const std::filesystem::path& p) { return open_binary_source(p); }}) {
    auto src = open(fifo);
    ASSERT_FALSE(src);
    EXPECT_EQ(src.status().message(),
              fifo.string() + ": not a regular file (a FIFO); a trace is read from regular "
                              "files only");
  }
  EXPECT_FALSE(read_seek_table(fifo));
  // In a folder: trace.json as a FIFO, then as a directory.
  const auto folder = dir.path() / "t";
  std::filesystem::create_directories(folder);
  ASSERT_EQ(::mkfifo((folder / "trace.json").c_str(), 0600), 0);
  auto src = open_event_source(folder);
  ASSERT_FALSE(src);
  EXPECT_NE(src.status().message().find("trace.json: not a regular file (a FIFO)"),
            std::string::npos);
  auto r = validate_trace(folder);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("not a regular file (a FIFO)"), std::string::npos);
  std::filesystem::remove(folder / "trace.json");
  std::filesystem::create_directories(folder / "trace.json");
  src = open_event_source(folder);
  ASSERT_FALSE(src);
  EXPECT_NE(src.status().message().find("trace.json: not a regular file (a directory)"),
            std::string::npos);
  // A device, a socket.
  src = open_event_source("/dev/zero");
  ASSERT_FALSE(src);
  EXPECT_NE(src.status().message().find("(a character device)"), std::string::npos);
  const auto sock_path = dir.path() / "sock";
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock_path.c_str());
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  src = open_event_source(sock_path);
  ::close(s);
  ASSERT_FALSE(src);
  EXPECT_NE(src.status().message().find("(a socket)"), std::string::npos);
  // Side files: a FIFO trace_paths.json is refused too.
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  {
    auto sink = open_json_sink(folder);
    ASSERT_TRUE((*sink)->close());
  }
  ASSERT_EQ(::mkfifo((folder / "trace_paths.json").c_str(), 0600), 0);
  auto f = open_trace_folder(folder);
  ASSERT_FALSE(f);
  EXPECT_NE(f.status().message().find("trace_paths.json: not a regular file (a FIFO)"),
            std::string::npos);
}
