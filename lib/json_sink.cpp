// Streaming trace.json sink: '[' event (',' event)* ']' through one large buffer
// flushed with write(2). Memory stays flat whatever the number of events.
//
// Every flush of the buffer begins at an event boundary. When a write fails
// (disk full, file size limit, the descriptor taken over by the program),
// close() cuts the file after the last event that reached it whole and appends
// ']' (TRACE_FORMAT.md §7), so the trace still loads.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "event_file_lock.h"
#include "trace_record/detail/owned_file.h"
#include "trace_record/json.h"
#include "trace_record/sink.h"

namespace trace_record {

namespace {

constexpr std::size_t kFlushThreshold = 1u << 20; // write out once 1 MiB is buffered
constexpr std::uint64_t kReserveStep = 64u << 20; // disk blocks reserved ahead (owned_file.h)
constexpr std::size_t kNone = ~std::size_t(0);

// The ends of the complete events in `s`, a run of the sink's own output that
// begins at an event boundary (after the opening '[' when skip_bracket).
std::vector<std::size_t> event_ends(std::string_view s, bool skip_bracket) {
  std::vector<std::size_t> ends;
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = skip_bracket ? 1 : 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"') {
        in_string = false;
        if (depth == 0) // an event that is a string ("DropLastStep")
          ends.push_back(i + 1);
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) // the closing ']' of the trace
        break;
      if (--depth == 0)
        ends.push_back(i + 1);
    }
  }
  return ends;
}

class JsonSink final : public EventSink {
public:
  JsonSink(detail::OwnedFile file) : file_(std::move(file)) {
    buf_.reserve(kFlushThreshold + 64 * 1024);
    buf_.push_back('[');
  }
  ~JsonSink() override { (void)close(); }

  Status write(const TraceEvent& event) override {
    const std::size_t mark = buf_.size(), last = last_begin_;
    if (Status st = begin(); !st)
      return st;
    if (Status st = append_json_event(buf_, event); !st) {
      buf_.resize(mark);
      last_begin_ = last;
      return st; // a refused event is not an I/O failure: the sink stays usable
    }
    if (std::holds_alternative<PathRecord>(event))
      path_ends_.push_back(bytes_ + buf_.size());
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
    if (!status_)
      salvage();
    else if (file_.still_ours())
      file_.release_reserve(bytes_); // the blocks reserved past the end of the file
    if (const int err = file_.close(); err != 0 && status_)
      status_ = Status::error(file_.path().string() + ": close: " + std::strerror(err));
    return status_;
  }

  std::uint64_t events_written() const override { return events_; }
  std::uint64_t bytes_written() const override { return bytes_ + buf_.size(); }
  std::uint64_t paths_in_file() const override {
    return std::uint64_t(std::upper_bound(path_ends_.begin(), path_ends_.end(), kept_bytes_) -
                         path_ends_.begin());
  }
  void close_in_fork_child() override {
    file_.close_in_fork_child();
    closed_ = true;
  }

private:
  // begin(), append the event, end().
  Status begin() {
    if (!status_) [[unlikely]]
      return status_;
    if (closed_) [[unlikely]]
      return Status::error(file_.path().string() + ": write after close");
    last_begin_ = buf_.size();
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
    // One fstat per buffer: never write into a file the program opened in place
    // of ours (detail/owned_file.h).
    if (!file_.still_ours())
      return fail("the program closed or replaced the descriptor of the trace file", 0);
    // Disk blocks are reserved ahead in large extents (keeps the file size): ext4
    // then skips most per-page delayed-allocation work, and a full disk is noticed
    // while there is room left to close the trace (detail/owned_file.h).
    if (const int err = file_.reserve(bytes_ + buf_.size(), kReserveStep); err != 0)
      return fail(std::string("write: ") + std::strerror(err), 0);
    std::size_t written = 0;
    if (const int err = file_.write_all(buf_.data(), buf_.size(), &written); err != 0)
      return fail(std::string("write: ") + std::strerror(err), written);
    if (last_begin_ != kNone) { // the end of the event before the last one
      before_last_ = bytes_ + last_begin_;
      before_last_events_ = events_ - 1;
    }
    bytes_ += buf_.size();
    kept_bytes_ = bytes_;
    events_in_file_ = events_;
    buf_.clear();
    last_begin_ = kNone;
    return Status::ok();
  }

