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
#include <map>
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

// What the field writer and the structure writer share: the element objects, the ParentTree
// keys handed out to widgets (pages have keys 0..n-1), and each tagged widget's object.
struct Tagging {
    std::vector<int> elemObj;                      // by element id; empty = untagged document
    int nextKey = 0;                               // next free ParentTree key
    std::vector<std::pair<int, int>> widgetKeys;   // key -> element object
    std::map<std::pair<int, int>, int> widgetObj;  // (field, widget) -> widget object
};
}  // namespace detail

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
        bool inArtifact = false;  // an /Artifact BMC sequence is open at the end of `ops`
        // Offsets in `ops` where the page's stream is split (breakContent), ascending.
        std::vector<std::size_t> cuts;
    };
    struct Page {
        double w = kLetterWidth, h = kLetterHeight;
        Canvas canvas;
        Canvas record;               // drawn between beginRecordContent() and endRecordContent()
        std::vector<int> mcidOwner;  // MCID -> structure element (the page's ParentTree entry)
    };
    // A kid of a structure element: marked content on a page, a widget, or another element.
    struct StructKid {
        enum class Kind { Mcid, Widget, Element } kind = Kind::Element;
        int page = 0, mcid = 0;     // Mcid
        int field = 0, widget = 0;  // Widget: indices into `fields` and its widgets
        int element = 0;            // Element
    };
    struct StructElem {
        std::string type, alt;
        int parent = -1;  // -1: a child of the Document element
        std::vector<StructKid> kids;
    };
    enum class Kind { Text, Combo, CheckBox, Radio };
    struct Widget {
        int page = 0;
        Rect rect;
        std::vector<std::pair<std::string, Canvas>> states;  // text: one state named ""
        std::string state;                                   // /AS for buttons
        std::string tooltip;                                 // /TU of a radio button
        int element = -1;   // structure element holding this widget (-1: untagged)
        double daSize = 0;  // text: the font size the appearance was drawn with
    };
    struct Field {
        Kind kind = Kind::Text;
        std::string name;
        std::string value;  // text: UTF-8; buttons: export value or "Off"
        bool multiline = false;
        std::vector<std::string> options;  // combo box choices
        std::vector<Widget> widgets;
        FieldExtras extras;
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
    std::vector<StructElem> elems;  // the structure tree (empty: an untagged document)
    std::vector<int> openElems;     // the stack of open elements
    int recordDepth = 0;            // > 0: drawing goes to the pages' record canvases
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
    // The same for logical-order text; asBaseAscii also gives the bytes in `out`.
    bool isBaseAscii(std::u32string_view s, FontFace face) const;
    bool asBaseAscii(std::u32string_view s, FontFace face, std::string& out) const;
    // emitLine for text that passes isBaseAscii (same operators, same bytes), remembered per
    // thread by position, style and text (emitAsciiOps writes them).
    void emitAscii(Canvas& cv, double x, double y, std::string_view s, const TextStyle& st,
                   Align align);
    void emitAsciiOps(Canvas& cv, double x, double y, std::string_view s, const TextStyle& st,
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
    // The canvas of a page (its record canvas inside beginRecordContent()); drawing on a page
    // that does not exist goes to a discarded sink.
    Canvas& canvasOf(int page);
    // Closed path of a circle (four Bezier arcs).
    static void appendCirclePath(std::string& o, double cx, double cy, double r);
    // A text field's appearance: the value in the regular face, clipped to the box; single-line
    // values shrink to fit (down to kMinTextSize) unless `fontSize` is set, multi-line ones wrap.
    // `usedSize` (optional) receives the font size drawn with (for the field's /DA).
    Canvas textAppearance(const Rect& r, const std::string& value, bool multiline, double fontSize,
                          double* usedSize = nullptr);
    // The check mark of a check box's /Yes state, and the dot of a radio button's on state.
    static Canvas checkMarkAppearance(const Rect& r);
    static Canvas radioDotAppearance(const Rect& r);
    // Watermark: drawn on every page's overlay canvas (its last content stream), translucent
    // (/GSwm).
    void drawWatermarks(const std::string& watermark, std::vector<Canvas>& overlays);
    // Flattening: each widget's current appearance becomes page content (of the overlays).
    void flattenFields(std::vector<Canvas>& overlays);

    // ---- structure.cpp ----
    // Before text: closes an open artifact and opens marked content for the open element (an
    // artifact when none is open). endText() closes what beginText() opened.
    void beginText(int page, Canvas& cv);
    static void endText(Canvas& cv);
    // Before a shape: makes sure an artifact is open.
    static void beginArtifact(Canvas& cv);
    static void closeArtifact(Canvas& cv);
    // The element that gets a new widget (see Document::beginElement); -1 when untagged.
    int elementForWidget(int requested);
    // Tags widget `widget` of field `field` (both already added) in elementForWidget(requested).
    void attachWidget(std::size_t field, std::size_t widget, int requested = -1);
    // Flattening: a widget's appearance, drawn into the page, becomes marked content of its
    // element (there is no annotation to point at).
    void markFlattened(int page, Canvas& cv, const Widget& w);

    // Writes the structure elements (their objects are reserved in `tags`), the ParentTree and
    // the StructTreeRoot; returns the catalog entries (/StructTreeRoot, /MarkInfo).
    std::string writeStructTree(detail::PdfOut& out, const detail::Tagging& tags,
                                const std::vector<int>& pageObj, bool flattened) const;

    // ---- metadata.cpp ----
    // The XMP metadata stream (matching /Info; PDF/UA-1, and PDF/A-2b with its output intent
    // when options.pdfaIccProfile is set); returns the catalog entries.
    std::string writeMetadata(detail::PdfOut& out, const WriteOptions& options, bool tagged) const;

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
