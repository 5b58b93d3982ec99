// trace.bin writer: CBOR events in seekable zstd frames (TRACE_FORMAT.md §6-7).
//
// The caller's thread encodes events into a batch buffer. Full batches go to
// the compressor, which runs the exact ZSTD call sequence of §6.2 (frames cut at
// exact uncompressed byte counts), so with the same libzstd the file is
// byte-identical to the reference: how the input is split into
// ZSTD_compressStream2 calls does not change the output. With
// FramePolicy::background_compression the compressor runs on its own thread
// (batches are double-buffered, at most kMaxQueued in flight); flush() and
// close() wait for it, so their guarantees are the same as sequentially.
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

#include <zstd.h>

#include "trace_record/binary.h"
#include "trace_record/cbor.h"

namespace trace_record {

namespace {

constexpr std::size_t kOutBufferSize = 1u << 20; // staged compressed bytes before write()
constexpr std::size_t kMaxFrameSize = 1u << 30;  // keeps seek-table entries within u32
constexpr std::size_t kBatch = 256u << 10;       // CBOR bytes handed to the compressor at once
constexpr std::size_t kMaxQueued = 2;            // batches waiting for the compressor thread

void put_le32(std::uint8_t* p, std::uint32_t v) {
  p[0] = std::uint8_t(v);
  p[1] = std::uint8_t(v >> 8);
  p[2] = std::uint8_t(v >> 16);
  p[3] = std::uint8_t(v >> 24);
}

// The §6.2 state machine: owns the zstd context, the fd and the frame table.
// Used by exactly one thread at a time.
class Compressor {
public:
  Compressor(int fd, std::string name, std::size_t frame_size, ZSTD_CCtx* cctx)
      : fd_(fd), name_(std::move(name)), frame_size_(frame_size), cctx_(cctx),
        out_(new std::uint8_t[kOutBufferSize]) {}
  ~Compressor() {
    if (fd_ >= 0)
      ::close(fd_);
    ZSTD_freeCCtx(cctx_);
  }

  void header() {
    std::memcpy(out_.get(), kBinaryHeader.data(), kBinaryHeader.size());
    out_len_ = kBinaryHeader.size();
    write_out();
  }
  void feed(const std::uint8_t* p, std::size_t n) {
    while (n != 0 && error_.is_ok()) {
      if (frame_d_ == frame_size_)
        end_frame();
      const std::size_t k = std::min(n, frame_size_ - frame_d_);
      ZSTD_inBuffer in{p, k, 0};
      while (in.pos < in.size && error_.is_ok()) {
        if (kOutBufferSize - out_len_ < ZSTD_CStreamOutSize())
          write_out();
        ZSTD_outBuffer out{out_.get() + out_len_, kOutBufferSize - out_len_, 0};
        const std::size_t r = ZSTD_compressStream2(cctx_, &out, &in, ZSTD_e_continue);
        if (ZSTD_isError(r))
          return zfail(r);
        out_len_ += out.pos;
        frame_c_ += out.pos;
      }
      frame_d_ += k;
      p += k;
      n -= k;
    }
  }
  void flush() {
    if (frame_d_ > 0)
      end_frame();
    write_out();
  }
  void close() {
    if (closed_)
      return;
    closed_ = true;
    end_frame(); // always, even when empty (§6.2)
    write_seek_table();
    write_out();
    if (fd_ >= 0 && ::close(fd_) != 0)
      fail("close failed", errno);
    fd_ = -1;
    ZSTD_freeCCtx(cctx_);
    cctx_ = nullptr;
  }

