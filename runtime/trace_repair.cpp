// After a write error (disk full, file size limit) the event file is cut at an
// arbitrary byte. Make it loadable where possible: keep every complete event
// and close it (trace.json: truncate after the last complete event, append ']';
// trace.bin: the library's repair, TRACE_FORMAT.md §7). Truncating first frees
// the space the closing bytes need.
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

#include "rt_internal.h"
#include "trace_record/binary.h"
#include "trace_record/source.h"

namespace trace_record::rt {

namespace {

bool repair_json(const std::filesystem::path& file) {
  auto src = open_json_source(file);
  if (!src)
    return false;
  TraceEvent event;
  std::uint64_t good_end = 0;
  ReadState st;
  while ((st = (*src)->next(event)) == ReadState::Event)
    good_end = (*src)->offset();
  if (st == ReadState::End)
    return true; // already complete
  if (good_end == 0)
    return false;
  int fd = open(file.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return false;
  bool ok = ftruncate(fd, off_t(good_end)) == 0;
  // Drop a separator (or whitespace) after the last complete event.
  char c = 0;
  while (ok && good_end > 1 && pread(fd, &c, 1, off_t(good_end - 1)) == 1 &&
         (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t'))
    ok = ftruncate(fd, off_t(--good_end)) == 0;
  if (ok)
    ok = pwrite(fd, "]", 1, off_t(good_end)) == 1;
  close(fd);
  return ok;
}

} // namespace

bool repair_event_file(const char* dir) {
  std::error_code ec;
  std::filesystem::path json = std::filesystem::path(dir) / "trace.json";
  if (std::filesystem::exists(json, ec))
    return repair_json(json);
  std::filesystem::path bin = std::filesystem::path(dir) / "trace.bin";
  if (std::filesystem::exists(bin, ec))
    return repair_binary_trace(bin).is_ok();
  return false;
}

} // namespace trace_record::rt
