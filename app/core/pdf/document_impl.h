// SPDX-License-Identifier: MIT
#pragma once
// Document::Impl, the state of a pdf::Document under construction (internal to core/pdf). Its
// members are defined by responsibility:
//   glyph_runs.cpp      font subsets in this document, text -> glyph runs -> content operators
//   text_layout.cpp     measurement and word wrap
//   appearances.cpp     field appearance streams, the watermark, flattening
//   document_writer.cpp serialisation of the whole file (objects, fonts, fields, pages)
//   document.cpp        the public Document API over all of these

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pdf/document.h"
#include "core/pdf/font_set.h"
#include "core/pdf/truetype.h"

namespace lecert::pdf {

namespace detail {
class PdfOut;
}

constexpr int kSlots = 3;  // Regular, Bold, Cjk

struct Document::Impl {
    // A font's subset in this document. Regular and Bold subsets start with the FontSet's base
    // glyphs (printable ASCII), so those ids are the same in every document.
    struct DocFont {
        std::vector<std::uint16_t> newId;          // original glyph -> subset glyph (0 = not in it)
        std::vector<std::uint16_t> glyphs{0};      // subset glyph -> original glyph
        std::vector<std::u32string> unicode{U""};  // subset glyph -> text
        bool used = false;                         // drawn with at least once
    };
    struct Canvas {
        std::string ops;
        unsigned fontMask = 0;
    };
    struct Page {
        double w = kLetterWidth, h = kLetterHeight;
        Canvas canvas;
    };
    enum class Kind { Text, Combo, CheckBox, Radio };
    struct Widget {
        int page = 0;
        Rect rect;
        std::vector<std::pair<std::string, Canvas>> states;  // text: one state named ""
        std::string state;                                   // /AS for buttons
    };
    struct Field {
        Kind kind = Kind::Text;
        std::string name;
        std::string value;  // text: UTF-8; buttons: export value or "Off"
        bool multiline = false;
        std::vector<std::string> options;  // combo box choices
        std::vector<Widget> widgets;
    };
    struct Attachment {
        std::string name, data, mime, description;
    };
    struct GlyphRun {
        int slot = 0;
        std::string hex;   // subset glyph ids, 4 hex digits each
        double width = 0;  // 1/1000 em
    };

    std::shared_ptr<const FontSet> fonts;
    std::array<DocFont, kSlots> docFonts;
    std::vector<Page> pages;
    std::vector<Field> fields;
    std::vector<Attachment> attachments;
    DocumentInfo info;
    std::vector<char32_t> missing;

    const TrueTypeFont* ttf(int slot) const { return fonts->font(static_cast<FontSlot>(slot)); }

    // ---- glyph_runs.cpp ----
    // The subset of a slot, set up on first use.
    DocFont& useFont(int slot);
    // Visual-order text -> runs of subset glyph ids per font; characters no font has are drawn
    // as spaces and recorded in `missing`.
    std::vector<GlyphRun> encode(std::u32string_view s, FontFace face);
    // True when every character of `s` is printable ASCII drawn from a base glyph of `face`
    // (fixed subset ids): such text is measured and drawn straight from the bytes.
    bool isBaseAscii(std::string_view s, FontFace face) const;
    double measureAscii(std::string_view s, FontFace face) const;
    // emitLine for text that passes isBaseAscii (same operators, same bytes).
    void emitAscii(Canvas& cv, double x, double y, std::string_view s, const TextStyle& st,
                   Align align);
    // Emits one line (logical order) at (x, baseline y) into a canvas.
    void emitLine(Canvas& cv, double x, double y, const std::u32string& logical,
                  const TextStyle& st, Align align);

    // ---- text_layout.cpp ----
    // Width of visual-order text in 1/1000 em.
    double measure(std::u32string_view s, FontFace face) const;
    // Greedy wrap of prepared (shaped, logical) text; returns logical lines.
    std::vector<std::u32string> wrap(const std::u32string& s, double width,
                                     const TextStyle& st) const;
    // Wraps one paragraph (no '\n') onto the end of `lines`.
    void wrapParagraph(const std::u32string& para, double width, const TextStyle& st,
                       std::vector<std::u32string>& lines) const;

    // ---- appearances.cpp ----
    // The canvas of a page; drawing on a page that does not exist goes to a discarded sink.
    Canvas& canvasOf(int page);
    // Closed path of a circle (four Bezier arcs).
    static void appendCirclePath(std::string& o, double cx, double cy, double r);
    // A text field's appearance: the value in the regular face, clipped to the box; single-line
    // values shrink to fit (down to 6 pt) unless `fontSize` is set, multi-line ones wrap.
    Canvas textAppearance(const Rect& r, const std::string& value, bool multiline, double fontSize);
    // The check mark of a check box's /Yes state, and the dot of a radio button's on state.
    static Canvas checkMarkAppearance(const Rect& r);
    static Canvas radioDotAppearance(const Rect& r);
    // Watermark: drawn last on every page canvas, translucent (/GSwm).
    void drawWatermarks(const std::string& watermark, std::vector<Canvas>& pageCanvases);
    // Flattening: each widget's current appearance becomes page content.
    void flattenFields(std::vector<Canvas>& pageCanvases) const;

    // ---- document_writer.cpp ----
    // The whole file (see PdfOut); page canvases are copies that the watermark and flattening
    // extend.
    std::string write(const WriteOptions& opt, std::vector<Canvas>& pageCanvases);
    void writeInfo(detail::PdfOut& out, int infoObj) const;
    // Type0 font objects of the used slots (0 = slot unused).
    std::array<int, kSlots> writeFonts(detail::PdfOut& out) const;
    // The attachments' objects; returns the catalog entries (/Names, /AF).
    std::string writeAttachments(detail::PdfOut& out) const;
};

}  // namespace lecert::pdf
