// SPDX-License-Identifier: MIT
#include "core/rules/validator.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/model/applicability.h"
#include "core/model/printability.h"
#include "core/model/record_schema.h"
#include "core/util/text.h"

namespace lecert {

namespace cite {
constexpr const char* kSixMonths = "8 CFR 214.14(c)(2)(i)";
constexpr const char* kWhoSigns = "8 CFR 214.14(a)(3)";
// Certifying agency (a)(2) and certifying official (a)(3): a judge signs for a court.
constexpr const char* kAgencyAndOfficial = "8 CFR 214.14(a)(2)-(3)";
// The statute requires the certification to say the victim "has been helpful, is being helpful,
// or is likely to be helpful"; the regulation makes it an eligibility requirement.
constexpr const char* kHelpful = "8 U.S.C. 1184(p)(1); 8 CFR 214.14(b)(3)";
constexpr const char* kInformation = "8 CFR 214.14(b)(2)";
constexpr const char* kRefused = "8 CFR 214.14(b)(3)";
constexpr const char* kWhere = "8 CFR 214.14(b)(4)";
constexpr const char* kCrimes = "INA 101(a)(15)(U)(iii)";
constexpr const char* kSevereForms = "22 U.S.C. 7102";
// The statute and the 2024 T rule's section on reasonable requests and its exemptions.
constexpr const char* kCooperation = "INA 101(a)(15)(T)(i)(III); 8 CFR 214.208";
constexpr const char* kContinuedPresence = "22 U.S.C. 7105(c)(3)";
}  // namespace cite

std::string_view severityName(Severity s) {
    return s == Severity::Error ? "error" : "warning";
}

bool hasErrors(const std::vector<Issue>& issues) {
    return std::any_of(issues.begin(), issues.end(),
                       [](const Issue& i) { return i.severity == Severity::Error; });
}

std::size_t countIssues(const std::vector<Issue>& issues, Severity s) {
    return static_cast<std::size_t>(std::count_if(issues.begin(), issues.end(),
                                                  [s](const Issue& i) { return i.severity == s; }));
}

Json issueToJson(const Issue& issue) {
    Json j = Json::object();
    j["severity"] = std::string(severityName(issue.severity));
    j["field"] = issue.field;
    j["code"] = issue.code;
    j["message"] = issue.message;
    if (!issue.citation.empty()) j["citation"] = issue.citation;
    return j;
}

Date certificationLastDay(const Date& signatureDate) {
    // The day before the same calendar day six months later: 04/01 -> 09/30, 03/01 -> 08/31.
    // When that day does not exist (08/31 -> "02/31"), the period ends with the month: 02/28
    // (02/29 in leap years).
    const Date same = signatureDate.addMonths(6);
    if (same.day < signatureDate.day) return same;  // clamped to the month end
    return same.addDays(-1);
}

bool isValidEmail(std::string_view s) {
    const auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos)
        return false;
    const std::string_view domain = s.substr(at + 1);
    const auto dot = domain.rfind('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
    if (domain.front() == '.' || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos)
        return false;
    for (char c : s) {
        if (static_cast<unsigned char>(c) <= ' ' || c == ',' || c == ';' || c == '<' || c == '>' ||
            c == '(' || c == ')' || c == '"')
            return false;
    }
    return true;
}

bool isValidSsn(std::string_view s) {
    std::string digits;
    for (char c : s) {
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c != '-' && c != ' ')
            return false;
    }
    if (digits.size() != 9) return false;
    // Area numbers 000, 666 and 900-999 are never assigned.
    const std::string area = digits.substr(0, 3);
    return area != "000" && area != "666" && area[0] != '9';
}

