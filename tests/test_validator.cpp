// SPDX-License-Identifier: MIT
// The validator against every rule of docs/record-format.md: for each rule a record that
// passes and one that fails with the expected field path and code. Records start from
// test::validRecord() and change one thing; "today" is always 2026-11-28.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/model/record.h"
#include "core/model/record_schema.h"
#include "core/rules/validator.h"
#include "support.h"

using namespace lecert;
using lecert::test::validRecord;

namespace {

const Date kToday{2026, 11, 28};
const std::vector<std::string> kForms = {"i918b", "i914b"};

std::vector<Issue> check(Json j, Date today = kToday) {
    normalizeRecord(j);
    ValidationOptions o;
    o.today = today;
    return validateRecord(Record(std::move(j)), o);
}

std::string describe(const std::vector<Issue>& issues) {
    std::ostringstream out;
    for (const auto& i : issues) {
        out << severityName(i.severity) << " " << (i.field.empty() ? "(record)" : i.field) << " "
            << i.code << "\n";
    }
    return out.str().empty() ? "(no issues)\n" : out.str();
}

// "field code" of every issue of the given severity, sorted.
std::vector<std::string> keys(const std::vector<Issue>& issues, Severity s) {
    std::vector<std::string> out;
    for (const auto& i : issues) {
        if (i.severity == s) out.push_back(i.field + " " + i.code);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> errorKeys(const std::vector<Issue>& issues) {
    return keys(issues, Severity::Error);
}
std::vector<std::string> warningKeys(const std::vector<Issue>& issues) {
    return keys(issues, Severity::Warning);
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

bool hasIssue(const std::vector<Issue>& issues, Severity s, const std::string& field,
              const std::string& code) {
    return std::any_of(issues.begin(), issues.end(), [&](const Issue& i) {
        return i.severity == s && i.field == field && i.code == code;
    });
}

const Issue* findIssue(const std::vector<Issue>& issues, const std::string& field,
                       const std::string& code) {
    for (const auto& i : issues) {
        if (i.field == field && i.code == code) return &i;
    }
    return nullptr;
}

Json with(const std::string& form, const std::string& path, Json value) {
    Json r = validRecord(form);
    REQUIRE(jsonSet(r, path, std::move(value)));
    return r;
}

Json without(const std::string& form, const std::string& path) {
    Json r = validRecord(form);
    REQUIRE(jsonErase(r, path));
    return r;
}

// One mutation of a valid record and the exact set of errors it must give.
struct Case {
    std::string form;
    std::string path;
    Json value;  // discarded when erase
    bool erase;
    std::vector<std::string> errors;  // "field code"
};

Case set(std::string form, std::string path, Json value, std::vector<std::string> errors) {
    return {std::move(form), std::move(path), std::move(value), false, std::move(errors)};
}
Case drop(std::string form, std::string path, std::vector<std::string> errors) {
    return {std::move(form), std::move(path), nullptr, true, std::move(errors)};
}

void runCases(const std::vector<Case>& cases) {
    for (const auto& c : cases) {
        Json r = c.erase ? without(c.form, c.path) : with(c.form, c.path, c.value);
        const auto issues = check(r);
        INFO(c.form << ": " << (c.erase ? "erase " : "set ") << c.path
                    << (c.erase ? "" : " = " + c.value.dump()) << "\nissues:\n"
                    << describe(issues));
        CHECK(errorKeys(issues) == sorted(c.errors));
    }
}

}  // namespace

TEST_CASE("the valid records of both forms have no issue at all", "[validator]") {
    for (const char* form : {"i918b", "i914b"}) {
        const auto issues = check(validRecord(form));
        INFO(form << "\n" << describe(issues));
        CHECK(issues.empty());
    }
}

TEST_CASE("required keys of both forms, as the record format lists them", "[validator][required]") {
    std::vector<Case> cases;
    for (const auto& form : kForms) {
        for (const char* path : {"victim",
                                 "agency",
                                 "family",
                                 "assistance",
                                 "victim.family_name",
                                 "victim.given_name",
                                 "victim.date_of_birth",
                                 "victim.gender",
                                 "agency.name",
                                 "agency.type",
                                 "agency.official",
                                 "agency.official.family_name",
                                 "agency.official.given_name",
                                 "agency.official.title",
                                 "agency.official.phone",
                                 "agency.address",
                                 "agency.address.street",
                                 "agency.address.city",
                                 "agency.case_number",
                                 "family.implicated",
                                 "assistance.victim_specialist",
                                 "assistance.victim_specialist.contacted",
                                 "assistance.continued_presence",
                                 "assistance.continued_presence.status"}) {
            cases.push_back(drop(form, path, {std::string(path) + " required.missing"}));
        }
        // Blank text counts as missing (text is trimmed on load).
        cases.push_back(
            set(form, "victim.family_name", "", {"victim.family_name required.missing"}));
        cases.push_back(
            set(form, "agency.case_number", " \t\n", {"agency.case_number required.missing"}));
        cases.push_back(
            set(form, "victim.given_name", nullptr, {"victim.given_name required.missing"}));
    }
    cases.push_back(drop("i918b", "form", {"form required.missing"}));
    cases.push_back(drop("i914b", "form", {"form required.missing"}));
    for (const char* path :
         {"crime", "helpfulness", "agency.category", "agency.official.role", "agency.case_status",
          "crime.activities", "crime.dates", "crime.citations", "crime.occurred_in_us",
          "crime.description", "helpfulness.possesses_information", "helpfulness.helpful",
          "helpfulness.refused_or_failed"}) {
        cases.push_back(drop("i918b", path, {std::string(path) + " required.missing"}));
    }
    cases.push_back(
        set("i918b", "crime.activities", Json::array(), {"crime.activities required.empty"}));
    cases.push_back(set("i918b", "crime.dates", Json::array(), {"crime.dates required.empty"}));
    for (const char* path :
         {"trafficking", "cooperation", "agency.supervisor", "agency.supervisor.family_name",
          "agency.supervisor.given_name", "agency.supervisor.title", "trafficking.types",
          "trafficking.start_date", "trafficking.location", "trafficking.citations",
          "trafficking.description", "trafficking.database_inquiries",
          "cooperation.complied_with_requests", "cooperation.description"}) {
        cases.push_back(drop("i914b", path, {std::string(path) + " required.missing"}));
    }
    cases.push_back(
        set("i914b", "trafficking.types", Json::array(), {"trafficking.types required.empty"}));
    runCases(cases);
}

TEST_CASE("keys required by one form only are optional in the other", "[validator][required]") {
    // i914b has no category, role, case status, crime or helpfulness; i918b has no supervisor.
    const auto a = check(validRecord("i914b"));
    CHECK(errorKeys(a).empty());
    Json r = validRecord("i918b");
    REQUIRE_FALSE(r["agency"].contains("supervisor"));
    CHECK(errorKeys(check(r)).empty());
    // The optional keys of the format may all be absent.
    for (const char* path : {"victim.a_number", "agency.official.email", "certification", "id"}) {
        for (const auto& form : kForms) {
            const auto issues = check(without(form, path));
            INFO(form << " without " << path << "\n" << describe(issues));
            CHECK(errorKeys(issues).empty());
        }
    }
    const auto noEnd = check(without("i914b", "trafficking.end_date"));
    CHECK(errorKeys(noEnd).empty());
}

TEST_CASE("conditional keys", "[validator][conditional]") {
    SECTION("agency.category_other when category is other") {
        CHECK(errorKeys(check(with("i918b", "agency.category", "other"))) ==
              std::vector<std::string>{"agency.category_other required.conditional"});
        Json ok = with("i918b", "agency.category", "other");
        ok["agency"]["category_other"] = "Child protective services";
        CHECK(errorKeys(check(ok)).empty());
    }
    SECTION("agency.case_status_other when case status is other") {
        CHECK(errorKeys(check(with("i918b", "agency.case_status", "other"))) ==
              std::vector<std::string>{"agency.case_status_other required.conditional"});
        Json ok = with("i918b", "agency.case_status", "other");
        ok["agency"]["case_status_other"] = "Pending appeal";
        CHECK(errorKeys(check(ok)).empty());
    }
    SECTION("agency.address.unit_type when a unit number is given") {
        CHECK(errorKeys(check(with("i918b", "agency.address.unit_number", "200"))) ==
              std::vector<std::string>{"agency.address.unit_type required.conditional"});
        Json ok = with("i918b", "agency.address.unit_number", "200");
        for (const char* t : {"apt", "ste", "flr"}) {
            ok["agency"]["address"]["unit_type"] = t;
            CHECK(errorKeys(check(ok)).empty());
        }
        // A unit type alone is allowed.
        CHECK(errorKeys(check(with("i914b", "agency.address.unit_type", "ste"))).empty());
    }
    SECTION("state and ZIP for a US address, not for a foreign one") {
        for (const auto& form : kForms) {
            CHECK(errorKeys(check(without(form, "agency.address.state"))) ==
                  std::vector<std::string>{"agency.address.state required.conditional"});
            CHECK(errorKeys(check(without(form, "agency.address.zip"))) ==
                  std::vector<std::string>{"agency.address.zip required.conditional"});
            for (const char* country : {"United States", "USA", "US", "United States of America"}) {
                Json r = without(form, "agency.address.zip");
                r["agency"]["address"]["country"] = country;
                INFO(country);
                CHECK(errorKeys(check(r)) ==
                      std::vector<std::string>{"agency.address.zip required.conditional"});
            }
            Json abroad = validRecord(form);
            abroad["agency"]["address"] = Json::parse(
                R"({"street": "1 Legal Attache Road", "city": "Ottawa", "province": "Ontario",
                    "postal_code": "K1A 0A6", "country": "Canada"})");
            const auto issues = check(abroad);
            INFO(describe(issues));
            CHECK(errorKeys(issues).empty());
        }
    }
    SECTION("crime outside the US: explanation and extraterritorial jurisdiction") {
        CHECK(errorKeys(check(with("i918b", "crime.occurred_in_us", false))) ==
              sorted({"crime.location_explanation required.conditional",
                      "crime.extraterritorial_violation required.conditional"}));
        Json r = with("i918b", "crime.occurred_in_us", false);
        r["crime"]["location_explanation"] = "The assault happened in a hotel in Tijuana.";
        r["crime"]["extraterritorial_violation"] = true;
        CHECK(errorKeys(check(r)) ==
              std::vector<std::string>{"crime.extraterritorial_citation required.conditional"});
        r["crime"]["extraterritorial_citation"] = "18 U.S.C. 1596";
        CHECK(errorKeys(check(r)).empty());
        // Occurred outside the US and no extraterritorial jurisdiction: not a qualifying crime.
        r["crime"]["extraterritorial_violation"] = false;
        r["crime"].erase("extraterritorial_citation");
        const auto issues = check(r);
        CHECK(errorKeys(issues) ==
              std::vector<std::string>{
                  "crime.extraterritorial_violation crime.outside_us_no_jurisdiction"});
        CHECK(findIssue(issues, "crime.extraterritorial_violation",
                        "crime.outside_us_no_jurisdiction")
                  ->citation == "8 CFR 214.14(b)(4)");
    }
    SECTION("refusal explanation when the victim refused or failed to help") {
        const auto issues = check(with("i918b", "helpfulness.refused_or_failed", true));
        CHECK(errorKeys(issues) ==
              std::vector<std::string>{"helpfulness.refusal_explanation required.conditional"});
        CHECK(hasIssue(issues, Severity::Warning, "helpfulness.refused_or_failed",
                       "helpfulness.refused"));
        Json ok = with("i918b", "helpfulness.refused_or_failed", true);
        ok["helpfulness"]["refusal_explanation"] =
            "She missed one interview because of a medical emergency.";
        const auto okIssues = check(ok);
        CHECK(errorKeys(okIssues).empty());
        CHECK(warningKeys(okIssues) ==
              std::vector<std::string>{"helpfulness.refused_or_failed helpfulness.refused"});
    }
    SECTION("labor purposes for labor trafficking") {
        CHECK(errorKeys(check(without("i914b", "trafficking.labor_purposes"))) ==
              std::vector<std::string>{"trafficking.labor_purposes required.conditional"});
        const auto empty = check(with("i914b", "trafficking.labor_purposes", Json::array()));
        INFO(describe(empty));
        CHECK(errorKeys(empty).size() == 1);
        CHECK(findIssue(empty, "trafficking.labor_purposes", "required.conditional"));
        // Not needed for sex trafficking.
        Json sex = with("i914b", "trafficking.types",
                        Json::array({"sex_trafficking_force_fraud_coercion"}));
        sex["trafficking"].erase("labor_purposes");
        CHECK(errorKeys(check(sex)).empty());
    }
    SECTION("cooperation exception when the victim did not comply") {
        CHECK(errorKeys(check(with("i914b", "cooperation.complied_with_requests", false))) ==
              std::vector<std::string>{"cooperation.exception required.conditional"});
        Json r = with("i914b", "cooperation.complied_with_requests", false);
        r["cooperation"]["exception"] = "trauma";
        auto issues = check(r);
        CHECK(issues.empty());
        r["cooperation"]["exception"] = "none";
        issues = check(r);
        CHECK(errorKeys(issues).empty());
        CHECK(warningKeys(issues) ==
              std::vector<std::string>{"cooperation.exception cooperation.no_exception"});
    }
    SECTION("family members when a family member is implicated") {
        for (const auto& form : kForms) {
            const auto issues = check(with(form, "family.implicated", true));
            REQUIRE(errorKeys(issues).size() == 1);
            CHECK(errorKeys(issues)[0].rfind("family.members ", 0) == 0);
            Json r = with(form, "family.implicated", true);
            r["family"]["members"] = Json::parse(
                R"([{"family_name": "Rivera", "given_name": "Luis", "relationship": "Brother",
                     "involvement": "Drove the victim to the work site."}])");
            CHECK(errorKeys(check(r)).empty());
            r["family"]["members"].push_back(
                Json::parse(R"({"family_name": "Rivera", "given_name": "Marta"})"));
            CHECK(errorKeys(check(r)) ==
                  sorted({"family.members[1].relationship required.missing",
                          "family.members[1].involvement required.missing"}));
            r["family"]["members"][1] =
                Json::parse(R"({"relationship": "Aunt", "involvement": "Kept the passport."})");
            CHECK(errorKeys(check(r)) == sorted({"family.members[1].family_name required.missing",
                                                 "family.members[1].given_name required.missing"}));
        }
    }
    SECTION("services_other when services include other") {
        CHECK(errorKeys(
                  check(with("i918b", "assistance.services", Json::array({"legal", "other"})))) ==
              std::vector<std::string>{"assistance.services_other required.conditional"});
        Json ok = with("i918b", "assistance.services", Json::array({"legal", "other"}));
        ok["assistance"]["services_other"] = "Transport to court";
        CHECK(errorKeys(check(ok)).empty());
    }
    SECTION("interpreter language when an interpreter was used") {
        CHECK(errorKeys(check(
                  with("i914b", "assistance.interpreter", Json::parse(R"({"used": true})")))) ==
              std::vector<std::string>{"assistance.interpreter.language required.conditional"});
        CHECK(errorKeys(check(with("i914b", "assistance.interpreter",
                                   Json::parse(R"({"used": true, "language": "Spanish"})"))))
                  .empty());
        CHECK(errorKeys(
                  check(with("i914b", "assistance.interpreter", Json::parse(R"({"used": false})"))))
                  .empty());
    }
    SECTION("victim specialist name or organization when contacted") {
        Json r = without("i918b", "assistance.victim_specialist.organization");
        CHECK(errorKeys(check(r)) ==
              std::vector<std::string>{"assistance.victim_specialist.name required.conditional"});
        r["assistance"]["victim_specialist"]["name"] = "Dana Whitfield";
        CHECK(errorKeys(check(r)).empty());
    }
    SECTION("Continued Presence dates by status") {
        const std::string cp = "assistance.continued_presence";
        auto status = [&](const std::string& form, const char* s, const char* json) {
            Json r = validRecord(form);
            r["assistance"]["continued_presence"] = Json::parse(json);
            r["assistance"]["continued_presence"]["status"] = s;
            r["agency"]["type"] = "federal";  // no sponsor needed
            return errorKeys(check(r));
        };
        for (const auto& form : kForms) {
            CHECK(status(form, "requested", "{}") ==
                  std::vector<std::string>{cp + ".requested_date required.conditional"});
            CHECK(status(form, "requested", R"({"requested_date": "2026-10-01"})").empty());
            for (const char* s : {"denied", "terminated"}) {
                CHECK(status(form, s, "{}") ==
                      sorted({cp + ".requested_date required.conditional",
                              cp + ".decision_date required.conditional"}));
                CHECK(status(form, s,
                             R"({"requested_date": "2026-10-01", "decision_date": "2026-10-20"})")
                          .empty());
            }
            CHECK(status(form, "granted", "{}") ==
                  sorted({cp + ".requested_date required.conditional",
                          cp + ".decision_date required.conditional",
                          cp + ".expiration_date required.conditional"}));
            CHECK(
                status(
                    form, "granted",
                    R"({"requested_date": "2026-10-01", "decision_date": "2026-10-20", "expiration_date": "2028-10-20"})")
                    .empty());
            CHECK(status(form, "not_applicable", "{}").empty());
            CHECK(status(form, "not_requested", "{}").empty());
        }
    }
    SECTION("federal sponsor for Continued Presence requested by a non-federal agency") {
        const std::string sponsor = "assistance.continued_presence.federal_sponsor";
        for (const auto& form : kForms) {
            Json r = validRecord(form);
            r["assistance"]["continued_presence"] =
                Json::parse(R"({"status": "requested", "requested_date": "2026-10-01"})");
            for (const char* type : {"state", "local", "tribal", "territorial"}) {
                r["agency"]["type"] = type;
                const auto issues = check(r);
                INFO(form << " " << type);
                CHECK(errorKeys(issues) ==
                      std::vector<std::string>{sponsor + " required.conditional"});
                CHECK(findIssue(issues, sponsor, "required.conditional")->citation ==
                      "22 U.S.C. 7105(c)(3)");
            }
            r["agency"]["type"] = "federal";
            CHECK(errorKeys(check(r)).empty());
            r["agency"]["type"] = "local";
            r["assistance"]["continued_presence"]["federal_sponsor"] = "HSI Riverton";
            CHECK(errorKeys(check(r)).empty());
        }
    }
    SECTION("head of agency unless the official is the head or a judge") {
        Json r = with("i918b", "agency.official.role", "designated");
        const auto issues = check(r);
        CHECK(errorKeys(issues) == std::vector<std::string>{"agency.head agency.head_required"});
        CHECK(findIssue(issues, "agency.head", "agency.head_required")->citation ==
              "8 CFR 214.14(a)(3)");
        r["agency"]["head"] = Json::parse(R"({"family_name": "Brandt", "given_name": "Tomas"})");
        CHECK(errorKeys(check(r)).empty());
        r["agency"]["head"] = Json::parse(R"({"family_name": "Brandt"})");
        CHECK(errorKeys(check(r)) ==
              std::vector<std::string>{"agency.head.given_name required.missing"});
        CHECK(errorKeys(check(with("i918b", "agency.official.role", "judge"))).empty());
        CHECK(errorKeys(check(with("i918b", "agency.official.role", "head"))).empty());
    }
}

