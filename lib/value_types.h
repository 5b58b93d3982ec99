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
  return t && tr_type_is_container(t->kind);
}

// std::string and std::string_view (also u8), std::wstring and the wide string_views: bytes of
// one character (1, 2 or 4); 0: a wide one whose target is not a character type.
inline std::size_t string_unit(const tr_type_desc* t) {
  if (t->kind == TR_TYPE_STD_STRING || (t->kind == TR_TYPE_STD_STRING_VIEW && !t->target))
    return 1;
  return wide_unit(t->target);
}

// std::deque: its element count from its bytes p[0, 80) (iterators {cur, first, last, node}
// start at 16, finish at 48; buffers of start's (last - first) bytes), as libstdc++ counts it
// (wrapping, like its signed arithmetic); 0 if start's buffer holds no element.
inline std::uint64_t deque_size(const std::uint8_t* p, std::size_t esize) {
  std::uint64_t per = (load_u64(p + 32, 8) - load_u64(p + 24, 8)) / esize;
  if (per == 0)
    return 0;
  std::uint64_t nodes = (load_u64(p + 72, 8) - load_u64(p + 40, 8)) / 8;
  return per * (nodes - 1) + (load_u64(p + 48, 8) - load_u64(p + 56, 8)) / esize +
         (load_u64(p + 32, 8) - load_u64(p + 16, 8)) / esize;
}

// The element count of a container that keeps none (std::forward_list).
constexpr std::uint64_t kUnknownCount = ~std::uint64_t{0};

// The containers whose elements are gathered from several places (std::map and std::set,
// std::list, std::forward_list, the unordered containers: nodes; std::deque: buffers), from
// their bytes p[0, avail): the element count and where the walk starts (the first node, the
// deque's first element). False: not one of them, or the bytes are cut short. A
// std::forward_list keeps no size: its count is kUnknownCount unless it is empty (0).
inline bool scattered_elements(const tr_type_desc* t, const std::uint8_t* p, std::size_t avail,
                               std::uint64_t& count, std::uint64_t& first) {
  std::size_t count_at, first_at, need;
  switch (t->kind) {
  case TR_TYPE_STD_RB_TREE: // node count; leftmost node
    count_at = 40, first_at = 24, need = 48;
    break;
  case TR_TYPE_STD_LIST: // size; the sentinel's next
    count_at = 16, first_at = 0, need = 24;
    break;
  case TR_TYPE_STD_HASHTABLE: // element count; _M_before_begin._M_nxt
    count_at = 24, first_at = 16, need = 56;
    break;
  case TR_TYPE_STD_DEQUE: // computed; start's cur
    count_at = 0, first_at = 16, need = 80;
    break;
  case TR_TYPE_STD_FORWARD_LIST: // none; _M_head._M_next
    count_at = 0, first_at = 0, need = 8;
    break;
  default:
    return false;
  }
  if (avail < need || !t->target || t->target->size == 0)
    return false;
  first = load_u64(p + first_at, 8);
  if (t->kind == TR_TYPE_STD_FORWARD_LIST)
    count = first ? kUnknownCount : 0;
  else
    count =
        t->kind == TR_TYPE_STD_DEQUE ? deque_size(p, t->target->size) : load_u64(p + count_at, 8);
  return true;
}

// std::vector<bool>, from its bytes p[0, avail) (bit iterators {word *, bit} start at 0, finish
// at 16): its size in bits, as libstdc++ counts it (0 if finish is before start), the first
// word's address and the first bit in it. False: the bytes are cut short.
inline bool bit_vector(const std::uint8_t* p, std::size_t avail, std::uint64_t& count,
                       std::uint64_t& word, std::uint32_t& bit) {
  if (avail < 32)
    return false;
  word = load_u64(p, 8);
  bit = static_cast<std::uint32_t>(load_u64(p + 8, 4) & 63);
  std::uint64_t end = load_u64(p + 16, 8), end_bit = load_u64(p + 24, 4) & 63;
  std::uint64_t words = (end - word) / 8;
  if (words > std::uint64_t{1} << 40) // corrupt: more than max_elements anyway
    words = std::uint64_t{1} << 40;
  count = end < word || (words == 0 && end_bit < bit) ? 0 : words * 64 + end_bit - bit;
  return true;
}

// std::vector<bool>: the bytes holding its first n bits from bit `bit` of the first word
// (whole words).
inline std::uint64_t bit_vector_bytes(std::uint64_t n, std::uint32_t bit) {
  return (n + bit + 63) / 64 * 8;
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
