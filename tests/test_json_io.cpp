// SPDX-License-Identifier: MIT
// parseJson (limits, encodings, error locations), readFile, writeFileAtomic, dumpPretty/Canonical.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/util/json_io.h"
#include "support.h"

using namespace lecert;
using lecert::test::TempDir;

namespace {

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("parseJson reads a record", "[json_io]") {
    auto r = parseJson(R"({"form": "i918b", "victim": {"family_name": "Rivera"}})", "a.json");
    REQUIRE(r.ok());
    CHECK((*r)["victim"]["family_name"] == "Rivera");
    // Key order is kept (drafts diff cleanly).
    auto o = parseJson(R"({"z": 1, "a": 2, "m": 3})", "a.json");
    REQUIRE(o.ok());
    CHECK(o->dump() == R"({"z":1,"a":2,"m":3})");
    // A UTF-8 byte order mark is skipped.
    auto bom = parseJson("\xEF\xBB\xBF{\"a\": \"\xC3\xA9\"}", "bom.json");
    REQUIRE(bom.ok());
    CHECK((*bom)["a"] == "\xC3\xA9");
}

TEST_CASE("malformed JSON is reported with line and column, without quoting the input",
          "[json_io]") {
    SECTION("missing value") {
        const std::string text = "{\n  \"family_name\": \"Rivera\",\n  \"given_name\": }\n";
        auto r = parseJson(text, "rec.json");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where.file == "rec.json");
        CHECK(r.error().where.line == 3);
        CHECK(r.error().where.column == 17);  // the '}'
        CHECK(contains(r.error().message, "not valid JSON"));
        CHECK_FALSE(contains(r.error().message, "Rivera"));
        CHECK(r.error().toString().rfind("rec.json:3:17: ", 0) == 0);
    }
    SECTION("stray word after a value") {
        auto r = parseJson("{\"name\": \"Ana Rivera\" secret}", "rec.json");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where.line == 1);
        CHECK(r.error().where.column == 23);
        CHECK_FALSE(contains(r.error().message, "Rivera"));
        CHECK_FALSE(contains(r.error().message, "secret"));
    }
    SECTION("columns count characters, not bytes") {
        auto r = parseJson("{\"n\": \"\xC3\xA9\xC3\xA9\xC3\xA9\" x}", "rec.json");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where.line == 1);
        CHECK(r.error().where.column == 13);
    }
    SECTION("unterminated document") {
        auto r = parseJson("{\"a\": [1, 2,\n", "rec.json");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where.line >= 1);
        CHECK(contains(r.error().message, "not valid JSON"));
    }
    SECTION("trailing garbage") {
        auto r = parseJson("{\"a\": 1}\n}", "rec.json");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where.line == 2);
        CHECK(r.error().where.column == 1);
    }
    SECTION("lineColumnAt") {
        int line = 0, column = 0;
        lineColumnAt("ab\n\xC3\xA9x", 5, line, column);
        CHECK(line == 2);
        CHECK(column == 2);
        lineColumnAt("abc", 99, line, column);
        CHECK(line == 1);
        CHECK(column == 4);
    }
}

