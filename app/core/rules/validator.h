// SPDX-License-Identifier: MIT
#pragma once
// The validator: every field and cross-field rule of the record format, as data (issues),
// never as errors. Each issue names its field path, a stable code, a plain message and, where
// the rule comes from a statute or regulation, its citation.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/record.h"
#include "core/util/date.h"
#include "core/util/json_io.h"

namespace lecert {

enum class Severity { Error, Warning };
std::string_view severityName(Severity s);

struct Issue {
    Severity severity = Severity::Error;
    std::string field;     // record path, "" for the record as a whole
    std::string code;      // stable, e.g. "date.after_signature"
    std::string message;   // plain language, never quotes the value
    std::string citation;  // e.g. "8 CFR 214.14(c)(2)(i)"; may be empty

    bool operator==(const Issue&) const = default;
};

struct ValidationOptions {
    std::optional<Date> today;  // "today" for the date rules; default: the system date
    bool checkGlyphs = true;    // warn about characters no embedded font can draw
};

// Validates a (normalised) record. Issues come in a stable order: by rule family, then path.
std::vector<Issue> validateRecord(const Record& record, const ValidationOptions& options = {});

bool hasErrors(const std::vector<Issue>& issues);
std::size_t countIssues(const std::vector<Issue>& issues, Severity s);

// {"severity","field","code","message"[,"citation"]}
Json issueToJson(const Issue& issue);

// Six-month validity of an I-918B (8 CFR 214.14(c)(2)(i)): the last day USCIS must receive it.
Date certificationLastDay(const Date& signatureDate);

// True when s is a plausible U.S. Social Security number: 9 digits once dashes and spaces are
// removed, area (first three digits) not 000, 666 or 9xx.
bool isValidSsn(std::string_view s);

// True when s looks like an e-mail address (local@domain.tld, no spaces).
bool isValidEmail(std::string_view s);

}  // namespace lecert
