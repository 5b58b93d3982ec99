// parse_args (cli_args.h).
#include "cli_args.h"

#include <cstdio>

namespace trace_record::cli {

namespace {
bool matches(std::string_view a, std::string_view name, std::string_view alias) {
  return a == name || (!alias.empty() && a == alias);
}
} // namespace

int parse_args(int argc, char** argv, const ArgSpec& spec, std::string* positional) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(spec.usage, stdout);
      return 0;
    }
    bool known = false;
    for (const Flag& f : spec.flags) {
      if (matches(a, f.name, f.alias)) {
        *f.out = true;
        known = true;
      }
    }
    for (const Option& o : spec.options) {
      if (known)
        break;
      if (matches(a, o.name, o.alias)) {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "trace-record %s: %s needs a value\n%s", spec.command, argv[i],
                       spec.usage);
          return 2;
        }
        *o.out = argv[++i];
        known = true;
      } else if (a.size() > o.name.size() && a.substr(0, o.name.size()) == o.name &&
                 a[o.name.size()] == '=') {
        *o.out = std::string(a.substr(o.name.size() + 1));
        known = true;
      }
    }
    if (known)
      continue;
    if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "trace-record %s: unknown option '%s'\n%s", spec.command, argv[i],
                   spec.usage);
      return 2;
    }
    if (!positional->empty()) {
      std::fprintf(stderr, "trace-record %s: more than one %s given\n%s", spec.command,
                   spec.positional, spec.usage);
      return 2;
    }
    *positional = a;
  }
  if (positional->empty()) {
    std::fputs(spec.usage, stderr);
    return 2;
  }
  return -1;
}

} // namespace trace_record::cli