namespace {

// "date_of_birth" -> "Date of birth"
std::string humanKey(std::string_view key) {
    static const std::pair<std::string_view, std::string_view> special[] = {
        {"zip", "ZIP code"},
        {"a_number", "A-Number"},
        {"fbi_or_sid_number", "FBI or SID number"},
        {"id", "Record id"},
        {"hsi_contacted", "HSI contacted"},
        {"email", "E-mail address"},
        {"phone", "Phone number"},
        {"state", "State"},
        {"unit_type", "Unit type (apt, ste, flr)"},
        {"services_other", "Other services"},
        {"category_other", "Other agency category"},
        {"case_status_other", "Other case status"},
        {"occurred_in_us", "Occurred in the United States"},
        {"activities", "Criminal activity"},
        {"dates", "Date of criminal activity"},
        {"types", "Type of trafficking"},
        {"labor_purposes", "Purpose of the labor trafficking"},
        {"contacted", "Victim specialist contacted"},
        {"status", "Continued Presence status"},
        {"complied_with_requests", "Complied with reasonable requests"}};
    for (const auto& [k, label] : special) {
        if (key == k) return std::string(label);
    }
    std::string s(key);
    std::replace(s.begin(), s.end(), '_', ' ');
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

// Last key of a path, for messages: "crime.dates[1]" -> "dates".
std::string lastKey(std::string_view path) {
    std::string p(path);
    while (!p.empty() && p.back() == ']') p.erase(p.rfind('['));
    const auto dot = p.rfind('.');
    return dot == std::string::npos ? p : p.substr(dot + 1);
}

std::string typeWord(ValueType t) {
    switch (t) {
        case ValueType::String:
            return "a text string";
        case ValueType::Text:
            return "a text string";
        case ValueType::Date:
            return "a date string (YYYY-MM-DD or MM/DD/YYYY)";
        case ValueType::Boolean:
            return "true or false";
        case ValueType::Enum:
            return "one of the listed values (a string)";
        case ValueType::EnumList:
            return "an array of values";
        case ValueType::DateList:
            return "an array of dates";
        case ValueType::Object:
            return "an object";
        case ValueType::ObjectList:
            return "an array of objects";
        case ValueType::Opaque:
            return "an object";
    }
    return "a value";
}

std::string listValues(const std::vector<std::string>& values) {
    std::string out;
    const std::size_t shown = std::min<std::size_t>(values.size(), 12);
    for (std::size_t i = 0; i < shown; ++i) {
        if (i) out += ", ";
        out += values[i];
    }
    if (values.size() > shown) out += ", … (" + std::to_string(values.size()) + " in all)";
    return out;
}

bool isBlank(const Json* v) {
    if (!v || v->is_null()) return true;
    if (v->is_string()) return v->get_ref<const std::string&>().empty();
    if (v->is_array()) return v->empty();
    return false;  // an empty object is present: its own required keys are reported instead
}

class Checker {
public:
    Checker(const Record& r, const ValidationOptions& o)
        : m_r(r), m_today(o.today ? *o.today : Date::today()), m_glyphs(o.checkGlyphs) {}

    std::vector<Issue> run();

private:
    void add(Severity s, std::string field, std::string code, std::string message,
             std::string citation = {}) {
        m_issues.push_back(
            {s, std::move(field), std::move(code), std::move(message), std::move(citation)});
    }
    void error(std::string f, std::string c, std::string m, std::string cit = {}) {
        add(Severity::Error, std::move(f), std::move(c), std::move(m), std::move(cit));
    }
    void warning(std::string f, std::string c, std::string m, std::string cit = {}) {
        add(Severity::Warning, std::move(f), std::move(c), std::move(m), std::move(cit));
    }

    void walk(const Json& node, const std::string& path, const std::string& pattern);
    bool checkType(const Json& v, const FieldSpec& spec, const std::string& path);
    void checkEnumList(const Json& v, const FieldSpec& spec, const std::string& path);
    void checkDateList(const Json& v, const std::string& path);
    void checkRequired(const Json& obj, const std::string& path, const std::string& pattern);
    void requireIf(bool condition, const std::string& path, const std::string& why,
                   const char* citation = "");
    void requireForI918B(const std::string& path);

    // Valid date at path, or nullopt (absent or already reported).
    std::optional<Date> date(const std::string& path) const {
        const Json* v = m_r.get(path);
        if (!v || !v->is_string()) return std::nullopt;
        return Date::parseIso(v->get_ref<const std::string&>());
    }
    std::optional<bool> flag(const std::string& path) const { return m_r.boolean(path); }
    std::string str(const std::string& path) const { return m_r.string(path); }
    bool hasValue(const std::string& path) const { return !isBlank(m_r.get(path)); }
    bool listHas(const std::string& path, std::string_view value) const {
        const Json* v = m_r.get(path);
        if (!v || !v->is_array()) return false;
        for (const auto& e : *v) {
            if (e.is_string() && e.get_ref<const std::string&>() == value) return true;
        }
        return false;
    }

    void glyphRules(const Json& node, const std::string& path);
    void formatRules();
    void dateRules();
    void victimRules();
    void agencyRules();
    void crimeRules();
    void helpfulnessRules();
    void traffickingRules();
    void cooperationRules();
    void familyRules();
    void certificationRules();
    void assistanceRules();
    void continuedPresenceRules();
    void continuedPresenceNotRequested();
    void addressRules();
    bool traffickingActivity() const;

    const Record& m_r;
    Date m_today;
    bool m_glyphs;
    std::optional<FormId> m_form;
    std::vector<Issue> m_issues;
};

std::vector<Issue> Checker::run() {
    const Json& root = m_r.json();
    if (!root.is_object()) {
        error("", "record.not_object",
              "A record must be a JSON object, got " + jsonTypeName(root) + ".");
        return m_issues;
    }
    m_form = m_r.form();
    const Json* form = m_r.get("form");
    if (isBlank(form)) {
        error("form", "required.missing",
              "Form is required: \"i918b\" (U visa certification) or \"i914b\" (T visa "
              "declaration).");
    }
    walk(root, "", "");
    if (m_form) {
        formatRules();
        victimRules();
        agencyRules();
        if (*m_form == FormId::I918B) {
            crimeRules();
            helpfulnessRules();
        } else {
            traffickingRules();
            cooperationRules();
        }
        familyRules();
        certificationRules();
        assistanceRules();
        dateRules();
        if (m_glyphs) glyphRules(root, "");
    }
    return m_issues;
}

bool Checker::checkType(const Json& v, const FieldSpec& spec, const std::string& path) {
    auto mismatch = [&]() {
        error(path, "type.mismatch",
              humanKey(lastKey(path)) + " must be " + typeWord(spec.type) + ", not " +
                  jsonTypeName(v) + ".");
        return false;
    };
    switch (spec.type) {
        case ValueType::String:
        case ValueType::Text: {
            if (!v.is_string()) return mismatch();
            const auto& s = v.get_ref<const std::string&>();
            const std::size_t limit =
                spec.maxLength ? spec.maxLength : (spec.type == ValueType::Text ? 20000 : 500);
            const std::size_t len = text::length(s);
            if (len > limit) {
                error(path, "text.too_long",
                      humanKey(lastKey(path)) + " is " + std::to_string(len) +
                          " characters long; at most " + std::to_string(limit) + " are accepted.");
            }
            if (spec.type == ValueType::String && s.find_first_of("\n\r") != std::string::npos) {
                warning(path, "text.line_break",
                        humanKey(lastKey(path)) +
                            " is a one-line field; its line breaks are printed as spaces.");
            }
            return true;
        }
        case ValueType::Date:
            if (!v.is_string()) return mismatch();
            if (!Date::parseIso(v.get_ref<const std::string&>())) {
                error(path, "date.format",
                      humanKey(lastKey(path)) +
                          " is not a valid date: write it as YYYY-MM-DD (for example "
                          "2024-03-14) or MM/DD/YYYY (03/14/2024).");
            }
            return true;
        case ValueType::Boolean:
            if (!v.is_boolean()) return mismatch();
            return true;
        case ValueType::Enum:
            if (!v.is_string()) return mismatch();
            if (std::find(spec.values.begin(), spec.values.end(),
                          v.get_ref<const std::string&>()) == spec.values.end()) {
                if (spec.pattern == "agency.address.state")
                    return true;  // checked with the country
                error(path, "enum.invalid",
                      humanKey(lastKey(path)) + " has a value that is not allowed; use one of: " +
                          listValues(spec.values) + ".");
            }
            return true;
        case ValueType::EnumList:
            if (!v.is_array()) return mismatch();
            checkEnumList(v, spec, path);
            return true;
        case ValueType::DateList:
            if (!v.is_array()) return mismatch();
            checkDateList(v, path);
            return true;
        case ValueType::Object:
        case ValueType::Opaque:
            if (!v.is_object()) return mismatch();
            return true;
        case ValueType::ObjectList:
            if (!v.is_array()) return mismatch();
            return true;
    }
    return true;
}

// Each entry one of the values, none twice.
void Checker::checkEnumList(const Json& v, const FieldSpec& spec, const std::string& path) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string p = indexPath(path, i);
        if (!v[i].is_string()) {
            error(p, "type.mismatch",
                  "Each entry must be a text value, not " + jsonTypeName(v[i]) + ".");
            continue;
        }
        const auto& s = v[i].get_ref<const std::string&>();
        if (std::find(spec.values.begin(), spec.values.end(), s) == spec.values.end()) {
            error(p, "enum.invalid",
                  "This entry of " + humanKey(lastKey(path)) +
                      " is not allowed; use one of: " + listValues(spec.values) + ".");
        } else if (!seen.insert(s).second) {
            error(p, "duplicate",
                  "This entry repeats an earlier one in " + humanKey(lastKey(path)) + ".");
        }
    }
}

