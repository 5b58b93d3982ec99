// The line-per-event text form.
#include "trace_record/print.h"

#include <gtest/gtest.h>

using namespace trace_record;

TEST(Print, NamesResolvedAndValueForms) {
  EventPrinter p;
  std::vector<TraceEvent> ev = {
      PathRecord{""},
      FunctionRecord{PathId{0}, 1, "<top-level>"},
      CallRecord{FunctionId{0}, {}},
      TypeRecord{TypeKind::None, "None", tsi::None{}},
      PathRecord{"/src/dir/point.c"},
      TypeRecord{TypeKind::Int, "int", tsi::None{}},
      TypeRecord{TypeKind::Struct, "Point", tsi::Struct{{{"x", TypeId{1}}, {"y", TypeId{1}}}}},
      TypeRecord{TypeKind::Pointer, "Point*", tsi::Pointer{TypeId{2}}},
      FunctionRecord{PathId{1}, 3, "norm"},
      VariableNameRecord{"p"},
      StepRecord{PathId{1}, 3},
      CallRecord{FunctionId{1},
                 {{VariableId{0},
                   value::Reference{ValueRecord(value::Struct{{ValueRecord::integer(1, TypeId{1}),
                                                               ValueRecord::integer(-2, TypeId{1})},
                                                              TypeId{2}}),
                                    0x1000, true, TypeId{3}}}}},
      FullValueRecord{VariableId{0}, value::Sequence{{ValueRecord::floating(2.5, TypeId{1}),
                                                      ValueRecord::boolean(false, TypeId{1})},
                                                     true,
                                                     TypeId{1}}},
      FullValueRecord{VariableId{5}, ValueRecord::string("a\"b\n", TypeId{1})},
      ReturnRecord{value::BigInt{{1, 0, 0, 0, 0, 0, 0, 0, 0}, true, TypeId{1}}},
      ReturnRecord{
          value::Tuple{{value::Char{U'é', TypeId{1}}, ValueRecord::none(),
                        ValueRecord::error("bad"), ValueRecord::raw("RED (0)", TypeId{1}),
                        value::Variant{"Some", ValueRecord::integer(1, TypeId{1}), TypeId{1}}},
                       TypeId{1}}},
      RecordEvent{EventLogKind::WriteOther, "m", "err\x01"},
      AsmRecord{{"nop"}},
      ThreadSwitchRecord{ThreadId{3}},
      DropLastStepRecord{},
      CallRecord{FunctionId{9}, {}},
  };
  std::vector<std::string> got;
  for (std::size_t i = 0; i < ev.size(); ++i)
    got.push_back(p.line(i, ev[i]));
  std::vector<std::string> want = {
      "0 Path #0 \"\"",
      "1 Function #0 <top-level> :1",
      "2 Call <top-level>()",
      "3 Type #0 None None",
      "4 Path #1 \"/src/dir/point.c\"",
      "5 Type #1 int Int",
      "6 Type #2 Point Struct {x: int, y: int}",
      "7 Type #3 Point* Pointer -> Point",
      "8 Function #1 norm point.c:3",
      "9 VariableName #0 p",
      "10 Step point.c:3",
      "11 Call norm(p=0x1000 -> Point{x: 1, y: -2})",
      "12 Value p = &[2.5, false]",
      "13 Value ?var5 = \"a\\\"b\\n\"",
      "14 Return -18446744073709551616",
      "15 Return ('é', None, <error: bad>, RED (0), Some(1))",
      "16 Event WriteOther \"err\\x01\" metadata=\"m\"",
      "17 Asm [\"nop\"]",
      "18 ThreadSwitch 3",
      "19 DropLastStep",
      "20 Call ?fn9()",
  };
  EXPECT_EQ(got, want);
  PrintOptions o;
  o.full_paths = true;
  o.types = true;
  EventPrinter q(o);
  for (std::size_t i = 0; i < 11; ++i)
    q.line(i, ev[i]);
  EXPECT_EQ(q.line(10, ev[10]), "10 Step /src/dir/point.c:3");
  EXPECT_EQ(q.line(12, ev[12]), "12 Value p: int = &[2.5, false]");
}

TEST(Print, BigIntDecimal) {
  EXPECT_EQ(bigint_decimal({{}, false, TypeId{0}}), "0");
  EXPECT_EQ(bigint_decimal({{}, true, TypeId{0}}), "0");
  EXPECT_EQ(bigint_decimal({{1, 0}, false, TypeId{0}}), "256");
  EXPECT_EQ(bigint_decimal({{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, false, TypeId{0}}),
            "18446744073709551615");
}
