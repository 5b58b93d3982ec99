// trace-record subcommands. Each tools/cmd_*.cpp registers one with
// TRACE_RECORD_COMMAND; trace_record_main.cpp dispatches on argv[1].
//
// Exit codes: 0 success, 1 the trace is invalid (validate) or the command
// failed, 2 bad input or usage (unreadable, malformed, truncated trace).
#pragma once

#include <string_view>

namespace trace_record::cli {

struct Command {
  std::string_view name;
  std::string_view summary; // one line for `trace-record --help`
  int (*run)(int argc, char** argv); // argv[0] is the subcommand name
};

void register_command(const Command& command);

struct CommandRegistrar {
  explicit CommandRegistrar(const Command& c) { register_command(c); }
};

} // namespace trace_record::cli

#define TRACE_RECORD_COMMAND(ident, name, summary, fn)                                         \
  static ::trace_record::cli::CommandRegistrar trace_record_cmd_##ident(                      \
      ::trace_record::cli::Command{name, summary, fn})
