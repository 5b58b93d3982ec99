// The text form of a Float value (TRACE_FORMAT.md §3), and its parsing.
//
// format_float(x) gives exactly the reference language's Display of an f64:
// shortest round-trip digits with ties broken away from zero, laid out without
// an exponent ("0.00001", "1" + 21 zeros), "NaN", "inf", "-inf", "0", "-0".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace trace_record {

// The decomposition of a double into |x| = 0.d1...dn x 10^exponent.
struct FloatDigits {
  enum class Kind : unsigned char { Finite, Zero, Inf, NaN };
  Kind kind = Kind::Zero;
  bool negative = false; // sign bit (false for NaN, whatever its sign)
  char digits[20] = {};  // d1..dn, ASCII, no leading/trailing zeros (Finite only)
  int n = 0;             // number of digits (1..17)
  int exponent = 0;      // e
};
FloatDigits float_digits(double x);

// A string of 64 '0' characters; zero-run pieces are prefixes of it.
inline constexpr std::string_view kSixtyFourZeros =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The longest float text: "-" and the 326 bytes of -5e-324 ("0." and 324
// decimals: every double is a multiple of 2^-1074, so its shortest digits never
// need more than 324 decimals). DBL_MAX takes 309 bytes.
inline constexpr std::size_t kMaxFloatTextSize = 327;

// Calls piece(std::string_view) for each piece of the float text, in order,
// exactly as the reference serializer emits them (TRACE_FORMAT.md §5.1: the
// reference writer chunks long floats on these boundaries; this library writes
// one definite-length string, but the pieces also tell a test how the reference's
// chunked form of a value is laid out):
//   1. "-" alone when the value is negative (including -0 and -inf);
//   2. then by case:
//      NaN / inf / zero : one piece "NaN" / "inf" / "0";
//      e <= 0           : "0.", the zero run (-e zeros), the digits;
//      0 < e < n        : the integer digits d1..de, ".", the fraction de+1..dn;
//      e >= n           : the digits, then the zero run (e-n zeros).
//   A zero run of k zeros is emitted as pieces of 64 zeros while more than 64
//   remain, then one piece of the remaining 1..64 zeros (no piece when k == 0).
// The concatenation of the pieces is format_float(x). Pieces stay valid only
// during the callback.
template <class F> void for_each_float_piece(double x, F&& piece) {
  const FloatDigits d = float_digits(x);
  if (d.negative)
    piece(std::string_view("-", 1));
  auto zeros = [&](int k) {
    while (k > 64) {
      piece(kSixtyFourZeros);
      k -= 64;
    }
    if (k > 0)
      piece(kSixtyFourZeros.substr(0, std::size_t(k)));
  };
  const std::string_view digits(d.digits, std::size_t(d.n));
  switch (d.kind) {
  case FloatDigits::Kind::NaN:
    piece(std::string_view("NaN"));
    return;
  case FloatDigits::Kind::Inf:
    piece(std::string_view("inf"));
    return;
  case FloatDigits::Kind::Zero:
    piece(std::string_view("0"));
    return;
  case FloatDigits::Kind::Finite:
    break;
  }
  if (d.exponent <= 0) {
    piece(std::string_view("0."));
    zeros(-d.exponent);
    piece(digits);
  } else if (d.exponent < d.n) {
    piece(digits.substr(0, std::size_t(d.exponent)));
    piece(std::string_view("."));
    piece(digits.substr(std::size_t(d.exponent)));
  } else {
    piece(digits);
    zeros(d.exponent - d.n);
  }
}

// Appends the text of x (TRACE_FORMAT.md §3) to out.
void append_float(std::string& out, double x);
std::string format_float(double x);

// Parses a Float text the way the reference reader does: an optional sign, then
// decimal digits with an optional '.' and optional exponent (e/E, optional sign),
// or "inf" / "infinity" / "nan" in any case. No surrounding spaces, no hex, no
// "nan(...)". Decimal overflow gives +-inf, underflow +-0. nullopt if rejected.
std::optional<double> parse_float(std::string_view text);

} // namespace trace_record
