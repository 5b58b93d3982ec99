// An estimate of the memory CodeTracer's db-backend holds once it has loaded a trace
// (CONSUMER_CONTRACT.md §1, §2): the decoded event list (`Vec<TraceLowLevelEvent>`) and
// the database its TraceProcessor builds from it, which copies every Value and Call
// argument into per-step variable lists and adds per-step tables. Both are alive at the
// end of the load, so their sum is the peak.
//
// The model adds up the sizes of the Rust values involved, on x86-64, from their
// definitions (runtime_tracing's event and value types; the db-backend's db.rs and
// trace_processor.rs): the constants below. It is a lower bound: no allocator overhead,
// no spare Vec capacity, and for trace.json not the transient JSON tree either.
// docs/benchmarks.md ("CodeTracer's footprint") lists the structures.
#pragma once

#include <cstdint>

#include "trace_record/types.h"

namespace trace_record {

class CodeTracerFootprint {
public:
  // Rust sizes (bytes).
  static constexpr std::uint64_t kString = 24;      // String, PathBuf, Vec<T>
  static constexpr std::uint64_t kEvent = 64;       // TraceLowLevelEvent: 56 B payload + tag
  static constexpr std::uint64_t kValueRecord = 48; // 40 B payload (Sequence, Variant) + tag
  static constexpr std::uint64_t kFullValueRecord = 8 + kValueRecord; // VariableId + value
  static constexpr std::uint64_t kFieldType = kString + 8;            // name + TypeId
  static constexpr std::uint64_t kHashMap = 48; // hashbrown table + RandomState, empty
  static constexpr std::uint64_t kDbStep = 40;  // step_id, path_id, line, 2 call keys
  // Per Step: the DbStep in `steps` and its copy in `step_map`, the empty `variables`
  // and `instructions` Vecs, and the empty `compound`, `cells`, `variable_cells` and
  // `local_variable_cells` maps.
  static constexpr std::uint64_t kPerStep = 2 * kDbStep + 2 * kString + 4 * kHashMap;
  // DbCall: key, function_id, args, return_value, step_id, depth, parent_key, children.
  static constexpr std::uint64_t kDbCall = 8 + 8 + kString + kValueRecord + 8 + 8 + 8 + kString;
  static constexpr std::uint64_t kDbRecordEvent =
      8 + 2 * kString + 8;                                          // kind, content, metadata, step
  static constexpr std::uint64_t kFunctionRecord = 8 + 8 + kString; // path_id, line, name
  static constexpr std::uint64_t kTypeRecord = 64; // kind, lang_type, specific_info

  void add(const TraceEvent& e);
  // The decoded event list: kEvent per event plus the heap each event owns.
  std::uint64_t event_list_bytes() const { return events_; }
  // The db: per-step tables, copies of the values, calls, events, interning tables.
  std::uint64_t db_bytes() const { return db_; }
  std::uint64_t total() const { return events_ + db_; }

  // The heap a ValueRecord owns beyond its own kValueRecord bytes.
  static std::uint64_t value_heap(const ValueRecord& v);

private:
  std::uint64_t events_ = 0;
  std::uint64_t db_ = 0;
};

} // namespace trace_record
