// Error reporting without exceptions: Status and Result<T>.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace trace_record {

// A failure, or success when message is empty. Messages are one line and name
// the file and position where that makes sense ("trace.json: offset 123: expected ','").
// An ok Status is a null pointer: free to create, return and destroy on hot paths.
class Status {
public:
  Status() = default;
  Status(const Status& o) : message_(o.message_ ? new std::string(*o.message_) : nullptr) {}
  Status(Status&&) noexcept = default;
  Status& operator=(const Status& o) {
    if (this != &o)
      message_.reset(o.message_ ? new std::string(*o.message_) : nullptr);
    return *this;
  }
  Status& operator=(Status&&) noexcept = default;
  static Status ok() { return {}; }
  static Status error(std::string message) {
    Status s;
    if (message.empty())
      message = "unknown error";
    s.message_ = std::make_unique<std::string>(std::move(message));
    return s;
  }
  bool is_ok() const { return !message_; }
  explicit operator bool() const { return is_ok(); }
  const std::string& message() const { return message_ ? *message_ : empty(); }

private:
  static const std::string& empty() {
    static const std::string e;
    return e;
  }
  std::unique_ptr<std::string> message_;
};

template <class T> class Result {
public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(implicit)
  Result(Status error) : v_(std::move(error)) {} // NOLINT(implicit); must not be ok
  bool is_ok() const { return v_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  Status status() const { return is_ok() ? Status::ok() : std::get<1>(v_); }

private:
  std::variant<T, Status> v_;
};

} // namespace trace_record
