// SPDX-License-Identifier: MIT
// The cover's view model (documented in templates/README.md): the record's facts as printed
// texts, marks and booleans for the template.
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <variant>

#include "core/model/contacts.h"
#include "core/model/form_definition.h"
#include "core/model/printability.h"
#include "core/render/cover.h"
#include "core/review/review.h"
#include "core/review/signing.h"

namespace lecert {

// ===================================================================================== days

// ===================================================================================== days

std::string daysLeftText(long days) {
    if (days > 1) return std::to_string(days) + " days left";
    if (days == 1) return "1 day left";
    if (days == 0) return "Last day today";
    if (days == -1) return "Expired yesterday";
    return "Expired " + std::to_string(-days) + " days ago";
}

std::string filingDaysLeftText(long days) {
    // The six months are measured at filing (8 CFR 214.14(c)(2)(i)): after the last day the
    // certification can no longer be filed, but one filed in time has not "expired".
    if (days >= 0) return daysLeftText(days);
    if (days == -1) return "Filing window closed yesterday";
    return "Filing window closed " + std::to_string(-days) + " days ago";
}

// =============================================================================== view model

namespace {

std::string plural(std::size_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// A date as printed on the cover; text that is not a date is shown as entered (the validator
// reports it).
std::string printedDate(const std::string& s) {
    if (s.empty()) return {};
    if (auto d = Date::parse(s)) return d->us();
    return s;
}

std::string joinNonEmpty(std::initializer_list<std::string> parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) {
        if (p.empty()) continue;
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

// {"mark": "yes"|"no"|"unknown", "yes": bool, "no": bool, "unknown": bool}
Json markJson(std::optional<bool> b) {
    Json j = Json::object();
    j["mark"] = !b ? "unknown" : (*b ? "yes" : "no");
    j["yes"] = b.has_value() && *b;
    j["no"] = b.has_value() && !*b;
    j["unknown"] = !b.has_value();
    return j;
}

const char* fallbackCpLabel(const std::string& v) {
    static const std::map<std::string, const char*> labels = {
        {"not_requested", "Not requested"},
        {"requested", "Requested, decision pending"},
        {"granted", "Granted"},
        {"denied", "Denied"},
        {"terminated", "Terminated"},
        {"not_applicable", "Not applicable"}};
    auto it = labels.find(v);
    return it == labels.end() ? nullptr : it->second;
}

// The last array index in a path ("family.members[2].relationship" -> 2), if any.
std::optional<std::size_t> lastIndex(const std::string& path) {
    auto fp = FieldPath::parse(path);
    if (!fp) return std::nullopt;
    std::optional<std::size_t> idx;
    for (const auto& seg : fp->segments())
        if (const auto* i = std::get_if<std::size_t>(&seg)) idx = *i;
    return idx;
}

// What every section of the view model reads: the record, the validator's findings, the date,
// and the form definition for option and item labels.
struct ModelInput {
    const Record& record;
    const std::vector<Issue>& issues;
    Date today;
    std::optional<FormId> form;
    std::shared_ptr<const FormDefinition> def;

    std::string optionLabel(const std::string& path, const std::string& value) const {
        if (def)
            if (const FormItem* item = def->itemForPath(path))
                if (const Option* o = item->option(value)) return o->label;
        return value;
    }
    std::string fieldLabel(const std::string& path) const {
        if (path.empty()) return "Record";
        std::string label;
        if (def)
            if (const FormItem* item = def->itemForPath(path)) label = item->label;
        if (label.empty()) return path;
        if (auto i = lastIndex(path)) label += " (#" + std::to_string(*i + 1) + ")";
        return label;
    }
};

// Form: title, edition, which form.
void formSection(const ModelInput& in, Json& vm) {
    // Form
    Json f = Json::object();
    f["id"] = in.form ? std::string(formToString(*in.form)) : "";
    f["title"] = in.def ? in.def->title
                        : (in.form == FormId::I914B ? "Form I-914, Supplement B"
                           : in.form                ? "Form I-918, Supplement B"
                                                    : "Unknown form");
    f["subtitle"] = in.def ? in.def->subtitle : "";
    f["edition"] = in.def ? in.def->editionPrinted : in.record.string("edition");
    f["is_i918b"] = in.form == FormId::I918B;
    f["is_i914b"] = in.form == FormId::I914B;
    vm["form"] = f;
}

// Victim: names and identifiers.
void victimSection(const ModelInput& in, Json& vm) {
    // Victim
    const std::string family = in.record.string("victim.family_name");
    const std::string given = in.record.string("victim.given_name");
    const std::string middle = in.record.string("victim.middle_name");
    Json v = Json::object();
    v["family_name"] = family;
    v["given_name"] = given;
    v["middle_name"] = middle;
    v["name"] = joinNonEmpty({family, joinNonEmpty({given, middle}, " ")}, ", ");
    // The cover never shows an empty name: a missing one, or one the fonts cannot draw (only a
    // draft gets this far with one), is said in words.
    const Printability* printer = defaultPrintability();
    if (v["name"].get<std::string>().empty())
        v["name"] = "(no name given)";
    else if (printer && !printer->unprintable(family + given + middle).empty())
        v["name"] = "(name cannot be printed with the installed fonts; see the record)";
    v["full_name"] = joinNonEmpty({given, middle, family}, " ");
    v["date_of_birth"] = printedDate(in.record.string("victim.date_of_birth"));
    v["a_number"] = in.record.string("victim.a_number");
    vm["victim"] = v;
}

// Agency and the signing official.
void agencySection(const ModelInput& in, Json& vm) {
    // Agency
    Json a = Json::object();
    a["name"] = in.record.string("agency.name");
    a["case_number"] = in.record.string("agency.case_number");
    const std::string officialName = joinNonEmpty({in.record.string("agency.official.given_name"),
                                                   in.record.string("agency.official.middle_name"),
                                                   in.record.string("agency.official.family_name")},
                                                  " ");
    a["official"] = joinNonEmpty({officialName, in.record.string("agency.official.title")}, ", ");
    a["official_name"] = officialName;
    a["official_title"] = in.record.string("agency.official.title");
    {
        const std::string phone = in.record.string("agency.official.phone");
        auto p = parsePhone(phone);
        a["official_phone"] = p ? p->formatted() : phone;
    }
    a["official_email"] = in.record.string("agency.official.email");
    {
        // Authority to sign (8 CFR 214.14(a)(3)): lecert's own question, not an item of the
        // 01/20/25 form, so the cover is where a reader sees it.
        const std::string role = in.record.string("agency.official.role");
        a["official_role"] = role.empty() ? "" : in.optionLabel("agency.official.role", role);
    }
    vm["agency"] = a;
}

// Supervisor review line.
void reviewSection(const ModelInput& in, Json& vm) {
    // Review
    {
        const std::string line =
            review::approvalLine(in.record.json(), review::TrustStore::fromEnvironment());
        const bool approved = line.rfind("Approved", 0) == 0;
        vm["review"] = {
            {"line", line}, {"tone", approved ? "approved" : "draft"}, {"approved", approved}};
    }
}

// Validation findings with the form's item labels.
void validationSection(const ModelInput& in, Json& vm) {
    // Validation
    {
        Json errors = Json::array(), warnings = Json::array();
        for (const Issue& is : in.issues) {
            Json e = {{"field", is.field},
                      {"label", in.fieldLabel(is.field)},
                      {"message", is.message},
                      {"citation", is.citation}};
            (is.severity == Severity::Error ? errors : warnings).push_back(std::move(e));
        }
        const std::size_t ne = errors.size(), nw = warnings.size();
        Json val = Json::object();
        val["error_count"] = ne;
        val["warning_count"] = nw;
        val["has_errors"] = ne > 0;
        val["has_warnings"] = nw > 0;
        val["errors"] = std::move(errors);
        val["warnings"] = std::move(warnings);
        val["summary"] = "Validation: " + plural(ne, "error") + ", " + plural(nw, "warning");
        if (ne > 0)
            val["status"] = "Not ready for signature: " + plural(ne, "error") + " to fix";
        else if (nw > 0)
            val["status"] = "Complete (" + plural(nw, "warning") + " to check)";
        else
            val["status"] = "Complete, no warnings";
        vm["validation"] = std::move(val);
    }
}

// Victim-centered steps: marks and details.
void stepsSection(const ModelInput& in, Json& vm) {
    // Victim-centered steps
    {
        Json steps = Json::object();

        Json sp = markJson(in.record.boolean("assistance.victim_specialist.contacted"));
        sp["name"] = in.record.string("assistance.victim_specialist.name");
        sp["organization"] = in.record.string("assistance.victim_specialist.organization");
        sp["who"] = joinNonEmpty(
            {sp["name"].get<std::string>(), sp["organization"].get<std::string>()}, ", ");
        sp["date"] = printedDate(in.record.string("assistance.victim_specialist.date"));
        {
            const std::string phone = in.record.string("assistance.victim_specialist.phone");
            auto p = parsePhone(phone);
            sp["phone"] = p ? p->formatted() : phone;
        }
        sp["email"] = in.record.string("assistance.victim_specialist.email");
        sp["contact"] =
            joinNonEmpty({sp["phone"].get<std::string>(), sp["email"].get<std::string>()}, " · ");
        steps["specialist"] = std::move(sp);

        // Services: a list present and non-empty = done, present and empty = none, absent = not
        // recorded.
        const Json* services = in.record.get("assistance.services");
        std::optional<bool> hasServices;
        std::vector<std::string> labels;
        if (services && services->is_array()) {
            hasServices = !services->empty();
            for (const auto& s : *services) {
                if (!s.is_string()) continue;
                const std::string value = s.get<std::string>();
                std::string label = in.optionLabel("assistance.services", value);
                if (value == "other") {
                    const std::string other = in.record.string("assistance.services_other");
                    if (!other.empty()) label += ": " + other;
                }
                labels.push_back(label);
            }
        }
        Json sv = markJson(hasServices);
        std::string list;
        for (const auto& l : labels) list += (list.empty() ? "" : ", ") + l;
        sv["list"] = list;
        sv["items"] = labels;
        steps["services"] = std::move(sv);

        Json interp = markJson(in.record.boolean("assistance.interpreter.used"));
        interp["language"] = in.record.string("assistance.interpreter.language");
        steps["interpreter"] = std::move(interp);

        steps["neutral_location"] =
            markJson(in.record.boolean("assistance.interview.neutral_location"));
        steps["urgent_needs"] =
            markJson(in.record.boolean("assistance.interview.urgent_needs_met_first"));

        Json fi = markJson(in.record.boolean("assistance.forensic_interview.conducted"));
        fi["specialist"] = in.record.string("assistance.forensic_interview.specialist");
        fi["date"] = printedDate(in.record.string("assistance.forensic_interview.date"));
        steps["forensic_interview"] = std::move(fi);

        steps["hsi"] = markJson(in.record.boolean("assistance.hsi_contacted"));

        // Task force: a name means "working with it"; there is no explicit "no".
        const std::string tf = in.record.string("assistance.task_force");
        Json t = markJson(tf.empty() ? std::optional<bool>() : std::optional<bool>(true));
        t["name"] = tf;
        steps["task_force"] = std::move(t);

        vm["steps"] = std::move(steps);
    }
}

// Continued Presence.
void cpSection(const ModelInput& in, Json& vm) {
    // Continued Presence
    {
        const std::string status = in.record.string("assistance.continued_presence.status");
        Json cp = Json::object();
        cp["status_id"] = status;
        std::string label =
            status.empty() ? "" : in.optionLabel("assistance.continued_presence.status", status);
        if (label == status)
            if (const char* fb = fallbackCpLabel(status)) label = fb;
        cp["status"] = label;
        cp["requested_date"] =
            printedDate(in.record.string("assistance.continued_presence.requested_date"));
        cp["decision_date"] =
            printedDate(in.record.string("assistance.continued_presence.decision_date"));
        cp["expiration_date"] =
            printedDate(in.record.string("assistance.continued_presence.expiration_date"));
        cp["federal_sponsor"] = in.record.string("assistance.continued_presence.federal_sponsor");
        cp["days_left"] = "";
        cp["is_granted"] = status == "granted";
        if (status == "granted")
            if (auto exp = Date::parse(
                    in.record.string("assistance.continued_presence.expiration_date"))) {
                const long d = daysBetween(in.today, *exp);
                cp["days_left"] = daysLeftText(d);
                cp["days_left_number"] = d;
            }
        vm["cp"] = std::move(cp);
    }
}

// Certification: the I-918B filing window.
void certSection(const ModelInput& in, Json& vm) {
    // Certification (the six-month clock applies to I-918B only)
    {
        Json c = Json::object();
        const std::string sig = in.record.string("certification.signature_date");
        const auto sigDate = Date::parse(sig);
        c["signed"] = !sig.empty();
        c["signature_date"] = printedDate(sig);
        c["last_day"] = "";
        c["days_left"] = "";
        if (sigDate && in.form == FormId::I918B) {
            const Date last = certificationLastDay(*sigDate);
            const long d = daysBetween(in.today, last);
            c["last_day"] = last.us();
            c["days_left"] = filingDaysLeftText(d);
            c["days_left_number"] = d;
        }
        vm["cert"] = std::move(c);
    }
}

}  // namespace

Json coverViewModel(const Record& record, const std::vector<Issue>& issues, Date today) {
    ModelInput in{record, issues, today, record.form(), nullptr};
    if (in.form)
        if (auto d = formDefinition(*in.form)) in.def = *d;

    Json vm = Json::object();
    vm["today"] = today.us();
    vm["today_iso"] = today.iso();
    const std::string id = record.string("id");
    vm["record"] = {{"id", id}, {"id_display", id.empty() ? "(no id)" : id}};
    formSection(in, vm);
    victimSection(in, vm);
    agencySection(in, vm);
    reviewSection(in, vm);
    validationSection(in, vm);
    stepsSection(in, vm);
    cpSection(in, vm);
    certSection(in, vm);
    {
        // Agency contacts (templates/contacts.json); none when the file cannot be read.
        auto contacts = shippedContacts();
        vm["contacts"] = contactsJson(contacts ? *contacts : std::vector<Contact>{});
    }
    vm["assistance"] = {{"safety_concerns", record.string("assistance.safety_concerns")},
                        {"notes", record.string("assistance.notes")}};
    return vm;
}

}  // namespace lecert
