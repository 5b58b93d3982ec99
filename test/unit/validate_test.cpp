// Contract validation: a good trace passes; each rule has a failing trace.
#include "trace_record/validate.h"

#include <gtest/gtest.h>

#include <fstream>

#include "test_util.h"
#include "trace_record/binary.h"
#include "trace_record/cbor.h"
#include "trace_record/json.h"
#include "trace_record/reader.h"
#include "trace_record/sink.h"

using namespace trace_record;

namespace {

// The recommended start (root + None type) and a call to main with one step.
std::vector<TraceEvent> good_prefix() {
  return {PathRecord{""},
          FunctionRecord{PathId{0}, 1, "<top-level>"},
          CallRecord{FunctionId{0}, {}},
          TypeRecord{TypeKind::None, "None", tsi::None{}},
          PathRecord{"/p/main.c"},
          FunctionRecord{PathId{1}, 8, "main"},
          StepRecord{PathId{1}, 8},
          CallRecord{FunctionId{1}, {}},
          StepRecord{PathId{1}, 9},
          TypeRecord{TypeKind::Int, "int", tsi::None{}},
          VariableNameRecord{"x"},
          FullValueRecord{VariableId{0}, ValueRecord::integer(1, TypeId{1})}};
}

ValidationReport run(const std::vector<TraceEvent>& events) {
  StreamValidator v;
  for (const auto& e : events)
    v.feed(e);
  return v.finish();
}

// Appends `extra` to the good prefix and expects the first error at the first
// extra event, with `rule` in its message.
void expect_error(std::vector<TraceEvent> extra, const std::string& rule,
                  std::vector<TraceEvent> base = good_prefix()) {
  const std::uint64_t first = base.size();
  for (auto& e : extra)
    base.push_back(std::move(e));
  auto r = run(base);
  ASSERT_TRUE(r.error.has_value()) << "expected " << rule;
  EXPECT_NE(r.error->message.find(rule), std::string::npos) << r.error->message;
  if (r.error->event_index != kNoEventIndex) {
    EXPECT_GE(r.error->event_index, first) << r.error->message;
    EXPECT_EQ(r.error->message.rfind("event " + std::to_string(r.error->event_index) + " (", 0),
              0u);
  }
}

void expect_warning(std::vector<TraceEvent> extra, const std::string& rule) {
  auto base = good_prefix();
  for (auto& e : extra)
    base.push_back(std::move(e));
  auto r = run(base);
  EXPECT_FALSE(r.error.has_value()) << r.error->message;
  bool found = false;
  for (const auto& w : r.warnings)
    found |= w.message.find(rule) != std::string::npos;
  EXPECT_TRUE(found) << rule;
}

} // namespace

TEST(Validate, GoodTracePasses) {
  auto ev = good_prefix();
  ev.push_back(FunctionRecord{PathId{1}, 3, "add"});
  ev.push_back(VariableNameRecord{"a"});
  ev.push_back(StepRecord{PathId{1}, 3});
  ev.push_back(CallRecord{FunctionId{2}, {{VariableId{1}, ValueRecord::integer(3, TypeId{1})}}});
  ev.push_back(StepRecord{PathId{1}, 4});
  ev.push_back(ReturnRecord{ValueRecord::integer(3, TypeId{1})});
  ev.push_back(StepRecord{PathId{1}, 10});
  ev.push_back(RecordEvent{EventLogKind::Write, "", "x"});
  ev.push_back(ReturnRecord{ValueRecord::integer(0, TypeId{1})});
  ev.push_back(RecordEvent{EventLogKind::Error, "", "SIGSEGV"});
  auto r = run(ev);
  EXPECT_FALSE(r.error.has_value()) << r.error->message;
  EXPECT_EQ(r.events, ev.size());
  EXPECT_EQ(r.warning_count, 0u);
}

