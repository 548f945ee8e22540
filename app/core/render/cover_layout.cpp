// SPDX-License-Identifier: MIT
#include "core/render/cover_layout.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "core/model/record.h"
#include "core/util/text.h"

namespace lecert::cover {

namespace {

using pdf::Color;
using pdf::Document;
using pdf::TextStyle;

constexpr double kPageW = pdf::kLetterWidth;
constexpr double kPageH = pdf::kLetterHeight;
constexpr double kMarginX = 48;
constexpr double kBandH = 66;
constexpr double kContTop = kPageH - 46;
constexpr double kBottom = 56;
constexpr double kFooterRuleY = 44;
constexpr double kBlockGap = 9;

// Paddings and gaps inside the blocks, in points.
constexpr double kHeadingAbove = 3;        // heading text below the top of its piece
constexpr double kHeadingBelow = 5;        // space between heading text and the piece below
constexpr double kHeadingRuleLift = 3;     // the rule under a heading, above the piece's bottom
constexpr double kHeadingRightGap = 12;    // between a heading and its right-hand text
constexpr double kStatusBarW = 4;          // accent bar at the left of a status bar
constexpr double kStatusTextX = 14;        // status text from the bar's left edge
constexpr double kStatusTextTop = 7;       // status text below the bar's top
constexpr double kStatusPadV = 14;         // status bar height beyond its text lines
constexpr double kStatusRightInset = 10;   // right-hand text from the bar's right edge
constexpr double kStatusTextRight = 8;     // status text's margin at the right
constexpr double kStatusRightGap = 16;     // between the status text and the right-hand text
constexpr double kFactsColumnGap = 18;     // between the columns of a facts grid
constexpr double kMarkGap = 8;             // checklist: after the mark box and after the label
constexpr double kBulletIndent = 12;       // list: text after the bullet
constexpr double kBoxPad = 10;             // contacts box: inner padding
constexpr double kContactsColumnGap = 14;  // contacts grid: between columns

struct Palette {
    Color accent;
    Color text{0.11, 0.12, 0.14};
    Color muted{0.40, 0.42, 0.46};
    Color rule{0.82, 0.84, 0.87};
    Color white{1, 1, 1};
    Color boxFill{0.95, 0.965, 0.98};
    Color yes{0.13, 0.52, 0.29};
    Color no{0.76, 0.19, 0.16};
    Color unknown{0.62, 0.64, 0.67};
};

// A horizontal slice of the page that is drawn in one go; pagination never splits a piece.
struct Piece {
    double height = 0;
    bool keepWithNext = false;  // move to the next page together with the following piece
    bool spacer = false;        // dropped at the top of a page
    std::function<void(Document&, int page, double top)> draw;
};

class CoverLayout {
public:
    CoverLayout(Document& doc, const CoverTemplate& t, const TextRenderer& render)
        : m_doc(doc), m_t(t), m_r(render) {
        m_p.accent = t.accent;
        const double fs = t.fontSize;
        m_body = {pdf::FontFace::Regular, fs, m_p.text};
        m_bold = {pdf::FontFace::Bold, fs, m_p.text};
        // Never below 7 pt, whatever the template's font_size (legibility, Section 508).
        m_small = {pdf::FontFace::Regular, std::max(pdf::kMinTextSize, fs - 1.5), m_p.muted};
        m_value = {pdf::FontFace::Regular, fs + 0.5, m_p.text};
        m_heading = {pdf::FontFace::Bold, fs + 2, t.accent};
    }

    // Lays out every visible block and draws the pages, header and footers. The title band is
    // drawn last but read first: its elements are made first and filled in by decorate().
    void run() {
        m_titleElem = m_doc.beginElement("H1");
        m_doc.endElement();
        m_subtitleElem = m_doc.beginElement("P");
        m_doc.endElement();
        std::vector<Piece> pieces;
        const double w = kPageW - 2 * kMarginX;
        bool first = true;
        for (const TBlock& b : m_t.blocks) {
            if (!m_r.visible(b.ifPath, b.unlessPath)) continue;
            auto ps = block(b, kMarginX, w);
            if (ps.empty()) continue;
            if (!first) pieces.push_back(spacer(kBlockGap));
            first = false;
            for (auto& p : ps) pieces.push_back(std::move(p));
        }
        paginate(pieces);
        decorate();
    }

private:
    static double lh(const TextStyle& s) { return Document::lineHeight(s.size); }

