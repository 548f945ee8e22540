// SPDX-License-Identifier: MIT
#include "core/pdf/truetype.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <unordered_set>

namespace lecert::pdf {

namespace {

std::uint32_t tagOf(const char* t) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(t[0])) << 24) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(t[1])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(t[2])) << 8) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(t[3]));
}

// Bounds-checked big-endian readers over a byte view; out-of-range reads return 0 and set
// the failure flag so a truncated font is reported instead of read past its end.
struct Reader {
    std::string_view d;
    bool bad = false;
    std::uint8_t u8(std::size_t o) {
        if (o >= d.size()) {
            bad = true;
            return 0;
        }
        return static_cast<std::uint8_t>(d[o]);
    }
    std::uint16_t u16(std::size_t o) {
        return static_cast<std::uint16_t>((u8(o) << 8) | u8(o + 1));
    }
    std::int16_t s16(std::size_t o) { return static_cast<std::int16_t>(u16(o)); }
    std::uint32_t u32(std::size_t o) {
        return (static_cast<std::uint32_t>(u16(o)) << 16) | u16(o + 2);
    }
};

void put16(std::string& s, std::uint16_t v) {
    s.push_back(static_cast<char>(v >> 8));
    s.push_back(static_cast<char>(v & 0xFF));
}
void put32(std::string& s, std::uint32_t v) {
    put16(s, static_cast<std::uint16_t>(v >> 16));
    put16(s, static_cast<std::uint16_t>(v & 0xFFFF));
}
void set16(std::string& s, std::size_t o, std::uint16_t v) {
    s[o] = static_cast<char>(v >> 8);
    s[o + 1] = static_cast<char>(v & 0xFF);
}
void set32(std::string& s, std::size_t o, std::uint32_t v) {
    set16(s, o, static_cast<std::uint16_t>(v >> 16));
    set16(s, o + 2, static_cast<std::uint16_t>(v & 0xFFFF));
}
std::uint32_t checksum(std::string_view t) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < t.size(); i += 4) {
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            v <<= 8;
            if (i + k < t.size()) v |= static_cast<unsigned char>(t[i + k]);
        }
        sum += v;
    }
    return sum;
}

// Composite glyph flags (TrueType 'glyf').
constexpr std::uint16_t kArgWords = 0x0001;
constexpr std::uint16_t kHaveScale = 0x0008;
constexpr std::uint16_t kMoreComponents = 0x0020;
constexpr std::uint16_t kHaveXYScale = 0x0040;
constexpr std::uint16_t kHaveTwoByTwo = 0x0080;
constexpr std::uint16_t kHaveInstructions = 0x0100;

}  // namespace

Result<std::shared_ptr<const TrueTypeFont>> TrueTypeFont::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot open font file", {path, 0, 0, ""}};
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string name = path;
    const auto slash = name.find_last_of('/');
    if (slash != std::string::npos) name = name.substr(slash + 1);
    const auto dot = name.find_last_of('.');
    if (dot != std::string::npos) name = name.substr(0, dot);
    auto r = fromBytes(std::move(bytes), name);
    if (!r) {
        Error e = r.error();
        e.where.file = path;
        return e;
    }
    return r;
}

Result<std::shared_ptr<const TrueTypeFont>> TrueTypeFont::fromBytes(std::string bytes,
                                                                    const std::string& name) {
    std::shared_ptr<TrueTypeFont> f(new TrueTypeFont());
    f->m_bytes = std::move(bytes);
    // PDF names must be plain: keep letters, digits and '-'.
    for (char c : name)
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
            f->m_baseName.push_back(c);
    if (f->m_baseName.empty()) f->m_baseName = "Font";
    Status st = f->parse();
    if (!st) return st.error();
    return std::shared_ptr<const TrueTypeFont>(std::move(f));
}

std::string_view TrueTypeFont::table(const char* tag) const {
    auto it = m_tables.find(tagOf(tag));
    if (it == m_tables.end()) return {};
    return std::string_view(m_bytes).substr(it->second.first, it->second.second);
}

