// Capture of variable values on the traced thread (see value_codec.h):
// no allocation, no locks; pointees read with safe_read.
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "../runtime/include/trace_record_rt_values.h"
#include "trace_record/probe_memory.h"
#include "trace_record/program_memory.h"
#include "trace_record/value_codec.h"
#include "value_types.h"

namespace trace_record::values {
namespace {

constexpr std::uintptr_t kPage = 4096;

struct StackRange {
  std::uintptr_t lo = 0, hi = 0;
  bool known = false;
};
constinit thread_local StackRange t_stack __attribute__((tls_model("initial-exec")));

// The current thread's stack, [current frame, top): always readable.
bool on_own_stack(std::uintptr_t a, std::size_t n) {
  if (!t_stack.known) {
    t_stack.known = true;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      void* base = nullptr;
      std::size_t size = 0;
      if (pthread_attr_getstack(&attr, &base, &size) == 0) {
        t_stack.lo = reinterpret_cast<std::uintptr_t>(base);
        t_stack.hi = t_stack.lo + size;
      }
      pthread_attr_destroy(&attr);
    }
  }
  auto sp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  return a >= sp && a < t_stack.hi && n <= t_stack.hi - a;
}

// Memory that stays readable: the main executable's loaded segments (never
// unmapped) and the brk heap up to the current break (sbrk(0) reads a cached
// variable). Found once; reads elsewhere use process_vm_readv.
struct Readable {
  std::uintptr_t heap_lo = 0;
  std::uintptr_t image[8][2] = {};
  int n_image = 0;
};
Readable g_readable;
std::atomic<int> g_readable_state{0}; // 0 unknown, 1 being found, 2 ready

std::uintptr_t parse_start_brk() {
  int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char buf[1024];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return 0;
  buf[n] = 0;
  const char* p = std::strrchr(buf, ')'); // the command name may hold spaces
  if (!p)
    return 0;
  // Field 3 follows ") "; start_brk is field 47.
  int field = 2;
  for (; *p && field < 47; ++p)
    if (*p == ' ')
      ++field;
  return std::strtoull(p, nullptr, 10);
}

int find_image(dl_phdr_info* info, std::size_t, void* data) {
  auto* r = static_cast<Readable*>(data);
  for (int i = 0; i < info->dlpi_phnum && r->n_image < 8; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_R))
      continue;
    std::uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
    r->image[r->n_image][0] = lo;
    r->image[r->n_image][1] = lo + ph.p_memsz;
    ++r->n_image;
  }
  return 1; // the first object is the main executable
}

bool known_readable(std::uintptr_t a, std::size_t n) {
  int state = g_readable_state.load(std::memory_order_acquire);
  if (state == 0 && g_readable_state.compare_exchange_strong(state, 1)) {
    g_readable.heap_lo = parse_start_brk();
    dl_iterate_phdr(find_image, &g_readable);
    g_readable_state.store(2, std::memory_order_release);
    state = 2;
  }
  if (state != 2)
    return false;
  for (int i = 0; i < g_readable.n_image; ++i)
    if (a >= g_readable.image[i][0] && n <= g_readable.image[i][1] - a &&
        a < g_readable.image[i][1])
      return true;
  if (g_readable.heap_lo && a >= g_readable.heap_lo) {
    auto brk = reinterpret_cast<std::uintptr_t>(sbrk(0));
    if (brk != std::uintptr_t(-1) && a < brk && n <= brk - a)
      return true;
  }
  return false;
}

using detail::is_char;
using detail::is_container;
using detail::load_u64;
using detail::wide_unit;

// Bytes up to and including the first NUL character of `unit` bytes in s[0, max).
std::size_t wide_strnlen(const std::uint8_t* s, std::size_t unit, std::size_t max) {
  for (std::size_t i = 0; i + unit <= max; i += unit)
    if (!s[i] && !s[i + 1] && (unit == 2 || (!s[i + 2] && !s[i + 3])))
      return i + unit;
  return max;
}

struct Writer {
  std::uint8_t* out;
  std::size_t cap;
  std::size_t len;
  std::uint32_t snapshots;
  const Limits& limits;
};

