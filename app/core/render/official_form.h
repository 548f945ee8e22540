// SPDX-License-Identifier: MIT
#pragma once
// The official USCIS form filled from a record through its edition's official_map.json:
// checks that a PDF is the edition's official file, plans every record value onto the form's
// fields (overflow and extra rows to the form's Additional Information part, then to
// continuation pages), and writes the original bytes plus an incremental update.

#include <memory>
#include <string>
#include <vector>

#include "core/model/form_edition.h"
#include "core/model/record.h"
#include "core/pdf/font_set.h"
#include "core/pdf/official_pdf.h"
#include "core/util/result.h"

namespace lecert {

// How a PDF matched an edition.
struct OfficialMatch {
    bool byHash = false;  // SHA-256 is one the map was made from; else by field inventory
    std::string summary;  // one line for messages, e.g. "SHA-256 matches the published form"
};

// Checks that `pdf` is the official file of `edition`: its SHA-256 is listed in the map, or
// every mapped field exists with a compatible kind. The error says what was found instead.
Result<OfficialMatch> checkOfficialEdition(const FormEdition& edition, const pdf::OfficialPdf& pdf);

// The edition among `editions` that `pdf` matches (hash first, then inventory), or nullptr.
std::shared_ptr<const FormEdition> matchOfficialEdition(
    const std::vector<std::shared_ptr<const FormEdition>>& editions, const pdf::OfficialPdf& pdf,
    OfficialMatch* how = nullptr);

struct OfficialFormOptions {
    bool flatten = false;
    std::shared_ptr<const pdf::FontSet> fonts;  // for continuation pages; nullptr = shared
};

// Fills `pdf` (already checked with checkOfficialEdition) from `record`. A record value the
// map does not place is an error naming its path; nothing about the record is embedded.
Result<std::string> renderOfficialForm(const FormEdition& edition, const Record& record,
                                       const pdf::OfficialPdf& pdf,
                                       const OfficialFormOptions& options = {});

// Record paths (patterns with "[]") holding a value that `map` places nowhere: neither a
// field, nor "not_on_form"; those in "unmapped" are listed too. Empty = every value has a place.
std::vector<std::string> unplacedValues(const OfficialMap& map, const Record& record);

}  // namespace lecert

namespace lecert {

// What `lecert verify-official` reports about a filled official PDF.
struct OfficialVerification {
    std::shared_ptr<const FormEdition> edition;  // nullptr when no edition matches
    std::size_t originalLength = 0;              // bytes before the incremental update
    std::string originalSha256;
    bool intact = false;  // the first originalLength bytes are a file the edition's map lists
    std::string summary;  // one line
};

// Finds the original file inside `filled` (the bytes before lecert's incremental update),
// hashes it and matches it against `editions`. Errors: not a PDF, no incremental update.
Result<OfficialVerification> verifyOfficialPdf(
    std::string_view filled, const std::vector<std::shared_ptr<const FormEdition>>& editions);

}  // namespace lecert