    Piece spacer(double h) const {
        Piece p;
        p.height = h;
        p.spacer = true;
        p.draw = [](Document&, int, double) {};
        return p;
    }

    std::vector<std::string> wrap(const std::string& s, double width, const TextStyle& st) const {
        if (s.empty()) return {};
        return m_doc.wrapText(s, width, st);
    }

    // Table cells and boxes are never split across pages, so an absurdly long value is cut
    // (with an ellipsis) rather than run off the page. Paragraphs are not limited.
    static std::vector<std::string> clamp(std::vector<std::string> ls, std::size_t maxLines = 12) {
        if (ls.size() > maxLines) {
            ls.resize(maxLines);
            ls.back() += " …";
        }
        return ls;
    }

    // Draws lines as one structure element of `type` (H2, P, TH, TD, ...).
    static void tagged(Document& d, const char* type, int page, double x, double top,
                       const std::vector<std::string>& ls, const TextStyle& st,
                       pdf::Align align = pdf::Align::Left) {
        if (ls.empty()) return;
        d.beginElement(type);
        lines(d, page, x, top, ls, st, align);
        d.endElement();
    }

    // Draws lines from `top` (the top of the first line box) downwards.
    static void lines(Document& d, int page, double x, double top,
                      const std::vector<std::string>& ls, const TextStyle& st,
                      pdf::Align align = pdf::Align::Left) {
        double y = top - d.ascent(st.size);
        for (const auto& l : ls) {
            d.drawText(page, x, y, l, st, align);
            y -= Document::lineHeight(st.size);
        }
    }

    Piece headingPiece(const std::string& text, const std::string& right, double x,
                       double w) const {
        const TextStyle hs = m_heading;
        TextStyle rs = m_small;
        rs.size = m_small.size;
        const double rw = right.empty() ? 0 : m_doc.textWidth(right, rs) + kHeadingRightGap;
        auto ls = clamp(wrap(text, std::max(60.0, w - rw), hs), 4);
        Piece p;
        p.keepWithNext = true;
        p.height = kHeadingAbove +
                   static_cast<double>(std::max<std::size_t>(1, ls.size())) * lh(hs) +
                   kHeadingBelow;
        const Color rule = m_p.accent;
        const double h = p.height;
        p.draw = [=](Document& d, int page, double top) {
            tagged(d, "H2", page, x, top - kHeadingAbove, ls, hs);
            if (!right.empty())
                tagged(d, "P", page, x + w, top - kHeadingAbove - (hs.size - rs.size) * 0.8,
                       {right}, rs, pdf::Align::Right);
            d.drawLine(page, x, top - h + kHeadingRuleLift, x + w, top - h + kHeadingRuleLift, 0.8,
                       rule);
        };
        return p;
    }

    std::vector<Piece> block(const TBlock& b, double x, double w) {
        if (b.type == "heading") return {headingPiece(m_r(b.heading), m_r(b.legend), x, w)};
        if (b.type == "status") return {status(b, x, w)};
        if (b.type == "facts") return facts(b, x, w);
        if (b.type == "checklist") return checklist(b, x, w);
        if (b.type == "list") return list(b, x, w);
        if (b.type == "paragraph") return paragraph(b, x, w);
        if (b.type == "contacts") return {contacts(b, x, w)};
        if (b.type == "note") return {note(b, x, w)};
        if (b.type == "row") return row(b, x, w);
        return {};
    }

    void withHeading(std::vector<Piece>& out, const std::string& headingTmpl, double x, double w,
                     const std::string& right = {}) {
        const std::string h = m_r(headingTmpl);
        if (!h.empty()) out.push_back(headingPiece(h, right, x, w));
    }

