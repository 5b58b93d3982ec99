// Event sinks: where encoded events go. One per on-disk format.
//
// A sink receives events in emission order and writes them as trace.json
// (JSON, TRACE_FORMAT.md §4) or trace.bin (CBOR in seekable zstd, §5-6).
// The TraceWriter (writer.h) owns one sink; tools (convert) use sinks directly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "trace_record/status.h"
#include "trace_record/types.h"

namespace trace_record {

namespace cbor {
class Buffer;
}

enum class TraceFormat : std::uint8_t { Json, Binary };

// When a binary trace ends a frame early so that a follower can read it (§7).
struct FramePolicy {
  std::size_t frame_size = 2u * 1024 * 1024; // uncompressed bytes per frame (reference: 2 MiB)
  std::size_t flush_every_bytes = 0;         // 0 = off; else flush() after this many new bytes
  std::uint32_t flush_every_ms = 0;          // 0 = off; else flush() when this much time passed
  int compression_level = 3;
  // Compress on background threads (same bytes as sequential; see docs/binary.md).
  bool background_compression = true;
  // How many frames are compressed at once when background_compression is on
  // (frames are independent zstd frames, so the bytes do not depend on it).
  unsigned compression_threads = 2;
};

class EventSink {
public:
  virtual ~EventSink() = default;
  // Encodes and appends one event. Errors are sticky: after a failed write every
  // later call returns the same error. Refuses Assignment (TRACE_FORMAT.md §2.7).
  virtual Status write(const TraceEvent& event) = 0;
  // The hot events from their fields: the same output as write() of the event,
  // without building a TraceEvent. Sinks override them with direct encoders;
  // the defaults build the event and call write(). The caller (TraceWriter) has
  // checked them against the contract already.
  virtual Status write_step(PathId path, Line line) { return write(StepRecord{path, line}); }
  virtual Status write_value(VariableId id, const ValueRecord& value) {
    return write(FullValueRecord{id, value});
  }
  virtual Status write_call(FunctionId fid, std::span<const FullValueRecord> args) {
    return write(CallRecord{fid, std::vector<FullValueRecord>(args.begin(), args.end())});
  }
  virtual Status write_return(const ValueRecord& value) { return write(ReturnRecord{value}); }
  // In-place encoding, TraceWriter's hot path: a sink whose stream is CBOR items
  // appended to one buffer may lend it (the binary sink does, when no time- or
  // size-based flush is set). The writer then appends whole Step and flat Value
  // items to *buffer itself, and calls direct_full() as soon as buffer->size() >=
  // limit. The buffer stays the same object while the sink is open; events written
  // there are counted by the writer, not by events_written().
  struct DirectBuffer {
    cbor::Buffer* buffer = nullptr; // null: no in-place encoding
    std::size_t limit = 0;
  };
  virtual DirectBuffer direct_buffer() { return {}; }
  // The lent buffer reached its limit: hand the full frames over. An error is sticky.
  virtual Status direct_full() { return Status::ok(); }
  // Pushes everything written so far to the file (binary: ends the current frame).
  virtual Status flush() = 0;
  // Completes the file (JSON: the closing ']'; binary: last frame + seek table).
  // Idempotent. After a write error (full disk, file size limit, the descriptor
  // taken over by the program) the error is returned, and the file sinks still
  // leave a loadable file: cut after the last event they could keep, then closed
  // (reopened by its path if the program took the descriptor).
  virtual Status close() = 0;
  // After close(): how many of the Path events written are in the file (fewer
  // after a cut); trace_paths.json must list exactly those.
  virtual std::uint64_t paths_in_file() const { return UINT64_MAX; }
  // In the child of fork(): closes the inherited descriptor without writing or
  // taking any lock, so that the child does not keep the parent's file open.
  // The sink is unusable afterwards.
  virtual void close_in_fork_child() {}
  virtual std::uint64_t events_written() const = 0;
  virtual std::uint64_t bytes_written() const = 0; // bytes in the file so far
};

// Creates the event file in `dir` (trace.json or trace.bin), creating `dir` if needed.
Result<std::unique_ptr<EventSink>> open_json_sink(const std::filesystem::path& dir);
Result<std::unique_ptr<EventSink>> open_binary_sink(const std::filesystem::path& dir,
                                                    const FramePolicy& policy = {});
Result<std::unique_ptr<EventSink>> open_sink(const std::filesystem::path& dir, TraceFormat format,
                                             const FramePolicy& policy = {});

// A trace folder reused by a run of the other format holds trace.json AND
// trace.bin, and CodeTracer, which opens trace.json first, shows the earlier run.
// Removes from `dir` the event file of the format other than `keep`, unless a live
// process is writing it. Returns the line to tell the user ("removed
// DIR/trace.json left by an earlier run (CodeTracer would open it instead of
// trace.bin)"), or "" when there was nothing to remove.
Result<std::string> remove_other_event_file(const std::filesystem::path& dir, TraceFormat keep);

} // namespace trace_record
