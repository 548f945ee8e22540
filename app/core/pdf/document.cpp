// SPDX-License-Identifier: MIT
#include "core/pdf/document.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <openssl/sha.h>
#include <podofo/podofo.h>
#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4
#endif
#include <qpdf/Pl_Flate.hh>
#include <qpdf/Pl_String.hh>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ubidi.h>
#include <unicode/unistr.h>
#include <unicode/ushape.h>

#include "core/text.h"

namespace lecert::pdf {

namespace {

constexpr int kSlots = 3;  // Regular, Bold, Cjk

// Locale-independent, deterministic number formatting for content streams.
std::string num(double v) {
    if (std::fabs(v) < 0.005) return "0";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
    std::string s(buf, res.ptr);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::string colorOps(const Color& c, bool stroke) {
    return num(c.r) + " " + num(c.g) + " " + num(c.b) + (stroke ? " RG\n" : " rg\n");
}

bool isRtl(char32_t cp) {
    const auto d = u_charDirection(static_cast<UChar32>(cp));
    return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

bool isArabic(char32_t cp) {
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08FF);
}

// Characters after which a line may break without a space (CJK ideographs, kana, hangul).
bool breaksAnywhere(char32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

icu::UnicodeString toUnicodeString(std::u32string_view s) {
    return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size()));
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
    const int32_t n = u_shapeArabic(src.getBuffer(), src.length(), dst.data(), static_cast<int32_t>(dst.size()),
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

PoDoFo::PdfString utf8String(const std::string& s) {
    return PoDoFo::PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(s.c_str()));
}

// A real number written verbatim: PoDoFo formats reals through a locale-imbued ostringstream,
// which was a noticeable share of the time for ~300 rectangles per form.
PoDoFo::PdfVariant real(double v) { return PoDoFo::PdfVariant(PoDoFo::PdfData((" " + num(v)).c_str())); }

PoDoFo::PdfArray rectArray(const Rect& r) {
    PoDoFo::PdfArray a;
    a.push_back(real(r.x));
    a.push_back(real(r.y));
    a.push_back(real(r.x + r.w));
    a.push_back(real(r.y + r.h));
    return a;
}

// PDF date from "YYYY-MM-DD" (UTC midnight); anything else gives the fixed default.
std::string pdfDate(const std::string& iso) {
    std::string d = "20000101";
    if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-') {
        const std::string digits = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
        if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) d = digits;
    }
    return "D:" + d + "000000Z";
}

std::once_flag g_podofoInit;

}  // namespace

// ---------------------------------------------------------------------------------------
struct Document::Impl {
    struct DocFont {
        std::unordered_map<std::uint16_t, std::uint16_t> newId;  // original glyph -> subset glyph
        std::vector<std::uint16_t> glyphs{0};                    // subset glyph -> original glyph
        std::vector<std::u32string> unicode{U""};                // subset glyph -> text
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
        std::string hex;    // subset glyph ids, 4 hex digits each
        double width = 0;   // 1/1000 em
    };

    std::shared_ptr<const FontSet> fonts;
    std::array<DocFont, kSlots> docFonts;
    std::vector<Page> pages;
    std::vector<Field> fields;
    std::vector<Attachment> attachments;
    DocumentInfo info;
    std::vector<char32_t> missing;

    const TrueTypeFont* ttf(int slot) const { return fonts->font(static_cast<FontSlot>(slot)); }

