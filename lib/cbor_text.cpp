// UTF-8 error location for the CBOR decoder (the helpers themselves are in text.h).
#include "trace_record/cbor.h"
#include "trace_record/text.h"

namespace trace_record::cbor {

std::size_t utf8_error_offset(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    if (std::uint8_t(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t bad = 0;
    const std::size_t len = utf8_sequence_length(s, i, &bad);
    if (len == 0)
      return i;
    i += len;
  }
  return n;
}

} // namespace trace_record::cbor
