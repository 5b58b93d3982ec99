// trace-record convert DIR --to json|binary [-o OUTDIR] [--force] [--allow-truncated]
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_args.h"
#include "command.h"
#include "trace_record/sink.h"
#include "trace_record/source.h"

namespace {

using namespace trace_record;
namespace fs = std::filesystem;

const char* kUsage =
    "usage: trace-record convert DIR --to json|binary [-o OUTDIR] [--force] [--allow-truncated]\n"
    "  Re-encodes the trace folder DIR (trace.json or trace.bin) into OUTDIR in the\n"
    "  other format, copying trace_metadata.json, trace_paths.json and files/ along.\n"
    "  -o OUTDIR          output folder; default: DIR-json or DIR-binary next to DIR\n"
    "  --force            write into an existing non-empty OUTDIR (replaces its event\n"
    "                     file and the copied files; never allowed when OUTDIR is DIR)\n"
    "  --allow-truncated  a truncated input (crashed writer) is converted up to the cut\n"
    "                     and exits 0 instead of 2; the output is complete and loadable\n";

int fail(const std::string& msg) {
  std::fprintf(stderr, "trace-record convert: %s\n", msg.c_str());
  return 2;
}

bool same_dir(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec))
    return fs::equivalent(a, b, ec);
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

int run_convert(int argc, char** argv) {
  std::string in_arg, out_arg, to;
  bool force = false, allow_truncated = false;
  const cli::ArgSpec spec{"convert",
                          kUsage,
                          {{"--force", "", &force}, {"--allow-truncated", "", &allow_truncated}},
                          {{"--to", "", &to}, {"--out-dir", "-o", &out_arg}},
                          "input"};
  if (int rc = cli::parse_args(argc, argv, spec, &in_arg); rc >= 0)
    return rc;
  if (to != "json" && to != "binary") {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const TraceFormat format = to == "json" ? TraceFormat::Json : TraceFormat::Binary;

  std::error_code ec;
  fs::path in_dir = in_arg;
  while (in_dir.has_relative_path() && !in_dir.has_filename())
    in_dir = in_dir.parent_path();
  if (!fs::is_directory(in_dir, ec))
    in_dir = in_dir.parent_path(); // an event file was named
  if (in_dir.empty())
    in_dir = ".";
  auto file = find_event_file(in_arg);
  if (!file)
    return fail(file.status().message());

  fs::path out_dir = out_arg;
  if (out_dir.empty()) {
    fs::path base = fs::absolute(in_dir, ec).lexically_normal();
    if (!base.has_filename())
      base = base.parent_path();
    out_dir = base.parent_path() / (base.filename().string() + "-" + to);
  }
  if (same_dir(in_dir, out_dir))
    return fail(out_dir.string() + ": output folder is the input");
  if (fs::exists(out_dir, ec) && !fs::is_empty(out_dir, ec) && !force) {
    return fail(out_dir.string() + ": exists and is not empty (use --force or -o)");
  }

  auto src = open_event_source(*file);
  if (!src)
    return fail(src.status().message());
  // Never leave both event files in the output folder (CodeTracer opens trace.json).
  if (auto removed = remove_other_event_file(out_dir, format); !removed)
    return fail(removed.status().message());
  else if (!removed->empty())
    std::fprintf(stderr, "trace-record convert: %s\n", removed->c_str());
  auto sink = open_sink(out_dir, format);
  if (!sink)
    return fail(sink.status().message());

  TraceEvent e;
  ReadState st;
  while ((st = (*src)->next(e)) == ReadState::Event) {
    if (Status s = (*sink)->write(e); !s.is_ok()) {
      (void)(*sink)->close();
      return fail(s.message());
    }
  }
  const Status closed = (*sink)->close();
  if (st == ReadState::Error)
    return fail((*src)->message());
  if (!closed.is_ok())
    return fail(closed.message());

  for (const char* name : {"trace_metadata.json", "trace_paths.json"}) {
    const fs::path from = in_dir / name;
    if (!fs::exists(from, ec)) {
      std::fprintf(stderr, "trace-record convert: warning: %s is missing\n", from.c_str());
      continue;
    }
    fs::copy_file(from, out_dir / name, fs::copy_options::overwrite_existing, ec);
    if (ec)
      return fail((out_dir / name).string() + ": cannot copy: " + ec.message());
  }
  if (fs::is_directory(in_dir / "files", ec)) {
    fs::copy(in_dir / "files", out_dir / "files",
             fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
    if (ec)
      return fail((out_dir / "files").string() + ": cannot copy: " + ec.message());
  }
  if (st == ReadState::Truncated) {
    std::fprintf(stderr, "trace-record convert: %s%s\n", allow_truncated ? "warning: " : "",
                 (*src)->message().c_str());
    std::fprintf(stderr, "trace-record convert: wrote %llu complete events to %s\n",
                 (unsigned long long)(*sink)->events_written(), out_dir.c_str());
    return allow_truncated ? 0 : 2;
  }
  return 0;
}

} // namespace

TRACE_RECORD_COMMAND(convert, "convert", "convert a trace between JSON and binary", run_convert);
