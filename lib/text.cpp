// UTF-8 sanitising and base64 (text.h).
#include "trace_record/text.h"

#include <cstring>

namespace trace_record {

std::size_t utf8_sequence_length(std::string_view s, std::size_t i, std::size_t* bad_len) {
  auto at = [&](std::size_t k) -> int {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : -1;
  };
  const int b0 = at(0);
  if (b0 < 0x80)
    return 1;
  int need = 0, lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF)
    need = 1;
  else if (b0 == 0xE0)
    need = 2, lo = 0xA0;
  else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF)
    need = 2;
  else if (b0 == 0xED)
    need = 2, hi = 0x9F;
  else if (b0 == 0xF0)
    need = 3, lo = 0x90;
  else if (b0 >= 0xF1 && b0 <= 0xF3)
    need = 3;
  else if (b0 == 0xF4)
    need = 3, hi = 0x8F;
  else {
    if (bad_len)
      *bad_len = 1;
    return 0;
  }
  for (int k = 1; k <= need; ++k) {
    int b = at(std::size_t(k));
    int l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) {
      if (bad_len)
        *bad_len = std::size_t(k);
      return 0;
    }
  }
  return std::size_t(need + 1);
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    // ASCII, 8 bytes at a time (values re-encode the same long strings at every step).
    if (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = utf8_sequence_length(s, i, nullptr);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

void append_utf8_lossy(std::string& out, std::string_view s) {
  std::size_t start = 0, i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t bad = 0;
    std::size_t n = utf8_sequence_length(s, i, &bad);
    if (n) {
      i += n;
      continue;
    }
    out.append(s.data() + start, i - start);
    out.append("\xEF\xBF\xBD");
    i += bad;
    start = i;
  }
  out.append(s.data() + start, s.size() - start);
}

std::string utf8_lossy(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_utf8_lossy(out, s);
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    c = 0xFFFD;
  if (c < 0x80) {
    out.push_back(char(c));
  } else if (c < 0x800) {
    out.push_back(char(0xC0 | (c >> 6)));
    out.push_back(char(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(char(0xE0 | (c >> 12)));
    out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(char(0x80 | (c & 0x3F)));
  } else {
    out.push_back(char(0xF0 | (c >> 18)));
    out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(char(0x80 | (c & 0x3F)));
  }
}

std::optional<char32_t> single_scalar(std::string_view s) {
  if (s.empty())
    return std::nullopt;
  std::size_t n = utf8_sequence_length(s, 0, nullptr);
  if (n == 0 || n != s.size())
    return std::nullopt;
  auto b = [&](std::size_t k) { return char32_t(static_cast<unsigned char>(s[k])); };
  switch (n) {
  case 1:
    return b(0);
  case 2:
    return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  case 3:
    return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  default:
    return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
int b64_value(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}
} // namespace

void append_base64(std::string& out, const std::uint8_t* d, std::size_t n) {
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    std::uint32_t v = (std::uint32_t(d[i]) << 16) | (std::uint32_t(d[i + 1]) << 8) | d[i + 2];
    out.push_back(kB64[v >> 18]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(kB64[(v >> 6) & 63]);
    out.push_back(kB64[v & 63]);
  }
  if (n - i == 1) {
    std::uint32_t v = std::uint32_t(d[i]) << 16;
    out.push_back(kB64[v >> 18]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.append("==");
  } else if (n - i == 2) {
    std::uint32_t v = (std::uint32_t(d[i]) << 16) | (std::uint32_t(d[i + 1]) << 8);
    out.push_back(kB64[v >> 18]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(kB64[(v >> 6) & 63]);
    out.push_back('=');
  }
}

std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view t) {
  if (t.size() % 4 != 0)
    return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(t.size() / 4 * 3);
  for (std::size_t i = 0; i < t.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = t[i + std::size_t(k)];
      if (c == '=' && i + 4 == t.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else {
        if (pad)
          return std::nullopt;
        v[k] = b64_value(c);
        if (v[k] < 0)
          return std::nullopt;
      }
    }
    std::uint32_t w = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) |
                      (std::uint32_t(v[2]) << 6) | std::uint32_t(v[3]);
    out.push_back(std::uint8_t(w >> 16));
    if (pad < 2)
      out.push_back(std::uint8_t(w >> 8));
    if (pad < 1)
      out.push_back(std::uint8_t(w));
  }
  return out;
}

} // namespace trace_record