    Piece status(const TBlock& b, double x, double w) const {
        const std::string text = m_r(b.text), right = m_r(b.right), tone = m_r(b.tone);
        Color fill{0.94, 0.95, 0.96}, strong = m_p.muted;
        if (tone == "approved") fill = {0.90, 0.96, 0.92}, strong = m_p.yes;
        if (tone == "draft") fill = {1.0, 0.955, 0.86}, strong = {0.78, 0.50, 0.04};
        if (tone == "alert") fill = {0.99, 0.91, 0.90}, strong = m_p.no;
        TextStyle ts = m_bold;
        ts.size = m_bold.size + 1.5;
        TextStyle rs = m_body;
        rs.color = m_p.muted;
        const double rw = right.empty() ? 0 : m_doc.textWidth(right, rs) + kStatusRightGap;
        auto ls = clamp(wrap(text, w - kStatusTextX - kStatusTextRight - rw, ts), 4);
        Piece p;
        p.height = std::max<std::size_t>(1, ls.size()) * lh(ts) + kStatusPadV;
        const double h = p.height;
        p.draw = [=](Document& d, int page, double top) {
            d.fillRect(page, {x, top - h, w, h}, fill);
            d.fillRect(page, {x, top - h, kStatusBarW, h}, strong);
            TextStyle t2 = ts;
            t2.color = strong;
            tagged(d, "P", page, x + kStatusTextX, top - kStatusTextTop, ls, t2);
            if (!right.empty())
                tagged(d, "P", page, x + w - kStatusRightInset,
                       top - kStatusTextTop - (ts.size - rs.size) * 0.5, {right}, rs,
                       pdf::Align::Right);
        };
        return p;
    }

    struct Cell {
        std::vector<std::string> label, value;
    };

    std::vector<Piece> facts(const TBlock& b, double x, double w) {
        std::vector<Piece> out;
        withHeading(out, b.heading, x, w);
        const int n = b.columns;
        const double gap = kFactsColumnGap;
        const double cw = (w - gap * (n - 1)) / n;
        std::vector<Cell> cells;
        for (const TRow& r : b.rows) {
            if (!m_r.visible(r.ifPath, r.unlessPath)) continue;
            std::string value = m_r(r.value);
            if (value.empty() && r.hideEmpty) continue;
            if (value.empty()) value = "—";
            cells.push_back(
                {clamp(wrap(m_r(r.label), cw, m_small)), clamp(wrap(value, cw, m_value))});
        }
        const TextStyle ls = m_small, vs = m_value;
        const Color rule = m_p.rule;
        // A table (one row per printed row, a TH label and a TD value per fact); its rows are
        // separate pieces, so the first opens the Table element and the last closes it.
        for (std::size_t i = 0; i < cells.size(); i += static_cast<std::size_t>(n)) {
            const bool firstRow = i == 0;
            const bool lastRow = i + static_cast<std::size_t>(n) >= cells.size();
            std::vector<Cell> rowCells(
                cells.begin() + static_cast<long>(i),
                cells.begin() +
                    static_cast<long>(std::min(cells.size(), i + static_cast<std::size_t>(n))));
            // Values of one row start on the same line even when a label wraps.
            std::size_t labelLines = 0, valueLines = 0;
            for (const Cell& c : rowCells) {
                labelLines = std::max(labelLines, c.label.size());
                valueLines = std::max(valueLines, c.value.size());
            }
            const double labelH = static_cast<double>(labelLines) * lh(ls);
            Piece p;
            p.height = labelH + 1 + static_cast<double>(valueLines) * lh(vs) + 7;
            const double ph = p.height;
            p.draw = [=](Document& d, int page, double top) {
                if (firstRow) d.beginElement("Table");
                d.beginElement("TR");
                for (std::size_t k = 0; k < rowCells.size(); ++k) {
                    const double cx = x + static_cast<double>(k) * (cw + gap);
                    const double lt =
                        top - 3 + static_cast<double>(rowCells[k].label.size()) * lh(ls) - labelH;
                    tagged(d, "TH", page, cx, lt, rowCells[k].label, ls);
                    tagged(d, "TD", page, cx, top - 3 - labelH - 1, rowCells[k].value, vs);
                }
                d.endElement();
                if (lastRow) d.endElement();
                d.drawLine(page, x, top - ph + 0.5, x + w, top - ph + 0.5, 0.4, rule);
            };
            out.push_back(std::move(p));
        }
        if (const std::string cap = m_r(b.caption); !cap.empty()) out.push_back(caption(cap, x, w));
        return out;
    }

