// SPDX-License-Identifier: MIT
// Filling the official I-918B (01/20/25) through its edition map, on stand-ins written by
// tests/official_standin (the real PDF cannot be downloaded here): values read back by full
// field name (qpdf), check-box states, appearances (pdftotext, pixels), the original bytes as
// an exact prefix, overflow into Part 7 and continuation pages, encrypted originals, refusals.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <map>

#include "core/model/form_edition.h"
#include "core/pdf/official_pdf.h"
#include "core/pdf/pdf_io.h"
#include "core/render/official_form.h"
#include "core/util/sha256.h"
#include "pdf_check.h"
#include "support.h"

using namespace lecert;
using namespace lecert::test;

namespace {

const std::string kP0 = "form1[0].#subform[0].";
const std::string kP1 = "form1[0].#subform[1].";
const std::string kP4 = "form1[0].pg4[0].";
const std::string kP5 = "form1[0].#subform[4].";

struct Standins {
    TempDir dir;
    Standins() {
        const auto r = run(shellQuote(LECERT_STANDIN_GENERATOR) + " " + shellQuote(dir.path()));
        REQUIRE(r.exitCode == 0);
    }
    std::string path(const std::string& variant = "") const {
        return dir.file("i918b-standin" + variant + ".pdf");
    }
    std::string bytes(const std::string& variant = "") const { return readText(path(variant)); }
};

// One field as qpdf reports it: value and the first widget's appearance state.
struct FieldState {
    std::string value, as;
    int page = 0;
};

std::map<std::string, FieldState> qpdfFields(const std::string& pdfPath) {
    const auto r = run("qpdf --json --json-key=acroform " + shellQuote(pdfPath));
    REQUIRE(r.exitCode == 0);
    const Json j = Json::parse(r.out);
    std::map<std::string, FieldState> out;
    for (const auto& f : j["acroform"]["fields"]) {
        FieldState s;
        if (f["value"].is_string()) {
            s.value = f["value"].get<std::string>();
            if (s.value.rfind("u:", 0) == 0) s.value = s.value.substr(2);
        }
        if (f["annotation"].contains("appearancestate") &&
            f["annotation"]["appearancestate"].is_string())
            s.as = f["annotation"]["appearancestate"].get<std::string>();
        s.page = f["pageposfrom1"].get<int>();
        out[f["fullname"].get<std::string>()] = s;
    }
    return out;
}

std::shared_ptr<const FormEdition> edition() {
    auto e = formEdition(FormId::I918B, "2025-01-20");
    REQUIRE(e.ok());
    return *e;
}

Json fullRecord() {
    Json r = validRecord("i918b");
    r["victim"]["middle_name"] = "Luz";
    r["victim"]["other_names"] =
        Json::parse(R"([{"family_name": "Rivas", "given_name": "Anita"}])");
    r["agency"]["official"]["division"] = "Special Victims Unit";
    r["agency"]["official"]["fax"] = "555-010-2399";
    r["agency"]["address"]["unit_type"] = "ste";
    r["agency"]["address"]["unit_number"] = "4B";
    r["crime"]["activities"] = Json::parse(R"(["felonious_assault", "stalking"])");
    r["crime"]["dates"] = Json::parse(R"(["2026-03-14", "2026-03-20"])");
    return r;
}

Result<std::string> fillWith(const Json& record, const std::string& pdfBytes,
                             bool flatten = false) {
    auto doc = pdf::OfficialPdf::open(pdfBytes, pdf::FontSet::shared());
    if (!doc) return doc.error();
    auto m = checkOfficialEdition(*edition(), **doc);
    if (!m) return m.error();
    OfficialFormOptions o;
    o.flatten = flatten;
    return renderOfficialForm(*edition(), Record(record), **doc, o);
}

}  // namespace

