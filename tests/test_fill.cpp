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

TEST_CASE("fill writes the form and the cover, extract returns the record", "[fill]") {
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

TEST_CASE("an output that is an input, the password file or a foreign file is refused",
          "[fill][clobber]") {
    TempDir dir;
    const std::string recText = validRecord("i918b").dump(2);
    const std::string in = dir.write("rec.json", recText);
    // -o rec.json rec.json: the record must survive.
    auto self = test::lecert({"fill", "--today", "2026-11-28", "--no-cover", "-o", in, in});
    CHECK(self.exitCode == 2);
    CHECK(self.err.find("input") != std::string::npos);
    CHECK(readText(in) == recText);
    // The same file under another spelling.
    auto dotted = test::lecert(
        {"fill", "--today", "2026-11-28", "--no-cover", "-o", dir.path() + "/./rec.json", in});
    CHECK(dotted.exitCode == 2);
    CHECK(readText(in) == recText);
    // The password file as the output (or as the cover of the output).
    const std::string pw = dir.write("pw.txt", "secret\n");
    auto pwOut = test::lecert(
        {"fill", "--today", "2026-11-28", "--password-file", pw, "--no-cover", "-o", pw, in});
    CHECK(pwOut.exitCode == 2);
    CHECK(readText(pw) == "secret\n");
    const std::string pwCover = dir.write("p-cover.pdf", "secret\n");
    auto coverClash = test::lecert(
        {"fill", "--today", "2026-11-28", "--password-file", pwCover, "-o", dir.file("p.pdf"), in});
    CHECK(coverClash.exitCode == 2);
    CHECK(readText(pwCover) == "secret\n");
    CHECK_FALSE(fileExists(dir.file("p.pdf")));
    // A file lecert did not write (a report, notes) is kept unless --force.
    const std::string notes = dir.write("notes.pdf", "{\"source\": \"x\"}\n");
    auto foreign = test::lecert({"fill", "--today", "2026-11-28", "--no-cover", "-o", notes, in});
    CHECK(foreign.exitCode == 2);
    CHECK(foreign.err.find("--force") != std::string::npos);
    CHECK(readText(notes) == "{\"source\": \"x\"}\n");
    auto forced =
        test::lecert({"fill", "--today", "2026-11-28", "--no-cover", "--force", "-o", notes, in});
    CHECK(forced.exitCode == 0);
    CHECK(readText(notes).rfind("%PDF-", 0) == 0);
    // --force never lets an output replace an input.
    auto forcedSelf =
        test::lecert({"fill", "--today", "2026-11-28", "--no-cover", "--force", "-o", in, in});
    CHECK(forcedSelf.exitCode == 2);
    CHECK(readText(in) == recText);
    // A PDF lecert wrote (plain or encrypted) is replaced without --force.
    const std::string out = dir.file("out.pdf");
    REQUIRE(test::lecert({"fill", "--today", "2026-11-28", "-o", out, in}).exitCode == 0);
    CHECK(test::lecert({"fill", "--today", "2026-11-28", "-o", out, in}).exitCode == 0);
    REQUIRE(test::lecert({"fill", "--today", "2026-11-28", "--password-file", pw, "-o", out, in})
                .exitCode == 0);
    CHECK(test::lecert({"fill", "--today", "2026-11-28", "-o", out, in}).exitCode == 0);
}

TEST_CASE("passwords over 127 bytes or with a NUL are refused, the result opens with it",
          "[fill][password]") {
    TempDir dir;
    const std::string in = dir.write("rec.json", validRecord("i918b").dump(2));
    const std::string out = dir.file("o.pdf");
    const std::string ok127 = dir.write("ok.txt", std::string(127, 'p') + "\n");
    auto r =
        test::lecert({"fill", "--today", "2026-11-28", "--password-file", ok127, "-o", out, in});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(pdf::readFieldValues(readText(out), std::string(127, 'p')).ok());
    // 128 bytes (64 two-byte characters) is one too many.
    std::string longPw;
    for (int i = 0; i < 64; ++i) longPw += "\xC3\xA9";
    const std::string tooLong = dir.write("long.txt", longPw + "\n");
    const std::string out2 = dir.file("o2.pdf");
    auto l =
        test::lecert({"fill", "--today", "2026-11-28", "--password-file", tooLong, "-o", out2, in});
    CHECK(l.exitCode == 2);
    CHECK(l.err.find("127") != std::string::npos);
    CHECK_FALSE(fileExists(out2));
    auto lb = test::lecert({"batch", "-q", "--password-file", tooLong, "-o", dir.file("b"), in});
    CHECK(lb.exitCode == 2);
    CHECK_FALSE(fileExists(dir.file("b/test-001.pdf")));
    const std::string nul = dir.write("nul.txt", std::string("ab\0cd\n", 6));
    auto n =
        test::lecert({"fill", "--today", "2026-11-28", "--password-file", nul, "-o", out2, in});
    CHECK(n.exitCode == 2);
    CHECK(n.err.find("NUL") != std::string::npos);
    CHECK_FALSE(fileExists(out2));
    CHECK_FALSE(readPasswordFile(tooLong).ok());
}

TEST_CASE("extract: a decompression bomb and a non-record attachment are refused",
          "[fill][extract]") {
    // bomb.pdf is 1.3 KB; its attachment inflates to 300 MiB (tests/data/extract/make_pdfs.py).
    auto bomb = test::lecert({"extract", dataFile("extract/bomb.pdf")});
    CHECK(bomb.exitCode == 2);
    CHECK(bomb.err.find("larger than") != std::string::npos);
    CHECK(bomb.out.empty());
    auto other = test::lecert({"extract", dataFile("extract/not-record.pdf")});
    CHECK(other.exitCode == 2);
    CHECK(other.err.find("not a lecert record") != std::string::npos);
    CHECK(other.out.empty());
}

TEST_CASE("file names and messages never carry control characters", "[fill][privacy]") {
    TempDir dir;
    const std::string name = "evil\x1b]0;title\x07\x1b[2J.json";
    const std::string bad = dir.write(name, "{\"form\": \"i918b\", \"victim\": }");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"fill", "-o", dir.file("o.pdf"), bad},
          std::vector<std::string>{"validate", bad},
          std::vector<std::string>{"batch", "-q", "-o", dir.file("out"), bad},
          std::vector<std::string>{"review", "verify", bad}}) {
        auto r = test::lecert(args);
        INFO(args[0]);
        CHECK(r.exitCode != 0);
        CHECK(r.err.find('\x1b') == std::string::npos);
        CHECK(r.err.find('\x07') == std::string::npos);
        CHECK(r.out.find('\x1b') == std::string::npos);
        CHECK(r.err.find("\\x1b") != std::string::npos);
    }
}
