// Decoding of captured variable values into ValueRecords and TypeRecords,
// following CONVENTIONS.md §3.2 (see value_codec.h).
#include <dlfcn.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../runtime/include/trace_record_rt_values.h"
#include "trace_record/float_text.h"
#include "trace_record/text.h"
#include "trace_record/value_codec.h"
#include "trace_record/writer.h"
#include "value_types.h"

namespace trace_record::values {

// ------------------------------------------------------------------ sinks

std::optional<TypeId> WriterTypeSink::find(std::string_view lang_type) {
  return w_.find_type_id(lang_type);
}
TypeId WriterTypeSink::next_id() {
  return w_.next_type_id();
}
TypeId WriterTypeSink::add(const TypeRecord& type) {
  return w_.ensure_raw_type_id(type);
}

// ------------------------------------------------------------------ helpers

std::string sanitize_utf8(std::string_view bytes) {
  return utf8_lossy(bytes);
}

std::string hex_address(std::uint64_t address) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, address, 16);
  return "0x" + std::string(buf, r.ptr);
}

namespace {

constexpr const char* kEllipsis = "\xE2\x80\xA6"; // …

using detail::is_char;
using detail::load_u64;
using detail::wide_unit;

// Arrays of and pointers to these are strings.
bool is_string_char(const tr_type_desc* t) {
  return is_char(t) || wide_unit(t);
}

std::string type_name(const tr_type_desc* t) {
  if (!t)
    return "void";
  return t->name && *t->name ? t->name : "<unnamed type>";
}

std::int64_t sign_extend(std::uint64_t v, unsigned bits) {
  if (bits >= 64)
    return static_cast<std::int64_t>(v);
  std::uint64_t m = std::uint64_t{1} << (bits - 1);
  v &= (std::uint64_t{1} << bits) - 1;
  return static_cast<std::int64_t>((v ^ m) - m);
}

ValueRecord big_int(unsigned __int128 magnitude, bool negative, TypeId t) {
  value::BigInt b;
  b.negative = negative && magnitude != 0;
  b.type_id = t;
  for (int i = 15; i >= 0; --i) {
    auto byte = static_cast<std::uint8_t>(magnitude >> (i * 8));
    if (byte || !b.magnitude.empty())
      b.magnitude.push_back(byte);
  }
  return b;
}

TypeKind kind_of(const tr_type_desc* t) {
  switch (t->kind) {
  case TR_TYPE_SINT:
  case TR_TYPE_UINT:
  case TR_TYPE_CHAR:
    return TypeKind::Int;
  case TR_TYPE_BOOL:
    return TypeKind::Bool;
  case TR_TYPE_FLOAT:
    return TypeKind::Float;
  case TR_TYPE_ENUM:
    return TypeKind::Enum;
  case TR_TYPE_POINTER:
  case TR_TYPE_REFERENCE:
    return TypeKind::Pointer;
  case TR_TYPE_ARRAY:
    return is_string_char(t->target) && !(t->flags & TR_TYPE_NOT_STRING) ? TypeKind::CString
                                                                          : TypeKind::Array;
  case TR_TYPE_STRUCT:
    return TypeKind::Struct;
  case TR_TYPE_UNION:
    return TypeKind::Union;
  case TR_TYPE_FUNCTION_POINTER:
    return TypeKind::FunctionKind;
  case TR_TYPE_STD_STRING:
  case TR_TYPE_STD_STRING_VIEW:
  case TR_TYPE_STD_WSTRING:
    return TypeKind::String;
  case TR_TYPE_STD_VECTOR:
  case TR_TYPE_STD_RB_TREE:
  case TR_TYPE_STD_LIST:
  case TR_TYPE_STD_HASHTABLE:
  case TR_TYPE_STD_DEQUE:
  case TR_TYPE_STD_VECTOR_BOOL:
  case TR_TYPE_STD_FORWARD_LIST:
    return TypeKind::Seq;
  case TR_TYPE_STD_TUPLE:
    return TypeKind::Tuple;
  case TR_TYPE_STD_VARIANT:
    return TypeKind::Variant;
  default:
    return TypeKind::Raw;
  }
}

std::string cstring_name(const tr_type_desc* char_type) {
  return type_name(char_type) + "[]";
}

std::string hex_bytes(const std::uint8_t* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s = "{";
  for (std::size_t i = 0; i < n && i < 64; ++i) {
    if (i)
      s += ' ';
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  if (n > 64)
    s += std::string(" ") + kEllipsis;
  return s + "}";
}

std::string default_symbol(std::uint64_t address) {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(address), &info) && info.dli_sname &&
      reinterpret_cast<std::uint64_t>(info.dli_saddr) == address)
    return info.dli_sname;
  return {};
}

