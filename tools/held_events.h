// Holding every decoded event of a trace in memory, as CodeTracer loads a trace
// (CONSUMER_CONTRACT.md §1), and measuring what that takes: `trace-record stats --load`.
#pragma once

#include <cstdint>
#include <deque>

#include "process_memory.h"
#include "trace_record/types.h"

namespace trace_record::cli {

class HeldEvents {
public:
  // cap: the most memory holding may take (growth of the heap or of the resident set,
  // whichever is larger); 0 = no cap.
  explicit HeldEvents(std::uint64_t cap);
  // Keeps the event (moved from). Once the cap is crossed (memory grown by more than cap
  // since the first event) or an allocation fails, frees everything held and returns
  // false; later calls do nothing.
  bool keep(TraceEvent&& e, std::uint64_t cbor_bytes);
  // Measures what holding every event takes, then frees them (call after the last keep).
  void finish();

  bool over() const { return over_; }
  bool allocation_failed() const { return allocation_failed_; }
  std::uint64_t cap() const { return cap_; }
  std::uint64_t events() const { return count_; } // held, or held when the cap was crossed
  // After finish(): the heap the held events took (what freeing them gave back), and the
  // growth of the resident set from the first event kept to the last. When over(): the
  // growth since the first event when the cap was crossed.
  std::uint64_t heap_bytes() const { return heap_; }
  std::uint64_t rss_bytes() const { return rss_; }

private:
  bool check(); // samples the memory; false (and releases) when over the cap
  void release();

  std::uint64_t cap_;
  MemoryUse base_;
  std::deque<TraceEvent> events_;
  std::uint64_t count_ = 0;
  std::uint64_t since_check_bytes_ = 0;
  std::uint64_t since_check_events_ = 0;
  std::uint64_t heap_ = 0;
  std::uint64_t rss_ = 0;
  bool over_ = false;
  bool allocation_failed_ = false;
};

} // namespace trace_record::cli
