// Binary v1 traces (trace.bin): CBOR events in seekable zstd (TRACE_FORMAT.md §6-7).
//
// open_binary_sink / open_binary_source (sink.h, source.h) are the usual entry
// points; this header adds what tools and tests need beyond them: writing to an
// explicit file, appending pre-encoded CBOR, the frame table, and repair.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "trace_record/sink.h"
#include "trace_record/status.h"
#include "trace_record/types.h"

namespace trace_record {

inline constexpr std::array<std::uint8_t, 8> kBinaryHeader = {0xC0, 0xDE, 0x72, 0xAC,
                                                              0xE2, 0x01, 0x00, 0x00};
inline constexpr std::uint32_t kSkippableMagicSeekTable = 0x184D2A5E;
inline constexpr std::uint32_t kSeekableMagic = 0x8F92EAB1;

// One seek-table entry (§6.3).
struct FrameEntry {
  std::uint32_t compressed = 0;
  std::uint32_t decompressed = 0;
  bool operator==(const FrameEntry&) const = default;
};

class BinarySink : public EventSink {
public:
  // Appends bytes that already are one or more complete CBOR event items.
  virtual Status write_cbor(const std::uint8_t* data, std::size_t size) = 0;
  // The frames ended so far (after close(): all of them, as in the seek table).
  virtual const std::vector<FrameEntry>& frames() const = 0;
  // Uncompressed CBOR bytes written so far.
  virtual std::uint64_t stream_bytes() const = 0;
};

// Creates (truncates) `file` and writes the header. frame_size must be >= 1.
Result<std::unique_ptr<BinarySink>> open_binary_file_sink(const std::filesystem::path& file,
                                                          const FramePolicy& policy = {});

// Reads the seek table at the end of a complete trace.bin (error if absent or bad).
Result<std::vector<FrameEntry>> read_seek_table(const std::filesystem::path& file);

// Makes a crashed trace.bin loadable (§7 "Repair"): keeps every complete event,
// drops a truncated final item, appends `extra` events, and rewrites the file
// with the reference frame policy and a seek table. A complete file is left as
// is (unless `extra` is non-empty). Corrupt input (not just cut) is an error
// and the file is not modified.
Status repair_binary_trace(const std::filesystem::path& file,
                           const std::vector<TraceEvent>& extra = {});

} // namespace trace_record
