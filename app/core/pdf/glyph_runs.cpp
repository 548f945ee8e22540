// SPDX-License-Identifier: MIT
// Glyph bookkeeping of a Document: which glyphs of which font each subset holds, and text turned
// into runs of subset glyph ids and content-stream operators.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include <unicode/uchar.h>

#include "core/pdf/document_impl.h"
#include "core/pdf/pdf_syntax.h"
#include "core/pdf/text_shaping.h"

namespace lecert::pdf {

using namespace detail;

Document::Impl::DocFont& Document::Impl::useFont(int slot) {
    DocFont& df = docFonts[static_cast<std::size_t>(slot)];
    if (!df.used) {
        df.used = true;
        df.index.assign(ttf(slot)->glyphCount(), 0);
        for (const auto& [g, cp] : fonts->baseGlyphs(setSlot[static_cast<std::size_t>(slot)])) {
            df.index[g] = static_cast<std::uint16_t>(df.glyphs.size());
            df.glyphs.push_back(g);
            df.unicode.emplace_back(1, cp);
        }
    }
    return df;
}

int Document::Impl::slotOf(FontSlot s) {
    const auto i = static_cast<std::size_t>(s);
    if (i >= docSlot.size()) return -1;
    if (docSlot[i] < kSlots) return docSlot[i];
    if (setSlot.size() >= static_cast<std::size_t>(kSlots)) return -1;
    docSlot[i] = static_cast<std::uint8_t>(setSlot.size());
    setSlot.push_back(s);
    return docSlot[i];
}

bool Document::Impl::addGlyph(int slot, std::uint16_t glyph, const std::u32string& text) {
    DocFont& df = useFont(slot);
    if (glyph == 0 || glyph >= df.index.size()) return text.empty();
    std::uint16_t& idx = df.index[glyph];
    if (idx == 0) {
        idx = static_cast<std::uint16_t>(df.glyphs.size());
        df.glyphs.push_back(glyph);
        df.unicode.push_back(text);
        return true;
    }
    std::u32string& have = df.unicode[idx];
    if (have.empty()) have = text;
    return have == text || text.empty();
}

bool Document::Impl::isBaseAscii(std::string_view s, FontFace face) const {
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (!FontSet::isPrintableAscii(c) || !fonts->ascii(face, c).subsetId) return false;
    }
    return true;
}

double Document::Impl::measureAscii(std::string_view s, FontFace face) const {
    double w = 0;
    for (char ch : s) w += fonts->ascii(face, static_cast<unsigned char>(ch)).advance;
    return w;
}

namespace {

// The text operators of ASCII runs by everything they depend on, per thread: a form's labels
// and headings come out byte-identical for every record of a batch, and writing their glyph
// ids and coordinates again was a tenth of its work. Keys are exact (the bytes of the font
// set's id, the coordinates, the style and the text); bounded, cleared when full.
struct AsciiMemo {
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view k) const {
            return std::hash<std::string_view>{}(k);
        }
    };
    struct Run {
        std::string ops;
        unsigned slots = 0;  // the document font slots the operators use
    };
    std::unordered_map<std::string, Run, Hash, std::equal_to<>> runs;
    std::size_t bytes = 0;
    std::string key;  // reused buffer
};

