// Module registration: assigns global function and file ids (trace_record_rt.h).
//
// Modules register from constructors, possibly from several threads (dlopen);
// a spin lock serialises registration. The writer thread reads the table
// without locking: entries are published by a release store of the count.
#include <atomic>
#include <sched.h>

#include "rt_internal.h"

namespace trace_record::rt {
namespace {

constexpr std::uint32_t kMaxModules = 1u << 16;
tr_module_desc* g_modules[kMaxModules];
std::atomic<std::uint32_t> g_module_count{0};
std::atomic_flag g_register_lock = ATOMIC_FLAG_INIT;
std::uint64_t g_next_function = 0;
std::uint64_t g_next_file = kFileBase;

} // namespace

bool lookup_function(std::uint64_t global_id, FunctionInfo* out) {
  std::uint32_t n = g_module_count.load(std::memory_order_acquire);
  for (std::uint32_t i = 0; i < n; ++i) {
    const tr_module_desc* m = g_modules[i];
    if (global_id >= m->function_base && global_id - m->function_base < m->num_functions) {
      const tr_function_desc& f = m->functions[global_id - m->function_base];
      out->name = f.name ? f.name : (f.linkage_name ? f.linkage_name : "<unnamed>");
      out->file = f.file < m->num_files ? m->files[f.file] : "";
      out->line = f.line;
      // Built without -g: no declaration lines. Entry steps go to line 1 of the
      // translation unit's file so that calls are recorded (line 0 would make the
      // function transparent, like compiler-generated code).
      if (out->line == 0 && (m->flags & TR_MODULE_NO_DEBUG_INFO))
        out->line = 1;
      return true;
    }
  }
  return false;
}

const char* lookup_file(std::uint64_t global_file_id) {
  std::uint32_t n = g_module_count.load(std::memory_order_acquire);
  for (std::uint32_t i = 0; i < n; ++i) {
    const tr_module_desc* m = g_modules[i];
    if (global_file_id >= m->file_base && global_file_id - m->file_base < m->num_files)
      return m->files[global_file_id - m->file_base];
  }
  return nullptr;
}

} // namespace trace_record::rt

using namespace trace_record::rt;

extern "C" TR_EXPORT void __tr_register_module(tr_module_desc* m) {
  if (!m)
    return;
  if (m->abi_version != TR_ABI_VERSION) {
    say("trace-record: module ", m->module_name ? m->module_name : "?",
        " was built for another runtime ABI version; it is not traced\n");
    return;
  }
  ensure_started();
  while (g_register_lock.test_and_set(std::memory_order_acquire))
    sched_yield();
  std::uint32_t n = g_module_count.load(std::memory_order_relaxed);
  bool known = false;
  for (std::uint32_t i = 0; i < n && !known; ++i)
    known = g_modules[i] == m;
  if (!known && n < kMaxModules && g_next_file + m->num_files < kFileLimit) {
    m->function_base = g_next_function;
    m->file_base = g_next_file;
    g_next_function += m->num_functions;
    g_next_file += m->num_files;
    g_modules[n] = m;
    g_module_count.store(n + 1, std::memory_order_release);
  }
  g_register_lock.clear(std::memory_order_release);
}
