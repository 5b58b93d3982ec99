// libFuzzer: the CBOR event decoder on arbitrary bytes. Decodes a stream item by
// item like the trace.bin reader does; every decoded event must re-encode and
// decode back to an equal event, with no indefinite-length text (the writer's
// floats are definite, TRACE_FORMAT §5.1); scan_item() must find the same item
// size without decoding; a small memory budget gives the same event or an Error.
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
    const auto scanned = cbor::scan_item(data + pos, size - pos);
    if (scanned.state != cbor::DecodeState::Ok || scanned.consumed != r.consumed)
      std::abort();
    TraceEvent small;
    const auto rs = cbor::decode_event(data + pos, size - pos, small, 4096);
    if (rs.state == cbor::DecodeState::NeedMore ||
        (rs.state == cbor::DecodeState::Ok && !(small == e)))
      std::abort();
    pos += r.consumed;
    cbor::Bytes again;
    if (!cbor::encode_event(e, again).is_ok())
      std::abort();
    TraceEvent back;
    const auto r2 = cbor::decode_event(again, back);
    if (r2.state != cbor::DecodeState::Ok || r2.consumed != again.size() || !(back == e) ||
        r2.indefinite_text_at != cbor::DecodeResult::kNoOffset) {
      std::abort();
    }
  }
  ValueRecord v;
  (void)cbor::decode_value(data, size, v);
  return 0;
}
