// SPDX-License-Identifier: MIT
// Text in every script lecert prints: names filled through `lecert fill` come back from
// pdftotext exactly, every name box has ink, a few names have about the ink of an hb-view
// rendering with the same font, RTL values align right, fonts are mapped only when drawn, and a
// name that would print blank stops a fill that is not a draft.
#include <catch2/catch.hpp>
#include <map>

#include <fstream>
#include <sstream>

#include "core/pdf/document.h"
#include "pdf_check.h"
#include "support.h"

using namespace lecert;
using namespace lecert::test;

namespace {

struct ScriptName {
    const char* script;
    const char* family;
    const char* given;
};

// Fictional names, one per script of issue 12 (Arabic with its vowel marks).
const ScriptName kNames[] = {
    {"Devanagari (Hindi)", "शर्मा", "प्रिया"},
    {"Thai", "ใจดี", "สมชาย"},
    {"Khmer", "ចាន់", "សុខា"},
    {"Myanmar (Burmese)", "ကျော်", "အောင်"},
    {"Ethiopic (Amharic)", "ተስፋዬ", "አበበ"},
    {"Hangul (Korean)", "김", "민준"},
    {"Arabic with vowel marks", "مُحَمَّد", "عَلِي"},
    {"Vietnamese", "Nguyễn", "Thị Hương"},
    {"Cyrillic", "Иванова", "Мария"},
    {"Chinese", "王", "小明"},
    {"Hebrew", "כהן", "דוד"},
    {"Emoji (DejaVu Sans outlines)", "Smith", "Ann \U0001F600"},
};

// pdftotext output with white space removed and the bidi embedding marks (U+202A..U+202E)
// that poppler wraps around right-to-left words dropped: neither is part of the text.
std::string normalised(const std::string& s) {
    std::string out = compact(s);
    for (const char* mark : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E"})
        for (auto p = out.find(mark); p != std::string::npos; p = out.find(mark)) out.erase(p, 3);
    return out;
}

std::string recordWithName(const TempDir& dir, const ScriptName& n) {
    Json rec = loadJson(sourceFile("examples/i918b-002-abroad.json"));
    rec["victim"]["family_name"] = n.family;
    rec["victim"]["given_name"] = n.given;
    rec["victim"].erase("middle_name");
    return dir.write("record.json", dumpPretty(rec));
}

// One page with each name in a text field; returns the file.
std::string namesPage(const TempDir& dir, const std::vector<std::string>& names, double y0,
                      std::vector<pdf::Rect>& boxes) {
    pdf::Document doc(pdf::FontSet::shared());
    const int p = doc.addPage();
    for (std::size_t i = 0; i < names.size(); ++i) {
        boxes.push_back({72, y0 - 30.0 * static_cast<double>(i), 300, 20});
        doc.addTextField(p, boxes.back(), "name" + std::to_string(i), names[i]);
    }
    auto bytes = doc.write();
    REQUIRE(bytes);
    const std::string path = dir.file("names.pdf");
    writeBytes(path, *bytes);
    return path;
}

// Ink of a whole grey raster and the width of its inked columns.
struct Ink {
    int dark = 0;
    int width = 0;
};
Ink inkOf(const Raster& r) {
    Ink ink;
    int minX = r.width, maxX = -1;
    for (int y = 0; y < r.height; ++y)
        for (int x = 0; x < r.width; ++x)
            if (r.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(r.width) +
                         static_cast<std::size_t>(x)] < 128) {
                ++ink.dark;
                minX = std::min(minX, x);
                maxX = std::max(maxX, x);
            }
    ink.width = maxX >= minX ? maxX - minX + 1 : 0;
    return ink;
}

std::string fontFileOf(const std::string& family) {
    return runTool("fc-match -f '%{file}' " + shellQuote(family));
}

bool mapsContain(const std::string& needle) {
    std::ifstream in("/proc/self/maps");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str().find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("a name in each script is filled and pdftotext returns it exactly", "[scripts]") {
    for (const auto& n : kNames) {
        DYNAMIC_SECTION(n.script) {
            TempDir dir;
            const std::string rec = recordWithName(dir, n);
            const std::string out = dir.file("out.pdf");
            auto r = test::lecert({"fill", "--today", "2026-11-28", "-o", out, rec});
            REQUIRE(r.exitCode == 0);
            const std::string form = normalised(pdfText(out));
            CHECK(form.find(normalised(n.family)) != std::string::npos);
            CHECK(form.find(normalised(n.given)) != std::string::npos);
            // The cover's "Victim" line is "family, given". poppler reads a line of two
            // right-to-left words in visual order (given first), so those are checked each.
            const std::string cover = normalised(pdfText(dir.file("out-cover.pdf")));
            const bool rtl = static_cast<unsigned char>(n.family[0]) == 0xD7 ||
                             static_cast<unsigned char>(n.family[0]) == 0xD9;
            if (rtl) {
                CHECK(cover.find(normalised(n.family)) != std::string::npos);
                CHECK(cover.find(normalised(n.given)) != std::string::npos);
            } else {
                CHECK(cover.find(normalised(std::string(n.family) + ", " + n.given)) !=
                      std::string::npos);
            }
            // No tatweel or presentation forms leak into the text.
            CHECK(form.find("\u0640") == std::string::npos);
            CHECK(cover.find("\u0640") == std::string::npos);
            // Shaped text printed: no character was drawn blank.
            CHECK(r.err.find("text.undrawable") == std::string::npos);
        }
    }
}

TEST_CASE("every name box has ink in each script", "[scripts]") {
    std::vector<std::string> names;
    for (const auto& n : kNames) names.push_back(std::string(n.family) + " " + n.given);
    TempDir dir;
    std::vector<pdf::Rect> boxes;
    const std::string path = namesPage(dir, names, 740, boxes);
    const Raster page = renderPage(path, 1, dir);
    for (std::size_t i = 0; i < names.size(); ++i) {
        INFO(kNames[i].script);
        // The box border is inset away; what is left is the name.
        CHECK(page.inkIn(boxes[i].x, boxes[i].y, boxes[i].w, boxes[i].h, 2) > 15);
    }
    // The same text extracts back, box by box, in order.
    const std::string text = normalised(pdfText(path));
    std::size_t at = 0;
    for (const auto& n : names) {
        INFO(n);
        const auto p = text.find(normalised(n), at);
        CHECK(p != std::string::npos);
        if (p != std::string::npos) at = p;
    }
}

TEST_CASE("shaped names have about the ink of an hb-view rendering with the same font",
          "[scripts]") {
    struct Ref {
        const char* family;
        const char* text;
    };
    const Ref refs[] = {{"Noto Sans Devanagari", "प्रिया शर्मा"},
                        {"Noto Sans Arabic", "مُحَمَّد"},
                        {"Noto Sans Khmer", "សុខា ចាន់"},
                        {"Noto Sans Myanmar", "အောင် ကျော်"},
                        // CFF outlines, subset with its CIDs: the glyphs must be the right ones.
                        {"Noto Sans CJK SC", "王小明 김민준"}};
    for (const auto& ref : refs) {
        DYNAMIC_SECTION(ref.family) {
            TempDir dir;
            // hb-view draws with HarfBuzz and cairo: the reference for shaping, as a PDF page.
            const std::string hbPdf = dir.file("hb.pdf");
            runTool("hb-view --font-size=24 --margin=10 --output-format=pdf -o " +
                    shellQuote(hbPdf) + " " + shellQuote(fontFileOf(ref.family)) + " " +
                    shellQuote(ref.text));
            const Ink want = inkOf(renderPage(hbPdf, 1, dir));

            pdf::Document doc(pdf::FontSet::shared());
            const int p = doc.addPage(400, 80);
            doc.drawText(p, 10, 30, ref.text, {pdf::FontFace::Regular, 24, {}});
            auto bytes = doc.write();
            REQUIRE(bytes);
            const std::string ours = dir.file("ours.pdf");
            writeBytes(ours, *bytes);
            const Ink got = inkOf(renderPage(ours, 1, dir));
            INFO("ink " << got.dark << " vs " << want.dark << ", width " << got.width << " vs "
                        << want.width);
            REQUIRE(want.dark > 0);
            CHECK(got.dark > want.dark * 0.85);
            CHECK(got.dark < want.dark * 1.15);
            CHECK(std::abs(got.width - want.width) <= 3);
        }
    }
}

TEST_CASE("right-to-left values align right in their box", "[scripts]") {
    TempDir dir;
    std::vector<pdf::Rect> boxes;
    const std::string path = namesPage(dir, {"כהן דוד", "Smith Ann"}, 700, boxes);
    const Raster page = renderPage(path, 1, dir);
    const pdf::Rect& rtl = boxes[0];
    const pdf::Rect& ltr = boxes[1];
    CHECK(page.inkIn(rtl.x + rtl.w / 2, rtl.y, rtl.w / 2, rtl.h, 2) > 15);
    CHECK(page.inkIn(rtl.x, rtl.y, rtl.w / 2, rtl.h, 2) == 0);
    CHECK(page.inkIn(ltr.x, ltr.y, ltr.w / 2, ltr.h, 2) > 15);
    CHECK(page.inkIn(ltr.x + ltr.w / 2, ltr.y, ltr.w / 2, ltr.h, 2) == 0);
    // The field says so too (/Q 2), so a viewer that draws it again keeps it right-aligned.
    const Json fields = Json::parse(
        runTool("qpdf --json --json-key=acroform " + shellQuote(path)))["acroform"]["fields"];
    std::map<std::string, int> quadding;
    for (const auto& f : fields) quadding[f["fullname"]] = f["quadding"];
    CHECK(quadding["name0"] == 2);
    CHECK(quadding["name1"] == 0);
}

TEST_CASE("fonts are mapped only when text of their script is drawn", "[scripts]") {
    auto fonts = pdf::FontSet::create();
    REQUIRE(fonts);
    // Lao: no other test here draws it, so no earlier case in this process has mapped it.
    const std::string laoFile = fontFileOf("Noto Sans Lao");
    REQUIRE(!laoFile.empty());
    // The printability check reads the font's character map; it does not map the file.
    CHECK((*fonts)->undrawable("ສົມພອນ").empty());
    CHECK((*fonts)->undrawable("\U00013000") == std::vector<char32_t>{U'\U00013000'});
    CHECK_FALSE(mapsContain(laoFile));
    pdf::Document doc(*fonts);
    doc.drawText(doc.addPage(), 72, 700, "Only Latin text", {});
    CHECK_FALSE(mapsContain(laoFile));
    doc.drawText(0, 72, 680, "ສົມພອນ", {});
    CHECK(mapsContain(laoFile));
}

TEST_CASE("fonts at their known files are the fonts fontconfig finds, with the same coverage",
          "[scripts]") {
    auto known = pdf::FontSet::create();
    pdf::FontPaths onlyFc;
    onlyFc.fontconfigOnly = true;
    auto fc = pdf::FontSet::create(onlyFc);
    REQUIRE(known);
    REQUIRE(fc);
    REQUIRE((*known)->fontCount() == (*fc)->fontCount());
    REQUIRE((*known)->fontCount() > 40);  // two faces of every family in fonts/fallback.json
    for (std::size_t i = 0; i < (*known)->fontCount(); ++i) {
        const auto slot = static_cast<pdf::FontSlot>(i);
        INFO((*known)->describe(slot));
        CHECK((*known)->describe(slot) == (*fc)->describe(slot));
        // The font's own character map against fontconfig's character set, planes 0 to 2.
        std::size_t covered = 0;
        std::ostringstream differ;
        for (char32_t cp = 0; cp < 0x30000; ++cp) {
            if (cp >= 0xD800 && cp < 0xE000) continue;
            const bool a = (*known)->fontCovers(slot, cp);
            covered += a ? 1 : 0;
            if (a != (*fc)->fontCovers(slot, cp))
                differ << " U+" << std::hex << static_cast<unsigned>(cp) << (a ? "(cmap)" : "(fc)");
        }
        CHECK(differ.str() == "");
        CHECK(covered > 60);  // Noto Sans Lao, the smallest, has 74
    }
}

TEST_CASE("a known font file that is missing or of another family is found through fontconfig",
          "[scripts]") {
    TempDir dir;
    const std::string noto = fontFileOf("Noto Sans");
    const std::string dejavu = fontFileOf("DejaVu Sans");
    REQUIRE(!noto.empty());
    const std::string chain =
        R"({"faces": {"regular": "DejaVu Sans", "bold": "DejaVu Sans"}, "fallback": ["Noto Sans"],
            "files": {"DejaVu Sans": [")" +
        noto + R"(", "/nonexistent/DejaVuSans-Bold.ttf"], "Noto Sans": [")" + noto + "#3\", \"" +
        noto + R"("]}})";
    pdf::FontPaths paths;
    paths.fallbackFile = dir.write("fallback.json", chain);
    auto set = pdf::FontSet::create(paths);
    REQUIRE(set);
    // Regular: the listed file is Noto Sans, not DejaVu Sans; bold: the file is missing; Noto
    // Sans regular: face 3 of a single font does not exist. fontconfig answers all three.
    CHECK((*set)->describe(pdf::FontSlot::Regular) == "DejaVu Sans: " + dejavu);
    CHECK((*set)->describe(pdf::FontSlot::Bold).find("DejaVuSans-Bold.ttf") != std::string::npos);
    CHECK((*set)->describe(pdf::FontSlot{2}) == "Noto Sans: " + noto);
    CHECK((*set)->describe(pdf::FontSlot{3}) == "Noto Sans (bold): " + noto);

