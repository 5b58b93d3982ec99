// Not an API: unchecked CBOR writers and the hot-event encoders, inline so that
// the binary sink's direct writes (binary_sink.cpp) and TraceWriter's in-place
// Step and Value (writer.h) compile into straight-line code. The same bytes as
// cbor_encode.cpp's Encoder (which uses them too).
#pragma once

#include <cstring>

#include "trace_record/cbor.h"

namespace trace_record::cbor::put {

enum Major : std::uint8_t {
  kUnsigned = 0,
  kNegative = 1,
  kText = 3,
  kArray = 4,
  kMap = 5,
};

// Unchecked writers into room reserved beforehand (Buffer::tail); each returns
// the position after what it wrote.
[[gnu::always_inline]] inline std::uint8_t* put_head(std::uint8_t* w, std::uint8_t major,
                                                     std::uint64_t a) {
  const std::uint8_t m = std::uint8_t(major << 5);
  if (a < 24) {
    w[0] = std::uint8_t(m | a);
    return w + 1;
  }
  if (a <= 0xff) {
    w[0] = std::uint8_t(m | 24);
    w[1] = std::uint8_t(a);
    return w + 2;
  }
  if (a <= 0xffff) {
    w[0] = std::uint8_t(m | 25);
    w[1] = std::uint8_t(a >> 8);
    w[2] = std::uint8_t(a);
    return w + 3;
  }
  if (a <= 0xffffffffull) {
    w[0] = std::uint8_t(m | 26);
    const std::uint32_t be = __builtin_bswap32(std::uint32_t(a));
    std::memcpy(w + 1, &be, 4);
    return w + 5;
  }
  w[0] = std::uint8_t(m | 27);
  const std::uint64_t be = __builtin_bswap64(a);
  std::memcpy(w + 1, &be, 8);
  return w + 9;
}
[[gnu::always_inline]] inline std::uint8_t* put_i64(std::uint8_t* w, std::int64_t v) {
  return v >= 0 ? put_head(w, kUnsigned, std::uint64_t(v))
                : put_head(w, kNegative, ~std::uint64_t(v)); // -1 - v
}
// Raw pre-encoded bytes (a string literal without its terminating NUL).
template <std::size_t N>
[[gnu::always_inline]] inline std::uint8_t* put_raw(std::uint8_t* w, const char (&b)[N]) {
  std::memcpy(w, b, N - 1);
  return w + N - 1;
}
// The scalar values that have a fixed maximum size: Int, None, Bool (at most 32
// bytes). Returns nullptr, writing nothing, for the other kinds.
[[gnu::always_inline]] inline std::uint8_t* put_scalar_value(std::uint8_t* w,
                                                             const ValueRecord& v) {
  switch (v.v.index()) {
  case 0: { // a3 "kind" "Int" "i" <i> "type_id" <t>
    const auto& x = *std::get_if<value::Int>(&v.v);
    w = put_i64(put_raw(w, "\xa3\x64kind\x63Int\x61i"), x.i);
    return put_head(put_raw(w, "\x67type_id"), kUnsigned, x.type_id.value);
  }
  case 11: {
    const auto& x = *std::get_if<value::None>(&v.v);
    return put_head(put_raw(w, "\xa2\x64kind\x64None\x67type_id"), kUnsigned, x.type_id.value);
  }
  case 2: {
    const auto& x = *std::get_if<value::Bool>(&v.v);
    w = put_raw(w, "\xa3\x64kind\x64"
                   "Bool\x61"
                   "b");
    *w++ = x.b ? 0xf5 : 0xf4;
    return put_head(put_raw(w, "\x67type_id"), kUnsigned, x.type_id.value);
  }
  default:
    return nullptr;
  }
}
constexpr std::size_t kMaxScalarValue = 32;

// Reserve first, write without checks, then advance: the hot events.
[[gnu::always_inline]] inline void step(Buffer& out, PathId path, Line line) {
  std::uint8_t* const w0 = out.tail(48);
  std::uint8_t* w = put_raw(w0, "\xa1\x64Step\xa2\x67path_id");
  w = put_i64(put_raw(put_head(w, kUnsigned, path.value), "\x64line"), line);
  out.advance(std::size_t(w - w0));
}

// Any ValueRecord (out of line, cbor_encode.cpp).
void value(const ValueRecord& v, Buffer& out);

// {variable_id, value}, as in Call.args.
[[gnu::always_inline]] inline void full_value(Buffer& out, VariableId id, const ValueRecord& v) {
  std::uint8_t* const w0 = out.tail(24 + kMaxScalarValue);
  std::uint8_t* w = put_raw(w0, "\xa2\x6bvariable_id");
  w = put_raw(put_head(w, kUnsigned, id.value), "\x65value");
  if (std::uint8_t* end = put_scalar_value(w, v)) {
    out.advance(std::size_t(end - w0));
    return;
  }
  out.advance(std::size_t(w - w0));
  value(v, out);
}

// Value{variable_id, value}: the same map as a Call argument, under "Value".
[[gnu::always_inline]] inline void value_event(Buffer& out, VariableId id, const ValueRecord& v) {
  std::uint8_t* const w = out.tail(7);
  out.advance(std::size_t(put_raw(w, "\xa1\x65Value") - w));
  full_value(out, id, v);
}

[[gnu::always_inline]] inline void call(Buffer& out, FunctionId fid, const FullValueRecord* args,
                                        std::size_t n) {
  std::uint8_t* const w0 = out.tail(48);
  std::uint8_t* w = put_raw(w0, "\xa1\x64"
                                "Call\xa2\x6b"
                                "function_id");
  w = put_head(put_raw(put_head(w, kUnsigned, fid.value), "\x64"
                                                          "args"),
               kArray, n);
  out.advance(std::size_t(w - w0));
  for (std::size_t i = 0; i < n; ++i)
    full_value(out, args[i].variable_id, args[i].value);
}

[[gnu::always_inline]] inline void return_event(Buffer& out, const ValueRecord& v) {
  std::uint8_t* const w0 = out.tail(20 + kMaxScalarValue);
  std::uint8_t* w = put_raw(w0, "\xa1\x66Return\xa1\x6creturn_value");
  if (std::uint8_t* end = put_scalar_value(w, v)) {
    out.advance(std::size_t(end - w0));
    return;
  }
  out.advance(std::size_t(w - w0));
  value(v, out);
}

} // namespace trace_record::cbor::put
