// SPDX-License-Identifier: MIT
#include "core/pdf/document.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <openssl/sha.h>
#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4
#endif
#include <unicode/normalizer2.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ushape.h>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/Pl_String.hh>

#include "core/util/text.h"

namespace lecert::pdf {

namespace {

constexpr int kSlots = 3;  // Regular, Bold, Cjk

// Locale-independent, deterministic number formatting for content streams: at most two
// decimals, no trailing zeros ("12", "12.5", "-0.25"). Appends to `out` (no temporaries: a form
// page formats thousands of numbers).
void appendNum(std::string& out, double v) {
    const double r = v * 100;
    if (!(std::fabs(r) < 9e15)) {  // huge or not finite: never happens with page coordinates
        char buf[64];
        auto res = std::to_chars(buf, buf + sizeof buf, std::isfinite(v) ? v : 0.0,
                                 std::chars_format::fixed, 2);
        out.append(buf, res.ptr);
        return;
    }
    // Rounded half away from zero, as std::round (r - t is exact below 2^52).
    long long n = static_cast<long long>(r);
    const double frac = r - static_cast<double>(n);
    if (frac >= 0.5)
        ++n;
    else if (frac <= -0.5)
        --n;
    if (n == 0) {
        out.push_back('0');
        return;
    }
    char buf[32];
    char* end = buf + sizeof buf;
    char* p = end;
    const bool negative = n < 0;
    unsigned long long u =
        negative ? 0ull - static_cast<unsigned long long>(n) : static_cast<unsigned long long>(n);
    const unsigned frac2 = static_cast<unsigned>(u % 100);
    u /= 100;
    if (frac2) {
        if (frac2 % 10) *--p = static_cast<char>('0' + frac2 % 10);
        *--p = static_cast<char>('0' + frac2 / 10);
        *--p = '.';
    }
    do {
        *--p = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u);
    if (negative) *--p = '-';
    out.append(p, static_cast<std::size_t>(end - p));
}

std::string num(double v) {
    std::string s;
    appendNum(s, v);
    return s;
}

// Appends the numbers separated by single spaces.
void appendNums(std::string& out, std::initializer_list<double> vs) {
    bool first = true;
    for (double v : vs) {
        if (!first) out.push_back(' ');
        first = false;
        appendNum(out, v);
    }
}

void appendColor(std::string& out, const Color& c, bool stroke) {
    appendNums(out, {c.r, c.g, c.b});
    out += stroke ? " RG\n" : " rg\n";
}

bool isRtl(char32_t cp) {
    if (cp < 0x0590) return false;  // Latin, Greek, Cyrillic...: no right-to-left characters
    const auto d = u_charDirection(static_cast<UChar32>(cp));
    return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

bool isArabic(char32_t cp) {
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0x08A0 && cp <= 0x08FF);
}

// Characters after which a line may break without a space (CJK ideographs, kana, hangul).
bool breaksAnywhere(char32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF);
}

icu::UnicodeString toUnicodeString(std::u32string_view s) {
    return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()),
                                         static_cast<int32_t>(s.size()));
}

std::u32string toU32(const icu::UnicodeString& u) {
    std::u32string out(static_cast<std::size_t>(u.countChar32()), U'\0');
    UErrorCode ec = U_ZERO_ERROR;
    u.toUTF32(reinterpret_cast<UChar32*>(out.data()), static_cast<int32_t>(out.size()), ec);
    return out;
}

// Arabic letters -> contextual presentation forms, still in logical order.
std::u32string shapeArabic(std::u32string s) {
    if (std::none_of(s.begin(), s.end(), isArabic)) return s;
    icu::UnicodeString src = toUnicodeString(s);
    std::vector<UChar> dst(static_cast<std::size_t>(src.length()) * 2 + 8);
    UErrorCode ec = U_ZERO_ERROR;
    const int32_t n =
        u_shapeArabic(src.getBuffer(), src.length(), dst.data(), static_cast<int32_t>(dst.size()),
                      U_SHAPE_LETTERS_SHAPE | U_SHAPE_TEXT_DIRECTION_LOGICAL, &ec);
    if (U_FAILURE(ec)) return s;
    return toU32(icu::UnicodeString(dst.data(), n));
}

// One line in logical order -> visual (left-to-right drawing) order.
std::u32string visualOrder(const std::u32string& line) {
    if (std::none_of(line.begin(), line.end(), isRtl)) return line;
    icu::UnicodeString src = toUnicodeString(line);
    UErrorCode ec = U_ZERO_ERROR;
    UBiDi* bidi = ubidi_openSized(src.length(), 0, &ec);
    if (U_FAILURE(ec)) return line;
    ubidi_setPara(bidi, src.getBuffer(), src.length(), UBIDI_DEFAULT_LTR, nullptr, &ec);
    std::vector<UChar> dst(static_cast<std::size_t>(src.length()) * 2 + 8);
    int32_t n = 0;
    if (U_SUCCESS(ec))
        n = ubidi_writeReordered(bidi, dst.data(), static_cast<int32_t>(dst.size()),
                                 UBIDI_DO_MIRRORING | UBIDI_REMOVE_BIDI_CONTROLS, &ec);
    ubidi_close(bidi);
    if (U_FAILURE(ec)) return line;
    return toU32(icu::UnicodeString(dst.data(), n));
}

// Text as lecert draws it: tabs become spaces, CR dropped, Arabic shaped (logical order).
std::u32string prepare(std::string_view utf8) {
    std::u32string cps = text::toCodePoints(utf8);
    std::u32string out;
    out.reserve(cps.size());
    for (char32_t c : cps) {
        if (c == U'\r') continue;
        out.push_back(c == U'\t' ? U' ' : c);
    }
    return shapeArabic(std::move(out));
}

std::string utf16beHex(std::u32string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    auto put = [&](unsigned v) {
        for (int sh = 12; sh >= 0; sh -= 4) out.push_back(hex[(v >> sh) & 0xF]);
    };
    for (char32_t c : s) {
        if (c >= 0x10000) {
            const unsigned v = static_cast<unsigned>(c) - 0x10000;
            put(0xD800 + (v >> 10));
            put(0xDC00 + (v & 0x3FF));
        } else {
            put(static_cast<unsigned>(c));
        }
    }
    return out;
}

