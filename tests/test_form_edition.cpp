// SPDX-License-Identifier: MIT
// Form editions as data: the shipped folders load with their official maps, and a second,
// test-only edition (tests/data/editions) is picked up without any code naming it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/model/form_edition.h"
#include "support.h"

using namespace lecert;
using namespace lecert::test;

TEST_CASE("the shipped editions load with their official maps", "[forms][edition]") {
    auto all = shippedEditions();
    REQUIRE(all.ok());
    auto u = formEdition(FormId::I918B);
    REQUIRE(u.ok());
    CHECK((*u)->edition == "2025-01-20");
    REQUIRE((*u)->map());
    const OfficialMap& m = *(*u)->map();
    CHECK(m.sha256 == std::vector<std::string>{
                          "a6e189a543c73013dd57062bcd7bb63c2678453dde985cb9a0b965f8be092460"});
    CHECK(m.complete);
    CHECK(m.unmapped.empty());
    // The map names each of the 133 fields of the 01/20/25 PDF exactly once.
    const auto names = m.fieldNames();
    CHECK(names.size() == 133);
    CHECK(std::set<std::string>(names.begin(), names.end()).size() == 133);
    CHECK(m.fieldCount == 133);
    CHECK(m.additionalBlocks.size() == 3);
    auto t = formEdition(FormId::I914B);
    REQUIRE(t.ok());
    REQUIRE((*t)->map());
    CHECK_FALSE((*t)->map()->complete);
    CHECK_FALSE((*t)->map()->unmapped.empty());
}

TEST_CASE("the I-918B map places the new boxes and joins title and division", "[forms][edition]") {
    auto u = formEdition(FormId::I918B);
    REQUIRE(u.ok());
    std::map<std::string, const MapEntry*> byPath;
    for (const auto& e : (*u)->map()->entries)
        for (const auto& p : e.paths) byPath[p] = &e;
    REQUIRE(byPath.count("agency.official.fax"));
    CHECK(byPath["agency.official.fax"]->field == "form1[0].pg4[0].P5_Line4_faxNumber[0]");
    REQUIRE(byPath.count("agency.official.division"));
    CHECK(byPath["agency.official.division"]->paths ==
          std::vector<std::string>{"agency.official.title", "agency.official.division"});
    REQUIRE(byPath.count("agency.type"));
    CHECK(byPath["agency.type"]->otherwiseToAdditional);  // tribal/territorial go to Part 7
    REQUIRE(byPath.count("victim.gender"));
    CHECK(byPath["victim.gender"]->options[0].onState == "Female");
}

TEST_CASE("a second edition is a folder: loaded, selected by name and as the newest",
          "[forms][edition]") {
    const std::string root = dataFile("editions");
    auto extra = loadEditions(root);
    REQUIRE(extra.ok());
    REQUIRE(extra->size() == 1);
    auto shipped = shippedEditions();
    REQUIRE(shipped.ok());
    std::vector<std::shared_ptr<const FormEdition>> all = *shipped;
    all.insert(all.end(), extra->begin(), extra->end());

    auto newest = findEdition(all, FormId::I918B);
    REQUIRE(newest.ok());
    CHECK((*newest)->edition == "2099-01-01");
    CHECK((*newest)->worksheet->title == "Form I-918, Supplement B (test-only edition)");
    REQUIRE((*newest)->map());
    CHECK((*newest)->map()->unmapped == std::vector<std::string>{"victim.middle_name"});

    auto older = findEdition(all, FormId::I918B, "2025-01-20");
    REQUIRE(older.ok());
    CHECK((*older)->worksheet->editionPrinted == "01/20/25");
    auto missing = findEdition(all, FormId::I918B, "2017-04-24");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("2017-04-24") != std::string::npos);
}

TEST_CASE("a record selects its edition, an unknown one is an error", "[forms][edition]") {
    Record r(Json::parse(R"({"form": "i918b", "edition": "2025-01-20"})"));
    auto e = formEditionFor(r);
    REQUIRE(e.ok());
    CHECK((*e)->edition == "2025-01-20");
    Record noEdition(Json::parse(R"({"form": "i914b"})"));
    auto n = formEditionFor(noEdition);
    REQUIRE(n.ok());
    CHECK((*n)->form == FormId::I914B);
    Record bad(Json::parse(R"({"form": "i918b", "edition": "1999-01-01"})"));
    CHECK_FALSE(formEditionFor(bad).ok());
}

