// SPDX-License-Identifier: MIT
// The hidden-answer rule (core/model/applicability): for every show_if of both forms, a value
// whose condition is false is removed for the validator and the PDFs and kept in the draft.

#include <catch2/catch.hpp>

#include <string>

#include "core/model/applicability.h"
#include "core/model/form_definition.h"
#include "core/model/form_edition.h"
#include "core/render/cover.h"
#include "core/render/worksheet_pdf.h"
#include "core/rules/validator.h"
#include "pdf_check.h"
#include "support.h"

using namespace lecert;

namespace {

const Date kToday = *Date::parse("2026-11-28");

// Sets the record so that `c` holds.
void satisfy(const Condition& c, Record& r) {
    switch (c.op) {
        case Condition::Op::Equals:
            r.set(c.path, c.value);
            break;
        case Condition::Op::NotEquals:
            r.erase(c.path);
            break;
        case Condition::Op::Contains:
            r.set(c.path, Json::array({c.value}));
            break;
        case Condition::Op::In:
            r.set(c.path, c.values.front());
            break;
        case Condition::Op::All:
            for (const auto& ch : c.children) satisfy(ch, r);
            break;
        case Condition::Op::Any:
            satisfy(c.children.front(), r);
            break;
    }
}

// Sets the record so that `c` fails; `absent` chooses "not answered" over a different answer.
void violate(const Condition& c, Record& r, bool absent) {
    switch (c.op) {
        case Condition::Op::Equals:
            if (absent)
                r.erase(c.path);
            else if (c.value.is_boolean())
                r.set(c.path, !c.value.get<bool>());
            else
                r.set(c.path, c.value.get<std::string>() + "_not");
            break;
        case Condition::Op::NotEquals:
            r.set(c.path, c.value);
            break;
        case Condition::Op::Contains:
            if (absent)
                r.erase(c.path);
            else
                r.set(c.path, Json::array());
            break;
        case Condition::Op::In:
            if (absent)
                r.erase(c.path);
            else
                r.set(c.path, "none_of_them");
            break;
        case Condition::Op::All:
            satisfy(c, r);
            violate(c.children.back(), r, absent);
            break;
        case Condition::Op::Any:
            for (const auto& ch : c.children) violate(ch, r, absent);
            break;
    }
}

Json sampleValue(const FormItem& item) {
    switch (item.kind) {
        case ItemKind::Date:
            return "2026-01-02";
        case ItemKind::YesNo:
            return true;
        case ItemKind::Choice:
            return item.options.front().value;
        case ItemKind::MultiChoice:
            return Json::array({item.options.front().value});
        case ItemKind::Group: {
            Json row = Json::object();
            for (const auto& f : item.fields)
                if (!f.path.empty()) row[f.path] = f.kind == ItemKind::Date ? "2026-01-02" : "Zed";
            return Json::array({row});
        }
        default:
            return "Fictional answer";
    }
}

bool issueAt(const std::vector<Issue>& issues, const std::string& path) {
    for (const auto& i : issues)
        if (i.field == path || i.field.rfind(path + ".", 0) == 0 ||
            i.field.rfind(path + "[", 0) == 0)
            return true;
    return false;
}

std::size_t countShowIf(const std::string& form) {
    auto edition = formEdition(*formFromString(form));
    REQUIRE(edition);
    const std::string text = test::readText((*edition)->dir + "/worksheet.json");
    std::size_t n = 0;
    for (auto at = text.find("\"show_if\""); at != std::string::npos;
         at = text.find("\"show_if\"", at + 1))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("every show_if of both forms: hidden values are pruned, kept in the draft") {
    for (const std::string form : {"i918b", "i914b"}) {
        auto def = formDefinition(*formFromString(form));
        REQUIRE(def);
        std::size_t tested = 0;
        for (const auto& part : (*def)->parts) {
            for (const auto& item : part.items) {
                if (!item.showIf) continue;
                ++tested;
                INFO(form << " item " << item.id);
                for (const bool absent : {true, false}) {
                    Record r(test::validRecord(form));
                    satisfy(*item.showIf, r);
                    REQUIRE(r.set(item.path, sampleValue(item)));
                    CHECK(itemApplies(item, r));
                    CHECK(prunedRecord(r).get(item.path) != nullptr);

                    violate(*item.showIf, r, absent);
                    CHECK_FALSE(itemApplies(item, r));
                    const Record pruned = prunedRecord(r);
                    CHECK(pruned.get(item.path) == nullptr);
                    CHECK(r.get(item.path) != nullptr);  // the draft keeps it
                    // The validator never names the hidden value, whatever it holds.
                    REQUIRE(r.set(item.path, item.kind == ItemKind::Group
                                                 ? Json::array({Json::object()})
                                                 : Json("!")));
                    ValidationOptions vo;
                    vo.today = kToday;
                    vo.checkGlyphs = false;
                    CHECK_FALSE(issueAt(validateRecord(r, vo), item.path));
                }
            }
        }
        CHECK(tested == countShowIf(form));
        CHECK(tested > 10);
    }
}

TEST_CASE("a hidden answer that other answers depend on hides them too") {
    Record r(test::validRecord("i918b"));
    r.set("crime.occurred_in_us", false);
    r.set("crime.location_explanation", "Abroad");
    r.set("crime.extraterritorial_violation", true);
    r.set("crime.extraterritorial_citation", "18 U.S.C. 1596");
    auto def = formDefinition(FormId::I918B);
    REQUIRE(def);
    CHECK(inapplicablePaths(r, **def).empty());
    r.set("crime.occurred_in_us", true);
    const auto hidden = inapplicablePaths(r, **def);
    CHECK(hidden == std::vector<std::string>{"crime.location_explanation",
                                             "crime.extraterritorial_violation",
                                             "crime.extraterritorial_citation"});
}

TEST_CASE("objects left empty are removed, so an empty head is not a half-answered head") {
    Record r(test::validRecord("i918b"));
    r.set("agency.official.role", "head");
    r.set("agency.head.family_name", "Zed");
    const Record pruned = prunedRecord(r);
    CHECK(pruned.get("agency.head") == nullptr);
    CHECK(pruned.get("agency") != nullptr);
}

TEST_CASE("an object that still holds an item that applies is kept, even when emptied") {
    // Without `contacted` the specialist's name does not apply; the validator must still be
    // able to say that `contacted` is missing rather than the whole object.
    Record r(test::validRecord("i918b"));
    r.erase("assistance.victim_specialist.contacted");
    r.set("assistance.victim_specialist.name", "Zed");
    const Record pruned = prunedRecord(r);
    REQUIRE(pruned.get("assistance.victim_specialist") != nullptr);
    CHECK(pruned.get("assistance.victim_specialist.name") == nullptr);
    ValidationOptions vo;
    vo.today = kToday;
    bool contacted = false;
    for (const auto& i : validateRecord(r, vo))
        contacted = contacted || i.field == "assistance.victim_specialist.contacted";
    CHECK(contacted);
}

TEST_CASE("a record without a supported form is returned unchanged") {
    Record r(
        Json{{"form", "i999"}, {"family", {{"implicated", false}, {"members", Json::array()}}}});
    CHECK(prunedRecord(r).json() == r.json());
}

TEST_CASE("hidden family members and agency head are printed on neither PDF") {
    test::TempDir dir;
    Record r(test::validRecord("i918b"));
    r.set("agency.official.role", "head");
    r.set("agency.head", Json{{"family_name", "Quillfeather"}, {"given_name", "Ona"}});
    r.set("family.implicated", false);
    r.set("family.members", Json::array({Json{{"family_name", "Vantongeren"},
                                              {"given_name", "Ilse"},
                                              {"relationship", "Cousin"},
                                              {"involvement", "Drove the car"}}}));
    r.set("assistance.victim_specialist.contacted", false);
    r.set("assistance.victim_specialist.organization", "Hollowmere Outreach");
    auto def = formDefinition(FormId::I918B);
    REQUIRE(def);
    auto texts = [&](const Record& rec) {
        auto form = renderFormPdf(**def, rec);
        REQUIRE(form);
        CoverOptions co;
        co.today = kToday;
        auto cover = renderCoverPdf(rec, co);
        REQUIRE(cover);
        test::writeBytes(dir.file("form.pdf"), form->bytes);
        test::writeBytes(dir.file("cover.pdf"), *cover);
        return test::pdfText(dir.file("form.pdf")) + test::pdfText(dir.file("cover.pdf"));
    };
    const std::string hidden = texts(r);
    CHECK(hidden.find("Quillfeather") == std::string::npos);
    CHECK(hidden.find("Vantongeren") == std::string::npos);
    CHECK(hidden.find("Hollowmere") == std::string::npos);

    r.set("agency.official.role", "designated");
    r.set("family.implicated", true);
    r.set("assistance.victim_specialist.contacted", true);
    const std::string shown = texts(r);
    CHECK(shown.find("Quillfeather") != std::string::npos);
    CHECK(shown.find("Vantongeren") != std::string::npos);
    CHECK(shown.find("Hollowmere") != std::string::npos);
}
