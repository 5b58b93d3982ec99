// Checking a trace against CONSUMER_CONTRACT.md: what the CodeTracer
// db-backend needs in order to load and display it.
//
// Validation streams: memory grows with the interning tables (paths, functions,
// types), never with the number of steps or values. It stops at the first error.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "trace_record/status.h"
#include "trace_record/types.h"
#include "trace_record/writer.h"

namespace trace_record {

inline constexpr std::uint64_t kNoEventIndex = std::numeric_limits<std::uint64_t>::max();

struct ValidationIssue {
  enum class Severity : std::uint8_t { Warning, Error };
  Severity severity = Severity::Error;
  std::uint64_t event_index = kNoEventIndex; // kNoEventIndex: about a side file
  std::string message;                       // "event 17 (Return): return with no open call (C6)"
};

struct ValidationReport {
  std::uint64_t events = 0;              // events checked
  std::optional<ValidationIssue> error;  // the first violation, if any
  std::vector<ValidationIssue> warnings; // at most kMaxWarnings kept
  std::uint64_t warning_count = 0;       // all warnings, including those not kept
  bool ok() const { return !error.has_value(); }
  static constexpr std::size_t kMaxWarnings = 100;
};

// Feed events in order; then finish(). After an error, further events are ignored.
class StreamValidator {
public:
  StreamValidator();
  ~StreamValidator();
  StreamValidator(const StreamValidator&) = delete;
  StreamValidator& operator=(const StreamValidator&) = delete;
  // Optional: the content of trace_paths.json, checked against the Path events.
  void expect_paths(std::vector<std::string> paths);
  void feed(const TraceEvent& event);
  // The same, for an event whose encoding CodeTracer rejects (EventSource::
  // encoding_issue(), when not empty): an error at this event.
  void feed(const TraceEvent& event, std::string_view encoding_issue);
  bool failed() const;
  // End-of-stream checks; returns the report.
  ValidationReport finish();

private:
  struct Impl;
  Impl* impl_;
};

// Checks trace_metadata.json content (keys, UUIDv7 shape, absolute workdir).
void validate_metadata(const TraceMetadata& metadata, bool had_recording_id,
                       ValidationReport& report);
bool is_uuid_v7(std::string_view s);

// Validates a whole trace folder (or an event file; its folder's side files are
// checked too). An error Status means the input could not be read or decoded
// (malformed, truncated): the message names the file and offset.
Result<ValidationReport> validate_trace(const std::filesystem::path& path);

} // namespace trace_record
