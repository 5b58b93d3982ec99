// The writer thread: takes full chunks from every recorded thread, decodes the
// records, interns ids lazily and drives trace_record::TraceWriter. Also owns
// start-up (config, trace folder, root call) and finalisation (every ending
// funnels into finish_recording()).
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <linux/futex.h>
#include <memory>
#include <pthread.h>
#include <string>
#include <sys/file.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <vector>

#include "rt_internal.h"
#include "trace_record/binary.h"
#include "trace_record/detail/owned_file.h"
#include "trace_record/sink.h"
#include "trace_record/writer.h"
#include "values/value_records.h"

namespace trace_record::rt {

std::atomic<bool> g_recording{false};

namespace {

namespace fs = std::filesystem;

enum State : int { kNotStarted, kRunning, kFinishing, kDone };

// One output trace folder (the main one; more in split mode).
struct Out {
  std::unique_ptr<TraceWriter> w;
  std::string dir;
  std::vector<std::uint64_t> function_ids; // global function id -> FunctionId + 1
  std::vector<std::uint64_t> path_ids;     // global file id - kFileBase -> PathId + 1
  std::uint64_t calls = 0;
  std::uint64_t flushed_events = 0; // events_written() at the last periodic flush
  std::size_t paths_written = 0;    // paths in trace_paths.json so far
  bool failed = false;
  bool finished = false;
};

struct WriterThreadDataImpl {
  Out* out = nullptr;
  std::vector<std::uint8_t> stack;        // per open frame: 1 if a Call was emitted for it
  const std::uint64_t* partial = nullptr; // chunk partly processed while being filled
  std::size_t partial_used = 0;           // words of it already processed
  bool started = false;
  bool done = false;
};

struct Globals {
  TraceMetadata metadata;
  Out* main_out = nullptr;
  std::vector<Out*> outs;
  ThreadState* current_thread = nullptr; // all mode: whose events were written last
};

Globals* g = nullptr; // leaked on purpose: must outlive static destructors
std::atomic<int> g_state{kNotStarted};
pthread_once_t g_once = PTHREAD_ONCE_INIT;
pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER; // held by the writer while it works
pthread_t g_writer;
std::atomic<pid_t> g_writer_tid{0};
// The writer sleeps on g_wake (bumped by wake_writer), waiters of the end on g_done
// (1 once the trace is closed): futexes, so the runtime holds no descriptor that a
// program closing "all" its descriptors could take over (docs/runtime.md).
std::atomic<std::uint32_t> g_wake{0};
std::atomic<std::uint32_t> g_done{0};
// Set when an ending has waited its budget: the writer drops what it has not
// processed yet (counted in g_dropped) and closes the trace.
std::atomic<bool> g_hurry{false};
std::uint64_t g_dropped = 0; // writer thread only
// The reason of an abnormal end (static: written in signal handlers).
char g_reason[512];
std::atomic<bool> g_has_reason{false};
std::atomic<pid_t> g_reason_tid{0};
// The process whose trace this is (a vfork child shares our memory but is not it).
std::atomic<pid_t> g_owner_pid{0};

WriterThreadDataImpl* wdata(ThreadState* ts) {
  return reinterpret_cast<WriterThreadDataImpl*>(ts->wdata);
}

// Async-signal-safe (one system call each).
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected, long timeout_ms) {
  timespec t{timeout_ms / 1000, (timeout_ms % 1000) * 1000000};
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, &t,
          nullptr, 0);
}
void futex_wake_all(std::atomic<std::uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr,
          nullptr, 0);
}

void report_failure(Out* out, const std::string& why) {
  if (out->failed)
    return;
  out->failed = true;
  std::string line = "trace-record: cannot write trace to " + out->dir + ": " + why +
                     "; continuing without tracing\n";
  say(line.c_str());
  if (out == g->main_out)
    g_recording.store(false, std::memory_order_release);
}

void finish_out(Out* out);

// A write error (full disk, file size limit, the descriptor taken over by the
// program) or a refused event: the trace is closed at once, so that it loads
// whatever happens to the process later (the sinks cut the event file where it
// still loads, trace_paths.json lists the paths kept).
void stop_out(Out* out, const std::string& why) {
  report_failure(out, why);
  finish_out(out);
}

