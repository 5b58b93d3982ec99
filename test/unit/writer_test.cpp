// TraceWriter: contract sequences, interning, refusals, side files.
#include "trace_record/writer.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

#include "test_util.h"
#include "trace_record/json.h"
#include "trace_record/source.h"
#include "vector_files.h"

using namespace trace_record;

namespace {

// The worked example of CONSUMER_CONTRACT §8 (docs/consumer-contract.md) driven through the API.
void write_worked_example(TraceWriter& w) {
  w.start();
  const std::string main_c = "/home/user/demo/main.c";
  FunctionId fmain = w.ensure_function_id("main", main_c, 8);
  w.register_call(fmain);
  w.register_step(main_c, 9);
  TypeId t_int = w.ensure_type_id(TypeKind::Int, "int");
  w.register_variable("x", ValueRecord::integer(0, t_int));
  w.register_variable("r", ValueRecord::integer(0, t_int));
  w.register_step(main_c, 10);
  w.register_variable("x", ValueRecord::integer(3, t_int));
  w.register_variable("r", ValueRecord::integer(0, t_int));
  FunctionId fadd = w.ensure_function_id("add", main_c, 3);
  auto a = w.arg("a", ValueRecord::integer(3, t_int));
  auto b = w.arg("b", ValueRecord::integer(4, t_int));
  w.register_call(fadd, {a, b});
  w.register_step(main_c, 4);
  w.register_value(a.variable_id, ValueRecord::integer(3, t_int));
  w.register_value(b.variable_id, ValueRecord::integer(4, t_int));
  w.register_variable("sum", ValueRecord::integer(0, t_int));
  w.register_step(main_c, 5);
  w.register_variable("a", ValueRecord::integer(3, t_int));
  w.register_variable("b", ValueRecord::integer(4, t_int));
  w.register_variable("sum", ValueRecord::integer(7, t_int));
  w.register_return(ValueRecord::integer(7, t_int));
  w.register_step(main_c, 11);
  w.register_variable("x", ValueRecord::integer(3, t_int));
  w.register_variable("r", ValueRecord::integer(7, t_int));
  w.register_special_event(EventLogKind::Write, "7\n");
  w.register_step(main_c, 12);
  w.register_variable("x", ValueRecord::integer(3, t_int));
  w.register_variable("r", ValueRecord::integer(7, t_int));
  w.register_return(ValueRecord::integer(0, t_int));
}

} // namespace

TEST(Writer, WorkedExampleMatchesContract) {
  TempDir dir;
  TraceMetadata md;
  md.recording_id = "01949fcc-7d92-7e9c-aaaa-bbbbbbbbbbbb";
  md.workdir = "/home/user/demo";
  md.program = "/home/user/demo/demo";
  auto w = TraceWriter::create(dir.path(), md);
  ASSERT_TRUE(w) << w.status().message();
  write_worked_example(**w);
  ASSERT_TRUE((*w)->finish()) << (*w)->status().message();
  std::string json = test_vectors::read_file(dir.path() / "trace.json");
  EXPECT_EQ(json.size(), 2078u);
  // The event list of CONSUMER_CONTRACT §8, one element per line in a json block.
  std::string spec = test_vectors::read_file(test_vectors::doc_path("consumer-contract.md"));
  auto start = spec.find("```json\n{\"Path\":\"\"}");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  auto end = spec.find("```", start);
  std::string expect = "[";
  std::istringstream lines(spec.substr(start, end - start));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty())
      continue;
    if (expect.size() > 1)
      expect += ',';
    expect += line;
  }
  expect += ']';
  EXPECT_EQ(json, expect);
  EXPECT_EQ(
      test_vectors::read_file(dir.path() / "trace_metadata.json"),
      R"({"recording_id":"01949fcc-7d92-7e9c-aaaa-bbbbbbbbbbbb","workdir":"/home/user/demo","program":"/home/user/demo/demo","args":[]})");
  EXPECT_EQ(test_vectors::read_file(dir.path() / "trace_paths.json"),
            R"(["","/home/user/demo/main.c"])");
  EXPECT_EQ((*w)->events_written(), 40u);
  EXPECT_EQ((*w)->steps_written(), 8u);
}

