// libFuzzer: the CBOR event decoder on arbitrary bytes. Decodes a stream item by
// item like the trace.bin reader does; every decoded event must re-encode and
// decode back to an equal event.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "trace_record/cbor.h"

using namespace trace_record;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::size_t pos = 0;
  while (pos < size) {
    TraceEvent e;
    const auto r = cbor::decode_event(data + pos, size - pos, e);
    if (r.state != cbor::DecodeState::Ok) {
      if (r.state == cbor::DecodeState::Error && r.error_at > size - pos)
        std::abort();
      break;
    }
    if (r.consumed == 0 || r.consumed > size - pos)
      std::abort();
    pos += r.consumed;
    cbor::Bytes again;
    if (!cbor::encode_event(e, again).is_ok())
      std::abort();
    TraceEvent back;
    const auto r2 = cbor::decode_event(again, back);
    if (r2.state != cbor::DecodeState::Ok || r2.consumed != again.size() || !(back == e)) {
      std::abort();
    }
  }
  ValueRecord v;
  (void)cbor::decode_value(data, size, v);
  return 0;
}
