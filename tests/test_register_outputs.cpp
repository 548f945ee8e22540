// SPDX-License-Identifier: MIT
// What the register gives out: the yearly report as a PDF (same counts as the CSV, bars in the
// charts, readable by Ghostscript), `lecert batch --from-register` (records in, what was
// produced for which version back), and who is acting on a SQLite register (the OS account
// unless it is a trusted desk).
#include <catch2/catch.hpp>
#include <regex>

#include "core/register/local_copy.h"
#include "core/register/report_pdf.h"
#include "core/util/sha256.h"
#include "pdf_check.h"
#include "register_scenarios.h"

using namespace lecert;
using namespace lecert::test;

namespace {

// Fictional year: 5 requests in three months, outcomes of every kind.
void fillYear(RegisterEnv& env) {
    auto clerk = env.as("clerk_c");
    auto a = env.as("ofc_a");
    auto s = env.as("sup_s");
    const char* received[] = {"2026-01-05", "2026-01-20", "2026-03-02", "2026-03-09", "2026-07-14"};
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) {
        const std::string n = std::to_string(i);
        ids.push_back(intakeFor(*clerk, "ofc_a", day(received[i]), i == 1, "Y-" + n));
        REQUIRE(a->saveRecord(ids.back(), recordFor("y-" + n, "Y-" + n), 0).ok());
    }
    for (int i : {0, 2}) {
        REQUIRE(a->submit(ids[static_cast<std::size_t>(i)], "").ok());
        REQUIRE(s->approve(ids[static_cast<std::size_t>(i)], "").ok());
    }
    REQUIRE(clerk->setOutcome(ids[0], RequestOutcome::Certified, day("2026-02-04")).ok());
    REQUIRE(clerk->setOutcome(ids[2], RequestOutcome::Certified, day("2026-03-22")).ok());
    REQUIRE(clerk->setOutcome(ids[1], RequestOutcome::Declined, day("2026-02-19"), "r").ok());
    REQUIRE(clerk->setOutcome(ids[3], RequestOutcome::Withdrawn, day("2026-04-01")).ok());
}

// The value on the line of `label` in pdftotext -layout output; -1 when absent.
long valueAfter(const std::string& text, const std::string& label) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(label + R"( +(\d+)\n)"))) return -1;
    return std::stol(m[1]);
}

// Pixels of the bars' blue in a colour rendering of page 1 (text is black and grey, so only the
// charts have it).
int barPixels(const std::string& pdfPath, const TempDir& dir) {
    const std::string base = dir.file("colour");
    std::remove((base + ".ppm").c_str());
    runTool("pdftoppm -r 72 -f 1 -l 1 -singlefile " + shellQuote(pdfPath) + " " + shellQuote(base));
    std::ifstream in(base + ".ppm", std::ios::binary);
    std::string magic;
    int w = 0, h = 0, maxval = 0;
    in >> magic >> w >> h >> maxval;
    in.get();
    if (!in || magic != "P6" || w <= 0 || h <= 0 || maxval != 255) FAIL("no PPM from pdftoppm");
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
    in.read(reinterpret_cast<char*>(px.data()), static_cast<std::streamsize>(px.size()));
    if (in.gcount() != static_cast<std::streamsize>(px.size())) FAIL("truncated PPM");
    int n = 0;
    for (std::size_t i = 0; i + 2 < px.size(); i += 3) n += px[i + 2] > px[i] + 80;
    return n;
}

}  // namespace

