// CBOR encoder/decoder against the golden vectors (TRACE_FORMAT.md §5).
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "trace_record/cbor.h"
#include "trace_record/float_text.h"
#include "trace_record/json.h"
#include "vector_files.h"

using namespace trace_record;

namespace {

cbor::Bytes from_hex(std::string_view h) {
  cbor::Bytes out;
  int hi = -1;
  for (char c : h) {
    int v;
    if (c >= '0' && c <= '9')
      v = c - '0';
    else if (c >= 'a' && c <= 'f')
      v = c - 'a' + 10;
    else
      continue;
    if (hi < 0)
      hi = v;
    else
      out.push_back(std::uint8_t(hi * 16 + v)), hi = -1;
  }
  return out;
}

std::string to_hex(const cbor::Bytes& b) {
  std::string s;
  char buf[4];
  for (auto x : b) {
    std::snprintf(buf, sizeof buf, "%02x", x);
    s += buf;
  }
  return s;
}

cbor::Bytes encode(const TraceEvent& e) {
  cbor::Bytes out;
  EXPECT_TRUE(cbor::encode_event(e, out).is_ok());
  return out;
}

// Decodes every CBOR line of a block file and re-encodes it byte-exactly.
void round_trip_blocks(const std::string& file, std::size_t min_blocks) {
  std::size_t checked = 0;
  for (const auto& b : test_vectors::read_blocks(file)) {
    SCOPED_TRACE(file + ": " + b.name);
    if (b.cbor.empty())
      continue; // JSON-only entries
    if (b.cbor.rfind("ERROR", 0) == 0)
      continue; // Assignment: see AssignmentIsRefused
    const cbor::Bytes bytes = from_hex(b.cbor);
    cbor::Bytes again;
    if (b.name.rfind("ctt2 Char", 0) == 0) { // a bare ValueRecord
      ValueRecord v;
      auto r = cbor::decode_value(bytes.data(), bytes.size(), v);
      ASSERT_EQ(r.state, cbor::DecodeState::Ok) << r.message;
      EXPECT_EQ(r.consumed, bytes.size());
      cbor::encode_value(v, again);
    } else {
      TraceEvent e;
      auto r = cbor::decode_event(bytes, e);
      ASSERT_EQ(r.state, cbor::DecodeState::Ok) << r.message;
      EXPECT_EQ(r.consumed, bytes.size());
      again = encode(e);
      // Decoding the re-encoded bytes gives the same event.
      TraceEvent e2;
      ASSERT_EQ(cbor::decode_event(again, e2).state, cbor::DecodeState::Ok);
      EXPECT_EQ(e, e2);
    }
    EXPECT_EQ(to_hex(again), to_hex(bytes));
    ++checked;
  }
  EXPECT_GE(checked, min_blocks);
}

} // namespace

TEST(CborVectors, WorkedExamplesRoundTrip) {
  round_trip_blocks("cbor_worked_examples.txt", 4);
}
TEST(CborVectors, EveryVariantRoundTrip) {
  round_trip_blocks("events_every_variant.txt", 24);
}
TEST(CborVectors, ValueRecordsRoundTrip) {
  round_trip_blocks("valuerecords_and_json_misc.txt", 17);
}

TEST(CborVectors, WorkedExamplesFromBuiltEvents) {
  const auto blocks = test_vectors::read_blocks("cbor_worked_examples.txt");
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(encode(StepRecord{PathId(0), 5}), from_hex(blocks[0].cbor));
  EXPECT_EQ(encode(PathRecord{"/a.c"}), from_hex(blocks[1].cbor));
  EXPECT_EQ(encode(DropLastStepRecord{}), from_hex(blocks[2].cbor));
  EXPECT_EQ(encode(FullValueRecord{VariableId(1), ValueRecord::integer(-3, TypeId(2))}),
            from_hex(blocks[3].cbor));
}

