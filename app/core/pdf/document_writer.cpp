// SPDX-License-Identifier: MIT
// Serialisation of a Document: the whole PDF file, object by object (see PdfOut). Object numbers
// are reserved and bodies written in a fixed order, so the same document gives the same bytes.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/pdf/document_impl.h"
#include "core/pdf/font_embedding.h"
#include "core/pdf/pdf_out.h"
#include "core/pdf/pdf_syntax.h"
#include "core/pdf/text_shaping.h"
#include "core/util/text.h"

namespace lecert::pdf {

using namespace detail;

namespace {

using FontObjects = std::array<int, kSlots>;
using Canvas = Document::Impl::Canvas;
using Field = Document::Impl::Field;
using Widget = Document::Impl::Widget;
using Kind = Document::Impl::Kind;

// "<< /F0 n 0 R ... >>" for the slots in `mask` that have a font object.
std::string fontDict(const FontObjects& fontObj, unsigned mask) {
    std::string fd = "<<";
    for (int slot = 0; slot < kSlots; ++slot)
        if ((mask & (1u << slot)) && fontObj[static_cast<std::size_t>(slot)])
            fd += " /F" + std::to_string(slot) + " " + ref(fontObj[static_cast<std::size_t>(slot)]);
    return fd + " >>";
}

std::string resources(const FontObjects& fontObj, unsigned mask, bool watermark) {
    std::string res = "<<";
    if (mask) res += " /Font " + fontDict(fontObj, mask);
    if (watermark) res += " /ExtGState << /GSwm << /Type /ExtGState /ca 0.22 /CA 0.22 >> >>";
    return res + " >>";
}

void addKid(std::string& list, int obj) {
    if (!list.empty()) list.push_back(' ');
    appendRef(list, obj);
}

// True when every character is in WinAnsiEncoding, so the standard Helvetica in /DR can draw
// the value when a viewer regenerates the appearance.
bool isWinAnsi(std::string_view utf8) {
    static const std::u32string extra =
        U"\u20AC\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u017D"
        U"\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u017E"
        U"\u0178";
    for (char32_t c : text::toCodePoints(utf8)) {
        if ((c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c <= 0xFF) || c == U'\n' || c == U'\r' ||
            c == U'\t')
            continue;
        if (extra.find(c) == std::u32string::npos) return false;
    }
    return true;
}

// True when the value's first strong character is right-to-left (as its appearance aligns it).
bool isRightToLeftValue(std::string_view utf8) {
    if (std::all_of(utf8.begin(), utf8.end(), [](char c) { return (c & 0x80) == 0; })) return false;
    return startsRightToLeft(text::toCodePoints(utf8));
}

// Writes the AcroForm: a tree of non-terminal nodes for the dotted name parts, one terminal
// field per Document field, widgets added to their page's /Annots.
class FieldTreeWriter {
public:
    FieldTreeWriter(PdfOut& out, const FontObjects& fontObj, const std::vector<int>& pageObj,
                    std::vector<std::string>& annots, Tagging& tags)
        : m_out(out), m_fontObj(fontObj), m_pageObj(pageObj), m_annots(annots), m_tags(tags) {}

    void add(std::size_t index, const Field& f);
    // Writes the non-terminal nodes and the AcroForm dictionary; returns its object.
    int finish();

private:
    struct Node {
        int obj = 0;
        int parent = 0;
        std::string leaf;
        std::string kids;
    };

    int parentFor(const std::string& fullName, std::string& leaf);
    int makeXObject(const Rect& r, const Canvas& cv);
    // Appends the widget's entries; registers `obj` as the widget of (field, widget) for its
    // OBJR.
    void appendWidgetEntries(std::string& e, const Widget& w, int obj, std::size_t widget);
    void appendButtonStates(std::string& ap, const Field& f, const Widget& w);
    void addAnnot(int page, int obj) { addKid(m_annots[static_cast<std::size_t>(page)], obj); }
    // Complete the field dictionary begun in `fd` and write it.
    void writeText(const Field& f, int field, std::string& fd);
    void writeButton(const Field& f, int field, std::string& fd);