TEST_CASE("dates: the two accepted forms, invalid calendar days", "[validator][format]") {
    SECTION("MM/DD/YYYY is normalised to YYYY-MM-DD and accepted") {
        Json r = with("i918b", "victim.date_of_birth", "05/17/1990");
        r["crime"]["dates"] = Json::array({"03/14/2026", "2026-03-15"});
        r["certification"]["signature_date"] = "11/02/2026";
        normalizeRecord(r);
        CHECK(r["victim"]["date_of_birth"] == "1990-05-17");
        CHECK(r["crime"]["dates"] == Json::array({"2026-03-14", "2026-03-15"}));
        CHECK(r["certification"]["signature_date"] == "2026-11-02");
        CHECK(check(r).empty());
    }
    SECTION("anything else is date.format naming the field and both forms") {
        for (const char* bad : {"1990-02-30", "02/30/1990", "1990-13-01", "1990-5-17", "5/17/1990",
                                "17.05.1990", "May 17, 1990", "1990-05-17T00:00:00", "19900517",
                                "2025-02-29", "1900-02-29", "00/10/1990", "1990-00-10"}) {
            INFO(bad);
            const auto issues = check(with("i914b", "victim.date_of_birth", bad));
            CHECK(errorKeys(issues) ==
                  std::vector<std::string>{"victim.date_of_birth date.format"});
            const Issue* i = findIssue(issues, "victim.date_of_birth", "date.format");
            REQUIRE(i);
            CHECK(i->message.find("YYYY-MM-DD") != std::string::npos);
            CHECK(i->message.find("MM/DD/YYYY") != std::string::npos);
            CHECK(i->message.find(bad) == std::string::npos);  // never quotes the value
        }
        // Leap days that exist are fine.
        CHECK(errorKeys(check(with("i914b", "victim.date_of_birth", "2000-02-29"))).empty());
        CHECK(errorKeys(check(with("i914b", "victim.date_of_birth", "02/29/1996"))).empty());
    }
    SECTION("every date key is checked") {
        const std::vector<std::pair<std::string, std::string>> paths = {
            {"i918b", "crime.dates[0]"},
            {"i918b", "certification.signature_date"},
            {"i914b", "trafficking.start_date"},
            {"i914b", "trafficking.end_date"},
            {"i914b", "assistance.continued_presence.requested_date"},
            {"i914b", "assistance.victim_specialist.date"},
            {"i914b", "assistance.forensic_interview.date"},
        };
        for (const auto& [form, path] : paths) {
            INFO(path);
            Json r = with(form, path, "2024-06-31");
            // The date applies only when the interview took place (its show_if).
            if (path == "assistance.forensic_interview.date")
                REQUIRE(jsonSet(r, "assistance.forensic_interview.conducted", true));
            CHECK(errorKeys(check(r)) == std::vector<std::string>{path + " date.format"});
        }
    }
}