TEST(CborVectors, BuiltValueRecords) {
  std::map<std::string, std::string> cbor;
  for (const auto& b : test_vectors::read_blocks("valuerecords_and_json_misc.txt"))
    cbor[b.name] = b.cbor;
  auto ret = [](ValueRecord v) { return encode(ReturnRecord{std::move(v)}); };
  EXPECT_EQ(ret(ValueRecord::integer(INT64_MIN, TypeId(1))), from_hex(cbor["Int big"]));
  EXPECT_EQ(ret(ValueRecord::floating(2.5, TypeId(2))), from_hex(cbor["Float"]));
  EXPECT_EQ(ret(value::BigInt{{1, 0, 0, 0, 0, 0, 0, 0, 0}, true, TypeId(11)}),
            from_hex(cbor["BigInt"]));
  EXPECT_EQ(ret(value::BigInt{{}, false, TypeId(11)}), from_hex(cbor["BigInt empty"]));
  EXPECT_EQ(
      ret(value::Reference{ValueRecord::integer(1, TypeId(1)), 0xdeadbeefcafe, true, TypeId(9)}),
      from_hex(cbor["Reference"]));
  cbor::Bytes ch;
  cbor::encode_value(value::Char{U'é', TypeId(12)}, ch);
  EXPECT_EQ(ch, from_hex(cbor["ctt2 Char"]));
}

TEST(CborVectors, AssignmentIsRefused) {
  cbor::Bytes out = {1, 2, 3};
  const auto s = cbor::encode_event(
      AssignmentRecord{VariableId(1), PassBy::Value, rvalue::Simple{VariableId(2)}}, out);
  EXPECT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("Assignment"), std::string::npos);
  EXPECT_EQ(out, (cbor::Bytes{1, 2, 3}));
  EXPECT_FALSE(cbor::encode_event(AssignmentRecord{VariableId(1), PassBy::Reference,
                                                   rvalue::Compound{{VariableId(2)}}},
                                  out)
                   .is_ok());
}

TEST(CborVectors, EventKindsAllEncodable) {
  // All 14 EventLogKinds round-trip; the decoder accepts each.
  for (unsigned k = 0; k < kEventLogKindCount; ++k) {
    const TraceEvent e = RecordEvent{EventLogKind(k), "m", "c"};
    const auto bytes = encode(e);
    TraceEvent back;
    ASSERT_EQ(cbor::decode_event(bytes, back).state, cbor::DecodeState::Ok);
    EXPECT_EQ(back, e);
  }
}

TEST(CborVectors, FloatsFirstBlock) {
  std::ifstream in(test_vectors::path("floats.txt"));
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    const auto arrow = line.find(" -> Display ");
    if (arrow == std::string::npos)
      continue;
    SCOPED_TRACE(line.substr(0, 60));
    const std::string lit = line.substr(0, arrow);
    const double x = std::strtod(lit.c_str(), nullptr);
    const auto colon = line.rfind(" : ");
    ASSERT_NE(colon, std::string::npos);
    const std::string hex = line.substr(colon + 3);
    if (hex.find("...") != std::string::npos)
      continue; // long values: second block
    cbor::Bytes out;
    cbor::encode_value(ValueRecord::floating(x, TypeId(0)), out);
    EXPECT_EQ(to_hex(out), to_hex(from_hex(hex)));
    ValueRecord back;
    ASSERT_EQ(cbor::decode_value(out.data(), out.size(), back).state, cbor::DecodeState::Ok);
    EXPECT_EQ(back, ValueRecord::floating(x, TypeId(0)));
    ++checked;
  }
  EXPECT_GE(checked, 15);
}

namespace {
// ValueRecord::Float{f, type_id 0} around a Float.f text item.
const cbor::Bytes kFloatPrefix = from_hex("a3 64 6b696e64 65 466c6f6174 61 66");
const cbor::Bytes kFloatSuffix = from_hex("67 747970655f6964 00");

// The text of a Float item, definite or chunked (indefinite-length), as written
// in floats.txt; sets *chunked. Fails the test on any other layout.
std::string float_text_of(const cbor::Bytes& item, bool* chunked) {
  EXPECT_TRUE(std::equal(kFloatPrefix.begin(), kFloatPrefix.end(), item.begin()));
  std::size_t p = kFloatPrefix.size();
  auto definite = [&](std::string& out) {
    const std::uint8_t b = item.at(p++);
    std::size_t n = b - 0x60;
    if (b == 0x78)
      n = item.at(p++);
    else if (b == 0x79)
      n = std::size_t(item.at(p)) << 8 | item.at(p + 1), p += 2;
    else
      EXPECT_LT(b, 0x78);
    out.append(reinterpret_cast<const char*>(item.data() + p), n);
    p += n;
  };
  std::string text;
  *chunked = item.at(p) == 0x7f;
  if (*chunked) {
    ++p;
    while (item.at(p) != 0xff)
      definite(text);
    ++p;
  } else {
    definite(text);
  }
  EXPECT_EQ(cbor::Bytes(item.begin() + std::ptrdiff_t(p), item.end()), kFloatSuffix);
  return text;
}

// The item this format writes for a Float of text `text`: one definite string.
cbor::Bytes definite_float_item(std::string_view text, cbor::Bytes head) {
  cbor::Bytes out = kFloatPrefix;
  out.insert(out.end(), head.begin(), head.end());
  out.insert(out.end(), text.begin(), text.end());
  out.insert(out.end(), kFloatSuffix.begin(), kFloatSuffix.end());
  return out;
}
cbor::Bytes text_head(std::size_t n) {
  if (n < 24)
    return {std::uint8_t(0x60 + n)};
  if (n < 256)
    return {0x78, std::uint8_t(n)};
  return {0x79, std::uint8_t(n >> 8), std::uint8_t(n)};
}
} // namespace