// Each entry a valid date; a repeated date is a warning.
void Checker::checkDateList(const Json& v, const std::string& path) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const std::string p = indexPath(path, i);
        if (!v[i].is_string()) {
            error(p, "type.mismatch",
                  "Each date must be a text value (YYYY-MM-DD), not " + jsonTypeName(v[i]) + ".");
        } else if (v[i].get_ref<const std::string&>().empty()) {
            // A row added but not filled in yet (the desktop's "Add entry").
            error(p, "required.empty", "Enter the date, or remove the empty row.");
        } else if (!Date::parseIso(v[i].get_ref<const std::string&>())) {
            error(p, "date.format",
                  "Not a valid date: write it as YYYY-MM-DD (for example 2024-03-14) or "
                  "MM/DD/YYYY (03/14/2024).");
        } else if (!seen.insert(v[i].get<std::string>()).second) {
            warning(p, "duplicate", "This date is listed twice.");
        }
    }
}

void Checker::walk(const Json& node, const std::string& path, const std::string& pattern) {
    // node is an object matching `pattern` (or the root).
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string childPath = joinPath(path, it.key());
        const std::string childPattern = joinPath(pattern, it.key());
        const FieldSpec* spec = findSpec(childPattern);
        if (!spec) {
            warning(childPath, "record.unknown_key",
                    "\"" + it.key() +
                        "\" is not part of the record format (v1); it is kept when saving but not "
                        "used.");
            continue;
        }
        if (m_form && !spec->appliesTo(*m_form)) {
            warning(childPath, "record.other_form",
                    humanKey(it.key()) + " belongs to the " +
                        std::string(spec->forms == kI918B ? "I-918 Supplement B (i918b)"
                                                          : "I-914 Supplement B (i914b)") +
                        "; it is kept but not printed on this form.");
            continue;
        }
        const Json& v = it.value();
        if (v.is_null()) continue;  // null = not answered
        if (!checkType(v, *spec, childPath)) continue;
        if (spec->type == ValueType::Object) {
            walk(v, childPath, childPattern);
            checkRequired(v, childPath, childPattern);
        } else if (spec->type == ValueType::ObjectList) {
            for (std::size_t i = 0; i < v.size(); ++i) {
                const std::string ep = indexPath(childPath, i);
                if (!v[i].is_object()) {
                    error(ep, "type.mismatch",
                          "Each entry of " + humanKey(it.key()) + " must be an object, not " +
                              jsonTypeName(v[i]) + ".");
                    continue;
                }
                walk(v[i], ep, childPattern + "[]");
                checkRequired(v[i], ep, childPattern + "[]");
            }
        }
    }
    if (path.empty()) checkRequired(node, path, pattern);
}