TEST(Validate, C1IdsDefinedBeforeUse) {
  expect_error({StepRecord{PathId{5}, 1}}, "PathId 5 is not defined yet (C1)");
  expect_error({StepRecord{PathId{1}, 3}, CallRecord{FunctionId{9}, {}}}, "FunctionId 9");
  expect_error({FullValueRecord{VariableId{7}, ValueRecord::none()}}, "VariableId 7");
  expect_error({FullValueRecord{VariableId{0}, ValueRecord::integer(1, TypeId{8})}}, "TypeId 8");
  expect_error(
      {FullValueRecord{VariableId{0},
                       value::Sequence{{ValueRecord::integer(1, TypeId{4})}, false, TypeId{1}}}},
      "TypeId 4");
  expect_error({FunctionRecord{PathId{3}, 1, "f"}}, "PathId 3");
  expect_error({TypeRecord{TypeKind::Pointer, "int*", tsi::Pointer{TypeId{40}}}}, "TypeId 40");
  // A forward reference inside a recursive type group is fine once defined.
  auto r = run([] {
    auto ev = good_prefix();
    ev.push_back(TypeRecord{TypeKind::Struct, "node", tsi::Struct{{{"next", TypeId{3}}}}});
    ev.push_back(TypeRecord{TypeKind::Pointer, "node*", tsi::Pointer{TypeId{2}}});
    return ev;
  }());
  EXPECT_FALSE(r.error.has_value()) << r.error->message;
}

TEST(Validate, C2FirstTypeIsNone) {
  std::vector<TraceEvent> base = {PathRecord{""}, FunctionRecord{PathId{0}, 1, "<top-level>"},
                                  CallRecord{FunctionId{0}, {}}};
  expect_error({TypeRecord{TypeKind::Int, "int", tsi::None{}}}, "(C2)", base);
  auto r = run(base);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("C2"), std::string::npos);
}

TEST(Validate, C3RootCall) {
  std::vector<TraceEvent> no_root = {PathRecord{"/a.c"}, StepRecord{PathId{0}, 1}};
  auto r = run(no_root);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("event 1 (Step): Step before the root call was opened (C3)"),
            std::string::npos)
      << r.error->message;
  expect_error({ReturnRecord{}, ReturnRecord{}}, "return from the root call (C3)");
}

TEST(Validate, C5CallPrecededByStep) {
  expect_error({CallRecord{FunctionId{1}, {}}}, "(C5)"); // last event is a Value
  expect_warning({StepRecord{PathId{1}, 30}, CallRecord{FunctionId{1}, {}}},
                 "not at the callee's declaration (C5)");
}

TEST(Validate, C4ValueBeforeFirstStep) {
  std::vector<TraceEvent> ev = {PathRecord{""},
                                FunctionRecord{PathId{0}, 1, "<top-level>"},
                                CallRecord{FunctionId{0}, {}},
                                TypeRecord{TypeKind::None, "None", tsi::None{}},
                                VariableNameRecord{"x"},
                                FullValueRecord{VariableId{0}, ValueRecord::none()}};
  auto r = run(ev);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("event 5 (Value)"), std::string::npos) << r.error->message;
  EXPECT_NE(r.error->message.find("(C4)"), std::string::npos);
}

TEST(Validate, C6ReturnWithNoOpenCall) {
  std::vector<TraceEvent> ev = {ReturnRecord{}};
  auto r = run(ev);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "event 0 (Return): return with no open call (C6)");
}

TEST(Validate, C9ErrorEventIsLast) {
  expect_error({RecordEvent{EventLogKind::Error, "", "boom"}, StepRecord{PathId{1}, 10}}, "(C9)");
  expect_error(
      {RecordEvent{EventLogKind::Error, "", "boom"}, RecordEvent{EventLogKind::Write, "", "x"}},
      "(C9)");
}

TEST(Validate, C10AbsolutePaths) {
  expect_error({PathRecord{"rel/a.c"}}, "is not absolute (C10)");
  expect_warning({PathRecord{"/a/../b.c"}}, "not normalized (C10)");
}

TEST(Validate, C12StructFieldCount) {
  std::vector<TraceEvent> t = {
      TypeRecord{TypeKind::Struct, "P", tsi::Struct{{{"x", TypeId{1}}, {"y", TypeId{1}}}}}};
  auto with = [&](ValueRecord v) {
    auto ev = t;
    ev.push_back(FullValueRecord{VariableId{0}, std::move(v)});
    return ev;
  };
  expect_error(with(value::Struct{{ValueRecord::integer(1, TypeId{1})}, TypeId{2}}),
               "has 1 field values but its type has 2 fields (C12)");
  expect_error(with(value::Struct{{}, TypeId{1}}), "is not a Struct type (C12)");
  auto ok = good_prefix();
  for (auto& e : with(value::Struct{
           {ValueRecord::integer(1, TypeId{1}), ValueRecord::integer(2, TypeId{1})}, TypeId{2}}))
    ok.push_back(e);
  EXPECT_FALSE(run(ok).error.has_value());
}

