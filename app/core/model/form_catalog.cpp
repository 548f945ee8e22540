// SPDX-License-Identifier: MIT
#include "core/model/form_catalog.h"

#include <cctype>

#include "core/model/form_definition.h"
#include "core/rules/validator.h"

namespace lecert {

std::string shortFormName(const std::string& title) {
    std::string s = title;
    if (s.rfind("Form ", 0) == 0) s = s.substr(5);
    const std::string supplement = ", Supplement ";
    const auto at = s.find(supplement);
    if (at == std::string::npos) return s;
    return s.substr(0, at) + s.substr(at + supplement.size());
}

namespace {

// USCIS publishes each form and its instructions at https://www.uscis.gov/<form number>, e.g.
// https://www.uscis.gov/i-918 for Form I-918 and its supplements.
std::string uscisPageFor(const std::string& title) {
    std::string s = title;
    if (s.rfind("Form ", 0) == 0) s = s.substr(5);
    s = s.substr(0, s.find(','));
    std::string out;
    for (char c : s) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return "https://www.uscis.gov/" + out;
}

}  // namespace

std::optional<FormInfo> formInfo(FormId form) {
    auto def = formDefinition(form);
    if (!def) return std::nullopt;
    FormInfo info;
    info.id = form;
    info.title = (*def)->title;
    info.shortName = shortFormName(info.title);
    info.subtitle = (*def)->subtitle;
    info.summary = (*def)->summary;
    info.instructionsUrl = uscisPageFor(info.title);
    // The six-month validity of 8 CFR 214.14(c)(2)(i) applies to the U visa certification only.
    info.hasFilingDeadline = form == FormId::I918B;
    return info;
}

std::vector<FormInfo> availableForms() {
    std::vector<FormInfo> out;
    for (const FormId f : {FormId::I918B, FormId::I914B}) {
        if (auto info = formInfo(f)) out.push_back(std::move(*info));
    }
    return out;
}

std::optional<Date> filingLastDay(const Record& record) {
    const auto form = record.form();
    if (form != FormId::I918B) return std::nullopt;
    const auto sig = Date::parse(record.string("certification.signature_date"));
    if (!sig) return std::nullopt;
    return certificationLastDay(*sig);
}

}  // namespace lecert