TEST_CASE("register report: the PDF has the CSV's counts, bars, and opens in Ghostscript") {
    SqliteEnv env;
    fillYear(env);
    TempDir tmp;
    auto rep = env.as("sup_s")->report(2026, day("2026-11-28"));
    REQUIRE(rep.ok());
    auto pdf = yearReportPdf(*rep, {day("2026-11-28"), "Harbor City Police Department", ""});
    REQUIRE(pdf.ok());
    const std::string path = tmp.file("report.pdf");
    writeBytes(path, *pdf);
    const std::string text = runTool("pdftotext -layout " + shellQuote(path) + " -");
    const std::string csv = rep->csv();
    // Every count of the CSV reads the same in the PDF.
    std::smatch m;
    auto csvValue = [&csv](const std::string& key) {
        std::smatch mm;
        REQUIRE(std::regex_search(csv, mm, std::regex(key + R"(,(\d+)\n)")));
        return std::stol(mm[1]);
    };
    CHECK(valueAfter(text, "Requests received") == csvValue("requests,received"));
    CHECK(valueAfter(text, "Requests received") == 5);
    CHECK(valueAfter(text, "Certified") == csvValue("outcome,certified"));
    CHECK(valueAfter(text, "Certified") == 2);
    CHECK(valueAfter(text, "Declined") == csvValue("outcome,declined"));
    CHECK(valueAfter(text, "Withdrawn") == csvValue("outcome,withdrawn"));
    CHECK(valueAfter(text, "Pending") == csvValue("outcome,pending"));
    CHECK(valueAfter(text, "Deadlines missed") == csvValue("deadline,missed"));
    CHECK(valueAfter(text, "Median days to respond") == csvValue("response,median_days"));
    const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                            "July",    "August",   "September", "October", "November", "December"};
    for (int i = 0; i < 12; ++i) {
        const std::string mm = (i < 9 ? "2026-0" : "2026-") + std::to_string(i + 1);
        CHECK(valueAfter(text, mm + " " + months[i]) == csvValue("month," + mm));
    }
    for (const auto& [crime, n] : rep->byCrime) CHECK(valueAfter(text, crime) == n);
    CHECK(text.find("Harbor City Police Department") != std::string::npos);

    // Bars: the chart colour covers thousands of pixels; an empty year has none.
    const Raster page = renderPage(path, 1, tmp);
    CHECK(barPixels(path, tmp) > 3000);
    // The outcome chart: the longest bar (certified and pending: 2) spans the chart width.
    CHECK(page.inkIn(290, 0, 260, page.height) > 2000);
    auto empty = env.as("sup_s")->report(2019, day("2026-11-28"));
    REQUIRE(empty.ok());
    auto emptyPdf = yearReportPdf(*empty, {day("2026-11-28"), "", ""});
    REQUIRE(emptyPdf.ok());
    const std::string emptyPath = tmp.file("empty.pdf");
    writeBytes(emptyPath, *emptyPdf);
    CHECK(barPixels(emptyPath, tmp) == 0);
    CHECK(valueAfter(runTool("pdftotext -layout " + shellQuote(emptyPath) + " -"),
                     "Requests received") == 0);

    for (const auto& p : {path, emptyPath}) {
        const auto gs = run("gs -q -dNOPAUSE -dBATCH -dSAFER -dPDFSTOPONERROR -sDEVICE=nullpage " +
                            shellQuote(p) + " 2>&1");
        CHECK(gs.exitCode == 0);
        CHECK(gs.out.empty());
    }
}

TEST_CASE("register report cli: --pdf beside --csv") {
    SqliteEnv env;
    fillYear(env);
    TempDir tmp;
    const std::string pdf = tmp.file("r.pdf"), csv = tmp.file("r.csv");
    auto r = lecert::test::lecert({"register", "--register", env.path(), "--user", "sup_s",
                                   "--today", "2026-11-28", "report", "--year", "2026", "--pdf",
                                   pdf, "--csv", csv});
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.empty());
    CHECK(readText(csv).find("outcome,certified,2\n") != std::string::npos);
    CHECK(valueAfter(runTool("pdftotext -layout " + shellQuote(pdf) + " -"), "Certified") == 2);
}

TEST_CASE("register batch: records from the approved queue in, outputs per version back") {
    SqliteEnv env;
    fillYear(env);  // requests 1 and 3 approved (and certified)
    TempDir tmp;
    const std::string out = tmp.file("out");
    const auto r = run("LECERT_USER=sup_s " + shellQuote(LECERT_CLI_PATH) +
                       " batch -q --today 2026-11-28 --from-register " + shellQuote(env.path()) +
                       " --queue approved --year 2026 -o " + shellQuote(out));
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.err.find("register: 2 record(s) from the approved queue") != std::string::npos);
    CHECK(r.err.find("register: 2 result(s) recorded") != std::string::npos);
    // No field values on the console (the example victim's names).
    const Json sample = recordFor("y-0", "Y-0");
    CHECK(r.err.find(sample["victim"]["family_name"].get<std::string>()) == std::string::npos);
    auto sup = env.as("sup_s");
    for (std::int64_t id : {1, 3}) {
        auto rows = sup->outputs(id);
        REQUIRE(rows.ok());
        REQUIRE(rows->size() == 1);
        const auto& row = rows->front();
        CHECK(row.status == "ok");
        CHECK(row.version == sup->record(id)->version);
        CHECK(row.producedBy == "sup_s");
        const Json files = Json::parse(row.outputs);
        REQUIRE(files.size() == 2);  // form and cover
        for (const auto& f : files) {
            const std::string file = out + "/" + f["file"].get<std::string>();
            REQUIRE(fileExists(file));
            CHECK(f["sha256"] == sha256Hex(readText(file)));
        }
    }
    CHECK(sup->outputs(2)->empty());  // declined, never approved: not in the queue
    // An auditor may read the queue but cannot record outputs.
    const auto aud = run("LECERT_USER=aud_x " + shellQuote(LECERT_CLI_PATH) +
                         " batch -q --today 2026-11-28 --from-register " + shellQuote(env.path()) +
                         " -o " + shellQuote(tmp.file("out2")));
    CHECK(aud.exitCode == 2);
    CHECK(aud.err.find("register: 0 result(s) recorded, 2 not recorded") != std::string::npos);
    // Neither INPUT nor --from-register.
    CHECK(lecert::test::lecert({"batch", "-o", tmp.file("x")}).exitCode == 2);
}

