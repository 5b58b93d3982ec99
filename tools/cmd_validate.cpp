// trace-record validate DIR|FILE
#include <cstdio>
#include <string>

#include "cli_args.h"
#include "command.h"
#include "trace_record/validate.h"

namespace {

using namespace trace_record;

const char* kUsage =
    "usage: trace-record validate [--quiet] DIR|FILE\n"
    "  Checks a trace folder against CONSUMER_CONTRACT.md and TRACE_FORMAT.md §1.\n"
    "  Prints warnings, then 'ok: N events' (exit 0) or the first violation (exit 1).\n"
    "  Unreadable, malformed or truncated input: a message naming file and offset, exit 2.\n"
    "  --quiet  do not print warnings\n";

int run_validate(int argc, char** argv) {
  bool quiet = false;
  std::string target;
  if (int rc =
          cli::parse_args(argc, argv, {"validate", kUsage, {{"--quiet", "-q", &quiet}}}, &target);
      rc >= 0)
    return rc;
  auto r = validate_trace(target);
  if (!r) {
    std::fprintf(stderr, "trace-record validate: %s\n", r.status().message().c_str());
    return 2;
  }
  if (!quiet) {
    for (const auto& w : r->warnings)
      std::printf("warning: %s\n", w.message.c_str());
    if (r->warning_count > r->warnings.size())
      std::printf("warning: ... %llu more warnings\n",
                  static_cast<unsigned long long>(r->warning_count - r->warnings.size()));
  }
  if (r->error) {
    std::printf("error: %s\n", r->error->message.c_str());
    return 1;
  }
  std::printf("ok: %llu events\n", static_cast<unsigned long long>(r->events));
  return 0;
}

} // namespace

TRACE_RECORD_COMMAND(validate, "validate", "check a trace against the consumer contract",
                     run_validate);
