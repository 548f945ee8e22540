// SPDX-License-Identifier: MIT
// The cover summary of victim assistance: rendered PDFs are read back with poppler/qpdf.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "core/pdf/pdf_io.h"
#include "core/render/cover.h"
#include "core/render/cover_template.h"
#include "core/review/review.h"
#include "core/review/signing.h"
#include "core/rules/validator.h"
#include "core/util/text.h"
#include "support.h"

using namespace lecert;
using lecert::test::TempDir;

namespace {

const Date kToday{2026, 11, 28};

Record recordOf(Json j) {
    normalizeRecord(j);
    return Record(std::move(j));
}

std::string renderOk(const Record& r, CoverOptions o = {}) {
    if (!o.today) o.today = kToday;
    auto pdf = renderCoverPdf(r, o);
    if (!pdf) FAIL(pdf.error().toString());
    REQUIRE(pdf->size() > 1000);
    return *pdf;
}

struct Rendered {
    TempDir dir;
    std::string path;
    std::string text;    // pdftotext (reading order), white space runs collapsed to one space
    std::string raw;     // pdftotext -raw without any white space (for the diagonal watermark)
    std::string layout;  // pdftotext -layout
    int pages = 0;
};

std::unique_ptr<Rendered> readBack(const std::string& pdf) {
    auto r = std::make_unique<Rendered>();
    r->path = r->dir.write("cover.pdf", pdf);
    auto t = test::run("pdftotext " + test::shellQuote(r->path) + " -");
    REQUIRE(t.exitCode == 0);
    for (char c : t.out) {
        const bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
        if (ws && (r->text.empty() || r->text.back() == ' ')) continue;
        r->text += ws ? ' ' : c;
    }
    auto raw = test::run("pdftotext -raw " + test::shellQuote(r->path) + " -");
    REQUIRE(raw.exitCode == 0);
    for (char c : raw.out)
        if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') r->raw += c;
    auto l = test::run("pdftotext -layout " + test::shellQuote(r->path) + " -");
    REQUIRE(l.exitCode == 0);
    r->layout = l.out;
    auto n = pdf::pageCount(pdf);
    REQUIRE(n.ok());
    r->pages = *n;
    return r;
}

// The -layout line that contains `needle` (empty when none).
std::string lineWith(const std::string& text, const std::string& needle) {
    std::size_t pos = text.find(needle);
    if (pos == std::string::npos) return {};
    const std::size_t b = text.rfind('\n', pos);
    const std::size_t e = text.find('\n', pos);
    return text.substr(b == std::string::npos ? 0 : b + 1,
                       e == std::string::npos ? std::string::npos : e - b - 1);
}

std::string firstNonSpace(const std::string& line) {
    const std::size_t p = line.find_first_not_of(' ');
    if (p == std::string::npos) return {};
    // One UTF-8 character.
    std::size_t len = 1;
    const auto c = static_cast<unsigned char>(line[p]);
    if (c >= 0xF0)
        len = 4;
    else if (c >= 0xE0)
        len = 3;
    else if (c >= 0xC0)
        len = 2;
    return line.substr(p, len);
}

Json i918b() {
    return test::validRecord("i918b");
}

}  // namespace

TEST_CASE("daysLeftText wording", "[cover]") {
    CHECK(daysLeftText(154) == "154 days left");
    CHECK(daysLeftText(1) == "1 day left");
    CHECK(daysLeftText(0) == "Last day today");
    CHECK(daysLeftText(-1) == "Expired yesterday");
    CHECK(daysLeftText(-12) == "Expired 12 days ago");
}

