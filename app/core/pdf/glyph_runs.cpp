// SPDX-License-Identifier: MIT
// Glyph bookkeeping of a Document: which glyphs of which font each subset holds, and text turned
// into runs of subset glyph ids and content-stream operators.
#include <algorithm>

#include "core/pdf/document_impl.h"
#include "core/pdf/pdf_syntax.h"
#include "core/pdf/text_shaping.h"

namespace lecert::pdf {

using namespace detail;

Document::Impl::DocFont& Document::Impl::useFont(int slot) {
    DocFont& df = docFonts[static_cast<std::size_t>(slot)];
    if (!df.used) {
        df.used = true;
        df.newId.assign(ttf(slot)->glyphCount(), 0);
        for (const auto& [g, cp] : fonts->baseGlyphs(static_cast<FontSlot>(slot))) {
            df.newId[g] = static_cast<std::uint16_t>(df.glyphs.size());
            df.glyphs.push_back(g);
            df.unicode.emplace_back(1, cp);
        }
    }
    return df;
}

std::vector<Document::Impl::GlyphRun> Document::Impl::encode(std::u32string_view s, FontFace face) {
    static const char* hex = "0123456789ABCDEF";
    std::vector<GlyphRun> runs;
    auto put = [&](int si, std::uint16_t id, double advance) {
        if (runs.empty() || runs.back().slot != si) runs.push_back(GlyphRun{si, {}, 0});
        GlyphRun& r = runs.back();
        const char h[4] = {hex[(id >> 12) & 0xF], hex[(id >> 8) & 0xF], hex[(id >> 4) & 0xF],
                           hex[id & 0xF]};
        r.hex.append(h, 4);
        r.width += advance;
    };
    for (char32_t c : s) {
        if (FontSet::isPrintableAscii(c)) {
            const auto& a = fonts->ascii(face, c);
            if (a.subsetId) {
                const int si = static_cast<int>(a.slot);
                useFont(si);
                put(si, a.subsetId, a.advance);
                continue;
            }
        }
        if (isInvisible(c)) continue;
        FontSlot slot = fonts->slotFor(c, face);
        char32_t drawn = c;
        if (slot == FontSlot::None) {
            if (std::find(missing.begin(), missing.end(), c) == missing.end()) missing.push_back(c);
            slot = FontSlot::Regular;
            drawn = U' ';
        }
        const int si = static_cast<int>(slot);
        const TrueTypeFont* f = ttf(si);
        const std::uint16_t g = f->glyphFor(drawn);
        DocFont& df = useFont(si);
        std::uint16_t& id = df.newId[g];
        if (id == 0 && g != 0) {
            id = static_cast<std::uint16_t>(df.glyphs.size());
            df.glyphs.push_back(g);
            df.unicode.push_back(searchableText(drawn));
        }
        put(si, id, f->advance(g));
    }
    return runs;
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

void Document::Impl::emitAscii(Canvas& cv, double x, double y, std::string_view s,
                               const TextStyle& st, Align align) {
    if (s.empty()) return;
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

void Document::Impl::emitLine(Canvas& cv, double x, double y, const std::u32string& logical,
                              const TextStyle& st, Align align) {
    std::vector<GlyphRun> runs;
    if (std::none_of(logical.begin(), logical.end(), isRtl))
        runs = encode(logical, st.face);
    else
        runs = encode(visualOrder(logical), st.face);
    double total = 0;
    for (auto& r : runs) total += r.width;
    total *= st.size / 1000.0;
    if (align == Align::Center) x -= total / 2;
    if (align == Align::Right) x -= total;
    if (runs.empty()) return;
    std::string& o = cv.ops;
    o += "BT\n";
    appendColor(o, st.color, false);
    for (auto& r : runs) {
        cv.fontMask |= 1u << r.slot;
        o += "/F";
        o.push_back(static_cast<char>('0' + r.slot));
        o.push_back(' ');
        appendNum(o, st.size);
        o += " Tf 1 0 0 1 ";
        appendNums(o, {x, y});
        o += " Tm <";
        o += r.hex;
        o += "> Tj\n";
        x += r.width * st.size / 1000.0;
    }
    o += "ET\n";
}

}  // namespace lecert::pdf
