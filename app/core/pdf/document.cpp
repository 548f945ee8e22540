// SPDX-License-Identifier: MIT
#include "core/pdf/document.h"

#include <algorithm>
#include <exception>

#include "core/pdf/document_impl.h"
#include "core/pdf/pdf_syntax.h"
#include "core/pdf/text_shaping.h"
#include "core/util/text.h"

namespace lecert::pdf {

using namespace detail;

Document::Document(std::shared_ptr<const FontSet> fonts) : m(std::make_unique<Impl>()) {
    m->fonts = std::move(fonts);
    // Maps the two faces (once per FontSet); write() reports it when they cannot be read.
    if (m->fonts) m->fonts->loadFaces();
}

Document::~Document() = default;

int Document::addPage(double width, double height) {
    Impl::Page p;
    p.w = width;
    p.h = height;
    m->pages.push_back(std::move(p));
    return static_cast<int>(m->pages.size()) - 1;
}

int Document::pageCount() const {
    return static_cast<int>(m->pages.size());
}

void Document::setInfo(const DocumentInfo& info) {
    m->info = info;
}

void Document::attachFile(const std::string& fileName, std::string_view data,
                          const std::string& mimeType, const std::string& description) {
    m->attachments.push_back({fileName, std::string(data), mimeType, description});
}

double Document::textWidth(std::string_view utf8, const TextStyle& style) const {
    if (m->isBaseAscii(utf8, style.face))
        return m->measureAscii(utf8, style.face) * style.size / 1000.0;
    std::u32string s = prepare(utf8);
    std::replace(s.begin(), s.end(), U'\n', U' ');
    return m->measure(s, style.face) * style.size / 1000.0;
}

std::vector<std::string> Document::wrapText(std::string_view utf8, double width,
                                            const TextStyle& style) const {
    std::vector<std::string> out;
    // Wrap the caller's own characters (shaping happens when a line is drawn).
    std::u32string raw = text::toCodePoints(utf8);
    raw.erase(std::remove(raw.begin(), raw.end(), U'\r'), raw.end());
    std::replace(raw.begin(), raw.end(), U'\t', U' ');
    for (const auto& l : m->wrap(raw, width, style)) out.push_back(text::fromCodePoints(l));
    return out;
}

double Document::ascent(double size) const {
    return (m->ttf(0) ? m->ttf(0)->ascent() : 800.0) * size / 1000.0;
}
double Document::descent(double size) const {
    return (m->ttf(0) ? m->ttf(0)->descent() : -200.0) * size / 1000.0;
}

void Document::drawText(int page, double x, double y, std::string_view utf8, const TextStyle& style,
                        Align align) {
    if (utf8.empty()) return;
    Impl::Canvas& cv = m->canvasOf(page);
    m->beginText(page, cv);
    if (m->isBaseAscii(utf8, style.face)) {
        m->emitAscii(cv, x, y, utf8, style, align);
    } else {
        std::u32string s = prepare(utf8);
        std::replace(s.begin(), s.end(), U'\n', U' ');
        m->emitLine(cv, x, y, s, style, align);
    }
    Impl::endText(cv);
}

int Document::drawParagraph(int page, const Rect& box, std::string_view utf8,
                            const TextStyle& style, Align align) {
    const auto lines = m->wrap(prepare(utf8), box.w, style);
    double y = box.top() - ascent(style.size);
    int drawn = 0;
    Impl::Canvas& cv = m->canvasOf(page);
    if (!lines.empty()) m->beginText(page, cv);  // one paragraph, one marked-content sequence
    for (const auto& l : lines) {
        if (y < box.y - 0.01) break;
        double x = box.x;
        if (align == Align::Center) x += box.w / 2;
        if (align == Align::Right) x += box.w;
        m->emitLine(cv, x, y, l, style, align);
        y -= lineHeight(style.size);
        ++drawn;
    }
    if (!lines.empty()) Impl::endText(cv);
    return drawn;
}

void Document::fillRect(int page, const Rect& r, const Color& fill) {
    Impl::beginArtifact(m->canvasOf(page));
    std::string& o = m->canvasOf(page).ops;
    o += "q ";
    appendColor(o, fill, false);
    appendNums(o, {r.x, r.y, r.w, r.h});
    o += " re f Q\n";
}

void Document::strokeRect(int page, const Rect& r, double lineWidth, const Color& stroke) {
    Impl::beginArtifact(m->canvasOf(page));
    std::string& o = m->canvasOf(page).ops;
    o += "q ";
    appendNum(o, lineWidth);
    o += " w ";
    appendColor(o, stroke, true);
    appendNums(o, {r.x, r.y, r.w, r.h});
    o += " re S Q\n";
}

void Document::drawLine(int page, double x1, double y1, double x2, double y2, double lineWidth,
                        const Color& c) {
    Impl::beginArtifact(m->canvasOf(page));
    std::string& o = m->canvasOf(page).ops;
    o += "q ";
    appendNum(o, lineWidth);
    o += " w ";
    appendColor(o, c, true);
    appendNums(o, {x1, y1});
    o += " m ";
    appendNums(o, {x2, y2});
    o += " l S Q\n";
}

void Document::addTextField(int page, const Rect& r, const std::string& name,
                            std::string_view value, bool multiline, double fontSize,
                            const FieldExtras& extras) {
    // The box itself is page content, so flattened and interactive output look the same.
    fillRect(page, r, {1, 1, 1});
    strokeRect(page, r, 0.6, {0.25, 0.25, 0.25});
    Impl::Field f;
    f.kind = Impl::Kind::Text;
    f.name = name;
    f.value = std::string(value);
    f.multiline = multiline;
    f.extras = extras;
    Impl::Widget w;
    w.page = page;
    w.rect = r;
    w.states.emplace_back("", m->textAppearance(r, f.value, multiline, fontSize, &w.daSize));
    f.widgets.push_back(std::move(w));
    m->fields.push_back(std::move(f));
    m->attachWidget(m->fields.size() - 1, 0);
}

void Document::addComboBox(int page, const Rect& r, const std::string& name,
                           const std::string& value, const std::vector<std::string>& options,
                           const FieldExtras& extras) {
    addTextField(page, r, name, value, false, 0, extras);
    m->fields.back().kind = Impl::Kind::Combo;
    m->fields.back().options = options;
}

void Document::addCheckBox(int page, const Rect& r, const std::string& name, bool checked,
                           const FieldExtras& extras) {
    fillRect(page, r, {1, 1, 1});
    strokeRect(page, r, 0.8, {0.1, 0.1, 0.1});
    Impl::Field f;
    f.kind = Impl::Kind::CheckBox;
    f.name = name;
    f.value = checked ? "Yes" : "Off";
    f.extras = extras;
    Impl::Widget w;
    w.page = page;
    w.rect = r;
    w.states.emplace_back("Yes", Impl::checkMarkAppearance(r));
    w.states.emplace_back("Off", Impl::Canvas{});
    w.state = f.value;
    f.widgets.push_back(std::move(w));
    m->fields.push_back(std::move(f));
    m->attachWidget(m->fields.size() - 1, 0);
}

void Document::addRadioGroup(const std::string& name, const std::vector<RadioButton>& buttons,
                             const std::string& selected, const FieldExtras& extras) {
    Impl::Field f;
    f.kind = Impl::Kind::Radio;
    f.name = name;
    f.value = "Off";
    f.extras = extras;
    for (const auto& b : buttons) {
        const Rect& r = b.rect;
        const double rad = std::min(r.w, r.h) / 2;
        auto& page = m->canvasOf(b.page);
        Impl::beginArtifact(page);
        page.ops += "q 1 1 1 rg 0.1 0.1 0.1 RG 0.8 w ";
        Impl::appendCirclePath(page.ops, r.x + r.w / 2, r.y + r.h / 2, rad - 0.4);
        page.ops += "B Q\n";
        Impl::Widget w;
        w.page = b.page;
        w.rect = r;
        w.states.emplace_back(b.exportValue, Impl::radioDotAppearance(r));
        w.states.emplace_back("Off", Impl::Canvas{});
        w.state = (b.exportValue == selected && !selected.empty()) ? b.exportValue : "Off";
        w.tooltip = b.tooltip;
        if (w.state != "Off") f.value = w.state;
        f.widgets.push_back(std::move(w));
    }
    m->fields.push_back(std::move(f));
    for (std::size_t i = 0; i < buttons.size(); ++i)
        m->attachWidget(m->fields.size() - 1, i, buttons[i].element);
}

void Document::beginRecordContent() {
    ++m->recordDepth;
}

void Document::endRecordContent() {
    if (m->recordDepth > 0) --m->recordDepth;
}

void Document::breakContent(int page) {
    if (page < 0 || page >= static_cast<int>(m->pages.size())) return;
    // Smaller pieces would lose more to separate compression than they save.
    constexpr std::size_t kMinPiece = 2048;
    Impl::Canvas& cv = m->pages[static_cast<std::size_t>(page)].canvas;
    Impl::closeArtifact(cv);
    const std::size_t from = cv.cuts.empty() ? 0 : cv.cuts.back();
    if (cv.ops.size() - from >= kMinPiece) cv.cuts.push_back(cv.ops.size());
}

const std::vector<char32_t>& Document::missingCharacters() const {
    return m->missing;
}

Result<std::string> Document::write(const WriteOptions& options) {
    if (!m->fonts || !m->ttf(0) || !m->ttf(1))
        return Error{"PDF fonts are not available (DejaVu Sans)", {}};
    if (m->pages.empty()) return Error{"PDF has no pages", {}};
    if (!options.pdfaIccProfile.empty() && options.pdfaIccProfile.size() < 128)
        return Error{"the ICC profile for PDF/A is not a valid profile (too short)", {}};
    try {
        std::vector<Impl::Canvas> canvases;
        canvases.reserve(m->pages.size());
        for (const auto& p : m->pages) canvases.push_back(p.canvas);
        // Writing may tag flattened appearances; the document itself stays as it was, so a
        // second write gives the same structure.
        const auto elems = m->elems;
        std::vector<std::vector<int>> owners;
        for (const auto& p : m->pages) owners.push_back(p.mcidOwner);
        std::string bytes = m->write(options, canvases);
        m->elems = elems;
        for (std::size_t i = 0; i < owners.size(); ++i) m->pages[i].mcidOwner = owners[i];
        return bytes;
    } catch (const std::exception& e) {
        return Error{std::string("PDF writer failed: ") + e.what(), {}};
    }
}

}  // namespace lecert::pdf
