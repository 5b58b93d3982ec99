// The CodeTracer trace event model (TRACE_FORMAT.md §2).
//
// Every event variant, every ValueRecord kind, type records with their specific
// info, and the TypeKind / EventLogKind numbering. Ids are distinct strong types
// so that a PathId can never be passed where a TypeId is expected.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace trace_record {

// ---------------------------------------------------------------- ids

template <class Tag> struct StrongId {
  std::uint64_t value = 0;
  constexpr StrongId() = default;
  constexpr explicit StrongId(std::uint64_t v) : value(v) {}
  constexpr auto operator<=>(const StrongId&) const = default;
};

using PathId = StrongId<struct PathIdTag>;
using FunctionId = StrongId<struct FunctionIdTag>;
using TypeId = StrongId<struct TypeIdTag>;
using VariableId = StrongId<struct VariableIdTag>;
using ThreadId = StrongId<struct ThreadIdTag>;

using Line = std::int64_t;  // 1-based source line (i64 in the format)
using Place = std::int64_t; // experimental value-tracking place (i64)

inline constexpr TypeId kNoneTypeId{0};           // TypeId 0 is the None type (C2)
inline constexpr FunctionId kTopLevelFunctionId{0}; // FunctionId 0 is the root

// ---------------------------------------------------------------- enums

enum class TypeKind : std::uint8_t {
  Seq = 0, Set = 1, HashSet = 2, OrderedSet = 3, Array = 4, Varargs = 5, Struct = 6, Int = 7,
  Float = 8, String = 9, CString = 10, Char = 11, Bool = 12, Literal = 13, Ref = 14,
  Recursion = 15, Raw = 16, Enum = 17, Enum16 = 18, Enum32 = 19, C = 20, TableKind = 21,
  Union = 22, Pointer = 23, Error = 24, FunctionKind = 25, TypeValue = 26, Tuple = 27,
  Variant = 28, Html = 29, None = 30, NonExpanded = 31, Any = 32, Slice = 33,
};
inline constexpr unsigned kTypeKindCount = 34; // any number >= 34 fails decoding

enum class EventLogKind : std::uint8_t {
  Write = 0, WriteFile = 1, WriteOther = 2, Read = 3, ReadFile = 4, ReadOther = 5, ReadDir = 6,
  OpenDir = 7, CloseDir = 8, Socket = 9, Open = 10, Error = 11, TraceLogEvent = 12, EvmEvent = 13,
};
inline constexpr unsigned kEventLogKindCount = 14; // any number >= 14 fails decoding

// ---------------------------------------------------------------- Box

