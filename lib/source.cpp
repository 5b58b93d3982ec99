// find_event_file / open_event_source: locating the event file and detecting
// its format by content.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "input_file.h"
#include "trace_record/source.h"

namespace trace_record {

ReadLimits& ReadLimits::defaults() {
  static ReadLimits limits;
  return limits;
}

Result<std::filesystem::path> find_event_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    for (const char* name : {"trace.json", "trace.bin"}) {
      auto f = path / name;
      if (std::filesystem::exists(f, ec))
        return f; // not necessarily a regular file: opening it says so
    }
    // A folder named like an event file (found as one above): refused when opened.
    const auto name = path.filename();
    if (name == "trace.json" || name == "trace.bin")
      return path;
    return Status::error(path.string() + ": no trace.json or trace.bin in this folder");
  }
  if (std::filesystem::exists(path, ec))
    return path;
  return Status::error(path.string() + ": no such file or directory");
}

Result<std::unique_ptr<EventSource>> open_event_source(const std::filesystem::path& path,
                                                       const ReadLimits& limits) {
  auto file = find_event_file(path);
  if (!file)
    return file.status();
  auto opened = detail::open_input_file(*file);
  if (!opened)
    return opened.status();
  const int fd = *opened;
  unsigned char magic[5] = {};
  ssize_t n = 0;
  while (n < 5) {
    ssize_t r = ::read(fd, magic + n, std::size_t(5 - n));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    n += r;
  }
  ::close(fd);
  static constexpr unsigned char kMagic[5] = {0xC0, 0xDE, 0x72, 0xAC, 0xE2};
  if (n == 5 && std::memcmp(magic, kMagic, 5) == 0)
    return open_binary_source(*file, false, limits);
  return open_json_source(*file, limits);
}

} // namespace trace_record
