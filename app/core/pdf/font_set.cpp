// SPDX-License-Identifier: MIT
#include "core/pdf/font_set.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb.h>
#include <sys/stat.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unistd.h>

#include "core/util/data_dir.h"
#include "core/util/json_io.h"
#include "core/util/text.h"

namespace lecert::pdf {

// One font of the chain: a family (and weight) resolved on first need, from the data file's
// known location when that file is there and carries the family's name, else through
// fontconfig; its file mapped for drawing on first draw.
struct FontSet::Entry {
    std::string family;
    bool bold = false;
    std::string knownFile;  // where Debian installs it ("files" in the data file); may be empty
    unsigned knownIndex = 0;
    std::once_flag resolveOnce, loadOnce;
    std::string file;  // empty = not installed
    unsigned index = 0;
    // What the font covers: fontconfig's cached character set, or (known file) the font's own
    // character map, read through HarfBuzz without parsing the rest of the font.
    FcCharSet* charset = nullptr;  // owned reference
    hb_font_t* cmap = nullptr;     // owned reference
    std::shared_ptr<const TrueTypeFont> font;
};

namespace {

// fontconfig's configuration, loaded once per process (reads its cache, not the fonts).
// Matching is serialised: fontconfig's thread safety varies between versions.
struct Fontconfig {
    FcConfig* config = nullptr;
    std::mutex mutex;
    ~Fontconfig() {
        if (config) FcConfigDestroy(config);
    }
};

Fontconfig& fontconfig(const std::string& extraDir) {
    static Fontconfig fc;
    static std::once_flag once;
    std::call_once(once, [&] {
        fc.config = FcInitLoadConfigAndFonts();
        if (fc.config && !extraDir.empty())
            FcConfigAppFontAddDir(fc.config, reinterpret_cast<const FcChar8*>(extraDir.c_str()));
    });
    return fc;
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// The installed file of `family` (bold: its bold style if it has one). fontconfig substitutes
// another family when one is missing; such a match does not count.
void resolveFamily(FontSet::Entry& e, const std::string& extraDir) {
    Fontconfig& fc = fontconfig(extraDir);
    if (!fc.config) return;
    std::lock_guard<std::mutex> lock(fc.mutex);
    FcPattern* pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, reinterpret_cast<const FcChar8*>(e.family.c_str()));
    FcPatternAddInteger(pat, FC_WEIGHT, e.bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
    FcConfigSubstitute(fc.config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern* match = FcFontMatch(fc.config, pat, &res);
    FcPatternDestroy(pat);
    if (!match) return;
    bool sameFamily = false;
    FcChar8* s = nullptr;
    for (int i = 0; FcPatternGetString(match, FC_FAMILY, i, &s) == FcResultMatch; ++i)
        if (lower(reinterpret_cast<const char*>(s)) == lower(e.family)) sameFamily = true;
    FcChar8* file = nullptr;
    FcCharSet* cs = nullptr;
    int index = 0;
    if (sameFamily && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) == FcResultMatch) {
        FcPatternGetInteger(match, FC_INDEX, 0, &index);
        e.file = reinterpret_cast<const char*>(file);
        e.index = static_cast<unsigned>(std::max(0, index));
        e.charset = FcCharSetCopy(cs);
    }
    FcPatternDestroy(match);
}

// Whether the face names `family` as its family (name IDs 1 and 16, any
// language, compared ignoring ASCII case, as fontconfig does).
bool namesFamily(hb_face_t* face, const std::string& family) {
    const std::string want = lower(family);
    unsigned count = 0;
    const hb_ot_name_entry_t* names = hb_ot_name_list_names(face, &count);
    for (unsigned i = 0; i < count; ++i) {
        if (names[i].name_id != HB_OT_NAME_ID_FONT_FAMILY &&
            names[i].name_id != HB_OT_NAME_ID_TYPOGRAPHIC_FAMILY)
            continue;
        char buf[256];
        unsigned len = sizeof buf;
        hb_ot_name_get_utf8(face, names[i].name_id, names[i].language, &len, buf);
        if (lower(std::string(buf, std::min<unsigned>(len, sizeof buf - 1))) == want) return true;
    }
    return false;
}

// The few tables a coverage check reads ('cmap', 'name', 'maxp'), read with pread: the file is
// neither mapped nor read whole, so a font stays unmapped until text that needs it is drawn.
struct CoverageTables {
    std::map<hb_tag_t, std::string> tables;
};

std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

bool readAt(int fd, std::uint64_t size, std::uint64_t offset, std::size_t length,
            std::string& out) {
    if (offset > size || length > size - offset) return false;
    out.resize(length);
    std::size_t done = 0;
    while (done < length) {
        const ssize_t n =
            ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// Face `index` of the OpenType file (or collection) at `path`, made of its coverage tables only;
// nullptr when the file is missing or not such a font.
hb_face_t* coverageFace(const std::string& path, unsigned index) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    auto tables = std::make_unique<CoverageTables>();
    bool ok = ::fstat(fd, &st) == 0;
    const auto size = static_cast<std::uint64_t>(st.st_size);
    std::string head;
    std::uint64_t dirAt = 0;
    ok = ok && readAt(fd, size, 0, 12, head);
    if (ok && head.compare(0, 4, "ttcf") == 0) {
        const auto* h = reinterpret_cast<const unsigned char*>(head.data());
        ok = index < be32(h + 8) && readAt(fd, size, 12 + 4ull * index, 4, head);
        dirAt = ok ? be32(reinterpret_cast<const unsigned char*>(head.data())) : 0;
        ok = ok && readAt(fd, size, dirAt, 12, head);
    } else {
        ok = ok && index == 0;
    }
    std::string dir;
    if (ok) {
        const auto* h = reinterpret_cast<const unsigned char*>(head.data());
        const unsigned count = (unsigned{h[4]} << 8) | h[5];
        ok = readAt(fd, size, dirAt + 12, 16u * count, dir);
        for (unsigned i = 0; ok && i < count; ++i) {
            const auto* rec = reinterpret_cast<const unsigned char*>(dir.data()) + 16 * i;
            const hb_tag_t tag = be32(rec);
            if (tag != HB_TAG('c', 'm', 'a', 'p') && tag != HB_TAG('n', 'a', 'm', 'e') &&
                tag != HB_TAG('m', 'a', 'x', 'p'))
                continue;
            const std::uint32_t length = be32(rec + 12);
            ok = length <= (16u << 20) &&
                 readAt(fd, size, be32(rec + 8), length, tables->tables[tag]);
        }
    }
    ::close(fd);
    if (!ok || tables->tables.size() < 3) return nullptr;
    return hb_face_create_for_tables(
        [](hb_face_t*, hb_tag_t tag, void* data) -> hb_blob_t* {
            const auto& t = static_cast<CoverageTables*>(data)->tables;
            const auto it = t.find(tag);
            if (it == t.end()) return hb_blob_get_empty();
            return hb_blob_create(it->second.data(), static_cast<unsigned>(it->second.size()),
                                  HB_MEMORY_MODE_READONLY, nullptr, nullptr);
        },
        tables.release(), [](void* data) { delete static_cast<CoverageTables*>(data); });
}

// The entry's known file, when it is there and is the family: no fontconfig needed.
bool resolveKnownFile(FontSet::Entry& e) {
    if (e.knownFile.empty()) return false;
    hb_face_t* face = coverageFace(e.knownFile, e.knownIndex);
    if (!face) return false;
    const bool ok = hb_face_get_glyph_count(face) > 0 && namesFamily(face, e.family);
    if (ok) {
        e.cmap = hb_font_create(face);
        hb_font_make_immutable(e.cmap);
        e.file = e.knownFile;
        e.index = e.knownIndex;
    }
    hb_face_destroy(face);
    return ok;
}

// "path" or "path#N" (face N of a font collection).
bool parseKnownFile(const std::string& text, std::string& path, unsigned& index) {
    const auto hash = text.rfind('#');
    path = text.substr(0, hash);
    index = 0;
    if (hash != std::string::npos) {
        const std::string n = text.substr(hash + 1);
        if (n.empty() || n.size() > 3 ||
            !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
        index = static_cast<unsigned>(std::stoul(n));
    }
    return !path.empty() && path.front() == '/';
}

std::string fontDirFromEnv() {
    // Lets packagers and tests add a folder of fonts to fontconfig's.
    const char* dir = std::getenv("LECERT_FONT_DIR");
    return dir && *dir ? std::string(dir) : std::string();
}

Result<std::vector<std::string>> familyList(const Json& j, const std::string& where) {
    std::vector<std::string> out;
    if (!j.is_array()) return Error{"'" + where + "' must be a list of font families", {}};
    for (const auto& f : j) {
        if (!f.is_string() || f.get<std::string>().empty())
            return Error{"'" + where + "' must list font family names", {}};
        out.push_back(f.get<std::string>());
    }
    return out;
}

}  // namespace

FontSet::~FontSet() {
    for (auto& e : m_fonts) {
        if (e->charset) FcCharSetDestroy(e->charset);
        if (e->cmap) hb_font_destroy(e->cmap);
    }
}

std::size_t FontSet::addFamily(const std::string& family, bool bold) {
    for (std::size_t i = 0; i < m_fonts.size(); ++i)
        if (m_fonts[i]->family == family && m_fonts[i]->bold == bold) return i;
    auto e = std::make_unique<Entry>();
    e->family = family;
    e->bold = bold;
    m_fonts.push_back(std::move(e));
    return m_fonts.size() - 1;
}

// Longer than most functions here: one pass over the data file, each part checked with the
// key named in its message.
Result<std::shared_ptr<FontSet>> FontSet::create(const FontPaths& paths) {
    const std::string file =
        paths.fallbackFile.empty() ? dataPath("fonts/fallback.json") : paths.fallbackFile;
    auto text = readFile(file, 1u << 20);
    if (!text) return text.error();
    auto json = parseJson(*text, file);
    if (!json) return json.error();
    std::shared_ptr<FontSet> set(new FontSet());
    set->m_extraDir = paths.extraFontDir.empty() ? fontDirFromEnv() : paths.extraFontDir;
    const Json& j = *json;
    const auto faces = j.find("faces");
    if (faces == j.end() || !faces->is_object() || !faces->contains("regular") ||
        !(*faces)["regular"].is_string() || !faces->contains("bold") ||
        !(*faces)["bold"].is_string())
        return Error{"'faces' must name a 'regular' and a 'bold' family", {file, 0, 0, ""}};
    set->addFamily((*faces)["regular"].get<std::string>(), false);
    set->addFamily((*faces)["bold"].get<std::string>(), true);
    for (int face = 0; face < 2; ++face)
        set->m_scriptChain[face].assign(static_cast<std::size_t>(USCRIPT_CODE_LIMIT), {});
    if (auto scripts = j.find("scripts"); scripts != j.end()) {
        if (!scripts->is_object())
            return Error{"'scripts' must map script codes to families", {file, 0, 0, ""}};
        for (const auto& [code, list] : scripts->items()) {
            const int sc = u_getPropertyValueEnum(UCHAR_SCRIPT, code.c_str());
            if (sc < 0 || sc >= USCRIPT_CODE_LIMIT)
                return Error{"'scripts' names an unknown script code", {file, 0, 0, code}};
            auto fams = familyList(list, "scripts." + code);
            if (!fams) return Error{fams.error().message, {file, 0, 0, ""}};
            for (const auto& f : *fams)
                for (int face = 0; face < 2; ++face)
                    set->m_scriptChain[face][static_cast<std::size_t>(sc)].push_back(
                        static_cast<std::uint8_t>(set->addFamily(f, face == 1)));
        }
    }
    if (auto fb = j.find("fallback"); fb != j.end()) {
        auto fams = familyList(*fb, "fallback");
        if (!fams) return Error{fams.error().message, {file, 0, 0, ""}};
        for (const auto& f : *fams)
            for (int face = 0; face < 2; ++face)
                set->m_fallback[face].push_back(
                    static_cast<std::uint8_t>(set->addFamily(f, face == 1)));
    }
    if (set->m_fonts.size() >= 250)
        return Error{"the font chain names more than 250 fonts", {file, 0, 0, ""}};
    if (auto known = j.find("files"); known != j.end() && !paths.fontconfigOnly) {
        if (!known->is_object())
            return Error{"'files' must map font families to their files", {file, 0, 0, ""}};
        for (const auto& [family, list] : known->items()) {
            if (!list.is_array() || list.size() != 2 || !list[0].is_string() ||
                !list[1].is_string())
                return Error{"'files." + family + "' must list two files: regular, then bold",
                             {file, 0, 0, ""}};
            for (auto& e : set->m_fonts) {
                if (e->family != family) continue;
                if (!parseKnownFile(list[e->bold ? 1 : 0].get<std::string>(), e->knownFile,
                                    e->knownIndex))
                    return Error{"'files." + family +
                                     "' must name absolute paths, with '#N' for face N of a "
                                     "collection",
                                 {file, 0, 0, ""}};
            }
        }
    }
    for (std::size_t face = 0; face < 2; ++face)
        if (set->resolved(face).file.empty())
            return Error{"font family '" + set->m_fonts[face]->family +
                             "' is not installed (fc-list shows the installed families)",
                         {file, 0, 0, ""}};
    static std::atomic<std::uint64_t> nextId{1};
    set->m_id = nextId++;
    return set;
}

const FontSet::Entry& FontSet::resolved(std::size_t slot) const {
    Entry& e = *m_fonts[slot];
    std::call_once(e.resolveOnce, [&e, this] {
        if (!resolveKnownFile(e)) resolveFamily(e, m_extraDir);
    });
    return e;
}

bool FontSet::covers(std::size_t slot, char32_t cp) const {
    const Entry& e = resolved(slot);
    if (e.cmap) {
        // fontconfig leaves the C0 controls out of its character sets, whatever the font maps;
        // so does this, and both answer alike (tests compare them over planes 0 to 2).
        if (cp < 0x20) return false;
        hb_codepoint_t glyph = 0;
        return hb_font_get_nominal_glyph(e.cmap, cp, &glyph) && glyph != 0;
    }
    return e.charset && FcCharSetHasChar(e.charset, cp);
}

std::string FontSet::describe(FontSlot slot) const {
    const auto i = static_cast<std::size_t>(slot);
    if (i >= m_fonts.size()) return "no font";
    const Entry& e = resolved(i);
    return e.family + (e.bold ? " (bold)" : "") + ": " +
           (e.file.empty() ? "not installed" : e.file);
}

const TrueTypeFont* FontSet::font(FontSlot slot) const {
    const auto i = static_cast<std::size_t>(slot);
    if (i >= m_fonts.size()) return nullptr;
    const Entry& r = resolved(i);
    Entry& e = *m_fonts[i];
    std::call_once(e.loadOnce, [&e, &r] {
        if (r.file.empty()) return;
        auto f = TrueTypeFont::load(r.file, r.index);
        if (f) e.font = *f;
    });
    return e.font.get();
}

bool FontSet::loadFaces() const {
    std::call_once(m_facesOnce, [this] {
        m_facesOk = font(FontSlot::Regular) && font(FontSlot::Bold);
        if (m_facesOk) precompute();
    });
    return m_facesOk;
}

void FontSet::precompute() const {
    for (int f = 0; f < 2; ++f) {
        const FontFace face = f ? FontFace::Bold : FontFace::Regular;
        const TrueTypeFont* own = font(f ? FontSlot::Bold : FontSlot::Regular);
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
            if (a.slot != FontSlot::Regular && a.slot != FontSlot::Bold) {
                a.slot = FontSlot::None;  // drawn through the general path
                continue;
            }
            const TrueTypeFont* tf = font(a.slot);
            a.glyph = tf->glyphFor(cp);
            a.advance = tf->advance(a.glyph);
            a.subsetId = a.glyph;
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
        auto r = create();
        return r ? *r : std::shared_ptr<FontSet>();
    }();
    return instance;
}

// Printable ASCII and line breaks/tabs only: text the regular face always covers.
static bool isPlainAsciiText(std::string_view utf8) {
    return std::all_of(utf8.begin(), utf8.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == '\n' || u == '\r' || u == '\t' || FontSet::isPrintableAscii(u);
    });
}

bool isInvisible(char32_t cp) {
    if (cp >= 0x20 && cp < 0x7F) return false;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return true;
    return u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0;
}

FontSlot FontSet::slotFor(char32_t cp, FontFace face, int script) const {
    const int f = face == FontFace::Bold ? 1 : 0;
    if (script < 0) {
        UErrorCode ec = U_ZERO_ERROR;
        script = uscript_getScript(static_cast<UChar32>(cp), &ec);
        if (U_FAILURE(ec)) script = USCRIPT_COMMON;
    }
    if (script >= 0 && script < USCRIPT_CODE_LIMIT)
        for (std::uint8_t s : m_scriptChain[f][static_cast<std::size_t>(script)])
            if (covers(s, cp)) return static_cast<FontSlot>(s);
    if (covers(static_cast<std::size_t>(f), cp)) return static_cast<FontSlot>(f);
    if (f == 1 && covers(0, cp)) return FontSlot::Regular;
    for (std::uint8_t s : m_fallback[f])
        if (covers(s, cp)) return static_cast<FontSlot>(s);
    // A character of another script that its own chain lacks may still be in some script font
    // (a Common-script sign inside, say, a Devanagari font).
    for (const auto& chain : m_scriptChain[f])
        for (std::uint8_t s : chain)
            if (covers(s, cp)) return static_cast<FontSlot>(s);
    if (isInvisible(cp)) return FontSlot::Regular;
    return FontSlot::None;
}

std::vector<char32_t> FontSet::undrawable(std::string_view utf8) const {
    std::vector<char32_t> out;
    // Fast path: printable ASCII, which the regular face covers (create() checked it exists).
    if (isPlainAsciiText(utf8)) return out;
    for (char32_t cp : text::toCodePoints(utf8)) {
        if (isInvisible(cp)) continue;
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

namespace {

// The shared FontSet, created only for text that needs it: creating it initialises fontconfig
// (its configuration files and caches), the largest part of validating one record, and a
// record of printable ASCII never needs it (the regular face covers that; filling checks the
// face exists).
class LazyPrintability : public Printability {
public:
    std::vector<char32_t> unprintable(std::string_view utf8) const override {
        if (pdf::isPlainAsciiText(utf8)) return {};
        const auto set = pdf::FontSet::shared();  // the process-wide set lives until exit
        return set ? set->unprintable(utf8) : std::vector<char32_t>{};
    }
};

}  // namespace

const Printability* defaultPrintability() {
    static const LazyPrintability lazy;
    return &lazy;
}

}  // namespace lecert
