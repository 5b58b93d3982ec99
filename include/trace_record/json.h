// JSON encoding of events exactly as trace.json elements (TRACE_FORMAT.md §4).
//
// Everything appends to a caller-owned std::string so that a sink can reuse one
// buffer for millions of events without allocating.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trace_record/status.h"
#include "trace_record/types.h"

namespace trace_record {

// Appends one event as its exact trace.json element (no separator). Assignment
// cannot be serialized (§2.7): returns an error and leaves `out` unchanged.
// Strings that are not valid UTF-8 are sanitised (each maximal invalid
// subsequence becomes U+FFFD).
Status append_json_event(std::string& out, const TraceEvent& event);
Result<std::string> to_json(const TraceEvent& event);
// The hot events from their fields (the same text as append_json_event).
void append_json_step(std::string& out, PathId path, Line line);
void append_json_value_event(std::string& out, VariableId id, const ValueRecord& value);
void append_json_call(std::string& out, FunctionId fid, std::span<const FullValueRecord> args);
void append_json_return(std::string& out, const ValueRecord& value);

// Pieces, for tools and other encoders.
void append_json_value(std::string& out, const ValueRecord& value);
void append_json_string(std::string& out, std::string_view s); // quoted + escaped
void append_json_type_specific_info(std::string& out, const TypeSpecificInfo& info);
std::string value_to_json(const ValueRecord& value);

// Reading (lib/json_source.cpp): an in-memory trace.json document (tests, fuzzing;
// `name` is used in messages), and one element on its own.
class EventSource;
std::unique_ptr<EventSource> open_json_source_from_string(std::string data, std::string name);
Result<TraceEvent> parse_json_event(std::string_view element);

// trace_metadata.json / trace_paths.json bodies (§1.1, §1.2).
struct TraceMetadata;
std::string metadata_to_json(const TraceMetadata& metadata);
std::string paths_to_json(const std::vector<std::string>& paths);

} // namespace trace_record
