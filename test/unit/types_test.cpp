#include "trace_record/types.h"

#include <gtest/gtest.h>

#include <cmath>

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
