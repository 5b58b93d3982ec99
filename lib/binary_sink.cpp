// trace.bin writer: CBOR events in seekable zstd frames (TRACE_FORMAT.md §6-7).
//
// The caller's thread encodes events into a buffer that always begins at a frame
// start. Frames are cut at exact uncompressed byte counts (§6.2) and the frames
// of a seekable file share no compressor state (the context is reset after each
// one), so whole frames are handed over as jobs and compressed independently,
// by FramePolicy::compression_threads workers at once, then written in order.
// The file is byte-identical to the sequential §6.2 sequence with the same
// libzstd: how the input is split into ZSTD_compressStream2 calls does not
// change the output, and the lazy frame end of the reference (a full frame is
// ended when the next byte arrives or at close) is kept by remembering that the
// last job ended on a full frame. flush() and close() wait for the workers, so
// their guarantees are the same as sequentially.
//
// When a write fails (disk full, file size limit, the descriptor taken over by
// the program), close() still leaves a loadable file: it cuts the file after the
// frames of the last job written whole, appends the bytes between that frame end
// and the event boundary where the job was handed over as one more frame, and
// writes the seek table (see CutPoint).
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>

#define ZSTD_STATIC_LINKING_ONLY // the buffer-less API (compress_frame)
#include <zstd.h>

#include "event_file_lock.h"
#include "trace_record/binary.h"
#include "trace_record/cbor.h"
#include "trace_record/detail/cbor_put.h"
#include "trace_record/detail/owned_file.h"

namespace trace_record {

namespace {

constexpr std::size_t kMaxFrameSize = 1u << 30; // keeps seek-table entries within u32
constexpr std::size_t kBatch = 256u << 10;      // CBOR bytes per job, at least (whole frames)
constexpr unsigned kMaxThreads = 16;
constexpr std::uint64_t kReserveStep = 1u << 20; // disk blocks reserved ahead (owned_file.h)

void put_le32(std::uint8_t* p, std::uint32_t v) {
  p[0] = std::uint8_t(v);
  p[1] = std::uint8_t(v >> 8);
  p[2] = std::uint8_t(v >> 16);
  p[3] = std::uint8_t(v >> 24);
}

// The seek table (§6.3) of `frames`, appended to `out`.
void append_seek_table(cbor::Buffer& out, const FrameEntry* frames, std::size_t n) {
  std::uint8_t* t = out.tail(8 + 8 * n + 9);
  put_le32(&t[0], kSkippableMagicSeekTable);
  put_le32(&t[4], std::uint32_t(8 * n + 9));
  for (std::size_t i = 0; i < n; ++i) {
    put_le32(&t[8 + 8 * i], frames[i].compressed);
    put_le32(&t[12 + 8 * i], frames[i].decompressed);
  }
  put_le32(&t[8 + 8 * n], std::uint32_t(n));
  t[12 + 8 * n] = 0;
  put_le32(&t[13 + 8 * n], kSeekableMagic);
  out.advance(8 + 8 * n + 9);
}

// Where the file can be cut so that it loads (§7 "Repair" without re-encoding):
// after the frames of job `seq` (which end `file_end` bytes into the file, the
// first `frames` frames), plus one frame holding `tail`, the stream bytes from
// there to the event boundary `stream_end` at which the job was handed over.
struct CutPoint {
  std::uint64_t seq = ~std::uint64_t(0); // the header: the job after it is job 0
  std::uint64_t stream_end = 0;
  std::vector<std::uint8_t> tail;
  std::uint64_t file_end = 0; // 0: not usable (the job is not written yet)
  std::size_t frames = 0;
};

// Some frames to compress: `data` is cut into frames of frame_size bytes, the
// last one shorter if it does not divide; empty data is one empty frame.
struct Job {
  std::uint64_t seq = 0;
  std::unique_ptr<cbor::Buffer> data;
  cbor::Buffer out; // the compressed frames, back to back
  std::vector<FrameEntry> frames;
  std::size_t zstd_error = 0; // a ZSTD error code, or 0
};

// The §6.2 parameters: level, no checksum, no pledged size.
std::size_t set_params(ZSTD_CCtx* cctx, int level) {
  std::size_t r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  if (!ZSTD_isError(r))
    r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0);
  return r;
}

ZSTD_CCtx* make_cctx(int level, std::string* error) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  if (!cctx) {
    *error = "cannot create a zstd context";
    return nullptr;
  }
  if (const std::size_t r = set_params(cctx, level); ZSTD_isError(r)) {
    *error = std::string("bad compression settings: ") + ZSTD_getErrorName(r);
    ZSTD_freeCCtx(cctx);
    return nullptr;
  }
  return cctx;
}

