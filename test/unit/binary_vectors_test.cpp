// trace.bin writer and reader against the golden .bin vectors (vectors/README.md
// "Tests" 3-6) and the §7 follow/crash behaviour.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <zstd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "test_util.h"
#include "trace_record/binary.h"
#include "trace_record/cbor.h"
#include "trace_record/source.h"
#include "vector_files.h"

using namespace trace_record;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  return test_vectors::read_file(p.string());
}
void spit(const fs::path& p, std::string_view data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), std::streamsize(data.size()));
}
std::string vec(const char* name) {
  return test_vectors::read_file(test_vectors::path(name));
}

// The 10 events of util_testdata.cbor, decoded with the CBOR decoder.
std::vector<TraceEvent> util_events() {
  const std::string s = vec("util_testdata.cbor");
  std::vector<TraceEvent> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    TraceEvent e;
    auto r = cbor::decode_event(reinterpret_cast<const std::uint8_t*>(s.data()) + pos,
                                s.size() - pos, e);
    EXPECT_EQ(r.state, cbor::DecodeState::Ok);
    if (r.state != cbor::DecodeState::Ok)
      break;
    pos += r.consumed;
    out.push_back(std::move(e));
  }
  return out;
}

// Decompresses the zstd frames between the header and the seek table.
std::string decompress_frames(const std::string& file, const std::vector<FrameEntry>& frames) {
  std::string out;
  std::size_t pos = 8;
  for (const auto& f : frames) {
    std::string buf(f.decompressed, '\0');
    const std::size_t r = ZSTD_decompress(buf.data(), buf.size(), file.data() + pos, f.compressed);
    EXPECT_FALSE(ZSTD_isError(r)) << ZSTD_getErrorName(r);
    EXPECT_EQ(r, f.decompressed);
    out += buf;
    pos += f.compressed;
  }
  return out;
}

struct ReadAll {
  std::vector<TraceEvent> events;
  ReadState last = ReadState::Error;
  std::string message;
};
ReadAll read_all(EventSource& src) {
  ReadAll r;
  TraceEvent e;
  for (int guard = 0; guard < 1000000; ++guard) {
    r.last = src.next(e);
    if (r.last != ReadState::Event)
      break;
    r.events.push_back(e);
  }
  r.message = src.message();
  return r;
}
ReadAll read_file(const fs::path& p, bool follow = false) {
  auto src = open_binary_source(p, follow);
  EXPECT_TRUE(src.is_ok()) << src.status().message();
  if (!src)
    return {};
  return read_all(**src);
}

fs::path write_trace(const fs::path& dir, const std::vector<TraceEvent>& events,
                     FramePolicy policy = {}) {
  auto sink = open_binary_sink(dir, policy);
  EXPECT_TRUE(sink.is_ok()) << sink.status().message();
  for (const auto& e : events)
    EXPECT_TRUE((*sink)->write(e).is_ok());
  EXPECT_TRUE((*sink)->close().is_ok());
  return dir / "trace.bin";
}

bool same_zstd_as_vectors() {
  return ZSTD_versionNumber() == 10504;
}

} // namespace

TEST(BinaryWriter, DefaultFramesMatchVector) {
  TempDir tmp;
  const auto file = write_trace(tmp.path(), util_events());
  const std::string bin = slurp(file);
  // Level 1: header.
  ASSERT_GE(bin.size(), 8u + 17u);
  EXPECT_EQ(bin.substr(0, 8), std::string("\xc0\xde\x72\xac\xe2\x01\x00\x00", 8));
  // Level 2: seek table layout and frame sizes.
  auto frames = read_seek_table(file);
  ASSERT_TRUE(frames.is_ok()) << frames.status().message();
  ASSERT_EQ(frames->size(), 1u);
  EXPECT_EQ((*frames)[0].decompressed, 385u);
  const std::string table = bin.substr(bin.size() - 25);
  EXPECT_EQ(table.substr(0, 8), std::string("\x5e\x2a\x4d\x18\x11\x00\x00\x00", 8));
  EXPECT_EQ(table.substr(12),
            std::string("\x81\x01\x00\x00\x01\x00\x00\x00\x00\xb1\xea\x92\x8f", 13));
  EXPECT_EQ(8 + (*frames)[0].compressed + 25, bin.size());
  // Level 3: the decompressed stream.
  EXPECT_EQ(decompress_frames(bin, *frames), vec("util_testdata.cbor"));
  // Whole file with the same libzstd.
  if (same_zstd_as_vectors())
    EXPECT_EQ(bin, vec("util_testdata.v1.bin"));
}

