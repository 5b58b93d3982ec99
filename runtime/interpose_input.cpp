// Input capture: what the program reads from stdin becomes Event{Read} (C8) at
// the step that read it. The stdio read calls on stdin and read(2) on fd 0 are
// interposed; each records the bytes it returned. scanf-family calls are not
// covered (docs/runtime.md).
#undef _FORTIFY_SOURCE
#define __NO_INLINE__ 1
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <unistd.h>

#include "rt_internal.h"

namespace trace_record::rt {
namespace {

constexpr int kRead = 3; // EventLogKind::Read

template <class Fn> Fn real_fn(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}
#define REAL_IN(type, name)                                                                        \
  ([]() {                                                                                          \
    using fn_type = type;                                                                          \
    static fn_type cache = real_fn<fn_type>(#name);                                                \
    return cache;                                                                                  \
  }())

inline bool captured(FILE* f) {
  return f == stdin && g_recording.load(std::memory_order_relaxed);
}

} // namespace
} // namespace trace_record::rt

using namespace trace_record::rt;

extern "C" {

TR_EXPORT ssize_t read(int fd, void* buf, size_t n) {
  ssize_t r = REAL_IN(ssize_t (*)(int, void*, size_t), read)(fd, buf, n);
  if (fd == 0 && r > 0 && g_recording.load(std::memory_order_relaxed))
    record_output(kRead, buf, std::size_t(r));
  return r;
}

TR_EXPORT size_t fread(void* p, size_t size, size_t n, FILE* f) {
  size_t r = REAL_IN(size_t (*)(void*, size_t, size_t, FILE*), fread)(p, size, n, f);
  if (r > 0 && captured(f)) record_output(kRead, p, r * size);
  return r;
}

TR_EXPORT char* fgets(char* s, int n, FILE* f) {
  char* r = REAL_IN(char* (*)(char*, int, FILE*), fgets)(s, n, f);
  if (r && captured(f)) record_output(kRead, r, std::strlen(r));
  return r;
}

TR_EXPORT ssize_t getdelim(char** line, size_t* cap, int delim, FILE* f) {
  ssize_t r = REAL_IN(ssize_t (*)(char**, size_t*, int, FILE*), getdelim)(line, cap, delim, f);
  if (r > 0 && captured(f)) record_output(kRead, *line, std::size_t(r));
  return r;
}

TR_EXPORT ssize_t getline(char** line, size_t* cap, FILE* f) {
  ssize_t r = REAL_IN(ssize_t (*)(char**, size_t*, FILE*), getline)(line, cap, f);
  if (r > 0 && captured(f)) record_output(kRead, *line, std::size_t(r));
  return r;
}

#define TR_GETC_LIKE(name)                                                                         \
  TR_EXPORT int name(FILE* f) {                                                                    \
    int c = REAL_IN(int (*)(FILE*), name)(f);                                                      \
    if (c != EOF && captured(f)) {                                                                 \
      char ch = static_cast<char>(c);                                                              \
      record_output(kRead, &ch, 1);                                                                \
    }                                                                                              \
    return c;                                                                                      \
  }
TR_GETC_LIKE(fgetc)
TR_GETC_LIKE(getc)
TR_GETC_LIKE(_IO_getc)

TR_EXPORT int getchar(void) { return fgetc(stdin); }

} // extern "C"