TEST_CASE("bad input gets a clear error, never a crash", "[json_io][bad_input]") {
    SECTION("empty and blank input") {
        for (const char* text : {"", "   \n\t\n", "\xEF\xBB\xBF"}) {
            auto r = parseJson(text, "empty.json");
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error().message, "empty"));
            CHECK(r.error().where.file == "empty.json");
            CHECK(r.error().where.line == 1);
        }
    }
    SECTION("binary garbage (a PNG header)") {
        const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 20);
        auto r = parseJson(png, "photo.json");
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error().message, "binary"));
        CHECK(r.error().where.line == 1);
        CHECK(r.error().where.column == 1);
    }
    SECTION("UTF-16 LE with a byte order mark") {
        const std::string ascii = "{\"form\": \"i918b\"}";
        std::string utf16 = "\xFF\xFE";
        for (char c : ascii) {
            utf16.push_back(c);
            utf16.push_back('\0');
        }
        auto r = parseJson(utf16, "export.json");
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error().message, "UTF-16"));
        CHECK(contains(r.error().message, "UTF-8"));
        CHECK(r.error().where.line == 1);
        // Without the BOM too (UTF-16 LE/BE recognised by the NUL bytes).
        auto noBom = parseJson(utf16.substr(2), "export.json");
        REQUIRE_FALSE(noBom.ok());
        CHECK(contains(noBom.error().message, "UTF-16"));
        auto be = parseJson(std::string("\xFE\xFF\0{", 4), "export.json");
        REQUIRE_FALSE(be.ok());
        CHECK(contains(be.error().message, "UTF-16"));
    }
    SECTION("Latin-1 bytes") {
        const std::string text = "{\n  \"given_name\": \"Jos\xE9\"\n}";
        auto r = parseJson(text, "latin1.json");
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error().message, "UTF-8"));
        CHECK(contains(r.error().message, "Latin-1"));
        CHECK(r.error().where.line == 2);
        CHECK(r.error().where.column == 21);  // the byte after "Jos"
    }
    SECTION("100000 levels of nested arrays") {
        const std::string deep(100000, '[');
        auto r = parseJson(deep, "deep.json");
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error().message, "nested"));
        CHECK(r.error().where.line == 1);
        CHECK(r.error().where.column == 65);  // the first bracket past the limit of 64
        auto closed = parseJson(deep + std::string(100000, ']'), "deep.json");
        REQUIRE_FALSE(closed.ok());
        CHECK(contains(closed.error().message, "nested"));
        // Brackets inside strings do not count.
        auto inString = parseJson("{\"a\": \"" + std::string(1000, '[') + "\"}", "s.json");
        CHECK(inString.ok());
        // Up to the limit parses.
        auto ok = parseJson(std::string(64, '[') + std::string(64, ']'), "ok.json");
        CHECK(ok.ok());
    }
    SECTION("a number too large for a double: located, not quoted") {
        auto r = parseJson("{\"a\": \"1e99999\",\n \"b\": -4e99999}", "num.json");
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error().message, "too large"));
        CHECK_FALSE(contains(r.error().message, "99999"));
        CHECK(r.error().where.line == 2);
        CHECK(r.error().where.column == 7);
        // Large integers become doubles; that is fine.
        CHECK(parseJson("{\"a\": 123456789012345678901234567890}", "n.json").ok());
    }
    SECTION("documents larger than the limit") {
        JsonLimits limits;
        limits.maxBytes = 1024;
        std::string text(2002, ' ');
        text.front() = '[';
        text.back() = ']';
        auto r = parseJson(text, "big.json", limits);
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error().message, "limit"));
    }
    SECTION("a 50 MB string value parses (the validator reports it as too long)") {
        std::string text = "{\"notes\": \"";
        text.append(50u * 1024u * 1024u, 'a');
        text += "\"}";
        auto r = parseJson(text, "huge.json");
        REQUIRE(r.ok());
        CHECK((*r)["notes"].get_ref<const std::string&>().size() == 50u * 1024u * 1024u);
    }
}

TEST_CASE("no parse message quotes the value, whatever characters it holds", "[json_io][privacy]") {
    // Every quote and separator nlohmann's message format uses, inside a malformed string.
    const std::string secret = "Zq7SECRET";
    const std::vector<std::string> nasty = {
        "'; ", "'; expected ", "\"",           "'",    "`",   ";",  ":",
        ",",   "\\'",          "last read: '", "\x01", "'\n", "- ", "\t'; x"};
    for (const auto& piece : nasty) {
        for (const std::string& tail : {std::string("\n"), std::string("\x01"), std::string()}) {
            // A raw control character (or the end of input) inside the string is the error.
            const std::string text = "{\"victim\": {\"family_name\": \"" + secret + piece + secret +
                                     tail + secret + piece + "\"}}";
            auto r = parseJson(text, "rec.json");
            if (r.ok()) continue;  // some combinations are valid JSON
            const std::string m = r.error().toString();
            INFO(m);
            CHECK_FALSE(contains(m, "SECRET"));
            CHECK_FALSE(contains(m, "Zq7"));
            for (char c : m) CHECK(static_cast<unsigned char>(c) >= 0x20);
        }
    }
    // The expected-token part survives the cleaning.
    auto r = parseJson("[1 2]", "a.json");
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.error().message, "expected"));
}

