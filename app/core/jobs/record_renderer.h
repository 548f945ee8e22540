// SPDX-License-Identifier: MIT
#pragma once
// The interface between a batch and whatever turns a record into PDFs: the batch (batch_job.h)
// calls it, the fill job (fill_job.h) implements it, neither includes the other.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/record.h"
#include "core/rules/validator.h"
#include "core/util/date.h"
#include "core/util/result.h"

namespace lecert {

// Options that change the bytes of a record's PDFs (they are part of the resume fingerprint).
struct RenderOptions {
    bool flatten = false;
    bool noCover = false;
    std::string password;       // non-empty: AES-256 encrypt both PDFs
    std::optional<Date> today;  // "today" for the rules and the cover date; none = system date
    bool pdfa = false;          // PDF/A-2b worksheet and cover (not with a password)
};

// A record's two PDFs as bytes; `cover` is empty when RenderOptions::noCover is set.
struct RenderedRecord {
    std::string form;
    std::string cover;
};

// Turns one valid record into its PDFs. One instance per worker thread, never shared, so an
// implementation may keep per-thread caches (fonts, templates). Must not throw.
class RecordRenderer {
public:
    virtual ~RecordRenderer() = default;
    virtual Result<RenderedRecord> render(const Record& record, const RenderOptions& options) = 0;
    // As render(), with the record's JSON text as read (lecert embeds it as the attachment, as
    // `lecert fill` does). The default ignores the text.
    // `issues` are the validator's findings for the record when the caller has them (so the
    // cover need not validate again), else nullptr.
    virtual Result<RenderedRecord> renderSource(const Record& record, const std::string& sourceText,
                                                const RenderOptions& options,
                                                const std::vector<Issue>* issues = nullptr) {
        (void)sourceText;
        (void)issues;
        return render(record, options);
    }
};

// Makes the renderer of one worker; called once per worker, on that worker's thread.
using RendererFactory = std::function<Result<std::unique_ptr<RecordRenderer>>()>;

// The renderer behind `lecert fill` (form + cover, FillRenderer in core/jobs/fill_job.h, which
// implements this): same record text and options give the same bytes as `lecert fill`. Fonts
// are parsed once.
RendererFactory defaultRendererFactory();

}  // namespace lecert
