// SPDX-License-Identifier: MIT
// BatchJob (core/batch_job.h) with an injected fake renderer: statuses, report lines, names,
// duplicates, failure isolation, resume, cancellation, -j independence. Then `lecert batch`
// itself with the real renderer: exit codes, byte-identity with `lecert fill`, Ctrl-C + --resume.
#include "core/jobs/batch_job.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "core/pdf/pdf_io.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"
#include "support.h"

using namespace lecert;
using lecert::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Shared by every FakeRenderer of one run.
struct FakeState {
    std::atomic<int> renders{0};
    int cancelAfter = 0;  // > 0: set `cancel` once this many records were rendered
    std::atomic<bool> cancel{false};
    std::mutex mu;
    std::multiset<std::string> renderedIds;
    std::atomic<int> renderers{0};
};

// Deterministic "PDFs": the canonical record plus the options. Records whose id starts with
// "fail" make rendering fail, as a PDF writer error would.
class FakeRenderer : public RecordRenderer {
public:
    explicit FakeRenderer(FakeState& s) : m_s(s) { ++m_s.renderers; }
    Result<RenderedRecord> render(const Record& record, const RenderOptions& o) override {
        const std::string id = record.string("id");
        if (id.rfind("fail", 0) == 0) return Error{"simulated PDF writer failure", {}};
        if (id.rfind("throw", 0) == 0) throw 42;  // a bug below the renderer interface
        {
            std::lock_guard lock(m_s.mu);
            m_s.renderedIds.insert(id);
        }
        const int n = ++m_s.renders;
        if (m_s.cancelAfter > 0 && n >= m_s.cancelAfter) m_s.cancel = true;
        const std::string opts =
            std::string(o.flatten ? "F" : "f") + (o.noCover ? "N" : "n") + o.today->iso();
        return RenderedRecord{
            "%PDF-fake form " + opts + "\n" + dumpCanonical(record.json()),
            o.noCover ? std::string()
                      : "%PDF-fake cover " + opts + "\n" + dumpCanonical(record.json())};
    }

private:
    FakeState& m_s;
};

BatchOptions fakeOptions(FakeState& s, std::vector<std::string> inputs, const std::string& outDir) {
    BatchOptions o;
    o.inputs = std::move(inputs);
    o.outDir = outDir;
    o.jobs = 2;
    o.render.today = Date::parseIso("2026-11-28");
    o.rendererFactory = [&s]() -> Result<std::unique_ptr<RecordRenderer>> {
        return std::unique_ptr<RecordRenderer>(std::make_unique<FakeRenderer>(s));
    };
    o.cancel = &s.cancel;
    return o;
}

Json record(const std::string& id, const std::string& form = "i918b") {
    Json r = test::validRecord(form);
    if (id.empty())
        r.erase("id");
    else
        r["id"] = id;
    return r;
}

std::vector<Json> readReport(const std::string& path) {
    std::vector<Json> lines;
    std::istringstream in(test::readText(path));
    std::string line;
    while (std::getline(in, line)) lines.push_back(Json::parse(line));
    return lines;
}

// Report lines by "source[:index]" (file name only).
std::map<std::string, Json> byLabel(const std::vector<Json>& lines) {
    std::map<std::string, Json> m;
    for (const auto& l : lines) {
        std::string key = fs::path(l["source"].get<std::string>()).filename().string();
        if (l.contains("index")) key += ":" + std::to_string(l["index"].get<std::size_t>());
        m[key] = l;
    }
    return m;
}

// Files in a folder (not hidden, not recursive) with their bytes.
std::map<std::string, std::string> folderFiles(const std::string& dir) {
    std::map<std::string, std::string> m;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string n = e.path().filename().string();
        if (e.is_regular_file() && n[0] != '.') m[n] = test::readText(e.path().string());
    }
    return m;
}

bool hasTemporaries(const std::string& dir) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.path().filename().string().find(".tmp-") != std::string::npos) return true;
    }
    return false;
}

ino_t inodeOf(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_ino;
}

// Writes `n` valid records r0..r{n-1} (alternating forms) as .jsonl; returns its path.
std::string writeLines(const TempDir& dir, const std::string& name, int n) {
    std::string text;
    for (int i = 0; i < n; ++i)
        text += record("r" + std::to_string(i), i % 2 ? "i914b" : "i918b").dump() + "\n";
    return dir.write(name, text);
}

}  // namespace

