// SPDX-License-Identifier: MIT
// The form PDF laid out from forms/<form>.json: field names and values, printed formats,
// scripts, overflow to Additional Information, ink in every filled field, flatten, draft.
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/model/form_definition.h"
#include "core/pdf/pdf_io.h"
#include "core/render/worksheet_pdf.h"
#include "pdf_check.h"
#include "support.h"

using namespace lecert;
using namespace lecert::test;

namespace {

FormPdf render(Json json, FormPdfOptions opt = {}) {
    normalizeRecord(json);
    Record r(json);
    auto def = formDefinition(*r.form());
    REQUIRE(def.ok());
    if (!opt.today) opt.today = Date::parseIso("2026-11-28");
    auto pdf = renderFormPdf(**def, r, opt);
    REQUIRE(pdf.ok());
    return std::move(*pdf);
}

std::map<std::string, std::string> fieldsOf(const std::string& bytes) {
    auto f = pdf::readFieldValues(bytes);
    REQUIRE(f.ok());
    return *f;
}

std::string saved(const TempDir& dir, const std::string& bytes,
                  const std::string& name = "form.pdf") {
    const std::string path = dir.file(name);
    writeBytes(path, bytes);
    return path;
}

}  // namespace

TEST_CASE("I-918B fields are named after record paths and hold the printed values", "[form]") {
    Json rec = validRecord("i918b");
    rec["crime"]["activities"] = {"felonious_assault", "stalking"};
    rec["family"] = Json::parse(R"({"implicated": true, "members": [
        {"family_name": "Rivera", "given_name": "Luis", "relationship": "Brother", "involvement": "Lookout"},
        {"family_name": "Soto", "given_name": "Marta", "relationship": "Aunt", "involvement": "Held passports"}]})");
    FormPdf pdf = render(rec);
    auto f = fieldsOf(pdf.bytes);
    CHECK(f.at("victim.family_name") == "Rivera");
    CHECK(f.at("victim.given_name") == "Ana");
    CHECK(f.at("victim.a_number") == "012345678");
    CHECK(f.at("victim.date_of_birth") == "05/17/1990");
    CHECK(f.at("victim.gender") == "female");
    CHECK(f.at("agency.official.role") == "head");
    CHECK(f.at("agency.address.state") == "WY");
    CHECK(f.at("agency.official.phone") == "(555) 010-2345");
    CHECK(f.at("crime.dates[0]") == "03/14/2026");
    CHECK(f.at("crime.dates[1]").empty());
    CHECK(f.at("crime.activities.felonious_assault") == "Yes");
    CHECK(f.at("crime.activities.stalking") == "Yes");
    CHECK(f.at("crime.activities.murder") == "Off");
    CHECK(f.at("crime.occurred_in_us") == "yes");
    CHECK(f.at("helpfulness.refused_or_failed") == "no");
    CHECK(f.at("family.implicated") == "yes");
    CHECK(f.at("family.members[1].relationship") == "Aunt");
    CHECK(f.at("family.members[0].given_name") == "Luis");
    CHECK(f.at("certification.signature_date") == "11/02/2026");
    CHECK(f.count("crime.description") == 1);
    CHECK(pdf.overflow.empty());
    // the signature itself is never a field: wet ink only
    for (const auto& [name, value] : f) {
        const bool ok = name.find("signature_date") != std::string::npos ||
                        name.find("signature") == std::string::npos;
        CHECK(ok);
    }

    TempDir dir;
    const std::string path = saved(dir, pdf.bytes);
    const std::string page1 = pdfText(path, 1);
    CHECK(page1.find("Form I-918, Supplement B") != std::string::npos);
    CHECK(page1.find("Edition 01/20/25") != std::string::npos);  // header: form name and edition
    CHECK(page1.find("Part 1.") != std::string::npos);
    CHECK(page1.find("A-") != std::string::npos);
    CHECK(pdfText(path, pdf.pages).find("Edition 01/20/25") != std::string::npos);
    CHECK(run("qpdf --check " + shellQuote(path)).exitCode == 0);
}

TEST_CASE("the signature date is printed only when the record has it", "[form]") {
    Json rec = validRecord("i918b");
    rec["certification"].erase("signature_date");
    FormPdf pdf = render(rec);
    auto f = fieldsOf(pdf.bytes);
    CHECK(f.at("certification.signature_date").empty());
    TempDir dir;
    CHECK(pdfText(saved(dir, pdf.bytes)).find("11/02/2026") == std::string::npos);
}

