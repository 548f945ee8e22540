// SPDX-License-Identifier: MIT
// `lecert fill` and `lecert extract` end to end (spec/cli.md): outputs, exit codes, draft,
// flatten, encryption, determinism, no partial files.
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/jobs/fill_job.h"
#include "core/pdf/pdf_io.h"
#include "pdf_check.h"
#include "support.h"

using namespace lecert;
using namespace lecert::test;

namespace {

std::string recordFile(const TempDir& dir, const Json& rec,
                       const std::string& name = "record.json") {
    return dir.write(name, rec.dump(2));
}

std::string bytesOf(const std::string& path) {
    return readText(path);
}

}  // namespace

TEST_CASE("fill writes the form and the cover; extract returns the record", "[fill]") {
    TempDir dir;
    const Json rec = validRecord("i918b");
    const std::string in = recordFile(dir, rec);
    const std::string out = dir.file("out.pdf");
    auto r = test::lecert({"fill", "--today", "2026-11-28", "-o", out, in});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(fileExists(out));
    CHECK(fileExists(dir.file("out-cover.pdf")));
    CHECK(run("qpdf --check " + shellQuote(out)).exitCode == 0);
    CHECK(r.err.find("Rivera") == std::string::npos);  // messages never carry values

    auto fields = pdf::readFieldValues(bytesOf(out));
    REQUIRE(fields.ok());
    CHECK(fields->at("victim.family_name") == "Rivera");

    auto x = test::lecert({"extract", out});
    REQUIRE(x.exitCode == 0);
    CHECK(Json::parse(x.out) == rec);
    auto xc = test::lecert({"extract", dir.file("out-cover.pdf")});
    CHECK(xc.exitCode == 0);
    CHECK(Json::parse(xc.out)["victim"]["family_name"] == "Rivera");

    // identical input and options: identical bytes
    const std::string out2 = dir.file("again.pdf");
    REQUIRE(test::lecert({"fill", "--today", "2026-11-28", "-o", out2, in}).exitCode == 0);
    CHECK(bytesOf(out) == bytesOf(out2));
    CHECK(bytesOf(dir.file("out-cover.pdf")) == bytesOf(dir.file("again-cover.pdf")));
}

TEST_CASE("a record with errors writes nothing unless --draft", "[fill]") {
    TempDir dir;
    Json rec = validRecord("i918b");
    rec["victim"].erase("family_name");
    const std::string in = recordFile(dir, rec);
    const std::string out = dir.file("bad.pdf");
    auto r = test::lecert({"fill", "--today", "2026-11-28", "-o", out, in});
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("victim.family_name") != std::string::npos);
    CHECK_FALSE(fileExists(out));
    CHECK_FALSE(fileExists(dir.file("bad-cover.pdf")));

    auto d =
        test::lecert({"fill", "--draft", "--no-cover", "--today", "2026-11-28", "-o", out, in});
    INFO(d.err);
    REQUIRE(d.exitCode == 0);
    CHECK(fileExists(out));
    CHECK_FALSE(fileExists(dir.file("bad-cover.pdf")));
    auto pages = pdf::pageCount(bytesOf(out));
    REQUIRE(pages.ok());
    for (int p = 1; p <= *pages; ++p)
        CHECK(pdfTextCompact(out, p, true).find("DRAFT–NOTFORSIGNATURE") != std::string::npos);
}

TEST_CASE("fill --flatten leaves no fields", "[fill]") {
    TempDir dir;
    const std::string in = recordFile(dir, validRecord("i914b"));
    const std::string out = dir.file("flat.pdf");
    REQUIRE(
        test::lecert({"fill", "--flatten", "--no-cover", "--today", "2026-11-28", "-o", out, in})
            .exitCode == 0);
    auto fields = pdf::readFieldValues(bytesOf(out));
    REQUIRE(fields.ok());
    CHECK(fields->empty());
    CHECK(pdfText(out).find("Rivera") != std::string::npos);
}