    Piece caption(const std::string& text, double x, double w) const {
        auto ls = wrap(text, w, m_small);
        Piece p;
        p.height = static_cast<double>(ls.size()) * lh(m_small) + 4;
        const TextStyle st = m_small;
        p.draw = [=](Document& d, int page, double top) {
            tagged(d, "P", page, x, top - 4, ls, st);
        };
        return p;
    }

    std::vector<Piece> checklist(const TBlock& b, double x, double w) {
        std::vector<Piece> out;
        withHeading(out, b.heading, x, w, m_r(b.legend));
        const double box = m_t.fontSize + 2;
        const double labelX = x + box + kMarkGap;
        const double detailX = x + w * 0.37;
        const double labelW = detailX - labelX - kMarkGap;
        const double detailW = x + w - detailX;
        const TextStyle ls = m_bold, ds = m_body;
        const Palette pal = m_p;
        // A table too: per row the item (TH), its mark (TD, read as its word) and the detail.
        std::vector<const TRow*> shown;
        for (const TRow& r : b.rows)
            if (m_r.visible(r.ifPath, r.unlessPath)) shown.push_back(&r);
        for (std::size_t ri = 0; ri < shown.size(); ++ri) {
            const TRow& r = *shown[ri];
            const bool firstRow = ri == 0, lastRow = ri + 1 == shown.size();
            std::string mark = m_r(r.mark);
            if (mark != "yes" && mark != "no") mark = "unknown";
            std::string detail = m_r(r.detail);
            if (detail.empty()) {
                auto it = b.details.find(mark);
                if (it != b.details.end()) detail = m_r(it->second);
            }
            auto labelLines = clamp(wrap(m_r(r.label), labelW, ls));
            auto detailLines = clamp(wrap(detail, detailW, ds));
            const double textH = static_cast<double>(std::max<std::size_t>(
                                     {1, labelLines.size(), detailLines.size()})) *
                                 lh(ls);
            Piece p;
            p.height = std::max(textH, box) + 5;
            const double ph = p.height;
            p.draw = [=](Document& d, int page, double top) {
                const Color fill = mark == "yes" ? pal.yes : mark == "no" ? pal.no : pal.unknown;
                const double by = top - 2.5 - box;
                if (firstRow) d.beginElement("Table");
                d.beginElement("TR");
                tagged(d, "TH", page, labelX, top - 2.5, labelLines, ls);
                d.fillRect(page, {x, by, box, box}, fill);
                TextStyle gs{pdf::FontFace::Bold, box * 0.8, pal.white};
                const char* glyph = mark == "yes" ? "✓" : mark == "no" ? "✗" : "—";
                d.beginElement("TD", mark == "yes" ? "Yes" : mark == "no" ? "No" : "Not known");
                d.drawText(page, x + box / 2, by + box * 0.22, glyph, gs, pdf::Align::Center);
                d.endElement();
                TextStyle dd = ds;
                if (mark == "unknown") dd.color = pal.muted;
                tagged(d, "TD", page, detailX, top - 2.5, detailLines, dd);
                d.endElement();
                if (lastRow) d.endElement();
                d.drawLine(page, x, top - ph + 0.5, x + w, top - ph + 0.5, 0.4, pal.rule);
            };
            out.push_back(std::move(p));
        }
        return out;
    }

