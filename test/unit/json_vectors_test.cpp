// JSON encoding and decoding against the golden vectors: every event variant,
// every ValueRecord kind, worked examples, escaping, event kinds, util_testdata.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "test_util.h"
#include "trace_record/json.h"
#include "trace_record/reader.h"
#include "trace_record/sink.h"
#include "trace_record/source.h"
#include "vector_files.h"

using namespace trace_record;

namespace {

std::string J(const TraceEvent& e) {
  auto r = to_json(e);
  EXPECT_TRUE(r);
  return r ? r.value() : std::string();
}

// Decode, check the variant name, re-encode byte-exactly.
void round_trip(const std::string& json, const std::string& label) {
  auto e = parse_json_event(json);
  ASSERT_TRUE(e) << label << ": " << e.status().message();
  auto back = to_json(*e);
  ASSERT_TRUE(back) << label;
  EXPECT_EQ(*back, json) << label;
  // And the decoded event re-decodes to an equal event.
  auto again = parse_json_event(*back);
  ASSERT_TRUE(again);
  EXPECT_TRUE(*again == *e) << label;
}

} // namespace

TEST(JsonVectors, EveryVariant) {
  auto blocks = test_vectors::read_blocks("events_every_variant.txt");
  ASSERT_EQ(blocks.size(), 27u);
  int assignments = 0;
  for (const auto& b : blocks) {
    if (b.json.rfind("ERROR", 0) == 0) {
      ++assignments;
      AssignmentRecord a{VariableId{1}, PassBy::Value, rvalue::Simple{VariableId{2}}};
      if (b.name.find("Compound") != std::string::npos)
        a.from = rvalue::Compound{{VariableId{1}, VariableId{2}}};
      std::string out = "x";
      EXPECT_FALSE(append_json_event(out, a));
      EXPECT_EQ(out, "x"); // nothing appended
      continue;
    }
    std::string variant = b.name.substr(0, b.name.find(' '));
    auto e = parse_json_event(b.json);
    ASSERT_TRUE(e) << b.name << ": " << e.status().message();
    EXPECT_EQ(event_variant_name(*e), variant) << b.name;
    round_trip(b.json, b.name);
  }
  EXPECT_EQ(assignments, 2);
}

TEST(JsonVectors, BuiltEventsMatch) {
  // Events built through the API (not decoded) against the vector lines.
  std::map<std::string, TraceEvent> built = {
      {"Step", StepRecord{PathId{1}, 42}},
      {"Path", PathRecord{"/src/main.rs"}},
      {"VariableName", VariableNameRecord{"x"}},
      {"Variable", VariableRecord{"y"}},
      {"Type None", TypeRecord{TypeKind::Int, "i32", tsi::None{}}},
      {"Type Struct", TypeRecord{TypeKind::Struct, "Point", tsi::Struct{{{"x", TypeId{1}}}}}},
      {"Type Pointer", TypeRecord{TypeKind::Pointer, "*i32", tsi::Pointer{TypeId{1}}}},
      {"ThreadStart", ThreadStartRecord{ThreadId{1}}},
      {"DropLastStep", DropLastStepRecord{}},
  };
  auto blocks = test_vectors::read_blocks("events_every_variant.txt");
  int matched = 0;
  for (const auto& b : blocks) {
    auto it = built.find(b.name);
    if (it == built.end())
      continue;
    EXPECT_EQ(J(it->second), b.json) << b.name;
    ++matched;
  }
  EXPECT_EQ(matched, int(built.size()));

  auto worked = test_vectors::read_blocks("cbor_worked_examples.txt");
  ASSERT_EQ(worked.size(), 4u);
  EXPECT_EQ(J(StepRecord{PathId{0}, 5}), worked[0].json);
  EXPECT_EQ(J(PathRecord{"/a.c"}), worked[1].json);
  EXPECT_EQ(J(DropLastStepRecord{}), worked[2].json);
  EXPECT_EQ(J(FullValueRecord{VariableId{1}, ValueRecord::integer(-3, TypeId{2})}), worked[3].json);
  for (const auto& w : worked)
    round_trip(w.json, w.name);
}

