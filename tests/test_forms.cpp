// SPDX-License-Identifier: MIT
// Every forms/*.json against the record format (core/record_schema.h): paths exist and belong
// to the form, every key of the format is covered, options equal the enumerations, show_if
// paths exist, ids are unique.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/model/contacts.h"
#include "core/model/form_definition.h"
#include "core/model/record.h"
#include "core/model/record_schema.h"

using namespace lecert;

namespace {

std::string patternOf(const std::string& path) {
    auto p = FieldPath::parse(path);
    REQUIRE(p);
    return p->pattern();
}

bool kindFits(ItemKind kind, ValueType type) {
    switch (kind) {
        case ItemKind::Text:
            return type == ValueType::String || type == ValueType::Text;
        case ItemKind::Multiline:
            return type == ValueType::Text || type == ValueType::String;
        case ItemKind::Date:
            return type == ValueType::Date;
        case ItemKind::YesNo:
            return type == ValueType::Boolean;
        case ItemKind::Choice:
            return type == ValueType::Enum;
        case ItemKind::MultiChoice:
            return type == ValueType::EnumList;
        case ItemKind::Group:
            return type == ValueType::ObjectList || type == ValueType::DateList;
        case ItemKind::Signature:
            return false;
    }
    return false;
}

struct Loaded {
    std::string file;
    FormDefinition def;
    FormId form;
};

std::vector<Loaded> loadAll() {
    std::vector<Loaded> out;
    for (const auto& file : formDefinitionFiles()) {
        auto def = loadFormDefinitionFile(file);
        if (!def) FAIL(def.error().toString());
        const auto form = formFromString(def->form);
        INFO(file);
        REQUIRE(form);
        out.push_back({file, std::move(*def), *form});
    }
    return out;
}

// Calls f(item, pattern, spec-or-null) for every item and group sub-item with a record path.
void forEachPath(
    const FormDefinition& def,
    const std::function<void(const FormItem&, const std::string&, const FieldSpec*)>& f) {
    for (const auto& part : def.parts) {
        for (const auto& item : part.items) {
            if (item.kind == ItemKind::Signature) continue;
            const std::string pattern = patternOf(item.path);
            f(item, pattern, findSpec(pattern));
            for (const auto& sub : item.fields) {
                const std::string subPattern =
                    sub.path.empty() ? pattern + "[]" : pattern + "[]." + sub.path;
                // Arrays of plain values ("crime.dates") have no spec of their own per element.
                f(sub, subPattern, sub.path.empty() ? findSpec(pattern) : findSpec(subPattern));
            }
        }
    }
}

}  // namespace

TEST_CASE("the forms folder holds both forms and they load", "[forms]") {
    const auto files = formDefinitionFiles();
    std::set<std::string> names;
    for (const auto& f : files) {
        const std::filesystem::path p(f);
        names.insert(p.parent_path().parent_path().filename().string() + "/" +
                     p.parent_path().filename().string() + "/" + p.filename().string());
    }
    CHECK(names.count("i918b/2025-01-20/worksheet.json") == 1);
    CHECK(names.count("i914b/2025-01-20/worksheet.json") == 1);
    std::set<std::string> forms;
    for (const auto& l : loadAll()) {
        INFO(l.file);
        forms.insert(l.def.form);
        CHECK(std::filesystem::path(l.file).parent_path().parent_path().filename() == l.def.form);
        CHECK(std::filesystem::path(l.file).parent_path().filename() == l.def.edition);
        CHECK(isSupportedEdition(l.form, l.def.edition));
        CHECK(l.def.edition == newestEdition(l.form));
        CHECK_FALSE(l.def.title.empty());
        CHECK_FALSE(l.def.parts.empty());
    }
    CHECK(forms == std::set<std::string>{"i914b", "i918b"});
    // The shipped definitions are the ones the app uses.
    for (FormId f : {FormId::I918B, FormId::I914B}) {
        auto def = formDefinition(f);
        REQUIRE(def.ok());
        CHECK((*def)->form == formToString(f));
    }
}

