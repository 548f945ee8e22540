// SPDX-License-Identifier: MIT
#pragma once
// The fonts lecert draws with, as data: fonts/fallback.json names font families (a regular and a
// bold face for Latin, Greek and Cyrillic, a chain of families per script, a last fallback
// chain) and where Debian's packages install them. A family is resolved on first need: from
// its known file when that file is there and carries the family's name (its character map
// says what it covers), else through fontconfig (its cached character sets). So a machine with
// the packages never loads fontconfig's configuration, which is most of validating one record.
// A font file is parsed only when text that needs it is drawn. Thread-safe; one FontSet may
// be shared by all documents and threads.

#include <array>
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

// Where the font chain comes from. Empty fields take the defaults.
struct FontPaths {
    std::string fallbackFile;  // default: dataPath("fonts/fallback.json")
    std::string extraFontDir;  // a folder added to fontconfig's (default: $LECERT_FONT_DIR)
    // Ignore the data file's known locations ("files") and ask fontconfig for every family
    // (tests compare the two).
    bool fontconfigOnly = false;
};

// A font of the set: Regular and Bold are the faces; other values index the set's fonts (in
// the order the data file names them). None: no font.
enum class FontSlot : std::uint8_t { Regular = 0, Bold = 1, None = 255 };

// As a Printability, a character is printable when one of the installed fonts covers it.
class FontSet : public Printability {
public:
    // Reads the chain and resolves the two faces (no font is parsed, only name tables read).
    // Fails when the data file is broken or the regular/bold family is not installed.
    static Result<std::shared_ptr<FontSet>> create(const FontPaths& paths = {});
    // Process-wide instance (created on first call; nullptr when create() fails).
    static std::shared_ptr<FontSet> shared();
    ~FontSet() override;

    // The font of a slot, mapped on first use (nullptr when not installed or unreadable).
    const TrueTypeFont* font(FontSlot slot) const;
    std::size_t fontCount() const { return m_fonts.size(); }
    // Family and file of a slot (for messages and tests).
    std::string describe(FontSlot slot) const;
    // The slot that draws `cp` in `face` for text of `script` (an ICU UScriptCode; -1 = the
    // character's own): that script's families, then the face, then the fallback chain. None
    // if no installed font covers it. Characters that are never drawn count as drawable.
    FontSlot slotFor(char32_t cp, FontFace face, int script = -1) const;
    bool canDraw(char32_t cp) const { return slotFor(cp, FontFace::Regular) != FontSlot::None; }
    // Whether the font of `slot` itself has a glyph for `cp` (false when not installed).
    bool fontCovers(FontSlot slot, char32_t cp) const {
        return static_cast<std::size_t>(slot) < m_fonts.size() &&
               covers(static_cast<std::size_t>(slot), cp);
    }
    // Distinct code points of utf8 that no font can draw, in first-seen order.
    std::vector<char32_t> undrawable(std::string_view utf8) const;
    std::vector<char32_t> unprintable(std::string_view utf8) const override {
        return undrawable(utf8);
    }
    // Maps the regular and bold faces and precomputes printable ASCII (once). Call before
    // ascii(); false when a face cannot be read.
    bool loadFaces() const;

    // Printable ASCII (U+0020..U+007E) as drawn in a face, precomputed because nearly all text
    // is ASCII: the slot that draws it, its glyph (also its id in every subset: subsets keep
    // glyph ids) and advance (1/1000 em).
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
    // The glyphs (with the character each stands for) every subset of the Regular or Bold font
    // holds: printable ASCII. The same glyph set lets documents share font programs.
    const std::vector<std::pair<std::uint16_t, char32_t>>& baseGlyphs(FontSlot slot) const;
    // Unique in the process (cache keys; never reused, unlike addresses).
    std::uint64_t id() const { return m_id; }

    struct Entry;

private:
    FontSet() = default;
    void precompute() const;
    bool covers(std::size_t slot, char32_t cp) const;
    const Entry& resolved(std::size_t slot) const;
    std::size_t addFamily(const std::string& family, bool bold);

    std::vector<std::unique_ptr<Entry>> m_fonts;
    // Per face, per ICU script code: the slots tried in order (scripts not named: empty).
    std::vector<std::vector<std::uint8_t>> m_scriptChain[2];
    std::vector<std::uint8_t> m_fallback[2];
    mutable std::once_flag m_facesOnce;
    mutable bool m_facesOk = false;
    mutable AsciiGlyph m_ascii[2][0x7F - 0x20];
    mutable std::vector<std::pair<std::uint16_t, char32_t>> m_base[2];
    std::uint64_t m_id = 0;
    // A folder added to fontconfig's. Kept here, not in a static, because lecert's PDF module
    // (pdf_module.h) has a copy of this code and may resolve a family of a set made outside it.
    std::string m_extraDir;
};

// True for code points that are not drawn at all (controls, bidi/format marks, variation
// selectors, line breaks): they never need a glyph.
bool isInvisible(char32_t cp);

// Distinct characters of utf8 that no lecert font can draw (uses FontSet::shared(), which is
// also defaultPrintability()); needs no document and parses no font.
std::vector<char32_t> undrawableCharacters(std::string_view utf8);

}  // namespace lecert::pdf