TEST_CASE("A-Numbers", "[validator][format]") {
    const std::vector<std::pair<std::string, std::string>> good = {
        {"A123456789", "123456789"}, {"A-123-456-789", "123456789"}, {"12345678", "012345678"},
        {"a1234567", "001234567"},   {"123456789", "123456789"},     {"A 123 456 789", "123456789"},
    };
    for (const auto& [in, out] : good) {
        INFO(in);
        Json r = with("i918b", "victim.a_number", in);
        normalizeRecord(r);
        CHECK(r["victim"]["a_number"] == out);
        CHECK(check(r).empty());
    }
    for (const char* bad : {"A12345", "123456", "1234567890", "A12-34X-567", "B123456789",
                            "AA123456789", "#123456789"}) {
        INFO(bad);
        const auto issues = check(with("i914b", "victim.a_number", bad));
        CHECK(errorKeys(issues) == std::vector<std::string>{"victim.a_number a_number.format"});
    }
}

TEST_CASE("phone, e-mail, state, ZIP", "[validator][format]") {
    SECTION("phone: 10 digits after punctuation, optional extension") {
        for (const char* ok : {"(555) 010-2345", "555-010-2345", "555.010.2345", "5550102345",
                               "+1 555 010 2345", "1-555-010-2345", "(555) 010-2345 x1234",
                               "555-010-2345 ext. 12", "555-010-2345x7", "555 010 2345 ext 305"}) {
            INFO(ok);
            CHECK(check(with("i918b", "agency.official.phone", ok)).empty());
        }
        for (const char* bad :
             {"555-0102", "010-2345", "555-010-23456", "555-010-2345 x", "555-010-2345 xABC",
              "call the front desk", "2-555-010-2345", "555-010-2345 x1234567"}) {
            INFO(bad);
            CHECK(errorKeys(check(with("i914b", "agency.official.phone", bad))) ==
                  std::vector<std::string>{"agency.official.phone phone.format"});
        }
    }
    SECTION("e-mail") {
        for (const char* ok : {"a@b.gov", "first.last@city.example.gov", "x+tag@dept.state.us"}) {
            INFO(ok);
            CHECK(check(with("i918b", "agency.official.email", ok)).empty());
        }
        for (const char* bad : {"no-at-sign.gov", "a@b", "a b@c.gov", "a@@b.gov", "@b.gov",
                                "a@.gov", "a@b.", "a@b..gov", "<a@b.gov>"}) {
            INFO(bad);
            CHECK(errorKeys(check(with("i914b", "agency.official.email", bad))) ==
                  std::vector<std::string>{"agency.official.email email.format"});
        }
    }
    SECTION("state: the 50 states, DC and the territories") {
        REQUIRE(usStateCodes().size() == 56);
        for (const auto& code : usStateCodes()) {
            INFO(code);
            CHECK(check(with("i918b", "agency.address.state", code)).empty());
        }
        for (const char* t : {"AS", "GU", "MP", "PR", "VI", "DC"}) {
            CHECK(std::find(usStateCodes().begin(), usStateCodes().end(), t) !=
                  usStateCodes().end());
        }
        for (const char* bad : {"ZZ", "wy", "Wyoming", "W", "FM", "UK"}) {
            INFO(bad);
            CHECK(errorKeys(check(with("i914b", "agency.address.state", bad))) ==
                  std::vector<std::string>{"agency.address.state state.invalid"});
        }
    }
    SECTION("ZIP") {
        for (const char* ok : {"82501", "82501-1234"})
            CHECK(check(with("i918b", "agency.address.zip", ok)).empty());
        for (const char* bad :
             {"8250", "825011", "82501 1234", "82501-123", "ABCDE", "82501-", "82501-12345"}) {
            INFO(bad);
            CHECK(errorKeys(check(with("i914b", "agency.address.zip", bad))) ==
                  std::vector<std::string>{"agency.address.zip zip.format"});
        }
    }
    SECTION("record id and edition") {
        CHECK(check(with("i918b", "id", "case_2026.04-A")).empty());
        for (const std::string& bad :
             {std::string("has space"), std::string("a/b"), std::string(".."), std::string(65, 'x'),
              std::string("\xC3\xA9")}) {
            INFO(bad);
            CHECK(errorKeys(check(with("i918b", "id", bad))) ==
                  std::vector<std::string>{"id id.format"});
        }
        CHECK(check(with("i914b", "edition", "2025-01-20")).empty());
        CHECK(errorKeys(check(with("i914b", "edition", "2017-04-24"))) ==
              std::vector<std::string>{"edition edition.unsupported"});
    }
}

