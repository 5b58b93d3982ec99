// CBOR decoder tolerance (TRACE_FORMAT.md §8) and hostile input.
#include <gtest/gtest.h>

#include "trace_record/cbor.h"
#include "vector_files.h"

using namespace trace_record;
using cbor::Bytes;
using cbor::DecodeState;

namespace {

// A small builder for hand-made CBOR.
struct B {
  Bytes b;
  B& raw(std::initializer_list<int> xs) {
    for (int x : xs)
      b.push_back(std::uint8_t(x));
    return *this;
  }
  B& text(std::string_view s) {
    if (s.size() < 24)
      b.push_back(std::uint8_t(0x60 + s.size()));
    else
      raw({0x78, int(s.size())});
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
};

cbor::DecodeResult decode(const Bytes& b, TraceEvent& e) {
  return cbor::decode_event(b, e);
}
cbor::DecodeResult decode(const Bytes& b) {
  TraceEvent e;
  return cbor::decode_event(b, e);
}

Bytes encode(const TraceEvent& e) {
  Bytes out;
  EXPECT_TRUE(cbor::encode_event(e, out).is_ok());
  return out;
}

} // namespace

TEST(CborDecode, KeysInAnyOrderAndUnknownKeysSkipped) {
  // {"Step": {"zz": <tag 1 (float64 1.5)>, "line": 5, "junk": h'0102', "path_id": 2,
  //           "nested": [{"a": [1, -1, null]}, f16, true]}}
  B m;
  m.raw({0xa1}).text("Step").raw({0xa5});
  m.text("zz").raw({0xc1, 0xfb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0});
  m.text("line").raw({0x05});
  m.text("junk").raw({0x42, 0x01, 0x02});
  m.text("path_id").raw({0x02});
  m.text("nested")
      .raw({0x83, 0xa1})
      .text("a")
      .raw({0x83, 0x01, 0x20, 0xf6, 0xf9, 0x3c, 0x00, 0xf5});
  TraceEvent e;
  auto r = decode(m.b, e);
  ASSERT_EQ(r.state, DecodeState::Ok) << r.message;
  EXPECT_EQ(r.consumed, m.b.size());
  EXPECT_EQ(e, TraceEvent(StepRecord{PathId(2), 5}));
}

TEST(CborDecode, ValueRecordKindNotFirst) {
  // Return{return_value: {"type_id": 4, "i": -3, "kind": "Int"}}
  B m;
  m.raw({0xa1}).text("Return").raw({0xa1}).text("return_value").raw({0xa3});
  m.text("type_id").raw({0x04}).text("i").raw({0x22}).text("kind").text("Int");
  TraceEvent e;
  auto r = decode(m.b, e);
  ASSERT_EQ(r.state, DecodeState::Ok) << r.message;
  EXPECT_EQ(e, TraceEvent(ReturnRecord{ValueRecord::integer(-3, TypeId(4))}));
}

TEST(CborDecode, DropLastStepNullAndBare) {
  TraceEvent e;
  B bare;
  bare.text("DropLastStep");
  ASSERT_EQ(decode(bare.b, e).state, DecodeState::Ok);
  EXPECT_TRUE(std::holds_alternative<DropLastStepRecord>(e));
  B null_form;
  null_form.raw({0xa1}).text("DropLastStep").raw({0xf6});
  auto r = decode(null_form.b, e);
  ASSERT_EQ(r.state, DecodeState::Ok) << r.message;
  EXPECT_TRUE(std::holds_alternative<DropLastStepRecord>(e));
  B arr;
  arr.raw({0xa1}).text("DropLastStep").raw({0x80});
  EXPECT_EQ(decode(arr.b).state, DecodeState::Error);
}

TEST(CborDecode, NonShortestHeadsAndIndefiniteText) {
  // {"Path" (as 7f 62 "Pa" 62 "th" ff): "/a.c" with a 2-byte length head}
  Bytes b = {0xa1, 0x7f, 0x62, 'P',  'a', 0x62, 't', 'h',
             0xff, 0x79, 0x00, 0x04, '/', 'a',  '.', 'c'};
  TraceEvent e;
  auto r = decode(b, e);
  ASSERT_EQ(r.state, DecodeState::Ok) << r.message;
  EXPECT_EQ(e, TraceEvent(PathRecord{"/a.c"}));
  // Step with 8-byte heads for the map count and the integers.
  B s;
  s.raw({0xb8, 0x01}).text("Step").raw({0xa2}).text("path_id");
  s.raw({0x1b, 0, 0, 0, 0, 0, 0, 0, 7}).text("line").raw({0x39, 0x00, 0x02});
  ASSERT_EQ(decode(s.b, e).state, DecodeState::Ok);
  EXPECT_EQ(e, TraceEvent(StepRecord{PathId(7), -3}));
}

TEST(CborDecode, Rejections) {
  struct Case {
    const char* name;
    Bytes bytes;
    const char* message_part;
  };
  std::vector<Case> cases;
  {
    B b; // indefinite map as the event wrapper
    b.raw({0xbf}).text("Path").text("/a").raw({0xff});
    cases.push_back({"indefinite wrapper", b.b, "indefinite-length map"});
  }
  {
    B b; // float64 for Float.f
    b.raw({0xa1}).text("Return").raw({0xa1}).text("return_value").raw({0xa3}).text("kind");
    b.text("Float").text("f").raw({0xfb, 0x40, 0x04, 0, 0, 0, 0, 0, 0}).text("type_id").raw({0});
    cases.push_back({"float64 Float.f", b.b, "found a float"});
  }
  {
    B b; // missing field
    b.raw({0xa1}).text("Step").raw({0xa1}).text("path_id").raw({0x01});
    cases.push_back({"missing line", b.b, "missing field 'line'"});
  }
  {
    B b; // Sequence without is_slice
    b.raw({0xa1}).text("Return").raw({0xa1}).text("return_value").raw({0xa3}).text("kind");
    b.text("Sequence").text("elements").raw({0x80}).text("type_id").raw({0});
    cases.push_back({"missing is_slice", b.b, "missing field 'is_slice'"});
  }
  {
    B b; // negative in unsigned field
    b.raw({0xa1}).text("Step").raw({0xa2}).text("path_id").raw({0x20}).text("line").raw({1});
    cases.push_back({"negative path_id", b.b, "negative integer in unsigned field 'path_id'"});
  }
  {
    B b; // TypeKind 34
    b.raw({0xa1}).text("Type").raw({0xa3}).text("kind").raw({0x18, 34}).text("lang_type");
    b.text("x").text("specific_info").raw({0xa1}).text("kind").text("None");
    cases.push_back({"TypeKind 34", b.b, "TypeKind 34 out of range"});
  }
  {
    B b; // EventLogKind 14
    b.raw({0xa1}).text("Event").raw({0xa3}).text("kind").raw({14}).text("metadata").text("");
    b.text("content").text("");
    cases.push_back({"EventLogKind 14", b.b, "EventLogKind 14 out of range"});
  }
  {
    B b;
    b.raw({0xa1}).text("Nope").raw({0});
    cases.push_back({"unknown variant", b.b, "unknown event variant 'Nope'"});
  }
  {
    B b; // second key in the event map
    b.raw({0xa2}).text("ThreadStart").raw({1}).text("ThreadExit").raw({1});
    cases.push_back({"two keys", b.b, "exactly one key"});
  }
  {
    B b; // duplicate field
    b.raw({0xa1}).text("Step").raw({0xa3}).text("path_id").raw({1}).text("line").raw({1});
    b.text("line").raw({2});
    cases.push_back({"duplicate", b.b, "duplicate field 'line'"});
  }
  {
    B b; // i64 overflow
    b.raw({0xa1}).text("Step").raw({0xa2}).text("path_id").raw({1}).text("line");
    b.raw({0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0});
    cases.push_back({"line overflow", b.b, "out of i64 range"});
  }
  {
    B b;
    b.raw({0xa1}).text("Assignment").raw({0xa0});
    cases.push_back({"Assignment", b.b, "Assignment"});
  }
  {
    B b; // invalid float text
    b.raw({0xa1}).text("Return").raw({0xa1}).text("return_value").raw({0xa3}).text("kind");
    b.text("Float").text("f").text(" 2.5").text("type_id").raw({0});
    cases.push_back({"float text", b.b, "invalid float text"});
  }
  {
    B b; // reserved additional info
    b.raw({0xa1}).text("ThreadStart").raw({0x1c});
    cases.push_back({"reserved info", b.b, "invalid CBOR initial byte"});
  }
  cases.push_back({"bare integer", {0x01}, "expected an event"});
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = decode(c.bytes);
    EXPECT_EQ(r.state, DecodeState::Error);
    EXPECT_NE(r.message.find(c.message_part), std::string::npos) << r.message;
    EXPECT_LE(r.error_at, c.bytes.size());
  }
}

