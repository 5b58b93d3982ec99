// The value hooks' hot path (runtime/include/trace_record_rt_values.h): copy the
// variable's bytes (and bounded pointee snapshots) into the calling thread's
// chunk as one kTagValue record. No allocation, no locks; system calls only for a
// pointee outside the stack, executable and brk heap that the mappings table does not
// list (process_vm_readv, and a rate-bounded re-read of /proc/self/maps; see
// lib/probe_memory.cpp).
#include <cstdlib>
#include <cstring>
#include <strings.h>

#include "rt_internal.h"
#include "trace_record/program_memory.h"
#include "trace_record/value_codec.h"
#include "trace_record_rt_values.h"
#include "values/value_records.h"

namespace trace_record::rt::values {

namespace {

// Read once by a constructor; until then (hooks from earlier constructors) the
// defaults apply. A plain global: the hot path is one load.
ValuesMode g_mode = ValuesMode::All;
trace_record::values::Limits g_limits;

__attribute__((constructor)) void load_settings() {
  g_limits = trace_record::values::limits_from_env();
  const char* m = std::getenv("TRACE_RECORD_VALUES");
  if (m && *m) {
    if (strcasecmp(m, "none") == 0)
      g_mode = ValuesMode::None;
    else if (strcasecmp(m, "args") == 0)
      g_mode = ValuesMode::Args;
    else if (strcasecmp(m, "all") != 0)
      say("trace-record: unknown TRACE_RECORD_VALUES '", m, "'; using all\n");
  }
}

constexpr std::size_t kPointerBudget = 4096; // bytes of pointee snapshots per value

bool may_hold_pointers(const tr_type_desc* t) {
  if (tr_type_is_container(t->kind))
    return true;
  switch (t->kind) {
  case TR_TYPE_POINTER:
  case TR_TYPE_REFERENCE:
    return true;
  case TR_TYPE_STD_OPTIONAL:
  case TR_TYPE_STD_VARIANT:
  case TR_TYPE_STD_TUPLE:
  case TR_TYPE_ARRAY:
  case TR_TYPE_STRUCT:
    return !(t->flags & TR_TYPE_NO_POINTERS);
  default:
    return false;
  }
}

inline bool wanted(const tr_var_desc* var) {
  ValuesMode m = g_mode;
  return m == ValuesMode::All || (m == ValuesMode::Args && (var->flags & TR_VAR_PARAM));
}

inline std::uint64_t header(ValueRecordKind kind, std::size_t nbytes) {
  return make_record(kTagValue, (std::uint64_t(kind) << 32) | nbytes);
}

// Room for `words` words in the calling thread's chunk (nullptr: not recorded).
inline std::uint64_t* reserve(TlsState& t, std::size_t words) {
  std::uint64_t* p = t.pos.load(std::memory_order_relaxed);
  if (__builtin_expect(std::size_t(t.end - p) >= words, 1))
    return p; // scratch too: discarded
  return reserve_words(words);
}

// Sizes 3, 5, 6, 7 (and 0): rare, out of line so that the scalar path makes no call.
[[gnu::noinline, clang::preserve_most]] std::uint64_t load_odd_bits(const void* addr,
                                                                    std::uint64_t size) {
  std::uint64_t v = 0;
  trace_record::copy_program_memory(&v, addr, size < 8 ? size : 8);
  return v;
}

inline std::uint64_t load_bits(const void* addr, std::uint64_t size) {
  switch (size) {
  case 1: {
    std::uint8_t v;
    trace_record::copy_program_memory(&v, addr, 1);
    return v;
  }
  case 2: {
    std::uint16_t v;
    trace_record::copy_program_memory(&v, addr, 2);
    return v;
  }
  case 4: {
    std::uint32_t v;
    trace_record::copy_program_memory(&v, addr, 4);
    return v;
  }
  case 8: {
    std::uint64_t v;
    trace_record::copy_program_memory(&v, addr, 8);
    return v;
  }
  default:
    return load_odd_bits(addr, size);
  }
}

// A scalar of at most 8 bytes: 3 or 4 words.
inline void record_bits(ValueRecordKind kind, const void* desc, const tr_type_desc* t,
                        std::uint64_t bits) {
  std::uint32_t n = t->size <= 8 ? static_cast<std::uint32_t>(t->size) : 8;
  TlsState& ts = tls();
  std::uint64_t* p = reserve(ts, 4);
  if (!p)
    return;
  p[0] = header(kind, 4 + n);
  p[1] = reinterpret_cast<std::uint64_t>(desc);
  p[2] = std::uint64_t(n) | (bits << 32);
  p[3] = bits >> 32;
  ts.pos.store(p + 2 + (4 + n + 7) / 8, std::memory_order_release);
}

// Anything but a scalar: kept out of line so that the scalar path (record_memory) needs
// no stack frame.
[[gnu::noinline]] void record_memory_slow(ValueRecordKind kind, const void* desc,
                                          const tr_type_desc* t, const void* addr) {
  const auto& lim = g_limits;
  std::size_t size = t->size < lim.max_bytes ? t->size : lim.max_bytes;
  if (!may_hold_pointers(t)) { // plain bytes: copy them as they are
    TlsState& ts = tls();
    std::size_t words = 2 + (4 + size + 7) / 8;
    std::uint64_t* p = reserve(ts, words);
    if (!p)
      return;
    p[0] = header(kind, 4 + size);
    p[1] = reinterpret_cast<std::uint64_t>(desc);
    auto* b = reinterpret_cast<std::uint8_t*>(p + 2);
    std::uint32_t n = static_cast<std::uint32_t>(size);
    std::memcpy(b, &n, 4);
    trace_record::copy_program_memory(b + 4, addr, size);
    ts.pos.store(p + words, std::memory_order_release);
    return;
  }
  std::size_t cap = 4 + size + kPointerBudget;
  std::size_t words = 2 + (cap + 7) / 8;
  std::uint64_t* p = reserve_words(words);
  if (!p)
    return;
  auto* b = reinterpret_cast<std::uint8_t*>(p + 2);
  std::size_t n = trace_record::values::capture_value(t, addr, lim, b, cap);
  p[0] = header(kind, n);
  p[1] = reinterpret_cast<std::uint64_t>(desc);
  commit_words(p + 2 + (n + 7) / 8);
}

inline void record_memory(ValueRecordKind kind, const void* desc, const tr_type_desc* t,
                          const void* addr) {
  if (__builtin_expect(!may_hold_pointers(t) && t->size <= 8, 1))
    record_bits(kind, desc, t, load_bits(addr, t->size));
  else
    record_memory_slow(kind, desc, t, addr);
}

} // namespace

ValuesMode values_mode() {
  return g_mode;
}

} // namespace trace_record::rt::values