// Longer than the usual 80 lines on purpose: one pass over the font's tables (head, hhea, maxp,
// hmtx, loca, cmap, OS/2, post), each a few bounds checks; split, those checks would be spread
// over functions that share the reader's state.
Status TrueTypeFont::parse() {
    Reader r{m_bytes};
    const std::uint32_t version = r.u32(0);
    if (version == tagOf("ttcf")) return Error{"font collections (.ttc) are not supported", {}};
    if (version == tagOf("OTTO")) return Error{"CFF-based OpenType fonts are not supported", {}};
    if (version != 0x00010000 && version != tagOf("true")) return Error{"not a TrueType font", {}};
    const std::uint16_t numTables = r.u16(4);
    for (std::uint16_t i = 0; i < numTables; ++i) {
        const std::size_t rec = 12 + 16u * i;
        const std::uint32_t tag = r.u32(rec);
        const std::uint32_t off = r.u32(rec + 8);
        const std::uint32_t len = r.u32(rec + 12);
        if (r.bad || off > m_bytes.size() || len > m_bytes.size() - off)
            return Error{"font table directory is damaged", {}};
        m_tables[tag] = {off, len};
    }
    for (const char* need : {"head", "hhea", "hmtx", "maxp", "loca", "glyf", "cmap"})
        if (table(need).empty())
            return Error{std::string("font lacks the '") + need + "' table", {}};

    Reader head{table("head")};
    m_unitsPerEm = head.u16(18);
    if (m_unitsPerEm <= 0) m_unitsPerEm = 1000;
    const double k = 1000.0 / m_unitsPerEm;
    for (int i = 0; i < 4; ++i) m_bbox[i] = head.s16(36 + 2u * static_cast<unsigned>(i)) * k;
    const bool longLoca = head.s16(50) != 0;

    Reader maxp{table("maxp")};
    m_numGlyphs = maxp.u16(4);

    Reader hhea{table("hhea")};
    m_ascent = hhea.s16(4) * k;
    m_descent = hhea.s16(6) * k;
    const std::uint16_t numHMetrics = hhea.u16(34);
    m_capHeight = m_ascent * 0.9;
    if (auto os2 = table("OS/2"); os2.size() >= 90) {
        Reader o{os2};
        if (o.u16(0) >= 2) m_capHeight = o.s16(88) * k;
    }
    if (auto post = table("post"); post.size() >= 8) {
        Reader p{post};
        m_italicAngle = static_cast<double>(static_cast<std::int32_t>(p.u32(4))) / 65536.0;
    }

    Reader hmtx{table("hmtx")};
    m_advances.resize(m_numGlyphs);
    std::uint16_t last = 0;
    for (std::uint16_t g = 0; g < m_numGlyphs; ++g) {
        if (g < numHMetrics) last = hmtx.u16(4u * g);
        m_advances[g] = last;
    }

    Reader loca{table("loca")};
    m_loca.resize(static_cast<std::size_t>(m_numGlyphs) + 1);
    for (std::size_t g = 0; g <= m_numGlyphs; ++g)
        m_loca[g] = longLoca ? loca.u32(4 * g) : static_cast<std::uint32_t>(loca.u16(2 * g)) * 2u;
    const auto glyfLen = table("glyf").size();
    for (std::size_t g = 0; g < m_numGlyphs; ++g)
        if (m_loca[g] > m_loca[g + 1] || m_loca[g + 1] > glyfLen)
            return Error{"font 'loca' table is damaged", {}};
    if (hmtx.bad || loca.bad || head.bad || hhea.bad || maxp.bad)
        return Error{"font tables are truncated", {}};

    // cmap: prefer a full-repertoire (3,10)/(0,4) format 12 table, else the BMP format 4 one.
    Reader cm{table("cmap")};
    const std::uint16_t n = cm.u16(2);
    std::size_t fmt4 = 0, fmt12 = 0;
    for (std::uint16_t i = 0; i < n; ++i) {
        const std::uint16_t pid = cm.u16(4 + 8u * i), eid = cm.u16(6 + 8u * i);
        const std::uint32_t off = cm.u32(8 + 8u * i);
        const std::uint16_t fmt = cm.u16(off);
        if (fmt == 12 && ((pid == 3 && eid == 10) || pid == 0)) fmt12 = off;
        if (fmt == 4 && ((pid == 3 && eid == 1) || pid == 0) && fmt4 == 0) fmt4 = off;
    }
    m_bmp.assign(65536, 0);
    if (fmt12) {
        const std::uint32_t groups = cm.u32(fmt12 + 12);
        for (std::uint32_t gi = 0; gi < groups && !cm.bad; ++gi) {
            const std::size_t g = fmt12 + 16 + 12u * gi;
            const std::uint32_t start = cm.u32(g), end = cm.u32(g + 4), gid = cm.u32(g + 8);
            if (end < start || end > 0x10FFFF || end - start > 0x10FFFF) break;
            for (std::uint32_t c = start; c <= end; ++c) {
                const std::uint32_t glyph = gid + (c - start);
                if (glyph >= m_numGlyphs) continue;
                if (c < 0x10000)
                    m_bmp[c] = static_cast<std::uint16_t>(glyph);
                else
                    m_astral[static_cast<char32_t>(c)] = static_cast<std::uint16_t>(glyph);
            }
        }
    } else if (fmt4) {
        const std::uint16_t segX2 = cm.u16(fmt4 + 6);
        const std::size_t ends = fmt4 + 14, starts = ends + segX2 + 2, deltas = starts + segX2,
                          ranges = deltas + segX2;
        for (std::uint16_t s = 0; s < segX2 / 2 && !cm.bad; ++s) {
            const std::uint16_t end = cm.u16(ends + 2u * s), start = cm.u16(starts + 2u * s);
            const std::uint16_t delta = cm.u16(deltas + 2u * s), ro = cm.u16(ranges + 2u * s);
            for (std::uint32_t c = start; c <= end && c != 0xFFFF; ++c) {
                std::uint32_t glyph = 0;
                if (ro == 0) {
                    glyph = (c + delta) & 0xFFFF;
                } else {
                    const std::size_t at = ranges + 2u * s + ro + 2u * (c - start);
                    glyph = cm.u16(at);
                    if (glyph) glyph = (glyph + delta) & 0xFFFF;
                }
                if (glyph < m_numGlyphs) m_bmp[c] = static_cast<std::uint16_t>(glyph);
            }
        }
    } else {
        return Error{"font has no Unicode cmap", {}};
    }
    if (cm.bad) return Error{"font 'cmap' table is damaged", {}};
    return Ok{};
}