    // Width of visual-order text in 1/1000 em.
    double measure(std::u32string_view s, FontFace face) const {
        double w = 0;
        for (char32_t c : s) {
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
        std::vector<GlyphRun> runs;
        for (char32_t c : s) {
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
            DocFont& df = docFonts[static_cast<std::size_t>(si)];
            auto it = df.newId.find(g);
            if (it == df.newId.end()) {
                it = df.newId.emplace(g, static_cast<std::uint16_t>(df.glyphs.size())).first;
                df.glyphs.push_back(g);
                df.unicode.push_back(toUnicodeText(drawn));
            }
            if (runs.empty() || runs.back().slot != si) runs.push_back(GlyphRun{si, {}, 0});
            static const char* hex = "0123456789ABCDEF";
            for (int sh = 12; sh >= 0; sh -= 4) runs.back().hex.push_back(hex[(it->second >> sh) & 0xF]);
            runs.back().width += f->advance(g);
        }
        return runs;
    }

    // Emits one line (logical order) at (x, baseline y) into a canvas.
    void emitLine(Canvas& cv, double x, double y, const std::u32string& logical, const TextStyle& st,
                  Align align) {
        const std::u32string vis = visualOrder(logical);
        std::vector<GlyphRun> runs = encode(vis, st.face);
        double total = 0;
        for (auto& r : runs) total += r.width;
        total *= st.size / 1000.0;
        if (align == Align::Center) x -= total / 2;
        if (align == Align::Right) x -= total;
        if (runs.empty()) return;
        cv.ops += "BT\n" + colorOps(st.color, false);
        for (auto& r : runs) {
            cv.fontMask |= 1u << r.slot;
            cv.ops += "/F" + std::to_string(r.slot) + " " + num(st.size) + " Tf 1 0 0 1 " + num(x) + " " + num(y) +
                      " Tm <" + r.hex + "> Tj\n";
            x += r.width * st.size / 1000.0;
        }
        cv.ops += "ET\n";
    }

    // Greedy wrap of prepared (shaped, logical) text; returns logical lines.
    std::vector<std::u32string> wrap(const std::u32string& s, double width, const TextStyle& st) const {
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
                            const double cw = measure(std::u32string_view(&trimmed[k], 1), st.face) * scale;
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
    static std::string circlePath(double cx, double cy, double r) {
        const double k = 0.5523 * r;
        return num(cx + r) + " " + num(cy) + " m " + num(cx + r) + " " + num(cy + k) + " " + num(cx + k) + " " +
               num(cy + r) + " " + num(cx) + " " + num(cy + r) + " c " + num(cx - k) + " " + num(cy + r) + " " +
               num(cx - r) + " " + num(cy + k) + " " + num(cx - r) + " " + num(cy) + " c " + num(cx - r) + " " +
               num(cy - k) + " " + num(cx - k) + " " + num(cy - r) + " " + num(cx) + " " + num(cy - r) + " c " +
               num(cx + k) + " " + num(cy - r) + " " + num(cx + r) + " " + num(cy - k) + " " + num(cx + r) + " " +
               num(cy) + " c\n";
    }

    Canvas textAppearance(const Rect& r, const std::string& value, bool multiline, double fontSize) {
        Canvas cv;
        cv.ops = "/Tx BMC\nq 1 1 " + num(std::max(0.0, r.w - 2)) + " " + num(std::max(0.0, r.h - 2)) + " re W n\n";
        const std::u32string s = prepare(value);
        const TrueTypeFont* reg = ttf(0);
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

    void write(PoDoFo::PdfMemDocument& doc, const WriteOptions& opt, std::vector<Canvas>& pageCanvases);
};

// ---------------------------------------------------------------------------------------
Document::Document(std::shared_ptr<const FontSet> fonts) : m(std::make_unique<Impl>()) {
    m->fonts = std::move(fonts);
    std::call_once(g_podofoInit, [] {
        PoDoFo::PdfError::EnableDebug(false);
        PoDoFo::PdfError::EnableLogging(false);
    });
}

Document::~Document() = default;

int Document::addPage(double width, double height) {
    Impl::Page p;
    p.w = width;
    p.h = height;
    m->pages.push_back(std::move(p));
    return static_cast<int>(m->pages.size()) - 1;
}

int Document::pageCount() const { return static_cast<int>(m->pages.size()); }

void Document::setInfo(const DocumentInfo& info) { m->info = info; }

void Document::attachFile(const std::string& fileName, std::string_view data, const std::string& mimeType,
                          const std::string& description) {
    m->attachments.push_back({fileName, std::string(data), mimeType, description});
}

double Document::textWidth(std::string_view utf8, const TextStyle& style) const {
    std::u32string s = prepare(utf8);
    std::replace(s.begin(), s.end(), U'\n', U' ');
    return m->measure(s, style.face) * style.size / 1000.0;
}

std::vector<std::string> Document::wrapText(std::string_view utf8, double width, const TextStyle& style) const {
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
        while (pos < raw.size() && (raw[pos] == U' ' || raw[pos] == U'\n') && !l.empty() && shaped[pos] != l[0]) ++pos;
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

double Document::ascent(double size) const { return m->ttf(0)->ascent() * size / 1000.0; }
double Document::descent(double size) const { return m->ttf(0)->descent() * size / 1000.0; }

void Document::drawText(int page, double x, double y, std::string_view utf8, const TextStyle& style, Align align) {
    std::u32string s = prepare(utf8);
    std::replace(s.begin(), s.end(), U'\n', U' ');
    m->emitLine(m->canvasOf(page), x, y, s, style, align);
}

int Document::drawParagraph(int page, const Rect& box, std::string_view utf8, const TextStyle& style, Align align) {
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
    m->canvasOf(page).ops += "q " + colorOps(fill, false) + num(r.x) + " " + num(r.y) + " " + num(r.w) + " " +
                             num(r.h) + " re f Q\n";
}

void Document::strokeRect(int page, const Rect& r, double lineWidth, const Color& stroke) {
    m->canvasOf(page).ops += "q " + num(lineWidth) + " w " + colorOps(stroke, true) + num(r.x) + " " + num(r.y) +
                             " " + num(r.w) + " " + num(r.h) + " re S Q\n";
}

void Document::drawLine(int page, double x1, double y1, double x2, double y2, double lineWidth, const Color& c) {
    m->canvasOf(page).ops += "q " + num(lineWidth) + " w " + colorOps(c, true) + num(x1) + " " + num(y1) + " m " +
                             num(x2) + " " + num(y2) + " l S Q\n";
}

void Document::addTextField(int page, const Rect& r, const std::string& name, std::string_view value, bool multiline,
                            double fontSize) {
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

void Document::addComboBox(int page, const Rect& r, const std::string& name, const std::string& value,
                           const std::vector<std::string>& options) {
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
    on.ops = "q 0 0 0 RG " + num(s * 0.13) + " w 1 J 1 j " + num(r.w * 0.2) + " " + num(r.h * 0.52) + " m " +
             num(r.w * 0.42) + " " + num(r.h * 0.24) + " l " + num(r.w * 0.8) + " " + num(r.h * 0.8) + " l S Q\n";
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
        page.ops += "q 1 1 1 rg 0.1 0.1 0.1 RG 0.8 w " + Impl::circlePath(r.x + r.w / 2, r.y + r.h / 2, rad - 0.4) +
                    "B Q\n";
        Impl::Widget w;
        w.page = b.page;
        w.rect = r;
        Impl::Canvas on;
        on.ops = "q 0 g " + Impl::circlePath(r.w / 2, r.h / 2, rad * 0.5) + "f Q\n";
        w.states.emplace_back(b.exportValue, on);
        w.states.emplace_back("Off", Impl::Canvas{});
        w.state = (b.exportValue == selected && !selected.empty()) ? b.exportValue : "Off";
        if (w.state != "Off") f.value = w.state;
        f.widgets.push_back(std::move(w));
    }
    m->fields.push_back(std::move(f));
}

const std::vector<char32_t>& Document::missingCharacters() const { return m->missing; }

// ---------------------------------------------------------------------------------------
namespace {

using namespace PoDoFo;

std::string subsetTag(const std::vector<std::uint16_t>& glyphs, int slot) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    std::string bytes(reinterpret_cast<const char*>(glyphs.data()), glyphs.size() * sizeof(std::uint16_t));
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
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
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
        entries += "<" + utf16beHex(std::u32string(1, static_cast<char32_t>(g))) + "> <" + utf16beHex(unicode[g]) +
                   ">\n";
        if (++count == 100) flush();
    }
    flush();
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return out;
}

// Streams under 512 bytes are stored as they are: a Flate stream costs a fresh zlib state,
// which dominated the time of a form with ~150 small appearances. Larger ones are deflated
// at a fast level (speed matters more here than the last few percent of size).
void setStream(PdfObject* obj, const std::string& data) {
    if (data.size() < 512) {
        TVecFilters none;
        obj->GetStream()->Set(data.data(), static_cast<pdf_long>(data.size()), none);
        return;
    }
    static std::once_flag level;
    std::call_once(level, [] { Pl_Flate::setCompressionLevel(2); });
    std::string packed;
    {
        Pl_String sink("pdf-stream", nullptr, packed);
        Pl_Flate flate("pdf-deflate", &sink, Pl_Flate::a_deflate);
        flate.write(reinterpret_cast<const unsigned char*>(data.data()), data.size());
        flate.finish();
    }
    PdfMemoryInputStream in(packed.data(), static_cast<pdf_long>(packed.size()));
    obj->GetStream()->SetRawData(&in, static_cast<pdf_long>(packed.size()));
    obj->GetDictionary().AddKey("Filter", PdfName("FlateDecode"));
}

}  // namespace

void Document::Impl::write(PdfMemDocument& doc, const WriteOptions& opt, std::vector<Canvas>& pageCanvases) {
    PdfVecObjects& objs = doc.GetObjects();
    doc.SetPdfVersion(ePdfVersion_1_7);
    doc.SetWriteMode(ePdfWriteMode_Compact);

    // Metadata: fixed dates (never the clock) so identical input gives identical bytes.
    PdfDictionary& infoDict = doc.GetInfo()->GetObject()->GetDictionary();
    const std::string date = pdfDate(info.date);
    infoDict.AddKey("CreationDate", PdfString(date));
    infoDict.AddKey("ModDate", PdfString(date));
    if (!info.title.empty()) infoDict.AddKey("Title", utf8String(info.title));
    if (!info.subject.empty()) infoDict.AddKey("Subject", utf8String(info.subject));
    if (!info.author.empty()) infoDict.AddKey("Author", utf8String(info.author));
    if (!info.keywords.empty()) infoDict.AddKey("Keywords", utf8String(info.keywords));
    infoDict.AddKey("Creator", utf8String(info.creator));
    infoDict.AddKey("Producer", utf8String(info.producer));
    PdfDictionary& catalog = doc.GetCatalog()->GetDictionary();
    if (!info.language.empty()) catalog.AddKey("Lang", PdfString(info.language));
    PdfDictionary prefs;
    prefs.AddKey("DisplayDocTitle", PdfVariant(true));
    catalog.AddKey("ViewerPreferences", prefs);

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
            cv.ops += "q /GSwm gs " + num(c) + " " + num(sn) + " " + num(-sn) + " " + num(c) + " " + num(p.w / 2) +
                      " " + num(p.h / 2) + " cm\n";
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
                pc.ops += "q 1 0 0 1 " + num(w.rect.x) + " " + num(w.rect.y) + " cm\n" + ap->ops + "Q\n";
                pc.fontMask |= ap->fontMask;
            }
    }

