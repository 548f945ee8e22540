// SPDX-License-Identifier: MIT
#include "core/pdf/pdf_syntax.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "core/util/text.h"

namespace lecert::pdf::detail {

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

// A text string, always as a hex string: a literal string holds the value's own bytes, and a
// value such as "... trailer ..." or "endobj" in an uncompressed object made Ghostscript's
// parser take it for file structure (/syntaxerror, then a repair). Hex digits never look like
// structure. Plain ASCII is written byte for byte, anything else as UTF-16BE with a byte
// order mark.
void appendTextString(std::string& out, std::string_view utf8) {
    static const char* hex = "0123456789ABCDEF";
    const bool ascii = std::all_of(utf8.begin(), utf8.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\r' || c == '\t';
    });
    if (ascii) {
        // Sized once and filled in place: a form writes ~150 names and tooltips per file.
        const std::size_t at = out.size();
        out.resize(at + 2 * utf8.size() + 2);
        char* p = out.data() + at;
        *p++ = '<';
        for (char ch : utf8) {
            const auto c = static_cast<unsigned char>(ch);
            *p++ = hex[c >> 4];
            *p++ = hex[c & 0xF];
        }
        *p = '>';
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

void appendInt(std::string& out, long long v) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

void appendRef(std::string& out, int obj) {
    appendInt(out, obj);
    out += " 0 R";
}

std::string ref(int obj) {
    std::string s;
    appendRef(s, obj);
    return s;
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

}  // namespace lecert::pdf::detail
