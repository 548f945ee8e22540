// SPDX-License-Identifier: MIT
#pragma once
// The filled form PDF: laid out from the form definition (forms/<form>.json) on US Letter,
// one AcroForm field per item named after its record path, values from the record, text that
// does not fit moved to the Additional Information page.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/form_definition.h"
#include "core/model/record.h"
#include "core/pdf/font_set.h"
#include "core/rules/validator.h"
#include "core/util/date.h"
#include "core/util/result.h"

namespace lecert {

struct FormPdfOptions {
    bool flatten = false;  // no fields: appearances become page content
    bool draft = false;    // "DRAFT – NOT FOR SIGNATURE" on every page
    // PDF/A-2b archival copy: sRGB output intent, no record.json attachment (PDF/A-2 allows
    // only PDF/A attachments), so `lecert extract` cannot read it back.
    bool pdfa = false;
    std::optional<Date> today;   // creation date in the metadata (none = fixed date)
    std::string attachmentJson;  // embedded as record.json; empty = dumpPretty(record)
    std::shared_ptr<const pdf::FontSet> fonts;  // per-worker cache; null = FontSet::shared()
};

// Where a value ended up when it did not fit its printed box or rows.
struct OverflowNote {
    std::string path;        // record path (item or group element)
    std::string part, item;  // printed Part and Item numbers
    int page = 0;            // 1-based page of the original box
};

struct FormPdf {
    std::string bytes;  // the PDF
    int pages = 0;
    std::vector<OverflowNote> overflow;  // values moved to Additional Information
    std::vector<Issue> warnings;         // e.g. characters no font can draw (field named)
};

// Lays out and writes the form. The record should be normalised (normalizeRecord); values are
// printed as the official form does (dates MM/DD/YYYY, A-Number as 9 digits after "A-").
// Never throws; errors name what went wrong (missing fonts, PDF library failure).
Result<FormPdf> renderFormPdf(const FormDefinition& form, const Record& record,
                              const FormPdfOptions& options = {});

// Name of the embedded record file in lecert's PDFs.
inline constexpr const char* kRecordAttachmentName = "record.json";
// Printed at the top of every worksheet page.
inline constexpr const char* kWorksheetNotice =
    "LECERT WORKSHEET - NOT THE OFFICIAL USCIS FORM. File the official PDF (lecert fill "
    "--official).";

// The watermark text of --draft output.
inline constexpr const char* kDraftWatermark = "DRAFT \u2013 NOT FOR SIGNATURE";

}  // namespace lecert