TEST_CASE("a duplicate key and a NUL character are errors naming the key path", "[json_io]") {
    auto dup =
        parseJson("{\"victim\": {\"family_name\": \"A\",\n \"family_name\": \"B\"}}", "d.json");
    REQUIRE_FALSE(dup.ok());
    CHECK(contains(dup.error().message, "duplicate key victim.family_name"));
    CHECK(dup.error().where.line == 2);
    CHECK(dup.error().where.column == 2);
    CHECK_FALSE(contains(dup.error().message, "\"B\""));
    // The same key in different objects, or in array elements, is fine.
    CHECK(parseJson("{\"a\": {\"x\": 1}, \"b\": {\"x\": 1}, \"c\": [{\"x\": 1}, {\"x\": 2}]}",
                    "ok.json")
              .ok());
    auto inArray = parseJson("{\"c\": [{\"x\": 1}, {\"x\": 2, \"x\": 3}]}", "d.json");
    REQUIRE_FALSE(inArray.ok());
    CHECK(contains(inArray.error().message, "c[1].x"));
    // Escapes are decoded before comparing.
    CHECK_FALSE(parseJson("{\"ab\": 1, \"\\u0061b\": 2}", "d.json").ok());

    auto nul = parseJson("{\"crime\": {\"dates\": [\"2026-01-01\", \"x\\u0000y\"]}}", "n.json");
    REQUIRE_FALSE(nul.ok());
    CHECK(contains(nul.error().message, "NUL"));
    CHECK(contains(nul.error().message, "crime.dates[1]"));
    CHECK(nul.error().where.column == 38);
    auto nulKey = parseJson("{\"a\\u0000\": 1}", "n.json");
    REQUIRE_FALSE(nulKey.ok());
    CHECK(contains(nulKey.error().message, "NUL"));
    // An escaped backslash before u0000 is text, not a NUL.
    CHECK(parseJson("{\"a\": \"\\\\u0000\"}", "ok.json").ok());
}

TEST_CASE("readFile", "[json_io]") {
    TempDir dir;
    const std::string p = dir.write("a.json", std::string("{\"a\":\0}", 7));
    auto r = readFile(p);
    REQUIRE(r.ok());
    CHECK(r->size() == 7);  // binary, NUL kept
    auto missing = readFile(dir.file("nope.json"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().where.file == dir.file("nope.json"));
    CHECK(contains(missing.error().message, "no such file"));
    auto isDir = readFile(dir.path());
    REQUIRE_FALSE(isDir.ok());
    CHECK(contains(isDir.error().message, "directory"));
    auto tooBig = readFile(p, 3);
    REQUIRE_FALSE(tooBig.ok());
    CHECK(contains(tooBig.error().message, "larger"));
    auto empty = readFile(dir.write("empty.json", ""));
    REQUIRE(empty.ok());
    CHECK(empty->empty());
}

TEST_CASE("writeFileAtomic", "[json_io]") {
    TempDir dir;
    const std::string p = dir.file("draft.json");
    REQUIRE(writeFileAtomic(p, "first", 0600).ok());
    CHECK(lecert::test::readText(p) == "first");
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(writeFileAtomic(p, "second version").ok());
    CHECK(lecert::test::readText(p) == "second version");
    // Only the target is left: no temporary files.
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        (void)e;
        ++n;
    }
    CHECK(n == 1);
    // A folder that does not exist: an error naming the file, nothing written.
    auto bad = writeFileAtomic(dir.file("missing/x.json"), "data");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().where.file == dir.file("missing/x.json"));
    CHECK_FALSE(lecert::test::fileExists(dir.file("missing/x.json")));
    // The target is a directory: the rename fails, the directory is untouched, no temp left.
    std::filesystem::create_directory(dir.file("adir"));
    auto onDir = writeFileAtomic(dir.file("adir"), "data");
    REQUIRE_FALSE(onDir.ok());
    CHECK(std::filesystem::is_directory(dir.file("adir")));
    n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        (void)e;
        ++n;
    }
    CHECK(n == 2);
}

TEST_CASE("dumpPretty and dumpCanonical", "[json_io]") {
    Json j = Json::parse(R"({"b": 1, "a": {"d": "\u00e9", "c": [true, null]}})");
    CHECK(dumpPretty(j) ==
          "{\n  \"b\": 1,\n  \"a\": {\n    \"d\": \"\xC3\xA9\",\n    \"c\": [\n      true,\n      "
          "null\n    ]\n  }\n}\n");
    CHECK(dumpCanonical(j) == "{\"a\":{\"c\":[true,null],\"d\":\"\xC3\xA9\"},\"b\":1}");
    // Same content, different key order: same canonical text.
    CHECK(dumpCanonical(Json::parse(R"({"a": {"d": "\u00e9", "c": [true, null]}, "b": 1})")) ==
          dumpCanonical(j));
}

TEST_CASE("jsonTypeName", "[json_io]") {
    CHECK(jsonTypeName(Json()) == "null");
    CHECK(jsonTypeName(Json(true)) == "boolean");
    CHECK(jsonTypeName(Json(3)) == "integer");
    CHECK(jsonTypeName(Json(-3)) == "integer");
    CHECK(jsonTypeName(Json(2.5)) == "number");
    CHECK(jsonTypeName(Json("x")) == "string");
    CHECK(jsonTypeName(Json::array()) == "array");
    CHECK(jsonTypeName(Json::object()) == "object");
}
