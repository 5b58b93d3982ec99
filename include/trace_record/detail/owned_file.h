// A descriptor the library keeps open for a long time (the event file), kept out
// of the program's way: close-on-exec, moved above the descriptors a program
// usually uses, and checked before each write, so that trace bytes never land in
// a file the program opened after closing (or dup2-ing over) the library's
// descriptor. Not part of the public API.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace trace_record::detail {

// Moves `fd` to a number above the usual range (F_DUPFD_CLOEXEC) and closes the
// original; returns the new descriptor, or `fd` itself when it cannot be moved.
int move_fd_high(int fd);

class OwnedFile {
public:
  OwnedFile() = default;
  OwnedFile(const OwnedFile&) = delete;
  OwnedFile& operator=(const OwnedFile&) = delete;
  OwnedFile(OwnedFile&& o) noexcept
      : fd_(o.fd_), dev_(o.dev_), ino_(o.ino_), path_(std::move(o.path_)) {
    o.fd_ = -1;
  }
  ~OwnedFile() { (void)close(); }

  // open(2) with O_CLOEXEC added; 0 or an errno value.
  int open(const std::filesystem::path& path, int flags, mode_t mode = 0644);
  int fd() const { return fd_; }
  const std::filesystem::path& path() const { return path_; }
  // True while the descriptor still refers to the file that was opened (one
  // fstat: call it per batch of bytes, not per event). When it does not, the
  // descriptor is forgotten (never written or closed again: it is the program's).
  bool still_ours();
  // After still_ours() failed: opens the same file (same device and inode) again
  // by its path for writing, to close the trace properly. False if it is gone.
  bool reopen();
  // Closes the descriptor if it is still ours; 0 or an errno value.
  int close();
  // In the child of fork(): closes the inherited descriptor without touching
  // the file (no locks taken, nothing written), so that the child does not keep
  // the parent's open file alive.
  void close_in_fork_child();

  // write(2) of all `n` bytes (EINTR retried); 0 or an errno value (ENOSPC for
  // a write that makes no progress). `written` gets the bytes that did land.
  int write_all(const void* p, std::size_t n, std::size_t* written = nullptr);

  // Disk space for a full disk: blocks are reserved ahead of the writes
  // (fallocate, the size unchanged), `step` bytes at a time, so that the file
  // can grow to `end` with kSpareBytes more held back. ENOSPC means there is no room for that: the
  // caller stops writing while the spare bytes can still close the trace and
  // hold its small files (release_reserve gives them back). 0 otherwise, also
  // where the file system cannot reserve (then a full disk shows up as a failed
  // write, as before).
  static constexpr std::uint64_t kSpareBytes = 64u << 10;
  int reserve(std::uint64_t end, std::uint64_t step);
  // Cuts the file at `end` and frees the blocks reserved past it.
  void release_reserve(std::uint64_t end);
  // Whether the file system still has kSpareBytes free (true if unknown).
  bool spare_room_left() const;

private:
  int fd_ = -1;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  std::filesystem::path path_;
  std::uint64_t reserved_end_ = 0;
  bool reserve_off_ = false;
};

} // namespace trace_record::detail
