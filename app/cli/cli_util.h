// SPDX-License-Identifier: MIT
#pragma once
// Output helpers shared by the subcommands.

#include <optional>
#include <string>
#include <vector>

#include "core/jobs/record_reader.h"
#include "core/rules/validator.h"
#include "core/util/date.h"

namespace lecert::cli {

// Parses --today; empty means "not given". Prints a usage error and returns false when invalid.
bool parseToday(const std::string& text, std::optional<Date>& out);

// "FILE[:INDEX]: SEVERITY: FIELD: message (citation)", control characters escaped.
std::string issueLine(const std::string& label, const Issue& issue);

// JSON text with DEL and C1 characters written as \u escapes (raw C0 controls other than
// white space cannot occur in valid JSON but are escaped too): same meaning, safe on a terminal.
std::string escapeJsonControls(const std::string& json);

// {"source","index","form","valid","issues":[...]} for validate --json.
Json recordResultJson(const RecordItem& item, const std::vector<Issue>& issues);

}  // namespace lecert::cli