// One frame exactly as §6.2's streaming sequence writes it (ZSTD_e_continue
// until the input is consumed, then ZSTD_e_end), appended to `out`.
std::size_t compress_frame_streaming(ZSTD_CCtx* cctx, int level, const std::uint8_t* p,
                                     std::size_t k, cbor::Buffer& out) {
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
  if (const std::size_t r = set_params(cctx, level); ZSTD_isError(r))
    return r;
  const std::size_t step = ZSTD_CStreamOutSize();
  ZSTD_inBuffer in{p, k, 0};
  ZSTD_EndDirective mode = ZSTD_e_continue;
  for (;;) {
    if (mode == ZSTD_e_continue && in.pos == in.size)
      mode = ZSTD_e_end;
    ZSTD_outBuffer o{out.tail(step), step, 0};
    const std::size_t r = ZSTD_compressStream2(cctx, &o, &in, mode);
    if (ZSTD_isError(r))
      return r;
    out.advance(o.pos);
    if (mode == ZSTD_e_end && r == 0)
      return 0;
  }
}

// The same bytes from the whole frame in memory, without the streaming API's
// copy of the input into its window (buffer-less API: ~15-30% less CPU). The
// streaming sequence ends a frame whose size is a multiple of the 128 KiB block
// with an empty last block, so such frames end with ZSTD_compressEnd of nothing;
// an empty frame is single-segment in the streaming sequence: written by it.
// binary_sink_test compares both over sizes around every block boundary.
constexpr std::size_t kZstdBlock = 128u << 10;
std::size_t compress_frame(ZSTD_CCtx* cctx, int level, const std::uint8_t* p, std::size_t k,
                           cbor::Buffer& out) {
  if (k == 0)
    return compress_frame_streaming(cctx, level, p, k, out);
  std::size_t r = ZSTD_compressBegin(cctx, level);
  if (ZSTD_isError(r))
    return r;
  const std::size_t cap = ZSTD_compressBound(k) + 64;
  std::uint8_t* w = out.tail(cap);
  std::size_t done = 0;
  if (k % kZstdBlock == 0) {
    r = ZSTD_compressContinue(cctx, w, cap, p, k);
    if (ZSTD_isError(r))
      return r;
    done = r;
    p += k;
    k = 0;
  }
  r = ZSTD_compressEnd(cctx, w + done, cap - done, p, k);
  if (ZSTD_isError(r))
    return r;
  out.advance(done + r);
  return 0;
}

// The frames of one job, with `cctx` (any thread).
void compress(ZSTD_CCtx* cctx, int level, std::size_t frame_size, Job& job) {
  const std::uint8_t* p = job.data->data();
  std::size_t left = job.data->size();
  do {
    const std::size_t k = std::min(left, frame_size);
    const std::size_t begin = job.out.size();
    if (const std::size_t r = compress_frame(cctx, level, p, k, job.out); ZSTD_isError(r)) {
      job.zstd_error = r;
      return;
    }
    job.frames.push_back({std::uint32_t(job.out.size() - begin), std::uint32_t(k)});
    p += k;
    left -= k;
  } while (left != 0);
}

