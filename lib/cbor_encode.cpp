// CBOR encoder for trace events: the exact bytes of TRACE_FORMAT.md §5.
#include <cstring>
#include <new>
#include <type_traits>

#include "trace_record/cbor.h"
#include "trace_record/detail/cbor_put.h"
#include "trace_record/float_text.h"
#include "trace_record/text.h"

namespace trace_record::cbor {

namespace {

using namespace put;

class Encoder {
public:
  explicit Encoder(Buffer& out) : out_(out) {}

  [[gnu::always_inline]] void head(std::uint8_t major, std::uint64_t a) {
    std::uint8_t* w = out_.tail(9);
    out_.advance(std::size_t(put_head(w, major, a) - w));
  }
  [[gnu::always_inline]] void u64(std::uint64_t v) { head(kUnsigned, v); }
  [[gnu::always_inline]] void i64(std::int64_t v) {
    std::uint8_t* w = out_.tail(9);
    out_.advance(std::size_t(put_i64(w, v) - w));
  }
  [[gnu::always_inline]] void boolean(bool b) { byte(b ? 0xf5 : 0xf4); }
  [[gnu::always_inline]] void byte(std::uint8_t b) {
    *out_.tail(1) = b;
    out_.advance(1);
  }
  void map(std::uint64_t n) { head(kMap, n); }
  void array(std::uint64_t n) { head(kArray, n); }

  // A compile-time ASCII key or variant name (< 24 bytes): one head byte + the text.
  template <std::size_t N> [[gnu::always_inline]] void key(const char (&k)[N]) {
    static_assert(N - 1 < 24);
    std::uint8_t* w = out_.tail(N);
    w[0] = std::uint8_t(0x60 + (N - 1));
    std::memcpy(w + 1, k, N - 1);
    out_.advance(N);
  }
  // Raw pre-encoded bytes (a string literal without its terminating NUL).
  template <std::size_t N> [[gnu::always_inline]] void raw(const char (&b)[N]) {
    std::uint8_t* w = out_.tail(N - 1);
    out_.advance(std::size_t(put_raw(w, b) - w));
  }
  // Text known to be valid UTF-8.
  void key(std::string_view k) {
    head(kText, k.size());
    out_.append(k.data(), k.size());
  }
  void text(std::string_view s) {
    if (is_valid_utf8(s)) {
      key(s);
    } else {
      key(utf8_lossy(s));
    }
  }
  // Float.f: the §3 text as one definite-length string, whatever its length
  // (§5.1: CodeTracer rejects the reference writer's chunked form).
  void float_text(double x) {
    char buf[kMaxFloatTextSize];
    std::size_t len = 0;
    for_each_float_piece(x, [&](std::string_view p) {
      std::memcpy(buf + len, p.data(), p.size());
      len += p.size();
    });
    key(std::string_view(buf, len));
  }
  void char_text(char32_t c) {
    std::string t;
    append_utf8(t, c);
    key(t);
  }
  void base64(const std::vector<std::uint8_t>& m) {
    std::string t;
    append_base64(t, m.data(), m.size());
    key(t);
  }

  void value(const ValueRecord& v);
  void values(const std::vector<ValueRecord>& vs) {
    array(vs.size());
    for (const auto& e : vs)
      value(e);
  }
  [[gnu::always_inline]] void type_id(TypeId t) {
    key("type_id");
    u64(t.value);
  }
  void event(const TraceEvent& e);

