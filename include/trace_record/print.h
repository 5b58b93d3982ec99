// A stable, line-per-event text form of a trace, with names resolved, for
// humans and FileCheck. The format is documented in docs/library.md; in short:
//
//   <index> <Variant> <details>
//   0 Path #0 ""
//   1 Function #0 <top-level> :1
//   2 Call <top-level>()
//   3 Type #0 None None
//   6 Step main.c:8
//   21 Call add(a=3, b=4)
//   24 Value sum = 0
//   31 Return 7
//   35 Event Write "7\n"
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trace_record/types.h"

namespace trace_record {

struct PrintOptions {
  bool full_paths = false; // Step/Function: the whole path instead of its basename
  bool types = false;      // Value/args: "name: type = value"
};

// Keeps the interning tables (paths, functions, types, variables) seen so far,
// so that ids print as names. Feed it every event in order.
class EventPrinter {
public:
  explicit EventPrinter(PrintOptions options = {}) : options_(options) {}
  // Appends the text line for `event` (no trailing newline) and records its definitions.
  void append_line(std::string& out, std::uint64_t index, const TraceEvent& event);
  std::string line(std::uint64_t index, const TraceEvent& event) {
    std::string s;
    append_line(s, index, event);
    return s;
  }
  // The value alone, e.g. `3`, `"hi"`, `Point{x: 1, y: 2}`, `0x10 -> 3`.
  void append_value(std::string& out, const ValueRecord& value) const;

private:
  void append_path(std::string& out, std::uint64_t path_id) const;
  void append_variable(std::string& out, std::uint64_t var) const;
  void append_type(std::string& out, std::uint64_t type) const;
  void append_full(std::string& out, const FullValueRecord& v) const;
  PrintOptions options_;
  std::vector<std::string> paths_, functions_, variables_;
  std::vector<TypeRecord> types_;
};

// C-like quoting for the text form: "..." with \n \t \r \" \\ and \xNN for other
// control bytes; other bytes as is.
void append_quoted(std::string& out, std::string_view s);
// Decimal text of a BigInt (sign and magnitude).
std::string bigint_decimal(const value::BigInt& b);

} // namespace trace_record
