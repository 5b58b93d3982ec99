// Counting a trace the way its consumer pays for it (trace_stats.h).
#include "trace_record/trace_stats.h"

#include <cmath>

#include "trace_record/detail/cbor_put.h"

namespace trace_record {

// ---------------------------------------------------------------- CountHistogram

void CountHistogram::add(std::uint64_t v) {
  if (v < kSmall)
    ++small_[v];
  else
    ++large_[v];
  ++count_;
  total_ += v;
  if (v > max_)
    max_ = v;
}

std::uint64_t CountHistogram::quantile(double q) const {
  if (count_ == 0)
    return 0;
  q = q < 0 ? 0 : (q > 1 ? 1 : q);
  std::uint64_t rank = std::uint64_t(std::ceil(q * double(count_)));
  if (rank == 0)
    rank = 1;
  std::uint64_t seen = 0;
  for (std::size_t v = 0; v < kSmall; ++v) {
    seen += small_[v];
    if (seen >= rank)
      return v;
  }
  for (const auto& [v, n] : large_) {
    seen += n;
    if (seen >= rank)
      return v;
  }
  return max_;
}

// ---------------------------------------------------------------- TraceStats

void TraceStats::add(const TraceEvent& e) {
  scratch_.clear();
  if (encode_event(e, scratch_)) {
    add(e, scratch_.size());
  } else {
    ++unencodable_;
    add(e, 0);
  }
}

void TraceStats::add(const TraceEvent& e, std::uint64_t cbor_bytes) {
  const std::size_t kind = e.index();
  ++events_;
  ++by_kind_[kind];
  bytes_by_kind_[kind] += cbor_bytes;
  decoded_ += cbor_bytes;
  codetracer_.add(e);

  // Values land on the current step (or on step 0 before the first Step).
  auto land = [&](std::uint64_t n) {
    if (in_step_)
      step_bytes_ += n;
    else
      pending_bytes_ += n;
  };

  if (auto* step = std::get_if<StepRecord>(&e)) {
    const bool first = !in_step_;
    close_step();
    in_step_ = true;
    const bool known = depth_ > 0 && depth_ <= std::int64_t(stack_.size());
    step_ = StepLocation{steps() - 1, step->path_id, step->line, known,
                         known ? stack_.back() : FunctionId{}};
    step_bytes_ = first ? pending_bytes_ : 0;
    pending_bytes_ = 0;
  } else if (std::holds_alternative<FullValueRecord>(e)) {
    ++values_;
    land(cbor_bytes);
  } else if (auto* call = std::get_if<CallRecord>(&e)) {
    values_ += call->args.size();
    for (const auto& a : call->args) {
      scratch_.clear();
      cbor::put::full_value(scratch_, a.variable_id, a.value);
      land(scratch_.size());
    }
    // The entry step (the current one) moves into the new call, except step 0 (§3.2).
    if (in_step_ && step_.step > 0) {
      step_.has_function = true;
      step_.function_id = call->function_id;
    }
    if (stack_.size() < kMaxTrackedDepth)
      stack_.push_back(call->function_id);
    if (++depth_ > max_depth_)
      max_depth_ = depth_;
  } else if (std::holds_alternative<ReturnRecord>(e)) {
    ++values_;
    if (depth_ > 0 && depth_-- <= std::int64_t(stack_.size()))
      stack_.pop_back();
  } else if (std::holds_alternative<CompoundValueRecord>(e) ||
             std::holds_alternative<CellValueRecord>(e) ||
             std::holds_alternative<AssignCellRecord>(e)) {
    ++values_;
  } else if (auto* path = std::get_if<PathRecord>(&e)) {
    paths_.push_back(path->path);
  } else if (auto* fn = std::get_if<FunctionRecord>(&e)) {
    functions_.push_back(fn->name);
  }
}

void TraceStats::close_step() {
  if (!in_step_)
    return;
  per_step_.add(step_bytes_);
  if (step_.step == 0 || step_bytes_ > max_bytes_) {
    max_bytes_ = step_bytes_;
    max_step_ = step_;
  }
  step_bytes_ = 0;
}

void TraceStats::finish() {
  close_step();
  in_step_ = false;
  orphan_value_bytes_ += pending_bytes_;
  pending_bytes_ = 0;
}

std::string TraceStats::path(PathId id) const {
  return id.value < paths_.size() ? paths_[id.value] : std::string();
}

std::string TraceStats::function_name(FunctionId id) const {
  return id.value < functions_.size() ? functions_[id.value] : std::string();
}

// ---------------------------------------------------------------- count_events

ReadState count_events(EventSource& src, TraceStats& stats,
                       const std::function<void(TraceEvent&, std::uint64_t)>& on_event) {
  const bool binary = src.format() == TraceFormat::Binary;
  TraceEvent e;
  ReadState st;
  std::uint64_t before = src.offset();
  while ((st = src.next(e)) == ReadState::Event) {
    const std::uint64_t decoded = stats.decoded_bytes();
    if (binary) {
      const std::uint64_t after = src.offset();
      stats.add(e, after - before); // the item's size in the decompressed stream
      before = after;
    } else {
      stats.add(e); // the CBOR the event would take, encoded to measure it
    }
    if (on_event)
      on_event(e, stats.decoded_bytes() - decoded);
  }
  stats.finish();
  return st;
}

} // namespace trace_record
