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

#include "core/pdf/truetype.h"
#include "core/result.h"

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
class FontSet {
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

private:
    FontSet() = default;
    std::shared_ptr<const TrueTypeFont> m_regular, m_bold;
    std::string m_cjkPath;
    mutable std::once_flag m_cjkOnce;
    mutable std::shared_ptr<const TrueTypeFont> m_cjk;
};

// True for code points that are not drawn at all (controls, bidi/format marks, variation
// selectors, line breaks): they never need a glyph.
bool isInvisible(char32_t cp);

// Distinct characters of utf8 that no lecert font can draw (uses FontSet::shared()). For the
// validator's "this character cannot be printed" warning; needs no document.
std::vector<char32_t> undrawableCharacters(std::string_view utf8);

}  // namespace lecert::pdf