void read_metadata(TraceMetadata& md) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0)
    md.program.assign(buf, std::size_t(n));
  if (getcwd(buf, sizeof buf))
    md.workdir = buf;
  FILE* f = std::fopen("/proc/self/cmdline", "rbe"); // close-on-exec, as every runtime file
  if (f) {
    std::string all;
    char chunk[4096];
    std::size_t got;
    while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0)
      all.append(chunk, got);
    std::fclose(f);
    std::size_t pos = all.find('\0');
    while (pos != std::string::npos && pos + 1 <= all.size()) {
      std::size_t next = all.find('\0', pos + 1);
      if (next == std::string::npos)
        break;
      md.args.push_back(all.substr(pos + 1, next - pos - 1));
      pos = next;
    }
  }
  md.recording_id = make_uuid_v7();
}

// Claims `dir` for this process with an flock on the folder (released when the
// process ends). A folder another live process is writing (an instrumented
// child started by system() or posix_spawn inherits TRACE_RECORD_OUT_DIR) is
// not shared: this process writes to "<dir>-<pid>" instead. The descriptor is
// kept out of the program's way (detail/owned_file.h) and never written.
detail::OwnedFile& dir_lock() {
  static auto* lock = new detail::OwnedFile; // leaked: held until the process ends
  return *lock;
}
bool lock_folder(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  detail::OwnedFile& lock = dir_lock();
  if (lock.open(dir, O_RDONLY | O_DIRECTORY) != 0)
    return true; // TraceWriter::create reports the problem
  if (flock(lock.fd(), LOCK_EX | LOCK_NB) == 0)
    return true;
  (void)lock.close();
  return false;
}

// What an earlier run left in a folder this run takes over: the other format's
// event file (CodeTracer opens trace.json when both exist, and would show the
// earlier program) is removed with one line; temporary files silently.
void clear_earlier_run(const std::string& dir) {
  auto removed =
      remove_other_event_file(dir, g_config.json ? TraceFormat::Json : TraceFormat::Binary);
  if (!removed)
    say("trace-record: ", removed.status().message().c_str(), "\n");
  else if (!removed->empty())
    say("trace-record: ", removed->c_str(), "\n");
  std::error_code ec;
  for (const char* tmp :
       {"trace.bin.repair-tmp", "trace_metadata.json.tmp", "trace_paths.json.tmp"})
    fs::remove(fs::path(dir) / tmp, ec);
}

std::string claim_folder(const std::string& dir) {
  std::string mine = dir;
  if (!lock_folder(dir)) {
    mine = dir + "-" + std::to_string(getpid());
    // Later suffixes (-thread-N, -fork-PID, -exec) derive from the folder used.
    append_suffix_to_out_dir(("-" + std::to_string(getpid())).c_str());
    (void)lock_folder(mine);
  }
  return mine;
}

Out* open_out(const std::string& dir) {
  OwnSignalsBlocked quiet; // may run on a program thread (start-up, fork child)
  clear_earlier_run(dir);
  auto out = std::make_unique<Out>();
  out->dir = dir;
  TraceMetadata md = g->metadata;
  md.recording_id = make_uuid_v7();
  WriterOptions opt;
  opt.format = g_config.json ? TraceFormat::Json : TraceFormat::Binary;
  if (g_config.zstd_threads >= 0) {
    opt.frame_policy.background_compression = g_config.zstd_threads > 0;
    opt.frame_policy.compression_threads =
        unsigned(g_config.zstd_threads > 0 ? g_config.zstd_threads : 1);
  }
  auto created = TraceWriter::create(dir, md, opt);
  if (!created && !g_config.json && !g_config.format_given) {
    opt.format = TraceFormat::Json; // the binary writer is unavailable: JSON instead
    created = TraceWriter::create(dir, md, opt);
  }
  if (!created) {
    report_failure(out.get(), created.status().message());
    return nullptr;
  }
  out->w = std::move(*created);
  out->w->start();
  // Written early so that even a killed process leaves its metadata
  // (finish() rewrites it with the same content).
  (void)write_metadata_file(dir, md);
  Out* raw = out.release();
  g->outs.push_back(raw);
  return raw;
}

