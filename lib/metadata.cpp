// trace_metadata.json, trace_paths.json (TRACE_FORMAT.md §1) and UUIDv7.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>

#include "trace_record/json.h"
#include "trace_record/writer.h"

namespace trace_record {

namespace {

// 0 or an errno value.
int write_to(int fd, const std::string& body) {
  std::size_t done = 0;
  while (done < body.size()) {
    const ssize_t w = ::pwrite(fd, body.data() + done, body.size() - done, off_t(done));
    if (w > 0)
      done += std::size_t(w);
    else if (w < 0 && errno == EINTR)
      continue;
    else
      return w < 0 ? errno : ENOSPC;
  }
  return 0;
}

// The file is always whole: written under a temporary name in the same folder,
// then renamed over the old one. When the temporary file cannot be written (a
// full disk has no block for it), the old file is overwritten in place instead:
// its blocks are already there, and these files are small.
Status write_whole(const std::filesystem::path& file, const std::string& body) {
  std::filesystem::path tmp = file;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = fd < 0 ? errno : write_to(fd, body);
  if (fd >= 0 && ::close(fd) != 0 && err == 0)
    err = errno;
  if (err == 0 && ::rename(tmp.c_str(), file.c_str()) == 0)
    return Status::ok();
  if (err == 0)
    err = errno;
  ::unlink(tmp.c_str());
  fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return Status::error(file.string() + ": cannot write: " + std::strerror(err));
  err = write_to(fd, body);
  if (err == 0 && ::ftruncate(fd, off_t(body.size())) != 0)
    err = errno;
  ::close(fd);
  if (err != 0)
    return Status::error(file.string() + ": write failed: " + std::strerror(err));
  return Status::ok();
}

} // namespace

std::string make_uuid_v7() {
  using namespace std::chrono;
  const std::uint64_t ms =
      std::uint64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
  std::random_device rd;
  std::uint8_t b[16];
  for (int i = 0; i < 6; ++i)
    b[i] = std::uint8_t(ms >> (40 - 8 * i));
  for (int i = 6; i < 16; i += 2) {
    std::uint32_t r = rd();
    b[i] = std::uint8_t(r);
    b[i + 1] = std::uint8_t(r >> 8);
  }
  b[6] = std::uint8_t(0x70 | (b[6] & 0x0F));
  b[8] = std::uint8_t(0x80 | (b[8] & 0x3F));
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      s.push_back('-');
    s.push_back(hex[b[i] >> 4]);
    s.push_back(hex[b[i] & 15]);
  }
  return s;
}

Status write_metadata_file(const std::filesystem::path& dir, const TraceMetadata& metadata) {
  return write_whole(dir / "trace_metadata.json", metadata_to_json(metadata));
}

Status write_paths_file(const std::filesystem::path& dir, const std::vector<std::string>& paths) {
  return write_whole(dir / "trace_paths.json", paths_to_json(paths));
}

} // namespace trace_record
