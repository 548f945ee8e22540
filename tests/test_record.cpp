// SPDX-License-Identifier: MIT
// Record model: field paths, JSON access, normalisation on load, round trip of unknown keys,
// A-Numbers and phone numbers.
#include <catch2/catch.hpp>

#include <string>

#include "core/model/record.h"
#include "core/rules/validator.h"
#include "core/util/json_io.h"
#include "support.h"

using namespace lecert;
using lecert::test::validRecord;

TEST_CASE("FieldPath parses and prints dotted paths with indexes", "[record][path]") {
    for (const char* text :
         {"victim.family_name", "crime.dates[2]", "family.members[0].relationship", "form",
          "a[1][2].b", "additional_information[10].text"}) {
        auto p = FieldPath::parse(text);
        REQUIRE(p);
        CHECK(p->toString() == text);
    }
    auto p = FieldPath::parse("family.members[3].relationship");
    REQUIRE(p);
    CHECK(p->pattern() == "family.members[].relationship");
    REQUIRE(p->segments().size() == 4);
    CHECK(std::get<std::size_t>(p->segments()[2]) == 3);
    CHECK(FieldPath().child("crime").child("dates").element(1).toString() == "crime.dates[1]");
    CHECK(FieldPath::parse("")->empty());
    for (const char* bad : {"a..b", ".a", "a.", "a[", "a[]", "a[x]", "a[-1]", "a[1]."}) {
        INFO(bad);
        CHECK_FALSE(FieldPath::parse(bad));
    }
    CHECK(joinPath("", "victim") == "victim");
    CHECK(joinPath("victim", "a_number") == "victim.a_number");
    CHECK(indexPath("crime.dates", 3) == "crime.dates[3]");
}

TEST_CASE("jsonAt, jsonSet, jsonErase", "[record][path]") {
    Json r = validRecord("i918b");
    REQUIRE(jsonAt(r, "victim.family_name"));
    CHECK(*jsonAt(r, "victim.family_name") == "Rivera");
    CHECK(*jsonAt(r, "crime.dates[0]") == "2026-03-14");
    CHECK(jsonAt(r, "crime.dates[1]") == nullptr);
    CHECK(jsonAt(r, "victim.family_name.x") == nullptr);  // crosses a string
    CHECK(jsonAt(r, "victim[0]") == nullptr);             // an object is not an array
    CHECK(jsonAt(r, "a..b") == nullptr);
    CHECK(jsonAt(r, "") == &r);

    CHECK(jsonSet(r, "family.members[1].relationship", "Aunt"));
    CHECK(r["family"]["members"].size() == 2);
    CHECK(r["family"]["members"][0].is_null());
    CHECK(r["family"]["members"][1]["relationship"] == "Aunt");
    CHECK_FALSE(jsonSet(r, "victim.family_name.x", 1));  // would cross a string
    CHECK_FALSE(jsonSet(r, "", 1));
    CHECK(*jsonAt(r, "victim.family_name") == "Rivera");  // untouched

    CHECK(jsonSet(r, "crime.dates[1]", "2026-03-15"));
    CHECK(jsonErase(r, "crime.dates[0]"));
    CHECK(r["crime"]["dates"] == Json::array({"2026-03-15"}));  // later elements shift
    CHECK(jsonErase(r, "victim.a_number"));
    CHECK_FALSE(r["victim"].contains("a_number"));
    CHECK_FALSE(jsonErase(r, "victim.a_number"));
    CHECK_FALSE(jsonErase(r, "nothing.here"));
    CHECK_FALSE(jsonErase(r, "crime.dates[5]"));
}

TEST_CASE("Record accessors", "[record]") {
    Record rec(validRecord("i914b"));
    CHECK(rec.form() == FormId::I914B);
    CHECK(Record(validRecord("i918b")).form() == FormId::I918B);
    CHECK(rec.string("agency.supervisor.title") == "Captain");
    CHECK(rec.string("cooperation.complied_with_requests").empty());  // not a string
    CHECK(rec.string("no.such").empty());
    CHECK(rec.boolean("cooperation.complied_with_requests") == true);
    CHECK(rec.boolean("family.implicated") == false);
    CHECK_FALSE(rec.boolean("assistance.interpreter.used"));  // absent = not answered
    CHECK_FALSE(rec.boolean("victim.family_name"));
    CHECK(rec.has("victim.a_number"));
    CHECK(rec.set("victim.a_number", nullptr));
    CHECK_FALSE(rec.has("victim.a_number"));  // null = not answered
    CHECK(rec.erase("victim.a_number"));
    CHECK(Record().json().is_object());
    CHECK_FALSE(Record().form());
    CHECK(formFromString("i918b") == FormId::I918B);
    CHECK(formFromString("i914b") == FormId::I914B);
    CHECK_FALSE(formFromString("I918B"));
    CHECK(formToString(FormId::I914B) == "i914b");
}

