// The CodeTracer load-memory model (codetracer_footprint.h).
#include "trace_record/codetracer_footprint.h"

#include <type_traits>

namespace trace_record {

namespace {

using Fp = CodeTracerFootprint;

std::uint64_t values_heap(const std::vector<ValueRecord>& vs) {
  std::uint64_t n = vs.size() * Fp::kValueRecord;
  for (const auto& e : vs)
    n += Fp::value_heap(e);
  return n;
}

// The heap of a Vec<FullValueRecord> (Call.args).
std::uint64_t args_heap(const std::vector<FullValueRecord>& args) {
  std::uint64_t n = args.size() * Fp::kFullValueRecord;
  for (const auto& a : args)
    n += Fp::value_heap(a.value);
  return n;
}

std::uint64_t strings_heap(const std::vector<std::string>& ss) {
  std::uint64_t n = ss.size() * Fp::kString;
  for (const auto& s : ss)
    n += s.size();
  return n;
}

struct Cost {
  std::uint64_t heap = 0; // owned by the decoded event
  std::uint64_t db = 0;   // added to the db by the TraceProcessor
};

Cost cost(const TraceEvent& e) {
  return std::visit(
      [](const auto& x) -> Cost {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, StepRecord>) {
          // A negative line is kept in `steps` but not indexed in `step_map`.
          return {0, Fp::kPerStep - (x.line < 0 ? Fp::kDbStep : 0)};
        } else if constexpr (std::is_same_v<T, PathRecord>) {
          // `paths` and the `path_map` key (String + PathId).
          return {x.path.size(), 2 * (Fp::kString + x.path.size()) + 8};
        } else if constexpr (std::is_same_v<T, VariableNameRecord> ||
                             std::is_same_v<T, VariableRecord>) {
          return {x.name.size(), Fp::kString + x.name.size()};
        } else if constexpr (std::is_same_v<T, TypeRecord>) {
          std::uint64_t h = x.lang_type.size();
          if (auto* s = std::get_if<tsi::Struct>(&x.specific_info)) {
            h += s->fields.size() * Fp::kFieldType;
            for (const auto& f : s->fields)
              h += f.name.size();
          }
          return {h, Fp::kTypeRecord + h};
        } else if constexpr (std::is_same_v<T, FullValueRecord>) {
          const std::uint64_t h = Fp::value_heap(x.value);
          return {h, Fp::kFullValueRecord + h}; // cloned into the step's variables
        } else if constexpr (std::is_same_v<T, FunctionRecord>) {
          return {x.name.size(), Fp::kFunctionRecord + x.name.size()};
        } else if constexpr (std::is_same_v<T, CallRecord>) {
          const std::uint64_t h = args_heap(x.args);
          // DbCall (its args cloned), the args cloned again into the entry step's
          // variables, and the call key in the parent's children_keys.
          return {h, Fp::kDbCall + 2 * h + 8};
        } else if constexpr (std::is_same_v<T, ReturnRecord>) {
          const std::uint64_t h = Fp::value_heap(x.return_value);
          return {h, h}; // cloned over the call's None return value
        } else if constexpr (std::is_same_v<T, RecordEvent>) {
          const std::uint64_t h = x.metadata.size() + x.content.size();
          return {h, Fp::kDbRecordEvent + h};
        } else if constexpr (std::is_same_v<T, AsmRecord>) {
          const std::uint64_t h = strings_heap(x.lines);
          return {h, h};
        } else if constexpr (std::is_same_v<T, AssignmentRecord>) {
          auto* c = std::get_if<rvalue::Compound>(&x.from);
          return {c ? c->variable_ids.size() * 8 : 0, 0};
        } else if constexpr (std::is_same_v<T, DropVariablesRecord>) {
          return {x.variable_ids.size() * 8, 0};
        } else if constexpr (std::is_same_v<T, CompoundValueRecord> ||
                             std::is_same_v<T, CellValueRecord>) {
          const std::uint64_t h = Fp::value_heap(x.value);
          return {h, 8 + Fp::kValueRecord + h}; // a map entry of the step
        } else if constexpr (std::is_same_v<T, AssignCellRecord>) {
          const std::uint64_t h = Fp::value_heap(x.new_value);
          return {h, 8 + Fp::kValueRecord + h};
        } else {
          return {};
        }
      },
      e);
}

} // namespace

std::uint64_t CodeTracerFootprint::value_heap(const ValueRecord& v) {
  return std::visit(
      [](const auto& x) -> std::uint64_t {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, value::String>)
          return x.text.size();
        else if constexpr (std::is_same_v<T, value::Raw>)
          return x.r.size();
        else if constexpr (std::is_same_v<T, value::Error>)
          return x.msg.size();
        else if constexpr (std::is_same_v<T, value::Sequence> || std::is_same_v<T, value::Tuple>)
          return values_heap(x.elements);
        else if constexpr (std::is_same_v<T, value::Struct>)
          return values_heap(x.field_values);
        else if constexpr (std::is_same_v<T, value::Variant>)
          return x.discriminator.size() + kValueRecord + value_heap(*x.contents);
        else if constexpr (std::is_same_v<T, value::Reference>)
          return kValueRecord + value_heap(*x.dereferenced);
        else if constexpr (std::is_same_v<T, value::BigInt>)
          return x.magnitude.size();
        else
          return 0;
      },
      v.v);
}

void CodeTracerFootprint::add(const TraceEvent& e) {
  const Cost c = cost(e);
  events_ += kEvent + c.heap;
  db_ += c.db;
}

} // namespace trace_record
