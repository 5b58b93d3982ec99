// trace_metadata.json, trace_paths.json (TRACE_FORMAT.md §1) and UUIDv7.
#include <chrono>
#include <fstream>
#include <random>

#include "trace_record/json.h"
#include "trace_record/writer.h"

namespace trace_record {

namespace {
Status write_whole(const std::filesystem::path& file, const std::string& body) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out)
    return Status::error(file.string() + ": cannot open for writing");
  out.write(body.data(), std::streamsize(body.size()));
  out.close();
  if (!out)
    return Status::error(file.string() + ": write failed");
  return Status::ok();
}
} // namespace

std::string make_uuid_v7() {
  using namespace std::chrono;
  const std::uint64_t ms =
      std::uint64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
  std::random_device rd;
  std::uint8_t b[16];
  for (int i = 0; i < 6; ++i)
    b[i] = std::uint8_t(ms >> (40 - 8 * i));
  for (int i = 6; i < 16; i += 2) {
    std::uint32_t r = rd();
    b[i] = std::uint8_t(r);
    b[i + 1] = std::uint8_t(r >> 8);
  }
  b[6] = std::uint8_t(0x70 | (b[6] & 0x0F));
  b[8] = std::uint8_t(0x80 | (b[8] & 0x3F));
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      s.push_back('-');
    s.push_back(hex[b[i] >> 4]);
    s.push_back(hex[b[i] & 15]);
  }
  return s;
}

Status write_metadata_file(const std::filesystem::path& dir, const TraceMetadata& metadata) {
  return write_whole(dir / "trace_metadata.json", metadata_to_json(metadata));
}

Status write_paths_file(const std::filesystem::path& dir, const std::vector<std::string>& paths) {
  return write_whole(dir / "trace_paths.json", paths_to_json(paths));
}

} // namespace trace_record
