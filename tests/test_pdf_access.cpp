// SPDX-License-Identifier: MIT
// Issue 12 points 4-5: every PDF lecert writes opens without complaint in Ghostscript, MuPDF,
// poppler and qpdf; fields survive a viewer that regenerates appearances (NeedAppearances);
// the worksheet and cover are tagged (structure tree read back from qpdf's JSON: element
// types, every MCID and widget reachable from the ParentTree, no text outside marked content);
// no text below 7 pt; --pdfa writes the PDF/A-2b claim and its output intent.

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "pdf_check.h"
#include "support.h"

using namespace lecert;
using namespace lecert::test;

namespace {

const char* kToday = "2026-11-28";

// The files of one `lecert fill` of an example (worksheet and cover).
struct Filled {
    TempDir dir;
    std::string form, cover;
    explicit Filled(const std::string& example, const std::vector<std::string>& extra = {}) {
        form = dir.file("out.pdf");
        cover = dir.file("out-cover.pdf");
        std::vector<std::string> args{
            "fill", sourceFile("examples/" + example), "--today", kToday, "-o", form};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = test::lecert(args);
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }
};

// Fills examples/i918b-002-abroad.json with the victim's family name set to `family` and
// returns the worksheet's path (its cover, unless `noCover`, is FAMILY-cover.pdf beside it).
std::string fillAbroadAs(const TempDir& dir, const std::string& family, bool noCover) {
    Json rec = loadJson(sourceFile("examples/i918b-002-abroad.json"));
    rec["victim"]["family_name"] = family;
    const std::string in = dir.file(family + ".json");
    writeBytes(in, rec.dump());
    const std::string out = dir.file(family + ".pdf");
    std::vector<std::string> args{"fill", in, "--today", kToday, "-o", out};
    if (noCover) args.emplace_back("--no-cover");
    const auto r = test::lecert(args);
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return out;
}

// Fails unless every reader opens `pdf` without an error, warning or repair.
void checkReaders(const std::string& pdf) {
    INFO(pdf);
    auto gs = run("gs -q -dPDFSTOPONERROR -dBATCH -dNOPAUSE -sDEVICE=nullpage " + shellQuote(pdf));
    INFO("gs: " << gs.out << gs.err);
    CHECK(gs.exitCode == 0);
    CHECK(gs.out.find("rror") == std::string::npos);
    CHECK(gs.out.find("repaired") == std::string::npos);
    auto mu = run("mutool draw -q -o /dev/null " + shellQuote(pdf));
    // Debian's MuPDF is built without lcms2 and says so for every file; anything else counts.
    std::string muErr =
        std::regex_replace(mu.err, std::regex("warning: ICC support is not available\n?"), "");
    INFO("mutool: " << mu.err);
    CHECK(mu.exitCode == 0);
    CHECK(muErr.find("warning") == std::string::npos);
    CHECK(muErr.find("error") == std::string::npos);
    auto pt = run("pdftotext " + shellQuote(pdf) + " /dev/null");
    INFO("pdftotext: " << pt.err);
    CHECK(pt.exitCode == 0);
    CHECK(pt.err.find("Syntax Error") == std::string::npos);
    auto qc = run("qpdf --check " + shellQuote(pdf));
    INFO("qpdf: " << qc.out << qc.err);
    CHECK(qc.exitCode == 0);
    CHECK(qc.err.empty());
}

// ---- qpdf's JSON of the whole file -----------------------------------------------------

std::string base64Decode(const std::string& in) {
    static const std::string chars =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -8;
    for (char c : in) {
        const auto p = chars.find(c);
        if (p == std::string::npos) continue;
        val = (val << 6) + static_cast<int>(p);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((val >> bits) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

struct PdfObjects {
    Json objs;
    explicit PdfObjects(const std::string& path) {
        const std::string out = runTool(
            "qpdf --json=2 --json-key=qpdf --json-stream-data=inline "
            "--decode-level=generalized " +
            shellQuote(path));
        objs = Json::parse(out)["qpdf"][1];
    }
    static bool isRef(const Json& v) {
        return v.is_string() && std::regex_match(v.get<std::string>(), std::regex("\\d+ 0 R"));
    }
    // The dictionary (or a stream's dictionary) behind a value, following a reference.
    const Json& dict(const Json& v) const {
        static const Json empty = Json::object();
        if (!isRef(v)) return v;
        const Json& o = objs["obj:" + v.get<std::string>()];
        if (o.contains("value")) return o["value"];
        if (o.contains("stream")) return o["stream"]["dict"];
        return empty;
    }
    std::string streamData(const std::string& ref) const {
        return base64Decode(objs["obj:" + ref]["stream"]["data"].get<std::string>());
    }
    std::string root() const { return objs["trailer"]["value"]["/Root"].get<std::string>(); }
    std::vector<std::string> pages() const {
        std::vector<std::string> out;
        for (const auto& k : dict(dict(root())["/Pages"])["/Kids"]) out.push_back(k);
        return out;
    }
};

struct Structure {
    std::multiset<std::string> types;
    std::set<std::pair<std::string, int>> mcrs;  // (page, MCID) reached from the tree
    std::set<std::string> objrs;                 // widgets reached from the tree
    std::map<std::string, std::string> elemOf;   // element ref -> type
};

void walk(const PdfObjects& p, const std::string& ref, Structure& s, int depth = 0) {
    REQUIRE(depth < 64);
    const Json& e = p.dict(Json(ref));
    const std::string type = e.value("/S", "");
    s.types.insert(type);
    s.elemOf[ref] = type;
    if (!e.contains("/K")) return;
    Json kids = e["/K"];
    if (!kids.is_array()) kids = Json::array({kids});
    for (const Json& k : kids) {
        if (PdfObjects::isRef(k)) {
            walk(p, k.get<std::string>(), s, depth + 1);
        } else if (k.is_object() && k.value("/Type", "") == "/MCR") {
            s.mcrs.insert({k["/Pg"].get<std::string>(), k["/MCID"].get<int>()});
        } else if (k.is_object() && k.value("/Type", "") == "/OBJR") {
            s.objrs.insert(k["/Obj"].get<std::string>());
        } else if (k.is_number_integer()) {
            s.mcrs.insert({e["/Pg"].get<std::string>(), k.get<int>()});
        }
    }
}

// The page's content: every MCID in it, and whether some text is outside marked content.
struct ContentScan {
    std::vector<int> mcids;
    int textOutside = 0;
    double smallestFont = 1000;
};

ContentScan scanContent(const std::string& ops) {
    ContentScan c;
    int depth = 0;
    static const std::regex token(R"(/MCID\s+(\d+)|\b(BDC|BMC|EMC|BT)\b|(\d+(?:\.\d+)?)\s+Tf\b)");
    for (auto it = std::sregex_iterator(ops.begin(), ops.end(), token);
         it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        if (m[1].matched) c.mcids.push_back(std::stoi(m[1]));
        const std::string op = m[2];
        if (op == "BDC" || op == "BMC") ++depth;
        if (op == "EMC") --depth;
        if (op == "BT" && depth <= 0) ++c.textOutside;
        if (m[3].matched) c.smallestFont = std::min(c.smallestFont, std::stod(m[3]));
    }
    return c;
}

// Checks the tagged structure of a lecert PDF; returns the element types found.
std::multiset<std::string> checkStructure(const std::string& path) {
    INFO(path);
    const PdfObjects p(path);
    const Json& cat = p.dict(Json(p.root()));
    CHECK(cat["/MarkInfo"]["/Marked"] == true);
    CHECK(cat["/Lang"] == "u:en-US");
    CHECK(cat["/ViewerPreferences"]["/DisplayDocTitle"] == true);
    REQUIRE(cat.contains("/StructTreeRoot"));
    const Json& root = p.dict(cat["/StructTreeRoot"]);
    Structure s;
    walk(p, root["/K"].get<std::string>(), s);
    // ParentTree: page key -> element per MCID; widget key -> its element.
    std::map<int, Json> nums;
    const Json& arr = p.dict(root["/ParentTree"])["/Nums"];
    for (std::size_t i = 0; i + 1 < arr.size(); i += 2) nums[arr[i].get<int>()] = arr[i + 1];
    const auto pages = p.pages();
    for (const std::string& pg : pages) {
        const Json& page = p.dict(Json(pg));
        CHECK(page["/Tabs"] == "/S");
        REQUIRE(page.contains("/StructParents"));
        const Json owners = nums[page["/StructParents"].get<int>()];
        Json contents = page["/Contents"];
        std::string ops;
        if (contents.is_array())
            for (const auto& c : contents) ops += p.streamData(c.get<std::string>());
        else
            ops = p.streamData(contents.get<std::string>());
        const ContentScan scan = scanContent(ops);
        CHECK(scan.textOutside == 0);
        CHECK(scan.smallestFont >= 7);
        for (int mcid : scan.mcids) {
            INFO("page " << pg << " MCID " << mcid);
            REQUIRE(static_cast<std::size_t>(mcid) < owners.size());
            const std::string owner = owners[static_cast<std::size_t>(mcid)];
            CHECK(s.elemOf.count(owner) == 1);  // the ParentTree's element is in the tree
            CHECK(s.mcrs.count({pg, mcid}) == 1);
        }
        CHECK(owners.size() == scan.mcids.size());
        if (!page.contains("/Annots")) continue;
        for (const auto& a : page["/Annots"]) {
            const Json& w = p.dict(a);
            if (w.value("/Subtype", "") != "/Widget") continue;
            INFO("widget " << a);
            REQUIRE(w.contains("/StructParent"));
            const Json owner = nums[w["/StructParent"].get<int>()];
            CHECK(s.elemOf[owner.get<std::string>()] == "/Form");
            CHECK(s.objrs.count(a.get<std::string>()) == 1);
        }
    }
    const std::string meta = p.streamData(cat["/Metadata"].get<std::string>());
    CHECK(meta.find("<pdfuaid:part>1</pdfuaid:part>") != std::string::npos);
    CHECK(meta.find("<dc:title>") != std::string::npos);
    return s.types;
}

}  // namespace

TEST_CASE("the worksheet of the full example (a value holding 'trailer') opens in every reader",
          "[access]") {
    Filled f("i918b-001-full.json");
    checkReaders(f.form);
    checkReaders(f.cover);
    // The value with "trailer" is a hex string, so its bytes never appear in the file.
    CHECK(readText(f.form).find("the trailer") == std::string::npos);
    CHECK(pdfTextCompact(f.form).find("thetrailer") != std::string::npos);
}

TEST_CASE("the official-form fill of the stand-in opens in every reader", "[access]") {
    TempDir dir;
    REQUIRE(run(shellQuote(LECERT_STANDIN_GENERATOR) + " " + shellQuote(dir.path())).exitCode == 0);
    const std::string out = dir.file("official.pdf");
    const auto r = test::lecert({"fill", sourceFile("examples/i918b-001-full.json"), "--today",
                                 kToday, "--official", dir.file("i918b-standin.pdf"), "-o", out});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    checkReaders(out);
    checkReaders(dir.file("official-cover.pdf"));
    // Check boxes and radios keep the /MK of the original.
    const PdfObjects p(out);
    int buttons = 0, withMk = 0;
    for (const auto& [key, o] : p.objs.items()) {
        if (!o.contains("value") || !o["value"].is_object()) continue;
        const Json& d = o["value"];
        if (d.value("/Subtype", "") != "/Widget") continue;
        const Json& field = d.contains("/FT") ? d : p.dict(d.value("/Parent", Json()));
        if (field.value("/FT", "") != "/Btn") continue;
        ++buttons;
        if (d.contains("/MK")) ++withMk;
    }
    CHECK(buttons > 0);
    CHECK(withMk == buttons);
}

TEST_CASE("fields carry /MK, a concrete /DA size, /DR fonts, /TU, /MaxLen", "[access]") {
    Filled f("i918b-001-full.json");
    const PdfObjects p(f.form);
    const Json& acro = p.dict(p.dict(Json(p.root()))["/AcroForm"]);
    const Json& fonts = acro["/DR"]["/Font"];
    CHECK(p.dict(fonts["/Helv"])["/BaseFont"] == "/Helvetica");
    CHECK(p.dict(fonts["/Helv"])["/Encoding"] == "/WinAnsiEncoding");
    CHECK(p.dict(fonts["/ZaDb"])["/BaseFont"] == "/ZapfDingbats");
    int text = 0, buttons = 0;
    for (const auto& [key, o] : p.objs.items()) {
        if (!o.contains("value") || !o["value"].is_object()) continue;
        const Json& d = o["value"];
        if (d.value("/Subtype", "") != "/Widget") continue;
        const Json& field = d.contains("/FT") ? d : p.dict(d["/Parent"]);
        INFO(key << " " << field.value("/T", ""));
        CHECK(field.contains("/TU"));
        const std::string ft = field.value("/FT", "");
        if (ft == "/Tx" || ft == "/Ch") {
            ++text;
            std::smatch m;
            const std::string da = field["/DA"].get<std::string>();
            REQUIRE(std::regex_search(da, m, std::regex(R"(/(Helv|F0) (\d+(\.\d+)?) Tf)")));
            CHECK(std::stod(m[2]) >= 7);
        } else if (ft == "/Btn") {
            ++buttons;
            REQUIRE(d.contains("/MK"));
            CHECK(d["/MK"].contains("/CA"));
        }
    }
    CHECK(text > 40);
    CHECK(buttons > 40);
    const auto maxLen = run("qpdf --json --json-key=acroform " + shellQuote(f.form));
    const Json fields = Json::parse(maxLen.out)["acroform"]["fields"];
    bool aNumber = false;
    for (const auto& [key, o] : p.objs.items()) {
        if (!o.contains("value") || !o["value"].is_object()) continue;
        if (o["value"].value("/T", "") == "u:a_number" && o["value"].contains("/MaxLen")) {
            CHECK(o["value"]["/MaxLen"] == 9);
            aNumber = true;
        }
    }
    CHECK(aNumber);
    CHECK(fields.size() > 80);
}

TEST_CASE("after NeedAppearances poppler shows the same states and values in the same boxes",
          "[access]") {
    Filled f("i918b-001-full.json");
    const std::string qdf = f.dir.file("q.pdf"), edited = f.dir.file("q2.pdf"),
                      regen = f.dir.file("regen.pdf");
    runTool("qpdf --qdf --object-streams=disable " + shellQuote(f.form) + " " + shellQuote(qdf));
    std::string bytes = readText(qdf);
    const auto at = bytes.find("/NeedAppearances false");
    REQUIRE(at != std::string::npos);
    bytes.replace(at, 22, "/NeedAppearances true");
    f.dir.write("q2.pdf", bytes);
    runTool("fix-qdf " + shellQuote(edited) + " > " + shellQuote(regen));
    REQUIRE(readText(regen).find("/NeedAppearances true") != std::string::npos);

    const PdfObjects p(f.form);
    const auto pages = p.pages();
    int checked = 0, onStates = 0;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        const Json& page = p.dict(Json(pages[i]));
        if (!page.contains("/Annots")) continue;
        const Raster before = renderPage(f.form, static_cast<int>(i) + 1, f.dir);
        const Raster after = renderPage(regen, static_cast<int>(i) + 1, f.dir);
        for (const auto& a : page["/Annots"]) {
            const Json& w = p.dict(a);
            const Json& r = w["/Rect"];
            const double x = r[0], y = r[1], wd = r[2].get<double>() - x,
                         ht = r[3].get<double>() - y;
            const int inkBefore = before.inkIn(x, y, wd, ht, 2),
                      inkAfter = after.inkIn(x, y, wd, ht, 2);
            INFO("page " << i + 1 << " widget " << a << " ink " << inkBefore << " -> " << inkAfter);
            CHECK((inkBefore > 0) == (inkAfter > 0));
            if (w.contains("/AS") && w["/AS"] != "/Off") {
                ++onStates;
                CHECK(inkAfter > 0);
            }
            ++checked;
        }
    }
    CHECK(checked > 100);
    CHECK(onStates > 10);
}

TEST_CASE("the worksheet and the cover are tagged, every MCID and widget in the tree", "[access]") {
    Filled f("i918b-001-full.json");
    const auto ws = checkStructure(f.form);
    for (const char* t : {"/Document", "/H1", "/H2", "/P", "/Form", "/Sect"}) {
        INFO(t);
        CHECK(ws.count(t) > 0);
    }
    CHECK(ws.count("/Form") > 80);
    const auto cv = checkStructure(f.cover);
    for (const char* t : {"/H1", "/H2", "/P", "/Table", "/TR", "/TH", "/TD"}) {
        INFO(t);
        CHECK(cv.count(t) > 0);
    }
    // The I-914B and a flattened worksheet too.
    Filled t("i914b-001-full.json", {"--flatten"});
    checkReaders(t.form);
    const auto flat = checkStructure(t.form);
    CHECK(flat.count("/Form") == 0);  // no widgets left: their elements are plain text now
    CHECK(flat.count("/H2") > 0);
}

TEST_CASE("what records of one layout draw alike is the first content stream, the same bytes",
          "[access][speed]") {
    // Issue 14: the labels, boxes and headers of a page are one stream a batch worker
    // compresses once; the record's own printed text (the Additional Information sheet's name
    // boxes) is a second stream of that page, drawn after it.
    TempDir dir;
    std::vector<PdfObjects> files;
    std::vector<std::string> paths;
    for (const char* family : {"Rivera", "Okafor"}) {
        const std::string out = fillAbroadAs(dir, family, true);
        files.emplace_back(out);
        paths.push_back(out);
    }
    const auto pagesA = files[0].pages(), pagesB = files[1].pages();
    REQUIRE(pagesA.size() == pagesB.size());
    int recordStreams = 0;
    std::string allA, allB;
    for (std::size_t i = 0; i < pagesA.size(); ++i) {
        INFO("page " << i + 1);
        auto streams = [](const PdfObjects& p, const std::string& page) {
            Json c = p.dict(Json(page))["/Contents"];
            if (!c.is_array()) c = Json::array({c});
            std::vector<std::string> out;
            for (const auto& s : c) out.push_back(p.streamData(s.get<std::string>()));
            return out;
        };
        const auto a = streams(files[0], pagesA[i]), b = streams(files[1], pagesB[i]);
        REQUIRE(a.size() == b.size());
        CHECK(a.front() == b.front());
        if (a.size() > 1) ++recordStreams;
        for (const auto& s : a) allA += s;
        for (const auto& s : b) allB += s;
    }
    CHECK(recordStreams >= 1);
    CHECK(allA != allB);  // the names are printed, in the record streams
    CHECK(compact(pdfText(paths[0])).find("Rivera") != std::string::npos);
    CHECK(compact(pdfText(paths[1])).find("Okafor") != std::string::npos);
    checkReaders(paths[0]);
    checkStructure(paths[0]);
}

TEST_CASE("a cover's blocks are streams of their own: records share all but their own text",
          "[access][speed]") {
    // Issue 14: the cover's first page is written as several content streams, one per run of
    // blocks (Document::breakContent); the blocks that print nothing of the record are the
    // same bytes for every record, so a batch worker compresses them once.
    TempDir dir;
    std::vector<std::vector<std::string>> streams;
    std::vector<std::string> paths;
    for (const char* family : {"Rivera", "Okafor"}) {
        fillAbroadAs(dir, family, false);
        const std::string cover = dir.file(std::string(family) + "-cover.pdf");
        const PdfObjects p(cover);
        Json c = p.dict(Json(p.pages().front()))["/Contents"];
        REQUIRE(c.is_array());
        std::vector<std::string> data;
        for (const auto& s : c) data.push_back(p.streamData(s.get<std::string>()));
        streams.push_back(data);
        paths.push_back(cover);
    }
    REQUIRE(streams[0].size() == streams[1].size());
    CHECK(streams[0].size() >= 4);
    std::size_t same = 0, sameBytes = 0, allBytes = 0;
    for (std::size_t i = 0; i < streams[0].size(); ++i) {
        allBytes += streams[0][i].size();
        if (streams[0][i] != streams[1][i]) continue;
        ++same;
        sameBytes += streams[0][i].size();
    }
    CHECK(same >= 2);
    CHECK(same < streams[0].size());  // the name is printed in one of them
    CHECK(sameBytes * 2 > allBytes);  // most of the page is shared
    CHECK(compact(pdfText(paths[0], 1)).find("Rivera") != std::string::npos);
    CHECK(compact(pdfText(paths[1], 1)).find("Okafor") != std::string::npos);
    for (const auto& path : paths) {
        checkReaders(path);
        checkStructure(path);
    }
}

TEST_CASE("fill --pdfa writes PDF/A-2b metadata and an sRGB output intent, no attachment",
          "[access]") {
    Filled f("i918b-002-abroad.json", {"--pdfa"});
    for (const std::string& path : {f.form, f.cover}) {
        INFO(path);
        checkReaders(path);
        checkStructure(path);
        const PdfObjects p(path);
        const Json& cat = p.dict(Json(p.root()));
        const std::string meta = p.streamData(cat["/Metadata"].get<std::string>());
        CHECK(meta.find("<pdfaid:part>2</pdfaid:part>") != std::string::npos);
        CHECK(meta.find("<pdfaid:conformance>B</pdfaid:conformance>") != std::string::npos);
        REQUIRE(cat["/OutputIntents"].size() == 1);
        const Json& oi = p.dict(cat["/OutputIntents"][0]);
        CHECK(oi["/S"] == "/GTS_PDFA1");
        CHECK(p.dict(oi["/DestOutputProfile"])["/N"] == 3);
        CHECK_FALSE(cat.contains("/Names"));  // PDF/A-2 allows no non-PDF/A attachment
    }
    // Without --pdfa: no PDF/A claim.
    Filled plain("i918b-002-abroad.json");
    CHECK(readText(plain.form).find("pdfaid:part") == std::string::npos);
    // PDF/A forbids encryption.
    TempDir dir;
    const auto r = test::lecert({"fill", sourceFile("examples/i918b-002-abroad.json"), "--pdfa",
                                 "--password-file", dir.write("pw.txt", "secret\n"), "-o",
                                 dir.file("x.pdf"), "--today", kToday});
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("--pdfa") != std::string::npos);
    CHECK_FALSE(fileExists(dir.file("x.pdf")));
}
