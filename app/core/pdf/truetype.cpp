// SPDX-License-Identifier: MIT
#include "core/pdf/truetype.h"

#include <algorithm>

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

namespace lecert::pdf {

namespace {

// Big-endian reads from a table blob; out of range reads 0 (a short table keeps defaults).
struct Table {
    hb_blob_t* blob = nullptr;
    const char* d = nullptr;
    unsigned n = 0;
    Table(hb_face_t* face, const char* tag) {
        blob = hb_face_reference_table(face, hb_tag_from_string(tag, 4));
        d = hb_blob_get_data(blob, &n);
    }
    ~Table() { hb_blob_destroy(blob); }
    Table(const Table&) = delete;
    Table& operator=(const Table&) = delete;
    std::uint16_t u16(unsigned o) const {
        if (o + 2 > n) return 0;
        return static_cast<std::uint16_t>((static_cast<unsigned char>(d[o]) << 8) |
                                          static_cast<unsigned char>(d[o + 1]));
    }
    std::int16_t s16(unsigned o) const { return static_cast<std::int16_t>(u16(o)); }
    std::int32_t s32(unsigned o) const {
        return static_cast<std::int32_t>((static_cast<std::uint32_t>(u16(o)) << 16) | u16(o + 2));
    }
};

std::string plainName(const std::string& s) {
    std::string out;
    // PDF names must be plain: keep letters, digits and '-'.
    for (char c : s)
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
            out.push_back(c);
    return out.empty() ? "Font" : out;
}

// The byte after a CFF INDEX at `o` (0 when it runs past the end); `first`/`last` get the
// bounds of its first element.
unsigned skipIndex(const Table& t, unsigned o, unsigned& first, unsigned& last) {
    const unsigned count = t.u16(o);
    if (count == 0) return o + 2;
    const unsigned offSize = o + 2 < t.n ? static_cast<unsigned char>(t.d[o + 2]) : 0;
    if (offSize < 1 || offSize > 4) return 0;
    auto off = [&](unsigned i) {
        unsigned v = 0;
        for (unsigned k = 0; k < offSize; ++k) {
            const unsigned at = o + 3 + i * offSize + k;
            v = (v << 8) | (at < t.n ? static_cast<unsigned char>(t.d[at]) : 0u);
        }
        return v;
    };
    const unsigned base = o + 2 + (count + 1) * offSize;  // offsets count from the byte before
    first = base + off(0);
    last = base + off(1);
    const unsigned end = base + off(count);
    return end <= t.n ? end : 0;
}

// True when the CFF's Top DICT has the ROS operator (12 30): a CID-keyed font, whose charset
// maps glyphs to CIDs.
bool cffIsCidKeyed(const Table& cff) {
    if (cff.n < 4) return false;
    unsigned first = 0, last = 0;
    const unsigned top = skipIndex(cff, static_cast<unsigned char>(cff.d[2]), first, last);
    if (top == 0 || skipIndex(cff, top, first, last) == 0) return false;
    for (unsigned i = first; i < last && i < cff.n;) {
        const auto b = static_cast<unsigned char>(cff.d[i]);
        if (b == 12) return i + 1 < cff.n && static_cast<unsigned char>(cff.d[i + 1]) == 30;
        if (b <= 21) return false;  // ROS, when present, is the first operator
        if (b == 28)
            i += 3;
        else if (b == 29)
            i += 5;
        else if (b == 30) {  // a real: nibbles up to an 0xF nibble
            ++i;
            while (i < last && (static_cast<unsigned char>(cff.d[i]) & 0x0F) != 0x0F &&
                   (static_cast<unsigned char>(cff.d[i]) & 0xF0) != 0xF0)
                ++i;
            ++i;
        } else if (b >= 32 && b <= 246)
            i += 1;
        else if (b >= 247 && b <= 254)
            i += 2;
        else
            return false;
    }
    return false;
}

}  // namespace

TrueTypeFont::~TrueTypeFont() {
    hb_font_destroy(m_font);
    hb_face_destroy(m_face);
}

Result<std::shared_ptr<const TrueTypeFont>> TrueTypeFont::load(const std::string& path,
                                                               unsigned index) {
    hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
    if (!blob) return Error{"cannot open font file", {path, 0, 0, ""}};
    std::shared_ptr<TrueTypeFont> f(new TrueTypeFont());
    Status st = f->init(blob, index);
    hb_blob_destroy(blob);
    if (!st) {
        Error e = st.error();
        e.where.file = path;
        return e;
    }
    return std::shared_ptr<const TrueTypeFont>(std::move(f));
}

Result<std::shared_ptr<const TrueTypeFont>> TrueTypeFont::fromBytes(std::string bytes,
                                                                    const std::string& name) {
    auto* owned = new std::string(std::move(bytes));
    hb_blob_t* blob =
        hb_blob_create(owned->data(), static_cast<unsigned>(owned->size()), HB_MEMORY_MODE_READONLY,
                       owned, [](void* p) { delete static_cast<std::string*>(p); });
    std::shared_ptr<TrueTypeFont> f(new TrueTypeFont());
    Status st = f->init(blob, 0);
    hb_blob_destroy(blob);
    if (!st) return st.error();
    if (!name.empty()) f->m_baseName = plainName(name);
    return std::shared_ptr<const TrueTypeFont>(std::move(f));
}

Status TrueTypeFont::init(hb_blob_t* blob, unsigned index) {
    if (index >= hb_face_count(blob)) return Error{"font face index out of range", {}};
    m_face = hb_face_create(blob, index);
    m_numGlyphs = static_cast<std::uint16_t>(std::min(hb_face_get_glyph_count(m_face), 65535u));
    if (m_numGlyphs == 0) return Error{"not an OpenType font (no glyphs)", {}};
    const unsigned upem = hb_face_get_upem(m_face);
    m_scale = 1000.0 / (upem ? upem : 1000);
    {
        Table cff(m_face, "CFF ");
        m_cff = cff.n > 0;
        m_cidKeyed = m_cff && cffIsCidKeyed(cff);
    }
    Table head(m_face, "head"), hhea(m_face, "hhea"), os2(m_face, "OS/2"), post(m_face, "post");
    if (head.n < 54 || hhea.n < 36) return Error{"font lacks the 'head' or 'hhea' table", {}};
    for (unsigned i = 0; i < 4; ++i) m_bbox[i] = head.s16(36 + 2 * i) * m_scale;
    m_ascent = hhea.s16(4) * m_scale;
    m_descent = hhea.s16(6) * m_scale;
    m_capHeight = m_ascent * 0.9;
    if (os2.n >= 90 && os2.u16(0) >= 2) m_capHeight = os2.s16(88) * m_scale;
    if (post.n >= 8) m_italicAngle = static_cast<double>(post.s32(4)) / 65536.0;

    m_font = hb_font_create(m_face);
    hb_font_set_scale(m_font, static_cast<int>(upem), static_cast<int>(upem));
    hb_font_make_immutable(m_font);
    m_advances.resize(m_numGlyphs);
    for (std::uint16_t g = 0; g < m_numGlyphs; ++g)
        m_advances[g] = static_cast<std::uint16_t>(hb_font_get_glyph_h_advance(m_font, g));

    char ps[128];
    unsigned len = sizeof ps;
    hb_ot_name_get_utf8(m_face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, ps);
    m_baseName = plainName(std::string(ps, len));
    return Ok{};
}

std::uint16_t TrueTypeFont::glyphFor(char32_t cp) const {
    hb_codepoint_t g = 0;
    if (!hb_font_get_nominal_glyph(m_font, cp, &g) || g > 0xFFFF) return 0;
    return static_cast<std::uint16_t>(g);
}

std::string TrueTypeFont::buildSubset(const std::vector<std::uint16_t>& glyphs) const {
    hb_subset_input_t* in = hb_subset_input_create_or_fail();
    if (!in) return {};
    hb_set_t* gs = hb_subset_input_glyph_set(in);
    hb_set_add(gs, 0);
    for (std::uint16_t g : glyphs) hb_set_add(gs, g);
    hb_set_clear(hb_subset_input_unicode_set(in));
    // Glyph ids are kept (retain-gids: empty glyf entries cost little). A CID-keyed CFF keeps
    // its CIDs in the subset's charset instead, and a PDF CIDFontType0 is addressed by CID, so
    // its glyphs are renumbered compactly (retained ids would leave an empty charstring per
    // glyph: ~50 KB for Noto CJK's 65,535; its CIDs are its glyph ids).
    unsigned flags = HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE;
    if (!m_cidKeyed) flags |= HB_SUBSET_FLAGS_RETAIN_GIDS;
    hb_subset_input_set_flags(in, flags);
    // Layout tables serve shaping, which is done before embedding; without them the subset is
    // smaller and no substitution closure adds glyphs.
    hb_set_t* drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (const char* t : {"GSUB", "GPOS", "GDEF", "kern", "morx", "hdmx", "VDMX", "LTSH", "DSIG",
                          "BASE", "JSTF", "MATH", "vhea", "vmtx", "VORG", "gasp"})
        hb_set_add(drop, hb_tag_from_string(t, 4));
    hb_face_t* sub = hb_subset_or_fail(m_face, in);
    hb_subset_input_destroy(in);
    if (!sub) return {};
    hb_blob_t* blob = m_cff ? hb_face_reference_table(sub, hb_tag_from_string("CFF ", 4))
                            : hb_face_reference_blob(sub);
    unsigned n = 0;
    const char* d = hb_blob_get_data(blob, &n);
    std::string out(d ? d : "", d ? n : 0);
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    return out;
}

}  // namespace lecert::pdf