// ---- PDF syntax (the file is written directly; see PdfOut below) ----

// A text string: literal (...) when it is plain ASCII, else UTF-16BE with a byte order mark.
void appendTextString(std::string& out, std::string_view utf8) {
    const bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t';
    });
    if (ascii) {
        out.push_back('(');
        for (char c : utf8) {
            switch (c) {
                case '(':
                    out += "\\(";
                    break;
                case ')':
                    out += "\\)";
                    break;
                case '\\':
                    out += "\\\\";
                    break;
                case '\n':
                    out += "\\n";
                    break;
                case '\r':
                    out += "\\r";
                    break;
                case '\t':
                    out += "\\t";
                    break;
                default:
                    out.push_back(c);
            }
        }
        out.push_back(')');
        return;
    }
    out += "<FEFF";
    out += utf16beHex(text::toCodePoints(utf8));
    out.push_back('>');
}

std::string textString(std::string_view utf8) {
    std::string s;
    appendTextString(s, utf8);
    return s;
}

// A name object: "/" + the bytes, delimiters and non-printable bytes as #xx.
void appendName(std::string& out, std::string_view name) {
    static const char* hex = "0123456789ABCDEF";
    out.push_back('/');
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7F || std::strchr("()<>[]{}/%#", ch)) {
            out.push_back('#');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        } else {
            out.push_back(ch);
        }
    }
}

std::string nameOf(std::string_view name) {
    std::string s;
    appendName(s, name);
    return s;
}

std::string ref(int obj) {
    return std::to_string(obj) + " 0 R";
}

std::string rectArray(const Rect& r) {
    std::string s = "[";
    appendNums(s, {r.x, r.y, r.x + r.w, r.y + r.h});
    s.push_back(']');
    return s;
}

// PDF date from "YYYY-MM-DD" (UTC midnight); anything else gives the fixed default.
std::string pdfDate(const std::string& iso) {
    std::string d = "20000101";
    if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-') {
        const std::string digits = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
        if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
            d = digits;
    }
    return "D:" + d + "000000Z";
}

}  // namespace