TEST(CborDecode, InvalidUtf8ReportsOffset) {
  B b;
  b.raw({0xa1}).text("VariableName").text(std::string("ab\xc3(", 4));
  auto r = decode(b.b);
  ASSERT_EQ(r.state, DecodeState::Error);
  EXPECT_EQ(r.error_at, 1u + 13u + 1u + 2u); // the 0xc3 byte
  EXPECT_NE(r.message.find("invalid UTF-8"), std::string::npos);
}

TEST(CborDecode, EveryProperPrefixNeedsMore) {
  for (const char* file : {"events_every_variant.txt", "valuerecords_and_json_misc.txt"}) {
    for (const auto& blk : test_vectors::read_blocks(file)) {
      if (blk.cbor.empty() || blk.cbor.rfind("ERROR", 0) == 0 || blk.name.rfind("ctt2", 0) == 0)
        continue;
      Bytes full;
      for (std::size_t i = 0; i + 1 < blk.cbor.size(); i += 3)
        full.push_back(std::uint8_t(std::stoi(blk.cbor.substr(i, 2), nullptr, 16)));
      for (std::size_t n = 0; n < full.size(); ++n) {
        TraceEvent e;
        auto r = cbor::decode_event(full.data(), n, e);
        ASSERT_EQ(r.state, DecodeState::NeedMore)
            << blk.name << " prefix " << n << ": " << r.message;
      }
    }
  }
}

