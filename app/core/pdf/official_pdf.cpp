// SPDX-License-Identifier: MIT
#include "core/pdf/official_pdf.h"

// qpdf 11: use std::shared_ptr instead of the deprecated PointerHolder.
#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4
#endif
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <set>

#include "core/pdf/document.h"
#include "core/util/sha256.h"

namespace lecert::pdf {

using OH = QPDFObjectHandle;

std::string_view officialFieldKindName(OfficialFieldKind k) {
    switch (k) {
        case OfficialFieldKind::Text:
            return "text";
        case OfficialFieldKind::Multiline:
            return "multiline";
        case OfficialFieldKind::CheckBox:
            return "checkbox";
        case OfficialFieldKind::Radio:
            return "radio";
        case OfficialFieldKind::Dropdown:
            return "dropdown";
        case OfficialFieldKind::ListBox:
            return "listbox";
        case OfficialFieldKind::Signature:
            return "signature";
        case OfficialFieldKind::Other:
            break;
    }
    return "other";
}

namespace {

constexpr double kMinSize = 7;  // smallest readable font size before text overflows
constexpr const char* kRefPrefix = "/__lecert_ref_";

// Helvetica advance widths (1/1000 em), U+0020..U+007E, from the standard AFM.
const short kHelvetica[95] = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333,  278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,  611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278,  556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,  500, 334, 260, 334, 584};

bool isAsciiText(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 0x20 && c < 0x7f) || c == '\n'; });
}

double helvWidth(std::string_view s, double size) {
    double w = 0;
    for (char c : s)
        if (c >= 0x20 && c < 0x7f) w += kHelvetica[c - 0x20];
    return w * size / 1000.0;
}

std::vector<std::string> helvWrap(std::string_view text, double width, double size) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t nl = text.find('\n', start);
        const std::string_view para =
            text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        std::string line;
        std::size_t i = 0;
        while (i < para.size()) {
            std::size_t j = para.find(' ', i);
            if (j == std::string_view::npos) j = para.size();
            std::string word(para.substr(i, j - i));
            std::string candidate = line;
            if (!candidate.empty()) candidate += ' ';
            candidate += word;
            if (helvWidth(candidate, size) <= width || line.empty()) {
                // a word longer than the line is broken by character
                while (helvWidth(candidate, size) > width && candidate.size() > 1) {
                    std::size_t k = candidate.size();
                    while (k > 1 && helvWidth(candidate.substr(0, k), size) > width) --k;
                    lines.push_back(candidate.substr(0, k));
                    candidate = candidate.substr(k);
                }
                line = candidate;
            } else {
                lines.push_back(line);
                line = word;
            }
            i = j + 1;
        }
        lines.push_back(line);
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return lines;
}