    for (const auto& [files, message] : std::vector<std::pair<std::string, std::string>>{
             {R"(["/a.ttf"])", "'files' must map font families to their files"},
             {R"({"DejaVu Sans": "/a.ttf"})", "'files.DejaVu Sans' must list two files"},
             {R"({"DejaVu Sans": ["a.ttf", "/b.ttf"]})", "must name absolute paths"},
             {R"({"DejaVu Sans": ["/a.ttc#x", "/b.ttf"]})", "must name absolute paths"}}) {
        INFO(files);
        paths.fallbackFile =
            dir.write("broken.json",
                      R"({"faces": {"regular": "DejaVu Sans", "bold": "DejaVu Sans"}, "files": )" +
                          files + "}");
        auto broken = pdf::FontSet::create(paths);
        REQUIRE_FALSE(broken);
        CHECK(broken.error().message.find(message) != std::string::npos);
    }
}

TEST_CASE("a name that would print blank stops fill unless --draft", "[scripts]") {
    TempDir dir;
    const ScriptName blank{"unprintable", "\U00013000\U00013001", "Ann"};
    const std::string rec = recordWithName(dir, blank);
    const std::string out = dir.file("out.pdf");
    auto r = test::lecert({"fill", "--today", "2026-11-28", "-o", out, rec});
    CHECK(r.exitCode != 0);
    CHECK(r.err.find("victim.family_name") != std::string::npos);
    CHECK(r.err.find("blank") != std::string::npos);
    CHECK_FALSE(fileExists(out));
    CHECK_FALSE(fileExists(dir.file("out-cover.pdf")));

    // A draft is written; its cover says the name cannot be printed instead of leaving it empty.
    auto d = test::lecert({"fill", "--draft", "--today", "2026-11-28", "-o", out, rec});
    REQUIRE(d.exitCode == 0);
    const std::string cover = pdfText(dir.file("out-cover.pdf"));
    CHECK(compact(cover).find(compact("name cannot be printed")) != std::string::npos);
    // validate keeps it a warning.
    auto v = test::lecert({"validate", "--today", "2026-11-28", rec});
    CHECK(v.exitCode == 0);
    CHECK(v.out.find("victim.family_name: 2 characters") != std::string::npos);
}
