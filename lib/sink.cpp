// open_sink: dispatch on the trace format.
#include "trace_record/sink.h"

namespace trace_record {

Result<std::unique_ptr<EventSink>> open_sink(const std::filesystem::path& dir, TraceFormat format,
                                             const FramePolicy& policy) {
  if (format == TraceFormat::Binary)
    return open_binary_sink(dir, policy);
  return open_json_sink(dir);
}

} // namespace trace_record
