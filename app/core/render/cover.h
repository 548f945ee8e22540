// SPDX-License-Identifier: MIT
#pragma once
// The cover summary of victim assistance (OUT-cover.pdf): a one-page (or longer) PDF drawn
// from templates/cover.json, whose texts are mustache templates over a view model built from
// the record. Wording, order and contacts live in the template, so an agency can change them
// without rebuilding (see templates/README.md).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/record.h"
#include "core/pdf/font_set.h"
#include "core/rules/validator.h"
#include "core/util/date.h"
#include "core/util/json_io.h"
#include "core/util/result.h"

namespace lecert {

struct CoverOptions {
    std::optional<Date>
        today;           // date printed on the cover and used for days left; none = system date
    bool draft = false;  // watermark every page "DRAFT – NOT FOR SIGNATURE" (the template's text)
    bool flatten = false;  // passed to the PDF writer (the cover has no fields of its own)
    bool pdfa = false;     // PDF/A-2b archival copy (sRGB output intent, no attachment)
    std::shared_ptr<const pdf::FontSet> fonts;  // nullptr = pdf::FontSet::shared()
    std::string templatePath;                   // empty = dataPath("templates/cover.json")
    std::string attachmentJson;  // embedded as record.json; empty = the record, pretty-printed
    // The validator's findings for the record with the same `today`, when the caller already
    // has them; none = validate here.
    std::optional<std::vector<Issue>> issues;
};

// Renders the cover summary of `record` (normalised; it need not be valid) as PDF bytes. The
// record JSON is embedded as the attachment "record.json". Identical record, options and
// `today` give identical bytes. Errors: unreadable or invalid template (message names the file
// and the JSON location), missing fonts, PDF writer failures. Never throws.
Result<std::string> renderCoverPdf(const Record& record, const CoverOptions& options);

// The view model the template is rendered against (documented in templates/README.md):
// pre-formatted texts (dates MM/DD/YYYY, days left, labels from the form definition) plus
// booleans for mustache sections. `issues` are the validator's findings for `record`.
Json coverViewModel(const Record& record, const std::vector<Issue>& issues, Date today);

// Loads and checks a cover template (JSON shape and every mustache text) without rendering.
// (Rendering keeps parsed templates per path and reloads one when its file changes.)
Status checkCoverTemplate(const std::string& path);

// "N days left", "Last day today", "Expired yesterday", "Expired N days ago".
std::string daysLeftText(long days);
// The same for the I-918B filing window: "Filing window closed 3 days ago" once it has passed.
std::string filingDaysLeftText(long days);

}  // namespace lecert
