// Not an API: how the readers open the files of a trace folder. Only regular
// files are read: a FIFO would block open() and read() (a hang), a directory or
// a device is not a trace, and a side file is read whole only up to a size.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "trace_record/status.h"

namespace trace_record::detail {

// Opens `file` read-only (O_CLOEXEC). Anything that is not a regular file is
// refused without blocking: "<file>: not a regular file (a FIFO)".
Result<int> open_input_file(const std::filesystem::path& file);

// The whole content of a small regular file (trace_metadata.json,
// trace_paths.json), refused beyond `max_bytes`.
inline constexpr std::size_t kMaxSideFileBytes = 64u << 20;
Result<std::string> read_input_file(const std::filesystem::path& file,
                                    std::size_t max_bytes = kMaxSideFileBytes);

} // namespace trace_record::detail
