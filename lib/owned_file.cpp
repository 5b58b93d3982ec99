// OwnedFile (detail/owned_file.h): the event file's descriptor, out of the program's way.
#include "trace_record/detail/owned_file.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

namespace trace_record::detail {

namespace {
// Programs that close "all" descriptors often loop over 3..1023; select() handles
// descriptors below 1024. With a higher limit the library's descriptors go above
// that range, else into the upper half of what is allowed.
constexpr rlim_t kUsualRange = 1024;
constexpr rlim_t kHeadroom = 64;
} // namespace

int move_fd_high(int fd) {
  rlimit rl{};
  if (fd < 0 || getrlimit(RLIMIT_NOFILE, &rl) != 0)
    return fd;
  rlim_t base = rl.rlim_cur >= kUsualRange + kHeadroom ? kUsualRange : rl.rlim_cur / 2;
  if (base <= rlim_t(fd))
    return fd;
  const int high = fcntl(fd, F_DUPFD_CLOEXEC, int(base));
  if (high < 0)
    return fd;
  ::close(fd);
  return high;
}

int OwnedFile::open(const std::filesystem::path& path, int flags, mode_t mode) {
  (void)close();
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0)
    return errno;
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return err;
  }
  fd_ = move_fd_high(fd);
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  path_ = path;
  return 0;
}

bool OwnedFile::still_ours() {
  if (fd_ < 0)
    return false;
  struct stat st {};
  if (fstat(fd_, &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_)
    return true;
  fd_ = -1; // closed by the program, or now one of its files
  return false;
}

bool OwnedFile::reopen() {
  if (fd_ >= 0 || path_.empty())
    return fd_ >= 0;
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_dev != dev_ || st.st_ino != ino_) {
    ::close(fd);
    return false;
  }
  fd_ = move_fd_high(fd);
  return true;
}

int OwnedFile::close() {
  if (fd_ < 0 || !still_ours())
    return 0;
  const int fd = fd_;
  fd_ = -1;
  return ::close(fd) == 0 ? 0 : errno;
}

void OwnedFile::close_in_fork_child() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

int OwnedFile::write_all(const void* p, std::size_t n, std::size_t* written) {
  const auto* b = static_cast<const char*>(p);
  std::size_t done = 0;
  int err = 0;
  while (done < n) {
    const ssize_t w = ::write(fd_, b + done, n - done);
    if (w > 0) {
      done += std::size_t(w);
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else {
      err = w < 0 ? errno : ENOSPC;
      break;
    }
  }
  if (written)
    *written = done;
  return err;
}

int OwnedFile::reserve(std::uint64_t end, std::uint64_t step) {
  const std::uint64_t need = end + kSpareBytes;
  if (reserve_off_ || fd_ < 0 || need <= reserved_end_)
    return 0;
  // A large step first, then exactly what is needed; errors other than a full disk
  // (file systems without fallocate) switch reserving off.
  for (const std::uint64_t to : {need + step, need}) {
    const std::uint64_t from = reserved_end_ > end ? reserved_end_ : end;
    if (::fallocate(fd_, FALLOC_FL_KEEP_SIZE, off_t(from), off_t(to - from)) == 0) {
      reserved_end_ = to;
      return 0;
    }
    if (errno != ENOSPC) {
      reserve_off_ = true;
      return 0;
    }
  }
  return ENOSPC;
}

void OwnedFile::release_reserve(std::uint64_t end) {
  if (fd_ < 0)
    return;
  // A truncation frees the blocks past the size on ext4 and tmpfs even when the
  // size does not change; punching them covers file systems where it does not.
  (void)::ftruncate(fd_, off_t(end));
  const std::uint64_t to = reserved_end_ > end ? reserved_end_ : end;
  (void)::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(end),
                    off_t(to - end + kSpareBytes));
  reserved_end_ = end;
}

bool OwnedFile::spare_room_left() const {
  struct statvfs st {};
  if (fd_ < 0 || fstatvfs(fd_, &st) != 0)
    return true;
  return std::uint64_t(st.f_bavail) * st.f_frsize >= kSpareBytes;
}

} // namespace trace_record::detail