TEST_CASE("view model: names, status, marks, days left", "[cover]") {
    Json j = i918b();
    j["victim"]["middle_name"] = "Lucía";
    j["assistance"]["services"] = Json::array({"medical", "other"});
    j["assistance"]["services_other"] = "Replacement documents";
    j["assistance"]["hsi_contacted"] = false;
    j["assistance"]["interpreter"] = {{"used", true}, {"language", "Spanish"}};
    j["assistance"]["continued_presence"] = {{"status", "granted"},
                                             {"requested_date", "2026-04-01"},
                                             {"decision_date", "2026-04-20"},
                                             {"expiration_date", "2027-01-10"},
                                             {"federal_sponsor", "HSI Casper"}};
    // CP is for trafficking victims: a U case with CP names trafficking among its activities.
    j["crime"]["activities"] = Json::array({"felonious_assault", "trafficking"});
    const Record r = recordOf(j);
    ValidationOptions vo;
    vo.today = kToday;
    const auto issues = validateRecord(r, vo);
    const Json vm = coverViewModel(r, issues, kToday);

    CHECK(vm["victim"]["name"] == "Rivera, Ana Lucía");
    CHECK(vm["victim"]["full_name"] == "Ana Lucía Rivera");
    CHECK(vm["record"]["id"] == "test-001");
    CHECK(vm["form"]["is_i918b"] == true);
    CHECK(vm["form"]["title"] == "Form I-918, Supplement B");
    CHECK(vm["review"]["line"] == "DRAFT");
    CHECK(vm["steps"]["specialist"]["mark"] == "yes");
    CHECK(vm["steps"]["hsi"]["mark"] == "no");
    CHECK(vm["steps"]["forensic_interview"]["mark"] == "unknown");
    CHECK(vm["steps"]["services"]["list"] == "Medical care, Other: Replacement documents");
    CHECK(vm["steps"]["interpreter"]["language"] == "Spanish");
    CHECK(vm["cp"]["status"] == "Granted");
    CHECK(vm["cp"]["expiration_date"] == "01/10/2027");
    CHECK(vm["cp"]["days_left_number"] == 43);
    CHECK(vm["cp"]["days_left"] == "43 days left");
    CHECK(vm["cert"]["signed"] == true);
    CHECK(vm["cert"]["last_day"] == certificationLastDay({2026, 11, 2}).us());
    CHECK(vm["cert"]["last_day"] == "05/01/2027");
    CHECK(vm["cert"]["days_left_number"] == 154);
    // The CP expiry warning (<= 60 days) is listed with the field's label from the form definition.
    REQUIRE(vm["validation"]["warning_count"] == 1);
    CHECK(vm["validation"]["warnings"][0]["field"] ==
          "assistance.continued_presence.expiration_date");
    CHECK(vm["validation"]["warnings"][0]["label"] == "CP Expiration Date");
    CHECK(vm["validation"]["has_errors"] == false);
}

TEST_CASE("typical I-918B cover: one page with every required fact", "[cover]") {
    const Record r = recordOf(i918b());
    const std::string pdf = renderOk(r);
    auto rb = readBack(pdf);
    const std::string& t = rb->text;

    CHECK(rb->pages == 1);
    CHECK_THAT(t, Catch::Contains("Victim Assistance Summary"));
    CHECK_THAT(t, Catch::Contains("test-001"));
    CHECK_THAT(t, Catch::Contains("Rivera, Ana"));
    CHECK_THAT(t, Catch::Contains("RPD-2026-0412"));
    CHECK_THAT(t, Catch::Contains("Form I-918, Supplement B"));
    CHECK_THAT(t, Catch::Contains("Complete, no warnings"));
    CHECK_THAT(t, Catch::Contains("Review: DRAFT"));
    // Continued Presence
    CHECK_THAT(t, Catch::Contains("Continued Presence"));
    CHECK_THAT(t, Catch::Contains("Not applicable"));
    // Six-month validity: signed 11/02/2026 -> last day 05/01/2027, 154 days after 11/28/2026.
    CHECK_THAT(t, Catch::Contains("11/02/2026"));
    CHECK_THAT(t, Catch::Contains("05/01/2027"));
    CHECK_THAT(t, Catch::Contains("154 days left"));
    CHECK_THAT(t, Catch::Contains("Open validation warnings (0)"));
    // Contacts from the DHS Blue Campaign brochure
    CHECK_THAT(t, Catch::Contains("1-866-347-2423"));
    CHECK_THAT(t, Catch::Contains("802-527-4888"));
    CHECK_THAT(t, Catch::Contains("LawEnforcement_UTVAWA.vsc@uscis.dhs.gov"));
    CHECK_THAT(t, Catch::Contains("www.uscis.gov/humantrafficking"));
    CHECK_THAT(t, Catch::Contains("www.dhs.gov/bluecampaign"));
    // The note that assistance does not depend on cooperation
    CHECK_THAT(t, Catch::Contains("Assistance is not tied to cooperation"));
    CHECK_THAT(t, Catch::Contains("does not depend on"));
    CHECK_THAT(t, Catch::Contains("Page 1 of 1"));
    // Not a draft: no watermark
    CHECK_THAT(rb->raw, !Catch::Contains("NOTFORSIGNATURE"));

    // Checklist marks: contacted specialist = check, unanswered steps = dash.
    CHECK(firstNonSpace(lineWith(rb->layout, "Victim specialist contacted")) == "✓");
    // Only the organization is known: no dangling ", on" for the missing date.
    CHECK_THAT(lineWith(rb->layout, "Victim specialist contacted"),
               Catch::EndsWith("Riverton Victim Services"));
    CHECK(firstNonSpace(lineWith(rb->layout, "HSI contacted")) == "—");
    CHECK(firstNonSpace(lineWith(rb->layout, "Forensic interview")) == "—");

    auto check = test::run("qpdf --check " + test::shellQuote(rb->path));
    CHECK(check.exitCode == 0);
}

