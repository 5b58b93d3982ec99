// Reading the traced program's memory as a debugger does.
//
// The value hooks copy variables that may be out of their lifetime (a loop
// variable at the step after its loop) or partly uninitialised. That is
// intended, but AddressSanitizer would report it when the program or the
// runtime is built with it (its memcpy/strnlen interceptors check the shadow).
// Under ASan these helpers copy with plain loads it does not check; otherwise
// they are memcpy and strnlen.
#pragma once

#include <cstddef>
#include <cstring>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRACE_RECORD_ASAN 1
#endif
#endif
#if !defined(TRACE_RECORD_ASAN) && defined(__SANITIZE_ADDRESS__)
#define TRACE_RECORD_ASAN 1
#endif

namespace trace_record {

#ifdef TRACE_RECORD_ASAN
__attribute__((no_sanitize("address"))) inline void copy_program_memory(void* dst, const void* src,
                                                                         std::size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  auto* s = static_cast<const volatile unsigned char*>(src); // no memcpy idiom
  for (std::size_t i = 0; i < n; ++i)
    d[i] = s[i];
}
__attribute__((no_sanitize("address"))) inline std::size_t program_strnlen(const char* s,
                                                                            std::size_t max) {
  auto* p = reinterpret_cast<const volatile char*>(s);
  std::size_t n = 0;
  while (n < max && p[n] != 0)
    ++n;
  return n;
}
#else
inline void copy_program_memory(void* dst, const void* src, std::size_t n) {
  std::memcpy(dst, src, n);
}
inline std::size_t program_strnlen(const char* s, std::size_t max) { return strnlen(s, max); }
#endif

} // namespace trace_record