std::string pdfLiteral(std::string_view s) {
    std::string out = "(";
    for (char c : s) {
        if (c == '(' || c == ')' || c == '\\') out += '\\';
        out += c;
    }
    return out + ")";
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string hex(std::string_view s) {
    static const char* d = "0123456789ABCDEF";
    std::string out = "<";
    for (unsigned char c : s) {
        out += d[c >> 4];
        out += d[c & 15];
    }
    return out + ">";
}

OH refTo(int objnum) {
    return OH::newName(std::string(kRefPrefix) + std::to_string(objnum));
}

// Per-object encryption as the original file does it (RC4, AES-128 or AES-256).
struct Crypt {
    bool on = false;
    bool aes = false;
    int V = 0, R = 0;
    std::string key;

    std::string encrypt(std::string_view data, int obj, int gen) const {
        if (!on) return std::string(data);
        const std::string k = QPDF::compute_data_key(key, obj, gen, aes, V, R);
        return aes ? aesCbc(data, k) : rc4(data, k);
    }
    static std::string rc4(std::string_view data, const std::string& k) {
        unsigned char s[256];
        for (int i = 0; i < 256; ++i) s[i] = static_cast<unsigned char>(i);
        for (int i = 0, j = 0; i < 256; ++i) {
            j = (j + s[i] + static_cast<unsigned char>(k[static_cast<std::size_t>(i) % k.size()])) &
                255;
            std::swap(s[i], s[j]);
        }
        std::string out(data);
        for (std::size_t n = 0, i = 0, j = 0; n < out.size(); ++n) {
            i = (i + 1) & 255;
            j = (j + s[i]) & 255;
            std::swap(s[i], s[j]);
            out[n] = static_cast<char>(out[n] ^ s[(s[i] + s[j]) & 255]);
        }
        return out;
    }
    static std::string aesCbc(std::string_view data, const std::string& k) {
        unsigned char iv[16];
        RAND_bytes(iv, sizeof iv);
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        const EVP_CIPHER* cipher = k.size() == 32 ? EVP_aes_256_cbc() : EVP_aes_128_cbc();
        std::string out(reinterpret_cast<char*>(iv), 16);
        out.resize(16 + data.size() + 16);
        int len1 = 0, len2 = 0;
        EVP_EncryptInit_ex(ctx, cipher, nullptr, reinterpret_cast<const unsigned char*>(k.data()),
                           iv);
        EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(&out[16]), &len1,
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
        EVP_EncryptFinal_ex(
            ctx, reinterpret_cast<unsigned char*>(&out[16 + static_cast<std::size_t>(len1)]),
            &len2);
        EVP_CIPHER_CTX_free(ctx);
        out.resize(16 + static_cast<std::size_t>(len1 + len2));
        return out;
    }
};

// Collects the objects of one incremental update and writes it: edited copies of original
// objects (under their own numbers), new objects, and objects imported from other PDFs
// (renumbered). References to new objects are written as placeholder names (refTo) so the
// parsed original is never touched.
class UpdateWriter {
public:
    UpdateWriter(QPDF& orig, const Crypt& crypt, int firstNew)
        : m_orig(orig), m_crypt(crypt), m_next(firstNew) {}

    int allocate() { return m_next++; }
    // The working copy of an original indirect object (created on first use).
    OH& edit(OH original) {
        const QPDFObjGen og = original.getObjGen();
        auto it = m_edits.find(og);
        if (it == m_edits.end()) it = m_edits.emplace(og, original.shallowCopy()).first;
        return it->second;
    }
    bool edited(const OH& original) const { return m_edits.count(original.getObjGen()) != 0; }
    void putStream(int n, const std::string& dict, const std::string& data) {
        m_new[n] = {dict, data, true};
    }
    // A new object given as a (direct) object handle; it may reference other PDFs' objects.
    void putObject(int n, const OH& o) { m_importQueue.emplace_back(n, o); }
    // Copies an object of another PDF (and everything it references) into the update.
    int import(const OH& foreign) {
        // Object numbers repeat between foreign files: key by file and number.
        const auto key = std::make_pair(foreign.getOwningQPDF(), foreign.getObjGen());
        if (auto it = m_imported.find(key); it != m_imported.end()) return it->second;
        const int n = allocate();
        m_imported[key] = n;
        m_importQueue.emplace_back(n, foreign);
        return n;
    }
    // Serialises everything and returns original + update.
    std::string finish(const std::string& original, long long prevXref, OH trailer);

private:
    struct NewObject {
        std::string dict, data;
        bool stream = false;
    };
    void ser(OH o, std::string& out, int obj, int gen);
    std::string object(OH o, int obj, int gen);

    QPDF& m_orig;
    const Crypt& m_crypt;
    int m_next;
    std::map<QPDFObjGen, OH> m_edits;
    std::map<int, NewObject> m_new;
    std::map<std::pair<QPDF*, QPDFObjGen>, int> m_imported;
    std::vector<std::pair<int, OH>> m_importQueue;
    std::map<int, std::string> m_written;  // objnum -> serialised "n g obj ... endobj"
};

void UpdateWriter::ser(OH o, std::string& out, int obj, int gen) {
    if (o.isIndirect()) {
        if (o.getOwningQPDF() == &m_orig) {
            out += std::to_string(o.getObjectID()) + " " + std::to_string(o.getGeneration()) + " R";
        } else {
            out += std::to_string(import(o)) + " 0 R";
        }
        return;
    }
    switch (o.getTypeCode()) {
        case ::ot_name: {
            const std::string n = o.getName();
            if (n.rfind(kRefPrefix, 0) == 0)
                out += n.substr(std::string(kRefPrefix).size()) + " 0 R";
            else
                out += o.unparse();
            return;
        }
        case ::ot_string:
            out += m_crypt.on ? hex(m_crypt.encrypt(o.getStringValue(), obj, gen))
                              : hex(o.getStringValue());
            return;
        case ::ot_array: {
            out += "[";
            bool first = true;
            for (auto& item : o.getArrayAsVector()) {
                if (!first) out += " ";
                first = false;
                ser(item, out, obj, gen);
            }
            out += "]";
            return;
        }
        case ::ot_dictionary: {
            out += "<<";
            for (auto& [key, value] : o.getDictAsMap()) {
                if (value.isNull()) continue;
                out += OH::newName(key).unparse() + " ";
                ser(value, out, obj, gen);
                out += " ";
            }
            out += ">>";
            return;
        }
        default:
            out += o.unparse();
    }
}

std::string UpdateWriter::object(OH o, int obj, int gen) {
    std::string out = std::to_string(obj) + " " + std::to_string(gen) + " obj\n";
    if (o.isStream()) {
        OH dict = o.getDict().shallowCopy();
        auto raw = o.getRawStreamData();
        const std::string data = m_crypt.encrypt(
            std::string_view(reinterpret_cast<const char*>(raw->getBuffer()), raw->getSize()), obj,
            gen);
        dict.replaceKey("/Length", OH::newInteger(static_cast<long long>(data.size())));
        ser(dict, out, obj, gen);
        out += "\nstream\n" + data + "\nendstream";
    } else if (o.isIndirect()) {
        // An imported object: write its content, not a reference to itself.
        if (o.isDictionary() || o.isArray())
            ser(o.shallowCopy(), out, obj, gen);
        else
            out += o.unparse();
    } else {
        ser(o, out, obj, gen);
    }
    return out + "\nendobj\n";
}

std::string UpdateWriter::finish(const std::string& original, long long prevXref, OH trailer) {
    std::map<int, int> gens;
    for (auto& [og, copy] : m_edits) {
        m_written[og.getObj()] = object(copy, og.getObj(), og.getGen());
        gens[og.getObj()] = og.getGen();
    }
    for (auto& [n, obj] : m_new) {
        const std::string data = obj.stream ? m_crypt.encrypt(obj.data, n, 0) : std::string();
        m_written[n] = std::to_string(n) + " 0 obj\n" + obj.dict.substr(0, obj.dict.size() - 2) +
                       " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
                       "\nendstream\nendobj\n";
    }
    // Imports can queue more imports while serialising.
    for (std::size_t i = 0; i < m_importQueue.size(); ++i) {
        auto [n, foreign] = m_importQueue[i];
        m_written[n] = object(foreign, n, 0);
    }
    std::string out = original;
    if (out.empty() || (out.back() != '\n' && out.back() != '\r')) out += "\n";
    std::map<int, std::pair<std::size_t, int>> offsets;  // obj -> offset, gen
    for (auto& [n, text] : m_written) {
        const auto g = gens.find(n);
        offsets[n] = {out.size(), g == gens.end() ? 0 : g->second};
        out += text;
    }
    const int xrefNum = allocate();
    offsets[xrefNum] = {out.size(), 0};
    std::string index, rows;
    int runStart = -1, runLen = 0, prev = -2;
    for (auto& [n, entry] : offsets) {
        if (n != prev + 1) {
            if (runStart >= 0)
                index += std::to_string(runStart) + " " + std::to_string(runLen) + " ";
            runStart = n;
            runLen = 0;
        }
        ++runLen;
        prev = n;
        const auto off = entry.first;
        rows += '\x01';
        for (int s = 24; s >= 0; s -= 8) rows += static_cast<char>((off >> s) & 0xff);
        rows += static_cast<char>((entry.second >> 8) & 0xff);
        rows += static_cast<char>(entry.second & 0xff);
    }
    index += std::to_string(runStart) + " " + std::to_string(runLen);
    std::string dict = "<< /Type /XRef /Size " + std::to_string(m_next) + " /W [1 4 2] /Index [" +
                       index + "] /Prev " + std::to_string(prevXref);
    for (const char* key : {"/Root", "/Info", "/Encrypt"}) {
        OH v = trailer.getKey(key);
        if (v.isIndirect())
            dict += std::string(" ") + key + " " + std::to_string(v.getObjectID()) + " " +
                    std::to_string(v.getGeneration()) + " R";
    }
    if (OH id = trailer.getKey("/ID"); id.isArray() && id.getArrayNItems() == 2)
        dict += " /ID [" + hex(id.getArrayItem(0).getStringValue()) + " " +
                hex(id.getArrayItem(1).getStringValue()) + "]";
    dict += " /Length " + std::to_string(rows.size()) + " >>";
    out +=
        std::to_string(xrefNum) + " 0 obj\n" + dict + "\nstream\n" + rows + "\nendstream\nendobj\n";
    out += "startxref\n" + std::to_string(offsets[xrefNum].first) + "\n%%EOF\n";
    return out;
}

long long lastStartXref(std::string_view pdf) {
    const auto pos = pdf.rfind("startxref");
    if (pos == std::string_view::npos) return -1;
    std::size_t i = pos + 9;
    while (i < pdf.size() && (pdf[i] == ' ' || pdf[i] == '\r' || pdf[i] == '\n')) ++i;
    long long v = 0;
    bool any = false;
    while (i < pdf.size() && pdf[i] >= '0' && pdf[i] <= '9') {
        v = v * 10 + (pdf[i++] - '0');
        any = true;
    }
    return any ? v : -1;
}

double daFontSize(const std::string& da) {
    // "/Helv 0 Tf 0 g": the number before Tf
    const auto tf = da.find(" Tf");
    if (tf == std::string::npos) return 0;
    auto start = da.rfind(' ', tf - 1);
    start = start == std::string::npos ? 0 : start + 1;
    try {
        return std::stod(da.substr(start, tf - start));
    } catch (...) {
        return 0;
    }
}

}  // namespace

