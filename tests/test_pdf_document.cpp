// SPDX-License-Identifier: MIT
// pdf::Document engine: fields read back by full name, text extraction in several scripts,
// embedded subset fonts, rendered ink, flattening, attachments, determinism, encryption.
#include <catch2/catch.hpp>

#include <cctype>
#include <thread>

#include "core/pdf/document.h"
#include "core/pdf/pdf_io.h"
#include "pdf_check.h"
#include "support.h"

using namespace lecert;
using namespace lecert::test;

namespace {

const std::string kLatin = "García-Núñez, José";
const std::string kVietnamese = "Nguyễn Thị Hương";
const std::string kCyrillic = "Иванова Мария";
const std::string kArabic = "محمد علي";
const std::string kCjk = "李小龍";

struct Sample {
    pdf::Rect name{72, 650, 250, 20};
    pdf::Rect viet{330, 650, 210, 20};
    pdf::Rect cyr{72, 610, 250, 20};
    pdf::Rect arabic{330, 610, 210, 20};
    pdf::Rect cjk{72, 570, 250, 20};
    pdf::Rect story{72, 420, 468, 120};
    pdf::Rect check{72, 380, 12, 12};
    pdf::Rect yes{200, 380, 12, 12};
    pdf::Rect no{260, 380, 12, 12};
};

// No Catch assertions inside: also used from worker threads.
std::unique_ptr<pdf::Document> buildSample(const Sample& s) {
    auto fonts = pdf::FontSet::shared();
    auto doc = std::make_unique<pdf::Document>(fonts);
    const int p = doc->addPage();
    pdf::DocumentInfo info;
    info.title = "Engine sample";
    info.subject = "Test";
    info.date = "2026-01-15";
    doc->setInfo(info);
    pdf::TextStyle bold{pdf::FontFace::Bold, 14, {}};
    doc->drawText(p, 72, 720, "Part 1. Information About the Victim", bold);
    doc->addTextField(p, s.name, "victim.family_name", kLatin);
    doc->addTextField(p, s.viet, "victim.given_name", kVietnamese);
    doc->addTextField(p, s.cyr, "victim.other_names[0].family_name", kCyrillic);
    doc->addTextField(p, s.arabic, "agency.name", kArabic);
    doc->addTextField(p, s.cjk, "agency.official.title", kCjk);
    doc->addTextField(
        p, s.story, "crime.description",
        "The victim reported the offense on the same day.\nShe identified the suspect.", true);
    doc->addCheckBox(p, s.check, "crime.activities.stalking", true);
    doc->addRadioGroup("crime.occurred_in_us", {{"yes", p, s.yes}, {"no", p, s.no}}, "yes");
    doc->attachFile("record.json", "{\"form\":\"i918b\"}", "application/json", "Source record");
    return doc;
}

std::unique_ptr<pdf::Document> makeSample(const Sample& s) {
    REQUIRE(pdf::FontSet::shared());
    return buildSample(s);
}

}  // namespace

TEST_CASE("fields are read back by their full dotted names", "[pdf]") {
    Sample s;
    auto doc = makeSample(s);
    auto bytes = doc->write();
    REQUIRE(bytes.ok());
    auto fields = pdf::readFieldValues(*bytes);
    REQUIRE(fields.ok());
    CHECK(fields->at("victim.family_name") == kLatin);
    CHECK(fields->at("victim.given_name") == kVietnamese);
    CHECK(fields->at("victim.other_names[0].family_name") == kCyrillic);
    CHECK(fields->at("agency.name") == kArabic);
    CHECK(fields->at("agency.official.title") == kCjk);
    CHECK(fields->at("crime.activities.stalking") == "Yes");
    CHECK(fields->at("crime.occurred_in_us") == "yes");
    CHECK(fields->at("crime.description").find("She identified the suspect.") != std::string::npos);
    CHECK(doc->missingCharacters().empty());
}