TEST_CASE("the stand-in has the shape of the 01/20/25 I-918B", "[official]") {
    Standins s;
    const std::string bytes = s.bytes();
    CHECK(bytes.find("/ObjStm") != std::string::npos);  // object streams
    CHECK(bytes.find("/XRef") != std::string::npos);    // cross-reference stream
    auto doc = pdf::OfficialPdf::open(bytes, nullptr);
    REQUIRE(doc.ok());
    CHECK((*doc)->pageCount() == 5);
    CHECK((*doc)->fields().size() == 133);
    CHECK((*doc)->hasXfa());
    const auto* gender = (*doc)->find(kP0 + "Part1_5_checkboxes[0]");
    REQUIRE(gender);
    CHECK(gender->onStates == std::vector<std::string>{"Female"});
    for (const auto& f : (*doc)->fields())
        for (const auto& on : f.onStates) CHECK(on != "Yes");
    auto match = checkOfficialEdition(*edition(), **doc);
    REQUIRE(match.ok());
    CHECK_FALSE(match->byHash);  // a stand-in: matched by its field inventory
}

TEST_CASE("a PDF that is not the edition's official file is refused with what was found",
          "[official]") {
    Standins s;
    auto doc = pdf::OfficialPdf::open(s.bytes("-renamed"), nullptr);
    REQUIRE(doc.ok());
    auto match = checkOfficialEdition(*edition(), **doc);
    REQUIRE_FALSE(match.ok());
    CHECK(match.error().message.find("is not the official PDF of i918b edition 2025-01-20") !=
          std::string::npos);
    CHECK(match.error().message.find("Pt1Line2a_FamilyName[0]") != std::string::npos);
    // lecert's own worksheet is not the official form either.
    TempDir tmp;
    const std::string rec = tmp.write("r.json", validRecord("i918b").dump());
    auto ws = test::lecert({"fill", "--today", "2026-11-28", "--worksheet", "--no-cover", "-o",
                            tmp.file("ws.pdf"), rec});
    REQUIRE(ws.exitCode == 0);
    auto bad = test::lecert({"fill", "--today", "2026-11-28", "--no-cover", "--official",
                             tmp.file("ws.pdf"), "-o", tmp.file("o.pdf"), rec});
    CHECK(bad.exitCode == 2);
    CHECK(bad.err.find("is not the official PDF") != std::string::npos);
    CHECK_FALSE(fileExists(tmp.file("o.pdf")));
}

