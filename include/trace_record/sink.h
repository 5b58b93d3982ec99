// Event sinks: where encoded events go. One per on-disk format.
//
// A sink receives events in emission order and writes them as trace.json
// (JSON, TRACE_FORMAT.md §4) or trace.bin (CBOR in seekable zstd, §5-6).
// The TraceWriter (writer.h) owns one sink; tools (convert) use sinks directly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "trace_record/status.h"
#include "trace_record/types.h"

namespace trace_record {

enum class TraceFormat : std::uint8_t { Json, Binary };

// When a binary trace ends a frame early so that a follower can read it (§7).
struct FramePolicy {
  std::size_t frame_size = 2u * 1024 * 1024; // uncompressed bytes per frame (reference: 2 MiB)
  std::size_t flush_every_bytes = 0;         // 0 = off; else flush() after this many new bytes
  std::uint32_t flush_every_ms = 0;          // 0 = off; else flush() when this much time passed
  int compression_level = 3;
  // Compress on a background thread (same bytes as sequential; see docs/binary.md).
  bool background_compression = true;
};

class EventSink {
public:
  virtual ~EventSink() = default;
  // Encodes and appends one event. Errors are sticky: after a failed write every
  // later call returns the same error. Refuses Assignment (TRACE_FORMAT.md §2.7).
  virtual Status write(const TraceEvent& event) = 0;
  // Pushes everything written so far to the file (binary: ends the current frame).
  virtual Status flush() = 0;
  // Completes the file (JSON: the closing ']'; binary: last frame + seek table).
  // Idempotent.
  virtual Status close() = 0;
  virtual std::uint64_t events_written() const = 0;
  virtual std::uint64_t bytes_written() const = 0; // bytes in the file so far
};

// Creates the event file in `dir` (trace.json or trace.bin), creating `dir` if needed.
Result<std::unique_ptr<EventSink>> open_json_sink(const std::filesystem::path& dir);
Result<std::unique_ptr<EventSink>> open_binary_sink(const std::filesystem::path& dir,
                                                    const FramePolicy& policy = {});
Result<std::unique_ptr<EventSink>> open_sink(const std::filesystem::path& dir, TraceFormat format,
                                             const FramePolicy& policy = {});

} // namespace trace_record