TEST_CASE("poppler extracts every script, fonts are embedded subsets, qpdf accepts the file",
          "[pdf]") {
    Sample s;
    auto bytes = makeSample(s)->write();
    REQUIRE(bytes.ok());
    TempDir dir;
    const std::string path = dir.file("sample.pdf");
    writeBytes(path, *bytes);

    const std::string textOut = pdfTextCompact(path);
    for (const auto& v : {kLatin, kVietnamese, kCyrillic, kArabic, kCjk, std::string("Part 1.")}) {
        INFO(v);
        CHECK(textOut.find(compact(v)) != std::string::npos);
    }

    auto check = run("qpdf --check " + shellQuote(path));
    CHECK(check.exitCode == 0);
    CHECK(check.out.find("No syntax or stream encoding errors") != std::string::npos);

    auto fonts = run("pdffonts " + shellQuote(path));
    REQUIRE(fonts.exitCode == 0);
    CHECK(fonts.out.find("+DejaVuSans ") != std::string::npos);
    CHECK(fonts.out.find("+DejaVuSans-Bold") != std::string::npos);
    CHECK(fonts.out.find("+NotoSansCJK") != std::string::npos);
    // every font line: embedded, subset, with a ToUnicode map
    std::istringstream lines(fonts.out);
    std::string line;
    int fontLines = 0;
    while (std::getline(lines, line)) {
        if (line.find("CID TrueType") == std::string::npos) continue;
        ++fontLines;
        CHECK(line.find("yes yes yes") != std::string::npos);
    }
    CHECK(fontLines == 3);
    CHECK(bytes->size() < 150 * 1024);
}

TEST_CASE("every filled field shows ink when rendered", "[pdf]") {
    Sample s;
    auto bytes = makeSample(s)->write();
    REQUIRE(bytes.ok());
    TempDir dir;
    const std::string path = dir.file("sample.pdf");
    writeBytes(path, *bytes);
    Raster r = renderPage(path, 1, dir);
    REQUIRE(r.width == 612);
    for (const auto& rect : {s.name, s.viet, s.cyr, s.arabic, s.cjk, s.story, s.check}) {
        INFO(rect.x << "," << rect.y);
        CHECK(r.inkIn(rect.x, rect.y, rect.w, rect.h) > 10);
    }
    // the selected radio button has a dot, the other one does not
    CHECK(r.inkIn(s.yes.x, s.yes.y, s.yes.w, s.yes.h, 3) > 3);
    CHECK(r.inkIn(s.no.x, s.no.y, s.no.w, s.no.h, 3) == 0);
}

TEST_CASE("identical input gives identical bytes, dates never come from the clock", "[pdf]") {
    Sample s;
    auto a = makeSample(s)->write();
    auto b = makeSample(s)->write();
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(*a == *b);
    // The date as lecert writes text strings: a hex string of its ASCII bytes.
    std::string dateHex = "<";
    for (unsigned char c : std::string("D:20260115000000Z")) {
        static const char* digits = "0123456789ABCDEF";
        dateHex += digits[c >> 4];
        dateHex += digits[c & 15];
    }
    dateHex += ">";
    std::string upper(*a);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(upper.find(dateHex) != std::string::npos);
    // a different value changes the /ID
    auto doc = makeSample(s);
    doc->drawText(0, 72, 100, "extra", {});
    auto c = doc->write();
    REQUIRE(c.ok());
    const auto idA = a->substr(a->rfind("/ID"), 80);
    const auto idC = c->substr(c->rfind("/ID"), 80);
    CHECK(idA != idC);
}

TEST_CASE("flattened output keeps the values as page content and has no fields", "[pdf]") {
    Sample s;
    pdf::WriteOptions opt;
    opt.flatten = true;
    auto bytes = makeSample(s)->write(opt);
    REQUIRE(bytes.ok());
    auto fields = pdf::readFieldValues(*bytes);
    REQUIRE(fields.ok());
    CHECK(fields->empty());
    CHECK(bytes->find("/AcroForm") == std::string::npos);
    CHECK(bytes->find("/Widget") == std::string::npos);
    TempDir dir;
    const std::string path = dir.file("flat.pdf");
    writeBytes(path, *bytes);
    CHECK(pdfTextCompact(path).find(compact(kCyrillic)) != std::string::npos);
    Raster r = renderPage(path, 1, dir);
    CHECK(r.inkIn(s.check.x, s.check.y, s.check.w, s.check.h) > 5);
    CHECK(run("qpdf --check " + shellQuote(path)).exitCode == 0);
}

