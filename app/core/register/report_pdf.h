// SPDX-License-Identifier: MIT
#pragma once
// The yearly statistics as a PDF for a state report: the same numbers as YearReport::csv(), as
// tables and simple bar charts (outcomes, requests per month, crimes), drawn with lecert's own
// PDF writer. Counts only: no victim data is in a YearReport.

#include <string>

#include "core/register/register.h"
#include "core/util/date.h"
#include "core/util/result.h"

namespace lecert {

struct YearReportPdfOptions {
    Date generated;            // printed as "Generated" and used as the PDF's date
    std::string agency;        // optional heading line, e.g. the agency's name
    std::string deadlineRule;  // optional: the rule the deadlines came from
};

Result<std::string> yearReportPdf(const YearReport& report, const YearReportPdfOptions& options);

}  // namespace lecert