// Copies a source file into files/, with close-on-exec descriptors (the program may
// fork and exec meanwhile). A copy that fails (full disk) is removed: CodeTracer
// would show half a file as the source.
void copy_source(const Out& out, const char* path) {
  if (!path || path[0] != '/')
    return;
  std::error_code ec;
  fs::path dst = fs::path(out.dir) / "files" / (path + 1);
  fs::create_directories(dst.parent_path(), ec);
  const int in = open(path, O_RDONLY | O_CLOEXEC);
  if (in < 0)
    return;
  const int to = open(dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = to >= 0;
  char buf[65536];
  for (ssize_t n; ok && (n = read(in, buf, sizeof buf)) != 0;) {
    if (n < 0) {
      ok = errno == EINTR;
      continue;
    }
    for (ssize_t done = 0, w; ok && done < n; done += w)
      ok = (w = write(to, buf + done, std::size_t(n - done))) > 0;
  }
  close(in);
  if (to >= 0 && close(to) != 0)
    ok = false;
  if (!ok)
    fs::remove(dst, ec);
}

// PathId for a global file id, or -1 when it is not registered.
std::int64_t path_for(Out& out, std::uint64_t file) {
  if (file < kFileBase || file >= kFileLimit)
    return -1;
  std::size_t i = std::size_t(file - kFileBase);
  if (i < out.path_ids.size() && out.path_ids[i])
    return std::int64_t(out.path_ids[i] - 1);
  const char* path = lookup_file(file);
  if (!path)
    return -1;
  std::size_t before = out.w->paths().size();
  PathId id = out.w->ensure_path_id(path);
  if (out.w->paths().size() > before)
    copy_source(out, path);
  if (out.path_ids.size() <= i)
    out.path_ids.resize(i + 1, 0);
  out.path_ids[i] = id.value + 1;
  return std::int64_t(id.value);
}

// FunctionId for a global function id, or -1: not registered, or transparent.
// Functions without a declaration line (compiler-generated, e.g.
// _GLOBAL__sub_I_x.cpp) are transparent: no Call/Return (a Step on line 0 is
// not allowed, C14), their callees appear in the caller.
constexpr std::uint64_t kTransparent = ~std::uint64_t(0);
std::int64_t function_for(Out& out, std::uint64_t fid) {
  if (fid >= TR_UNREGISTERED_BASE)
    return -1;
  if (fid < out.function_ids.size() && out.function_ids[fid])
    return out.function_ids[fid] == kTransparent ? -1 : std::int64_t(out.function_ids[fid] - 1);
  FunctionInfo info;
  if (!lookup_function(fid, &info))
    return -1;
  if (info.line == 0) {
    if (out.function_ids.size() <= fid)
      out.function_ids.resize(fid + 1, 0);
    out.function_ids[fid] = kTransparent;
    return -1;
  }
  std::size_t before = out.w->paths().size();
  FunctionId id = out.w->ensure_function_id(info.name, info.file, Line(info.line));
  if (out.w->paths().size() > before)
    copy_source(out, info.file);
  if (out.function_ids.size() <= fid)
    out.function_ids.resize(fid + 1, 0);
  out.function_ids[fid] = id.value + 1;
  return std::int64_t(id.value);
}

// Makes sure the writer-side data of `ts` exists; null when its events go nowhere.
WriterThreadDataImpl* prepare_thread(ThreadState* ts) {
  WriterThreadDataImpl* d = wdata(ts);
  if (!d) {
    d = new WriterThreadDataImpl;
    ts->wdata = reinterpret_cast<WriterThreadData*>(d);
    if (g_config.threads == ThreadMode::Split && ts->index != 0) {
      d->out = open_out(std::string(g_config.out_dir) + "-thread-" + std::to_string(ts->index));
    } else {
      d->out = g->main_out;
    }
    // Frames already open when recording began (fork child): their Returns
    // must not pop the root.
    d->stack.assign(ts->initial_depth, 0);
  }
  return d;
}

void process_words(ThreadState* ts, const std::uint64_t* w, std::size_t n) {
  WriterThreadDataImpl* d = prepare_thread(ts);
  Out* out = d->out;
  if (!out || out->failed || !out->w || n == 0)
    return;
  TraceWriter& tw = *out->w;
  if (g_config.threads == ThreadMode::All) {
    if (!d->started) {
      d->started = true;
      tw.register_thread_start(ThreadId(std::uint64_t(ts->tid)));
    }
    if (g->current_thread != ts) {
      tw.register_thread_switch(ThreadId(std::uint64_t(ts->tid)));
      g->current_thread = ts;
    }
  }
  values::ThreadValues& vals = values::thread_values(ts, tw);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t r = w[i];
    std::uint64_t payload = r & kPayloadMask;
    if ((r >> kTagShift) != kTagValue)
      values::flush_call(vals); // Call{args} complete
    switch (r >> kTagShift) {
    case kTagStep: {
      std::uint32_t line = std::uint32_t(r);
      std::int64_t path = line == 0 ? -1 : path_for(*out, r >> 32); // line 0: C14
      if (path >= 0)
        tw.register_step(PathId(std::uint64_t(path)), Line(line));
      values::after_step(vals, path >= 0);
      break;
    }
    case kTagEnter: {
      std::int64_t f = function_for(*out, payload);
      d->stack.push_back(f >= 0 ? 1 : 0);
      if (f >= 0) {
        ++out->calls;
        if (i + 1 < n && (w[i + 1] >> kTagShift) != kTagValue) {
          // No argument values follow (functions-only builds, or no parameters): the
          // Call needs no holding back (pending calls were flushed above).
          vals.drop = false;
          tw.register_call(FunctionId(std::uint64_t(f)));
        } else {
          values::begin_call(vals, FunctionId(std::uint64_t(f))); // Call once its args are in
        }
      }
      break;
    }
    case kTagExit: {
      // A Return only for a frame whose Call was written; never from the root (C3).
      const bool emit = !d->stack.empty() && d->stack.back();
      if (vals.return_value) { // recorded just before the exit (pending calls flushed above)
        ValueRecord rv = values::take_return(vals);
        if (emit)
          tw.register_return(rv);
      } else if (emit) {
        tw.register_return(); // None: no ValueRecord built
      }
      if (!d->stack.empty())
        d->stack.pop_back();
      break;
    }
    case kTagValue:
      i += values::on_value_record(vals, w, i, n);
      break;
    case kTagUnwind:
      while (d->stack.size() > payload) {
        if (d->stack.back())
          tw.register_return();
        d->stack.pop_back();
      }
      break;
    case kTagOutput: {
      std::size_t len = std::size_t(payload & 0xffffffffu);
      auto kind = static_cast<EventLogKind>((payload >> 32) & 0xff);
      std::size_t words = (len + 7) / 8;
      if (i + words >= n)
        len = (n - i - 1) * 8; // cut short (final drain): keep what is there
      tw.register_special_event(kind, "",
                                std::string_view(reinterpret_cast<const char*>(w + i + 1), len));
      i += words;
      break;
    }
    default: // reserved tags: records of a newer runtime; cannot be skipped safely
      i = n;
      break;
    }
  }
  if (!tw.status())
    stop_out(out, tw.status().message());
}