TEST_CASE("every item path exists in the record format and applies to the form", "[forms]") {
    for (const auto& l : loadAll()) {
        forEachPath(l.def,
                    [&](const FormItem& item, const std::string& pattern, const FieldSpec* spec) {
                        INFO(l.file << ": item " << item.id << " path " << pattern);
                        REQUIRE(spec);
                        CHECK(spec->appliesTo(l.form));
                        CHECK(spec->type != ValueType::Object);
                        if (!(item.kind == ItemKind::Date && spec->type == ValueType::DateList)) {
                            CHECK(kindFits(item.kind, spec->type));
                        }
                    });
    }
}

TEST_CASE("every key of the record format for the form is covered by an item", "[forms]") {
    for (const auto& l : loadAll()) {
        std::set<std::string> covered;
        forEachPath(l.def, [&](const FormItem&, const std::string& pattern, const FieldSpec*) {
            covered.insert(pattern);
        });
        for (const auto& spec : recordSchema()) {
            if (!spec.appliesTo(l.form)) continue;
            const std::string& p = spec.pattern;
            if (p == "form" || p == "edition" || p == "id" || p == "review" ||
                p.rfind("review.", 0) == 0)
                continue;
            INFO(l.file << ": " << p);
            if (covered.count(p)) continue;
            if (spec.type == ValueType::Object || spec.type == ValueType::ObjectList) {
                // A container: its children must be covered (checked on their own); it needs at
                // least one.
                bool child = false;
                for (const auto& c : covered) {
                    if (c.rfind(p + ".", 0) == 0 || c.rfind(p + "[].", 0) == 0) child = true;
                }
                CHECK(child);
                continue;
            }
            FAIL_CHECK("not covered by any item");
        }
    }
}

TEST_CASE("choice options equal the enumerations of the record format", "[forms]") {
    for (const auto& l : loadAll()) {
        forEachPath(
            l.def, [&](const FormItem& item, const std::string& pattern, const FieldSpec* spec) {
                if (!spec) return;
                INFO(l.file << ": item " << item.id << " path " << pattern);
                if (item.kind != ItemKind::Choice && item.kind != ItemKind::MultiChoice) {
                    CHECK(item.options.empty());
                    return;
                }
                std::vector<std::string> values;
                std::set<std::string> unique;
                for (const auto& o : item.options) {
                    values.push_back(o.value);
                    unique.insert(o.value);
                    CHECK_FALSE(o.label.empty());
                }
                CHECK(unique.size() == values.size());  // no option twice
                CHECK(unique == std::set<std::string>(spec->values.begin(), spec->values.end()));
            });
    }
}

TEST_CASE("show_if conditions read existing paths of the form with valid values", "[forms]") {
    for (const auto& l : loadAll()) {
        std::function<void(const Condition&, const std::string&)> checkCondition =
            [&](const Condition& c, const std::string& id) {
                for (const auto& child : c.children) checkCondition(child, id);
                if (c.op == Condition::Op::All || c.op == Condition::Op::Any) {
                    CHECK_FALSE(c.children.empty());
                    return;
                }
                INFO(l.file << ": show_if of " << id << " reads " << c.path);
                const FieldSpec* spec = findSpec(patternOf(c.path));
                REQUIRE(spec);
                CHECK(spec->appliesTo(l.form));
                std::vector<Json> values = c.values;
                if (c.op != Condition::Op::In) values.push_back(c.value);
                CHECK_FALSE(values.empty());
                for (const auto& v : values) {
                    INFO("value " << v.dump());
                    if (spec->type == ValueType::Boolean) {
                        CHECK(v.is_boolean());
                    } else if (spec->type == ValueType::Enum || spec->type == ValueType::EnumList) {
                        REQUIRE(v.is_string());
                        CHECK(std::find(spec->values.begin(), spec->values.end(),
                                        v.get<std::string>()) != spec->values.end());
                    }
                }
                if (c.op == Condition::Op::Contains) CHECK(spec->type == ValueType::EnumList);
            };
        for (const auto& part : l.def.parts) {
            for (const auto& item : part.items) {
                if (item.showIf) checkCondition(*item.showIf, item.id);
                for (const auto& sub : item.fields) {
                    if (sub.showIf) checkCondition(*sub.showIf, sub.id);
                }
            }
        }
    }
}

