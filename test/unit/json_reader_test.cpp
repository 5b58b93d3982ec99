// The streaming JSON reader: tolerance (§8), strict errors, truncation, limits.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>

#include <fstream>

#include "test_util.h"
#include "trace_record/json.h"
#include "trace_record/reader.h"
#include "trace_record/sink.h"
#include "trace_record/source.h"
#include "trace_record/writer.h"
#include "vector_files.h"

using namespace trace_record;

namespace {

struct Outcome {
  std::vector<TraceEvent> events;
  ReadState end;
  std::string message;
};

Outcome read_string(const std::string& doc) {
  auto src = open_json_source_from_string(doc, "trace.json");
  Outcome o;
  TraceEvent e;
  while ((o.end = src->next(e)) == ReadState::Event)
    o.events.push_back(e);
  o.message = src->message();
  // Sticky: asking again gives the same state.
  EXPECT_EQ(src->next(e), o.end);
  return o;
}

} // namespace

TEST(JsonReader, Tolerance) {
  auto o = read_string(R"( [
    {"Step": {"line": 3, "extra": [1, {"x": null}], "path_id": 0}},
    {"DropLastStep": null},
    "DropLastStep",
    {"Call": {"function_id": 1}},
    {"Return": {"return_value": {"type_id": 2, "i": 5, "kind": "Int"}}},
    {"Value":{"variable_id":0,"value":{"kind":"Float","f":"1e5","type_id":0}}}
  ]
  )");
  ASSERT_EQ(o.end, ReadState::End) << o.message;
  ASSERT_EQ(o.events.size(), 6u);
  EXPECT_TRUE(o.events[0] == TraceEvent(StepRecord{PathId{0}, 3}));
  EXPECT_TRUE(std::holds_alternative<DropLastStepRecord>(o.events[1]));
  EXPECT_TRUE(std::holds_alternative<DropLastStepRecord>(o.events[2]));
  EXPECT_TRUE(o.events[3] == TraceEvent(CallRecord{FunctionId{1}, {}}));
  EXPECT_TRUE(o.events[4] == TraceEvent(ReturnRecord{ValueRecord::integer(5, TypeId{2})}));
  EXPECT_EQ(std::get<value::Float>(std::get<FullValueRecord>(o.events[5]).value.v).f, 1e5);
  EXPECT_EQ(read_string("[]").end, ReadState::End);
  EXPECT_EQ(read_string(" [ ] \n").end, ReadState::End);
}

TEST(JsonReader, Rejections) {
  struct Case {
    const char* doc;
    const char* expect; // substring of the message
  };
  const Case cases[] = {
      {R"([{"DropLastStep":[]}])", "expected null"},
      {R"([{"Step":{"path_id":0,"line":1},"Path":"x"}])", "exactly one key"},
      {R"([{"Step":{"path_id":0}}])", "missing field \"line\""},
      {R"([{"Return":{"return_value":{"kind":"Sequence","elements":[],"type_id":1}}}])",
       "missing field \"is_slice\""},
      {R"([{"Event":{"kind":0,"content":"x"}}])", "missing field \"metadata\""},
      {R"([{"Type":{"kind":7,"lang_type":"int"}}])", "missing field \"specific_info\""},
      {R"([{"Return":{"return_value":{"kind":"Int","i":1}}}])", "missing field \"type_id\""},
      {R"([{"Return":{"return_value":{"kind":"Float","f":2.5,"type_id":1}}}])",
       "expected a string (Float.f), found a floating-point number"},
      {R"([{"Return":{"return_value":{"kind":"Float","f":" 2.5","type_id":1}}}])",
       "invalid float text"},
      {R"([{"Step":{"path_id":-1,"line":1}}])", "negative"},
      {R"([{"Step":{"path_id":18446744073709551616,"line":1}}])", "out of range"},
      {R"([{"Step":{"path_id":0,"line":9223372036854775808}}])", "out of range"},
      {R"([{"Step":{"path_id":1.0,"line":1}}])", "expected an unsigned integer"},
      {R"([{"Steps":{"path_id":0,"line":1}}])", "unknown event variant \"Steps\""},
      {R"(["Nope"])", "unknown unit variant"},
      {R"([{"Type":{"kind":34,"lang_type":"x","specific_info":{"kind":"None"}}}])",
       "TypeKind 34 out of range"},
      {R"([{"Event":{"kind":14,"metadata":"","content":""}}])", "EventLogKind 14 out of range"},
      {R"([{"Return":{"return_value":{"kind":"Weird","type_id":0}}}])", "unknown value kind"},
      {R"([{"Assignment":{"to":1,"pass_by":"Value","from":{"kind":"Simple","0":2}}}])",
       "Assignment"},
      {"[{\"Path\":\"a\xff\"}]", "invalid UTF-8"},
      {"[{\"Path\":\"a\x01\"}]", "control character"},
      {R"([{"Path":"\ud800"}])", "surrogate"},
      {R"([{"Path":"\q"}])", "invalid escape"},
      {R"([{"Path":"a"},])", "expected an event after ','"},
      {R"([{"Path":"a"}] x)", "expected end of file after ']'"},
      {R"({"Path":"a"})", "expected '['"},
      {R"([{"Path":"a"} {"Path":"b"}])", "expected ',' or ']'"},
      {R"([{"Path":tru}])", "expected a JSON value"},
      {R"([{"Step":{"path_id":0,"line":01}}])", "expected ',' or '}'"},
      {R"([{"Step":{"path_id":0,"path_id":0,"line":1}}])", "duplicate field"},
      {R"([{"Return":{"return_value":{"kind":"Char","c":"ab","type_id":0}}}])",
       "exactly one character"},
      {R"([{"Return":{"return_value":{"kind":"BigInt","b":"A","negative":false,"type_id":0}}}])",
       "base64"},
  };
  for (const auto& c : cases) {
    auto o = read_string(c.doc);
    EXPECT_EQ(o.end, ReadState::Error) << c.doc;
    EXPECT_NE(o.message.find(c.expect), std::string::npos) << c.doc << " -> " << o.message;
    EXPECT_EQ(o.message.rfind("trace.json: offset ", 0), 0u) << o.message;
  }
}

