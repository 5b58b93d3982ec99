// open_input_file / read_input_file (input_file.h).
#include "input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trace_record::detail {

namespace {

const char* kind_of(mode_t m) {
  if (S_ISFIFO(m))
    return "a FIFO";
  if (S_ISDIR(m))
    return "a directory";
  if (S_ISCHR(m))
    return "a character device";
  if (S_ISBLK(m))
    return "a block device";
  if (S_ISSOCK(m))
    return "a socket";
  return "not a file";
}

Status not_regular(const std::filesystem::path& file, mode_t m) {
  return Status::error(file.string() + ": not a regular file (" + kind_of(m) +
                       "); a trace is read from regular files only");
}

} // namespace

Result<int> open_input_file(const std::filesystem::path& file) {
  // stat() first: opening a device can have effects. O_NONBLOCK: a FIFO swapped in
  // meanwhile must not block the open; fstat() then checks what was opened.
  struct stat st;
  if (::stat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    return not_regular(file, st.st_mode);
  const int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0)
    return Status::error(file.string() + ": cannot open: " + std::strerror(errno));
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::error(file.string() + ": cannot stat: " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return not_regular(file, st.st_mode);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

Result<std::string> read_input_file(const std::filesystem::path& file, std::size_t max_bytes) {
  auto fd = open_input_file(file);
  if (!fd)
    return fd.status();
  std::string out;
  char buf[1 << 16];
  Status st;
  for (;;) {
    const ssize_t r = ::read(*fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      st = Status::error(file.string() + ": read failed: " + std::strerror(errno));
      break;
    }
    if (r == 0)
      break;
    if (out.size() + std::size_t(r) > max_bytes) {
      st = Status::error(file.string() + ": larger than " + std::to_string(max_bytes >> 20) +
                         " MiB; not a trace's side file");
      break;
    }
    out.append(buf, std::size_t(r));
  }
  ::close(*fd);
  if (!st)
    return st;
  return out;
}

} // namespace trace_record::detail