TEST(BinaryWriter, Frames64MatchVector) {
  TempDir tmp;
  FramePolicy p;
  p.frame_size = 64;
  const auto file = write_trace(tmp.path(), util_events(), p);
  const std::string bin = slurp(file);
  auto frames = read_seek_table(file);
  ASSERT_TRUE(frames.is_ok());
  std::vector<std::uint32_t> d;
  for (auto f : *frames)
    d.push_back(f.decompressed);
  EXPECT_EQ(d, (std::vector<std::uint32_t>{64, 64, 64, 64, 64, 64, 1}));
  EXPECT_EQ(decompress_frames(bin, *frames), vec("util_testdata.cbor"));
  if (same_zstd_as_vectors()) {
    EXPECT_EQ(bin, vec("util_testdata.v1.frames64.bin"));
    std::vector<FrameEntry> expect = {{73, 64}, {73, 64}, {65, 64}, {67, 64},
                                      {63, 64}, {73, 64}, {10, 1}};
    EXPECT_EQ(*frames, expect);
  }
}

TEST(BinaryWriter, EmptyTraceMatchesVector) {
  TempDir tmp;
  const auto file = write_trace(tmp.path(), {});
  EXPECT_EQ(slurp(file), vec("empty.v1.bin"));
}

TEST(BinaryWriter, SplittingOfWritesDoesNotChangeBytes) {
  TempDir tmp;
  const std::string cbor = vec("util_testdata.cbor");
  for (std::size_t frame : {std::size_t(64), std::size_t(2) << 20}) {
    FramePolicy p;
    p.frame_size = frame;
    auto sink = open_binary_file_sink(tmp.path() / "bytes.bin", p);
    ASSERT_TRUE(sink.is_ok());
    for (char c : cbor)
      ASSERT_TRUE((*sink)->write_cbor(reinterpret_cast<std::uint8_t*>(&c), 1).is_ok());
    ASSERT_TRUE((*sink)->close().is_ok());
    const auto events_file = write_trace(tmp.path() / "ev", util_events(), p);
    EXPECT_EQ(slurp(tmp.path() / "bytes.bin"), slurp(events_file));
  }
}

TEST(BinaryWriter, CloseIsIdempotentAndWriteAfterCloseFails) {
  TempDir tmp;
  auto sink = open_binary_sink(tmp.path());
  ASSERT_TRUE(sink.is_ok());
  EXPECT_TRUE((*sink)->write(StepRecord{PathId(0), 1}).is_ok());
  EXPECT_TRUE((*sink)->close().is_ok());
  const std::string once = slurp(tmp.path() / "trace.bin");
  EXPECT_TRUE((*sink)->close().is_ok());
  EXPECT_EQ(slurp(tmp.path() / "trace.bin"), once);
  EXPECT_FALSE((*sink)->write(StepRecord{PathId(0), 2}).is_ok());
  EXPECT_EQ((*sink)->events_written(), 1u);
  EXPECT_EQ((*sink)->bytes_written(), once.size());
}

TEST(BinaryWriter, AssignmentRefusedWithoutPoisoning) {
  TempDir tmp;
  auto sink = open_binary_sink(tmp.path());
  ASSERT_TRUE(sink.is_ok());
  EXPECT_FALSE((*sink)->write(AssignmentRecord{}).is_ok());
  EXPECT_TRUE((*sink)->write(StepRecord{PathId(0), 1}).is_ok());
  EXPECT_TRUE((*sink)->close().is_ok());
  auto r = read_file(tmp.path() / "trace.bin");
  EXPECT_EQ(r.last, ReadState::End);
  EXPECT_EQ(r.events.size(), 1u);
}

TEST(BinaryWriter, WriteErrorIsAStatus) {
  // /dev/full fails every write with ENOSPC: the header write at open fails.
  if (!fs::exists("/dev/full"))
    GTEST_FAIL() << "/dev/full missing";
  auto sink = open_binary_file_sink("/dev/full");
  ASSERT_FALSE(sink.is_ok());
  EXPECT_NE(sink.status().message().find("/dev/full"), std::string::npos);
  EXPECT_TRUE(fs::exists("/dev/full")) << "a failed open removed the device";
  EXPECT_FALSE(open_binary_file_sink("/nonexistent-dir/x/trace.bin").is_ok());
  FramePolicy p;
  p.frame_size = 0;
  TempDir tmp;
  EXPECT_FALSE(open_binary_file_sink(tmp.path() / "t.bin", p).is_ok());
}