TEST_CASE("enumerations", "[validator][enum]") {
    runCases({
        set("i918b", "form", "i918", {"form enum.invalid"}),
        set("i918b", "victim.gender", "other", {"victim.gender enum.invalid"}),
        set("i914b", "victim.gender", "Female", {"victim.gender enum.invalid"}),
        set("i918b", "agency.type", "county", {"agency.type enum.invalid"}),
        set("i918b", "agency.category", "police", {"agency.category enum.invalid"}),
        set("i918b", "agency.official.role", "chief", {"agency.official.role enum.invalid"}),
        set("i918b", "agency.case_status", "open", {"agency.case_status enum.invalid"}),
        set("i914b", "agency.address.unit_type", "room", {"agency.address.unit_type enum.invalid"}),
        set("i914b", "assistance.continued_presence.status", "pending",
            {"assistance.continued_presence.status enum.invalid"}),
        set("i918b", "crime.activities", Json::array({"theft"}),
            {"crime.activities[0] enum.invalid"}),
        set("i918b", "crime.activities", Json::array({"rape", "Rape"}),
            {"crime.activities[1] enum.invalid"}),
        set("i914b", "trafficking.types", Json::array({"labor_trafficking", "smuggling"}),
            {"trafficking.types[1] enum.invalid"}),
        set("i914b", "trafficking.labor_purposes", Json::array({"forced_labor"}),
            {"trafficking.labor_purposes[0] enum.invalid"}),
        set("i914b", "assistance.services", Json::array({"food"}),
            {"assistance.services[0] enum.invalid"}),
    });
    {
        // The exception applies only when the victim did not comply (its show_if).
        Json r = with("i914b", "cooperation.complied_with_requests", false);
        REQUIRE(jsonSet(r, "cooperation.exception", "minor"));
        CHECK(errorKeys(check(r)) ==
              std::vector<std::string>{"cooperation.exception enum.invalid"});
    }
    SECTION("every value of every enumeration is accepted") {
        CHECK(crimeActivityIds().size() == 31);
        for (const auto& a : crimeActivityIds()) {
            Json r = with("i918b", "crime.activities", Json::array({a}));
            if (a == "attempt" || a == "conspiracy" || a == "solicitation")
                r["crime"]["activities"].push_back("murder");
            INFO(a);
            CHECK(errorKeys(check(r)).empty());
        }
        for (const char* g : {"male", "female"})
            CHECK(errorKeys(check(with("i918b", "victim.gender", g))).empty());
        for (const char* t : {"federal", "state", "local", "tribal", "territorial"}) {
            CHECK(errorKeys(check(with("i918b", "agency.type", t))).empty());
        }
        for (const char* c : {"law_enforcement", "prosecutor", "judge"}) {
            CHECK(errorKeys(check(with("i918b", "agency.category", c))).empty());
        }
        for (const char* c : {"ongoing", "completed"}) {
            CHECK(errorKeys(check(with("i918b", "agency.case_status", c))).empty());
        }
        Json all = with(
            "i914b", "assistance.services",
            Json::array({"medical", "mental_health", "legal", "case_management", "shelter_housing",
                         "emergency_assistance_fund", "interpretation", "other"}));
        all["assistance"]["services_other"] = "Clothing";
        CHECK(errorKeys(check(all)).empty());
        Json tr =
            with("i914b", "trafficking.labor_purposes",
                 Json::array({"involuntary_servitude", "peonage", "debt_bondage", "slavery"}));
        CHECK(errorKeys(check(tr)).empty());
    }
}

TEST_CASE("duplicates in lists", "[validator][duplicates]") {
    runCases({
        set("i918b", "crime.activities", Json::array({"rape", "kidnapping", "rape"}),
            {"crime.activities[2] duplicate"}),
        set("i914b", "assistance.services", Json::array({"legal", "legal"}),
            {"assistance.services[1] duplicate"}),
        set("i914b", "trafficking.types", Json::array({"labor_trafficking", "labor_trafficking"}),
            {"trafficking.types[1] duplicate"}),
        set("i914b", "trafficking.labor_purposes", Json::array({"peonage", "peonage"}),
            {"trafficking.labor_purposes[1] duplicate"}),
    });
}

TEST_CASE("dates the format does not restrict: future and repeated dates are only warnings",
          "[validator][dates]") {
    // The format forbids future dates only for birth, crime, trafficking, signature and specialist
    // dates.
    auto only = [](const Json& r, const std::string& key) {
        const auto issues = check(r);
        INFO(describe(issues));
        CHECK(errorKeys(issues).empty());
        CHECK(warningKeys(issues) == std::vector<std::string>{key});
    };
    only(with("i914b", "assistance.forensic_interview",
              Json::parse(R"({"conducted": true, "date": "2026-12-05"})")),
         "assistance.forensic_interview.date date.future");
    Json cp = validRecord("i914b");
    cp["assistance"]["continued_presence"]["requested_date"] = "2026-12-01";
    only(cp, "assistance.continued_presence.requested_date date.future");
    only(with("i918b", "crime.dates", Json::array({"2026-03-14", "2026-03-14"})),
         "crime.dates[1] duplicate");
}

TEST_CASE("wrong JSON types name the field and the expected type", "[validator][types]") {
    struct T {
        std::string form, path;
        Json value;
        std::string expected;  // part of the message
    };
    const std::vector<T> cases = {
        {"i918b", "victim.family_name", 42, "text"},
        {"i918b", "victim.date_of_birth", 19900517, "date"},
        {"i918b", "crime.occurred_in_us", "yes", "true or false"},
        {"i918b", "crime.dates", "2026-03-14", "array"},
        {"i914b", "victim", Json::array(), "object"},
        {"i914b", "trafficking.types", "labor_trafficking", "array"},
        {"i914b", "family.members", Json::object(), "array"},
        {"i914b", "agency.type", true, "one of"},
    };
    for (const auto& c : cases) {
        Json r = with(c.form, c.path, c.value);
        // Family members apply only when a family member is implicated (their show_if).
        if (c.path == "family.members") REQUIRE(jsonSet(r, "family.implicated", true));
        const auto issues = check(r);
        INFO(c.path << "\n" << describe(issues));
        const Issue* i = findIssue(issues, c.path, "type.mismatch");
        REQUIRE(i);
        CHECK(i->severity == Severity::Error);
        CHECK(i->message.find(c.expected) != std::string::npos);
        CHECK(i->message.find(jsonTypeName(c.value)) != std::string::npos);  // says what it got
    }
    // Entries of lists.
    const auto issues = check(with("i918b", "crime.dates", Json::array({"2026-03-14", 7})));
    CHECK(errorKeys(issues) == std::vector<std::string>{"crime.dates[1] type.mismatch"});
    Json withMembers = with("i918b", "family.members", Json::array({"Luis"}));
    REQUIRE(jsonSet(withMembers, "family.implicated", true));  // members apply only then
    const auto members = check(withMembers);
    CHECK(errorKeys(members) == std::vector<std::string>{"family.members[0] type.mismatch"});
    // A wrong type is one error, not also "required" or "needs an entry".
    CHECK(errorKeys(check(with("i918b", "victim", ""))) ==
          std::vector<std::string>{"victim type.mismatch"});
    CHECK(errorKeys(check(with("i918b", "agency.official", Json::array()))) ==
          std::vector<std::string>{"agency.official type.mismatch"});
    CHECK(errorKeys(check(with("i918b", "crime.dates", ""))) ==
          std::vector<std::string>{"crime.dates type.mismatch"});
    CHECK(errorKeys(check(with("i914b", "family.implicated", ""))) ==
          std::vector<std::string>{"family.implicated type.mismatch"});
    CHECK(errorKeys(check(with("i914b", "victim.gender", Json::array()))) ==
          std::vector<std::string>{"victim.gender type.mismatch"});
}

