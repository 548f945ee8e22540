// SPDX-License-Identifier: MIT
#pragma once
// What a user interface needs to offer the forms lecert handles without knowing them: their
// names (from forms/<form>.json), whether a signature starts a filing deadline and when it
// ends, and when to warn about it. A new form or edition changes data and core, not the UI.

#include <optional>
#include <string>
#include <vector>

#include "core/model/record.h"
#include "core/util/date.h"

namespace lecert {

struct FormInfo {
    FormId id = FormId::I918B;
    std::string shortName;  // "I-918B", from the definition's title "Form I-918, Supplement B"
    std::string title;      // "Form I-918, Supplement B"
    std::string subtitle;   // "U Nonimmigrant Status Certification"
    std::string summary;    // the definition's plain-language summary
    bool hasFilingDeadline = false;  // the signature starts a validity window (I-918B)
    std::string instructionsUrl;     // the USCIS page of the form and its instructions
};

// Every form whose shipped definition loads, in FormId order. Forms whose definition does not
// load are left out (the UI cannot offer them; `lecert forms check` names the problem).
std::vector<FormInfo> availableForms();

// The definition's info for one form; nullopt when its definition does not load.
std::optional<FormInfo> formInfo(FormId form);

// The last day USCIS must receive the record's form, when its form has a filing deadline and
// it carries a valid signature date (I-918B: six months, 8 CFR 214.14(c)(2)(i)).
std::optional<Date> filingLastDay(const Record& record);

// At most this many days left before the filing deadline is worth a warning (the validator's
// certification.expiring).
inline constexpr long kFilingWarningDays = 45;

// "I-918B" from "Form I-918, Supplement B"; the title itself when it has another shape.
std::string shortFormName(const std::string& title);

}  // namespace lecert