TEST(Writer, MetadataVectorWithInjectedId) {
  // valuerecords_and_json_misc.txt: "ctt2 TraceMetadata JSON" and "paths JSON".
  std::string misc = test_vectors::read_file(test_vectors::path("valuerecords_and_json_misc.txt"));
  auto line_after = [&](const std::string& label) {
    auto p = misc.find(label);
    EXPECT_NE(p, std::string::npos) << label;
    auto s = misc.find_first_of("[{", p + label.size());
    auto e = misc.find('\n', s);
    return misc.substr(s, e - s);
  };
  std::string expect = line_after("ctt2 TraceMetadata JSON");
  // Take the fields from the vector itself: it is our own output that must match.
  std::smatch m;
  std::string re =
      R"re(\{"recording_id":"([^"]*)","workdir":"([^"]*)","program":"([^"]*)","args":\[(.*)\]\})re";
  ASSERT_TRUE(std::regex_match(expect, m, std::regex(re))) << expect;
  TraceMetadata md{m[1], m[2], m[3], {}};
  std::string args = m[4];
  std::regex item(R"re("([^"]*)")re");
  for (auto it = std::sregex_iterator(args.begin(), args.end(), item); it != std::sregex_iterator();
       ++it)
    md.args.push_back((*it)[1]);
  EXPECT_EQ(metadata_to_json(md), expect);
  TempDir dir;
  ASSERT_TRUE(write_metadata_file(dir.path(), md));
  EXPECT_EQ(test_vectors::read_file(dir.path() / "trace_metadata.json"), expect);
}

TEST(Writer, UuidV7Shape) {
  std::regex re("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::string a = make_uuid_v7(), b = make_uuid_v7();
  EXPECT_TRUE(std::regex_match(a, re)) << a;
  EXPECT_NE(a, b);
}

TEST(Writer, FinishGeneratesIdAndDefaultsWorkdir) {
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), TraceMetadata{"", "", "/bin/p", {"x"}});
  ASSERT_TRUE(w);
  (*w)->start();
  ASSERT_TRUE((*w)->finish());
  EXPECT_TRUE((*w)->finish()); // idempotent
  std::string md = test_vectors::read_file(dir.path() / "trace_metadata.json");
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
  EXPECT_NE(md.find("\"workdir\":\"" + std::string(cwd) + "\""), std::string::npos) << md;
  EXPECT_TRUE(std::regex_search(md, std::regex(R"(^\{"recording_id":"[0-9a-f-]{36}",)")));
  EXPECT_TRUE(md.ends_with(R"("program":"/bin/p","args":["x"]})"));
}

TEST(Writer, TypeNoneIsAlwaysTypeZero) {
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), {});
  ASSERT_TRUE(w);
  TypeId t = (*w)->ensure_type_id(TypeKind::Int, "int"); // before start()
  EXPECT_EQ(t.value, 1u);
  (*w)->start();
  EXPECT_EQ((*w)->find_type_id("None")->value, 0u);
  EXPECT_EQ((*w)->ensure_type_id(TypeKind::Int, "int").value, 1u);
  EXPECT_EQ((*w)->next_type_id().value, 2u);
  ASSERT_TRUE((*w)->finish());
  std::string json = test_vectors::read_file(dir.path() / "trace.json");
  EXPECT_TRUE(json.starts_with(
      R"([{"Type":{"kind":30,"lang_type":"None","specific_info":{"kind":"None"}}},{"Type":{"kind":7,"lang_type":"int")"))
      << json;
}

TEST(Writer, ReferenceParityStart) {
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), {});
  ASSERT_TRUE(w);
  (*w)->start("/p/main.rs", 1);
  ASSERT_TRUE((*w)->finish());
  EXPECT_EQ(
      test_vectors::read_file(dir.path() / "trace.json"),
      R"([{"Path":"/p/main.rs"},{"Function":{"path_id":0,"line":1,"name":"<toplevel>"}},{"Call":{"function_id":0,"args":[]}},{"Type":{"kind":30,"lang_type":"None","specific_info":{"kind":"None"}}}])");
}