struct OfficialPdf::Impl {
    std::string bytes, sha;
    std::shared_ptr<const FontSet> fonts;
    QPDF q;
    Crypt crypt;
    bool xfa = false;
    int pages = 0;
    std::vector<OfficialField> fields;
    std::map<std::string, std::size_t> byName;
    std::map<std::string, OH> fieldObj;              // terminal field dicts
    std::map<std::string, std::vector<OH>> widgets;  // widget dicts per field
    std::map<QPDFObjGen, int> pageIndex;
    std::vector<OH> pageObjs;
    mutable std::unique_ptr<Document> measure;  // lazily: measures non-ASCII text

    void collect(OH node, const std::string& parent, std::string ft, long long ff, std::string da,
                 int depth);
    OfficialField describe(const std::string& name, OH field, const std::vector<OH>& ws,
                           const std::string& ft, long long ff, const std::string& da);
    Document& measurer() const {
        if (!measure) measure = std::make_unique<Document>(fonts);
        return *measure;
    }
};

OfficialPdf::OfficialPdf() : m(new Impl()) {}
void OfficialPdf::ImplDeleter::operator()(Impl* impl) const {
    delete impl;
}
OfficialPdf::~OfficialPdf() = default;
const std::string& OfficialPdf::bytes() const {
    return m->bytes;
}
const std::string& OfficialPdf::sha256() const {
    return m->sha;
}
int OfficialPdf::pageCount() const {
    return m->pages;
}
bool OfficialPdf::encrypted() const {
    return m->crypt.on;
}
bool OfficialPdf::hasXfa() const {
    return m->xfa;
}
const std::vector<OfficialField>& OfficialPdf::fields() const {
    return m->fields;
}

