// SPDX-License-Identifier: MIT
#include "cli/cli_util.h"

#include <iostream>

namespace lecert::cli {

bool parseToday(const std::string& text, std::optional<Date>& out) {
    if (text.empty()) return true;
    out = Date::parseIso(text);
    if (!out) {
        std::cerr << "lecert: --today: \"" << text
                  << "\" is not a date; use YYYY-MM-DD, e.g. 2026-11-28\n";
        return false;
    }
    return true;
}

std::string issueLine(const std::string& label, const Issue& issue) {
    std::string line = label + ": " + std::string(severityName(issue.severity)) + ": ";
    line += (issue.field.empty() ? std::string("(record)") : issue.field) + ": " + issue.message;
    if (!issue.citation.empty()) line += " (" + issue.citation + ")";
    return escapeControls(line);
}

std::string escapeJsonControls(const std::string& json) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(json.size());
    for (std::size_t i = 0; i < json.size(); ++i) {
        const auto c = static_cast<unsigned char>(json[i]);
        unsigned code = 0x100;  // none
        if (c == 0xC2 && i + 1 < json.size() && static_cast<unsigned char>(json[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(json[i + 1]) <= 0x9F) {
            code = static_cast<unsigned char>(json[++i]);
        } else if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F) {
            code = c;
        }
        if (code == 0x100) {
            out += static_cast<char>(c);
            continue;
        }
        out += "\\u00";
        out += hex[code >> 4];
        out += hex[code & 15];
    }
    return out;
}

Json recordResultJson(const RecordItem& item, const std::vector<Issue>& issues) {
    Json out = Json::object();
    out["source"] = item.source;
    out["index"] =
        item.index.value_or(0);  // a lone object is record 0 of its file (spec/cli.md shape)
    const Json* form = item.record ? item.record->get("form") : nullptr;
    out["form"] = form && form->is_string() ? *form : Json(nullptr);
    out["valid"] = !hasErrors(issues);
    Json list = Json::array();
    for (const auto& i : issues) list.push_back(issueToJson(i));
    out["issues"] = std::move(list);
    return out;
}

}  // namespace lecert::cli