TEST(Writer, InterningIsByPositionAndKeyedByName) {
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), {});
  ASSERT_TRUE(w);
  auto& tw = **w;
  tw.start();
  EXPECT_EQ(tw.ensure_path_id("/a.c").value, 1u);
  EXPECT_EQ(tw.ensure_path_id("/b.c").value, 2u);
  EXPECT_EQ(tw.ensure_path_id("/a.c").value, 1u);
  EXPECT_EQ(tw.ensure_function_id("f", "/a.c", 3).value, 1u);
  EXPECT_EQ(tw.ensure_function_id("f", "/c.c", 9).value, 1u); // keyed by name only
  EXPECT_EQ(tw.paths().size(), 3u);                           // /c.c not interned
  EXPECT_EQ(tw.ensure_variable_id("x").value, 0u);
  EXPECT_EQ(tw.ensure_variable_id("y").value, 1u);
  EXPECT_EQ(tw.ensure_variable_id("x").value, 0u);
  TypeRecord pt{TypeKind::Pointer, "int*", tsi::Pointer{TypeId{0}}};
  EXPECT_EQ(tw.ensure_raw_type_id(pt).value, 1u);
  EXPECT_EQ(tw.ensure_type_id(TypeKind::Int, "int*").value, 1u); // keyed by lang_type
  EXPECT_TRUE(tw.finish());
  EXPECT_EQ(test_vectors::read_file(dir.path() / "trace_paths.json"), R"(["","/a.c","/b.c"])");
}

TEST(Writer, RefusesAssignmentAlways) {
  TempDir dir;
  WriterOptions opt;
  opt.allow_unloadable_events = true;
  auto w = TraceWriter::create(dir.path(), {}, opt);
  ASSERT_TRUE(w);
  EXPECT_FALSE((*w)->assign(VariableId{0}, PassBy::Value, rvalue::Simple{VariableId{1}}));
  (*w)->emit(AssignmentRecord{});
  EXPECT_FALSE((*w)->status());
  EXPECT_NE((*w)->status().message().find("Assignment"), std::string::npos);
  EXPECT_EQ((*w)->events_written(), 0u);
}

TEST(Writer, RefusesUnloadableEventsUnlessAllowed) {
  TraceFormat format = TraceFormat::Json;
  auto attempt = [&format](bool allow, auto&& body) {
    TempDir dir;
    WriterOptions opt;
    opt.format = format; // binary: the in-place path (writer.h) must refuse them too
    opt.allow_unloadable_events = allow;
    auto w = TraceWriter::create(dir.path(), {}, opt);
    EXPECT_TRUE(w);
    (*w)->start();
    (*w)->register_step("/a.c", 1);
    body(**w);
    return (*w)->status().is_ok();
  };
  auto cases = std::vector<std::function<void(TraceWriter&)>>{
      [](TraceWriter& w) { w.drop_last_step(); },
      [](TraceWriter& w) { w.bind_variable(VariableId{0}, 1); },
      [](TraceWriter& w) { w.drop_variables({VariableId{0}}); },
      [](TraceWriter& w) { w.drop_variable(VariableId{0}); },
      [](TraceWriter& w) { w.cell_value(1, ValueRecord::none()); },
      [](TraceWriter& w) { w.compound_value(1, ValueRecord::none()); },
      [](TraceWriter& w) { w.assign_compound_item(1, 0, 2); },
      [](TraceWriter& w) { w.assign_cell(1, ValueRecord::none()); },
      [](TraceWriter& w) { w.variable_cell(VariableId{0}, 1); },
      [](TraceWriter& w) { w.register_variable("c", value::Cell{3}); },
      [](TraceWriter& w) { w.register_return(); }, // return from the root
      // Cells inside the hot events (the direct, TraceEvent-free path).
      [](TraceWriter& w) {
        w.register_value(w.ensure_variable_id("s"),
                         value::Sequence{{ValueRecord::none(), value::Cell{2}}, false, TypeId{}});
      },
      [](TraceWriter& w) {
        FunctionId f = w.ensure_function_id("f", "/a.c", 3);
        w.register_call(f, {w.arg("x", value::Cell{1})});
      },
      [](TraceWriter& w) {
        FunctionId f = w.ensure_function_id("f", "/a.c", 3);
        w.register_call(f);
        w.register_return(value::Struct{{value::Cell{1}}, TypeId{}});
      },
  };
  for (TraceFormat f : {TraceFormat::Json, TraceFormat::Binary}) {
    format = f;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      EXPECT_FALSE(attempt(false, cases[i])) << "case " << i << " format " << int(f);
      EXPECT_TRUE(attempt(true, cases[i])) << "case " << i << " format " << int(f);
    }
  }
}

