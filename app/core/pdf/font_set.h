// SPDX-License-Identifier: MIT
#pragma once
// The fonts lecert draws with: DejaVu Sans (regular, bold) for Latin, Greek, Cyrillic,
// Vietnamese and Arabic, Droid Sans Fallback for CJK (loaded on first need). Parsed once
// and immutable afterwards: one FontSet may be shared by all documents and threads.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/printability.h"
#include "core/pdf/truetype.h"
#include "core/util/result.h"

namespace lecert::pdf {

enum class FontFace { Regular, Bold };

// Font file locations; defaults are the Debian package paths.
struct FontPaths {
    std::string regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    std::string bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
    std::string cjk = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
};

// Which concrete font draws a code point: index into FontSet's fonts.
enum class FontSlot : std::uint8_t { Regular = 0, Bold = 1, Cjk = 2, None = 255 };

// Thread-safe cache of parsed fonts. Create one per process (shared()) or one per worker.
// As a Printability, a character is printable when one of the fonts can draw it.
class FontSet : public Printability {
public:
    // Loads the regular and bold faces now; the CJK face waits until a character needs it.
    static Result<std::shared_ptr<FontSet>> create(const FontPaths& paths = {});
    // Process-wide instance (created on first call; nullptr if the fonts are missing).
    static std::shared_ptr<FontSet> shared();

    // The font for a slot; Cjk loads it on first use (nullptr when unavailable).
    const TrueTypeFont* font(FontSlot slot) const;
    // The slot that draws `cp` in `face`: the face itself, else regular, else CJK; None if
    // no font has it. Characters that are never drawn (controls, format marks) count as drawable.
    FontSlot slotFor(char32_t cp, FontFace face) const;
    bool canDraw(char32_t cp) const { return slotFor(cp, FontFace::Regular) != FontSlot::None; }
    // Distinct code points of utf8 that no font can draw, in first-seen order.
    std::vector<char32_t> undrawable(std::string_view utf8) const;
    std::vector<char32_t> unprintable(std::string_view utf8) const override {
        return undrawable(utf8);
    }

    // Printable ASCII (U+0020..U+007E) as drawn in a face, precomputed because nearly all text
    // is ASCII: the slot that draws it (its own face when it has the glyph), glyph, advance
    // (1/1000 em) and the id it has in every subset of that slot (see baseGlyphs).
    struct AsciiGlyph {
        FontSlot slot = FontSlot::None;
        std::uint16_t glyph = 0;
        std::uint16_t subsetId = 0;
        double advance = 0;
    };
    const AsciiGlyph& ascii(FontFace face, char32_t cp) const {
        return m_ascii[face == FontFace::Bold ? 1 : 0][cp - 0x20];
    }
    static bool isPrintableAscii(char32_t cp) { return cp >= 0x20 && cp < 0x7F; }
    // The glyphs (with the character each stands for) that every subset of the Regular or Bold
    // font starts with, after .notdef: printable ASCII in code order. Fixed subset ids let
    // documents share font programs and cached text; empty for the CJK slot.
    const std::vector<std::pair<std::uint16_t, char32_t>>& baseGlyphs(FontSlot slot) const;
    // Unique in the process (cache keys; never reused, unlike addresses).
    std::uint64_t id() const { return m_id; }

private:
    FontSet() = default;
    void precompute();
    std::shared_ptr<const TrueTypeFont> m_regular, m_bold;
    std::string m_cjkPath;
    mutable std::once_flag m_cjkOnce;
    mutable std::shared_ptr<const TrueTypeFont> m_cjk;
    AsciiGlyph m_ascii[2][0x7F - 0x20];
    std::vector<std::pair<std::uint16_t, char32_t>> m_base[2];
    std::uint64_t m_id = 0;
};

// True for code points that are not drawn at all (controls, bidi/format marks, variation
// selectors, line breaks): they never need a glyph.
bool isInvisible(char32_t cp);

// Distinct characters of utf8 that no lecert font can draw (uses FontSet::shared(), which is
// also defaultPrintability()); needs no document.
std::vector<char32_t> undrawableCharacters(std::string_view utf8);

}  // namespace lecert::pdf