const OfficialField* OfficialPdf::find(std::string_view name) const {
    if (auto it = m->byName.find(std::string(name)); it != m->byName.end())
        return &m->fields[it->second];
    const OfficialField* found = nullptr;
    const std::string tail = "." + std::string(name);
    for (const auto& f : m->fields) {
        if (f.name.size() > tail.size() &&
            f.name.compare(f.name.size() - tail.size(), tail.size(), tail) == 0) {
            if (found) return nullptr;
            found = &f;
        }
    }
    return found;
}

OfficialField OfficialPdf::Impl::describe(const std::string& name, OH field,
                                          const std::vector<OH>& ws, const std::string& ft,
                                          long long ff, const std::string& da) {
    OfficialField f;
    f.name = name;
    if (ft == "/Tx")
        f.kind = (ff & 4096) ? OfficialFieldKind::Multiline : OfficialFieldKind::Text;
    else if (ft == "/Btn")
        f.kind = (ff & 32768)   ? OfficialFieldKind::Radio
                 : (ff & 65536) ? OfficialFieldKind::Other
                                : OfficialFieldKind::CheckBox;
    else if (ft == "/Ch")
        f.kind = (ff & 131072) ? OfficialFieldKind::Dropdown : OfficialFieldKind::ListBox;
    else if (ft == "/Sig")
        f.kind = OfficialFieldKind::Signature;
    if (OH ml = field.getKey("/MaxLen"); ml.isInteger())
        f.maxLen = static_cast<int>(ml.getIntValue());
    if (OH tu = field.getKey("/TU"); tu.isString()) f.tooltip = tu.getUTF8Value();
    if (OH opt = field.getKey("/Opt"); opt.isArray())
        for (auto& o : opt.getArrayAsVector()) {
            if (o.isString())
                f.options.push_back(o.getUTF8Value());
            else if (o.isArray() && o.getArrayNItems() > 0 && o.getArrayItem(0).isString())
                f.options.push_back(o.getArrayItem(0).getUTF8Value());
        }
    f.fontSize = daFontSize(da);
    for (std::size_t i = 0; i < ws.size(); ++i) {
        OH w = ws[i];
        if (i == 0) {
            OH p = w.getKey("/P");
            if (p.isIndirect() && pageIndex.count(p.getObjGen()))
                f.page = pageIndex[p.getObjGen()] + 1;
            if (OH r = w.getKey("/Rect"); r.isRectangle()) {
                auto rect = r.getArrayAsRectangle();
                f.x = std::min(rect.llx, rect.urx);
                f.y = std::min(rect.lly, rect.ury);
                f.w = std::abs(rect.urx - rect.llx);
                f.h = std::abs(rect.ury - rect.lly);
            }
        }
        OH n = w.getKey("/AP").isDictionary() ? w.getKey("/AP").getKey("/N") : OH::newNull();
        if (n.isDictionary() && !n.isStream())
            for (auto& key : n.getKeys())
                if (key != "/Off" && std::find(f.onStates.begin(), f.onStates.end(),
                                               key.substr(1)) == f.onStates.end())
                    f.onStates.push_back(key.substr(1));
    }
    return f;
}

void OfficialPdf::Impl::collect(OH node, const std::string& parent, std::string ft, long long ff,
                                std::string da, int depth) {
    if (depth > 32 || !node.isDictionary()) return;
    std::string name = parent;
    if (OH t = node.getKey("/T"); t.isString())
        name = parent.empty() ? t.getUTF8Value() : parent + "." + t.getUTF8Value();
    if (OH v = node.getKey("/FT"); v.isName()) ft = v.getName();
    if (OH v = node.getKey("/Ff"); v.isInteger()) ff = v.getIntValue();
    if (OH v = node.getKey("/DA"); v.isString()) da = v.getStringValue();
    std::vector<OH> kidFields, kidWidgets;
    if (OH kids = node.getKey("/Kids"); kids.isArray())
        for (auto& k : kids.getArrayAsVector()) {
            if (!k.isDictionary()) continue;
            (k.hasKey("/T") ? kidFields : kidWidgets).push_back(k);
        }
    if (!kidFields.empty()) {
        for (auto& k : kidFields) collect(k, name, ft, ff, da, depth + 1);
        return;
    }
    std::vector<OH> ws = kidWidgets;
    if (ws.empty()) ws.push_back(node);  // merged field and widget
    byName[name] = fields.size();
    fields.push_back(describe(name, node, ws, ft, ff, da));
    fieldObj[name] = node;
    widgets[name] = ws;
}

