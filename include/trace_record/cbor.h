// CBOR encoding of trace events (TRACE_FORMAT.md §5) and its tolerant decoder (§8).
//
// The encoder appends exactly the bytes the reference (cbor4ii 1.2.2 over serde)
// produces for one TraceLowLevelEvent. The decoder reads one item back, telling
// "the item is not complete yet" (more bytes may follow: NeedMore) apart from
// "the bytes are not a valid event" (Error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trace_record/status.h"
#include "trace_record/types.h"

namespace trace_record::cbor {

using Bytes = std::vector<std::uint8_t>;

// A growable byte buffer without zero-filling, for encoding at full speed.
class Buffer {
public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  ~Buffer() { std::free(data_); }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear() { size_ = 0; }
  void resize_down(std::size_t n) { size_ = n < size_ ? n : size_; }
  void swap(Buffer& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(cap_, o.cap_);
  }
  // Drops the first n bytes (n <= size()).
  void erase_front(std::size_t n) {
    if (n != 0 && n < size_)
      std::memmove(data_, data_ + n, size_ - n);
    size_ -= n < size_ ? n : size_;
  }
  // Room for at least n more bytes; returns the write position. Commit with advance().
  [[gnu::always_inline]] std::uint8_t* tail(std::size_t n) {
    if (cap_ - size_ < n)
      grow(n);
    return data_ + size_;
  }
  [[gnu::always_inline]] void advance(std::size_t n) { size_ += n; }
  void append(const void* p, std::size_t n) {
    if (n == 0)
      return; // p may be null (memcpy's arguments must not be, even for 0 bytes)
    std::memcpy(tail(n), p, n);
    size_ += n;
  }

private:
  void grow(std::size_t n);
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t cap_ = 0;
};

// Appends the CBOR item of `event` to `out`. Assignment cannot be serialized
// (§2.7): returns an error and leaves `out` unchanged. Invalid UTF-8 in strings is
// replaced by U+FFFD per maximal invalid subsequence (like from_utf8_lossy).
Status encode_event(const TraceEvent& event, Bytes& out);
Status encode_event(const TraceEvent& event, Buffer& out);
// The hot events from their fields, without building a TraceEvent: the same
// bytes as encode_event(StepRecord / FullValueRecord / CallRecord / ReturnRecord).
void encode_step(PathId path, Line line, Buffer& out);
void encode_value_event(VariableId id, const ValueRecord& value, Buffer& out);
void encode_call(FunctionId fid, const FullValueRecord* args, std::size_t n, Buffer& out);
void encode_return(const ValueRecord& value, Buffer& out);
// A bare ValueRecord (the `ctt2 Char` vector is one).
void encode_value(const ValueRecord& value, Bytes& out);

// Offset of the first byte of the first invalid UTF-8 sequence in s, or s.size().
std::size_t utf8_error_offset(std::string_view s);

// Limits of the decoder (hostile input).
inline constexpr unsigned kMaxNesting = 256;            // nested arrays/maps/tags
inline constexpr std::uint64_t kMaxLength = 1ull << 30; // bytes of a text, entries of a container

enum class DecodeState : std::uint8_t { Ok, NeedMore, Error };

struct DecodeResult {
  DecodeState state = DecodeState::Ok;
  std::size_t consumed = 0; // Ok: size of the item
  std::size_t error_at = 0; // Error: offset of the offending byte, relative to `data`
  std::string message;      // Error: what was expected
  // Ok: offset of the first indefinite-length text string in the item (accepted,
  // but CodeTracer's reader rejects a trace holding one, TRACE_FORMAT.md §5.1), or
  // kNoOffset.
  std::size_t indefinite_text_at = kNoOffset;
  static constexpr std::size_t kNoOffset = ~std::size_t(0);
};

// Decodes one event item from the start of `data`. Tolerance per §8: keys in any
// order, unknown keys skipped (any CBOR item), {"DropLastStep": null}, non-shortest
// heads, indefinite-length text. NeedMore means `data` holds a proper prefix of a
// valid-so-far item; it never allocates from a length before the bytes are there.
// `max_memory` bounds what the decoded event takes (about: sizeof(ValueRecord) per
// value plus the bytes of its strings); beyond it the result is an Error.
inline constexpr std::uint64_t kNoMemoryLimit = ~std::uint64_t(0);
DecodeResult decode_event(const std::uint8_t* data, std::size_t size, TraceEvent& out,
                          std::uint64_t max_memory = kNoMemoryLimit);
inline DecodeResult decode_event(const Bytes& data, TraceEvent& out) {
  return decode_event(data.data(), data.size(), out);
}
// The extent of one well-formed CBOR item at `data` (any item, nesting at most
// kMaxNesting), found without decoding it: no allocation, so a reader can tell
// whether a huge item is complete before decoding it.
DecodeResult scan_item(const std::uint8_t* data, std::size_t size);
// Decodes a bare ValueRecord item.
DecodeResult decode_value(const std::uint8_t* data, std::size_t size, ValueRecord& out,
                          std::uint64_t max_memory = kNoMemoryLimit);

} // namespace trace_record::cbor
