// Writer side of the values of variables: kTagValue records -> Value events,
// Call.args and Return values (see value_records.h). Writer thread only.
#include "values/value_records.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <unordered_map>

#include "rt_internal.h"
#include "trace_record/value_codec.h"
#include "trace_record/writer.h"
#include "trace_record_rt_values.h"
#include "values/symbolize.h"

namespace trace_record::rt::values {

struct OutValues {
  explicit OutValues(TraceWriter& tw)
      : sink(tw), decoder(sink, trace_record::values::limits_from_env()) {
    decoder.set_symbolizer(&function_symbol);
  }
  trace_record::values::WriterTypeSink sink;
  trace_record::values::ValueDecoder decoder;

  // Per descriptor (tr_var_desc* of a variable, tr_type_desc* of a return value): its
  // VariableId and the last decoded capture. A variable mostly holds the same bytes
  // from one step to the next (a struct pointer and its pointee snapshot); decoding is a
  // pure function of (descriptor, capture bytes) once the types are registered, so
  // identical bytes give the previous ValueRecord again (copied) instead of decoding and
  // formatting it anew. Small captures (scalars) decode faster than they compare and
  // copy: not kept. One hash lookup per value for both. A variable's Value event is
  // then the same bytes too: in a binary trace they are encoded on the first reuse
  // and written as they are afterwards (TraceWriter::encode_value).
  struct Desc {
    VariableId id;
    bool has_id = false;
    bool has_memo = false;
    bool reused = false;     // the memo was hit since it was last decoded
    bool has_event = false;  // event holds the Value event of (id, value)
    std::vector<std::uint8_t> bytes;
    ValueRecord value;
    std::vector<std::uint8_t> event;
  };
  static constexpr std::size_t kMemoMinBytes = 24;        // capture size kept from
  static constexpr std::size_t kMemoMaxTotal = 64u << 20; // bytes kept, all descriptors
  std::unordered_map<const void*, Desc> descs;
  // A direct-mapped cache in front of descs (its elements never move): most steps see
  // the same few descriptors again.
  struct Recent {
    const void* key = nullptr;
    Desc* desc = nullptr;
  };
  std::array<Recent, 1024> recent{};
  Desc& desc(const void* key) {
    Recent& r = recent[(reinterpret_cast<std::uintptr_t>(key) >> 4) % recent.size()];
    if (r.key != key || !r.desc) [[unlikely]] {
      r.key = key;
      r.desc = &descs[key];
    }
    return *r.desc;
  }
  std::size_t memo_bytes = 0;
  // Tests: also decode every reused capture and report on stderr if they differ.
  const bool check_memo = [] {
    const char* c = std::getenv("TRACE_RECORD_CHECK_MEMO");
    return c && *c == '1';
  }();

  VariableId variable_id(Desc& d, const tr_var_desc* var, TraceWriter& tw) {
    if (!d.has_id) {
      d.id = tw.ensure_variable_id(var->name ? var->name : "?");
      d.has_id = true;
    }
    return d.id;
  }

  // The decoded value, valid until the next decode(): the memo's own copy when
  // the capture is unchanged (no decoding, no copy), else freshly decoded.
  const ValueRecord& decode(Desc& d, const tr_type_desc* type,
                            std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kMemoMinBytes) {
      scratch = decoder.decode(type, bytes);
      return scratch;
    }
    if (d.has_memo && d.bytes.size() == bytes.size() &&
        std::memcmp(d.bytes.data(), bytes.data(), bytes.size()) == 0) {
      if (__builtin_expect(check_memo, 0) && !(decoder.decode(type, bytes) == d.value))
        say("trace-record: TRACE_RECORD_CHECK_MEMO: a reused value differs from its decoding\n");
      d.reused = true;
      return d.value;
    }
    if (memo_bytes + bytes.size() > kMemoMaxTotal) { // bounded memory: start again (ids stay)
      for (auto& [key, e] : descs) {
        e.has_memo = e.reused = e.has_event = false;
        std::vector<std::uint8_t>().swap(e.bytes);
        std::vector<std::uint8_t>().swap(e.event);
        e.value = ValueRecord::none();
      }
      memo_bytes = 0;
    }
    d.reused = d.has_event = false;
    memo_bytes -= std::min(memo_bytes, d.event.size());
    d.event.clear();
    d.value = decoder.decode(type, bytes);
    memo_bytes += bytes.size();
    memo_bytes -= std::min(memo_bytes, d.bytes.size());
    d.bytes.assign(bytes.begin(), bytes.end());
    d.has_memo = true;
    return d.value;
  }
  ValueRecord scratch; // decode()'s result for captures too small to memoize
};