TEST(JsonVectors, EveryValueRecordKind) {
  auto blocks = test_vectors::read_blocks("valuerecords_and_json_misc.txt");
  int n = 0;
  for (const auto& b : blocks) {
    if (b.json.empty())
      continue; // single-line entries
    if (b.name == "ctt2 Char") {
      // A bare ValueRecord: wrap it for the reader, compare the value part.
      std::string wrapped = "{\"Return\":{\"return_value\":" + b.json + "}}";
      auto e = parse_json_event(wrapped);
      ASSERT_TRUE(e) << e.status().message();
      const auto& v = std::get<ReturnRecord>(*e).return_value;
      EXPECT_EQ(std::get<value::Char>(v.v).c, U'é');
      EXPECT_EQ(value_to_json(v), b.json);
      EXPECT_EQ(value_to_json(value::Char{U'é', TypeId{12}}), b.json);
    } else {
      round_trip(b.json, b.name);
    }
    ++n;
  }
  EXPECT_EQ(n, 17);
  // Built values.
  value::BigInt big{{1, 0, 0, 0, 0, 0, 0, 0, 0}, true, TypeId{11}};
  EXPECT_EQ(
      J(ReturnRecord{big}),
      R"({"Return":{"return_value":{"kind":"BigInt","b":"AQAAAAAAAAAA","negative":true,"type_id":11}}})");
  EXPECT_EQ(value_to_json(value::BigInt{{1, 0}, false, TypeId{1}}),
            R"({"kind":"BigInt","b":"AQA=","negative":false,"type_id":1})");
  EXPECT_EQ(value_to_json(ValueRecord::integer(INT64_MIN, TypeId{1})),
            R"({"kind":"Int","i":-9223372036854775808,"type_id":1})");
  EXPECT_EQ(
      value_to_json(
          value::Reference{ValueRecord::integer(1, TypeId{1}), UINT64_MAX, true, TypeId{9}}),
      R"({"kind":"Reference","dereferenced":{"kind":"Int","i":1,"type_id":1},"address":18446744073709551615,"mutable":true,"type_id":9})");
}

TEST(JsonVectors, EscapingAndEventKinds) {
  std::string misc = test_vectors::read_file(test_vectors::path("valuerecords_and_json_misc.txt"));
  auto rest_of = [&](const std::string& label) {
    auto p = misc.find(label);
    EXPECT_NE(p, std::string::npos);
    p += label.size();
    return misc.substr(p, misc.find('\n', p) - p);
  };
  std::string esc = rest_of("### escaping JSON: ");
  EXPECT_EQ(J(VariableNameRecord{"q\"\\/\n\t\x01\x7f<é€😀"}), esc);
  round_trip(esc, "escaping");
  std::istringstream kinds(rest_of("### event kinds: "));
  std::string one;
  unsigned k = 0;
  while (kinds >> one) {
    EXPECT_EQ(J(RecordEvent{EventLogKind(k), "m", "c"}), one);
    round_trip(one, "event kind " + std::to_string(k));
    ++k;
  }
  EXPECT_EQ(k, 14u);
  // All other control characters: lowercase \u00XX.
  EXPECT_EQ(J(PathRecord{std::string("\x1b\x7f\b\f\r", 5)}), "{\"Path\":\"\\u001b\x7f\\b\\f\\r\"}");
  EXPECT_EQ(J(PathRecord{std::string("\0", 1)}), R"({"Path":"\u0000"})");
}

TEST(JsonVectors, InvalidUtf8IsSanitised) {
  // Maximal invalid subparts each become one U+FFFD (from_utf8_lossy).
  EXPECT_EQ(J(PathRecord{"a\xff"
                         "b"}),
            "{\"Path\":\"a\xEF\xBF\xBD"
            "b\"}");
  EXPECT_EQ(J(PathRecord{"\xE2\x82"}), "{\"Path\":\"\xEF\xBF\xBD\"}"); // truncated €
  EXPECT_EQ(J(PathRecord{"\xF0\x9F\x98"
                         "x"}),
            "{\"Path\":\"\xEF\xBF\xBDx\"}");
  EXPECT_EQ(J(PathRecord{"\xED\xA0\x80"}), // surrogate: 3 separate invalid bytes
            "{\"Path\":\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"}");
  EXPECT_EQ(J(PathRecord{"\xC0\xAF"}), "{\"Path\":\"\xEF\xBF\xBD\xEF\xBF\xBD\"}");
}

TEST(JsonVectors, UtilTestdataNormalizes) {
  // The pretty input is the json block of vectors/README.md.
  std::string readme = test_vectors::read_file(test_vectors::path("README.md"));
  auto s = readme.find("```json\n[");
  ASSERT_NE(s, std::string::npos);
  s += 8;
  std::string input = readme.substr(s, readme.find("```", s) - s);
  auto src = open_json_source_from_string(input, "util_testdata");
  TempDir dir;
  auto sink = open_json_sink(dir.path());
  ASSERT_TRUE(sink);
  TraceEvent e;
  int n = 0;
  ReadState st;
  while ((st = src->next(e)) == ReadState::Event) {
    ASSERT_TRUE((*sink)->write(e));
    ++n;
  }
  ASSERT_EQ(st, ReadState::End) << src->message();
  ASSERT_TRUE((*sink)->close());
  EXPECT_EQ(n, 10);
  EXPECT_EQ(test_vectors::read_file(dir.path() / "trace.json"),
            test_vectors::read_file(test_vectors::path("util_testdata.normalized.json")));
  // The per-event lines of util_testdata.txt too.
  std::istringstream lines(test_vectors::read_file(test_vectors::path("util_testdata.txt")));
  std::string line;
  int per_event = 0;
  while (std::getline(lines, line)) {
    auto bar = line.find(" | ");
    if (line.empty() || line[0] != '{' || bar == std::string::npos)
      continue;
    round_trip(line.substr(0, bar), line);
    ++per_event;
  }
  EXPECT_EQ(per_event, 10);
}
