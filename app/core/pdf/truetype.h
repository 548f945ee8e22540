// SPDX-License-Identifier: MIT
#pragma once
// A minimal TrueType reader and subsetter: enough to measure text, map code points to glyphs
// and embed a compact glyph subset in a PDF. Parsed fonts are immutable and thread-safe.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/util/result.h"

namespace lecert::pdf {

// One parsed TrueType (glyf-outline) font. Immutable after load(); share it freely.
class TrueTypeFont {
public:
    // Reads and parses `path`. Fails on missing files, TTC/CFF fonts and broken tables.
    static Result<std::shared_ptr<const TrueTypeFont>> load(const std::string& path);
    // Parses font bytes already in memory (takes ownership of the copy).
    static Result<std::shared_ptr<const TrueTypeFont>> fromBytes(std::string bytes,
                                                                 const std::string& name);

    // PostScript-style base name used in the PDF (e.g. "DejaVuSans").
    const std::string& baseName() const { return m_baseName; }
    // Glyph for a code point, 0 (.notdef) when the font has none.
    std::uint16_t glyphFor(char32_t cp) const;
    bool hasGlyph(char32_t cp) const { return glyphFor(cp) != 0; }
    // Advance width of a glyph in 1/1000 em (PDF glyph space).
    double advance(std::uint16_t glyph) const;

    // Metrics in 1/1000 em.
    double ascent() const { return m_ascent; }
    double descent() const { return m_descent; }  // negative
    double capHeight() const { return m_capHeight; }
    double italicAngle() const { return m_italicAngle; }
    const double* bbox() const { return m_bbox; }  // xMin yMin xMax yMax
    std::uint16_t glyphCount() const { return m_numGlyphs; }

    // Builds a TrueType file holding only `glyphs` (old glyph ids, in new-id order; index 0
    // must be glyph 0). Composite components are appended to `glyphs` as needed, so the
    // caller sees the final order. Instructions are dropped (PDF viewers render unhinted).
    std::string buildSubset(std::vector<std::uint16_t>& glyphs) const;

private:
    TrueTypeFont() = default;
    Status parse();
    std::string_view table(const char* tag) const;
    std::string_view glyphData(std::uint16_t glyph) const;

    std::string m_bytes;
    std::string m_baseName;
    std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>>
        m_tables;                                          // tag -> off,len
    std::vector<std::uint16_t> m_bmp;                      // 65536 entries
    std::unordered_map<char32_t, std::uint16_t> m_astral;  // > U+FFFF
    std::vector<std::uint16_t> m_advances;                 // font units
    std::vector<std::uint32_t> m_loca;                     // numGlyphs + 1
    std::uint16_t m_numGlyphs = 0;
    double m_unitsPerEm = 1000;
    double m_ascent = 800, m_descent = -200, m_capHeight = 700, m_italicAngle = 0;
    double m_bbox[4] = {0, 0, 0, 0};
};

}  // namespace lecert::pdf
