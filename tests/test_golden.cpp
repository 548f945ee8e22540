// SPDX-License-Identifier: MIT
// Golden tests per example: every examples/*.json is filled with the CLI (--today fixed, so the
// output is byte-deterministic) and its worksheet's field values (read back with qpdf) and the
// extracted text of the worksheet and cover (pdftotext) are compared with
// tests/data/golden/<example>/. A change in what lecert prints shows up as a reviewed diff of
// those files: scripts/update-golden.sh rewrites them (LECERT_UPDATE_GOLDEN=1).

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "pdf_check.h"
#include "support.h"

using namespace lecert;
using namespace lecert::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kToday = "2026-11-28";

std::vector<std::string> exampleNames() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(sourceFile("examples")))
        if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

// One line per field in document order, "name<TAB>type<TAB>page<TAB>value" with the value as
// qpdf's JSON gives it ("u:" text strings, "/Yes" names); a radio group's widgets share one
// line.
std::string fieldLines(const std::string& pdfPath) {
    const std::string out = runTool("qpdf --json --json-key=acroform " + shellQuote(pdfPath));
    auto json = parseJson(out, "qpdf --json");
    if (!json) FAIL(json.error().toString());
    std::string lines;
    std::set<std::string> seen;
    for (const Json& f : (*json)["acroform"]["fields"]) {
        const std::string name = f.value("fullname", "");
        if (!seen.insert(name).second) continue;
        lines += name + "\t" + f.value("fieldtype", "") + "\tp" +
                 std::to_string(f.value("pageposfrom1", 0)) + "\t" + f["value"].dump() + "\n";
    }
    return lines;
}

// Compares (or, when updating, writes) one golden file; a difference is shown as a diff.
void checkGolden(const std::string& goldenPath, const std::string& actual, const TempDir& dir) {
    if (const char* u = std::getenv("LECERT_UPDATE_GOLDEN"); u && std::string(u) == "1") {
        fs::create_directories(fs::path(goldenPath).parent_path());
        writeBytes(goldenPath, actual);
        return;
    }
    INFO("golden file " << goldenPath << " (scripts/update-golden.sh regenerates it)");
    REQUIRE(fileExists(goldenPath));
    const std::string expected = readText(goldenPath);
    if (expected == actual) return;
    const std::string actualPath = dir.write("actual", actual);
    FAIL("differs from the output:\n"
         << run("diff -u " + shellQuote(goldenPath) + " " + shellQuote(actualPath)).out);
}

}  // namespace

TEST_CASE("every example's worksheet and cover match the golden files", "[golden]") {
    const auto names = exampleNames();
    REQUIRE(names.size() >= 8);
    for (const std::string& name : names) {
        DYNAMIC_SECTION(name) {
            TempDir dir;
            const std::string out = dir.file(name + ".pdf");
            auto r = test::lecert(
                {"fill", "--today", kToday, "-o", out, sourceFile("examples/" + name + ".json")});
            REQUIRE(r.exitCode == 0);
            const std::string cover = dir.file(name + "-cover.pdf");
            const std::string golden = dataFile("golden/" + name + "/");
            checkGolden(golden + "worksheet-fields.tsv", fieldLines(out), dir);
            checkGolden(golden + "worksheet.txt", pdfText(out), dir);
            checkGolden(golden + "cover.txt", pdfText(cover), dir);
        }
    }
}

TEST_CASE("every golden folder belongs to an example", "[golden]") {
    const auto names = exampleNames();
    const std::set<std::string> examples(names.begin(), names.end());
    const fs::path root = dataFile("golden");
    REQUIRE(fs::is_directory(root));
    for (const auto& e : fs::directory_iterator(root)) {
        if (!e.is_directory()) continue;  // README.md
        INFO("tests/data/golden/" << e.path().filename().string()
                                  << " has no examples/*.json; remove it");
        CHECK(examples.count(e.path().filename().string()) == 1);
    }
}
