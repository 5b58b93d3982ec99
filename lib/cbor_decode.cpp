// Tolerant CBOR decoder for trace events (TRACE_FORMAT.md §5, §8).
//
// Every read checks the bytes are there first; running out of bytes sets
// NeedMore, anything malformed sets Error with the offset of the offending byte.
#include <cstring>
#include <limits>

#include "trace_record/cbor.h"
#include "trace_record/float_text.h"
#include "trace_record/text.h"

namespace trace_record::cbor {

namespace {

// Equality of short strings without a memcmp call.
inline bool eq(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i])
      return false;
  return true;
}

int variant_index(std::string_view name) {
  for (int i = 0; i < int(std::variant_size_v<TraceEvent>); ++i)
    if (eq(event_variant_name(std::size_t(i)), name))
      return i;
  return -1;
}

struct Head {
  std::uint8_t major = 0;
  std::uint8_t info = 0;
  std::uint64_t arg = 0;
  bool indefinite = false;
  std::size_t at = 0;
};

class Decoder {
public:
  Decoder(const std::uint8_t* d, std::size_t n, std::uint64_t max_memory)
      : d_(d), n_(n), memory_left_(max_memory) {}

  DecodeResult result() const {
    DecodeResult r;
    r.state = state_;
    if (state_ == DecodeState::Ok) {
      r.consumed = pos_;
      r.indefinite_text_at = indefinite_text_at_;
    }
    r.error_at = err_at_;
    r.message = msg_;
    return r;
  }

  bool event(TraceEvent& out);
  bool value(ValueRecord& out);
  bool any_item() { return skip(); }

private:
  // ------------------------------------------------------------ primitives
  bool need() {
    if (state_ == DecodeState::Ok)
      state_ = DecodeState::NeedMore;
    return false;
  }
  bool fail(std::size_t at, std::string m) {
    if (state_ == DecodeState::Ok) {
      state_ = DecodeState::Error;
      err_at_ = at;
      msg_ = std::move(m);
    }
    return false;
  }
  bool read_head(Head& h) {
    if (pos_ >= n_)
      return need();
    h.at = pos_;
    const std::uint8_t b = d_[pos_];
    h.major = b >> 5;
    h.info = b & 31;
    h.indefinite = false;
    if (h.info < 24) {
      h.arg = h.info;
      pos_ += 1;
    } else if (h.info <= 27) {
      const std::size_t k = std::size_t(1) << (h.info - 24);
      if (n_ - pos_ < 1 + k)
        return need();
      std::uint64_t a = 0;
      for (std::size_t i = 0; i < k; ++i)
        a = (a << 8) | d_[pos_ + 1 + i];
      h.arg = a;
      pos_ += 1 + k;
    } else if (h.info == 31 && (h.major >= 2 && h.major != 6)) {
      h.indefinite = true;
      h.arg = 0;
      pos_ += 1;
    } else {
      return fail(h.at, "invalid CBOR initial byte 0x" + hex(b));
    }
    return true;
  }
  static std::string hex(std::uint8_t b) {
    const char* x = "0123456789abcdef";
    return {x[b >> 4], x[b & 15]};
  }
  static const char* major_name(std::uint8_t m) {
    static const char* names[] = {
        "unsigned integer",     "negative integer", "byte string", "text", "array", "map", "tag",
        "simple value or float"};
    return names[m & 7];
  }
  bool expected(const Head& h, std::string_view what, std::string_view field) {
    std::string m = "expected ";
    m += what;
    if (!field.empty()) {
      m += " for '";
      m += field;
      m += "'";
    }
    m += ", found ";
    m += (h.major == 7 && h.info >= 25 && h.info <= 27) ? "a float" : major_name(h.major);
    return fail(h.at, std::move(m));
  }
  // Counts `n` bytes of decoded memory (values, strings) against the budget.
  bool charge(std::size_t n, std::size_t at) {
    if (n <= memory_left_) [[likely]] {
      memory_left_ -= n;
      return true;
    }
    return fail(at, "the event takes more memory to decode than the limit of " +
                        std::to_string(max_memory_ >> 20) + " MiB");
  }
  void indefinite_text(std::size_t at) {
    if (indefinite_text_at_ == DecodeResult::kNoOffset)
      indefinite_text_at_ = at;
  }
  bool enter(std::size_t at) {
    if (++depth_ > kMaxNesting)
      return fail(at, "nesting deeper than 256 levels");
    return true;
  }
  void leave() { --depth_; }