void Checker::checkRequired(const Json& obj, const std::string& path, const std::string& pattern) {
    for (const FieldSpec* spec : childSpecs(pattern)) {
        if (!spec->required) continue;
        if (pattern.empty() && spec->pattern == "form") continue;  // reported in run()
        if (m_form ? !spec->appliesTo(*m_form) : spec->forms != kBothForms) continue;
        const std::string key = spec->pattern.substr(pattern.empty() ? 0 : pattern.size() + 1);
        auto it = obj.find(key);
        const std::string childPath = joinPath(path, key);
        if (it == obj.end() || isBlank(&*it)) {
            // An empty array or string where another type belongs is a type mismatch, reported by
            // walk().
            const bool listSpec = spec->type == ValueType::EnumList ||
                                  spec->type == ValueType::DateList ||
                                  spec->type == ValueType::ObjectList;
            const bool textSpec = spec->type == ValueType::String ||
                                  spec->type == ValueType::Text || spec->type == ValueType::Date ||
                                  spec->type == ValueType::Enum;
            if (it != obj.end() &&
                ((it->is_array() && !listSpec) || (it->is_string() && !textSpec)))
                continue;
            if (it != obj.end() && it->is_array()) {
                error(childPath, "required.empty", humanKey(key) + " needs at least one entry.");
            } else {
                error(childPath, "required.missing", humanKey(key) + " is required.");
            }
        }
    }
}

void Checker::requireIf(bool condition, const std::string& path, const std::string& why,
                        const char* citation) {
    if (!condition || hasValue(path)) return;
    // A missing parent object is reported on its own; don't pile up its children.
    if (const auto dot = path.rfind('.'); dot != std::string::npos) {
        const Json* parent = m_r.get(path.substr(0, dot));
        if (!parent || !parent->is_object()) return;
    }
    const Json* v = m_r.get(path);
    if (v && !v->is_null() && !v->is_string() && !v->is_array())
        return;  // wrong type already reported
    error(path, "required.conditional", humanKey(lastKey(path)) + " is required " + why + ".",
          citation);
}

void Checker::requireForI918B(const std::string& path) {
    const auto dot = path.rfind('.');
    const Json* parent = m_r.get(path.substr(0, dot));
    if (!parent || !parent->is_object()) return;  // reported on its own
    const Json* v = m_r.get(path);
    if (v && !v->is_null() && !(v->is_string() && v->get_ref<const std::string&>().empty()))
        return;  // answered, or a wrong type reported by walk()
    error(path, "required.missing", humanKey(lastKey(path)) + " is required.");
}

void Checker::formatRules() {
    if (const Json* e = m_r.get("edition");
        e && e->is_string() && !isSupportedEdition(*m_form, e->get<std::string>())) {
        error("edition", "edition.unsupported",
              "This form edition is not supported; lecert supports edition " +
                  newestEdition(*m_form) + " (leave \"edition\" out to use it).");
    }
    if (const Json* id = m_r.get("id"); id && id->is_string()) {
        const auto& s = id->get_ref<const std::string&>();
        bool ok = !s.empty() && s.size() <= 64;
        for (char c : s) {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-'))
                ok = false;
        }
        if (ok && (s == "." || s == "..")) ok = false;
        if (!ok) {
            error("id", "id.format",
                  "Record id must be 1 to 64 characters of letters, digits, dot, underscore or "
                  "hyphen "
                  "(it becomes a file name).");
        }
    }
}

void Checker::victimRules() {
    if (const Json* a = m_r.get("victim.a_number");
        a && a->is_string() && !a->get_ref<const std::string&>().empty()) {
        const auto& s = a->get_ref<const std::string&>();
        const bool nineDigits = s.size() == 9 && std::all_of(s.begin(), s.end(), [](char c) {
                                    return c >= '0' && c <= '9';
                                });
        if (!nineDigits && !normalizeANumber(s)) {
            error("victim.a_number", "a_number.format",
                  "A-Number must have 7 to 9 digits, optionally written with a leading \"A\" and "
                  "dashes "
                  "(for example A-123-456-789).");
        }
    }
    if (const Json* ssn = m_r.get("victim.ssn"); ssn && ssn->is_string() &&
                                                 !ssn->get_ref<const std::string&>().empty() &&
                                                 !isValidSsn(ssn->get_ref<const std::string&>())) {
        // Never quote the number: the message names the field only.
        error("victim.ssn", "ssn.format",
              "Social Security number must have 9 digits (dashes and spaces are allowed), and "
              "cannot begin with 000, 666 or 9.");
    }
    if (const Json* names = m_r.get("victim.other_names"); names && names->is_array()) {
        for (std::size_t i = 0; i < names->size(); ++i) {
            const std::string p = indexPath("victim.other_names", i);
            if ((*names)[i].is_object() && !hasValue(p + ".family_name") &&
                !hasValue(p + ".given_name")) {
                error(p, "required.missing",
                      "Each other name needs at least a family name or a given name.");
            }
        }
    }
}

