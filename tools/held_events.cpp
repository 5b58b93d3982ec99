// HeldEvents (held_events.h).
#include "held_events.h"

#include <new>
#include <utility>

namespace trace_record::cli {

namespace {
// Memory is sampled every this many events or decoded bytes: often enough that the cap
// is crossed by little (a decoded event takes a few times its CBOR size), rarely enough
// to cost nothing next to decoding.
constexpr std::uint64_t kCheckEvents = 4096;
constexpr std::uint64_t kCheckBytes = 1u << 20;
} // namespace

HeldEvents::HeldEvents(std::uint64_t cap) : cap_(cap) {}

bool HeldEvents::keep(TraceEvent&& e, std::uint64_t cbor_bytes) {
  if (over_)
    return false;
  if (count_ == 0)
    base_ = memory_use(); // after the reader has set up its buffers
  try {
    events_.push_back(std::move(e));
  } catch (const std::bad_alloc&) {
    allocation_failed_ = true;
    over_ = true;
    release();
    return false;
  }
  ++count_;
  since_check_bytes_ += cbor_bytes;
  if (++since_check_events_ >= kCheckEvents || since_check_bytes_ >= kCheckBytes)
    return check();
  return true;
}

void HeldEvents::finish() {
  if (over_ || count_ == 0 || !check())
    return;
  // The heap the events take is what freeing them gives back: this leaves out what the
  // reader allocated meanwhile (its buffers grow on the first frames or long events).
  const std::uint64_t holding = memory_use().heap;
  release();
  const std::uint64_t released = memory_use().heap;
  heap_ = holding > released ? holding - released : 0;
}

bool HeldEvents::check() {
  since_check_events_ = 0;
  since_check_bytes_ = 0;
  const MemoryUse now = memory_use();
  heap_ = now.heap > base_.heap ? now.heap - base_.heap : 0;
  rss_ = now.rss > base_.rss ? now.rss - base_.rss : 0;
  if (cap_ != 0 && (heap_ > cap_ || rss_ > cap_)) {
    over_ = true;
    release();
    return false;
  }
  return true;
}

void HeldEvents::release() {
  std::deque<TraceEvent>().swap(events_);
}

} // namespace trace_record::cli
