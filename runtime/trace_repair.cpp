// After a write error (disk full, file size limit) the event file is cut at an
// arbitrary byte. Make it loadable where possible: keep every complete event
// and close it (trace.json: truncate after the last complete event, append ']';
// trace.bin: the library's repair, TRACE_FORMAT.md §7). Truncating first frees
// the space the closing bytes need.
#include <filesystem>

#include "rt_internal.h"
#include "trace_record/binary.h"
#include "trace_record/reader.h"

namespace trace_record::rt {

bool repair_event_file(const char* dir) {
  std::error_code ec;
  std::filesystem::path json = std::filesystem::path(dir) / "trace.json";
  if (std::filesystem::exists(json, ec))
    return repair_json_trace(json).is_ok();
  std::filesystem::path bin = std::filesystem::path(dir) / "trace.bin";
  if (std::filesystem::exists(bin, ec))
    return repair_binary_trace(bin).is_ok();
  return false;
}

} // namespace trace_record::rt
