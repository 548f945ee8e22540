// SPDX-License-Identifier: MIT
#pragma once
// `lecert fill` as a library job: load one record, validate it, render the form PDF (and the
// cover summary), encrypt if asked, and write both files atomically. Also the per-worker
// renderer used by `lecert batch`.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/jobs/record_renderer.h"
#include "core/model/record.h"
#include "core/pdf/font_set.h"
#include "core/rules/validator.h"
#include "core/util/date.h"
#include "core/util/result.h"

namespace lecert {

// Renders form (+ cover) PDFs for records, reusing one font cache; encryption applied when
// RenderOptions::password is set. Not thread-safe: one per worker thread. `attachmentJson`
// (the record text as read) is embedded when non-empty, else the record itself.
class FillRenderer : public RecordRenderer {
public:
    explicit FillRenderer(std::shared_ptr<const pdf::FontSet> fonts = nullptr);
    Result<RenderedRecord> render(const Record& record, const RenderOptions& options) override;
    // As render(), also marking every page as a draft and embedding `attachmentJson`.
    Result<RenderedRecord> render(const Record& record, const RenderOptions& options, bool draft,
                                  const std::string& attachmentJson);
    // As above, given the validator's findings for `record` (validated with options.today)
    // when the caller already has them, so the cover does not validate the record again.
    // nullptr = the cover validates.
    Result<RenderedRecord> render(const Record& record, const RenderOptions& options, bool draft,
                                  const std::string& attachmentJson,
                                  const std::vector<Issue>* issues);

private:
    std::shared_ptr<const pdf::FontSet> m_fonts;
};

// Fills the official USCIS PDF of each record's edition (found in `officialDir`, see
// findOfficialPdf) and renders the cover. Each official PDF is read and parsed once per
// renderer, i.e. once per worker, then reused for every record. Not thread-safe.
class OfficialRenderer : public RecordRenderer {
public:
    explicit OfficialRenderer(std::string officialDir,
                              std::shared_ptr<const pdf::FontSet> fonts = nullptr);
    ~OfficialRenderer() override;
    Result<RenderedRecord> render(const Record& record, const RenderOptions& options) override;
    // As render(), filling the PDF at `officialPath` (parsed on first use, then kept).
    Result<RenderedRecord> renderWith(const Record& record, const RenderOptions& options,
                                      const std::string& officialPath,
                                      const std::vector<Issue>* issues = nullptr);
    // How the last official PDF used matched its edition (for messages).
    const std::string& lastMatch() const { return m_lastMatch; }

private:
    struct Cache;
    std::string m_dir;
    std::shared_ptr<const pdf::FontSet> m_fonts;
    std::unique_ptr<Cache> m_cache;
    std::string m_lastMatch;
};

// OfficialRenderer per worker, for `lecert batch --official DIR`.
RendererFactory officialRendererFactory(const std::string& officialDir);

// The official PDF for a form edition in `dir`: <form>-<edition>.pdf, else the map's
// official_file name (i-918supb.pdf), else any *.pdf there whose SHA-256 the map lists.
// "" when none is found.
std::string findOfficialPdf(const std::string& dir, FormId form, const std::string& edition);

struct FillOptions {
    std::string input;   // one record: a .json object (or an array/.jsonl with one record)
    std::string output;  // OUT.pdf; the cover goes to OUT-cover.pdf
    bool noCover = false;
    bool draft = false;  // write even with errors, watermark every page
    bool flatten = false;
    bool pdfa = false;         // --pdfa: PDF/A-2b worksheet and cover
    std::string passwordFile;  // empty = no encryption
    std::optional<Date> today;
    std::string official;     // --official FORM.pdf; empty = look in officialDir
    std::string officialDir;  // LECERT_OFFICIAL_DIR (the CLI passes it); empty = none
    bool worksheet = false;   // --worksheet: lecert's worksheet even when an official PDF exists
    // Overwrite an existing output that is not a PDF lecert wrote. An output that is the input
    // or the password file is refused even so.
    bool force = false;
};

struct FillResult {
    int exitCode = 0;                  // 0 ok, 1 invalid record (nothing written), 2 other failure
    std::vector<Issue> issues;         // validation findings (also in draft mode)
    std::string label;                 // the input as named in messages ("file" or "file:index")
    std::vector<std::string> written;  // output paths
    std::optional<Error> error;        // why exitCode is 2
    std::vector<std::string> notes;    // messages for stderr (which form was written and why)
};

// Runs `lecert fill`. Never throws; never leaves a partial output.
FillResult runFill(const FillOptions& options);

// OUT.pdf -> OUT-cover.pdf (OUT -> OUT-cover.pdf when there is no .pdf suffix).
std::string coverPathFor(const std::string& output);

// AES-256 (R6) keys on at most this many bytes of the UTF-8 password.
inline constexpr std::size_t kMaxPasswordBytes = 127;

// The password in a --password-file: its first line (without CR/LF); errors name the file.
// Refused: an empty first line, more than kMaxPasswordBytes bytes, a NUL byte.
Result<std::string> readPasswordFile(const std::string& path);

// `lecert extract`: the record JSON embedded in a PDF lecert wrote (password for encrypted ones).
Result<std::string> extractRecord(const std::string& pdfPath, const std::string& password = {});

}  // namespace lecert
