// SPDX-License-Identifier: MIT
// The PDF test helpers themselves: a render or text extraction that fails must fail the test,
// never hand back an empty raster or empty text that lets "no ink" / "no such text" pass.
// These cases are tagged [!shouldfail]: Catch2 counts them as passed only if they fail.

#include <catch2/catch.hpp>

#include "pdf_check.h"
#include "support.h"

using namespace lecert::test;

TEST_CASE("renderPage fails the test when pdftoppm cannot render", "[pdf_check][!shouldfail]") {
    TempDir dir;
    const std::string notPdf = dir.write("broken.pdf", "this is not a PDF");
    Raster r = renderPage(notPdf, 1, dir);
    // Reached only if renderPage returned instead of failing: the empty raster has no ink.
    CHECK(r.inkIn(0, 0, 612, 792) == 0);
}

TEST_CASE("renderPage fails the test for a file that does not exist", "[pdf_check][!shouldfail]") {
    TempDir dir;
    Raster r = renderPage(dir.file("missing.pdf"), 3, dir);
    CHECK(r.inkIn(0, 0, 612, 792) == 0);
}

TEST_CASE("pdfText fails the test when pdftotext cannot read the file",
          "[pdf_check][!shouldfail]") {
    TempDir dir;
    const std::string notPdf = dir.write("broken.pdf", "this is not a PDF");
    CHECK(pdfText(notPdf).find("Rivera") == std::string::npos);
}

TEST_CASE("runTool returns the output of a tool that succeeds", "[pdf_check]") {
    CHECK(runTool("printf ok") == "ok");
}