void Checker::agencyRules() {
    requireIf(str("agency.category") == "other", "agency.category_other",
              "when the agency category is \"other\" (for example child protective services, EEOC, "
              "Department of Labor)");
    requireIf(str("agency.case_status") == "other", "agency.case_status_other",
              "when the case status is \"other\"");
    if (*m_form == FormId::I918B) {
        // Keys of both forms that only the I-918B requires (the schema's flag is per key).
        requireForI918B("agency.category");
        requireForI918B("agency.case_status");
        const std::string role = str("agency.official.role");
        if (role == "designated" &&
            !m_r.has("agency.head")) {  // an invalid role is reported as such
            error("agency.head", "agency.head_required",
                  "The name of the head of the certifying agency is required when the certifying "
                  "official "
                  "is a supervisor designated by the head of the agency.",
                  cite::kWhoSigns);
        }
        // A judge certifies as a judge, for a court; a judge named for a police department or a
        // prosecutor's office is most likely a wrong role or a wrong category.
        const std::string category = str("agency.category");
        if (role == "judge" && !category.empty() && category != "judge") {
            warning("agency.official.role", "agency.judge_not_court",
                    "The certifying official signs as a judge, but the agency category is not "
                    "\"judge\": a judge certifies for a court. Check the role and the category.",
                    cite::kAgencyAndOfficial);
        }
    }
    const Json* phone = m_r.get("agency.official.phone");
    if (phone && phone->is_string() && !phone->get_ref<const std::string&>().empty() &&
        !parsePhone(phone->get_ref<const std::string&>())) {
        error("agency.official.phone", "phone.format",
              "Phone number must be a US number with 10 digits, for example (555) 010-2345, "
              "optionally "
              "followed by an extension such as x1234.");
    }
    const Json* fax = m_r.get("agency.official.fax");
    if (fax && fax->is_string() && !fax->get_ref<const std::string&>().empty() &&
        !parsePhone(fax->get_ref<const std::string&>())) {
        error("agency.official.fax", "fax.format",
              "Fax number must be a US number with 10 digits, for example (555) 010-2345, "
              "optionally followed by an extension such as x1234.");
    }
    const Json* email = m_r.get("agency.official.email");
    if (email && email->is_string() && !email->get_ref<const std::string&>().empty() &&
        !isValidEmail(email->get_ref<const std::string&>())) {
        error("agency.official.email", "email.format",
              "E-mail address is not valid (expected name@agency.gov).");
    }
    addressRules();
}

void Checker::addressRules() {
    requireIf(hasValue("agency.address.unit_number"), "agency.address.unit_type",
              "when a unit number is given (apt, ste or flr)");
    const std::string country = str("agency.address.country");
    const std::string lc = text::asciiLower(country);
    const bool us = country.empty() || lc == "united states" || lc == "united states of america" ||
                    lc == "usa" || lc == "us" || lc == "u.s." || lc == "u.s.a.";
    if (us) {
        requireIf(true, "agency.address.state", "for an address in the United States");
        requireIf(true, "agency.address.zip", "for an address in the United States");
        const Json* st = m_r.get("agency.address.state");
        if (st && st->is_string() && !st->get_ref<const std::string&>().empty()) {
            const auto& codes = usStateCodes();
            if (std::find(codes.begin(), codes.end(), st->get_ref<const std::string&>()) ==
                codes.end()) {
                error("agency.address.state", "state.invalid",
                      "State must be a two-letter USPS code in capitals: one of the 50 states, DC, "
                      "AS, GU, MP, PR or VI.");
            }
        }
        const Json* zip = m_r.get("agency.address.zip");
        if (zip && zip->is_string() && !zip->get_ref<const std::string&>().empty()) {
            const auto& z = zip->get_ref<const std::string&>();
            auto digitsAt = [&](std::size_t from, std::size_t n) {
                for (std::size_t i = from; i < from + n; ++i) {
                    if (z[i] < '0' || z[i] > '9') return false;
                }
                return true;
            };
            const bool ok = (z.size() == 5 && digitsAt(0, 5)) ||
                            (z.size() == 10 && digitsAt(0, 5) && z[5] == '-' && digitsAt(6, 4));
            if (!ok)
                error("agency.address.zip", "zip.format", "ZIP code must be 12345 or 12345-6789.");
        }
    }
}

void Checker::crimeRules() {
    const Json* acts = m_r.get("crime.activities");
    if (acts && acts->is_array() && !acts->empty()) {
        bool inchoate = false;
        bool named = false;
        for (const auto& a : *acts) {
            if (!a.is_string()) continue;
            const auto& s = a.get_ref<const std::string&>();
            if (s == "attempt" || s == "conspiracy" || s == "solicitation")
                inchoate = true;
            else
                named = true;
        }
        if (inchoate && !named) {
            error("crime.activities", "crime.inchoate_without_crime",
                  "Attempt, conspiracy or solicitation must be checked together with the crime "
                  "that was "
                  "attempted, conspired or solicited.",
                  cite::kCrimes);
        }
    }
    const auto inUs = flag("crime.occurred_in_us");
    if (inUs && !*inUs) {
        requireIf(true, "crime.location_explanation",
                  "when the criminal activity did not occur in the United States", cite::kWhere);
        requireIf(true, "crime.extraterritorial_violation",
                  "when the criminal activity did not occur in the United States", cite::kWhere);
        const auto extra = flag("crime.extraterritorial_violation");
        if (extra && !*extra) {
            error("crime.extraterritorial_violation", "crime.outside_us_no_jurisdiction",
                  "The criminal activity must have occurred in the United States (including Indian "
                  "country, "
                  "military installations, territories and possessions) or violated a US federal "
                  "law that "
                  "provides for extraterritorial jurisdiction.",
                  cite::kWhere);
        }
        requireIf(extra.value_or(false), "crime.extraterritorial_citation",
                  "when the activity violated a US federal law with extraterritorial jurisdiction",
                  cite::kWhere);
    }
    if (!hasValue("crime.injury")) {
        warning("crime.injury", "crime.injury_empty",
                "Describe any known or documented injury to the victim (and attach reports); USCIS "
                "weighs "
                "substantial physical or mental abuse.");
    }
}

