// SPDX-License-Identifier: MIT
#pragma once
// Helpers shared by the tests: running programs, temporary folders, fixtures.

#include <string>
#include <vector>

#include "core/util/json_io.h"

namespace lecert::test {

struct RunResult {
    int exitCode = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

// Runs a shell command line (arguments already quoted with shellQuote), capturing both streams.
RunResult run(const std::string& commandLine, const std::string& stdinText = {});
// Runs the built `lecert` with the given arguments.
RunResult lecert(const std::vector<std::string>& args, const std::string& stdinText = {});
std::string shellQuote(const std::string& s);

// A fresh empty folder under the system temp dir, removed when the object dies.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string file(const std::string& name) const { return m_path + "/" + name; }
    // Writes a file inside the folder and returns its path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::string m_path;
};

std::string readText(const std::string& path);
bool fileExists(const std::string& path);
// tests/data/<relative>
std::string dataFile(const std::string& relative);
// <source>/<relative>, e.g. "examples/i918b-001.json"
std::string sourceFile(const std::string& relative);
// Loads and parses a JSON file (fails the test on error).
Json loadJson(const std::string& path);

// A complete, valid record of the form ("i918b" or "i914b"), valid with today = 2026-11-28.
Json validRecord(const std::string& form);

}  // namespace lecert::test
