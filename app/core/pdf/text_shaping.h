// SPDX-License-Identifier: MIT
#pragma once
// Text as lecert draws it (internal to core/pdf): Arabic shaping and right-to-left ordering
// (ICU), line-break classes and the text a glyph stands for. Strings are code points.

#include <string>
#include <string_view>

namespace lecert::pdf::detail {

bool isRtl(char32_t cp);
bool isArabic(char32_t cp);
// Characters after which a line may break without a space (CJK ideographs, kana, hangul).
bool breaksAnywhere(char32_t cp);
// Arabic letters -> contextual presentation forms, still in logical order.
std::u32string shapeArabic(std::u32string s);
// One line in logical order -> visual (left-to-right drawing) order.
std::u32string visualOrder(const std::u32string& line);
// Text as lecert draws it: tabs become spaces, CR dropped, Arabic shaped (logical order).
std::u32string prepare(std::string_view utf8);
// The text a drawn character stands for in /ToUnicode: presentation forms map back to their
// letters (NFKC) so extracted text is searchable; anything else is itself.
std::u32string searchableText(char32_t c);

}  // namespace lecert::pdf::detail
