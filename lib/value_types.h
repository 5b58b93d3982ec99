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
               t->kind == TR_TYPE_STD_STRING_VIEW || t->kind == TR_TYPE_STD_WSTRING ||
               t->kind == TR_TYPE_STD_RB_TREE);
}

// std::variant: the index of the active alternative, from the variant's bytes p[0, avail);
// t->count when there is none: the index cannot be read, is out of range or, *valueless
// set, is all ones (valueless_by_exception).
inline std::uint64_t variant_index(const tr_type_desc* t, const std::uint8_t* p, std::size_t avail,
                                   bool* valueless = nullptr) {
  auto* f = static_cast<const tr_field_desc*>(t->members);
  if (valueless)
    *valueless = false;
  if (!f || t->count == 0)
    return t->count;
  const tr_field_desc& ix = f[t->count];
  if (!ix.type || ix.type->size == 0 || ix.type->size > 8 || ix.offset > avail ||
      ix.type->size > avail - ix.offset)
    return t->count;
  std::uint64_t i = load_u64(p + ix.offset, ix.type->size);
  if (valueless)
    *valueless = i == ~std::uint64_t{0} >> (64 - 8 * ix.type->size);
  return i < t->count && f[i].type ? i : t->count;
}

} // namespace trace_record::values::detail