void Checker::helpfulnessRules() {
    if (auto v = flag("helpfulness.possesses_information"); v && !*v) {
        error("helpfulness.possesses_information", "helpfulness.no_information",
              "The certification can only support a U visa if the victim (or a parent, guardian or "
              "next friend) "
              "has information about the criminal activity.",
              cite::kInformation);
    }
    if (auto v = flag("helpfulness.helpful"); v && !*v) {
        error("helpfulness.helpful", "helpfulness.not_helpful",
              "The certification must state that the victim has been, is being, or is likely to be "
              "helpful to "
              "the investigation or prosecution.",
              cite::kHelpful);
    }
    if (auto v = flag("helpfulness.refused_or_failed"); v && *v) {
        warning("helpfulness.refused_or_failed", "helpfulness.refused",
                "The victim refused or failed to give reasonably requested assistance; explain the "
                "circumstances, because this can make the victim ineligible.",
                cite::kRefused);
        requireIf(true, "helpfulness.refusal_explanation",
                  "when the victim refused or failed to provide requested assistance",
                  cite::kRefused);
    }
    if (!hasValue("helpfulness.description")) {
        warning("helpfulness.description", "helpfulness.description_empty",
                "Describe how the victim has helped, is helping or is likely to help; it is the "
                "heart of the "
                "certification.");
    }
}

void Checker::traffickingRules() {
    requireIf(listHas("trafficking.types", "labor_trafficking"), "trafficking.labor_purposes",
              "for labor trafficking: choose at least one of involuntary servitude, peonage, debt "
              "bondage, slavery",
              cite::kSevereForms);
    const auto birth = date("victim.date_of_birth");
    const auto start = date("trafficking.start_date");
    if (listHas("trafficking.types", "sex_trafficking_minor") && birth && start &&
        ageOn(*birth, *start) >= 18) {
        error("trafficking.types", "trafficking.minor_age",
              "Sex trafficking of a minor applies only if the victim was under 18 when the "
              "trafficking began; "
              "by the date of birth and start date the victim was 18 or older.",
              cite::kSevereForms);
    }
}

void Checker::cooperationRules() {
    const auto complied = flag("cooperation.complied_with_requests");
    if (complied && !*complied) {
        requireIf(
            true, "cooperation.exception",
            "when the victim did not comply with reasonable requests (none, under 18, or trauma)",
            cite::kCooperation);
        const std::string ex = str("cooperation.exception");
        if (ex == "none") {
            warning("cooperation.exception", "cooperation.no_exception",
                    "The victim did not comply with reasonable requests and no exception (under "
                    "18, trauma) "
                    "applies; USCIS may find the cooperation requirement unmet.",
                    cite::kCooperation);
        }
        if (ex == "under_18") {
            const auto birth = date("victim.date_of_birth");
            const auto start = date("trafficking.start_date");
            if (birth && start && ageOn(*birth, *start) >= 18) {
                error("cooperation.exception", "cooperation.under_18_age",
                      "The under-18 exception applies only if the victim was under 18 when the "
                      "trafficking began; "
                      "by the date of birth and start date the victim was 18 or older.",
                      cite::kCooperation);
            }
        }
    }
}

void Checker::familyRules() {
    const auto implicated = flag("family.implicated");
    if (implicated && *implicated) {
        const Json* m = m_r.get("family.members");
        if (!m || m->is_null() || (m->is_array() && m->empty())) {
            error("family.members", "family.members_required",
                  "List at least one family member believed to be involved (name, relationship, "
                  "involvement).");
        }
    }
}

void Checker::certificationRules() {
    if (*m_form != FormId::I918B) return;
    const auto sig = date("certification.signature_date");
    if (!sig || *sig > m_today) return;
    const Date last = certificationLastDay(*sig);
    const long left = daysBetween(m_today, last);
    if (left < 0) {
        // The six months are measured at filing: a certification filed in time stays valid, so
        // the message speaks of filing, not of the certification itself.
        error("certification.signature_date", "certification.expired",
              "The six months to file this certification ended on " + last.us() +
                  ": if the victim has not filed it with Form I-918 by then, it can no longer be "
                  "filed. A certification filed in time stays valid.",
              cite::kSixMonths);
    } else if (left <= 45) {
        warning("certification.signature_date", "certification.expiring",
                "Only " + std::to_string(left) + " day" + (left == 1 ? "" : "s") +
                    " left: USCIS must receive this certification by " + last.us() +
                    " (six months from signature).",
                cite::kSixMonths);
    }
}

