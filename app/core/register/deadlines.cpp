// SPDX-License-Identifier: MIT
#include "core/register/deadlines.h"

#include "core/util/data_dir.h"
#include "core/util/json_io.h"

namespace lecert {

namespace {

Error ruleError(const std::string& path, const std::string& field, const std::string& message) {
    Error e;
    e.message = message;
    e.where.file = path;
    e.where.field = field;
    return e;
}

bool positiveInt(const Json& j) {
    return j.is_number_integer() && j.get<long>() > 0 && j.get<long>() < 3660;
}

}  // namespace

Result<std::vector<DeadlineRule>> loadDeadlineRules(const std::string& pathIn) {
    const std::string path = pathIn.empty() ? dataPath("rules/deadlines.json") : pathIn;
    auto text = readFile(path, 1u << 20);
    if (!text) return text.error();
    auto json = parseJson(*text, path);
    if (!json) return json.error();
    const Json* list =
        json->is_object() && json->contains("jurisdictions") ? &(*json)["jurisdictions"] : nullptr;
    if (!list || !list->is_array())
        return ruleError(path, "jurisdictions", "must be an array of rules");
    std::vector<DeadlineRule> rules;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Json& r = (*list)[i];
        const std::string at = "jurisdictions[" + std::to_string(i) + "]";
        if (!r.is_object() || !r.contains("id") || !r["id"].is_string() || !r.contains("days") ||
            !positiveInt(r["days"]) || !r.contains("removal_proceedings_days") ||
            !positiveInt(r["removal_proceedings_days"]))
            return ruleError(path, at,
                             "needs id (string), days and removal_proceedings_days (whole days, "
                             "1 to 3659)");
        DeadlineRule rule;
        rule.id = r["id"].get<std::string>();
        rule.name = r.value("name", rule.id);
        rule.days = r["days"].get<int>();
        rule.removalDays = r["removal_proceedings_days"].get<int>();
        rule.citation = r.value("citation", "");
        rules.push_back(std::move(rule));
    }
    return rules;
}

Result<DeadlineRule> deadlineRule(const std::string& jurisdiction, const std::string& path) {
    auto rules = loadDeadlineRules(path);
    if (!rules) return rules.error();
    std::string known;
    for (const auto& r : *rules) {
        if (r.id == jurisdiction) return r;
        known += (known.empty() ? "" : ", ") + r.id;
    }
    Error e;
    e.message = "no deadline rule for jurisdiction '" + jurisdiction + "'; known: " + known +
                " (or set an agency target with --target-days)";
    return e;
}

DeadlineRule agencyTarget(int days, int removalDays) {
    DeadlineRule r;
    r.id = "agency";
    r.name = "Agency target";
    r.days = days;
    r.removalDays = removalDays;
    return r;
}

}  // namespace lecert