TEST(Writer, RefusesAsmBeforeFirstStepAndUndefinedIds) {
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), {});
  ASSERT_TRUE(w);
  (*w)->start();
  (*w)->register_asm({"nop"});
  EXPECT_FALSE((*w)->status());
  EXPECT_NE((*w)->status().message().find("Asm"), std::string::npos);
  auto events = (*w)->events_written();
  (*w)->register_step("/a.c", 1); // dropped after an error
  EXPECT_EQ((*w)->events_written(), events);

  TempDir dir2;
  auto w2 = TraceWriter::create(dir2.path(), {});
  (*w2)->start();
  (*w2)->register_call_only(FunctionId{7});
  EXPECT_FALSE((*w2)->status());
  EXPECT_NE((*w2)->status().message().find("C1"), std::string::npos);

  TempDir dir3;
  auto w3 = TraceWriter::create(dir3.path(), {});
  (*w3)->start();
  (*w3)->register_step(PathId{5}, 1);
  EXPECT_FALSE((*w3)->status());
  EXPECT_NE((*w3)->status().message().find("PathId 5"), std::string::npos);
  EXPECT_EQ((*w3)->steps_written(), 0u);

  TempDir dir4;
  auto w4 = TraceWriter::create(dir4.path(), {});
  (*w4)->register_return(ValueRecord::integer(1, TypeId{}));
  EXPECT_NE((*w4)->status().message().find("C6"), std::string::npos);
}

TEST(Writer, AsmAfterStepIsWritten) {
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), {});
  (*w)->start();
  (*w)->register_step("/a.c", 2);
  (*w)->register_asm({"mov eax, 1", "ret"});
  ASSERT_TRUE((*w)->finish()) << (*w)->status().message();
  EXPECT_TRUE(test_vectors::read_file(dir.path() / "trace.json")
                  .ends_with(R"({"Asm":["mov eax, 1","ret"]}])"));
}

TEST(Writer, CopySourceFiles) {
  TempDir src;
  std::string file = (src.path() / "x.c").string();
  { std::ofstream(file) << "int main(){}\n"; }
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), {});
  (*w)->start();
  (*w)->register_step(file, 1);
  (*w)->register_step("/nonexistent/zzz.c", 1);
  std::vector<std::string> warnings;
  ASSERT_TRUE((*w)->copy_source_files(&warnings));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("/nonexistent/zzz.c"), std::string::npos);
  EXPECT_EQ(test_vectors::read_file(dir.path() / "files" / file.substr(1)), "int main(){}\n");
}

TEST(Writer, EmptyTraceIsEmptyArray) {
  TempDir dir;
  {
    auto w = TraceWriter::create(dir.path(), {});
    ASSERT_TRUE(w);
  } // destructor finishes
  EXPECT_EQ(test_vectors::read_file(dir.path() / "trace.json"), "[]");
  EXPECT_EQ(test_vectors::read_file(dir.path() / "trace_paths.json"), "[]");
}

TEST(Writer, AnyDepthZeroCallIsTheRoot) {
  TempDir dir;
  auto w = TraceWriter::create(dir.path(), {});
  ASSERT_TRUE(w);
  auto& t = **w;
  t.ensure_type_id(TypeKind::None, "None");
  FunctionId f = t.ensure_function_id("main", "/a.c", 1);
  t.register_call_only(f); // no start(): main is the root
  t.register_step("/a.c", 2);
  t.register_return();
  EXPECT_FALSE(t.status());
  EXPECT_NE(t.status().message().find("root call (C3)"), std::string::npos);
}

namespace {
std::vector<TraceEvent> read_events(const std::filesystem::path& file) {
  std::vector<TraceEvent> events;
  auto src = open_event_source(file);
  EXPECT_TRUE(src.is_ok()) << src.status().message();
  if (!src)
    return events;
  TraceEvent e;
  while ((*src)->next(e) == ReadState::Event)
    events.push_back(e);
  return events;
}
} // namespace