// A string from bytes up to the first NUL, capped, sanitised to UTF-8.
std::string c_string(const std::uint8_t* p, std::size_t n, std::uint32_t max) {
  const void* nul = std::memchr(p, 0, n);
  std::size_t len = nul ? static_cast<const std::uint8_t*>(nul) - p : n;
  bool cut = len > max;
  if (cut)
    len = max;
  std::string s = utf8_lossy(std::string_view(reinterpret_cast<const char*>(p), len));
  if (cut)
    s += kEllipsis;
  return s;
}

// A wchar_t / char16_t / char32_t string (UTF-32 or UTF-16 units) as UTF-8, up to the
// first NUL character (to the end: stop_at_nul false), capped at max characters; invalid
// code points become U+FFFD.
std::string wide_string(const std::uint8_t* p, std::size_t n, std::size_t unit, std::uint32_t max,
                        bool stop_at_nul = true) {
  std::string s;
  std::size_t chars = 0;
  for (std::size_t i = 0; i + unit <= n; i += unit) {
    char32_t c;
    if (unit == 4) {
      std::uint32_t v;
      std::memcpy(&v, p + i, 4);
      c = v;
    } else {
      std::uint16_t v;
      std::memcpy(&v, p + i, 2);
      c = v;
      if (v >= 0xD800 && v < 0xDC00 && i + 4 <= n) {
        std::uint16_t lo;
        std::memcpy(&lo, p + i + 2, 2);
        if (lo >= 0xDC00 && lo < 0xE000) {
          c = 0x10000 + ((char32_t(v) - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      }
    }
    if (c == 0 && stop_at_nul)
      break;
    if (chars++ == max) {
      s += kEllipsis;
      break;
    }
    if (c > 0x10FFFF || (c >= 0xD800 && c < 0xE000))
      c = 0xFFFD;
    append_utf8(s, c);
  }
  return s;
}

// A container whose elements are not expanded here: "<std::list<int>, 3 elements>"; without a
// known count "<std::forward_list<int> 0x…>" (its first node).
std::string elided(const tr_type_desc* t, std::uint64_t count, std::uint64_t first) {
  if (count == detail::kUnknownCount)
    return "<" + type_name(t) + " " + hex_address(first) + ">";
  return "<" + type_name(t) + ", " + std::to_string(count) + " elements>";
}

double float_value(const tr_type_desc* t, const std::uint8_t* p, bool* ok) {
  *ok = true;
  if (t->size == 4) {
    float f;
    std::memcpy(&f, p, 4);
    // The shortest binary32 digits ("0.1", not 0.10000000149011612).
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf - 1, f);
    *r.ptr = 0;
    if (f != f || f == 0 || f - f != 0)
      return f;
    return std::strtod(buf, nullptr);
  }
  if (t->size == 8) {
    double d;
    std::memcpy(&d, p, 8);
    return d;
  }
  if ((t->size == 10 || t->size == 16) && !(t->flags & TR_TYPE_BINARY128) &&
      sizeof(long double) == 16) {
    long double x = 0;
    std::memcpy(&x, p, 10);
    return static_cast<double>(x);
  }
  *ok = false;
  return 0;
}

} // namespace

// ------------------------------------------------------------------ types

TypeId ValueDecoder::cstring_type_id(const tr_type_desc* char_type) {
  std::string name = cstring_name(char_type);
  if (auto id = sink_.find(name))
    return *id;
  return sink_.add(TypeRecord{TypeKind::CString, name, tsi::None{}});
}

// What must agree for two descriptors to share a Type: the kind and, for structs, the
// fields (C12). The same name can come with another shape, e.g. a class that is only a
// declaration in one translation unit (clang's limited debug info) and complete in another.
std::string ValueDecoder::shape(const tr_type_desc* t) {
  std::string s = std::to_string(static_cast<int>(kind_of(t)));
  if (t->kind == TR_TYPE_STRUCT) {
    auto* f = static_cast<const tr_field_desc*>(t->members);
    for (std::uint64_t i = 0; i < t->count; ++i)
      s += std::string("|") + (f[i].name ? f[i].name : type_name(f[i].type));
  }
  return s;
}

// The lang_type of t: its name, or "name (2)", "name (3)"... when a type of another shape
// already has that name (types are interned by name).
std::string ValueDecoder::unique_name(const tr_type_desc* t,
                                      const std::unordered_map<std::string, std::string>& pending) {
  if (auto it = names_.find(t); it != names_.end())
    return it->second;
  std::string base = type_name(t), sh = shape(t);
  for (int k = 1;; ++k) {
    std::string n = k == 1 ? base : base + " (" + std::to_string(k) + ")";
    auto reg = shapes_.find(n);
    auto pen = pending.find(n);
    if ((reg == shapes_.end() || reg->second == sh) && (pen == pending.end() || pen->second == sh))
      return names_[t] = n;
  }
}

TypeRecord ValueDecoder::make_record(const tr_type_desc* t,
                                     const std::unordered_map<std::string, TypeId>& pending) {
  auto name_of = [&](const tr_type_desc* d) {
    auto it = names_.find(d);
    return it != names_.end() ? it->second : type_name(d);
  };
  auto id_of = [&](const tr_type_desc* d) -> TypeId {
    if (!d)
      return kNoneTypeId;
    if (auto it = cache_.find(d); it != cache_.end())
      return it->second;
    if (auto it = pending.find(name_of(d)); it != pending.end())
      return it->second;
    if (auto id = sink_.find(name_of(d)))
      return *id;
    return kNoneTypeId;
  };
  TypeRecord r{kind_of(t), name_of(t), tsi::None{}};
  if (t->kind == TR_TYPE_POINTER || t->kind == TR_TYPE_REFERENCE) {
    TypeId deref = kNoneTypeId;
    if (is_string_char(t->target)) {
      std::string n = cstring_name(t->target);
      if (auto it = pending.find(n); it != pending.end())
        deref = it->second;
      else if (auto id = sink_.find(n))
        deref = *id;
    } else if (t->target && t->target->size) {
      deref = id_of(t->target);
    }
    r.specific_info = tsi::Pointer{deref};
  } else if (t->kind == TR_TYPE_STRUCT) {
    tsi::Struct s;
    auto* f = static_cast<const tr_field_desc*>(t->members);
    for (std::uint64_t i = 0; i < t->count; ++i) {
      std::string name =
          (f[i].flags & TR_FIELD_BASE) || !f[i].name ? type_name(f[i].type) : f[i].name;
      s.fields.push_back({std::move(name), id_of(f[i].type)});
    }
    r.specific_info = std::move(s);
  }
  return r;
}

TypeId ValueDecoder::type_id(const tr_type_desc* t) {
  if (!t)
    return kNoneTypeId;
  FastType& fast = fast_[(reinterpret_cast<std::uintptr_t>(t) >> 3) & 255];
  if (fast.t == t)
    return fast.id;
  if (auto it = cache_.find(t); it != cache_.end()) {
    fast = {t, it->second};
    return it->second;
  }

  // The closure of types not registered yet, reserved first (recursive types).
  struct Entry {
    const tr_type_desc* t; // null: the CString type named `name`
    std::string name;
  };
  std::vector<Entry> order;
  std::vector<const tr_type_desc*> aliases; // descriptors sharing a pending name
  std::unordered_map<std::string, TypeId> pending;
  std::vector<const tr_type_desc*> stack{t};
  std::unordered_map<std::string, std::string> seen; // pending name -> shape
  auto visit = [&](const tr_type_desc* d) {
    if (!d || cache_.count(d))
      return;
    std::string name = unique_name(d, seen);
    if (seen.count(name)) {
      aliases.push_back(d);
      return;
    }
    if (auto id = sink_.find(name)) {
      cache_[d] = *id;
      return;
    }
    seen[name] = shape(d);
    order.push_back({d, name});
    stack.push_back(d);
  };
  stack.clear();
  visit(t);
  while (!stack.empty()) {
    const tr_type_desc* d = stack.back();
    stack.pop_back();
    if (d->kind == TR_TYPE_POINTER || d->kind == TR_TYPE_REFERENCE) {
      if (is_string_char(d->target)) {
        std::string n = cstring_name(d->target);
        if (!seen.count(n) && !sink_.find(n)) {
          seen[n] = "CString";
          order.push_back({nullptr, n});
        }
      } else if (d->target && d->target->size) {
        visit(d->target);
      }
    } else if (d->kind == TR_TYPE_STRUCT) {
      auto* f = static_cast<const tr_field_desc*>(d->members);
      for (std::uint64_t i = 0; i < d->count; ++i)
        visit(f[i].type);
    }
  }
  std::uint64_t base = sink_.next_id().value;
  for (std::size_t i = 0; i < order.size(); ++i)
    pending[order[i].name] = TypeId{base + i};
  for (const Entry& e : order) {
    TypeRecord r =
        e.t ? make_record(e.t, pending) : TypeRecord{TypeKind::CString, e.name, tsi::None{}};
    TypeId id = sink_.add(r);
    shapes_[e.name] = seen[e.name];
    if (e.t)
      cache_[e.t] = id;
  }
  for (const tr_type_desc* d : aliases)
    cache_[d] = pending[names_[d]];
  return cache_[t];
}

// ------------------------------------------------------------------ values

struct ValueDecoder::Cursor {
  const std::uint8_t* p;
  std::size_t n;

  struct Snapshot {
    bool ok;
    const std::uint8_t* bytes;
    std::uint32_t len;
  };
  // Consumes the next pointee snapshot: status byte, u32 length, bytes (needs n >= 5).
  Snapshot next_snapshot() {
    std::uint8_t status = p[0];
    std::uint32_t len;
    std::memcpy(&len, p + 1, 4);
    if (len > n - 5)
      len = static_cast<std::uint32_t>(n - 5);
    const std::uint8_t* bytes = p + 5;
    p += 5 + len;
    n -= 5 + len;
    return {status == static_cast<std::uint8_t>(SnapshotStatus::Ok), bytes, len};
  }
};

ValueRecord ValueDecoder::optimized_out(const tr_type_desc* t) {
  return ValueRecord::raw("<optimized out>", type_id(t));
}

ValueRecord ValueDecoder::decode(const tr_type_desc* t, std::span<const std::uint8_t> capture) {
  if (capture.size() < 4)
    return ValueRecord::error("<no value captured>", type_id(t));
  std::uint32_t n;
  std::memcpy(&n, capture.data(), 4);
  if (n > capture.size() - 4)
    n = static_cast<std::uint32_t>(capture.size() - 4);
  Cursor cur{capture.data() + 4 + n, capture.size() - 4 - n};
  return decode_at(t, capture.data() + 4, n, 1, false, cur);
}

ValueRecord ValueDecoder::decode_pointer(const tr_type_desc* t, std::uint64_t ptr,
                                         std::uint32_t depth, bool in_pointee, Cursor& cur) {
  TypeId tid = type_id(t);
  if (ptr == 0)
    return ValueRecord::raw("NULL", tid);
  const tr_type_desc* target = t->target;
  if (in_pointee || !target || target->size == 0 || depth + 1 > limits_.max_depth || cur.n < 5)
    return ValueRecord::raw(hex_address(ptr), tid);
  auto [ok, bytes, len] = cur.next_snapshot();
  if (!ok)
    return ValueRecord::error("<unreadable " + hex_address(ptr) + ">", tid);
  value::Reference ref;
  ref.address = ptr;
  ref.mutable_ = !(t->flags & TR_TYPE_CONST_TARGET);
  ref.type_id = tid;
  if (is_char(target)) {
    ref.dereferenced =
        ValueRecord::string(c_string(bytes, len, limits_.max_string), cstring_type_id(target));
  } else if (std::size_t unit = wide_unit(target)) {
    ref.dereferenced = ValueRecord::string(wide_string(bytes, len, unit, limits_.max_string),
                                           cstring_type_id(target));
  } else {
    // Pointers in the pointee stay addresses, except a container's own data (capture_value
    // snapshots it): `const std::string&` shows the string.
    ref.dereferenced = decode_at(target, bytes, len, depth + 1, !detail::is_container(target), cur);
  }
  return ref;
}

// std::string (std::wstring, std::string_view, ...) -> String, std::vector<T> ->
// Sequence{is_slice: false} (CONVENTIONS §3.2), from the snapshot of their heap data.
ValueRecord ValueDecoder::decode_container(const tr_type_desc* t, const std::uint8_t* p,
                                           std::size_t avail, std::uint32_t depth, bool in_pointee,
                                           Cursor& cur) {
  TypeId tid = type_id(t);
  const bool is_view = t->kind == TR_TYPE_STD_STRING_VIEW;
  const std::size_t chars = t->kind == TR_TYPE_STD_VECTOR ? 0 : detail::string_unit(t);
  const std::size_t unit = chars > 1 ? chars : 0; // wide characters
  const bool is_string = chars != 0;
  const tr_type_desc* e = t->target;
  if (avail < 16 || (!is_string && (!e || e->size == 0)))
    return ValueRecord::raw(kEllipsis, tid);
  // std::string, std::vector: data pointer first; std::string_view: length first.
  std::uint64_t ptr = load_u64(p + (is_view ? 8 : 0), 8),
                second = load_u64(p + (is_view ? 0 : 8), 8);
  std::uint64_t count = is_string ? second : second >= ptr ? (second - ptr) / e->size : 0;
  if (!is_string && (ptr == 0 || second < ptr)) {
    value::Sequence empty;
    empty.type_id = tid;
    return empty; // an empty (or moved-from) vector
  }
  if (ptr == 0 && is_view && count == 0)
    return ValueRecord::string("", tid); // a default-constructed string_view
  if (ptr == 0 && is_string)
    return ValueRecord::raw("NULL", tid);
  if (in_pointee || depth + 1 > limits_.max_depth || cur.n < 5)
    return ValueRecord::raw((unit        ? "<" + type_name(t) + " "
                             : is_view   ? std::string("<std::string_view ")
                             : is_string ? std::string("<std::string ")
                                         : std::string("<std::vector ")) +
                                hex_address(ptr) + ", " + std::to_string(count) +
                                (unit        ? " characters>"
                                 : is_string ? " bytes>"
                                             : " elements>"),
                            tid);
  auto [ok, bytes, len] = cur.next_snapshot();
  if (!ok)
    return ValueRecord::error("<unreadable " + hex_address(ptr) + ">", tid);
  if (unit) {
    // Embedded NUL characters are kept, as for std::string.
    std::string s = wide_string(bytes, len - len % unit, unit, limits_.max_string, false);
    if (len / unit < count && !s.ends_with(kEllipsis))
      s += kEllipsis;
    return ValueRecord::string(std::move(s), tid);
  }
  if (is_string) {
    std::string s = utf8_lossy(std::string_view(reinterpret_cast<const char*>(bytes), len));
    if (len < count)
      s += kEllipsis;
    return ValueRecord::string(std::move(s), tid);
  }
  return decode_elements(tid, e, bytes, len, count, depth, cur);
}

ValueRecord ValueDecoder::decode_elements(TypeId tid, const tr_type_desc* e,
                                          const std::uint8_t* bytes, std::size_t len,
                                          std::uint64_t count, std::uint32_t depth, Cursor& cur) {
  value::Sequence seq;
  seq.type_id = tid;
  std::uint64_t n = len / e->size;
  seq.elements.reserve(n + (n < count));
  for (std::uint64_t i = 0; i < n; ++i)
    seq.elements.push_back(
        decode_at(e, bytes + i * e->size, len - i * e->size, depth + 1, true, cur));
  if (n < count)
    seq.elements.push_back(ValueRecord::raw(kEllipsis, type_id(e)));
  return seq;
}

std::vector<ValueRecord> ValueDecoder::decode_fields(const tr_type_desc* t, const std::uint8_t* p,
                                                     std::size_t avail, std::uint32_t depth,
                                                     bool in_pointee, Cursor& cur) {
  std::vector<ValueRecord> values;
  values.reserve(t->count);
  auto* f = static_cast<const tr_field_desc*>(t->members);
  for (std::uint64_t i = 0; i < t->count; ++i) {
    const tr_field_desc& fd = f[i];
    if (fd.offset >= avail || !fd.type) {
      values.push_back(ValueRecord::raw(kEllipsis, type_id(fd.type)));
    } else if (fd.bit_size) {
      std::size_t bytes = (fd.bit_offset + fd.bit_size + 7u) / 8u;
      if (fd.offset + bytes > avail || bytes > 8 || fd.type->size > 8) {
        values.push_back(ValueRecord::raw(kEllipsis, type_id(fd.type)));
        continue;
      }
      std::uint64_t bits = load_u64(p + fd.offset, bytes) >> fd.bit_offset;
      bits &= fd.bit_size >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << fd.bit_size) - 1;
      bool sgn = fd.type->kind == TR_TYPE_SINT || (fd.type->flags & TR_TYPE_SIGNED);
      if (sgn)
        bits = static_cast<std::uint64_t>(sign_extend(bits, fd.bit_size));
      std::uint8_t buf[8];
      std::memcpy(buf, &bits, 8);
      values.push_back(decode_at(fd.type, buf, 8, depth + 1, in_pointee, cur));
    } else {
      values.push_back(
          decode_at(fd.type, p + fd.offset, avail - fd.offset, depth + 1, in_pointee, cur));
    }
  }
  return values;
}