TEST_CASE("fill the stand-in: values by full name, check boxes, appearances, original prefix",
          "[official]") {
    Standins s;
    const std::string original = s.bytes();
    auto filled = fillWith(fullRecord(), original);
    REQUIRE(filled.ok());
    TempDir tmp;
    const std::string out = tmp.file("filled.pdf");
    writeBytes(out, *filled);

    // The original file is an exact prefix; the rest is one incremental update.
    REQUIRE(filled->size() > original.size());
    CHECK(filled->compare(0, original.size(), original) == 0);
    CHECK(run("qpdf --check " + shellQuote(out)).exitCode == 0);
    CHECK(filled->substr(original.size()).find("/Prev ") != std::string::npos);

    auto f = qpdfFields(out);
    CHECK(f[kP0 + "Pt1Line2a_FamilyName[0]"].value == "Rivera");
    CHECK(f[kP5 + "Pt1Line2a_FamilyName[1]"].value == "Rivera");  // page 5 header repeat
    CHECK(f[kP0 + "Pt1Line2a_GivenName[0]"].value == "Ana");
    CHECK(f[kP0 + "Pt1Line2a_MiddleName[0]"].value == "Luz");
    CHECK(f[kP0 + "Pt1Line3a_FamilyName[0]"].value == "Rivas");
    CHECK(f[kP0 + "Part1_Line1_AlienNumber[0]"].value == "012345678");
    CHECK(f[kP0 + "P1_Line4_DateOfBirth[0]"].value == "05/17/1990");
    CHECK(f[kP0 + "Pt2Line3_TitleandDivisionOffice[0]"].value ==
          "Chief of Police, Special Victims Unit");
    CHECK(f[kP0 + "Pt2Line5_State[0]"].value == "WY");
    CHECK(f[kP0 + "AptSteFlrNumber[0]"].value == "4B");
    CHECK(f[kP1 + "Part3_Line2a_Date[0]"].value == "03/14/2026");
    CHECK(f[kP1 + "Part3_Line2b_Date[0]"].value == "03/20/2026");
    CHECK(f[kP4 + "Part6_Line2_Date[0]"].value == "11/02/2026");
    CHECK(f[kP4 + "Part6_Line3_DaytimePhoneNumber[0]"].value == "5550102345");
    CHECK(f[kP4 + "P5_Line4_faxNumber[0]"].value == "5550102399");
    CHECK(f[kP4 + "Pt1Line13_ApplicantSignature[0]"].value.empty());  // wet ink

    // Check boxes carry the PDF's own on-states in /V and /AS.
    CHECK(f[kP0 + "Part1_5_checkboxes[0]"].value == "/Female");
    CHECK(f[kP0 + "Part1_5_checkboxes[0]"].as == "/Female");
    CHECK(f[kP0 + "Part1_5_checkboxes[1]"].as == "/Off");
    CHECK(f[kP0 + "P3_Line4c_Unit[1]"].as == "/STE");
    CHECK(f[kP0 + "Part2_Line6_checkboxes[2]"].as == "/3");    // local
    CHECK(f[kP1 + "Part3_Line1_checkboxes[9]"].as == "/10");   // felonious assault
    CHECK(f[kP1 + "Part3_Line1_checkboxes[26]"].as == "/27");  // stalking
    CHECK(f[kP1 + "Part3_Line4a_chbxyesno[0]"].as == "/Y");
    CHECK(f[kP1 + "Part3_Line4a_chbxyesno[1]"].as == "/Off");
    CHECK(f["form1[0].#subform[2].Part4_Line3_chbxyesno[1]"].as == "/N");

    // No XFA (viewers would show its blank copy), nothing embedded.
    CHECK(run("qpdf --qdf --object-streams=disable " + shellQuote(out) + " " +
              shellQuote(tmp.file("q.pdf")))
              .exitCode == 0);
    CHECK(readText(tmp.file("q.pdf")).find("/XFA") == std::string::npos);
    auto att = pdf::listAttachments(*filled);
    REQUIRE(att.ok());
    CHECK(att->empty());

    // Appearances: the text is there for poppler, and ink sits inside each filled box.
    const std::string text = pdfText(out, 1);
    CHECK(text.find("Rivera") != std::string::npos);
    CHECK(text.find("Chief of Police, Special Victims Unit") != std::string::npos);
    auto doc = pdf::OfficialPdf::open(original, nullptr);
    REQUIRE(doc.ok());
    std::map<int, Raster> pages;
    int checked = 0;
    for (const auto& field : (*doc)->fields()) {
        const auto& st = f[field.name];
        const bool filledText = !st.value.empty() && st.value[0] != '/';
        const bool on = !st.as.empty() && st.as != "/Off";
        if (!filledText && !on) continue;
        if (!pages.count(field.page)) pages[field.page] = renderPage(out, field.page, tmp);
        INFO(field.name);
        CHECK(pages[field.page].inkIn(field.x, field.y, field.w, field.h) > 0);
        ++checked;
    }
    CHECK(checked > 30);
}