TEST_CASE("register identity: an os-account SQLite register acts as the OS account only") {
    TempDir tmp;
    const std::string path = tmp.file("r.db");
    const std::string me = osLoginName();
    REQUIRE_FALSE(me.empty());
    {
        auto boot = openOrFail(path, "boss", true);  // not initialised yet: the name bootstraps
        REQUIRE(boot->init(RegisterInit{}).ok());
        CHECK(*boot->identity() == RegisterIdentity::OsAccount);
        REQUIRE(boot->addUser({me, RegisterRole::Supervisor, ""}).ok());
    }
    auto named = Register::open(path, RegisterOptions{"ofc_a"});
    REQUIRE_FALSE(named.ok());
    CHECK(isPermissionDenied(named.error()));
    CHECK(named.error().message.find("operating-system account") != std::string::npos);
    auto plain = openOrFail(path, "");
    CHECK(plain->user() == me);
    CHECK(openOrFail(path, me)->user() == me);
    // Re-running init without --identity keeps the mode; with it, switches.
    REQUIRE(plain->init(RegisterInit{}).ok());
    CHECK(*plain->identity() == RegisterIdentity::OsAccount);
    RegisterInit trusted;
    trusted.identity = RegisterIdentity::TrustedDesk;
    REQUIRE(plain->init(trusted).ok());
    CHECK(openOrFail(path, "ofc_a")->user() == "ofc_a");

    // The CLI: --user naming someone else is refused with exit 1 on an os-account register.
    const std::string db = tmp.file("cli.db");
    REQUIRE(lecert::test::lecert({"register", "--register", db, "init", "--admin", me}).exitCode ==
            0);
    auto other = lecert::test::lecert({"register", "--register", db, "--user", "ofc", "list"});
    CHECK(other.exitCode == 1);
    CHECK(other.err.find("operating-system account") != std::string::npos);
    CHECK(lecert::test::lecert({"register", "--register", db, "list"}).exitCode == 0);
}

TEST_CASE("register offline cli: checkout, offline save and submit, status, sync") {
    SqliteEnv env;
    TempDir tmp;
    auto a = env.as("ofc_a");
    const auto id = intakeFor(*a, "ofc_a", day("2026-11-01"), false, "CLI-1");
    REQUIRE(a->saveRecord(id, recordFor("cli-1", "CLI-1"), 0).ok());
    const std::string local = tmp.file("offline.db");
    auto cli = [&](std::vector<std::string> args) {
        std::vector<std::string> all = {"register", "--register", env.path(), "--user",
                                        "ofc_a",    "--local",    local};
        all.insert(all.end(), args.begin(), args.end());
        return lecert::test::lecert(all);
    };
    const std::string sid = std::to_string(id);
    REQUIRE(cli({"checkout", sid}).exitCode == 0);
    const std::string file = tmp.file("rec.json");
    REQUIRE(cli({"offline", "export", sid, "-o", file}).exitCode == 0);
    Json rec = loadJson(file);
    rec["helpfulness"]["description"] = "Edited on the road.";
    writeBytes(file, rec.dump());
    // Offline: no register needed.
    auto noReg = [&](std::vector<std::string> args) {
        std::vector<std::string> all = {"register", "--user", "ofc_a", "--local", local};
        all.insert(all.end(), args.begin(), args.end());
        return lecert::test::lecert(all);
    };
    REQUIRE(noReg({"offline", "save", sid, file}).exitCode == 0);
    REQUIRE(noReg({"offline", "submit", sid, "--note", "done"}).exitCode == 0);
    auto status = noReg({"status"});
    REQUIRE(status.exitCode == 0);
    CHECK(status.out.find(sid + "\t1\t2\t") != std::string::npos);  // base 1, 2 unsynced
    CHECK(status.out.find("\tpending\t") != std::string::npos);
    auto sync = cli({"sync"});
    INFO(sync.out << sync.err);
    REQUIRE(sync.exitCode == 0);
    CHECK(sync.out.find("2 synced, 0 already in the register, 0 conflict(s)") != std::string::npos);
    CHECK(env.as("sup_s")->record(id)->record["review"]["status"] == "submitted");
    // A sync with a conflict exits 1 and says so.
    REQUIRE(cli({"checkout", sid}).exitCode == 0);
    REQUIRE(noReg({"offline", "save", sid, file}).exitCode == 0);
    REQUIRE(env.as("sup_s")->returnToOfficer(id, "again", {}).ok());
    auto conflict = cli({"sync"});
    CHECK(conflict.exitCode == 1);
    CHECK(conflict.out.find("CONFLICT") != std::string::npos);
    // Without a register the sync cannot run: exit 2, nothing lost.
    auto gone = lecert::test::lecert({"register", "--register", tmp.file("nowhere.db"), "--user",
                                      "ofc_a", "--local", local, "sync"});
    CHECK(gone.exitCode == 2);
}