TEST(JsonReader, ErrorOffsetPointsAtTheProblem) {
  std::string doc =
      R"([{"Path":"a"},{"Type":{"kind":99,"lang_type":"x","specific_info":{"kind":"None"}}}])";
  auto o = read_string(doc);
  ASSERT_EQ(o.end, ReadState::Error);
  EXPECT_EQ(o.events.size(), 1u);
  auto at = doc.find("99");
  EXPECT_NE(o.message.find("offset " + std::to_string(at) + ":"), std::string::npos) << o.message;
}

TEST(JsonReader, TruncatedAfterCompleteEvents) {
  std::string full =
      R"([{"Path":"/a.c"},{"Step":{"path_id":0,"line":1}},{"Event":{"kind":0,"metadata":"","content":"héllo"}}])";
  // Every cut strictly inside the document gives Truncated with the complete events before it.
  for (std::size_t cut = 0; cut < full.size(); ++cut) {
    auto o = read_string(full.substr(0, cut));
    EXPECT_EQ(o.end, ReadState::Truncated) << cut << ": " << o.message;
    std::size_t complete = 0;
    if (cut >= full.find(",{\"Step"))
      complete = 1;
    if (cut >= full.find(",{\"Event"))
      complete = 2;
    if (cut >= full.size() - 1)
      complete = 3;
    EXPECT_EQ(o.events.size(), complete) << cut;
  }
  auto o = read_string(full.substr(0, 30));
  EXPECT_NE(o.message.find("cut inside event 1"), std::string::npos) << o.message;
}

TEST(JsonReader, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "[{\"Return\":{\"return_value\":";
  for (int i = 0; i < 10000; ++i)
    deep += "{\"kind\":\"Variant\",\"discriminator\":\"x\",\"contents\":";
  auto o = read_string(deep); // also truncated: the limit must trigger first
  EXPECT_EQ(o.end, ReadState::Error);
  EXPECT_NE(o.message.find("nesting deeper than 127"), std::string::npos) << o.message;
  std::string arrays = "[" + std::string(100000, '[');
  EXPECT_EQ(read_string(arrays).end, ReadState::Error);
  // 126 levels inside the outer '[' are fine (127 in all).
  std::string ok = "[{\"Asm\":[]}]";
  std::string nested = "[";
  for (int i = 0; i < 125; ++i)
    nested += "[";
  std::string doc = "[{\"Step\":{\"path_id\":0,\"line\":1,\"x\":" + nested.substr(1) + "[" +
                    std::string(125, ']') + "}}]";
  // depth: '[' 1, event '{' 2, Step '{' 3, then 125 arrays -> 128 > 127: error
  EXPECT_EQ(read_string(doc).end, ReadState::Error);
  std::string doc2 = "[{\"Step\":{\"path_id\":0,\"line\":1,\"x\":" + std::string(124, '[') +
                     std::string(124, ']') + "}}]";
  EXPECT_EQ(read_string(doc2).end, ReadState::End) << read_string(doc2).message;
  (void)ok;
}

