// The memory this process uses, for measuring what holding a whole trace takes
// (`trace-record stats --load`).
#pragma once

#include <cstdint>

namespace trace_record::cli {

struct MemoryUse {
  std::uint64_t heap = 0; // bytes allocated and not freed (malloc's count; ASan's under ASan)
  std::uint64_t rss = 0;  // resident set size
};
MemoryUse memory_use();

// The default of `stats --max-memory`: 3/4 of the memory available now (MemAvailable),
// or half of the physical memory if that cannot be read.
std::uint64_t default_memory_cap();

} // namespace trace_record::cli