  bool u64(std::uint64_t& v, std::string_view field) {
    Head h;
    if (!read_head(h))
      return false;
    if (h.major == 0) {
      v = h.arg;
      return true;
    }
    if (h.major == 1) {
      return fail(h.at, "negative integer in unsigned field '" + std::string(field) + "'");
    }
    return expected(h, "an unsigned integer", field);
  }
  bool i64(std::int64_t& v, std::string_view field) {
    Head h;
    if (!read_head(h))
      return false;
    if (h.major == 0 || h.major == 1) {
      if (h.arg > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
        return fail(h.at, "integer out of i64 range for '" + std::string(field) + "'");
      }
      v = h.major == 0 ? std::int64_t(h.arg) : -1 - std::int64_t(h.arg);
      return true;
    }
    return expected(h, "an integer", field);
  }
  bool boolean(bool& v, std::string_view field) {
    Head h;
    if (!read_head(h))
      return false;
    if (h.major == 7 && (h.info == 20 || h.info == 21)) {
      v = h.info == 21;
      return true;
    }
    return expected(h, "a boolean", field);
  }
  // One definite text chunk, validated, appended to `out` (or viewed).
  bool text_chunk(const Head& h, std::string_view& view) {
    if (h.arg > kMaxLength)
      return fail(h.at, "text length exceeds the 1 GiB limit");
    if (n_ - pos_ < h.arg)
      return need();
    view = std::string_view(reinterpret_cast<const char*>(d_ + pos_), std::size_t(h.arg));
    const std::size_t bad = utf8_error_offset(view);
    if (bad != view.size())
      return fail(pos_ + bad, "invalid UTF-8 in text string");
    pos_ += std::size_t(h.arg);
    return true;
  }
  // A text string; definite strings are returned as a view into the input,
  // indefinite ones are assembled in `scratch`.
  bool text_view(std::string_view& out, std::string& scratch, std::string_view field,
                 Head* first = nullptr) {
    // Fast path: a short, complete, ASCII definite text (every key, most values).
    if (!first && pos_ < n_) {
      const std::uint8_t b = d_[pos_];
      const std::size_t len = std::size_t(b) - 0x60;
      if (b >= 0x60 && b < 0x78 && n_ - pos_ - 1 >= len) {
        const std::uint8_t* p = d_ + pos_ + 1;
        std::uint8_t any = 0;
        for (std::size_t i = 0; i < len; ++i)
          any |= p[i];
        if (any < 0x80) {
          out = std::string_view(reinterpret_cast<const char*>(p), len);
          pos_ += 1 + len;
          return true;
        }
      }
    }
    Head h;
    if (first) {
      h = *first;
    } else if (!read_head(h)) {
      return false;
    }
    if (h.major != 3)
      return expected(h, "a text string", field);
    if (!h.indefinite)
      return text_chunk(h, out);
    indefinite_text(h.at);
    scratch.clear();
    for (;;) {
      if (pos_ >= n_)
        return need();
      if (d_[pos_] == 0xff) {
        ++pos_;
        break;
      }
      Head c;
      if (!read_head(c))
        return false;
      if (c.major != 3 || c.indefinite) {
        return fail(c.at, "expected a definite text chunk inside an indefinite-length text");
      }
      std::string_view v;
      if (!text_chunk(c, v))
        return false;
      if (scratch.size() + v.size() > kMaxLength) {
        return fail(c.at, "text length exceeds the 1 GiB limit");
      }
      scratch.append(v);
    }
    out = scratch;
    return true;
  }
  bool text(std::string& out, std::string_view field) {
    std::string_view v;
    const std::size_t at = pos_;
    if (!text_view(v, scratch_, field) || !charge(v.size(), at))
      return false;
    out.assign(v);
    return true;
  }
  bool skip() {
    Head h;
    if (!read_head(h))
      return false;
    switch (h.major) {
    case 0:
    case 1:
      return true;
    case 2:
    case 3:
      if (!h.indefinite) {
        if (n_ - pos_ < h.arg)
          return need();
        pos_ += std::size_t(h.arg);
        return true;
      }
      if (h.major == 3)
        indefinite_text(h.at);
      for (;;) {
        if (pos_ >= n_)
          return need();
        if (d_[pos_] == 0xff) {
          ++pos_;
          return true;
        }
        Head c;
        if (!read_head(c))
          return false;
        if (c.major != h.major || c.indefinite)
          return fail(c.at, "invalid string chunk");
        if (n_ - pos_ < c.arg)
          return need();
        pos_ += std::size_t(c.arg);
      }
    case 4:
    case 5: {
      if (!enter(h.at))
        return false;
      const std::uint64_t per = h.major == 5 ? 2 : 1;
      if (h.indefinite) {
        for (;;) {
          if (pos_ >= n_)
            return need();
          if (d_[pos_] == 0xff) {
            ++pos_;
            break;
          }
          for (std::uint64_t k = 0; k < per; ++k)
            if (!skip())
              return false;
        }
      } else {
        if (h.arg > kMaxLength)
          return fail(h.at, "container length exceeds the limit");
        for (std::uint64_t i = 0; i < h.arg * per; ++i)
          if (!skip())
            return false;
      }
      leave();
      return true;
    }
    case 6: {
      if (!enter(h.at))
        return false;
      if (!skip())
        return false;
      leave();
      return true;
    }
    default: // 7
      if (h.indefinite)
        return fail(h.at, "unexpected break byte");
      return true;
    }
  }