Result<std::unique_ptr<OfficialPdf>> OfficialPdf::open(std::string bytes,
                                                       std::shared_ptr<const FontSet> fonts,
                                                       const std::string& password) {
    std::unique_ptr<OfficialPdf> pdf(new OfficialPdf());
    Impl& m = *pdf->m;
    m.bytes = std::move(bytes);
    m.sha = sha256Hex(m.bytes);
    m.fonts = std::move(fonts);
    try {
        m.q.setSuppressWarnings(true);
        m.q.processMemoryFile("official.pdf", m.bytes.data(), m.bytes.size(),
                              password.empty() ? nullptr : password.c_str());
        int R = 0, P = 0, V = 0;
        QPDF::encryption_method_e sm{}, stm{}, fm{};
        if (m.q.isEncrypted(R, P, V, sm, stm, fm)) {
            m.crypt.on = true;
            m.crypt.R = R;
            m.crypt.V = V;
            m.crypt.aes = sm == QPDF::e_aes || sm == QPDF::e_aesv3;
            m.crypt.key = m.q.getEncryptionKey();
            if (sm != stm || sm == QPDF::e_unknown)
                return Error{
                    "the PDF's encryption (different methods for strings and streams) is not "
                    "supported",
                    {}};
        }
        for (auto& p : m.q.getAllPages()) {
            m.pageIndex[p.getObjGen()] = m.pages++;
            m.pageObjs.push_back(p);
        }
        // Widgets without /P: find their page through /Annots.
        OH acro = m.q.getRoot().getKey("/AcroForm");
        if (!acro.isDictionary()) return Error{"the PDF has no fillable form (no /AcroForm)", {}};
        m.xfa = acro.hasKey("/XFA");
        std::string da = acro.getKey("/DA").isString() ? acro.getKey("/DA").getStringValue() : "";
        if (OH f = acro.getKey("/Fields"); f.isArray())
            for (auto& k : f.getArrayAsVector()) m.collect(k, "", "", 0, da, 0);
        for (std::size_t i = 0; i < m.pageObjs.size(); ++i) {
            OH annots = m.pageObjs[i].getKey("/Annots");
            if (!annots.isArray()) continue;
            std::set<QPDFObjGen> onPage;
            for (auto& a : annots.getArrayAsVector()) onPage.insert(a.getObjGen());
            for (auto& f : m.fields)
                if (f.page == 0 && onPage.count(m.widgets[f.name].front().getObjGen()))
                    f.page = static_cast<int>(i) + 1;
        }
    } catch (const QPDFExc& e) {
        if (e.getErrorCode() == qpdf_e_password)
            return Error{"the PDF is encrypted and needs a password to open (--password-file)", {}};
        return Error{"not a readable PDF: " + e.getMessageDetail(), {}};
    } catch (const std::exception& e) {
        return Error{std::string("not a readable PDF: ") + e.what(), {}};
    }
    return pdf;
}

bool OfficialPdf::fits(const OfficialField& f, std::string_view text) const {
    const bool multi = f.kind == OfficialFieldKind::Multiline;
    if (!multi && text.find('\n') != std::string_view::npos) return false;
    if (f.maxLen > 0 && text.size() > static_cast<std::size_t>(f.maxLen)) return false;
    const double w = f.w - 4, h = f.h - 2;
    if (isAsciiText(text)) {
        if (!multi) return helvWidth(text, kMinSize) <= w && h >= kMinSize;
        return static_cast<double>(helvWrap(text, w, kMinSize).size()) * kMinSize * 1.15 <= h;
    }
    TextStyle st;
    st.size = kMinSize;
    Document& d = m->measurer();
    if (!multi) return d.textWidth(text, st) <= w;
    return static_cast<double>(d.wrapText(text, w, st).size()) * Document::lineHeight(kMinSize) <=
           h;
}

namespace {

std::string helvAppearance(const OfficialField& f, double w, double h, std::string_view text,
                           const std::string& font) {
    const bool multi = f.kind == OfficialFieldKind::Multiline;
    double size = f.fontSize > 0 ? f.fontSize : (multi ? 10 : std::min(10.0, h * 0.7));
    std::vector<std::string> lines;
    if (multi) {
        for (;;) {
            lines = helvWrap(text, w - 4, size);
            if (f.fontSize > 0 || size <= kMinSize ||
                static_cast<double>(lines.size()) * size * 1.15 <= h - 2)
                break;
            size -= 0.5;
        }
    } else {
        while (f.fontSize <= 0 && size > 6 && helvWidth(text, size) > w - 4) size -= 0.25;
        lines.emplace_back(text);
    }
    std::string ops = "/Tx BMC\nq 1 1 " + num(w - 2) + " " + num(h - 2) + " re W n\nBT\n/" + font +
                      " " + num(size) + " Tf 0 g\n";
    if (multi) {
        ops += num(size * 1.15) + " TL 2 " + num(h - 2 - size * 0.8) + " Td\n";
        for (std::size_t i = 0; i < lines.size(); ++i)
            ops += (i ? "T* " : "") + pdfLiteral(lines[i]) + " Tj\n";
    } else {
        ops += "2 " + num((h - size * 0.72) / 2) + " Td " + pdfLiteral(text) + " Tj\n";
    }
    return ops + "ET\nQ\nEMC\n";
}

std::string formXObjectDict(double w, double h, const std::string& resources) {
    return "<< /Type /XObject /Subtype /Form /BBox [0 0 " + num(w) + " " + num(h) +
           "] /Resources " + resources + " >>";
}

struct WidgetBox {
    double x = 0, y = 0, w = 0, h = 0;
};

WidgetBox boxOf(OH widget) {
    WidgetBox b;
    if (OH r = widget.getKey("/Rect"); r.isRectangle()) {
        auto rect = r.getArrayAsRectangle();
        b.x = std::min(rect.llx, rect.urx);
        b.y = std::min(rect.lly, rect.ury);
        b.w = std::abs(rect.urx - rect.llx);
        b.h = std::abs(rect.ury - rect.lly);
    }
    return b;
}

}  // namespace

