// SPDX-License-Identifier: MIT
#include "core/pdf/text_shaping.h"

#include <algorithm>
#include <unordered_map>

#include <hb.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include "core/util/text.h"

namespace lecert::pdf::detail {

bool isRtl(char32_t cp) {
    if (cp < 0x0590) return false;  // Latin, Greek, Cyrillic...: no right-to-left characters
    const auto d = u_charDirection(static_cast<UChar32>(cp));
    return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

bool startsRightToLeft(std::u32string_view s) {
    for (char32_t c : s) {
        if (c < 0x80 && !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) continue;
        const auto d = u_charDirection(static_cast<UChar32>(c));
        if (d == U_LEFT_TO_RIGHT) return false;
        if (d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC) return true;
    }
    return false;
}

bool breaksAnywhere(char32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

namespace {

icu::UnicodeString toUnicodeString(std::u32string_view s) {
    return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()),
                                         static_cast<int32_t>(s.size()));
}

struct Run {
    std::size_t begin = 0, end = 0;  // characters of the line, logical order
    bool rtl = false;
};

// The line's bidi runs in visual order (one LTR run when nothing is right to left).
std::vector<Run> bidiRuns(std::u32string_view line, bool& paragraphRtl) {
    paragraphRtl = false;
    if (std::none_of(line.begin(), line.end(), isRtl)) return {Run{0, line.size(), false}};
    const icu::UnicodeString src = toUnicodeString(line);
    // UTF-16 index -> character index.
    std::vector<std::size_t> charAt(static_cast<std::size_t>(src.length()) + 1, line.size());
    for (std::size_t i = 0, u = 0; i < line.size(); ++i) {
        charAt[u] = i;
        u += line[i] > 0xFFFF ? 2 : 1;
    }
    UErrorCode ec = U_ZERO_ERROR;
    UBiDi* bidi = ubidi_openSized(src.length(), 0, &ec);
    std::vector<Run> runs;
    if (U_SUCCESS(ec))
        ubidi_setPara(bidi, src.getBuffer(), src.length(), UBIDI_DEFAULT_LTR, nullptr, &ec);
    const int32_t n = U_SUCCESS(ec) ? ubidi_countRuns(bidi, &ec) : 0;
    if (U_SUCCESS(ec)) paragraphRtl = ubidi_getParaLevel(bidi) % 2 == 1;
    for (int32_t i = 0; U_SUCCESS(ec) && i < n; ++i) {
        int32_t start = 0, length = 0;
        const UBiDiDirection d = ubidi_getVisualRun(bidi, i, &start, &length);
        runs.push_back({charAt[static_cast<std::size_t>(start)],
                        charAt[static_cast<std::size_t>(start) + static_cast<std::size_t>(length)],
                        d == UBIDI_RTL});
    }
    if (bidi) ubidi_close(bidi);
    if (U_FAILURE(ec) || runs.empty()) return {Run{0, line.size(), false}};
    return runs;
}

// Script of each character; Common and Inherited ones (spaces, digits, marks) take the script
// of the text around them so they are shaped with it.
std::vector<int> scripts(std::u32string_view line, const Run& r) {
    std::vector<int> sc(r.end - r.begin, USCRIPT_COMMON);
    int last = -1;
    for (std::size_t i = r.begin; i < r.end; ++i) {
        UErrorCode ec = U_ZERO_ERROR;
        int s = uscript_getScript(static_cast<UChar32>(line[i]), &ec);
        if (U_FAILURE(ec)) s = USCRIPT_COMMON;
        if (s == USCRIPT_COMMON || s == USCRIPT_INHERITED) s = last;
        sc[i - r.begin] = s;
        if (s >= 0) last = s;
    }
    int next = last < 0 ? USCRIPT_COMMON : last;
    for (std::size_t k = sc.size(); k-- > 0;) {
        if (sc[k] < 0)
            sc[k] = next;
        else
            next = sc[k];
    }
    return sc;
}

bool isMark(char32_t cp) {
    const auto t = u_charType(static_cast<UChar32>(cp));
    return t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK || t == U_COMBINING_SPACING_MARK;
}

struct Item {
    std::size_t begin = 0, end = 0;
    FontSlot slot = FontSlot::Regular;
    int script = USCRIPT_COMMON;
    bool missing = false;
};

// Splits a run into items of one script and one font. A mark or an invisible joiner stays with
// the font of the character before it when that font has it, so clusters are not split.
std::vector<Item> items(const FontSet& fonts, std::u32string_view line, const Run& r,
                        FontFace face) {
    const std::vector<int> sc = scripts(line, r);
    std::vector<Item> out;
    for (std::size_t i = r.begin; i < r.end; ++i) {
        const char32_t c = line[i];
        const int s = sc[i - r.begin];
        FontSlot slot = FontSlot::None;
        if (!out.empty() && !out.back().missing && (isMark(c) || isInvisible(c))) {
            const TrueTypeFont* prev = fonts.font(out.back().slot);
            if (isInvisible(c) || (prev && prev->hasGlyph(c))) slot = out.back().slot;
        }
        if (slot == FontSlot::None) slot = fonts.slotFor(c, face, s);
        bool missing = slot == FontSlot::None || !fonts.font(slot) ||
                       (!isInvisible(c) && !fonts.font(slot)->hasGlyph(c));
        if (missing) slot = FontSlot::Regular;
        if (!out.empty() && out.back().slot == slot && out.back().script == s &&
            out.back().missing == missing && !missing) {
            out.back().end = i + 1;
            continue;
        }
        out.push_back({i, i + 1, slot, s, missing});
    }
    return out;
}

hb_script_t hbScript(int script) {
    const char* code = uscript_getShortName(static_cast<UScriptCode>(script));
    if (!code) return HB_SCRIPT_COMMON;
    return hb_script_from_string(code, -1);
}

void shapeItem(const FontSet& fonts, std::u32string_view line, const Item& it, bool rtl,
               std::vector<ShapedGlyph>& out) {
    const TrueTypeFont* f = fonts.font(it.slot);
    if (!f) return;  // the faces could not be read: Document::write() reports it
    if (it.missing) {
        // Drawn as a blank of the regular face; the caller reports the character.
        const std::uint16_t space = f->glyphFor(U' ');
        for (std::size_t i = it.begin; i < it.end; ++i) {
            ShapedGlyph g;
            g.slot = it.slot;
            g.glyph = space;
            g.advance = f->advance(space);
            g.first = static_cast<std::uint32_t>(i);
            g.last = static_cast<std::uint32_t>(i + 1);
            g.missing = true;
            g.rtl = rtl;
            out.push_back(g);
        }
        return;
    }
    // One buffer per thread, reused (and freed when the thread ends).
    struct Buffer {
        hb_buffer_t* b = hb_buffer_create();
        ~Buffer() { hb_buffer_destroy(b); }
    };
    static thread_local Buffer holder;
    hb_buffer_t* buf = holder.b;
    hb_buffer_clear_contents(buf);
    // The whole line is context (Arabic joins across a font change); only the item is shaped.
    hb_buffer_add_utf32(buf, reinterpret_cast<const std::uint32_t*>(line.data()),
                        static_cast<int>(line.size()), static_cast<unsigned>(it.begin),
                        static_cast<int>(it.end - it.begin));
    hb_buffer_set_direction(buf, rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(buf, hbScript(it.script));
    // A fixed language: output must not depend on the machine's locale.
    hb_buffer_set_language(buf, hb_language_from_string("und", -1));
    hb_buffer_set_cluster_level(buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES);
    hb_shape(f->hbFont(), buf, nullptr, 0);
    unsigned n = 0;
    const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
    const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, nullptr);
    // Cluster values of the item, sorted: a cluster ends where the next one starts.
    std::vector<std::uint32_t> starts;
    starts.reserve(n + 1);
    for (unsigned i = 0; i < n; ++i) starts.push_back(info[i].cluster);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    starts.push_back(static_cast<std::uint32_t>(it.end));
    const double k = f->scale();
    for (unsigned i = 0; i < n; ++i) {
        ShapedGlyph g;
        g.slot = it.slot;
        g.glyph = static_cast<std::uint16_t>(std::min<hb_codepoint_t>(info[i].codepoint, 0xFFFF));
        g.advance = pos[i].x_advance * k;
        g.xOffset = pos[i].x_offset * k;
        g.yOffset = pos[i].y_offset * k;
        g.first = info[i].cluster;
        g.last = *std::upper_bound(starts.begin(), starts.end(), g.first);
        g.rtl = rtl;
        out.push_back(g);
    }
}

}  // namespace

std::u32string visualOrder(const std::u32string& line) {
    bool rtl = false;
    std::u32string out;
    for (const Run& r : bidiRuns(line, rtl)) {
        std::u32string piece = line.substr(r.begin, r.end - r.begin);
        if (r.rtl) std::reverse(piece.begin(), piece.end());
        out += piece;
    }
    return out;
}

std::u32string prepare(std::string_view utf8) {
    std::u32string cps = text::toCodePoints(utf8);
    std::u32string out;
    out.reserve(cps.size());
    for (char32_t c : cps) {
        if (c == U'\r') continue;
        out.push_back(c == U'\t' ? U' ' : c);
    }
    return out;
}

ShapedLine shapeLine(const FontSet& fonts, std::u32string_view line, FontFace face) {
    // Labels, headings and the cover's fixed text repeat in every record: a batch worker shapes
    // each once. Per thread, keyed by font set, face and text; bounded by its bytes (a line
    // that holds a record's text is shaped once and never again, and was what made a batch's
    // memory grow), cleared when full.
    struct Memo {
        std::unordered_map<std::u32string, ShapedLine> lines;
        std::size_t bytes = 0;
    };
    static thread_local Memo memo;
    constexpr std::size_t kMaxBytes = 1u << 20;
    std::u32string key;
    key.reserve(line.size() + 3);
    const std::uint64_t id = fonts.id();
    key.push_back(static_cast<char32_t>(id & 0xFFFFFFFF));
    key.push_back(static_cast<char32_t>(id >> 32));
    key.push_back(face == FontFace::Bold ? U'b' : U'r');
    key.append(line);
    if (auto it = memo.lines.find(key); it != memo.lines.end()) return it->second;
    ShapedLine out;
    for (const Run& r : bidiRuns(line, out.rtl)) {
        std::vector<Item> its = items(fonts, line, r, face);
        // Items of a right-to-left run are drawn last first.
        if (r.rtl) std::reverse(its.begin(), its.end());
        for (const Item& it : its) shapeItem(fonts, line, it, r.rtl, out.glyphs);
    }
    for (const ShapedGlyph& g : out.glyphs) out.width += g.advance;
    const std::size_t cost =
        key.size() * sizeof(char32_t) + out.glyphs.size() * sizeof(ShapedGlyph) + 96;
    if (memo.bytes + cost > kMaxBytes) {
        memo.lines.clear();
        memo.bytes = 0;
    }
    memo.bytes += cost;
    memo.lines.emplace(std::move(key), out);
    return out;
}

}  // namespace lecert::pdf::detail
