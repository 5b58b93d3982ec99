// Not an API: the advisory lock a writer holds on its event file (trace.bin,
// trace.json) while it writes, so that a follower can tell a live writer from one
// that is gone (SIGKILL, power loss) and stop waiting for a seek table that never
// comes.
//
// The lock is a POSIX record lock (fcntl F_SETLK, a write lock on the whole file):
// * the kernel releases it when the process ends, however it ends (even SIGKILL);
// * it belongs to the process, not to the descriptor: a fork()ed child does not
//   inherit it (a child that keeps the parent's descriptor open does not keep the
//   lock alive), and an exec()ed program loses it with the O_CLOEXEC descriptor;
// * it is also released when the writing process closes ANY descriptor of the
//   file: while writing, that process must not open and close the event file
//   again (move the descriptor with F_DUPFD before taking the lock, not after);
// * F_GETLK does not see a process's own locks: a follower in the writing process
//   itself learns nothing (WriterState::Gone).
#pragma once

#include <filesystem>

#include "trace_record/detail/owned_file.h"
#include "trace_record/source.h"
#include "trace_record/status.h"

namespace trace_record::detail {

// Opens `file` into `out` to write an event file (O_WRONLY | O_CREAT, 0644; `out`
// moves the descriptor out of the program's way first), takes the lock, then
// empties the file. A file another live process is writing is refused ("being
// written by process N") rather than truncated under it. Where locks are not
// supported (ENOLCK, some network file systems) the file is written without one.
Status open_event_file(OwnedFile& out, const std::filesystem::path& file);

// OwnedFile::reopen() of an event file whose descriptor the program took over
// (closing it released the lock), with the lock taken again on the new descriptor.
bool reopen_event_file(OwnedFile& out);

// Whether another process holds the writer's lock on the file open as `fd`.
WriterState event_file_writer_state(int fd);

} // namespace trace_record::detail