// Everything one fill() needs besides the parsed file.
struct FillSession {
    OfficialPdf::Impl& m;
    UpdateWriter uw;
    std::string helvRes;               // resources dict text for Helvetica appearances
    std::map<QPDFObjGen, int> newAp;   // widget -> its new /AP /N object
    std::unique_ptr<Document> shadow;  // appearances of non-ASCII values (lecert's fonts)
    std::vector<std::pair<OH, std::string>> shadowWidgets;  // widget, shadow field name
    std::vector<std::shared_ptr<std::string>> shadowBytes;  // before `foreign`: outlives it
    std::vector<std::unique_ptr<QPDF>> foreign;

    FillSession(OfficialPdf::Impl& impl, QPDF& q)
        : m(impl),
          uw(q, impl.crypt, static_cast<int>(q.getTrailer().getKey("/Size").getIntValue())) {}

    void setWidgetAp(const OH& widget, int apNum) {
        OH& w = uw.edit(widget);
        OH ap = OH::newDictionary();
        ap.replaceKey("/N", refTo(apNum));
        w.replaceKey("/AP", ap);
        newAp[widget.getObjGen()] = apNum;
    }
    void helvetica(QPDF& q);
    Status text(const OfficialField& f, const OH& field, const std::vector<OH>& ws,
                const std::string& value);
    Status check(const OfficialField& f, const OH& field, const std::vector<OH>& ws,
                 const std::string& on);
    Status shadowAppearances();
    Status appendPages(QPDF& q, const std::string& pdf);
    void flatten(QPDF& q);
};

void FillSession::helvetica(QPDF& q) {
    OH helv = q.getRoot().getKey("/AcroForm").getKey("/DR").getKey("/Font").getKey("/Helv");
    if (helv.isIndirect()) {
        helvRes = "<< /Font << /Helv " + std::to_string(helv.getObjectID()) + " " +
                  std::to_string(helv.getGeneration()) + " R >> >>";
    } else {
        // A standard 14 font needs no object of its own.
        helvRes =
            "<< /Font << /Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
            "/Encoding /WinAnsiEncoding >> >> >>";
    }
}

Status FillSession::text(const OfficialField& f, const OH& field, const std::vector<OH>& ws,
                         const std::string& value) {
    if (f.kind == OfficialFieldKind::CheckBox || f.kind == OfficialFieldKind::Radio ||
        f.kind == OfficialFieldKind::Signature)
        return Error{"is not a text field in the official PDF", {{}, 0, 0, f.name}};
    uw.edit(field).replaceKey("/V", OH::newUnicodeString(value));
    for (std::size_t i = 0; i < ws.size(); ++i) {
        const WidgetBox b = boxOf(ws[i]);
        if (isAsciiText(value)) {
            const int n = uw.allocate();
            uw.putStream(n, formXObjectDict(b.w, b.h, helvRes),
                         helvAppearance(f, b.w, b.h, value, "Helv"));
            setWidgetAp(ws[i], n);
            continue;
        }
        if (!shadow) {
            shadow = std::make_unique<Document>(m.fonts);
        }
        while (shadow->pageCount() < std::max(1, f.page)) shadow->addPage();
        const std::string name = "s" + std::to_string(shadowWidgets.size());
        double size = f.fontSize;
        const bool multi = f.kind == OfficialFieldKind::Multiline;
        if (multi && size <= 0) {
            TextStyle st;
            for (size = 10; size > kMinSize; size -= 0.5) {
                st.size = size;
                if (static_cast<double>(shadow->wrapText(value, b.w - 4, st).size()) *
                        Document::lineHeight(size) <=
                    b.h - 2)
                    break;
            }
        }
        shadow->addTextField(std::max(0, f.page - 1), {b.x, b.y, b.w, b.h}, name, value, multi,
                             size);
        shadowWidgets.emplace_back(ws[i], name);
    }
    return Ok{};
}