TEST(JsonReader, LargeFileAcrossChunks) {
  // Events straddle the reader's 1 MiB chunks; a file read must equal the writer's input.
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), {});
  ASSERT_TRUE(w);
  auto& t = **w;
  t.start();
  TypeId ti = t.ensure_type_id(TypeKind::Int, "int");
  TypeId ts = t.ensure_type_id(TypeKind::String, "char*");
  std::string long_text(3000, 'x');
  for (int i = 0; i < 20000; ++i) {
    t.register_step("/a.c", i + 1);
    t.register_variable("i", ValueRecord::integer(i, ti));
    t.register_variable("s", ValueRecord::string(long_text + "é" + std::to_string(i), ts));
  }
  ASSERT_TRUE(t.finish());
  auto events = read_all_events(dir.path());
  ASSERT_TRUE(events) << events.status().message();
  ASSERT_EQ(events->size(), t.events_written());
  const auto& last = std::get<FullValueRecord>(events->back());
  EXPECT_EQ(std::get<value::String>(last.value.v).text, long_text + "é19999");
}

TEST(JsonReader, RoundTripEveryKindThroughFiles) {
  std::vector<TraceEvent> events = {
      PathRecord{"/a.c"},
      VariableNameRecord{"v"},
      TypeRecord{TypeKind::Struct, "P", tsi::Struct{{{"x", TypeId{0}}, {"y", TypeId{0}}}}},
      FullValueRecord{VariableId{0},
                      value::Struct{{ValueRecord::integer(1, TypeId{0}),
                                     value::Sequence{{ValueRecord::floating(-0.0, TypeId{0}),
                                                      ValueRecord::floating(1e300, TypeId{0})},
                                                     true,
                                                     TypeId{0}}},
                                    TypeId{2}}},
      ReturnRecord{value::Tuple{
          {ValueRecord::boolean(true, TypeId{0}),
           value::Variant{"Some", ValueRecord::string("s", TypeId{0}), TypeId{0}},
           value::Reference{ValueRecord::raw("r", TypeId{0}), 0xdeadbeef, false, TypeId{0}},
           ValueRecord::error("e"), value::Cell{-4}, value::BigInt{{1, 2, 3}, true, TypeId{0}},
           value::Char{U'😀', TypeId{0}}, ValueRecord::none()},
          TypeId{0}}},
      CallRecord{FunctionId{0},
                 {FullValueRecord{VariableId{0}, ValueRecord::integer(-1, TypeId{0})}}},
      RecordEvent{EventLogKind::EvmEvent, "m", "c\n"},
      AsmRecord{{"a", "b"}},
      BindVariableRecord{VariableId{0}, -1},
      DropVariablesRecord{{VariableId{1}, VariableId{2}}},
      CompoundValueRecord{1, ValueRecord::none()},
      CellValueRecord{2, ValueRecord::none()},
      AssignCompoundItemRecord{1, UINT64_MAX, 3},
      AssignCellRecord{1, ValueRecord::none()},
      VariableCellRecord{VariableId{3}, INT64_MIN},
      DropVariableRecord{VariableId{4}},
      ThreadStartRecord{ThreadId{1}},
      ThreadExitRecord{ThreadId{UINT64_MAX}},
      ThreadSwitchRecord{ThreadId{2}},
      DropLastStepRecord{},
      StepRecord{PathId{0}, -5},
      VariableRecord{"legacy"},
  };
  TempDir dir;
  {
    auto sink = open_json_sink(dir.path());
    ASSERT_TRUE(sink);
    for (const auto& e : events)
      ASSERT_TRUE((*sink)->write(e));
    ASSERT_TRUE((*sink)->close());
  }
  auto back = read_all_events(dir.path());
  ASSERT_TRUE(back) << back.status().message();
  ASSERT_EQ(back->size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_TRUE((*back)[i] == events[i]) << i << " " << event_variant_name(events[i]);
}

TEST(JsonReader, FolderHelpers) {
  TempDir dir;
  ASSERT_TRUE(
      write_metadata_file(dir.path(), {"01949fcc-7d92-7e9c-aaaa-bbbbbbbbbbbb", "/w", "p", {"a"}}));
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/a.c"}));
  { std::ofstream(dir.path() / "trace.json") << "[]"; }
  auto f = open_trace_folder(dir.path());
  ASSERT_TRUE(f) << f.status().message();
  EXPECT_EQ(f->metadata->workdir, "/w");
  EXPECT_EQ(f->metadata->args, std::vector<std::string>{"a"});
  EXPECT_EQ(*f->paths, (std::vector<std::string>{"", "/a.c"}));
  auto old = parse_metadata_json(R"({"workdir":"/w","program":"p","args":["a"]})", "m");
  ASSERT_TRUE(old);
  EXPECT_TRUE(old->recording_id.empty());
  EXPECT_FALSE(parse_metadata_json(R"({"workdir":"/w","program":"p"})", "m"));
  EXPECT_FALSE(parse_paths_json(R"(["a",1])", "p"));
  auto missing = open_trace_folder(dir.path() / "nope");
  EXPECT_FALSE(missing);
}

TEST(JsonReader, HugeSingleEventFromFile) {
  // One 40 MB string: read through growing chunks, in one piece.
  TempDir dir;
  std::string big(40u << 20, 'z');
  {
    auto sink = open_json_sink(dir.path());
    ASSERT_TRUE(sink);
    ASSERT_TRUE((*sink)->write(PathRecord{"/a.c"}));
    ASSERT_TRUE((*sink)->write(RecordEvent{EventLogKind::Write, "", big}));
    ASSERT_TRUE((*sink)->close());
  }
  auto events = read_all_events(dir.path() / "trace.json");
  ASSERT_TRUE(events) << events.status().message();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(std::get<RecordEvent>((*events)[1]).content.size(), big.size());
}

TEST(JsonReader, RepairCutTrace) {
  const std::string full =
      R"([{"Path":"/a.c"},{"Step":{"path_id":0,"line":1}},{"Event":{"kind":0,"metadata":"","content":"x"}}])";
  for (std::size_t cut : {std::size_t(0), std::size_t(1), std::size_t(10), std::size_t(17),
                          std::size_t(30), full.size() - 1, full.size()}) {
    TempDir dir;
    const auto file = dir.path() / "trace.json";
    { std::ofstream(file, std::ios::binary) << full.substr(0, cut); }
    std::uint64_t kept = 99;
    ASSERT_TRUE(repair_json_trace(file, &kept)) << cut;
    auto events = read_all_events(file);
    ASSERT_TRUE(events) << cut << ": " << events.status().message();
    EXPECT_EQ(events->size(), kept);
    std::size_t expect = cut >= full.size() - 1 ? 3 : cut >= 17 ? 1 : 0;
    if (cut == 30)
      expect = 1;
    EXPECT_EQ(kept, expect) << cut;
  }
  TempDir dir;
  { std::ofstream(dir.path() / "trace.json") << R"([{"Bad":1},{"Path")"; }
  EXPECT_FALSE(repair_json_trace(dir.path() / "trace.json"));
  EXPECT_EQ(test_vectors::read_file(dir.path() / "trace.json"), R"([{"Bad":1},{"Path")");
}

// A file-size limit (or full disk) that leaves no room for the closing ']' after
// the last complete event: the trace is closed one event earlier.
TEST(JsonReader, RepairWithoutRoomForTheClosingBracket) {
  struct sigaction ign {}, old{};
  ign.sa_handler = SIG_IGN;
  ASSERT_EQ(sigaction(SIGXFSZ, &ign, &old), 0);
  const std::string cut = R"([{"Path":"/a.c"},{"Step":{"path_id":0,"line":1}})";
  TempDir dir;
  const auto file = dir.path() / "trace.json";
  { std::ofstream(file, std::ios::binary) << cut; }
  struct rlimit saved {};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  struct rlimit small = saved;
  small.rlim_cur = cut.size(); // no byte more
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::uint64_t kept = 99;
  const Status st = repair_json_trace(file, &kept);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
  sigaction(SIGXFSZ, &old, nullptr);
  ASSERT_TRUE(st) << st.message();
  EXPECT_EQ(kept, 1u);
  EXPECT_EQ(test_vectors::read_file(file), R"([{"Path":"/a.c"}])");
}
