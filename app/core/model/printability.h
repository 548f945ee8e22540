// SPDX-License-Identifier: MIT
#pragma once
// "Can this be printed?": what the rules ask of the PDF layer, without depending on it. The PDF
// layer's FontSet implements Printability; the validator and the worksheet renderer build the
// one "cannot be printed" warning (code text.undrawable) from unprintableMessage().

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace lecert {

class Printability {
public:
    virtual ~Printability() = default;
    // Distinct code points of `utf8` that cannot be printed, in first-seen order. Characters that
    // are never drawn (controls, format marks, line breaks) count as printable.
    virtual std::vector<char32_t> unprintable(std::string_view utf8) const = 0;
};

// The printability of the fonts lecert prints with, loaded on the first text that is not
// printable ASCII; when they cannot be loaded everything counts as printable (filling then
// fails with its own error). Defined by the PDF layer (pdf/font_set.cpp), so callers need only
// this header.
const Printability* defaultPrintability();

// Issue code and message of the warning for characters that cannot be printed.
inline constexpr const char* kUnprintableCode = "text.undrawable";
// "2 characters (U+13000, U+1D11E) cannot be printed ..."; lists at most five.
std::string unprintableMessage(const std::vector<char32_t>& missing);

// True for a record path that holds a person's name: its last key ends in "name"
// (victim.family_name, agency.official.given_name, victim.other_names[0].family_name...).
bool isNamePath(std::string_view path);
// The name fields of a record (JSON) that would print blank or partly blank, with the characters
// that cannot be printed, in document order. Filling such a record is an error unless drafting.
std::vector<std::pair<std::string, std::vector<char32_t>>> unprintableNames(
    const nlohmann::ordered_json& record, const Printability& printer);
// "victim.family_name would print blank or partly blank: ..." (no value quoted).
std::string unprintableNameMessage(const std::vector<char32_t>& missing);

}  // namespace lecert