std::uint16_t TrueTypeFont::glyphFor(char32_t cp) const {
    if (cp < 0x10000) return m_bmp[cp];
    auto it = m_astral.find(cp);
    return it == m_astral.end() ? 0 : it->second;
}

double TrueTypeFont::advance(std::uint16_t glyph) const {
    if (glyph >= m_numGlyphs) return 0;
    return m_advances[glyph] * 1000.0 / m_unitsPerEm;
}

std::string_view TrueTypeFont::glyphData(std::uint16_t glyph) const {
    if (glyph >= m_numGlyphs) return {};
    return table("glyf").substr(m_loca[glyph], m_loca[glyph + 1u] - m_loca[glyph]);
}

// Longer than the usual 80 lines on purpose: the subset's tables (glyf, loca, hmtx, hhea, maxp,
// head, cmap, post) are written in one place so their offsets and checksums stay in step.
std::string TrueTypeFont::buildSubset(std::vector<std::uint16_t>& glyphs) const {
    std::map<std::uint16_t, std::uint16_t> newId;  // old -> new
    for (std::size_t i = 0; i < glyphs.size(); ++i)
        newId.emplace(glyphs[i], static_cast<std::uint16_t>(i));

    // Copy glyph outlines without hinting instructions; remap composite components.
    std::string glyf;
    std::vector<std::uint32_t> loca;
    for (std::size_t i = 0; i < glyphs.size(); ++i) {
        loca.push_back(static_cast<std::uint32_t>(glyf.size()));
        std::string g(glyphData(glyphs[i]));
        if (g.size() >= 10) {
            Reader r{g};
            const std::int16_t contours = r.s16(0);
            if (contours >= 0) {
                const std::size_t il = 10 + 2u * static_cast<std::size_t>(contours);
                const std::uint16_t instrLen = r.u16(il);
                if (!r.bad && il + 2 + instrLen <= g.size()) {
                    g = g.substr(0, il) + std::string(2, '\0') + g.substr(il + 2 + instrLen);
                }
            } else {
                std::size_t o = 10;
                std::uint16_t flags = 0;
                do {
                    flags = r.u16(o);
                    const std::uint16_t comp = r.u16(o + 2);
                    if (r.bad) break;
                    auto it = newId.find(comp);
                    if (it == newId.end()) {
                        it = newId.emplace(comp, static_cast<std::uint16_t>(glyphs.size())).first;
                        glyphs.push_back(comp);
                    }
                    set16(g, o + 2, it->second);
                    if (flags & kHaveInstructions)
                        set16(g, o, static_cast<std::uint16_t>(flags & ~kHaveInstructions));
                    o += 4 + ((flags & kArgWords) ? 4 : 2);
                    if (flags & kHaveScale)
                        o += 2;
                    else if (flags & kHaveXYScale)
                        o += 4;
                    else if (flags & kHaveTwoByTwo)
                        o += 8;
                } while ((flags & kMoreComponents) && o < g.size());
                if (!r.bad && o <= g.size()) g.resize(o);
            }
        }
        glyf += g;
        while (glyf.size() % 4) glyf.push_back('\0');
    }
    loca.push_back(static_cast<std::uint32_t>(glyf.size()));
    const auto count = static_cast<std::uint16_t>(glyphs.size());

    std::string locaT;
    for (auto v : loca) put32(locaT, v);
    std::string hmtxT;
    const auto em = m_unitsPerEm;
    for (auto g : glyphs) {
        put16(hmtxT, m_advances[g]);
        // left side bearing = xMin of the outline (0 for empty glyphs)
        std::string_view d = glyphData(g);
        std::int16_t lsb = 0;
        if (d.size() >= 10) lsb = Reader{d}.s16(2);
        put16(hmtxT, static_cast<std::uint16_t>(lsb));
    }
    (void)em;
    std::string head(table("head"));
    set32(head, 8, 0);   // checkSumAdjustment, fixed below
    set16(head, 50, 1);  // long loca
    std::string hhea(table("hhea"));
    set16(hhea, 34, count);
    std::string maxp(table("maxp"));
    set16(maxp, 4, count);
    if (maxp.size() >= 32) {
        set16(maxp, 26, 0);  // maxSizeOfInstructions
        set16(maxp, 18, 0);  // maxFunctionDefs
    }
    std::string post;  // format 3: no glyph names
    put32(post, 0x00030000);
    post += std::string(table("post").substr(4, 12));
    post.resize(32, '\0');
    std::string cmap;  // minimal (3,1) format 4 table: viewers use CIDToGIDMap instead
    put16(cmap, 0);
    put16(cmap, 1);
    put16(cmap, 3);
    put16(cmap, 1);
    put32(cmap, 12);
    put16(cmap, 4);
    put16(cmap, 24);
    put16(cmap, 0);
    put16(cmap, 2);
    put16(cmap, 2);
    put16(cmap, 0);
    put16(cmap, 0);
    put16(cmap, 0xFFFF);
    put16(cmap, 0);
    put16(cmap, 0xFFFF);
    put16(cmap, 1);
    put16(cmap, 0);

    std::vector<std::pair<const char*, std::string*>> tables = {
        {"cmap", &cmap},  {"glyf", &glyf},  {"head", &head}, {"hhea", &hhea},
        {"hmtx", &hmtxT}, {"loca", &locaT}, {"maxp", &maxp}, {"post", &post}};
    const auto nt = static_cast<std::uint16_t>(tables.size());
    std::string out;
    put32(out, 0x00010000);
    put16(out, nt);
    std::uint16_t es = 0;
    while ((2u << es) <= nt) ++es;
    put16(out, static_cast<std::uint16_t>(16u << es));
    put16(out, es);
    put16(out, static_cast<std::uint16_t>(nt * 16 - (16u << es)));
    std::size_t offset = 12 + 16u * nt;
    std::size_t headOffset = 0;
    for (auto& [tag, data] : tables) {
        out += tag;
        put32(out, checksum(*data));
        put32(out, static_cast<std::uint32_t>(offset));
        put32(out, static_cast<std::uint32_t>(data->size()));
        if (std::strcmp(tag, "head") == 0) headOffset = offset;
        offset += (data->size() + 3) & ~std::size_t{3};
    }
    for (auto& [tag, data] : tables) {
        out += *data;
        while (out.size() % 4) out.push_back('\0');
    }
    set32(out, headOffset + 8, 0xB1B0AFBAu - checksum(out));
    return out;
}

}  // namespace lecert::pdf