TEST_CASE("a mixed batch: every record gets the right status with its outputs and report line",
          "[batch]") {
    TempDir t;
    fs::create_directories(t.file("in"));
    t.write("in/a.json", record("a1").dump(2));
    Json invalid = record("b2");
    invalid["victim"].erase("family_name");
    t.write("in/b.json", Json::array({record("b1"), invalid, record("")}).dump(2));
    t.write("in/notes.txt", "not a record: folders contribute only their *.json files");
    const std::string lines =
        t.write("c.jsonl", record("c1").dump() + "\n" + "{\"form\": \"i918b\", \"victim\": \n" +
                               record("a1").dump() + "\n\n" + record("fail-1").dump() + "\n");
    FakeState s;
    BatchOptions o = fakeOptions(s, {t.file("in"), lines, t.file("missing.json")}, t.file("out"));
    o.reportPath = t.file("report.jsonl");
    std::vector<BatchProblem> problems;
    o.onProblem = [&](const BatchProblem& p) { problems.push_back(p); };
    std::optional<BatchProgress> lastProgress;
    o.progress = [&](const BatchProgress& p) { lastProgress = p; };

    const BatchSummary sum = BatchJob(o).run();
    CHECK(sum.ok == 4);
    CHECK(sum.invalid == 1);
    CHECK(sum.errors == 4);  // malformed line, duplicate id, PDF failure, missing file
    CHECK(sum.duplicates == 1);
    CHECK(sum.skipped == 0);
    CHECK_FALSE(sum.cancelled);
    CHECK_FALSE(sum.fatal);
    CHECK(sum.exitCode() == 2);

    const auto report = readReport(t.file("report.jsonl"));
    REQUIRE(report.size() == 9);
    // Input order: the folder (sorted), then c.jsonl, then the missing file.
    CHECK(fs::path(report[0]["source"].get<std::string>()).filename() == "a.json");
    CHECK(fs::path(report[8]["source"].get<std::string>()).filename() == "missing.json");
    auto m = byLabel(report);
    CHECK(m["a.json"]["status"] == "ok");
    CHECK(m["a.json"]["id"] == "a1");
    CHECK(m["b.json:0"]["status"] == "ok");
    CHECK(m["b.json:1"]["status"] == "invalid");
    CHECK(m["b.json:1"]["outputs"].empty());
    bool namesField = false;
    for (const auto& i : m["b.json:1"]["issues"]) namesField |= i["field"] == "victim.family_name";
    CHECK(namesField);
    CHECK(m["b.json:2"]["status"] == "ok");
    CHECK(m["b.json:2"]["id"] == "b-2");  // no id in an array: <stem>-<index>
    CHECK(m["c.jsonl:0"]["status"] == "ok");
    CHECK(m["c.jsonl:1"]["status"] == "error");
    CHECK(m["c.jsonl:1"]["line"] == 2);
    CHECK(m["c.jsonl:1"]["id"].is_null());
    CHECK(m["c.jsonl:1"]["error"].get<std::string>().find("c.jsonl") != std::string::npos);
    CHECK(m["c.jsonl:2"]["status"] == "error");  // a1 again
    CHECK(m["c.jsonl:2"]["issues"].back()["code"] == "batch.duplicate_id");
    CHECK(m["c.jsonl:2"]["error"].get<std::string>().find("a.json") != std::string::npos);
    CHECK(m["c.jsonl:3"]["status"] == "error");
    CHECK(m["c.jsonl:3"]["line"] == 5);
    CHECK(m["c.jsonl:3"]["error"].get<std::string>().find("simulated PDF writer failure") !=
          std::string::npos);
    CHECK(m["missing.json"]["status"] == "error");
    CHECK(m["missing.json"]["error"].get<std::string>().find("no such file") != std::string::npos);

    // Outputs: exactly the valid records' form + cover, with the hashes the report gives.
    const auto files = folderFiles(t.file("out"));
    CHECK(files.size() == 8);
    for (const char* id : {"a1", "b1", "b-2", "c1"}) {
        INFO(id);
        CHECK(files.count(std::string(id) + ".pdf"));
        CHECK(files.count(std::string(id) + "-cover.pdf"));
    }
    for (const auto& line : report) {
        for (const auto& out : line["outputs"]) {
            const std::string bytes = test::readText(out["path"].get<std::string>());
            CHECK(sha256Hex(bytes) == out["sha256"]);
            CHECK(bytes.size() == out["bytes"].get<std::size_t>());
        }
    }
    // The duplicate did not overwrite the first a1 (it came from a.json, as a lone object).
    CHECK(files.at("a1.pdf") ==
          test::readText(m["a.json"]["outputs"][0]["path"].get<std::string>()));
    CHECK(s.renderedIds.count("a1") == 1);
    CHECK_FALSE(hasTemporaries(t.path()));

    REQUIRE(problems.size() == 5);
    CHECK(problems[0].invalid);
    CHECK(problems[0].label.find("b.json:1") != std::string::npos);
    REQUIRE(lastProgress);
    CHECK(lastProgress->done == 9);
    REQUIRE(lastProgress->total);
    CHECK(*lastProgress->total == 9);
}

TEST_CASE("exit code 0 when all are fine and 1 when some are invalid and nothing else is wrong",
          "[batch]") {
    TempDir t;
    FakeState s;
    const std::string in = writeLines(t, "in.jsonl", 3);
    CHECK(BatchJob(fakeOptions(s, {in}, t.file("out"))).run().exitCode() == 0);
    Json bad = record("x");
    bad["form"] = "i999";
    const std::string in2 = t.write("bad.json", Json::array({record("y"), bad}).dump());
    const auto sum = BatchJob(fakeOptions(s, {in2}, t.file("out2"))).run();
    CHECK(sum.invalid == 1);
    CHECK(sum.ok == 1);
    CHECK(sum.exitCode() == 1);
}

TEST_CASE("a renderer that throws fails only its own record", "[batch]") {
    TempDir t;
    FakeState s;
    const std::string in =
        t.write("in.jsonl", record("r1").dump() + "\n" + record("throw-1").dump() + "\n" +
                                record("r2").dump() + "\n");
    BatchOptions o = fakeOptions(s, {in}, t.file("out"));
    o.reportPath = t.file("r.jsonl");
    const auto sum = BatchJob(o).run();
    CHECK(sum.ok == 2);
    CHECK(sum.errors == 1);
    const auto r = readReport(t.file("r.jsonl"));
    REQUIRE(r.size() == 3);
    CHECK(r[1]["status"] == "error");
    CHECK(r[1]["error"].get<std::string>().find("internal error") != std::string::npos);
    CHECK(folderFiles(t.file("out")).size() == 4);
}

