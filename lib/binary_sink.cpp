// trace.bin writer: CBOR events in seekable zstd frames (TRACE_FORMAT.md §6-7).
//
// The ZSTD call sequence is exactly the one of §6.2, so with the same libzstd
// the file is byte-identical to the reference. Compressed bytes are staged in a
// user-space buffer and written to the fd when it fills, at flush() and at close().
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <system_error>

#include <zstd.h>

#include "trace_record/binary.h"
#include "trace_record/cbor.h"

namespace trace_record {

namespace {

constexpr std::size_t kOutBufferSize = 1u << 20; // staged compressed bytes before write()
constexpr std::size_t kMaxFrameSize = 1u << 30;  // keeps seek-table entries within u32

void put_le32(std::uint8_t* p, std::uint32_t v) {
  p[0] = std::uint8_t(v);
  p[1] = std::uint8_t(v >> 8);
  p[2] = std::uint8_t(v >> 16);
  p[3] = std::uint8_t(v >> 24);
}

class BinaryFileSink final : public BinarySink {
public:
  BinaryFileSink(int fd, std::string name, const FramePolicy& policy, ZSTD_CCtx* cctx)
      : fd_(fd), name_(std::move(name)), policy_(policy), cctx_(cctx),
        out_(new std::uint8_t[kOutBufferSize]), out_cap_(kOutBufferSize),
        last_flush_(std::chrono::steady_clock::now()) {}
  ~BinaryFileSink() override { (void)close(); }

  Status write(const TraceEvent& event) override {
    if (!error_.is_ok()) return error_;
    if (closed_) return Status::error(name_ + ": write after close");
    enc_.clear();
    // Assignment is refused without poisoning the sink (nothing was written).
    if (Status s = cbor::encode_event(event, enc_); !s.is_ok()) return s;
    feed(enc_.data(), enc_.size());
    ++events_;
    return after_event();
  }

  Status write_cbor(const std::uint8_t* data, std::size_t size) override {
    if (!error_.is_ok()) return error_;
    if (closed_) return Status::error(name_ + ": write after close");
    feed(data, size);
    return after_event();
  }

  Status flush() override {
    if (!error_.is_ok()) return error_;
    if (closed_) return Status::ok();
    if (frame_d_ > 0) end_frame();
    write_out();
    since_flush_ = 0;
    if (policy_.flush_every_ms != 0) last_flush_ = std::chrono::steady_clock::now();
    return error_;
  }

  Status close() override {
    if (closed_) return error_;
    closed_ = true;
    if (error_.is_ok()) {
      end_frame(); // always, even when empty (§6.2)
      write_seek_table();
      write_out();
    }
    if (fd_ >= 0 && ::close(fd_) != 0 && error_.is_ok()) fail("close failed");
    fd_ = -1;
    ZSTD_freeCCtx(cctx_);
    cctx_ = nullptr;
    return error_;
  }

  std::uint64_t events_written() const override { return events_; }
  std::uint64_t bytes_written() const override { return file_bytes_; }
  const std::vector<FrameEntry>& frames() const override { return frames_; }
  std::uint64_t stream_bytes() const override { return stream_bytes_; }

  Status write_header() {
    std::memcpy(out_.get(), kBinaryHeader.data(), kBinaryHeader.size());
    out_len_ = kBinaryHeader.size();
    write_out();
    return error_;
  }

private:
  void fail(const char* what, int err = errno) {
    if (error_.is_ok()) {
      error_ = Status::error(name_ + ": " + what + ": " + std::generic_category().message(err));
    }
  }
  void zfail(const char* what, std::size_t code) {
    if (error_.is_ok()) {
      error_ = Status::error(name_ + ": " + what + ": " + ZSTD_getErrorName(code));
    }
  }

  Status after_event() {
    if (!error_.is_ok()) return error_;
    if (policy_.flush_every_bytes != 0 && since_flush_ >= policy_.flush_every_bytes) {
      return flush();
    }
    if (policy_.flush_every_ms != 0) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_flush_ >= std::chrono::milliseconds(policy_.flush_every_ms)) return flush();
    }
    return error_;
  }

