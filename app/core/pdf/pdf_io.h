// SPDX-License-Identifier: MIT
#pragma once
// Reading back and post-processing PDFs (qpdf): field values by full name, embedded files,
// AES-256 encryption. All functions take the PDF as bytes and never throw. The code lives in
// lecert's PDF module, loaded on first use (pdf_module.h).

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace lecert::pdf {

// Every terminal field's value by fully qualified name ("victim.family_name"), found by
// walking /AcroForm /Fields (names of nested nodes are joined with '.'). Text fields give
// their text, buttons the name of their state ("Yes", "Off", an export value); fields with no
// value give "". Empty map when the PDF has no form. `password` opens encrypted files.
Result<std::map<std::string, std::string>> readFieldValues(std::string_view pdf,
                                                           const std::string& password = {});

// One widget (visible box) of a field: its full name, 1-based page and rectangle (points).
struct FieldWidget {
    std::string name;
    int page = 0;
    double x = 0, y = 0, w = 0, h = 0;
};

// Every widget of every field, in /Fields order (radio groups give one entry per button).
Result<std::vector<FieldWidget>> readFieldWidgets(std::string_view pdf,
                                                  const std::string& password = {});

// The embedded file called `name` (or the first one when name is empty). `maxBytes` > 0 caps
// the decoded size: decoding stops (an error) as soon as the data grows past it.
Result<std::string> readAttachment(std::string_view pdf, const std::string& name = {},
                                   const std::string& password = {}, std::size_t maxBytes = 0);

// Names of the embedded files.
Result<std::vector<std::string>> listAttachments(std::string_view pdf,
                                                 const std::string& password = {});

// True when the file has an /Encrypt dictionary (without opening it).
bool isEncrypted(std::string_view pdf);

// Number of pages (opens encrypted files with `password`).
Result<int> pageCount(std::string_view pdf, const std::string& password = {});

// Re-writes `pdf` encrypted with AES-256 (R6) via qpdf: opening needs `userPassword`; the
// owner password is random, printing and form filling stay allowed. Output is not byte-stable
// (salts are random, as they must be).
Result<std::string> encryptAes256(std::string_view pdf, const std::string& userPassword);

}  // namespace lecert::pdf
