// SPDX-License-Identifier: MIT
#include "core/jobs/fill_job.h"

#include <cctype>
#include <cstdio>

#include "core/jobs/output_guard.h"
#include "core/jobs/record_reader.h"
#include "core/model/form_definition.h"
#include "core/pdf/pdf_io.h"
#include "core/render/cover.h"
#include "core/render/worksheet_pdf.h"
#include "core/util/json_io.h"

namespace lecert {

namespace {

// Encrypts and opens the result with the password before anyone relies on it: a PDF that its
// own password does not open must never be reported as written.
Result<std::string> encryptChecked(const std::string& pdfBytes, const std::string& password) {
    if (password.size() > kMaxPasswordBytes || password.find('\0') != std::string::npos)
        return Error{"the password is longer than " + std::to_string(kMaxPasswordBytes) +
                         " bytes or contains a NUL byte",
                     {}};
    auto enc = pdf::encryptAes256(pdfBytes, password);
    if (!enc) return enc.error();
    if (!pdf::isEncrypted(*enc) || !pdf::pageCount(*enc, password))
        return Error{"the encrypted PDF does not open with its password (nothing was written)", {}};
    return enc;
}

}  // namespace

FillRenderer::FillRenderer(std::shared_ptr<const pdf::FontSet> fonts) : m_fonts(std::move(fonts)) {
    if (!m_fonts) m_fonts = pdf::FontSet::shared();
}

Result<RenderedRecord> FillRenderer::render(const Record& record, const RenderOptions& options) {
    return render(record, options, false, {});
}

Result<RenderedRecord> FillRenderer::render(const Record& record, const RenderOptions& options,
                                            bool draft, const std::string& attachmentJson) {
    return render(record, options, draft, attachmentJson, nullptr);
}

Result<RenderedRecord> FillRenderer::render(const Record& record, const RenderOptions& options,
                                            bool draft, const std::string& attachmentJson,
                                            const std::vector<Issue>* issues) {
    if (!m_fonts) return Error{"the PDF fonts could not be loaded (install fonts-dejavu-core)", {}};
    const auto form = record.form();
    if (!form) return Error{"the record has no supported \"form\"", {{}, 0, 0, "form"}};
    auto def = formDefinition(*form);
    if (!def) return def.error();

    FormPdfOptions fo;
    fo.flatten = options.flatten;
    fo.draft = draft;
    fo.today = options.today;
    fo.attachmentJson = attachmentJson;
    fo.fonts = m_fonts;
    auto formPdf = renderFormPdf(**def, record, fo);
    if (!formPdf) return formPdf.error();

    RenderedRecord out;
    out.form = std::move(formPdf->bytes);
    if (!options.noCover) {
        CoverOptions co;
        co.today = options.today;
        co.draft = draft;
        co.flatten = options.flatten;
        co.fonts = m_fonts;
        co.attachmentJson = attachmentJson;
        if (issues) co.issues = *issues;
        auto cover = renderCoverPdf(record, co);
        if (!cover) return cover.error();
        out.cover = std::move(*cover);
    }
    if (!options.password.empty()) {
        for (std::string* bytes : {&out.form, &out.cover}) {
            if (bytes->empty()) continue;
            auto enc = encryptChecked(*bytes, options.password);
            if (!enc) return enc.error();
            *bytes = std::move(*enc);
        }
    }
    return out;
}

std::string coverPathFor(const std::string& output) {
    const std::string ext = ".pdf";
    if (output.size() > ext.size()) {
        std::string tail = output.substr(output.size() - ext.size());
        for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (tail == ext)
            return output.substr(0, output.size() - ext.size()) + "-cover" +
                   output.substr(output.size() - ext.size());
    }
    return output + "-cover.pdf";
}

Result<std::string> readPasswordFile(const std::string& path) {
    auto text = readFile(path, 1u << 20);
    if (!text) return text.error();
    std::string pw = *text;
    const auto nl = pw.find('\n');
    if (nl != std::string::npos) pw.resize(nl);
    if (!pw.empty() && pw.back() == '\r') pw.pop_back();
    if (pw.empty())
        return Error{"the first line is empty; it must hold the password", {path, 1, 0, {}}};
    // AES-256 (R6) uses at most 127 bytes of the UTF-8 password: a longer one would give PDFs
    // that no reader opens with the password as typed.
    if (pw.size() > kMaxPasswordBytes)
        return Error{"the password is " + std::to_string(pw.size()) +
                         " bytes long; PDF encryption "
                         "(AES-256) allows at most " +
                         std::to_string(kMaxPasswordBytes) + " bytes (UTF-8)",
                     {path, 1, 0, {}}};
    if (pw.find('\0') != std::string::npos)
        return Error{"the password contains a NUL byte; PDF readers cannot type it",
                     {path, 1, 0, {}}};
    return pw;
}

FillResult runFill(const FillOptions& options) {
    FillResult res;
    res.label = options.input;
    auto fail = [&](Error e) {
        res.exitCode = 2;
        res.error = std::move(e);
        return res;
    };
    if (options.output.empty()) return fail(Error{"no output file given (-o OUT.pdf)", {}});
    // Before anything is read or rendered: an output must never replace an input.
    {
        std::vector<std::string> targets{options.output};
        if (!options.noCover) targets.push_back(coverPathFor(options.output));
        std::vector<std::string> inputs{options.input};
        if (!options.passwordFile.empty()) inputs.push_back(options.passwordFile);
        for (const auto& t : targets) {
            if (auto st = checkOutputTarget(t, OutputKind::Pdf, inputs, options.force); !st)
                return fail(st.error());
        }
    }

    std::string password;
    if (!options.passwordFile.empty()) {
        auto pw = readPasswordFile(options.passwordFile);
        if (!pw) return fail(pw.error());
        password = std::move(*pw);
    }

    RecordReader reader({options.input});
    RecordItem item;
    if (!reader.next(item))
        return fail(Error{"no record found (expected one JSON object)", {options.input, 0, 0, {}}});
    res.label = item.label();
    if (item.error) return fail(*item.error);
    RecordItem extra;
    if (reader.next(extra))
        return fail(
            Error{"holds more than one record; lecert fill takes one (use lecert batch for many)",
                  {options.input, 0, 0, {}}});

    const Record& record = *item.record;
    ValidationOptions vo;
    vo.today = options.today;
    res.issues = validateRecord(record, vo);
    if (hasErrors(res.issues) && !options.draft) {
        res.exitCode = 1;
        return res;
    }

    RenderOptions ro;
    ro.flatten = options.flatten;
    ro.noCover = options.noCover;
    ro.password = password;
    ro.today = options.today;
    FillRenderer renderer;
    // The record as read: extract gives back exactly what was filled in.
    std::string attachment = item.text;
    if (attachment.empty() || !parseJson(attachment, options.input).ok())
        attachment = dumpPretty(record.json());
    auto rendered = renderer.render(record, ro, options.draft, attachment, &res.issues);
    if (!rendered) {
        Error e = rendered.error();
        if (e.where.file.empty()) e.where.file = options.input;
        return fail(e);
    }

    // Both files or neither: the cover is written first and removed if the form fails.
    const std::string coverPath = coverPathFor(options.output);
    const unsigned mode = 0600;  // victim data: readable by the owner only
    if (!options.noCover) {
        if (auto st = writeFileAtomic(coverPath, rendered->cover, mode); !st)
            return fail(st.error());
    }
    if (auto st = writeFileAtomic(options.output, rendered->form, mode); !st) {
        if (!options.noCover) std::remove(coverPath.c_str());
        return fail(st.error());
    }
    res.written.push_back(options.output);
    if (!options.noCover) res.written.push_back(coverPath);
    return res;
}

Result<std::string> extractRecord(const std::string& pdfPath, const std::string& password) {
    auto bytes = readFile(pdfPath);
    if (!bytes) return bytes.error();
    // Decoding stops at the record limit: a small PDF must not inflate to gigabytes.
    auto att = pdf::readAttachment(*bytes, kRecordAttachmentName, password, kMaxRecordBytes);
    if (!att) {
        Error e = att.error();
        e.where.file = pdfPath;
        if (e.message.find("no embedded file") != std::string::npos)
            e.message = "has no embedded lecert record (was it written by lecert fill?)";
        return e;
    }
    // Only a lecert record comes out: a JSON object with a "form", within the record caps.
    auto json = parseJson(*att, pdfPath);
    if (!json || !json->is_object() || !json->contains("form") || !(*json)["form"].is_string() ||
        !checkRecordLimits(*json))
        return Error{"the embedded file is not a lecert record (not a JSON object with a \"form\")",
                     {pdfPath, 0, 0, {}}};
    return *att;
}

}  // namespace lecert
