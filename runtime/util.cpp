// Async-signal-safe helpers: no allocation, no stdio.
#include <cstring>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt_internal.h"

namespace trace_record::rt {

long raw_write(int fd, const void* buf, std::size_t len) {
  return syscall(SYS_write, fd, buf, len);
}

void say(const char* a, const char* b, const char* c, const char* d, const char* e, const char* f,
         const char* g, const char* h, const char* i, const char* j) {
  OwnSignalsBlocked quiet; // a closed stderr pipe: EPIPE, not the program's SIGPIPE
  char line[1024] = {};
  for (const char* s : {a, b, c, d, e, f, g, h, i, j})
    if (s)
      str_append(line, sizeof line, s);
  std::size_t n = std::strlen(line);
  std::size_t off = 0;
  while (off < n) {
    long w = raw_write(2, line + off, n - off);
    if (w <= 0)
      break;
    off += std::size_t(w);
  }
}

std::size_t format_u64(char* buf, std::uint64_t v, int base) {
  char tmp[32];
  std::size_t n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[v % unsigned(base)];
    v /= unsigned(base);
  } while (v);
  for (std::size_t i = 0; i < n; ++i)
    buf[i] = tmp[n - 1 - i];
  buf[n] = 0;
  return n;
}

void str_append(char* dst, std::size_t cap, const char* src) {
  std::size_t n = std::strlen(dst);
  while (*src && n + 1 < cap)
    dst[n++] = *src++;
  dst[n] = 0;
}

} // namespace trace_record::rt