    std::vector<Piece> list(const TBlock& b, double x, double w) {
        std::vector<Piece> out;
        withHeading(out, b.heading, x, w);
        const Json* items = jsonAt(m_r.vm(), b.items);
        const TextStyle st = m_body;
        std::vector<std::string> texts;
        if (items && items->is_array())
            for (const Json& item : *items) {
                std::string t = m_r(b.text.empty() ? "{{.}}" : b.text, &item);
                if (!t.empty()) texts.push_back(std::move(t));
            }
        if (texts.empty()) {
            const std::string e = m_r(b.empty);
            if (e.empty()) return {};
            auto ls = wrap(e, w, st);
            Piece p;
            p.height = static_cast<double>(ls.size()) * lh(st) + 5;
            TextStyle ms = st;
            ms.color = m_p.muted;
            p.draw = [=](Document& d, int page, double top) {
                tagged(d, "P", page, x, top - 3, ls, ms);
            };
            out.push_back(std::move(p));
            return out;
        }
        for (std::size_t ti = 0; ti < texts.size(); ++ti) {
            auto ls = clamp(wrap(texts[ti], w - kBulletIndent, st), 40);
            Piece p;
            p.height = static_cast<double>(ls.size()) * lh(st) + 3;
            const Color bullet = m_p.accent;
            const bool firstItem = ti == 0, lastItem = ti + 1 == texts.size();
            p.draw = [=](Document& d, int page, double top) {
                TextStyle bs = st;
                bs.color = bullet;
                if (firstItem) d.beginElement("L");
                d.beginElement("LI");
                tagged(d, "Lbl", page, x + 2, top - 2, {"•"}, bs);
                tagged(d, "LBody", page, x + kBulletIndent, top - 2, ls, st);
                d.endElement();
                if (lastItem) d.endElement();
            };
            out.push_back(std::move(p));
        }
        return out;
    }

    std::vector<Piece> paragraph(const TBlock& b, double x, double w) {
        std::vector<Piece> out;
        withHeading(out, b.heading, x, w);
        const TextStyle st = m_body;
        auto ls = wrap(m_r(b.text), w, st);
        // One piece per line so that a long text flows onto the next page.
        for (std::size_t i = 0; i < ls.size(); ++i) {
            Piece p;
            p.height = lh(st) + (i == 0 ? 3 : 0);
            const std::string line = ls[i];
            const double off = i == 0 ? 3 : 0;
            const bool firstLine = i == 0, lastLine = i + 1 == ls.size();
            p.draw = [=](Document& d, int page, double top) {
                if (firstLine) d.beginElement("P");  // one P across the line pieces
                lines(d, page, x, top - off, {line}, st);
                if (lastLine) d.endElement();
            };
            out.push_back(std::move(p));
        }
        return out;
    }

    // One contact of a contact table, laid out: label | value, then the detail after the value
    // (or below it when it does not fit there).
    struct ContactLine {
        std::string label, value;
        std::vector<std::string> detail;
        bool detailBelow = false;
        double valueW = 0;
        double height = 0;
    };

    // The visible contacts of `b` (those with a value) laid out in a box `inner` wide; sets
    // `valueX`, where the value column starts.
    std::vector<ContactLine> contactLines(const TBlock& b, double inner, const TextStyle& ls,
                                          const TextStyle& vs, const TextStyle& ds,
                                          double& valueX) const {
        std::vector<ContactLine> rows;
        std::vector<std::string> details;
        double labelW = 0;
        for (const TRow& r : b.rows) {
            if (!m_r.visible(r.ifPath, r.unlessPath)) continue;
            ContactLine l;
            l.label = m_r(r.label);
            l.value = m_r(r.value);
            if (l.value.empty()) continue;
            labelW = std::max(labelW, m_doc.textWidth(l.label, ls));
            details.push_back(m_r(r.detail));
            rows.push_back(std::move(l));
        }
        valueX = std::min(labelW + 14, inner * 0.4);
        for (std::size_t k = 0; k < rows.size(); ++k) {
            ContactLine& l = rows[k];
            l.valueW = m_doc.textWidth(l.value, vs);
            const double after = inner - valueX - l.valueW - 10;
            l.detailBelow = after < 120;
            l.detail = clamp(wrap(details[k], l.detailBelow ? inner - valueX : after, ds));
            const double valueH =
                l.valueW > inner - valueX
                    ? static_cast<double>(wrap(l.value, inner - valueX, vs).size()) * lh(vs)
                    : lh(vs);
            l.height = l.detailBelow
                           ? valueH + static_cast<double>(l.detail.size()) * lh(ds)
                           : std::max(valueH, static_cast<double>(l.detail.size()) * lh(ds));
        }
        return rows;
    }