// About how many events the records make (an entry is a Step and a Call); for
// the message about what was dropped.
std::uint64_t count_events(const std::uint64_t* w, std::size_t n) {
  std::uint64_t events = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t payload = w[i] & kPayloadMask;
    switch (w[i] >> kTagShift) {
    case kTagStep:
      events += (w[i] & 0xffffffffu) != 0;
      break;
    case kTagEnter:
      events += 2;
      break;
    case kTagExit:
    case kTagOutput:
      ++events;
      if ((w[i] >> kTagShift) == kTagOutput)
        i += ((payload & 0xffffffffu) + 7) / 8;
      break;
    case kTagValue:
      events += ((payload >> 32) & 0xf) != values::kValueReturn;
      i += 1 + ((payload & 0xffffffffu) + 7) / 8;
      break;
    default:
      break;
    }
  }
  return events;
}

// The records of a chunk: written, or once an ending ran out of time, dropped.
void take_words(ThreadState* ts, const std::uint64_t* w, std::size_t n) {
  if (g_hurry.load(std::memory_order_acquire))
    g_dropped += count_events(w, n);
  else
    process_words(ts, w, n);
}

// After a failure: whether the sinks managed to close the cut event file (they
// cannot when the program has taken every descriptor or the file is gone).
bool event_file_closed(const std::string& dir) {
  std::error_code ec;
  const fs::path bin = fs::path(dir) / "trace.bin";
  if (fs::exists(bin, ec))
    return read_seek_table(bin).is_ok();
  const int fd = open((fs::path(dir) / "trace.json").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  char last = 0;
  const off_t size = lseek(fd, 0, SEEK_END);
  const bool closed = size > 0 && pread(fd, &last, 1, size - 1) == 1 && last == ']';
  close(fd);
  return closed;
}

void finish_out(Out* out) {
  if (!out || out->finished || !out->w)
    return;
  out->finished = true;
  Status st = out->w->finish();
  if (!st && !out->failed)
    report_failure(out, st.message());
  if (out->failed && !event_file_closed(out->dir))
    say("trace-record: the partial trace in ", out->dir.c_str(),
        " could not be closed: CodeTracer will not open it\n");
  const char* summary = std::getenv("TRACE_RECORD_SUMMARY");
  if (summary && *summary) {
    std::string line = out->dir + "\t" + std::to_string(out->w->events_written()) + "\t" +
                       std::to_string(out->w->steps_written()) + "\t" + std::to_string(out->calls) +
                       "\t" + std::to_string(out->w->bytes_written()) + "\t" +
                       std::to_string(g_skipped_words.load()) + "\n";
    int fd = open(summary, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      (void)!::write(fd, line.data(), line.size());
      close(fd);
    }
  }
}

// Takes every full chunk of `ts` (and, when final, the chunk being filled).
// Takes every full chunk of `ts` and the filled part of the chunk being filled
// (records before the published position are complete and never change). The
// ring and the current chunk are read together under the thread's lock (the
// producer takes it once per chunk), then processed without it; the part of a
// chunk already processed is skipped when that chunk later arrives full.
void drain_thread(ThreadState* ts, bool final) {
  WriterThreadDataImpl* d = prepare_thread(ts);
  if (d->done)
    return;
  ChunkSlot slots[kRingSize];
  std::uint32_t nslots = 0;
  std::uint64_t* cur = nullptr;
  std::size_t cur_end = 0;
  if (!lock_thread_state(ts, final ? 2000 : 20))
    return; // busy: next round
  std::uint32_t head = ts->full_head.load(std::memory_order_relaxed);
  std::uint32_t tail = ts->full_tail.load(std::memory_order_acquire);
  for (; head != tail && nslots < kRingSize; ++head)
    slots[nslots++] = ts->full[head % kRingSize];
  if (ts->tls && ts->cur) {
    std::uint64_t* p = ts->tls->pos.load(std::memory_order_acquire);
    if (p >= ts->cur && p <= ts->cur + kChunkWords) {
      cur = ts->cur;
      cur_end = std::size_t(p - ts->cur);
    }
  }
  unlock_thread_state(ts);
  for (std::uint32_t i = 0; i < nslots; ++i) {
    std::size_t begin = 0;
    if (slots[i].words == d->partial) {
      begin = d->partial_used;
      d->partial = nullptr;
    }
    if (slots[i].used > begin)
      take_words(ts, slots[i].words + begin, slots[i].used - begin);
    ts->full_head.store(ts->full_head.load(std::memory_order_relaxed) + 1,
                        std::memory_order_release);
    std::uint32_t ftail = ts->free_tail.load(std::memory_order_relaxed);
    if (ftail - ts->free_head.load(std::memory_order_acquire) < kRingSize) {
      ts->free_chunks[ftail % kRingSize] = slots[i].words;
      ts->free_tail.store(ftail + 1, std::memory_order_release);
    } else {
      free_chunk(slots[i].words);
    }
  }
  if (cur) {
    std::size_t begin = cur == d->partial ? d->partial_used : 0;
    if (cur_end > begin)
      take_words(ts, cur + begin, cur_end - begin);
    d->partial = cur;
    d->partial_used = cur_end > begin ? cur_end : begin;
  }
  if (final && d->out && !d->out->failed && d->out->w)
    values::flush_call(
        values::thread_values(ts, *d->out->w)); // a call cut short before its first step
  if (ts->exited.load(std::memory_order_acquire) &&
      ts->full_head.load() == ts->full_tail.load(std::memory_order_acquire)) {
    d->done = true;
    if (d->out && !d->out->failed && d->out->w) {
      if (g_config.threads == ThreadMode::All && d->started)
        d->out->w->register_thread_exit(ThreadId(std::uint64_t(ts->tid)));
      if (g_config.threads == ThreadMode::Split && d->out != g->main_out)
        finish_out(d->out);
    }
  }
}

void drain_all(bool final) {
  for (ThreadState* ts = thread_registry(); ts; ts = ts->next)
    drain_thread(ts, final);
}

void finalize() {
  g_recording.store(false, std::memory_order_release);
  drain_all(true);
  if (g_dropped != 0) {
    char n[32];
    format_u64(n, g_dropped);
    say("trace-record: dropped about ", n,
        " events that the trace writer could not write in time; the trace ends where it "
        "had got to\n");
  }
  if (g_has_reason.load(std::memory_order_acquire)) {
    std::string_view reason(g_reason);
    Out* crashed = nullptr;
    for (ThreadState* ts = thread_registry(); ts; ts = ts->next)
      if (ts->tid == g_reason_tid.load() && wdata(ts))
        crashed = wdata(ts)->out;
    for (Out* out : {crashed, g->main_out == crashed ? nullptr : g->main_out})
      if (out && !out->failed && out->w && !out->finished)
        out->w->register_special_event(EventLogKind::Error, "", reason);
  }
  for (Out* out : g->outs)
    finish_out(out);
}

// Every TRACE_RECORD_FLUSH_MS (default 1000, 0 = never) the event files are
// flushed (trace.bin ends its frame) and trace_paths.json is rewritten if paths
// were added: a process killed with SIGKILL loses at most that much, and the
// folder can be repaired (TRACE_FORMAT.md §7).
long now_ms() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void periodic_flush() {
  for (Out* out : g->outs) {
    if (out->failed || out->finished || !out->w)
      continue;
    if (out->w->events_written() != out->flushed_events) {
      (void)out->w->flush();
      out->flushed_events = out->w->events_written();
    }
    if (out->w->paths().size() != out->paths_written) {
      (void)write_paths_file(out->dir, out->w->paths());
      out->paths_written = out->w->paths().size();
    }
    if (!out->w->status())
      stop_out(out, out->w->status().message());
  }
}

void* writer_main(void*) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  g_writer_tid.store(static_cast<pid_t>(gettid()), std::memory_order_release);
  const long interval = g_config.flush_ms;
  long last_flush = now_ms();
  for (;;) {
    // Read before draining: a wake-up after this point ends the wait below at once.
    const std::uint32_t seen = g_wake.load(std::memory_order_acquire);
    pthread_mutex_lock(&g_mu);
    bool finishing = g_state.load(std::memory_order_acquire) == kFinishing;
    drain_all(false);
    if (finishing) {
      finalize();
      g_state.store(kDone, std::memory_order_release);
      pthread_mutex_unlock(&g_mu);
      g_done.store(1, std::memory_order_release);
      futex_wake_all(g_done);
      return nullptr;
    }
    if (interval > 0 && now_ms() - last_flush >= interval) {
      periodic_flush();
      last_flush = now_ms();
    }
    pthread_mutex_unlock(&g_mu);
    futex_wait(g_wake, seen, 100);
  }
}