TEST_CASE("cover metadata names the record, never the victim", "[cover]") {
    const Record r = recordOf(i918b());
    auto rb = readBack(renderOk(r));
    auto info = test::run("pdfinfo " + test::shellQuote(rb->path));
    REQUIRE(info.exitCode == 0);
    CHECK_THAT(info.out, Catch::Contains("Victim assistance summary – test-001"));
    CHECK_THAT(info.out, !Catch::Contains("Rivera"));
    CHECK_THAT(info.out, !Catch::Contains("Ana"));
}

TEST_CASE("cover embeds the record as record.json", "[cover]") {
    const Record r = recordOf(i918b());
    const std::string pdf = renderOk(r);
    auto names = pdf::listAttachments(pdf);
    REQUIRE(names.ok());
    CHECK(*names == std::vector<std::string>{"record.json"});
    auto data = pdf::readAttachment(pdf, "record.json");
    REQUIRE(data.ok());
    auto back = parseJson(*data, "record.json");
    REQUIRE(back.ok());
    CHECK(*back == r.json());
}

TEST_CASE("cover bytes are identical for identical input and today", "[cover]") {
    const Record r = recordOf(i918b());
    const std::string a = renderOk(r);
    const std::string b = renderOk(r);
    CHECK(a == b);
    CoverOptions later;
    later.today = Date{2026, 11, 29};
    const std::string c = renderOk(r, later);
    CHECK(a != c);
    CHECK_THAT(readBack(c)->text, Catch::Contains("153 days left"));
}

TEST_CASE("checklist marks and details follow the record", "[cover]") {
    Json j = i918b();
    j["assistance"]["victim_specialist"] = {{"contacted", true},
                                            {"name", "Dana Whitfield"},
                                            {"organization", "Riverton Victim Services"},
                                            {"date", "2026-03-15"}};
    j["assistance"]["services"] = Json::array({"medical", "legal"});
    j["assistance"]["interpreter"] = {{"used", true}, {"language", "Vietnamese"}};
    j["assistance"]["interview"] = {{"neutral_location", true}, {"urgent_needs_met_first", false}};
    j["assistance"]["forensic_interview"] = {{"conducted", false}};
    j["assistance"]["hsi_contacted"] = false;
    j["assistance"]["task_force"] = "Wind River Anti-Trafficking Task Force";
    auto rb = readBack(renderOk(recordOf(j)));
    const std::string& L = rb->layout;

    CHECK_THAT(lineWith(L, "Victim specialist contacted"),
               Catch::Contains("Dana Whitfield, Riverton Victim Services, on 03/15/2026"));
    CHECK(firstNonSpace(lineWith(L, "Victim specialist contacted")) == "✓");
    CHECK_THAT(lineWith(L, "Services referred"), Catch::Contains("Medical care, Legal assistance"));
    CHECK(firstNonSpace(lineWith(L, "Services referred")) == "✓");
    CHECK_THAT(lineWith(L, "Interpreter"), Catch::Contains("Vietnamese"));
    CHECK(firstNonSpace(lineWith(L, "Interview in a neutral location")) == "✓");
    CHECK(firstNonSpace(lineWith(L, "Urgent needs met first")) == "✗");
    CHECK(firstNonSpace(lineWith(L, "Forensic interview")) == "✗");
    CHECK(firstNonSpace(lineWith(L, "HSI contacted")) == "✗");
    CHECK_THAT(lineWith(L, "HSI contacted"), Catch::Contains("1-866-347-2423"));
    CHECK(firstNonSpace(lineWith(L, "Human trafficking task force")) == "✓");
    CHECK_THAT(rb->text, Catch::Contains("Wind River Anti-Trafficking Task Force"));
}