namespace {

// Leaked on purpose, like the writer's globals: used until the very end.
auto& outs() {
  static auto* m = new std::unordered_map<const TraceWriter*, std::unique_ptr<OutValues>>();
  return *m;
}
auto& threads() {
  static auto* m = new std::unordered_map<const void*, ThreadValues>();
  return *m;
}

void emit_variable(ThreadValues& v, OutValues::Desc& d, const tr_var_desc* var,
                   const ValueRecord& value) {
  if (v.pending_call) {
    v.args.push_back(FullValueRecord{v.out->variable_id(d, var, *v.tw), value});
    return;
  }
  if (v.drop || values_mode() != ValuesMode::All)
    return;
  const VariableId id = v.out->variable_id(d, var, *v.tw);
  if (d.reused && &value == &d.value) { // the memo's value, seen before: its event's bytes
    if (!d.has_event && v.tw->encode_value(id, value, d.event)) {
      d.has_event = true;
      v.out->memo_bytes += d.event.size();
    }
    if (d.has_event) {
      if (__builtin_expect(v.out->check_memo, 0)) {
        std::vector<std::uint8_t> fresh;
        if (!v.tw->encode_value(id, value, fresh) || fresh != d.event)
          say("trace-record: TRACE_RECORD_CHECK_MEMO: a reused Value event differs\n");
      }
      v.tw->register_encoded_value(d.event);
      return;
    }
  }
  v.tw->register_value(id, value);
}

} // namespace

ThreadValues& thread_values(const void* thread_key, TraceWriter& tw) {
  ThreadValues& v = threads()[thread_key];
  if (v.tw != &tw) {
    auto& o = outs()[&tw];
    if (!o)
      o = std::make_unique<OutValues>(tw);
    v = ThreadValues{};
    v.out = o.get();
    v.tw = &tw;
  }
  return v;
}

void begin_call(ThreadValues& v, FunctionId f) {
  flush_call(v);
  v.pending_call = true;
  v.pending_function = f;
  v.args.clear();
  v.drop = false;
}

void flush_call_slow(ThreadValues& v) {
  v.pending_call = false;
  v.tw->register_call(v.pending_function, std::move(v.args));
  v.args.clear();
}

std::size_t on_value_record(ThreadValues& v, const std::uint64_t* w, std::size_t i, std::size_t n) {
  std::uint64_t payload = w[i] & kPayloadMask;
  auto kind = static_cast<ValueRecordKind>((payload >> 32) & 0xf);
  std::size_t nbytes = payload & 0xffffffffu;
  std::size_t words = 1 + (nbytes + 7) / 8;
  if (i + words >= n)
    return n - i - 1; // cut short (final drain): dropped
  const void* desc = reinterpret_cast<const void*>(w[i + 1]);
  std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(w + i + 2), nbytes);
  OutValues& out = *v.out;
  switch (kind) {
  case kValueVariable: {
    auto* var = static_cast<const tr_var_desc*>(desc);
    OutValues::Desc& d = out.desc(var);
    emit_variable(v, d, var, out.decode(d, var->type, bytes));
    break;
  }
  case kValueOptimizedOut: {
    auto* var = static_cast<const tr_var_desc*>(desc);
    emit_variable(v, out.desc(var), var, out.decoder.optimized_out(var->type));
    break;
  }
  case kValueReturn: {
    auto* type = static_cast<const tr_type_desc*>(desc);
    v.return_value = out.decode(out.desc(type), type, bytes);
    break;
  }
  }
  return words;
}

ValueRecord take_return(ThreadValues& v) {
  flush_call(v);
  ValueRecord r = v.return_value ? std::move(*v.return_value) : ValueRecord::none();
  v.return_value.reset();
  return r;
}

} // namespace trace_record::rt::values