// The direct paths (register_step/value/call/return without a TraceEvent, encoded in
// place in binary) write the same events as emit().
TEST(Writer, DirectPathsWriteTheSameEventsInBothFormats) {
  std::vector<TraceEvent> expected;
  std::vector<TraceEvent> got[2];
  for (int format = 0; format < 2; ++format) {
    TempDir dir;
    WriterOptions opt;
    opt.format = format == 0 ? TraceFormat::Json : TraceFormat::Binary;
    auto w = TraceWriter::create(dir.path(), {}, opt);
    ASSERT_TRUE(w);
    (*w)->start();
    TypeId t_int = (*w)->ensure_type_id(TypeKind::Int, "int");
    FunctionId f = (*w)->ensure_function_id("f", "/a.c", 10);
    FunctionId g = (*w)->ensure_function_id("g", "/b.c", 20);
    VariableId x = (*w)->ensure_variable_id("x");
    for (int i = 0; i < 300; ++i) {
      (*w)->register_call(i % 3 ? f : g);
      (*w)->register_step(PathId{1}, 11 + i);
      (*w)->register_value(x, ValueRecord::integer(i - 150, t_int));
      if (i % 5 == 0)
        (*w)->register_call(f, {FullValueRecord{x, ValueRecord::boolean(i % 2, t_int)}});
      (*w)->register_return(ValueRecord::integer(i, t_int));
      if (i % 5 == 0)
        (*w)->register_return();
    }
    ASSERT_TRUE((*w)->finish().is_ok()) << (*w)->status().message();
    EXPECT_EQ((*w)->steps_written(), 300u + 300u + 60u);
    got[format] = read_events(dir.path() / (format == 0 ? "trace.json" : "trace.bin"));
  }
  ASSERT_FALSE(got[0].empty());
  EXPECT_TRUE(got[0] == got[1]);
  // Spot checks: every entry is the function's declaration Step, then its Call.
  std::size_t calls = 0;
  for (std::size_t i = 1; i < got[1].size(); ++i) {
    if (const auto* c = std::get_if<CallRecord>(&got[1][i]); c && c->function_id.value != 0) {
      ++calls;
      const auto* s = std::get_if<StepRecord>(&got[1][i - 1]);
      ASSERT_NE(s, nullptr);
      EXPECT_EQ(s->line, c->function_id.value == 1 ? 10 : 20);
    }
  }
  EXPECT_EQ(calls, 360u);
}

// The binary writer encodes the hot events in place (EventSink::direct_buffer);
// a size-based flush policy turns that off. Both must write the same bytes, count
// the same events and steps, and refuse the same events with the same message,
// across many frame handovers (frames of 4 KiB, jobs of 256 KiB).
TEST(Writer, InPlaceEncodingWritesWhatTheCheckedPathWrites) {
  struct Outcome {
    std::string bytes, error;
    std::uint64_t events = 0, steps = 0;
  };
  auto run = [](bool in_place, int ending) {
    TempDir dir;
    WriterOptions opt;
    opt.format = TraceFormat::Binary;
    opt.frame_policy.frame_size = 4096;
    if (!in_place)
      opt.frame_policy.flush_every_bytes = std::size_t(1) << 50; // never reached
    auto w = TraceWriter::create(dir.path(), {}, opt);
    EXPECT_TRUE(w);
    TraceWriter& tw = **w;
    tw.start();
    const TypeId t_int = tw.ensure_type_id(TypeKind::Int, "int");
    const TypeId t_str = tw.ensure_type_id(TypeKind::String, "char *");
    const FunctionId f = tw.ensure_function_id("f", "/a.c", 10);
    const VariableId x = tw.ensure_variable_id("x");
    const VariableId s = tw.ensure_variable_id("s");
    for (int i = 0; i < 20000; ++i) {
      tw.register_step(PathId{1}, 11 + i % 7);
      tw.register_value(x, ValueRecord::integer(i * 977 - 5000, t_int));
      if (i % 3 == 0)
        tw.register_value(s, ValueRecord::string("s" + std::to_string(i), t_str));
      if (i % 4 == 0) {
        tw.register_call(f, {FullValueRecord{x, ValueRecord::integer(i, t_int)},
                             FullValueRecord{s, ValueRecord::string("\xff", t_str)}});
        if (i % 8 == 0)
          tw.register_step(tw.ensure_path_id("/p" + std::to_string(i % 64)), 1);
        tw.register_return(i % 16 ? ValueRecord::integer(i, t_int) : ValueRecord::none());
      }
    }
    switch (ending) { // each refused, then nothing more is written
    case 1:
      tw.register_step(PathId{999}, 1);
      break;
    case 2:
      tw.register_value(x, value::Cell{1});
      break;
    case 3:
      tw.register_return(); // from the root
      break;
    case 4:
      tw.register_call(FunctionId{77});
      break;
    default:
      break;
    }
    tw.register_step(PathId{1}, 5);
    tw.register_value(x, ValueRecord::integer(1, t_int));
    Outcome o;
    o.error = tw.status().is_ok() ? "" : tw.status().message();
    (void)tw.finish();
    if (ending == 5) { // after finish
      tw.register_step(PathId{1}, 6);
      o.error = tw.status().message();
    }
    o.events = tw.events_written();
    o.steps = tw.steps_written();
    o.bytes = test_vectors::read_file(dir.path() / "trace.bin");
    return o;
  };
  for (int ending = 0; ending <= 5; ++ending) {
    const Outcome a = run(true, ending), b = run(false, ending);
    EXPECT_GT(a.bytes.size(), 100000u);
    EXPECT_TRUE(a.bytes == b.bytes) << "ending " << ending;
    EXPECT_EQ(a.events, b.events) << "ending " << ending;
    EXPECT_EQ(a.steps, b.steps) << "ending " << ending;
    EXPECT_EQ(a.error, b.error) << "ending " << ending;
    EXPECT_EQ(a.error.empty(), ending == 0) << a.error;
  }
}