// A wchar_t / char16_t / char32_t string: whole characters up to and including the
// first NUL character, at most max_string + 1 of them; without a NUL, the readable ones.
void snapshot_wide(Writer& w, std::size_t unit, std::uint64_t ptr) {
  if (w.len + 5 > w.cap)
    return;
  std::uint8_t* hdr = w.out + w.len;
  std::size_t room = w.cap - w.len - 5;
  std::size_t want = (std::size_t{w.limits.max_string} + 1) * unit;
  if (want > room)
    want = room - room % unit;
  std::size_t got = safe_read(hdr + 5, reinterpret_cast<const void*>(ptr), want);
  got -= got % unit;
  std::size_t n = wide_strnlen(hdr + 5, unit, got);
  bool ok = got > 0;
  if (!ok)
    n = 0;
  hdr[0] = static_cast<std::uint8_t>(ok ? SnapshotStatus::Ok : SnapshotStatus::Unreadable);
  std::uint32_t n32 = static_cast<std::uint32_t>(n);
  std::memcpy(hdr + 1, &n32, 4);
  w.len += 5 + n;
  ++w.snapshots;
}

void snapshot(Writer& w, const tr_type_desc* target, std::uint64_t ptr) {
  if (w.snapshots >= w.limits.max_snapshots)
    return;
  if (std::size_t unit = wide_unit(target)) {
    snapshot_wide(w, unit, ptr);
    return;
  }
  std::size_t want;
  if (is_char(target))
    want = std::size_t{w.limits.max_string} + 1;
  else
    want = target->size < w.limits.max_pointee ? target->size : w.limits.max_pointee;
  if (w.len + 5 > w.cap)
    return;
  std::uint8_t* hdr = w.out + w.len;
  std::size_t room = w.cap - w.len - 5;
  if (want > room)
    want = room;
  std::size_t got;
  auto a = static_cast<std::uintptr_t>(ptr);
  if (is_char(target) && a >= kPage && (on_own_stack(a, want) || known_readable(a, want))) {
    // Copy the string only, not `want` bytes.
    auto* s = reinterpret_cast<const char*>(ptr);
    std::size_t len = program_strnlen(s, want);
    got = len < want ? len + 1 : want;
    copy_program_memory(hdr + 5, s, got);
  } else if (is_char(target) && a >= kPage && probe::enabled() && want > 0) {
    // A mapping listed readable: copy up to the NUL, stopping at a fault. A string that
    // runs past the listed mapping is read as before (process_vm_readv).
    std::size_t extent = probe::readable_extent(a);
    std::size_t lim = extent < want ? extent : want;
    got = lim ? probe::copy_string(hdr + 5, reinterpret_cast<const void*>(ptr), lim) : 0;
    bool ended = got > 0 && (hdr[5 + got - 1] == 0 || got == want);
    if (!ended && (lim == 0 || got == lim))
      got = safe_read(hdr + 5, reinterpret_cast<const void*>(ptr), want);
  } else {
    got = safe_read(hdr + 5, reinterpret_cast<const void*>(ptr), want);
  }
  std::uint32_t n = static_cast<std::uint32_t>(got);
  if (is_char(target)) {
    auto* nul = static_cast<std::uint8_t*>(std::memchr(hdr + 5, 0, got));
    if (nul)
      n = static_cast<std::uint32_t>(nul - (hdr + 5)) + 1; // keep the NUL: terminated
    else if (got < want)
      n = got; // unreadable tail
  }
  bool ok = is_char(target) ? got > 0 : got == want;
  if (!ok)
    n = 0;
  hdr[0] = static_cast<std::uint8_t>(ok ? SnapshotStatus::Ok : SnapshotStatus::Unreadable);
  std::memcpy(hdr + 1, &n, 4);
  w.len += 5 + n;
  ++w.snapshots;
}

// Exactly `want` bytes at ptr (fewer if the buffer is full); Unreadable if not all
// of them could be read.
void snapshot_bytes(Writer& w, std::uint64_t ptr, std::size_t want) {
  if (w.snapshots >= w.limits.max_snapshots || w.len + 5 > w.cap)
    return;
  std::uint8_t* hdr = w.out + w.len;
  std::size_t room = w.cap - w.len - 5;
  if (want > room)
    want = room;
  std::size_t got = safe_read(hdr + 5, reinterpret_cast<const void*>(ptr), want);
  bool ok = got == want;
  std::uint32_t n = ok ? static_cast<std::uint32_t>(got) : 0;
  hdr[0] = static_cast<std::uint8_t>(ok ? SnapshotStatus::Ok : SnapshotStatus::Unreadable);
  std::memcpy(hdr + 1, &n, 4);
  w.len += 5 + n;
  ++w.snapshots;
}