TEST_CASE("cross-field date rules", "[validator][dates]") {
    runCases({
        // Not in the future.
        set("i918b", "crime.dates", Json::array({"2026-11-29"}),
            {"crime.dates[0] date.future", "crime.dates[0] date.after_signature"}),
        set("i918b", "certification.signature_date", "2026-11-29",
            {"certification.signature_date date.future"}),
        set("i914b", "certification.signature_date", "2026-12-01",
            {"certification.signature_date date.future"}),
        set("i914b", "trafficking.start_date", "2026-11-29",
            {"trafficking.start_date date.future", "trafficking.start_date date.after_signature",
             "trafficking.end_date date.order"}),
        set("i914b", "trafficking.end_date", "2026-11-29",
            {"trafficking.end_date date.future", "trafficking.end_date date.after_signature"}),
        set("i914b", "assistance.victim_specialist.date", "2026-11-29",
            {"assistance.victim_specialist.date date.future"}),
        set("i918b", "victim.date_of_birth", "2026-11-29",
            {"victim.date_of_birth date.future", "crime.dates[0] date.before_birth"}),
        // Today itself is not the future.
        set("i918b", "certification.signature_date", "2026-11-28", {}),
        // (The valid I-914B was signed on 2026-11-02, so an end date today is after it.)
        set("i914b", "trafficking.end_date", "2026-11-28",
            {"trafficking.end_date date.after_signature"}),
        // Not before birth.
        set("i918b", "crime.dates", Json::array({"2026-03-14", "1990-05-16"}),
            {"crime.dates[1] date.before_birth"}),
        set("i918b", "crime.dates", Json::array({"1990-05-17"}), {}),
        set("i914b", "trafficking.start_date", "1990-05-16",
            {"trafficking.start_date date.before_birth"}),
        // Not after the signature.
        set("i918b", "crime.dates", Json::array({"2026-03-14", "2026-11-03"}),
            {"crime.dates[1] date.after_signature"}),
        set("i918b", "crime.dates", Json::array({"2026-11-02"}), {}),
        set("i918b", "certification.signature_date", "2026-03-13",
            {"crime.dates[0] date.after_signature",
             "certification.signature_date certification.expired"}),
        // End date not before the start date.
        set("i914b", "trafficking.end_date", "2025-01-31", {"trafficking.end_date date.order"}),
        set("i914b", "trafficking.end_date", "2025-02-01", {}),
        // Age at most 120.
        set("i914b", "victim.date_of_birth", "1905-11-28",
            {"victim.date_of_birth date.implausible_age"}),
        set("i914b", "victim.date_of_birth", "1905-11-29", {}),
    });
    const auto issues = check(with("i918b", "crime.dates", Json::array({"2026-11-03"})));
    // A consistency rule, not the six-month rule of 8 CFR 214.14(c)(2)(i): no citation.
    CHECK(findIssue(issues, "crime.dates[0]", "date.after_signature")->citation.empty());
}

TEST_CASE("sex trafficking of a minor and the under-18 exception", "[validator][age]") {
    auto minor = [](const char* birth) {
        Json r = with("i914b", "trafficking.types", Json::array({"sex_trafficking_minor"}));
        r["trafficking"].erase("labor_purposes");
        r["victim"]["date_of_birth"] = birth;
        return errorKeys(check(r));
    };
    // start_date is 2025-02-01.
    CHECK(minor("1990-05-17") ==
          std::vector<std::string>{"trafficking.types trafficking.minor_age"});
    CHECK(minor("2007-02-01") ==
          std::vector<std::string>{"trafficking.types trafficking.minor_age"});  // 18 that day
    CHECK(minor("2007-02-02").empty());                                          // 17 that day
    CHECK(minor("2010-06-30").empty());

    auto exception = [](const char* birth) {
        Json r = with("i914b", "cooperation.complied_with_requests", false);
        r["cooperation"]["exception"] = "under_18";
        r["victim"]["date_of_birth"] = birth;
        return errorKeys(check(r));
    };
    CHECK(exception("1990-05-17") ==
          std::vector<std::string>{"cooperation.exception cooperation.under_18_age"});
    CHECK(exception("2007-02-01") ==
          std::vector<std::string>{"cooperation.exception cooperation.under_18_age"});
    CHECK(exception("2007-02-02").empty());
}

TEST_CASE("attempt, conspiracy and solicitation need a named crime", "[validator][crime]") {
    for (const char* inchoate : {"attempt", "conspiracy", "solicitation"}) {
        INFO(inchoate);
        const auto issues = check(with("i918b", "crime.activities", Json::array({inchoate})));
        CHECK(errorKeys(issues) ==
              std::vector<std::string>{"crime.activities crime.inchoate_without_crime"});
        CHECK(findIssue(issues, "crime.activities", "crime.inchoate_without_crime")->citation ==
              "INA 101(a)(15)(U)(iii)");
        CHECK(errorKeys(check(
                  with("i918b", "crime.activities", Json::array({"attempt", "conspiracy"})))) ==
              std::vector<std::string>{"crime.activities crime.inchoate_without_crime"});
        CHECK(errorKeys(check(with("i918b", "crime.activities", Json::array({inchoate, "murder"}))))
                  .empty());
    }
}

TEST_CASE("helpfulness: information and helpfulness are required to be true",
          "[validator][helpfulness]") {
    auto issues = check(with("i918b", "helpfulness.possesses_information", false));
    CHECK(errorKeys(issues) ==
          std::vector<std::string>{"helpfulness.possesses_information helpfulness.no_information"});
    CHECK(findIssue(issues, "helpfulness.possesses_information", "helpfulness.no_information")
              ->citation == "8 CFR 214.14(b)(2)");
    issues = check(with("i918b", "helpfulness.helpful", false));
    CHECK(errorKeys(issues) ==
          std::vector<std::string>{"helpfulness.helpful helpfulness.not_helpful"});
    CHECK(findIssue(issues, "helpfulness.helpful", "helpfulness.not_helpful")->citation ==
          "8 U.S.C. 1184(p)(1); 8 CFR 214.14(b)(3)");
}

TEST_CASE("six-month validity of an I-918B", "[validator][validity]") {
    SECTION("last day: signature + 6 months - 1 day, clamped to the month end") {
        const std::vector<std::pair<std::string, std::string>> table = {
            {"2026-04-01", "2026-09-30"}, {"2025-08-31", "2026-02-28"},
            {"2023-08-31", "2024-02-29"}, {"2026-03-01", "2026-08-31"},
            {"2026-11-02", "2027-05-01"}, {"2026-01-31", "2026-07-30"},
            {"2025-08-30", "2026-02-28"}, {"2025-08-28", "2026-02-27"},
            {"2026-12-15", "2027-06-14"}, {"2026-07-01", "2026-12-31"},
            {"2026-09-01", "2027-02-28"}, {"2027-09-01", "2028-02-29"},
        };
        for (const auto& [signed_, last] : table) {
            INFO(signed_);
            CHECK(certificationLastDay(*Date::parseIso(signed_)).iso() == last);
        }
    }
    auto run = [](const char* signedOn, const char* today) {
        Json r = with("i918b", "certification.signature_date", signedOn);
        r["crime"]["dates"] = Json::array({"2025-03-14"});
        return check(r, *Date::parseIso(today));
    };
    const std::string sig = "certification.signature_date";
    SECTION("signed 2026-04-01: last day 2026-09-30") {
        auto issues = run("2026-04-01", "2026-09-30");
        CHECK(errorKeys(issues).empty());
        CHECK(warningKeys(issues) == std::vector<std::string>{sig + " certification.expiring"});
        CHECK(findIssue(issues, sig, "certification.expiring")->message.find("09/30/2026") !=
              std::string::npos);
        issues = run("2026-04-01", "2026-10-01");
        CHECK(errorKeys(issues) == std::vector<std::string>{sig + " certification.expired"});
        CHECK(findIssue(issues, sig, "certification.expired")->citation == "8 CFR 214.14(c)(2)(i)");
        CHECK(findIssue(issues, sig, "certification.expired")->message.find("09/30/2026") !=
              std::string::npos);
        CHECK(errorKeys(run("2026-04-01", "2026-11-28")) ==
              std::vector<std::string>{sig + " certification.expired"});
    }
    SECTION("signed 2025-08-31: last day 2026-02-28") {
        CHECK(errorKeys(run("2025-08-31", "2026-02-28")).empty());
        CHECK(warningKeys(run("2025-08-31", "2026-02-28")) ==
              std::vector<std::string>{sig + " certification.expiring"});
        CHECK(errorKeys(run("2025-08-31", "2026-03-01")) ==
              std::vector<std::string>{sig + " certification.expired"});
    }
    SECTION("45 days or fewer left is a warning") {
        // Signed 2026-11-02: last day 2027-05-01; 45 days before is 2027-03-17.
        CHECK(run("2026-11-02", "2027-03-17").size() == 1);
        CHECK(warningKeys(run("2026-11-02", "2027-03-17")) ==
              std::vector<std::string>{sig + " certification.expiring"});
        CHECK(run("2026-11-02", "2027-03-16").empty());
        CHECK(run("2026-11-02", "2026-11-28").empty());
    }
    SECTION("no signature date, or an I-914B: no validity window") {
        CHECK(errorKeys(check(without("i918b", "certification.signature_date"), Date{2030, 1, 1}))
                  .empty());
        Json t = with("i914b", "certification.signature_date", "2025-10-01");
        t["trafficking"]["end_date"] = "2025-09-30";
        CHECK(errorKeys(check(t)).empty());
        CHECK(findIssue(check(t), sig, "certification.expiring") == nullptr);
    }
}