TEST_CASE("watermark is drawn on every page", "[pdf]") {
    auto doc = std::make_unique<pdf::Document>(pdf::FontSet::shared());
    doc->addPage();
    doc->addPage();
    pdf::WriteOptions opt;
    opt.watermark = "DRAFT – NOT FOR SIGNATURE";
    auto bytes = doc->write(opt);
    REQUIRE(bytes.ok());
    TempDir dir;
    const std::string path = dir.file("wm.pdf");
    writeBytes(path, *bytes);
    // diagonal text comes out one glyph per line; compare without white space
    for (int page : {1, 2})
        CHECK(pdfTextCompact(path, page, true).find("DRAFT–NOTFORSIGNATURE") != std::string::npos);
    Raster r = renderPage(path, 2, dir);
    CHECK(r.inkIn(206, 296, 200, 200, 0) == 0);  // translucent: light, not black ink
}

TEST_CASE("the attachment is read back", "[pdf]") {
    Sample s;
    auto bytes = makeSample(s)->write();
    REQUIRE(bytes.ok());
    auto att = pdf::readAttachment(*bytes, "record.json");
    REQUIRE(att.ok());
    CHECK(*att == "{\"form\":\"i918b\"}");
    auto names = pdf::listAttachments(*bytes);
    REQUIRE(names.ok());
    CHECK(*names == std::vector<std::string>{"record.json"});
    CHECK_FALSE(pdf::readAttachment(*bytes, "other.json").ok());
}

TEST_CASE("AES-256 output opens only with the password", "[pdf]") {
    Sample s;
    auto bytes = makeSample(s)->write();
    REQUIRE(bytes.ok());
    auto enc = pdf::encryptAes256(*bytes, "correct horse");
    REQUIRE(enc.ok());
    CHECK(pdf::isEncrypted(*enc));
    CHECK_FALSE(pdf::isEncrypted(*bytes));
    CHECK_FALSE(pdf::readFieldValues(*enc).ok());
    CHECK_FALSE(pdf::readFieldValues(*enc, "wrong").ok());
    auto fields = pdf::readFieldValues(*enc, "correct horse");
    REQUIRE(fields.ok());
    CHECK(fields->at("victim.given_name") == kVietnamese);
    auto att = pdf::readAttachment(*enc, "record.json", "correct horse");
    REQUIRE(att.ok());
    CHECK(*att == "{\"form\":\"i918b\"}");
    TempDir dir;
    const std::string path = dir.file("enc.pdf");
    writeBytes(path, *enc);
    auto show = run("qpdf --show-encryption --password='correct horse' " + shellQuote(path));
    CHECK(show.out.find("AESv3") != std::string::npos);
    // Without the password poppler cannot open the file at all (pdfText would fail the test).
    auto locked = run("pdftotext -enc UTF-8 " + shellQuote(path) + " -");
    CHECK(locked.exitCode != 0);
    CHECK(locked.out.empty());
    CHECK(compact(pdfText(path, 0, "correct horse")).find(compact(kLatin)) != std::string::npos);
}

TEST_CASE("characters no font can draw are reported", "[pdf]") {
    auto missing = pdf::undrawableCharacters("Ok \U00013000 text \U00013000 and \U0001D11E");
    CHECK(missing == std::vector<char32_t>{U'\U00013000', U'\U0001D11E'});
    CHECK(pdf::undrawableCharacters(kLatin + kVietnamese + kCyrillic + kArabic + kCjk + "\n\t")
              .empty());
    auto doc = std::make_unique<pdf::Document>(pdf::FontSet::shared());
    const int p = doc->addPage();
    doc->addTextField(p, {72, 700, 200, 20}, "x", "A\U00013000");
    CHECK(doc->missingCharacters() == std::vector<char32_t>{U'\U00013000'});
}