class BinaryFileSink final : public BinarySink {
public:
  BinaryFileSink(detail::OwnedFile file, std::string name, const FramePolicy& policy,
                 std::vector<ZSTD_CCtx*> cctxs)
      : file_(std::move(file)), name_(std::move(name)), policy_(policy), cctxs_(std::move(cctxs)),
        last_flush_(std::chrono::steady_clock::now()) {
    timed_ = policy.flush_every_bytes != 0 || policy.flush_every_ms != 0;
    threshold_ = std::max(kBatch, policy.frame_size);
    if (policy.background_compression) {
      max_in_flight_ = cctxs_.size() + 1;
      // The workers write the file: they must not take the program's signals
      // (SIGXFSZ from a write past RLIMIT_FSIZE is sent to the writing thread and
      // would end the process; with it blocked the write fails with EFBIG). The
      // synchronous signals stay deliverable: a fault while blocked is undefined.
      sigset_t all, old;
      sigfillset(&all);
      for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT})
        sigdelset(&all, sig);
      pthread_sigmask(SIG_BLOCK, &all, &old);
      for (ZSTD_CCtx* c : cctxs_)
        workers_.emplace_back([this, c] { work(c); });
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
    }
  }
  ~BinaryFileSink() override {
    (void)close();
    stop_workers();
    for (ZSTD_CCtx* c : cctxs_)
      ZSTD_freeCCtx(c);
  }

  Status header() {
    write_all(kBinaryHeader.data(), kBinaryHeader.size()); // at open (§7 writer requirement 1)
    kept_[1].file_end = file_bytes_; // the empty trace: header, an empty frame, the table
    return error_;
  }

  Status write(const TraceEvent& event) override {
    // Assignment is refused without poisoning the sink (nothing was written).
    Status st = append_events(1, [&](cbor::Buffer& b) { return cbor::encode_event(event, b); });
    if (st.is_ok() && std::holds_alternative<PathRecord>(event))
      path_ends_.push_back(stream_bytes_ + pending_.size());
    return st;
  }
  Status write_step(PathId path, Line line) override {
    return append_events(1, [&](cbor::Buffer& b) { cbor::put::step(b, path, line); });
  }
  Status write_value(VariableId id, const ValueRecord& value) override {
    return append_events(1, [&](cbor::Buffer& b) { cbor::put::value_event(b, id, value); });
  }
  Status write_call(FunctionId fid, std::span<const FullValueRecord> args) override {
    return append_events(
        1, [&](cbor::Buffer& b) { cbor::put::call(b, fid, args.data(), args.size()); });
  }
  Status write_return(const ValueRecord& value) override {
    return append_events(1, [&](cbor::Buffer& b) { cbor::put::return_event(b, value); });
  }
  DirectBuffer direct_buffer() override {
    if (timed_)
      return {}; // the flush policy counts bytes and time at every write
    return {&pending_, threshold_};
  }
  Status direct_full() override {
    if (!writable())
      return refuse();
    return after_write_slow();
  }

  Status write_cbor(const std::uint8_t* data, std::size_t size) override {
    if (!writable())
      return refuse();
    pending_.append(data, size);
    since_flush_ += size;
    return after_write();
  }

  Status flush() override {
    if (failed_)
      return sticky_error();
    if (closed_)
      return Status::ok();
    if (!pending_.empty())
      submit(pending_.size()); // ends the current frame
    last_job_full_ = false;
    wait_idle();
    since_flush_ = 0;
    if (policy_.flush_every_ms != 0)
      last_flush_ = std::chrono::steady_clock::now();
    return sticky_error();
  }

  Status close() override {
    if (closed_)
      return sticky_error();
    closed_ = true;
    // §6.2: close ends the current frame, even an empty one; a full frame that
    // was already handed over is that current frame.
    if (!failed_ && (!pending_.empty() || !last_job_full_))
      submit(pending_.size());
    wait_idle();
    stop_workers();
    if (!failed_)
      write_seek_table();
    if (failed_)
      salvage();
    else if (file_.still_ours())
      file_.release_reserve(file_bytes_);
    if (const int err = file_.close(); err != 0)
      fail(std::string("close failed: ") + std::generic_category().message(err));
    return sticky_error();
  }

  std::uint64_t paths_in_file() const override {
    if (!cut_)
      return path_ends_.size();
    return std::uint64_t(std::upper_bound(path_ends_.begin(), path_ends_.end(), cut_stream_end_) -
                         path_ends_.begin());
  }
  void close_in_fork_child() override {
    file_.close_in_fork_child();
    closed_ = true;
  }

  std::uint64_t events_written() const override { return events_; }
  std::uint64_t bytes_written() const override { return file_bytes_; }
  const std::vector<FrameEntry>& frames() const override {
    wait_idle();
    return frames_;
  }
  std::uint64_t stream_bytes() const override { return stream_bytes_ + pending_.size(); }

