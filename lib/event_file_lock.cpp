// open_event_file / event_file_writer_state (event_file_lock.h).
#include "event_file_lock.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace trace_record::detail {

namespace {
struct flock whole_file(short type) {
  struct flock fl {};
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = 0;
  fl.l_len = 0; // to the end, whatever it grows to
  return fl;
}
} // namespace

Status open_event_file(OwnedFile& out, const std::filesystem::path& file) {
  if (const int err = out.open(file, O_WRONLY | O_CREAT); err != 0)
    return Status::error(file.string() + ": cannot create: " + std::strerror(err));
  struct flock fl = whole_file(F_WRLCK);
  if (::fcntl(out.fd(), F_SETLK, &fl) != 0 && (errno == EAGAIN || errno == EACCES)) {
    struct flock held = whole_file(F_WRLCK);
    const long pid = ::fcntl(out.fd(), F_GETLK, &held) == 0 ? long(held.l_pid) : 0L;
    (void)out.close();
    return Status::error(file.string() + ": being written by process " + std::to_string(pid));
  }
  struct stat st;
  if (::fstat(out.fd(), &st) == 0 && S_ISREG(st.st_mode) && ::ftruncate(out.fd(), 0) != 0) {
    const int err = errno;
    (void)out.close();
    return Status::error(file.string() + ": cannot truncate: " + std::strerror(err));
  }
  return Status();
}

bool reopen_event_file(OwnedFile& out) {
  if (!out.reopen())
    return false;
  struct flock fl = whole_file(F_WRLCK);
  (void)::fcntl(out.fd(), F_SETLK, &fl); // best effort: a follower then sees a writer
  return true;
}

WriterState event_file_writer_state(int fd) {
  struct flock fl = whole_file(F_RDLCK); // a read lock conflicts with the writer's lock
  if (fd < 0 || ::fcntl(fd, F_GETLK, &fl) != 0)
    return WriterState::Unknown;
  return fl.l_type == F_UNLCK ? WriterState::Gone : WriterState::Writing;
}

} // namespace trace_record::detail