TEST_CASE("I-914B renders with its own parts", "[form]") {
    FormPdf pdf = render(validRecord("i914b"));
    auto f = fieldsOf(pdf.bytes);
    CHECK(f.at("trafficking.types.labor_trafficking") == "Yes");
    CHECK(f.at("trafficking.start_date") == "02/01/2025");
    CHECK(f.at("cooperation.complied_with_requests") == "yes");
    TempDir dir;
    const std::string path = saved(dir, pdf.bytes);
    CHECK(pdfText(path, 1).find("Form I-914, Supplement B") != std::string::npos);
    CHECK(run("qpdf --check " + shellQuote(path)).exitCode == 0);
}

TEST_CASE("values in Latin, Vietnamese, Cyrillic, Arabic and CJK are extracted and drawn",
          "[form]") {
    Json rec = validRecord("i918b");
    rec["victim"]["family_name"] = "Nguyễn";
    rec["victim"]["given_name"] = "Thị Hương";
    rec["victim"]["middle_name"] = "Иванова";
    rec["agency"]["official"]["division"] = "قسم الضحايا";
    rec["crime"]["injury"] = "右手骨折 broken wrist";
    FormPdf pdf = render(rec);
    CHECK(pdf.warnings.empty());
    CHECK(pdf.bytes.size() < 150 * 1024);  // the CJK subset included
    TempDir dir;
    const std::string path = saved(dir, pdf.bytes);
    const std::string txt = pdfTextCompact(path);
    for (const std::string v :
         {"Nguyễn", "ThịHương", "Иванова", "قسمالضحايا", "右手骨折", "Riverton"}) {
        INFO(v);
        CHECK(txt.find(v) != std::string::npos);
    }
    auto fonts = run("pdffonts " + shellQuote(path));
    CHECK(fonts.out.find("+NotoSansCJK") != std::string::npos);
    CHECK(fonts.out.find("+DejaVuSans ") != std::string::npos);
    CHECK(fonts.out.find(" no ") == std::string::npos);  // every font embedded and subset

    // every filled field shows ink on its page
    auto widgets = pdf::readFieldWidgets(pdf.bytes);
    REQUIRE(widgets.ok());
    auto values = fieldsOf(pdf.bytes);
    std::map<int, Raster> pages;
    int checked = 0;
    for (const auto& w : *widgets) {
        const std::string& v = values[w.name];
        if (v.empty() || v == "Off") continue;
        if (w.w < 15) continue;  // radio buttons and check boxes: only the chosen one has ink
        if (!pages.count(w.page)) pages[w.page] = renderPage(path, w.page, dir);
        INFO(w.name);
        CHECK(pages[w.page].inkIn(w.x, w.y, w.w, w.h) > 8);
        ++checked;
    }
    CHECK(checked > 20);
}

TEST_CASE("a character no font has is a warning on its field", "[form]") {
    Json rec = validRecord("i918b");
    rec["crime"]["injury"] = "Broken wrist \U00013000";
    FormPdf pdf = render(rec);
    REQUIRE(pdf.warnings.size() == 1);
    CHECK(pdf.warnings[0].field == "crime.injury");
    CHECK(pdf.warnings[0].code == "text.undrawable");
    CHECK(pdf.warnings[0].message.find("U+13000") != std::string::npos);

    // The validator gives the same warning for the same field: one "cannot be printed" message.
    Json normalized = rec;
    normalizeRecord(normalized);
    ValidationOptions vo;
    vo.today = Date::parseIso("2026-11-28");
    const auto issues = validateRecord(Record(normalized), vo);
    const auto same = std::find_if(issues.begin(), issues.end(), [](const Issue& i) {
        return i.code == "text.undrawable" && i.field == "crime.injury";
    });
    REQUIRE(same != issues.end());
    CHECK(same->message == pdf.warnings[0].message);
}

