// Argument parsing shared by the read-side subcommands (print, validate, stats,
// convert): flags, options with a value (`--name VALUE` or `--name=VALUE`), one
// positional trace, `--help`. Messages name the command; exit code 2 on misuse.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace trace_record::cli {

struct Flag {
  std::string_view name;
  std::string_view alias; // "" if none
  bool* out;
};
struct Option {
  std::string_view name;
  std::string_view alias; // "" if none
  std::string* out;
};

struct ArgSpec {
  const char* command; // "print", used in messages
  const char* usage;   // printed for --help (stdout) and misuse (stderr)
  std::initializer_list<Flag> flags = {};
  std::initializer_list<Option> options = {};
  const char* positional = "trace"; // what the one positional argument is, in messages
};

// Fills the flags, options and `positional`. Returns -1 to go on, or the exit
// code to return now: 0 after --help, 2 after a usage error (message printed).
// Also takes the options every reading command shares (kReadOptionsUsage):
// --max-event-size MIB sets ReadLimits::defaults() for the process.
int parse_args(int argc, char** argv, const ArgSpec& spec, std::string* positional);
extern const char* const kReadOptionsUsage;

// A size in bytes: digits with an optional binary suffix K, M, G or T (also KiB, MB...:
// always powers of 1024). False if `text` is not one or overflows.
bool parse_size(std::string_view text, std::uint64_t* out);
// "812 B", "12.3 KiB", "45.6 MiB", "7.8 GiB".
std::string human_size(std::uint64_t bytes);

} // namespace trace_record::cli