// The second block holds the reference writer's chunked (indefinite-length) long
// floats: the reader accepts them, and the writer emits the same text as ONE
// definite-length string instead (TRACE_FORMAT.md §5.1, vectors/README.md).
TEST(CborVectors, FloatsSecondBlockChunkedReadDefiniteWritten) {
  std::ifstream in(test_vectors::path("floats.txt"));
  std::string line;
  int checked = 0, chunked = 0;
  while (std::getline(in, line)) {
    if (line.find(" -> ") != std::string::npos || line.rfind("====", 0) == 0)
      continue;
    std::istringstream ss(line);
    std::string lit, hex;
    if (!(ss >> lit >> hex))
      continue;
    SCOPED_TRACE(lit);
    const double x = std::strtod(lit.c_str(), nullptr);
    const cbor::Bytes vector = from_hex(hex);
    bool was_chunked = false;
    const std::string text = float_text_of(vector, &was_chunked);
    EXPECT_EQ(text, format_float(x));
    chunked += was_chunked;
    // Read: the vector's form (chunked or not).
    ValueRecord back;
    auto r = cbor::decode_value(vector.data(), vector.size(), back);
    ASSERT_EQ(r.state, cbor::DecodeState::Ok) << r.message;
    EXPECT_EQ(r.consumed, vector.size());
    EXPECT_EQ(back, ValueRecord::floating(x, TypeId(0)));
    // Write: one definite string, never 0x7f.
    cbor::Bytes out;
    cbor::encode_value(ValueRecord::floating(x, TypeId(0)), out);
    EXPECT_EQ(to_hex(out), to_hex(definite_float_item(text, text_head(text.size()))));
    if (!was_chunked)
      EXPECT_EQ(to_hex(out), hex); // short enough: the reference's bytes exactly
    r = cbor::decode_value(out.data(), out.size(), back);
    ASSERT_EQ(r.state, cbor::DecodeState::Ok) << r.message;
    EXPECT_EQ(r.consumed, out.size());
    EXPECT_EQ(back, ValueRecord::floating(x, TypeId(0)));
    ++checked;
  }
  EXPECT_EQ(checked, 10);
  EXPECT_EQ(chunked, 8);
}

// Long floats with their text heads worked out by hand: 2-byte lengths (79 hh ll).
TEST(CborVectors, LongFloatsAreDefiniteStrings) {
  struct Case {
    double x;
    const char* head;
    std::size_t len;
  } cases[] = {
      {1e-300, "79 01 2e", 302},                             // "0." 299 zeros "1"
      {5e-324, "79 01 46", 326},                             // "0." 323 zeros "5"
      {-5e-324, "79 01 47", 327},                            // the longest text
      {std::numeric_limits<double>::max(), "79 01 35", 309}, // 17 digits + 292 zeros
      {-std::numeric_limits<double>::max(), "79 01 36", 310},
      {-1e256, "79 01 02", 258}, // "-1" + 256 zeros
      {1e255, "79 01 00", 256},  // TRACE_FORMAT §5.1's example
      {2.2250738585072014e-308, "79 01 46", 326},
      {1e-250, "78 fc", 252}, // 1-byte length, as before
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.x);
    const std::string text = format_float(c.x);
    ASSERT_EQ(text.size(), c.len);
    ASSERT_LE(text.size(), kMaxFloatTextSize);
    cbor::Bytes out;
    cbor::encode_value(ValueRecord::floating(c.x, TypeId(0)), out);
    EXPECT_EQ(to_hex(out), to_hex(definite_float_item(text, from_hex(c.head))));
    // The same bytes inside an event, through every encoder path.
    const TraceEvent v = FullValueRecord{VariableId(3), ValueRecord::floating(c.x, TypeId(0))};
    const cbor::Bytes ev = encode(v);
    EXPECT_EQ(std::find(ev.begin(), ev.end(), std::uint8_t(0x7f)), ev.end());
    cbor::Buffer direct;
    cbor::encode_value_event(VariableId(3), ValueRecord::floating(c.x, TypeId(0)), direct);
    EXPECT_EQ(to_hex(cbor::Bytes(direct.data(), direct.data() + direct.size())), to_hex(ev));
    TraceEvent back;
    ASSERT_EQ(cbor::decode_event(ev, back).state, cbor::DecodeState::Ok);
    EXPECT_EQ(back, v);
  }
}