TEST(BinaryWriter, FlushEndsFrameAndIsFollowable) {
  TempDir tmp;
  const auto events = util_events();
  auto sink = open_binary_sink(tmp.path());
  ASSERT_TRUE(sink.is_ok());
  const fs::path file = tmp.path() / "trace.bin";
  // The header is on disk right after open.
  EXPECT_EQ(slurp(file).size(), 8u);

  auto follower = open_binary_source(file, /*follow=*/true);
  ASSERT_TRUE(follower.is_ok());
  TraceEvent e;
  EXPECT_EQ((*follower)->next(e), ReadState::NeedMore);

  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE((*sink)->write(events[std::size_t(i)]).is_ok());
  ASSERT_TRUE((*sink)->flush().is_ok());
  const std::size_t size_after_flush = slurp(file).size();
  ASSERT_TRUE((*sink)->flush().is_ok()); // nothing new: no extra frame
  EXPECT_EQ(slurp(file).size(), size_after_flush);

  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ((*follower)->next(e), ReadState::Event);
    EXPECT_EQ(e, events[std::size_t(i)]);
  }
  EXPECT_EQ((*follower)->next(e), ReadState::NeedMore);

  for (std::size_t i = 4; i < events.size(); ++i)
    ASSERT_TRUE((*sink)->write(events[i]).is_ok());
  ASSERT_TRUE((*sink)->flush().is_ok());
  for (std::size_t i = 4; i < events.size(); ++i) {
    ASSERT_EQ((*follower)->next(e), ReadState::Event);
    EXPECT_EQ(e, events[i]);
  }
  EXPECT_EQ((*follower)->next(e), ReadState::NeedMore);
  ASSERT_TRUE((*sink)->close().is_ok());
  EXPECT_EQ((*follower)->next(e), ReadState::End);

  // Two flushed frames plus the empty frame that close appends (§7 point 5).
  auto frames = read_seek_table(file);
  ASSERT_TRUE(frames.is_ok());
  ASSERT_EQ(frames->size(), 3u);
  EXPECT_EQ((*frames)[2], (FrameEntry{9, 0}));
  EXPECT_EQ(decompress_frames(slurp(file), *frames), vec("util_testdata.cbor"));
}

TEST(BinaryWriter, FlushEveryBytesPolicy) {
  TempDir tmp;
  FramePolicy p;
  p.flush_every_bytes = 100;
  const auto file = write_trace(tmp.path(), util_events(), p);
  auto frames = read_seek_table(file);
  ASSERT_TRUE(frames.is_ok());
  // Frames end at event boundaries once >= 100 bytes accumulated.
  std::vector<std::uint32_t> d;
  for (auto f : *frames)
    d.push_back(f.decompressed);
  const std::string cbor = vec("util_testdata.cbor");
  std::uint64_t sum = 0;
  for (auto x : d)
    sum += x;
  EXPECT_EQ(sum, cbor.size());
  EXPECT_GE(d.size(), 3u);
  for (std::size_t i = 0; i + 2 < d.size(); ++i)
    EXPECT_GE(d[i], 100u);
  EXPECT_EQ(read_file(file).events, util_events());
}

TEST(BinaryReader, ReadsAllVectorFiles) {
  const auto events = util_events();
  ASSERT_EQ(events.size(), 10u);
  for (const char* name : {"util_testdata.v1.bin", "util_testdata.v1.frames64.bin"}) {
    SCOPED_TRACE(name);
    auto r = read_file(test_vectors::path(name));
    EXPECT_EQ(r.last, ReadState::End) << r.message;
    EXPECT_EQ(r.events, events);
  }
  auto r = read_file(test_vectors::path("empty.v1.bin"));
  EXPECT_EQ(r.last, ReadState::End);
  EXPECT_TRUE(r.events.empty());
}