  Status error_;
  std::vector<FrameEntry> frames_;
  std::atomic<std::uint64_t> file_bytes_{0};

private:
  void fail(const char* what, int err) {
    if (error_.is_ok()) {
      error_ = Status::error(name_ + ": " + what + ": " + std::generic_category().message(err));
    }
  }
  void zfail(std::size_t code) {
    if (error_.is_ok()) {
      error_ = Status::error(name_ + ": compression failed: " + ZSTD_getErrorName(code));
    }
  }
  void end_frame() {
    for (;;) {
      if (!error_.is_ok())
        return;
      if (kOutBufferSize - out_len_ < ZSTD_CStreamOutSize())
        write_out();
      ZSTD_inBuffer in{nullptr, 0, 0};
      ZSTD_outBuffer out{out_.get() + out_len_, kOutBufferSize - out_len_, 0};
      const std::size_t r = ZSTD_compressStream2(cctx_, &out, &in, ZSTD_e_end);
      if (ZSTD_isError(r))
        return zfail(r);
      out_len_ += out.pos;
      frame_c_ += out.pos;
      if (r == 0)
        break;
    }
    frames_.push_back({std::uint32_t(frame_c_), std::uint32_t(frame_d_)});
    frame_c_ = frame_d_ = 0;
    ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_only);
  }
  void write_seek_table() {
    if (!error_.is_ok())
      return;
    const std::size_t n = frames_.size();
    std::vector<std::uint8_t> t(8 + 8 * n + 9);
    put_le32(&t[0], kSkippableMagicSeekTable);
    put_le32(&t[4], std::uint32_t(8 * n + 9));
    for (std::size_t i = 0; i < n; ++i) {
      put_le32(&t[8 + 8 * i], frames_[i].compressed);
      put_le32(&t[12 + 8 * i], frames_[i].decompressed);
    }
    put_le32(&t[8 + 8 * n], std::uint32_t(n));
    t[12 + 8 * n] = 0;
    put_le32(&t[13 + 8 * n], kSeekableMagic);
    const std::uint8_t* p = t.data();
    std::size_t left = t.size();
    while (left != 0 && error_.is_ok()) {
      if (out_len_ == kOutBufferSize)
        write_out();
      const std::size_t k = std::min(left, kOutBufferSize - out_len_);
      std::memcpy(out_.get() + out_len_, p, k);
      out_len_ += k;
      p += k;
      left -= k;
    }
  }
  void write_out() {
    std::size_t done = 0;
    while (done < out_len_ && error_.is_ok()) {
      const ssize_t w = ::write(fd_, out_.get() + done, out_len_ - done);
      if (w < 0) {
        if (errno == EINTR)
          continue;
        fail("write failed", errno);
      } else if (w == 0) {
        fail("write failed", ENOSPC);
      } else {
        done += std::size_t(w);
        file_bytes_ += std::size_t(w);
      }
    }
    out_len_ = 0;
  }

  int fd_;
  std::string name_;
  std::size_t frame_size_;
  ZSTD_CCtx* cctx_;
  std::unique_ptr<std::uint8_t[]> out_;
  std::size_t out_len_ = 0;
  std::size_t frame_d_ = 0;
  std::size_t frame_c_ = 0;
  bool closed_ = false;
};

class BinaryFileSink final : public BinarySink {
public:
  BinaryFileSink(std::unique_ptr<Compressor> c, const FramePolicy& policy)
      : comp_(std::move(c)), policy_(policy), last_flush_(std::chrono::steady_clock::now()) {
    pending_ = std::make_unique<cbor::Buffer>();
    timed_ = policy.flush_every_bytes != 0 || policy.flush_every_ms != 0;
    if (policy.background_compression)
      worker_ = std::thread([this] { work(); });
  }
  ~BinaryFileSink() override {
    (void)close();
    stop_worker();
  }

  Status write(const TraceEvent& event) override {
    if (failed_.load(std::memory_order_relaxed)) [[unlikely]]
      return sticky_error();
    if (closed_)
      return Status::error("trace.bin: write after close");
    const std::size_t before = pending_->size();
    // Assignment is refused without poisoning the sink (nothing was written).
    if (Status s = cbor::encode_event(event, *pending_); !s.is_ok())
      return s;
    since_flush_ += pending_->size() - before;
    ++events_;
    return after_write();
  }

  Status write_cbor(const std::uint8_t* data, std::size_t size) override {
    if (failed_)
      return sticky_error();
    if (closed_)
      return Status::error("trace.bin: write after close");
    pending_->append(data, size);
    since_flush_ += size;
    return after_write();
  }

  Status flush() override {
    if (failed_)
      return sticky_error();
    if (closed_)
      return Status::ok();
    submit(Job::Flush);
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
    submit(Job::Close);
    wait_idle();
    stop_worker();
    return sticky_error();
  }

  std::uint64_t events_written() const override { return events_; }
  std::uint64_t bytes_written() const override { return comp_->file_bytes_; }
  const std::vector<FrameEntry>& frames() const override {
    std::unique_lock<std::mutex> lock(m_);
    idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
    return comp_->frames_;
  }
  std::uint64_t stream_bytes() const override { return stream_bytes_ + pending_->size(); }

private:
  enum class Job : std::uint8_t { Data, Flush, Close };
  struct Item {
    Job job;
    std::unique_ptr<cbor::Buffer> data;
  };

