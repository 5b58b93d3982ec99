// Internal declarations shared by the runtime's translation units.
//
// Data flow: hooks (thread_buffer.cpp) append fixed-size 64-bit records to the
// calling thread's current chunk; full chunks go through a per-thread
// single-producer/single-consumer ring to the writer thread (writer_thread.cpp),
// which decodes them and drives trace_record::TraceWriter.
#pragma once

#include <atomic>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <sys/types.h>

#include "trace_record_rt.h"

#define TR_HIDDEN __attribute__((visibility("hidden")))
#define TR_EXPORT __attribute__((visibility("default")))

namespace trace_record::rt {

// ---------------------------------------------------------------- records
// One record = one 64-bit word; the top 4 bits are the tag. A step is the ABI
// location itself: global file ids start at kFileBase (2^24) and stay below
// 2^28, so a step's top nibble is 0, and a location built from an unregistered
// module's base (2^40 << 32 wraps to 0) has a file id < kFileBase: ignored.
inline constexpr std::uint64_t kFileBase = std::uint64_t(1) << 24;
inline constexpr std::uint64_t kFileLimit = std::uint64_t(1) << 28;
inline constexpr unsigned kTagShift = 60;
inline constexpr std::uint64_t kPayloadMask = (std::uint64_t(1) << kTagShift) - 1;
enum Tag : std::uint64_t {
  kTagStep = 0,   // loc
  kTagEnter = 1,  // global function id
  kTagExit = 2,   // global function id
  kTagUnwind = 3, // target frame depth
  kTagOutput = 4, // bits 32..39: EventLogKind, bits 0..31: byte length; bytes follow
  kTagValue = 5,  // values of variables: runtime/values/value_records.h
  // 6..15: reserved
};
inline constexpr std::uint64_t make_record(Tag tag, std::uint64_t payload) {
  return (std::uint64_t(tag) << kTagShift) | (payload & kPayloadMask);
}

inline constexpr std::size_t kChunkWords = std::size_t(1) << 15; // 256 KiB per chunk
inline constexpr std::size_t kRingSize = 16;                     // chunks in flight per thread
inline constexpr std::size_t kMaxOutputPiece = 64 * 1024;        // bytes per output record

// ---------------------------------------------------------------- per thread
struct WriterThreadData; // writer-private, writer_thread.cpp

struct TlsState {
  std::atomic<std::uint64_t*> pos{nullptr}; // next free word (release-stored per event)
  std::uint64_t* end = nullptr;             // end of the usable area
  std::uint32_t depth = 0;                  // open instrumented frames
  struct ThreadState* ts = nullptr;
  std::uint64_t* scratch_begin = nullptr; // set when events are discarded
  void* altstack = nullptr;               // this thread's signal stack (not the main thread's)
};

struct ChunkSlot {
  std::uint64_t* words;
  std::uint32_t used;
};

struct ThreadState {
  ThreadState* next = nullptr; // registry (push-front, never removed)
  pid_t tid = 0;
  std::uint32_t index = 0;         // 0 = the thread that runs main; others 1, 2, ... in order
  std::uint32_t initial_depth = 0; // frames open when recording began (fork child)
  // producer -> writer: full chunks
  ChunkSlot full[kRingSize];
  std::atomic<std::uint32_t> full_head{0}; // writer
  std::atomic<std::uint32_t> full_tail{0}; // producer
  // writer -> producer: recycled chunks
  std::uint64_t* free_chunks[kRingSize];
  std::atomic<std::uint32_t> free_head{0}; // producer
  std::atomic<std::uint32_t> free_tail{0}; // writer
  // The chunk being filled, for the final drain. Guarded by `lock` together with
  // `tls` (nullptr once the thread has exited).
  std::uint64_t* cur = nullptr;
  TlsState* tls = nullptr;
  std::atomic_flag lock = ATOMIC_FLAG_INIT;
  std::atomic<bool> exited{false};
  WriterThreadData* wdata = nullptr; // writer-private
};

// ---------------------------------------------------------------- config
enum class ThreadMode : std::uint8_t { Main, All, Split };

struct Config {
  bool disabled = false;
  bool json = false;
  bool format_given = false; // a format was asked for (no fallback to JSON then)
  ThreadMode threads = ThreadMode::Main;
  int zstd_threads = -1;   // TRACE_RECORD_ZSTD_THREADS; -1: FramePolicy's default
  long flush_ms = 1000;    // TRACE_RECORD_FLUSH_MS; 0: never
  long finish_ms = -1;     // TRACE_RECORD_FINISH_MS; -1: the defaults of finish_budget_ms
  char out_dir[4096] = {}; // absolute trace folder of this process
};

TR_HIDDEN extern Config g_config;
// True while hooks record into real chunks (set after a successful start, cleared
// at finish or on a write error).
TR_HIDDEN extern std::atomic<bool> g_recording;
TR_HIDDEN extern std::atomic<std::uint64_t> g_skipped_words;

// thread_buffer.cpp
// The calling thread's state (initial-exec TLS: one load from %fs, inlined into the hooks).
TR_HIDDEN extern constinit thread_local TlsState t_state __attribute__((tls_model("initial-exec")));
inline TlsState& tls() {
  return t_state;
}
TR_HIDDEN ThreadState* thread_registry();
TR_HIDDEN void reset_after_fork_child();
TR_HIDDEN void record_output(int kind, const void* data, std::size_t len);
// Room for one multi-word record: a position with at least `words` free words,
// or nullptr (not recorded). The record is published by commit_words(its end).
// preserve_most: the hooks need not save registers around this rare call.
[[clang::preserve_most]] TR_HIDDEN std::uint64_t* reserve_words(std::size_t words);
TR_HIDDEN void commit_words(std::uint64_t* end);
TR_HIDDEN void publish_current_chunk_for_exit();
TR_HIDDEN std::uint64_t* alloc_chunk();
TR_HIDDEN void free_chunk(std::uint64_t* chunk);
// The writer's side of ThreadState::lock (bounded: false after max_spins yields).
TR_HIDDEN bool lock_thread_state(ThreadState* ts, int max_spins);
TR_HIDDEN void unlock_thread_state(ThreadState* ts);

// modules.cpp
struct FunctionInfo {
  const char* name;
  const char* file;
  std::uint32_t line;
};
TR_HIDDEN bool lookup_function(std::uint64_t global_id, FunctionInfo* out);
TR_HIDDEN const char* lookup_file(std::uint64_t global_file_id);

// config.cpp
TR_HIDDEN void load_config();
TR_HIDDEN void append_suffix_to_out_dir(const char* suffix);
// A whole number from 0 to max in the variable `name`, or `fallback` when unset; a
// value that is not one is reported in one line (with fallback_text) and ignored.
TR_HIDDEN long env_number(const char* name, long fallback, const char* fallback_text, long max);
// How long an ending waits for the writer before it drops what is left.
TR_HIDDEN int finish_budget_ms(bool on_signal);

// writer_thread.cpp
TR_HIDDEN void ensure_started(); // idempotent; before main
TR_HIDDEN void wake_writer();    // async-signal-safe
TR_HIDDEN bool is_writer_thread();
// Ends the recording: drains every thread, appends Error{reason} when reason is
// non-null, closes the trace. After finish_budget_ms(on_signal) the writer drops
// what it has not written yet (and says how much), so that the trace still ends
// with a whole frame and its seek table. Async-signal-safe when called with a
// static reason buffer.
TR_HIDDEN void finish_recording(const char* reason, bool on_signal);
TR_HIDDEN void writer_prepare_fork();
TR_HIDDEN void writer_after_fork_parent();
TR_HIDDEN void writer_after_fork_child();

// signals.cpp
TR_HIDDEN void install_signal_handlers();
TR_HIDDEN void install_terminate_handler();
// An alternate signal stack for the calling thread (not the main thread's), so
// that its stack overflow runs the crash path; freed by free_thread_altstack.
TR_HIDDEN void give_thread_altstack(TlsState& t);
TR_HIDDEN void free_thread_altstack(TlsState& t);
// While alive, the calling program thread does not take asynchronous signals:
// around the runtime's own file writes on the program's threads (SIGXFSZ from a
// write past RLIMIT_FSIZE is sent to the writing thread). A SIGXFSZ that those
// writes raised is discarded.
class OwnSignalsBlocked {
public:
  OwnSignalsBlocked();
  ~OwnSignalsBlocked();
  OwnSignalsBlocked(const OwnSignalsBlocked&) = delete;
  OwnSignalsBlocked& operator=(const OwnSignalsBlocked&) = delete;

private:
  sigset_t old_;
  bool xfsz_pending_, pipe_pending_;
};

// util.cpp: async-signal-safe helpers
TR_HIDDEN void say(const char* a, const char* b = nullptr, const char* c = nullptr,
                   const char* d = nullptr, const char* e = nullptr, const char* f = nullptr,
                   const char* g = nullptr, const char* h = nullptr, const char* i = nullptr,
                   const char* j = nullptr);
TR_HIDDEN std::size_t format_u64(char* buf, std::uint64_t v, int base = 10);
TR_HIDDEN void str_append(char* dst, std::size_t cap, const char* src);
TR_HIDDEN long raw_write(int fd, const void* buf, std::size_t len); // real write(2)

} // namespace trace_record::rt
