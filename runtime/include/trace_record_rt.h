/* The ABI between code instrumented by TraceRecord.so (pass/) and the runtime
 * (runtime/). C, so that C and C++ programs link it alike.
 *
 * Model (as SanitizerCoverage and GCOVProfiling do it): the pass emits, per
 * module, static tables of the files and functions it instrumented and a module
 * constructor (priority 1, before ordinary constructors) that calls
 * __tr_register_module with them. The runtime assigns global ids by filling
 * in function_base and file_base. Hooks then take small integers only:
 *
 *   global function id = m->function_base + local function index
 *   step location      = ((m->file_base + local file index) << 32) | line
 *
 * Both bases start as TR_UNREGISTERED_BASE; the runtime ignores ids built from
 * it (a hook can run before its module's constructor, e.g. from another
 * module's constructor at the same priority).
 *
 * Versioning: abi_version must equal TR_ABI_VERSION; the runtime refuses (one
 * stderr line, module untraced) a module built for another version.
 */
#ifndef TRACE_RECORD_RT_H
#define TRACE_RECORD_RT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TR_ABI_VERSION 1u
#define TR_UNREGISTERED_BASE (UINT64_C(1) << 40)

/* tr_module_desc.flags */
#define TR_MODULE_NO_DEBUG_INFO 1u /* built without -g: functions only, no steps */

typedef struct tr_function_desc {
  const char *name;         /* as people read it: demangled, e.g. "geometry::Point::norm() const" */
  const char *linkage_name; /* the symbol name (mangled for C++) */
  uint32_t file;            /* module-local index into files[] of the declaration */
  uint32_t line;            /* declaration line, 0 if unknown */
} tr_function_desc;

typedef struct tr_module_desc {
  uint32_t abi_version; /* TR_ABI_VERSION */
  uint32_t flags;
  const char *module_name; /* the translation unit's main source file */
  uint32_t num_files;
  uint32_t num_functions;
  const char *const *files;            /* absolute, normalized paths */
  const tr_function_desc *functions;
  /* Filled in by __tr_register_module. Initialised by the pass to TR_UNREGISTERED_BASE. */
  uint64_t function_base;
  uint64_t file_base;
} tr_module_desc;

/* Called from the module constructor. Thread-safe; may be called before main. */
void __tr_register_module(tr_module_desc *m);

/* Function entry, after the prologue and before the first step of the body. */
void __tr_func_enter(uint64_t function_id);
/* Function exit on every path: return, exception unwinding through the frame
 * (cleanup landing pad), before a musttail call. */
void __tr_func_exit(uint64_t function_id);
/* Execution reached a new source line: loc = (global file id << 32) | line. */
void __tr_step(uint64_t loc);

/* setjmp/longjmp: a function that calls a returns_twice function saves
 * __tr_frame_depth() at entry (after __tr_func_enter) and calls
 * __tr_unwind_to(saved) after every return of setjmp; the runtime then emits a
 * Return for every frame deeper than `depth` (frames skipped by longjmp). */
uint32_t __tr_frame_depth(void);
void __tr_unwind_to(uint32_t depth);

#ifdef __cplusplus
}
#endif

#endif /* TRACE_RECORD_RT_H */
