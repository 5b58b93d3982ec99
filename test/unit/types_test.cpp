#include "trace_record/types.h"

#include <gtest/gtest.h>

#include <cmath>

#include "trace_record/text.h"

using namespace trace_record;

TEST(Types, VariantIndexMatchesFormatNumbering) {
  EXPECT_EQ(TraceEvent(StepRecord{}).index(), 0u);
  EXPECT_EQ(TraceEvent(RecordEvent{}).index(), 9u);
  EXPECT_EQ(TraceEvent(DropLastStepRecord{}).index(), 23u);
  EXPECT_EQ(event_variant_name(TraceEvent(ThreadSwitchRecord{})), "ThreadSwitch");
  EXPECT_EQ(event_variant_index("AssignCompoundItem"), 16);
  EXPECT_EQ(event_variant_index("Nope"), -1);
}

TEST(Types, ValueKindNames) {
  EXPECT_EQ(value_kind_name(ValueRecord::integer(1, TypeId{1})), "Int");
  EXPECT_EQ(value_kind_name(value::Char{U'x', TypeId{2}}), "Char");
  EXPECT_EQ(value_kind_name(ValueRecord{}), "None");
}

TEST(Types, FloatEqualityTreatsNaNAsEqualAndSignedZeroAsDistinct) {
  EXPECT_EQ(ValueRecord::floating(NAN, TypeId{1}), ValueRecord::floating(-NAN, TypeId{1}));
  EXPECT_NE(ValueRecord::floating(0.0, TypeId{1}), ValueRecord::floating(-0.0, TypeId{1}));
}

TEST(Types, BreaksLoading) {
  EXPECT_TRUE(breaks_loading(DropLastStepRecord{}));
  EXPECT_TRUE(breaks_loading(FullValueRecord{VariableId{0}, value::Cell{1}}));
  value::Sequence seq;
  seq.elements.push_back(value::Cell{3});
  EXPECT_TRUE(breaks_loading(ReturnRecord{seq}));
  EXPECT_FALSE(breaks_loading(StepRecord{PathId{1}, 3}));
  EXPECT_FALSE(breaks_loading(ThreadStartRecord{ThreadId{1}}));
}

// is_valid_utf8 checks ASCII 8 bytes at a time: bad or multi-byte sequences at every
// offset around those words, and sequences cut at the end, must still be seen.
TEST(Text, Utf8ValidityAtEveryOffset) {
  const std::string bad[] = {"\x80", "\xC3", "\xED\xA0\x80", "\xF0\x90\x80", "\xFF"};
  const std::string good[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
  for (std::size_t before = 0; before < 20; ++before) {
    for (std::size_t after = 0; after < 12; ++after) {
      const std::string a(before, 'a'), b(after, 'b');
      EXPECT_TRUE(is_valid_utf8(a + b));
      for (const auto& g : good)
        EXPECT_TRUE(is_valid_utf8(a + g + b)) << before << " " << after;
      for (const auto& x : bad)
        EXPECT_FALSE(is_valid_utf8(a + x + b)) << before << " " << after;
    }
  }
}
