// trace.bin reader: the frame-by-frame algorithm of TRACE_FORMAT.md §7.
//
// Works with or without a seek table, with frames of any size, checksums,
// content sizes and skippable frames. Compressed input is read with pread() in
// chunks; decompressed output goes to a carry-over buffer in 1 MiB steps and is
// decoded item by item, so memory stays flat for a huge trace (it is bounded by
// the largest compressed frame plus the largest event).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <system_error>

#include <zstd.h>
#include <zstd_errors.h>

#include "event_file_lock.h"
#include "input_file.h"
#include "trace_record/binary.h"
#include "trace_record/cbor.h"
#include "trace_record/source.h"

namespace trace_record {

namespace {

constexpr std::size_t kReadChunk = 256u << 10;
constexpr std::size_t kOutChunk = 1u << 20;
constexpr std::uint32_t kZstdMagic = 0xFD2FB528;

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
         std::uint32_t(p[3]) << 24;
}

std::string hex_bytes(const std::uint8_t* p, std::size_t n) {
  std::string s;
  char b[4];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(b, sizeof b, i ? " %02x" : "%02x", p[i]);
    s += b;
  }
  return s;
}

class BinarySource final : public EventSource {
public:
  BinarySource(int fd, std::string name, bool follow, const ReadLimits& limits)
      : fd_(fd), name_(std::move(name)), follow_(follow), limits_(limits),
        dctx_(ZSTD_createDCtx()) {}
  ~BinarySource() override {
    if (fd_ >= 0)
      ::close(fd_);
    ZSTD_freeDCtx(dctx_);
  }

  ReadState next(TraceEvent& event) override {
    if (terminal_)
      return *terminal_;
    if (!header_ok_) {
      if (auto s = check_header())
        return *s;
    }
    for (;;) {
      // 1. A complete item in the carry-over buffer? An item found incomplete is
      // decoded again once the buffer holds twice as much (so that a huge item costs
      // O(size), not O(size^2)), or when no more bytes come now (retry_).
      const std::size_t have = carry_.size() - carry_pos_;
      if (have > 0 && (have >= 2 * tried_ || (retry_ && have > tried_) ||
                       (have > limits_.max_event_bytes && have > tried_))) {
        retry_ = false;
        // An item found incomplete before is scanned (cheap, no allocation) until it
        // is complete, then decoded once.
        auto r = tried_ ? cbor::scan_item(carry_.data() + carry_pos_, have) : cbor::DecodeResult{};
        if (r.state == cbor::DecodeState::Ok)
          r = cbor::decode_event(carry_.data() + carry_pos_, have, event, limits_.max_event_memory);
        if (r.state == cbor::DecodeState::NeedMore) {
          tried_ = have;
          if (have > limits_.max_event_bytes)
            return error("CBOR offset " + std::to_string(carry_base_ + carry_pos_) +
                         ": an event larger than " + std::to_string(limits_.max_event_bytes >> 20) +
                         " MiB (the limit; --max-event-size raises it)");
        }
        if (r.state == cbor::DecodeState::Ok) {
          tried_ = 0;
          issue_.clear();
          if (r.indefinite_text_at != cbor::DecodeResult::kNoOffset) [[unlikely]]
            issue_ = name_ + ": CBOR offset " +
                     std::to_string(carry_base_ + carry_pos_ + r.indefinite_text_at) +
                     ": indefinite-length text string (the chunked form older writers used "
                     "for floats longer than 255 bytes, TRACE_FORMAT.md §5.1): CodeTracer's "
                     "reader rejects the whole trace.bin";
          carry_pos_ += r.consumed;
          ++events_;
          return ReadState::Event;
        }
        if (r.state == cbor::DecodeState::Error) {
          return error("CBOR offset " + std::to_string(carry_base_ + carry_pos_ + r.error_at) +
                       ": " + r.message);
        }
      }
      // 2. More output from the frame being decompressed.
      if (in_frame_) {
        if (auto s = decompress_some())
          return *s;
        continue;
      }
      // 3. The next frame.
      if (complete_) {
        if (untried_item()) // the stream's last bytes: decode them first
          continue;
        if (carry_pos_ < carry_.size()) {
          return error("CBOR offset " + std::to_string(carry_base_ + carry_pos_) +
                       ": the stream ends inside an event (" +
                       std::to_string(carry_.size() - carry_pos_) + " bytes left)");
        }
        terminal_ = ReadState::End;
        return ReadState::End;
      }
      if (auto s = next_frame())
        return *s;
    }
  }