  // Iterates a map: on_entry(key, key_offset) must consume the value.
  template <class F>
  bool map(std::string_view what, F&& on_entry, std::size_t* at = nullptr,
           bool allow_indefinite = true) {
    Head h;
    if (!read_head(h))
      return false;
    if (at)
      *at = h.at;
    if (h.major != 5)
      return expected(h, "a map", what);
    if (h.indefinite && !allow_indefinite) {
      return fail(h.at, "indefinite-length map is not allowed here");
    }
    std::string key_scratch;
    return items(h, "map length exceeds the limit", [&]() -> bool {
      const std::size_t kat = pos_;
      std::string_view key; // may point into key_scratch, which only this map uses
      if (!text_view(key, key_scratch, "map key"))
        return false;
      return on_entry(key, kat);
    });
  }
  template <class F> bool array(std::string_view what, F&& on_elem) {
    Head h;
    if (!read_head(h))
      return false;
    if (h.major != 4)
      return expected(h, "an array", what);
    return items(h, "array length exceeds the limit", on_elem);
  }

  // The items of a map or array whose head is `h`: definite (count checked against
  // kMaxLength) or indefinite (until the 0xff break). `each` consumes one item (for a map:
  // a key and its value).
  template <class F> bool items(const Head& h, const char* too_long, F&& each) {
    if (!enter(h.at))
      return false;
    if (h.indefinite) {
      for (;;) {
        if (pos_ >= n_)
          return need();
        if (d_[pos_] == 0xff) {
          ++pos_;
          break;
        }
        if (!each())
          return false;
      }
    } else {
      if (h.arg > kMaxLength)
        return fail(h.at, too_long);
      for (std::uint64_t i = 0; i < h.arg; ++i)
        if (!each())
          return false;
    }
    leave();
    return true;
  }