// Value-semantic owning pointer (deep copy), for recursive members.
template <class T> class Box {
public:
  Box() : p_(std::make_unique<T>()) {}
  Box(T v) : p_(std::make_unique<T>(std::move(v))) {} // NOLINT(implicit)
  Box(const Box& o) : p_(std::make_unique<T>(*o.p_)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    if (this != &o) p_ = std::make_unique<T>(*o.p_);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  friend bool operator==(const Box& a, const Box& b) { return *a.p_ == *b.p_; }

private:
  std::unique_ptr<T> p_;
};

// ---------------------------------------------------------------- ValueRecord

struct ValueRecord;

namespace value {
struct Int { std::int64_t i = 0; TypeId type_id; bool operator==(const Int&) const = default; };
// Stored as a double; the text form of TRACE_FORMAT.md §3 is produced when encoding.
// NaN compares by "both NaN" in ValueRecord equality (see operator== below).
struct Float { double f = 0; TypeId type_id; bool operator==(const Float& o) const; };
struct Bool { bool b = false; TypeId type_id; bool operator==(const Bool&) const = default; };
struct String { std::string text; TypeId type_id; bool operator==(const String&) const = default; };
struct Sequence {
  std::vector<ValueRecord> elements;
  bool is_slice = false;
  TypeId type_id;
  bool operator==(const Sequence&) const;
};
struct Tuple { std::vector<ValueRecord> elements; TypeId type_id; bool operator==(const Tuple&) const; };
struct Struct {
  std::vector<ValueRecord> field_values;
  TypeId type_id;
  bool operator==(const Struct&) const;
};
struct Variant {
  std::string discriminator;
  Box<ValueRecord> contents;
  TypeId type_id;
  bool operator==(const Variant&) const;
};
struct Reference {
  Box<ValueRecord> dereferenced;
  std::uint64_t address = 0;
  bool mutable_ = false; // "mutable" in the format
  TypeId type_id;
  bool operator==(const Reference&) const;
};
struct Raw { std::string r; TypeId type_id; bool operator==(const Raw&) const = default; };
struct Error { std::string msg; TypeId type_id; bool operator==(const Error&) const = default; };
struct None { TypeId type_id; bool operator==(const None&) const = default; };
// Experimental; breaks the consumer (CONSUMER_CONTRACT.md §4). Encodable for the vectors only.
struct Cell { Place place = 0; bool operator==(const Cell&) const = default; };
struct BigInt {
  std::vector<std::uint8_t> magnitude; // big-endian, minimal (no leading zero bytes); zero = {}
  bool negative = false;
  TypeId type_id;
  bool operator==(const BigInt&) const = default;
};
struct Char { char32_t c = 0; TypeId type_id; bool operator==(const Char&) const = default; };
} // namespace value

// Alternative order = the `kind` names of TRACE_FORMAT.md §2.3.
struct ValueRecord {
  using Kind = std::variant<value::Int, value::Float, value::Bool, value::String, value::Sequence,
                            value::Tuple, value::Struct, value::Variant, value::Reference,
                            value::Raw, value::Error, value::None, value::Cell, value::BigInt,
                            value::Char>;
  Kind v;

  ValueRecord() : v(value::None{kNoneTypeId}) {}
  template <class T, class = std::enable_if_t<std::is_constructible_v<Kind, T&&> &&
                                              !std::is_same_v<std::decay_t<T>, ValueRecord>>>
  ValueRecord(T&& x) : v(std::forward<T>(x)) {} // NOLINT(implicit)

  bool operator==(const ValueRecord&) const = default;

  // Convenience constructors.
  static ValueRecord none() { return value::None{kNoneTypeId}; }
  static ValueRecord integer(std::int64_t i, TypeId t) { return value::Int{i, t}; }
  static ValueRecord floating(double f, TypeId t) { return value::Float{f, t}; }
  static ValueRecord boolean(bool b, TypeId t) { return value::Bool{b, t}; }
  static ValueRecord string(std::string s, TypeId t) { return value::String{std::move(s), t}; }
  static ValueRecord raw(std::string r, TypeId t) { return value::Raw{std::move(r), t}; }
  static ValueRecord error(std::string m, TypeId t = kNoneTypeId) {
    return value::Error{std::move(m), t};
  }
};

std::string_view value_kind_name(const ValueRecord& v); // "Int", "Float", ...

// ---------------------------------------------------------------- types

struct FieldTypeRecord {
  std::string name;
  TypeId type_id;
  bool operator==(const FieldTypeRecord&) const = default;
};

namespace tsi {
struct None { bool operator==(const None&) const = default; };
struct Struct { std::vector<FieldTypeRecord> fields; bool operator==(const Struct&) const = default; };
struct Pointer { TypeId dereference_type_id; bool operator==(const Pointer&) const = default; };
} // namespace tsi
using TypeSpecificInfo = std::variant<tsi::None, tsi::Struct, tsi::Pointer>;

// ---------------------------------------------------------------- events

struct StepRecord { PathId path_id; Line line = 0; bool operator==(const StepRecord&) const = default; };
struct PathRecord { std::string path; bool operator==(const PathRecord&) const = default; };
struct VariableNameRecord { std::string name; bool operator==(const VariableNameRecord&) const = default; };
// Legacy synonym of VariableName: read-only, a writer never emits it.
struct VariableRecord { std::string name; bool operator==(const VariableRecord&) const = default; };
struct TypeRecord {
  TypeKind kind = TypeKind::None;
  std::string lang_type;
  TypeSpecificInfo specific_info;
  bool operator==(const TypeRecord&) const = default;
};
struct FullValueRecord {
  VariableId variable_id;
  ValueRecord value;
  bool operator==(const FullValueRecord&) const = default;
};
struct FunctionRecord {
  PathId path_id;
  Line line = 0;
  std::string name;
  bool operator==(const FunctionRecord&) const = default;
};
struct CallRecord {
  FunctionId function_id;
  std::vector<FullValueRecord> args;
  bool operator==(const CallRecord&) const = default;
};
struct ReturnRecord { ValueRecord return_value; bool operator==(const ReturnRecord&) const = default; };
struct RecordEvent {
  EventLogKind kind = EventLogKind::Write;
  std::string metadata;
  std::string content;
  bool operator==(const RecordEvent&) const = default;
};
struct AsmRecord { std::vector<std::string> lines; bool operator==(const AsmRecord&) const = default; };
struct BindVariableRecord {
  VariableId variable_id;
  Place place = 0;
  bool operator==(const BindVariableRecord&) const = default;
};
enum class PassBy : std::uint8_t { Value, Reference };
namespace rvalue {
struct Simple { VariableId variable_id; bool operator==(const Simple&) const = default; };
struct Compound { std::vector<VariableId> variable_ids; bool operator==(const Compound&) const = default; };
} // namespace rvalue
using RValue = std::variant<rvalue::Simple, rvalue::Compound>;
// Cannot be serialized (TRACE_FORMAT.md §2.7): encoders refuse it with an error.
struct AssignmentRecord {
  VariableId to;
  PassBy pass_by = PassBy::Value;
  RValue from;
  bool operator==(const AssignmentRecord&) const = default;
};
struct DropVariablesRecord { std::vector<VariableId> variable_ids; bool operator==(const DropVariablesRecord&) const = default; };
struct CompoundValueRecord { Place place = 0; ValueRecord value; bool operator==(const CompoundValueRecord&) const = default; };
struct CellValueRecord { Place place = 0; ValueRecord value; bool operator==(const CellValueRecord&) const = default; };
struct AssignCompoundItemRecord {
  Place place = 0;
  std::uint64_t index = 0;
  Place item_place = 0;
  bool operator==(const AssignCompoundItemRecord&) const = default;
};
struct AssignCellRecord { Place place = 0; ValueRecord new_value; bool operator==(const AssignCellRecord&) const = default; };
struct VariableCellRecord { VariableId variable_id; Place place = 0; bool operator==(const VariableCellRecord&) const = default; };
struct DropVariableRecord { VariableId variable_id; bool operator==(const DropVariableRecord&) const = default; };
struct ThreadStartRecord { ThreadId thread_id; bool operator==(const ThreadStartRecord&) const = default; };
struct ThreadExitRecord { ThreadId thread_id; bool operator==(const ThreadExitRecord&) const = default; };
struct ThreadSwitchRecord { ThreadId thread_id; bool operator==(const ThreadSwitchRecord&) const = default; };
// Breaks loading (CONSUMER_CONTRACT.md §4). Encodable for the vectors only.
struct DropLastStepRecord { bool operator==(const DropLastStepRecord&) const = default; };

// TraceLowLevelEvent: alternative index == the variant number of TRACE_FORMAT.md §2.2.
using TraceEvent =
    std::variant<StepRecord, PathRecord, VariableNameRecord, VariableRecord, TypeRecord,
                 FullValueRecord, FunctionRecord, CallRecord, ReturnRecord, RecordEvent,
                 AsmRecord, BindVariableRecord, AssignmentRecord, DropVariablesRecord,
                 CompoundValueRecord, CellValueRecord, AssignCompoundItemRecord,
                 AssignCellRecord, VariableCellRecord, DropVariableRecord, ThreadStartRecord,
                 ThreadExitRecord, ThreadSwitchRecord, DropLastStepRecord>;

// "Step", "Path", ... "DropLastStep" for an alternative index (0..23).
std::string_view event_variant_name(std::size_t index);
inline std::string_view event_variant_name(const TraceEvent& e) {
  return event_variant_name(e.index());
}
// Index for a variant name, or -1.
int event_variant_index(std::string_view name);

// Events the consumer cannot load (CONSUMER_CONTRACT.md §4); the writer refuses
// them unless explicitly allowed, and validate reports them.
bool breaks_loading(const TraceEvent& e);
namespace detail {
bool compound_breaks_loading(const ValueRecord& v); // Sequence, Tuple, Struct, Variant, ...
}
// True if the value holds a Cell anywhere (CONSUMER_CONTRACT.md §4). The flat kinds
// (Int, Float, Bool, String, Raw, Error, None, BigInt, Char) are answered inline.
inline bool breaks_loading(const ValueRecord& v) {
  constexpr std::uint32_t kFlat = 0b110111000001111; // by ValueRecord::Kind index
  return !((kFlat >> v.v.index()) & 1) && detail::compound_breaks_loading(v);
}

} // namespace trace_record