TEST(BinaryReader, FollowWithoutSeekTable) {
  TempDir tmp;
  const std::string bin = vec("util_testdata.v1.frames64.bin");
  const fs::path file = tmp.path() / "trace.bin";
  spit(file, bin.substr(0, bin.size() - 73));
  auto f = read_file(file, /*follow=*/true);
  EXPECT_EQ(f.last, ReadState::NeedMore);
  EXPECT_EQ(f.events, util_events());
  auto t = read_file(file, /*follow=*/false);
  EXPECT_EQ(t.last, ReadState::Truncated);
  EXPECT_EQ(t.events, util_events());
  EXPECT_NE(t.message.find("offset 432"), std::string::npos) << t.message;
}

TEST(BinaryReader, CutMidFrameThenGrows) {
  TempDir tmp;
  const std::string bin = vec("util_testdata.v1.frames64.bin");
  const fs::path file = tmp.path() / "trace.bin";
  // Frames: 73,73,65,... -> cut 30 bytes into the third frame: 128 bytes of CBOR.
  const std::size_t cut = 8 + 73 + 73 + 30;
  spit(file, bin.substr(0, cut));
  const std::string cbor = vec("util_testdata.cbor");
  // Events completely inside the first 128 decompressed bytes.
  std::size_t expect_n = 0, pos = 0;
  for (const auto& e : util_events()) {
    cbor::Bytes b;
    ASSERT_TRUE(cbor::encode_event(e, b).is_ok());
    if (pos + b.size() > 128)
      break;
    pos += b.size();
    ++expect_n;
  }
  ASSERT_GT(expect_n, 0u);
  ASSERT_LT(expect_n, 10u);

  auto t = read_file(file);
  EXPECT_EQ(t.last, ReadState::Truncated);
  EXPECT_EQ(t.events.size(), expect_n);
  EXPECT_NE(t.message.find("offset 154"), std::string::npos) << t.message;
  EXPECT_NE(t.message.find("partial event"), std::string::npos) << t.message;

  auto src = open_binary_source(file, /*follow=*/true);
  ASSERT_TRUE(src.is_ok());
  auto first = read_all(**src);
  EXPECT_EQ(first.last, ReadState::NeedMore);
  EXPECT_EQ(first.events.size(), expect_n);
  // The writer appends the rest: the follower picks it up.
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out.write(bin.data() + cut, std::streamsize(bin.size() - cut));
  }
  auto rest = read_all(**src);
  EXPECT_EQ(rest.last, ReadState::End) << rest.message;
  first.events.insert(first.events.end(), rest.events.begin(), rest.events.end());
  EXPECT_EQ(first.events, util_events());
}

TEST(BinaryReader, EveryPrefixIsTruncatedNeverError) {
  TempDir tmp;
  const std::string bin = vec("util_testdata.v1.frames64.bin");
  const fs::path file = tmp.path() / "trace.bin";
  std::size_t prev = 0;
  for (std::size_t n = 0; n < bin.size(); ++n) {
    spit(file, bin.substr(0, n));
    auto r = read_file(file);
    ASSERT_EQ(r.last, ReadState::Truncated) << n << ": " << r.message;
    EXPECT_GE(r.events.size(), prev);
    prev = r.events.size();
    const auto all = util_events();
    ASSERT_LE(r.events.size(), all.size());
    EXPECT_TRUE(std::equal(r.events.begin(), r.events.end(), all.begin()));
  }
  EXPECT_EQ(prev, 10u);
}

TEST(BinaryReader, ChecksumContentSizeSkippableFramesNoSeekTable) {
  // Frames as another writer might make them: one-shot frames with a checksum
  // and a content size, an empty frame, and a foreign skippable frame.
  const std::string cbor = vec("util_testdata.cbor");
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
  std::string file(reinterpret_cast<const char*>(kBinaryHeader.data()), 8);
  auto frame = [&](std::string_view part) {
    std::string out(ZSTD_compressBound(part.size()), '\0');
    const std::size_t n = ZSTD_compress2(c, out.data(), out.size(), part.data(), part.size());
    EXPECT_FALSE(ZSTD_isError(n));
    file += out.substr(0, n);
  };
  frame(std::string_view(cbor).substr(0, 100));
  file += std::string("\x50\x2a\x4d\x18\x03\x00\x00\x00xyz", 11);
  frame("");
  frame(std::string_view(cbor).substr(100));
  ZSTD_freeCCtx(c);
  TempDir tmp;
  spit(tmp.path() / "trace.bin", file);
  auto r = read_file(tmp.path() / "trace.bin");
  EXPECT_EQ(r.events, util_events());
  EXPECT_EQ(r.last, ReadState::Truncated); // no seek table: cannot tell a crash apart
}

