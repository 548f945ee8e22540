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

// What a document embeds for one font subset: the subset font program (hb-subset, glyph ids
// kept, so CID = glyph id), the /W widths and the ToUnicode map, all ready to write.
struct EmbeddedFont {
    std::string baseName;  // PDF name, with the subset tag
    Packed file;
    std::size_t fileLength = 0;  // /Length1
    std::string widths;          // inside /W [ ... ] ("gid [w] ..." runs)
    Packed toUnicode;
    bool cff = false;  // CFF outlines: FontFile3 /CIDFontType0C and CIDFontType0, else FontFile2
    // The font file's stream entries, the descriptor key and the CIDFont subtype for `cff`.
    std::string fileEntries() const {
        return cff ? "/Subtype /CIDFontType0C" : "/Length1 " + std::to_string(fileLength);
    }
    const char* fileKey() const { return cff ? "/FontFile3" : "/FontFile2"; }
    const char* cidSubtype() const { return cff ? "/CIDFontType0" : "/CIDFontType2"; }
};

// The subset of `f` (slot `slot` of `fonts`) holding `glyphs` (original glyph ids, first-use
// order), each standing for `unicode` (same positions). Cached per thread, by font set, slot,
// glyphs and texts: records of one form use the same subsets (printable ASCII always comes
// first, see FontSet::baseGlyphs), so a batch builds each subset once per worker. Bounded;
// cleared when full. The reference stays valid until the next call on this thread.
const EmbeddedFont& embeddedFont(const FontSet& fonts, const TrueTypeFont& f, int slot,
                                 const std::vector<std::uint16_t>& glyphs,
                                 const std::vector<std::u32string>& unicode);

}  // namespace lecert::pdf::detail
