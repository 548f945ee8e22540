// SPDX-License-Identifier: MIT
// UTF-8 helpers: validation, trimming, NFC, code points.
#include <catch2/catch.hpp>

#include <string>

#include "core/util/text.h"

using namespace lecert;

TEST_CASE("trim removes Unicode white space at both ends only", "[text]") {
    CHECK(text::trim("  Ana  ") == "Ana");
    CHECK(text::trim("\t\r\n Ana Luz \n") == "Ana Luz");
    CHECK(text::trim("\xC2\xA0"
                     "Ana\xE2\x80\x83") == "Ana");  // NBSP, em space
    CHECK(text::trim("\xEF\xBB\xBF"
                     "Ana\xE2\x80\x8B") == "Ana");       // BOM, zero-width space
    CHECK(text::trim("Jos\xC3\xA9 ") == "Jos\xC3\xA9");  // multi-byte last letter kept
    CHECK(text::trim(" \xE4\xB8\xAD\xE6\x96\x87 ") == "\xE4\xB8\xAD\xE6\x96\x87");
    CHECK(text::trim("Line one\n  Line two\n") == "Line one\n  Line two");
    CHECK(text::trim("   ").empty());
    CHECK(text::trim("").empty());
    CHECK(text::trim("a") == "a");
    // Ill-formed bytes are never touched or replaced.
    CHECK(text::trim(" Jos\xE9 ") == "Jos\xE9");
    CHECK(text::trim("\xE9") == "\xE9");
    // Megabytes of text are trimmed without converting the whole string.
    const std::string big = " " + std::string(20u * 1024u * 1024u, 'a') + " ";
    CHECK(text::trim(big).size() == big.size() - 2);
}

TEST_CASE("nfc composes, normalize = nfc(trim)", "[text]") {
    CHECK(text::nfc("Jose\xCC\x81") == "Jos\xC3\xA9");
    CHECK(text::nfc("Jos\xC3\xA9") == "Jos\xC3\xA9");
    CHECK(text::nfc("plain") == "plain");
    CHECK(text::nfc("bad\xE9") == "bad\xE9");  // invalid input returned unchanged
    CHECK(text::normalize("  Jose\xCC\x81\n") == "Jos\xC3\xA9");
}

TEST_CASE("UTF-8 validation and code points", "[text]") {
    CHECK(text::isValidUtf8("Jos\xC3\xA9 \xF0\x9F\x98\x80"));
    CHECK_FALSE(text::isValidUtf8("Jos\xE9"));
    CHECK(text::firstInvalidUtf8("Jos\xE9") == 3);
    CHECK_FALSE(text::isValidUtf8("\xC0\xAF"));          // overlong
    CHECK_FALSE(text::isValidUtf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(text::isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK(text::firstInvalidUtf8("ok") == std::string_view::npos);
    CHECK(text::length("Jos\xC3\xA9") == 4);
    CHECK(text::toCodePoints("a\xC3\xA9") == std::u32string{U'a', U'\u00E9'});
    CHECK(text::fromCodePoints(U"a\u00E9") == "a\xC3\xA9");
    CHECK(text::asciiUpper("wy") == "WY");
    CHECK(text::asciiLower("USA") == "usa");
}