using namespace trace_record::rt;
using namespace trace_record::rt::values;

extern "C" {

TR_EXPORT void __tr_value(const tr_var_desc* var, const void* addr) {
  if (!wanted(var) || !addr)
    return;
  record_memory(kValueVariable, var, var->type, addr);
}

TR_EXPORT void __tr_value_i64(const tr_var_desc* var, uint64_t bits) {
  if (!wanted(var))
    return;
  const tr_type_desc* t = var->type;
  if (may_hold_pointers(t))
    record_memory(kValueVariable, var, t, &bits);
  else
    record_bits(kValueVariable, var, t, bits);
}

TR_EXPORT void __tr_value_f64(const tr_var_desc* var, double v) {
  if (!wanted(var))
    return;
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
  if (!wanted(var))
    return;
  TlsState& ts = tls();
  std::uint64_t* p = reserve(ts, 2);
  if (!p)
    return;
  p[0] = make_record(kTagValue, std::uint64_t(kValueOptimizedOut) << 32);
  p[1] = reinterpret_cast<std::uint64_t>(var);
  ts.pos.store(p + 2, std::memory_order_release);
}

TR_EXPORT void __tr_return_value(const tr_type_desc* type, const void* addr) {
  if (g_mode == ValuesMode::None || !addr)
    return;
  record_memory(kValueReturn, type, type, addr);
}

TR_EXPORT void __tr_return_i64(const tr_type_desc* type, uint64_t bits) {
  if (g_mode == ValuesMode::None)
    return;
  if (may_hold_pointers(type))
    record_memory(kValueReturn, type, type, &bits);
  else
    record_bits(kValueReturn, type, type, bits);
}

TR_EXPORT void __tr_return_f64(const tr_type_desc* type, double v) {
  if (g_mode == ValuesMode::None)
    return;
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
