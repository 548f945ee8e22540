// SPDX-License-Identifier: MIT
#pragma once
// pdf::Document: an in-memory PDF under construction (pages, text, shapes, AcroForm fields
// with self-generated appearances, metadata, attachments), serialised by write() straight into
// PDF 1.7 bytes (no PDF library object model). Units are PDF points; the origin is the bottom-left
// corner of the page. Text is UTF-8; fonts fall back DejaVu Sans -> Droid Sans Fallback,
// Arabic is shaped and ordered right to left. Not thread-safe: one Document per thread.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pdf/font_set.h"
#include "core/util/result.h"

namespace lecert::pdf {

constexpr double kLetterWidth = 612;
constexpr double kLetterHeight = 792;
// No field value is drawn smaller (legibility; the layouts keep their text at 7 pt or more).
constexpr double kMinTextSize = 7;

struct Color {
    double r = 0, g = 0, b = 0;
};
// A rectangle: left, bottom, width, height (points).
struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
    double top() const { return y + h; }
    double right() const { return x + w; }
};

enum class Align { Left, Center, Right };

struct TextStyle {
    FontFace face = FontFace::Regular;
    double size = 10;  // points
    Color color{};
};

// Document information written to /Info, the XMP metadata and the catalog.
struct DocumentInfo {
    std::string title, subject, author, keywords;
    std::string creator = "lecert";
    std::string producer = "lecert";
    std::string language = "en-US";
    std::string
        date;  // "YYYY-MM-DD" for CreationDate/ModDate; empty = 2000-01-01 (never the clock)
};

// Options for write().
struct WriteOptions {
    bool flatten = false;   // draw field appearances into the page, leave no fields
    std::string watermark;  // non-empty: drawn diagonally across every page
    // PDF/A-2b: the XMP metadata claims it and this ICC profile (RGB, e.g. sRGB) becomes the
    // output intent. Empty = an ordinary PDF (still tagged and with XMP metadata).
    std::string pdfaIccProfile;
};

// Optional properties of a field that help people and viewers (PDF/UA, form filling).
struct FieldExtras {
    std::string tooltip;  // /TU: the field's accessible name (the item's label)
    int maxLen = 0;       // /MaxLen of a text field; 0 = none
};

// One option of a radio group: its export value (a PDF name: [A-Za-z0-9_.-]) and its box.
struct RadioButton {
    // A constructor (not an aggregate), so that {value, page, rect} stays valid with the
    // optional members below under -Wmissing-field-initializers.
    RadioButton() = default;
    RadioButton(std::string value, int pageIndex, const Rect& box, std::string tip = {},
                int structElement = -1)
        : exportValue(std::move(value)),
          page(pageIndex),
          rect(box),
          tooltip(std::move(tip)),
          element(structElement) {}
    std::string exportValue;
    int page = 0;
    Rect rect;
    std::string tooltip;  // /TU of this button's widget (the option's label)
    int element = -1;     // structure element that gets the widget (-1: a new Form element)
};

class Document {
public:
    // `fonts` must outlive nothing: the Document keeps a reference count.
    explicit Document(std::shared_ptr<const FontSet> fonts);
    ~Document();
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    // Appends a page; returns its index (0-based).
    int addPage(double width = kLetterWidth, double height = kLetterHeight);
    int pageCount() const;

    void setInfo(const DocumentInfo& info);
    // Embeds a file attachment (EmbeddedFiles name tree) with the given MIME type.
    void attachFile(const std::string& fileName, std::string_view data, const std::string& mimeType,
                    const std::string& description = {});

    // ---- text measurement (no page needed) ----
    // Width in points of one line of text (after shaping).
    double textWidth(std::string_view utf8, const TextStyle& style) const;
    // Greedy word wrap to `width` points; '\n' starts a new line; words longer than a line
    // and CJK text break between characters. Returns the lines (logical order, UTF-8).
    std::vector<std::string> wrapText(std::string_view utf8, double width,
                                      const TextStyle& style) const;
    // Recommended distance between baselines for a font size.
    static double lineHeight(double size) { return size * 1.22; }
    // Ascent/descent (points, descent negative) of the regular face at `size`.
    double ascent(double size) const;
    double descent(double size) const;

