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

#include "core/jobs/batch_job.h"
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

struct FillOptions {
    std::string input;   // one record: a .json object (or an array/.jsonl with one record)
    std::string output;  // OUT.pdf; the cover goes to OUT-cover.pdf
    bool noCover = false;
    bool draft = false;  // write even with errors, watermark every page
    bool flatten = false;
    std::string passwordFile;  // empty = no encryption
    std::optional<Date> today;
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