// Up to min(count, max_elements) elements of `esize` bytes, gathered from wherever a
// container keeps them (tree or list nodes, deque buffers), one after the other in one
// snapshot, written when this goes out of scope: the elements read until the first
// unreadable one, Unreadable if none could be read.
class ElementSnapshot {
public:
  // one_more: up to max_elements + 1 (a container without a size: the extra one tells the
  // decoder that the elements go on).
  ElementSnapshot(Writer& w, std::uint64_t count, std::size_t esize, bool one_more = false)
      : w_(w), esize_(esize) {
    if (w.snapshots >= w.limits.max_snapshots || w.len + 5 > w.cap)
      return;
    open_ = true;
    std::size_t room = w.cap - w.len - 5;
    std::uint64_t cap = std::uint64_t{w.limits.max_elements} + one_more;
    n_ = count < cap ? count : cap;
    if (n_ > room / esize)
      n_ = room / esize;
  }
  ElementSnapshot(const ElementSnapshot&) = delete;
  ElementSnapshot& operator=(const ElementSnapshot&) = delete;
  ~ElementSnapshot() {
    if (!open_)
      return;
    std::uint8_t* hdr = w_.out + w_.len;
    std::uint32_t len = static_cast<std::uint32_t>(got_ * esize_);
    hdr[0] = static_cast<std::uint8_t>(got_ ? SnapshotStatus::Ok : SnapshotStatus::Unreadable);
    std::memcpy(hdr + 1, &len, 4);
    w_.len += 5 + len;
    ++w_.snapshots;
  }
  // Elements still to gather.
  std::uint64_t wanted() const { return n_ - got_; }
  // Appends the k elements at address a (fewer if fewer are wanted); false unless all of
  // them could be read (the whole elements read are kept).
  bool add(std::uint64_t a, std::uint64_t k) {
    if (k > wanted())
      k = wanted();
    std::size_t want = k * esize_;
    std::size_t got =
        safe_read(w_.out + w_.len + 5 + got_ * esize_, reinterpret_cast<const void*>(a), want);
    got_ += got / esize_;
    return got == want;
  }

private:
  Writer& w_;
  std::size_t esize_;
  bool open_ = false;
  std::uint64_t n_ = 0, got_ = 0;
};

// The elements of a red-black tree (std::map, std::set) in order, from the leftmost node:
// the element at byte `value_off` of each node; it ends early at an unreadable node or after
// a bounded number of node reads (a corrupt tree).
void snapshot_tree(Writer& w, std::uint64_t node, std::uint64_t count, std::size_t esize,
                   std::uint64_t value_off) {
  ElementSnapshot out(w, count, esize);
  std::uint64_t reads = 64 * (out.wanted() + 1); // node reads: about 2 per element, plus the height
  std::uint64_t links[4];                        // color, parent, left, right
  auto read_node = [&](std::uint64_t a) {
    if (reads == 0)
      return false;
    --reads;
    return safe_read(links, reinterpret_cast<const void*>(a), sizeof links) == sizeof links;
  };
  while (out.wanted() && out.add(node + value_off, 1) && out.wanted() && read_node(node)) {
    bool linked = true;
    if (links[3]) { // the leftmost node of the right subtree
      node = links[3];
      while ((linked = read_node(node)) && links[2])
        node = links[2];
    } else { // up to the first ancestor reached from its left subtree
      std::uint64_t y = links[1];
      while ((linked = read_node(y)) && node == links[3]) {
        node = y;
        y = links[1];
      }
      node = y;
    }
    if (!linked || !node)
      break;
  }
}

// The elements of a linked list whose nodes start with their next pointer (std::list,
// std::forward_list, the unordered containers' singly linked list) from `node` on: the element
// at byte `value_off` of each node, up to the node `last` or a null link; it ends early at an
// unreadable node, and after min(count, max_elements) elements (a cyclic list; std::forward_list,
// count unknown: max_elements + 1): two reads per element.
void snapshot_linked(Writer& w, std::uint64_t node, std::uint64_t last, std::uint64_t count,
                     std::size_t esize, std::uint64_t value_off) {
  ElementSnapshot out(w, count, esize, count == detail::kUnknownCount);
  while (node && out.wanted() && out.add(node + value_off, 1) && node != last &&
         safe_read(&node, reinterpret_cast<const void*>(node), 8) == 8) {
  }
}