TEST_CASE("Continued Presence cross-field rules", "[validator][continued_presence]") {
    const std::string cp = "assistance.continued_presence";
    auto granted = [](const char* req, const char* dec, const char* exp) {
        Json r = validRecord("i914b");
        r["assistance"]["continued_presence"] = {{"status", "granted"},
                                                 {"requested_date", req},
                                                 {"decision_date", dec},
                                                 {"expiration_date", exp},
                                                 {"federal_sponsor", "HSI Riverton"}};
        return check(r);
    };
    CHECK(granted("2026-10-01", "2026-10-20", "2028-10-20").empty());
    CHECK(errorKeys(granted("2026-10-01", "2026-09-30", "2028-10-20")) ==
          std::vector<std::string>{cp + ".decision_date date.order"});
    CHECK(
        errorKeys(granted("2026-10-01", "2026-10-01", "2028-10-20")).empty());  // same day is fine
    CHECK(errorKeys(granted("2026-10-01", "2026-10-20", "2026-10-20")) ==
          std::vector<std::string>{cp + ".expiration_date date.order"});
    CHECK(errorKeys(granted("2026-10-01", "2026-10-20", "2026-10-19")) ==
          std::vector<std::string>{cp + ".expiration_date date.order"});
    // 60 days or fewer left is a warning (today 2026-11-28 + 60 = 2027-01-27).
    CHECK(warningKeys(granted("2026-10-01", "2026-10-20", "2027-01-27")) ==
          std::vector<std::string>{cp + ".expiration_date continued_presence.expiring"});
    CHECK(errorKeys(granted("2026-10-01", "2026-10-20", "2027-01-27")).empty());
    CHECK(granted("2026-10-01", "2026-10-20", "2027-01-28").empty());

    SECTION("not_requested is a warning for an I-914B only") {
        Json t = validRecord("i914b");
        t["assistance"]["continued_presence"] = {{"status", "not_requested"}};
        auto issues = check(t);
        CHECK(errorKeys(issues).empty());
        CHECK(warningKeys(issues) ==
              std::vector<std::string>{cp + ".status continued_presence.not_requested"});
        CHECK(findIssue(issues, cp + ".status", "continued_presence.not_requested")->citation ==
              "22 U.S.C. 7105(c)(3)");
        Json u = validRecord("i918b");
        u["assistance"]["continued_presence"] = {{"status", "not_requested"}};
        CHECK(check(u).empty());
    }
}

TEST_CASE("warnings", "[validator][warnings]") {
    auto only = [](const Json& r, const std::string& key) {
        const auto issues = check(r);
        INFO(describe(issues));
        CHECK(errorKeys(issues).empty());
        CHECK(warningKeys(issues) == std::vector<std::string>{key});
    };
    only(without("i918b", "crime.injury"), "crime.injury crime.injury_empty");
    only(with("i918b", "crime.injury", "  "), "crime.injury crime.injury_empty");
    only(without("i918b", "helpfulness.description"),
         "helpfulness.description helpfulness.description_empty");
    Json notContacted = validRecord("i914b");
    notContacted["assistance"]["victim_specialist"] = {{"contacted", false}};
    only(notContacted,
         "assistance.victim_specialist.contacted assistance.specialist_not_contacted");
    // Unknown keys: kept and reported, at any depth.
    only(with("i918b", "case_officer_notes", "x"), "case_officer_notes record.unknown_key");
    only(with("i914b", "victim.nickname", "x"), "victim.nickname record.unknown_key");
    Json member = with("i918b", "family.implicated", true);
    member["family"]["members"] = Json::parse(
        R"([{"family_name": "Rivera", "given_name": "Luis", "relationship": "Brother", "involvement": "Drove.", "age": 30}])");
    only(member, "family.members[0].age record.unknown_key");
    // Keys of the other form.
    only(with("i918b", "trafficking", validRecord("i914b")["trafficking"]),
         "trafficking record.other_form");
    only(with("i918b", "agency.supervisor", validRecord("i914b")["agency"]["supervisor"]),
         "agency.supervisor record.other_form");
    only(with("i914b", "crime", validRecord("i918b")["crime"]), "crime record.other_form");
    only(with("i914b", "agency.official.role", "head"), "agency.official.role record.other_form");
    only(with("i918b", "victim.ssn", "123-45-6789"), "victim.ssn record.other_form");
    // Unknown keys are reported, never quoting their value.
    const auto issues = check(with("i918b", "victim.secret", "Jane Roe"));
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].message.find("Jane Roe") == std::string::npos);
}

TEST_CASE("text length limit", "[validator][text]") {
    const auto issues = check(with("i918b", "agency.name", std::string(501, 'x')));
    CHECK(errorKeys(issues) == std::vector<std::string>{"agency.name text.too_long"});
    CHECK(check(with("i918b", "agency.name", std::string(500, 'x'))).empty());
    // Characters, not bytes.
    std::string e500;
    for (int i = 0; i < 500; ++i) e500 += "\xC3\xA9";
    CHECK(check(with("i918b", "agency.name", e500)).empty());
}

TEST_CASE("a record that is not an object, or has no known form", "[validator]") {
    ValidationOptions o;
    o.today = kToday;
    const auto a = validateRecord(Record(Json::array()), o);
    REQUIRE(a.size() == 1);
    CHECK(a[0].code == "record.not_object");
    const auto b = check(Json::object());
    CHECK(hasIssue(b, Severity::Error, "form", "required.missing"));
    CHECK(hasIssue(b, Severity::Error, "victim", "required.missing"));
}

TEST_CASE("issueToJson shape", "[validator]") {
    Issue i{Severity::Warning, "crime.injury", "crime.injury_empty", "Describe it.", ""};
    Json j = issueToJson(i);
    CHECK(j == Json::parse(
                   R"({"severity": "warning", "field": "crime.injury", "code": "crime.injury_empty",
                                "message": "Describe it."})"));
    i.citation = "8 CFR 214.14(b)(3)";
    i.severity = Severity::Error;
    CHECK(issueToJson(i)["citation"] == "8 CFR 214.14(b)(3)");
    CHECK(issueToJson(i)["severity"] == "error");
}

TEST_CASE("every example record validates without errors", "[validator][examples]") {
    namespace fs = std::filesystem;
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(lecert::test::sourceFile("examples"))) {
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 6);
    std::set<std::string> forms;
    for (const auto& f : files) {
        Json j = lecert::test::loadJson(f);
        normalizeRecord(j);
        ValidationOptions o;
        o.today = kToday;
        const Record r(j);
        if (r.form()) forms.insert(std::string(formToString(*r.form())));
        const auto issues = validateRecord(r, o);
        INFO(f << "\n" << describe(issues));
        CHECK(errorKeys(issues).empty());
    }
    CHECK(forms == std::set<std::string>{"i914b", "i918b"});
}

TEST_CASE("any value of any JSON type at any path gives issues, never a crash",
          "[validator][robustness]") {
    const std::vector<Json> odd = {nullptr,
                                   0,
                                   -1,
                                   1.5,
                                   true,
                                   false,
                                   "",
                                   "x",
                                   "2026-02-30",
                                   Json::array(),
                                   Json::array({Json::array()}),
                                   Json::array({Json::object()}),
                                   Json::object(),
                                   Json::parse(R"({"x": [1, {"y": null}]})")};
    std::size_t runs = 0;
    for (const auto& form : kForms) {
        Json base = validRecord(form);
        base["family"]["implicated"] = true;
        base["family"]["members"] = Json::parse(
            R"([{"family_name": "Rivera", "given_name": "Luis", "relationship": "Brother", "involvement": "Drove."}])");
        base["victim"]["other_names"] = Json::parse(R"([{"family_name": "Perez"}])");
        base["additional_information"] =
            Json::parse(R"([{"part": "3", "item": "5", "text": "More."}])");
        base["assistance"]["interpreter"] = {{"used", true}, {"language", "Spanish"}};
        // Every path in the record, containers included.
        std::vector<std::string> paths;
        std::function<void(const Json&, const std::string&)> collect = [&](const Json& j,
                                                                           const std::string& p) {
            if (!p.empty()) paths.push_back(p);
            if (j.is_object()) {
                for (auto it = j.begin(); it != j.end(); ++it)
                    collect(it.value(), joinPath(p, it.key()));
            } else if (j.is_array()) {
                for (std::size_t i = 0; i < j.size(); ++i) collect(j[i], indexPath(p, i));
            }
        };
        collect(base, "");
        REQUIRE(paths.size() > 60);
        for (const auto& path : paths) {
            for (const auto& value : odd) {
                Json r = base;
                REQUIRE(jsonSet(r, path, value));
                const auto issues = check(r);
                ++runs;
                for (const auto& i : issues) {
                    INFO(path << " = " << value.dump() << ": " << i.field << " " << i.code);
                    CHECK_FALSE(i.code.empty());
                    CHECK_FALSE(i.message.empty());
                    CHECK(i.message.find("Rivera") == std::string::npos);
                }
            }
            Json r = base;
            REQUIRE(jsonErase(r, path));
            (void)check(r);
        }
    }
    CHECK(runs > 1000);
}

