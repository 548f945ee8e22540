// SPDX-License-Identifier: MIT
// Text layout of a Document: measurement (as shaped) and greedy word wrap.
#include <algorithm>

#include "core/pdf/document_impl.h"
#include "core/pdf/text_shaping.h"

namespace lecert::pdf {

using namespace detail;

double Document::Impl::measure(std::u32string_view s, FontFace face) const {
    // Printable ASCII the face has: summed advances, as emitAscii draws it (no shaping).
    if (isBaseAscii(s, face)) {
        double w = 0;
        for (char32_t c : s) w += fonts->ascii(face, c).advance;
        return w;
    }
    return shapeLine(*fonts, s, face).width;
}

std::vector<std::u32string> Document::Impl::wrap(const std::u32string& s, double width,
                                                 const TextStyle& st) const {
    std::vector<std::u32string> lines;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t nl = s.find(U'\n', start);
        if (nl == std::u32string::npos) nl = s.size();
        wrapParagraph(s.substr(start, nl - start), width, st, lines);
        start = nl + 1;
    }
    return lines;
}

namespace {

// The token of `para` starting at `i`: a word with its trailing spaces, or one CJK character.
std::size_t tokenEnd(std::u32string_view para, std::size_t i) {
    std::size_t j = i;
    if (breaksAnywhere(para[j])) {
        ++j;
    } else {
        while (j < para.size() && para[j] != U' ' && !breaksAnywhere(para[j])) ++j;
    }
    while (j < para.size() && para[j] == U' ') ++j;
    return j;
}

void trimTrailingSpaces(std::u32string& s) {
    while (!s.empty() && s.back() == U' ') s.pop_back();
}

std::u32string_view withoutTrailingSpaces(std::u32string_view s) {
    while (!s.empty() && s.back() == U' ') s.remove_suffix(1);
    return s;
}

}  // namespace

void Document::Impl::wrapParagraph(const std::u32string& para, double width, const TextStyle& st,
                                   std::vector<std::u32string>& lines) const {
    const double scale = st.size / 1000.0;
    std::u32string line;
    double lineW = 0;
    std::size_t i = 0;
    const std::u32string_view text(para);
    while (i < para.size()) {
        const std::size_t j = tokenEnd(text, i);
        // Views into the paragraph: no string per word.
        const std::u32string_view tok = text.substr(i, j - i);
        const std::u32string_view trimmed = withoutTrailingSpaces(tok);
        const double tokW = measure(tok, st.face) * scale;
        const double trimW = measure(trimmed, st.face) * scale;
        if (lineW + trimW <= width || line.empty()) {
            if (line.empty() && trimW > width) {
                // A word longer than the line: break it between characters.
                std::u32string piece;
                double pw = 0;
                for (std::size_t k = 0; k < trimmed.size(); ++k) {
                    const double cw = measure(std::u32string_view(&trimmed[k], 1), st.face) * scale;
                    if (pw + cw > width && !piece.empty()) {
                        lines.push_back(piece);
                        piece.clear();
                        pw = 0;
                    }
                    piece.push_back(trimmed[k]);
                    pw += cw;
                }
                line = piece;
                line += tok.substr(trimmed.size());
                lineW = measure(line, st.face) * scale;
            } else {
                line += tok;
                lineW += tokW;
            }
            i = j;
        } else {
            trimTrailingSpaces(line);
            lines.push_back(line);
            line.clear();
            lineW = 0;
        }
    }
    trimTrailingSpaces(line);
    lines.push_back(line);
}

}  // namespace lecert::pdf