  // Field bookkeeping: `seen` bit i for field i; duplicate -> error.
  bool mark(unsigned& seen, unsigned bit, std::size_t at, std::string_view key) {
    if (seen & (1u << bit))
      return fail(at, "duplicate field '" + std::string(key) + "'");
    seen |= 1u << bit;
    return true;
  }
  // Generic struct reader: fields[i] is matched to bit i and handled by read(i).
  template <class R>
  bool fields(std::string_view what, std::initializer_list<std::string_view> names, R&& read,
              unsigned optional_mask = 0) {
    unsigned seen = 0;
    std::size_t at = 0;
    const bool ok = map(
        what,
        [&](std::string_view key, std::size_t kat) -> bool {
          unsigned i = 0;
          for (auto nm : names) {
            if (eq(nm, key))
              return mark(seen, i, kat, nm) && read(i, nm);
            ++i;
          }
          return skip();
        },
        &at);
    if (!ok)
      return false;
    unsigned bit = 0;
    for (auto f : names) {
      if (!(seen & (1u << bit)) && !(optional_mask & (1u << bit))) {
        return fail(at, std::string(what) + ": missing field '" + std::string(f) + "'");
      }
      ++bit;
    }
    return true;
  }

  bool values(std::vector<ValueRecord>& out, std::string_view field) {
    out.clear();
    return array(field, [&] {
      out.emplace_back();
      return value(out.back());
    });
  }
  bool full_value(FullValueRecord& r, std::string_view what) {
    return fields(what, {"variable_id", "value"}, [&](unsigned i, std::string_view k) {
      return i == 0 ? u64(r.variable_id.value, k) : value(r.value);
    });
  }
  bool tsi(TypeSpecificInfo& out);
  bool payload(int index, TraceEvent& out, std::size_t at);
  // Finds the "kind" text of an internally tagged map starting at pos_, without
  // moving pos_.
  bool find_kind(std::string& kind, std::string_view what);

  const std::uint8_t* d_;
  std::size_t n_;
  std::size_t pos_ = 0;
  unsigned depth_ = 0;
  DecodeState state_ = DecodeState::Ok;
  std::size_t err_at_ = 0;
  std::size_t indefinite_text_at_ = DecodeResult::kNoOffset;
  std::uint64_t memory_left_;
  const std::uint64_t max_memory_ = memory_left_;
  std::string msg_;
  std::string scratch_;
};

bool Decoder::find_kind(std::string& kind, std::string_view what) {
  const std::size_t start = pos_;
  Head h;
  if (!read_head(h))
    return false;
  if (h.major != 5)
    return expected(h, "a map", what);
  std::string key_scratch;
  for (std::uint64_t i = 0; h.indefinite || i < h.arg; ++i) {
    if (h.indefinite) {
      if (pos_ >= n_)
        return need();
      if (d_[pos_] == 0xff)
        break;
    }
    std::string_view key;
    if (!text_view(key, key_scratch, "map key"))
      return false;
    if (eq(key, "kind")) {
      if (!text(kind, "kind"))
        return false;
      pos_ = start;
      return true;
    }
    if (!skip())
      return false;
  }
  return fail(h.at, std::string(what) + ": missing field 'kind'");
}