    // ---- page drawing ----
    // One line of text with its baseline at y; x is the left edge (Left), centre or right edge.
    void drawText(int page, double x, double y, std::string_view utf8, const TextStyle& style,
                  Align align = Align::Left);
    // Wraps `utf8` into `box` from its top, one line every lineHeight(style.size). Returns the
    // number of lines drawn; lines that do not fit are not drawn (see wrapText to plan).
    int drawParagraph(int page, const Rect& box, std::string_view utf8, const TextStyle& style,
                      Align align = Align::Left);
    void fillRect(int page, const Rect& r, const Color& fill);
    void strokeRect(int page, const Rect& r, double lineWidth, const Color& stroke);
    void drawLine(int page, double x1, double y1, double x2, double y2, double lineWidth,
                  const Color& c);

    // ---- record content ----
    // Until the matching endRecordContent(), what is drawn goes to a second content stream of
    // its page, drawn after the first. The first stream then holds only what every record with
    // the same layout draws alike (labels, boxes, headers), which a batch worker compresses
    // once and reuses; the second holds the record's own text. Use it for text that comes from
    // the record and overlaps nothing drawn later. Nestable.
    void beginRecordContent();
    void endRecordContent();
    // Ends a piece of the page's first content stream here: what was drawn since the previous
    // break (when at least a few kilobytes) is written as a stream of its own, so a piece that
    // comes out the same for every record (a cover's fixed blocks) is compressed once per
    // worker even when other pieces of the page differ. Call it between blocks, with no
    // element's text half drawn; it closes an open artifact.
    void breakContent(int page);

    // ---- tagged structure (PDF/UA) ----
    // Text drawn while an element is open becomes marked content (an MCID) of that element, in
    // drawing order, which is the reading order; text drawn with no element open, and every
    // shape, is an artifact (page furniture a screen reader skips). A field's widget joins the
    // open element when it is a "Form" element without a widget yet, else a new "Form" child.
    // Types are standard structure types: Document, Part, Sect, Div, H1, H2, P, Table, TR, TH,
    // TD, L, LI, Lbl, LBody, Form, Span. Returns the new element's id (a child of the open
    // element, or of the document).
    int beginElement(const std::string& type, const std::string& altText = {});
    // Makes an element made earlier the open one again (text drawn later, e.g. a title band,
    // still reads in the element's place); close it with endElement().
    void reopenElement(int id);
    // Until the matching endElement(), text is drawn as an artifact even inside an element
    // (running headers and footers of a page begun in the middle of a part).
    void beginArtifact();
    // Closes the open element (the previous one is open again).
    void endElement();
    // The open element, -1 for none.
    int openElement() const;

    // ---- AcroForm fields (names are dotted record paths; each dot makes a tree level) ----
    // Text field; the value is shown with an appearance stream generated here. A value that
    // does not fit is shrunk down to 7 pt (single line) or clipped (multi-line): callers move
    // long text elsewhere first. fontSize 0 = automatic (10 pt, smaller to fit).
    // /DA names the size the appearance was drawn with, so a viewer that regenerates it keeps
    // that size.
    void addTextField(int page, const Rect& r, const std::string& name, std::string_view value,
                      bool multiline = false, double fontSize = 0, const FieldExtras& extras = {});
    // Check box with on-state /Yes.
    void addCheckBox(int page, const Rect& r, const std::string& name, bool checked,
                     const FieldExtras& extras = {});
    // Drop-down (combo box) showing `value`; `options` are the choices offered when edited.
    void addComboBox(int page, const Rect& r, const std::string& name, const std::string& value,
                     const std::vector<std::string>& options, const FieldExtras& extras = {});
    // Radio group (one field, one widget per option); `selected` is an export value or "".
    void addRadioGroup(const std::string& name, const std::vector<RadioButton>& buttons,
                       const std::string& selected, const FieldExtras& extras = {});

    // Serialises the document. Same content + options => same bytes (/ID is a hash of the
    // content, dates come from DocumentInfo). Errors from the PDF library become an Error.
    Result<std::string> write(const WriteOptions& options = {});

    // Characters drawn so far that no font has (they were drawn as blanks).
    const std::vector<char32_t>& missingCharacters() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m;
};

}  // namespace lecert::pdf
