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
    list += ref(obj);
}

// Writes the AcroForm: a tree of non-terminal nodes for the dotted name parts, one terminal
// field per Document field, widgets added to their page's /Annots.
class FieldTreeWriter {
public:
    FieldTreeWriter(PdfOut& out, const FontObjects& fontObj, const std::vector<int>& pageObj,
                    std::vector<std::string>& annots)
        : m_out(out), m_fontObj(fontObj), m_pageObj(pageObj), m_annots(annots) {}

    void add(const Field& f);
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
    std::string widgetEntries(const Widget& w) const;
    std::string buttonStates(const Field& f, const Widget& w);
    void addAnnot(int page, int obj) { addKid(m_annots[static_cast<std::size_t>(page)], obj); }
    void writeText(const Field& f, int field, std::string fd);
    void writeButton(const Field& f, int field, std::string fd);

    PdfOut& m_out;
    const FontObjects& m_fontObj;
    const std::vector<int>& m_pageObj;
    std::vector<std::string>& m_annots;
    std::vector<Node> m_nodes;  // non-terminal nodes, in creation order
    std::map<std::string, std::size_t> m_byPrefix;
    std::string m_topFields;
    // Identical appearances (every unchecked box, every check mark of one size) share one
    // object.
    std::unordered_map<std::string, int> m_xobjects;
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
    std::string key = num(r.w) + " " + num(r.h) + " " + std::to_string(cv.fontMask) + "\n";
    key += cv.ops;
    if (auto it = m_xobjects.find(key); it != m_xobjects.end()) return it->second;
    const int xo = m_out.reserve();
    m_xobjects.emplace(std::move(key), xo);
    m_out.stream(xo,
                 "/Type /XObject /Subtype /Form /BBox " + rectArray({0, 0, r.w, r.h}) +
                     " /Resources " + resources(m_fontObj, cv.fontMask, false),
                 cv.ops);
    return xo;
}

std::string FieldTreeWriter::widgetEntries(const Widget& w) const {
    return " /Subtype /Widget /Rect " + rectArray(w.rect) + " /F 4 /P " +
           ref(m_pageObj[static_cast<std::size_t>(w.page)]);
}

void FieldTreeWriter::add(const Field& f) {
    if (f.widgets.empty()) return;
    for (const Widget& w : f.widgets)
        if (w.page < 0 || w.page >= static_cast<int>(m_pageObj.size())) return;
    std::string leaf;
    const int parentIdx = parentFor(f.name, leaf);
    const int field = m_out.reserve();
    std::string fd = "<< /T " + textString(leaf);
    if (parentIdx) {
        Node& parent = m_nodes[static_cast<std::size_t>(parentIdx - 1)];
        fd += " /Parent " + ref(parent.obj);
        addKid(parent.kids, field);
    } else {
        addKid(m_topFields, field);
    }
    if (f.kind == Kind::Text || f.kind == Kind::Combo)
        writeText(f, field, std::move(fd));
    else
        writeButton(f, field, std::move(fd));
}

// A text field or combo box: one widget merged into the field dictionary.
void FieldTreeWriter::writeText(const Field& f, int field, std::string fd) {
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
    m_out.object(field, fd);
    addAnnot(w.page, field);
}

std::string FieldTreeWriter::buttonStates(const Field& f, const Widget& w) {
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
}

// A check box (its widget merged into the field) or a radio group (one kid widget per option).
void FieldTreeWriter::writeButton(const Field& f, int field, std::string fd) {
    fd += " /FT /Btn /V " + nameOf(f.value);
    if (f.kind == Kind::Radio) fd += " /Ff 49152";  // Radio | NoToggleToOff
    std::string radioKids;
    for (const Widget& w : f.widgets) {
        if (f.kind == Kind::Radio) {
            const int wo = m_out.reserve();
            addKid(radioKids, wo);
            m_out.object(
                wo, "<< /Parent " + ref(field) + widgetEntries(w) + buttonStates(f, w) + " >>");
            addAnnot(w.page, wo);
        } else {
            fd += widgetEntries(w) + buttonStates(f, w);
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
    m_out.object(acro, "<< /Fields [" + m_topFields + "] /NeedAppearances false /DR << /Font " +
                           fontDict(m_fontObj, 1u) + " >> /DA (/F0 0 Tf 0 g) >>");
    return acro;
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

    if (!opt.watermark.empty()) drawWatermarks(opt.watermark, pageCanvases);
    if (opt.flatten) flattenFields(pageCanvases);
    // Fonts after all text is known (the watermark and flattening add some).
    const FontObjects fontObj = writeFonts(out);

    // Pages: numbers now, dictionaries at the end (their /Annots are known after the fields).
    std::vector<int> pageObj;
    std::vector<std::string> annots(pages.size());
    for (std::size_t i = 0; i < pages.size(); ++i) pageObj.push_back(out.reserve());

    if (!opt.flatten && !fields.empty()) {
        FieldTreeWriter tree(out, fontObj, pageObj, annots);
        for (const Field& f : fields) tree.add(f);
        catalog += " /AcroForm " + ref(tree.finish());
    }

    // Page objects and their content streams.
    std::string kids;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const int contents = out.reserve();
        out.stream(contents, {}, pageCanvases[i].ops);
        std::string pd = "<< /Type /Page /Parent " + ref(pagesObj) + " /MediaBox [0 0 ";
        appendNums(pd, {pages[i].w, pages[i].h});
        pd += "] /Resources " +
              resources(fontObj, pageCanvases[i].fontMask, !opt.watermark.empty()) + " /Contents " +
              ref(contents);
        if (!annots[i].empty()) pd += " /Annots [" + annots[i] + "]";
        pd += " >>";
        out.object(pageObj[i], pd);
        if (i) kids.push_back(' ');
        kids += ref(pageObj[i]);
    }
    out.object(pagesObj, "<< /Type /Pages /Kids [" + kids + "] /Count " +
                             std::to_string(pages.size()) + " >>");

    if (!attachments.empty()) catalog += writeAttachments(out);
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
