/* The value hooks of trace_record_rt_empty: they do nothing (benchmark floor). */
#include "trace_record_rt_values.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT void __tr_value(const tr_var_desc* var, const void* addr) {
  (void)var, (void)addr;
}
EXPORT void __tr_value_i64(const tr_var_desc* var, uint64_t bits) {
  (void)var, (void)bits;
}
EXPORT void __tr_value_f64(const tr_var_desc* var, double v) {
  (void)var, (void)v;
}
EXPORT void __tr_value_optimized_out(const tr_var_desc* var) {
  (void)var;
}
EXPORT void __tr_return_value(const tr_type_desc* type, const void* addr) {
  (void)type, (void)addr;
}
EXPORT void __tr_return_i64(const tr_type_desc* type, uint64_t bits) {
  (void)type, (void)bits;
}
EXPORT void __tr_return_f64(const tr_type_desc* type, double v) {
  (void)type, (void)v;
}
