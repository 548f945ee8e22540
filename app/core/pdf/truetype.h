// SPDX-License-Identifier: MIT
#pragma once
// One OpenType font face (TrueType or CFF outlines, a single file or one face of a .ttc
// collection), read through HarfBuzz: enough to shape, measure and map code points to glyphs,
// and to embed a glyph subset in a PDF (hb-subset). Immutable after load and thread-safe.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/util/result.h"

struct hb_blob_t;
struct hb_face_t;
struct hb_font_t;

namespace lecert::pdf {

// The name is historical: the face may have CFF outlines too (isCff()).
class TrueTypeFont {
public:
    ~TrueTypeFont();
    TrueTypeFont(const TrueTypeFont&) = delete;
    TrueTypeFont& operator=(const TrueTypeFont&) = delete;

    // Maps `path` (face `index` of a collection). Fails on missing or unreadable fonts.
    static Result<std::shared_ptr<const TrueTypeFont>> load(const std::string& path,
                                                            unsigned index = 0);
    // Parses font bytes already in memory (takes ownership of the copy).
    static Result<std::shared_ptr<const TrueTypeFont>> fromBytes(std::string bytes,
                                                                 const std::string& name);

    // PostScript-style base name used in the PDF (e.g. "DejaVuSans").
    const std::string& baseName() const { return m_baseName; }
    // Glyph for a code point, 0 (.notdef) when the font has none.
    std::uint16_t glyphFor(char32_t cp) const;
    bool hasGlyph(char32_t cp) const { return glyphFor(cp) != 0; }
    // Advance width of a glyph in 1/1000 em (PDF glyph space).
    double advance(std::uint16_t glyph) const {
        return glyph < m_advances.size() ? m_advances[glyph] * m_scale : 0;
    }
    // Font units -> 1/1000 em.
    double scale() const { return m_scale; }

    // Metrics in 1/1000 em.
    double ascent() const { return m_ascent; }
    double descent() const { return m_descent; }  // negative
    double capHeight() const { return m_capHeight; }
    double italicAngle() const { return m_italicAngle; }
    const double* bbox() const { return m_bbox; }  // xMin yMin xMax yMax
    std::uint16_t glyphCount() const { return m_numGlyphs; }
    // True for CFF outlines (embedded as FontFile3 /CIDFontType0C), else glyf (FontFile2).
    bool isCff() const { return m_cff; }
    // The shaping font (scale = units per em); immutable, safe to shape with from any thread.
    hb_font_t* hbFont() const { return m_font; }

    // The font program holding `glyphs` (and .notdef) with every glyph id unchanged
    // (hb-subset, retain-gids), so shaped glyph ids are written as they are. TrueType: a
    // TrueType file; CFF: the bare CFF table. Hinting and layout tables are dropped (PDF
    // viewers neither hint nor shape). Empty on failure.
    std::string buildSubset(const std::vector<std::uint16_t>& glyphs) const;

private:
    TrueTypeFont() = default;
    Status init(hb_blob_t* blob, unsigned index);

    hb_face_t* m_face = nullptr;
    hb_font_t* m_font = nullptr;
    std::string m_baseName;
    std::vector<std::uint16_t> m_advances;  // font units
    std::uint16_t m_numGlyphs = 0;
    double m_scale = 1;
    double m_ascent = 800, m_descent = -200, m_capHeight = 700, m_italicAngle = 0;
    double m_bbox[4] = {0, 0, 0, 0};
    bool m_cff = false;
    bool m_cidKeyed = false;  // CFF with a ROS: glyphs addressed by CID
};

}  // namespace lecert::pdf