TEST(BinaryReader, BadInputIsAnErrorWithOffset) {
  TempDir tmp;
  const fs::path file = tmp.path() / "trace.bin";
  const std::string good = vec("util_testdata.v1.bin");

  std::string bad_header = good;
  bad_header[5] = 0x02;
  spit(file, bad_header);
  auto r = read_file(file);
  EXPECT_EQ(r.last, ReadState::Error);
  EXPECT_NE(r.message.find("trace.bin: offset 5: expected the trace.bin header"), std::string::npos)
      << r.message;

  std::string json = "[{\"Step\":{}}]";
  spit(file, json);
  EXPECT_EQ(read_file(file).last, ReadState::Error);

  std::string corrupt = good;
  corrupt[8] = 'X'; // zstd magic
  spit(file, corrupt);
  r = read_file(file);
  EXPECT_EQ(r.last, ReadState::Error);
  EXPECT_NE(r.message.find("offset 8: expected a zstd frame"), std::string::npos) << r.message;

  std::string body = good;
  for (std::size_t i = 20; i < 60; ++i)
    body[i] = char(0xff);
  spit(file, body);
  r = read_file(file);
  EXPECT_EQ(r.last, ReadState::Error) << r.message;
  EXPECT_NE(r.message.find("offset 8: corrupt zstd frame"), std::string::npos) << r.message;

  std::string table = good;
  table[table.size() - 13] = 0x7f; // decompressed size of frame 0 in the seek table
  spit(file, table);
  r = read_file(file);
  EXPECT_EQ(r.last, ReadState::Error);
  EXPECT_NE(r.message.find("bad seek table"), std::string::npos) << r.message;
}

TEST(BinaryReader, MalformedCborReportsStreamOffset) {
  TempDir tmp;
  auto sink = open_binary_file_sink(tmp.path() / "trace.bin");
  ASSERT_TRUE(sink.is_ok());
  const std::uint8_t step[] = {0xa1, 0x64, 'S', 't', 'e',  'p',  0xa2, 0x67, 'p', 'a', 't',
                               'h',  '_',  'i', 'd', 0x00, 0x64, 'l',  'i',  'n', 'e', 0x05};
  const std::uint8_t bad_path[] = {0xa1, 0x64, 'P', 'a', 't', 'h', 0x62, 'a', 0xff};
  ASSERT_TRUE((*sink)->write_cbor(step, sizeof step).is_ok());
  ASSERT_TRUE((*sink)->write_cbor(bad_path, sizeof bad_path).is_ok());
  ASSERT_TRUE((*sink)->close().is_ok());
  auto r = read_file(tmp.path() / "trace.bin");
  EXPECT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.last, ReadState::Error);
  EXPECT_NE(r.message.find("CBOR offset 30: invalid UTF-8"), std::string::npos) << r.message;
}

TEST(BinaryRepair, CrashedFileBecomesLoadable) {
  TempDir tmp;
  const std::string bin = vec("util_testdata.v1.frames64.bin");
  const fs::path file = tmp.path() / "trace.bin";
  spit(file, bin.substr(0, 8 + 73 + 73 + 65 + 67 + 10)); // 4 frames + a partial one
  auto before = read_file(file);
  ASSERT_EQ(before.last, ReadState::Truncated);
  const TraceEvent extra = RecordEvent{EventLogKind::Error, "", "crashed"};
  ASSERT_TRUE(repair_binary_trace(file, {extra}).is_ok());
  auto after = read_file(file);
  EXPECT_EQ(after.last, ReadState::End) << after.message;
  auto expect = before.events;
  expect.push_back(extra);
  EXPECT_EQ(after.events, expect);
  auto frames = read_seek_table(file);
  ASSERT_TRUE(frames.is_ok());

  // A complete file is left alone; a corrupt one is an error and untouched.
  const std::string repaired = slurp(file);
  ASSERT_TRUE(repair_binary_trace(file).is_ok());
  EXPECT_EQ(slurp(file), repaired);
  std::string corrupt = bin;
  corrupt[8] = 'X';
  spit(file, corrupt);
  EXPECT_FALSE(repair_binary_trace(file).is_ok());
  EXPECT_EQ(slurp(file), corrupt);
}