void Checker::assistanceRules() {
    const auto contacted = flag("assistance.victim_specialist.contacted");
    if (contacted && !*contacted) {
        warning("assistance.victim_specialist.contacted", "assistance.specialist_not_contacted",
                "Connect the victim to a victim specialist right away: they link the victim to "
                "medical, "
                "mental health, legal and other services. Assistance is not tied to cooperation or "
                "prosecution.");
    }
    if (contacted && *contacted && !hasValue("assistance.victim_specialist.name") &&
        !hasValue("assistance.victim_specialist.organization")) {
        error("assistance.victim_specialist.name", "required.conditional",
              "Give the victim specialist's name or organization when a specialist was contacted.");
    }
    if (const Json* p = m_r.get("assistance.victim_specialist.phone");
        p && p->is_string() && !p->get_ref<const std::string&>().empty() &&
        !parsePhone(p->get_ref<const std::string&>())) {
        warning("assistance.victim_specialist.phone", "phone.format",
                "Phone number does not look like a 10-digit US number; check it.");
    }
    if (const Json* e = m_r.get("assistance.victim_specialist.email");
        e && e->is_string() && !e->get_ref<const std::string&>().empty() &&
        !isValidEmail(e->get_ref<const std::string&>())) {
        warning("assistance.victim_specialist.email", "email.format",
                "E-mail address does not look valid; check it.");
    }
    requireIf(listHas("assistance.services", "other"), "assistance.services_other",
              "when \"other\" services are listed (say which)");
    requireIf(flag("assistance.interpreter.used").value_or(false),
              "assistance.interpreter.language", "when an interpreter was used");

    continuedPresenceRules();
}

// Continued Presence, 22 U.S.C. 7105(c)(3): dates by status, who files, grant period, expiry.
void Checker::continuedPresenceRules() {
    const std::string cp = str("assistance.continued_presence.status");
    const bool requested =
        cp == "requested" || cp == "granted" || cp == "denied" || cp == "terminated";
    const bool decided = cp == "granted" || cp == "denied" || cp == "terminated";
    requireIf(requested, "assistance.continued_presence.requested_date",
              "when the Continued Presence status is \"" + cp + "\"");
    requireIf(decided, "assistance.continued_presence.decision_date",
              "when the Continued Presence status is \"" + cp + "\"");
    requireIf(cp == "granted", "assistance.continued_presence.expiration_date",
              "when Continued Presence was granted");
    if (requested && str("agency.type") != "federal" && !str("agency.type").empty()) {
        requireIf(true, "assistance.continued_presence.federal_sponsor",
                  "for a state, local, tribal or territorial agency: Continued Presence is filed "
                  "by federal law enforcement, so name the federal partner that files it (for "
                  "example HSI, the FBI or the U.S. Attorney's Office)",
                  cite::kContinuedPresence);
    }
    if (cp == "not_requested" && *m_form == FormId::I914B) continuedPresenceNotRequested();
    if (requested && *m_form == FormId::I918B && !traffickingActivity()) {
        warning("assistance.continued_presence.status", "continued_presence.no_trafficking",
                "Continued Presence is recorded, but none of the criminal activities in Part 3 is "
                "trafficking (or involuntary servitude, peonage, slave trade): CP is only for "
                "victims of a severe form of trafficking. Check the status or the activities.",
                cite::kContinuedPresence);
    }
    const auto req = date("assistance.continued_presence.requested_date");
    const auto dec = date("assistance.continued_presence.decision_date");
    const auto exp = date("assistance.continued_presence.expiration_date");
    if (req && dec && *dec < *req) {
        error("assistance.continued_presence.decision_date", "date.order",
              "The Continued Presence decision date is before the request date.");
    }
    if (dec && exp && *exp <= *dec) {
        error("assistance.continued_presence.expiration_date", "date.order",
              "The Continued Presence expiration date must be after the decision date.");
    }
    // CP is granted for up to two years at a time and renewed; a longer period is most likely a
    // typing mistake in a year.
    if (cp == "granted" && dec && exp && *exp > dec->addMonths(24)) {
        warning("assistance.continued_presence.expiration_date",
                "continued_presence.over_two_years",
                "The Continued Presence expiration date is more than two years after the grant; "
                "CP is granted for up to two years at a time and then renewed. Check the dates.",
                cite::kContinuedPresence);
    }
    if (cp == "granted" && exp) {
        const long left = daysBetween(m_today, *exp);
        if (left < 0) {
            warning("assistance.continued_presence.expiration_date", "continued_presence.expired",
                    "Continued Presence expired on " + exp->us() +
                        "; ask the federal sponsor about renewal.",
                    cite::kContinuedPresence);
        } else if (left <= 60) {
            warning("assistance.continued_presence.expiration_date", "continued_presence.expiring",
                    "Continued Presence expires in " + std::to_string(left) + " day" +
                        (left == 1 ? "" : "s") + " (" + exp->us() +
                        "); start the renewal with the federal sponsor now.",
                    cite::kContinuedPresence);
        }
    }
}