TEST_CASE("text and rows that do not fit go to the Additional Information page", "[form]") {
    Json rec = validRecord("i918b");
    std::string longText;
    for (int i = 0; i < 30; ++i)
        longText +=
            (i ? " " : "") + ("Sentence number " + std::to_string(i) + " of the long description.");
    rec["crime"]["description"] = longText;
    rec["crime"]["dates"] = {"2026-01-01", "2026-01-02", "2026-01-03",
                             "2026-01-04", "2026-01-05", "2026-01-06"};
    rec["victim"]["other_names"] = Json::parse(R"([{"family_name": "Rivas", "given_name": "Ana"},
                                                   {"family_name": "Ruiz", "given_name": "Anita"}])");
    rec["additional_information"] =
        Json::parse(R"([{"part": "2", "item": "1", "text": "Acting chief since May."}])");
    FormPdf pdf = render(rec);
    auto f = fieldsOf(pdf.bytes);
    CHECK(f.at("crime.description") == longText);
    CHECK(f.at("crime.dates[3]") == "01/04/2026");
    CHECK(f.at("crime.dates[4]") == "01/05/2026");
    CHECK(f.at("crime.dates[5]") == "01/06/2026");
    CHECK(f.at("victim.other_names[1].family_name") == "Ruiz");
    CHECK(f.at("additional_information[0].text") == "Acting chief since May.");
    CHECK(f.at("additional_information[0].part") == "2");

    std::vector<std::string> moved;
    for (const auto& o : pdf.overflow) moved.push_back(o.path);
    CHECK(std::find(moved.begin(), moved.end(), "crime.description") != moved.end());
    CHECK(std::find(moved.begin(), moved.end(), "crime.dates[4]") != moved.end());
    CHECK(std::find(moved.begin(), moved.end(), "victim.other_names[1]") != moved.end());

    // the description's widget sits on an Additional Information page, the box says so
    auto widgets = pdf::readFieldWidgets(pdf.bytes);
    REQUIRE(widgets.ok());
    int descPage = 0;
    for (const auto& w : *widgets)
        if (w.name == "crime.description") descPage = w.page;
    REQUIRE(descPage > 0);
    TempDir dir;
    const std::string path = saved(dir, pdf.bytes);
    const std::string addl = pdfText(path, descPage);
    CHECK(addl.find("Additional Information") != std::string::npos);
    CHECK(addl.find("Rivera") != std::string::npos);       // victim name at the top
    CHECK(addl.find("A-012345678") != std::string::npos);  // and the A-Number
    CHECK(compact(pdfText(path)).find(compact(longText)) != std::string::npos);
    const auto crimePage = [&] {
        for (const auto& w : *widgets)
            if (w.name == "crime.citations") return w.page;
        return 0;
    }();
    REQUIRE(crimePage > 0);
    CHECK(pdfText(path, crimePage).find("See Additional Information") != std::string::npos);
}

TEST_CASE("flattened form has no fields, draft form carries the watermark", "[form]") {
    FormPdfOptions flat;
    flat.flatten = true;
    FormPdf pdf = render(validRecord("i918b"), flat);
    CHECK(fieldsOf(pdf.bytes).empty());
    TempDir dir;
    const std::string path = saved(dir, pdf.bytes, "flat.pdf");
    CHECK(pdfText(path).find("Riverton Police Department") != std::string::npos);

    FormPdfOptions draft;
    draft.draft = true;
    FormPdf d = render(validRecord("i918b"), draft);
    const std::string dpath = saved(dir, d.bytes, "draft.pdf");
    for (int p = 1; p <= d.pages; ++p)
        CHECK(pdfTextCompact(dpath, p, true).find("DRAFT–NOTFORSIGNATURE") != std::string::npos);
}

TEST_CASE("same record and options give the same bytes, the record is attached", "[form]") {
    FormPdf a = render(validRecord("i918b"));
    FormPdf b = render(validRecord("i918b"));
    CHECK(a.bytes == b.bytes);
    auto att = pdf::readAttachment(a.bytes, kRecordAttachmentName);
    REQUIRE(att.ok());
    Json back = Json::parse(*att);
    CHECK(back["victim"]["family_name"] == "Rivera");
    CHECK(a.bytes.size() < 150 * 1024);
}

TEST_CASE("every worksheet page says it is a lecert worksheet, not the official form", "[form]") {
    Json rec = validRecord("i918b");
    std::string longText;
    for (int i = 0; i < 200; ++i) longText += "The victim described the events again. ";
    rec["crime"]["description"] = longText;  // forces more pages
    FormPdf pdf = render(rec);
    TempDir dir;
    const std::string path = saved(dir, pdf.bytes);
    auto pages = pdf::pageCount(pdf.bytes);
    REQUIRE(pages.ok());
    REQUIRE(*pages >= 2);
    for (int p = 1; p <= *pages; ++p) {
        INFO("page " << p);
        const std::string text = compact(pdfText(path, p));
        CHECK(text.find(compact("LECERT WORKSHEET - NOT THE OFFICIAL USCIS FORM")) !=
              std::string::npos);
        CHECK(text.find(compact("not the official USCIS form; do not file this copy")) !=
              std::string::npos);
    }
}
