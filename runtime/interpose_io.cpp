// Output capture: what the program writes to stdout (Write) and stderr
// (WriteOther) becomes an Event at the step that produced it, while the bytes
// reaching the file descriptors stay exactly the same.
//
// glibc's stdio writes through its internal __write, which cannot be
// interposed, so the stdio calls themselves are: for stdout/stderr the
// printf family formats into a buffer, records it and hands the same bytes to
// the real fwrite; the other calls record their argument and call the real
// function. C++ iostreams (sync_with_stdio) reach stdio through fwrite/putc.
// write(2)/writev(2) on fds 1 and 2 are recorded too. Buffering is unchanged.
// The interposers define functions glibc may declare as extern inline.
#undef _FORTIFY_SOURCE
#define __NO_INLINE__ 1
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rt_internal.h"

namespace trace_record::rt {
namespace {

constexpr int kWrite = 0;      // EventLogKind::Write
constexpr int kWriteOther = 2; // EventLogKind::WriteOther

template <class Fn> Fn real(Fn& cache, const char* name) {
  if (!cache)
    cache = reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
  return cache;
}
#define REAL(type, name)                                                                           \
  ([]() {                                                                                          \
    using fn_type = type;                                                                          \
    static fn_type cache = nullptr;                                                                \
    return real(cache, #name);                                                                     \
  }())

// The event kind for a stream, or -1 when it is not captured.
inline int kind_of(FILE* f) {
  if (!g_recording.load(std::memory_order_relaxed))
    return -1;
  if (f == stdout)
    return kWrite;
  if (f == stderr)
    return kWriteOther;
  return -1;
}
inline int kind_of_fd(int fd) {
  if (!g_recording.load(std::memory_order_relaxed))
    return -1;
  return fd == 1 ? kWrite : fd == 2 ? kWriteOther : -1;
}

using fwrite_t = size_t (*)(const void*, size_t, size_t, FILE*);

size_t real_fwrite(const void* p, size_t size, size_t n, FILE* f) {
  return REAL(fwrite_t, fwrite)(p, size, n, f);
}

// Formats into `small`, or into a malloc'd buffer when the text does not fit (the caller
// frees *buf when it is not `small`). Returns the length, or a negative value on error.
template <std::size_t N>
int format_output(char (&small)[N], char** buf, const char* fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(small, N, fmt, copy);
  va_end(copy);
  *buf = small;
  if (n < 0 || std::size_t(n) < N)
    return n;
  *buf = static_cast<char*>(std::malloc(std::size_t(n) + 1));
  if (!*buf)
    return -1;
  vsnprintf(*buf, std::size_t(n) + 1, fmt, ap);
  return n;
}

// printf family on a captured stream: format, record, write the same bytes.
int captured_vprintf(int kind, FILE* f, const char* fmt, va_list ap) {
  char small[4096];
  char* buf;
  int n = format_output(small, &buf, fmt, ap);
  if (n < 0)
    return n;
  std::size_t written = real_fwrite(buf, 1, std::size_t(n), f);
  record_output(kind, buf, written);
  if (buf != small)
    std::free(buf);
  return written == std::size_t(n) ? n : -1;
}

using vfprintf_t = int (*)(FILE*, const char*, va_list);
using vfprintf_chk_t = int (*)(FILE*, int, const char*, va_list);

int do_vfprintf(FILE* f, const char* fmt, va_list ap) {
  int kind = kind_of(f);
  if (kind < 0 || !fmt)
    return REAL(vfprintf_t, vfprintf)(f, fmt, ap);
  return captured_vprintf(kind, f, fmt, ap);
}
int do_vfprintf_chk(FILE* f, int flag, const char* fmt, va_list ap) {
  int kind = kind_of(f);
  if (kind < 0 || !fmt)
    return REAL(vfprintf_chk_t, __vfprintf_chk)(f, flag, fmt, ap);
  return captured_vprintf(kind, f, fmt, ap);
}

} // namespace
} // namespace trace_record::rt

using namespace trace_record::rt;

extern "C" {

TR_EXPORT int vfprintf(FILE* f, const char* fmt, va_list ap) {
  return do_vfprintf(f, fmt, ap);
}
TR_EXPORT int vprintf(const char* fmt, va_list ap) {
  return do_vfprintf(stdout, fmt, ap);
}
TR_EXPORT int fprintf(FILE* f, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = do_vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}
TR_EXPORT int printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = do_vfprintf(stdout, fmt, ap);
  va_end(ap);
  return r;
}
TR_EXPORT int __vfprintf_chk(FILE* f, int flag, const char* fmt, va_list ap) {
  return do_vfprintf_chk(f, flag, fmt, ap);
}
TR_EXPORT int __vprintf_chk(int flag, const char* fmt, va_list ap) {
  return do_vfprintf_chk(stdout, flag, fmt, ap);
}
TR_EXPORT int __fprintf_chk(FILE* f, int flag, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = do_vfprintf_chk(f, flag, fmt, ap);
  va_end(ap);
  return r;
}
TR_EXPORT int __printf_chk(int flag, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = do_vfprintf_chk(stdout, flag, fmt, ap);
  va_end(ap);
  return r;
}

TR_EXPORT size_t fwrite(const void* p, size_t size, size_t n, FILE* f) {
  size_t r = real_fwrite(p, size, n, f);
  int kind = kind_of(f);
  if (kind >= 0 && r > 0)
    record_output(kind, p, r * size);
  return r;
}
TR_EXPORT size_t fwrite_unlocked(const void* p, size_t size, size_t n, FILE* f) {
  size_t r = REAL(fwrite_t, fwrite_unlocked)(p, size, n, f);
  int kind = kind_of(f);
  if (kind >= 0 && r > 0)
    record_output(kind, p, r * size);
  return r;
}

TR_EXPORT int fputs(const char* s, FILE* f) {
  int r = REAL(int (*)(const char*, FILE*), fputs)(s, f);
  int kind = kind_of(f);
  if (kind >= 0 && r >= 0)
    record_output(kind, s, std::strlen(s));
  return r;
}
TR_EXPORT int puts(const char* s) {
  int r = REAL(int (*)(const char*), puts)(s);
  int kind = kind_of(stdout);
  if (kind >= 0 && r >= 0) {
    std::size_t n = std::strlen(s);
    char small[4096];
    if (n < sizeof small) {
      std::memcpy(small, s, n);
      small[n] = '\n';
      record_output(kind, small, n + 1);
    } else {
      record_output(kind, s, n);
      record_output(kind, "\n", 1);
    }
  }
  return r;
}

#define TR_PUTC_LIKE(name)                                                                         \
  TR_EXPORT int name(int c, FILE* f) {                                                             \
    int r = REAL(int (*)(int, FILE*), name)(c, f);                                                 \
    int kind = kind_of(f);                                                                         \
    if (kind >= 0 && r != EOF) {                                                                   \
      char ch = static_cast<char>(c);                                                              \
      record_output(kind, &ch, 1);                                                                 \
    }                                                                                              \
    return r;                                                                                      \
  }
TR_PUTC_LIKE(fputc)
TR_PUTC_LIKE(putc)
TR_PUTC_LIKE(_IO_putc)
TR_PUTC_LIKE(fputc_unlocked)
TR_PUTC_LIKE(putc_unlocked)

TR_EXPORT int putchar(int c) {
  return fputc(c, stdout);
}
TR_EXPORT int putchar_unlocked(int c) {
  return fputc_unlocked(c, stdout);
}

TR_EXPORT void perror(const char* s) {
  // perror writes "s: strerror(errno)\n" to stderr through stdio internals.
  int saved = errno;
  if (kind_of(stderr) < 0) {
    REAL(void (*)(const char*), perror)(s);
    return;
  }
  if (s && *s)
    fprintf(stderr, "%s: %s\n", s, std::strerror(saved));
  else
    fprintf(stderr, "%s\n", std::strerror(saved));
  errno = saved;
}

TR_EXPORT int vdprintf(int fd, const char* fmt, va_list ap) {
  int kind = kind_of_fd(fd);
  if (kind < 0 || !fmt)
    return REAL(int (*)(int, const char*, va_list), vdprintf)(fd, fmt, ap);
  char small[4096];
  char* buf;
  int n = format_output(small, &buf, fmt, ap);
  if (n < 0)
    return n;
  std::size_t off = 0;
  while (off < std::size_t(n)) {
    ssize_t w = REAL(ssize_t(*)(int, const void*, size_t), write)(fd, buf + off, n - off);
    if (w <= 0)
      break;
    off += std::size_t(w);
  }
  record_output(kind, buf, off);
  if (buf != small)
    std::free(buf);
  return off == std::size_t(n) ? n : -1;
}
TR_EXPORT int dprintf(int fd, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vdprintf(fd, fmt, ap);
  va_end(ap);
  return r;
}

TR_EXPORT ssize_t write(int fd, const void* buf, size_t n) {
  ssize_t r = REAL(ssize_t(*)(int, const void*, size_t), write)(fd, buf, n);
  int kind = kind_of_fd(fd);
  if (kind >= 0 && r > 0)
    record_output(kind, buf, std::size_t(r));
  return r;
}

TR_EXPORT ssize_t writev(int fd, const struct iovec* iov, int count) {
  ssize_t r = REAL(ssize_t(*)(int, const struct iovec*, int), writev)(fd, iov, count);
  int kind = kind_of_fd(fd);
  if (kind >= 0 && r > 0) {
    std::size_t left = std::size_t(r);
    for (int i = 0; i < count && left > 0; ++i) {
      std::size_t n = iov[i].iov_len < left ? iov[i].iov_len : left;
      record_output(kind, iov[i].iov_base, n);
      left -= n;
    }
  }
  return r;
}

} // extern "C"
