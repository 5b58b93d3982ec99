// Event sources: reading the event stream of a trace back, one event at a time.
//
// The format is detected by content ('[' or whitespace for JSON, the magic
// C0 DE 72 AC E2 for binary), not by file name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "trace_record/sink.h"
#include "trace_record/status.h"
#include "trace_record/types.h"

namespace trace_record {

enum class ReadState : std::uint8_t {
  Event,     // `event` holds the next event
  End,       // clean end of a complete trace
  Truncated, // the file ends early (writer crashed or still writing); every complete
             // event before the cut was returned. message() says where it was cut.
  NeedMore,  // follow mode only: no complete event available yet; poll again later
  Error,     // malformed input; message() says file, offset and what was expected
};

// Bounds on one event, so that a hostile or corrupt file (a small trace.bin that
// decompresses to one huge event, a JSON element of a GB) ends with a clear error
// instead of exhausting memory. A reader's memory is then bounded by these, one
// compressed frame (at most max_event_bytes too) and the interning a caller keeps,
// whatever the size of the trace.
struct ReadLimits {
  std::uint64_t max_event_bytes = 64ull << 20;   // one event as encoded in the file
  std::uint64_t max_event_memory = 256ull << 20; // one event once decoded (about)
  // The limits the open functions use when none are given (`trace-record`'s
  // --max-event-size sets them for the whole process).
  static ReadLimits& defaults();
};

// Whether a process is still writing an event file. The library's sinks hold an
// advisory lock (a POSIX record lock) on the file while it is open; the kernel
// releases it when the writer closes the file or ends, however it ends (SIGKILL
// too). Gone: nobody holds it (the writer finished, or died; or the file was
// written by a writer without the lock, or is being read from the writing process
// itself). Unknown: the file system cannot tell.
enum class WriterState : std::uint8_t { Writing, Gone, Unknown };

class EventSource {
public:
  virtual ~EventSource() = default;
  virtual ReadState next(TraceEvent& event) = 0;
  // For Truncated / Error: one line, "<file>: offset <n>: <what was expected>".
  // For NeedMore (binary follow mode): where the file ends for now.
  virtual const std::string& message() const = 0;
  virtual TraceFormat format() const = 0;
  // Byte offset in the event file (binary: of the decompressed stream) of the next event.
  virtual std::uint64_t offset() const = 0;
  // After next() returned Event: something in that event's encoding that this
  // reader accepts but CodeTracer's reader rejects (binary: an indefinite-length
  // text string, written by older writers for floats longer than 255 bytes,
  // TRACE_FORMAT.md §5.1), as "<file>: CBOR offset <n>: <what>"; empty if none.
  virtual std::string_view encoding_issue() const { return {}; }
  // Whether a process still writes the file being read (WriterState above). A
  // follower that gets NeedMore while the writer is Gone reads once more (what
  // the writer wrote before it released the lock is in the file) and then knows
  // that no seek table will come.
  virtual WriterState writer_state() const { return WriterState::Unknown; }
};

// The event file of a trace folder: trace.json if present, else trace.bin
// (the consumer's preference, CONSUMER_CONTRACT.md §1). `path` may also name the
// event file itself.
Result<std::filesystem::path> find_event_file(const std::filesystem::path& path);

// Opens an event file, detecting its format by content. Only a regular file is
// read: a FIFO, a directory or a device is refused ("not a regular file").
Result<std::unique_ptr<EventSource>>
open_event_source(const std::filesystem::path& path,
                  const ReadLimits& limits = ReadLimits::defaults());
Result<std::unique_ptr<EventSource>>
open_json_source(const std::filesystem::path& file,
                 const ReadLimits& limits = ReadLimits::defaults());
// follow=true: a missing seek table or a half-written frame yields NeedMore
// instead of Truncated, so the caller can poll (TRACE_FORMAT.md §7).
Result<std::unique_ptr<EventSource>>
open_binary_source(const std::filesystem::path& file, bool follow = false,
                   const ReadLimits& limits = ReadLimits::defaults());

} // namespace trace_record
