// SPDX-License-Identifier: MIT
#include "core/jobs/fill_job.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>

#include "core/jobs/output_guard.h"
#include "core/jobs/record_reader.h"
#include "core/model/form_edition.h"
#include "core/pdf/official_pdf.h"
#include "core/pdf/pdf_io.h"
#include "core/render/cover.h"
#include "core/render/official_form.h"
#include "core/render/worksheet_pdf.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"

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

// The part both renderers share: the cover (unless noCover) from `co`, then encryption of
// every output with the password (each reopened with it, see encryptChecked).
Status addCoverAndEncrypt(RenderedRecord& out, const Record& record, const RenderOptions& options,
                          const CoverOptions& co) {
    if (!options.noCover) {
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
    return Ok{};
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
    auto edition = formEditionFor(record);
    if (!edition) return edition.error();
    const auto& def = (*edition)->worksheet;

    if (options.pdfa && !options.password.empty())
        return Error{"--pdfa and --password-file exclude each other (PDF/A forbids encryption)",
                     {}};
    FormPdfOptions fo;
    fo.flatten = options.flatten;
    fo.pdfa = options.pdfa;
    fo.draft = draft;
    fo.today = options.today;
    fo.attachmentJson = attachmentJson;
    fo.fonts = m_fonts;
    auto formPdf = renderFormPdf(*def, record, fo);
    if (!formPdf) return formPdf.error();

    RenderedRecord out;
    out.form = std::move(formPdf->bytes);
    CoverOptions co;
    co.today = options.today;
    co.draft = draft;
    co.flatten = options.flatten;
    co.pdfa = options.pdfa;
    co.fonts = m_fonts;
    co.attachmentJson = attachmentJson;
    if (issues) co.issues = *issues;
    if (auto st = addCoverAndEncrypt(out, record, options, co); !st) return st.error();
    return out;
}

struct OfficialRenderer::Cache {
    std::map<std::string, std::unique_ptr<pdf::OfficialPdf>> pdfs;  // by path
    std::map<std::string, std::string> matches;                     // path -> how it matched
};

OfficialRenderer::OfficialRenderer(std::string officialDir,
                                   std::shared_ptr<const pdf::FontSet> fonts)
    : m_dir(std::move(officialDir)), m_fonts(std::move(fonts)), m_cache(std::make_unique<Cache>()) {
    if (!m_fonts) m_fonts = pdf::FontSet::shared();
}

OfficialRenderer::~OfficialRenderer() = default;

Result<RenderedRecord> OfficialRenderer::render(const Record& record,
                                                const RenderOptions& options) {
    auto edition = formEditionFor(record);
    if (!edition) return edition.error();
    const std::string path = findOfficialPdf(m_dir, (*edition)->form, (*edition)->edition);
    if (path.empty())
        return Error{"no official PDF of " + std::string(formToString((*edition)->form)) +
                         " edition " + (*edition)->edition + " in the official folder",
                     {m_dir, 0, 0, {}}};
    return renderWith(record, options, path);
}

Result<RenderedRecord> OfficialRenderer::renderWith(const Record& record,
                                                    const RenderOptions& options,
                                                    const std::string& officialPath,
                                                    const std::vector<Issue>* issues) {
    if (!m_fonts) return Error{"the PDF fonts could not be loaded (install fonts-dejavu-core)", {}};
    // The official form is USCIS's file, updated in place (XFA removed, no output intent): it
    // cannot be made PDF/A by an incremental update.
    if (options.pdfa)
        return Error{
            "--pdfa applies to lecert's worksheet and cover, not to the official USCIS "
            "form (add --worksheet for an archival copy)",
            {}};
    auto edition = formEditionFor(record);
    if (!edition) return edition.error();
    auto it = m_cache->pdfs.find(officialPath);
    if (it == m_cache->pdfs.end()) {
        auto bytes = readFile(officialPath);
        if (!bytes) return bytes.error();
        auto doc = pdf::OfficialPdf::open(std::move(*bytes), m_fonts);
        if (!doc) return Error{doc.error().message, {officialPath, 0, 0, {}}};
        it = m_cache->pdfs.emplace(officialPath, std::move(*doc)).first;
    }
    // Checked once per file and edition, not per record.
    const std::string key = officialPath + "\n" + (*edition)->dir;
    auto known = m_cache->matches.find(key);
    if (known == m_cache->matches.end()) {
        auto match = checkOfficialEdition(**edition, *it->second);
        if (!match) return Error{match.error().message, {officialPath, 0, 0, {}}};
        known = m_cache->matches.emplace(key, match->summary).first;
    }
    m_lastMatch = known->second;
    OfficialFormOptions oo;
    oo.flatten = options.flatten;
    oo.fonts = m_fonts;
    auto form = renderOfficialForm(**edition, record, *it->second, oo);
    if (!form) return form.error();
    RenderedRecord out;
    out.form = std::move(*form);
    // The official cover embeds nothing (it leaves the agency). Encrypting rewrites the file:
    // the original bytes are then no longer a prefix.
    CoverOptions co;
    co.today = options.today;
    co.flatten = options.flatten;
    co.fonts = m_fonts;
    if (issues) co.issues = *issues;
    if (auto st = addCoverAndEncrypt(out, record, options, co); !st) return st.error();
    return out;
}

RendererFactory officialRendererFactory(const std::string& officialDir) {
    return [officialDir]() -> Result<std::unique_ptr<RecordRenderer>> {
        auto fonts = pdf::FontSet::shared();
        if (!fonts)
            return Error{"the PDF fonts could not be loaded (install fonts-dejavu-core)", {}};
        return std::unique_ptr<RecordRenderer>(
            std::make_unique<OfficialRenderer>(officialDir, fonts));
    };
}

std::string findOfficialPdf(const std::string& dir, FormId form, const std::string& edition) {
    namespace fs = std::filesystem;
    if (dir.empty()) return {};
    auto ed = formEdition(form, edition);
    if (!ed || !(*ed)->map()) return {};
    std::error_code ec;
    for (const std::string& name :
         {std::string(formToString(form)) + "-" + edition + ".pdf", (*ed)->map()->officialFile}) {
        if (name.empty()) continue;
        const fs::path p = fs::path(dir) / name;
        if (fs::is_regular_file(p, ec)) return p.string();
    }
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.path().extension() != ".pdf") continue;
        auto bytes = readFile(e.path().string());
        if (!bytes) continue;
        const auto& hashes = (*ed)->map()->sha256;
        if (std::find(hashes.begin(), hashes.end(), sha256Hex(*bytes)) != hashes.end())
            return e.path().string();
    }
    return {};
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

