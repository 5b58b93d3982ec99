// Fault-tolerant reads of possibly unmapped memory (see probe_memory.h).
#include "trace_record/probe_memory.h"

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "trace_record/program_memory.h"

namespace trace_record::probe {
namespace {

std::atomic<bool> g_enabled{false};
std::atomic<bool> g_disabled{false}; // for good
constinit thread_local int t_handler_depth __attribute__((tls_model("initial-exec"))) = 0;

} // namespace
} // namespace trace_record::probe

#if defined(__x86_64__) && !defined(TRACE_RECORD_ASAN) // ASan owns SIGSEGV
#define TRACE_RECORD_PROBE 1
// copy(dst=rdi, src=rsi, n=rdx): `rep movsb` stops at a faulting byte with rcx = bytes
// left (the kernel's copy_from_user relies on the same), so the fixup returns n - rcx.
// copy_string(dst, src, max): byte loop; rax = bytes copied when a load faults.
// Direction flag: clear at every call (ABI) and in signal handlers.
asm(R"(
  .text
  .p2align 4
  .globl __trace_record_probe_copy
  .hidden __trace_record_probe_copy
  .type __trace_record_probe_copy, @function
__trace_record_probe_copy:
  mov %rdx, %rcx
  .globl __trace_record_probe_copy_load
  .hidden __trace_record_probe_copy_load
__trace_record_probe_copy_load:
  rep movsb
  mov %rdx, %rax
  ret
  .globl __trace_record_probe_copy_fixup
  .hidden __trace_record_probe_copy_fixup
__trace_record_probe_copy_fixup:
  mov %rdx, %rax
  sub %rcx, %rax
  ret
  .size __trace_record_probe_copy, . - __trace_record_probe_copy

  .p2align 4
  .globl __trace_record_probe_strcopy
  .hidden __trace_record_probe_strcopy
  .type __trace_record_probe_strcopy, @function
__trace_record_probe_strcopy:
  xor %eax, %eax
1:
  cmp %rdx, %rax
  jae 2f
  .globl __trace_record_probe_str_load
  .hidden __trace_record_probe_str_load
__trace_record_probe_str_load:
  movzbl (%rsi,%rax), %ecx
  movb %cl, (%rdi,%rax)
  inc %rax
  test %cl, %cl
  jnz 1b
2:
  .globl __trace_record_probe_str_fixup
  .hidden __trace_record_probe_str_fixup
__trace_record_probe_str_fixup:
  ret
  .size __trace_record_probe_strcopy, . - __trace_record_probe_strcopy
)");
extern "C" {
std::size_t __trace_record_probe_copy(void* dst, const void* src, std::size_t n);
std::size_t __trace_record_probe_strcopy(void* dst, const void* src, std::size_t max);
extern const char __trace_record_probe_copy_load[], __trace_record_probe_copy_fixup[];
extern const char __trace_record_probe_str_load[], __trace_record_probe_str_fixup[];
}
#endif