bool Decoder::tsi(TypeSpecificInfo& out) {
  std::string kind;
  if (!find_kind(kind, "specific_info"))
    return false;
  const std::size_t at = pos_;
  auto ignore_kind = [&](unsigned, std::string_view) { return skip(); };
  if (eq(kind, "None")) {
    out = tsi::None{};
    return fields("specific_info", {"kind"}, ignore_kind);
  }
  if (eq(kind, "Pointer")) {
    tsi::Pointer p;
    if (!fields("specific_info", {"kind", "dereference_type_id"},
                [&](unsigned i, std::string_view k) {
                  return i == 0 ? skip() : u64(p.dereference_type_id.value, k);
                }))
      return false;
    out = p;
    return true;
  }
  if (eq(kind, "Struct")) {
    tsi::Struct s;
    if (!fields("specific_info", {"kind", "fields"}, [&](unsigned i, std::string_view k) {
          if (i == 0)
            return skip();
          return array(k, [&] {
            if (!charge(sizeof(FieldTypeRecord), pos_))
              return false;
            FieldTypeRecord f;
            if (!fields("fields", {"name", "type_id"}, [&](unsigned j, std::string_view fk) {
                  return j == 0 ? text(f.name, fk) : u64(f.type_id.value, fk);
                }))
              return false;
            s.fields.push_back(std::move(f));
            return true;
          });
        }))
      return false;
    out = std::move(s);
    return true;
  }
  return fail(at, "unknown specific_info kind '" + kind + "'");
}