// std::vector<bool> -> Sequence of Bool, from the snapshot of the words holding its bits.
ValueRecord ValueDecoder::decode_bits(const tr_type_desc* t, const std::uint8_t* p,
                                      std::size_t avail, std::uint32_t depth, bool in_pointee,
                                      Cursor& cur) {
  TypeId tid = type_id(t);
  std::uint64_t count, word;
  std::uint32_t bit;
  if (!t->target || !detail::bit_vector(p, avail, count, word, bit))
    return ValueRecord::raw(kEllipsis, tid);
  value::Sequence seq;
  seq.type_id = tid;
  if (count == 0 || word == 0)
    return seq; // empty (or moved-from)
  if (in_pointee || depth + 1 > limits_.max_depth || cur.n < 5)
    return ValueRecord::raw(elided(t, count, word), tid);
  auto [ok, bytes, len] = cur.next_snapshot();
  if (!ok)
    return ValueRecord::error("<unreadable " + hex_address(word) + ">", tid);
  // The snapshot holds whole words: at most max_elements of their bits (capture_value).
  std::uint64_t n = std::uint64_t{len} * 8 > bit ? std::uint64_t{len} * 8 - bit : 0;
  n = std::min({n, count, std::uint64_t{limits_.max_elements}});
  TypeId bool_id = type_id(t->target);
  seq.elements.reserve(n + (n < count));
  for (std::uint64_t i = bit; i < bit + n; ++i)
    seq.elements.push_back(ValueRecord::boolean((bytes[i / 8] >> (i % 8)) & 1, bool_id));
  if (n < count)
    seq.elements.push_back(ValueRecord::raw(kEllipsis, bool_id));
  return seq;
}

