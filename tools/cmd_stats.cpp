// trace-record stats DIR|FILE: counts and sizes of a trace (JSON or binary).
#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_args.h"
#include "command.h"
#include "trace_record/binary.h"
#include "trace_record/source.h"

namespace {

using namespace trace_record;

const char* kUsage = "usage: trace-record stats DIR|FILE\n"
                     "  Prints the format, events by variant, steps, calls, returns, max call\n"
                     "  depth, interned paths/functions/types/variables, values, sizes, and\n"
                     "  whether the event file is truncated. Exit 2 on unreadable, malformed or\n"
                     "  truncated input (the counts up to the cut are still printed).\n";

struct Counts {
  std::array<std::uint64_t, std::variant_size_v<TraceEvent>> by_variant{};
  std::uint64_t events = 0;
  std::uint64_t values = 0; // ValueRecords at the top of Value, Call args, Return, cell events
  std::int64_t depth = 0;
  std::int64_t max_depth = 0;
};

void count(Counts& c, const TraceEvent& e) {
  ++c.events;
  ++c.by_variant[e.index()];
  if (auto* call = std::get_if<CallRecord>(&e)) {
    c.values += call->args.size();
    if (++c.depth > c.max_depth)
      c.max_depth = c.depth;
  } else if (std::holds_alternative<ReturnRecord>(e)) {
    ++c.values;
    if (c.depth > 0)
      --c.depth;
  } else if (std::holds_alternative<FullValueRecord>(e) ||
             std::holds_alternative<CompoundValueRecord>(e) ||
             std::holds_alternative<CellValueRecord>(e) ||
             std::holds_alternative<AssignCellRecord>(e)) {
    ++c.values;
  }
}

std::uint64_t n(const Counts& c, std::size_t index) {
  return c.by_variant[index];
}

int run_stats(int argc, char** argv) {
  std::string target;
  if (int rc = cli::parse_args(argc, argv, {"stats", kUsage}, &target); rc >= 0)
    return rc;
  auto file = find_event_file(target);
  if (!file) {
    std::fprintf(stderr, "trace-record stats: %s\n", file.status().message().c_str());
    return 2;
  }
  auto src = open_event_source(*file);
  if (!src) {
    std::fprintf(stderr, "trace-record stats: %s\n", src.status().message().c_str());
    return 2;
  }
  Counts c;
  TraceEvent e;
  ReadState st;
  while ((st = (*src)->next(e)) == ReadState::Event)
    count(c, e);
  if (st == ReadState::Error) {
    std::fprintf(stderr, "trace-record stats: %s\n", (*src)->message().c_str());
    return 2;
  }
  std::error_code ec;
  const std::uint64_t bytes = std::filesystem::file_size(*file, ec);
  const bool binary = (*src)->format() == TraceFormat::Binary;

  std::printf("file: %s\n", file->string().c_str());
  std::printf("format: %s\n", binary ? "binary" : "json");
  std::printf("events: %llu\n", (unsigned long long)c.events);
  for (std::size_t i = 0; i < c.by_variant.size(); ++i) {
    if (c.by_variant[i] == 0)
      continue;
    const auto name = event_variant_name(i);
    std::printf("  %.*s: %llu\n", int(name.size()), name.data(),
                (unsigned long long)c.by_variant[i]);
  }
  std::printf("steps: %llu\n", (unsigned long long)n(c, 0));
  std::printf("calls: %llu\n", (unsigned long long)n(c, 7));
  std::printf("returns: %llu\n", (unsigned long long)n(c, 8));
  std::printf("max depth: %lld\n", (long long)c.max_depth);
  std::printf("paths: %llu\n", (unsigned long long)n(c, 1));
  std::printf("functions: %llu\n", (unsigned long long)n(c, 6));
  std::printf("types: %llu\n", (unsigned long long)n(c, 4));
  std::printf("variables: %llu\n", (unsigned long long)(n(c, 2) + n(c, 3)));
  std::printf("values: %llu\n", (unsigned long long)c.values);
  std::printf("bytes: %llu\n", (unsigned long long)bytes);
  if (binary) {
    std::printf("cbor bytes: %llu\n", (unsigned long long)(*src)->offset());
    if (auto frames = read_seek_table(*file)) {
      std::printf("frames: %zu\n", frames->size());
    }
  }
  if (c.events)
    std::printf("bytes per event: %.2f\n", double(bytes) / double(c.events));
  else
    std::printf("bytes per event: -\n");
  std::printf("truncated: %s\n", st == ReadState::End ? "no" : "yes");
  if (st != ReadState::End) {
    std::fflush(stdout);
    std::fprintf(stderr, "trace-record stats: %s\n", (*src)->message().c_str());
    return 2;
  }
  return 0;
}

} // namespace

TRACE_RECORD_COMMAND(stats, "stats", "counts and sizes of a trace (either format)", run_stats);