bool Decoder::value(ValueRecord& out) {
  if (!charge(sizeof(ValueRecord), pos_))
    return false;
  std::string kind;
  if (!find_kind(kind, "ValueRecord"))
    return false;
  const std::size_t at = pos_;
  TypeId t;
  auto tid = [&](std::string_view k) { return u64(t.value, k); };
  const auto skip_kind = [&] { return skip(); };
  if (eq(kind, "Int")) {
    value::Int v;
    if (!fields("Int", {"kind", "i", "type_id"}, [&](unsigned i, std::string_view k) {
          return i == 0 ? skip_kind() : i == 1 ? i64(v.i, k) : tid(k);
        }))
      return false;
    v.type_id = t;
    out = v;
  } else if (eq(kind, "Float")) {
    value::Float v;
    if (!fields("Float", {"kind", "f", "type_id"}, [&](unsigned i, std::string_view k) {
          if (i == 0)
            return skip_kind();
          if (i == 2)
            return tid(k);
          std::string_view s;
          const std::size_t fat = pos_;
          if (!text_view(s, scratch_, k))
            return false;
          auto p = parse_float(s);
          if (!p)
            return fail(fat, "invalid float text '" + std::string(s.substr(0, 40)) + "'");
          v.f = *p;
          return true;
        }))
      return false;
    v.type_id = t;
    out = v;
  } else if (eq(kind, "Bool")) {
    value::Bool v;
    if (!fields("Bool", {"kind", "b", "type_id"}, [&](unsigned i, std::string_view k) {
          return i == 0 ? skip_kind() : i == 1 ? boolean(v.b, k) : tid(k);
        }))
      return false;
    v.type_id = t;
    out = v;
  } else if (eq(kind, "String") || eq(kind, "Raw") || eq(kind, "Error")) {
    std::string s;
    const std::string_view f = eq(kind, "String") ? "text" : eq(kind, "Raw") ? "r" : "msg";
    if (!fields(kind, {"kind", f, "type_id"}, [&](unsigned i, std::string_view k) {
          return i == 0 ? skip_kind() : i == 1 ? text(s, k) : tid(k);
        }))
      return false;
    if (eq(kind, "String"))
      out = value::String{std::move(s), t};
    else if (eq(kind, "Raw"))
      out = value::Raw{std::move(s), t};
    else
      out = value::Error{std::move(s), t};
  } else if (eq(kind, "Sequence")) {
    value::Sequence v;
    if (!fields("Sequence", {"kind", "elements", "is_slice", "type_id"},
                [&](unsigned i, std::string_view k) {
                  return i == 0   ? skip_kind()
                         : i == 1 ? values(v.elements, k)
                         : i == 2 ? boolean(v.is_slice, k)
                                  : tid(k);
                }))
      return false;
    v.type_id = t;
    out = std::move(v);
  } else if (eq(kind, "Tuple") || eq(kind, "Struct")) {
    std::vector<ValueRecord> els;
    const std::string_view f = eq(kind, "Tuple") ? "elements" : "field_values";
    if (!fields(kind, {"kind", f, "type_id"}, [&](unsigned i, std::string_view k) {
          return i == 0 ? skip_kind() : i == 1 ? values(els, k) : tid(k);
        }))
      return false;
    if (eq(kind, "Tuple"))
      out = value::Tuple{std::move(els), t};
    else
      out = value::Struct{std::move(els), t};
  } else if (eq(kind, "Variant")) {
    value::Variant v;
    if (!fields("Variant", {"kind", "discriminator", "contents", "type_id"},
                [&](unsigned i, std::string_view k) {
                  return i == 0   ? skip_kind()
                         : i == 1 ? text(v.discriminator, k)
                         : i == 2 ? value(*v.contents)
                                  : tid(k);
                }))
      return false;
    v.type_id = t;
    out = std::move(v);
  } else if (eq(kind, "Reference")) {
    value::Reference v;
    if (!fields("Reference", {"kind", "dereferenced", "address", "mutable", "type_id"},
                [&](unsigned i, std::string_view k) {
                  return i == 0   ? skip_kind()
                         : i == 1 ? value(*v.dereferenced)
                         : i == 2 ? u64(v.address, k)
                         : i == 3 ? boolean(v.mutable_, k)
                                  : tid(k);
                }))
      return false;
    v.type_id = t;
    out = std::move(v);
  } else if (eq(kind, "None")) {
    if (!fields("None", {"kind", "type_id"},
                [&](unsigned i, std::string_view k) { return i == 0 ? skip_kind() : tid(k); }))
      return false;
    out = value::None{t};
  } else if (eq(kind, "Cell")) {
    value::Cell v;
    if (!fields("Cell", {"kind", "place"}, [&](unsigned i, std::string_view k) {
          return i == 0 ? skip_kind() : i64(v.place, k);
        }))
      return false;
    out = v;
  } else if (eq(kind, "BigInt")) {
    value::BigInt v;
    if (!fields("BigInt", {"kind", "b", "negative", "type_id"},
                [&](unsigned i, std::string_view k) {
                  if (i == 0)
                    return skip_kind();
                  if (i == 2)
                    return boolean(v.negative, k);
                  if (i == 3)
                    return tid(k);
                  std::string_view s;
                  const std::size_t bat = pos_;
                  if (!text_view(s, scratch_, k))
                    return false;
                  if (!charge(s.size(), bat))
                    return false;
                  auto m = decode_base64(s);
                  if (!m)
                    return fail(bat, "invalid base64 in BigInt.b");
                  v.magnitude = std::move(*m);
                  return true;
                }))
      return false;
    v.type_id = t;
    out = std::move(v);
  } else if (eq(kind, "Char")) {
    value::Char v;
    if (!fields("Char", {"kind", "c", "type_id"}, [&](unsigned i, std::string_view k) {
          if (i == 0)
            return skip_kind();
          if (i == 2)
            return tid(k);
          std::string_view s;
          const std::size_t cat = pos_;
          if (!text_view(s, scratch_, k))
            return false;
          const auto c = single_scalar(s);
          if (!c)
            return fail(cat, "Char.c must hold exactly one character");
          v.c = *c;
          return true;
        }))
      return false;
    v.type_id = t;
    out = v;
  } else {
    return fail(at, "unknown ValueRecord kind '" + kind.substr(0, 40) + "'");
  }
  return true;
}