TEST_CASE("Continued Presence granted: dates, days left and the expiry warning", "[cover]") {
    Json j = i918b();
    j["assistance"]["continued_presence"] = {{"status", "granted"},
                                             {"requested_date", "2026-04-01"},
                                             {"decision_date", "2026-04-20"},
                                             {"expiration_date", "2027-01-10"},
                                             {"federal_sponsor", "HSI Casper"}};
    // CP is for trafficking victims: a U case with CP names trafficking among its activities.
    j["crime"]["activities"] = Json::array({"felonious_assault", "trafficking"});
    auto rb = readBack(renderOk(recordOf(j)));
    const std::string& t = rb->text;
    CHECK_THAT(t, Catch::Contains("Granted"));
    CHECK_THAT(t, Catch::Contains("04/01/2026"));
    CHECK_THAT(t, Catch::Contains("04/20/2026"));
    CHECK_THAT(t, Catch::Contains("01/10/2027"));
    CHECK_THAT(t, Catch::Contains("43 days left"));
    CHECK_THAT(t, Catch::Contains("HSI Casper"));
    CHECK_THAT(t, Catch::Contains("Open validation warnings (1)"));
    CHECK_THAT(t, Catch::Contains("CP Expiration Date:"));
    CHECK(rb->pages == 1);
}

TEST_CASE("unsigned I-918B says so instead of a deadline", "[cover]") {
    Json j = i918b();
    j.erase("certification");
    auto rb = readBack(renderOk(recordOf(j)));
    CHECK_THAT(rb->text, Catch::Contains("Not signed yet"));
    CHECK_THAT(rb->text, !Catch::Contains("days left"));
}

TEST_CASE("I-914B cover: CP requested, no six-month deadline", "[cover]") {
    auto rb = readBack(renderOk(recordOf(test::validRecord("i914b"))));
    const std::string& t = rb->text;
    CHECK(rb->pages == 1);
    CHECK_THAT(t, Catch::Contains("Form I-914, Supplement B"));
    CHECK_THAT(t, Catch::Contains("Requested, decision pending"));
    CHECK_THAT(t, Catch::Contains("10/01/2026"));
    CHECK_THAT(t, Catch::Contains("HSI Riverton"));
    CHECK_THAT(t, Catch::Contains("no validity window"));
    CHECK_THAT(t, !Catch::Contains("Last day to file"));
}

TEST_CASE("victim names in CJK and Arabic script are drawn as text", "[cover]") {
    SECTION("CJK") {
        Json j = i918b();
        j["victim"]["family_name"] = "王";
        j["victim"]["given_name"] = "小明";
        auto rb = readBack(renderOk(recordOf(j)));
        CHECK_THAT(rb->text, Catch::Contains("王, 小明"));
        CHECK_THAT(rb->text, Catch::Contains("RPD-2026-0412"));
    }
    SECTION("Arabic") {
        Json j = i918b();
        j["victim"]["family_name"] = "العلي";
        j["victim"]["given_name"] = "محمد";
        auto rb = readBack(renderOk(recordOf(j)));
        // Shaped text comes back as presentation forms in visual order: count Arabic letters
        // (base block or presentation forms) instead of comparing strings.
        std::size_t arabic = 0;
        for (char32_t c : text::toCodePoints(rb->text))
            if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
                (c >= 0xFE70 && c <= 0xFEFF))
                ++arabic;
        CHECK(arabic >= 8);  // 5 + 4 letters; a lam-alef ligature may merge two
        CHECK_THAT(rb->text, Catch::Contains("RPD-2026-0412"));
        CHECK_THAT(rb->text, Catch::Contains("1-866-347-2423"));
    }
}

