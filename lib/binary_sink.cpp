// Placeholder until the binary format lands (issue: binary traces).
#include "trace_record/sink.h"

namespace trace_record {
Result<std::unique_ptr<EventSink>> open_binary_sink(const std::filesystem::path&,
                                                    const FramePolicy&) {
  return Status::error("binary traces are not implemented yet");
}
} // namespace trace_record
