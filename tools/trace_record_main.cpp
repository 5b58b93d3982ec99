// trace-record: record | print | validate | stats | convert
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "command.h"

namespace trace_record::cli {
namespace {
std::vector<Command>& commands() {
  static std::vector<Command> list;
  return list;
}
void usage(FILE* out) {
  std::fprintf(out, "usage: trace-record <command> [options]\n\ncommands:\n");
  auto list = commands();
  std::sort(list.begin(), list.end(), [](auto& a, auto& b) { return a.name < b.name; });
  for (auto& c : list)
    std::fprintf(out, "  %-10.*s %.*s\n", int(c.name.size()), c.name.data(), int(c.summary.size()),
                 c.summary.data());
  std::fprintf(out, "\nRun 'trace-record <command> --help' for a command's options.\n");
}
} // namespace

void register_command(const Command& command) {
  commands().push_back(command);
}

} // namespace trace_record::cli

int main(int argc, char** argv) {
  using namespace trace_record::cli;
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    usage(stdout);
    return 0;
  }
  if (name == "--version" || name == "-V") {
    std::printf("trace-record " TRACE_RECORD_VERSION "\n");
    return 0;
  }
  for (auto& c : commands()) {
    if (c.name != name)
      continue;
    // No command may end in std::terminate (exit 134): a trace or a limit that
    // needs more memory than there is ends with one line.
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr,
                   "trace-record %s: out of memory (the process's memory limit, e.g. ulimit -v, "
                   "was reached)\n",
                   argv[1]);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "trace-record %s: %s\n", argv[1], e.what());
    }
    return 2;
  }
  std::fprintf(stderr, "trace-record: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