TEST_CASE("a long record flows onto a second page", "[cover]") {
    Json j = i918b();
    std::string notes;
    for (int i = 1; i <= 40; ++i)
        notes += "Note " + std::to_string(i) +
                 ": the victim attended a follow-up meeting with the specialist. ";
    notes += "END-OF-NOTES";
    j["assistance"]["notes"] = notes;
    j["assistance"]["safety_concerns"] = "The suspect knows where the victim works.";
    auto rb = readBack(renderOk(recordOf(j)));
    CHECK(rb->pages == 2);
    auto info = test::run("pdfinfo " + test::shellQuote(rb->path));
    REQUIRE(info.exitCode == 0);
    std::string compact;
    for (char c : info.out)
        if (c != ' ') compact += c;
    CHECK_THAT(compact, Catch::Contains("\nPages:2\n"));
    CHECK_THAT(rb->text, Catch::Contains("END-OF-NOTES"));
    CHECK_THAT(rb->text, Catch::Contains("(continued)"));
    CHECK_THAT(rb->text, Catch::Contains("Page 2 of 2"));
    CHECK_THAT(rb->text, Catch::Contains("The suspect knows where the victim works."));
    CHECK_THAT(rb->text, Catch::Contains("does not depend on"));
    CHECK(test::run("qpdf --check " + test::shellQuote(rb->path)).exitCode == 0);
}

TEST_CASE("draft cover carries the watermark, errors are listed", "[cover]") {
    Json j = i918b();
    j["victim"].erase("date_of_birth");
    CoverOptions o;
    o.draft = true;
    auto rb = readBack(renderOk(recordOf(j), o));
    CHECK_THAT(rb->raw, Catch::Contains("NOTFORSIGNATURE"));
    CHECK_THAT(rb->text, Catch::Contains("Errors to fix before signing (1)"));
    CHECK_THAT(rb->text, Catch::Contains("Not ready for signature: 1 error to fix"));
}

TEST_CASE("approved record shows who approved it and when", "[cover]") {
    Json j = i918b();
    REQUIRE(review::submit(j, "Ofc. Jamie Cole", "", "2026-11-20T15:00:00Z").ok());
    REQUIRE(review::approve(j, "Sgt. Maria Lopez", "ok", "2026-11-21T09:30:00Z", false).ok());
    // Unsigned: the chain is intact, but nothing proves who approved.
    const Record unsignedRecord = recordOf(j);
    REQUIRE(reviewStatusLine(unsignedRecord.json()) ==
            "Approved by Sgt. Maria Lopez on 11/21/2026");
    auto plain = readBack(renderOk(unsignedRecord));
    CHECK_THAT(plain->text, Catch::Contains("APPROVAL UNVERIFIED"));
    CHECK_THAT(plain->text, !Catch::Contains("Approved by"));
    // Signed by a key in the agency's trusted keys: the cover names the key's owner.
    test::TempDir dir;
    auto key = review::ReviewerKey::loadOrCreate(dir.file("key.pem"), "passphrase");
    REQUIRE(key.ok());
    REQUIRE(review::signLastEvent(j, *key).ok());
    const std::string trusted =
        dir.write("trusted.txt", review::trustedKeyLine(*key, "Sgt. Maria Lopez") + "\n");
    ::setenv("LECERT_TRUSTED_KEYS", trusted.c_str(), 1);
    auto rb = readBack(renderOk(recordOf(j)));
    ::unsetenv("LECERT_TRUSTED_KEYS");
    CHECK_THAT(rb->text, Catch::Contains("Review: Approved by Sgt. Maria Lopez on 11/21/2026"));
    CHECK_THAT(rb->text, !Catch::Contains("Review: DRAFT"));
}