  const std::string& message() const override { return message_; }
  TraceFormat format() const override { return TraceFormat::Binary; }
  std::uint64_t offset() const override { return carry_base_ + carry_pos_; }
  std::string_view encoding_issue() const override { return issue_; }
  WriterState writer_state() const override { return detail::event_file_writer_state(fd_); }

  bool open_ok() const { return dctx_ != nullptr; }

private:
  std::uint64_t pos() const { return in_base_ + in_off_; }
  std::size_t avail() const { return in_.size() - in_off_; }
  const std::uint8_t* at() const { return in_.data() + in_off_; }

  ReadState error(std::string what) {
    message_ = name_ + ": " + what;
    terminal_ = ReadState::Error;
    return ReadState::Error;
  }
  ReadState error_at(std::uint64_t off, const std::string& what) {
    return error("offset " + std::to_string(off) + ": " + what);
  }

  // Makes at least `want` bytes available at pos() if the file has them.
  // Returns false on a read error (already reported).
  bool fill(std::size_t want) {
    if (avail() >= want)
      return true;
    if (in_off_ != 0) {
      in_.erase(in_.begin(), in_.begin() + std::ptrdiff_t(in_off_));
      in_base_ += in_off_;
      in_off_ = 0;
    }
    while (in_.size() < want) {
      const std::size_t chunk = std::max(kReadChunk, want - in_.size());
      const std::size_t old = in_.size();
      in_.resize(old + chunk);
      ssize_t r;
      do {
        r = ::pread(fd_, in_.data() + old, chunk, off_t(in_base_ + old));
      } while (r < 0 && errno == EINTR);
      if (r < 0) {
        in_.resize(old);
        error_at(in_base_ + old,
                 std::string("read failed: ") + std::generic_category().message(errno));
        return false;
      }
      in_.resize(old + std::size_t(r));
      if (r == 0)
        break;
    }
    return true;
  }
  void advance(std::uint64_t n) {
    if (n <= avail()) {
      in_off_ += std::size_t(n);
    } else {
      in_base_ = pos() + n;
      in_.clear();
      in_off_ = 0;
    }
  }
  std::uint64_t file_size() {
    struct stat st;
    if (::fstat(fd_, &st) != 0)
      return 0;
    return std::uint64_t(st.st_size);
  }

  std::optional<ReadState> check_header() {
    if (!fill(8))
      return ReadState::Error;
    const std::size_t n = std::min<std::size_t>(avail(), 8);
    for (std::size_t i = 0; i < n; ++i) {
      if (at()[i] != kBinaryHeader[i]) {
        if (i == 5 && at()[5] == 0) {
          return error_at(5, "legacy Cap'n Proto trace.bin (version 00) is not supported");
        }
        return error_at(i, "expected the trace.bin header c0 de 72 ac e2 01 00 00, found " +
                               hex_bytes(at(), n));
      }
    }
    if (n < 8)
      return end_of_data("the file ends inside the 8-byte header");
    advance(8);
    header_ok_ = true;
    return std::nullopt;
  }

  // True (and a decode is due) when the carry-over holds more of an incomplete
  // item than was last decoded: no more bytes come now, so decode what is there.
  bool untried_item() {
    if (carry_.size() - carry_pos_ <= tried_ || retry_)
      return false;
    retry_ = true;
    return true;
  }

  // No complete frame is available at pos(): the file is cut or still growing.
  // Follow mode: NeedMore, with message() saying where the file ends for now (a
  // follower whose writer is gone reports it).
  std::optional<ReadState> end_of_data(const std::string& why) {
    if (untried_item())
      return std::nullopt; // next() decodes, then comes back here
    std::string m = "offset " + std::to_string(pos()) + ": truncated: " + why +
                    " (no seek table; writer crashed or still writing); " +
                    std::to_string(events_) + " complete events read";
    if (carry_pos_ < carry_.size()) {
      m += ", a partial event of " + std::to_string(carry_.size() - carry_pos_) +
           " bytes dropped at CBOR offset " + std::to_string(carry_base_ + carry_pos_);
    }
    message_ = name_ + ": " + m;
    if (follow_)
      return ReadState::NeedMore;
    terminal_ = ReadState::Truncated;
    return ReadState::Truncated;
  }