TEST_CASE("overflow goes to Part 7 with its item reference, then to continuation pages",
          "[official]") {
    Standins s;
    Json r = fullRecord();
    r["agency"]["type"] = "tribal";  // no box on the 01/20/25 edition
    r["crime"]["dates"] = Json::parse(
        R"(["2026-01-02", "2026-01-09", "2026-01-16", "2026-01-23", "2026-01-30", "2026-02-06"])");
    std::string longText;
    for (int i = 0; i < 60; ++i) longText += "The suspect returned to the workplace again. ";
    r["crime"]["description"] = longText;
    r["family"] = Json::parse(R"({"implicated": true, "members": [
        {"family_name": "A", "given_name": "One", "relationship": "cousin", "involvement": "recruited"},
        {"family_name": "B", "given_name": "Two", "relationship": "uncle", "involvement": "drove"},
        {"family_name": "C", "given_name": "Three", "relationship": "aunt", "involvement": "housed"},
        {"family_name": "Dlast", "given_name": "Four", "relationship": "brother", "involvement": "paid"}]})");
    auto filled = fillWith(r, s.bytes());
    REQUIRE(filled.ok());
    TempDir tmp;
    const std::string out = tmp.file("filled.pdf");
    writeBytes(out, *filled);
    CHECK(run("qpdf --check " + shellQuote(out)).exitCode == 0);
    auto f = qpdfFields(out);
    // Part 7 block 1: agency type (page 1, Part 2, item 6) — never dropped.
    CHECK(f[kP5 + "P8_Line4a_PageNumber[0]"].value == "1");
    CHECK(f[kP5 + "P8_Line4b_PartNumber[0]"].value == "2");
    CHECK(f[kP5 + "P8_Line4c_ItemNumber[0]"].value == "6");
    CHECK(f[kP5 + "Part7_Line4d_AdditionalInfo[0]"].value == "Type of certifying agency: Tribal");
    // No box checked for the agency type.
    for (int i = 0; i < 3; ++i)
        CHECK(f[kP0 + "Part2_Line6_checkboxes[" + std::to_string(i) + "]"].as == "/Off");
    // The description box points to Part 7; its text is on a continuation page.
    CHECK(f[kP1 + "Part3_Line6_Explanation[0]"].value == "See Part 7.");
    CHECK(f[kP1 + "Part3_Line2d_Date[0]"].value == "01/23/2026");
    auto pages = pdf::pageCount(*filled);
    REQUIRE(pages.ok());
    CHECK(*pages >= 6);
    const std::string more = compact(pdfText(out, 6) + (*pages >= 7 ? pdfText(out, 7) : ""));
    CHECK(more.find(compact("Part 7. Additional Information (continuation page 1)")) !=
          std::string::npos);
    const std::string all = compact(pdfText(out));
    CHECK(all.find(compact("Date(s) of criminal activity (continued): 01/30/2026; 02/06/2026")) !=
          std::string::npos);
    CHECK(all.find(compact("Family member 4: Family name: Dlast")) != std::string::npos);
    CHECK(compact(pdfText(out)).find(compact("The suspect returned to the workplace again.")) !=
          std::string::npos);
    CHECK(filled->compare(0, s.bytes().size(), s.bytes()) == 0);
}

TEST_CASE("a value the edition's map does not place is an error naming it", "[official]") {
    Standins s;
    Json r = fullRecord();
    r["victim"]["ssn"] = "123456789";  // an I-914B box; the I-918B has none
    auto filled = fillWith(r, s.bytes());
    REQUIRE_FALSE(filled.ok());
    CHECK(filled.error().where.field == "victim.ssn");
}

TEST_CASE("non-Latin values get an embedded font subset", "[official]") {
    Standins s;
    Json r = fullRecord();
    r["victim"]["given_name"] = "Иван";
    auto filled = fillWith(r, s.bytes());
    REQUIRE(filled.ok());
    TempDir tmp;
    const std::string out = tmp.file("filled.pdf");
    writeBytes(out, *filled);
    CHECK(run("qpdf --check " + shellQuote(out)).exitCode == 0);
    CHECK(pdfText(out, 1).find("Иван") != std::string::npos);
    const auto fonts = run("pdffonts " + shellQuote(out)).out;
    CHECK(fonts.find("DejaVuSans") != std::string::npos);
    CHECK(fonts.find("Helvetica") != std::string::npos);
}