TEST_CASE("odd records still give a well-formed cover", "[cover]") {
    SECTION("an enormous name is cut, not run off the page") {
        Json j = i918b();
        std::string longName;
        for (int i = 0; i < 400; ++i) longName += "Verylongname";
        j["victim"]["family_name"] = longName;
        j["assistance"]["services"] = Json::array({"other"});
        j["assistance"]["services_other"] = longName;
        auto rb = readBack(renderOk(recordOf(j)));
        CHECK(rb->pages <= 2);
        CHECK_THAT(rb->text, Catch::Contains("…"));
        CHECK_THAT(rb->text, Catch::Contains("1-866-347-2423"));
        CHECK(test::run("qpdf --check " + test::shellQuote(rb->path)).exitCode == 0);
    }
    SECTION("values of the wrong type read as not answered") {
        Json j = i918b();
        j["victim"]["family_name"] = 42;
        j["assistance"]["victim_specialist"] = "yes";
        j["assistance"]["continued_presence"]["status"] = Json::array();
        j["certification"]["signature_date"] = "not a date";
        auto rb = readBack(renderOk(recordOf(j)));
        CHECK(firstNonSpace(lineWith(rb->layout, "Victim specialist contacted")) == "—");
        CHECK_THAT(rb->text, Catch::Contains("RPD-2026-0412"));
    }
    SECTION("not an object at all") {
        CoverOptions o;
        o.today = kToday;
        auto res = renderCoverPdf(Record(Json::array({1, 2})), o);
        REQUIRE(res.ok());
        CHECK_THAT(readBack(*res)->text, Catch::Contains("Unknown form"));
    }
}

TEST_CASE("record without an id", "[cover]") {
    Json j = i918b();
    j.erase("id");
    auto rb = readBack(renderOk(recordOf(j)));
    CHECK_THAT(rb->text, Catch::Contains("(no id)"));
}

TEST_CASE("an edited template changes the cover without rebuilding", "[cover]") {
    const std::string shipped = test::sourceFile("templates/cover.json");
    REQUIRE(checkCoverTemplate(shipped).ok());
    std::string text = test::readText(shipped);
    const std::string from = "\"Victim-centered steps\"";
    const auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    text.replace(pos, from.size(), "\"Pasos centrados en la víctima\"");
    TempDir dir;
    CoverOptions o;
    o.templatePath = dir.write("templates/cover.json", text);
    auto rb = readBack(renderOk(recordOf(i918b()), o));
    CHECK_THAT(rb->text, Catch::Contains("Pasos centrados en la víctima"));
    CHECK_THAT(rb->text, !Catch::Contains("Victim-centered steps"));
}

TEST_CASE("a template edited between two renders is read again", "[cover]") {
    const std::string shipped = test::readText(test::sourceFile("templates/cover.json"));
    TempDir dir;
    CoverOptions o;
    o.templatePath = dir.write("cover.json", shipped);
    const Record r = recordOf(i918b());
    CHECK_THAT(readBack(renderOk(r, o))->text, Catch::Contains("Victim-centered steps"));

    std::string edited = shipped;
    const std::string from = "\"Assistance is not tied to cooperation\"";
    const auto pos = edited.find(from);
    REQUIRE(pos != std::string::npos);
    edited.replace(pos, from.size(), "\"Help does not depend on cooperation\"");
    dir.write("cover.json", edited);
    const std::string text = readBack(renderOk(r, o))->text;
    CHECK_THAT(text, Catch::Contains("Help does not depend on cooperation"));
    CHECK_THAT(text, !Catch::Contains("Assistance is not tied to cooperation"));
}

TEST_CASE("issues passed by the caller are used as given", "[cover]") {
    const Record r = recordOf(i918b());
    CoverOptions o;
    Issue extra;
    extra.severity = Severity::Warning;
    extra.field = "assistance.task_force";
    extra.code = "test.only";
    extra.message = "A warning that only this test knows.";
    o.issues = std::vector<Issue>{extra};
    const std::string text = readBack(renderOk(r, o))->text;
    CHECK_THAT(text, Catch::Contains("Open validation warnings (1)"));
    CHECK_THAT(text, Catch::Contains(
                         "Human Trafficking Task Force: A warning that only this test knows."));
}