TEST(BinaryReader, LargeTraceManyFrames) {
  // Many frames, items spanning frames, with an odd frame size.
  TempDir tmp;
  FramePolicy p;
  p.frame_size = 1000;
  std::vector<TraceEvent> events;
  for (int i = 0; i < 20000; ++i) {
    if (i % 7 == 0) {
      events.push_back(
          ReturnRecord{value::String{std::string(std::size_t(i % 3000), 'x'), TypeId(3)}});
    } else {
      events.push_back(StepRecord{PathId(std::uint64_t(i % 5)), i});
    }
  }
  const auto file = write_trace(tmp.path(), events, p);
  auto r = read_file(file);
  EXPECT_EQ(r.last, ReadState::End) << r.message;
  EXPECT_EQ(r.events.size(), events.size());
  EXPECT_TRUE(r.events == events);
}

TEST(BinaryWriter, BackgroundAndSequentialCompressionGiveSameBytes) {
  TempDir tmp;
  std::vector<TraceEvent> events;
  for (int i = 0; i < 50000; ++i) {
    events.push_back(StepRecord{PathId(1), i % 100});
    events.push_back(
        FullValueRecord{VariableId(std::uint64_t(i % 7)), ValueRecord::integer(i * 31, TypeId(1))});
    if (i % 1000 == 0)
      events.push_back(VariableNameRecord{"v" + std::to_string(i)});
  }
  for (std::size_t frame : {std::size_t(64), std::size_t(100000), std::size_t(2) << 20}) {
    SCOPED_TRACE(frame);
    // Sequential, then 1, 2 and 4 frames compressed at once.
    const unsigned threads[] = {0, 1, 2, 4};
    std::string bytes[4];
    for (int bg = 0; bg < 4; ++bg) {
      SCOPED_TRACE(threads[bg]);
      FramePolicy p;
      p.frame_size = frame;
      p.background_compression = threads[bg] != 0;
      p.compression_threads = threads[bg];
      auto sink = open_binary_file_sink(tmp.path() / "t.bin", p);
      ASSERT_TRUE(sink.is_ok());
      for (std::size_t i = 0; i < events.size(); ++i) {
        ASSERT_TRUE((*sink)->write(events[i]).is_ok());
        if (i == 12345) {
          ASSERT_TRUE((*sink)->flush().is_ok());
          // Everything so far is in the file and readable.
          auto r = read_file(tmp.path() / "t.bin", /*follow=*/true);
          EXPECT_EQ(r.last, ReadState::NeedMore);
          EXPECT_EQ(r.events.size(), i + 1);
        }
      }
      ASSERT_TRUE((*sink)->close().is_ok());
      EXPECT_EQ((*sink)->bytes_written(), fs::file_size(tmp.path() / "t.bin"));
      bytes[bg] = slurp(tmp.path() / "t.bin");
    }
    EXPECT_EQ(bytes[0], bytes[1]);
    EXPECT_EQ(bytes[0], bytes[2]);
    EXPECT_EQ(bytes[0], bytes[3]);
    auto r = read_file(tmp.path() / "t.bin");
    EXPECT_EQ(r.last, ReadState::End);
    EXPECT_TRUE(r.events == events);
  }
}

// Frames of `frame` bytes compressed by `threads` workers (0: on the caller's thread).
static FramePolicy policy(std::size_t frame, unsigned threads) {
  FramePolicy p;
  p.frame_size = frame;
  p.background_compression = threads != 0;
  p.compression_threads = threads;
  return p;
}