TEST_CASE("word wrap measures mixed scripts and keeps every character", "[pdf]") {
    pdf::Document doc(pdf::FontSet::shared());
    pdf::TextStyle st;
    const std::string textIn =
        "Alpha beta gamma 李小龍李小龍李小龍 delta epsilon Иванова Мария محمد علي";
    auto lines = doc.wrapText(textIn, 80, st);
    CHECK(lines.size() > 3);
    std::string joined;
    for (const auto& l : lines) {
        CHECK(doc.textWidth(l, st) <= 80.01);
        joined += l;
    }
    CHECK(compact(joined) == compact(textIn));
    CHECK(doc.textWidth("MMMM", st) > doc.textWidth("iiii", st));
}

TEST_CASE("documents built on several threads from one FontSet are identical and valid",
          "[pdf][threads]") {
    Sample s;
    auto reference = makeSample(s)->write();
    REQUIRE(reference.ok());
    std::vector<std::string> results(8);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int k = 0; k < 2; ++k) {
                auto bytes = buildSample(s)->write();
                results[static_cast<std::size_t>(t * 2 + k)] = bytes.ok() ? *bytes : std::string();
            }
        });
    for (auto& th : threads) th.join();
    for (const auto& r : results) CHECK(r == *reference);
}

TEST_CASE("text drawn again in a later document is drawn the same and keeps its font", "[pdf]") {
    // Issue 14: the operators of ASCII text are remembered per thread; a document that draws
    // the same label as an earlier one must still use (and embed) the label's font.
    auto fonts = pdf::FontSet::shared();
    REQUIRE(fonts);
    const pdf::TextStyle bold{pdf::FontFace::Bold, 12, {}};
    const pdf::TextStyle regular{pdf::FontFace::Regular, 10, {0.2, 0.2, 0.2}};
    auto build = [&](bool withBold, double y) {
        pdf::Document doc(fonts);
        const int p = doc.addPage();
        if (withBold) doc.drawText(p, 72, 720, "Part 1. Heading", bold);
        doc.drawText(p, 72, y, "Family Name (Last Name)", regular);
        doc.drawText(p, 300, y, "Right aligned", regular, pdf::Align::Right);
        auto bytes = doc.write();
        REQUIRE(bytes.ok());
        return *bytes;
    };
    TempDir dir;
    const std::string first = build(true, 700), again = build(false, 700),
                      moved = build(false, 650);
    const std::string firstPath = dir.file("first.pdf"), againPath = dir.file("again.pdf"),
                      movedPath = dir.file("moved.pdf");
    writeBytes(firstPath, first);
    writeBytes(againPath, again);
    writeBytes(movedPath, moved);
    for (const auto& path : {firstPath, againPath, movedPath}) {
        INFO(path);
        const std::string text = pdfTextCompact(path);
        CHECK_THAT(text, Catch::Contains("FamilyName(LastName)"));
        CHECK_THAT(text, Catch::Contains("Rightaligned"));
        runTool("qpdf --check " + shellQuote(path));
    }
    CHECK_THAT(pdfTextCompact(firstPath), Catch::Contains("Part1.Heading"));
    // One embedded font when only regular text is drawn, two with the bold heading.
    auto fontCount = [](const std::string& path) {
        const std::string list = runTool("pdffonts " + shellQuote(path));
        return std::count(list.begin(), list.end(), '\n') - 2;  // two header lines
    };
    CHECK(fontCount(firstPath) == 2);
    CHECK(fontCount(againPath) == 1);
    CHECK(fontCount(movedPath) == 1);
    // The same drawing gives the same file, whether remembered or not.
    CHECK(build(false, 700) == again);
    const Raster a = renderPage(againPath, 1, dir), m = renderPage(movedPath, 1, dir);
    CHECK(a.inkIn(72, 695, 150, 14) > 20);
    CHECK(m.inkIn(72, 695, 150, 14) == 0);
    CHECK(m.inkIn(72, 645, 150, 14) > 20);
}