TEST(Validate, C14LineZeroWarns) {
  expect_warning({StepRecord{PathId{1}, 0}}, "(C14)");
}

TEST(Validate, UnloadableEvents) {
  expect_error({DropLastStepRecord{}}, "breaks loading");
  expect_error({BindVariableRecord{VariableId{0}, 1}}, "breaks loading");
  expect_error({CompoundValueRecord{1, ValueRecord::none()}}, "breaks loading");
  expect_error({FullValueRecord{VariableId{0}, value::Cell{1}}}, "Cell value breaks loading");
  std::vector<TraceEvent> asm_first = {PathRecord{""}, FunctionRecord{PathId{0}, 1, "<top-level>"},
                                       CallRecord{FunctionId{0}, {}}, AsmRecord{{"nop"}}};
  auto r = run(asm_first);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("event 3 (Asm): Asm before the first Step"), std::string::npos);
}

TEST(Validate, DeepValuesAndThreadsWarn) {
  ValueRecord v = ValueRecord::integer(1, TypeId{1});
  for (int i = 0; i < 40; ++i)
    v = value::Variant{"x", v, TypeId{1}};
  expect_warning({FullValueRecord{VariableId{0}, v}}, "deeper than 32");
  expect_warning({ThreadStartRecord{ThreadId{2}}}, "(C11)");
}

TEST(Validate, FolderSideFiles) {
  TempDir dir;
  auto write_events = [&](const std::vector<TraceEvent>& evs) {
    auto sink = open_json_sink(dir.path());
    for (const auto& e : evs)
      ASSERT_TRUE((*sink)->write(e));
    ASSERT_TRUE((*sink)->close());
  };
  write_events(good_prefix());
  // Missing side files.
  auto r = validate_trace(dir.path());
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->error);
  EXPECT_NE(r->error->message.find("trace_metadata.json: missing"), std::string::npos);
  ASSERT_TRUE(write_metadata_file(dir.path(), {make_uuid_v7(), "/p", "/p/demo", {}}));
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/p/main.c"}));
  r = validate_trace(dir.path());
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->error) << r->error->message;
  EXPECT_EQ(r->events, good_prefix().size());
  // Paths file disagreeing with the Path events.
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/p/other.c"}));
  r = validate_trace(dir.path());
  ASSERT_TRUE(r->error);
  EXPECT_NE(r->error->message.find("does not match trace_paths.json"), std::string::npos);
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/p/main.c", "/p/x.c"}));
  r = validate_trace(dir.path());
  ASSERT_TRUE(r->error);
  EXPECT_NE(r->error->message.find("lists 3 paths but the events define 2"), std::string::npos);
  // Bad recording id.
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/p/main.c"}));
  ASSERT_TRUE(
      write_metadata_file(dir.path(), {"01949fcc-7d92-4e9c-aaaa-bbbbbbbbbbbb", "/p", "p", {}}));
  r = validate_trace(dir.path());
  ASSERT_TRUE(r->error);
  EXPECT_NE(r->error->message.find("not a lowercase UUIDv7"), std::string::npos);
  {
    std::ofstream(dir.path() / "trace_metadata.json")
        << R"({"workdir":"/p","program":"p","args":[]})";
  }
  r = validate_trace(dir.path());
  ASSERT_TRUE(r->error);
  EXPECT_NE(r->error->message.find("missing \"recording_id\""), std::string::npos);
  // Malformed event file: an error Status (exit 2), not a report.
  { std::ofstream(dir.path() / "trace.json") << R"([{"Path":""},{"Bad":1}])"; }
  auto bad = validate_trace(dir.path());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("trace.json: offset 13: unknown event variant"),
            std::string::npos)
      << bad.status().message();
}