// §6.2: a full frame is ended lazily, so close() right after it adds no empty
// frame, while flush() then close() does (the frame after a flush is empty).
TEST(BinaryWriter, FullFrameThenCloseAddsNoEmptyFrame) {
  TempDir tmp;
  const std::vector<std::uint8_t> item(100, 0x60); // 100 empty CBOR texts
  for (unsigned threads : {0u, 2u}) {
    for (bool flush_first : {false, true}) {
      SCOPED_TRACE(std::to_string(threads) + (flush_first ? " flush" : ""));
      auto sink = open_binary_file_sink(tmp.path() / "t.bin", policy(100, threads));
      ASSERT_TRUE(sink.is_ok());
      // 30 full frames, handed over at close (below the 256 KiB batch).
      for (int i = 0; i < 30; ++i)
        ASSERT_TRUE((*sink)->write_cbor(item.data(), item.size()).is_ok());
      if (flush_first)
        ASSERT_TRUE((*sink)->flush().is_ok());
      ASSERT_TRUE((*sink)->close().is_ok());
      const auto& frames = (*sink)->frames();
      ASSERT_EQ(frames.size(), flush_first ? 31u : 30u);
      EXPECT_EQ(frames[29].decompressed, 100u);
      if (flush_first) {
        EXPECT_EQ(frames[30].decompressed, 0u);
        EXPECT_EQ(frames[30].compressed, 9u);
      }
      auto table = read_seek_table(tmp.path() / "t.bin");
      ASSERT_TRUE(table.is_ok());
      EXPECT_EQ(*table, frames);
    }
  }
  // The same when the full frames were handed over during writing (a batch of
  // exactly 256 KiB of whole frames), not at close.
  for (unsigned threads : {0u, 2u}) {
    auto sink = open_binary_file_sink(tmp.path() / "t.bin", policy(1024, threads));
    ASSERT_TRUE(sink.is_ok());
    const std::vector<std::uint8_t> kib(1024, 0x60);
    for (int i = 0; i < 256; ++i)
      ASSERT_TRUE((*sink)->write_cbor(kib.data(), kib.size()).is_ok());
    ASSERT_TRUE((*sink)->close().is_ok());
    EXPECT_EQ((*sink)->frames().size(), 256u);
    EXPECT_EQ((*sink)->frames().back().decompressed, 1024u);
  }
}

TEST(BinaryWriter, WriteErrorMidStreamIsSticky) {
  // RLIMIT_FSIZE makes write() fail with EFBIG once the file reaches 4 KiB.
  struct sigaction ign {
  }, old{};
  ign.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGXFSZ, &ign, &old), 0);
  struct rlimit saved {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  TempDir tmp;
  for (bool bg : {false, true}) {
    SCOPED_TRACE(bg);
    FramePolicy p;
    p.frame_size = 512;
    p.background_compression = bg;
    auto sink = open_binary_file_sink(tmp.path() / "t.bin", p);
    ASSERT_TRUE(sink.is_ok());
    struct rlimit small = saved;
    small.rlim_cur = 4096;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    Status first_error;
    for (int i = 0; i < 200000 && first_error.is_ok(); ++i) {
      // Incompressible-ish names so that the file grows.
      Status s = (*sink)->write(VariableNameRecord{std::to_string(i * 2654435761u)});
      if (s.is_ok() && i % 1000 == 999)
        s = (*sink)->flush();
      if (!s.is_ok())
        first_error = s;
    }
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
    ASSERT_FALSE(first_error.is_ok());
    EXPECT_NE(first_error.message().find("write failed"), std::string::npos)
        << first_error.message();
    // Sticky: every later call reports the same error.
    EXPECT_EQ((*sink)->write(StepRecord{}).message(), first_error.message());
    EXPECT_EQ((*sink)->flush().message(), first_error.message());
    EXPECT_EQ((*sink)->close().message(), first_error.message());
    EXPECT_EQ((*sink)->close().message(), first_error.message());
  }
  sigaction(SIGXFSZ, &old, nullptr);
}