TEST_CASE("part ids and item ids are unique", "[forms]") {
    for (const auto& l : loadAll()) {
        INFO(l.file);
        std::set<std::string> parts;
        std::set<std::string> items;
        for (const auto& part : l.def.parts) {
            CHECK_FALSE(part.id.empty());
            INFO("part " << part.id);
            CHECK(parts.insert(part.id).second);
            for (const auto& item : part.items) {
                INFO("item " << item.id);
                CHECK_FALSE(item.id.empty());
                CHECK(items.insert(item.id).second);
                for (const auto& sub : item.fields) {
                    if (sub.id.empty()) continue;
                    INFO("sub-item " << sub.id);
                    CHECK(items.insert(sub.id).second);
                }
            }
        }
    }
}

TEST_CASE("itemForPath and partForPath find items by record path", "[forms]") {
    auto def = formDefinition(FormId::I918B);
    REQUIRE(def.ok());
    const FormItem* dob = (*def)->itemForPath("victim.date_of_birth");
    REQUIRE(dob);
    CHECK(dob->kind == ItemKind::Date);
    const FormItem* rel = (*def)->itemForPath("family.members[2].relationship");
    REQUIRE(rel);
    CHECK(rel->path == "relationship");
    REQUIRE((*def)->partForPath("crime.dates[3]"));
    CHECK((*def)->partForPath("crime.dates[3]")->id == "crime");
    CHECK((*def)->itemForPath("trafficking.types") == nullptr);
}

TEST_CASE("show_if conditions follow the record", "[forms]") {
    auto def = formDefinition(FormId::I918B);
    REQUIRE(def.ok());
    const FormItem* head = (*def)->itemForPath("agency.head.family_name");
    const FormItem* sponsor = (*def)->itemForPath("assistance.continued_presence.federal_sponsor");
    const FormItem* other = (*def)->itemForPath("assistance.services_other");
    const FormItem* citation = (*def)->itemForPath("crime.extraterritorial_citation");
    REQUIRE(head);
    REQUIRE(sponsor);
    REQUIRE(other);
    REQUIRE(citation);
    Record r(
        Json::parse(R"({"form": "i918b", "agency": {"type": "local", "official": {"role": "head"}},
        "assistance": {"continued_presence": {"status": "not_requested"}, "services": ["legal"]},
        "crime": {"occurred_in_us": true}})"));
    CHECK_FALSE(head->visible(r));
    CHECK_FALSE(sponsor->visible(r));
    CHECK_FALSE(other->visible(r));
    CHECK_FALSE(citation->visible(r));
    r.set("agency.official.role", "designated");
    r.set("assistance.continued_presence.status", "requested");
    r.set("assistance.services", Json::array({"legal", "other"}));
    r.set("crime.occurred_in_us", false);
    r.set("crime.extraterritorial_violation", true);
    CHECK(head->visible(r));
    CHECK(sponsor->visible(r));
    CHECK(other->visible(r));
    CHECK(citation->visible(r));
    r.set("agency.type", "federal");
    CHECK_FALSE(sponsor->visible(r));
    std::vector<std::string> paths;
    REQUIRE(sponsor->showIf);
    sponsor->showIf->collectPaths(paths);
    CHECK(std::set<std::string>(paths.begin(), paths.end()) ==
          std::set<std::string>{"assistance.continued_presence.status", "agency.type"});
}

TEST_CASE("a broken form definition is an error naming the file and the place", "[forms]") {
    const Json bad = Json::parse(R"({"form": "i918b", "edition": "2025-01-20", "title": "T",
        "parts": [{"id": "victim", "title": "Victim", "items": [
            {"id": "a", "label": "A", "kind": "text", "path": "victim.family_name"},
            {"id": "b", "label": "B", "kind": "sparkle", "path": "victim.given_name"}]}]})");
    auto r = parseFormDefinition(bad, "bad.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().where.file == "bad.json");
    CHECK(r.error().message.find("parts[0].items[1].kind") != std::string::npos);
    auto noParts = parseFormDefinition(
        Json::parse(R"({"form": "i918b", "edition": "x", "title": "T"})"), "p.json");
    CHECK_FALSE(noParts.ok());
}