bool Decoder::payload(int index, TraceEvent& out, std::size_t at) {
  switch (index) {
  case 0: {
    StepRecord r;
    if (!fields("Step", {"path_id", "line"}, [&](unsigned i, std::string_view k) {
          return i == 0 ? u64(r.path_id.value, k) : i64(r.line, k);
        }))
      return false;
    out = r;
    return true;
  }
  case 1: {
    PathRecord r;
    if (!text(r.path, "Path"))
      return false;
    out = std::move(r);
    return true;
  }
  case 2: {
    VariableNameRecord r;
    if (!text(r.name, "VariableName"))
      return false;
    out = std::move(r);
    return true;
  }
  case 3: {
    VariableRecord r;
    if (!text(r.name, "Variable"))
      return false;
    out = std::move(r);
    return true;
  }
  case 4: {
    TypeRecord r;
    if (!fields("Type", {"kind", "lang_type", "specific_info"},
                [&](unsigned i, std::string_view k) {
                  if (i == 1)
                    return text(r.lang_type, k);
                  if (i == 2)
                    return tsi(r.specific_info);
                  std::uint64_t v;
                  const std::size_t kat = pos_;
                  if (!u64(v, k))
                    return false;
                  if (v >= kTypeKindCount) {
                    return fail(kat, "TypeKind " + std::to_string(v) + " out of range (0..33)");
                  }
                  r.kind = TypeKind(v);
                  return true;
                }))
      return false;
    out = std::move(r);
    return true;
  }
  case 5: {
    FullValueRecord r;
    if (!full_value(r, "Value"))
      return false;
    out = std::move(r);
    return true;
  }
  case 6: {
    FunctionRecord r;
    if (!fields("Function", {"path_id", "line", "name"}, [&](unsigned i, std::string_view k) {
          return i == 0 ? u64(r.path_id.value, k) : i == 1 ? i64(r.line, k) : text(r.name, k);
        }))
      return false;
    out = std::move(r);
    return true;
  }
  case 7: {
    CallRecord r;
    if (!fields(
            "Call", {"function_id", "args"},
            [&](unsigned i, std::string_view k) {
              if (i == 0)
                return u64(r.function_id.value, k);
              return array(k, [&] {
                r.args.emplace_back();
                return full_value(r.args.back(), "args");
              });
            },
            /*optional_mask=*/2u))
      return false;
    out = std::move(r);
    return true;
  }
  case 8: {
    ReturnRecord r;
    if (!fields("Return", {"return_value"},
                [&](unsigned, std::string_view) { return value(r.return_value); }))
      return false;
    out = std::move(r);
    return true;
  }
  case 9: {
    RecordEvent r;
    if (!fields("Event", {"kind", "metadata", "content"}, [&](unsigned i, std::string_view k) {
          if (i == 1)
            return text(r.metadata, k);
          if (i == 2)
            return text(r.content, k);
          std::uint64_t v;
          const std::size_t kat = pos_;
          if (!u64(v, k))
            return false;
          if (v >= kEventLogKindCount) {
            return fail(kat, "EventLogKind " + std::to_string(v) + " out of range (0..13)");
          }
          r.kind = EventLogKind(v);
          return true;
        }))
      return false;
    out = std::move(r);
    return true;
  }
  case 10: {
    AsmRecord r;
    if (!array("Asm", [&] {
          if (!charge(sizeof(std::string), pos_))
            return false;
          r.lines.emplace_back();
          return text(r.lines.back(), "Asm");
        }))
      return false;
    out = std::move(r);
    return true;
  }
  case 11:
  case 18: {
    VariableId v;
    Place p = 0;
    if (!fields(
            index == 11 ? "BindVariable" : "VariableCell", {"variable_id", "place"},
            [&](unsigned i, std::string_view k) { return i == 0 ? u64(v.value, k) : i64(p, k); }))
      return false;
    if (index == 11)
      out = BindVariableRecord{v, p};
    else
      out = VariableCellRecord{v, p};
    return true;
  }
  case 12:
    return fail(at, "Assignment events cannot be decoded (TRACE_FORMAT.md §2.7)");
  case 13: {
    DropVariablesRecord r;
    if (!array("DropVariables", [&] {
          if (!charge(sizeof(VariableId), pos_))
            return false;
          r.variable_ids.emplace_back();
          return u64(r.variable_ids.back().value, "DropVariables");
        }))
      return false;
    out = std::move(r);
    return true;
  }
  case 14:
  case 15: {
    Place p = 0;
    ValueRecord v;
    if (!fields(index == 14 ? "CompoundValue" : "CellValue", {"place", "value"},
                [&](unsigned i, std::string_view k) { return i == 0 ? i64(p, k) : value(v); }))
      return false;
    if (index == 14)
      out = CompoundValueRecord{p, std::move(v)};
    else
      out = CellValueRecord{p, std::move(v)};
    return true;
  }
  case 16: {
    AssignCompoundItemRecord r;
    if (!fields("AssignCompoundItem", {"place", "index", "item_place"},
                [&](unsigned i, std::string_view k) {
                  return i == 0 ? i64(r.place, k) : i == 1 ? u64(r.index, k) : i64(r.item_place, k);
                }))
      return false;
    out = r;
    return true;
  }
  case 17: {
    AssignCellRecord r;
    if (!fields("AssignCell", {"place", "new_value"}, [&](unsigned i, std::string_view k) {
          return i == 0 ? i64(r.place, k) : value(r.new_value);
        }))
      return false;
    out = std::move(r);
    return true;
  }
  case 19:
  case 20:
  case 21:
  case 22: {
    std::uint64_t v;
    if (!u64(v, event_variant_name(std::size_t(index))))
      return false;
    if (index == 19)
      out = DropVariableRecord{VariableId(v)};
    else if (index == 20)
      out = ThreadStartRecord{ThreadId(v)};
    else if (index == 21)
      out = ThreadExitRecord{ThreadId(v)};
    else
      out = ThreadSwitchRecord{ThreadId(v)};
    return true;
  }
  case 23: {
    Head h;
    if (!read_head(h))
      return false;
    if (h.major == 7 && h.info == 22) {
      out = DropLastStepRecord{};
      return true;
    }
    return expected(h, "null", "DropLastStep");
  }
  default:
    return fail(at, "unknown event variant");
  }
}