namespace trace_record::probe {
namespace {

// ------------------------------------------------------------------ mappings table
struct Range {
  std::uintptr_t lo, hi;
};
constexpr std::uint32_t kMaxRanges = 4096; // more readable mappings: the rest are misses
struct Table {
  std::uint32_t n;
  Range r[kMaxRanges];
};
// Seqlock over two tables: readers use g_tables[g_gen & 1] and check g_gen again after;
// the refresher fills the other one, then increments g_gen.
Table g_tables[2];
std::atomic<std::uint64_t> g_gen{0};
std::atomic<bool> g_refreshing{false};
std::atomic<bool> g_stale{false}; // a probe faulted: the table lists an unmapped page
std::atomic<std::int64_t> g_last_refresh{-(std::int64_t{1} << 62)};
std::atomic<std::uint64_t> g_refreshes{0};
// Refreshes: on a miss at most one per 10 ms (pointers to nowhere are common: garbage in
// uninitialised variables); after a fault (a listed page is gone) at most one per ms.
constexpr std::int64_t kMissRefreshNs = 10'000'000;
constexpr std::int64_t kStaleRefreshNs = 1'000'000;

std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts); // vDSO: no system call
  return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

template <class T> T rd(const T& x) {
  return __atomic_load_n(&x, __ATOMIC_RELAXED);
}
template <class T> void wr(T& x, T v) {
  __atomic_store_n(&x, v, __ATOMIC_RELAXED);
}

// Parses /proc/self/maps into t (readable mappings, adjacent ones merged). Device files
// (/dev/... but /dev/zero and /dev/shm) and [vvar]/[vsyscall] are left out: reading them
// may have effects or fault. Byte-wise state machine: any read() chunking works.
bool read_maps(Table& t) {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  std::uint32_t n = 0;
  enum { Lo, Hi, Perm, Skip, Path, Eol } st = Lo;
  std::uintptr_t lo = 0, hi = 0;
  bool readable = false;
  int field = 0;  // fields after perms: offset, dev, inode
  char path[16];  // prefix of the path
  unsigned plen = 0, pcol = 0;
  auto finish = [&] {
    bool dev = plen >= 5 && __builtin_memcmp(path, "/dev/", 5) == 0 &&
               !(plen >= 9 && __builtin_memcmp(path, "/dev/zero", 9) == 0) &&
               !(plen >= 9 && __builtin_memcmp(path, "/dev/shm/", 9) == 0);
    bool special = plen >= 5 && (__builtin_memcmp(path, "[vvar", 5) == 0 ||
                                 (plen >= 9 && __builtin_memcmp(path, "[vsyscal", 8) == 0));
    if (readable && !dev && !special && hi > lo) {
      if (n > 0 && rd(t.r[n - 1].hi) == lo)
        wr(t.r[n - 1].hi, hi);
      else if (n < kMaxRanges) {
        wr(t.r[n].lo, lo);
        wr(t.r[n].hi, hi);
        ++n;
      }
    }
    lo = hi = 0;
    readable = false;
    field = 0;
    plen = pcol = 0;
  };
  auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    return -1;
  };
  char buf[4096];
  for (;;) {
    ssize_t k = read(fd, buf, sizeof buf);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      break;
    for (ssize_t i = 0; i < k; ++i) {
      char c = buf[i];
      if (c == '\n') {
        if (st != Lo)
          finish();
        st = Lo;
        continue;
      }
      switch (st) {
      case Lo:
        if (c == '-')
          st = Hi;
        else if (int v = hexval(c); v >= 0)
          lo = lo << 4 | std::uintptr_t(v);
        break;
      case Hi:
        if (c == ' ') {
          st = Perm;
          pcol = 0;
        } else if (int v = hexval(c); v >= 0)
          hi = hi << 4 | std::uintptr_t(v);
        break;
      case Perm:
        if (pcol++ == 0)
          readable = c == 'r';
        if (c == ' ')
          st = Skip;
        break;
      case Skip: // offset, dev, inode, then spaces up to the path
        if (c == ' ') {
          if (field < 3)
            ++field;
        } else if (field >= 3) {
          st = Path;
          path[plen++] = c;
        }
        break;
      case Path:
        if (plen < sizeof path)
          path[plen++] = c;
        break;
      case Eol:
        break;
      }
    }
  }
  if (st != Lo)
    finish();
  close(fd);
  wr(t.n, n);
  return true;
}

// Reads the maps again unless another thread is at it or the last refresh is recent.
void refresh(std::int64_t min_interval_ns) {
  std::int64_t now = now_ns();
  if (now - g_last_refresh.load(std::memory_order_relaxed) < min_interval_ns)
    return;
  if (g_refreshing.exchange(true, std::memory_order_acquire))
    return;
  std::uint64_t g = g_gen.load(std::memory_order_relaxed);
  g_stale.store(false, std::memory_order_relaxed);
  if (read_maps(g_tables[(g + 1) & 1]))
    g_gen.store(g + 1, std::memory_order_release);
  g_last_refresh.store(now, std::memory_order_relaxed);
  g_refreshes.fetch_add(1, std::memory_order_relaxed);
  g_refreshing.store(false, std::memory_order_release);
}

