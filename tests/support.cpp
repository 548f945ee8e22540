// SPDX-License-Identifier: MIT
#include "support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace lecert::test {

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

RunResult run(const std::string& commandLine, const std::string& stdinText) {
    TempDir tmp;
    const std::string outPath = tmp.file("stdout");
    const std::string errPath = tmp.file("stderr");
    std::string cmd = "(" + commandLine + ") >" + shellQuote(outPath) + " 2>" + shellQuote(errPath);
    if (!stdinText.empty())
        cmd += " <" + shellQuote(tmp.write("stdin", stdinText));
    else
        cmd += " </dev/null";
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status)
                                   : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    r.out = readText(outPath);
    r.err = readText(errPath);
    return r;
}

RunResult lecert(const std::vector<std::string>& args, const std::string& stdinText) {
    std::string cmd = shellQuote(LECERT_CLI_PATH);
    for (const auto& a : args) cmd += " " + shellQuote(a);
    return run(cmd, stdinText);
}

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "lecert-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    m_path = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
    const std::string p = file(name);
    fs::create_directories(fs::path(p).parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
    return p;
}

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool fileExists(const std::string& path) {
    return fs::exists(path);
}

std::string dataFile(const std::string& relative) {
    return std::string(LECERT_TEST_DATA_DIR) + "/" + relative;
}

std::string sourceFile(const std::string& relative) {
    return std::string(LECERT_SOURCE_DIR) + "/" + relative;
}

Json loadJson(const std::string& path) {
    auto text = readFile(path);
    REQUIRE(text.ok());
    auto j = parseJson(*text, path);
    if (!j) FAIL(j.error().toString());
    return *j;
}

Json validRecord(const std::string& form) {
    Json r = Json::parse(R"({
      "form": "i918b",
      "id": "test-001",
      "victim": {"family_name": "Rivera", "given_name": "Ana", "date_of_birth": "1990-05-17",
                 "gender": "female", "a_number": "012345678"},
      "agency": {"name": "Riverton Police Department", "type": "local",
                 "official": {"family_name": "Okafor", "given_name": "Grace", "title": "Chief of Police",
                              "phone": "(555) 010-2345", "email": "g.okafor@riverton.example.gov"},
                 "address": {"street": "100 Main Street", "city": "Riverton", "state": "WY", "zip": "82501"},
                 "case_number": "RPD-2026-0412"},
      "family": {"implicated": false},
      "certification": {"signature_date": "2026-11-02"},
      "assistance": {"victim_specialist": {"contacted": true, "organization": "Riverton Victim Services"},
                     "continued_presence": {"status": "not_applicable"}}
    })");
    if (form == "i918b") {
        r["agency"]["category"] = "law_enforcement";
        r["agency"]["official"]["role"] = "head";
        r["agency"]["case_status"] = "ongoing";
        r["crime"] = Json::parse(R"({"activities": ["felonious_assault"], "dates": ["2026-03-14"],
            "citations": "Wyo. Stat. 6-2-502", "occurred_in_us": true,
            "description": "The victim was assaulted at her workplace.", "injury": "Broken wrist."})");
        r["helpfulness"] = Json::parse(R"({"possesses_information": true, "helpful": true,
            "refused_or_failed": false, "description": "She identified the suspect."})");
    } else {
        r["form"] = "i914b";
        r["agency"]["supervisor"] =
            Json::parse(R"({"family_name": "Lee", "given_name": "Sam", "title": "Captain"})");
        r["trafficking"] =
            Json::parse(R"({"types": ["labor_trafficking"], "labor_purposes": ["debt_bondage"],
            "start_date": "2025-02-01", "end_date": "2025-09-30", "location": "Riverton, WY",
            "citations": "18 U.S.C. 1589", "description": "Forced to work to repay a recruitment debt.",
            "database_inquiries": "No records found."})");
        r["cooperation"] = Json::parse(
            R"({"complied_with_requests": true, "description": "Gave two interviews."})");
        r["assistance"]["continued_presence"] = Json::parse(R"({"status": "requested",
            "requested_date": "2026-10-01", "federal_sponsor": "HSI Riverton"})");
    }
    return r;
}

}  // namespace lecert::test
