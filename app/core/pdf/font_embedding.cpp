// SPDX-License-Identifier: MIT
#include "core/pdf/font_embedding.h"
#include "core/util/libcrypto.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/pdf/font_set.h"
#include "core/pdf/pdf_syntax.h"
#include "core/pdf/truetype.h"

namespace lecert::pdf::detail {

namespace {

std::string subsetTag(const std::vector<std::uint16_t>& glyphs, int slot) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    std::string bytes(reinterpret_cast<const char*>(glyphs.data()),
                      glyphs.size() * sizeof(std::uint16_t));
    bytes.push_back(static_cast<char>(slot));
    crypto::lib().SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                         digest);
    std::string tag;
    for (int i = 0; i < 6; ++i) tag.push_back(static_cast<char>('A' + digest[i] % 26));
    return tag;
}

std::string toUnicodeCMap(const std::vector<std::pair<std::uint16_t, std::u32string>>& unicode) {
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
    for (const auto& [g, text] : unicode) {
        if (text.empty() || g == 0) continue;
        entries.push_back('<');
        entries += utf16beHex(std::u32string(1, static_cast<char32_t>(g)));
        entries += "> <";
        entries += utf16beHex(text);
        entries += ">\n";
        if (++count == 100) flush();
    }
    flush();
    out += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    return out;
}

}  // namespace

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
    const std::string file = f.buildSubset(glyphs);
    ef.cff = f.isCff();
    ef.baseName = nameOf(subsetTag(glyphs, slot) + "+" + f.baseName());
    ef.file = pack(file);
    ef.fileLength = file.size();
    // By glyph id: /W runs of consecutive ids, and a ToUnicode map in id order.
    std::vector<std::pair<std::uint16_t, std::u32string>> byId;
    for (std::size_t i = 0; i < glyphs.size(); ++i)
        byId.emplace_back(glyphs[i], i < unicode.size() ? unicode[i] : std::u32string());
    std::sort(byId.begin(), byId.end());
    for (std::size_t i = 0; i < byId.size();) {
        std::size_t j = i;
        if (i) ef.widths.push_back(' ');
        ef.widths += std::to_string(byId[i].first) + " [";
        for (; j < byId.size() && byId[j].first == byId[i].first + (j - i); ++j) {
            if (j > i) ef.widths.push_back(' ');
            ef.widths += std::to_string(std::lround(f.advance(byId[j].first)));
        }
        ef.widths += "]";
        i = j;
    }
    ef.toUnicode = pack(toUnicodeCMap(byId));
    return memo.emplace(std::move(key), std::move(ef)).first->second;
}

}  // namespace lecert::pdf::detail