private:
  bool writable() const { return !failed_.load(std::memory_order_relaxed) && !closed_; }
  Status refuse() const {
    return failed_ ? sticky_error() : Status::error(name_ + ": write after close");
  }
  // Encodes `events` events into pending_ with `encode` (which may return a Status
  // refusing them, writing nothing), then counts them and hands over full frames.
  template <class Encode>
  [[gnu::always_inline]] Status append_events(std::uint64_t events, Encode&& encode) {
    if (!writable()) [[unlikely]]
      return refuse();
    const std::size_t before = pending_.size();
    if constexpr (std::is_same_v<decltype(encode(pending_)), Status>) {
      if (Status s = encode(pending_); !s.is_ok())
        return s;
    } else {
      encode(pending_);
    }
    since_flush_ += pending_.size() - before;
    events_ += events;
    return after_write();
  }

  [[gnu::always_inline]] Status after_write() {
    if (pending_.size() < threshold_ && !timed_ && !failed_.load(std::memory_order_relaxed))
        [[likely]]
      return Status::ok();
    return after_write_slow();
  }
  [[gnu::noinline]] Status after_write_slow() {
    if (pending_.size() >= threshold_)
      submit(pending_.size() / policy_.frame_size * policy_.frame_size);
    if (policy_.flush_every_bytes != 0 && since_flush_ >= policy_.flush_every_bytes)
      return flush();
    if (policy_.flush_every_ms != 0) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_flush_ >= std::chrono::milliseconds(policy_.flush_every_ms))
        return flush();
    }
    return sticky_error();
  }

  // error_ is written once, before failed_ is set, and never again.
  Status sticky_error() const { return failed_ ? error_ : Status::ok(); }
  void fail(std::string what) {
    std::lock_guard<std::mutex> lock(m_);
    fail_locked(std::move(what));
  }
  void fail_locked(std::string what) {
    if (failed_)
      return;
    error_ = Status::error(name_ + ": " + what);
    failed_ = true;
  }

  // Hands the first `bytes` of pending_ over as frames (ending the last one);
  // the rest (part of the next frame) stays pending.
  void submit(std::size_t bytes) {
    auto job = take_job();
    job->seq = next_seq_++;
    const std::size_t rest = pending_.size() - bytes;
    job->data->append(pending_.data() + bytes, rest); // the start of the next frame
    pending_.resize_down(bytes);
    job->data->swap(pending_); // the job gets the frames, pending_ the rest
    stream_bytes_ += bytes;
    last_job_full_ = rest == 0 && bytes != 0 && bytes % policy_.frame_size == 0;
    // Every hand-over happens between two events: pending_ now holds the stream
    // from the end of the job's frames to that event boundary.
    CutPoint cut;
    cut.seq = job->seq;
    cut.stream_end = stream_bytes_ + rest;
    cut.tail.assign(pending_.data(), pending_.data() + rest);
    if (workers_.empty()) {
      compress(cctxs_[0], policy_.compression_level, policy_.frame_size, *job);
      std::lock_guard<std::mutex> lock(m_);
      cuts_.push_back(std::move(cut));
      finish_job(std::move(job));
      return;
    }
    std::unique_lock<std::mutex> lock(m_);
    cuts_.push_back(std::move(cut));
    idle_.wait(lock, [&] { return in_flight_ < max_in_flight_; });
    ++in_flight_;
    queue_.push_back(std::move(job));
    work_.notify_one();
  }

  std::unique_ptr<Job> take_job() {
    std::unique_ptr<Job> job;
    {
      std::lock_guard<std::mutex> lock(m_);
      if (!spare_.empty()) {
        job = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    if (!job) {
      job = std::make_unique<Job>();
      job->data = std::make_unique<cbor::Buffer>();
    }
    job->data->clear();
    job->out.clear();
    job->frames.clear();
    job->zstd_error = 0;
    return job;
  }

  // Under m_: writes every finished job whose turn it is, in order.
  void finish_job(std::unique_ptr<Job> job) {
    done_.push_back(std::move(job));
    for (;;) {
      auto it = std::find_if(done_.begin(), done_.end(),
                             [&](const auto& j) { return j->seq == next_write_; });
      if (it == done_.end())
        break;
      std::unique_ptr<Job> j = std::move(*it);
      done_.erase(it);
      ++next_write_;
      if (j->zstd_error)
        fail_locked(std::string("compression failed: ") + ZSTD_getErrorName(j->zstd_error));
      if (!failed_)
        write_all(j->out.data(), j->out.size());
      if (!failed_) {
        frames_.insert(frames_.end(), j->frames.begin(), j->frames.end());
        // The cut after this job is now usable.
        if (!cuts_.empty() && cuts_.front().seq == j->seq) {
          cuts_.front().file_end = file_bytes_;
          cuts_.front().frames = frames_.size();
          kept_[0] = std::move(kept_[1]);
          kept_[1] = std::move(cuts_.front());
          cuts_.pop_front();
        }
      }
      spare_.push_back(std::move(j));
    }
  }

  void work(ZSTD_CCtx* cctx) {
    pthread_setname_np(pthread_self(), "trace-bin-zstd");
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      work_.wait(lock, [&] { return !queue_.empty() || stop_; });
      if (queue_.empty())
        return; // stop_
      std::unique_ptr<Job> job = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      compress(cctx, policy_.compression_level, policy_.frame_size, *job);
      lock.lock();
      finish_job(std::move(job));
      --in_flight_;
      idle_.notify_all();
    }
  }

  void wait_idle() const {
    if (workers_.empty())
      return;
    std::unique_lock<std::mutex> lock(m_);
    idle_.wait(lock, [&] { return in_flight_ == 0; });
  }

  void stop_workers() {
    if (workers_.empty())
      return;
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    work_.notify_all();
    for (auto& t : workers_)
      t.join();
    workers_.clear();
  }

  // Writes to the file (the caller holds m_, or no worker runs). One fstat per
  // call: the descriptor must still be the file's, and disk space is reserved
  // ahead (detail/owned_file.h). `reserve`: false for the bytes that close the
  // file, which may use the spare room.
  void write_all(const std::uint8_t* p, std::size_t n, bool reserve = true) {
    if (failed_)
      return;
    if (!file_.still_ours()) {
      fail_locked("the program closed or replaced the descriptor of the trace file");
      return;
    }
    if (const int err = reserve ? file_.reserve(file_bytes_ + n, kReserveStep) : 0; err != 0) {
      fail_locked(std::string("write failed: ") + std::generic_category().message(err));
      return;
    }
    std::size_t written = 0;
    const int err = file_.write_all(p, n, &written);
    file_bytes_ += written;
    if (err != 0)
      fail_locked(std::string("write failed: ") + std::generic_category().message(err));
  }

  void write_seek_table() {
    cbor::Buffer t;
    append_seek_table(t, frames_.data(), frames_.size());
    write_all(t.data(), t.size(), /*reserve=*/false);
  }

  // After a failure (workers stopped): cut the file where it still loads, through
  // the descriptor or, if the program took it, the path. Best first: the events
  // of the job that failed (still in memory) that fit after the newest usable
  // CutPoint; then the CutPoints themselves, newest first (a cut that does not fit
  // a full disk or the size limit falls back to an older one); at worst the empty
  // trace.
  void salvage() {
    if (!file_.still_ours() && !detail::reopen_event_file(file_))
      return;
    file_.release_reserve(kept_[1].file_end); // the spare room is for closing the trace
    if (kept_[1].file_end != 0 && cut_into_next_job(kept_[1]))
      return;
    CutPoint empty;
    empty.file_end = kBinaryHeader.size();
    for (const CutPoint* c : {&kept_[1], &kept_[0], &empty})
      if (c->file_end != 0 && cut_at(*c, c->tail.data(), c->tail.size(), c->stream_end))
        return;
  }

  // The job after `c` begins with c.tail, then more events: as many of them as fit.
  bool cut_into_next_job(const CutPoint& c) {
    const auto it = std::find_if(spare_.begin(), spare_.end(),
                                 [&](const auto& j) { return j->seq == c.seq + 1; });
    if (it == spare_.end())
      return false;
    const cbor::Buffer& data = *(*it)->data;
    std::vector<std::size_t> ends; // event boundaries after c.tail
    TraceEvent event;
    for (std::size_t pos = c.tail.size(); pos < data.size();) {
      const cbor::DecodeResult r = cbor::decode_event(data.data() + pos, data.size() - pos, event);
      if (r.state != cbor::DecodeState::Ok)
        break;
      pos += r.consumed;
      ends.push_back(pos);
    }
    // The most events that fit, leaving the spare room for trace_paths.json and
    // trace_metadata.json on a full disk (binary search; each try writes the
    // file, a failed one leaves it cut at c.file_end).
    const auto try_events = [&](std::size_t k) {
      if (!cut_at(c, data.data(), ends[k - 1], c.stream_end - c.tail.size() + ends[k - 1]))
        return false;
      if (file_.spare_room_left())
        return true;
      (void)::ftruncate(file_.fd(), off_t(c.file_end));
      cut_ = false;
      return false;
    };
    std::size_t lo = 0, hi = ends.size(), in_file = 0; // the first lo fit, more than hi do not
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo + 1) / 2;
      const bool fits = try_events(mid);
      in_file = fits ? mid : 0;
      (fits ? lo : hi) = fits ? mid : mid - 1;
    }
    return lo != 0 && (in_file == lo || try_events(lo));
  }

  // Cuts the file after the frames of `c` and appends `bytes` (stream bytes up to
  // the event boundary stream_end) as frames, then the seek table.
  bool cut_at(const CutPoint& c, const std::uint8_t* bytes, std::size_t size,
              std::uint64_t stream_end) {
    const int fd = file_.fd();
    std::vector<FrameEntry> table(
        frames_.begin(), frames_.begin() + std::ptrdiff_t(std::min(c.frames, frames_.size())));
    cbor::Buffer out;
    if (size != 0 || table.empty()) {
      Job job; // the §6.2 frames of the bytes (an empty frame for none)
      job.data = std::make_unique<cbor::Buffer>();
      job.data->append(bytes, size);
      compress(cctxs_[0], policy_.compression_level, policy_.frame_size, job);
      if (job.zstd_error)
        return false;
      out.swap(job.out);
      table.insert(table.end(), job.frames.begin(), job.frames.end());
    }
    append_seek_table(out, table.data(), table.size());
    if (::ftruncate(fd, off_t(c.file_end)) != 0 || ::lseek(fd, off_t(c.file_end), SEEK_SET) < 0)
      return false;
    std::size_t written = 0;
    if (file_.write_all(out.data(), out.size(), &written) != 0) {
      (void)::ftruncate(fd, off_t(c.file_end));
      cut_ = false;
      return false;
    }
    frames_ = std::move(table);
    file_bytes_ = c.file_end + out.size();
    cut_ = true;
    cut_stream_end_ = stream_end;
    return true;
  }

  detail::OwnedFile file_;
  std::string name_;
  FramePolicy policy_;
  std::vector<ZSTD_CCtx*> cctxs_; // one per worker (one when sequential)
  std::vector<std::thread> workers_;
  cbor::Buffer pending_;           // from a frame start; not yet handed over (lent: direct_buffer)
  std::size_t threshold_ = kBatch; // pending bytes that make a job
  bool last_job_full_ = false;     // the last job ended exactly on a full frame
  // Shared with the workers, under m_:
  mutable std::mutex m_;
  std::condition_variable work_;
  mutable std::condition_variable idle_;
  std::deque<std::unique_ptr<Job>> queue_;
  std::vector<std::unique_ptr<Job>> done_;  // compressed, waiting for their turn
  std::vector<std::unique_ptr<Job>> spare_; // for reuse
  std::size_t in_flight_ = 0, max_in_flight_ = 1;
  std::uint64_t next_seq_ = 0, next_write_ = 0;
  std::vector<FrameEntry> frames_;
  std::deque<CutPoint> cuts_; // of jobs handed over and not yet written, in order
  CutPoint kept_[2];          // the cuts after the last two jobs written ([1] the newest)
  bool stop_ = false;
  Status error_;
  std::atomic<bool> failed_{false};
  std::atomic<std::uint64_t> file_bytes_{0};
  // Caller's thread only:
  bool closed_ = false;
  bool timed_ = false; // a flush_every_* policy is set
  std::uint64_t events_ = 0;
  std::uint64_t stream_bytes_ = 0;
  std::uint64_t since_flush_ = 0;
  std::chrono::steady_clock::time_point last_flush_;
  std::vector<std::uint64_t> path_ends_; // stream offset after each Path event
  bool cut_ = false;                     // salvage() cut the file at cut_stream_end_
  std::uint64_t cut_stream_end_ = 0;
};

} // namespace