  // The hot events, from their fields (no TraceEvent): the same bytes as event().
  void step(PathId path, Line line) { put::step(out_, path, line); }
  void value_event(VariableId id, const ValueRecord& v) { put::value_event(out_, id, v); }
  void call(FunctionId fid, const FullValueRecord* args, std::size_t n) {
    put::call(out_, fid, args, n);
  }
  void return_event(const ValueRecord& v) { put::return_event(out_, v); }

private:
  Buffer& out_;
};

void Encoder::value(const ValueRecord& v) {
  // The common scalar kinds first, without the visitor's indirect call.
  std::uint8_t* const w0 = out_.tail(kMaxScalarValue);
  if (std::uint8_t* end = put_scalar_value(w0, v)) {
    out_.advance(std::size_t(end - w0));
    return;
  }
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, value::Float>) {
          map(3), key("kind"), key("Float"), key("f"), float_text(x.f), type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::String>) {
          map(3), key("kind"), key("String"), key("text"), text(x.text), type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Sequence>) {
          map(4), key("kind"), key("Sequence"), key("elements"), values(x.elements);
          key("is_slice"), boolean(x.is_slice), type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Tuple>) {
          map(3), key("kind"), key("Tuple"), key("elements"), values(x.elements);
          type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Struct>) {
          map(3), key("kind"), key("Struct"), key("field_values"), values(x.field_values);
          type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Variant>) {
          map(4), key("kind"), key("Variant"), key("discriminator"), text(x.discriminator);
          key("contents"), value(*x.contents), type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Reference>) {
          map(5), key("kind"), key("Reference"), key("dereferenced"), value(*x.dereferenced);
          key("address"), u64(x.address), key("mutable"), boolean(x.mutable_);
          type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Raw>) {
          map(3), key("kind"), key("Raw"), key("r"), text(x.r), type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Error>) {
          map(3), key("kind"), key("Error"), key("msg"), text(x.msg), type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Cell>) {
          map(2), key("kind"), key("Cell"), key("place"), i64(x.place);
        } else if constexpr (std::is_same_v<T, value::BigInt>) {
          map(4), key("kind"), key("BigInt"), key("b"), base64(x.magnitude);
          key("negative"), boolean(x.negative), type_id(x.type_id);
        } else if constexpr (std::is_same_v<T, value::Char>) {
          map(3), key("kind"), key("Char"), key("c"), char_text(x.c), type_id(x.type_id);
        }
        // Int, None, Bool: put_scalar_value() above.
      },
      v.v);
}

