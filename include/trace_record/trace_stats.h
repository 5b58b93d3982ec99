// Counting a trace the way its consumer pays for it: events and their decoded (CBOR)
// bytes by kind, and the bytes of the values each step carries, attributed to steps by
// CodeTracer's replay model (CONSUMER_CONTRACT.md §2). Used by `trace-record stats`.
//
// Feed every event in stream order to TraceStats::add(), then call finish(). Memory is
// bounded by the interning tables (paths, function names), the call depth and the
// number of distinct per-step byte counts, not by the length of the trace.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "trace_record/cbor.h"
#include "trace_record/codetracer_footprint.h"
#include "trace_record/source.h"
#include "trace_record/types.h"

namespace trace_record {

// The distribution of a count over many items (bytes per step), with exact quantiles.
// Memory grows with the number of distinct values only: n distinct values sum to at
// least n(n-1)/2, so a distribution with total T holds at most sqrt(2T) + 1 of them.
class CountHistogram {
public:
  void add(std::uint64_t v);
  std::uint64_t count() const { return count_; }
  std::uint64_t total() const { return total_; }
  std::uint64_t max() const { return max_; }
  // Nearest rank: the smallest v such that at least q * count() items are <= v
  // (q in [0, 1]; 0.5 is the median). 0 when empty.
  std::uint64_t quantile(double q) const;

private:
  static constexpr std::size_t kSmall = 4096; // counts of 0..kSmall-1 kept in an array
  std::vector<std::uint64_t> small_ = std::vector<std::uint64_t>(kSmall, 0);
  std::map<std::uint64_t, std::uint64_t> large_;
  std::uint64_t count_ = 0;
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

// Where a step is: its index in the trace, its location and the function whose call it
// belongs to (after the re-attribution of a call's entry step, §2).
struct StepLocation {
  std::uint64_t step = 0;
  PathId path_id;
  Line line = 0;
  bool has_function = false; // false: no call was open, or deeper than we track
  FunctionId function_id;
};

class TraceStats {
public:
  static constexpr std::size_t kKinds = std::variant_size_v<TraceEvent>;

  // `cbor_bytes`: the size of the event's CBOR item as it is in the stream (trace.bin:
  // the difference of EventSource::offset() around next()).
  void add(const TraceEvent& e, std::uint64_t cbor_bytes);
  // The same, the size measured by encoding the event (trace.json). An event that has
  // no encoding (Assignment, TRACE_FORMAT.md §2.7) counts 0 bytes and unencodable().
  void add(const TraceEvent& e);
  // Closes the last step. Call once, after the last event.
  void finish();

  // ---- counts
  std::uint64_t events() const { return events_; }
  std::uint64_t events(std::size_t kind) const { return by_kind_[kind]; }
  std::uint64_t steps() const { return by_kind_[0]; }
  std::uint64_t calls() const { return by_kind_[7]; }
  std::uint64_t returns() const { return by_kind_[8]; }
  std::uint64_t paths() const { return by_kind_[1]; }
  std::uint64_t functions() const { return by_kind_[6]; }
  std::uint64_t types() const { return by_kind_[4]; }
  std::uint64_t variables() const { return by_kind_[2] + by_kind_[3]; }
  // ValueRecords at the top of Value, Call args, Return and the cell events.
  std::uint64_t values() const { return values_; }
  std::int64_t max_depth() const { return max_depth_; }

  // ---- decoded bytes (the CBOR items of the event stream)
  std::uint64_t decoded_bytes() const { return decoded_; }
  std::uint64_t decoded_bytes(std::size_t kind) const { return bytes_by_kind_[kind]; }
  std::uint64_t unencodable() const { return unencodable_; }

  // ---- values per step: the CBOR bytes of the Value events that land on each step plus
  // those of the Call args (each `{variable_id, value}` map) that land on it. Values
  // before the first Step land on step 0, as in CodeTracer's loader.
  std::uint64_t value_bytes() const { return per_step_.total() + orphan_value_bytes_; }
  const CountHistogram& value_bytes_per_step() const { return per_step_; }
  // The step holding the most value bytes (the first of them); meaningful if steps() > 0.
  const StepLocation& max_step() const { return max_step_; }
  // Interned names, for printing locations ("" when the id was never interned).
  std::string path(PathId id) const;
  std::string function_name(FunctionId id) const;

  // ---- the memory CodeTracer's db-backend takes to load this trace (an estimate)
  const CodeTracerFootprint& codetracer() const { return codetracer_; }

private:
  void close_step();

  std::array<std::uint64_t, kKinds> by_kind_{};
  std::array<std::uint64_t, kKinds> bytes_by_kind_{};
  std::uint64_t events_ = 0;
  std::uint64_t values_ = 0;
  std::uint64_t decoded_ = 0;
  std::uint64_t unencodable_ = 0;
  std::int64_t depth_ = 0; // open calls (Call +1, Return -1, never below 0)
  std::int64_t max_depth_ = 0;
  // The functions of the open calls, innermost last, for the outermost kMaxTrackedDepth
  // (a hostile trace of Calls only must not grow it without bound).
  static constexpr std::size_t kMaxTrackedDepth = 1u << 20;
  std::vector<FunctionId> stack_;

  bool in_step_ = false;
  std::uint64_t step_bytes_ = 0;         // of the current step
  std::uint64_t pending_bytes_ = 0;      // values before the first Step (they go to step 0)
  std::uint64_t orphan_value_bytes_ = 0; // values of a trace without any Step
  StepLocation step_;                    // the current step
  StepLocation max_step_;
  std::uint64_t max_bytes_ = 0;
  CountHistogram per_step_;

  std::vector<std::string> paths_;
  std::vector<std::string> functions_;
  CodeTracerFootprint codetracer_;
  cbor::Buffer scratch_;
};

// Reads `src` to its end, feeding every event to `stats` (with the item's size in the
// stream for trace.bin, encoded for trace.json), then calls stats.finish(). `on_event`,
// if given, sees each event after it was counted, with its CBOR size, and may move from
// it. Returns how the stream ended (End, Truncated or Error: src.message() says why).
ReadState count_events(EventSource& src, TraceStats& stats,
                       const std::function<void(TraceEvent&, std::uint64_t)>& on_event = {});

} // namespace trace_record
