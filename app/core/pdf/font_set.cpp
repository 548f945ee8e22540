// SPDX-License-Identifier: MIT
#include "core/pdf/font_set.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include <unicode/uchar.h>

#include "core/util/text.h"

namespace lecert::pdf {

Result<std::shared_ptr<FontSet>> FontSet::create(const FontPaths& paths) {
    std::shared_ptr<FontSet> set(new FontSet());
    auto regular = TrueTypeFont::load(paths.regular);
    if (!regular) return regular.error();
    auto bold = TrueTypeFont::load(paths.bold);
    if (!bold) return bold.error();
    set->m_regular = *regular;
    set->m_bold = *bold;
    set->m_cjkPath = paths.cjk;
    set->precompute();
    return set;
}

void FontSet::precompute() {
    static std::atomic<std::uint64_t> nextId{1};
    m_id = nextId++;
    for (int f = 0; f < 2; ++f) {
        const FontFace face = f ? FontFace::Bold : FontFace::Regular;
        const TrueTypeFont* own = f ? m_bold.get() : m_regular.get();
        for (char32_t cp = 0x20; cp < 0x7F; ++cp)
            if (own->hasGlyph(cp)) {
                const std::uint16_t g = own->glyphFor(cp);
                auto& base = m_base[f];
                if (std::none_of(base.begin(), base.end(),
                                 [g](const auto& e) { return e.first == g; }))
                    base.emplace_back(g, cp);
            }
        for (char32_t cp = 0x20; cp < 0x7F; ++cp) {
            AsciiGlyph& a = m_ascii[f][cp - 0x20];
            a.slot = slotFor(cp, face);
            if (a.slot != FontSlot::Regular && a.slot != FontSlot::Bold) continue;
            const TrueTypeFont* tf = a.slot == FontSlot::Bold ? m_bold.get() : m_regular.get();
            a.glyph = tf->glyphFor(cp);
            a.advance = tf->advance(a.glyph);
            const auto& base = m_base[a.slot == FontSlot::Bold ? 1 : 0];
            for (std::size_t i = 0; i < base.size(); ++i)
                if (base[i].first == a.glyph) a.subsetId = static_cast<std::uint16_t>(i + 1);
        }
    }
}

const std::vector<std::pair<std::uint16_t, char32_t>>& FontSet::baseGlyphs(FontSlot slot) const {
    static const std::vector<std::pair<std::uint16_t, char32_t>> none;
    if (slot == FontSlot::Regular) return m_base[0];
    if (slot == FontSlot::Bold) return m_base[1];
    return none;
}

std::shared_ptr<FontSet> FontSet::shared() {
    static const std::shared_ptr<FontSet> instance = [] {
        FontPaths paths;
        // Lets packagers and tests point at other copies of the same fonts.
        if (const char* dir = std::getenv("LECERT_FONT_DIR"); dir && *dir) {
            const std::string d(dir);
            paths.regular = d + "/DejaVuSans.ttf";
            paths.bold = d + "/DejaVuSans-Bold.ttf";
            paths.cjk = d + "/DroidSansFallbackFull.ttf";
        }
        auto r = create(paths);
        return r ? *r : std::shared_ptr<FontSet>();
    }();
    return instance;
}

const TrueTypeFont* FontSet::font(FontSlot slot) const {
    switch (slot) {
        case FontSlot::Regular:
            return m_regular.get();
        case FontSlot::Bold:
            return m_bold.get();
        case FontSlot::Cjk:
            std::call_once(m_cjkOnce, [this] {
                auto r = TrueTypeFont::load(m_cjkPath);
                if (r) m_cjk = *r;
            });
            return m_cjk.get();
        case FontSlot::None:
            break;
    }
    return nullptr;
}

bool isInvisible(char32_t cp) {
    if (cp >= 0x20 && cp < 0x7F) return false;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return true;
    return u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0;
}

FontSlot FontSet::slotFor(char32_t cp, FontFace face) const {
    if (face == FontFace::Bold && m_bold->hasGlyph(cp)) return FontSlot::Bold;
    if (m_regular->hasGlyph(cp)) return FontSlot::Regular;
    // CJK fallback only for characters outside the scripts DejaVu covers, so the large
    // font is not loaded for, say, a stray control character.
    if (cp >= 0x2E80) {
        const TrueTypeFont* cjk = font(FontSlot::Cjk);
        if (cjk && cjk->hasGlyph(cp)) return FontSlot::Cjk;
    }
    if (isInvisible(cp)) return FontSlot::Regular;
    return FontSlot::None;
}

std::vector<char32_t> FontSet::undrawable(std::string_view utf8) const {
    std::vector<char32_t> out;
    // Fast path: printable ASCII that the regular font has (the common case for every field).
    if (std::all_of(utf8.begin(), utf8.end(), [this](char c) {
            const auto u = static_cast<unsigned char>(c);
            if (u == '\n' || u == '\r' || u == '\t') return true;  // never drawn
            return isPrintableAscii(u) && m_ascii[0][u - 0x20].slot != FontSlot::None;
        }))
        return out;
    for (char32_t cp : text::toCodePoints(utf8)) {
        if (slotFor(cp, FontFace::Regular) != FontSlot::None) continue;
        if (std::find(out.begin(), out.end(), cp) == out.end()) out.push_back(cp);
    }
    return out;
}

std::vector<char32_t> undrawableCharacters(std::string_view utf8) {
    auto set = FontSet::shared();
    if (!set) return {};  // fonts missing: document creation reports that, not the validator
    return set->undrawable(utf8);
}

}  // namespace lecert::pdf

namespace lecert {

const Printability* defaultPrintability() {
    return pdf::FontSet::shared().get();  // the process-wide set lives until exit
}

}  // namespace lecert
