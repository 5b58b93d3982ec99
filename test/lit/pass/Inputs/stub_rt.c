/* A stub of the trace-record runtime for the pass's lit tests: implements the ABI of
 * runtime/include/trace_record_rt.h and prints every hook call on stderr, one per line:
 *   register <module> files=N functions=N
 *   enter <name> <decl file basename>:<decl line>
 *   step <file basename>:<line>
 *   exit <name>
 *   unwind <depth>
 * It checks what the real runtime relies on: ids resolve to a registered module, exits
 * match the open enters (LIFO), and prints "stub: ERROR ..." otherwise.
 * With STUB_RT_QUIET=1 in the environment it prints only the errors and, at exit, one
 * line "stub: enters=N exits=N steps=N unwinds=N open=N" (for big programs). */
#include "trace_record_rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MODULES 64
#define MAX_DEPTH 100000

static tr_module_desc *modules[MAX_MODULES];
static unsigned num_modules;
static uint64_t next_function, next_file;
static uint64_t stack[MAX_DEPTH];
static uint32_t depth;
static int quiet = -1;
static unsigned long long n_enter, n_exit, n_step, n_unwind;

static void summary(void) {
  fprintf(stderr, "stub: enters=%llu exits=%llu steps=%llu unwinds=%llu open=%u\n", n_enter,
          n_exit, n_step, n_unwind, depth);
}

static int is_quiet(void) {
  if (quiet < 0) {
    const char *q = getenv("STUB_RT_QUIET");
    quiet = q && *q == '1';
    if (quiet)
      atexit(summary);
  }
  return quiet;
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static const tr_function_desc *function_of(uint64_t id, tr_module_desc **mod) {
  for (unsigned i = 0; i < num_modules; i++) {
    tr_module_desc *m = modules[i];
    if (id >= m->function_base && id < m->function_base + m->num_functions) {
      *mod = m;
      return &m->functions[id - m->function_base];
    }
  }
  return NULL;
}

static const char *file_of(uint64_t file_id) {
  for (unsigned i = 0; i < num_modules; i++) {
    tr_module_desc *m = modules[i];
    if (file_id >= m->file_base && file_id < m->file_base + m->num_files)
      return m->files[file_id - m->file_base];
  }
  return NULL;
}

void __tr_register_module(tr_module_desc *m) {
  if (m->abi_version != TR_ABI_VERSION || num_modules == MAX_MODULES) {
    fprintf(stderr, "stub: ERROR bad module %s\n", m->module_name);
    return;
  }
  m->function_base = next_function;
  m->file_base = next_file;
  next_function += m->num_functions;
  next_file += m->num_files;
  modules[num_modules++] = m;
  for (uint32_t i = 0; i < m->num_files; i++)
    if (m->files[i][0] != '/')
      fprintf(stderr, "stub: ERROR relative path %s\n", m->files[i]);
  if (!is_quiet())
    fprintf(stderr, "register %s files=%u functions=%u flags=%u\n", base_name(m->module_name),
            m->num_files, m->num_functions, m->flags);
}

void __tr_func_enter(uint64_t id) {
  tr_module_desc *m;
  const tr_function_desc *f = function_of(id, &m);
  if (!f) {
    fprintf(stderr, "stub: ERROR enter of unknown function %llu\n", (unsigned long long)id);
    return;
  }
  if (depth < MAX_DEPTH)
    stack[depth] = id;
  depth++;
  n_enter++;
  if (is_quiet())
    return;
  fprintf(stderr, "enter %s %s:%u\n", f->name, base_name(m->files[f->file]), f->line);
}

void __tr_func_exit(uint64_t id) {
  tr_module_desc *m;
  const tr_function_desc *f = function_of(id, &m);
  if (!f) {
    fprintf(stderr, "stub: ERROR exit of unknown function %llu\n", (unsigned long long)id);
    return;
  }
  if (depth == 0 || (depth <= MAX_DEPTH && stack[depth - 1] != id))
    fprintf(stderr, "stub: ERROR unbalanced exit of %s\n", f->name);
  else
    depth--;
  n_exit++;
  if (!is_quiet())
    fprintf(stderr, "exit %s\n", f->name);
}

void __tr_step(uint64_t loc) {
  const char *file = file_of(loc >> 32);
  uint32_t line = (uint32_t)loc;
  if (!file || line == 0)
    fprintf(stderr, "stub: ERROR bad step %llx\n", (unsigned long long)loc);
  else if (n_step++, !is_quiet())
    fprintf(stderr, "step %s:%u\n", base_name(file), line);
}

uint32_t __tr_frame_depth(void) { return depth; }

void __tr_unwind_to(uint32_t d) {
  n_unwind++;
  if (!is_quiet())
    fprintf(stderr, "unwind %u\n", d);
  while (depth > d) {
    depth--;
    if (!is_quiet())
      fprintf(stderr, "exit (longjmp)\n");
  }
}

/* The value hooks (runtime/include/trace_record_rt_values.h): not checked here;
 * the values' own lit tests (test/lit/values/) run the real runtime. */
#include "trace_record_rt_values.h"
void __tr_value(const tr_var_desc *var, const void *addr) { (void)var, (void)addr; }
void __tr_value_i64(const tr_var_desc *var, uint64_t bits) { (void)var, (void)bits; }
void __tr_value_f64(const tr_var_desc *var, double v) { (void)var, (void)v; }
void __tr_value_optimized_out(const tr_var_desc *var) { (void)var; }
void __tr_return_value(const tr_type_desc *type, const void *addr) { (void)type, (void)addr; }
void __tr_return_i64(const tr_type_desc *type, uint64_t bits) { (void)type, (void)bits; }
void __tr_return_f64(const tr_type_desc *type, double v) { (void)type, (void)v; }
