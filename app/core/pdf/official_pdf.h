// SPDX-License-Identifier: MIT
#pragma once
// pdf::OfficialPdf: an existing fillable PDF (the official USCIS form) opened read-only with
// qpdf, its field inventory, and fill(): the original bytes followed by one incremental update
// (changed and new objects, a cross-reference stream with /Prev) that sets field values, writes
// an appearance stream for every filled field, removes the XFA form and optionally flattens.
// An encrypted original (owner password, empty user password) keeps its encryption: strings
// and streams of the update are encrypted with the file's own key. Open once, fill many times
// (fill() never modifies the parsed file). Not thread-safe: one OfficialPdf per thread.
// The code lives in lecert's PDF module, loaded on first use (pdf_module.h), with pdf_io.h's.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/pdf/font_set.h"
#include "core/util/result.h"

namespace lecert::pdf {

enum class OfficialFieldKind {
    Text,
    Multiline,
    CheckBox,
    Radio,
    Dropdown,
    ListBox,
    Signature,
    Other
};
std::string_view officialFieldKindName(OfficialFieldKind k);

// One terminal field of the PDF with its first widget's box.
struct OfficialField {
    std::string name;  // fully qualified, e.g. "form1[0].#subform[0].Pt1Line2a_FamilyName[0]"
    OfficialFieldKind kind = OfficialFieldKind::Other;
    int page = 0;  // 1-based, 0 = no widget on a page
    double x = 0, y = 0, w = 0, h = 0;
    std::vector<std::string> onStates;  // check boxes / radios: the non-Off appearance names
    int maxLen = 0;
    std::string tooltip;
    std::vector<std::string> options;  // choice fields
    double fontSize = 0;               // from /DA; 0 = automatic
};

// What to write into the form. Field names are full names.
struct OfficialFillRequest {
    std::map<std::string, std::string> text;    // text and choice fields: the value (UTF-8)
    std::map<std::string, std::string> checks;  // check box -> the on-state to set
    std::string appendPdf;  // pages (a PDF) appended at the end, e.g. continuation pages
    bool flatten = false;   // draw the appearances into the pages and remove the form
};

class OfficialPdf {
public:
    // Parses `bytes` (kept; the PDF is not modified). `password` opens encrypted files; an
    // empty user password is tried by default. Fails on files that are not PDFs or have no form.
    static Result<std::unique_ptr<OfficialPdf>> open(std::string bytes,
                                                     std::shared_ptr<const FontSet> fonts,
                                                     const std::string& password = {});
    ~OfficialPdf();
    OfficialPdf(const OfficialPdf&) = delete;
    OfficialPdf& operator=(const OfficialPdf&) = delete;

    const std::string& bytes() const;
    const std::string& sha256() const;  // lowercase hex of bytes()
    int pageCount() const;
    bool encrypted() const;
    bool hasXfa() const;
    const std::vector<OfficialField>& fields() const;
    // The field called `name`, or the one field whose full name ends with "." + name (short
    // names from partial maps). nullptr when none or ambiguous.
    const OfficialField* find(std::string_view name) const;

    // True when `text` fits the field's box at a readable size (>= 7 pt; multi-line boxes wrap).
    bool fits(const OfficialField& field, std::string_view text) const;
    // The original bytes followed by an incremental update. Errors name the field.
    Result<std::string> fill(const OfficialFillRequest& request) const;

    struct Impl;
    // Deletes the Impl where it was made (in lecert's PDF module, see pdf_module.h).
    struct ImplDeleter {
        void operator()(Impl* impl) const;
    };

private:
    OfficialPdf();
    std::unique_ptr<Impl, ImplDeleter> m;
};

// Reads only the inventory (for `lecert forms inspect`).
Result<std::vector<OfficialField>> readOfficialFields(std::string_view pdf,
                                                      const std::string& password = {});

// For a PDF made by OfficialPdf::fill: the length of the original file (the bytes before the
// last incremental update's objects) — found from the last cross-reference section's /Prev
// and the %%EOF that follows it. 0 when the file has no incremental update.
Result<std::size_t> originalLength(std::string_view pdf);

}  // namespace lecert::pdf