TEST_CASE("normalizeRecord: NFC, trimming, dates, A-Number", "[record][normalize]") {
    Json r = validRecord("i918b");
    // "José" with a combining acute accent (e + U+0301) becomes the composed U+00E9.
    r["victim"]["given_name"] = "Jose\xCC\x81";
    r["victim"]["family_name"] = "  Rivera\t\n";
    r["victim"]["middle_name"] = "\xC2\xA0Luz\xE2\x80\x83";  // NBSP and em space around
    r["victim"]["date_of_birth"] = " 05/17/1990 ";
    r["victim"]["a_number"] = "A-012-345-678";
    r["crime"]["dates"] = Json::array({"03/14/2026", "2026-03-15", "02/30/2026"});
    r["crime"]["description"] = "  Line one\n  Line two (03/14/2026)  \n";
    r["assistance"]["continued_presence"] = {{"status", "granted"},
                                             {"requested_date", "10/01/2026"},
                                             {"decision_date", "10/20/2026"},
                                             {"expiration_date", "10/20/2028"}};
    r["assistance"]["victim_specialist"]["date"] = "10/02/2026";
    r["assistance"]["forensic_interview"] = {{"conducted", true}, {"date", "10/03/2026"}};
    r["certification"]["signature_date"] = "11/02/2026";
    r["agency"]["name"] = 42;  // wrong type: left for the validator
    r["victim"]["other_names"] = Json::array({{{"family_name", " Perez "}}});
    r["review"] = {{"comments", Json::array({{{"text", " keep me exactly "}}})}};
    r["x_unknown"] = "  kept but trimmed  ";

    normalizeRecord(r);
    CHECK(r["victim"]["given_name"] == "Jos\xC3\xA9");
    CHECK(r["victim"]["family_name"] == "Rivera");
    CHECK(r["victim"]["middle_name"] == "Luz");
    CHECK(r["victim"]["date_of_birth"] == "1990-05-17");
    CHECK(r["victim"]["a_number"] == "012345678");
    CHECK(r["crime"]["dates"] ==
          Json::array({"2026-03-14", "2026-03-15", "02/30/2026"}));           // invalid stays
    CHECK(r["crime"]["description"] == "Line one\n  Line two (03/14/2026)");  // not a date key
    CHECK(r["assistance"]["continued_presence"]["requested_date"] == "2026-10-01");
    CHECK(r["assistance"]["continued_presence"]["decision_date"] == "2026-10-20");
    CHECK(r["assistance"]["continued_presence"]["expiration_date"] == "2028-10-20");
    CHECK(r["assistance"]["victim_specialist"]["date"] == "2026-10-02");
    CHECK(r["assistance"]["forensic_interview"]["date"] == "2026-10-03");
    CHECK(r["certification"]["signature_date"] == "2026-11-02");
    CHECK(r["agency"]["name"] == 42);
    CHECK(r["victim"]["other_names"][0]["family_name"] == "Perez");
    CHECK(r["review"]["comments"][0]["text"] == " keep me exactly ");
    CHECK(r["x_unknown"] == "kept but trimmed");

    // Normalising twice changes nothing.
    Json again = r;
    normalizeRecord(again);
    CHECK(again == r);
}