TEST_CASE("encrypted originals (owner password, empty user password) keep their encryption",
          "[official]") {
    Standins s;
    for (const std::string variant : {"-owner", "-owner256"}) {
        INFO(variant);
        const std::string original = s.bytes(variant);
        auto filled = fillWith(fullRecord(), original);
        REQUIRE(filled.ok());
        TempDir tmp;
        const std::string out = tmp.file("filled.pdf");
        writeBytes(out, *filled);
        CHECK(filled->compare(0, original.size(), original) == 0);
        CHECK(run("qpdf --check " + shellQuote(out)).exitCode == 0);
        CHECK(pdf::isEncrypted(*filled));
        auto f = qpdfFields(out);
        CHECK(f[kP0 + "Pt1Line2a_FamilyName[0]"].value == "Rivera");
        CHECK(f[kP0 + "Part1_5_checkboxes[0]"].as == "/Female");
        CHECK(pdfText(out, 1).find("Rivera") != std::string::npos);
        CHECK(renderPage(out, 1, tmp).inkIn(36, 687, 250, 16) > 0);
    }
}

TEST_CASE("flattening draws the values into the pages and leaves no form", "[official]") {
    Standins s;
    auto filled = fillWith(fullRecord(), s.bytes(), true);
    REQUIRE(filled.ok());
    TempDir tmp;
    const std::string out = tmp.file("flat.pdf");
    writeBytes(out, *filled);
    CHECK(run("qpdf --check " + shellQuote(out)).exitCode == 0);
    auto values = pdf::readFieldValues(*filled);
    REQUIRE(values.ok());
    CHECK(values->empty());
    CHECK(pdfText(out, 1).find("Rivera") != std::string::npos);
    CHECK(renderPage(out, 1, tmp).inkIn(36, 687, 250, 16) > 0);
}

TEST_CASE("lecert fill --official, LECERT_OFFICIAL_DIR and verify-official", "[official][cli]") {
    Standins s;
    TempDir tmp;
    const std::string rec = tmp.write("r.json", fullRecord().dump());
    auto r = test::lecert(
        {"fill", "--today", "2026-11-28", "--official", s.path(), "-o", tmp.file("o.pdf"), rec});
    REQUIRE(r.exitCode == 0);
    CHECK(r.err.find("field inventory matches i918b edition 2025-01-20") != std::string::npos);
    CHECK(fileExists(tmp.file("o-cover.pdf")));
    CHECK(readText(tmp.file("o.pdf")).compare(0, s.bytes().size(), s.bytes()) == 0);

    // The stand-in's hash is not a published one: verify says so, and names the edition.
    auto v = test::lecert({"verify-official", tmp.file("o.pdf")});
    CHECK(v.exitCode == 1);
    CHECK(v.out.find("edition: i918b 2025-01-20") != std::string::npos);
    CHECK(v.out.find("NOT verified") != std::string::npos);

    // A data folder whose map lists the stand-in's hash: verify reports the bytes intact, and
    // a changed byte in the original part is caught.
    const std::string data = tmp.file("data");
    std::filesystem::create_directories(data);
    std::filesystem::copy(sourceFile("forms"), data + "/forms",
                          std::filesystem::copy_options::recursive);
    std::filesystem::copy(sourceFile("templates"), data + "/templates",
                          std::filesystem::copy_options::recursive);
    std::filesystem::copy(sourceFile("fonts"), data + "/fonts",
                          std::filesystem::copy_options::recursive);
    const std::string mapPath = data + "/forms/i918b/2025-01-20/official_map.json";
    Json map = loadJson(mapPath);
    map["sha256"].push_back(sha256Hex(s.bytes()));
    writeBytes(mapPath, map.dump(2));
    const std::string env = "LECERT_DATA_DIR=" + shellQuote(data) + " ";
    auto ok = run(env + shellQuote(LECERT_CLI_PATH) + " verify-official " +
                  shellQuote(tmp.file("o.pdf")));
    CHECK(ok.exitCode == 0);
    CHECK(ok.out.find("original bytes intact") != std::string::npos);
    std::string tampered = readText(tmp.file("o.pdf"));
    REQUIRE(tampered.rfind("%PDF-1.7", 0) == 0);
    tampered[7] = '6';  // still a readable PDF, no longer the original bytes
    writeBytes(tmp.file("t.pdf"), tampered);
    auto bad = run(env + shellQuote(LECERT_CLI_PATH) + " verify-official " +
                   shellQuote(tmp.file("t.pdf")));
    CHECK(bad.exitCode == 1);

    // The folder of official PDFs is used when no --official is given.
    std::filesystem::copy_file(s.path(), tmp.file("i918b-2025-01-20.pdf"));
    auto viaDir = run("LECERT_OFFICIAL_DIR=" + shellQuote(tmp.path()) + " " +
                      shellQuote(LECERT_CLI_PATH) + " fill --today 2026-11-28 --no-cover -o " +
                      shellQuote(tmp.file("d.pdf")) + " " + shellQuote(rec));
    CHECK(viaDir.exitCode == 0);
    CHECK(readText(tmp.file("d.pdf")).compare(0, s.bytes().size(), s.bytes()) == 0);

    // Without an official PDF: the worksheet, and stderr says where official PDFs go.
    auto ws =
        test::lecert({"fill", "--today", "2026-11-28", "--no-cover", "-o", tmp.file("w.pdf"), rec});
    CHECK(ws.exitCode == 0);
    CHECK(ws.err.find("LECERT_OFFICIAL_DIR") != std::string::npos);
    CHECK(ws.err.find("not the official USCIS form") != std::string::npos);
}

