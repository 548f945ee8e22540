// SPDX-License-Identifier: MIT
#pragma once
// What a document embeds for one font subset (internal to core/pdf): the subset program, its
// /W widths and its ToUnicode map, built once per worker thread and reused.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/pdf/pdf_out.h"

namespace lecert::pdf {
class FontSet;
class TrueTypeFont;
}  // namespace lecert::pdf

namespace lecert::pdf::detail {

// What a document embeds for one font subset: the subset font program, the /W widths and the
// ToUnicode map, all ready to write.
struct EmbeddedFont {
    std::string baseName;  // PDF name, with the subset tag
    Packed file;
    std::size_t fileLength = 0;  // /Length1
    std::string widths;          // inside /W [0 [ ... ]]
    Packed toUnicode;
};

// The subset of `f` (slot `slot` of `fonts`) holding `glyphs` (subset id -> original glyph),
// each standing for `unicode` (subset id -> text). Cached per thread, by font set, slot, glyphs
// and texts: records of one form use the same subsets (printable ASCII always comes first, see
// FontSet::baseGlyphs), so a batch builds each subset once per worker. Bounded; cleared when
// full. The reference stays valid until the next call on this thread.
const EmbeddedFont& embeddedFont(const FontSet& fonts, const TrueTypeFont& f, int slot,
                                 const std::vector<std::uint16_t>& glyphs,
                                 const std::vector<std::u32string>& unicode);

}  // namespace lecert::pdf::detail