  // A failed write of buf_ after `written` bytes: kept for salvage().
  Status fail(std::string what, std::size_t written) {
    status_ = Status::error(file_.path().string() + ": " + what);
    failed_.swap(buf_);
    failed_at_ = bytes_;
    failed_written_ = written;
    buf_.clear();
    return status_;
  }

  // Cuts the file after the last event that is whole in it and closes the array,
  // through the descriptor or, if the program took it, the path. If that byte
  // does not fit (full disk, size limit), one event earlier.
  void salvage() {
    if (!file_.still_ours() && !detail::reopen_event_file(file_))
      return;
    const int fd = file_.fd();
    std::uint64_t end = failed_at_ + failed_written_;
    file_.release_reserve(end); // the spare room is for closing the trace
    // The rest of the failed buffer (the program took the descriptor: the file
    // itself has room), if it leaves the spare room free.
    std::size_t written = 0;
    if (failed_written_ < failed_.size() && ::lseek(fd, off_t(end), SEEK_SET) >= 0) {
      (void)file_.write_all(failed_.data() + failed_written_, failed_.size() - failed_written_,
                            &written);
      if (file_.spare_room_left())
        failed_written_ += written;
      else
        (void)::ftruncate(fd, off_t(end));
    }
    struct Cut {
      std::uint64_t offset, events;
    };
    std::vector<Cut> cuts;
    const std::vector<std::size_t> ends =
        event_ends(std::string_view(failed_).substr(0, failed_written_), failed_at_ == 0);
    for (std::size_t i = ends.size(); i-- > 0;)
      cuts.push_back({failed_at_ + ends[i], events_in_file_ + i + 1});
    cuts.push_back({failed_at_, events_in_file_});
    if (before_last_ != 0)
      cuts.push_back({before_last_, before_last_events_});
    for (const Cut& c : cuts) {
      if (close_at(c.offset)) {
        events_ = c.events;
        kept_bytes_ = c.offset;
        bytes_ = c.offset + (c.offset == 0 ? 2 : 1);
        return;
      }
    }
  }
  bool close_at(std::uint64_t offset) {
    const int fd = file_.fd();
    if (::ftruncate(fd, off_t(offset)) != 0)
      return false;
    if (offset == 0) // nothing whole, not even '['
      return ::pwrite(fd, "[]", 2, 0) == 2;
    return ::pwrite(fd, "]", 1, off_t(offset)) == 1;
  }

  detail::OwnedFile file_;
  std::string buf_;
  std::uint64_t events_ = 0;
  std::uint64_t bytes_ = 0;
  bool closed_ = false;
  Status status_;
  std::size_t last_begin_ = kNone; // where the last event in buf_ begins (its ',')
  std::uint64_t before_last_ = 0;  // file offset after the last event but one (0: none)
  std::uint64_t before_last_events_ = 0;
  std::uint64_t events_in_file_ = 0;     // events written whole
  std::uint64_t kept_bytes_ = 0;         // bytes of whole events in the file
  std::vector<std::uint64_t> path_ends_; // file offset after each Path event
  std::string failed_;                   // the buffer whose write failed
  std::uint64_t failed_at_ = 0;          // where it begins in the file
  std::size_t failed_written_ = 0;       // how much of it reached the file
};

} // namespace

Result<std::unique_ptr<EventSink>> open_json_sink(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Status::error(dir.string() + ": cannot create directory: " + ec.message());
  std::filesystem::path file = dir / "trace.json";
  detail::OwnedFile out; // locked while open (event_file_lock.h)
  if (Status st = detail::open_event_file(out, file); !st)
    return st;
  return std::unique_ptr<EventSink>(new JsonSink(std::move(out)));
}

} // namespace trace_record
