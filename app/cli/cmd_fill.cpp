// SPDX-License-Identifier: MIT
// `lecert fill`: a thin layer over core/fill_job.h.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/jobs/fill_job.h"

using namespace lecert;

void addFillCommand(CLI::App& app, int& exitCode) {
    struct Options {
        FillOptions fill;
        std::string today;
    };
    auto opt = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "fill", "Write the filled form PDF (OUT.pdf) and the cover summary (OUT-cover.pdf)");
    cmd->add_option("-o,--output", opt->fill.output, "Output PDF (the cover goes to OUT-cover.pdf)")
        ->required();
    cmd->add_flag("--no-cover", opt->fill.noCover, "Do not write the cover summary");
    cmd->add_flag(
        "--draft", opt->fill.draft,
        "Allow a record with errors; every page carries a DRAFT - NOT FOR SIGNATURE watermark");
    cmd->add_flag("--flatten", opt->fill.flatten, "No editable fields: values become page content");
    cmd->add_flag("--pdfa", opt->fill.pdfa,
                  "PDF/A-2b archival worksheet and cover (no embedded record, no encryption)");
    cmd->add_option("--password-file", opt->fill.passwordFile,
                    "Encrypt both PDFs with AES-256; the password is the first line of F");
    cmd->add_flag("--force", opt->fill.force,
                  "Overwrite an existing OUT that is not a PDF written by lecert");
    cmd->add_option("--today", opt->today,
                    "Date used as today for the rules and the cover (YYYY-MM-DD)");
    cmd->add_option("--official", opt->fill.official,
                    "Fill this official USCIS PDF of the record's edition (default: the one in "
                    "$LECERT_OFFICIAL_DIR, if any)");
    cmd->add_flag("--worksheet", opt->fill.worksheet,
                  "Write lecert's worksheet even when an official PDF is available");
    cmd->add_option("FILE", opt->fill.input, "The record (.json)")->required();
    cmd->callback([opt, &exitCode]() {
        if (!cli::parseToday(opt->today, opt->fill.today)) {
            exitCode = 2;
            return;
        }
        if (const char* dir = std::getenv("LECERT_OFFICIAL_DIR"); dir && *dir)
            opt->fill.officialDir = dir;
        const FillResult r = runFill(opt->fill);
        for (const auto& note : r.notes) std::cerr << "lecert fill: " << note << "\n";
        for (const auto& issue : r.issues) std::cerr << cli::issueLine(r.label, issue) << "\n";
        if (r.error) std::cerr << "lecert fill: " << r.error->toString() << "\n";
        if (r.exitCode == 1)
            std::cerr << "lecert fill: " << escapeControls(r.label)
                      << ": the record has errors; nothing was written (use --draft to write a "
                         "draft anyway)\n";
        for (const auto& path : r.written) std::cerr << "wrote " << escapeControls(path) << "\n";
        exitCode = r.exitCode;
    });
}