// ---------------------------------------------------------------------------------------
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

    // The subset of a slot, set up on first use.
    DocFont& useFont(int slot) {
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

    // Width of visual-order text in 1/1000 em.
    double measure(std::u32string_view s, FontFace face) const {
        double w = 0;
        for (char32_t c : s) {
            if (FontSet::isPrintableAscii(c)) {
                const auto& a = fonts->ascii(face, c);
                if (a.glyph) {
                    w += a.advance;
                    continue;
                }
            }
            if (isInvisible(c)) continue;
            const FontSlot slot = fonts->slotFor(c, face);
            if (slot == FontSlot::None) {
                w += ttf(0)->advance(ttf(0)->glyphFor(U' '));
                continue;
            }
            const TrueTypeFont* f = ttf(static_cast<int>(slot));
            w += f->advance(f->glyphFor(c));
        }
        return w;
    }

    std::u32string toUnicodeText(char32_t c) {
        // Presentation forms map back to their letters so extracted text is searchable.
        if ((c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF)) {
            UErrorCode ec = U_ZERO_ERROR;
            const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(ec);
            if (U_SUCCESS(ec)) {
                icu::UnicodeString out = nfkc->normalize(toUnicodeString(std::u32string(1, c)), ec);
                if (U_SUCCESS(ec) && out.length() > 0) return toU32(out);
            }
        }
        return std::u32string(1, c);
    }

    // Visual-order text -> runs of subset glyph ids per font.
    std::vector<GlyphRun> encode(std::u32string_view s, FontFace face) {
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
                if (std::find(missing.begin(), missing.end(), c) == missing.end())
                    missing.push_back(c);
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
                df.unicode.push_back(toUnicodeText(drawn));
            }
            put(si, id, f->advance(g));
        }
        return runs;
    }

    // True when every character of `s` is printable ASCII drawn from a base glyph of `face`
    // (fixed subset ids): such text is measured and drawn straight from the bytes.
    bool isBaseAscii(std::string_view s, FontFace face) const {
        for (char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            if (!FontSet::isPrintableAscii(c) || !fonts->ascii(face, c).subsetId) return false;
        }
        return true;
    }
    double measureAscii(std::string_view s, FontFace face) const {
        double w = 0;
        for (char ch : s) w += fonts->ascii(face, static_cast<unsigned char>(ch)).advance;
        return w;
    }
    // emitLine for text that passes isBaseAscii (same operators, same bytes).
    void emitAscii(Canvas& cv, double x, double y, std::string_view s, const TextStyle& st,
                   Align align) {
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
                const char h[4] = {hex[(id >> 12) & 0xF], hex[(id >> 8) & 0xF],
                                   hex[(id >> 4) & 0xF], hex[id & 0xF]};
                o.append(h, 4);
                w += a.advance;
            }
            o += "> Tj\n";
            x += w * st.size / 1000.0;
        }
        o += "ET\n";
    }

    // Emits one line (logical order) at (x, baseline y) into a canvas.
    void emitLine(Canvas& cv, double x, double y, const std::u32string& logical,
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

    // Greedy wrap of prepared (shaped, logical) text; returns logical lines.
    std::vector<std::u32string> wrap(const std::u32string& s, double width,
                                     const TextStyle& st) const {
        std::vector<std::u32string> lines;
        const double scale = st.size / 1000.0;
        std::size_t start = 0;
        while (start <= s.size()) {
            std::size_t nl = s.find(U'\n', start);
            if (nl == std::u32string::npos) nl = s.size();
            std::u32string para = s.substr(start, nl - start);
            // Wrap this paragraph.
            std::u32string line;
            double lineW = 0;
            std::size_t i = 0;
            while (i < para.size()) {
                // Next token: a word with its trailing spaces, or one CJK character.
                std::size_t j = i;
                if (breaksAnywhere(para[j])) {
                    ++j;
                } else {
                    while (j < para.size() && para[j] != U' ' && !breaksAnywhere(para[j])) ++j;
                }
                while (j < para.size() && para[j] == U' ') ++j;
                std::u32string tok = para.substr(i, j - i);
                std::u32string trimmed = tok;
                while (!trimmed.empty() && trimmed.back() == U' ') trimmed.pop_back();
                const double tokW = measure(tok, st.face) * scale;
                const double trimW = measure(trimmed, st.face) * scale;
                if (lineW + trimW <= width || line.empty()) {
                    if (line.empty() && trimW > width) {
                        // A word longer than the line: break it between characters.
                        std::size_t k = 0;
                        std::u32string piece;
                        double pw = 0;
                        for (; k < trimmed.size(); ++k) {
                            const double cw =
                                measure(std::u32string_view(&trimmed[k], 1), st.face) * scale;
                            if (pw + cw > width && !piece.empty()) {
                                lines.push_back(piece);
                                piece.clear();
                                pw = 0;
                            }
                            piece.push_back(trimmed[k]);
                            pw += cw;
                        }
                        line = piece + tok.substr(trimmed.size());
                        lineW = measure(line, st.face) * scale;
                    } else {
                        line += tok;
                        lineW += tokW;
                    }
                    i = j;
                } else {
                    while (!line.empty() && line.back() == U' ') line.pop_back();
                    lines.push_back(line);
                    line.clear();
                    lineW = 0;
                }
            }
            while (!line.empty() && line.back() == U' ') line.pop_back();
            lines.push_back(line);
            start = nl + 1;
        }
        return lines;
    }

    Canvas& canvasOf(int page) {
        if (page < 0 || page >= static_cast<int>(pages.size())) {
            static thread_local Canvas sink;  // drawing on a missing page is ignored
            sink = {};
            return sink;
        }
        return pages[static_cast<std::size_t>(page)].canvas;
    }

    // Closed path of a circle (four Bezier arcs).
    static void appendCirclePath(std::string& o, double cx, double cy, double r) {
        const double k = 0.5523 * r;
        appendNums(o, {cx + r, cy});
        o += " m ";
        appendNums(o, {cx + r, cy + k, cx + k, cy + r, cx, cy + r});
        o += " c ";
        appendNums(o, {cx - k, cy + r, cx - r, cy + k, cx - r, cy});
        o += " c ";
        appendNums(o, {cx - r, cy - k, cx - k, cy - r, cx, cy - r});
        o += " c ";
        appendNums(o, {cx + k, cy - r, cx + r, cy - k, cx + r, cy});
        o += " c\n";
    }

    Canvas textAppearance(const Rect& r, const std::string& value, bool multiline,
                          double fontSize) {
        Canvas cv;
        cv.ops = "/Tx BMC\nq 1 1 ";
        appendNums(cv.ops, {std::max(0.0, r.w - 2), std::max(0.0, r.h - 2)});
        cv.ops += " re W n\n";
        const TrueTypeFont* reg = ttf(0);
        if (!multiline && isBaseAscii(value, FontFace::Regular)) {
            // The usual case: a short ASCII value, drawn without conversions.
            TextStyle st;
            double size = fontSize > 0 ? fontSize : std::min(10.0, std::max(6.0, (r.h - 3) / 1.15));
            const double avail = r.w - 5;
            const double w1000 = measureAscii(value, FontFace::Regular);
            if (fontSize <= 0 && w1000 * size / 1000.0 > avail && w1000 > 0)
                size = std::max(6.0, avail * 1000.0 / w1000);
            st.size = size;
            const double asc = reg->ascent() * size / 1000.0, desc = reg->descent() * size / 1000.0;
            const double baseline = (r.h - (asc - desc)) / 2 - desc;
            emitAscii(cv, 2.5, baseline, value, st, Align::Left);
            cv.ops += "Q\nEMC\n";
            return cv;
        }
        const std::u32string s = prepare(value);
        TextStyle st;
        if (!multiline) {
            double size = fontSize > 0 ? fontSize : std::min(10.0, std::max(6.0, (r.h - 3) / 1.15));
            std::u32string line = s;
            std::replace(line.begin(), line.end(), U'\n', U' ');
            const double avail = r.w - 5;
            const double w1000 = measure(visualOrder(line), FontFace::Regular);
            if (fontSize <= 0 && w1000 * size / 1000.0 > avail && w1000 > 0)
                size = std::max(6.0, avail * 1000.0 / w1000);
            st.size = size;
            const double asc = reg->ascent() * size / 1000.0, desc = reg->descent() * size / 1000.0;
            const double baseline = (r.h - (asc - desc)) / 2 - desc;
            emitLine(cv, 2.5, baseline, line, st, Align::Left);
        } else {
            st.size = fontSize > 0 ? fontSize : 9;
            const double asc = reg->ascent() * st.size / 1000.0;
            double y = r.h - 2 - asc;
            for (const auto& line : wrap(s, r.w - 5, st)) {
                if (y < 0) break;
                emitLine(cv, 2.5, y, line, st, Align::Left);
                y -= Document::lineHeight(st.size);
            }
        }
        cv.ops += "Q\nEMC\n";
        return cv;
    }

    // The whole file (see PdfOut); page canvases are copies that the watermark and flattening
    // extend.
    std::string write(const WriteOptions& opt, std::vector<Canvas>& pageCanvases);
};

// ---------------------------------------------------------------------------------------
Document::Document(std::shared_ptr<const FontSet> fonts) : m(std::make_unique<Impl>()) {
    m->fonts = std::move(fonts);
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
    // Wrap the shaped text, but hand back the caller's own characters: shaping maps letters
    // one to one except lam-alef ligatures, so wrap the unshaped text when lengths differ.
    std::u32string raw = text::toCodePoints(utf8);
    raw.erase(std::remove(raw.begin(), raw.end(), U'\r'), raw.end());
    std::replace(raw.begin(), raw.end(), U'\t', U' ');
    const std::u32string shaped = shapeArabic(raw);
    const bool sameLength = shaped.size() == raw.size();
    auto lines = m->wrap(sameLength ? shaped : raw, width, style);
    std::size_t pos = 0;
    for (const auto& l : lines) {
        if (!sameLength) {
            out.push_back(text::fromCodePoints(l));
            continue;
        }
        // Find this line's span in the raw text (wrap only drops spaces and newlines).
        while (pos < raw.size() && (raw[pos] == U' ' || raw[pos] == U'\n') && !l.empty() &&
               shaped[pos] != l[0])
            ++pos;
        std::u32string piece = raw.substr(std::min(pos, raw.size()), l.size());
        out.push_back(text::fromCodePoints(piece));
        pos += l.size();
        while (pos < raw.size() && (raw[pos] == U' ' || raw[pos] == U'\n')) {
            const bool nl = raw[pos] == U'\n';
            ++pos;
            if (nl) break;
        }
    }
    return out;
}

