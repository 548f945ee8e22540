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

// Fonts one document can use: 0 Regular, 1 Bold, then FontSet fonts in first-use order (a bit
// each in Canvas::fontMask).
constexpr int kSlots = 32;

struct Document::Impl {
    // A font's subset in this document. Subsets keep glyph ids (content streams show glyph
    // ids); Regular and Bold subsets always hold printable ASCII, so Latin documents share
    // font programs.
    struct DocFont {
        std::vector<std::uint16_t> index;          // glyph -> its position in glyphs (0 = absent)
        std::vector<std::uint16_t> glyphs{0};      // glyphs in first-use order (.notdef first)
        std::vector<std::u32string> unicode{U""};  // the text each glyph stands for (ToUnicode)
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

    std::shared_ptr<const FontSet> fonts;
    std::array<DocFont, kSlots> docFonts;
    std::vector<Page> pages;
    std::vector<Field> fields;
    std::vector<Attachment> attachments;
    DocumentInfo info;
    std::vector<char32_t> missing;
    // Document slot -> FontSet slot (0 and 1 are the faces), and back (kSlots = none).
    std::vector<FontSlot> setSlot{FontSlot::Regular, FontSlot::Bold};
    std::array<std::uint8_t, 256> docSlot = [] {
        std::array<std::uint8_t, 256> a{};
        a.fill(kSlots);
        a[0] = 0;
        a[1] = 1;
        return a;
    }();

    const TrueTypeFont* ttf(int slot) const {
        return slot >= 0 && static_cast<std::size_t>(slot) < setSlot.size()
                   ? fonts->font(setSlot[static_cast<std::size_t>(slot)])
                   : nullptr;
    }

    // ---- glyph_runs.cpp ----
    // The subset of a document slot, set up on first use.
    DocFont& useFont(int slot);
    // The document slot of a FontSet font (allocated on first use; -1 when all are taken).
    int slotOf(FontSlot setSlot);
    // Adds a glyph to a slot's subset; `text` becomes its ToUnicode entry unless it has one.
    // Returns false when the glyph already stands for other text.
    bool addGlyph(int slot, std::uint16_t glyph, const std::u32string& text);
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
    // Width of (logical-order) text in 1/1000 em, as shaped.
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