TEST(CborVectors, FloatDisplayTies) {
  std::ifstream in(test_vectors::path("float_display_ties.txt"));
  std::string line;
  int checked = 0, chunked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '=')
      continue;
    std::vector<std::string> cols;
    std::size_t p = 0;
    for (std::size_t q; (q = line.find(" | ", p)) != std::string::npos; p = q + 3)
      cols.push_back(line.substr(p, q - p));
    cols.push_back(line.substr(p));
    ASSERT_EQ(cols.size(), 4u) << line;
    const double x = std::bit_cast<double>(std::uint64_t(std::stoull(cols[0], nullptr, 16)));
    cbor::Bytes out;
    cbor::encode_value(ValueRecord::floating(x, TypeId(0)), out);
    // The reference chunks texts over 255 bytes; this format writes them definite (§5.1).
    const cbor::Bytes vector = from_hex(cols[3]);
    bool was_chunked = false;
    const std::string text = float_text_of(vector, &was_chunked);
    chunked += was_chunked;
    EXPECT_EQ(text, cols[1]) << cols[0];
    EXPECT_EQ(to_hex(out), to_hex(definite_float_item(text, text_head(text.size())))) << cols[0];
    if (!was_chunked)
      EXPECT_EQ(to_hex(out), to_hex(vector)) << cols[0];
    for (const cbor::Bytes* item : {&std::as_const(out), &vector}) {
      ValueRecord back;
      ASSERT_EQ(cbor::decode_value(item->data(), item->size(), back).state, cbor::DecodeState::Ok);
      EXPECT_EQ(std::bit_cast<std::uint64_t>(std::get<value::Float>(back.v).f),
                std::bit_cast<std::uint64_t>(x));
    }
    ++checked;
  }
  EXPECT_EQ(checked, 70);
  EXPECT_GT(chunked, 0);
}

namespace {
std::vector<TraceEvent> util_testdata_events() {
  auto ret = [](ValueRecord v) -> TraceEvent { return ReturnRecord{std::move(v)}; };
  return {PathRecord{"foo.rs"},
          FunctionRecord{PathId(0), 1, "main"},
          StepRecord{PathId(0), 1},
          CallRecord{FunctionId(0), {}},
          ret(ValueRecord::none()),
          ret(ValueRecord::floating(2.5, TypeId(0))),
          ret(ValueRecord::floating(INFINITY, TypeId(0))),
          ret(ValueRecord::floating(INFINITY, TypeId(0))),
          ret(ValueRecord::floating(-INFINITY, TypeId(0))),
          ret(ValueRecord::floating(NAN, TypeId(0)))};
}
} // namespace

TEST(CborVectors, UtilTestdataStream) {
  const std::string file = test_vectors::read_file(test_vectors::path("util_testdata.cbor"));
  ASSERT_EQ(file.size(), 385u);
  const cbor::Bytes expected(file.begin(), file.end());
  cbor::Bytes out;
  const auto events = util_testdata_events();
  for (const auto& e : events)
    ASSERT_TRUE(cbor::encode_event(e, out).is_ok());
  EXPECT_EQ(to_hex(out), to_hex(expected));

  // Decoding the stream item by item gives the same 10 events.
  std::size_t pos = 0;
  std::vector<TraceEvent> back;
  while (pos < expected.size()) {
    TraceEvent e;
    const auto r = cbor::decode_event(expected.data() + pos, expected.size() - pos, e);
    ASSERT_EQ(r.state, cbor::DecodeState::Ok) << r.message;
    pos += r.consumed;
    back.push_back(std::move(e));
  }
  EXPECT_EQ(back, events);

  // util_testdata.txt: one "<JSON> | <CBOR hex>" line per event, in order.
  std::ifstream in(test_vectors::path("util_testdata.txt"));
  std::string line;
  cbor::Bytes concat;
  while (std::getline(in, line)) {
    const auto bar = line.find(" | ");
    if (bar == std::string::npos || line.rfind("JSON re-serialized", 0) == 0)
      continue;
    const auto item = from_hex(line.substr(bar + 3));
    concat.insert(concat.end(), item.begin(), item.end());
  }
  EXPECT_EQ(concat, expected);
}

