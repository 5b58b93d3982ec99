// Text helpers shared by the encoders: UTF-8 sanitising (TRACE_FORMAT.md §4,
// "Invalid UTF-8") and base64 for BigInt magnitudes (§2.3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trace_record {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if the bytes there
// do not start one. On 0, *bad_len is set to the length of the maximal invalid
// subpart (>= 1) to replace with one U+FFFD, as Rust's String::from_utf8_lossy.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i, std::size_t* bad_len);
bool is_valid_utf8(std::string_view s);
// Appends s with each maximal invalid subsequence replaced by U+FFFD (EF BF BD).
void append_utf8_lossy(std::string& out, std::string_view s);
std::string utf8_lossy(std::string_view s);
// Appends the UTF-8 encoding of c; a surrogate or a value > 0x10FFFF gives U+FFFD.
void append_utf8(std::string& out, char32_t c);
// Decodes a string holding exactly one Unicode scalar value.
std::optional<char32_t> single_scalar(std::string_view utf8);

// Standard base64 (A-Z a-z 0-9 + /, '=' padding, no line breaks).
void append_base64(std::string& out, const std::uint8_t* data, std::size_t size);
std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text);

} // namespace trace_record