    PdfOut& m_out;
    const FontObjects& m_fontObj;
    const std::vector<int>& m_pageObj;
    std::vector<std::string>& m_annots;
    Tagging& m_tags;
    std::size_t m_field = 0;    // index of the field being written
    std::vector<Node> m_nodes;  // non-terminal nodes, in creation order
    std::map<std::string, std::size_t> m_byPrefix;
    std::string m_topFields;
    // Identical appearances (every unchecked box, every check mark of one size) share one
    // object. Keyed by box size, fonts and the operators, which the Document's canvases hold
    // for as long as the writer lives (no copy per widget).
    struct XKey {
        double w, h;
        unsigned mask;
        std::string_view ops;
        bool operator==(const XKey& o) const {
            return w == o.w && h == o.h && mask == o.mask && ops == o.ops;
        }
    };
    struct XKeyHash {
        std::size_t operator()(const XKey& k) const {
            return std::hash<std::string_view>{}(k.ops) ^
                   (std::hash<double>{}(k.w) * 31 + std::hash<double>{}(k.h) * 7 + k.mask);
        }
    };
    std::unordered_map<XKey, int, XKeyHash> m_xobjects;
    std::string m_dict;    // scratch for object dictionaries
    std::string m_field0;  // scratch for the field dictionary being written
    std::string m_widget;  // scratch for a radio button's widget (makeXObject uses m_dict)
};

// Returns the parent node's 1-based index (0 = top level) and sets `leaf`; creates the
// missing non-terminal nodes on the way.
int FieldTreeWriter::parentFor(const std::string& fullName, std::string& leaf) {
    int parent = 0;
    std::size_t parentIndex = 0;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = fullName.find('.', start);
        if (dot == std::string::npos) break;
        const std::string prefix = fullName.substr(0, dot);
        auto it = m_byPrefix.find(prefix);
        if (it == m_byPrefix.end()) {
            Node n;
            n.obj = m_out.reserve();
            n.parent = parent;
            n.leaf = fullName.substr(start, dot - start);
            if (parent)
                addKid(m_nodes[parentIndex].kids, n.obj);
            else
                addKid(m_topFields, n.obj);
            m_nodes.push_back(std::move(n));
            it = m_byPrefix.emplace(prefix, m_nodes.size() - 1).first;
        }
        parent = m_nodes[it->second].obj;
        parentIndex = it->second;
        start = dot + 1;
    }
    leaf = fullName.substr(start);
    return parent ? static_cast<int>(parentIndex) + 1 : 0;
}

int FieldTreeWriter::makeXObject(const Rect& r, const Canvas& cv) {
    // Sizes as written (two decimals), so boxes that print alike share.
    const XKey key{std::round(r.w * 100), std::round(r.h * 100), cv.fontMask, cv.ops};
    if (auto it = m_xobjects.find(key); it != m_xobjects.end()) return it->second;
    const int xo = m_out.reserve();
    m_xobjects.emplace(key, xo);
    m_dict.assign("/Type /XObject /Subtype /Form /BBox [0 0 ");
    appendNums(m_dict, {r.w, r.h});
    m_dict += "] /Resources ";
    m_dict += resources(m_fontObj, cv.fontMask, false);
    m_out.stream(xo, m_dict, cv.ops);
    return xo;
}

void FieldTreeWriter::appendWidgetEntries(std::string& e, const Widget& w, int obj,
                                          std::size_t widget) {
    e += " /Subtype /Widget /Rect [";
    appendNums(e, {w.rect.x, w.rect.y, w.rect.x + w.rect.w, w.rect.y + w.rect.h});
    e += "] /F 4 /P ";
    appendRef(e, m_pageObj[static_cast<std::size_t>(w.page)]);
    if (w.element >= 0 && static_cast<std::size_t>(w.element) < m_tags.elemObj.size()) {
        const int key = m_tags.nextKey++;
        m_tags.widgetKeys.emplace_back(key, m_tags.elemObj[static_cast<std::size_t>(w.element)]);
        m_tags.widgetObj[{static_cast<int>(m_field), static_cast<int>(widget)}] = obj;
        e += " /StructParent ";
        appendInt(e, key);
    }
}

void FieldTreeWriter::add(std::size_t index, const Field& f) {
    m_field = index;
    if (f.widgets.empty()) return;
    for (const Widget& w : f.widgets)
        if (w.page < 0 || w.page >= static_cast<int>(m_pageObj.size())) return;
    std::string leaf;
    const int parentIdx = parentFor(f.name, leaf);
    const int field = m_out.reserve();
    std::string& fd = m_field0;
    fd.assign("<< /T ");
    appendTextString(fd, leaf);
    if (parentIdx) {
        Node& parent = m_nodes[static_cast<std::size_t>(parentIdx - 1)];
        fd += " /Parent ";
        appendRef(fd, parent.obj);
        addKid(parent.kids, field);
    } else {
        addKid(m_topFields, field);
    }
    if (f.kind == Kind::Text || f.kind == Kind::Combo)
        writeText(f, field, fd);
    else
        writeButton(f, field, fd);
}

// A text field or combo box: one widget merged into the field dictionary.
void FieldTreeWriter::writeText(const Field& f, int field, std::string& fd) {
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
    if (!f.extras.tooltip.empty()) {
        fd += " /TU ";
        appendTextString(fd, f.extras.tooltip);
    }
    if (f.kind == Kind::Text && f.extras.maxLen > 0) {
        fd += " /MaxLen ";
        appendInt(fd, f.extras.maxLen);
    }
    const Widget& w = f.widgets.front();
    // /DA: the size the appearance was drawn with (never 0, which viewers read as "fill the
    // box"), in a font the viewer can draw a user's typing with: standard Helvetica for
    // WinAnsi text, else the embedded subset, which holds every glyph of the value.
    fd += " /DA (/";
    fd += isWinAnsi(f.value) ? "Helv " : "F0 ";
    appendNum(fd, w.daSize > 0 ? w.daSize : 10);
    fd += " Tf 0 g)";
    if (f.multiline) fd += " /Ff 4096";
    // A right-to-left value is drawn right-aligned; /Q 2 keeps it there when a viewer draws the
    // field again (after an edit, or with NeedAppearances).
    if (f.kind == Kind::Text && isRightToLeftValue(f.value)) fd += " /Q 2";
    appendWidgetEntries(fd, w, field, 0);
    fd += " /AP << /N ";
    appendRef(fd, makeXObject(w.rect, w.states.front().second));
    fd += " >> >>";
    m_out.object(field, fd);
    addAnnot(w.page, field);
}

void FieldTreeWriter::appendButtonStates(std::string& ap, const Field& f, const Widget& w) {
    ap += " /AP << /N <<";
    for (const auto& [name, cv] : w.states) {
        ap.push_back(' ');
        appendName(ap, name);
        ap.push_back(' ');
        appendRef(ap, makeXObject(w.rect, cv));
    }
    ap += " >> >> /AS ";
    appendName(ap, w.state);
    // /MK /CA: the ZapfDingbats character a viewer draws when it regenerates the appearance
    // (4 = check mark, l = filled circle); without it poppler draws selected radios empty.
    ap += " /MK << /CA ";
    appendTextString(ap, f.kind == Kind::CheckBox ? "4" : "l");
    ap += " >> /DA (/ZaDb 0 Tf 0 g)";
}

// A check box (its widget merged into the field) or a radio group (one kid widget per option).
void FieldTreeWriter::writeButton(const Field& f, int field, std::string& fd) {
    fd += " /FT /Btn /V ";
    appendName(fd, f.value);
    if (!f.extras.tooltip.empty()) {
        fd += " /TU ";
        appendTextString(fd, f.extras.tooltip);
    }
    if (f.kind == Kind::Radio) fd += " /Ff 49152";  // Radio | NoToggleToOff
    std::string radioKids;
    for (std::size_t i = 0; i < f.widgets.size(); ++i) {
        const Widget& w = f.widgets[i];
        if (f.kind == Kind::Radio) {
            const int wo = m_out.reserve();
            addKid(radioKids, wo);
            std::string& wd = m_widget;
            wd.assign("<< /Parent ");
            appendRef(wd, field);
            appendWidgetEntries(wd, w, wo, i);
            if (!w.tooltip.empty()) {
                wd += " /TU ";
                appendTextString(wd, w.tooltip);
            }
            appendButtonStates(wd, f, w);
            wd += " >>";
            m_out.object(wo, wd);
            addAnnot(w.page, wo);
        } else {
            appendWidgetEntries(fd, w, field, i);
            appendButtonStates(fd, f, w);
            addAnnot(w.page, field);
        }
    }
    if (f.kind == Kind::Radio) fd += " /Kids [" + radioKids + "]";
    fd += " >>";
    m_out.object(field, fd);
}

int FieldTreeWriter::finish() {
    for (const Node& n : m_nodes) {
        std::string nd = "<< /T " + textString(n.leaf);
        if (n.parent) nd += " /Parent " + ref(n.parent);
        nd += " /Kids [" + n.kids + "] >>";
        m_out.object(n.obj, nd);
    }
    const int acro = m_out.reserve();
    // /DR: the embedded subset (/F0, used by non-WinAnsi values), standard Helvetica with
    // WinAnsiEncoding (/Helv: any Latin text a user types, drawn by every viewer without
    // embedding a full font of several hundred kB into each file) and ZapfDingbats for the
    // button captions of /MK.
    const int helv = m_out.reserve(), zadb = m_out.reserve();
    m_out.object(helv,
                 "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
                 "/Name /Helv >>");
    m_out.object(zadb, "<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats /Name /ZaDb >>");
    std::string fonts = fontDict(m_fontObj, 1u);
    fonts.insert(2, " /Helv " + ref(helv) + " /ZaDb " + ref(zadb));
    m_out.object(acro, "<< /Fields [" + m_topFields + "] /NeedAppearances false /DR << /Font " +
                           fonts + " >> /DA (/Helv 10 Tf 0 g) >>");
    return acro;
}

// Writes a page's content streams (see write(): layout, record, watermark, flattened fields;
// the layout's always, the others when not empty) and returns the page's /Contents value; the
// streams' fonts are added to `mask`. The layout's pieces (Document::breakContent) and the
// watermark go through the per-thread deflate memo: they recur from record to record.
std::string writeContents(PdfOut& out, const std::array<const Canvas*, 4>& parts, unsigned& mask) {
    std::string refs;
    int count = 0;
    auto put = [&](std::string_view ops, bool reusable) {
        const int obj = out.reserve();
        out.stream(obj, {}, ops, reusable);
        if (count++) refs.push_back(' ');
        appendRef(refs, obj);
    };
    for (std::size_t k = 0; k < parts.size(); ++k) {
        const Canvas& cv = *parts[k];
        if (k > 0 && cv.ops.empty()) continue;
        const std::string_view ops = cv.ops;
        std::size_t from = 0;
        if (k == 0)
            for (const std::size_t cut : cv.cuts) {
                put(ops.substr(from, cut - from), true);
                from = cut;
            }
        // What follows the last break; a page's layout stream is written even when empty.
        if (from < ops.size() || from == 0) put(ops.substr(from), k == 0 || k == 2);
        mask |= cv.fontMask;
    }
    return count == 1 ? refs : "[" + refs + "]";
}

}  // namespace