// encode_value + register_encoded_value write what register_value writes, with the
// in-place path on and off; the JSON writer and values that break loading are not
// encoded; an encoded value after finish() is refused like any event.
TEST(Writer, EncodedValuesAreTheValueEvents) {
  const ValueRecord s = value::Struct{
      {ValueRecord::integer(-3, TypeId{1}), ValueRecord::string("n\xc3\xa9", TypeId{2}),
       value::Reference{ValueRecord::integer(7, TypeId{1}), 0x1000, true, TypeId{3}}},
      TypeId{4}};
  std::string bytes[2][2]; // [in place][encoded]
  for (int in_place = 0; in_place < 2; ++in_place) {
    for (int encoded = 0; encoded < 2; ++encoded) {
      TempDir dir;
      WriterOptions opt;
      opt.format = TraceFormat::Binary;
      opt.frame_policy.frame_size = 512;
      if (!in_place)
        opt.frame_policy.flush_every_bytes = std::size_t(1) << 50;
      auto w = TraceWriter::create(dir.path(), {}, opt);
      ASSERT_TRUE(w);
      TraceWriter& tw = **w;
      tw.start();
      const VariableId x = tw.ensure_variable_id("x");
      std::vector<std::uint8_t> event;
      ASSERT_TRUE(tw.encode_value(x, s, event));
      std::vector<std::uint8_t> cell_event = {1, 2, 3};
      EXPECT_FALSE(tw.encode_value(x, value::Cell{1}, cell_event));
      EXPECT_EQ(cell_event, (std::vector<std::uint8_t>{1, 2, 3}));
      for (int i = 0; i < 2000; ++i) {
        tw.register_step("/a.c", 1 + i % 9);
        if (encoded)
          tw.register_encoded_value(event);
        else
          tw.register_value(x, s);
      }
      // Path "", Function, Call, Type None, VariableName x, Path /a.c, then 2000 x 2.
      EXPECT_EQ(tw.events_written(), 6u + 2u * 2000u);
      ASSERT_TRUE(tw.finish()) << tw.status().message();
      tw.register_encoded_value(event);
      EXPECT_NE(tw.status().message().find("after finish"), std::string::npos);
      bytes[in_place][encoded] = test_vectors::read_file(dir.path() / "trace.bin");
    }
  }
  EXPECT_GT(bytes[0][0].size(), 1000u);
  EXPECT_TRUE(bytes[0][0] == bytes[0][1]);
  EXPECT_TRUE(bytes[1][0] == bytes[1][1]);
  EXPECT_TRUE(bytes[0][0] == bytes[1][0]);

  TempDir dir;
  auto json = TraceWriter::create(dir.path(), {});
  ASSERT_TRUE(json);
  std::vector<std::uint8_t> event;
  EXPECT_FALSE((*json)->encode_value(VariableId{0}, s, event));
  EXPECT_TRUE(event.empty());
}