Status FillSession::check(const OfficialField& f, const OH& field, const std::vector<OH>& ws,
                          const std::string& on) {
    if (f.kind != OfficialFieldKind::CheckBox && f.kind != OfficialFieldKind::Radio)
        return Error{"is not a check box in the official PDF", {{}, 0, 0, f.name}};
    if (std::find(f.onStates.begin(), f.onStates.end(), on) == f.onStates.end())
        return Error{"the official PDF's check box has no on-state /" + on, {{}, 0, 0, f.name}};
    uw.edit(field).replaceKey("/V", OH::newName("/" + on));
    for (OH w : ws) {
        OH n = w.getKey("/AP").getKey("/N");
        const bool has = n.isDictionary() && n.hasKey("/" + on);
        uw.edit(w).replaceKey("/AS", OH::newName(has ? "/" + on : "/Off"));
    }
    return Ok{};
}

Status FillSession::shadowAppearances() {
    if (!shadow) return Ok{};
    auto bytes = shadow->write();
    if (!bytes) return bytes.error();
    auto q = std::make_unique<QPDF>();
    q->setSuppressWarnings(true);
    auto data = std::make_shared<std::string>(std::move(*bytes));
    q->processMemoryFile("appearances.pdf", data->data(), data->size());
    std::map<std::string, OH> aps;
    for (auto& f : q->getRoot().getKey("/AcroForm").getKey("/Fields").getArrayAsVector()) {
        OH w = f.getKey("/Kids").isArray() ? f.getKey("/Kids").getArrayItem(0) : f;
        if (f.getKey("/T").isString())
            aps[f.getKey("/T").getUTF8Value()] = w.getKey("/AP").getKey("/N");
    }
    for (auto& [widget, name] : shadowWidgets) {
        OH ap = aps[name];
        if (!ap.isStream()) return Error{"could not build the appearance of a field", {}};
        setWidgetAp(widget, uw.import(ap));
    }
    // The foreign document must outlive the serialisation in finish().
    foreign.push_back(std::move(q));
    shadowBytes.push_back(data);
    return Ok{};
}

Status FillSession::appendPages(QPDF& q, const std::string& pdf) {
    if (pdf.empty()) return Ok{};
    auto data = std::make_shared<std::string>(pdf);
    auto fq = std::make_unique<QPDF>();
    fq->setSuppressWarnings(true);
    fq->processMemoryFile("continuation.pdf", data->data(), data->size());
    OH pagesRoot = q.getRoot().getKey("/Pages");
    OH& tree = uw.edit(pagesRoot);
    OH kids = tree.getKey("/Kids");
    long long count = tree.getKey("/Count").isInteger() ? tree.getKey("/Count").getIntValue() : 0;
    for (OH page : fq->getAllPages()) {
        OH copy = page.shallowCopy();
        copy.replaceKey("/Parent", pagesRoot);
        copy.removeKey("/Annots");
        const int n = uw.allocate();
        uw.putObject(n, copy);
        kids.appendItem(refTo(n));
        ++count;
    }
    tree.replaceKey("/Kids", kids);
    tree.replaceKey("/Count", OH::newInteger(count));
    shadowBytes.push_back(data);
    foreign.push_back(std::move(fq));
    return Ok{};
}

// Draws each widget's current appearance into its page (a new content stream after the
// page's own, which is wrapped in q/Q) and removes the widgets and the form.
void FillSession::flatten(QPDF& q) {
    for (std::size_t p = 0; p < m.pageObjs.size(); ++p) {
        OH page = m.pageObjs[p];
        OH annots = page.getKey("/Annots");
        if (!annots.isArray()) continue;
        std::string draw = "Q\n";
        OH keep = OH::newArray();
        OH xobjects = OH::newDictionary();
        int k = 0;
        for (auto& a : annots.getArrayAsVector()) {
            if (!a.isDictionary() || a.getKey("/Subtype").getName() != "/Widget") {
                keep.appendItem(a);
                continue;
            }
            OH cur = uw.edited(a) ? uw.edit(a) : a;
            if (cur.getKey("/F").isInteger() && (cur.getKey("/F").getIntValue() & 2)) continue;
            const WidgetBox b = boxOf(cur);
            OH ap;
            double bw = b.w, bh = b.h;
            if (auto it = newAp.find(a.getObjGen()); it != newAp.end()) {
                ap = refTo(it->second);
            } else {
                OH n = cur.getKey("/AP").getKey("/N");
                if (n.isDictionary() && !n.isStream())
                    n = n.getKey(cur.getKey("/AS").isName() ? cur.getKey("/AS").getName() : "/Off");
                if (!n.isStream()) continue;
                ap = n;
                if (OH bb = n.getDict().getKey("/BBox"); bb.isRectangle()) {
                    auto r = bb.getArrayAsRectangle();
                    bw = r.urx - r.llx;
                    bh = r.ury - r.lly;
                }
            }
            if (bw <= 0 || bh <= 0) continue;
            const std::string name = "LcFx" + std::to_string(k++);
            xobjects.replaceKey("/" + name, ap);
            draw += "q " + num(b.w / bw) + " 0 0 " + num(b.h / bh) + " " + num(b.x) + " " +
                    num(b.y) + " cm /" + name + " Do Q\n";
        }
        if (k == 0 && keep.getArrayNItems() == annots.getArrayNItems()) continue;
        OH& pc = uw.edit(page);
        const int qNum = uw.allocate(), dNum = uw.allocate();
        uw.putStream(qNum, "<< >>", "q\n");
        uw.putStream(dNum, "<< >>", draw);
        OH contents = OH::newArray();
        contents.appendItem(refTo(qNum));
        OH orig = page.getKey("/Contents");
        if (orig.isArray())
            for (auto& c : orig.getArrayAsVector()) contents.appendItem(c);
        else if (!orig.isNull())
            contents.appendItem(orig);
        contents.appendItem(refTo(dNum));
        pc.replaceKey("/Contents", contents);
        pc.replaceKey("/Annots", keep);
        OH res = page.getKey("/Resources");
        OH resCopy = res.isIndirect()
                         ? uw.edit(res)
                         : (res.isDictionary() ? pc.getKey("/Resources") : OH::newDictionary());
        OH xo = resCopy.getKey("/XObject");
        OH xoCopy = xo.isIndirect() ? uw.edit(xo) : (xo.isDictionary() ? xo : OH::newDictionary());
        for (auto& key : xobjects.getKeys()) xoCopy.replaceKey(key, xobjects.getKey(key));
        if (!xo.isIndirect()) resCopy.replaceKey("/XObject", xoCopy);
        if (!res.isIndirect()) pc.replaceKey("/Resources", resCopy);
    }
    uw.edit(q.getRoot()).removeKey("/AcroForm");
}