// A trace.bin written by an older writer: a Float longer than 255 bytes as the
// reference's chunked (indefinite-length) text. The reader accepts it, but
// CodeTracer rejects the whole file, so validate reports an error at that event.
TEST(Validate, ChunkedFloatTextInBinaryTrace) {
  TempDir dir;
  const auto events = good_prefix();
  auto write = [&](bool chunked) {
    auto sink = open_binary_file_sink(dir.path() / "trace.bin", {});
    ASSERT_TRUE(sink);
    for (const auto& e : events)
      ASSERT_TRUE((*sink)->write(e));
    // Value{0, Float{5e-324}}: "0." + 323 zeros + "5" (326 bytes), as the reference
    // writer chunks it (7f [194] [132] ff) or as one definite string (79 01 46).
    const std::string text = "0." + std::string(323, '0') + "5";
    cbor::Bytes item;
    auto raw = [&](std::string_view b) { item.insert(item.end(), b.begin(), b.end()); };
    raw(std::string_view("\xa1\x65Value\xa2\x6bvariable_id\x00\x65value", 27));
    raw("\xa3\x64kind\x65"
        "Float\x61"
        "f");
    auto put_text = [&](std::string_view t) {
      if (t.size() > 255)
        item.insert(item.end(), {0x79, std::uint8_t(t.size() >> 8), std::uint8_t(t.size())});
      else
        item.insert(item.end(), {0x78, std::uint8_t(t.size())});
      item.insert(item.end(), t.begin(), t.end());
    };
    if (chunked) {
      item.push_back(0x7f);
      put_text(std::string_view(text).substr(0, 194));
      put_text(std::string_view(text).substr(194));
      item.push_back(0xff);
    } else {
      put_text(text);
    }
    raw(std::string_view("\x67type_id\x01", 9));
    ASSERT_TRUE((*sink)->write_cbor(item.data(), item.size()));
    ASSERT_TRUE((*sink)->close());
  };
  ASSERT_TRUE(write_metadata_file(dir.path(), {make_uuid_v7(), "/p", "/p/demo", {}}));
  ASSERT_TRUE(write_paths_file(dir.path(), {"", "/p/main.c"}));
  write(false);
  auto r = validate_trace(dir.path());
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_FALSE(r->error) << r->error->message;
  EXPECT_EQ(r->events, events.size() + 1);
  // The same value chunked: both read to the same events, but validate refuses it.
  auto definite = read_all_events(dir.path());
  write(true);
  auto chunked = read_all_events(dir.path());
  ASSERT_TRUE(definite && chunked);
  EXPECT_EQ(*definite, *chunked);
  EXPECT_EQ(std::get<FullValueRecord>(chunked->back()).value,
            ValueRecord::floating(5e-324, TypeId{1}));
  r = validate_trace(dir.path());
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_TRUE(r->error);
  EXPECT_EQ(r->error->event_index, events.size());
  cbor::Bytes prefix;
  for (const auto& e : events)
    ASSERT_TRUE(cbor::encode_event(e, prefix));
  // The offset of the 0x7f byte in the decompressed stream.
  const std::string at = "CBOR offset " + std::to_string(prefix.size() + 27 + 14) + ": ";
  EXPECT_NE(r->error->message.find("event " + std::to_string(events.size()) + " (Value): "),
            std::string::npos)
      << r->error->message;
  EXPECT_NE(r->error->message.find(at + "indefinite-length text string"), std::string::npos)
      << r->error->message;
  EXPECT_NE(r->error->message.find("CodeTracer's reader rejects the whole trace.bin"),
            std::string::npos);
}

TEST(Validate, UuidShape) {
  EXPECT_TRUE(is_uuid_v7("01949fcc-7d92-7e9c-aaaa-bbbbbbbbbbbb"));
  EXPECT_FALSE(is_uuid_v7("01949fcc-7d92-7e9c-caaa-bbbbbbbbbbbb"));
  EXPECT_FALSE(is_uuid_v7("01949FCC-7d92-7e9c-aaaa-bbbbbbbbbbbb"));
  EXPECT_FALSE(is_uuid_v7("01949fcc7d927e9caaaabbbbbbbbbbbb"));
  for (int i = 0; i < 50; ++i)
    EXPECT_TRUE(is_uuid_v7(make_uuid_v7()));
}