TEST_CASE("output names come from the id or else the stem or stem-index and are unique and safe",
          "[batch]") {
    CHECK(safeOutputName("case 12/7") == "case_12_7");
    CHECK(safeOutputName("..") == "record");
    CHECK(safeOutputName(".hidden") == "hidden");
    CHECK(safeOutputName(std::string(100, 'x')).size() == 64);

    TempDir t;
    fs::create_directories(t.file("d1"));
    fs::create_directories(t.file("d2"));
    t.write("d1/x y.json", record("").dump());
    t.write("d2/x y.json", record("").dump());
    Json badId = record("");
    badId["id"] = "../../etc/passwd";  // invalid id: the record is invalid and claims no name
    t.write("d3.json", Json::array({badId, record("")}).dump());
    FakeState s;
    BatchOptions o = fakeOptions(s, {t.file("d1"), t.file("d2"), t.file("d3.json")}, t.file("out"));
    o.reportPath = t.file("r.jsonl");
    const auto sum = BatchJob(o).run();
    CHECK(sum.ok == 3);
    CHECK(sum.invalid == 1);
    const auto r = readReport(t.file("r.jsonl"));
    REQUIRE(r.size() == 4);
    CHECK(r[0]["id"] == "x_y");
    CHECK(r[1]["id"] == "x_y-2");
    CHECK(r[2]["status"] == "invalid");
    CHECK(r[3]["id"] == "d3-1");
    for (const auto& [name, bytes] : folderFiles(t.file("out")))
        CHECK(name.find('/') == std::string::npos);
    CHECK(folderFiles(t.file("out")).size() == 6);
}

TEST_CASE("resume after an interrupted run makes exactly the missing outputs", "[batch]") {
    TempDir t;
    const std::string in = writeLines(t, "in.jsonl", 10);
    const std::string out = t.file("out");
    {
        FakeState s;
        s.cancelAfter = 3;  // Ctrl-C while the third record is being rendered
        BatchOptions o = fakeOptions(s, {in}, out);
        o.jobs = 1;
        o.reportPath = t.file("r1.jsonl");
        const auto sum = BatchJob(o).run();
        CHECK(sum.cancelled);
        CHECK(sum.ok == 3);  // the record in progress is finished, the queued ones abandoned
        CHECK(sum.notProcessed == 7);
        CHECK(sum.notProcessedExact);
        CHECK(sum.exitCode() == 2);
        CHECK(readReport(t.file("r1.jsonl")).size() == 3);
        CHECK(folderFiles(out).size() == 6);
        CHECK_FALSE(hasTemporaries(t.path()));
    }
    const ino_t firstInode = inodeOf(out + "/r0.pdf");
    {
        FakeState s;
        BatchOptions o = fakeOptions(s, {in}, out);
        o.resume = true;
        o.reportPath = t.file("r2.jsonl");
        const auto sum = BatchJob(o).run();
        CHECK(sum.skipped == 3);
        CHECK(sum.ok == 7);
        CHECK(sum.exitCode() == 0);
        CHECK(s.renders == 7);
        CHECK(s.renderedIds.count("r0") == 0);
        CHECK(s.renderedIds.count("r9") == 1);
        CHECK(folderFiles(out).size() == 20);
        const auto m = byLabel(readReport(t.file("r2.jsonl")));
        CHECK(m.at("in.jsonl:0").at("status") == "skipped");
        CHECK(m.at("in.jsonl:0").at("outputs").size() == 2);
        CHECK(m.at("in.jsonl:0").at("outputs")[0].at("sha256") ==
              sha256Hex(test::readText(out + "/r0.pdf")));
        CHECK(m.at("in.jsonl:3").at("status") == "ok");
    }
    CHECK(inodeOf(out + "/r0.pdf") == firstInode);  // not rewritten

    SECTION("a changed record is made again, the rest skipped") {
        Json changed = record("r4");
        changed["victim"]["given_name"] = "Beatriz";
        std::string text;
        for (int i = 0; i < 10; ++i)
            text += (i == 4 ? changed : record("r" + std::to_string(i), i % 2 ? "i914b" : "i918b"))
                        .dump() +
                    "\n";
        t.write("in.jsonl", text);
        FakeState s;
        BatchOptions o = fakeOptions(s, {in}, out);
        o.resume = true;
        const auto sum = BatchJob(o).run();
        CHECK(sum.skipped == 9);
        CHECK(sum.ok == 1);
        CHECK(s.renderedIds == std::multiset<std::string>{"r4"});
    }
    SECTION("different options make everything again") {
        FakeState s;
        BatchOptions o = fakeOptions(s, {in}, out);
        o.resume = true;
        o.render.flatten = true;
        CHECK(BatchJob(o).run().ok == 10);
        CHECK(s.renders == 10);
    }
    SECTION("an output changed or deleted on disk is made again") {
        { std::ofstream(out + "/r1.pdf", std::ios::app) << "tampered"; }
        fs::remove(out + "/r2-cover.pdf");
        FakeState s;
        BatchOptions o = fakeOptions(s, {in}, out);
        o.resume = true;
        const auto sum = BatchJob(o).run();
        CHECK(sum.ok == 2);
        CHECK(s.renderedIds == std::multiset<std::string>{"r1", "r2"});
        CHECK(test::fileExists(out + "/r2-cover.pdf"));
    }
    SECTION("without --resume everything is made again") {
        FakeState s;
        CHECK(BatchJob(fakeOptions(s, {in}, out)).run().ok == 10);
        CHECK(s.renders == 10);
    }
    SECTION("stale temporaries of a killed run are removed on --resume") {
        t.write("out/.r5.pdf.tmp-AbC123", "half a PDF");
        t.write("out/.lecert-batch/.r5.json.tmp-XyZ789", "{");
        t.write("out/.keep.tmp-notours", "someone else's");
        FakeState s;
        BatchOptions o = fakeOptions(s, {in}, out);
        o.resume = true;
        BatchJob(o).run();
        CHECK_FALSE(test::fileExists(out + "/.r5.pdf.tmp-AbC123"));
        CHECK_FALSE(test::fileExists(out + "/.lecert-batch/.r5.json.tmp-XyZ789"));
        CHECK(test::fileExists(out + "/.keep.tmp-notours"));
    }
}