void Encoder::event(const TraceEvent& e) {
  if (const auto* x = std::get_if<StepRecord>(&e))
    return step(x->path_id, x->line);
  if (const auto* x = std::get_if<FullValueRecord>(&e))
    return value_event(x->variable_id, x->value);
  if (const auto* x = std::get_if<CallRecord>(&e))
    return call(x->function_id, x->args.data(), x->args.size());
  if (const auto* x = std::get_if<ReturnRecord>(&e))
    return return_event(x->return_value);
  if (std::holds_alternative<DropLastStepRecord>(e)) {
    key("DropLastStep");
    return;
  }
  map(1);
  const std::string_view name = event_variant_name(e); // ASCII, < 24 bytes
  std::uint8_t* w = out_.tail(1 + name.size());
  w[0] = std::uint8_t(0x60 + name.size());
  std::memcpy(w + 1, name.data(), name.size());
  out_.advance(1 + name.size());
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, PathRecord>) {
          text(x.path);
        } else if constexpr (std::is_same_v<T, VariableNameRecord> ||
                             std::is_same_v<T, VariableRecord>) {
          text(x.name);
        } else if constexpr (std::is_same_v<T, TypeRecord>) {
          map(3), key("kind"), u64(std::uint64_t(x.kind)), key("lang_type"), text(x.lang_type);
          key("specific_info");
          if (auto* s = std::get_if<tsi::Struct>(&x.specific_info)) {
            map(2), key("kind"), key("Struct"), key("fields"), array(s->fields.size());
            for (const auto& f : s->fields) {
              map(2), key("name"), text(f.name), type_id(f.type_id);
            }
          } else if (auto* p = std::get_if<tsi::Pointer>(&x.specific_info)) {
            map(2), key("kind"), key("Pointer"), key("dereference_type_id");
            u64(p->dereference_type_id.value);
          } else {
            map(1), key("kind"), key("None");
          }
        } else if constexpr (std::is_same_v<T, FunctionRecord>) {
          map(3), key("path_id"), u64(x.path_id.value), key("line"), i64(x.line);
          key("name"), text(x.name);
        } else if constexpr (std::is_same_v<T, RecordEvent>) {
          map(3), key("kind"), u64(std::uint64_t(x.kind)), key("metadata"), text(x.metadata);
          key("content"), text(x.content);
        } else if constexpr (std::is_same_v<T, AsmRecord>) {
          array(x.lines.size());
          for (const auto& l : x.lines)
            text(l);
        } else if constexpr (std::is_same_v<T, BindVariableRecord> ||
                             std::is_same_v<T, VariableCellRecord>) {
          map(2), key("variable_id"), u64(x.variable_id.value), key("place"), i64(x.place);
        } else if constexpr (std::is_same_v<T, DropVariablesRecord>) {
          array(x.variable_ids.size());
          for (auto id : x.variable_ids)
            u64(id.value);
        } else if constexpr (std::is_same_v<T, CompoundValueRecord> ||
                             std::is_same_v<T, CellValueRecord>) {
          map(2), key("place"), i64(x.place), key("value"), value(x.value);
        } else if constexpr (std::is_same_v<T, AssignCompoundItemRecord>) {
          map(3), key("place"), i64(x.place), key("index"), u64(x.index);
          key("item_place"), i64(x.item_place);
        } else if constexpr (std::is_same_v<T, AssignCellRecord>) {
          map(2), key("place"), i64(x.place), key("new_value"), value(x.new_value);
        } else if constexpr (std::is_same_v<T, DropVariableRecord>) {
          u64(x.variable_id.value);
        } else if constexpr (std::is_same_v<T, ThreadStartRecord> ||
                             std::is_same_v<T, ThreadExitRecord> ||
                             std::is_same_v<T, ThreadSwitchRecord>) {
          u64(x.thread_id.value);
        }
        // Step, Value, Call, Return: above; Assignment and DropLastStep: by the caller.
      },
      e);
}

} // namespace

void Buffer::grow(std::size_t n) {
  std::size_t cap = cap_ ? cap_ * 2 : 256;
  while (cap - size_ < n)
    cap *= 2;
  auto* p = static_cast<std::uint8_t*>(std::realloc(data_, cap));
  if (!p)
    throw std::bad_alloc(); // like the standard containers
  data_ = p;
  cap_ = cap;
}

Status encode_event(const TraceEvent& event, Buffer& out) {
  if (std::holds_alternative<AssignmentRecord>(event)) {
    return Status::error("Assignment events cannot be serialized (TRACE_FORMAT.md §2.7)");
  }
  Encoder(out).event(event);
  return Status::ok();
}

Status encode_event(const TraceEvent& event, Bytes& out) {
  thread_local Buffer buf;
  buf.clear();
  Status s = encode_event(event, buf);
  if (s.is_ok())
    out.insert(out.end(), buf.data(), buf.data() + buf.size());
  return s;
}

void put::value(const ValueRecord& v, Buffer& out) {
  Encoder(out).value(v);
}

void encode_step(PathId path, Line line, Buffer& out) {
  Encoder(out).step(path, line);
}
void encode_value_event(VariableId id, const ValueRecord& value, Buffer& out) {
  Encoder(out).value_event(id, value);
}
void encode_call(FunctionId fid, const FullValueRecord* args, std::size_t n, Buffer& out) {
  Encoder(out).call(fid, args, n);
}
void encode_return(const ValueRecord& value, Buffer& out) {
  Encoder(out).return_event(value);
}

void encode_value(const ValueRecord& value, Bytes& out) {
  Buffer buf;
  Encoder(buf).value(value);
  out.insert(out.end(), buf.data(), buf.data() + buf.size());
}

} // namespace trace_record::cbor
