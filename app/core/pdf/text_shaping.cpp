// SPDX-License-Identifier: MIT
#include "core/pdf/text_shaping.h"

#include <algorithm>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ushape.h>

#include "core/util/text.h"

namespace lecert::pdf::detail {

bool isRtl(char32_t cp) {
    if (cp < 0x0590) return false;  // Latin, Greek, Cyrillic...: no right-to-left characters
    const auto d = u_charDirection(static_cast<UChar32>(cp));
    return d == U_RIGHT_TO_LEFT || d == U_RIGHT_TO_LEFT_ARABIC;
}

bool isArabic(char32_t cp) {
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0x08A0 && cp <= 0x08FF);
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

std::u32string toU32(const icu::UnicodeString& u) {
    std::u32string out(static_cast<std::size_t>(u.countChar32()), U'\0');
    UErrorCode ec = U_ZERO_ERROR;
    u.toUTF32(reinterpret_cast<UChar32*>(out.data()), static_cast<int32_t>(out.size()), ec);
    return out;
}

}  // namespace

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

std::u32string searchableText(char32_t c) {
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

}  // namespace lecert::pdf::detail
