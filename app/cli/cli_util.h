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

// "FILE[:INDEX]: SEVERITY: FIELD: message (citation)"
std::string issueLine(const std::string& label, const Issue& issue);

// {"source","index","form","valid","issues":[...]} for validate --json.
Json recordResultJson(const RecordItem& item, const std::vector<Issue>& issues);

}  // namespace lecert::cli