TEST_CASE("fill --password-file encrypts both PDFs with AES-256", "[fill]") {
    TempDir dir;
    const std::string in = recordFile(dir, validRecord("i918b"));
    const std::string pw = dir.write("pw.txt", "s3cret pass\nignored second line\n");
    const std::string out = dir.file("enc.pdf");
    auto r = test::lecert({"fill", "--password-file", pw, "--today", "2026-11-28", "-o", out, in});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    for (const std::string& f : {out, dir.file("enc-cover.pdf")}) {
        const std::string bytes = bytesOf(f);
        CHECK(pdf::isEncrypted(bytes));
        CHECK_FALSE(pdf::readFieldValues(bytes).ok());
        CHECK(run("qpdf --show-encryption --password='s3cret pass' " + shellQuote(f))
                  .out.find("AESv3") != std::string::npos);
        CHECK(run("qpdf --check --password='wrong' " + shellQuote(f)).exitCode != 0);
    }
    auto fields = pdf::readFieldValues(bytesOf(out), "s3cret pass");
    REQUIRE(fields.ok());
    CHECK(fields->at("victim.given_name") == "Ana");
    CHECK(test::lecert({"extract", out}).exitCode == 2);
    auto x = test::lecert({"extract", "--password-file", pw, out});
    REQUIRE(x.exitCode == 0);
    CHECK(Json::parse(x.out)["id"] == "test-001");

    const std::string empty = dir.write("empty.txt", "\n");
    auto e = test::lecert({"fill", "--password-file", empty, "-o", dir.file("x.pdf"), in});
    CHECK(e.exitCode == 2);
    CHECK(e.err.find("empty.txt") != std::string::npos);
    CHECK_FALSE(fileExists(dir.file("x.pdf")));
}

TEST_CASE("bad input and unwritable output exit 2 and leave no file", "[fill]") {
    TempDir dir;
    const std::string broken = dir.write("broken.json", "{\"form\": \"i918b\",\n  \"victim\": }");
    auto r = test::lecert({"fill", "-o", dir.file("o.pdf"), broken});
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("broken.json:2") != std::string::npos);
    CHECK_FALSE(fileExists(dir.file("o.pdf")));

    auto missing = test::lecert({"fill", "-o", dir.file("o.pdf"), dir.file("nope.json")});
    CHECK(missing.exitCode == 2);

    const std::string in = recordFile(dir, validRecord("i918b"));
    auto unwritable =
        test::lecert({"fill", "--today", "2026-11-28", "-o", dir.file("no/such/dir/o.pdf"), in});
    CHECK(unwritable.exitCode == 2);

    const std::string two = dir.write(
        "two.json", "[" + validRecord("i918b").dump() + "," + validRecord("i914b").dump() + "]");
    auto many = test::lecert({"fill", "-o", dir.file("o.pdf"), two});
    CHECK(many.exitCode == 2);
    CHECK(many.err.find("lecert batch") != std::string::npos);

    auto usage = test::lecert({"fill", in});
    CHECK(usage.exitCode == 2);

    // extract: a PDF without an embedded record
    const std::string plain = dir.write("plain.pdf", "");
    CHECK(test::lecert({"extract", plain}).exitCode == 2);
    CHECK(test::lecert({"extract", dir.file("none.pdf")}).exitCode == 2);
    int leftovers = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        if (e.path().filename().string().find(".tmp") != std::string::npos) ++leftovers;
    CHECK(leftovers == 0);
}

TEST_CASE("coverPathFor and readPasswordFile", "[fill]") {
    CHECK(coverPathFor("out.pdf") == "out-cover.pdf");
    CHECK(coverPathFor("dir/Case.PDF") == "dir/Case-cover.PDF");
    CHECK(coverPathFor("out") == "out-cover.pdf");
    TempDir dir;
    auto pw = readPasswordFile(dir.write("p", "abc\r\nxyz"));
    REQUIRE(pw.ok());
    CHECK(*pw == "abc");
    CHECK_FALSE(readPasswordFile(dir.file("missing")).ok());
}