  std::optional<ReadState> next_frame() {
    if (!fill(8))
      return ReadState::Error;
    if (avail() < 8) {
      if (avail() == 0)
        return end_of_data("the file ends after a complete frame");
      return end_of_data("the file ends inside a frame header");
    }
    const std::uint32_t magic = le32(at());
    if (magic == kZstdMagic) {
      for (;;) {
        const std::size_t r = ZSTD_findFrameCompressedSize(at(), avail());
        if (!ZSTD_isError(r)) {
          frame_start_ = pos();
          frame_end_ = pos() + r;
          frame_d_ = 0;
          in_frame_ = true;
          ZSTD_DCtx_reset(dctx_, ZSTD_reset_session_only);
          return std::nullopt;
        }
        if (ZSTD_getErrorCode(r) != ZSTD_error_srcSize_wrong) {
          return error_at(pos(), std::string("corrupt zstd frame: ") + ZSTD_getErrorName(r));
        }
        const std::size_t had = avail();
        if (had > limits_.max_event_bytes)
          return error_at(pos(), "a zstd frame larger than " +
                                     std::to_string(limits_.max_event_bytes >> 20) +
                                     " MiB (the limit; --max-event-size raises it)");
        if (!fill(had + kReadChunk))
          return ReadState::Error;
        if (avail() == had)
          return end_of_data("the file ends inside a zstd frame");
      }
    }
    if ((magic & 0xFFFFFFF0u) == 0x184D2A50u) {
      const std::uint64_t size = le32(at() + 4);
      const std::uint64_t total = 8 + size;
      const std::uint64_t fsize = file_size();
      if (pos() + total > fsize)
        return end_of_data("the file ends inside a skippable frame");
      if (magic == kSkippableMagicSeekTable && pos() + total == fsize && size >= 9 &&
          size <= (64u << 20)) {
        if (!fill(std::size_t(total)))
          return ReadState::Error;
        if (avail() >= total && le32(at() + total - 4) == kSeekableMagic) {
          if (auto s = check_seek_table(size))
            return *s;
          advance(total);
          complete_ = true;
          return std::nullopt;
        }
      }
      advance(total);
      return std::nullopt;
    }
    return error_at(pos(), "expected a zstd frame (28 b5 2f fd) or a skippable frame, found " +
                               hex_bytes(at(), 4));
  }

  std::optional<ReadState> check_seek_table(std::uint64_t size) {
    const std::uint8_t* t = at() + 8;
    const std::uint32_t n = le32(t + size - 9);
    const std::uint8_t desc = t[size - 5];
    const std::uint64_t entry = (desc & 0x80) ? 12 : 8;
    if ((desc & 0x7c) != 0)
      return error_at(pos(), "bad seek table: reserved descriptor bits set");
    if (std::uint64_t(n) * entry + 9 != size) {
      return error_at(pos(), "bad seek table: " + std::to_string(n) + " entries do not fit size " +
                                 std::to_string(size));
    }
    if (n != frames_.size()) {
      return error_at(pos(), "bad seek table: lists " + std::to_string(n) +
                                 " frames, the file has " + std::to_string(frames_.size()));
    }
    for (std::uint32_t i = 0; i < n; ++i) {
      const FrameEntry e{le32(t + i * entry), le32(t + i * entry + 4)};
      if (!(e == frames_[i])) {
        return error_at(pos(), "bad seek table: entry " + std::to_string(i) +
                                   " does not match frame sizes (" + std::to_string(e.compressed) +
                                   ", " + std::to_string(e.decompressed) + ") vs (" +
                                   std::to_string(frames_[i].compressed) + ", " +
                                   std::to_string(frames_[i].decompressed) + ")");
      }
    }
    return std::nullopt;
  }