// A deque's elements in order (p: its 80 bytes): from the start iterator's element to the
// end of its buffer, then each following buffer (its address read from the map) up to the
// finish iterator's element; one read per buffer, at most min(count, max_elements) + 2
// buffers (a corrupt deque).
void snapshot_deque(Writer& w, const std::uint8_t* p, std::uint64_t count, std::size_t esize) {
  ElementSnapshot out(w, count, esize);
  std::uint64_t cur = load_u64(p + 16, 8), last = load_u64(p + 32, 8), node = load_u64(p + 40, 8),
                finish = load_u64(p + 48, 8), finish_node = load_u64(p + 72, 8);
  std::uint64_t bytes = last - load_u64(p + 24, 8); // of a buffer
  for (std::uint64_t buffers = out.wanted() + 2; buffers && out.wanted(); --buffers) {
    std::uint64_t end = node == finish_node ? finish : last;
    if (end < cur || !out.add(cur, (end - cur) / esize) || node == finish_node)
      break;
    node += 8;
    if (safe_read(&cur, reinterpret_cast<const void*>(node), 8) != 8)
      break;
    last = cur + bytes;
  }
}

// Mirrors ValueDecoder::decode_at for the pointers it expands.
void walk(Writer& w, const tr_type_desc* t, const std::uint8_t* p, std::size_t avail,
          std::uint32_t depth) {
  if (!t || depth > w.limits.max_depth)
    return;
  switch (t->kind) {
  case TR_TYPE_POINTER:
  case TR_TYPE_REFERENCE: {
    if (avail < 8 || !t->target || t->target->size == 0)
      return;
    if (depth + 1 > w.limits.max_depth)
      return;
    std::uint64_t ptr = load_u64(p, 8);
    if (!ptr)
      return;
    std::size_t at = w.len, before = w.snapshots;
    snapshot(w, t->target, ptr);
    // A pointer or reference to a container: its elements too (one level more).
    if (is_container(t->target) && w.snapshots > before && w.out[at] == 0) {
      std::uint32_t n;
      std::memcpy(&n, w.out + at + 1, 4);
      std::uint8_t copy[80]; // the largest container, std::deque
      std::size_t k = n < sizeof copy ? n : sizeof copy;
      std::memcpy(copy, w.out + at + 5, k);
      walk(w, t->target, copy, k, depth + 1);
    }
    return;
  }
  case TR_TYPE_ARRAY: {
    const tr_type_desc* e = t->target;
    if (!e || e->size == 0 || is_char(e))
      return;
    std::uint64_t n = t->count < w.limits.max_elements ? t->count : w.limits.max_elements;
    for (std::uint64_t i = 0; i < n && (i + 1) * e->size <= avail; ++i)
      walk(w, e, p + i * e->size, avail - i * e->size, depth + 1);
    return;
  }
  case TR_TYPE_STD_STRING:
  case TR_TYPE_STD_STRING_VIEW:
  case TR_TYPE_STD_WSTRING: {
    // libstdc++: std::string starts {pointer, length}, std::string_view is {length, pointer};
    // the length counts characters of `unit` bytes.
    std::size_t unit = detail::string_unit(t);
    if (avail < 16 || !unit || depth + 1 > w.limits.max_depth)
      return;
    const bool view = t->kind == TR_TYPE_STD_STRING_VIEW;
    std::uint64_t ptr = load_u64(p + (view ? 8 : 0), 8), len = load_u64(p + (view ? 0 : 8), 8);
    if (ptr)
      snapshot_bytes(w, ptr, (len < w.limits.max_string ? len : w.limits.max_string) * unit);
    return;
  }
  case TR_TYPE_STD_RB_TREE:
  case TR_TYPE_STD_LIST:
  case TR_TYPE_STD_HASHTABLE:
  case TR_TYPE_STD_DEQUE:
  case TR_TYPE_STD_FORWARD_LIST: {
    std::uint64_t count, first;
    if (depth + 1 > w.limits.max_depth || !detail::scattered_elements(t, p, avail, count, first) ||
        !count)
      return;
    std::size_t esize = t->target->size;
    if (t->kind == TR_TYPE_STD_RB_TREE)
      snapshot_tree(w, first, count, esize, t->count);
    else if (t->kind == TR_TYPE_STD_DEQUE)
      snapshot_deque(w, p, count, esize);
    else // a list stops at its last node (the sentinel's prev), the others at a null link
      snapshot_linked(w, first, t->kind == TR_TYPE_STD_LIST ? load_u64(p + 8, 8) : 0, count, esize,
                      t->count);
    return;
  }
  case TR_TYPE_STD_VARIANT: { // the active alternative (one level deeper: Variant.contents)
    std::uint64_t i = detail::variant_index(t, p, avail);
    if (i < t->count)
      walk(w, static_cast<const tr_field_desc*>(t->members)[i].type, p, avail, depth + 1);
    return;
  }
  case TR_TYPE_STD_OPTIONAL: // the value, if engaged
    if (t->count < avail && p[t->count])
      walk(w, t->target, p, avail, depth);
    return;
  case TR_TYPE_STD_VECTOR_BOOL: { // the words holding the first max_elements bits
    std::uint64_t count, word;
    std::uint32_t bit;
    if (depth + 1 > w.limits.max_depth || !detail::bit_vector(p, avail, count, word, bit) ||
        !count || !word)
      return;
    snapshot_bytes(w, word,
                   detail::bit_vector_bytes(
                       count < w.limits.max_elements ? count : w.limits.max_elements, bit));
    return;
  }
  case TR_TYPE_STD_VECTOR: {
    const tr_type_desc* e = t->target;
    if (avail < 16 || !e || e->size == 0 || depth + 1 > w.limits.max_depth)
      return;
    std::uint64_t b = load_u64(p, 8), end = load_u64(p + 8, 8);
    if (!b || end < b)
      return;
    std::uint64_t n = (end - b) / e->size;
    if (n > w.limits.max_elements)
      n = w.limits.max_elements;
    snapshot_bytes(w, b, n * e->size);
    return;
  }
  case TR_TYPE_STRUCT:
  case TR_TYPE_STD_TUPLE: {
    auto* f = static_cast<const tr_field_desc*>(t->members);
    for (std::uint64_t i = 0; i < t->count; ++i) {
      if (f[i].bit_size || f[i].offset >= avail)
        continue;
      walk(w, f[i].type, p + f[i].offset, avail - f[i].offset, depth + 1);
    }
    return;
  }
  default:
    return;
  }
}

} // namespace

