// Reading a whole trace folder: metadata, paths, and the event stream.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "trace_record/source.h"
#include "trace_record/status.h"
#include "trace_record/writer.h"

namespace trace_record {

// Parses trace_metadata.json (§1.1). The older form without recording_id is
// accepted (recording_id stays empty). Errors name the file and offset.
Result<TraceMetadata> read_metadata_file(const std::filesystem::path& file);
Result<TraceMetadata> parse_metadata_json(std::string_view text, const std::string& file_name);
// Parses trace_paths.json (§1.2).
Result<std::vector<std::string>> read_paths_file(const std::filesystem::path& file);
Result<std::vector<std::string>> parse_paths_json(std::string_view text,
                                                  const std::string& file_name);

// A trace folder opened for reading. Side files are optional here (tools can
// still print a bare event file); `metadata`/`paths` are empty when missing.
struct TraceFolder {
  std::filesystem::path dir;
  std::filesystem::path event_file;
  std::optional<TraceMetadata> metadata;
  std::optional<std::vector<std::string>> paths;
  std::unique_ptr<EventSource> events;
};
// `path` may be the folder or the event file itself. Fails if the event file is
// missing/unreadable or a present side file is malformed.
Result<TraceFolder> open_trace_folder(const std::filesystem::path& path);

// Repairs a trace.json cut by a crash (TRACE_FORMAT.md §7): keeps every complete
// event, truncates after the last one and appends ']'. A complete file is left
// untouched. Fails (file unchanged) if the content is malformed rather than cut.
// *events_kept, if given, receives the number of events in the repaired file.
Status repair_json_trace(const std::filesystem::path& file, std::uint64_t* events_kept = nullptr);

// Reads every event (small traces, tests). Truncated/Error become an error Status.
Result<std::vector<TraceEvent>> read_all_events(const std::filesystem::path& path);

} // namespace trace_record
