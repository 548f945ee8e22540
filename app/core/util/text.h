// SPDX-License-Identifier: MIT
#pragma once
// UTF-8 text helpers used across core: validation, NFC normalisation, trimming, code points.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lecert::text {

// True when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool isValidUtf8(std::string_view s);

// Byte offset of the first ill-formed UTF-8 sequence, or npos.
std::size_t firstInvalidUtf8(std::string_view s);

// Unicode NFC of s (s must be valid UTF-8; invalid input is returned unchanged).
std::string nfc(std::string_view s);

// s without leading/trailing Unicode white space (spaces, tabs, newlines, NBSP, ...).
std::string trim(std::string_view s);

// nfc(trim(s)); the canonical form of every text value in a record.
std::string normalize(std::string_view s);

// Decodes UTF-8 into code points (invalid bytes become U+FFFD).
std::u32string toCodePoints(std::string_view s);

// Encodes code points as UTF-8.
std::string fromCodePoints(std::u32string_view cps);

// Number of code points in s.
std::size_t length(std::string_view s);

// Lower-cases ASCII letters only (for codes such as state abbreviations).
std::string asciiLower(std::string_view s);
std::string asciiUpper(std::string_view s);

}  // namespace lecert::text