TEST(BinaryWriter, FlushEveryMsPolicy) {
  TempDir tmp;
  FramePolicy p;
  p.flush_every_ms = 1000;
  auto sink = open_binary_sink(tmp.path(), p);
  ASSERT_TRUE(sink.is_ok());
  const auto events = util_events();
  ASSERT_TRUE((*sink)->write(events[0]).is_ok());
  // Not yet due: the event is still buffered, nothing but the header on disk.
  EXPECT_EQ(slurp(tmp.path() / "trace.bin").size(), 8u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_TRUE((*sink)->write(events[1]).is_ok()); // due: flushed at this event boundary
  auto r = read_file(tmp.path() / "trace.bin", /*follow=*/true);
  EXPECT_EQ(r.last, ReadState::NeedMore);
  EXPECT_EQ(r.events, std::vector<TraceEvent>(events.begin(), events.begin() + 2));
  ASSERT_TRUE((*sink)->close().is_ok());
}

namespace {
// TRACE_FORMAT.md §6.2 written out directly with libzstd's streaming API: the
// reference the sink (which compresses whole frames in memory) must equal.
std::string reference_trace_bin(const std::string& data, std::size_t frame_size,
                                std::size_t flush_at) {
  std::string file(reinterpret_cast<const char*>(kBinaryHeader.data()), kBinaryHeader.size());
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0);
  std::vector<FrameEntry> frames;
  std::size_t frame_d = 0, frame_c = 0;
  std::string out(ZSTD_CStreamOutSize(), '\0');
  auto drain = [&](ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
    for (;;) {
      ZSTD_outBuffer o{out.data(), out.size(), 0};
      const std::size_t r = ZSTD_compressStream2(c, &o, &in, mode);
      EXPECT_FALSE(ZSTD_isError(r));
      file.append(out.data(), o.pos);
      frame_c += o.pos;
      if (mode == ZSTD_e_continue ? in.pos == in.size : r == 0)
        return;
    }
  };
  auto end_frame = [&] {
    ZSTD_inBuffer none{nullptr, 0, 0};
    drain(none, ZSTD_e_end);
    frames.push_back({std::uint32_t(frame_c), std::uint32_t(frame_d)});
    frame_c = frame_d = 0;
    ZSTD_CCtx_reset(c, ZSTD_reset_session_only);
  };
  auto write = [&](const char* p, std::size_t n) {
    while (n != 0) {
      if (frame_d == frame_size)
        end_frame();
      const std::size_t k = std::min(n, frame_size - frame_d);
      ZSTD_inBuffer in{p, k, 0};
      drain(in, ZSTD_e_continue);
      frame_d += k;
      p += k;
      n -= k;
    }
  };
  write(data.data(), flush_at);
  if (frame_d > 0)
    end_frame(); // flush()
  write(data.data() + flush_at, data.size() - flush_at);
  end_frame(); // close()
  ZSTD_freeCCtx(c);
  std::string table(8 + 8 * frames.size() + 9, '\0');
  auto le32 = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      table[at + i] = char(v >> (8 * i));
  };
  le32(0, kSkippableMagicSeekTable);
  le32(4, std::uint32_t(8 * frames.size() + 9));
  for (std::size_t i = 0; i < frames.size(); ++i) {
    le32(8 + 8 * i, frames[i].compressed);
    le32(12 + 8 * i, frames[i].decompressed);
  }
  le32(8 + 8 * frames.size(), std::uint32_t(frames.size()));
  le32(13 + 8 * frames.size(), kSeekableMagic);
  return file + table;
}
} // namespace

// Frames are compressed whole (buffer-less zstd, frames in parallel); the file
// must still be the streaming sequence's, for frames that end on, just before
// and just after a 128 KiB zstd block boundary, full or cut by a flush.
TEST(BinaryWriter, WholeFrameCompressionEqualsStreamingSequence) {
  TempDir tmp;
  std::string data;
  std::uint32_t x = 12345;
  while (data.size() < 700000) { // repetitive event-like bytes with noisy stretches
    x = x * 1103515245u + 12345u;
    if ((x >> 20) % 4 == 0) {
      for (int i = 0; i < 64; ++i) {
        x = x * 1103515245u + 12345u;
        data.push_back(char(x >> 24));
      }
    } else {
      data += "\xa1\x64Step\xa2\x67path_id\x01\x64line";
      data.push_back(char(x >> 26));
    }
  }
  for (std::size_t frame : {std::size_t(1000), std::size_t(131071), std::size_t(131072),
                            std::size_t(131073), std::size_t(262144), std::size_t(2) << 20}) {
    for (std::size_t flush_at : {std::size_t(0), std::size_t(131072 * 2), std::size_t(300001)}) {
      for (unsigned threads : {0u, 2u}) {
        SCOPED_TRACE(std::to_string(frame) + " flush at " + std::to_string(flush_at) +
                     " threads " + std::to_string(threads));
        auto sink = open_binary_file_sink(tmp.path() / "t.bin", policy(frame, threads));
        ASSERT_TRUE(sink.is_ok());
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
        // In pieces of 1000 bytes, the flush at its offset.
        for (std::size_t at = 0; at < data.size();) {
          const std::size_t end = at < flush_at ? std::min(at + 1000, flush_at)
                                                : std::min(at + 1000, data.size());
          ASSERT_TRUE((*sink)->write_cbor(bytes + at, end - at).is_ok());
          at = end;
          if (at == flush_at)
            ASSERT_TRUE((*sink)->flush().is_ok());
        }
        ASSERT_TRUE((*sink)->close().is_ok());
        EXPECT_TRUE(slurp(tmp.path() / "t.bin") == reference_trace_bin(data, frame, flush_at));
      }
    }
  }
}
