// SPDX-License-Identifier: MIT
#pragma once
// Test helpers for PDF output: poppler/qpdf command-line checks and pixel inspection.
// Every helper fails the test (Catch2 FAIL) when the tool it runs fails, so an unreadable or
// missing PDF can never look like an empty page that "has no ink" or "has no such text".

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support.h"

namespace lecert::test {

// Runs a PDF tool and returns its stdout; fails the test when it exits non-zero.
inline std::string runTool(const std::string& commandLine) {
    RunResult r = run(commandLine);
    if (r.exitCode != 0) FAIL("`" << commandLine << "` exited " << r.exitCode << ": " << r.err);
    return r.out;
}

// pdftotext of the whole file (or one page when page > 0), layout mode off. Fails the test when
// pdftotext fails (a file that cannot be read has no text to compare).
inline std::string pdfText(const std::string& path, int page = 0, const std::string& password = {},
                           bool raw = false) {
    std::string cmd = raw ? "pdftotext -raw -enc UTF-8" : "pdftotext -enc UTF-8";
    if (page > 0) cmd += " -f " + std::to_string(page) + " -l " + std::to_string(page);
    if (!password.empty()) cmd += " -upw " + shellQuote(password);
    return runTool(cmd + " " + shellQuote(path) + " -");
}

// pdftotext with all white space removed (line breaks in wrapped text do not matter).
inline std::string pdfTextCompact(const std::string& path, int page = 0, bool raw = false) {
    std::string s = pdfText(path, page, {}, raw), out;
    for (char c : s)
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') out.push_back(c);
    return out;
}

inline std::string compact(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out.push_back(c);
    return out;
}

// A grey-scale rendering of one page (pdftoppm), 1 pixel = 1 point at 72 dpi.
struct Raster {
    int width = 0, height = 0;
    std::vector<unsigned char> pixels;  // row-major, top row first
    // Dark pixels (< 128) inside a PDF rectangle (points, origin bottom-left), insetting by
    // `inset`.
    int inkIn(double x, double y, double w, double h, double inset = 1.5) const {
        int count = 0;
        const int x0 = static_cast<int>(x + inset), x1 = static_cast<int>(x + w - inset);
        const int y0 = static_cast<int>(height - (y + h) + inset),
                  y1 = static_cast<int>(height - y - inset);
        for (int row = std::max(0, y0); row < std::min(height, y1); ++row)
            for (int col = std::max(0, x0); col < std::min(width, x1); ++col)
                if (pixels[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) +
                           static_cast<std::size_t>(col)] < 128)
                    ++count;
        return count;
    }
};

// Renders one page with pdftoppm. Fails the test when pdftoppm fails or its output is not a
// complete 8-bit PGM: an empty raster would make every `inkIn(...) == 0` pass.
inline Raster renderPage(const std::string& pdfPath, int page, const TempDir& dir) {
    Raster r;
    const std::string base = dir.file("render");
    std::remove((base + ".pgm").c_str());  // never read a previous page's render
    runTool("pdftoppm -gray -r 72 -f " + std::to_string(page) + " -l " + std::to_string(page) +
            " -singlefile " + shellQuote(pdfPath) + " " + shellQuote(base));
    std::ifstream in(base + ".pgm", std::ios::binary);
    std::string magic;
    int maxval = 0;
    in >> magic >> r.width >> r.height >> maxval;
    in.get();
    if (!in || magic != "P5" || r.width <= 0 || r.height <= 0 || maxval != 255)
        FAIL("pdftoppm wrote no 8-bit PGM for page " << page << " of " << pdfPath);
    r.pixels.resize(static_cast<std::size_t>(r.width) * static_cast<std::size_t>(r.height));
    in.read(reinterpret_cast<char*>(r.pixels.data()),
            static_cast<std::streamsize>(r.pixels.size()));
    if (in.gcount() != static_cast<std::streamsize>(r.pixels.size()))
        FAIL("pdftoppm's PGM for page " << page << " of " << pdfPath << " is truncated");
    return r;
}

inline void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

}  // namespace lecert::test