// Waits (at most ms) until the writer has closed the trace.
bool wait_done(long ms) {
  const long start = now_ms();
  for (;;) {
    if (g_done.load(std::memory_order_acquire))
      return true;
    const long left = ms - (now_ms() - start);
    if (left <= 0)
      return false;
    futex_wait(g_done, 0, left);
  }
}

bool spawn_writer() {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int rc = pthread_create(&g_writer, nullptr, writer_main, nullptr);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (rc != 0)
    return false;
  pthread_detach(g_writer);
  return true;
}

void start_impl() {
  load_config();
  if (g_config.disabled)
    return;
  g = new Globals;
  read_metadata(g->metadata);
  g->main_out = open_out(claim_folder(g_config.out_dir));
  if (!g->main_out)
    return;
  install_signal_handlers();
  install_terminate_handler();
  pthread_atfork(writer_prepare_fork, writer_after_fork_parent, writer_after_fork_child);
  if (!spawn_writer()) {
    report_failure(g->main_out, "cannot start the writer thread");
    return;
  }
  g_owner_pid.store(getpid());
  g_state.store(kRunning, std::memory_order_release);
  g_recording.store(true, std::memory_order_release);
}

} // namespace

void ensure_started() {
  pthread_once(&g_once, start_impl);
}

void wake_writer() {
  int saved = errno;
  g_wake.fetch_add(1, std::memory_order_release);
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&g_wake), FUTEX_WAKE_PRIVATE, 1, nullptr,
          nullptr, 0);
  errno = saved;
}