namespace {

// Both files or neither: the cover is written first and removed if the form fails.
FillResult writeOutputs(const FillOptions& options, const RenderedRecord& rendered,
                        FillResult res) {
    const std::string coverPath = coverPathFor(options.output);
    const unsigned mode = 0600;  // victim data: readable by the owner only
    if (!options.noCover) {
        if (auto st = writeFileAtomic(coverPath, rendered.cover, mode); !st) {
            res.exitCode = 2;
            res.error = st.error();
            return res;
        }
    }
    if (auto st = writeFileAtomic(options.output, rendered.form, mode); !st) {
        if (!options.noCover) std::remove(coverPath.c_str());
        res.exitCode = 2;
        res.error = st.error();
        return res;
    }
    res.written.push_back(options.output);
    if (!options.noCover) res.written.push_back(coverPath);
    return res;
}

FillResult failed(FillResult res, Error e) {
    res.exitCode = 2;
    res.error = std::move(e);
    return res;
}

// Before anything is read or rendered: an output must never replace an input.
Status checkFillTargets(const FillOptions& options) {
    std::vector<std::string> targets{options.output};
    if (!options.noCover) targets.push_back(coverPathFor(options.output));
    std::vector<std::string> inputs{options.input};
    if (!options.passwordFile.empty()) inputs.push_back(options.passwordFile);
    for (const auto& t : targets) {
        if (auto st = checkOutputTarget(t, OutputKind::Pdf, inputs, options.force); !st) return st;
    }
    return Ok{};
}

// The input's one record in `item` (`label` names it once it is found); an error when the
// input holds none, more than one, or one that cannot be read.
Status readSingleRecord(const std::string& input, RecordItem& item, std::string& label) {
    RecordReader reader({input});
    if (!reader.next(item))
        return Error{"no record found (expected one JSON object)", {input, 0, 0, {}}};
    label = item.label();
    if (item.error) return *item.error;
    RecordItem extra;
    if (reader.next(extra))
        return Error{
            "holds more than one record; lecert fill takes one (use lecert batch for many)",
            {input, 0, 0, {}}};
    return Ok{};
}

// The official USCIS form from the PDF at `officialPath`, filled, and its cover.
FillResult fillOfficial(const FillOptions& options, const Record& record, const RenderOptions& ro,
                        const std::string& officialPath, FillResult res) {
    if (options.draft)
        return failed(std::move(res),
                      Error{"--draft writes the worksheet only: a draft must not look like a "
                            "filing (use --worksheet)",
                            {options.input, 0, 0, {}}});
    OfficialRenderer official(options.officialDir);
    auto rendered = official.renderWith(record, ro, officialPath, &res.issues);
    if (!rendered) {
        Error e = rendered.error();
        if (e.where.file.empty()) e.where.file = options.input;
        return failed(std::move(res), e);
    }
    res.notes.push_back("official form " + officialPath + ": " + official.lastMatch());
    if (!ro.password.empty())
        res.notes.emplace_back(
            "the encrypted official form is a rewrite: its first bytes are no longer the "
            "original file");
    return writeOutputs(options, *rendered, std::move(res));
}

// lecert's worksheet (with the record embedded) and its cover.
FillResult fillWorksheet(const FillOptions& options, const RecordItem& item,
                         const FormEdition& edition, const RenderOptions& ro, FillResult res) {
    const Record& record = *item.record;
    if (!options.worksheet) {
        const std::string file = edition.map() ? edition.map()->officialFile : std::string();
        res.notes.push_back(
            "wrote lecert's worksheet, not the official USCIS form; to fill the official form, "
            "pass --official FORM.pdf or put the official PDF" +
            (file.empty() ? std::string() : " (" + file + ")") +
            " in the folder named by LECERT_OFFICIAL_DIR");
    }
    FillRenderer renderer;
    // The record as read: extract gives back exactly what was filled in.
    std::string attachment = item.text;
    if (attachment.empty() || !parseJson(attachment, options.input).ok())
        attachment = dumpPretty(record.json());
    auto rendered = renderer.render(record, ro, options.draft, attachment, &res.issues);
    if (!rendered) {
        Error e = rendered.error();
        if (e.where.file.empty()) e.where.file = options.input;
        return failed(std::move(res), e);
    }
    return writeOutputs(options, *rendered, std::move(res));
}

}  // namespace

