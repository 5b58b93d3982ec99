// Repair of a crashed trace.bin (TRACE_FORMAT.md §7 "Repair").
#include <system_error>

#include "trace_record/binary.h"
#include "trace_record/source.h"

namespace trace_record {

Status repair_binary_trace(const std::filesystem::path& file,
                           const std::vector<TraceEvent>& extra) {
  auto src = open_binary_source(file, /*follow=*/false);
  if (!src)
    return src.status();
  std::filesystem::path tmp = file;
  tmp += ".repair-tmp";
  std::unique_ptr<BinarySink> sink;
  auto discard = [&](Status s) {
    sink.reset();
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return s;
  };
  {
    auto r = open_binary_file_sink(tmp);
    if (!r)
      return discard(r.status()); // e.g. a full disk: leave no empty .repair-tmp behind
    sink = std::move(r).value();
  }
  TraceEvent ev;
  for (;;) {
    const ReadState st = (*src)->next(ev);
    if (st == ReadState::Event) {
      if (Status s = sink->write(ev); !s.is_ok())
        return discard(s);
      continue;
    }
    if (st == ReadState::End && extra.empty())
      return discard(Status::ok()); // already complete
    if (st == ReadState::End || st == ReadState::Truncated)
      break;
    return discard(Status::error((*src)->message()));
  }
  for (const auto& e : extra) {
    if (Status s = sink->write(e); !s.is_ok())
      return discard(s);
  }
  if (Status s = sink->close(); !s.is_ok())
    return discard(s);
  sink.reset();
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec)
    return discard(Status::error(file.string() + ": cannot replace: " + ec.message()));
  return Status::ok();
}

} // namespace trace_record
