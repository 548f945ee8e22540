// SPDX-License-Identifier: MIT
#include "core/model/printability.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace lecert {

namespace {

// "U+0915, U+094D, …": the first five code points, never the text they came from.
std::string codePointList(const std::vector<char32_t>& missing) {
    std::string list;
    char buf[16];
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i) {
        std::snprintf(buf, sizeof buf, "%sU+%04X", i ? ", " : "",
                      static_cast<unsigned>(missing[i]));
        list += buf;
    }
    if (missing.size() > 5) list += ", …";
    return list;
}

}  // namespace

std::string unprintableMessage(const std::vector<char32_t>& missing) {
    return std::to_string(missing.size()) + " character" + (missing.size() == 1 ? "" : "s") + " (" +
           codePointList(missing) +
           ") cannot be printed with lecert's fonts and would be missing from the PDF; check the "
           "spelling or use a Latin transliteration.";
}

bool isNamePath(std::string_view path) {
    std::size_t end = path.size();
    while (end > 0 && path[end - 1] == ']') {  // "names[2]" counts as "names"
        const auto open = path.rfind('[', end - 1);
        if (open == std::string_view::npos) break;
        end = open;
    }
    const std::string_view key = path.substr(0, end);
    const std::string_view last =
        key.substr(key.rfind('.') == std::string_view::npos ? 0 : key.rfind('.') + 1);
    return last.size() >= 4 && (last.substr(last.size() - 4) == "name" ||
                                (last.size() >= 5 && last.substr(last.size() - 5) == "names"));
}

namespace {

void collectNames(const nlohmann::ordered_json& node, const std::string& path,
                  const Printability& printer,
                  std::vector<std::pair<std::string, std::vector<char32_t>>>& out) {
    if (node.is_string()) {
        if (!isNamePath(path)) return;
        auto missing = printer.unprintable(node.get_ref<const std::string&>());
        if (!missing.empty()) out.emplace_back(path, std::move(missing));
    } else if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (path.empty() && it.key() == "review") continue;  // not printed
            collectNames(it.value(), path.empty() ? it.key() : path + "." + it.key(), printer, out);
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            collectNames(node[i], path + "[" + std::to_string(i) + "]", printer, out);
    }
}

}  // namespace

std::vector<std::pair<std::string, std::vector<char32_t>>> unprintableNames(
    const nlohmann::ordered_json& record, const Printability& printer) {
    std::vector<std::pair<std::string, std::vector<char32_t>>> out;
    collectNames(record, "", printer, out);
    return out;
}

std::string unprintableNameMessage(const std::vector<char32_t>& missing) {
    return "this name would print blank or partly blank: no installed font can draw " +
           codePointList(missing) +
           " (install a font that covers it, see fonts/fallback.json, or fill with --draft)";
}

}  // namespace lecert
