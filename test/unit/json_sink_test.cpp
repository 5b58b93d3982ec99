// The streaming JSON sink: framing, refused events, counters, close semantics.
#include <gtest/gtest.h>

#include "test_util.h"
#include "trace_record/sink.h"
#include "vector_files.h"

using namespace trace_record;

TEST(JsonSink, FramingCountersAndClose) {
  TempDir dir;
  auto sink = open_sink(dir.path() / "sub" / "dir", TraceFormat::Json); // creates parents
  ASSERT_TRUE(sink) << sink.status().message();
  auto& s = **sink;
  EXPECT_EQ(s.events_written(), 0u);
  ASSERT_TRUE(s.write(PathRecord{"/a.c"}));
  // A refused event leaves the sink usable and writes nothing (no stray ',').
  Status refused = s.write(AssignmentRecord{});
  EXPECT_FALSE(refused);
  EXPECT_NE(refused.message().find("§2.7"), std::string::npos);
  ASSERT_TRUE(s.write(StepRecord{PathId{0}, 1}));
  ASSERT_TRUE(s.flush());
  const std::string file = (dir.path() / "sub" / "dir" / "trace.json").string();
  // After flush everything but the closing bracket is in the file.
  EXPECT_EQ(test_vectors::read_file(file), R"([{"Path":"/a.c"},{"Step":{"path_id":0,"line":1}})");
  EXPECT_EQ(s.events_written(), 2u);
  ASSERT_TRUE(s.close());
  ASSERT_TRUE(s.close()); // idempotent
  const std::string expect = R"([{"Path":"/a.c"},{"Step":{"path_id":0,"line":1}}])";
  EXPECT_EQ(test_vectors::read_file(file), expect);
  EXPECT_EQ(s.bytes_written(), expect.size());
  EXPECT_FALSE(s.write(StepRecord{PathId{0}, 2})); // after close
  EXPECT_EQ(test_vectors::read_file(file), expect);
}

TEST(JsonSink, UnwritableDirectoryIsAnError) {
  auto sink = open_json_sink("/proc/definitely/not/writable");
  ASSERT_FALSE(sink);
  EXPECT_NE(sink.status().message().find("/proc/definitely/not/writable"), std::string::npos);
}
