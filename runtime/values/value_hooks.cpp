// The value hooks' hot path (runtime/include/trace_record_rt_values.h): copy the
// variable's bytes (and bounded pointee snapshots) into the calling thread's
// chunk as one kTagValue record. No allocation, no locks; the only syscall is
// process_vm_readv for a pointee outside the thread's own stack.
#include <cstdlib>
#include <cstring>
#include <strings.h>

#include "rt_internal.h"
#include "trace_record/value_codec.h"
#include "trace_record_rt_values.h"
#include "values/value_records.h"

namespace trace_record::rt::values {

namespace {

struct Settings {
  ValuesMode mode = ValuesMode::All;
  trace_record::values::Limits limits;
};

Settings load_settings() {
  Settings s;
  s.limits = trace_record::values::limits_from_env();
  const char* m = std::getenv("TRACE_RECORD_VALUES");
  if (m && *m) {
    if (strcasecmp(m, "none") == 0) s.mode = ValuesMode::None;
    else if (strcasecmp(m, "args") == 0) s.mode = ValuesMode::Args;
    else if (strcasecmp(m, "all") != 0)
      say("trace-record: unknown TRACE_RECORD_VALUES '", m, "'; using all\n");
  }
  return s;
}

// Read before main by the first hook or the writer; getenv only.
const Settings& settings() {
  static const Settings s = load_settings();
  return s;
}

constexpr std::size_t kPointerBudget = 4096; // bytes of pointee snapshots per value

bool may_hold_pointers(const tr_type_desc* t) {
  switch (t->kind) {
  case TR_TYPE_POINTER:
  case TR_TYPE_REFERENCE:
  case TR_TYPE_ARRAY:
  case TR_TYPE_STRUCT: return true;
  default: return false;
  }
}

inline bool wanted(const tr_var_desc* var) {
  ValuesMode m = settings().mode;
  return m == ValuesMode::All || (m == ValuesMode::Args && (var->flags & TR_VAR_PARAM));
}

inline std::uint64_t header(ValueRecordKind kind, std::size_t nbytes) {
  return make_record(kTagValue, (std::uint64_t(kind) << 32) | nbytes);
}

// A scalar of at most 8 bytes: 3 or 4 words.
inline void record_bits(ValueRecordKind kind, const void* desc, const tr_type_desc* t,
                        std::uint64_t bits) {
  std::uint32_t n = t->size <= 8 ? static_cast<std::uint32_t>(t->size) : 8;
  std::uint64_t* p = reserve_words(4);
  if (!p) return;
  p[0] = header(kind, 4 + n);
  p[1] = reinterpret_cast<std::uint64_t>(desc);
  auto* b = reinterpret_cast<std::uint8_t*>(p + 2);
  std::memcpy(b, &n, 4);
  std::memcpy(b + 4, &bits, 8);
  commit_words(p + 2 + (4 + n + 7) / 8);
}

void record_memory(ValueRecordKind kind, const void* desc, const tr_type_desc* t,
                   const void* addr) {
  const auto& lim = settings().limits;
  if (!may_hold_pointers(t) && t->size <= 8) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, addr, t->size);
    record_bits(kind, desc, t, bits);
    return;
  }
  std::size_t size = t->size < lim.max_bytes ? t->size : lim.max_bytes;
  std::size_t cap = 4 + size + (may_hold_pointers(t) ? kPointerBudget : 0);
  std::size_t words = 2 + (cap + 7) / 8;
  std::uint64_t* p = reserve_words(words);
  if (!p) return;
  auto* b = reinterpret_cast<std::uint8_t*>(p + 2);
  std::size_t n = trace_record::values::capture_value(t, addr, lim, b, cap);
  p[0] = header(kind, n);
  p[1] = reinterpret_cast<std::uint64_t>(desc);
  commit_words(p + 2 + (n + 7) / 8);
}

} // namespace

ValuesMode values_mode() { return settings().mode; }

} // namespace trace_record::rt::values

using namespace trace_record::rt;
using namespace trace_record::rt::values;

extern "C" {

TR_EXPORT void __tr_value(const tr_var_desc* var, const void* addr) {
  if (!wanted(var) || !addr) return;
  record_memory(kValueVariable, var, var->type, addr);
}

TR_EXPORT void __tr_value_i64(const tr_var_desc* var, uint64_t bits) {
  if (!wanted(var)) return;
  const tr_type_desc* t = var->type;
  if (may_hold_pointers(t)) record_memory(kValueVariable, var, t, &bits);
  else record_bits(kValueVariable, var, t, bits);
}

TR_EXPORT void __tr_value_f64(const tr_var_desc* var, double v) {
  if (!wanted(var)) return;
  std::uint64_t bits = 0;
  if (var->type->size == 4) {
    float f = static_cast<float>(v);
    std::memcpy(&bits, &f, 4);
  } else {
    std::memcpy(&bits, &v, 8);
  }
  record_bits(kValueVariable, var, var->type, bits);
}

TR_EXPORT void __tr_value_optimized_out(const tr_var_desc* var) {
  if (!wanted(var)) return;
  std::uint64_t* p = reserve_words(2);
  if (!p) return;
  p[0] = make_record(kTagValue, std::uint64_t(kValueOptimizedOut) << 32);
  p[1] = reinterpret_cast<std::uint64_t>(var);
  commit_words(p + 2);
}

TR_EXPORT void __tr_return_value(const tr_type_desc* type, const void* addr) {
  if (settings().mode == ValuesMode::None || !addr) return;
  record_memory(kValueReturn, type, type, addr);
}

TR_EXPORT void __tr_return_i64(const tr_type_desc* type, uint64_t bits) {
  if (settings().mode == ValuesMode::None) return;
  if (may_hold_pointers(type)) record_memory(kValueReturn, type, type, &bits);
  else record_bits(kValueReturn, type, type, bits);
}

TR_EXPORT void __tr_return_f64(const tr_type_desc* type, double v) {
  if (settings().mode == ValuesMode::None) return;
  std::uint64_t bits = 0;
  if (type->size == 4) {
    float f = static_cast<float>(v);
    std::memcpy(&bits, &f, 4);
  } else {
    std::memcpy(&bits, &v, 8);
  }
  record_bits(kValueReturn, type, type, bits);
}

} // extern "C"