    // One contact per line: label | value, then the detail after the value (or below it).
    Piece contactTable(const TBlock& b, double x, double w) {
        const double pad = kBoxPad;
        TextStyle hs = m_heading;
        hs.size = m_heading.size - 0.5;
        TextStyle ls = m_body;
        ls.color = m_p.muted;
        const TextStyle vs = m_bold;
        const TextStyle ds = m_small;
        auto head = wrap(m_r(b.heading), w - 2 * pad, hs);
        const double inner = w - 2 * pad;
        double valueX = 0;
        const std::vector<ContactLine> rows = contactLines(b, inner, ls, vs, ds, valueX);
        auto cap = wrap(m_r(b.caption), inner, ds);
        double height = pad + static_cast<double>(head.size()) * lh(hs) + (head.empty() ? 0 : 3);
        for (const ContactLine& l : rows) height += l.height + 2;
        height += static_cast<double>(cap.size()) * lh(ds) + pad - 2;
        Piece p;
        p.height = height;
        const Palette pal = m_p;
        p.draw = [=](Document& d, int page, double top) {
            d.fillRect(page, {x, top - height, w, height}, pal.boxFill);
            d.strokeRect(page, {x, top - height, w, height}, 0.6, pal.rule);
            double y = top - pad;
            tagged(d, "H2", page, x + pad, y, head, hs);
            y -= static_cast<double>(head.size()) * lh(hs) + (head.empty() ? 0 : 3);
            if (!rows.empty()) d.beginElement("Table");
            for (const ContactLine& l : rows) {
                const double lx = x + pad, vx = x + pad + valueX;
                d.beginElement("TR");
                tagged(d, "TH", page, lx, y, {l.label}, ls);
                auto vl = d.wrapText(l.value, inner - valueX, vs);
                d.beginElement("TD");
                lines(d, page, vx, y, vl, vs);
                if (l.detailBelow)
                    lines(d, page, vx, y - static_cast<double>(vl.size()) * lh(vs), l.detail, ds);
                else
                    lines(d, page, vx + l.valueW + 10, y - (vs.size - ds.size) * 0.75, l.detail,
                          ds);
                d.endElement();
                d.endElement();
                y -= l.height + 2;
            }
            if (!rows.empty()) d.endElement();
            tagged(d, "P", page, x + pad, y, cap, ds);
        };
        return p;
    }

    Piece contacts(const TBlock& b, double x, double w) {
        if (b.columns == 1) return contactTable(b, x, w);
        const double pad = kBoxPad;
        const int n = b.columns;
        const double gap = kContactsColumnGap;
        const double cw = (w - 2 * pad - gap * (n - 1)) / n;
        TextStyle hs = m_heading;
        hs.size = m_heading.size - 0.5;
        const TextStyle ls = m_small;
        TextStyle vs = m_bold;
        const TextStyle ds = m_small;
        auto head = wrap(m_r(b.heading), w - 2 * pad, hs);
        std::vector<std::array<std::vector<std::string>, 3>> cells;
        for (const TRow& r : b.rows) {
            if (!m_r.visible(r.ifPath, r.unlessPath)) continue;
            const std::string value = m_r(r.value);
            if (value.empty()) continue;
            cells.push_back({clamp(wrap(m_r(r.label), cw, ls)), clamp(wrap(value, cw, vs)),
                             clamp(wrap(m_r(r.detail), cw, ds))});
        }
        auto cellH = [&](const std::array<std::vector<std::string>, 3>& c) {
            return static_cast<double>(c[0].size()) * lh(ls) +
                   static_cast<double>(c[1].size()) * lh(vs) +
                   static_cast<double>(c[2].size()) * lh(ds);
        };
        std::vector<double> rowH;
        for (std::size_t i = 0; i < cells.size(); i += static_cast<std::size_t>(n)) {
            double h = 0;
            for (std::size_t k = i; k < std::min(cells.size(), i + static_cast<std::size_t>(n));
                 ++k)
                h = std::max(h, cellH(cells[k]));
            rowH.push_back(h);
        }
        auto cap = wrap(m_r(b.caption), w - 2 * pad, ds);
        double height = pad + static_cast<double>(head.size()) * lh(hs) + (head.empty() ? 0 : 4);
        for (double h : rowH) height += h + 7;
        height += static_cast<double>(cap.size()) * lh(ds) + pad - 4;
        Piece p;
        p.height = height;
        const Palette pal = m_p;
        p.draw = [=](Document& d, int page, double top) {
            d.fillRect(page, {x, top - height, w, height}, pal.boxFill);
            d.strokeRect(page, {x, top - height, w, height}, 0.6, pal.rule);
            double y = top - pad;
            tagged(d, "H2", page, x + pad, y, head, hs);
            y -= static_cast<double>(head.size()) * lh(hs) + (head.empty() ? 0 : 4);
            if (!rowH.empty()) d.beginElement("Table");
            for (std::size_t r = 0; r < rowH.size(); ++r) {
                d.beginElement("TR");
                for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k) {
                    const std::size_t i = r * static_cast<std::size_t>(n) + k;
                    if (i >= cells.size()) break;
                    const double cx = x + pad + static_cast<double>(k) * (cw + gap);
                    double cy = y;
                    tagged(d, "TH", page, cx, cy, cells[i][0], ls);
                    cy -= static_cast<double>(cells[i][0].size()) * lh(ls);
                    d.beginElement("TD");
                    lines(d, page, cx, cy, cells[i][1], vs);
                    cy -= static_cast<double>(cells[i][1].size()) * lh(vs);
                    lines(d, page, cx, cy, cells[i][2], ds);
                    d.endElement();
                }
                d.endElement();
                y -= rowH[r] + 7;
            }
            if (!rowH.empty()) d.endElement();
            tagged(d, "P", page, x + pad, y, cap, ds);
        };
        return p;
    }