TEST_CASE("one and four workers give identical outputs and reports", "[batch]") {
    TempDir t;
    std::string text;
    for (int i = 0; i < 40; ++i) {
        Json r = record("k" + std::to_string(i), i % 3 ? "i918b" : "i914b");
        if (i % 7 == 0) r["victim"].erase("date_of_birth");
        if (i % 11 == 0) r["id"] = "fail-" + std::to_string(i);
        text += r.dump() + "\n";
        if (i % 13 == 0) text += "{broken\n";
    }
    const std::string in = t.write("in.jsonl", text);
    std::map<unsigned, std::string> reports;
    std::map<unsigned, std::map<std::string, std::string>> outputs;
    for (unsigned jobs : {1u, 4u}) {
        FakeState s;
        const std::string out = t.file("out" + std::to_string(jobs));
        BatchOptions o = fakeOptions(s, {in}, out);
        o.jobs = jobs;
        o.maxInFlight = 5;  // small, so the reorder buffer is exercised
        o.reportPath = t.file("r" + std::to_string(jobs) + ".jsonl");
        BatchJob(o).run();
        CHECK(s.renderers == static_cast<int>(jobs));
        std::string r = test::readText(o.reportPath);
        for (auto p = r.find(out); p != std::string::npos; p = r.find(out))
            r.replace(p, out.size(), "OUT");
        reports[jobs] = r;
        outputs[jobs] = folderFiles(out);
    }
    CHECK(reports[1] == reports[4]);
    CHECK(outputs[1] == outputs[4]);
    CHECK(outputs[1].size() > 40);
}

TEST_CASE("an output folder that cannot be made stops the batch before it starts", "[batch]") {
    TempDir t;
    FakeState s;
    const std::string in = writeLines(t, "in.jsonl", 2);
    const std::string file = t.write("afile", "x");
    const auto sum = BatchJob(fakeOptions(s, {in}, file + "/sub")).run();
    REQUIRE(sum.fatal);
    CHECK(sum.exitCode() == 2);
    CHECK(s.renders == 0);
}

TEST_CASE("the no-cover option writes only the forms", "[batch]") {
    TempDir t;
    FakeState s;
    BatchOptions o = fakeOptions(s, {writeLines(t, "in.jsonl", 3)}, t.file("out"));
    o.render.noCover = true;
    CHECK(BatchJob(o).run().ok == 3);
    const auto files = folderFiles(t.file("out"));
    CHECK(files.size() == 3);
    CHECK(files.count("r0.pdf"));
}

// ---- lecert batch (real renderer) ----

TEST_CASE("lecert batch: a mixed batch gives outputs and report and messages and exit code 2",
          "[batch][cli]") {
    TempDir t;
    t.write("in/a.json", record("a1").dump(2));
    Json invalid = record("b2", "i914b");
    invalid["victim"].erase("family_name");
    t.write("in/b.json", Json::array({record("b1", "i914b"), invalid}).dump(2));
    const std::string lines = t.write(
        "c.jsonl", record("c1").dump() + "\n{\"form\": \"i918b\",\n" + record("a1").dump() + "\n");
    const auto r =
        test::lecert({"batch", "-o", t.file("out"), "--report", t.file("report.jsonl"), "--today",
                      "2026-11-28", "-j", "2", t.file("in"), lines, t.file("nope.json")});
    INFO(r.err);
    CHECK(r.exitCode == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(
              "7 records: 3 ok, 0 skipped (up to date), 1 invalid, 3 errors (1 duplicate id)") !=
          std::string::npos);
    CHECK(r.err.find("b.json:1: error: victim.family_name") != std::string::npos);
    CHECK(r.err.find("c.jsonl:1") != std::string::npos);
    CHECK(r.err.find("nope.json") != std::string::npos);
    // Messages name fields, never values.
    CHECK(r.err.find("Rivera") == std::string::npos);

    const auto m = byLabel(readReport(t.file("report.jsonl")));
    REQUIRE(m.size() == 7);
    CHECK(m.at("c.jsonl:2").at("issues").back().at("code") == "batch.duplicate_id");
    const auto files = folderFiles(t.file("out"));
    CHECK(files.size() == 6);
    // Real PDFs: the fields read back, the record text is attached.
    const std::string form = files.at("b1.pdf");
    auto fields = pdf::readFieldValues(form);
    REQUIRE(fields.ok());
    CHECK(fields->at("victim.family_name") == "Rivera");
    auto attached = pdf::readAttachment(files.at("c1-cover.pdf"), "record.json");
    REQUIRE(attached.ok());
    CHECK(Json::parse(*attached)["id"] == "c1");
    CHECK(sha256Hex(form) == m.at("b.json:0").at("outputs")[0].at("sha256"));
    CHECK_FALSE(hasTemporaries(t.path()));
}

TEST_CASE("lecert batch: outputs are byte-identical to lecert fill of the same record",
          "[batch][cli]") {
    TempDir t;
    const std::string a = t.write("a.json", record("same-1").dump(2));
    const std::string b = t.write("b.json", record("same-2", "i914b").dump(2));
    for (const std::vector<std::string>& extra :
         {std::vector<std::string>{}, std::vector<std::string>{"--flatten"}}) {
        std::vector<std::string> args{"batch", "-q",          "--today", "2026-11-28",
                                      "-o",    t.file("out"), a,         b};
        args.insert(args.end(), extra.begin(), extra.end());
        REQUIRE(test::lecert(args).exitCode == 0);
        for (const auto& [in, id] : {std::pair{a, "same-1"}, std::pair{b, "same-2"}}) {
            std::vector<std::string> fill{"fill", "--today",          "2026-11-28",
                                          "-o",   t.file("fill.pdf"), in};
            fill.insert(fill.end(), extra.begin(), extra.end());
            const auto f = test::lecert(fill);
            INFO(f.err);
            REQUIRE(f.exitCode == 0);
            CHECK(test::readText(t.file("fill.pdf")) ==
                  test::readText(t.file("out/" + std::string(id) + ".pdf")));
            CHECK(test::readText(t.file("fill-cover.pdf")) ==
                  test::readText(t.file("out/" + std::string(id) + "-cover.pdf")));
        }
    }
}