// Cross-check with the JSON side: the event parsed from each JSON line encodes
// to exactly the CBOR line, and the event decoded from the CBOR line writes
// exactly the JSON line.
TEST(CborVectors, JsonAndCborLinesDescribeTheSameEvent) {
  int checked = 0;
  for (const char* file :
       {"cbor_worked_examples.txt", "events_every_variant.txt", "valuerecords_and_json_misc.txt"}) {
    for (const auto& b : test_vectors::read_blocks(file)) {
      if (b.cbor.empty() || b.cbor.rfind("ERROR", 0) == 0 || b.name.rfind("ctt2", 0) == 0)
        continue;
      SCOPED_TRACE(std::string(file) + ": " + b.name);
      auto from_json = parse_json_event(b.json);
      ASSERT_TRUE(from_json.is_ok()) << from_json.status().message();
      EXPECT_EQ(to_hex(encode(*from_json)), to_hex(from_hex(b.cbor)));
      TraceEvent from_cbor;
      const auto bytes = from_hex(b.cbor);
      ASSERT_EQ(cbor::decode_event(bytes, from_cbor).state, cbor::DecodeState::Ok);
      EXPECT_EQ(from_cbor, *from_json);
      std::string json;
      ASSERT_TRUE(append_json_event(json, from_cbor).is_ok());
      EXPECT_EQ(json, b.json);
      ++checked;
    }
  }
  EXPECT_GE(checked, 4 + 24 + 16);
}

// The hot-event encoders (used by TraceWriter's fast path) write exactly what
// encode_event writes for the same event, for every value kind.
TEST(CborVectors, DirectEncodersMatchEncodeEvent) {
  using namespace trace_record::cbor;
  std::vector<ValueRecord> values = {
      ValueRecord::integer(0, TypeId(1)),
      ValueRecord::integer(23, TypeId(23)),
      ValueRecord::integer(24, TypeId(24)),
      ValueRecord::integer(-1, TypeId(255)),
      ValueRecord::integer(-25, TypeId(256)),
      ValueRecord::integer(65535, TypeId(65536)),
      ValueRecord::integer(std::numeric_limits<std::int64_t>::min(), TypeId(1ull << 32)),
      ValueRecord::integer(std::numeric_limits<std::int64_t>::max(), TypeId(~0ull)),
      ValueRecord::none(),
      ValueRecord(value::None{TypeId(300)}),
      ValueRecord::boolean(true, TypeId(2)),
      ValueRecord::boolean(false, TypeId(70000)),
      ValueRecord::floating(1.5, TypeId(3)),
      ValueRecord::string("héllo", TypeId(4)),
      ValueRecord::raw("0x1234", TypeId(5)),
      ValueRecord::error("bad", TypeId(6)),
      ValueRecord(value::Sequence{
          {ValueRecord::integer(1, TypeId(1)), ValueRecord::none()}, false, TypeId(7)}),
      ValueRecord(value::Char{U'é', TypeId(8)}),
  };
  auto same = [](const TraceEvent& e, auto direct) {
    Bytes expected;
    ASSERT_TRUE(encode_event(e, expected).is_ok());
    Buffer got;
    direct(got);
    EXPECT_EQ(Bytes(got.data(), got.data() + got.size()), expected) << event_variant_name(e);
  };
  for (std::uint64_t path : {0ull, 23ull, 24ull, 1ull << 40})
    for (Line line : {Line(1), Line(24), Line(1) << 33, Line(-5)})
      same(StepRecord{PathId(path), line}, [&](Buffer& b) { encode_step(PathId(path), line, b); });
  std::vector<FullValueRecord> args;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const VariableId id(i * 1000);
    same(FullValueRecord{id, values[i]}, [&](Buffer& b) { encode_value_event(id, values[i], b); });
    same(ReturnRecord{values[i]}, [&](Buffer& b) { encode_return(values[i], b); });
    args.push_back(FullValueRecord{id, values[i]});
    same(CallRecord{FunctionId(i * 10), args},
         [&](Buffer& b) { encode_call(FunctionId(i * 10), args.data(), args.size(), b); });
  }
}