  std::optional<ReadState> decompress_some() {
    // Drop consumed carry-over bytes before appending.
    if (carry_pos_ != 0) {
      carry_.erase_front(carry_pos_);
      carry_base_ += carry_pos_;
      carry_pos_ = 0;
    }
    const std::size_t in_len = std::size_t(frame_end_ - pos());
    ZSTD_outBuffer out{carry_.tail(kOutChunk), kOutChunk, 0};
    ZSTD_inBuffer in{at(), in_len, 0};
    const std::size_t r = ZSTD_decompressStream(dctx_, &out, &in);
    carry_.advance(out.pos);
    in_off_ += in.pos;
    frame_d_ += out.pos;
    if (ZSTD_isError(r)) {
      return error_at(frame_start_, std::string("corrupt zstd frame: ") + ZSTD_getErrorName(r));
    }
    if (r == 0) {
      if (pos() != frame_end_)
        return error_at(pos(), "corrupt zstd frame: ends early");
      in_frame_ = false;
      const std::uint64_t c = frame_end_ - frame_start_;
      frames_.push_back({std::uint32_t(c), std::uint32_t(frame_d_)});
      return std::nullopt;
    }
    if (in.pos == in_len && out.pos < kOutChunk) {
      return error_at(frame_start_, "corrupt zstd frame: incomplete");
    }
    return std::nullopt;
  }

  int fd_;
  std::string name_;
  bool follow_;
  ReadLimits limits_;
  ZSTD_DCtx* dctx_;
  std::size_t tried_ = 0; // size of the incomplete item last decoded (0: none)
  bool retry_ = false;
  std::vector<std::uint8_t> in_;
  std::size_t in_off_ = 0;
  std::uint64_t in_base_ = 0;
  cbor::Buffer carry_; // decompressed bytes not yet decoded (no zero-filling)
  std::size_t carry_pos_ = 0;
  std::uint64_t carry_base_ = 0;
  bool header_ok_ = false;
  bool in_frame_ = false;
  bool complete_ = false;
  std::uint64_t frame_start_ = 0;
  std::uint64_t frame_end_ = 0;
  std::uint64_t frame_d_ = 0;
  std::vector<FrameEntry> frames_;
  std::uint64_t events_ = 0;
  std::optional<ReadState> terminal_;
  std::string message_;
  std::string issue_; // encoding_issue() of the last event
};

} // namespace

Result<std::unique_ptr<EventSource>> open_binary_source(const std::filesystem::path& file,
                                                        bool follow, const ReadLimits& limits) {
  auto fd = detail::open_input_file(file);
  if (!fd)
    return fd.status();
  auto src = std::make_unique<BinarySource>(*fd, file.string(), follow, limits);
  if (!src->open_ok())
    return Status::error(file.string() + ": cannot create a zstd context");
  return std::unique_ptr<EventSource>(std::move(src));
}

Result<std::vector<FrameEntry>> read_seek_table(const std::filesystem::path& file) {
  const std::string name = file.string();
  auto opened = detail::open_input_file(file);
  if (!opened)
    return opened.status();
  const int fd = *opened;
  struct stat st;
  std::vector<std::uint8_t> tail;
  std::uint64_t size = 0;
  auto read_at = [&](std::uint64_t off, std::size_t n) {
    tail.assign(n, 0);
    std::size_t done = 0;
    while (done < n) {
      const ssize_t r = ::pread(fd, tail.data() + done, n - done, off_t(off + done));
      if (r <= 0)
        return false;
      done += std::size_t(r);
    }
    return true;
  };
  Result<std::vector<FrameEntry>> result = Status::error(name + ": no seek table");
  if (::fstat(fd, &st) == 0)
    size = std::uint64_t(st.st_size);
  if (size >= 8 + 17 && read_at(size - 9, 9) && le32(&tail[5]) == kSeekableMagic && tail[4] == 0) {
    const std::uint32_t n = le32(&tail[0]);
    const std::uint64_t total = 8 + 8 * std::uint64_t(n) + 9;
    if (total + 8 <= size && read_at(size - total, std::size_t(total)) &&
        le32(&tail[0]) == kSkippableMagicSeekTable && le32(&tail[4]) == 8 * n + 9) {
      std::vector<FrameEntry> frames(n);
      for (std::uint32_t i = 0; i < n; ++i) {
        frames[i] = {le32(&tail[8 + 8 * i]), le32(&tail[12 + 8 * i])};
      }
      result = std::move(frames);
    } else {
      result = Status::error(name + ": offset " + std::to_string(size - 9) + ": bad seek table");
    }
  }
  ::close(fd);
  return result;
}

} // namespace trace_record