Result<std::string> OfficialPdf::fill(const OfficialFillRequest& req) const {
    QPDF& q = m->q;
    try {
        FillSession s(*m, q);
        s.helvetica(q);
        for (const auto& [name, value] : req.text) {
            const OfficialField* f = find(name);
            if (!f) return Error{"the official PDF has no such field", {{}, 0, 0, name}};
            if (auto st = s.text(*f, m->fieldObj.at(f->name), m->widgets.at(f->name), value); !st)
                return st.error();
        }
        for (const auto& [name, on] : req.checks) {
            const OfficialField* f = find(name);
            if (!f) return Error{"the official PDF has no such field", {{}, 0, 0, name}};
            if (auto st = s.check(*f, m->fieldObj.at(f->name), m->widgets.at(f->name), on); !st)
                return st.error();
        }
        if (auto st = s.shadowAppearances(); !st) return st.error();
        // Values now have appearances: no viewer-side regeneration, and no XFA copy that a
        // viewer reading XFA would show blank.
        OH acro = q.getRoot().getKey("/AcroForm");
        OH& root = s.uw.edit(q.getRoot());
        if (acro.isIndirect()) {
            OH& ac = s.uw.edit(acro);
            ac.removeKey("/XFA");
            ac.removeKey("/NeedAppearances");
        } else {
            OH ac = root.getKey("/AcroForm");
            ac.removeKey("/XFA");
            ac.removeKey("/NeedAppearances");
        }
        root.removeKey("/NeedsRendering");
        root.removeKey("/Perms");  // usage-rights signatures no longer match the filled file
        if (auto st = s.appendPages(q, req.appendPdf); !st) return st.error();
        if (req.flatten) s.flatten(q);
        return s.uw.finish(m->bytes, lastStartXref(m->bytes), q.getTrailer());
    } catch (const std::exception& e) {
        return Error{std::string("could not fill the official PDF: ") + e.what(), {}};
    }
}

Result<std::vector<OfficialField>> readOfficialFields(std::string_view pdf,
                                                      const std::string& password) {
    auto doc = OfficialPdf::open(std::string(pdf), nullptr, password);
    if (!doc) return doc.error();
    return (*doc)->fields();
}

Result<std::size_t> originalLength(std::string_view pdf) {
    const long long sx = lastStartXref(pdf);
    if (sx < 0 || static_cast<std::size_t>(sx) >= pdf.size())
        return Error{"no startxref found", {}};
    const std::string_view tail = pdf.substr(static_cast<std::size_t>(sx));
    const auto dictEnd = tail.find("stream");
    const std::string_view dict = tail.substr(0, dictEnd);
    const auto prevPos = dict.find("/Prev ");
    if (prevPos == std::string_view::npos || dict.find("/XRef") == std::string_view::npos)
        return std::size_t{0};
    const auto idx = dict.find("/Index [");
    if (idx == std::string_view::npos)
        return Error{"the last cross-reference stream has no /Index", {}};
    // Rows are 1+4+2 bytes, uncompressed (as OfficialPdf::fill writes them).
    std::size_t dataStart = static_cast<std::size_t>(sx) + dictEnd + 6;
    if (dataStart < pdf.size() && pdf[dataStart] == '\r') ++dataStart;
    if (dataStart < pdf.size() && pdf[dataStart] == '\n') ++dataStart;
    std::size_t minOffset = static_cast<std::size_t>(sx);
    for (std::size_t r = dataStart;
         r + 7 <= pdf.size() && r + 7 <= static_cast<std::size_t>(sx) + tail.find("endstream");
         r += 7) {
        if (pdf[r] != 1) continue;
        std::size_t off = 0;
        for (int i = 1; i <= 4; ++i)
            off = (off << 8) | static_cast<unsigned char>(pdf[r + static_cast<std::size_t>(i)]);
        minOffset = std::min(minOffset, off);
    }
    return minOffset;
}

}  // namespace lecert::pdf