  Status after_write() {
    const bool full = pending_->size() >= kBatch;
    if (!full && !timed_ && !failed_.load(std::memory_order_relaxed)) [[likely]]
      return Status::ok();
    if (full)
      submit(Job::Data);
    if (policy_.flush_every_bytes != 0 && since_flush_ >= policy_.flush_every_bytes) {
      return flush();
    }
    if (policy_.flush_every_ms != 0) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_flush_ >= std::chrono::milliseconds(policy_.flush_every_ms))
        return flush();
    }
    return failed_ ? sticky_error() : Status::ok();
  }

  // comp_->error_ is written once, before failed_ is set, and never again.
  Status sticky_error() const { return failed_ ? comp_->error_ : Status::ok(); }

  // Hands the pending batch (if any) and a command to the compressor.
  void submit(Job job) {
    Item item{job, nullptr};
    if (!pending_->empty()) {
      stream_bytes_ += pending_->size();
      item.data = std::move(pending_);
    }
    if (!worker_.joinable()) {
      run(item);
      if (item.data) {
        item.data->clear();
        pending_ = std::move(item.data);
      }
      return;
    }
    std::unique_lock<std::mutex> lock(m_);
    idle_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
    queue_.push_back(std::move(item));
    if (!pending_ && !spare_.empty()) {
      pending_ = std::move(spare_.back());
      spare_.pop_back();
    } else if (!pending_) {
      pending_ = std::make_unique<cbor::Buffer>();
    }
    work_.notify_one();
  }

  void run(Item& item) {
    if (item.data && comp_->error_.is_ok())
      comp_->feed(item.data->data(), item.data->size());
    if (item.job == Job::Flush && comp_->error_.is_ok())
      comp_->flush();
    if (item.job == Job::Close)
      comp_->close();
    if (!comp_->error_.is_ok())
      failed_ = true;
  }

  void work() {
    pthread_setname_np(pthread_self(), "trace-bin-zstd");
    std::unique_lock<std::mutex> lock(m_);
    for (;;) {
      work_.wait(lock, [&] { return !queue_.empty() || stop_; });
      if (queue_.empty() && stop_)
        return;
      Item item = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      idle_.notify_all(); // a queue slot is free
      lock.unlock();
      // The compressor is touched only here while busy_ is set; frames() waits
      // for idle, error_ is published through failed_, file_bytes_ is atomic.
      run(item);
      lock.lock();
      if (item.data) {
        item.data->clear();
        spare_.push_back(std::move(item.data));
      }
      busy_ = false;
      idle_.notify_all();
    }
  }

  void wait_idle() {
    if (!worker_.joinable())
      return;
    std::unique_lock<std::mutex> lock(m_);
    idle_.wait(lock, [&] { return queue_.empty() && !busy_; });
  }

  void stop_worker() {
    if (!worker_.joinable())
      return;
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    work_.notify_one();
    worker_.join();
  }

  std::unique_ptr<Compressor> comp_;
  FramePolicy policy_;
  std::unique_ptr<cbor::Buffer> pending_; // encoded events not yet given to the compressor
  std::vector<std::unique_ptr<cbor::Buffer>> spare_;
  std::deque<Item> queue_;
  mutable std::mutex m_;
  std::condition_variable work_;
  mutable std::condition_variable idle_;
  std::thread worker_;
  bool busy_ = false;
  bool stop_ = false;
  std::atomic<bool> failed_{false};
  bool closed_ = false;
  bool timed_ = false; // a flush_every_* policy is set
  std::uint64_t events_ = 0;
  std::uint64_t stream_bytes_ = 0;
  std::uint64_t since_flush_ = 0;
  std::chrono::steady_clock::time_point last_flush_;
};

} // namespace

Result<std::unique_ptr<BinarySink>> open_binary_file_sink(const std::filesystem::path& file,
                                                          const FramePolicy& policy) {
  const std::string name = file.string();
  if (policy.frame_size == 0 || policy.frame_size > kMaxFrameSize) {
    return Status::error(name + ": frame size must be between 1 byte and 1 GiB");
  }
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  if (!cctx)
    return Status::error(name + ": cannot create a zstd context");
  std::size_t r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, policy.compression_level);
  if (!ZSTD_isError(r))
    r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0);
  if (ZSTD_isError(r)) {
    ZSTD_freeCCtx(cctx);
    return Status::error(name + ": bad compression settings: " + ZSTD_getErrorName(r));
  }
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    ZSTD_freeCCtx(cctx);
    return Status::error(name + ": cannot create: " + std::generic_category().message(err));
  }
  auto comp = std::make_unique<Compressor>(fd, name, policy.frame_size, cctx);
  comp->header(); // flushed to the file at open (§7 writer requirement 1)
  if (!comp->error_.is_ok())
    return comp->error_;
  return std::unique_ptr<BinarySink>(std::make_unique<BinaryFileSink>(std::move(comp), policy));
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
