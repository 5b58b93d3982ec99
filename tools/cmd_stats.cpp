// trace-record stats DIR|FILE: counts and sizes of a trace (JSON or binary), and what it
// costs its consumer: decoded bytes, value bytes per step, memory to hold it all.
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_args.h"
#include "command.h"
#include "held_events.h"
#include "trace_record/binary.h"
#include "trace_record/source.h"
#include "trace_record/trace_stats.h"

namespace {

using namespace trace_record;
using cli::human_size;

const char* kUsage =
    "usage: trace-record stats [--load [--max-memory SIZE]] [--json] DIR|FILE\n"
    "  Prints the format, events by variant, steps, calls, returns, max call depth,\n"
    "  interned paths/functions/types/variables, values, sizes, the decoded bytes of the\n"
    "  event stream (its CBOR; for trace.json, the CBOR the same events take) by variant,\n"
    "  the bytes of the values each step carries (median, p90, max and where), an estimate\n"
    "  of the memory CodeTracer takes to load the trace, and whether the event file is\n"
    "  truncated.\n"
    "  --load              also hold every decoded event in memory, as CodeTracer loads a\n"
    "                      trace, and report how much the process grew (heap and resident)\n"
    "  --max-memory SIZE   with --load: stop holding past SIZE (e.g. 512M, 4G; 0 = no cap;\n"
    "                      default 3/4 of the available memory), report it and exit 1\n"
    "  --json              one JSON object instead of the text lines\n"
    "  Exit 2 on unreadable, malformed or truncated input (the counts up to the cut are\n"
    "  still printed), 1 when the trace does not fit --max-memory.\n";

using Json = nlohmann::ordered_json;

struct Outcome {
  std::filesystem::path file;
  bool binary = false;
  std::uint64_t bytes = 0;      // size of the event file
  std::uint64_t cbor_bytes = 0; // binary: the decompressed stream
  std::optional<std::size_t> frames;
  ReadState state = ReadState::End;
  std::string message;
};

std::string location(const TraceStats& s) {
  const StepLocation& m = s.max_step();
  std::string where =
      "step " + std::to_string(m.step) + ", " + s.path(m.path_id) + ":" + std::to_string(m.line);
  if (m.has_function)
    where += " in " + s.function_name(m.function_id);
  return where;
}

const char* decoded_source(bool binary) {
  return binary ? "the CBOR items of trace.bin"
                : "the CBOR the same events take in trace.bin, encoded from trace.json";
}

void print_text(const Outcome& o, const TraceStats& s, const cli::HeldEvents* held) {
  auto u = [](std::uint64_t v) { return (unsigned long long)v; };
  std::printf("file: %s\n", o.file.string().c_str());
  std::printf("format: %s\n", o.binary ? "binary" : "json");
  std::printf("events: %llu\n", u(s.events()));
  for (std::size_t i = 0; i < TraceStats::kKinds; ++i) {
    if (s.events(i) == 0)
      continue;
    const auto name = event_variant_name(i);
    std::printf("  %.*s: %llu\n", int(name.size()), name.data(), u(s.events(i)));
  }
  std::printf("steps: %llu\n", u(s.steps()));
  std::printf("calls: %llu\n", u(s.calls()));
  std::printf("returns: %llu\n", u(s.returns()));
  std::printf("max depth: %lld\n", (long long)s.max_depth());
  std::printf("paths: %llu\n", u(s.paths()));
  std::printf("functions: %llu\n", u(s.functions()));
  std::printf("types: %llu\n", u(s.types()));
  std::printf("variables: %llu\n", u(s.variables()));
  std::printf("values: %llu\n", u(s.values()));
  std::printf("bytes: %llu\n", u(o.bytes));
  if (o.binary) {
    std::printf("cbor bytes: %llu\n", u(o.cbor_bytes));
    if (o.frames)
      std::printf("frames: %zu\n", *o.frames);
  }
  if (s.events())
    std::printf("bytes per event: %.2f\n", double(o.bytes) / double(s.events()));
  else
    std::printf("bytes per event: -\n");
  std::printf("decoded bytes: %llu (%s; %s)\n", u(s.decoded_bytes()),
              human_size(s.decoded_bytes()).c_str(), decoded_source(o.binary));
  for (std::size_t i = 0; i < TraceStats::kKinds; ++i) {
    if (s.events(i) == 0)
      continue;
    const auto name = event_variant_name(i);
    std::printf("  %.*s: %llu\n", int(name.size()), name.data(), u(s.decoded_bytes(i)));
  }
  if (s.unencodable())
    std::printf("unencodable events: %llu (no CBOR form; counted as 0 bytes)\n",
                u(s.unencodable()));
  std::printf("value bytes: %llu (%s; Value events and Call args, CBOR)\n", u(s.value_bytes()),
              human_size(s.value_bytes()).c_str());
  const CountHistogram& h = s.value_bytes_per_step();
  if (h.count()) {
    std::printf("value bytes per step: median %llu, p90 %llu, max %llu, mean %.1f\n",
                u(h.quantile(0.5)), u(h.quantile(0.9)), u(h.max()),
                double(h.total()) / double(h.count()));
    std::printf("max value bytes at: %s\n", location(s).c_str());
  } else {
    std::printf("value bytes per step: - (no steps)\n");
  }
  const CodeTracerFootprint& ct = s.codetracer();
  std::printf("codetracer estimate: %llu (%s; model of its event list %s + db %s, a lower "
              "bound)\n",
              u(ct.total()), human_size(ct.total()).c_str(),
              human_size(ct.event_list_bytes()).c_str(), human_size(ct.db_bytes()).c_str());
  if (held) {
    if (held->over()) {
      std::printf("held in memory: over %llu (%s, --max-memory) after %llu events%s\n",
                  u(held->cap()), human_size(held->cap()).c_str(), u(held->events()),
                  held->allocation_failed() ? " (an allocation failed)" : "");
    } else {
      std::printf("held in memory: %llu heap (%s), %llu resident (%s); every event decoded and "
                  "kept\n",
                  u(held->heap_bytes()), human_size(held->heap_bytes()).c_str(),
                  u(held->rss_bytes()), human_size(held->rss_bytes()).c_str());
    }
  }
  std::printf("truncated: %s\n", o.state == ReadState::End ? "no" : "yes");
}

void print_json(const Outcome& o, const TraceStats& s, const cli::HeldEvents* held) {
  Json j;
  j["file"] = o.file.string();
  j["format"] = o.binary ? "binary" : "json";
  j["events"] = s.events();
  Json by_kind = Json::object(), bytes_by_kind = Json::object();
  for (std::size_t i = 0; i < TraceStats::kKinds; ++i) {
    if (s.events(i) == 0)
      continue;
    const std::string name(event_variant_name(i));
    by_kind[name] = s.events(i);
    bytes_by_kind[name] = s.decoded_bytes(i);
  }
  j["events_by_kind"] = by_kind;
  j["steps"] = s.steps();
  j["calls"] = s.calls();
  j["returns"] = s.returns();
  j["max_depth"] = s.max_depth();
  j["paths"] = s.paths();
  j["functions"] = s.functions();
  j["types"] = s.types();
  j["variables"] = s.variables();
  j["values"] = s.values();
  j["file_bytes"] = o.bytes;
  if (o.binary) {
    j["cbor_bytes"] = o.cbor_bytes;
    j["frames"] = o.frames ? Json(*o.frames) : Json(nullptr);
  }
  j["decoded_bytes"] = s.decoded_bytes();
  j["decoded_bytes_source"] = decoded_source(o.binary);
  j["decoded_bytes_by_kind"] = bytes_by_kind;
  j["unencodable_events"] = s.unencodable();
  j["value_bytes"] = s.value_bytes();
  const CountHistogram& h = s.value_bytes_per_step();
  if (h.count()) {
    const StepLocation& m = s.max_step();
    j["value_bytes_per_step"] = {
        {"median", h.quantile(0.5)},
        {"p90", h.quantile(0.9)},
        {"max", h.max()},
        {"mean", double(h.total()) / double(h.count())},
        {"max_step", m.step},
        {"max_path", s.path(m.path_id)},
        {"max_line", m.line},
        {"max_function", m.has_function ? Json(s.function_name(m.function_id)) : Json(nullptr)}};
  } else {
    j["value_bytes_per_step"] = nullptr;
  }
  const CodeTracerFootprint& ct = s.codetracer();
  j["codetracer_estimate"] = {
      {"total", ct.total()}, {"event_list", ct.event_list_bytes()}, {"db", ct.db_bytes()}};
  if (held) {
    j["held_in_memory"] = {{"over_cap", held->over()},
                           {"cap", held->cap()},
                           {"events", held->events()},
                           {"heap_bytes", held->over() ? Json(nullptr) : Json(held->heap_bytes())},
                           {"rss_bytes", held->over() ? Json(nullptr) : Json(held->rss_bytes())},
                           {"allocation_failed", held->allocation_failed()}};
  } else {
    j["held_in_memory"] = nullptr;
  }
  j["truncated"] = o.state != ReadState::End;
  j["error"] = o.state == ReadState::End ? Json(nullptr) : Json(o.message);
  std::printf("%s\n", j.dump(2).c_str());
}

int run_stats(int argc, char** argv) {
  std::string target, max_memory;
  bool load = false, json = false;
  if (int rc = cli::parse_args(argc, argv,
                               {"stats",
                                kUsage,
                                {{"--load", "", &load}, {"--json", "", &json}},
                                {{"--max-memory", "", &max_memory}}},
                               &target);
      rc >= 0)
    return rc;
  std::uint64_t cap = 0;
  if (!max_memory.empty()) {
    if (!load) {
      std::fprintf(stderr, "trace-record stats: --max-memory needs --load\n%s", kUsage);
      return 2;
    }
    if (!cli::parse_size(max_memory, &cap)) {
      std::fprintf(stderr,
                   "trace-record stats: --max-memory: expected a size such as 512M or 4G, got "
                   "'%s'\n",
                   max_memory.c_str());
      return 2;
    }
  } else if (load) {
    cap = cli::default_memory_cap();
  }
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
  Outcome o;
  o.file = *file;
  o.binary = (*src)->format() == TraceFormat::Binary;
  std::optional<cli::HeldEvents> held;
  if (load)
    held.emplace(cap);

  TraceStats stats;
  if (held) {
    o.state = count_events(**src, stats, [&](TraceEvent& e, std::uint64_t cbor_bytes) {
      held->keep(std::move(e), cbor_bytes);
    });
    held->finish();
  } else {
    o.state = count_events(**src, stats);
  }
  if (o.state == ReadState::Error) {
    std::fprintf(stderr, "trace-record stats: %s\n", (*src)->message().c_str());
    return 2;
  }
  std::error_code ec;
  o.bytes = std::filesystem::file_size(*file, ec);
  if (o.binary) {
    o.cbor_bytes = (*src)->offset();
    if (auto frames = read_seek_table(*file))
      o.frames = frames->size();
  }
  if (o.state != ReadState::End)
    o.message = (*src)->message();

  if (json)
    print_json(o, stats, held ? &*held : nullptr);
  else
    print_text(o, stats, held ? &*held : nullptr);
  std::fflush(stdout);
  if (o.state != ReadState::End) {
    std::fprintf(stderr, "trace-record stats: %s\n", o.message.c_str());
    return 2;
  }
  if (held && held->over()) {
    std::fprintf(stderr,
                 "trace-record stats: %s: holding every decoded event takes more than %s "
                 "(--max-memory): over after %llu of %llu events; CodeTracer, which holds "
                 "them all, needs more than that to open this trace\n",
                 o.file.string().c_str(), human_size(held->cap()).c_str(),
                 (unsigned long long)held->events(), (unsigned long long)stats.events());
    return 1;
  }
  return 0;
}

} // namespace

TRACE_RECORD_COMMAND(stats, "stats", "counts, sizes and decoded bytes of a trace (either format)",
                     run_stats);