Result<std::unique_ptr<BinarySink>> open_binary_file_sink(const std::filesystem::path& file,
                                                          const FramePolicy& policy) {
  const std::string name = file.string();
  if (policy.frame_size == 0 || policy.frame_size > kMaxFrameSize) {
    return Status::error(name + ": frame size must be between 1 byte and 1 GiB");
  }
  const unsigned n =
      policy.background_compression ? std::clamp(policy.compression_threads, 1u, kMaxThreads) : 1u;
  std::vector<ZSTD_CCtx*> cctxs;
  std::string error;
  for (unsigned i = 0; i < n; ++i) {
    ZSTD_CCtx* c = make_cctx(policy.compression_level, &error);
    if (!c) {
      for (ZSTD_CCtx* x : cctxs)
        ZSTD_freeCCtx(x);
      return Status::error(name + ": " + error);
    }
    cctxs.push_back(c);
  }
  detail::OwnedFile out; // locked while open (event_file_lock.h)
  if (Status st = detail::open_event_file(out, file); !st) {
    for (ZSTD_CCtx* x : cctxs)
      ZSTD_freeCCtx(x);
    return st;
  }
  auto sink = std::make_unique<BinaryFileSink>(std::move(out), name, policy, std::move(cctxs));
  if (Status st = sink->header(); !st) {
    sink.reset();
    // Not even the header: no file rather than a bad one. Only a regular file,
    // never a device (/dev/full) or whatever else the caller named.
    std::error_code ec;
    if (std::filesystem::is_regular_file(std::filesystem::symlink_status(file, ec)))
      std::filesystem::remove(file, ec);
    return st;
  }
  return std::unique_ptr<BinarySink>(std::move(sink));
}

Result<std::unique_ptr<EventSink>> open_binary_sink(const std::filesystem::path& dir,
                                                    const FramePolicy& policy) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Status::error(dir.string() + ": cannot create directory: " + ec.message());
  auto r = open_binary_file_sink(dir / "trace.bin", policy);
  if (!r)
    return r.status();
  return std::unique_ptr<EventSink>(std::move(r).value());
}

} // namespace trace_record
