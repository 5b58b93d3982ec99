// Float text vs vectors/floats.txt and vectors/float_display_ties.txt (all lines).
#include "trace_record/float_text.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "vector_files.h"

using namespace trace_record;

namespace {

std::string join_pieces(double x) {
  std::string s;
  for_each_float_piece(x, [&](std::string_view p) {
    EXPECT_FALSE(p.empty());
    s.append(p);
  });
  return s;
}

double parse_literal(const std::string& lit) {
  if (lit == "inf")
    return HUGE_VAL;
  if (lit == "-inf")
    return -HUGE_VAL;
  if (lit == "NaN")
    return std::nan("");
  return std::strtod(lit.c_str(), nullptr);
}

} // namespace

TEST(FloatText, FloatsTxtEveryLine) {
  std::ifstream in(test_vectors::path("floats.txt"));
  ASSERT_TRUE(in) << "missing floats.txt";
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    auto arrow = line.find(" -> Display \"");
    if (arrow == std::string::npos)
      continue;
    std::string lit = line.substr(0, arrow);
    std::size_t ts = arrow + 13;
    std::size_t te = line.find('"', ts);
    std::string text = line.substr(ts, te - ts);
    double x = parse_literal(lit);
    std::string got = format_float(x);
    EXPECT_EQ(got, join_pieces(x));
    auto dots = text.find("...(");
    if (dots != std::string::npos) {
      std::size_t len = std::stoul(text.substr(dots + 4));
      EXPECT_EQ(got.size(), len) << lit;
      EXPECT_EQ(got.substr(0, dots), text.substr(0, dots)) << lit;
    } else {
      EXPECT_EQ(got, text) << lit;
      auto json = line.find("| JSON ");
      ASSERT_NE(json, std::string::npos);
      EXPECT_NE(line.find("\"f\":\"" + got + "\""), std::string::npos) << lit;
    }
    auto back = parse_float(got);
    ASSERT_TRUE(back.has_value()) << got;
    if (std::isnan(x)) {
      EXPECT_TRUE(std::isnan(*back));
    } else {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(*back), std::bit_cast<std::uint64_t>(x)) << got;
    }
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

TEST(FloatText, TiesTxtEveryLine) {
  std::ifstream in(test_vectors::path("float_display_ties.txt"));
  ASSERT_TRUE(in);
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '=')
      continue;
    auto bar1 = line.find(" | ");
    auto bar2 = line.find(" | ", bar1 + 3);
    ASSERT_NE(bar2, std::string::npos) << line;
    std::uint64_t bits = std::stoull(line.substr(0, bar1), nullptr, 16);
    double x = std::bit_cast<double>(bits);
    std::string expect = line.substr(bar1 + 3, bar2 - bar1 - 3);
    EXPECT_EQ(format_float(x), expect) << line.substr(0, bar1);
    auto back = parse_float(expect);
    ASSERT_TRUE(back);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(*back), bits);
    ++checked;
  }
  EXPECT_EQ(checked, 70);
}

TEST(FloatText, PiecesOfLongValues) {
  // 1e256: digits "1" then 256 zeros: 64,64,64,64 zero pieces.
  std::vector<std::size_t> sizes;
  for_each_float_piece(1e256, [&](std::string_view p) { sizes.push_back(p.size()); });
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 64, 64, 64, 64}));
  sizes.clear();
  for_each_float_piece(-1.5e-253, [&](std::string_view p) { sizes.push_back(p.size()); });
  // "-", "0.", 252 zeros (64,64,64,60), "15"
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 2, 64, 64, 64, 60, 2}));
  sizes.clear();
  for_each_float_piece(123.25, [&](std::string_view p) { sizes.push_back(p.size()); });
  EXPECT_EQ(sizes, (std::vector<std::size_t>{3, 1, 2}));
}

TEST(FloatText, ParseAcceptsAndRejects) {
  EXPECT_EQ(*parse_float("2.5"), 2.5);
  EXPECT_EQ(*parse_float("1e5"), 1e5);
  EXPECT_EQ(*parse_float("+inf"), HUGE_VAL);
  EXPECT_EQ(*parse_float("-Infinity"), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(*parse_float("nan")));
  EXPECT_TRUE(std::isnan(*parse_float("NaN")));
  EXPECT_EQ(*parse_float("5."), 5.0);
  EXPECT_EQ(*parse_float(".5"), 0.5);
  EXPECT_EQ(*parse_float("1e400"), HUGE_VAL);
  EXPECT_EQ(*parse_float("-1e-400"), 0.0);
  EXPECT_TRUE(std::signbit(*parse_float("-1e-400")));
  for (const char* bad :
       {"", " 1", "1 ", "0x10", "nan(1)", ".", "e5", "1e", "1e+", "--1", "inff", "1,5", "+"})
    EXPECT_FALSE(parse_float(bad).has_value()) << bad;
}
