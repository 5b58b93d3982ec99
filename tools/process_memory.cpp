// memory_use() and default_memory_cap() (process_memory.h).
#include "process_memory.h"

#include <malloc.h>
#include <unistd.h>

#include <cstdio>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/allocator_interface.h>
#define TRACE_RECORD_ASAN_HEAP 1
#endif
#endif

namespace trace_record::cli {

MemoryUse memory_use() {
  MemoryUse m;
#ifdef TRACE_RECORD_ASAN_HEAP
  m.heap = __sanitizer_get_current_allocated_bytes(); // ASan's allocator replaces malloc's
#else
  const struct mallinfo2 mi = mallinfo2();
  m.heap = mi.uordblks + mi.hblkhd; // in use from the arenas + large mmap'ed blocks
#endif
  // /proc/self/statm: size resident shared text lib data dt, in pages.
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    unsigned long long size = 0, resident = 0;
    if (std::fscanf(f, "%llu %llu", &size, &resident) == 2)
      m.rss = resident * std::uint64_t(sysconf(_SC_PAGESIZE));
    std::fclose(f);
  }
  return m;
}

std::uint64_t default_memory_cap() {
  if (std::FILE* f = std::fopen("/proc/meminfo", "r")) {
    char line[256];
    unsigned long long kib = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof line, f))
      found = std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1;
    std::fclose(f);
    if (found && kib > 0)
      return kib * 1024 / 4 * 3;
  }
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0)
    return std::uint64_t(pages) * std::uint64_t(page) / 2;
  return 4ull << 30;
}

} // namespace trace_record::cli
