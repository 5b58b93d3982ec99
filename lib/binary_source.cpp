// Placeholder until the binary format lands (issue: binary traces).
#include "trace_record/source.h"

namespace trace_record {
Result<std::unique_ptr<EventSource>> open_binary_source(const std::filesystem::path& file, bool) {
  return Status::error(file.string() + ": binary traces are not implemented yet");
}
} // namespace trace_record