    // Fonts (after all text is known): Type0 / CIDFontType2, Identity-H, compact subsets.
    std::array<PdfObject*, kSlots> fontObj{};
    for (int slot = 0; slot < kSlots; ++slot) {
        DocFont& df = docFonts[static_cast<std::size_t>(slot)];
        if (df.glyphs.size() <= 1) continue;
        const TrueTypeFont* f = ttf(slot);
        std::vector<std::uint16_t> order = df.glyphs;
        const std::string file = f->buildSubset(order);
        const std::string baseName = subsetTag(df.glyphs, slot) + "+" + f->baseName();

        PdfObject* fontFile = objs.CreateObject();
        fontFile->GetDictionary().AddKey("Length1", PdfVariant(static_cast<pdf_int64>(file.size())));
        setStream(fontFile, file);

        PdfObject* desc = objs.CreateObject("FontDescriptor");
        PdfDictionary& d = desc->GetDictionary();
        d.AddKey("FontName", PdfName(baseName));
        d.AddKey("Flags", PdfVariant(static_cast<pdf_int64>(4)));
        PdfArray bbox;
        for (int k = 0; k < 4; ++k) bbox.push_back(PdfVariant(static_cast<pdf_int64>(std::lround(f->bbox()[k]))));
        d.AddKey("FontBBox", bbox);
        d.AddKey("ItalicAngle", PdfVariant(static_cast<pdf_int64>(std::lround(f->italicAngle()))));
        d.AddKey("Ascent", PdfVariant(static_cast<pdf_int64>(std::lround(f->ascent()))));
        d.AddKey("Descent", PdfVariant(static_cast<pdf_int64>(std::lround(f->descent()))));
        d.AddKey("CapHeight", PdfVariant(static_cast<pdf_int64>(std::lround(f->capHeight()))));
        d.AddKey("StemV", PdfVariant(static_cast<pdf_int64>(slot == 1 ? 120 : 80)));
        d.AddKey("FontFile2", fontFile->Reference());

        PdfObject* cid = objs.CreateObject("Font");
        PdfDictionary& c = cid->GetDictionary();
        c.AddKey("Subtype", PdfName("CIDFontType2"));
        c.AddKey("BaseFont", PdfName(baseName));
        PdfDictionary sysInfo;
        sysInfo.AddKey("Registry", PdfString("Adobe"));
        sysInfo.AddKey("Ordering", PdfString("Identity"));
        sysInfo.AddKey("Supplement", PdfVariant(static_cast<pdf_int64>(0)));
        c.AddKey("CIDSystemInfo", sysInfo);
        c.AddKey("FontDescriptor", desc->Reference());
        c.AddKey("DW", PdfVariant(static_cast<pdf_int64>(1000)));
        PdfArray widths, inner;
        for (auto g : df.glyphs) inner.push_back(PdfVariant(static_cast<pdf_int64>(std::lround(f->advance(g)))));
        widths.push_back(PdfVariant(static_cast<pdf_int64>(0)));
        widths.push_back(inner);
        c.AddKey("W", widths);
        c.AddKey("CIDToGIDMap", PdfName("Identity"));

        PdfObject* toUni = objs.CreateObject();
        setStream(toUni, toUnicodeCMap(df.unicode));

        PdfObject* type0 = objs.CreateObject("Font");
        PdfDictionary& t = type0->GetDictionary();
        t.AddKey("Subtype", PdfName("Type0"));
        t.AddKey("BaseFont", PdfName(baseName));
        t.AddKey("Encoding", PdfName("Identity-H"));
        PdfArray desc2;
        desc2.push_back(cid->Reference());
        t.AddKey("DescendantFonts", desc2);
        t.AddKey("ToUnicode", toUni->Reference());
        fontObj[static_cast<std::size_t>(slot)] = type0;
    }
    auto fontDict = [&](unsigned mask) {
        PdfDictionary fd;
        for (int slot = 0; slot < kSlots; ++slot)
            if ((mask & (1u << slot)) && fontObj[static_cast<std::size_t>(slot)])
                fd.AddKey(PdfName("F" + std::to_string(slot)), fontObj[static_cast<std::size_t>(slot)]->Reference());
        return fd;
    };
    auto resources = [&](unsigned mask, bool watermark) {
        PdfDictionary res;
        if (mask) res.AddKey("Font", fontDict(mask));
        if (watermark) {
            PdfDictionary gs, gsw;
            gsw.AddKey("Type", PdfName("ExtGState"));
            gsw.AddKey("ca", PdfVariant(0.22));
            gsw.AddKey("CA", PdfVariant(0.22));
            gs.AddKey("GSwm", gsw);
            res.AddKey("ExtGState", gs);
        }
        return res;
    };