std::size_t safe_read(void* dst, const void* src, std::size_t n) noexcept {
  if (n == 0)
    return 0;
  auto a = reinterpret_cast<std::uintptr_t>(src);
  if (a < kPage)
    return 0;
  if (on_own_stack(a, n) || known_readable(a, n)) {
    copy_program_memory(dst, src, n);
    return n;
  }
  // Listed readable in /proc/self/maps: a copy that stops at a fault (the page may have
  // been unmapped since the table was read), no system call.
  if (probe::enabled() && probe::readable_extent(a) >= n)
    return probe::copy(dst, src, n);
  // One iovec per page: process_vm_readv never splits an iovec, so the result
  // is exactly the readable prefix.
  constexpr int kMaxIov = 16;
  iovec local[kMaxIov], remote[kMaxIov];
  int k = 0;
  std::size_t done = 0;
  while (done < n && k < kMaxIov) {
    std::uintptr_t cur = a + done;
    std::size_t chunk = kPage - (cur & (kPage - 1));
    if (chunk > n - done)
      chunk = n - done;
    local[k] = {static_cast<char*>(dst) + done, chunk};
    remote[k] = {reinterpret_cast<void*>(cur), chunk};
    ++k;
    done += chunk;
  }
  ssize_t r = process_vm_readv(getpid(), local, k, remote, k, 0);
  return r < 0 ? 0 : static_cast<std::size_t>(r);
}

std::size_t capture_value(const tr_type_desc* type, const void* addr, const Limits& limits,
                          std::uint8_t* out, std::size_t cap) noexcept {
  if (cap < 4)
    return 0;
  std::size_t size = type ? type->size : 0;
  if (size > limits.max_bytes)
    size = limits.max_bytes;
  if (size > cap - 4)
    size = cap - 4;
  std::uint32_t n = static_cast<std::uint32_t>(size);
  std::memcpy(out, &n, 4);
  if (size && addr)
    copy_program_memory(out + 4, addr, size);
  Writer w{out, cap, 4 + size, 0, limits};
  walk(w, type, out + 4, size, 1);
  return w.len;
}

Limits limits_from_env() {
  Limits l;
  auto get = [](const char* name, std::uint32_t& v, std::uint32_t lo, std::uint32_t hi) {
    const char* s = std::getenv(name);
    if (!s || !*s)
      return;
    char* end = nullptr;
    unsigned long x = std::strtoul(s, &end, 10);
    if (*end == 0 && x >= lo && x <= hi)
      v = static_cast<std::uint32_t>(x);
  };
  get("TRACE_RECORD_MAX_STRING", l.max_string, 0, 1u << 20);
  get("TRACE_RECORD_MAX_ELEMENTS", l.max_elements, 0, 1u << 20);
  get("TRACE_RECORD_MAX_DEPTH", l.max_depth, 1, 32);
  if (l.max_pointee < l.max_string + 1)
    l.max_pointee = l.max_string + 1;
  return l;
}

} // namespace trace_record::values