template <class T>
void appendRaw(std::string& k, const T& v) {
    k.append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

void Document::Impl::emitAscii(Canvas& cv, double x, double y, std::string_view s,
                               const TextStyle& st, Align align) {
    if (s.empty()) return;
    static thread_local AsciiMemo memo;
    constexpr std::size_t kMaxBytes = 2u << 20;
    std::string& k = memo.key;
    k.clear();
    for (double v : {x, y, st.size, st.color.r, st.color.g, st.color.b}) appendRaw(k, v);
    appendRaw(k, fonts->id());
    k.push_back(static_cast<char>(st.face));
    k.push_back(static_cast<char>(align));
    k.append(s);
    if (auto it = memo.runs.find(std::string_view(k)); it != memo.runs.end()) {
        for (int slot = 0; slot < kSlots; ++slot)
            if (it->second.slots & (1u << slot)) useFont(slot);
        cv.fontMask |= it->second.slots;
        cv.ops += it->second.ops;
        return;
    }
    Canvas run;
    emitAsciiOps(run, x, y, s, st, align);
    cv.ops += run.ops;
    cv.fontMask |= run.fontMask;
    const std::size_t cost = k.size() + run.ops.size() + 64;
    if (memo.bytes + cost > kMaxBytes) {
        memo.runs.clear();
        memo.bytes = 0;
    }
    memo.bytes += cost;
    memo.runs.emplace(k, AsciiMemo::Run{std::move(run.ops), run.fontMask});
}

void Document::Impl::emitAsciiOps(Canvas& cv, double x, double y, std::string_view s,
                                  const TextStyle& st, Align align) {
    static const char* hex = "0123456789ABCDEF";
    const double total = measureAscii(s, st.face) * st.size / 1000.0;
    if (align == Align::Center) x -= total / 2;
    if (align == Align::Right) x -= total;
    std::string& o = cv.ops;
    o += "BT\n";
    appendColor(o, st.color, false);
    std::size_t i = 0;
    while (i < s.size()) {
        const FontSlot slot = fonts->ascii(st.face, static_cast<unsigned char>(s[i])).slot;
        const int si = static_cast<int>(slot);
        useFont(si);
        cv.fontMask |= 1u << si;
        o += "/F";
        o.push_back(static_cast<char>('0' + si));
        o.push_back(' ');
        appendNum(o, st.size);
        o += " Tf 1 0 0 1 ";
        appendNums(o, {x, y});
        o += " Tm <";
        double w = 0;
        for (; i < s.size(); ++i) {
            const auto& a = fonts->ascii(st.face, static_cast<unsigned char>(s[i]));
            if (a.slot != slot) break;
            const std::uint16_t id = a.subsetId;
            const char h[4] = {hex[(id >> 12) & 0xF], hex[(id >> 8) & 0xF], hex[(id >> 4) & 0xF],
                               hex[id & 0xF]};
            o.append(h, 4);
            w += a.advance;
        }
        o += "> Tj\n";
        x += w * st.size / 1000.0;
    }
    o += "ET\n";
}

namespace {

bool strongRtl(char32_t c) {
    const auto d = u_charDirection(static_cast<UChar32>(c));
    return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

// The /ActualText of a right-to-left cluster. Text extractors (poppler's among them) lay a
// span's characters out left to right, in the given order, unless every one is a strong
// right-to-left letter, and then read the line right to left; a cluster with marks is
// therefore given in drawing order so that the reading comes out in logical order.
std::u32string rtlActualText(std::u32string text) {
    if (!std::all_of(text.begin(), text.end(), strongRtl)) std::reverse(text.begin(), text.end());
    return text;
}

// Writes shaped glyphs as text-showing operators. Glyph ids are shown as they are (subsets keep
// them); each glyph is placed where HarfBuzz put it through TJ adjustments against the /W
// widths (and Ts for vertical mark offsets), so glyphs may be written in any order.
class GlyphWriter {
public:
    GlyphWriter(std::string& o, double size, double y) : m_o(o), m_size(size), m_y(y) {}

    // Starts showing with `slot` (the pen moves to x, in points).
    void font(int slot, double x) {
        close();
        m_o += "/F";
        appendInt(m_o, slot);
        m_o.push_back(' ');
        appendNum(m_o, m_size);
        m_o += " Tf 1 0 0 1 ";
        appendNums(m_o, {x, m_y});
        m_o += " Tm\n";
        m_at = x;
        m_slot = slot;
    }
    int slot() const { return m_slot; }
    // A marked-content span whose text replaces that of the glyphs inside (empty: none).
    void beginSpan(const std::u32string& text) {
        close();
        m_o += "/Span << /ActualText <FEFF" + utf16beHex(text) + "> >> BDC\n";
    }
    void endSpan() {
        close();
        m_o += "EMC\n";
    }
    // One glyph with its origin at x (points) and `rise` above the baseline; `width` is its /W
    // width (1/1000 em).
    void glyph(std::uint16_t g, double width, double x, double rise) {
        // TJ numbers are thousandths of the font size, subtracted from the pen position.
        m_pending -= (x - m_at) * 1000.0 / m_size;
        if (rise != 0) {
            close();
            appendNum(m_o, rise);
            m_o += " Ts\n";
        }
        open();
        static const char* hex = "0123456789ABCDEF";
        const char h[6] = {
            '<', hex[(g >> 12) & 0xF], hex[(g >> 8) & 0xF], hex[(g >> 4) & 0xF], hex[g & 0xF], '>'};
        m_o.append(h, 6);
        m_at = x + width * m_size / 1000.0;
        if (rise != 0) {
            close();
            m_o += "0 Ts\n";
        }
    }
    void close() {
        if (!m_open) return;
        m_o += "] TJ\n";
        m_open = false;
    }

private:
    void open() {
        if (!m_open) m_o += "[";
        m_open = true;
        // Differences below 1/1000 em (rounded /W widths) are carried, not written: the pen
        // never drifts further, and plain Latin text needs no adjustments at all.
        if (std::fabs(m_pending) >= 1) {
            appendNum(m_o, m_pending);
            // The pen is where the viewer has it: the adjustment as written (two decimals).
            m_at -= std::round(m_pending * 100) / 100 * m_size / 1000.0;
        }
        m_pending = 0;
    }
    std::string& m_o;
    double m_size, m_y;
    double m_at = 0;  // the viewer's pen, points
    double m_pending = 0;
    int m_slot = -1;
    bool m_open = false;
};

}  // namespace

bool Document::Impl::isBaseAscii(std::u32string_view s, FontFace face) const {
    return std::all_of(s.begin(), s.end(), [&](char32_t c) {
        return FontSet::isPrintableAscii(c) && fonts->ascii(face, c).subsetId;
    });
}

bool Document::Impl::asBaseAscii(std::u32string_view s, FontFace face, std::string& out) const {
    if (!isBaseAscii(s, face)) return false;
    out.resize(s.size());
    std::transform(s.begin(), s.end(), out.begin(),
                   [](char32_t c) { return static_cast<char>(c); });
    return true;
}

void Document::Impl::emitLine(Canvas& cv, double x, double y, const std::u32string& logical,
                              const TextStyle& st, Align align) {
    // Printable ASCII the face has is drawn as measure() measures it: straight from the bytes,
    // unshaped (a wrapped line of a Latin narrative, like a short Latin value).
    if (std::string narrow; asBaseAscii(logical, st.face, narrow)) {
        emitAscii(cv, x, y, narrow, st, align);
        return;
    }
    const ShapedLine line = shapeLine(*fonts, logical, st.face);
    const double total = line.width * st.size / 1000.0;
    if (align == Align::Center) x -= total / 2;
    if (align == Align::Right) x -= total;
    if (line.glyphs.empty()) return;
    std::string& o = cv.ops;
    o += "BT\n";
    appendColor(o, st.color, false);
    GlyphWriter w(o, st.size, y);
    const double k = st.size / 1000.0;
    double pen = x;  // points
    const auto& gs = line.glyphs;
    std::vector<double> at;  // reused by every cluster (one allocation per line, not per glyph)
    for (std::size_t i = 0; i < gs.size();) {
        std::size_t j = i + 1;  // the cluster: adjacent glyphs of one character range
        while (j < gs.size() && gs[j].first == gs[i].first && gs[j].slot == gs[i].slot) ++j;
        const std::u32string text = logical.substr(gs[i].first, gs[i].last - gs[i].first);
        int slot = slotOf(gs[i].slot);
        if (slot < 0) slot = 0;
        if (gs[i].missing)
            for (char32_t c : text)
                if (std::find(missing.begin(), missing.end(), c) == missing.end())
                    missing.push_back(c);
        // Each glyph's origin, and whether the cluster's text can be its glyph's ToUnicode.
        at.clear();
        double p = pen;
        for (std::size_t q = i; q < j; ++q) {
            at.push_back(p + gs[q].xOffset * k);
            p += gs[q].advance * k;
        }
        bool plain = j - i == 1 && (gs[i].missing || addGlyph(slot, gs[i].glyph, text));
        // One glyph for a base and its marks (precomposed) is laid out as one character too.
        if (gs[i].rtl && text.size() > 1 && !std::all_of(text.begin(), text.end(), strongRtl))
            plain = false;
        auto show = [&](std::size_t q) {
            if (w.slot() != slot) {
                w.font(slot, pen);
                cv.fontMask |= 1u << slot;
            }
            if (!plain) addGlyph(slot, gs[q].glyph, {});
            w.glyph(gs[q].glyph, std::round(ttf(slot)->advance(gs[q].glyph)), at[q - i],
                    gs[q].yOffset * k);
        };
        if (plain) {
            show(i);
        } else {
            // Spacing glyphs carry the cluster's text; marks (no advance) follow in a span of no
            // text, so the text's box is the base's and extraction puts no gap inside a word.
            const bool anySpacing =
                std::any_of(gs.begin() + static_cast<std::ptrdiff_t>(i),
                            gs.begin() + static_cast<std::ptrdiff_t>(j),
                            [](const ShapedGlyph& g) { return g.advance != 0; });
            w.beginSpan(gs[i].rtl ? rtlActualText(text) : text);
            for (std::size_t q = i; q < j; ++q)
                if (gs[q].advance != 0 || !anySpacing) show(q);
            w.endSpan();
            if (anySpacing && std::any_of(gs.begin() + static_cast<std::ptrdiff_t>(i),
                                          gs.begin() + static_cast<std::ptrdiff_t>(j),
                                          [](const ShapedGlyph& g) { return g.advance == 0; })) {
                w.beginSpan({});
                for (std::size_t q = i; q < j; ++q)
                    if (gs[q].advance == 0) show(q);
                w.endSpan();
            }
        }
        pen = p;
        i = j;
    }
    w.close();
    o += "ET\n";
}

}  // namespace lecert::pdf