    // Pages.
    std::vector<PdfObject*> pdfPages;  // page objects (PdfPage wrappers may be recycled by the tree cache)
    for (std::size_t i = 0; i < pages.size(); ++i) {
        PdfPage* p = doc.CreatePage(PdfRect(0, 0, pages[i].w, pages[i].h));
        p->GetObject()->GetDictionary().AddKey("Resources", resources(pageCanvases[i].fontMask, !opt.watermark.empty()));
        setStream(p->GetContents(), pageCanvases[i].ops);
        pdfPages.push_back(p->GetObject());
    }

    // AcroForm fields: a tree of non-terminal nodes for the dotted name parts.
    if (!opt.flatten && !fields.empty()) {
        PdfObject* acro = objs.CreateObject();
        PdfArray topFields;
        std::map<std::string, PdfObject*> nodes;           // prefix -> node
        std::map<PdfObject*, PdfArray> kids;               // node -> its kids (set at the end)
        std::vector<PdfObject*> nodeOrder;
        auto parentFor = [&](const std::string& fullName, std::string& leaf) -> PdfObject* {
            PdfObject* parent = nullptr;
            std::size_t start = 0;
            for (;;) {
                const std::size_t dot = fullName.find('.', start);
                if (dot == std::string::npos) break;
                const std::string prefix = fullName.substr(0, dot);
                auto it = nodes.find(prefix);
                if (it == nodes.end()) {
                    PdfObject* n = objs.CreateObject();
                    n->GetDictionary().AddKey("T", PdfString(fullName.substr(start, dot - start)));
                    if (parent) {
                        n->GetDictionary().AddKey("Parent", parent->Reference());
                        kids[parent].push_back(n->Reference());
                    } else {
                        topFields.push_back(n->Reference());
                    }
                    nodeOrder.push_back(n);
                    it = nodes.emplace(prefix, n).first;
                }
                parent = it->second;
                start = dot + 1;
            }
            leaf = fullName.substr(start);
            return parent;
        };
        // Identical appearances (every unchecked box, every check mark of one size) share one object.
        std::map<std::string, PdfObject*> xobjectCache;
        auto makeXObject = [&](const Rect& r, const Canvas& cv) {
            const std::string key = num(r.w) + " " + num(r.h) + " " + std::to_string(cv.fontMask) + "\n" + cv.ops;
            if (auto it = xobjectCache.find(key); it != xobjectCache.end()) return it->second;
            PdfObject* xo = objs.CreateObject("XObject");
            xobjectCache.emplace(key, xo);
            PdfDictionary& xd = xo->GetDictionary();
            xd.AddKey("Subtype", PdfName("Form"));
            xd.AddKey("BBox", rectArray({0, 0, r.w, r.h}));
            xd.AddKey("Resources", resources(cv.fontMask, false));
            setStream(xo, cv.ops);
            return xo;
        };
        auto addAnnot = [&](int page, PdfObject* w) {
            PdfObject* annots = pdfPages[static_cast<std::size_t>(page)]->GetDictionary().GetKey("Annots");
            if (!annots) {
                pdfPages[static_cast<std::size_t>(page)]->GetDictionary().AddKey("Annots", PdfArray());
                annots = pdfPages[static_cast<std::size_t>(page)]->GetDictionary().GetKey("Annots");
            }
            annots->GetArray().push_back(w->Reference());
        };
        auto widgetDict = [&](PdfObject* o, const Widget& w) {
            PdfDictionary& d = o->GetDictionary();
            d.AddKey("Subtype", PdfName("Widget"));  // /Type /Annot is optional
            d.AddKey("Rect", rectArray(w.rect));
            d.AddKey("F", PdfVariant(static_cast<pdf_int64>(4)));  // Print
            d.AddKey("P", pdfPages[static_cast<std::size_t>(w.page)]->Reference());
        };
        for (const Field& f : fields) {
            if (f.widgets.empty()) continue;
            bool badPage = false;
            for (const Widget& w : f.widgets) badPage |= w.page < 0 || w.page >= static_cast<int>(pdfPages.size());
            if (badPage) continue;
            std::string leaf;
            PdfObject* parent = parentFor(f.name, leaf);
            PdfObject* field = objs.CreateObject();
            PdfDictionary& fd = field->GetDictionary();
            fd.AddKey("T", PdfString(leaf));
            if (parent) {
                fd.AddKey("Parent", parent->Reference());
                kids[parent].push_back(field->Reference());
            } else {
                topFields.push_back(field->Reference());
            }
            if (f.kind == Kind::Text || f.kind == Kind::Combo) {
                fd.AddKey("FT", PdfName(f.kind == Kind::Combo ? "Ch" : "Tx"));
                if (f.kind == Kind::Combo) {
                    fd.AddKey("Ff", PdfVariant(static_cast<pdf_int64>(131072)));  // Combo
                    PdfArray opts;
                    for (const auto& o : f.options) opts.push_back(utf8String(o));
                    fd.AddKey("Opt", opts);
                }
                fd.AddKey("V", utf8String(f.value));
                fd.AddKey("DA", PdfString(f.multiline ? "/F0 9 Tf 0 g" : "/F0 0 Tf 0 g"));
                if (f.multiline) fd.AddKey("Ff", PdfVariant(static_cast<pdf_int64>(4096)));
                const Widget& w = f.widgets.front();
                widgetDict(field, w);
                PdfDictionary ap;
                ap.AddKey("N", makeXObject(w.rect, w.states.front().second)->Reference());
                fd.AddKey("AP", ap);
                addAnnot(w.page, field);
            } else {
                fd.AddKey("FT", PdfName("Btn"));
                fd.AddKey("V", PdfName(f.value));
                if (f.kind == Kind::Radio) fd.AddKey("Ff", PdfVariant(static_cast<pdf_int64>(0x8000 | 0x4000)));
                PdfArray radioKids;
                for (const Widget& w : f.widgets) {
                    PdfObject* wo = field;
                    if (f.kind == Kind::Radio) {
                        wo = objs.CreateObject();
                        wo->GetDictionary().AddKey("Parent", field->Reference());
                        radioKids.push_back(wo->Reference());
                    }
                    widgetDict(wo, w);
                    PdfDictionary states;
                    for (const auto& [name, cv] : w.states) states.AddKey(PdfName(name), makeXObject(w.rect, cv)->Reference());
                    PdfDictionary ap;
                    ap.AddKey("N", states);
                    wo->GetDictionary().AddKey("AP", ap);
                    wo->GetDictionary().AddKey("AS", PdfName(w.state));
                    if (f.kind == Kind::CheckBox) {
                        PdfDictionary mk;
                        mk.AddKey("CA", PdfString("4"));
                        wo->GetDictionary().AddKey("MK", mk);
                    }
                    addAnnot(w.page, wo);
                }
                if (f.kind == Kind::Radio) fd.AddKey("Kids", radioKids);
            }
        }
        for (PdfObject* n : nodeOrder) n->GetDictionary().AddKey("Kids", kids[n]);
        PdfDictionary& ad = acro->GetDictionary();
        ad.AddKey("Fields", topFields);
        ad.AddKey("NeedAppearances", PdfVariant(false));
        PdfDictionary dr;
        dr.AddKey("Font", fontDict(1u));
        ad.AddKey("DR", dr);
        ad.AddKey("DA", PdfString("/F0 0 Tf 0 g"));
        catalog.AddKey("AcroForm", acro->Reference());
    }