TEST_CASE("an edition folder whose files disagree with its name is refused", "[forms][edition]") {
    TempDir tmp;
    const std::string dir = tmp.path() + "/i918b/2030-01-01";
    std::filesystem::create_directories(dir);
    tmp.write("i918b/2030-01-01/worksheet.json",
              R"({"form": "i918b", "edition": "2031-01-01", "title": "T", "parts": [{"id": "v",
                  "title": "V", "items": []}]})");
    auto e = loadFormEditionDir(dir);
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message.find("must match the folder") != std::string::npos);
}

TEST_CASE("one form's editions load without reading the other form's files", "[forms][edition]") {
    // Issue 14: validating or filling a record reads only its own form's folder, so a start
    // costs what that form costs (and a broken folder of the other form does not stop it).
    namespace fs = std::filesystem;
    TempDir dir;
    const fs::path root = fs::path(dir.path()) / "forms";
    fs::create_directories(root);
    fs::copy(sourceFile("forms/i918b"), root / "i918b", fs::copy_options::recursive);
    fs::create_directories(root / "i914b" / "2025-01-20");
    const std::string broken = (root / "i914b" / "2025-01-20" / "worksheet.json").string();
    std::ofstream(broken) << "{ not json";

    auto all = loadEditions(root.string());
    REQUIRE_FALSE(all.ok());
    CHECK_THAT(all.error().toString(), Catch::Contains("worksheet.json"));
    auto u = loadEditions(root.string(), FormId::I918B);
    REQUIRE(u.ok());
    REQUIRE(u->size() == 1);
    CHECK(u->front()->form == FormId::I918B);
    REQUIRE(u->front()->map());
    auto t = loadEditions(root.string(), FormId::I914B);
    REQUIRE_FALSE(t.ok());
    CHECK_THAT(t.error().toString(), Catch::Contains("worksheet.json"));
}

TEST_CASE("an edition's official map is read only when it is used", "[forms][edition]") {
    // Issue 14: validating never needs the official map (a sixth of validating one record), so
    // it is read on first use; a broken one is reported where it is needed.
    namespace fs = std::filesystem;
    TempDir dir;
    const fs::path data = fs::path(dir.path()) / "data";
    fs::create_directories(data);
    for (const char* sub : {"forms", "templates", "fonts", "rules"})
        fs::copy(sourceFile(sub), data / sub, fs::copy_options::recursive);
    const fs::path mapPath = data / "forms" / "i918b" / "2025-01-20" / "official_map.json";
    std::ofstream(mapPath) << "{\n  \"form\": \"i918b\",\n  oops\n}\n";

    auto eds = loadEditions((data / "forms").string(), FormId::I918B);
    REQUIRE(eds.ok());
    const auto& ed = *eds->front();
    REQUIRE(ed.worksheet);
    CHECK_FALSE(ed.map());
    CHECK_THAT(ed.mapProblem(), Catch::Contains(mapPath.string() + ":3:"));
    CHECK_THAT(ed.mapProblem(), Catch::Contains("not valid JSON"));

    // The same through the command line: validate is unaffected, `forms` says what is wrong.
    const std::string env = "LECERT_DATA_DIR=" + shellQuote(data.string()) + " ";
    const auto v = run(env + shellQuote(LECERT_CLI_PATH) + " validate --today 2026-11-28 " +
                       shellQuote(sourceFile("examples/i918b-001-full.json")));
    CHECK(v.exitCode == 0);
    const auto f = run(env + shellQuote(LECERT_CLI_PATH) + " forms");
    CHECK(f.exitCode == 2);
    CHECK_THAT(f.out, Catch::Contains("[official map: cannot be read]"));
    CHECK_THAT(f.err, Catch::Contains("official_map.json:3:"));

    // A map that is not there is no problem, and the worksheet path says nothing of it.
    fs::remove(mapPath);
    auto again = loadEditions((data / "forms").string(), FormId::I918B);
    REQUIRE(again.ok());
    CHECK_FALSE(again->front()->map());
    CHECK(again->front()->mapProblem().empty());
}
