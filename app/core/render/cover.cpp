// SPDX-License-Identifier: MIT
#include "core/render/cover.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <kainjow/mustache.hpp>

#include "core/model/form_definition.h"
#include "core/pdf/document.h"
#include "core/review/review.h"
#include "core/review/signing.h"
#include "core/util/data_dir.h"
#include "core/util/text.h"

namespace lecert {

namespace mst = kainjow::mustache;

// ===================================================================================== days

std::string daysLeftText(long days) {
    if (days > 1) return std::to_string(days) + " days left";
    if (days == 1) return "1 day left";
    if (days == 0) return "Last day today";
    if (days == -1) return "Expired yesterday";
    return "Expired " + std::to_string(-days) + " days ago";
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

}  // namespace

Json coverViewModel(const Record& record, const std::vector<Issue>& issues, Date today) {
    const auto form = record.form();
    std::shared_ptr<const FormDefinition> def;
    if (form)
        if (auto d = formDefinition(*form)) def = *d;

    auto optionLabel = [&](const std::string& path, const std::string& value) -> std::string {
        if (def)
            if (const FormItem* item = def->itemForPath(path))
                if (const Option* o = item->option(value)) return o->label;
        return value;
    };
    auto fieldLabel = [&](const std::string& path) -> std::string {
        if (path.empty()) return "Record";
        std::string label;
        if (def)
            if (const FormItem* item = def->itemForPath(path)) label = item->label;
        if (label.empty()) return path;
        if (auto i = lastIndex(path)) label += " (#" + std::to_string(*i + 1) + ")";
        return label;
    };

    Json vm = Json::object();
    vm["today"] = today.us();
    vm["today_iso"] = today.iso();

    const std::string id = record.string("id");
    vm["record"] = {{"id", id}, {"id_display", id.empty() ? "(no id)" : id}};

    // Form
    Json f = Json::object();
    f["id"] = form ? std::string(formToString(*form)) : "";
    f["title"] = def ? def->title
                     : (form == FormId::I914B ? "Form I-914, Supplement B"
                        : form                ? "Form I-918, Supplement B"
                                              : "Unknown form");
    f["subtitle"] = def ? def->subtitle : "";
    f["edition"] = def ? def->editionPrinted : record.string("edition");
    f["is_i918b"] = form == FormId::I918B;
    f["is_i914b"] = form == FormId::I914B;
    vm["form"] = f;

    // Victim
    const std::string family = record.string("victim.family_name");
    const std::string given = record.string("victim.given_name");
    const std::string middle = record.string("victim.middle_name");
    Json v = Json::object();
    v["family_name"] = family;
    v["given_name"] = given;
    v["middle_name"] = middle;
    v["name"] = joinNonEmpty({family, joinNonEmpty({given, middle}, " ")}, ", ");
    v["full_name"] = joinNonEmpty({given, middle, family}, " ");
    v["date_of_birth"] = printedDate(record.string("victim.date_of_birth"));
    v["a_number"] = record.string("victim.a_number");
    vm["victim"] = v;

    // Agency
    Json a = Json::object();
    a["name"] = record.string("agency.name");
    a["case_number"] = record.string("agency.case_number");
    const std::string officialName = joinNonEmpty(
        {record.string("agency.official.given_name"), record.string("agency.official.middle_name"),
         record.string("agency.official.family_name")},
        " ");
    a["official"] = joinNonEmpty({officialName, record.string("agency.official.title")}, ", ");
    a["official_name"] = officialName;
    a["official_title"] = record.string("agency.official.title");
    {
        const std::string phone = record.string("agency.official.phone");
        auto p = parsePhone(phone);
        a["official_phone"] = p ? p->formatted() : phone;
    }
    a["official_email"] = record.string("agency.official.email");
    vm["agency"] = a;

    // Review
    {
        const std::string line =
            review::approvalLine(record.json(), review::TrustStore::fromEnvironment());
        const bool approved = line.rfind("Approved", 0) == 0;
        vm["review"] = {
            {"line", line}, {"tone", approved ? "approved" : "draft"}, {"approved", approved}};
    }

    // Validation
    {
        Json errors = Json::array(), warnings = Json::array();
        for (const Issue& is : issues) {
            Json e = {{"field", is.field},
                      {"label", fieldLabel(is.field)},
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

    // Victim-centered steps
    {
        Json steps = Json::object();

        Json sp = markJson(record.boolean("assistance.victim_specialist.contacted"));
        sp["name"] = record.string("assistance.victim_specialist.name");
        sp["organization"] = record.string("assistance.victim_specialist.organization");
        sp["who"] = joinNonEmpty(
            {sp["name"].get<std::string>(), sp["organization"].get<std::string>()}, ", ");
        sp["date"] = printedDate(record.string("assistance.victim_specialist.date"));
        {
            const std::string phone = record.string("assistance.victim_specialist.phone");
            auto p = parsePhone(phone);
            sp["phone"] = p ? p->formatted() : phone;
        }
        sp["email"] = record.string("assistance.victim_specialist.email");
        sp["contact"] =
            joinNonEmpty({sp["phone"].get<std::string>(), sp["email"].get<std::string>()}, " · ");
        steps["specialist"] = std::move(sp);

        // Services: a list present and non-empty = done, present and empty = none, absent = not
        // recorded.
        const Json* services = record.get("assistance.services");
        std::optional<bool> hasServices;
        std::vector<std::string> labels;
        if (services && services->is_array()) {
            hasServices = !services->empty();
            for (const auto& s : *services) {
                if (!s.is_string()) continue;
                const std::string value = s.get<std::string>();
                std::string label = optionLabel("assistance.services", value);
                if (value == "other") {
                    const std::string other = record.string("assistance.services_other");
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

        Json in = markJson(record.boolean("assistance.interpreter.used"));
        in["language"] = record.string("assistance.interpreter.language");
        steps["interpreter"] = std::move(in);

        steps["neutral_location"] =
            markJson(record.boolean("assistance.interview.neutral_location"));
        steps["urgent_needs"] =
            markJson(record.boolean("assistance.interview.urgent_needs_met_first"));

        Json fi = markJson(record.boolean("assistance.forensic_interview.conducted"));
        fi["specialist"] = record.string("assistance.forensic_interview.specialist");
        fi["date"] = printedDate(record.string("assistance.forensic_interview.date"));
        steps["forensic_interview"] = std::move(fi);

        steps["hsi"] = markJson(record.boolean("assistance.hsi_contacted"));

        // Task force: a name means "working with it"; there is no explicit "no".
        const std::string tf = record.string("assistance.task_force");
        Json t = markJson(tf.empty() ? std::optional<bool>() : std::optional<bool>(true));
        t["name"] = tf;
        steps["task_force"] = std::move(t);

        vm["steps"] = std::move(steps);
    }

    // Continued Presence
    {
        const std::string status = record.string("assistance.continued_presence.status");
        Json cp = Json::object();
        cp["status_id"] = status;
        std::string label =
            status.empty() ? "" : optionLabel("assistance.continued_presence.status", status);
        if (label == status)
            if (const char* fb = fallbackCpLabel(status)) label = fb;
        cp["status"] = label;
        cp["requested_date"] =
            printedDate(record.string("assistance.continued_presence.requested_date"));
        cp["decision_date"] =
            printedDate(record.string("assistance.continued_presence.decision_date"));
        cp["expiration_date"] =
            printedDate(record.string("assistance.continued_presence.expiration_date"));
        cp["federal_sponsor"] = record.string("assistance.continued_presence.federal_sponsor");
        cp["days_left"] = "";
        cp["is_granted"] = status == "granted";
        if (status == "granted")
            if (auto exp =
                    Date::parse(record.string("assistance.continued_presence.expiration_date"))) {
                const long d = daysBetween(today, *exp);
                cp["days_left"] = daysLeftText(d);
                cp["days_left_number"] = d;
            }
        vm["cp"] = std::move(cp);
    }

    // Certification (the six-month clock applies to I-918B only)
    {
        Json c = Json::object();
        const std::string sig = record.string("certification.signature_date");
        const auto sigDate = Date::parse(sig);
        c["signed"] = !sig.empty();
        c["signature_date"] = printedDate(sig);
        c["last_day"] = "";
        c["days_left"] = "";
        if (sigDate && form == FormId::I918B) {
            const Date last = certificationLastDay(*sigDate);
            const long d = daysBetween(today, last);
            c["last_day"] = last.us();
            c["days_left"] = daysLeftText(d);
            c["days_left_number"] = d;
        }
        vm["cert"] = std::move(c);
    }

    vm["assistance"] = {{"safety_concerns", record.string("assistance.safety_concerns")},
                        {"notes", record.string("assistance.notes")}};
    return vm;
}

// ================================================================================ template

namespace {

struct TRow {
    std::string label, value, detail, mark;
    std::string ifPath, unlessPath;
    bool hideEmpty = false;
};

struct TBlock {
    std::string type;
    std::string ifPath, unlessPath;
    std::string heading, legend, text, title, tone, right, caption, items, empty;
    int columns = 2;
    std::vector<TRow> rows;
    std::map<std::string, std::string> details;  // checklist: default detail per mark
    std::vector<TBlock> blocks;                  // row: side-by-side children
};

struct CoverTemplate {
    pdf::Color accent{0.12, 0.23, 0.37};
    double fontSize = 9;
    std::string metaTitle, metaSubject, metaKeywords;
    std::string watermark = "DRAFT – NOT FOR SIGNATURE";
    std::string headerTitle, headerSubtitle, headerRight;
    std::string continued;
    std::string footerLeft, footerRight;
    std::vector<TBlock> blocks;
};

std::optional<pdf::Color> parseHexColor(const std::string& s) {
    if (s.size() != 7 || s[0] != '#') return std::nullopt;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    double v[3];
    for (int i = 0; i < 3; ++i) {
        const int hi = hex(s[static_cast<std::size_t>(1 + 2 * i)]),
                  lo = hex(s[static_cast<std::size_t>(2 + 2 * i)]);
        if (hi < 0 || lo < 0) return std::nullopt;
        v[i] = (hi * 16 + lo) / 255.0;
    }
    return pdf::Color{v[0], v[1], v[2]};
}

// Reads the template JSON strictly: unknown keys and wrong types are errors naming the JSON
// location, so that a typo in an agency's edit does not silently drop a text.
class TemplateParser {
public:
    explicit TemplateParser(std::string source) : m_source(std::move(source)) {}

    std::optional<Error> error() const { return m_error; }

    CoverTemplate parse(const Json& j) {
        CoverTemplate t;
        if (!j.is_object()) {
            fail("", "the cover template must be a JSON object");
            return t;
        }
        keys(j, "",
             {"format", "version", "style", "metadata", "watermark", "header", "continued",
              "footer", "blocks"});
        if (const Json* f = j.contains("format") ? &j["format"] : nullptr;
            !f || *f != "lecert-cover")
            fail("format", "expected \"format\": \"lecert-cover\"");
        if (const Json* ver = j.contains("version") ? &j["version"] : nullptr; !ver || *ver != 1)
            fail("version",
                 "expected \"version\": 1 (the only template version this lecert reads)");
        if (j.contains("style")) {
            const Json& s = j["style"];
            if (!s.is_object()) {
                fail("style", "expected an object");
            } else {
                keys(s, "style", {"accent", "font_size"});
                if (s.contains("accent")) {
                    auto c = s["accent"].is_string() ? parseHexColor(s["accent"].get<std::string>())
                                                     : std::nullopt;
                    if (!c)
                        fail("style.accent", "expected a colour \"#rrggbb\"");
                    else
                        t.accent = *c;
                }
                if (s.contains("font_size")) {
                    if (!s["font_size"].is_number() || s["font_size"].get<double>() < 6 ||
                        s["font_size"].get<double>() > 14)
                        fail("style.font_size", "expected a number from 6 to 14 (points)");
                    else
                        t.fontSize = s["font_size"].get<double>();
                }
            }
        }
        if (const Json* m = object(j, "metadata", "metadata")) {
            keys(*m, "metadata", {"title", "subject", "keywords"});
            t.metaTitle = str(*m, "title", "metadata");
            t.metaSubject = str(*m, "subject", "metadata");
            t.metaKeywords = str(*m, "keywords", "metadata");
        }
        if (j.contains("watermark")) t.watermark = str(j, "watermark", "");
        if (const Json* h = object(j, "header", "header")) {
            keys(*h, "header", {"title", "subtitle", "right"});
            t.headerTitle = str(*h, "title", "header");
            t.headerSubtitle = str(*h, "subtitle", "header");
            t.headerRight = str(*h, "right", "header");
        }
        t.continued = str(j, "continued", "");
        if (const Json* f = object(j, "footer", "footer")) {
            keys(*f, "footer", {"left", "right"});
            t.footerLeft = str(*f, "left", "footer");
            t.footerRight = str(*f, "right", "footer");
        }
        if (!j.contains("blocks") || !j["blocks"].is_array()) {
            fail("blocks", "expected an array of blocks");
            return t;
        }
        t.blocks = blocks(j["blocks"], "blocks", true);
        return t;
    }

private:
    void fail(const std::string& where, const std::string& msg) {
        if (m_error) return;
        Error e;
        e.message = msg;
        e.where.file = m_source;
        e.where.field = where;
        m_error = e;
    }

    static std::string at(const std::string& parent, const std::string& key) {
        return parent.empty() ? key : parent + "." + key;
    }

    void keys(const Json& obj, const std::string& where,
              std::initializer_list<const char*> allowed) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            bool ok = it.key() == "comment";  // free-form remarks for the template's editors
            for (const char* k : allowed) ok = ok || it.key() == k;
            if (ok) continue;
            std::string list;
            for (const char* k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
            fail(at(where, it.key()),
                 "unknown key \"" + it.key() + "\" (allowed here: " + list + ")");
        }
    }

    const Json* object(const Json& parent, const char* key, const std::string& where) {
        if (!parent.contains(key)) return nullptr;
        if (!parent[key].is_object()) {
            fail(where, "expected an object");
            return nullptr;
        }
        return &parent[key];
    }

    // A text: a string (a mustache template, checked here) or absent ("").
    std::string str(const Json& obj, const char* key, const std::string& parent) {
        if (!obj.contains(key)) return {};
        const Json& v = obj[key];
        if (!v.is_string()) {
            fail(at(parent, key), "expected a string");
            return {};
        }
        std::string s = v.get<std::string>();
        if (!text::isValidUtf8(s)) {
            fail(at(parent, key), "not valid UTF-8");
            return {};
        }
        try {
            mst::mustache m{s};
            if (!m.is_valid())
                fail(at(parent, key), "invalid mustache template: " + m.error_message());
        } catch (const std::exception& e) {
            fail(at(parent, key), std::string("invalid mustache template: ") + e.what());
        }
        return s;
    }

    // A view-model path for "if"/"unless"/"items" (not a template).
    std::string path(const Json& obj, const char* key, const std::string& parent) {
        if (!obj.contains(key)) return {};
        if (!obj[key].is_string() || !FieldPath::parse(obj[key].get<std::string>())) {
            fail(at(parent, key), "expected a view-model path such as \"validation.has_errors\"");
            return {};
        }
        return obj[key].get<std::string>();
    }

    std::vector<TRow> rows(const Json& obj, const char* key, const std::string& parent,
                           bool withMark, bool withDetail) {
        std::vector<TRow> out;
        const std::string where = at(parent, key);
        if (!obj.contains(key) || !obj[key].is_array()) {
            fail(where, "expected an array of rows");
            return out;
        }
        std::size_t i = 0;
        for (const Json& r : obj[key]) {
            const std::string w = where + "[" + std::to_string(i++) + "]";
            if (!r.is_object()) {
                fail(w, "expected an object");
                continue;
            }
            if (withMark)
                keys(r, w, {"mark", "label", "detail", "if", "unless"});
            else if (withDetail)
                keys(r, w, {"label", "value", "detail", "if", "unless"});
            else
                keys(r, w, {"label", "value", "hide_empty", "if", "unless"});
            TRow row;
            row.label = str(r, "label", w);
            row.value = str(r, "value", w);
            row.detail = str(r, "detail", w);
            row.mark = str(r, "mark", w);
            row.ifPath = path(r, "if", w);
            row.unlessPath = path(r, "unless", w);
            if (r.contains("hide_empty")) {
                if (!r["hide_empty"].is_boolean())
                    fail(at(w, "hide_empty"), "expected true or false");
                else
                    row.hideEmpty = r["hide_empty"].get<bool>();
            }
            out.push_back(std::move(row));
        }
        return out;
    }

    int columns(const Json& b, const std::string& where, int dflt) {
        if (!b.contains("columns")) return dflt;
        if (!b["columns"].is_number_integer() || b["columns"].get<int>() < 1 ||
            b["columns"].get<int>() > 4) {
            fail(at(where, "columns"), "expected a whole number from 1 to 4");
            return dflt;
        }
        return b["columns"].get<int>();
    }

    std::vector<TBlock> blocks(const Json& arr, const std::string& where, bool allowRow) {
        std::vector<TBlock> out;
        std::size_t i = 0;
        for (const Json& b : arr) {
            const std::string w = where + "[" + std::to_string(i++) + "]";
            if (!b.is_object() || !b.contains("type") || !b["type"].is_string()) {
                fail(w, "expected an object with a \"type\"");
                continue;
            }
            TBlock t;
            t.type = b["type"].get<std::string>();
            t.ifPath = path(b, "if", w);
            t.unlessPath = path(b, "unless", w);
            if (t.type == "heading") {
                keys(b, w, {"type", "if", "unless", "text", "right"});
                t.heading = str(b, "text", w);
                t.legend = str(b, "right", w);
            } else if (t.type == "status") {
                keys(b, w, {"type", "if", "unless", "text", "tone", "right"});
                t.text = str(b, "text", w);
                t.tone = str(b, "tone", w);
                t.right = str(b, "right", w);
            } else if (t.type == "facts") {
                keys(b, w, {"type", "if", "unless", "heading", "columns", "rows", "caption"});
                t.heading = str(b, "heading", w);
                t.columns = columns(b, w, 2);
                t.rows = rows(b, "rows", w, false, false);
                t.caption = str(b, "caption", w);
            } else if (t.type == "checklist") {
                keys(b, w, {"type", "if", "unless", "heading", "legend", "details", "items"});
                t.heading = str(b, "heading", w);
                t.legend = str(b, "legend", w);
                t.rows = rows(b, "items", w, true, false);
                if (const Json* d = object(b, "details", at(w, "details"))) {
                    keys(*d, at(w, "details"), {"yes", "no", "unknown"});
                    for (const char* k : {"yes", "no", "unknown"})
                        t.details[k] = str(*d, k, at(w, "details"));
                }
            } else if (t.type == "list") {
                keys(b, w, {"type", "if", "unless", "heading", "items", "text", "empty"});
                t.heading = str(b, "heading", w);
                t.items = path(b, "items", w);
                if (t.items.empty()) fail(at(w, "items"), "expected the view-model path of a list");
                t.text = str(b, "text", w);
                t.empty = str(b, "empty", w);
            } else if (t.type == "paragraph") {
                keys(b, w, {"type", "if", "unless", "heading", "text"});
                t.heading = str(b, "heading", w);
                t.text = str(b, "text", w);
            } else if (t.type == "contacts") {
                keys(b, w, {"type", "if", "unless", "heading", "columns", "rows", "caption"});
                t.heading = str(b, "heading", w);
                t.columns = columns(b, w, 2);
                t.rows = rows(b, "rows", w, false, true);
                t.caption = str(b, "caption", w);
            } else if (t.type == "note") {
                keys(b, w, {"type", "if", "unless", "title", "text"});
                t.title = str(b, "title", w);
                t.text = str(b, "text", w);
            } else if (t.type == "row" && allowRow) {
                keys(b, w, {"type", "if", "unless", "blocks"});
                if (!b.contains("blocks") || !b["blocks"].is_array() || b["blocks"].empty() ||
                    b["blocks"].size() > 3)
                    fail(at(w, "blocks"), "expected an array of 1 to 3 blocks");
                else
                    t.blocks = blocks(b["blocks"], at(w, "blocks"), false);
            } else {
                fail(at(w, "type"),
                     "unknown block type \"" + t.type +
                         "\" (known: heading, status, facts, checklist, list, paragraph, contacts, "
                         "note" +
                         (allowRow ? ", row" : "") + ")");
            }
            out.push_back(std::move(t));
        }
        return out;
    }

    std::string m_source;
    std::optional<Error> m_error;
};

Result<CoverTemplate> loadTemplate(const std::string& path) {
    auto bytes = readFile(path, 4u * 1024u * 1024u);
    if (!bytes) {
        Error e = bytes.error();
        e.message = "cannot read the cover template: " + e.message;
        if (e.where.file.empty()) e.where.file = path;
        return e;
    }
    auto json = parseJson(*bytes, path);
    if (!json) return json.error();
    TemplateParser parser(path);
    CoverTemplate t = parser.parse(*json);
    if (auto e = parser.error()) {
        Error err = *e;
        err.message = "cover template: " + err.message;
        return err;
    }
    return t;
}

// Parsed templates by path, reloaded when the file's time stamp or size changes, so that a
// batch parses the template once while an edit still takes effect on the next render.
Result<std::shared_ptr<const CoverTemplate>> cachedTemplate(const std::string& path) {
    namespace fs = std::filesystem;
    struct Entry {
        fs::file_time_type mtime;
        std::uintmax_t size = 0;
        std::shared_ptr<const CoverTemplate> tmpl;
    };
    static std::mutex mutex;
    static std::map<std::string, Entry> cache;
    std::error_code ec1, ec2;
    const auto mtime = fs::last_write_time(path, ec1);
    const auto size = fs::file_size(path, ec2);
    const bool stamped = !ec1 && !ec2;
    if (stamped) {
        std::lock_guard<std::mutex> lock(mutex);
        auto it = cache.find(path);
        if (it != cache.end() && it->second.mtime == mtime && it->second.size == size)
            return it->second.tmpl;
    }
    auto t = loadTemplate(path);
    if (!t) return t.error();
    auto shared = std::make_shared<const CoverTemplate>(std::move(*t));
    if (stamped) {
        std::lock_guard<std::mutex> lock(mutex);
        cache[path] = Entry{mtime, size, shared};
    }
    return shared;
}

// ================================================================================ mustache

mst::data toData(const Json& j) {
    switch (j.type()) {
        case Json::value_t::object: {
            mst::data d{mst::data::type::object};
            for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), toData(it.value()));
            return d;
        }
        case Json::value_t::array: {
            mst::data d{mst::data::type::list};
            for (const auto& e : j) d.push_back(toData(e));
            return d;
        }
        case Json::value_t::string:
            // An empty text is false, so that {{#x}}…{{/x}} hides its content when x is empty
            // (a false value renders as nothing in {{x}}).
            if (j.get_ref<const std::string&>().empty()) return mst::data{false};
            return mst::data{j.get<std::string>()};
        case Json::value_t::boolean:
            return mst::data{j.get<bool>()};
        case Json::value_t::null:
            return mst::data{false};
        default:
            return mst::data{j.dump()};
    }
}

// Collapses runs of spaces and tabs, trims each line and the whole text, so that an empty
// placeholder leaves no stray blanks behind.
std::string tidy(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    std::size_t pos = 0;
    bool first = true;
    while (pos < s.size()) {
        const std::size_t nl = s.find('\n', pos);
        const std::size_t end = nl == std::string::npos ? s.size() : nl;
        if (!first) out += '\n';
        first = false;
        bool space = false, any = false;
        for (std::size_t i = pos; i < end; ++i) {
            const char c = s[i];
            if (c == ' ' || c == '\t' || c == '\r') {
                space = true;
                continue;
            }
            if (space && any) out += ' ';
            space = false;
            any = true;
            out += c;
        }
        pos = end + 1;
    }
    return text::trim(out);
}

bool truthy(const Json* j) {
    if (!j) return false;
    switch (j->type()) {
        case Json::value_t::boolean:
            return j->get<bool>();
        case Json::value_t::string:
            return !j->get_ref<const std::string&>().empty();
        case Json::value_t::array:
        case Json::value_t::object:
            return !j->empty();
        case Json::value_t::null:
            return false;
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return j->get<double>() != 0;
        default:
            return true;
    }
}

// Renders template texts against the view model. Text goes into a PDF, not HTML: no escaping.
class TextRenderer {
public:
    explicit TextRenderer(const Json& vm) : m_vm(vm), m_root(toData(vm)) {}

    std::string operator()(const std::string& tmpl, const Json* item = nullptr) const {
        if (tmpl.find("{{") == std::string::npos) return tidy(tmpl);
        mst::mustache& m = parsed(tmpl);
        if (!item) return tidy(m.render(m_root));
        const mst::data local = toData(*item);
        mst::context<std::string> ctx{&m_root};
        ctx.push(&local);
        return tidy(m.render(ctx));
    }
    // Renders with extra variables (e.g. page numbers) on top of the view model.
    std::string withExtra(const std::string& tmpl, const Json& extra) const {
        return (*this)(tmpl, &extra);
    }

    // Parsed templates by text, per thread (templates come from the cached cover template, so
    // a worker parses each text once). Bounded; cleared when full.
    static mst::mustache& parsed(const std::string& tmpl) {
        static thread_local std::unordered_map<std::string, std::unique_ptr<mst::mustache>> memo;
        auto it = memo.find(tmpl);
        if (it == memo.end()) {
            if (memo.size() >= 2048) memo.clear();
            auto m = std::make_unique<mst::mustache>(tmpl);
            m->set_custom_escape([](const std::string& s) { return s; });
            it = memo.emplace(tmpl, std::move(m)).first;
        }
        return *it->second;
    }

    bool visible(const std::string& ifPath, const std::string& unlessPath) const {
        if (!ifPath.empty() && !truthy(jsonAt(m_vm, ifPath))) return false;
        if (!unlessPath.empty() && truthy(jsonAt(m_vm, unlessPath))) return false;
        return true;
    }
    const Json& vm() const { return m_vm; }

private:
    const Json& m_vm;
    mst::data m_root;
};

// ================================================================================== layout

using pdf::Color;
using pdf::Document;
using pdf::TextStyle;

constexpr double kPageW = pdf::kLetterWidth;
constexpr double kPageH = pdf::kLetterHeight;
constexpr double kMarginX = 48;
constexpr double kBandH = 66;
constexpr double kContTop = kPageH - 46;
constexpr double kBottom = 56;
constexpr double kFooterRuleY = 44;
constexpr double kBlockGap = 9;

struct Palette {
    Color accent;
    Color text{0.11, 0.12, 0.14};
    Color muted{0.40, 0.42, 0.46};
    Color rule{0.82, 0.84, 0.87};
    Color white{1, 1, 1};
    Color boxFill{0.95, 0.965, 0.98};
    Color yes{0.13, 0.52, 0.29};
    Color no{0.76, 0.19, 0.16};
    Color unknown{0.62, 0.64, 0.67};
};

// A horizontal slice of the page that is drawn in one go; pagination never splits a piece.
struct Piece {
    double height = 0;
    bool keepWithNext = false;  // move to the next page together with the following piece
    bool spacer = false;        // dropped at the top of a page
    std::function<void(Document&, int page, double top)> draw;
};

class CoverLayout {
public:
    CoverLayout(Document& doc, const CoverTemplate& t, const TextRenderer& render)
        : m_doc(doc), m_t(t), m_r(render) {
        m_p.accent = t.accent;
        const double fs = t.fontSize;
        m_body = {pdf::FontFace::Regular, fs, m_p.text};
        m_bold = {pdf::FontFace::Bold, fs, m_p.text};
        m_small = {pdf::FontFace::Regular, fs - 1.5, m_p.muted};
        m_value = {pdf::FontFace::Regular, fs + 0.5, m_p.text};
        m_heading = {pdf::FontFace::Bold, fs + 2, t.accent};
    }

    // Lays out every visible block and draws the pages, header and footers.
    void run() {
        std::vector<Piece> pieces;
        const double w = kPageW - 2 * kMarginX;
        bool first = true;
        for (const TBlock& b : m_t.blocks) {
            if (!m_r.visible(b.ifPath, b.unlessPath)) continue;
            auto ps = block(b, kMarginX, w);
            if (ps.empty()) continue;
            if (!first) pieces.push_back(spacer(kBlockGap));
            first = false;
            for (auto& p : ps) pieces.push_back(std::move(p));
        }
        paginate(pieces);
        decorate();
    }

private:
    static double lh(const TextStyle& s) { return Document::lineHeight(s.size); }

    Piece spacer(double h) const {
        Piece p;
        p.height = h;
        p.spacer = true;
        p.draw = [](Document&, int, double) {};
        return p;
    }

    std::vector<std::string> wrap(const std::string& s, double width, const TextStyle& st) const {
        if (s.empty()) return {};
        return m_doc.wrapText(s, width, st);
    }

    // Table cells and boxes are never split across pages, so an absurdly long value is cut
    // (with an ellipsis) rather than run off the page. Paragraphs are not limited.
    static std::vector<std::string> clamp(std::vector<std::string> ls, std::size_t maxLines = 12) {
        if (ls.size() > maxLines) {
            ls.resize(maxLines);
            ls.back() += " …";
        }
        return ls;
    }

    // Draws lines from `top` (the top of the first line box) downwards.
    static void lines(Document& d, int page, double x, double top,
                      const std::vector<std::string>& ls, const TextStyle& st,
                      pdf::Align align = pdf::Align::Left) {
        double y = top - d.ascent(st.size);
        for (const auto& l : ls) {
            d.drawText(page, x, y, l, st, align);
            y -= Document::lineHeight(st.size);
        }
    }

    Piece headingPiece(const std::string& text, const std::string& right, double x,
                       double w) const {
        const TextStyle hs = m_heading;
        TextStyle rs = m_small;
        rs.size = m_small.size;
        const double rw = right.empty() ? 0 : m_doc.textWidth(right, rs) + 12;
        auto ls = clamp(wrap(text, std::max(60.0, w - rw), hs), 4);
        Piece p;
        p.keepWithNext = true;
        p.height = 3 + static_cast<double>(std::max<std::size_t>(1, ls.size())) * lh(hs) + 5;
        const Color rule = m_p.accent;
        const double h = p.height;
        p.draw = [=](Document& d, int page, double top) {
            lines(d, page, x, top - 3, ls, hs);
            if (!right.empty())
                lines(d, page, x + w, top - 3 - (hs.size - rs.size) * 0.8, {right}, rs,
                      pdf::Align::Right);
            d.drawLine(page, x, top - h + 3, x + w, top - h + 3, 0.8, rule);
        };
        return p;
    }

    std::vector<Piece> block(const TBlock& b, double x, double w) {
        if (b.type == "heading") return {headingPiece(m_r(b.heading), m_r(b.legend), x, w)};
        if (b.type == "status") return {status(b, x, w)};
        if (b.type == "facts") return facts(b, x, w);
        if (b.type == "checklist") return checklist(b, x, w);
        if (b.type == "list") return list(b, x, w);
        if (b.type == "paragraph") return paragraph(b, x, w);
        if (b.type == "contacts") return {contacts(b, x, w)};
        if (b.type == "note") return {note(b, x, w)};
        if (b.type == "row") return row(b, x, w);
        return {};
    }

    void withHeading(std::vector<Piece>& out, const std::string& headingTmpl, double x, double w,
                     const std::string& right = {}) {
        const std::string h = m_r(headingTmpl);
        if (!h.empty()) out.push_back(headingPiece(h, right, x, w));
    }

    Piece status(const TBlock& b, double x, double w) const {
        const std::string text = m_r(b.text), right = m_r(b.right), tone = m_r(b.tone);
        Color fill{0.94, 0.95, 0.96}, strong = m_p.muted;
        if (tone == "approved") fill = {0.90, 0.96, 0.92}, strong = m_p.yes;
        if (tone == "draft") fill = {1.0, 0.955, 0.86}, strong = {0.78, 0.50, 0.04};
        if (tone == "alert") fill = {0.99, 0.91, 0.90}, strong = m_p.no;
        TextStyle ts = m_bold;
        ts.size = m_bold.size + 1.5;
        TextStyle rs = m_body;
        rs.color = m_p.muted;
        const double rw = right.empty() ? 0 : m_doc.textWidth(right, rs) + 16;
        auto ls = clamp(wrap(text, w - 22 - rw, ts), 4);
        Piece p;
        p.height = std::max<std::size_t>(1, ls.size()) * lh(ts) + 14;
        const double h = p.height;
        p.draw = [=](Document& d, int page, double top) {
            d.fillRect(page, {x, top - h, w, h}, fill);
            d.fillRect(page, {x, top - h, 4, h}, strong);
            TextStyle t2 = ts;
            t2.color = strong;
            lines(d, page, x + 14, top - 7, ls, t2);
            if (!right.empty())
                lines(d, page, x + w - 10, top - 7 - (ts.size - rs.size) * 0.5, {right}, rs,
                      pdf::Align::Right);
        };
        return p;
    }

    struct Cell {
        std::vector<std::string> label, value;
    };

    std::vector<Piece> facts(const TBlock& b, double x, double w) {
        std::vector<Piece> out;
        withHeading(out, b.heading, x, w);
        const int n = b.columns;
        const double gap = 18;
        const double cw = (w - gap * (n - 1)) / n;
        std::vector<Cell> cells;
        for (const TRow& r : b.rows) {
            if (!m_r.visible(r.ifPath, r.unlessPath)) continue;
            std::string value = m_r(r.value);
            if (value.empty() && r.hideEmpty) continue;
            if (value.empty()) value = "—";
            cells.push_back(
                {clamp(wrap(m_r(r.label), cw, m_small)), clamp(wrap(value, cw, m_value))});
        }
        const TextStyle ls = m_small, vs = m_value;
        const Color rule = m_p.rule;
        for (std::size_t i = 0; i < cells.size(); i += static_cast<std::size_t>(n)) {
            std::vector<Cell> rowCells(
                cells.begin() + static_cast<long>(i),
                cells.begin() +
                    static_cast<long>(std::min(cells.size(), i + static_cast<std::size_t>(n))));
            // Values of one row start on the same line even when a label wraps.
            std::size_t labelLines = 0, valueLines = 0;
            for (const Cell& c : rowCells) {
                labelLines = std::max(labelLines, c.label.size());
                valueLines = std::max(valueLines, c.value.size());
            }
            const double labelH = static_cast<double>(labelLines) * lh(ls);
            Piece p;
            p.height = labelH + 1 + static_cast<double>(valueLines) * lh(vs) + 7;
            const double ph = p.height;
            p.draw = [=](Document& d, int page, double top) {
                for (std::size_t k = 0; k < rowCells.size(); ++k) {
                    const double cx = x + static_cast<double>(k) * (cw + gap);
                    const double lt =
                        top - 3 + static_cast<double>(rowCells[k].label.size()) * lh(ls) - labelH;
                    lines(d, page, cx, lt, rowCells[k].label, ls);
                    lines(d, page, cx, top - 3 - labelH - 1, rowCells[k].value, vs);
                }
                d.drawLine(page, x, top - ph + 0.5, x + w, top - ph + 0.5, 0.4, rule);
            };
            out.push_back(std::move(p));
        }
        if (const std::string cap = m_r(b.caption); !cap.empty()) out.push_back(caption(cap, x, w));
        return out;
    }

    Piece caption(const std::string& text, double x, double w) const {
        auto ls = wrap(text, w, m_small);
        Piece p;
        p.height = static_cast<double>(ls.size()) * lh(m_small) + 4;
        const TextStyle st = m_small;
        p.draw = [=](Document& d, int page, double top) { lines(d, page, x, top - 4, ls, st); };
        return p;
    }

    std::vector<Piece> checklist(const TBlock& b, double x, double w) {
        std::vector<Piece> out;
        withHeading(out, b.heading, x, w, m_r(b.legend));
        const double box = m_t.fontSize + 2;
        const double labelX = x + box + 8;
        const double detailX = x + w * 0.37;
        const double labelW = detailX - labelX - 8;
        const double detailW = x + w - detailX;
        const TextStyle ls = m_bold, ds = m_body;
        const Palette pal = m_p;
        for (const TRow& r : b.rows) {
            if (!m_r.visible(r.ifPath, r.unlessPath)) continue;
            std::string mark = m_r(r.mark);
            if (mark != "yes" && mark != "no") mark = "unknown";
            std::string detail = m_r(r.detail);
            if (detail.empty()) {
                auto it = b.details.find(mark);
                if (it != b.details.end()) detail = m_r(it->second);
            }
            auto labelLines = clamp(wrap(m_r(r.label), labelW, ls));
            auto detailLines = clamp(wrap(detail, detailW, ds));
            const double textH = static_cast<double>(std::max<std::size_t>(
                                     {1, labelLines.size(), detailLines.size()})) *
                                 lh(ls);
            Piece p;
            p.height = std::max(textH, box) + 5;
            const double ph = p.height;
            p.draw = [=](Document& d, int page, double top) {
                const Color fill = mark == "yes" ? pal.yes : mark == "no" ? pal.no : pal.unknown;
                const double by = top - 2.5 - box;
                d.fillRect(page, {x, by, box, box}, fill);
                TextStyle gs{pdf::FontFace::Bold, box * 0.8, pal.white};
                const char* glyph = mark == "yes" ? "✓" : mark == "no" ? "✗" : "—";
                d.drawText(page, x + box / 2, by + box * 0.22, glyph, gs, pdf::Align::Center);
                lines(d, page, labelX, top - 2.5, labelLines, ls);
                TextStyle dd = ds;
                if (mark == "unknown") dd.color = pal.muted;
                lines(d, page, detailX, top - 2.5, detailLines, dd);
                d.drawLine(page, x, top - ph + 0.5, x + w, top - ph + 0.5, 0.4, pal.rule);
            };
            out.push_back(std::move(p));
        }
        return out;
    }

    std::vector<Piece> list(const TBlock& b, double x, double w) {
        std::vector<Piece> out;
        withHeading(out, b.heading, x, w);
        const Json* items = jsonAt(m_r.vm(), b.items);
        const TextStyle st = m_body;
        std::vector<std::string> texts;
        if (items && items->is_array())
            for (const Json& item : *items) {
                std::string t = m_r(b.text.empty() ? "{{.}}" : b.text, &item);
                if (!t.empty()) texts.push_back(std::move(t));
            }
        if (texts.empty()) {
            const std::string e = m_r(b.empty);
            if (e.empty()) return {};
            auto ls = wrap(e, w, st);
            Piece p;
            p.height = static_cast<double>(ls.size()) * lh(st) + 5;
            TextStyle ms = st;
            ms.color = m_p.muted;
            p.draw = [=](Document& d, int page, double top) { lines(d, page, x, top - 3, ls, ms); };
            out.push_back(std::move(p));
            return out;
        }
        for (const auto& t : texts) {
            auto ls = clamp(wrap(t, w - 12, st), 40);
            Piece p;
            p.height = static_cast<double>(ls.size()) * lh(st) + 3;
            const Color bullet = m_p.accent;
            p.draw = [=](Document& d, int page, double top) {
                TextStyle bs = st;
                bs.color = bullet;
                lines(d, page, x + 2, top - 2, {"•"}, bs);
                lines(d, page, x + 12, top - 2, ls, st);
            };
            out.push_back(std::move(p));
        }
        return out;
    }

    std::vector<Piece> paragraph(const TBlock& b, double x, double w) {
        std::vector<Piece> out;
        withHeading(out, b.heading, x, w);
        const TextStyle st = m_body;
        auto ls = wrap(m_r(b.text), w, st);
        // One piece per line so that a long text flows onto the next page.
        for (std::size_t i = 0; i < ls.size(); ++i) {
            Piece p;
            p.height = lh(st) + (i == 0 ? 3 : 0);
            const std::string line = ls[i];
            const double off = i == 0 ? 3 : 0;
            p.draw = [=](Document& d, int page, double top) {
                lines(d, page, x, top - off, {line}, st);
            };
            out.push_back(std::move(p));
        }
        return out;
    }

    // One contact per line: label | value, then the detail after the value (or below it).
    Piece contactTable(const TBlock& b, double x, double w) {
        const double pad = 10;
        TextStyle hs = m_heading;
        hs.size = m_heading.size - 0.5;
        TextStyle ls = m_body;
        ls.color = m_p.muted;
        const TextStyle vs = m_bold;
        const TextStyle ds = m_small;
        auto head = wrap(m_r(b.heading), w - 2 * pad, hs);
        struct Line {
            std::string label, value;
            std::vector<std::string> detail;
            bool detailBelow = false;
            double valueW = 0;
            double height = 0;
        };
        std::vector<Line> rows;
        double labelW = 0;
        for (const TRow& r : b.rows) {
            if (!m_r.visible(r.ifPath, r.unlessPath)) continue;
            Line l;
            l.label = m_r(r.label);
            l.value = m_r(r.value);
            if (l.value.empty()) continue;
            labelW = std::max(labelW, m_doc.textWidth(l.label, ls));
            rows.push_back(std::move(l));
        }
        const double inner = w - 2 * pad;
        labelW = std::min(labelW + 14, inner * 0.4);
        const double valueX = labelW;
        std::size_t k = 0;
        for (const TRow& r : b.rows) {
            if (!m_r.visible(r.ifPath, r.unlessPath) || m_r(r.value).empty()) continue;
            Line& l = rows[k++];
            l.valueW = m_doc.textWidth(l.value, vs);
            const std::string detail = m_r(r.detail);
            const double after = inner - valueX - l.valueW - 10;
            l.detailBelow = after < 120;
            l.detail = clamp(wrap(detail, l.detailBelow ? inner - valueX : after, ds));
            const double valueH =
                l.valueW > inner - valueX
                    ? static_cast<double>(wrap(l.value, inner - valueX, vs).size()) * lh(vs)
                    : lh(vs);
            l.height = l.detailBelow
                           ? valueH + static_cast<double>(l.detail.size()) * lh(ds)
                           : std::max(valueH, static_cast<double>(l.detail.size()) * lh(ds));
        }
        auto cap = wrap(m_r(b.caption), inner, ds);
        double height = pad + static_cast<double>(head.size()) * lh(hs) + (head.empty() ? 0 : 3);
        for (const Line& l : rows) height += l.height + 2;
        height += static_cast<double>(cap.size()) * lh(ds) + pad - 2;
        Piece p;
        p.height = height;
        const Palette pal = m_p;
        p.draw = [=](Document& d, int page, double top) {
            d.fillRect(page, {x, top - height, w, height}, pal.boxFill);
            d.strokeRect(page, {x, top - height, w, height}, 0.6, pal.rule);
            double y = top - pad;
            lines(d, page, x + pad, y, head, hs);
            y -= static_cast<double>(head.size()) * lh(hs) + (head.empty() ? 0 : 3);
            for (const Line& l : rows) {
                const double lx = x + pad, vx = x + pad + valueX;
                lines(d, page, lx, y, {l.label}, ls);
                auto vl = d.wrapText(l.value, inner - valueX, vs);
                lines(d, page, vx, y, vl, vs);
                if (l.detailBelow)
                    lines(d, page, vx, y - static_cast<double>(vl.size()) * lh(vs), l.detail, ds);
                else
                    lines(d, page, vx + l.valueW + 10, y - (vs.size - ds.size) * 0.75, l.detail,
                          ds);
                y -= l.height + 2;
            }
            lines(d, page, x + pad, y, cap, ds);
        };
        return p;
    }

    Piece contacts(const TBlock& b, double x, double w) {
        if (b.columns == 1) return contactTable(b, x, w);
        const double pad = 10;
        const int n = b.columns;
        const double gap = 14;
        const double cw = (w - 2 * pad - gap * (n - 1)) / n;
        TextStyle hs = m_heading;
        hs.size = m_heading.size - 0.5;
        const TextStyle ls = m_small;
        TextStyle vs = m_bold;
        const TextStyle ds = m_small;
        auto head = wrap(m_r(b.heading), w - 2 * pad, hs);
        std::vector<std::array<std::vector<std::string>, 3>> cells;
        for (const TRow& r : b.rows) {
            if (!m_r.visible(r.ifPath, r.unlessPath)) continue;
            const std::string value = m_r(r.value);
            if (value.empty()) continue;
            cells.push_back({clamp(wrap(m_r(r.label), cw, ls)), clamp(wrap(value, cw, vs)),
                             clamp(wrap(m_r(r.detail), cw, ds))});
        }
        auto cellH = [&](const std::array<std::vector<std::string>, 3>& c) {
            return static_cast<double>(c[0].size()) * lh(ls) +
                   static_cast<double>(c[1].size()) * lh(vs) +
                   static_cast<double>(c[2].size()) * lh(ds);
        };
        std::vector<double> rowH;
        for (std::size_t i = 0; i < cells.size(); i += static_cast<std::size_t>(n)) {
            double h = 0;
            for (std::size_t k = i; k < std::min(cells.size(), i + static_cast<std::size_t>(n));
                 ++k)
                h = std::max(h, cellH(cells[k]));
            rowH.push_back(h);
        }
        auto cap = wrap(m_r(b.caption), w - 2 * pad, ds);
        double height = pad + static_cast<double>(head.size()) * lh(hs) + (head.empty() ? 0 : 4);
        for (double h : rowH) height += h + 7;
        height += static_cast<double>(cap.size()) * lh(ds) + pad - 4;
        Piece p;
        p.height = height;
        const Palette pal = m_p;
        p.draw = [=](Document& d, int page, double top) {
            d.fillRect(page, {x, top - height, w, height}, pal.boxFill);
            d.strokeRect(page, {x, top - height, w, height}, 0.6, pal.rule);
            double y = top - pad;
            lines(d, page, x + pad, y, head, hs);
            y -= static_cast<double>(head.size()) * lh(hs) + (head.empty() ? 0 : 4);
            for (std::size_t r = 0; r < rowH.size(); ++r) {
                for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k) {
                    const std::size_t i = r * static_cast<std::size_t>(n) + k;
                    if (i >= cells.size()) break;
                    const double cx = x + pad + static_cast<double>(k) * (cw + gap);
                    double cy = y;
                    lines(d, page, cx, cy, cells[i][0], ls);
                    cy -= static_cast<double>(cells[i][0].size()) * lh(ls);
                    lines(d, page, cx, cy, cells[i][1], vs);
                    cy -= static_cast<double>(cells[i][1].size()) * lh(vs);
                    lines(d, page, cx, cy, cells[i][2], ds);
                }
                y -= rowH[r] + 7;
            }
            lines(d, page, x + pad, y, cap, ds);
        };
        return p;
    }

    Piece note(const TBlock& b, double x, double w) {
        const double pad = 9;
        TextStyle ts = m_bold;
        ts.color = m_p.accent;
        const TextStyle bs = m_body;
        auto title = clamp(wrap(m_r(b.title), w - 2 * pad - 4, ts), 4);
        auto body = clamp(wrap(m_r(b.text), w - 2 * pad - 4, bs), 40);
        const double height = 2 * pad + static_cast<double>(title.size()) * lh(ts) +
                              (title.empty() || body.empty() ? 0 : 2) +
                              static_cast<double>(body.size()) * lh(bs);
        Piece p;
        p.height = height;
        const Palette pal = m_p;
        p.draw = [=](Document& d, int page, double top) {
            d.fillRect(page, {x, top - height, w, height}, {0.93, 0.95, 0.985});
            d.fillRect(page, {x, top - height, 4, height}, pal.accent);
            double y = top - pad;
            lines(d, page, x + pad + 4, y, title, ts);
            y -= static_cast<double>(title.size()) * lh(ts) +
                 (title.empty() || body.empty() ? 0 : 2);
            lines(d, page, x + pad + 4, y, body, bs);
        };
        return p;
    }

    // Children side by side, kept together on one page.
    std::vector<Piece> row(const TBlock& b, double x, double w) {
        const double gap = 18;
        std::vector<const TBlock*> visible;
        for (const TBlock& c : b.blocks)
            if (m_r.visible(c.ifPath, c.unlessPath)) visible.push_back(&c);
        const std::size_t n = visible.size();
        if (n == 0) return {};
        const double cw = (w - gap * static_cast<double>(n - 1)) / static_cast<double>(n);
        std::vector<std::vector<Piece>> cols;
        double height = 0;
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<Piece> ps = block(*visible[i], x + static_cast<double>(i) * (cw + gap), cw);
            double h = 0;
            for (const auto& p : ps) h += p.height;
            height = std::max(height, h);
            cols.push_back(std::move(ps));
        }
        Piece p;
        p.height = height;
        p.draw = [cols](Document& d, int page, double top) {
            for (const auto& col : cols) {
                double y = top;
                for (const auto& piece : col) {
                    piece.draw(d, page, y);
                    y -= piece.height;
                }
            }
        };
        return {p};
    }

    void paginate(const std::vector<Piece>& pieces) {
        int page = m_doc.addPage();
        double y = kPageH - kBandH - 14;
        bool atTop = true;
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            const Piece& p = pieces[i];
            if (p.spacer && atTop) continue;
            double need = p.height;
            for (std::size_t j = i; j + 1 < pieces.size() && pieces[j].keepWithNext; ++j)
                need += pieces[j + 1].height;
            if (y - need < kBottom && !atTop) {
                page = m_doc.addPage();
                y = kContTop;
                atTop = true;
                if (p.spacer) continue;
            }
            p.draw(m_doc, page, y);
            y -= p.height;
            atTop = false;
        }
    }

    void decorate() {
        const int pages = m_doc.pageCount();
        const double w = kPageW - 2 * kMarginX;
        // Title band on the first page.
        m_doc.fillRect(0, {0, kPageH - kBandH, kPageW, kBandH}, m_p.accent);
        const TextStyle title{pdf::FontFace::Bold, 19, m_p.white};
        const TextStyle sub{pdf::FontFace::Regular, m_t.fontSize, {0.84, 0.89, 0.95}};
        const TextStyle right{pdf::FontFace::Regular, m_t.fontSize, m_p.white};
        std::vector<std::string> rightLines;
        {
            const std::string text = m_r(m_t.headerRight);
            for (std::size_t pos = 0; pos < text.size();) {  // lines as std::getline gives them
                const std::size_t nl = std::min(text.find('\n', pos), text.size());
                rightLines.push_back(text.substr(pos, nl - pos));
                pos = nl + 1;
            }
        }
        double rw = 0;
        for (const auto& l : rightLines) rw = std::max(rw, m_doc.textWidth(l, right));
        const double leftW = w - (rw > 0 ? rw + 16 : 0);
        auto tl = wrap(m_r(m_t.headerTitle), leftW, title);
        if (tl.size() > 1) tl.resize(1);
        auto sl = wrap(m_r(m_t.headerSubtitle), leftW, sub);
        if (sl.size() > 2) sl.resize(2);
        const double titleTop = kPageH - (sl.size() > 1 ? 14 : 18);
        lines(m_doc, 0, kMarginX, titleTop, tl, title);
        lines(m_doc, 0, kMarginX, titleTop - lh(title) - 2, sl, sub);
        lines(m_doc, 0, kPageW - kMarginX, kPageH - 22, rightLines, right, pdf::Align::Right);

        const std::string cont = m_r(m_t.continued);
        for (int page = 0; page < pages; ++page) {
            if (page > 0) {
                m_doc.fillRect(page, {0, kPageH - 8, kPageW, 8}, m_p.accent);
                TextStyle cs = m_small;
                lines(m_doc, page, kMarginX, kPageH - 20, wrap(cont, w, cs), cs);
            }
            Json extra = {{"page", std::to_string(page + 1)}, {"pages", std::to_string(pages)}};
            const std::string fr = m_r.withExtra(m_t.footerRight, extra);
            TextStyle fs = m_small;
            fs.size = m_t.fontSize - 2;
            const double frw = fr.empty() ? 0 : m_doc.textWidth(fr, fs) + 14;
            auto fl = wrap(m_r.withExtra(m_t.footerLeft, extra), w - frw, fs);
            if (fl.size() > 2) fl.resize(2);
            m_doc.drawLine(page, kMarginX, kFooterRuleY, kPageW - kMarginX, kFooterRuleY, 0.5,
                           m_p.rule);
            lines(m_doc, page, kMarginX, kFooterRuleY - 5, fl, fs);
            lines(m_doc, page, kPageW - kMarginX, kFooterRuleY - 5, {fr}, fs, pdf::Align::Right);
        }
    }

    Document& m_doc;
    const CoverTemplate& m_t;
    const TextRenderer& m_r;
    Palette m_p;
    TextStyle m_body, m_bold, m_small, m_value, m_heading;
};

}  // namespace

// ================================================================================= public

Status checkCoverTemplate(const std::string& path) {
    auto t = loadTemplate(path);
    if (!t) return t.error();
    return Ok{};
}

Result<std::string> renderCoverPdf(const Record& record, const CoverOptions& options) {
    try {
        const Date today = options.today.value_or(Date::today());
        const std::string path =
            options.templatePath.empty() ? dataPath("templates/cover.json") : options.templatePath;
        auto cached = cachedTemplate(path);
        if (!cached) return cached.error();
        const std::shared_ptr<const CoverTemplate> tmpl = *cached;

        std::shared_ptr<const pdf::FontSet> fonts = options.fonts;
        if (!fonts) fonts = pdf::FontSet::shared();
        if (!fonts)
            return Error{
                "cannot render the cover summary: the fonts are missing (install "
                "fonts-dejavu-core)",
                {}};

        std::vector<Issue> issues;
        if (options.issues) {
            issues = *options.issues;
        } else {
            ValidationOptions vo;
            vo.today = today;
            issues = validateRecord(record, vo);
        }
        const Json vm = coverViewModel(record, issues, today);
        const TextRenderer render(vm);

        pdf::Document doc(fonts);
        CoverLayout layout(doc, *tmpl, render);
        layout.run();

        // /Info is shown by file managers, search indexers and document systems without
        // opening the file, so it carries the record id only, never the victim's name.
        pdf::DocumentInfo info;
        info.title = render(tmpl->metaTitle);
        info.subject = render(tmpl->metaSubject);
        info.keywords = render(tmpl->metaKeywords);
        info.date = today.iso();
        doc.setInfo(info);
        doc.attachFile(
            "record.json",
            options.attachmentJson.empty() ? dumpPretty(record.json()) : options.attachmentJson,
            "application/json", "lecert record (contains victim information)");

        pdf::WriteOptions wo;
        wo.flatten = options.flatten;
        if (options.draft) {
            wo.watermark = render(tmpl->watermark);
            if (wo.watermark.empty()) wo.watermark = "DRAFT – NOT FOR SIGNATURE";
        }
        return doc.write(wo);
    } catch (const std::exception& e) {
        return Error{std::string("cannot render the cover summary: ") + e.what(), {}};
    } catch (...) {
        return Error{"cannot render the cover summary: unexpected failure", {}};
    }
}

}  // namespace lecert