std::string Document::Impl::write(const WriteOptions& opt, std::vector<Canvas>& pageCanvases) {
    PdfOut out;
    const int catalogObj = out.reserve();
    const int pagesObj = out.reserve();
    const int infoObj = out.reserve();
    std::string catalog = "<< /Type /Catalog /Pages " + ref(pagesObj);
    writeInfo(out, infoObj);
    if (!info.language.empty()) catalog += " /Lang " + textString(info.language);
    catalog += " /ViewerPreferences << /DisplayDocTitle true >>";

    // A page's content streams, drawn in this order: what every record of the layout draws
    // alike (compressed once per worker), the record's own text, the watermark (the same on
    // every page of a kind), the flattened fields. Each keeps its marked content balanced.
    std::vector<Canvas> records, marks(pages.size()), flat(pages.size());
    for (const Page& p : pages) records.push_back(p.record);
    if (!opt.watermark.empty()) drawWatermarks(opt.watermark, marks);
    if (opt.flatten) flattenFields(flat);
    for (auto* list : {&pageCanvases, &records, &marks, &flat})
        for (Canvas& cv : *list) closeArtifact(cv);
    // Fonts after all text is known (the watermark and flattening add some).
    const FontObjects fontObj = writeFonts(out);

    // Pages: numbers now, dictionaries at the end (their /Annots are known after the fields).
    std::vector<int> pageObj;
    std::vector<std::string> annots(pages.size());
    for (std::size_t i = 0; i < pages.size(); ++i) pageObj.push_back(out.reserve());
    // Structure elements: numbers now (widgets point at them), bodies after the fields.
    Tagging tags;
    for (std::size_t i = 0; i < elems.size(); ++i) tags.elemObj.push_back(out.reserve());
    tags.nextKey = static_cast<int>(pages.size());

    if (!opt.flatten && !fields.empty()) {
        FieldTreeWriter tree(out, fontObj, pageObj, annots, tags);
        for (std::size_t i = 0; i < fields.size(); ++i) tree.add(i, fields[i]);
        catalog += " /AcroForm " + ref(tree.finish());
    }
    const bool tagged = !elems.empty();
    if (tagged) catalog += writeStructTree(out, tags, pageObj, opt.flatten);
    catalog += writeMetadata(out, opt, tagged);

    // Page objects and their content streams.
    std::string kids;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        unsigned mask = 0;
        const std::string contents =
            writeContents(out, {&pageCanvases[i], &records[i], &marks[i], &flat[i]}, mask);
        std::string pd = "<< /Type /Page /Parent " + ref(pagesObj) + " /MediaBox [0 0 ";
        appendNums(pd, {pages[i].w, pages[i].h});
        pd += "] /Resources " + resources(fontObj, mask, !opt.watermark.empty()) + " /Contents " +
              contents;
        if (!annots[i].empty()) pd += " /Annots [" + annots[i] + "]";
        // Tab order follows the structure tree (PDF/UA); the page's marked content is found
        // under its key in the ParentTree.
        pd += " /Tabs /S";
        if (tagged) pd += " /StructParents " + std::to_string(i);
        pd += " >>";
        out.object(pageObj[i], pd);
        if (i) kids.push_back(' ');
        kids += ref(pageObj[i]);
    }
    out.object(pagesObj, "<< /Type /Pages /Kids [" + kids + "] /Count " +
                             std::to_string(pages.size()) + " >>");

    // PDF/A-2 allows only PDF/A files as attachments: the archival copy has none.
    if (!attachments.empty() && opt.pdfaIccProfile.empty()) catalog += writeAttachments(out);
    catalog += " >>";
    out.object(catalogObj, catalog);
    return out.finish(catalogObj, infoObj);
}