TEST_CASE("records using every key of the format, written from the format alone, have no errors",
          "[validator][full]") {
    const Json i918b = Json::parse(R"J({
      "form": "i918b", "edition": "2025-01-20", "id": "RPD-2026.0412_a",
      "victim": {"family_name": "Rivera", "given_name": "Ana", "middle_name": "Luz",
                 "other_names": [{"family_name": "Perez", "given_name": "Ana"}, {"given_name": "Anita"},
                                 {"family_name": "Rivera Perez", "given_name": "Ana", "middle_name": "L"}],
                 "date_of_birth": "05/17/1990", "gender": "female", "a_number": "A-123-456-789"},
      "agency": {"name": "Riverton County Department of Social Services", "type": "local",
                 "category": "other", "category_other": "Child protective services",
                 "official": {"family_name": "Okafor", "given_name": "Grace", "middle_name": "N",
                              "title": "Deputy Director", "division": "Special Investigations",
                              "role": "designated", "phone": "555.010.2345 ext. 204",
                              "email": "g.okafor@riverton.example.gov"},
                 "head": {"family_name": "Brandt", "given_name": "Tomas", "middle_name": "J"},
                 "address": {"street": "100 Main Street", "unit_type": "flr", "unit_number": "3",
                             "city": "Riverton", "state": "PR", "zip": "00901-1234", "country": "United States"},
                 "case_number": "DSS-2026-0412", "case_status": "other",
                 "case_status_other": "Closed, pending civil proceedings", "fbi_or_sid_number": "WY12345678"},
      "crime": {"activities": ["attempt", "kidnapping", "felonious_assault", "witness_tampering", "trafficking"],
                "dates": ["01/02/2026", "2026-01-03", "2026-01-04", "2026-01-05", "2026-01-06"],
                "citations": "18 U.S.C. 1201; 18 U.S.C. 1512",
                "occurred_in_us": false,
                "location_explanation": "The victim was taken across the border to Nogales, Sonora.",
                "extraterritorial_violation": true, "extraterritorial_citation": "18 U.S.C. 1201(a)(1)",
                "description": "Line one.\nLine two.", "injury": "Bruises; see the attached medical report."},
      "helpfulness": {"possesses_information": true, "helpful": true, "refused_or_failed": true,
                      "refusal_explanation": "She missed one interview during a hospital stay.",
                      "description": "She identified the suspects and testified before the grand jury."},
      "family": {"implicated": true, "members": [
          {"family_name": "Rivera", "given_name": "Luis", "middle_name": "A", "relationship": "Brother",
           "involvement": "Drove the car."},
          {"family_name": "Rivera", "given_name": "Marta", "relationship": "Aunt", "involvement": "Kept her passport."},
          {"family_name": "Perez", "given_name": "Jorge", "relationship": "Cousin", "involvement": "Made threats."},
          {"family_name": "Perez", "given_name": "Rosa", "relationship": "Cousin", "involvement": "Sent messages."}]},
      "certification": {"signature_date": "11/02/2026"},
      "assistance": {
        "victim_specialist": {"contacted": true, "name": "Dana Whitfield", "organization": "Riverton Victim Services",
                              "phone": "(555) 010-9876", "email": "dana@rvs.example.org", "date": "2026-01-07"},
        "services": ["medical", "mental_health", "legal", "case_management", "shelter_housing",
                     "emergency_assistance_fund", "interpretation", "other"],
        "services_other": "Transport to court",
        "continued_presence": {"status": "granted", "requested_date": "2026-02-01", "decision_date": "2026-03-01",
                               "expiration_date": "2028-03-01", "federal_sponsor": "HSI Riverton"},
        "interpreter": {"used": true, "language": "Spanish"},
        "forensic_interview": {"conducted": true, "specialist": "Chris Moore", "date": "2026-01-08"},
        "interview": {"neutral_location": true, "urgent_needs_met_first": true},
        "hsi_contacted": true, "task_force": "Riverton Human Trafficking Task Force",
        "safety_concerns": "The suspects know her address.", "notes": "Follow up in December."},
      "additional_information": [{"part": "3", "item": "1", "text": "Fifth date: see above."},
                                 {"part": "5", "item": "2", "text": "Fourth family member."}],
      "review": {"status": "submitted", "comments": [], "events": []}
    })J");
    auto issues = check(i918b);
    INFO(describe(issues));
    CHECK(errorKeys(issues).empty());
    // Only the warning the format implies for refused_or_failed = true.
    CHECK(warningKeys(issues) ==
          std::vector<std::string>{"helpfulness.refused_or_failed helpfulness.refused"});

    const Json i914b = Json::parse(R"J({
      "form": "i914b",
      "victim": {"family_name": "Nguyen", "given_name": "Mai", "date_of_birth": "2008-06-30", "gender": "female",
                 "a_number": "1234567"},
      "agency": {"name": "Homeland Security Investigations", "type": "federal",
                 "official": {"family_name": "Lee", "given_name": "Sam", "title": "Special Agent",
                              "phone": "+1 (555) 010-3456"},
                 "supervisor": {"family_name": "Diaz", "given_name": "Ruth", "title": "Group Supervisor"},
                 "address": {"street": "1 Federal Plaza", "unit_type": "ste", "unit_number": "400",
                             "city": "Hagatna", "state": "GU", "zip": "96910"},
                 "case_number": "HSI-2026-77", "fbi_or_sid_number": "123456AB1"},
      "trafficking": {"types": ["sex_trafficking_force_fraud_coercion", "sex_trafficking_minor", "labor_trafficking"],
                      "labor_purposes": ["involuntary_servitude", "peonage", "debt_bondage", "slavery"],
                      "start_date": "03/01/2024", "end_date": "2025-12-31", "location": "Hagatna, Guam",
                      "citations": "18 U.S.C. 1591; 18 U.S.C. 1589",
                      "description": "Recruited at 15 and forced to work.", "database_inquiries": "None made."},
      "cooperation": {"complied_with_requests": false, "exception": "under_18",
                      "description": "Too young and traumatised to give a full interview."},
      "family": {"implicated": false},
      "certification": {"signature_date": "2026-11-20"},
      "assistance": {"victim_specialist": {"contacted": true, "name": "Dana Whitfield"},
                     "continued_presence": {"status": "granted", "requested_date": "2026-01-10",
                                            "decision_date": "2026-01-20", "expiration_date": "2028-01-20"}}
    })J");
    issues = check(i914b);
    INFO(describe(issues));
    CHECK(issues.empty());
}

TEST_CASE("signature-date rules hold for both forms", "[validator][dates][both_forms]") {
    // record-format: the signature date is "not before any crime date", for both forms. For an
    // I-914B the crime dates are the start and end of the trafficking.
    runCases({
        set("i918b", "certification.signature_date", "2026-03-13",
            {"crime.dates[0] date.after_signature",
             "certification.signature_date certification.expired"}),
        set("i914b", "certification.signature_date", "2025-01-31",
            {"trafficking.start_date date.after_signature",
             "trafficking.end_date date.after_signature"}),
        set("i914b", "certification.signature_date", "2025-09-29",
            {"trafficking.end_date date.after_signature"}),
        set("i914b", "certification.signature_date", "2025-09-30", {}),
        set("i918b", "certification.signature_date", "2026-03-14",
            {"certification.signature_date certification.expired"}),
    });
    // Not in the future, for both forms.
    for (const auto& form : kForms) {
        INFO(form);
        CHECK(errorKeys(check(with(form, "certification.signature_date", "2026-11-29"))) ==
              std::vector<std::string>{"certification.signature_date date.future"});
    }
    // The end of the trafficking is not before birth even when the start date is missing.
    Json t = without("i914b", "trafficking.start_date");
    t["trafficking"]["end_date"] = "1990-05-16";
    CHECK(errorKeys(check(t)) == sorted({"trafficking.start_date required.missing",
                                         "trafficking.end_date date.before_birth"}));
}

