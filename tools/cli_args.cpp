// parse_args (cli_args.h).
#include "cli_args.h"

#include <cctype>
#include <charconv>
#include <cstdio>

#include "trace_record/source.h"

namespace trace_record::cli {

const char* const kReadOptionsUsage =
    "  --max-event-size MIB  refuse an event larger than MIB MiB in the file (default 64)\n"
    "                        or taking more than 4 x MIB MiB once decoded (hostile input)\n";

namespace {
bool matches(std::string_view a, std::string_view name, std::string_view alias) {
  return a == name || (!alias.empty() && a == alias);
}

// --max-event-size MIB: the process's ReadLimits. False (message printed) if bad.
bool set_max_event_size(const ArgSpec& spec, std::string_view v) {
  std::uint64_t mib = 0;
  const auto r = std::from_chars(v.data(), v.data() + v.size(), mib);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || mib == 0 || mib > (1u << 20)) {
    std::fprintf(stderr,
                 "trace-record %s: --max-event-size: expected a number of MiB (1 to 1048576), "
                 "got '%.*s'\n",
                 spec.command, int(v.size()), v.data());
    return false;
  }
  ReadLimits::defaults().max_event_bytes = mib << 20;
  ReadLimits::defaults().max_event_memory = 4 * (mib << 20);
  return true;
}
} // namespace

int parse_args(int argc, char** argv, const ArgSpec& spec, std::string* positional) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(spec.usage, stdout);
      std::fputs(kReadOptionsUsage, stdout);
      return 0;
    }
    if (a == "--max-event-size" || a.starts_with("--max-event-size=")) {
      std::string_view v;
      if (a.size() > 16) {
        v = a.substr(17);
      } else if (i + 1 < argc) {
        v = argv[++i];
      } else {
        std::fprintf(stderr, "trace-record %s: %s needs a value\n%s", spec.command, argv[i],
                     spec.usage);
        return 2;
      }
      if (!set_max_event_size(spec, v))
        return 2;
      continue;
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

bool parse_size(std::string_view text, std::uint64_t* out) {
  std::size_t i = 0;
  std::uint64_t n = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    const std::uint64_t d = std::uint64_t(text[i] - '0');
    if (n > (UINT64_MAX - d) / 10)
      return false;
    n = n * 10 + d;
  }
  if (i == 0)
    return false;
  std::string_view unit = text.substr(i);
  unsigned shift = 0;
  if (!unit.empty()) {
    const std::size_t k = std::string_view("KMGT").find(char(std::toupper((unsigned char)unit[0])));
    if (k == std::string_view::npos)
      return false;
    shift = unsigned(10 * (k + 1));
    unit.remove_prefix(1);
    if (!unit.empty() && unit != "iB" && unit != "B")
      return false;
  }
  if (shift != 0 && n > (UINT64_MAX >> shift))
    return false;
  *out = n << shift;
  return true;
}

std::string human_size(std::uint64_t bytes) {
  char buf[64];
  if (bytes < 10 * 1024)
    std::snprintf(buf, sizeof buf, "%llu B", (unsigned long long)bytes);
  else if (bytes < 10ull * 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f KiB", double(bytes) / 1024.0);
  else if (bytes < 10ull * 1024 * 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
  else
    std::snprintf(buf, sizeof buf, "%.1f GiB", double(bytes) / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

} // namespace trace_record::cli