void Document::Impl::writeInfo(PdfOut& out, int infoObj) const {
    // Fixed dates (never the clock) so identical input gives identical bytes.
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

// Type0 / CIDFontType2 (or CIDFontType0 for CFF), Identity-H, CID = glyph id; five objects per
// used slot.
std::array<int, kSlots> Document::Impl::writeFonts(PdfOut& out) const {
    FontObjects fontObj{};
    for (int slot = 0; slot < kSlots; ++slot) {
        const DocFont& df = docFonts[static_cast<std::size_t>(slot)];
        if (!df.used) continue;
        const TrueTypeFont* f = ttf(slot);
        const EmbeddedFont& ef = embeddedFont(*fonts, *f, slot, df.glyphs, df.unicode);
        const std::string& baseName = ef.baseName;

        const int fileObj = out.reserve(), descObj = out.reserve(), cidObj = out.reserve(),
                  uniObj = out.reserve(), type0Obj = out.reserve();
        out.rawStream(fileObj, ef.fileEntries(), ef.file.bytes, ef.file.flate);

        std::string d = "<< /Type /FontDescriptor /FontName " + baseName + " /Flags 4 /FontBBox [";
        // Appended piece by piece: `(k ? " " : "") + std::to_string(...)` trips GCC 12's
        // -Wrestrict false positive at -O2 (ci-release builds with -Werror).
        for (int k = 0; k < 4; ++k) {
            if (k) d.push_back(' ');
            d += std::to_string(std::lround(f->bbox()[k]));
        }
        d += "] /ItalicAngle " + std::to_string(std::lround(f->italicAngle())) + " /Ascent " +
             std::to_string(std::lround(f->ascent())) + " /Descent " +
             std::to_string(std::lround(f->descent())) + " /CapHeight " +
             std::to_string(std::lround(f->capHeight())) + " /StemV " +
             std::string(slot == 1 ? "120" : "80") + " " + ef.fileKey() + " " + ref(fileObj) +
             " >>";
        out.object(descObj, d);

        out.object(cidObj,
                   "<< /Type /Font /Subtype " + std::string(ef.cidSubtype()) + " /BaseFont " +
                       baseName +
                       " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                       "/FontDescriptor " +
                       ref(descObj) + " /DW 1000 /W [" + ef.widths + "]" +
                       (ef.cff ? " >>" : " /CIDToGIDMap /Identity >>"));

        out.rawStream(uniObj, {}, ef.toUnicode.bytes, ef.toUnicode.flate);
        out.object(type0Obj, "<< /Type /Font /Subtype /Type0 /BaseFont " + baseName +
                                 " /Encoding /Identity-H /DescendantFonts [" + ref(cidObj) +
                                 "] /ToUnicode " + ref(uniObj) + " >>");
        fontObj[static_cast<std::size_t>(slot)] = type0Obj;
    }
    return fontObj;
}

// The EmbeddedFiles name tree (names sorted as the tree requires) and the /AF array.
std::string Document::Impl::writeAttachments(PdfOut& out) const {
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
    return " /Names << /EmbeddedFiles << /Names [" + names + "] >> >> /AF [" + afs + "]";
}

}  // namespace lecert::pdf