    // Attachments: the EmbeddedFiles name tree (names sorted as the tree requires).
    if (!attachments.empty()) {
        std::vector<const Attachment*> sorted;
        for (const auto& a : attachments) sorted.push_back(&a);
        std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
        PdfArray names, afs;
        for (const Attachment* a : sorted) {
            PdfObject* ef = objs.CreateObject("EmbeddedFile");
            ef->GetDictionary().AddKey("Subtype", PdfName(a->mime));
            PdfDictionary params;
            params.AddKey("Size", PdfVariant(static_cast<pdf_int64>(a->data.size())));
            params.AddKey("ModDate", PdfString(date));
            ef->GetDictionary().AddKey("Params", params);
            setStream(ef, a->data);
            PdfObject* fs = objs.CreateObject("Filespec");
            PdfDictionary& fd = fs->GetDictionary();
            fd.AddKey("F", PdfString(a->name));
            fd.AddKey("UF", utf8String(a->name));
            if (!a->description.empty()) fd.AddKey("Desc", utf8String(a->description));
            fd.AddKey("AFRelationship", PdfName("Data"));
            PdfDictionary efd;
            efd.AddKey("F", ef->Reference());
            efd.AddKey("UF", ef->Reference());
            fd.AddKey("EF", efd);
            names.push_back(utf8String(a->name));
            names.push_back(fs->Reference());
            afs.push_back(fs->Reference());
        }
        PdfDictionary tree, nameDict;
        tree.AddKey("Names", names);
        nameDict.AddKey("EmbeddedFiles", tree);
        catalog.AddKey("Names", nameDict);
        catalog.AddKey("AF", afs);
    }
}

