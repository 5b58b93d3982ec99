// Names, equality and loadability rules of the event model (types.h).
#include "trace_record/types.h"

#include <array>
#include <cmath>

namespace trace_record {

namespace {
constexpr std::array<std::string_view, 24> kEventNames = {
    "Step",          "Path",         "VariableName",       "Variable",     "Type",
    "Value",         "Function",     "Call",               "Return",       "Event",
    "Asm",           "BindVariable", "Assignment",         "DropVariables", "CompoundValue",
    "CellValue",     "AssignCompoundItem", "AssignCell",   "VariableCell", "DropVariable",
    "ThreadStart",   "ThreadExit",   "ThreadSwitch",       "DropLastStep"};
static_assert(std::variant_size_v<TraceEvent> == kEventNames.size());

constexpr std::array<std::string_view, 15> kValueNames = {
    "Int", "Float", "Bool", "String", "Sequence", "Tuple", "Struct", "Variant",
    "Reference", "Raw", "Error", "None", "Cell", "BigInt", "Char"};
static_assert(std::variant_size_v<ValueRecord::Kind> == kValueNames.size());

bool value_breaks_loading(const ValueRecord& v);
bool all_loadable(const std::vector<ValueRecord>& vs) {
  for (auto& e : vs)
    if (value_breaks_loading(e)) return false;
  return true;
}
bool value_breaks_loading(const ValueRecord& v) {
  return std::visit(
      [](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, value::Cell>) return true;
        else if constexpr (std::is_same_v<T, value::Sequence> || std::is_same_v<T, value::Tuple>)
          return !all_loadable(x.elements);
        else if constexpr (std::is_same_v<T, value::Struct>) return !all_loadable(x.field_values);
        else if constexpr (std::is_same_v<T, value::Variant>) return value_breaks_loading(*x.contents);
        else if constexpr (std::is_same_v<T, value::Reference>)
          return value_breaks_loading(*x.dereferenced);
        else return false;
      },
      v.v);
}
} // namespace

namespace value {
bool Float::operator==(const Float& o) const {
  return type_id == o.type_id && (f == o.f ? std::signbit(f) == std::signbit(o.f)
                                           : (std::isnan(f) && std::isnan(o.f)));
}
bool Sequence::operator==(const Sequence& o) const {
  return is_slice == o.is_slice && type_id == o.type_id && elements == o.elements;
}
bool Tuple::operator==(const Tuple& o) const {
  return type_id == o.type_id && elements == o.elements;
}
bool Struct::operator==(const Struct& o) const {
  return type_id == o.type_id && field_values == o.field_values;
}
bool Variant::operator==(const Variant& o) const {
  return discriminator == o.discriminator && type_id == o.type_id && contents == o.contents;
}
bool Reference::operator==(const Reference& o) const {
  return address == o.address && mutable_ == o.mutable_ && type_id == o.type_id &&
         dereferenced == o.dereferenced;
}
} // namespace value

std::string_view value_kind_name(const ValueRecord& v) { return kValueNames[v.v.index()]; }

std::string_view event_variant_name(std::size_t index) {
  return index < kEventNames.size() ? kEventNames[index] : std::string_view("?");
}

int event_variant_index(std::string_view name) {
  for (std::size_t i = 0; i < kEventNames.size(); ++i)
    if (kEventNames[i] == name) return int(i);
  return -1;
}

// The flat kinds breaks_loading(const ValueRecord&) answers inline (its kFlat mask).
static_assert(std::is_same_v<std::variant_alternative_t<0, ValueRecord::Kind>, value::Int> &&
              std::is_same_v<std::variant_alternative_t<3, ValueRecord::Kind>, value::String> &&
              std::is_same_v<std::variant_alternative_t<9, ValueRecord::Kind>, value::Raw> &&
              std::is_same_v<std::variant_alternative_t<11, ValueRecord::Kind>, value::None> &&
              std::is_same_v<std::variant_alternative_t<12, ValueRecord::Kind>, value::Cell> &&
              std::is_same_v<std::variant_alternative_t<14, ValueRecord::Kind>, value::Char>);

bool detail::compound_breaks_loading(const ValueRecord& v) { return value_breaks_loading(v); }

bool breaks_loading(const TraceEvent& e) {
  return std::visit(
      [](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, BindVariableRecord> || std::is_same_v<T, AssignmentRecord> ||
                      std::is_same_v<T, DropVariablesRecord> ||
                      std::is_same_v<T, CompoundValueRecord> || std::is_same_v<T, CellValueRecord> ||
                      std::is_same_v<T, AssignCompoundItemRecord> ||
                      std::is_same_v<T, AssignCellRecord> || std::is_same_v<T, VariableCellRecord> ||
                      std::is_same_v<T, DropVariableRecord> || std::is_same_v<T, DropLastStepRecord>)
          return true;
        else if constexpr (std::is_same_v<T, FullValueRecord>) return value_breaks_loading(x.value);
        else if constexpr (std::is_same_v<T, ReturnRecord>) return value_breaks_loading(x.return_value);
        else if constexpr (std::is_same_v<T, CallRecord>) {
          for (auto& a : x.args)
            if (value_breaks_loading(a.value)) return true;
          return false;
        } else return false;
      },
      e);
}

} // namespace trace_record
