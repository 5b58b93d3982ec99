// libFuzzer: the trace.bin reader on arbitrary files. An input that starts with
// the trace.bin magic is the file itself (follow mode when its size is odd), so
// the .bin vectors are good seeds; otherwise the first byte picks the mode
// (bit 0: follow) and the rest follows a prepended 8-byte header.
// The reader must end in End / Truncated / Error / NeedMore without crashing,
// and a repeated next() after a final state must return the same state.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "trace_record/binary.h"
#include "trace_record/source.h"

using namespace trace_record;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const bool raw = size >= 5 && std::memcmp(data, kBinaryHeader.data(), 5) == 0;
  const bool follow = raw ? (size & 1) : (data[0] & 1);
  const bool add_header = !raw;
  if (!raw) {
    ++data;
    --size;
  }
  const int fd = memfd_create("trace.bin", MFD_CLOEXEC);
  if (fd < 0)
    return 0;
  bool ok = true;
  if (add_header)
    ok = ::write(fd, kBinaryHeader.data(), 8) == 8;
  if (ok && size)
    ok = ::write(fd, data, size) == ssize_t(size);
  if (ok) {
    const std::string path = "/proc/self/fd/" + std::to_string(fd);
    auto src = open_binary_source(path, follow);
    if (src) {
      TraceEvent e;
      ReadState st = ReadState::Event;
      for (std::size_t i = 0; i < 1000000 && st == ReadState::Event; ++i)
        st = (*src)->next(e);
      // st == Event here means the bound was hit: zstd can expand a small input a lot.
      if (follow && st == ReadState::Truncated)
        std::abort();
      if (st != ReadState::NeedMore && st != ReadState::Event && (*src)->next(e) != st)
        std::abort();
      if ((st == ReadState::Error || st == ReadState::Truncated) && (*src)->message().empty())
        std::abort();
    }
  }
  ::close(fd);
  return 0;
}
