// Reading trace folders (reader.h): side files and whole-stream helpers.
#include "trace_record/reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "input_file.h"
#include "trace_record/text.h"

namespace trace_record {

namespace {

Result<nlohmann::json> parse(std::string_view text, const std::string& name) {
  if (!is_valid_utf8(text))
    return Status::error(name + ": invalid UTF-8");
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return Status::error(name + ": offset " + std::to_string(e.byte) + ": malformed JSON");
  }
}

} // namespace

Result<TraceMetadata> parse_metadata_json(std::string_view text, const std::string& name) {
  auto j = parse(text, name);
  if (!j)
    return j.status();
  const auto& o = j.value();
  if (!o.is_object())
    return Status::error(name + ": offset 0: expected an object");
  TraceMetadata md;
  auto get_str = [&](const char* key, std::string& out, bool required) -> Status {
    auto it = o.find(key);
    if (it == o.end())
      return required ? Status::error(name + ": missing key \"" + key + "\"") : Status::ok();
    if (!it->is_string())
      return Status::error(name + ": \"" + key + "\" must be a string");
    out = it->get<std::string>();
    return Status::ok();
  };
  for (auto [key, out, req] :
       {std::tuple{"recording_id", &md.recording_id, false},
        std::tuple{"workdir", &md.workdir, true}, std::tuple{"program", &md.program, true}}) {
    Status s = get_str(key, *out, req);
    if (!s)
      return s;
  }
  auto args = o.find("args");
  if (args == o.end())
    return Status::error(name + ": missing key \"args\"");
  if (!args->is_array())
    return Status::error(name + ": \"args\" must be an array of strings");
  for (const auto& a : *args) {
    if (!a.is_string())
      return Status::error(name + ": \"args\" must be an array of strings");
    md.args.push_back(a.get<std::string>());
  }
  return md;
}

Result<TraceMetadata> read_metadata_file(const std::filesystem::path& file) {
  auto t = detail::read_input_file(file);
  if (!t)
    return t.status();
  return parse_metadata_json(*t, file.string());
}

Result<std::vector<std::string>> parse_paths_json(std::string_view text, const std::string& name) {
  auto j = parse(text, name);
  if (!j)
    return j.status();
  if (!j->is_array())
    return Status::error(name + ": offset 0: expected an array of strings");
  std::vector<std::string> out;
  for (const auto& p : *j) {
    if (!p.is_string())
      return Status::error(name + ": expected an array of strings");
    out.push_back(p.get<std::string>());
  }
  return out;
}

Result<std::vector<std::string>> read_paths_file(const std::filesystem::path& file) {
  auto t = detail::read_input_file(file);
  if (!t)
    return t.status();
  return parse_paths_json(*t, file.string());
}

Result<TraceFolder> open_trace_folder(const std::filesystem::path& path) {
  TraceFolder f;
  auto ef = find_event_file(path);
  if (!ef)
    return ef.status();
  f.event_file = *ef;
  std::error_code ec;
  f.dir = std::filesystem::is_directory(path, ec) ? path : ef->parent_path();
  auto src = open_event_source(f.event_file);
  if (!src)
    return src.status();
  f.events = std::move(src.value());
  auto md_file = f.dir / "trace_metadata.json";
  if (std::filesystem::exists(md_file, ec)) {
    auto md = read_metadata_file(md_file);
    if (!md)
      return md.status();
    f.metadata = std::move(md.value());
  }
  auto paths_file = f.dir / "trace_paths.json";
  if (std::filesystem::exists(paths_file, ec)) {
    auto p = read_paths_file(paths_file);
    if (!p)
      return p.status();
    f.paths = std::move(p.value());
  }
  return f;
}

Status repair_json_trace(const std::filesystem::path& file, std::uint64_t* events_kept) {
  auto src = open_json_source(file);
  if (!src)
    return src.status();
  // The ends of the last two complete events: closing after the last one needs
  // one more byte, which a full disk or a file-size limit may refuse; then the
  // trace is closed one event earlier instead.
  std::uint64_t n = 0, ends[2] = {0, 0};
  TraceEvent e;
  ReadState st;
  while ((st = (*src)->next(e)) == ReadState::Event) {
    ++n;
    ends[0] = ends[1];
    ends[1] = (*src)->offset();
  }
  if (events_kept)
    *events_kept = n;
  if (st == ReadState::End)
    return Status::ok();
  if (st != ReadState::Truncated)
    return Status::error((*src)->message());
  src.value().reset();
  const int fd = ::open(file.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return Status::error(file.string() + ": cannot open for repair: " + std::strerror(errno));
  // Cuts the file after the event ending at `end` (dropping a separator and
  // whitespace after it) and closes the array there.
  auto close_after = [&](std::uint64_t end) {
    if (end == 0) // nothing complete: an empty trace
      return ::ftruncate(fd, 0) == 0 && ::pwrite(fd, "[]", 2, 0) == 2;
    if (::ftruncate(fd, off_t(end)) != 0)
      return false;
    char c = 0;
    while (end > 1 && ::pread(fd, &c, 1, off_t(end - 1)) == 1 &&
           (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
      if (::ftruncate(fd, off_t(--end)) != 0)
        return false;
    }
    return ::pwrite(fd, "]", 1, off_t(end)) == 1;
  };
  bool ok = close_after(ends[1]);
  if (!ok && n > 0) {
    ok = close_after(ends[0]);
    if (ok && events_kept)
      *events_kept = n - 1;
  }
  const int err = errno;
  ::close(fd);
  return ok ? Status::ok()
            : Status::error(file.string() + ": cannot close the cut trace: " + std::strerror(err));
}

Result<std::vector<TraceEvent>> read_all_events(const std::filesystem::path& path) {
  auto src = open_event_source(path);
  if (!src)
    return src.status();
  std::vector<TraceEvent> out;
  TraceEvent e;
  for (;;) {
    ReadState st = (*src)->next(e);
    if (st == ReadState::Event) {
      out.push_back(std::move(e));
      continue;
    }
    if (st == ReadState::End)
      return out;
    return Status::error((*src)->message().empty() ? "unexpected end of events"
                                                   : (*src)->message());
  }
}

} // namespace trace_record
