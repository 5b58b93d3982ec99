// Streaming trace.json sink: '[' event (',' event)* ']' through one large buffer
// flushed with write(2). Memory stays flat whatever the number of events.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "event_file_lock.h"
#include "trace_record/json.h"
#include "trace_record/sink.h"

namespace trace_record {

namespace {

constexpr std::size_t kFlushThreshold = 1u << 20; // write out once 1 MiB is buffered
constexpr std::uint64_t kReserveStep = 64u << 20; // fallocate ahead by 64 MiB

class JsonSink final : public EventSink {
public:
  JsonSink(int fd, std::filesystem::path file) : fd_(fd), file_(std::move(file)) {
    buf_.reserve(kFlushThreshold + 64 * 1024);
    buf_.push_back('[');
  }
  ~JsonSink() override { (void)close(); }

  Status write(const TraceEvent& event) override {
    const std::size_t mark = buf_.size();
    if (Status st = begin(); !st)
      return st;
    if (Status st = append_json_event(buf_, event); !st) {
      buf_.resize(mark);
      return st; // a refused event is not an I/O failure: the sink stays usable
    }
    return end();
  }

  Status write_step(PathId path, Line line) override {
    if (Status st = begin(); !st)
      return st;
    append_json_step(buf_, path, line);
    return end();
  }
  Status write_value(VariableId id, const ValueRecord& value) override {
    if (Status st = begin(); !st)
      return st;
    append_json_value_event(buf_, id, value);
    return end();
  }
  Status write_call(FunctionId fid, std::span<const FullValueRecord> args) override {
    if (Status st = begin(); !st)
      return st;
    append_json_call(buf_, fid, args);
    return end();
  }
  Status write_return(const ValueRecord& value) override {
    if (Status st = begin(); !st)
      return st;
    append_json_return(buf_, value);
    return end();
  }

  Status flush() override {
    if (!status_ || closed_)
      return status_;
    return drain();
  }

  Status close() override {
    if (closed_)
      return status_;
    closed_ = true;
    if (status_) {
      buf_.push_back(']');
      drain();
    }
    // Give back the blocks reserved past the end of the file.
    if (fd_ >= 0 && reserved_ > bytes_)
      (void)::ftruncate(fd_, off_t(bytes_));
    if (fd_ >= 0 && ::close(fd_) != 0 && status_)
      status_ = Status::error(file_.string() + ": close: " + std::strerror(errno));
    fd_ = -1;
    return status_;
  }

  std::uint64_t events_written() const override { return events_; }
  std::uint64_t bytes_written() const override { return bytes_ + buf_.size(); }

private:
  // begin(), append the event, end().
  Status begin() {
    if (!status_) [[unlikely]]
      return status_;
    if (closed_) [[unlikely]]
      return Status::error(file_.string() + ": write after close");
    if (events_)
      buf_.push_back(',');
    return Status::ok();
  }
  Status end() {
    ++events_;
    if (buf_.size() >= kFlushThreshold)
      return drain();
    return Status::ok();
  }

  Status drain() {
    // Reserve disk blocks ahead in large extents (keeps the file size): ext4 then
    // skips most per-page delayed-allocation work. Best effort; errors ignored.
    if (bytes_ + buf_.size() > reserved_) {
      reserved_ = bytes_ + buf_.size() + kReserveStep;
      (void)::fallocate(fd_, FALLOC_FL_KEEP_SIZE, off_t(bytes_), off_t(reserved_ - bytes_));
    }
    const char* p = buf_.data();
    std::size_t n = buf_.size();
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR)
          continue;
        status_ = Status::error(file_.string() + ": write: " + std::strerror(errno));
        buf_.clear();
        return status_;
      }
      p += w;
      n -= std::size_t(w);
      bytes_ += std::uint64_t(w);
    }
    buf_.clear();
    return Status::ok();
  }

  int fd_;
  std::filesystem::path file_;
  std::string buf_;
  std::uint64_t events_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t reserved_ = 0;
  bool closed_ = false;
  Status status_;
};

} // namespace

Result<std::unique_ptr<EventSink>> open_json_sink(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Status::error(dir.string() + ": cannot create directory: " + ec.message());
  std::filesystem::path file = dir / "trace.json";
  auto fd = detail::open_event_file(file); // locked while open (event_file_lock.h)
  if (!fd)
    return fd.status();
  return std::unique_ptr<EventSink>(new JsonSink(*fd, std::move(file)));
}

} // namespace trace_record
