// SPDX-License-Identifier: MIT
#pragma once
// Text as lecert draws it (internal to core/pdf): a line is split into bidi runs (ICU, visual
// order), each run into items of one script and one font (the FontSet's chain), and each item
// is shaped with HarfBuzz (GSUB/GPOS: conjuncts, marks, Arabic joining, kerning). Strings are
// code points in logical order.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/pdf/font_set.h"

namespace lecert::pdf::detail {

bool isRtl(char32_t cp);
// True when the first strongly directional character is right to left (Unicode's paragraph
// direction): such text aligns right.
bool startsRightToLeft(std::u32string_view s);
// Characters after which a line may break without a space (CJK ideographs, kana, hangul).
bool breaksAnywhere(char32_t cp);
// One line in logical order -> visual (left-to-right drawing) order, characters only.
std::u32string visualOrder(const std::u32string& line);
// Text as lecert draws it: tabs become spaces, CR dropped (logical order).
std::u32string prepare(std::string_view utf8);

// One shaped glyph. Units are 1/1000 em; offsets move the glyph, not the pen.
struct ShapedGlyph {
    FontSlot slot = FontSlot::Regular;
    std::uint16_t glyph = 0;
    double advance = 0, xOffset = 0, yOffset = 0;
    // The characters [first, last) of the line this glyph's cluster (a grapheme: a base and its
    // marks, or more where shaping merged them) stands for. Glyphs of one cluster are adjacent
    // and share the range.
    std::uint32_t first = 0, last = 0;
    bool missing = false;  // no installed font has the character: drawn as a space
    bool rtl = false;      // shaped right to left
};

struct ShapedLine {
    std::vector<ShapedGlyph> glyphs;  // visual (left-to-right) order
    double width = 0;                 // 1/1000 em
    bool rtl = false;                 // the paragraph direction is right to left
};

// Shapes one line (no '\n') in `face` (memoised per thread).
ShapedLine shapeLine(const FontSet& fonts, std::u32string_view line, FontFace face);

}  // namespace lecert::pdf::detail