namespace {

const FormItem* itemById(const FormDefinition& def, const std::string& id) {
    for (const auto& part : def.parts)
        for (const auto& item : part.items)
            if (item.id == id) return &item;
    return nullptr;
}

const FormPart* partById(const FormDefinition& def, const std::string& id) {
    for (const auto& part : def.parts)
        if (part.id == id) return &part;
    return nullptr;
}

bool has(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("signature help says what each edition's instructions say, and no more", "[forms]") {
    auto u = formDefinition(FormId::I918B);
    auto t = formDefinition(FormId::I914B);
    REQUIRE(u.ok());
    REQUIRE(t.ok());
    // I-918B: the photocopy rule is not confirmed for the 01/20/25 instructions: no claim, only
    // "sign in ink, give the original".
    const FormItem* us = itemById(**u, "signature");
    REQUIRE(us);
    CHECK_FALSE(has(us->help, "not accept"));
    CHECK_FALSE(has(us->help, "photocopy of the signature page"));
    CHECK(has(us->help, "in ink"));
    CHECK(has(us->help, "original"));
    // I-914B: the instructions say it (original signature; no photocopy, no typewritten name).
    const FormItem* ts = itemById(**t, "signature");
    REQUIRE(ts);
    CHECK(has(ts->help, "instructions"));
    CHECK(has(ts->help, "original signature"));
    CHECK(has(ts->help, "photocopy"));
}

TEST_CASE("agency-type help: 214.14(a)(2) says Federal, State or local", "[forms]") {
    auto u = formDefinition(FormId::I918B);
    REQUIRE(u.ok());
    const FormPart* agency = partById(**u, "agency");
    REQUIRE(agency);
    CHECK(has(agency->help, "Federal, State, or local law enforcement agency"));
    CHECK_FALSE(has(agency->help, "tribal"));
    const FormItem* type = itemById(**u, "agency_type");
    REQUIRE(type);
    CHECK(has(type->help, "214.14(a)(2)"));
    CHECK(has(type->help, "not in 214.14(a)(2)"));
    CHECK(has(type->help, "Additional Information"));
}

TEST_CASE("Continued Presence help: federal law enforcement files it, HSI is one partner",
          "[forms]") {
    for (FormId f : {FormId::I918B, FormId::I914B}) {
        auto def = formDefinition(f);
        REQUIRE(def.ok());
        INFO(formToString(f));
        for (const char* id : {"cp_status", "cp_federal_sponsor"}) {
            const FormItem* item = itemById(**def, id);
            REQUIRE(item);
            INFO(id);
            CHECK(has(item->help, "federal"));
            CHECK(has(item->help, "FBI"));
            CHECK(has(item->help, "U.S. Attorney's Office"));
            CHECK_FALSE(has(item->help, "usually the local HSI office"));
            CHECK_FALSE(has(item->help, "requested through your local ICE/HSI office"));
        }
        CHECK(has(itemById(**def, "cp_status")->help, "two years"));
    }
}

namespace {

// The leading item numbers of a printed part ("2.a" -> 2, "2-4" -> 2..4), in order.
std::vector<int> leadingNumbers(const FormPart& part) {
    std::vector<int> out;
    for (const auto& item : part.items) {
        if (!item.onForm) continue;
        const std::string& n = item.number;
        std::size_t end = 0;
        const int first = std::stoi(n, &end);
        int last = first;
        if (end < n.size() && n[end] == '-') last = std::stoi(n.substr(end + 1));
        for (int k = first; k <= last; ++k)
            if (out.empty() || out.back() != k) out.push_back(k);
    }
    return out;
}

}  // namespace

TEST_CASE("printed item numbers run without gaps, lecert's own questions have none", "[forms]") {
    for (const auto& l : loadAll()) {
        for (const auto& part : l.def.parts) {
            INFO(l.file << ": part " << part.id);
            for (const auto& item : part.items) {
                INFO("item " << item.id);
                if (!part.onForm) CHECK(item.number.empty());
                if (!item.onForm) CHECK(item.number.empty());
                if (part.onForm && item.onForm) CHECK_FALSE(item.number.empty());
            }
            if (!part.onForm) continue;
            const auto numbers = leadingNumbers(part);
            REQUIRE_FALSE(numbers.empty());
            for (std::size_t i = 0; i < numbers.size(); ++i) CHECK(numbers[i] == int(i) + 1);
        }
    }
}

TEST_CASE("the items of the 01/20/25 editions", "[forms]") {
    auto u = formDefinition(FormId::I918B);
    auto t = formDefinition(FormId::I914B);
    REQUIRE(u.ok());
    REQUIRE(t.ok());
    // I-918B Part 2 item 3: one box for title and division/office.
    CHECK((*u)->itemForPath("agency.official.title")->number == "3");
    CHECK((*u)->itemForPath("agency.official.division")->number == "3");
    // Three agency-type boxes: the help says where tribal and territorial go. The option labels
    // stay plain ("Tribal"): the official fill prints them in Part 7.
    const FormItem* type = (*u)->itemForPath("agency.type");
    CHECK(has(type->help, "Additional Information"));
    for (const auto& o : type->options) CHECK(!has(o.label, "("));
    // Part 6 item 4 is the fax number; e-mail and authority to sign are lecert's own questions.
    const FormItem* fax = (*u)->itemForPath("agency.official.fax");
    REQUIRE(fax);
    CHECK(fax->number == "4");
    CHECK((*u)->partForPath("agency.official.fax")->id == "certification");
    for (const char* own : {"agency.official.email", "agency.official.role"}) {
        INFO(own);
        const FormItem* item = (*u)->itemForPath(own);
        REQUIRE(item);
        CHECK_FALSE(item->onForm);
        CHECK(item->number.empty());
        CHECK(has(item->label, "not an item of the 01/20/25 form"));
    }
    // I-914B: SSN in Part 1, fax, case status (9) and agency category (10) in Part 2.
    REQUIRE((*t)->itemForPath("victim.ssn"));
    CHECK((*t)->partForPath("victim.ssn")->id == "victim");
    CHECK((*t)->itemForPath("agency.official.fax")->number == "7");
    CHECK((*t)->itemForPath("agency.case_status")->number == "9");
    CHECK((*t)->itemForPath("agency.category")->number == "10");
    CHECK_FALSE((*t)->itemForPath("agency.official.email")->onForm);
}

TEST_CASE("contact numbers in help texts come from templates/contacts.json", "[forms][contacts]") {
    auto contacts = shippedContacts();
    REQUIRE(contacts.ok());
    REQUIRE_FALSE(contacts->empty());
    const std::vector<Contact> two = {{"a", "Line A", "1-800-555-0100", ""},
                                      {"b", "Line B", "b@example.gov", "x"}};
    CHECK(expandContacts("Call {{contact.a.label}} at {{contact.a}} or write to {{contact.b}}.",
                         two) == "Call Line A at 1-800-555-0100 or write to b@example.gov.");
    CHECK(expandContacts("{{contact.zz}} and {{contact.a", two) ==
          "{{contact.zz}} and {{contact.a");
    CHECK(expandContacts("no placeholder", two) == "no placeholder");
    for (FormId f : {FormId::I918B, FormId::I914B}) {
        auto def = formDefinition(f);
        REQUIRE(def.ok());
        INFO(formToString(f));
        std::string all = (*def)->summary;
        for (const auto& part : (*def)->parts) {
            all += part.help;
            for (const auto& item : part.items) all += item.help;
        }
        CHECK_FALSE(has(all, "{{contact."));
        CHECK(has(partById(**def, "assistance")->help, "HSI Tip Line at 1-866-347-2423"));
        CHECK(has(itemById(**def, "hsi_contacted")->help, "1-866-347-2423"));
    }
}
