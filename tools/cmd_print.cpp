// trace-record print [--raw] [--follow] [--types] [--full-paths] DIR|FILE
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "cli_args.h"
#include "command.h"
#include "trace_record/json.h"
#include "trace_record/print.h"
#include "trace_record/source.h"

namespace {

using namespace trace_record;

const char* kUsage =
    "usage: trace-record print [--raw] [--follow] [--types] [--full-paths] DIR|FILE\n"
    "  Prints one line per event: '<index> <Variant> <details>' with names resolved.\n"
    "  --raw         the exact trace.json element of each event instead\n"
    "  --follow      binary trace being written: wait for more events until the seek table,\n"
    "                or until its writer is gone (killed): then a note, exit 2;\n"
    "                a JSON trace is printed as far as it goes (a cut file is not an error\n"
    "                while its writer runs)\n"
    "  --types       show value types (name: type = value)\n"
    "  --full-paths  whole paths instead of basenames\n";

int run_print(int argc, char** argv) {
  bool raw = false, follow = false;
  PrintOptions opt;
  std::string target;
  const cli::ArgSpec spec{"print",
                          kUsage,
                          {{"--raw", "", &raw},
                           {"--follow", "", &follow},
                           {"--types", "", &opt.types},
                           {"--full-paths", "", &opt.full_paths}}};
  if (int rc = cli::parse_args(argc, argv, spec, &target); rc >= 0)
    return rc;
  auto file = find_event_file(target);
  if (!file) {
    std::fprintf(stderr, "trace-record print: %s\n", file.status().message().c_str());
    return 2;
  }
  auto src = open_event_source(*file);
  if (src && follow && (*src)->format() == TraceFormat::Binary)
    src = open_binary_source(*file, /*follow=*/true);
  if (!src) {
    std::fprintf(stderr, "trace-record print: %s\n", src.status().message().c_str());
    return 2;
  }
  EventPrinter printer(opt);
  std::string out;
  TraceEvent e;
  std::uint64_t index = 0;
  bool writer_gone = false; // seen gone at a NeedMore: one more read, then the end
  auto drain = [&] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  // --follow, and the writer ended without finishing the trace: what is whole was
  // printed; say so, exit 2 (as for a cut trace without --follow).
  auto writer_gone_note = [&] {
    std::fprintf(stderr,
                 "trace-record print: note: the writer is gone without finishing the trace (no "
                 "process holds the file's lock: killed?); %llu events printed: %s\n",
                 static_cast<unsigned long long>(index), (*src)->message().c_str());
    return 2;
  };
  for (;;) {
    ReadState st = (*src)->next(e);
    if (st == ReadState::Event) {
      if (raw) {
        if (!append_json_event(out, e))
          out += "\"<Assignment: not serializable>\"";
      } else {
        printer.append_line(out, index, e);
      }
      out.push_back('\n');
      ++index;
      if (out.size() > (1u << 16))
        drain();
      continue;
    }
    if (st == ReadState::NeedMore) {
      drain();
      std::fflush(stdout);
      if (writer_gone) // read again after the writer was gone: nothing more will come
        return writer_gone_note();
      // Everything the writer wrote before it released its lock is in the file:
      // read once more before deciding.
      if ((*src)->writer_state() == WriterState::Gone) {
        writer_gone = true;
        continue;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    drain();
    std::fflush(stdout);
    if (st == ReadState::End)
      return 0;
    if (st == ReadState::Truncated && follow && (*src)->format() == TraceFormat::Json) {
      // A trace.json cannot be followed (TRACE_FORMAT.md §7): print what is there.
      if ((*src)->writer_state() == WriterState::Gone)
        return writer_gone_note();
      std::fprintf(stderr, "trace-record print: note: %s (trace.json still being written)\n",
                   (*src)->message().c_str());
      return 0;
    }
    std::fprintf(stderr, "trace-record print: %s\n", (*src)->message().c_str());
    return 2;
  }
}

} // namespace

TRACE_RECORD_COMMAND(print, "print", "print a trace's events, one line each", run_print);