double Document::ascent(double size) const {
    return m->ttf(0)->ascent() * size / 1000.0;
}
double Document::descent(double size) const {
    return m->ttf(0)->descent() * size / 1000.0;
}

void Document::drawText(int page, double x, double y, std::string_view utf8, const TextStyle& style,
                        Align align) {
    if (m->isBaseAscii(utf8, style.face)) {
        m->emitAscii(m->canvasOf(page), x, y, utf8, style, align);
        return;
    }
    std::u32string s = prepare(utf8);
    std::replace(s.begin(), s.end(), U'\n', U' ');
    m->emitLine(m->canvasOf(page), x, y, s, style, align);
}

int Document::drawParagraph(int page, const Rect& box, std::string_view utf8,
                            const TextStyle& style, Align align) {
    const auto lines = m->wrap(prepare(utf8), box.w, style);
    double y = box.top() - ascent(style.size);
    int drawn = 0;
    for (const auto& l : lines) {
        if (y < box.y - 0.01) break;
        double x = box.x;
        if (align == Align::Center) x += box.w / 2;
        if (align == Align::Right) x += box.w;
        m->emitLine(m->canvasOf(page), x, y, l, style, align);
        y -= lineHeight(style.size);
        ++drawn;
    }
    return drawn;
}

void Document::fillRect(int page, const Rect& r, const Color& fill) {
    std::string& o = m->canvasOf(page).ops;
    o += "q ";
    appendColor(o, fill, false);
    appendNums(o, {r.x, r.y, r.w, r.h});
    o += " re f Q\n";
}

void Document::strokeRect(int page, const Rect& r, double lineWidth, const Color& stroke) {
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
                            std::string_view value, bool multiline, double fontSize) {
    // The box itself is page content, so flattened and interactive output look the same.
    fillRect(page, r, {1, 1, 1});
    strokeRect(page, r, 0.6, {0.25, 0.25, 0.25});
    Impl::Field f;
    f.kind = Impl::Kind::Text;
    f.name = name;
    f.value = std::string(value);
    f.multiline = multiline;
    Impl::Widget w;
    w.page = page;
    w.rect = r;
    w.states.emplace_back("", m->textAppearance(r, f.value, multiline, fontSize));
    f.widgets.push_back(std::move(w));
    m->fields.push_back(std::move(f));
}

void Document::addComboBox(int page, const Rect& r, const std::string& name,
                           const std::string& value, const std::vector<std::string>& options) {
    addTextField(page, r, name, value, false, 0);
    m->fields.back().kind = Impl::Kind::Combo;
    m->fields.back().options = options;
}

void Document::addCheckBox(int page, const Rect& r, const std::string& name, bool checked) {
    fillRect(page, r, {1, 1, 1});
    strokeRect(page, r, 0.8, {0.1, 0.1, 0.1});
    Impl::Field f;
    f.kind = Impl::Kind::CheckBox;
    f.name = name;
    f.value = checked ? "Yes" : "Off";
    Impl::Widget w;
    w.page = page;
    w.rect = r;
    Impl::Canvas on;
    const double s = std::min(r.w, r.h);
    on.ops = "q 0 0 0 RG " + num(s * 0.13) + " w 1 J 1 j " + num(r.w * 0.2) + " " +
             num(r.h * 0.52) + " m " + num(r.w * 0.42) + " " + num(r.h * 0.24) + " l " +
             num(r.w * 0.8) + " " + num(r.h * 0.8) + " l S Q\n";
    w.states.emplace_back("Yes", on);
    w.states.emplace_back("Off", Impl::Canvas{});
    w.state = f.value;
    f.widgets.push_back(std::move(w));
    m->fields.push_back(std::move(f));
}

void Document::addRadioGroup(const std::string& name, const std::vector<RadioButton>& buttons,
                             const std::string& selected) {
    Impl::Field f;
    f.kind = Impl::Kind::Radio;
    f.name = name;
    f.value = "Off";
    for (const auto& b : buttons) {
        const Rect& r = b.rect;
        const double rad = std::min(r.w, r.h) / 2;
        auto& page = m->canvasOf(b.page);
        page.ops += "q 1 1 1 rg 0.1 0.1 0.1 RG 0.8 w ";
        Impl::appendCirclePath(page.ops, r.x + r.w / 2, r.y + r.h / 2, rad - 0.4);
        page.ops += "B Q\n";
        Impl::Widget w;
        w.page = b.page;
        w.rect = r;
        Impl::Canvas on;
        on.ops = "q 0 g ";
        Impl::appendCirclePath(on.ops, r.w / 2, r.h / 2, rad * 0.5);
        on.ops += "f Q\n";
        w.states.emplace_back(b.exportValue, on);
        w.states.emplace_back("Off", Impl::Canvas{});
        w.state = (b.exportValue == selected && !selected.empty()) ? b.exportValue : "Off";
        if (w.state != "Off") f.value = w.state;
        f.widgets.push_back(std::move(w));
    }
    m->fields.push_back(std::move(f));
}

const std::vector<char32_t>& Document::missingCharacters() const {
    return m->missing;
}

// ---------------------------------------------------------------------------------------
namespace {

std::string subsetTag(const std::vector<std::uint16_t>& glyphs, int slot) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    std::string bytes(reinterpret_cast<const char*>(glyphs.data()),
                      glyphs.size() * sizeof(std::uint16_t));
    bytes.push_back(static_cast<char>(slot));
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
    std::string tag;
    for (int i = 0; i < 6; ++i) tag.push_back(static_cast<char>('A' + digest[i] % 26));
    return tag;
}

std::string toUnicodeCMap(const std::vector<std::u32string>& unicode) {
    std::string entries;
    int count = 0;
    std::string out =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << "
        "/Registry (Adobe) "
        "/Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    auto flush = [&] {
        if (count == 0) return;
        out += std::to_string(count) + " beginbfchar\n" + entries + "endbfchar\n";
        entries.clear();
        count = 0;
    };
    for (std::size_t g = 1; g < unicode.size(); ++g) {
        if (unicode[g].empty()) continue;
        entries.push_back('<');
        entries += utf16beHex(std::u32string(1, static_cast<char32_t>(g)));
        entries += "> <";
        entries += utf16beHex(unicode[g]);
        entries += ">\n";
        if (++count == 100) flush();
    }
    flush();
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return out;
}