bool is_writer_thread() {
  pid_t w = g_writer_tid.load(std::memory_order_acquire);
  return w != 0 && w == static_cast<pid_t>(syscall(SYS_gettid));
}

void finish_recording(const char* reason, bool on_signal) {
  if (getpid() != g_owner_pid.load())
    return;
  int expected = kRunning;
  if (g_state.compare_exchange_strong(expected, kFinishing)) {
    if (reason && !g_has_reason.load()) {
      g_reason[0] = 0;
      str_append(g_reason, sizeof g_reason, reason);
      g_reason_tid.store(static_cast<pid_t>(syscall(SYS_gettid)));
      g_has_reason.store(true, std::memory_order_release);
    }
    wake_writer();
  } else if (expected != kFinishing) {
    return; // never started, or already done
  }
  if (is_writer_thread())
    return; // cannot wait for itself
  // Wait for the writer, bounded: once the budget is spent it drops what it has not
  // processed and closes the trace, which takes little time (kCloseMs at most).
  constexpr long kCloseMs = 5000;
  if (wait_done(finish_budget_ms(on_signal)))
    return;
  g_hurry.store(true, std::memory_order_release);
  wake_writer();
  if (!wait_done(kCloseMs))
    say("trace-record: the trace writer did not finish in time; the trace may be incomplete\n");
}