bool Decoder::event(TraceEvent& out) {
  Head h;
  if (!read_head(h))
    return false;
  if (h.major == 3) {
    std::string_view name;
    if (!text_view(name, scratch_, "event", &h))
      return false;
    if (name == "DropLastStep") {
      out = DropLastStepRecord{};
      return true;
    }
    return fail(h.at,
                "expected an event map, found the text '" + std::string(name.substr(0, 40)) + "'");
  }
  if (h.major != 5)
    return expected(h, "an event (map or \"DropLastStep\")", "");
  if (h.indefinite)
    return fail(h.at, "indefinite-length map as the event wrapper");
  if (h.arg != 1) {
    return fail(h.at, "an event map must have exactly one key, found " + std::to_string(h.arg));
  }
  if (!enter(h.at))
    return false;
  std::string_view name;
  const std::size_t kat = pos_;
  if (!text_view(name, scratch_, "event variant"))
    return false;
  const int index = variant_index(name);
  if (index < 0) {
    return fail(kat, "unknown event variant '" + std::string(name.substr(0, 40)) + "'");
  }
  if (!payload(index, out, kat))
    return false;
  leave();
  return true;
}

} // namespace

DecodeResult decode_event(const std::uint8_t* data, std::size_t size, TraceEvent& out,
                          std::uint64_t max_memory) {
  Decoder d(data, size, max_memory);
  d.event(out);
  return d.result();
}

DecodeResult scan_item(const std::uint8_t* data, std::size_t size) {
  Decoder d(data, size, kNoMemoryLimit);
  d.any_item();
  return d.result();
}

DecodeResult decode_value(const std::uint8_t* data, std::size_t size, ValueRecord& out,
                          std::uint64_t max_memory) {
  Decoder d(data, size, max_memory);
  d.value(out);
  return d.result();
}

} // namespace trace_record::cbor
