// libFuzzer target: arbitrary bytes read as trace.json. The reader must never
// crash or hang; every decoded event is re-encoded, printed and validated too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "trace_record/json.h"
#include "trace_record/print.h"
#include "trace_record/source.h"
#include "trace_record/validate.h"

using namespace trace_record;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto src = open_json_source_from_string(std::string(reinterpret_cast<const char*>(data), size),
                                          "trace.json");
  EventPrinter printer;
  StreamValidator validator;
  TraceEvent e;
  std::string out;
  for (std::uint64_t i = 0; i < 100000; ++i) {
    ReadState st = src->next(e);
    if (st != ReadState::Event) {
      if (st != ReadState::End && src->message().empty())
        __builtin_trap(); // must say why
      break;
    }
    out.clear();
    if (append_json_event(out, e)) {
      // Whatever was decoded re-encodes to something that decodes to the same event.
      auto again = parse_json_event(out);
      if (!again || !(*again == e))
        __builtin_trap();
    }
    out.clear();
    printer.append_line(out, i, e);
    validator.feed(e);
  }
  (void)validator.finish();
  return 0;
}