void writer_prepare_fork() {
  pthread_mutex_lock(&g_mu);
}
void writer_after_fork_parent() {
  pthread_mutex_unlock(&g_mu);
}

void writer_after_fork_child() {
  pthread_mutex_unlock(&g_mu);
  g_writer_tid.store(0);
  bool was_running = g_state.load() == kRunning;
  g_recording.store(false);
  reset_after_fork_child();
  if (!was_running || !g) {
    g_state.store(kDone);
    return;
  }
  // The parent's trace objects belong to the parent: leaked here, never touched.
  static Globals* parent; // kept reachable (leak checkers), never used again
  parent = g;
  g = new Globals;
  g->metadata = parent->metadata;
  // The parent's event files: not kept open here (a follower sees the file's writer
  // gone only once the parent's descriptors are all closed).
  for (Out* out : parent->outs)
    if (out->w && !out->finished)
      out->w->close_in_fork_child();
  char suffix[48] = "-fork-";
  format_u64(suffix + 6, std::uint64_t(getpid()));
  append_suffix_to_out_dir(suffix);
  g_wake.store(0);
  g_done.store(0);
  g_hurry.store(false);
  g_dropped = 0;
  g_has_reason.store(false);
  g_state.store(kNotStarted);
  (void)dir_lock().close(); // the parent's folder stays the parent's (if still ours)
  g->main_out = open_out(claim_folder(g_config.out_dir));
  if (!g->main_out || !spawn_writer()) {
    g_state.store(kDone);
    return;
  }
  g_owner_pid.store(getpid());
  g_state.store(kRunning);
  g_recording.store(true, std::memory_order_release);
}

} // namespace trace_record::rt