FillResult runFill(const FillOptions& options) {
    FillResult res;
    res.label = options.input;
    if (options.output.empty())
        return failed(std::move(res), Error{"no output file given (-o OUT.pdf)", {}});
    if (auto st = checkFillTargets(options); !st) return failed(std::move(res), st.error());

    std::string password;
    if (!options.passwordFile.empty()) {
        auto pw = readPasswordFile(options.passwordFile);
        if (!pw) return failed(std::move(res), pw.error());
        password = std::move(*pw);
    }

    RecordItem item;
    if (auto st = readSingleRecord(options.input, item, res.label); !st)
        return failed(std::move(res), st.error());
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
    ro.pdfa = options.pdfa;
    ro.noCover = options.noCover;
    ro.password = password;
    ro.today = options.today;

    auto edition = formEditionFor(record);
    if (!edition) {
        Error e = edition.error();
        e.where.file = options.input;
        return failed(std::move(res), e);
    }
    std::string officialPath = options.official;
    if (officialPath.empty() && !options.worksheet)
        officialPath = findOfficialPdf(options.officialDir, (*edition)->form, (*edition)->edition);
    if (!officialPath.empty())
        return fillOfficial(options, record, ro, officialPath, std::move(res));
    return fillWorksheet(options, item, **edition, ro, std::move(res));
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

namespace {

// FillRenderer, fed the record text as read so the attachment matches `lecert fill`.
class BatchFillRenderer : public RecordRenderer {
public:
    explicit BatchFillRenderer(std::shared_ptr<const pdf::FontSet> fonts)
        : m_fill(std::move(fonts)) {}
    Result<RenderedRecord> render(const Record& record, const RenderOptions& options) override {
        return m_fill.render(record, options);
    }
    Result<RenderedRecord> renderSource(const Record& record, const std::string& sourceText,
                                        const RenderOptions& options,
                                        const std::vector<Issue>* issues) override {
        return issues ? m_fill.render(record, options, false, sourceText, issues)
                      : m_fill.render(record, options, false, sourceText);
    }

private:
    FillRenderer m_fill;
};

}  // namespace

RendererFactory defaultRendererFactory() {
    return []() -> Result<std::unique_ptr<RecordRenderer>> {
        // FontSet is immutable once loaded and safe to share; each worker still owns its own
        // PDF documents (no document object crosses threads).
        auto fonts = pdf::FontSet::shared();
        if (!fonts)
            return Error{"the PDF fonts could not be loaded (install fonts-dejavu-core)", {}};
        return std::unique_ptr<RecordRenderer>(
            std::make_unique<BatchFillRenderer>(std::move(fonts)));
    };
}

}  // namespace lecert
