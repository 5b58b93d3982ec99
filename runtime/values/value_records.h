// Values of variables in the runtime (docs/values.md).
//
// Record (tag kTagValue): word 0 = make_record(kTagValue, kind << 32 | nbytes),
// word 1 = the descriptor (tr_var_desc* for variables, tr_type_desc* for return
// values), then nbytes of capture (value_codec.h), padded to whole words.
//
// Writer side: values that follow a function entry before its first step are
// the call's arguments (Call.args, C5), so the Call is held back until the next
// non-value record; a return value waits for the exit that follows it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "trace_record/types.h"

namespace trace_record {
class TraceWriter;
}

namespace trace_record::rt::values {

enum ValueRecordKind : std::uint32_t {
  kValueVariable = 0,     // capture of a variable
  kValueOptimizedOut = 1, // no bytes
  kValueReturn = 2,       // capture of a return value
};

enum class ValuesMode : std::uint8_t { None, Args, All };
ValuesMode values_mode(); // TRACE_RECORD_VALUES, read once

struct OutValues; // per trace writer: decoder, variable ids

// Per recorded thread, on the writer thread.
struct ThreadValues {
  OutValues* out = nullptr;
  TraceWriter* tw = nullptr;
  bool pending_call = false;
  FunctionId pending_function;
  std::vector<FullValueRecord> args;
  std::optional<ValueRecord> return_value;
  bool drop = false; // the last step was dropped: its values go too
};

ThreadValues& thread_values(const void* thread_key, TraceWriter& tw);

// Entry of a call: held back until its arguments are known.
void begin_call(ThreadValues& v, FunctionId f);
void flush_call_slow(ThreadValues& v);
inline void flush_call(ThreadValues& v) {
  if (v.pending_call)
    flush_call_slow(v);
}
// After a Step record: emitted says whether the writer wrote the Step.
inline void after_step(ThreadValues& v, bool emitted) {
  v.drop = !emitted;
}
// A kTagValue record at w[i]; returns how many words follow the record word.
std::size_t on_value_record(ThreadValues& v, const std::uint64_t* w, std::size_t i, std::size_t n);
// The return value for the Return being written (None if there was none).
ValueRecord take_return(ThreadValues& v);

} // namespace trace_record::rt::values