TEST_CASE("an expired I-918B can no longer be filed, one filed in time stays valid",
          "[validator][validity]") {
    Json r = with("i918b", "certification.signature_date", "2026-04-01");
    r["crime"]["dates"] = Json::array({"2025-03-14"});
    const auto issues = check(r);
    const Issue* e = findIssue(issues, "certification.signature_date", "certification.expired");
    REQUIRE(e);
    INFO(e->message);
    CHECK(e->message.find("can no longer be filed") != std::string::npos);
    CHECK(e->message.find("filed in time stays valid") != std::string::npos);
    CHECK(e->message.find("09/30/2026") != std::string::npos);
    CHECK(e->message.find("new signature is needed") == std::string::npos);
    CHECK(e->citation == "8 CFR 214.14(c)(2)(i)");
}

TEST_CASE("I-914B cooperation rules cite the INA and 8 CFR 214.208", "[validator][citations]") {
    const std::string both = "INA 101(a)(15)(T)(i)(III); 8 CFR 214.208";
    Json r = with("i914b", "cooperation.complied_with_requests", false);
    auto issues = check(r);
    REQUIRE(findIssue(issues, "cooperation.exception", "required.conditional"));
    CHECK(findIssue(issues, "cooperation.exception", "required.conditional")->citation == both);
    r["cooperation"]["exception"] = "none";
    issues = check(r);
    REQUIRE(findIssue(issues, "cooperation.exception", "cooperation.no_exception"));
    CHECK(findIssue(issues, "cooperation.exception", "cooperation.no_exception")->citation == both);
    r["cooperation"]["exception"] = "under_18";
    issues = check(r);
    REQUIRE(findIssue(issues, "cooperation.exception", "cooperation.under_18_age"));
    CHECK(findIssue(issues, "cooperation.exception", "cooperation.under_18_age")->citation == both);
}

TEST_CASE("Continued Presence: who files it, two-year grants, U records without trafficking",
          "[validator][continued_presence]") {
    const std::string cp = "assistance.continued_presence";
    SECTION("not requested: a federal agency files its own, others go through a federal partner") {
        Json t = validRecord("i914b");
        t["assistance"]["continued_presence"] = {{"status", "not_requested"}};
        const auto localIssues = check(t);
        const Issue* local =
            findIssue(localIssues, cp + ".status", "continued_presence.not_requested");
        REQUIRE(local);
        INFO(local->message);
        CHECK(local->message.find("federal law enforcement") != std::string::npos);
        CHECK(local->message.find("federal partner") != std::string::npos);
        CHECK(local->message.find("FBI") != std::string::npos);
        t["agency"]["type"] = "federal";
        const auto issues = check(t);
        const Issue* federal =
            findIssue(issues, cp + ".status", "continued_presence.not_requested");
        REQUIRE(federal);
        INFO(federal->message);
        CHECK(federal->message.find("your agency") != std::string::npos);
        CHECK(federal->message.find("federal partner") == std::string::npos);
    }
    auto granted = [](const std::string& form, const char* dec, const char* exp) {
        Json r = validRecord(form);
        r["assistance"]["continued_presence"] = {{"status", "granted"},
                                                 {"requested_date", "2026-10-01"},
                                                 {"decision_date", dec},
                                                 {"expiration_date", exp},
                                                 {"federal_sponsor", "HSI Riverton"}};
        if (form == "i918b") r["crime"]["activities"] = Json::array({"trafficking"});
        return check(r);
    };
    SECTION("an expiration more than two years after the grant is a warning, both forms") {
        for (const auto& form : kForms) {
            INFO(form);
            CHECK(granted(form, "2026-10-20", "2028-10-20").empty());
            const auto issues = granted(form, "2026-10-20", "2028-10-21");
            CHECK(errorKeys(issues).empty());
            CHECK(warningKeys(issues) ==
                  std::vector<std::string>{cp +
                                           ".expiration_date continued_presence.over_two_years"});
            CHECK(findIssue(issues, cp + ".expiration_date", "continued_presence.over_two_years")
                      ->citation == "22 U.S.C. 7105(c)(3)");
        }
    }
    SECTION("CP on a U record with no trafficking activity is a warning") {
        Json u = validRecord("i918b");
        u["assistance"]["continued_presence"] = {
            {"status", "requested"}, {"requested_date", "2026-10-01"}, {"federal_sponsor", "HSI"}};
        auto issues = check(u);
        CHECK(errorKeys(issues).empty());
        CHECK(warningKeys(issues) ==
              std::vector<std::string>{cp + ".status continued_presence.no_trafficking"});
        for (const char* act : {"trafficking", "involuntary_servitude", "peonage", "slave_trade"}) {
            INFO(act);
            u["crime"]["activities"] = Json::array({"felonious_assault", act});
            CHECK(check(u).empty());
        }
        u["crime"]["activities"] = Json::array({"felonious_assault"});
        for (const char* s : {"not_requested", "not_applicable"}) {
            u["assistance"]["continued_presence"] = {{"status", s}};
            CHECK(check(u).empty());
        }
        // Never for an I-914B: it is a trafficking record.
        CHECK(warningKeys(check(validRecord("i914b"))).empty());
    }
}

TEST_CASE("a judge signing for an agency that is not a court is a warning",
          "[validator][who_signs]") {
    Json r = with("i918b", "agency.official.role", "judge");
    auto issues = check(r);
    CHECK(errorKeys(issues).empty());
    CHECK(warningKeys(issues) ==
          std::vector<std::string>{"agency.official.role agency.judge_not_court"});
    CHECK(findIssue(issues, "agency.official.role", "agency.judge_not_court")->citation ==
          "8 CFR 214.14(a)(2)-(3)");
    r["agency"]["category"] = "judge";
    CHECK(check(r).empty());
    // The other way round is fine: a court's head or designee may sign.
    CHECK(check(with("i918b", "agency.category", "judge")).empty());
}

TEST_CASE("fax numbers have the phone format, both forms", "[validator][format]") {
    for (const auto& form : kForms) {
        INFO(form);
        CHECK(check(with(form, "agency.official.fax", "(555) 010-2399")).empty());
        CHECK(check(with(form, "agency.official.fax", "555.010.2399 x12")).empty());
        CHECK(errorKeys(check(with(form, "agency.official.fax", "010-2399"))) ==
              std::vector<std::string>{"agency.official.fax fax.format"});
        CHECK(errorKeys(check(with(form, "agency.official.fax", "fax me"))) ==
              std::vector<std::string>{"agency.official.fax fax.format"});
    }
}

TEST_CASE("I-914B Social Security number: 9 digits, no 000/666/9xx area, never printed",
          "[validator][format]") {
    for (const char* ok : {"123-45-6789", "123456789", "123 45 6789", "665-12-3456"}) {
        INFO(ok);
        CHECK(check(with("i914b", "victim.ssn", ok)).empty());
        CHECK(isValidSsn(ok));
    }
    for (const char* bad : {"000-12-3456", "666-12-3456", "900-12-3456", "987654321", "12345678",
                            "1234567890", "123-45-678a", "123/45/6789"}) {
        INFO(bad);
        const auto issues = check(with("i914b", "victim.ssn", bad));
        CHECK(errorKeys(issues) == std::vector<std::string>{"victim.ssn ssn.format"});
        for (const auto& i : issues) CHECK(i.message.find(bad) == std::string::npos);
        CHECK_FALSE(isValidSsn(bad));
    }
}

TEST_CASE("I-914B Part 2 items 9-10: case status and agency category are optional",
          "[validator][required]") {
    // Required for an I-918B (Part 2 items 7-8), optional for an I-914B (items 9-10).
    Json t = validRecord("i914b");
    t["agency"]["case_status"] = "ongoing";
    t["agency"]["category"] = "law_enforcement";
    CHECK(check(t).empty());
    t["agency"]["case_status"] = "other";
    t["agency"]["category"] = "other";
    CHECK(errorKeys(check(t)) == sorted({"agency.case_status_other required.conditional",
                                         "agency.category_other required.conditional"}));
    t["agency"]["case_status_other"] = "Suspect abroad";
    t["agency"]["category_other"] = "Labor agency";
    CHECK(check(t).empty());
    t["agency"]["category"] = "police";
    CHECK(errorKeys(check(t)) == std::vector<std::string>{"agency.category enum.invalid"});
    for (const char* path : {"agency.category", "agency.case_status"}) {
        INFO(path);
        CHECK(errorKeys(check(without("i918b", path))) ==
              std::vector<std::string>{std::string(path) + " required.missing"});
        CHECK(errorKeys(check(with("i918b", path, nullptr))) ==
              std::vector<std::string>{std::string(path) + " required.missing"});
    }
}