// Deflated bytes of `data` (zlib format, for /FlateDecode) at a fast level: speed matters more
// here than the last few percent of size.
std::string deflateBytes(std::string_view data) {
    static std::once_flag level;
    std::call_once(level, [] { Pl_Flate::setCompressionLevel(2); });
    std::string packed;
    Pl_String sink("pdf-stream", nullptr, packed);
    Pl_Flate flate("pdf-deflate", &sink, Pl_Flate::a_deflate);
    flate.write(reinterpret_cast<const unsigned char*>(data.data()), data.size());
    flate.finish();
    return packed;
}

// Deflated streams by content, per thread: the pages of a form (labels, boxes, footers) are
// byte-identical from one record to the next, so a batch worker compresses each of them once.
// A content is kept from its second occurrence on (record-specific pages, seen once, cost
// only their 8-byte hash). Bounded; cleared when full. The key is the whole content, so a
// hit is always exact.
const std::string& deflateReusable(const std::string& data) {
    struct Memo {
        std::unordered_map<std::string, std::string> map;
        std::unordered_set<std::size_t> seen;  // hashes of contents deflated once
        std::size_t bytes = 0;
        std::string last;  // result of a deflate that was not kept
    };
    static thread_local Memo memo;
    constexpr std::size_t kMaxBytes = 8u << 20;
    if (auto it = memo.map.find(data); it != memo.map.end()) return it->second;
    const std::size_t h = std::hash<std::string_view>{}(data);
    if (memo.seen.insert(h).second) {
        if (memo.seen.size() > 4096) memo.seen.clear();
        memo.last = deflateBytes(data);
        return memo.last;
    }
    std::string packed = deflateBytes(data);
    const std::size_t cost = data.size() + packed.size() + 64;
    if (memo.bytes + cost > kMaxBytes) {
        memo.map.clear();
        memo.bytes = 0;
    }
    memo.bytes += cost;
    return memo.map.emplace(data, std::move(packed)).first->second;
}

// A fast, deterministic 128-bit fingerprint of bytes as 32 hex digits (for the file /ID;
// not a security feature).
std::string fingerprint(std::string_view d) {
    auto rotl = [](std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); };
    std::uint64_t h1 = 0x9E3779B97F4A7C15ull ^ d.size(), h2 = 0xC2B2AE3D27D4EB4Full + d.size();
    std::size_t i = 0;
    for (; i + 8 <= d.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, d.data() + i, 8);
        h1 = rotl((h1 ^ w) * 0x87C37B91114253D5ull, 31);
        h2 = rotl((h2 ^ w) * 0x4CF5AD432745937Full, 29) + h1;
    }
    std::uint64_t tail = 0;
    for (std::size_t k = 0; i < d.size(); ++i, ++k)
        tail |= static_cast<std::uint64_t>(static_cast<unsigned char>(d[i])) << (8 * k);
    h1 = rotl((h1 ^ tail) * 0x87C37B91114253D5ull, 31);
    h2 = rotl((h2 ^ tail) * 0x4CF5AD432745937Full, 29) + h1;
    auto mix = [](std::uint64_t x) {  // splitmix64 finaliser
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9ull;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBull;
        return x ^ (x >> 31);
    };
    h1 = mix(h1 + h2);
    h2 = mix(h2 ^ h1);
    static const char* hex = "0123456789ABCDEF";
    std::string id;
    for (std::uint64_t h : {h1, h2})
        for (int sh = 60; sh >= 0; sh -= 4) id.push_back(hex[(h >> sh) & 0xF]);
    return id;
}

// Stream bytes in their final form: deflated when large enough to be worth it.
struct Packed {
    std::string bytes;
    bool flate = false;
};

Packed pack(const std::string& data) {
    if (data.size() < 512) return {data, false};
    return {deflateBytes(data), true};
}

// What a document embeds for one font subset: the subset font program, the /W widths and the
// ToUnicode map, all ready to write.
struct EmbeddedFont {
    std::string baseName;  // PDF name, with the subset tag
    Packed file;
    std::size_t fileLength = 0;  // /Length1
    std::string widths;          // inside /W [0 [ ... ]]
    Packed toUnicode;
};

// Per thread, by font set, slot, glyphs and their texts: records of one form use the same
// subsets (printable ASCII always comes first, see FontSet::baseGlyphs), so a batch builds
// each subset once per worker. Bounded; cleared when full.
const EmbeddedFont& embeddedFont(const FontSet& fonts, const TrueTypeFont& f, int slot,
                                 const std::vector<std::uint16_t>& glyphs,
                                 const std::vector<std::u32string>& unicode) {
    std::string key;
    key.reserve(16 + glyphs.size() * 6);
    const std::uint64_t id = fonts.id();
    key.append(reinterpret_cast<const char*>(&id), sizeof id);
    key.push_back(static_cast<char>(slot));
    key.append(reinterpret_cast<const char*>(glyphs.data()), glyphs.size() * sizeof(std::uint16_t));
    for (const auto& u : unicode) {
        key.append(reinterpret_cast<const char*>(u.data()), u.size() * sizeof(char32_t));
        key.append(4, '\0');
    }
    static thread_local std::unordered_map<std::string, EmbeddedFont> memo;
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    if (memo.size() >= 64) memo.clear();

    EmbeddedFont ef;
    std::vector<std::uint16_t> order = glyphs;
    const std::string file = f.buildSubset(order);
    ef.baseName = nameOf(subsetTag(glyphs, slot) + "+" + f.baseName());
    ef.file = pack(file);
    ef.fileLength = file.size();
    for (std::size_t g = 0; g < glyphs.size(); ++g) {
        if (g) ef.widths.push_back(' ');
        ef.widths += std::to_string(std::lround(f.advance(glyphs[g])));
    }
    ef.toUnicode = pack(toUnicodeCMap(unicode));
    return memo.emplace(std::move(key), std::move(ef)).first->second;
}

