// The hooks' hot path: per-thread chunks of 64-bit records in initial-exec TLS.
//
// Per event: one TLS load, one compare, one store of the record, one store of
// the position. No locks, no allocation, no syscalls. Once per chunk (32768
// records) the slow path hands the full chunk to the writer thread through a
// single-producer/single-consumer ring and takes a recycled one.
#include <cstring>
#include <new>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "rt_internal.h"

namespace trace_record::rt {

std::atomic<std::uint64_t> g_skipped_words{0};

constinit thread_local TlsState t_state __attribute__((tls_model("initial-exec")));

namespace {

// Where events of threads that are not recorded go; overwritten again and again.
constexpr std::size_t kScratchWords = 256;
constinit thread_local std::uint64_t t_scratch[kScratchWords]
    __attribute__((tls_model("initial-exec")));

// Marks a thread that never records (another thread in main mode, the writer,
// an exited thread).
ThreadState* const kNotRecorded = reinterpret_cast<ThreadState*>(std::uintptr_t(1));
// The exit key's value of a thread that is not recorded but has an alternate stack.
int g_altstack_only;

std::atomic<ThreadState*> g_registry{nullptr};
std::atomic<std::uint32_t> g_next_index{1};
pthread_key_t g_exit_key;
pthread_once_t g_key_once = PTHREAD_ONCE_INIT;

void lock(ThreadState* ts) {
  while (ts->lock.test_and_set(std::memory_order_acquire))
    sched_yield();
}
void unlock(ThreadState* ts) {
  ts->lock.clear(std::memory_order_release);
}

pid_t current_tid() {
  return static_cast<pid_t>(gettid());
}

std::uint64_t* discard(TlsState& t) {
  t.scratch_begin = t_scratch;
  t.end = t_scratch + kScratchWords;
  t.pos.store(t_scratch, std::memory_order_relaxed);
  return t_scratch;
}

void on_thread_exit(void* arg);
void make_key() {
  pthread_key_create(&g_exit_key, on_thread_exit);
}

ThreadState* create_thread_state(TlsState& t) {
  pid_t tid = current_tid();
  bool is_main = tid == getpid();
  if (g_config.threads == ThreadMode::Main && !is_main)
    return nullptr;
  if (is_writer_thread())
    return nullptr;
  // Heap, not mmap: reachable from the registry, so leak checkers see the
  // writer data it points to.
  auto* ts = new (std::nothrow) ThreadState;
  if (!ts)
    return nullptr;
  std::uint64_t* chunk = alloc_chunk();
  if (!chunk) {
    delete ts;
    return nullptr;
  }
  ts->tid = tid;
  ts->index = is_main ? 0 : g_next_index.fetch_add(1, std::memory_order_relaxed);
  ts->initial_depth = t.depth;
  ts->cur = chunk;
  ts->tls = &t;
  pthread_once(&g_key_once, make_key);
  pthread_setspecific(g_exit_key, ts);
  ThreadState* head = g_registry.load(std::memory_order_relaxed);
  do {
    ts->next = head;
  } while (!g_registry.compare_exchange_weak(head, ts, std::memory_order_release,
                                             std::memory_order_relaxed));
  return ts;
}

// Waits while the ring is full (the writer is behind). Called WITHOUT the
// thread's lock: the writer needs that lock to empty the ring. Only this thread
// pushes, so once there is room it stays. False when recording stopped.
bool wait_for_ring_space(ThreadState* ts) {
  std::uint32_t tail = ts->full_tail.load(std::memory_order_relaxed);
  while (tail - ts->full_head.load(std::memory_order_acquire) >= kRingSize) {
    if (!g_recording.load(std::memory_order_acquire))
      return false;
    wake_writer();
    timespec ts_sleep{0, 100000};
    nanosleep(&ts_sleep, nullptr);
  }
  return true;
}

// Hands `chunk` (holding `used` words) to the writer; wait_for_ring_space first.
void publish(ThreadState* ts, std::uint64_t* chunk, std::uint32_t used) {
  std::uint32_t tail = ts->full_tail.load(std::memory_order_relaxed);
  ts->full[tail % kRingSize] = ChunkSlot{chunk, used};
  ts->full_tail.store(tail + 1, std::memory_order_release);
  wake_writer();
}

std::uint64_t* take_free_chunk(ThreadState* ts) {
  std::uint32_t head = ts->free_head.load(std::memory_order_relaxed);
  if (head != ts->free_tail.load(std::memory_order_acquire)) {
    std::uint64_t* c = ts->free_chunks[head % kRingSize];
    ts->free_head.store(head + 1, std::memory_order_release);
    return c;
  }
  return alloc_chunk();
}

// Returns a position with at least `need` free words, or a scratch position
// (events discarded) with possibly fewer.
// preserve_most: the hooks need not save registers around this rare call.
[[gnu::noinline, clang::preserve_most]] std::uint64_t* refill(std::size_t need) {
  TlsState& t = t_state;
  std::uint64_t* p = t.pos.load(std::memory_order_relaxed);
  if (t.scratch_begin) {
    g_skipped_words.fetch_add(std::uint64_t(p - t.scratch_begin), std::memory_order_relaxed);
    t.scratch_begin = nullptr;
  }
  if (t.ts == kNotRecorded || !g_recording.load(std::memory_order_acquire))
    return discard(t);
  ThreadState* ts = t.ts;
  if (!ts) {
    // Every thread the runtime meets gets an alternate signal stack, recorded or
    // not, so that its stack overflow runs the crash path (the main thread has
    // one from start-up; the writer's threads take no signals).
    if (getpid() != current_tid() && !is_writer_thread())
      give_thread_altstack(t);
    ts = create_thread_state(t);
    if (!ts) {
      t.ts = kNotRecorded;
      if (t.altstack) { // freed at thread exit
        pthread_once(&g_key_once, make_key);
        pthread_setspecific(g_exit_key, &g_altstack_only);
      }
      return discard(t);
    }
    t.ts = ts;
    t.end = ts->cur + kChunkWords;
    t.pos.store(ts->cur, std::memory_order_relaxed);
    if (need <= kChunkWords)
      return ts->cur;
    return discard(t);
  }
  std::uint64_t* chunk = wait_for_ring_space(ts) ? take_free_chunk(ts) : nullptr;
  lock(ts);
  if (!chunk || !g_recording.load(std::memory_order_acquire) || !ts->cur) {
    if (chunk)
      free_chunk(chunk);
    unlock(ts);
    return discard(t); // the current chunk stays for the final drain
  }
  publish(ts, ts->cur, static_cast<std::uint32_t>(p - ts->cur));
  ts->cur = chunk;
  t.end = chunk + kChunkWords;
  t.pos.store(chunk, std::memory_order_release);
  unlock(ts);
  if (need > kChunkWords)
    return discard(t);
  return chunk;
}

void on_thread_exit(void* arg) {
  auto* ts = static_cast<ThreadState*>(arg);
  TlsState& t = t_state;
  if (arg != &g_altstack_only && t.ts == ts) {
    bool room = wait_for_ring_space(ts);
    lock(ts);
    if (room && ts->cur && g_recording.load(std::memory_order_acquire)) {
      std::uint64_t* p = t.pos.load(std::memory_order_relaxed);
      publish(ts, ts->cur, static_cast<std::uint32_t>(p - ts->cur));
      ts->cur = nullptr;
    }
    ts->tls = nullptr;
    ts->exited.store(true, std::memory_order_release);
    unlock(ts);
    t.ts = kNotRecorded;
    discard(t);
  }
  free_thread_altstack(t);
  wake_writer();
}

inline void emit(std::uint64_t record) {
  TlsState& t = t_state;
  std::uint64_t* p = t.pos.load(std::memory_order_relaxed);
  if (__builtin_expect(p == t.end, 0))
    p = refill(1);
  *p = record;
  t.pos.store(p + 1, std::memory_order_release);
}

} // namespace

ThreadState* thread_registry() {
  return g_registry.load(std::memory_order_acquire);
}

std::uint64_t* alloc_chunk() {
  void* mem = mmap(nullptr, kChunkWords * sizeof(std::uint64_t), PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return mem == MAP_FAILED ? nullptr : static_cast<std::uint64_t*>(mem);
}
void free_chunk(std::uint64_t* chunk) {
  if (chunk)
    munmap(chunk, kChunkWords * sizeof(std::uint64_t));
}

bool lock_thread_state(ThreadState* ts, int max_spins) {
  for (int i = 0; ts->lock.test_and_set(std::memory_order_acquire); ++i) {
    if (i >= max_spins)
      return false;
    sched_yield();
  }
  return true;
}
void unlock_thread_state(ThreadState* ts) {
  unlock(ts);
}

// In the child of fork(): the other threads are gone and the parent's chunks
// belong to the parent's trace. The calling thread starts over with a fresh
// ThreadState on its next event, remembering how deep it already is.
static ThreadState* g_parent_registry = nullptr; // kept reachable (leak checkers), never used

void reset_after_fork_child() {
  g_parent_registry = g_registry.load(std::memory_order_relaxed);
  g_registry.store(nullptr, std::memory_order_relaxed);
  g_next_index.store(1, std::memory_order_relaxed);
  TlsState& t = t_state;
  t.ts = nullptr;
  t.scratch_begin = nullptr;
  t.end = nullptr;
  t.pos.store(nullptr, std::memory_order_relaxed);
  if (g_config.disabled)
    return;
  pthread_setspecific(g_exit_key, nullptr);
}

[[clang::preserve_most]] std::uint64_t* reserve_words(std::size_t words) {
  TlsState& t = t_state;
  std::uint64_t* p = t.pos.load(std::memory_order_relaxed);
  if (__builtin_expect(std::size_t(t.end - p) < words, 0)) {
    p = refill(words);
    if (std::size_t(t.end - p) < words || t.scratch_begin)
      return nullptr; // not recorded
  }
  return p;
}

void commit_words(std::uint64_t* end) {
  t_state.pos.store(end, std::memory_order_release);
}

void record_output(int kind, const void* data, std::size_t len) {
  if (!g_recording.load(std::memory_order_relaxed))
    return;
  TlsState& t = t_state;
  const char* bytes = static_cast<const char*>(data);
  while (len > 0) {
    std::size_t piece = len < kMaxOutputPiece ? len : kMaxOutputPiece;
    std::size_t words = 1 + (piece + 7) / 8;
    std::uint64_t* p = t.pos.load(std::memory_order_relaxed);
    if (std::size_t(t.end - p) < words) {
      p = refill(words);
      if (std::size_t(t.end - p) < words || t.scratch_begin)
        return; // not recorded
    }
    p[0] = make_record(kTagOutput, (std::uint64_t(kind) << 32) | piece);
    p[words - 1] = 0;
    std::memcpy(p + 1, bytes, piece);
    t.pos.store(p + words, std::memory_order_release);
    bytes += piece;
    len -= piece;
  }
}

} // namespace trace_record::rt

using namespace trace_record::rt;

extern "C" {

TR_EXPORT void __tr_step(uint64_t loc) {
  emit(loc);
}

TR_EXPORT void __tr_func_enter(uint64_t function_id) {
  // emit first: the thread's first record creates its state, whose initial_depth must
  // not count the frame being entered (else __tr_unwind_to pops one frame too many).
  emit(make_record(kTagEnter, function_id));
  ++t_state.depth;
}

TR_EXPORT void __tr_func_exit(uint64_t function_id) {
  if (t_state.depth > 0)
    --t_state.depth;
  emit(make_record(kTagExit, function_id));
}

TR_EXPORT uint32_t __tr_frame_depth(void) {
  return t_state.depth;
}

TR_EXPORT void __tr_unwind_to(uint32_t depth) {
  if (t_state.depth <= depth)
    return;
  t_state.depth = depth;
  emit(make_record(kTagUnwind, depth));
}

} // extern "C"
