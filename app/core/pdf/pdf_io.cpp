// SPDX-License-Identifier: MIT
#include "core/pdf/pdf_io.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include <openssl/rand.h>

// qpdf 11: use std::shared_ptr instead of the deprecated PointerHolder.
#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4
#endif
#include <qpdf/Buffer.hh>
#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

namespace lecert::pdf {

namespace {

// Opens bytes with qpdf; translates its exceptions into an Error.
template <class F>
auto withQpdf(std::string_view bytes, const std::string& password, F&& fn)
    -> decltype(fn(std::declval<QPDF&>())) {
    try {
        auto q = std::make_unique<QPDF>();
        q->setSuppressWarnings(true);
        q->processMemoryFile("input.pdf", bytes.data(), bytes.size(),
                             password.empty() ? nullptr : password.c_str());
        return fn(*q);
    } catch (const QPDFExc& e) {
        if (e.getErrorCode() == qpdf_e_password)
            return Error{password.empty() ? "the PDF is encrypted: a password is needed"
                                          : "the password does not open this PDF",
                         {}};
        return Error{std::string("not a readable PDF: ") + e.getMessageDetail(), {}};
    } catch (const std::exception& e) {
        return Error{std::string("not a readable PDF: ") + e.what(), {}};
    }
}

std::string valueOf(QPDFObjectHandle v) {
    if (v.isString()) return v.getUTF8Value();
    if (v.isName()) {
        std::string n = v.getName();
        return n.empty() ? n : n.substr(1);
    }
    return {};
}

void collect(QPDFObjectHandle node, const std::string& prefix,
             std::map<std::string, std::string>& out, std::set<QPDFObjGen>& seen, int depth) {
    if (!node.isDictionary() || depth > 32) return;
    if (node.isIndirect() && !seen.insert(node.getObjGen()).second) return;
    std::string name = prefix;
    if (node.hasKey("/T")) {
        const std::string t = node.getKey("/T").getUTF8Value();
        name = prefix.empty() ? t : prefix + "." + t;
    }
    bool hasFieldKids = false;
    if (node.hasKey("/Kids") && node.getKey("/Kids").isArray()) {
        for (auto& kid : node.getKey("/Kids").getArrayAsVector())
            if (kid.isDictionary() && kid.hasKey("/T")) {
                hasFieldKids = true;
                collect(kid, name, out, seen, depth + 1);
            }
    }
    if (!hasFieldKids && node.hasKey("/T"))
        out[name] = node.hasKey("/V") ? valueOf(node.getKey("/V")) : "";
}

void collectWidgets(QPDFObjectHandle node, const std::string& prefix,
                    const std::map<QPDFObjGen, int>& pages, std::vector<FieldWidget>& out,
                    std::set<QPDFObjGen>& seen, int depth) {
    if (!node.isDictionary() || depth > 32) return;
    if (node.isIndirect() && !seen.insert(node.getObjGen()).second) return;
    std::string name = prefix;
    if (node.hasKey("/T")) {
        const std::string t = node.getKey("/T").getUTF8Value();
        name = prefix.empty() ? t : prefix + "." + t;
    }
    if (node.hasKey("/Kids") && node.getKey("/Kids").isArray()) {
        for (auto& kid : node.getKey("/Kids").getArrayAsVector())
            collectWidgets(kid, name, pages, out, seen, depth + 1);
    }
    if (node.hasKey("/Rect") && node.getKey("/Rect").isArray()) {
        auto r = node.getKey("/Rect").getArrayAsVector();
        if (r.size() != 4) return;
        double v[4];
        for (int i = 0; i < 4; ++i) v[i] = r[static_cast<std::size_t>(i)].getNumericValue();
        FieldWidget w;
        w.name = name;
        QPDFObjectHandle p = node.getKey("/P");
        if (p.isIndirect()) {
            auto it = pages.find(p.getObjGen());
            if (it != pages.end()) w.page = it->second;
        }
        w.x = std::min(v[0], v[2]);
        w.y = std::min(v[1], v[3]);
        w.w = std::abs(v[2] - v[0]);
        w.h = std::abs(v[3] - v[1]);
        out.push_back(w);
    }
}

}  // namespace

Result<std::vector<FieldWidget>> readFieldWidgets(std::string_view pdf,
                                                  const std::string& password) {
    return withQpdf(pdf, password, [](QPDF& q) -> Result<std::vector<FieldWidget>> {
        std::vector<FieldWidget> out;
        std::map<QPDFObjGen, int> pages;
        int n = 0;
        for (auto& p : q.getAllPages()) pages[p.getObjGen()] = ++n;
        QPDFObjectHandle acro = q.getRoot().getKey("/AcroForm");
        if (!acro.isDictionary() || !acro.getKey("/Fields").isArray()) return out;
        std::set<QPDFObjGen> seen;
        for (auto& f : acro.getKey("/Fields").getArrayAsVector())
            collectWidgets(f, "", pages, out, seen, 0);
        return out;
    });
}

Result<std::map<std::string, std::string>> readFieldValues(std::string_view pdf,
                                                           const std::string& password) {
    return withQpdf(pdf, password, [](QPDF& q) -> Result<std::map<std::string, std::string>> {
        std::map<std::string, std::string> out;
        QPDFObjectHandle acro = q.getRoot().getKey("/AcroForm");
        if (!acro.isDictionary()) return out;
        QPDFObjectHandle fields = acro.getKey("/Fields");
        if (!fields.isArray()) return out;
        std::set<QPDFObjGen> seen;
        for (auto& f : fields.getArrayAsVector()) collect(f, "", out, seen, 0);
        return out;
    });
}

namespace {

// Collects decoded stream data and stops the decoder as soon as it exceeds a limit, so that a
// small stream that inflates to gigabytes (a "zip bomb") costs no more than the limit.
class LimitedSink : public Pipeline {
public:
    struct TooLarge {};
    explicit LimitedSink(std::size_t maxBytes)
        : Pipeline("lecert-limit", nullptr), m_max(maxBytes) {}
    void write(unsigned char const* data, size_t len) override {
        if (m_max != 0 && len > m_max - std::min(m_max, m_out.size())) throw TooLarge{};
        m_out.append(reinterpret_cast<const char*>(data), len);
    }
    void finish() override {}
    std::string& out() { return m_out; }

private:
    std::size_t m_max;
    std::string m_out;
};

}  // namespace

Result<std::string> readAttachment(std::string_view pdf, const std::string& name,
                                   const std::string& password, std::size_t maxBytes) {
    return withQpdf(pdf, password, [&](QPDF& q) -> Result<std::string> {
        QPDFEmbeddedFileDocumentHelper efdh(q);
        for (auto& [key, fs] : efdh.getEmbeddedFiles()) {
            if (!name.empty() && key != name) continue;
            QPDFObjectHandle stream = fs->getEmbeddedFileStream();
            if (!stream.isStream()) continue;
            LimitedSink sink(maxBytes);
            try {
                if (!stream.pipeStreamData(&sink, 0, qpdf_dl_all, true))
                    return Error{"the embedded file cannot be decoded", {}};
            } catch (const LimitedSink::TooLarge&) {
                return Error{"the embedded file is larger than " +
                                 std::to_string(maxBytes / (1024 * 1024)) + " MiB when decoded",
                             {}};
            }
            return std::move(sink.out());
        }
        return Error{name.empty() ? "the PDF has no embedded file"
                                  : "the PDF has no embedded file named " + name,
                     {}};
    });
}

Result<std::vector<std::string>> listAttachments(std::string_view pdf,
                                                 const std::string& password) {
    return withQpdf(pdf, password, [](QPDF& q) -> Result<std::vector<std::string>> {
        std::vector<std::string> out;
        QPDFEmbeddedFileDocumentHelper efdh(q);
        for (auto& [key, fs] : efdh.getEmbeddedFiles()) out.push_back(key);
        return out;
    });
}

bool isEncrypted(std::string_view pdf) {
    // The trailer (or xref stream dictionary) names /Encrypt near the end of the file.
    const std::size_t from = pdf.size() > 4096 ? pdf.size() - 4096 : 0;
    return pdf.find("/Encrypt", from) != std::string_view::npos;
}

Result<int> pageCount(std::string_view pdf, const std::string& password) {
    return withQpdf(pdf, password, [](QPDF& q) -> Result<int> {
        return static_cast<int>(q.getAllPages().size());
    });
}

Result<std::string> encryptAes256(std::string_view pdf, const std::string& userPassword) {
    if (userPassword.empty()) return Error{"the password is empty", {}};
    unsigned char raw[24];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return Error{"no secure random source for the owner password", {}};
    std::string owner;
    for (unsigned char c : raw)
        owner.push_back("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[c % 64]);
    return withQpdf(pdf, {}, [&](QPDF& q) -> Result<std::string> {
        QPDFWriter w(q);
        w.setOutputMemory();
        w.setR6EncryptionParameters(userPassword.c_str(), owner.c_str(), true, true, false, true,
                                    true, false, qpdf_r3p_full, true);
        w.write();
        auto buf = w.getBufferSharedPointer();
        return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
    });
}

}  // namespace lecert::pdf