// Writes a PDF file object by object: numbers are reserved first (objects refer to each other
// in any order), bodies appended as they are ready, then the xref table and trailer.
class PdfOut {
public:
    PdfOut() {
        m_out.reserve(96 * 1024);
        m_out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
        m_offsets.push_back(0);
    }
    int reserve() {
        m_offsets.push_back(0);
        return static_cast<int>(m_offsets.size()) - 1;
    }
    // "n 0 obj <body> endobj"
    void object(int n, std::string_view body) {
        begin(n);
        m_out += body;
        m_out += "\nendobj\n";
    }
    // A stream; `dictEntries` are the keys besides /Length and /Filter. Data under 512 bytes is
    // stored as it is (a Flate stream costs a fresh zlib state; most appearances are tiny).
    // `reusable`: content that is likely to recur in later documents (pages, fonts), whose
    // compressed form is remembered per thread.
    void stream(int n, std::string_view dictEntries, const std::string& data,
                bool reusable = true) {
        if (data.size() < 512) {
            rawStream(n, dictEntries, data, false);
            return;
        }
        if (reusable)
            rawStream(n, dictEntries, deflateReusable(data), true);
        else
            rawStream(n, dictEntries, deflateBytes(data), true);
    }
    // A stream whose bytes are already in their final form (deflated when `flate`).
    void rawStream(int n, std::string_view dictEntries, std::string_view bytes, bool flate) {
        begin(n);
        m_out += "<<";
        if (!dictEntries.empty()) {
            m_out.push_back(' ');
            m_out += dictEntries;
        }
        if (flate) m_out += " /Filter /FlateDecode";
        m_out += " /Length ";
        m_out += std::to_string(bytes.size());
        m_out += " >>\nstream\n";
        m_out += bytes;
        m_out += "\nendstream\nendobj\n";
    }
    // The xref table and trailer; /ID is derived from the bytes written so far.
    std::string finish(int root, int info) {
        const std::size_t xref = m_out.size();
        const std::string id = contentId();
        m_out += "xref\n0 " + std::to_string(m_offsets.size()) + "\n0000000000 65535 f \n";
        char entry[32];
        for (std::size_t i = 1; i < m_offsets.size(); ++i) {
            std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", m_offsets[i]);
            m_out += entry;
        }
        m_out += "trailer\n<< /Size " + std::to_string(m_offsets.size()) + " /Root " + ref(root) +
                 " /Info " + ref(info) + " /ID [<" + id + "> <" + id + ">] >>\nstartxref\n" +
                 std::to_string(xref) + "\n%%EOF\n";
        return std::move(m_out);
    }

private:
    void begin(int n) {
        m_offsets[static_cast<std::size_t>(n)] = m_out.size();
        m_out += std::to_string(n);
        m_out += " 0 obj\n";
    }
    // 16 bytes from the content, as hex.
    std::string contentId() const { return fingerprint(m_out); }

    std::string m_out;
    std::vector<std::size_t> m_offsets;  // by object number; [0] unused
};

}  // namespace