TEST_CASE("lecert forms inspect prints the inventory, the matching edition and a draft map",
          "[official][cli]") {
    Standins s;
    TempDir tmp;
    auto r = test::lecert({"forms", "inspect", "--draft-map", tmp.file("map.json"), s.path()});
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.find("fields: 133") != std::string::npos);
    CHECK(r.out.find(kP0 + "Part1_5_checkboxes[0]\tcheckbox\t1\t") != std::string::npos);
    CHECK(r.out.find("/Female") != std::string::npos);
    CHECK(r.out.find("matches: i918b edition 2025-01-20") != std::string::npos);
    CHECK(r.out.find("i918b 2025-01-20: 0 fields of the file not in the map, 0 map entries not in "
                     "the file") != std::string::npos);
    const Json draft = loadJson(tmp.file("map.json"));
    CHECK(draft["fields"].size() == 133);
    CHECK(draft["sha256"][0] == sha256Hex(s.bytes()));
    auto renamed = test::lecert({"forms", "inspect", s.path("-renamed")});
    REQUIRE(renamed.exitCode == 0);
    CHECK(renamed.out.find("matches: no installed edition") != std::string::npos);
    auto list = test::lecert({"forms"});
    CHECK(list.out.find("[official map: complete]") != std::string::npos);
    CHECK(list.out.find("[official map: incomplete") != std::string::npos);
}

TEST_CASE("lecert batch --official DIR fills the official PDF for every record",
          "[official][cli]") {
    Standins s;
    TempDir tmp;
    std::filesystem::create_directories(tmp.file("official"));
    std::filesystem::copy_file(s.path(), tmp.file("official/i-918supb.pdf"));
    Json a = fullRecord(), b = fullRecord();
    a["id"] = "rec-a";
    b["id"] = "rec-b";
    b["victim"]["family_name"] = "Ortiz";
    const std::string in = tmp.write("in.jsonl", a.dump() + "\n" + b.dump() + "\n");
    auto r = test::lecert({"batch", "-j", "2", "--quiet", "--no-cover", "--today", "2026-11-28",
                           "--official", tmp.file("official"), "-o", tmp.file("out"), in});
    REQUIRE(r.exitCode == 0);
    const std::string original = s.bytes();
    for (const auto& [id, name] :
         {std::pair<std::string, std::string>{"rec-a", "Rivera"}, {"rec-b", "Ortiz"}}) {
        INFO(id);
        const std::string out = tmp.file("out/" + id + ".pdf");
        const std::string bytes = readText(out);
        CHECK(bytes.compare(0, original.size(), original) == 0);
        CHECK(qpdfFields(out)[kP0 + "Pt1Line2a_FamilyName[0]"].value == name);
    }
}
