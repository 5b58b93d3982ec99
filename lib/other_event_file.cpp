// remove_other_event_file (sink.h): one event file per trace folder.
#include <unistd.h>

#include "event_file_lock.h"
#include "input_file.h"
#include "trace_record/sink.h"

namespace trace_record {

Result<std::string> remove_other_event_file(const std::filesystem::path& dir, TraceFormat keep) {
  const char* kept = keep == TraceFormat::Json ? "trace.json" : "trace.bin";
  const std::filesystem::path other =
      dir / (keep == TraceFormat::Json ? "trace.bin" : "trace.json");
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(other, ec)))
    return std::string();
  // A file a live process writes (another run that took the folder) is not ours.
  if (auto fd = detail::open_input_file(other)) {
    const WriterState state = detail::event_file_writer_state(*fd);
    ::close(*fd);
    if (state == WriterState::Writing)
      return Status::error(other.string() +
                           ": being written by another process; not removed "
                           "(CodeTracer would open it instead of " +
                           kept + ")");
  }
  if (!std::filesystem::remove(other, ec) && ec)
    return Status::error(other.string() + ": cannot remove: " + ec.message() +
                         " (CodeTracer would open it instead of " + kept + ")");
  return "removed " + other.string() + " left by an earlier run (" +
         (keep == TraceFormat::Json ? std::string("it is not this run's trace")
                                    : std::string("CodeTracer would open it instead of ") + kept) +
         ")";
}

} // namespace trace_record