// Who files CP decides what the officer must do: a federal agency files its own request, any
// other agency asks a federal partner to file it (22 U.S.C. 7105(c)(3)(A): "a Federal law
// enforcement official files an application").
void Checker::continuedPresenceNotRequested() {
    const bool federal = str("agency.type") == "federal";
    warning("assistance.continued_presence.status", "continued_presence.not_requested",
            federal ? "Request Continued Presence as soon as a trafficking victim is identified: "
                      "your agency, as federal law enforcement, files the request itself; the "
                      "investigation does not have to be complete."
                    : "Request Continued Presence as soon as a trafficking victim is identified: "
                      "only federal law enforcement can file it, so ask a federal partner (for "
                      "example HSI, the FBI, or the U.S. Attorney's Office working the case) to "
                      "file it; the investigation does not have to be complete.",
            cite::kContinuedPresence);
}

// True when Part 3 names trafficking or one of the trafficking crimes of the statute's list.
bool Checker::traffickingActivity() const {
    for (const char* a : {"trafficking", "involuntary_servitude", "peonage", "slave_trade"}) {
        if (listHas("crime.activities", a)) return true;
    }
    return false;
}

// A character no embedded font can draw would silently vanish from the PDF: say so, per field.
void Checker::glyphRules(const Json& node, const std::string& path) {
    if (node.is_string()) {
        // Longer than any field accepts (reported as text.too_long), so never printed.
        if (node.get_ref<const std::string&>().size() > 100000) return;
        // Fonts missing: everything counts as printable; filling reports that, not the validator.
        const auto missing = defaultPrintability()->unprintable(node.get_ref<const std::string&>());
        if (missing.empty()) return;
        warning(path, kUnprintableCode, unprintableMessage(missing));
    } else if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (path.empty() && (it.key() == "review" || it.key() == "form" ||
                                 it.key() == "edition" || it.key() == "id"))
                continue;
            glyphRules(it.value(), joinPath(path, it.key()));
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) glyphRules(node[i], indexPath(path, i));
    }
}

void Checker::dateRules() {
    const auto birth = date("victim.date_of_birth");
    if (birth) {
        if (*birth > m_today) {
            error("victim.date_of_birth", "date.future", "Date of birth is in the future.");
        } else if (ageOn(*birth, m_today) > 120) {
            error("victim.date_of_birth", "date.implausible_age",
                  "Date of birth gives an age over 120 years; check the year.");
        }
    }
    auto notFuture = [&](const std::string& path, const char* what) {
        const auto d = date(path);
        if (d && *d > m_today) error(path, "date.future", std::string(what) + " is in the future.");
        return d;
    };
    auto notBeforeBirth = [&](const std::string& path, const std::optional<Date>& d,
                              const char* what) {
        if (d && birth && *d < *birth) {
            error(path, "date.before_birth",
                  std::string(what) + " is before the victim's date of birth.");
        }
    };
    const auto sig = notFuture("certification.signature_date", "Signature date");
    // Both forms: the signed form can only cover what happened before the signature.
    auto notAfterSignature = [&](const std::string& path, const std::optional<Date>& d,
                                 const char* what, const char* why) {
        if (d && sig && *d > *sig) {
            error(path, "date.after_signature",
                  std::string(what) + " is after the signature date; the " + why +
                      " can only cover what happened before it was signed.");
        }
    };
    if (*m_form == FormId::I918B) {
        if (const Json* dates = m_r.get("crime.dates"); dates && dates->is_array()) {
            for (std::size_t i = 0; i < dates->size(); ++i) {
                const std::string p = indexPath("crime.dates", i);
                const auto d = notFuture(p, "Date of criminal activity");
                notBeforeBirth(p, d, "Date of criminal activity");
                notAfterSignature(p, d, "Date of criminal activity", "certification");
            }
        }
    } else {
        const auto start = notFuture("trafficking.start_date", "Start date of the trafficking");
        notBeforeBirth("trafficking.start_date", start, "Start date of the trafficking");
        const auto end = notFuture("trafficking.end_date", "End date of the trafficking");
        if (!start) notBeforeBirth("trafficking.end_date", end, "End date of the trafficking");
        notAfterSignature("trafficking.start_date", start, "Start date of the trafficking",
                          "declaration");
        notAfterSignature("trafficking.end_date", end, "End date of the trafficking",
                          "declaration");
        if (start && end && *end < *start) {
            error("trafficking.end_date", "date.order",
                  "End date of the trafficking is before its start date.");
        }
    }
    notFuture("assistance.victim_specialist.date", "Date the victim specialist was contacted");
    // The record format sets no "not in the future" rule for these: a future date is most likely a
    // typing mistake, so it is a warning, not an error.
    auto futureWarning = [&](const std::string& path, const char* what) {
        const auto d = date(path);
        if (d && *d > m_today)
            warning(path, "date.future", std::string(what) + " is in the future; check it.");
    };
    futureWarning("assistance.forensic_interview.date", "Date of the forensic interview");
    futureWarning("assistance.continued_presence.requested_date",
                  "Continued Presence request date");
    futureWarning("assistance.continued_presence.decision_date",
                  "Continued Presence decision date");
}

}  // namespace

std::vector<Issue> validateRecord(const Record& record, const ValidationOptions& options) {
    // Answers to items hidden by their show_if are kept in drafts, never checked.
    const Record applicable = prunedRecord(record);
    return Checker(applicable, options).run();
}

}  // namespace lecert
