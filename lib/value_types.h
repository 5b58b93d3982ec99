// Internal: type predicates and loads shared by value capture (value_capture.cpp)
// and decoding (value_decode.cpp), which must walk a type the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "../runtime/include/trace_record_rt_values.h"

namespace trace_record::values::detail {

// Little-endian load of n (<= 8) bytes.
inline std::uint64_t load_u64(const std::uint8_t* p, std::size_t n) {
  std::uint64_t v = 0;
  std::memcpy(&v, p, n < 8 ? n : 8);
  return v;
}

inline bool is_char(const tr_type_desc* t) {
  return t && t->kind == TR_TYPE_CHAR && t->size == 1;
}

// wchar_t, char16_t, char32_t: bytes of one character, else 0.
inline std::size_t wide_unit(const tr_type_desc* t) {
  if (t && (t->flags & TR_TYPE_WIDE_CHAR) && (t->size == 2 || t->size == 4))
    return t->size;
  return 0;
}

// libstdc++ types whose data pointer is snapshotted like a container.
inline bool is_container(const tr_type_desc* t) {
  return t && (t->kind == TR_TYPE_STD_STRING || t->kind == TR_TYPE_STD_VECTOR ||
               t->kind == TR_TYPE_STD_STRING_VIEW);
}

} // namespace trace_record::values::detail