std::string ValueDecoder::short_text(const tr_type_desc* t, const std::uint8_t* p,
                                     std::size_t avail) {
  if (!t || avail < t->size)
    return kEllipsis;
  switch (t->kind) {
  case TR_TYPE_SINT:
  case TR_TYPE_CHAR:
    if (t->size <= 8 && (t->kind == TR_TYPE_SINT || (t->flags & TR_TYPE_SIGNED)))
      return std::to_string(sign_extend(load_u64(p, t->size), static_cast<unsigned>(t->size * 8)));
    [[fallthrough]];
  case TR_TYPE_UINT:
    if (t->size <= 8)
      return std::to_string(load_u64(p, t->size));
    break;
  case TR_TYPE_BOOL:
    return p[0] ? "true" : "false";
  case TR_TYPE_FLOAT: {
    bool ok;
    double d = float_value(t, p, &ok);
    if (ok)
      return format_float(d);
    break;
  }
  case TR_TYPE_POINTER:
  case TR_TYPE_REFERENCE:
  case TR_TYPE_FUNCTION_POINTER: {
    std::uint64_t v = load_u64(p, 8);
    return v ? hex_address(v) : "NULL";
  }
  default:
    break;
  }
  return hex_bytes(p, t->size);
}

ValueRecord ValueDecoder::decode_at(const tr_type_desc* t, const std::uint8_t* p, std::size_t avail,
                                    std::uint32_t depth, bool in_pointee, Cursor& cur) {
  if (!t)
    return ValueRecord::none();
  TypeId tid = type_id(t);
  if (depth > limits_.max_depth)
    return ValueRecord::raw("<max depth>", tid);
  const bool aggregate =
      t->kind == TR_TYPE_ARRAY || t->kind == TR_TYPE_STRUCT || t->kind == TR_TYPE_STD_TUPLE;
  if (!aggregate && avail < t->size)
    return ValueRecord::raw(kEllipsis, tid);
  switch (t->kind) {
  case TR_TYPE_SINT:
  case TR_TYPE_UINT:
  case TR_TYPE_CHAR: {
    bool is_signed =
        t->kind == TR_TYPE_SINT || (t->kind == TR_TYPE_CHAR && (t->flags & TR_TYPE_SIGNED));
    if (t->size >= 1 && t->size <= 8) {
      std::uint64_t v = load_u64(p, t->size);
      if (is_signed)
        return ValueRecord::integer(sign_extend(v, static_cast<unsigned>(t->size * 8)), tid);
      if (v <= static_cast<std::uint64_t>(INT64_MAX))
        return ValueRecord::integer(static_cast<std::int64_t>(v), tid);
      return big_int(v, false, tid);
    }
    if (t->size == 16) {
      unsigned __int128 v;
      std::memcpy(&v, p, 16);
      bool neg = is_signed && (static_cast<__int128>(v) < 0);
      return big_int(neg ? -v : v, neg, tid);
    }
    return ValueRecord::raw(hex_bytes(p, t->size), tid);
  }
  case TR_TYPE_BOOL:
    return ValueRecord::boolean(p[0] != 0, tid);
  case TR_TYPE_FLOAT: {
    bool ok;
    double d = float_value(t, p, &ok);
    return ok ? ValueRecord::floating(d, tid) : ValueRecord::raw(hex_bytes(p, t->size), tid);
  }
  case TR_TYPE_ENUM: {
    std::uint64_t raw = load_u64(p, t->size);
    std::int64_t v = (t->flags & TR_TYPE_SIGNED)
                         ? sign_extend(raw, static_cast<unsigned>(t->size * 8))
                         : static_cast<std::int64_t>(raw);
    std::string num = (t->flags & TR_TYPE_SIGNED) ? std::to_string(v) : std::to_string(raw);
    auto* e = static_cast<const tr_enumerator_desc*>(t->members);
    for (std::uint64_t i = 0; i < t->count; ++i) {
      std::uint64_t ev = static_cast<std::uint64_t>(e[i].value);
      if (t->size < 8)
        ev &= (std::uint64_t{1} << (t->size * 8)) - 1;
      if (ev == raw)
        return ValueRecord::raw(std::string(e[i].name) + " (" + num + ")", tid);
    }
    return ValueRecord::raw("(" + type_name(t) + ")" + num, tid);
  }
  case TR_TYPE_POINTER:
  case TR_TYPE_REFERENCE:
    // (std::shared_ptr, std::weak_ptr: 16 bytes, the pointer first.)
    if (t->size < 8)
      return ValueRecord::raw(hex_bytes(p, t->size), tid);
    return decode_pointer(t, load_u64(p, 8), depth, in_pointee, cur);
  case TR_TYPE_FUNCTION_POINTER: {
    std::uint64_t v = load_u64(p, 8);
    if (!v)
      return ValueRecord::raw("NULL", tid);
    std::string sym = symbolizer_ ? symbolizer_(v) : default_symbol(v);
    return ValueRecord::raw(sym.empty() ? hex_address(v) : hex_address(v) + " <" + sym + ">", tid);
  }
  case TR_TYPE_ARRAY: {
    const tr_type_desc* e = t->target;
    if (std::size_t unit = wide_unit(e); unit && !(t->flags & TR_TYPE_NOT_STRING)) {
      std::size_t n = t->count * unit < avail ? t->count * unit : avail;
      return ValueRecord::string(wide_string(p, n, unit, limits_.max_string), tid);
    }
    if (is_char(e) && !(t->flags & TR_TYPE_NOT_STRING)) {
      std::size_t n = t->count < avail ? t->count : avail;
      bool cut = n < t->count && !std::memchr(p, 0, n);
      std::string s = c_string(p, n, limits_.max_string);
      if (cut && s.size() < limits_.max_string)
        s += kEllipsis;
      return ValueRecord::string(std::move(s), tid);
    }
    value::Sequence seq;
    seq.type_id = tid;
    if (e && e->size) {
      std::uint64_t n = t->count < limits_.max_elements ? t->count : limits_.max_elements;
      seq.elements.reserve(n + (n < t->count));
      std::uint64_t i = 0;
      for (; i < n && (i + 1) * e->size <= avail; ++i)
        seq.elements.push_back(
            decode_at(e, p + i * e->size, avail - i * e->size, depth + 1, in_pointee, cur));
      if (i < t->count)
        seq.elements.push_back(ValueRecord::raw(kEllipsis, type_id(e)));
    }
    return seq;
  }
  case TR_TYPE_STRUCT: {
    value::Struct s;
    s.type_id = tid;
    s.field_values = decode_fields(t, p, avail, depth, in_pointee, cur);
    return s;
  }
  case TR_TYPE_STD_TUPLE: // Tuple of the elements in order
    return value::Tuple{decode_fields(t, p, avail, depth, in_pointee, cur), tid};
  case TR_TYPE_STD_VECTOR_BOOL:
    return decode_bits(t, p, avail, depth, in_pointee, cur);
  case TR_TYPE_STD_STRING:
  case TR_TYPE_STD_VECTOR:
  case TR_TYPE_STD_STRING_VIEW:
  case TR_TYPE_STD_WSTRING:
    return decode_container(t, p, avail, depth, in_pointee, cur);
  case TR_TYPE_STD_RB_TREE: // std::map, std::set, std::list, the unordered containers,
  case TR_TYPE_STD_LIST:    // std::deque, std::forward_list: Sequence of the elements in order
  case TR_TYPE_STD_HASHTABLE:
  case TR_TYPE_STD_DEQUE:
  case TR_TYPE_STD_FORWARD_LIST: {
    const tr_type_desc* e = t->target;
    std::uint64_t count, first;
    if (!detail::scattered_elements(t, p, avail, count, first))
      return ValueRecord::raw(kEllipsis, tid);
    if (count == 0)
      return decode_elements(tid, e, nullptr, 0, 0, depth, cur); // []
    if (in_pointee || depth + 1 > limits_.max_depth || cur.n < 5)
      return ValueRecord::raw(elided(t, count, first), tid);
    auto [ok, bytes, len] = cur.next_snapshot();
    if (!ok)
      return ValueRecord::error("<unreadable " + hex_address(first) + ">", tid);
    std::size_t n = len;
    if (count == detail::kUnknownCount) {
      // std::forward_list: all its elements, or max_elements + 1 of them if there are more
      // (capture_value), or those before an unreadable node.
      count = len / e->size;
      if (count > limits_.max_elements)
        n = limits_.max_elements * e->size;
    }
    return decode_elements(tid, e, bytes, n, count, depth, cur);
  }
  case TR_TYPE_STD_VARIANT: { // Variant{the alternative's type name, its value}
    auto* f = static_cast<const tr_field_desc*>(t->members);
    bool valueless;
    std::uint64_t i = detail::variant_index(t, p, avail, &valueless);
    if (i < t->count) {
      value::Variant v;
      v.discriminator = f[i].name ? f[i].name : type_name(f[i].type);
      v.contents = decode_at(f[i].type, p, avail, depth + 1, in_pointee, cur);
      v.type_id = tid;
      return v;
    }
    if (valueless)
      return ValueRecord::error("valueless_by_exception", tid);
    return ValueRecord::raw(hex_bytes(p, t->size), tid);
  }
  case TR_TYPE_STD_OPTIONAL: // the contained value (same depth: capture_value walks it so)
    if (t->count < avail && p[t->count] && t->target)
      return decode_at(t->target, p, avail, depth, in_pointee, cur);
    return ValueRecord::raw("nullopt", tid);
  case TR_TYPE_UNION: {
    std::string r = "{";
    auto* f = static_cast<const tr_field_desc*>(t->members);
    for (std::uint64_t i = 0; i < t->count; ++i) {
      if (i)
        r += ", ";
      r += f[i].name ? f[i].name : "?";
      r += " = ";
      r += short_text(f[i].type, p + f[i].offset, avail - f[i].offset);
    }
    return ValueRecord::raw(r + "}", tid);
  }
  default:
    return ValueRecord::raw(hex_bytes(p, t->size), tid);
  }
}

} // namespace trace_record::values