Result<std::string> Document::write(const WriteOptions& options) {
    if (!m->fonts || !m->ttf(0) || !m->ttf(1)) return Error{"PDF fonts are not available (DejaVu Sans)", {}};
    if (m->pages.empty()) return Error{"PDF has no pages", {}};
    try {
        std::vector<Impl::Canvas> canvases;
        for (const auto& p : m->pages) canvases.push_back(p.canvas);
        PdfMemDocument doc;
        m->write(doc, options, canvases);
        PdfRefCountedBuffer buffer;
        PdfOutputDevice device(&buffer);
        doc.Write(&device);
        std::string out(buffer.GetBuffer(), static_cast<std::size_t>(device.GetLength()));
        // /ID from the content: replace PoDoFo's identifier (same length, so the xref stays
        // valid) with the first 16 bytes of the SHA-256 of the whole file.
        const std::size_t idPos = out.rfind("/ID");
        if (idPos != std::string::npos) {
            unsigned char digest[SHA256_DIGEST_LENGTH];
            SHA256(reinterpret_cast<const unsigned char*>(out.data()), out.size(), digest);
            static const char* hex = "0123456789ABCDEF";
            std::string id;
            for (int i = 0; i < 16; ++i) {
                id.push_back(hex[digest[i] >> 4]);
                id.push_back(hex[digest[i] & 0xF]);
            }
            std::size_t p = idPos;
            for (int k = 0; k < 2; ++k) {
                const std::size_t open = out.find('<', p);
                const std::size_t close = open == std::string::npos ? open : out.find('>', open);
                if (close == std::string::npos || close - open - 1 != id.size()) break;
                out.replace(open + 1, id.size(), id);
                p = close + 1;
            }
        }
        return out;
    } catch (const PdfError& e) {
        return Error{std::string("PDF writer failed: ") + PdfError::ErrorName(e.GetError()), {}};
    } catch (const std::exception& e) {
        return Error{std::string("PDF writer failed: ") + e.what(), {}};
    }
}

}  // namespace lecert::pdf