  void feed(const std::uint8_t* p, std::size_t n) {
    stream_bytes_ += n;
    since_flush_ += n;
    while (n != 0 && error_.is_ok()) {
      if (frame_d_ == policy_.frame_size) end_frame();
      const std::size_t k = std::min(n, policy_.frame_size - frame_d_);
      ZSTD_inBuffer in{p, k, 0};
      while (in.pos < in.size && error_.is_ok()) {
        if (out_cap_ - out_len_ < ZSTD_CStreamOutSize()) write_out();
        ZSTD_outBuffer out{out_.get() + out_len_, out_cap_ - out_len_, 0};
        const std::size_t r = ZSTD_compressStream2(cctx_, &out, &in, ZSTD_e_continue);
        if (ZSTD_isError(r)) return zfail("compression failed", r);
        out_len_ += out.pos;
        frame_c_ += out.pos;
      }
      frame_d_ += k;
      p += k;
      n -= k;
    }
  }

  void end_frame() {
    for (;;) {
      if (!error_.is_ok()) return;
      if (out_cap_ - out_len_ < ZSTD_CStreamOutSize()) write_out();
      ZSTD_inBuffer in{nullptr, 0, 0};
      ZSTD_outBuffer out{out_.get() + out_len_, out_cap_ - out_len_, 0};
      const std::size_t r = ZSTD_compressStream2(cctx_, &out, &in, ZSTD_e_end);
      if (ZSTD_isError(r)) return zfail("compression failed", r);
      out_len_ += out.pos;
      frame_c_ += out.pos;
      if (r == 0) break;
    }
    frames_.push_back({std::uint32_t(frame_c_), std::uint32_t(frame_d_)});
    frame_c_ = frame_d_ = 0;
    ZSTD_CCtx_reset(cctx_, ZSTD_reset_session_only);
  }

  void write_seek_table() {
    const std::size_t n = frames_.size();
    const std::size_t total = 8 + 8 * n + 9;
    std::vector<std::uint8_t> t(total);
    put_le32(&t[0], kSkippableMagicSeekTable);
    put_le32(&t[4], std::uint32_t(8 * n + 9));
    for (std::size_t i = 0; i < n; ++i) {
      put_le32(&t[8 + 8 * i], frames_[i].compressed);
      put_le32(&t[12 + 8 * i], frames_[i].decompressed);
    }
    put_le32(&t[8 + 8 * n], std::uint32_t(n));
    t[12 + 8 * n] = 0;
    put_le32(&t[13 + 8 * n], kSeekableMagic);
    append_raw(t.data(), t.size());
  }

  void append_raw(const std::uint8_t* p, std::size_t n) {
    while (n != 0 && error_.is_ok()) {
      if (out_len_ == out_cap_) write_out();
      const std::size_t k = std::min(n, out_cap_ - out_len_);
      std::memcpy(out_.get() + out_len_, p, k);
      out_len_ += k;
      p += k;
      n -= k;
    }
  }

  void write_out() {
    std::size_t done = 0;
    while (done < out_len_ && error_.is_ok()) {
      const ssize_t w = ::write(fd_, out_.get() + done, out_len_ - done);
      if (w < 0) {
        if (errno == EINTR) continue;
        fail("write failed");
        break;
      }
      if (w == 0) {
        fail("write failed", ENOSPC);
        break;
      }
      done += std::size_t(w);
      file_bytes_ += std::size_t(w);
    }
    out_len_ = 0;
  }

  int fd_;
  std::string name_;
  FramePolicy policy_;
  ZSTD_CCtx* cctx_;
  cbor::Bytes enc_;
  std::unique_ptr<std::uint8_t[]> out_;
  std::size_t out_cap_;
  std::size_t out_len_ = 0;
  std::size_t frame_d_ = 0;
  std::size_t frame_c_ = 0;
  std::vector<FrameEntry> frames_;
  Status error_;
  bool closed_ = false;
  std::uint64_t events_ = 0;
  std::uint64_t file_bytes_ = 0;
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
  if (!cctx) return Status::error(name + ": cannot create a zstd context");
  std::size_t r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, policy.compression_level);
  if (!ZSTD_isError(r)) r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0);
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
  auto sink = std::make_unique<BinaryFileSink>(fd, name, policy, cctx);
  if (Status s = sink->write_header(); !s.is_ok()) return s;
  return std::unique_ptr<BinarySink>(std::move(sink));
}

Result<std::unique_ptr<EventSink>> open_binary_sink(const std::filesystem::path& dir,
                                                    const FramePolicy& policy) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::error(dir.string() + ": cannot create directory: " + ec.message());
  auto r = open_binary_file_sink(dir / "trace.bin", policy);
  if (!r) return r.status();
  return std::unique_ptr<EventSink>(std::move(r).value());
}

} // namespace trace_record