TEST_CASE("unknown keys survive load, normalise, save, load", "[record][roundtrip]") {
    const std::string text = R"({
      "form": "i914b",
      "x_export_system": {"name": "CaseTrack", "version": 7, "flags": [true, null, 2.5]},
      "victim": {"family_name": " Rivera ", "given_name": "Ana", "date_of_birth": "05/17/1990",
                 "gender": "female", "x_case_role": "witness"},
      "family": {"implicated": true,
                 "members": [{"family_name": "Rivera", "given_name": "Luis", "relationship": "Brother",
                              "involvement": "Recruited her.", "x_custody": "detained"}]},
      "x_tail": "last"
    })";
    auto loaded = parseJson(text, "in.json");
    REQUIRE(loaded.ok());
    Json normalised = *loaded;
    normalizeRecord(normalised);

    auto reloaded = parseJson(dumpPretty(normalised), "out.json");
    REQUIRE(reloaded.ok());
    CHECK(*reloaded == normalised);
    CHECK(dumpPretty(*reloaded) == dumpPretty(normalised));  // same key order too

    // Equal to the input apart from the normalisation.
    Json expected = *loaded;
    expected["victim"]["family_name"] = "Rivera";
    expected["victim"]["date_of_birth"] = "1990-05-17";
    CHECK(*reloaded == expected);
    CHECK((*reloaded)["x_export_system"]["flags"] == Json::parse("[true, null, 2.5]"));
    CHECK((*reloaded)["family"]["members"][0]["x_custody"] == "detained");

    // And the validator reports them as warnings, never drops them.
    ValidationOptions o;
    o.today = Date{2026, 11, 28};
    const auto issues = validateRecord(Record(*reloaded), o);
    int unknown = 0;
    for (const auto& i : issues) {
        if (i.code == "record.unknown_key") {
            ++unknown;
            CHECK(i.severity == Severity::Warning);
        }
    }
    CHECK(unknown == 4);
}

TEST_CASE("wrong types on load name the field path and the expected type", "[record][types]") {
    const std::string text =
        R"({"form": "i918b", "victim": {"family_name": ["Rivera"], "given_name": "Ana",
        "date_of_birth": 19900517, "gender": "female"},
        "crime": {"occurred_in_us": "yes", "activities": "rape"},
        "family": {"implicated": 0}})";
    auto j = parseJson(text, "t.json");
    REQUIRE(j.ok());
    normalizeRecord(*j);
    ValidationOptions o;
    o.today = Date{2026, 11, 28};
    const auto issues = validateRecord(Record(*j), o);
    auto find = [&](const std::string& field) -> const Issue* {
        for (const auto& i : issues) {
            if (i.field == field && i.code == "type.mismatch") return &i;
        }
        return nullptr;
    };
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"victim.family_name", "a text string, not array"},
        {"victim.date_of_birth", "a date string (YYYY-MM-DD or MM/DD/YYYY), not integer"},
        {"crime.occurred_in_us", "true or false, not string"},
        {"crime.activities", "an array of values, not string"},
        {"family.implicated", "true or false, not integer"},
    };
    for (const auto& [field, words] : expected) {
        INFO(field);
        const Issue* i = find(field);
        REQUIRE(i);
        CHECK(i->severity == Severity::Error);
        CHECK(i->message.find(words) != std::string::npos);
    }
}

TEST_CASE("normalizeANumber", "[record][a_number]") {
    const std::vector<std::pair<std::string, std::string>> good = {
        {"A123456789", "123456789"}, {"A-123-456-789", "123456789"}, {"12345678", "012345678"},
        {"1234567", "001234567"},    {"a 123.456.789", "123456789"}, {"A012345678", "012345678"},
    };
    for (const auto& [in, out] : good) {
        INFO(in);
        CHECK(normalizeANumber(in) == out);
    }
    for (const char* bad :
         {"", "A", "123456", "1234567890", "A12B456789", "AA12345678", "12345678A", "#1234567"}) {
        INFO(bad);
        CHECK_FALSE(normalizeANumber(bad));
    }
}

TEST_CASE("parsePhone", "[record][phone]") {
    struct P {
        const char* in;
        const char* digits;
        const char* ext;
        const char* formatted;
    };
    for (const P& p : {P{"(555) 010-2345", "5550102345", "", "(555) 010-2345"},
                       P{"555.010.2345", "5550102345", "", "(555) 010-2345"},
                       P{"+1 555 010 2345", "5550102345", "", "(555) 010-2345"},
                       P{"(555) 010-2345 x1234", "5550102345", "1234", "(555) 010-2345 x1234"},
                       P{"555-010-2345 ext. 12", "5550102345", "12", "(555) 010-2345 x12"},
                       P{"555-010-2345 ext 7", "5550102345", "7", "(555) 010-2345 x7"},
                       P{"5550102345X99", "5550102345", "99", "(555) 010-2345 x99"}}) {
        INFO(p.in);
        auto r = parsePhone(p.in);
        REQUIRE(r);
        CHECK(r->digits == p.digits);
        CHECK(r->extension == p.ext);
        CHECK(r->formatted() == p.formatted);
    }
    for (const char* bad : {"", "555-0102", "555-010-23456", "2 555 010 2345", "555-010-2345 x",
                            "555-010-2345 xx1", "555-010-2345 x1234567", "phone"}) {
        INFO(bad);
        CHECK_FALSE(parsePhone(bad));
    }
}