TEST(CborDecode, AbsurdLengthsNeverAllocate) {
  // A text claiming 2^63 bytes: rejected by the limit, not allocated.
  Bytes huge = {0xa1, 0x64, 'P', 'a', 't', 'h', 0x7b, 0x80, 0, 0, 0, 0, 0, 0, 0, 'x'};
  auto r = decode(huge);
  EXPECT_EQ(r.state, DecodeState::Error);
  EXPECT_NE(r.message.find("limit"), std::string::npos);
  // 256 MiB claimed, 1 byte present: a valid prefix, so NeedMore.
  Bytes big = {0xa1, 0x64, 'P', 'a', 't', 'h', 0x7a, 0x10, 0, 0, 0, 'x'};
  EXPECT_EQ(decode(big).state, DecodeState::NeedMore);
  // An array claiming 2^20 elements with only one present; 2^64 is over the limit.
  Bytes arr = {0xa1, 0x63, 'A', 's', 'm', 0x9a, 0x00, 0x10, 0x00, 0x00, 0x61, 'a'};
  EXPECT_EQ(decode(arr).state, DecodeState::NeedMore);
  Bytes arr2 = {0xa1, 0x63, 'A', 's', 'm', 0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  EXPECT_EQ(decode(arr2).state, DecodeState::Error);
}

TEST(CborDecode, DeepNestingIsBounded) {
  for (int depth : {200, 100000}) {
    B b;
    b.raw({0xa1}).text("Step").raw({0xa3}).text("path_id").raw({1}).text("line").raw({1});
    b.text("deep");
    for (int i = 0; i < depth; ++i)
      b.raw({0x81});
    b.raw({0x00});
    auto r = decode(b.b);
    if (depth < 250) {
      EXPECT_EQ(r.state, DecodeState::Ok) << r.message;
    } else {
      EXPECT_EQ(r.state, DecodeState::Error);
      EXPECT_NE(r.message.find("nesting"), std::string::npos);
    }
  }
  // Deeply nested ValueRecords (Variant in Variant ...).
  ValueRecord v = ValueRecord::integer(1, TypeId(1));
  for (int i = 0; i < 300; ++i)
    v = value::Variant{"S", v, TypeId(2)};
  const Bytes deep = encode(ReturnRecord{v});
  auto r = decode(deep);
  EXPECT_EQ(r.state, DecodeState::Error);
  EXPECT_NE(r.message.find("nesting"), std::string::npos);
}

TEST(CborDecode, CallWithoutArgsAccepted) {
  B b;
  b.raw({0xa1}).text("Call").raw({0xa1}).text("function_id").raw({3});
  TraceEvent e;
  ASSERT_EQ(decode(b.b, e).state, DecodeState::Ok);
  EXPECT_EQ(e, TraceEvent(CallRecord{FunctionId(3), {}}));
}

TEST(CborEncode, InvalidUtf8IsSanitised) {
  EXPECT_EQ(encode(PathRecord{std::string("a\xff"
                                          "b",
                                          3)}),
            encode(PathRecord{"a\xEF\xBF\xBD"
                              "b"}));
  // Maximal subparts, like from_utf8_lossy: F0 90 80 is one U+FFFD; ED A0 80 is three.
  EXPECT_EQ(encode(VariableNameRecord{std::string("\xF0\x90\x80x", 4)}),
            encode(VariableNameRecord{"\xEF\xBF\xBDx"}));
  EXPECT_EQ(encode(VariableNameRecord{std::string("\xED\xA0\x80", 3)}),
            encode(VariableNameRecord{"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}));
  // The result always decodes.
  TraceEvent e;
  EXPECT_EQ(decode(encode(PathRecord{std::string("\xc0\xc1\xf5\xff", 4)}), e).state,
            DecodeState::Ok);
}

TEST(CborEncode, IntegerHeads) {
  auto step = [](std::int64_t line) {
    Bytes b = encode(StepRecord{PathId(0), line});
    return Bytes(b.begin() + 21, b.end()); // after "line"
  };
  EXPECT_EQ(step(23), (Bytes{0x17}));
  EXPECT_EQ(step(24), (Bytes{0x18, 24}));
  EXPECT_EQ(step(256), (Bytes{0x19, 1, 0}));
  EXPECT_EQ(step(65536), (Bytes{0x1a, 0, 1, 0, 0}));
  EXPECT_EQ(step(std::int64_t(1) << 32), (Bytes{0x1b, 0, 0, 0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(step(-1), (Bytes{0x20}));
  EXPECT_EQ(step(-25), (Bytes{0x38, 24}));
  EXPECT_EQ(step(INT64_MIN), (Bytes{0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
  // u64 max in an unsigned field.
  Bytes t = encode(ThreadStartRecord{ThreadId(~std::uint64_t(0))});
  EXPECT_EQ(Bytes(t.end() - 9, t.end()),
            (Bytes{0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
  TraceEvent e;
  ASSERT_EQ(decode(t, e).state, DecodeState::Ok);
  EXPECT_EQ(e, TraceEvent(ThreadStartRecord{ThreadId(~std::uint64_t(0))}));
}