TEST_CASE("a broken template is a clear error naming file and location", "[cover]") {
    TempDir dir;
    const Record r = recordOf(i918b());
    CoverOptions o;
    o.today = kToday;

    SECTION("missing file") {
        o.templatePath = dir.file("nope.json");
        auto res = renderCoverPdf(r, o);
        REQUIRE(!res.ok());
        CHECK_THAT(res.error().toString(), Catch::Contains("nope.json"));
    }
    SECTION("unknown key") {
        o.templatePath = dir.write("t.json", R"({"format": "lecert-cover", "version": 1,
            "blocks": [{"type": "note", "text": "x"}, {"type": "facts", "rowz": []}]})");
        auto res = renderCoverPdf(r, o);
        REQUIRE(!res.ok());
        CHECK(res.error().where.file == o.templatePath);
        CHECK(res.error().where.field == "blocks[1].rowz");
        CHECK_THAT(res.error().message, Catch::Contains("unknown key"));
    }
    SECTION("unclosed mustache section") {
        o.templatePath = dir.write("t.json", R"({"format": "lecert-cover", "version": 1,
            "blocks": [{"type": "note", "title": "{{#cert.signed}}signed"}]})");
        auto res = renderCoverPdf(r, o);
        REQUIRE(!res.ok());
        CHECK(res.error().where.field == "blocks[0].title");
        CHECK_THAT(res.error().message, Catch::Contains("mustache"));
    }
    SECTION("JSON syntax error") {
        o.templatePath = dir.write("t.json", "{\"format\": ");
        auto res = renderCoverPdf(r, o);
        REQUIRE(!res.ok());
        CHECK(res.error().where.line >= 1);
    }
    SECTION("unknown block type") {
        o.templatePath = dir.write("t.json", R"({"format": "lecert-cover", "version": 1,
            "blocks": [{"type": "table"}]})");
        auto res = renderCoverPdf(r, o);
        REQUIRE(!res.ok());
        CHECK(res.error().where.field == "blocks[0].type");
    }
}

TEST_CASE("the shipped template is valid", "[cover]") {
    CHECK(checkCoverTemplate(test::sourceFile("templates/cover.json")).ok());
}

TEST_CASE("lecert fill reads the cover template from LECERT_DATA_DIR at run time", "[cover][cli]") {
    namespace fs = std::filesystem;
    TempDir data;
    fs::copy(test::sourceFile("forms"), data.file("forms"), fs::copy_options::recursive);
    fs::copy(test::sourceFile("templates"), data.file("templates"), fs::copy_options::recursive);
    fs::copy(test::sourceFile("fonts"), data.file("fonts"), fs::copy_options::recursive);
    std::string text = test::readText(data.file("templates/cover.json"));
    const std::string from = "\"Victim-centered steps\"";
    const auto pos = text.find(from);
    REQUIRE(pos != std::string::npos);
    text.replace(pos, from.size(), "\"Steps taken with the victim\"");
    data.write("templates/cover.json", text);

    TempDir work;
    const std::string input = work.write("rec.json", dumpPretty(i918b()));
    const std::string out = work.file("out.pdf");
    auto res = test::run("LECERT_DATA_DIR=" + test::shellQuote(data.path()) + " " +
                         test::shellQuote(LECERT_CLI_PATH) + " fill --today 2026-11-28 -o " +
                         test::shellQuote(out) + " " + test::shellQuote(input));
    REQUIRE(res.exitCode == 0);
    const std::string cover = work.file("out-cover.pdf");
    REQUIRE(test::fileExists(cover));
    auto t = test::run("pdftotext " + test::shellQuote(cover) + " -");
    REQUIRE(t.exitCode == 0);
    CHECK_THAT(t.out, Catch::Contains("Steps taken with the victim"));
    CHECK_THAT(t.out, !Catch::Contains("Victim-centered steps"));

    // lecert extract gets the record back from the cover.
    auto ex = test::lecert({"extract", cover});
    REQUIRE(ex.exitCode == 0);
    auto back = parseJson(ex.out, "extract");
    REQUIRE(back.ok());
    CHECK((*back)["victim"]["family_name"] == "Rivera");
    CHECK((*back)["agency"]["case_number"] == "RPD-2026-0412");
}

TEST_CASE("the cover names the signer as each form does", "[cover]") {
    // I-914B: a declaration, signed by the declaring official; I-918B: a certification.
    auto t = readBack(renderOk(recordOf(test::validRecord("i914b"))));
    CHECK_THAT(t->text, Catch::Contains("Declaring official"));
    CHECK_THAT(t->text, !Catch::Contains("Certifying official"));
    CHECK_THAT(t->text, !Catch::Contains("Authority to sign"));
    auto u = readBack(renderOk(recordOf(i918b())));
    CHECK_THAT(u->text, Catch::Contains("Certifying official"));
    CHECK_THAT(u->text, !Catch::Contains("Declaring official"));
    // The authority to sign is lecert's own question (not on the 01/20/25 form): the cover shows
    // it.
    CHECK_THAT(u->text, Catch::Contains("Authority to sign"));
    CHECK_THAT(u->text, Catch::Contains("Head of the certifying agency"));
}