std::string Document::Impl::write(const WriteOptions& opt, std::vector<Canvas>& pageCanvases) {
    PdfOut out;
    const int catalogObj = out.reserve();
    const int pagesObj = out.reserve();
    const int infoObj = out.reserve();
    std::string catalog = "<< /Type /Catalog /Pages " + ref(pagesObj);

    // Metadata: fixed dates (never the clock) so identical input gives identical bytes.
    {
        const std::string date = pdfDate(info.date);
        std::string d = "<< /CreationDate " + textString(date) + " /ModDate " + textString(date);
        auto add = [&](const char* key, const std::string& v) {
            if (v.empty()) return;
            d += key;
            appendTextString(d, v);
        };
        add(" /Title ", info.title);
        add(" /Subject ", info.subject);
        add(" /Author ", info.author);
        add(" /Keywords ", info.keywords);
        d += " /Creator ";
        appendTextString(d, info.creator);
        d += " /Producer ";
        appendTextString(d, info.producer);
        d += " >>";
        out.object(infoObj, d);
    }
    if (!info.language.empty()) catalog += " /Lang " + textString(info.language);
    catalog += " /ViewerPreferences << /DisplayDocTitle true >>";

    // Watermark: drawn last on every page, translucent, so fields stay readable under it.
    if (!opt.watermark.empty()) {
        for (std::size_t i = 0; i < pageCanvases.size(); ++i) {
            const Page& p = pages[i];
            TextStyle st;
            st.face = FontFace::Bold;
            st.color = {0.75, 0.1, 0.1};
            const std::u32string s = prepare(opt.watermark);
            const double w1000 = measure(s, st.face);
            const double diag = std::hypot(p.w, p.h);
            st.size = w1000 > 0 ? std::min(60.0, diag * 0.72 * 1000.0 / w1000) : 40;
            const double angle = std::atan2(p.h, p.w);
            const double c = std::cos(angle), sn = std::sin(angle);
            Canvas& cv = pageCanvases[i];
            cv.ops += "q /GSwm gs ";
            appendNums(cv.ops, {c, sn, -sn, c, p.w / 2, p.h / 2});
            cv.ops += " cm\n";
            const double capH = ttf(1)->capHeight() * st.size / 1000.0;
            emitLine(cv, 0, -capH / 2, s, st, Align::Center);
            cv.ops += "Q\n";
        }
    }

    // Flattening: each widget's current appearance becomes page content.
    if (opt.flatten) {
        for (const Field& f : fields)
            for (const Widget& w : f.widgets) {
                if (w.page < 0 || w.page >= static_cast<int>(pageCanvases.size())) continue;
                const Canvas* ap = nullptr;
                for (const auto& [state, cv] : w.states)
                    if (f.kind == Kind::Text || f.kind == Kind::Combo || state == w.state) ap = &cv;
                if (!ap || ap->ops.empty()) continue;
                Canvas& pc = pageCanvases[static_cast<std::size_t>(w.page)];
                pc.ops += "q 1 0 0 1 ";
                appendNums(pc.ops, {w.rect.x, w.rect.y});
                pc.ops += " cm\n" + ap->ops + "Q\n";
                pc.fontMask |= ap->fontMask;
            }
    }

    // Fonts (after all text is known): Type0 / CIDFontType2, Identity-H, compact subsets.
    std::array<int, kSlots> fontObj{};
    for (int slot = 0; slot < kSlots; ++slot) {
        DocFont& df = docFonts[static_cast<std::size_t>(slot)];
        if (!df.used) continue;
        const TrueTypeFont* f = ttf(slot);
        const EmbeddedFont& ef = embeddedFont(*fonts, *f, slot, df.glyphs, df.unicode);
        const std::string& baseName = ef.baseName;

        const int fileObj = out.reserve(), descObj = out.reserve(), cidObj = out.reserve(),
                  uniObj = out.reserve(), type0Obj = out.reserve();
        out.rawStream(fileObj, "/Length1 " + std::to_string(ef.fileLength), ef.file.bytes,
                      ef.file.flate);

        std::string d = "<< /Type /FontDescriptor /FontName " + baseName + " /Flags 4 /FontBBox [";
        for (int k = 0; k < 4; ++k) d += (k ? " " : "") + std::to_string(std::lround(f->bbox()[k]));
        d += "] /ItalicAngle " + std::to_string(std::lround(f->italicAngle())) + " /Ascent " +
             std::to_string(std::lround(f->ascent())) + " /Descent " +
             std::to_string(std::lround(f->descent())) + " /CapHeight " +
             std::to_string(std::lround(f->capHeight())) + " /StemV " +
             std::string(slot == 1 ? "120" : "80") + " /FontFile2 " + ref(fileObj) + " >>";
        out.object(descObj, d);

        out.object(cidObj,
                   "<< /Type /Font /Subtype /CIDFontType2 /BaseFont " + baseName +
                       " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                       "/FontDescriptor " +
                       ref(descObj) + " /DW 1000 /W [0 [" + ef.widths +
                       "]] /CIDToGIDMap /Identity >>");

        out.rawStream(uniObj, {}, ef.toUnicode.bytes, ef.toUnicode.flate);
        out.object(type0Obj, "<< /Type /Font /Subtype /Type0 /BaseFont " + baseName +
                                 " /Encoding /Identity-H /DescendantFonts [" + ref(cidObj) +
                                 "] /ToUnicode " + ref(uniObj) + " >>");
        fontObj[static_cast<std::size_t>(slot)] = type0Obj;
    }
    auto fontDict = [&](unsigned mask) {
        std::string fd = "<<";
        for (int slot = 0; slot < kSlots; ++slot)
            if ((mask & (1u << slot)) && fontObj[static_cast<std::size_t>(slot)])
                fd += " /F" + std::to_string(slot) + " " +
                      ref(fontObj[static_cast<std::size_t>(slot)]);
        return fd + " >>";
    };
    auto resources = [&](unsigned mask, bool watermark) {
        std::string res = "<<";
        if (mask) res += " /Font " + fontDict(mask);
        if (watermark) res += " /ExtGState << /GSwm << /Type /ExtGState /ca 0.22 /CA 0.22 >> >>";
        return res + " >>";
    };

    // Pages: numbers now, dictionaries at the end (their /Annots are known after the fields).
    std::vector<int> pageObj;
    std::vector<std::string> annots(pages.size());
    for (std::size_t i = 0; i < pages.size(); ++i) pageObj.push_back(out.reserve());

    // AcroForm fields: a tree of non-terminal nodes for the dotted name parts.
    if (!opt.flatten && !fields.empty()) {
        struct Node {
            int obj = 0;
            int parent = 0;
            std::string leaf;
            std::string kids;
        };
        std::vector<Node> nodes;  // non-terminal nodes, in creation order
        std::map<std::string, std::size_t> byPrefix;
        std::string topFields;
        auto addKid = [&](std::string& list, int obj) {
            if (!list.empty()) list.push_back(' ');
            list += ref(obj);
        };
        // Returns the parent node's object (0 = top level) and sets `leaf`.
        auto parentFor = [&](const std::string& fullName, std::string& leaf) -> int {
            int parent = 0;
            std::size_t parentIndex = 0;
            std::size_t start = 0;
            for (;;) {
                const std::size_t dot = fullName.find('.', start);
                if (dot == std::string::npos) break;
                const std::string prefix = fullName.substr(0, dot);
                auto it = byPrefix.find(prefix);
                if (it == byPrefix.end()) {
                    Node n;
                    n.obj = out.reserve();
                    n.parent = parent;
                    n.leaf = fullName.substr(start, dot - start);
                    if (parent)
                        addKid(nodes[parentIndex].kids, n.obj);
                    else
                        addKid(topFields, n.obj);
                    nodes.push_back(std::move(n));
                    it = byPrefix.emplace(prefix, nodes.size() - 1).first;
                }
                parent = nodes[it->second].obj;
                parentIndex = it->second;
                start = dot + 1;
            }
            leaf = fullName.substr(start);
            return parent ? static_cast<int>(parentIndex) + 1 : 0;  // 1-based node index
        };
        // Identical appearances (every unchecked box, every check mark of one size) share one
        // object.
        std::unordered_map<std::string, int> xobjectCache;
        auto makeXObject = [&](const Rect& r, const Canvas& cv) {
            std::string key = num(r.w) + " " + num(r.h) + " " + std::to_string(cv.fontMask) + "\n";
            key += cv.ops;
            if (auto it = xobjectCache.find(key); it != xobjectCache.end()) return it->second;
            const int xo = out.reserve();
            xobjectCache.emplace(std::move(key), xo);
            out.stream(xo,
                       "/Type /XObject /Subtype /Form /BBox " + rectArray({0, 0, r.w, r.h}) +
                           " /Resources " + resources(cv.fontMask, false),
                       cv.ops);
            return xo;
        };
        auto widgetEntries = [&](const Widget& w) {
            std::string d = " /Subtype /Widget /Rect " + rectArray(w.rect) + " /F 4 /P " +
                            ref(pageObj[static_cast<std::size_t>(w.page)]);
            return d;
        };
        auto addAnnot = [&](int page, int obj) {
            addKid(annots[static_cast<std::size_t>(page)], obj);
        };
        for (const Field& f : fields) {
            if (f.widgets.empty()) continue;
            bool badPage = false;
            for (const Widget& w : f.widgets)
                badPage |= w.page < 0 || w.page >= static_cast<int>(pageObj.size());
            if (badPage) continue;
            std::string leaf;
            const int parentIdx = parentFor(f.name, leaf);
            const int field = out.reserve();
            std::string fd = "<< /T " + textString(leaf);
            if (parentIdx) {
                Node& parent = nodes[static_cast<std::size_t>(parentIdx - 1)];
                fd += " /Parent " + ref(parent.obj);
                addKid(parent.kids, field);
            } else {
                addKid(topFields, field);
            }
            if (f.kind == Kind::Text || f.kind == Kind::Combo) {
                fd += f.kind == Kind::Combo ? " /FT /Ch" : " /FT /Tx";
                if (f.kind == Kind::Combo) {
                    fd += " /Ff 131072 /Opt [";  // Combo
                    for (std::size_t i = 0; i < f.options.size(); ++i) {
                        if (i) fd.push_back(' ');
                        appendTextString(fd, f.options[i]);
                    }
                    fd += "]";
                }
                fd += " /V ";
                appendTextString(fd, f.value);
                fd += f.multiline ? " /DA (/F0 9 Tf 0 g) /Ff 4096" : " /DA (/F0 0 Tf 0 g)";
                const Widget& w = f.widgets.front();
                fd += widgetEntries(w);
                fd += " /AP << /N " + ref(makeXObject(w.rect, w.states.front().second)) + " >> >>";
                out.object(field, fd);
                addAnnot(w.page, field);
            } else {
                fd += " /FT /Btn /V " + nameOf(f.value);
                if (f.kind == Kind::Radio) fd += " /Ff 49152";  // Radio | NoToggleToOff
                std::string radioKids;
                for (const Widget& w : f.widgets) {
                    std::string wd;
                    auto states = [&] {
                        std::string ap = " /AP << /N <<";
                        for (const auto& [name, cv] : w.states) {
                            ap.push_back(' ');
                            appendName(ap, name);
                            ap.push_back(' ');
                            ap += ref(makeXObject(w.rect, cv));
                        }
                        ap += " >> >> /AS " + nameOf(w.state);
                        if (f.kind == Kind::CheckBox) ap += " /MK << /CA (4) >>";
                        return ap;
                    };
                    if (f.kind == Kind::Radio) {
                        const int wo = out.reserve();
                        addKid(radioKids, wo);
                        out.object(
                            wo, "<< /Parent " + ref(field) + widgetEntries(w) + states() + " >>");
                        addAnnot(w.page, wo);
                    } else {
                        fd += widgetEntries(w) + states();
                        addAnnot(w.page, field);
                    }
                }
                if (f.kind == Kind::Radio) fd += " /Kids [" + radioKids + "]";
                fd += " >>";
                out.object(field, fd);
            }
        }
        for (const Node& n : nodes) {
            std::string nd = "<< /T " + textString(n.leaf);
            if (n.parent) nd += " /Parent " + ref(n.parent);
            nd += " /Kids [" + n.kids + "] >>";
            out.object(n.obj, nd);
        }
        const int acro = out.reserve();
        out.object(acro, "<< /Fields [" + topFields + "] /NeedAppearances false /DR << /Font " +
                             fontDict(1u) + " >> /DA (/F0 0 Tf 0 g) >>");
        catalog += " /AcroForm " + ref(acro);
    }

    // Page objects and their content streams.
    {
        std::string kids;
        for (std::size_t i = 0; i < pages.size(); ++i) {
            const int contents = out.reserve();
            out.stream(contents, {}, pageCanvases[i].ops);
            std::string pd = "<< /Type /Page /Parent " + ref(pagesObj) + " /MediaBox [0 0 ";
            appendNums(pd, {pages[i].w, pages[i].h});
            pd += "] /Resources " + resources(pageCanvases[i].fontMask, !opt.watermark.empty()) +
                  " /Contents " + ref(contents);
            if (!annots[i].empty()) pd += " /Annots [" + annots[i] + "]";
            pd += " >>";
            out.object(pageObj[i], pd);
            if (i) kids.push_back(' ');
            kids += ref(pageObj[i]);
        }
        out.object(pagesObj, "<< /Type /Pages /Kids [" + kids + "] /Count " +
                                 std::to_string(pages.size()) + " >>");
    }

    // Attachments: the EmbeddedFiles name tree (names sorted as the tree requires).
    if (!attachments.empty()) {
        std::vector<const Attachment*> sorted;
        for (const auto& a : attachments) sorted.push_back(&a);
        std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
        std::string names, afs;
        const std::string date = pdfDate(info.date);
        for (const Attachment* a : sorted) {
            const int ef = out.reserve(), fs = out.reserve();
            out.stream(ef,
                       "/Type /EmbeddedFile /Subtype " + nameOf(a->mime) + " /Params << /Size " +
                           std::to_string(a->data.size()) + " /ModDate " + textString(date) + " >>",
                       a->data, false);
            std::string fd =
                "<< /Type /Filespec /F " + textString(a->name) + " /UF " + textString(a->name);
            if (!a->description.empty()) fd += " /Desc " + textString(a->description);
            fd += " /AFRelationship /Data /EF << /F " + ref(ef) + " /UF " + ref(ef) + " >> >>";
            out.object(fs, fd);
            if (!names.empty()) names.push_back(' ');
            names += textString(a->name) + " " + ref(fs);
            if (!afs.empty()) afs.push_back(' ');
            afs += ref(fs);
        }
        catalog += " /Names << /EmbeddedFiles << /Names [" + names + "] >> >> /AF [" + afs + "]";
    }
    catalog += " >>";
    out.object(catalogObj, catalog);
    return out.finish(catalogObj, infoObj);
}

Result<std::string> Document::write(const WriteOptions& options) {
    if (!m->fonts || !m->ttf(0) || !m->ttf(1))
        return Error{"PDF fonts are not available (DejaVu Sans)", {}};
    if (m->pages.empty()) return Error{"PDF has no pages", {}};
    try {
        std::vector<Impl::Canvas> canvases;
        canvases.reserve(m->pages.size());
        for (const auto& p : m->pages) canvases.push_back(p.canvas);
        return m->write(options, canvases);
    } catch (const std::exception& e) {
        return Error{std::string("PDF writer failed: ") + e.what(), {}};
    }
}

}  // namespace lecert::pdf