    Piece note(const TBlock& b, double x, double w) {
        const double pad = 9;
        TextStyle ts = m_bold;
        ts.color = m_p.accent;
        const TextStyle bs = m_body;
        auto title = clamp(wrap(m_r(b.title), w - 2 * pad - 4, ts), 4);
        auto body = clamp(wrap(m_r(b.text), w - 2 * pad - 4, bs), 40);
        const double height = 2 * pad + static_cast<double>(title.size()) * lh(ts) +
                              (title.empty() || body.empty() ? 0 : 2) +
                              static_cast<double>(body.size()) * lh(bs);
        Piece p;
        p.height = height;
        const Palette pal = m_p;
        p.draw = [=](Document& d, int page, double top) {
            d.fillRect(page, {x, top - height, w, height}, {0.93, 0.95, 0.985});
            d.fillRect(page, {x, top - height, 4, height}, pal.accent);
            double y = top - pad;
            tagged(d, "H2", page, x + pad + 4, y, title, ts);
            y -= static_cast<double>(title.size()) * lh(ts) +
                 (title.empty() || body.empty() ? 0 : 2);
            tagged(d, "P", page, x + pad + 4, y, body, bs);
        };
        return p;
    }

    // Children side by side, kept together on one page.
    std::vector<Piece> row(const TBlock& b, double x, double w) {
        const double gap = 18;
        std::vector<const TBlock*> visible;
        for (const TBlock& c : b.blocks)
            if (m_r.visible(c.ifPath, c.unlessPath)) visible.push_back(&c);
        const std::size_t n = visible.size();
        if (n == 0) return {};
        const double cw = (w - gap * static_cast<double>(n - 1)) / static_cast<double>(n);
        std::vector<std::vector<Piece>> cols;
        double height = 0;
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<Piece> ps = block(*visible[i], x + static_cast<double>(i) * (cw + gap), cw);
            double h = 0;
            for (const auto& p : ps) h += p.height;
            height = std::max(height, h);
            cols.push_back(std::move(ps));
        }
        Piece p;
        p.height = height;
        p.draw = [cols](Document& d, int page, double top) {
            for (const auto& col : cols) {
                double y = top;
                for (const auto& piece : col) {
                    piece.draw(d, page, y);
                    y -= piece.height;
                }
            }
        };
        return {p};
    }