TEST_CASE("the cover speaks of filing the I-918B in time, and of who files CP", "[cover]") {
    auto u = readBack(renderOk(recordOf(i918b())));
    CHECK_THAT(u->text, Catch::Contains("filed in time stays valid"));
    CHECK_THAT(u->text, Catch::Contains("can no longer be filed"));
    CHECK_THAT(u->text, Catch::Contains("Only federal law enforcement files for CP"));
    CHECK_THAT(u->text, Catch::Contains("federal partner"));
    CHECK_THAT(u->text, Catch::Contains("up to two years"));
    // Past the last day: the filing window closed; the certification did not "expire".
    Json j = i918b();
    j["certification"]["signature_date"] = "2026-04-01";
    j["crime"]["dates"] = Json::array({"2025-03-14"});
    const Json vm = coverViewModel(recordOf(j), {}, kToday);
    CHECK(vm["cert"]["days_left"] == "Filing window closed 59 days ago");
    CHECK(filingDaysLeftText(-1) == "Filing window closed yesterday");
    CHECK(filingDaysLeftText(3) == "3 days left");
    auto t = readBack(renderOk(recordOf(test::validRecord("i914b"))));
    CHECK_THAT(t->text, Catch::Contains("federal partner"));
}

TEST_CASE("an interpreter not used is not a failure mark", "[cover]") {
    // Not needing an interpreter is not a missed step: a grey dash, never a red cross.
    Json j = i918b();
    j["assistance"]["interpreter"] = {{"used", false}};
    auto rb = readBack(renderOk(recordOf(j)));
    CHECK_THAT(lineWith(rb->layout, "Interpreter"), Catch::Contains("Not used"));
    CHECK(firstNonSpace(lineWith(rb->layout, "Interpreter")) == "—");
    j["assistance"]["interpreter"] = {{"used", true}, {"language", "Tagalog"}};
    auto used = readBack(renderOk(recordOf(j)));
    CHECK(firstNonSpace(lineWith(used->layout, "Interpreter")) == "✓");
}

TEST_CASE("template texts: plain tags filled directly, the rest by mustache, the same result",
          "[cover]") {
    // Issue 14: texts made only of {{name}} tags whose values are texts skip the mustache
    // engine; what they give must be what mustache gives.
    const Json vm = Json::parse(R"({
        "victim": {"name": "Ana  Rivera", "empty": "", "none": null},
        "count": 3, "flag": true,
        "steps": {"interpreter": {"yes": true, "language": "Tigrinya"}},
        "list": ["a", "b"]
    })");
    const cover::TextRenderer r(vm);
    CHECK(r("Victim: {{victim.name}}") == "Victim: Ana Rivera");  // tidy() collapses the blanks
    CHECK(r("{{ victim.name }}!") == "Ana Rivera!");
    CHECK(r("[{{victim.empty}}][{{victim.none}}][{{victim.missing}}][{{nothing.at.all}}]") ==
          "[][][][]");
    CHECK(r("{{victim.name.deeper}}x") == "x");
    // Values that are not texts, sections and other tag kinds go through mustache.
    CHECK(r("{{count}} items") == "3 items");
    CHECK(r("{{#steps.interpreter.yes}}Interpreter: {{steps.interpreter.language}}{{/"
            "steps.interpreter.yes}}") == "Interpreter: Tigrinya");
    CHECK(r("{{^flag}}hidden{{/flag}}shown") == "shown");
    CHECK(r("{{#list}}<{{.}}>{{/list}}") == "<a><b>");
    CHECK(r("{{! a comment }}text") == "text");
    // An item's names come first, then the view model's.
    const Json extra = {{"page", "2"}, {"victim", {{"name", "Other"}}}};
    CHECK(r.withExtra("Page {{page}}: {{victim.name}} {{steps.interpreter.language}}", extra) ==
          "Page 2: Other Tigrinya");
    CHECK(r.withExtra("{{victim.empty}}|{{count}}", extra) == "|3");
    // An unterminated tag is left to mustache (which prints nothing for a broken text).
    CHECK(r("{{victim.name") == r("{{#x}}{{victim.name"));
}
