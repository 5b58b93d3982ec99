/* For hand-written runtime tests: one module = this source file, with a table
 * of functions, and the hook calls the pass would insert.
 *
 *   TR_FUNCTIONS { TR_FN("main", 10), TR_FN("work", 3) };  // index 0, 1...
 *   TR_MODULE();
 *   ... TR_ENTER(1); TR_STEP(); ... TR_EXIT(1);
 */
#ifndef TR_ABI_HELPER_H
#define TR_ABI_HELPER_H
#include "trace_record_rt.h"

#define TR_FN(name, line) {name, name, 0, line}
#define TR_FUNCTIONS static const tr_function_desc tr_test_functions[] =
#define TR_MODULE()                                                                                \
  static const char *const tr_test_files[] = {__FILE__};                                          \
  static tr_module_desc tr_test_module = {                                                        \
      TR_ABI_VERSION, 0, __FILE__, 1, sizeof tr_test_functions / sizeof tr_test_functions[0],      \
      tr_test_files, tr_test_functions, TR_UNREGISTERED_BASE, TR_UNREGISTERED_BASE};              \
  __attribute__((constructor(1))) static void tr_test_register(void) {                            \
    __tr_register_module(&tr_test_module);                                                        \
  }
#define TR_STEP() __tr_step((tr_test_module.file_base << 32) | (uint64_t)__LINE__)
#define TR_ENTER(i) __tr_func_enter(tr_test_module.function_base + (i))
#define TR_EXIT(i) __tr_func_exit(tr_test_module.function_base + (i))
#endif