    void paginate(const std::vector<Piece>& pieces) {
        int page = m_doc.addPage();
        double y = kPageH - kBandH - 14;
        bool atTop = true;
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            const Piece& p = pieces[i];
            if (p.spacer && atTop) continue;
            double need = p.height;
            for (std::size_t j = i; j + 1 < pieces.size() && pieces[j].keepWithNext; ++j)
                need += pieces[j + 1].height;
            if (y - need < kBottom && !atTop) {
                page = m_doc.addPage();
                y = kContTop;
                atTop = true;
                if (p.spacer) continue;
            }
            m_doc.breakContent(page);  // a block drawn the same for every record is reused
            p.draw(m_doc, page, y);
            y -= p.height;
            atTop = false;
        }
    }

    void decorate() {
        const int pages = m_doc.pageCount();
        const double w = kPageW - 2 * kMarginX;
        // Title band on the first page.
        m_doc.breakContent(0);
        m_doc.fillRect(0, {0, kPageH - kBandH, kPageW, kBandH}, m_p.accent);
        const TextStyle title{pdf::FontFace::Bold, 19, m_p.white};
        const TextStyle sub{pdf::FontFace::Regular, m_t.fontSize, {0.84, 0.89, 0.95}};
        const TextStyle right{pdf::FontFace::Regular, m_t.fontSize, m_p.white};
        std::vector<std::string> rightLines;
        {
            const std::string text = m_r(m_t.headerRight);
            for (std::size_t pos = 0; pos < text.size();) {  // lines as std::getline gives them
                const std::size_t nl = std::min(text.find('\n', pos), text.size());
                rightLines.push_back(text.substr(pos, nl - pos));
                pos = nl + 1;
            }
        }
        double rw = 0;
        for (const auto& l : rightLines) rw = std::max(rw, m_doc.textWidth(l, right));
        const double leftW = w - (rw > 0 ? rw + 16 : 0);
        auto tl = wrap(m_r(m_t.headerTitle), leftW, title);
        if (tl.size() > 1) tl.resize(1);
        auto sl = wrap(m_r(m_t.headerSubtitle), leftW, sub);
        if (sl.size() > 2) sl.resize(2);
        const double titleTop = kPageH - (sl.size() > 1 ? 14 : 18);
        m_doc.reopenElement(m_titleElem);
        lines(m_doc, 0, kMarginX, titleTop, tl, title);
        m_doc.endElement();
        m_doc.reopenElement(m_subtitleElem);
        lines(m_doc, 0, kMarginX, titleTop - lh(title) - 2, sl, sub);
        lines(m_doc, 0, kPageW - kMarginX, kPageH - 22, rightLines, right, pdf::Align::Right);
        m_doc.endElement();
        // Below: the running header of later pages and the footers, artifacts (no element is
        // open).

        const std::string cont = m_r(m_t.continued);
        for (int page = 0; page < pages; ++page) {
            m_doc.breakContent(page);
            if (page > 0) {
                m_doc.fillRect(page, {0, kPageH - 8, kPageW, 8}, m_p.accent);
                TextStyle cs = m_small;
                lines(m_doc, page, kMarginX, kPageH - 20, wrap(cont, w, cs), cs);
            }
            Json extra = {{"page", std::to_string(page + 1)}, {"pages", std::to_string(pages)}};
            const std::string fr = m_r.withExtra(m_t.footerRight, extra);
            TextStyle fs = m_small;
            fs.size = std::max(pdf::kMinTextSize, m_t.fontSize - 2);
            const double frw = fr.empty() ? 0 : m_doc.textWidth(fr, fs) + 14;
            auto fl = wrap(m_r.withExtra(m_t.footerLeft, extra), w - frw, fs);
            if (fl.size() > 2) fl.resize(2);
            m_doc.drawLine(page, kMarginX, kFooterRuleY, kPageW - kMarginX, kFooterRuleY, 0.5,
                           m_p.rule);
            lines(m_doc, page, kMarginX, kFooterRuleY - 5, fl, fs);
            lines(m_doc, page, kPageW - kMarginX, kFooterRuleY - 5, {fr}, fs, pdf::Align::Right);
        }
    }

    Document& m_doc;
    const CoverTemplate& m_t;
    const TextRenderer& m_r;
    Palette m_p;
    TextStyle m_body, m_bold, m_small, m_value, m_heading;
    int m_titleElem = -1, m_subtitleElem = -1;  // the title band's elements (read first)
};

}  // namespace

void layoutCover(pdf::Document& doc, const CoverTemplate& tmpl, const TextRenderer& render) {
    CoverLayout layout(doc, tmpl, render);
    layout.run();
}

}  // namespace lecert::cover