TEST_CASE(
    "lecert batch: exit 1 when some records are invalid and nothing else is wrong and 0 when all "
    "are fine",
    "[batch][cli]") {
    TempDir t;
    Json invalid = record("x2");
    invalid["helpfulness"]["helpful"] = false;
    const std::string in = t.write("in.json", Json::array({record("x1"), invalid}).dump());
    const auto r =
        test::lecert({"batch", "--today", "2026-11-28", "-o", t.file("out"), "--no-cover", in});
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("2 records: 1 ok, 0 skipped (up to date), 1 invalid, 0 errors") !=
          std::string::npos);
    CHECK(folderFiles(t.file("out")).size() == 1);
    const std::string ok = t.write("ok.jsonl", record("y1").dump() + "\n");
    CHECK(test::lecert({"batch", "--today", "2026-11-28", "-o", t.file("out2"), ok}).exitCode == 0);
    CHECK(test::lecert({"batch", "-o", t.file("out3")}).exitCode == 2);  // no input: usage error
}

TEST_CASE("lecert batch: Ctrl-C stops cleanly and then resume makes exactly the missing outputs",
          "[batch][cli]") {
    TempDir t;
    const int n = 100;
    const std::string in = writeLines(t, "in.jsonl", n);
    const std::string out = t.file("out");
    const std::string report1 = t.file("r1.jsonl");
    std::vector<std::string> args{LECERT_CLI_PATH, "batch",      "-j", "2",
                                  "--today",       "2026-11-28", "-o", out,
                                  "--report",      report1,      in};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, t.file("stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&fa, 2, t.file("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, LECERT_CLI_PATH, &fa, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    // Interrupt once the first record is out, well before the last.
    for (int i = 0; i < 3000 && !test::fileExists(out + "/r0-cover.pdf"); ++i) ::usleep(10000);
    ::kill(pid, SIGINT);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    const std::string err = test::readText(t.file("stderr"));
    INFO(err);
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(err.find("interrupted: ") != std::string::npos);
    CHECK(err.find("not processed; run again with --resume") != std::string::npos);
    CHECK_FALSE(hasTemporaries(t.path()));

    // Every report line of the first run names outputs that exist, complete, and nothing else was
    // made.
    const auto first = readReport(report1);
    const auto madeFirst = folderFiles(out);
    CHECK(first.size() < static_cast<std::size_t>(n));
    CHECK(madeFirst.size() == 2 * first.size());
    for (const auto& line : first) {
        CHECK(line["status"] == "ok");
        for (const auto& o : line["outputs"])
            CHECK(sha256Hex(test::readText(o["path"].get<std::string>())) == o["sha256"]);
    }

    const auto r = test::lecert({"batch", "--resume", "-j", "2", "--today", "2026-11-28", "-o", out,
                                 "--report", t.file("r2.jsonl"), in});
    INFO(r.err);
    CHECK(r.exitCode == 0);
    const auto second = readReport(t.file("r2.jsonl"));
    REQUIRE(second.size() == static_cast<std::size_t>(n));
    std::size_t skipped = 0;
    for (const auto& line : second) skipped += line["status"] == "skipped";
    CHECK(skipped == first.size());
    const auto all = folderFiles(out);
    CHECK(all.size() == 2 * static_cast<std::size_t>(n));
    for (const auto& [name, bytes] : madeFirst) CHECK(all.at(name) == bytes);
}

TEST_CASE(
    "lecert batch: one and four workers give identical PDFs and reports with the real renderer",
    "[batch][cli]") {
    TempDir t;
    // Fictional names in several scripts, to exercise the shared font cache from many threads.
    const char* family[] = {"Rivera", "Иванова", "王", "حداد", "Nguyễn", "Παπαδοπούλου"};
    std::string text;
    for (int i = 0; i < 12; ++i) {
        Json r = record("m" + std::to_string(i), i % 2 ? "i914b" : "i918b");
        r["victim"]["family_name"] = family[i % 6];
        if (i == 5) r["victim"].erase("gender");
        text += r.dump() + "\n";
    }
    const std::string in = t.write("in.jsonl", text);
    std::map<std::string, std::string> reports;
    for (const std::string j : {"1", "4"}) {
        const auto r =
            test::lecert({"batch", "-j", j, "--today", "2026-11-28", "-o", t.file("out" + j),
                          "--report", t.file("r" + j + ".jsonl"), in});
        CHECK(r.exitCode == 1);
        std::string rep = test::readText(t.file("r" + j + ".jsonl"));
        const std::string dir = t.file("out" + j);
        for (auto p = rep.find(dir); p != std::string::npos; p = rep.find(dir))
            rep.replace(p, dir.size(), "OUT");
        reports[j] = rep;
    }
    CHECK(reports["1"] == reports["4"]);
    const auto a = folderFiles(t.file("out1"));
    CHECK(a.size() == 22);
    CHECK(a == folderFiles(t.file("out4")));
}

TEST_CASE("resume knows the password changed without storing it", "[batch]") {
    TempDir t;
    const std::string in = writeLines(t, "in.jsonl", 3);
    auto runWith = [&](const std::string& pw, int& renders) {
        FakeState s;
        BatchOptions o = fakeOptions(s, {in}, t.file("out"));
        o.resume = true;
        o.render.password = pw;
        const auto sum = BatchJob(o).run();
        renders = s.renders;
        return sum;
    };
    int renders = 0;
    CHECK(runWith("first pass phrase", renders).ok == 3);
    CHECK(runWith("first pass phrase", renders).skipped == 3);
    CHECK(renders == 0);
    CHECK(runWith("second pass phrase", renders).ok == 3);
    CHECK(renders == 3);
    CHECK(runWith("", renders).ok == 3);
    for (const auto& e : fs::directory_iterator(t.file("out/.lecert-batch"))) {
        const std::string manifest = test::readText(e.path().string());
        CHECK(manifest.find("pass phrase") == std::string::npos);
    }
}

TEST_CASE("the progress total counts array elements and .jsonl lines without parsing them",
          "[batch]") {
    TempDir t;
    Json tricky = record("q1");
    tricky["crime"]["description"] =
        "Brackets ] [ and commas , inside \"quotes\" \\ do not end an element.";
    const std::string arr = t.write("a.json", "\xEF\xBB\xBF [ " + tricky.dump() + " ,\n" +
                                                  record("q2").dump(2) + ", {\"x\": [1, [2]]} ]");
    const std::string lines =
        t.write("b.jsonl", "\n" + record("q3").dump() + "\n  \n" + record("q4").dump());
    FakeState s;
    BatchOptions o = fakeOptions(s, {arr, lines}, t.file("out"));
    std::optional<BatchProgress> last;
    o.progress = [&](const BatchProgress& p) { last = p; };
    const auto sum = BatchJob(o).run();
    CHECK(sum.ok == 4);
    CHECK(sum.invalid == 1);  // {"x": ...} is no record
    REQUIRE(last);
    CHECK(last->done == 5);
    REQUIRE(last->total);
    CHECK(*last->total == 5);
}

TEST_CASE("an id that would overwrite another record's cover is a duplicate", "[batch]") {
    TempDir t;
    const std::string in =
        t.write("in.jsonl", record("x").dump() + "\n" + record("x-cover").dump() + "\n" +
                                record("y-cover").dump() + "\n" + record("y").dump() + "\n");
    FakeState s;
    BatchOptions o = fakeOptions(s, {in}, t.file("out"));
    o.reportPath = t.file("r.jsonl");
    const auto sum = BatchJob(o).run();
    CHECK(sum.ok == 2);
    CHECK(sum.duplicates == 2);
    const auto r = readReport(t.file("r.jsonl"));
    REQUIRE(r.size() == 4);
    CHECK(r[1]["status"] == "error");
    CHECK(r[1]["issues"].back()["code"] == "batch.duplicate_id");
    CHECK(r[3]["status"] == "error");
    const auto files = folderFiles(t.file("out"));
    CHECK(files.size() == 4);
    // x's cover is x's, not the second record's form.
    CHECK(files.at("x-cover.pdf").find("\"id\":\"x\"") != std::string::npos);
}

TEST_CASE("no output or report replaces an input, the password file or a foreign file",
          "[batch][clobber]") {
    TempDir t;
    FakeState s;
    const std::string in = writeLines(t, "in.jsonl", 2);
    const std::string original = test::readText(in);
    // --report in.jsonl ... in.jsonl
    auto o = fakeOptions(s, {in}, t.file("out"));
    o.reportPath = in;
    const auto sum = BatchJob(o).run();
    REQUIRE(sum.fatal);
    CHECK(sum.fatal->message.find("input") != std::string::npos);
    CHECK(test::readText(in) == original);
    CHECK(s.renders == 0);
    // The same through another spelling of the path.
    auto o2 = fakeOptions(s, {in}, t.file("out"));
    o2.reportPath = t.path() + "/./in.jsonl";
    CHECK(BatchJob(o2).run().fatal);
    CHECK(test::readText(in) == original);
    // The password file as the report.
    const std::string pw = t.write("pw.txt", "secret\n");
    auto o3 = fakeOptions(s, {in}, t.file("out"));
    o3.reportPath = pw;
    o3.protectedPaths = {pw};
    CHECK(BatchJob(o3).run().fatal);
    CHECK(test::readText(pw) == "secret\n");
    // A report path that holds something else is kept unless force.
    const std::string notes = t.write("notes.txt", "my notes\n");
    auto o4 = fakeOptions(s, {in}, t.file("out"));
    o4.reportPath = notes;
    CHECK(BatchJob(o4).run().fatal);
    CHECK(test::readText(notes) == "my notes\n");
    o4.force = true;
    CHECK_FALSE(BatchJob(o4).run().fatal);
    CHECK(test::readText(notes).rfind("{\"source\":", 0) == 0);
    // An existing output that lecert did not write is not replaced (error for that record).
    fs::create_directories(t.file("out2"));
    const std::string foreign = t.write("out2/r0.pdf", "not ours\n");
    FakeState s2;
    const auto sum2 = BatchJob(fakeOptions(s2, {in}, t.file("out2"))).run();
    CHECK(sum2.errors == 1);
    CHECK(sum2.ok == 1);
    CHECK(test::readText(foreign) == "not ours\n");
    // A second run replaces what the first one wrote (its manifest names the files).
    FakeState s3;
    const auto again = BatchJob(fakeOptions(s3, {in}, t.file("out"))).run();
    CHECK(again.ok == 2);
}

TEST_CASE("lecert batch: --report equal to the input is refused and the input kept",
          "[batch][clobber]") {
    TempDir t;
    const std::string in = writeLines(t, "in.jsonl", 1);
    const std::string original = test::readText(in);
    auto r = test::lecert({"batch", "-q", "--report", in, "-o", t.file("out"), in});
    CHECK(r.exitCode == 2);
    CHECK(test::readText(in) == original);
}

TEST_CASE("the resume manifest is no password oracle", "[batch][password]") {
    TempDir t;
    const std::string in = writeLines(t, "in.jsonl", 1);
    FakeState s;
    BatchOptions o = fakeOptions(s, {in}, t.file("out"));
    o.render.password = "guessable";
    REQUIRE(BatchJob(o).run().ok == 1);
    const std::vector<Json> log = readReport(t.file("out/.lecert-batch/manifest.log"));
    REQUIRE(log.size() == 1);
    const Json& m = log[0];
    const std::string inputHash = m["input_sha256"].get<std::string>();
    const std::string tag = m["password_tag"].get<std::string>();
    CHECK_FALSE(tag.empty());
    // The old tag: one SHA-256 per guess.
    CHECK(tag != sha256Hex(inputHash + "\n" + "guessable"));
    CHECK(m["password_kdf"] == "scrypt-hmac-sha256");
    struct stat st {};
    REQUIRE(::stat(t.file("out/.lecert-batch/password-salt").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    // Resume still recognises the same password, and a different one.
    FakeState s2;
    BatchOptions o2 = fakeOptions(s2, {in}, t.file("out"));
    o2.render.password = "guessable";
    o2.resume = true;
    CHECK(BatchJob(o2).run().skipped == 1);
    FakeState s3;
    BatchOptions o3 = fakeOptions(s3, {in}, t.file("out"));
    o3.render.password = "other";
    o3.resume = true;
    CHECK(BatchJob(o3).run().ok == 1);
}

TEST_CASE("folders: .jsonl and any-case extensions are read, no records is an error",
          "[batch][inputs]") {
    TempDir t;
    fs::create_directories(t.file("in"));
    t.write("in/a.jsonl", record("a1").dump() + "\n" + record("a2").dump() + "\n");
    t.write("in/B.JSON", record("b1").dump());
    t.write("in/notes.txt", "not a record");
    FakeState s;
    const auto sum = BatchJob(fakeOptions(s, {t.file("in")}, t.file("out"))).run();
    CHECK(sum.ok == 3);
    CHECK_FALSE(sum.fatal);
    fs::create_directories(t.file("other"));
    t.write("other/notes.txt", "x");
    FakeState s2;
    const auto none = BatchJob(fakeOptions(s2, {t.file("other")}, t.file("out2"))).run();
    REQUIRE(none.fatal);
    CHECK(none.fatal->message.find("no records") != std::string::npos);
    CHECK(none.exitCode() == 2);
}

TEST_CASE("resume removes a report fragment left by a hard kill", "[batch][resume]") {
    TempDir t;
    const std::string in = writeLines(t, "in.jsonl", 1);
    const std::string fragment = t.write(".report.jsonl.tmp-Ab12Cd", "{\"source\":\"half");
    const std::string unrelated = t.write(".other.tmp-Ab12Cd", "keep");
    FakeState s;
    BatchOptions o = fakeOptions(s, {in}, t.file("out"));
    o.reportPath = t.file("report.jsonl");
    o.resume = true;
    REQUIRE_FALSE(BatchJob(o).run().fatal);
    CHECK_FALSE(test::fileExists(fragment));
    CHECK(test::fileExists(unrelated));
    CHECK(readReport(t.file("report.jsonl")).size() == 1);
}

TEST_CASE("ids that differ only in case, and Windows device names, are errors", "[batch][names]") {
    TempDir t;
    const std::string in =
        t.write("in.jsonl", record("CaseA").dump() + "\n" + record("casea").dump() + "\n" +
                                record("CON").dump() + "\n" + record("nul").dump() + "\n" +
                                record("Lpt1").dump() + "\n" + record("console").dump() + "\n");
    FakeState s;
    BatchOptions o = fakeOptions(s, {in}, t.file("out"));
    o.reportPath = t.file("r.jsonl");
    const auto sum = BatchJob(o).run();
    CHECK(sum.ok == 2);  // CaseA and console
    CHECK(sum.duplicates == 1);
    CHECK(sum.errors == 4);
    const auto lines = byLabel(readReport(t.file("r.jsonl")));
    CHECK(lines.at("in.jsonl:1")["issues"].back()["code"] == "batch.duplicate_id");
    CHECK(lines.at("in.jsonl:2")["issues"].back()["code"] == "batch.reserved_id");
    CHECK(lines.at("in.jsonl:3")["issues"].back()["code"] == "batch.reserved_id");
    CHECK(lines.at("in.jsonl:4")["issues"].back()["code"] == "batch.reserved_id");
    CHECK_FALSE(test::fileExists(t.file("out/CON.pdf")));
    CHECK(test::fileExists(t.file("out/console.pdf")));
}

TEST_CASE("a record that became invalid loses the outputs of its valid past", "[batch][resume]") {
    TempDir t;
    const std::string in = t.write("in.json", record("r1").dump());
    FakeState s;
    REQUIRE(BatchJob(fakeOptions(s, {in}, t.file("out"))).run().ok == 1);
    REQUIRE(test::fileExists(t.file("out/r1.pdf")));
    Json bad = record("r1");
    bad["victim"].erase("family_name");
    t.write("in.json", bad.dump());
    FakeState s2;
    BatchOptions o = fakeOptions(s2, {in}, t.file("out"));
    o.reportPath = t.file("r.jsonl");
    o.resume = true;
    const auto sum = BatchJob(o).run();
    CHECK(sum.invalid == 1);
    CHECK_FALSE(test::fileExists(t.file("out/r1.pdf")));
    CHECK_FALSE(test::fileExists(t.file("out/r1-cover.pdf")));
    CHECK_FALSE(test::fileExists(t.file("out/.lecert-batch/r1.json")));
    const auto lines = readReport(t.file("r.jsonl"));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]["stale_removed"].size() == 2);
}

TEST_CASE("one resume log per output folder: one line per record, a torn line is ignored",
          "[batch][resume]") {
    TempDir t;
    const std::string in = writeLines(t, "in.jsonl", 5);
    const std::string out = t.file("out");
    FakeState s;
    REQUIRE(BatchJob(fakeOptions(s, {in}, out)).run().ok == 5);
    // No file per record in the manifest folder: the log and nothing else.
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(out + "/.lecert-batch"))
        names.insert(e.path().filename().string());
    CHECK(names == std::set<std::string>{"manifest.log"});
    struct stat st {};
    REQUIRE(::stat((out + "/.lecert-batch/manifest.log").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const auto log = readReport(out + "/.lecert-batch/manifest.log");
    REQUIRE(log.size() == 5);
    std::set<std::string> logged;
    for (const auto& l : log) {
        logged.insert(l["name"].get<std::string>());
        REQUIRE(l["outputs"].size() == 2);
        CHECK(l["outputs"][0]["sha256"] ==
              sha256Hex(test::readText(out + "/" + l["outputs"][0]["file"].get<std::string>())));
    }
    CHECK(logged == std::set<std::string>{"r0", "r1", "r2", "r3", "r4"});

    // A crash in the middle of appending the next line leaves half a line: resume ignores it,
    // skips the five records, and its own lines start on a line of their own.
    { std::ofstream(out + "/.lecert-batch/manifest.log", std::ios::app) << R"({"name":"r9","lec)"; }
    const std::string more = writeLines(t, "more.jsonl", 7);  // r0..r6: two new
    FakeState s2;
    BatchOptions o = fakeOptions(s2, {more}, out);
    o.resume = true;
    const auto sum = BatchJob(o).run();
    CHECK(sum.skipped == 5);
    CHECK(sum.ok == 2);
    CHECK(s2.renderedIds == std::multiset<std::string>{"r5", "r6"});
    std::istringstream lines(test::readText(out + "/.lecert-batch/manifest.log"));
    std::string line;
    std::size_t parsed = 0, torn = 0;
    while (std::getline(lines, line)) {
        if (Json::accept(line))
            ++parsed;
        else
            ++torn;
    }
    CHECK(parsed == 7);
    CHECK(torn == 1);
}

TEST_CASE("a resume with another renderer key makes the records again", "[batch][resume]") {
    TempDir t;
    const std::string in = writeLines(t, "in.jsonl", 3);
    auto runWith = [&](const std::string& key) {
        FakeState s;
        BatchOptions o = fakeOptions(s, {in}, t.file("out"));
        o.resume = true;
        o.rendererKey = key;
        BatchJob(o).run();
        return s.renders.load();
    };
    CHECK(runWith("official:/a") == 3);
    CHECK(runWith("official:/a") == 0);
    CHECK(runWith("official:/b") == 3);
    CHECK(runWith("") == 3);  // without --official
    CHECK(runWith("") == 0);
}

TEST_CASE("lecert batch: kill -9 at any moment, then --resume makes exactly the missing outputs",
          "[batch][cli][resume]") {
    TempDir t;
    const int n = 60;
    const std::string in = writeLines(t, "in.jsonl", n);
    const std::string out = t.file("out");
    // Three kills at different moments, each followed by a resume that is itself killed, then
    // a last resume that runs to the end.
    for (int round = 0; round < 3; ++round) {
        std::vector<std::string> args{LECERT_CLI_PATH, "batch",      "--resume", "-j", "2",
                                      "--today",       "2026-11-28", "-o",       out,  in};
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        pid_t pid = 0;
        REQUIRE(posix_spawn(&pid, LECERT_CLI_PATH, &fa, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&fa);
        const std::string marker = out + "/r" + std::to_string(10 * (round + 1)) + ".pdf";
        for (int i = 0; i < 3000 && !test::fileExists(marker); ++i) ::usleep(5000);
        ::usleep(static_cast<useconds_t>(round * 7000));
        ::kill(pid, SIGKILL);
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
    }
    // What the killed runs left: every output the log vouches for is complete.
    std::map<std::string, std::string> vouched;
    std::istringstream log(test::readText(out + "/.lecert-batch/manifest.log"));
    for (std::string line; std::getline(log, line);) {
        if (!Json::accept(line)) continue;
        const Json entry = Json::parse(line);
        for (const auto& o : entry["outputs"])
            vouched[o["file"].get<std::string>()] = o["sha256"].get<std::string>();
    }
    const auto before = folderFiles(out);
    for (const auto& [file, sha] : vouched) CHECK(sha256Hex(before.at(file)) == sha);

    const auto r = test::lecert({"batch", "--resume", "-j", "2", "--today", "2026-11-28", "-o", out,
                                 "--report", t.file("r.jsonl"), in});
    INFO(r.err);
    CHECK(r.exitCode == 0);
    const auto report = readReport(t.file("r.jsonl"));
    REQUIRE(report.size() == static_cast<std::size_t>(n));
    std::size_t skipped = 0;
    for (const auto& line : report) skipped += line["status"] == "skipped";
    CHECK(skipped == vouched.size() / 2);  // every record the log vouches for, and no other
    CHECK_FALSE(hasTemporaries(t.path()));
    const auto all = folderFiles(out);
    CHECK(all.size() == 2 * static_cast<std::size_t>(n));
    for (const auto& [file, sha] : vouched) CHECK(all.at(file) == before.at(file));
    // Exactly the same bytes as one uninterrupted run.
    const auto clean =
        test::lecert({"batch", "-j", "1", "--today", "2026-11-28", "-o", t.file("clean"), in});
    CHECK(clean.exitCode == 0);
    CHECK(folderFiles(t.file("clean")) == all);
}
