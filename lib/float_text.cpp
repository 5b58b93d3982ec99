// Float text (TRACE_FORMAT.md §3): shortest digits, ties away from zero.
#include "trace_record/float_text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace trace_record {

namespace {

// Parses "d.ddde[+-]XX" (to_chars scientific) into digits (trailing zeros
// stripped) and the exponent E of d.ddd x 10^E.
int split_scientific(const char* p, const char* end, char* digits, int& exp10) {
  int n = 0;
  for (; p < end && *p != 'e'; ++p)
    if (*p != '.')
      digits[n++] = *p;
  exp10 = 0;
  if (p < end) {
    ++p;
    bool neg = false;
    if (*p == '-' || *p == '+')
      neg = *p++ == '-';
    int v = 0;
    for (; p < end; ++p)
      v = v * 10 + (*p - '0');
    exp10 = neg ? -v : v;
  }
  while (n > 1 && digits[n - 1] == '0')
    --n;
  return n;
}

// Builds the double "0.<digits> x 10^e" and checks it equals x.
bool parses_back(const char* digits, int n, int e, double x) {
  char buf[64];
  std::memcpy(buf, digits, std::size_t(n));
  int len = n;
  buf[len++] = 'e';
  auto r = std::to_chars(buf + len, buf + sizeof buf, e - n);
  double y = 0;
  auto pr = std::from_chars(buf, r.ptr, y);
  return pr.ec == std::errc() && y == x;
}

} // namespace

FloatDigits float_digits(double x) {
  FloatDigits d;
  if (std::isnan(x)) {
    d.kind = FloatDigits::Kind::NaN;
    return d;
  }
  d.negative = std::signbit(x);
  const double a = std::fabs(x);
  if (std::isinf(a)) {
    d.kind = FloatDigits::Kind::Inf;
    return d;
  }
  if (a == 0) {
    d.kind = FloatDigits::Kind::Zero;
    return d;
  }
  d.kind = FloatDigits::Kind::Finite;
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, a, std::chars_format::scientific);
  int E = 0;
  int n = split_scientific(buf, r.ptr, d.digits, E);
  d.n = n;
  d.exponent = E + 1;

  // Tie check. A tie has an exact expansion of n+1 significant digits ending in 5.
  // Cheap filter: rounding to n+2 digits must then give "...50" exactly.
  char pre[64];
  auto r2 = std::to_chars(pre, pre + sizeof pre, a, std::chars_format::scientific, n + 1);
  char pd[64];
  int pE = 0;
  int pn = split_scientific(pre, r2.ptr, pd, pE);
  if (pE != E || pn != n + 1 || pd[n] != '5')
    return d;
  // Confirm with the exact expansion.
  static thread_local char exact[1100];
  auto r3 = std::to_chars(exact, exact + sizeof exact, a, std::chars_format::scientific, 1000);
  static thread_local char ed[1100];
  int eE = 0;
  int en = split_scientific(exact, r3.ptr, ed, eE);
  if (eE != E || en != n + 1 || ed[n] != '5')
    return d;
  // Candidate: n-digit truncation plus one unit in the last place.
  char cand[20];
  std::memcpy(cand, ed, std::size_t(n));
  int ce = E + 1;
  int i = n - 1;
  while (i >= 0 && cand[i] == '9')
    cand[i--] = '0';
  int cn = n;
  if (i < 0) {
    cand[0] = '1';
    cn = 1;
    ce += 1;
  } else {
    cand[i] += 1;
  }
  while (cn > 1 && cand[cn - 1] == '0')
    --cn;
  if (parses_back(cand, cn, ce, a)) {
    std::memcpy(d.digits, cand, std::size_t(cn));
    d.n = cn;
    d.exponent = ce;
  }
  return d;
}

void append_float(std::string& out, double x) {
  for_each_float_piece(x, [&](std::string_view p) { out.append(p); });
}

std::string format_float(double x) {
  std::string s;
  append_float(s, x);
  return s;
}

std::optional<double> parse_float(std::string_view t) {
  if (t.empty())
    return std::nullopt;
  std::size_t i = 0;
  bool neg = false;
  if (t[0] == '+' || t[0] == '-') {
    neg = t[0] == '-';
    i = 1;
  }
  std::string_view rest = t.substr(i);
  auto iequals = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size())
      return false;
    for (std::size_t k = 0; k < a.size(); ++k)
      if (std::tolower(static_cast<unsigned char>(a[k])) != b[k])
        return false;
    return true;
  };
  if (iequals(rest, "inf") || iequals(rest, "infinity"))
    return neg ? -HUGE_VAL : HUGE_VAL;
  if (iequals(rest, "nan"))
    return std::nan("");
  // Grammar: digits* ['.' digits*] (at least one digit) [(e|E) [+-] digits+]
  std::size_t k = 0, mant_digits = 0;
  while (k < rest.size() && std::isdigit(static_cast<unsigned char>(rest[k])))
    ++k, ++mant_digits;
  if (k < rest.size() && rest[k] == '.') {
    ++k;
    while (k < rest.size() && std::isdigit(static_cast<unsigned char>(rest[k])))
      ++k, ++mant_digits;
  }
  if (mant_digits == 0)
    return std::nullopt;
  if (k < rest.size() && (rest[k] == 'e' || rest[k] == 'E')) {
    ++k;
    if (k < rest.size() && (rest[k] == '+' || rest[k] == '-'))
      ++k;
    std::size_t exp_digits = 0;
    while (k < rest.size() && std::isdigit(static_cast<unsigned char>(rest[k])))
      ++k, ++exp_digits;
    if (exp_digits == 0)
      return std::nullopt;
  }
  if (k != rest.size())
    return std::nullopt;
  double v = 0;
  auto r = std::from_chars(rest.data(), rest.data() + rest.size(), v, std::chars_format::general);
  if (r.ec == std::errc::result_out_of_range) {
    std::string copy(rest);
    v = std::strtod(copy.c_str(), nullptr); // HUGE_VAL or 0 with the right magnitude
  } else if (r.ec != std::errc() || r.ptr != rest.data() + rest.size()) {
    // from_chars rejects e.g. "5." followed by exponent? fall back to strtod
    std::string copy(rest);
    v = std::strtod(copy.c_str(), nullptr);
  }
  return neg ? -v : v;
}

} // namespace trace_record
