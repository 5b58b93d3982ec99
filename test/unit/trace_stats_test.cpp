// Counting a trace the way CodeTracer pays for it (trace_stats.h, codetracer_footprint.h):
// exact figures on CONSUMER_CONTRACT.md §8's worked example, read as trace.json and as
// trace.bin, and the replay rules (§2) that attribute values to steps.
#include <gtest/gtest.h>

#include "test_util.h"
#include "trace_record/json.h"
#include "trace_record/sink.h"
#include "trace_record/source.h"
#include "trace_record/trace_stats.h"
#include "vector_files.h"

using namespace trace_record;

namespace {

std::string worked_example() {
  return test_vectors::read_file(std::string(TRACE_RECORD_TEST_INPUTS_DIR) +
                                 "/worked-example.json");
}

std::vector<TraceEvent> read_events(EventSource& src) {
  std::vector<TraceEvent> out;
  TraceEvent e;
  while (src.next(e) == ReadState::Event)
    out.push_back(e);
  return out;
}

// The figures below are worked out by hand from the CBOR of TRACE_FORMAT.md §5: a Step
// {"Step":{"path_id":1,"line":9}} is a1 64"Step" a2 67"path_id" 01 64"line" 09 = 22
// bytes; a Value with small ids and an Int of one byte is 49; a Call argument (the same
// map without the a1 65"Value" envelope) 42; and so on.
void expect_worked_example(const TraceStats& s) {
  EXPECT_EQ(s.events(), 40u);
  EXPECT_EQ(s.steps(), 8u);
  EXPECT_EQ(s.calls(), 3u);
  EXPECT_EQ(s.returns(), 2u);
  EXPECT_EQ(s.max_depth(), 3);
  EXPECT_EQ(s.values(), 18u); // 14 Values, 2 args, 2 return values
  EXPECT_EQ(s.decoded_bytes(), 1485u);
  EXPECT_EQ(s.decoded_bytes(0), 8u * 22);                // Step
  EXPECT_EQ(s.decoded_bytes(1), 7u + 29);                // Path "" and "/home/user/demo/main.c"
  EXPECT_EQ(s.decoded_bytes(2), 4u * 16 + 18);           // VariableName x r a b sum
  EXPECT_EQ(s.decoded_bytes(4), 54u + 52);               // Type None, int
  EXPECT_EQ(s.decoded_bytes(5), 14u * 49);               // Value
  EXPECT_EQ(s.decoded_bytes(6), 43u + 36 + 35);          // Function <top-level>, main, add
  EXPECT_EQ(s.decoded_bytes(7), 26u + 26 + 26 + 2 * 42); // Call root, main, add(a, b)
  EXPECT_EQ(s.decoded_bytes(8), 2u * 44);                // Return 7, Return 0
  EXPECT_EQ(s.decoded_bytes(9), 35u);                    // Event "7\n"
  EXPECT_EQ(s.unencodable(), 0u);

  // Value bytes per step: 0 (main's entry step), 98 (x, r), 98, 84 (add's args a, b),
  // 147 (a, b, sum), 147, 98, 98.
  EXPECT_EQ(s.value_bytes(), 770u);
  const CountHistogram& h = s.value_bytes_per_step();
  EXPECT_EQ(h.count(), 8u);
  EXPECT_EQ(h.total(), 770u);
  EXPECT_EQ(h.quantile(0.5), 98u);
  EXPECT_EQ(h.quantile(0.9), 147u);
  EXPECT_EQ(h.quantile(0.0), 0u);
  EXPECT_EQ(h.max(), 147u);
  EXPECT_EQ(s.max_step().step, 4u); // the first step holding the max
  EXPECT_EQ(s.path(s.max_step().path_id), "/home/user/demo/main.c");
  EXPECT_EQ(s.max_step().line, 4);
  ASSERT_TRUE(s.max_step().has_function);
  EXPECT_EQ(s.function_name(s.max_step().function_id), "add");

  // CodeTracer's footprint: 40 events of 64 B plus what they own (path 22, names 18,
  // lang_types 7, variable names 7, add's two args 2 x 56, the event's content 2) =
  // 2,728; the db: 8 steps x 320, paths 56 + 100, functions 138, types 135, variable
  // names 127, 14 values x 56, calls 144 + 144 + 368, the event 66 = 4,622.
  EXPECT_EQ(s.codetracer().event_list_bytes(), 2728u);
  EXPECT_EQ(s.codetracer().db_bytes(), 4622u);
  EXPECT_EQ(s.codetracer().total(), 7350u);
}

TEST(TraceStats, WorkedExampleFromJson) {
  auto src = open_json_source_from_string(worked_example(), "trace.json");
  TraceStats s;
  EXPECT_EQ(count_events(*src, s), ReadState::End);
  expect_worked_example(s);
}

TEST(TraceStats, WorkedExampleFromBinary) {
  auto json = open_json_source_from_string(worked_example(), "trace.json");
  const std::vector<TraceEvent> events = read_events(*json);
  TempDir dir;
  {
    FramePolicy small_frames; // items cross frame boundaries: sizes must still add up
    small_frames.frame_size = 100;
    auto sink = open_binary_sink(dir.path(), small_frames);
    ASSERT_TRUE(sink);
    for (const auto& e : events)
      ASSERT_TRUE((*sink)->write(e));
    ASSERT_TRUE((*sink)->close());
  }
  auto src = open_binary_source(dir.path() / "trace.bin");
  ASSERT_TRUE(src);
  TraceStats s;
  std::uint64_t seen = 0, seen_bytes = 0;
  EXPECT_EQ(count_events(**src, s,
                         [&](TraceEvent&, std::uint64_t bytes) {
                           ++seen;
                           seen_bytes += bytes;
                         }),
            ReadState::End);
  expect_worked_example(s);
  EXPECT_EQ(seen, 40u);
  EXPECT_EQ(seen_bytes, 1485u);
  EXPECT_EQ((*src)->offset(), 1485u); // the whole decompressed stream
}

// The replay rules of CONSUMER_CONTRACT.md §2: values before the first Step land on step
// 0; Call args land on the step before the Call, which moves into the callee unless it
// is step 0; a Return pops the stack.
TEST(TraceStats, AttributionFollowsTheReplayModel) {
  TraceStats s;
  const TypeId t{1};
  auto value = [&](std::uint64_t id, std::string text) {
    return FullValueRecord{VariableId{id}, ValueRecord::string(std::move(text), t)};
  };
  s.add(PathRecord{"/p.c"});
  s.add(FunctionRecord{PathId{0}, 1, "main"});
  s.add(FunctionRecord{PathId{0}, 10, "f"});
  s.add(value(0, "before any step"));   // lands on step 0
  s.add(StepRecord{PathId{0}, 1});      // step 0
  s.add(CallRecord{FunctionId{0}, {}}); // step 0 stays where it is
  s.add(StepRecord{PathId{0}, 2});      // step 1, in main
  s.add(value(0, "x"));
  s.add(StepRecord{PathId{0}, 10}); // step 2: f's entry step
  s.add(CallRecord{FunctionId{1}, {value(1, std::string(300, 'a'))}});
  s.add(ReturnRecord{ValueRecord::none()});
  s.add(StepRecord{PathId{0}, 3}); // step 3, back in main
  s.finish();

  auto value_event_size = [](const FullValueRecord& v) {
    cbor::Buffer b;
    cbor::encode_value_event(v.variable_id, v.value, b);
    return std::uint64_t(b.size());
  };
  const std::uint64_t before = value_event_size(value(0, "before any step"));
  const std::uint64_t x = value_event_size(value(0, "x"));
  const std::uint64_t arg = value_event_size(value(1, std::string(300, 'a'))) - 7; // no envelope
  EXPECT_EQ(s.value_bytes(), before + x + arg);
  const CountHistogram& h = s.value_bytes_per_step();
  EXPECT_EQ(h.count(), 4u);
  EXPECT_EQ(h.max(), arg);
  EXPECT_EQ(h.quantile(0.25), 0u);     // step 3
  EXPECT_EQ(h.quantile(0.5), x);       // step 1
  EXPECT_EQ(h.quantile(0.75), before); // step 0
  EXPECT_EQ(s.max_step().step, 2u);
  EXPECT_EQ(s.max_step().line, 10);
  ASSERT_TRUE(s.max_step().has_function);
  EXPECT_EQ(s.function_name(s.max_step().function_id), "f"); // re-attributed to the callee
  EXPECT_EQ(s.max_depth(), 2);
}

TEST(TraceStats, ValuesWithoutStepsAndUnencodableEvents) {
  TraceStats s;
  s.add(FullValueRecord{VariableId{0}, ValueRecord::integer(1, TypeId{0})});
  s.add(AssignmentRecord{VariableId{0}, PassBy::Value, rvalue::Simple{VariableId{1}}});
  s.finish();
  EXPECT_EQ(s.steps(), 0u);
  EXPECT_EQ(s.value_bytes_per_step().count(), 0u);
  EXPECT_EQ(s.value_bytes(), 49u); // counted, though no step holds it
  EXPECT_EQ(s.unencodable(), 1u);
  EXPECT_EQ(s.decoded_bytes(), 49u);
  EXPECT_EQ(s.events(), 2u);
}

TEST(CountHistogram, ExactQuantilesOverSmallAndLargeValues) {
  CountHistogram h;
  EXPECT_EQ(h.quantile(0.5), 0u);
  for (std::uint64_t v : {5u, 100000u, 7u, 4096u, 4095u, 100000u, 3u, 9000000u, 7u, 12u})
    h.add(v);
  // Sorted: 3 5 7 7 12 4095 4096 100000 100000 9000000.
  EXPECT_EQ(h.count(), 10u);
  EXPECT_EQ(h.total(), 9208225u);
  EXPECT_EQ(h.max(), 9000000u);
  EXPECT_EQ(h.quantile(0.1), 3u);
  EXPECT_EQ(h.quantile(0.5), 12u);
  EXPECT_EQ(h.quantile(0.6), 4095u);
  EXPECT_EQ(h.quantile(0.7), 4096u);
  EXPECT_EQ(h.quantile(0.9), 100000u);
  EXPECT_EQ(h.quantile(0.91), 9000000u);
  EXPECT_EQ(h.quantile(1.0), 9000000u);
}

TEST(CodeTracerFootprint, NestedValuesCountEveryNode) {
  // A Reference to a Struct of a String and a Sequence of two Ints: the Reference's box
  // (48) + the Struct's two fields (2 x 48) + the text (5) + the two elements (2 x 48).
  value::Sequence seq{
      {ValueRecord::integer(1, TypeId{1}), ValueRecord::integer(2, TypeId{1})}, false, TypeId{2}};
  value::Struct st{{ValueRecord::string("hello", TypeId{3}), ValueRecord(std::move(seq))},
                   TypeId{4}};
  value::Reference ref{ValueRecord(std::move(st)), 0x1000, false, TypeId{5}};
  EXPECT_EQ(CodeTracerFootprint::value_heap(ValueRecord(std::move(ref))), 48u + 96 + 5 + 96);
}

} // namespace