// Bytes readable from a in the current table, or 0; false if a refresh got in the way.
bool lookup(std::uintptr_t a, std::size_t* extent) {
  std::uint64_t g = g_gen.load(std::memory_order_acquire);
  const Table& t = g_tables[g & 1];
  std::uint32_t n = rd(t.n);
  if (n > kMaxRanges)
    n = kMaxRanges;
  std::uint32_t lo = 0, hi = n; // first range with .lo > a
  while (lo < hi) {
    std::uint32_t mid = (lo + hi) / 2;
    if (rd(t.r[mid].lo) <= a)
      lo = mid + 1;
    else
      hi = mid;
  }
  std::size_t e = 0;
  if (lo > 0) {
    std::uintptr_t rh = rd(t.r[lo - 1].hi);
    if (a < rh)
      e = rh - a;
  }
  std::atomic_thread_fence(std::memory_order_acquire);
  *extent = e;
  return g_gen.load(std::memory_order_relaxed) == g;
}

} // namespace

void set_enabled(bool on) noexcept {
#ifdef TRACE_RECORD_PROBE
  g_enabled.store(on && !g_disabled.load(), std::memory_order_relaxed);
#else
  (void)on;
#endif
}
void disable_forever() noexcept {
  g_disabled.store(true);
  g_enabled.store(false, std::memory_order_relaxed);
}
bool enabled() noexcept {
  return g_enabled.load(std::memory_order_relaxed) && t_handler_depth == 0;
}
void enter_handler() noexcept {
  ++t_handler_depth;
}
void leave_handler() noexcept {
  --t_handler_depth;
}

bool fixup(void* ucontext) noexcept {
#ifdef TRACE_RECORD_PROBE
  if (!ucontext)
    return false;
  auto* uc = static_cast<ucontext_t*>(ucontext);
  greg_t& rip = uc->uc_mcontext.gregs[REG_RIP];
  const char* to = nullptr;
  if (rip == reinterpret_cast<greg_t>(__trace_record_probe_copy_load))
    to = __trace_record_probe_copy_fixup;
  else if (rip == reinterpret_cast<greg_t>(__trace_record_probe_str_load))
    to = __trace_record_probe_str_fixup;
  if (!to)
    return false;
  rip = reinterpret_cast<greg_t>(to);
  g_stale.store(true, std::memory_order_relaxed);
  return true;
#else
  (void)ucontext;
  return false;
#endif
}

std::size_t readable_extent(std::uintptr_t a) noexcept {
  if (g_stale.load(std::memory_order_relaxed))
    refresh(kStaleRefreshNs);
  std::size_t e = 0;
  if (!lookup(a, &e) || e == 0) {
    refresh(kMissRefreshNs);
    if (!lookup(a, &e))
      return 0;
  }
  return e;
}

std::size_t copy(void* dst, const void* src, std::size_t n) noexcept {
#ifdef TRACE_RECORD_PROBE
  return __trace_record_probe_copy(dst, src, n);
#else
  (void)dst, (void)src, (void)n;
  return 0;
#endif
}

std::size_t copy_string(void* dst, const void* src, std::size_t max) noexcept {
#ifdef TRACE_RECORD_PROBE
  return __trace_record_probe_strcopy(dst, src, max);
#else
  (void)dst, (void)src, (void)max;
  return 0;
#endif
}

void reset_table_for_tests() noexcept {
  g_last_refresh.store(-(std::int64_t{1} << 62));
  refresh(0);
}
std::uint64_t table_refreshes() noexcept {
  return g_refreshes.load();
}

} // namespace trace_record::probe
